#!/usr/bin/env python3
"""Write the layout samples: short invented notices, one per table layout, each with its known content.

    .venv/bin/python samples/make_layouts.py [--out DIR]        (default: samples/layouts)

Every file is a complete short notice (文号, title, 一、工作目标 with the headline, 二、工作要求, 附件 line, issuer,
date, then 附件 with its title and the table) about an invented county, district or town, with invented units and
figures. Beside each file, `<file>.truth.json` states what the file says:

    {"layout": what the file exercises,
     "facts":  {title, region, year, total_target, doc_number (always with 〔〕), status, issuer, signed_on,
                issued_on (only where an imprint line states it), unit_ml},
     "tables": [{kind, title, annex, unit, total, n_lists, columns, rows: [{seq, org, org_note, portions,
                 row_type, month_from, month_to, group, seq_text, value_text, ...}]}],
     "findings": [{code, severity, row_no, table_id}]}      (error and warning findings the layout causes on purpose)

Rows are in 序号 order with side-by-side lists unfolded, totals and subtotals where they stand. `seq` is the
number a reader should end with (an inferred one where the 序号 cell is blank, with "seq_inferred": true);
`seq_text` and `value_text` are the cells as printed (what a generic table extractor can find). `group` is null
where the table has no group column, and `org_normalized` is given for names printed in traditional characters.

Output is byte-identical on every run: figures come from fixed-seed generators, reportlab runs with invariant=1
and the DOCX files get fixed core properties and zip timestamps (helpers shared with generate.py).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT  # noqa: E402
from docx.shared import Mm  # noqa: E402

import generate as g  # noqa: E402  (fonts, page writer, paragraph drawing, DOCX helpers)

# Figures of the two real samples; no layout may use one of them as a total.
REAL_FIGURES = {57510, 41200, 15910, 400, 16687, 10118, 1119, 11237, 5450, 599}


# =====================================================================================================
# What a layout holds
# =====================================================================================================

@dataclass
class TRow:
    """One row of a table as the truth states it and as it is printed."""

    org: str = ""                        # name as printed (without the bracketed note); label for total rows
    portions: Optional[int] = None
    seq: Optional[int] = None
    note: str = ""                       # org_note, e.g. （城区部分）
    row_type: str = "item"
    group: Optional[str] = None
    month_from: Optional[int] = None
    month_to: Optional[int] = None
    seq_text: Optional[str] = None       # printed 序号 cell; None: str(seq) for items, "" otherwise
    value_text: Optional[str] = None     # printed value cell; None: str(portions)
    name_text: Optional[str] = None      # printed name cell; None: org + note
    extra: dict = field(default_factory=dict)    # other printed columns by header (备注, 献血地点)
    seq_inferred: bool = False
    org_normalized: Optional[str] = None

    @property
    def seq_cell(self) -> str:
        if self.seq_text is not None:
            return self.seq_text
        return str(self.seq) if self.seq is not None and self.row_type == "item" else ""

    @property
    def name_cell(self) -> str:
        return self.name_text if self.name_text is not None else self.org + self.note

    @property
    def value_cell(self) -> str:
        if self.value_text is not None:
            return self.value_text
        return "" if self.portions is None else str(self.portions)

    def truth(self, monthly: bool) -> dict:
        d = {"seq": self.seq, "org": self.org, "org_note": self.note, "portions": self.portions,
             "row_type": self.row_type,
             "month_from": self.month_from if monthly else None, "month_to": self.month_to if monthly else None,
             "group": self.group, "seq_text": self.seq_cell, "value_text": self.value_cell}
        if self.seq_inferred:
            d["seq_inferred"] = True
        if self.org_normalized is not None:
            d["org_normalized"] = self.org_normalized
        return d


@dataclass
class Grid:
    """A printed table: rows of cell texts (header rows first), merged regions as (row, col) -> (rowspan, colspan)."""

    rows: list[list[str]]
    header_rows: int = 1
    spans: dict = field(default_factory=dict)

    def covered(self) -> set:
        return g.Table(self.rows, self.spans).covered()


@dataclass
class TableSpec:
    rows: list[TRow]
    grid: Grid
    kind: str = "allocation"
    unit: str = "人份"
    n_lists: int = 1
    columns: tuple = ("seq", "name", "value")     # roles of one list's columns, left to right

    def total(self) -> Optional[int]:
        totals = [r.portions for r in self.rows if r.row_type == "total"]
        return totals[-1] if totals else None


@dataclass
class Doc:
    name: str                      # file name, e.g. pdf-one-list.pdf
    layout: str                    # one line: what it exercises
    region: str
    year: int
    docno: str                     # as printed
    docno_canonical: str
    title: str
    salutation: str
    paras: list[str]               # from 一、工作目标 on, one string per paragraph
    annex_ref: str                 # 附件：… line after the body
    issuer: str
    date: str                      # signing date as printed
    signed_on: str
    annex_label: str
    annex_title: str
    table: TableSpec
    total_target: int
    imprint: Optional[tuple[str, str]] = None      # (printed by, printed on … 印发)
    issued_on: Optional[str] = None
    findings: list = field(default_factory=list)
    facts_simplified: Optional[dict] = None       # traditional layouts: the facts in simplified characters

    def truth(self) -> dict:
        facts = {"title": self.title, "region": self.region, "year": self.year, "total_target": self.total_target,
                 "doc_number": self.docno_canonical, "status": "final", "issuer": self.issuer,
                 "signed_on": self.signed_on, "unit_ml": 200}
        if self.issued_on:
            facts["issued_on"] = self.issued_on
        t = self.table
        monthly = t.kind == "monthly"
        out = {"layout": self.layout, "facts": facts}
        if self.facts_simplified:
            out["facts_simplified"] = self.facts_simplified
        out["tables"] = [{"kind": t.kind, "title": self.annex_title, "annex": self.annex_label, "unit": t.unit,
                          "total": t.total(), "n_lists": t.n_lists, "columns": list(t.columns),
                          "rows": [r.truth(monthly) for r in t.rows]}]
        out["findings"] = self.findings
        return out


# =====================================================================================================
# Invented places, units and figures
# =====================================================================================================

COUNTY_UNITS = ["东城镇", "西山乡", "南湖街道", "北岭镇", "龙潭镇", "双桥乡", "石门镇", "青溪乡", "白鹤镇", "马坊乡",
                "县教育局", "县卫生健康局", "县人民医院", "县中医院", "县公安局", "县供电公司", "县税务局", "县城投集团",
                "县实验中学", "县职业中学", "县农商银行", "县交通运输局"]
DISTRICT_UNITS = ["云台街道", "望江街道", "春晖街道", "金沙街道", "柳湾街道", "新桥街道", "翠屏街道", "锦绣街道",
                  "区教育局", "区市场监管局", "区城管局", "区人民医院", "区妇幼保健院", "区税务局", "区国资公司",
                  "区文旅局", "区民政局", "区交通局", "区住建局", "区水务局", "区消防救援大队", "区融媒体中心"]
TOWN_UNITS = ["上林村", "下坝村", "湖滨社区", "双塘村", "白鹭村", "桥头社区", "镇中心小学", "镇卫生院", "镇初级中学",
              "镇农业服务中心", "荷花村", "桑园村", "新港社区", "东渡村", "芦湾村", "镇机关", "镇派出所", "杏林村"]


def many_villages(n: int) -> list[str]:
    """As many distinct invented village names as a long table needs."""
    first = "大小东西前后新老上下"
    second = ["李", "王", "塘", "桥", "埠", "湾", "庄", "岗"]
    names = [f"{a}{b}村" for b in second for a in first]
    return names[:n]


def pick_values(rng: random.Random, n: int, lo: int = 40, hi: int = 420, step: int = 5) -> list[int]:
    return [rng.randrange(lo, hi, step) for _ in range(n)]


def items(names: list[str], values: list[int], notes: Optional[list[str]] = None, start: int = 1) -> list[TRow]:
    notes = notes or [""] * len(names)
    return [TRow(org=n, portions=v, seq=start + i, note=t) for i, (n, v, t) in enumerate(zip(names, values, notes))]


def total_row(rows: list[TRow], label: str = "合计", value: Optional[int] = None) -> TRow:
    s = sum(r.portions for r in rows if r.row_type == "item")
    return TRow(org=label, portions=s if value is None else value, row_type="total")


def check_figures(doc: Doc) -> None:
    figures = {doc.total_target} | {r.portions for r in doc.table.rows if r.row_type != "item"}
    assert not figures & REAL_FIGURES, (doc.name, figures & REAL_FIGURES)


# =====================================================================================================
# Printed tables
# =====================================================================================================

STD_HEADER = {"seq": "序号", "name": "单位名称", "value": "任务数（人份）"}


def cell(row: TRow, role: str) -> str:
    if role == "seq":
        return row.seq_cell
    if role == "name":
        return row.name_cell
    if role == "value":
        return row.value_cell
    return row.extra.get(role, "")


def list_grid(rows: list[TRow], columns=("seq", "name", "value"), header: Optional[dict] = None,
              n_lists: int = 1) -> Grid:
    """One list, or n side-by-side lists filled column by column (the first list holds rows 1…k)."""
    header = {**STD_HEADER, **(header or {})}
    per = -(-len(rows) // n_lists)
    lists = [rows[i * per:(i + 1) * per] for i in range(n_lists)]
    out = [[header.get(c, c) for c in columns] * n_lists]
    for k in range(per):
        line = []
        for lst in lists:
            line += [cell(lst[k], c) for c in columns] if k < len(lst) else [""] * len(columns)
        out.append(line)
    return Grid(out)


def uneven_grid(rows: list[TRow], left: int, columns=("seq", "name", "value"), header: Optional[dict] = None) -> Grid:
    """Two side-by-side lists of unequal length: the first `left` rows on the left, the rest on the right; the
    shorter list's last printed rows are empty on its side."""
    header = {**STD_HEADER, **(header or {})}
    lists = [rows[:left], rows[left:]]
    out = [[header.get(c, c) for c in columns] * 2]
    for k in range(max(len(x) for x in lists)):
        line = []
        for lst in lists:
            line += [cell(lst[k], c) for c in columns] if k < len(lst) else [""] * len(columns)
        out.append(line)
    return Grid(out)


def group_grid(rows: list[TRow], header: Optional[dict] = None) -> Grid:
    """片区 | 序号 | 单位名称 | 任务数: each 片区 cell spans its units and their 小计; 总计 spans the first three columns."""
    header = {**STD_HEADER, "group": "片区", **(header or {})}
    cols = ("group", "seq", "name", "value")
    out = [[header[c] for c in cols]]
    spans = {}
    r = 1
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.row_type == "total":
            out.append([row.org, "", "", row.value_cell])
            spans[(r, 0)] = (1, 3)
            r += 1
            i += 1
            continue
        j = i
        while j < len(rows) and rows[j].group == row.group and rows[j].row_type != "total":
            j += 1
        for k, member in enumerate(rows[i:j]):
            out.append([row.group if k == 0 else "", member.seq_cell, member.name_cell, member.value_cell])
        spans[(r, 0)] = (j - i, 1)
        r += j - i
        i = j
    return Grid(out, spans=spans)


def grouped_rows(rng: random.Random, groups: list[tuple[str, list[str]]], total_label: str = "总计") -> list[TRow]:
    rows, seq = [], 1
    for gname, names in groups:
        members = []
        for n in names:
            members.append(TRow(org=n, portions=rng.randrange(60, 480, 10), seq=seq, group=gname))
            seq += 1
        rows += members
        rows.append(TRow(org="小计", portions=sum(m.portions for m in members), row_type="subtotal", group=gname))
    rows.append(total_row(rows, total_label))
    return rows


# =====================================================================================================
# Notices
# =====================================================================================================

KIND_WORD = {"县": "县", "区": "区", "镇": "镇"}
SALUTATION = {"县": "各乡镇人民政府、街道办事处，县级各有关单位：",
              "区": "各街道办事处，区级各有关单位：",
              "镇": "各村（居）民委员会，镇属各单位："}


def issuer_of(region: str) -> str:
    return {"县": f"{region}卫生健康局", "区": f"{region}卫生健康委员会", "镇": f"{region}人民政府"}[region[-1]]


def notice(name: str, layout: str, region: str, year: int, abbr: str, number: int, table: TableSpec, *,
           date: tuple[int, int, int], date_text: Optional[str] = None, docno_text: Optional[str] = None,
           headline: Optional[str] = None, total_target: Optional[int] = None, goal_extra: tuple = (),
           annex_label: str = "附件", annex_title: Optional[str] = None, annex_ref_title: Optional[str] = None,
           imprint: Optional[tuple[str, str]] = None, issued_on: Optional[str] = None,
           findings: Optional[list] = None) -> Doc:
    kind = region[-1]
    total = table.total() if total_target is None else total_target
    if total is None:
        total = sum(r.portions for r in table.rows if r.row_type == "item")
    headline = headline or f"{total}人份"
    annex_title = annex_title or f"{year}年{region}无偿献血任务分配表"
    title = f"关于做好{year}年{region}无偿献血工作的意见"
    docno = f"{abbr}〔{year}〕{number}号"
    y, m, d = date
    paras = [
        f"为贯彻落实《中华人民共和国献血法》，保障临床用血需求和用血安全，现就做好{year}年{region}无偿献血工作提出如下意见。",
        "一、工作目标",
        f"{year}年全{KIND_WORD[kind]}无偿献血总量为{headline}（每人份200毫升），各单位任务数见附件。",
        *goal_extra,
        "二、工作要求",
        "（一）加强组织领导。各单位要把无偿献血工作列入本单位年度工作计划，明确一名分管领导和一名联络员。",
        "（二）广泛宣传动员。充分利用广播、电视、网络等媒体宣传无偿献血知识，营造良好的社会氛围。",
        "（三）按时完成任务。各单位要合理安排献血时间，于当年十一月底前完成全年任务，并及时报送完成情况。",
    ]
    return Doc(name=name, layout=layout, region=region, year=year, docno=docno_text or docno, docno_canonical=docno,
               title=title, salutation=SALUTATION[kind], paras=paras,
               annex_ref=f"附件：{annex_ref_title or annex_title}", issuer=issuer_of(region),
               date=date_text or f"{y}年{m}月{d}日", signed_on=f"{y:04d}-{m:02d}-{d:02d}", annex_label=annex_label,
               annex_title=annex_title, table=table, total_target=total, imprint=imprint, issued_on=issued_on,
               findings=findings or [])


def std_table(rows: list[TRow], **grid_kw) -> TableSpec:
    n_lists = grid_kw.get("n_lists", 1)
    columns = grid_kw.get("columns", ("seq", "name", "value"))
    return TableSpec(rows=rows, grid=list_grid(rows, **grid_kw), n_lists=n_lists, columns=tuple(columns))


# =====================================================================================================
# PDF
# =====================================================================================================

def draw_grid(pw: g.PageWriter, grid: Grid, widths: list[float], *, size: float = 11, row_h: float = 22,
              header_h: Optional[float] = None, ruled: bool = True, repeat_header: bool = False,
              align: Optional[list[str]] = None, open_break: bool = False, rows_only: bool = False,
              row_rules: bool = True) -> int:
    """Draw a table from pw.y down. A merged region is one cell over its span (and lands on one page). Rows that do
    not fit go on a new page, after the header rows again when repeat_header. open_break: the rulings where the
    table breaks onto a new page are not drawn (the last row on a page has no bottom line, the first on the next
    no top line), as some exports print a table that runs on. rows_only: rulings between the rows and a frame,
    none between the cells of a row. row_rules False: no rulings between the body's rows (only under the header
    and where the table ends on a page). Returns the pages used."""
    x0 = (g.PAGE_W - sum(widths)) / 2
    xs = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
    n = len(grid.rows)
    H = grid.header_rows
    heights = [header_h or row_h] * H + [row_h] * (n - H)
    covered = grid.covered()
    cv = pw.c
    align = align or ["center"] * len(widths)

    def block_end(r: int) -> int:
        end = r + 1
        k = r
        while k < end:
            for c in range(len(widths)):
                end = max(end, k + grid.spans.get((k, c), (1, 1))[0])
            k += 1
        return end

    def draw_rows(r0: int, r1: int, open_top: bool = False, open_bottom: bool = False,
                  page_top: bool = False, page_end: bool = False) -> None:
        for rr in range(r0, r1):
            top = pw.y - sum(heights[r0:rr])
            for c, text in enumerate(grid.rows[rr]):
                if (rr, c) in covered:
                    continue
                rs, cs = grid.spans.get((rr, c), (1, 1))
                w, h = xs[c + cs] - xs[c], sum(heights[rr:rr + rs])
                if ruled:
                    cv.setLineWidth(0.75)
                    # without row_rules a body row is ruled only where the table or its page's part starts or ends
                    top_rule = row_rules or rr <= H or (page_top and rr == r0)
                    bottom_rule = row_rules or rr < H or rr + rs == n or (page_end and rr + rs == r1)
                    if top_rule and not (open_top and rr == r0):
                        cv.line(xs[c], top, xs[c + cs], top)
                    if bottom_rule and not (open_bottom and rr + rs == r1):
                        cv.line(xs[c], top - h, xs[c + cs], top - h)
                    if not rows_only or c == 0:
                        cv.line(xs[c], top, xs[c], top - h)
                    if not rows_only or c + cs == len(widths):
                        cv.line(xs[c + cs], top, xs[c + cs], top - h)
                if align[c] == "center" or rr < H:
                    g.draw_cell_text(cv, text, xs[c], top, w, h, size)
                else:
                    _draw_aligned(cv, text, xs[c], top, w, h, size, align[c])
        pw.y -= sum(heights[r0:r1])

    blocks, breaks, y, r = [], set(), pw.y - sum(heights[:H]), H
    while r < n:                           # where the pages break, known before any row is drawn
        end = block_end(r)
        if y - sum(heights[r:end]) < pw.bottom:
            breaks.add(len(blocks))
            y = g.TABLE_TOP - (sum(heights[:H]) if repeat_header else 0)
        blocks.append((r, end))
        y -= sum(heights[r:end])
        r = end
    pages = 1
    draw_rows(0, H)
    for k, (r, end) in enumerate(blocks):
        if k in breaks:
            pw.new_page(g.TABLE_TOP)
            pages += 1
            if repeat_header:
                draw_rows(0, H)
        draw_rows(r, end, open_top=open_break and k in breaks and not repeat_header,
                  open_bottom=open_break and k + 1 in breaks, page_top=k in breaks, page_end=k + 1 in breaks)
    return pages


def _draw_aligned(cv, text: str, x: float, top: float, w: float, h: float, size: float, how: str) -> None:
    ascent, descent = g.pdfmetrics.getAscentDescent(g.FONT, size)
    y = top - h / 2 - (ascent + descent) / 2
    cv.setFont(g.FONT, size)
    if how == "left":
        cv.drawString(x + 4, y, text)
    else:
        cv.drawRightString(x + w - 6, y, text)


@dataclass
class PdfStyle:
    widths: list[float]
    size: float = 11
    row_h: float = 22
    header_h: Optional[float] = None
    ruled: bool = True
    repeat_header: bool = False
    align: Optional[list[str]] = None
    open_break: bool = False
    rows_only: bool = False
    row_rules: bool = True


def build_pdf(doc: Doc, path: Path, style: PdfStyle) -> None:
    pw = g.PageWriter(path, doc.title)
    g.draw_paragraph(pw, doc.docno, indent=0, align="center")
    pw.skip(0.5)
    g.draw_paragraph(pw, doc.title, indent=0, align="center", size=20, leading=34)
    pw.skip(0.5)
    g.draw_paragraph(pw, doc.salutation, indent=0)
    for p in doc.paras:
        g.draw_paragraph(pw, p)
    g.draw_paragraph(pw, doc.annex_ref)
    pw.skip()
    g.draw_paragraph(pw, doc.issuer, indent=0, align="right", right_indent=2)
    g.draw_paragraph(pw, doc.date, indent=0, align="right", right_indent=3)
    if doc.imprint:
        if pw.y - 3 * g.LEADING < pw.bottom:
            pw.new_page()
        pw.c.setFont(g.FONT, 14)
        pw.c.drawString(g.LEFT, pw.bottom, doc.imprint[0])
        pw.c.drawRightString(g.RIGHT, pw.bottom, doc.imprint[1])
    pw.new_page(g.TABLE_TOP, g.TABLE_BOTTOM)
    g.draw_paragraph(pw, doc.annex_label, indent=0)
    g.draw_paragraph(pw, doc.annex_title, indent=0, align="center", size=18, leading=30)
    pw.y -= 14
    draw_grid(pw, doc.table.grid, style.widths, size=style.size, row_h=style.row_h, header_h=style.header_h,
              ruled=style.ruled, repeat_header=style.repeat_header, align=style.align, open_break=style.open_break,
              rows_only=style.rows_only, row_rules=style.row_rules)
    pw.save()


# =====================================================================================================
# DOCX
# =====================================================================================================

def build_docx(doc: Doc, path: Path, split_at: Optional[int] = None, tab_rows: bool = False) -> None:
    """split_at: the table is printed as two Word tables, the second (from that grid row on, without the header)
    after a page break, as a table that runs on over a page is often saved. tab_rows: no Word table, a paragraph
    per row with its cells between tabs (a table typed with tab stops)."""
    d = g.new_document()
    g.add_paragraph(d, doc.docno, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    g.add_paragraph(d, doc.title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True)
    g.add_paragraph(d, doc.salutation, indent=False)
    for p in doc.paras:
        g.add_paragraph(d, p)
    g.add_paragraph(d, doc.annex_ref)
    g.add_paragraph(d, doc.issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    g.add_paragraph(d, doc.date, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if doc.imprint:
        p = g.add_paragraph(d, f"{doc.imprint[0]}\t{doc.imprint[1]}", indent=False, size=14)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    g.add_paragraph(d, doc.annex_label, indent=False, page_break_before=True)
    g.add_paragraph(d, doc.annex_title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=18, bold=True)
    rows = doc.table.grid.rows
    if tab_rows:
        for r in rows:
            p = g.add_paragraph(d, "\t".join(r), indent=False, size=12)
            for k in range(1, len(r)):
                p.paragraph_format.tab_stops.add_tab_stop(Mm(26 * k))
    elif split_at is None:
        g.add_table(d, g.Table(rows, dict(doc.table.grid.spans)), size=12)
    else:
        g.add_table(d, g.Table(rows[:split_at]), size=12)
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        g.add_table(d, g.Table(rows[split_at:]), size=12)
    g.save_docx(d, path, doc.title)


# =====================================================================================================
# Text
# =====================================================================================================

def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, w: int, how: str = "left") -> str:
    gap = " " * max(w - width(text), 0)
    return text + gap if how == "left" else gap + text


def fmt_tabs(grid: Grid) -> list[str]:
    return ["\t".join(r) for r in grid.rows]


def fmt_spaces(grid: Grid) -> list[str]:
    """Columns aligned with runs of spaces, one row per line (what a PDF-to-text tool or a typist gives)."""
    ws = [max(width(r[c]) for r in grid.rows) for c in range(len(grid.rows[0]))]
    return [("    ".join(pad(t, ws[c]) for c, t in enumerate(r))).rstrip() for r in grid.rows]


def fmt_pipe(grid: Grid) -> list[str]:
    out = []
    for k, r in enumerate(grid.rows):
        out.append("| " + " | ".join(r) + " |")
        if k == grid.header_rows - 1:
            out.append("|" + "|".join("---" for _ in r) + "|")
    return out


def fmt_box(grid: Grid) -> list[str]:
    ws = [max(width(r[c]) for r in grid.rows) + 2 for c in range(len(grid.rows[0]))]

    def rule(left, mid, right):
        return left + mid.join("─" * w for w in ws) + right

    def line(r):
        return "│" + "│".join(" " + pad(t, w - 1) for t, w in zip(r, ws)) + "│"

    out = [rule("┌", "┬", "┐")]
    for k, r in enumerate(grid.rows):
        out.append(line(r))
        if k == grid.header_rows - 1:
            out.append(rule("├", "┼", "┤"))
    out.append(rule("└", "┴", "┘"))
    return out


def fmt_cell_lines(grid: Grid) -> list[str]:
    """One cell per line, header words first (what copying a table out of some web pages and PDFs gives)."""
    return [t for r in grid.rows for t in r if t]


def fmt_pipe_open(grid: Grid) -> list[str]:
    """Pipe rows without the opening pipe, each cell closed by one; a blank cell is a pipe alone (`14 | ||`), as
    a web page's table comes out of its text."""
    out = []
    for r in grid.rows:
        filled = len(r)
        while filled and not r[filled - 1]:
            filled -= 1
        out.append(" | ".join(r[:filled]) + " |" + (" " + "|" * (len(r) - filled) if filled < len(r) else ""))
    return out


def fmt_pipe_cells(grid: Grid) -> list[str]:
    """One cell per line, each closed by a pipe (`单 位 |`), blanks left out."""
    return [f"{t} |" for r in grid.rows for t in r if t]


def fmt_cells_blank(grid: Grid) -> list[str]:
    """Every cell on its own line with a blank line between, a cell printed over two lines on two (blanks left
    out)."""
    out = []
    for r in grid.rows:
        for t in r:
            out += [piece for part in t.split("\n") if part for piece in (part, "")]
    return out


def fmt_box_groups(grid: Grid) -> list[str]:
    """Box drawing ruled between every row, as older documents print it: the first column a group merged down
    over its units, the group's name printed a character a line on the lines it runs through (rows and the
    rulings between them: `│ 区 ├────┼`); the header's first cell and a total's label over the group and name
    columns (the ruling's junction there without a stroke up ┬ or down ┴). Columns are not padded to one width."""
    down = {r: rs for (r, c), (rs, _) in grid.spans.items() if c == 0 and rs > 1}
    wide = {r for (r, c), (_, cs) in grid.spans.items() if c == 0 and cs == 2} | {0}
    pieces: dict = {}                       # line index within the body -> the group character printed there
    for r0, rs in down.items():
        for k, ch in enumerate(grid.rows[r0][0]):
            pieces[(r0, k)] = ch
    bar = "──────"
    out = ["┌" + bar * 2 + "┬" + "┬".join([bar] * (len(grid.rows[0]) - 2)) + "┐"]
    owner = {r: r0 for r0, rs in down.items() for r in range(r0, r0 + rs)}
    for r, row in enumerate(grid.rows):
        first = owner.get(r)
        if r in wide:
            cells = [row[0]] + row[2:]
        else:
            cells = [pieces.get((first, 2 * (r - first)), "") if first is not None else row[0]] + row[1:]
        out.append("│ " + " │ ".join(cells) + " │")
        if r == len(grid.rows) - 1:
            break
        rest = "┼".join([bar] * (len(row) - 1))
        if owner.get(r + 1) is not None and owner.get(r + 1) == first:
            out.append(f"│ {pieces.get((first, 2 * (r - first) + 1), '')} ├" + rest + "┤")
        else:
            join = "┬" if r in wide and r + 1 not in wide else "┴" if r + 1 in wide and r not in wide else "┼"
            out.append("├" + bar + join + rest + "┤")
    out.append("└" + bar * 2 + "┴" + "┴".join([bar] * (len(grid.rows[0]) - 2)) + "┘")
    return out


def fmt_flat(grid: Grid) -> list[str]:
    """The whole table on one line: header words, then name and number alternating."""
    return [" ".join(t for r in grid.rows for t in r if t)]


def text_lines(doc: Doc, table_lines: list[str]) -> list[str]:
    out = [doc.docno, doc.title, "", doc.salutation, *doc.paras, doc.annex_ref, "", doc.issuer, doc.date]
    if doc.imprint:
        out += ["", f"{doc.imprint[0]}        {doc.imprint[1]}"]
    out += ["", "", doc.annex_label, "", doc.annex_title, "", *table_lines, ""]
    return out


def build_text(doc: Doc, path: Path, fmt, encoding: str = "utf-8", newline: str = "\n") -> None:
    text = newline.join(text_lines(doc, fmt(doc.table.grid)))
    if encoding == "utf-8-bom":
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    elif encoding == "utf-16":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    else:
        data = text.encode(encoding)
    path.write_bytes(data)


# =====================================================================================================
# The layouts
# =====================================================================================================

def finding(code: str, severity: str, row_no: Optional[int] = None, table_id: Optional[str] = "t1") -> dict:
    return {"code": code, "severity": severity, "row_no": row_no, "table_id": table_id}


W3 = [50, 200, 120]                          # 序号 | 单位名称 | 任务数（人份）
W3x2 = [34, 124, 72] * 2
W3x3 = [30, 88, 52] * 3


def layouts() -> list[tuple[Doc, str, object]]:
    """(doc, writer kind, writer options) for every layout."""
    out: list[tuple[Doc, str, object]] = []

    def add(doc: Doc, kind: str, opts=None):
        check_figures(doc)
        out.append((doc, kind, opts))

    # ---------------------------------------------------------------- PDF, ruled
    rng = random.Random(101)
    names = COUNTY_UNITS[:9] + ["城关镇", "城关镇"]
    notes = [""] * 9 + ["（城区部分）", "（乡村部分）"]
    rows = items(names, pick_values(rng, 11), notes)
    rows.append(total_row(rows))
    add(notice("pdf-one-list.pdf", "ruled PDF, one list with 序号, a unit split in two rows by a bracketed note",
               "岚川县", 2024, "岚卫健", 12, std_table(rows), date=(2024, 2, 26)),
        "pdf", PdfStyle(W3))

    rng = random.Random(102)
    rows = items(DISTRICT_UNITS[:15], pick_values(rng, 15))
    rows.append(total_row(rows))
    add(notice("pdf-two-lists.pdf", "ruled PDF, two side-by-side lists (序号|单位名称|任务数 twice), 合计 at the foot "
               "of the right list", "云溪区", 2023, "云卫发", 4, std_table(rows, n_lists=2,
               header={"value": "任务数"}), date=(2023, 3, 14)),
        "pdf", PdfStyle(W3x2, size=10.5))

    rng = random.Random(103)
    rows = items(COUNTY_UNITS[:20], pick_values(rng, 20))
    rows.append(total_row(rows))
    add(notice("pdf-three-lists.pdf", "ruled PDF, three side-by-side lists in one printed table",
               "青岙县", 2024, "青卫健", 9, std_table(rows, n_lists=3, header={"value": "任务数"}),
               date=(2024, 1, 30)),
        "pdf", PdfStyle(W3x3, size=10))

    rng = random.Random(104)
    places = ["镇卫生院", "社区服务中心", "献血方舱", "流动献血车", "镇文化广场", "村委会"]
    remarks = ["", "", "含驻村企业", "", "分两次完成", "", "", "含外来务工人员", ""]
    rows = items(TOWN_UNITS[:9], pick_values(rng, 9, 20, 160, 5))
    for k, r in enumerate(rows):
        r.seq = None
        r.extra = {"地点": places[k % len(places)], "备注": remarks[k]}
    rows.append(total_row(rows))
    add(notice("pdf-no-seq-notes.pdf", "ruled PDF, no 序号 column, extra 献血地点 and 备注 columns", "柏塘镇", 2024,
               "柏府发", 3, TableSpec(rows, list_grid(rows, ("name", "value", "地点", "备注"),
                                                      header={"地点": "献血地点", "备注": "备注"}),
                                      columns=("name", "value", "地点", "备注")),
               date=(2024, 3, 1)),
        "pdf", PdfStyle([120, 100, 130, 100], align=["left", "right", "left", "left"]))

    rng = random.Random(105)
    rows = grouped_rows(rng, [("东片区", DISTRICT_UNITS[:4]), ("西片区", DISTRICT_UNITS[4:7]),
                              ("北片区", DISTRICT_UNITS[7:10])])
    add(notice("pdf-group-merged.pdf", "ruled PDF, 片区 column merged over its units and their 小计, 总计 spanning "
               "three columns", "鹤坪区", 2024, "鹤卫健", 21,
               TableSpec(rows, group_grid(rows), columns=("group", "seq", "name", "value")), date=(2024, 2, 5)),
        "pdf", PdfStyle([80, 46, 180, 110]))

    for name, repeat, region, abbr, seed in (("pdf-page-break-header.pdf", True, "枫渚县", "枫卫健", 106),
                                             ("pdf-page-break-no-header.pdf", False, "澄陂县", "澄卫健", 107)):
        rng = random.Random(seed)
        rows = items(many_villages(44), pick_values(rng, 44, 20, 200, 5))
        rows.append(total_row(rows))
        how = "with the header repeated" if repeat else "WITHOUT the header repeated"
        add(notice(name, f"ruled PDF, one list of 44 rows continuing over a page break {how}", region, 2025, abbr,
                   2, std_table(rows), date=(2025, 1, 20)),
            "pdf", PdfStyle(W3, repeat_header=repeat))

    rng = random.Random(108)
    rows = items(TOWN_UNITS[:10], pick_values(rng, 10, 20, 150, 5))
    rows.append(total_row(rows))
    grid = list_grid(rows, header={"seq": "序\n号", "name": "单位\n名称", "value": "献血任务\n（人份）"})
    add(notice("pdf-header-lines.pdf", "ruled PDF, every header cell split over two lines inside the cell",
               "梧汀镇", 2024, "梧府办", 7, TableSpec(rows, grid), date=(2024, 3, 18)),
        "pdf", PdfStyle(W3, header_h=38))

    rng = random.Random(109)
    rows = items(COUNTY_UNITS[5:15], pick_values(rng, 10))
    rows.append(total_row(rows))
    grid = list_grid(rows)
    grid.rows[0:1] = [["序", "单位", "无偿献血"], ["号", "名称", "任务数（人份）"]]
    grid.header_rows = 2
    add(notice("pdf-header-rows.pdf", "ruled PDF, header split over two ruled header rows (序/号, 单位/名称, "
               "无偿献血/任务数（人份）)", "澄陂县", 2024, "澄卫健", 15, TableSpec(rows, grid), date=(2024, 2, 19)),
        "pdf", PdfStyle(W3))

    rng = random.Random(110)
    rows = items(DISTRICT_UNITS[8:18], pick_values(rng, 10))
    rows.append(total_row(rows))
    rows[-1].name_text = "合　　计"
    add(notice("pdf-total-spaced.pdf", "ruled PDF, total row printed 合　　计 (spaced out)", "石湄区", 2024, "石卫健",
               6, std_table(rows), date=(2024, 4, 2)),
        "pdf", PdfStyle(W3))

    rng = random.Random(111)
    rows = items(COUNTY_UNITS[10:20], pick_values(rng, 10))
    rows.append(total_row(rows, "合计（人份）"))
    add(notice("pdf-total-unit.pdf", "ruled PDF, total row printed 合计（人份）, header without a unit",
               "岚川县", 2025, "岚卫健", 3, std_table(rows, header={"value": "献血任务数"}), date=(2025, 2, 14)),
        "pdf", PdfStyle(W3))

    # ---------------------------------------------------------------- PDF, unruled
    rng = random.Random(112)
    rows = items(DISTRICT_UNITS[:11], pick_values(rng, 11))
    rows.append(total_row(rows))
    add(notice("pdf-unruled.pdf", "PDF without any ruling: one list with 序号, columns aligned by x position only",
               "桐岭区", 2024, "桐卫健", 11, std_table(rows), date=(2024, 3, 7)),
        "pdf", PdfStyle(W3, ruled=False, align=["center", "left", "right"]))

    # ---------------------------------------------------------------- DOCX
    rng = random.Random(201)
    rows = items(TOWN_UNITS[:17], pick_values(rng, 17, 20, 150, 5))
    rows.append(total_row(rows))
    add(notice("docx-three-lists.docx", "DOCX, three side-by-side lists in one Word table", "苇埭镇", 2024, "苇府发",
               5, std_table(rows, n_lists=3, header={"name": "单位", "value": "任务数"}), date=(2024, 2, 22)),
        "docx")

    rng = random.Random(202)
    rows = grouped_rows(rng, [("城区片", COUNTY_UNITS[:3]), ("山区片", COUNTY_UNITS[3:7]),
                              ("直属单位", COUNTY_UNITS[10:13])], total_label="合计")
    add(notice("docx-group-vmerge.docx", "DOCX, 片区 column merged with w:vMerge over its units and 小计, 合计 with "
               "w:gridSpan over three columns", "青岙县", 2025, "青卫健", 8,
               TableSpec(rows, group_grid(rows), columns=("group", "seq", "name", "value")), date=(2025, 1, 10)),
        "docx")

    add(monthly_doc(), "docx")

    # ---------------------------------------------------------------- text
    def text_doc(name, layout, region, year, abbr, number, seed, n=10, pool=COUNTY_UNITS, header=None, **kw):
        rng = random.Random(seed)
        rows = items(pool[:n], pick_values(rng, n))
        rows.append(total_row(rows))
        return notice(name, layout, region, year, abbr, number, std_table(rows, header=header), **kw)

    add(text_doc("text-tabs.txt", "UTF-8 text, tab-separated table", "榆湾镇", 2024, "榆府发", 2, 301,
                 pool=TOWN_UNITS, date=(2024, 2, 28)), "text", (fmt_tabs,))
    add(text_doc("text-spaces.txt", "UTF-8 text, columns aligned with runs of spaces, one row per line", "云溪区",
                 2025, "云卫发", 6, 302, pool=DISTRICT_UNITS, date=(2025, 3, 3)), "text", (fmt_spaces,))
    add(text_doc("text-pipe.txt", "UTF-8 text, pipe table with a |---| line", "枫渚县", 2024, "枫卫健", 13, 303,
                 date=(2024, 1, 25)), "text", (fmt_pipe,))
    add(text_doc("text-box.txt", "UTF-8 text, box-drawing table (┌─┬─┐ │ ├─┼─┤ └─┴─┘)", "鹤坪区", 2025, "鹤卫健", 4,
                 304, pool=DISTRICT_UNITS, date=(2025, 2, 11)), "text", (fmt_box,))
    add(text_doc("text-cell-lines.txt", "UTF-8 text, one cell per line (header words, then every value on its own "
                 "line)", "梧汀镇", 2025, "梧府办", 9, 305, pool=TOWN_UNITS, date=(2025, 3, 20)), "text",
        (fmt_cell_lines,))

    rng = random.Random(306)
    rows = [TRow(org=n, portions=v) for n, v in zip(COUNTY_UNITS[:8], pick_values(rng, 8))]
    rows.append(total_row(rows))
    add(notice("text-flat.txt", "UTF-8 text, the whole table flattened into one line after the header: "
               "单位 任务数 东城镇 120 西山乡 80 … 合计 N", "石湄区", 2024, "石卫健", 10,
               TableSpec(rows, list_grid(rows, ("name", "value"), header={"name": "单位", "value": "任务数"}),
                         columns=("name", "value")), date=(2024, 3, 11)),
        "text", (fmt_flat,))

    add(text_doc("text-utf8-bom.txt", "UTF-8 with BOM, tab-separated", "柏塘镇", 2025, "柏府发", 1, 307,
                 pool=TOWN_UNITS, date=(2025, 1, 16)), "text", (fmt_tabs, "utf-8-bom"))
    add(text_doc("text-gb18030.txt", "GB18030 with CRLF line ends, tab-separated", "岚川县", 2023, "岚卫健", 17, 308,
                 date=(2023, 2, 9)), "text", (fmt_tabs, "gb18030", "\r\n"))
    add(text_doc("text-utf16.txt", "UTF-16 little-endian with BOM, tab-separated", "桐岭区", 2025, "桐卫健", 5, 309,
                 pool=DISTRICT_UNITS, date=(2025, 2, 27)), "text", (fmt_tabs, "utf-16"))

    add(traditional_doc(), "text", (fmt_pipe,))

    rng = random.Random(311)
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    rows = items(COUNTY_UNITS[:10], pick_values(rng, 10))
    rows.append(total_row(rows))
    for r in rows:
        r.seq_text = r.seq_cell.translate(full)
        r.value_text = r.value_cell.translate(full)
    total = rows[-1].portions
    doc = notice("text-fullwidth.txt", "UTF-8 text, full-width digits (１２０) in the 文号, headline, date and table",
                 "澄陂县", 2025, "澄卫健", 8, std_table(rows), date=(2025, 3, 6),
                 headline=str(total).translate(full) + "人份",
                 docno_text="澄卫健〔２０２５〕８号", date_text="２０２５年３月６日")
    doc.paras = [p.replace("每人份200毫升", "每人份２００毫升") for p in doc.paras]
    add(doc, "text", (fmt_tabs,))

    rng = random.Random(312)
    rows = items(COUNTY_UNITS[:10], pick_values(rng, 10))
    rows.append(total_row(rows))
    for r in rows:
        r.name_text = " ".join(r.name_cell)
    add(notice("text-spaced-names.txt", "UTF-8 text, names printed with a space between characters (东 城 镇), "
               "columns aligned with runs of spaces", "青岙县", 2023, "青卫健", 14, std_table(rows),
               date=(2023, 3, 22)),
        "text", (fmt_spaces,))

    rng = random.Random(313)
    hundredths = [rng.randrange(20, 60) for _ in range(7)]
    hundredths.append(320 - sum(hundredths))
    assert hundredths[-1] > 0
    rows = items(DISTRICT_UNITS[:8], [h * 100 for h in hundredths])
    for r, h in zip(rows, hundredths):
        r.value_text = f"{h / 100:.2f}"
    rows.append(total_row(rows))
    rows[-1].value_text = "3.20"
    add(notice("text-wan.txt", "UTF-8 text, headline 3.2万人份 and a table in （万人份） with decimal values", "金湾区",
               2024, "金卫健", 2, TableSpec(rows, list_grid(rows, header={"value": "任务数（万人份）"}), unit="万人份"),
               date=(2024, 2, 2), headline="3.2万人份"),
        "text", (fmt_tabs,))

    rng = random.Random(314)
    rows = items(TOWN_UNITS[:8], pick_values(rng, 8, 20, 120, 5))
    rows.append(total_row(rows))
    for r in rows:
        r.value_text = str(r.portions * 200)
    add(notice("text-unit-ml.txt", "UTF-8 text, a table in 毫升 (献血量（毫升）) converted with 每人份200毫升",
               "苇埭镇", 2025, "苇府发", 6, TableSpec(rows, list_grid(rows, header={"value": "献血量（毫升）"}),
                                                   unit="毫升"), date=(2025, 3, 12)),
        "text", (fmt_tabs,))

    add(text_doc("text-date-cn.txt", "UTF-8 text, signing date in Chinese numerals (二〇二四年三月五日)", "榆湾镇", 2024,
                 "榆府发", 8, 315, pool=TOWN_UNITS, date=(2024, 3, 5), date_text="二〇二四年三月五日"),
        "text", (fmt_tabs,))
    add(text_doc("text-date-run.txt", "UTF-8 text, imprint line with the date's digits run together "
                 "(20240312印发)", "桐岭区", 2024, "桐卫健", 12, 316, pool=DISTRICT_UNITS, date=(2024, 3, 8),
                 imprint=("桐岭区卫生健康委员会办公室", "20240312印发"), issued_on="2024-03-12"),
        "text", (fmt_tabs,))
    for name, printed, seed, region, abbr in (("text-docno-square.txt", "[2024]", 317, "岚川县", "岚卫健"),
                                              ("text-docno-tortoise.txt", "﹝2024﹞", 318, "鹤坪区", "鹤卫健"),
                                              ("text-docno-paren.txt", "(2024)", 319, "柏塘镇", "柏府发")):
        pool = {"县": COUNTY_UNITS, "区": DISTRICT_UNITS, "镇": TOWN_UNITS}[region[-1]]
        add(text_doc(name, f"UTF-8 text, 文号 printed with {printed[0]}{printed[-1]} brackets", region, 2024, abbr, 20,
                     seed, pool=pool, date=(2024, 4, 1), docno_text=f"{abbr}{printed}20号"),
            "text", (fmt_tabs,))

    # ---------------------------------------------------------------- real page shapes (issue 12)
    add_real_shapes(add)

    # ---------------------------------------------------------------- findings
    rng = random.Random(401)
    rows = items(COUNTY_UNITS[:8], pick_values(rng, 8))
    rows.append(total_row(rows))
    add(notice("find-annex-year.docx", "DOCX, the annex title says 2023 in a 2024 notice (year-mismatch)", "枫渚县",
               2024, "枫卫健", 19, std_table(rows), date=(2024, 2, 15), annex_title="2023年枫渚县无偿献血任务分配表",
               annex_ref_title="2024年枫渚县无偿献血任务分配表", findings=[finding("year-mismatch", "warning")]),
        "docx")

    rng = random.Random(402)
    rows = items(DISTRICT_UNITS[:8], pick_values(rng, 8))
    rows.append(total_row(rows))
    add(notice("find-signed-early.txt", "UTF-8 text, a 2024 plan signed on 2022-03-05, before the year it plans for "
               "(year-mismatch)", "石湄区", 2024, "石卫健", 5, std_table(rows), date=(2022, 3, 5),
               findings=[finding("year-mismatch", "warning", table_id=None)]),
        "text", (fmt_tabs,))

    rng = random.Random(403)
    rows = [TRow(org=n, portions=v, seq=k + 1) for k, (n, v) in
            enumerate(zip(COUNTY_UNITS[:9], pick_values(rng, 8, 40, 200, 5) + [0]))]
    rows[-1].portions = 1210 - sum(r.portions for r in rows[:-1])
    assert rows[-1].portions > 0
    doc = notice("find-prose-total.txt", "UTF-8 text, no 合计 row; the prose states 附件1所列各单位合计1250人份 and the "
                 "table adds up to 1210 (target-mismatch)", "澄陂县", 2023, "澄卫健", 7,
                 std_table(rows), date=(2023, 2, 20), total_target=1500, annex_label="附件1",
                 goal_extra=("附件1所列各单位合计1250人份，其余250人份由县献血屋和流动献血车完成。",),
                 findings=[finding("target-mismatch", "error", table_id=None)])
    doc.paras = [p.replace("各单位任务数见附件。", "各单位任务数见附件1。") for p in doc.paras]
    doc.annex_ref = doc.annex_ref.replace("附件：", "附件：1.")
    add(doc, "text", (fmt_tabs,))

    rng = random.Random(404)
    names = TOWN_UNITS[:9]
    names = names[:7] + [names[2]] + names[7:]
    rows = items(names, pick_values(rng, 10, 20, 150, 5))
    rows.append(total_row(rows))
    add(notice("find-duplicate.pdf", f"ruled PDF, {names[2]} listed twice (序号 3 and 8) (duplicate-org)", "梧汀镇",
               2025, "梧府办", 4, std_table(rows), date=(2025, 2, 6),
               findings=[finding("duplicate-org", "warning", 8)]),
        "pdf", PdfStyle(W3))

    rng = random.Random(405)
    rows = items(DISTRICT_UNITS[10:20], pick_values(rng, 10))
    rows.append(total_row(rows))
    rows[-1].portions += 30                 # the 合计 as printed was not updated after a figure changed
    add(notice("find-total-mismatch.pdf", "ruled PDF, 合计 is 30 more than its items (total-mismatch)", "云溪区", 2024,
               "云卫发", 16, std_table(rows), date=(2024, 3, 26),
               findings=[finding("total-mismatch", "error", 11)]),
        "pdf", PdfStyle(W3))

    rng = random.Random(406)
    rows = items(COUNTY_UNITS[2:12], pick_values(rng, 10))
    rows[5].seq_text, rows[5].seq_inferred = "", True
    rows.append(total_row(rows))
    add(notice("find-seq-missing.pdf", "ruled PDF, row 6 has a blank 序号 (seq-missing, 6 inferred)", "青岙县", 2024,
               "青卫健", 22, std_table(rows), date=(2024, 4, 8),
               findings=[finding("seq-missing", "warning", 6)]),
        "pdf", PdfStyle(W3))

    rng = random.Random(407)
    rows = items(TOWN_UNITS[3:13], pick_values(rng, 10, 20, 150, 5))
    for r in rows[5:]:
        r.seq += 1                          # 序号 5 is followed by 7
    rows.append(total_row(rows))
    add(notice("find-seq-gap.txt", "UTF-8 text, 序号 skips 6 (seq-gap)", "苇埭镇", 2023, "苇府发", 9, std_table(rows),
               date=(2023, 1, 18), findings=[finding("seq-gap", "error", 6)]),
        "text", (fmt_tabs,))
    return out


def add_real_shapes(add) -> None:
    """Layouts of the shapes real notices print their tables in: unruled PDFs over a page break without the header
    again, side-by-side lists of unequal length (an empty half in the last rows), a name over two lines, Word
    tables split at a page break, and page texts as web pages give them (pipes without the opening one, one cell
    per line, blank lines between cells, box drawing with a merged group column, a list in one sentence)."""
    rng = random.Random(501)
    names = many_villages(52)
    rows = [TRow(org=n, portions=v) for n, v in zip(names, pick_values(rng, 52, 3, 40, 1))]
    rows.append(total_row(rows))
    total = rows[-1].portions
    add(notice("pdf-unruled-page-break.pdf", "PDF without rulings, one list without 序号 (献血单位 | 任务数（人）) "
               "running over a page break WITHOUT its header printed again", "桐岭区", 2025, "桐卫健", 9,
               TableSpec(rows, list_grid(rows, ("name", "value"), header={"name": "献血单位", "value": "任务数（人）"}),
                         unit="人", columns=("name", "value")), date=(2025, 3, 17), headline=f"{total}人"),
        "pdf", PdfStyle([200, 120], ruled=False, align=["left", "right"]))

    rng = random.Random(511)
    rows = items(many_villages(50), pick_values(rng, 50, 20, 200, 5))
    rows.append(total_row(rows))
    add(notice("pdf-page-break-open.pdf", "ruled PDF, one list running over a page break without its header again, "
               "the rulings at the break NOT drawn (the last row on the page has no bottom line, the first on the "
               "next no top line)", "鹤坪区", 2025, "鹤卫健", 23, std_table(rows), date=(2025, 3, 31)),
        "pdf", PdfStyle(W3, open_break=True))

    rng = random.Random(502)
    rows = items(TOWN_UNITS[:13], pick_values(rng, 13, 3, 30, 1))
    rows[2].note, rows[2].name_text = "（含渔业村）", f"{rows[2].org}\n（含渔业村）"
    rows.append(total_row(rows))
    add(notice("pdf-unruled-two-lists-uneven.pdf", "PDF without rulings, two side-by-side lists of 序号|单位名称|任务数, "
               "the right one longer: its last rows have an EMPTY LEFT half; a name printed over two lines",
               "柏塘镇", 2025, "柏府发", 11, TableSpec(rows, uneven_grid(rows, 6), n_lists=2), date=(2025, 2, 24)),
        "pdf", PdfStyle(W3x2, size=10.5, row_h=30, ruled=False))

    rng = random.Random(503)
    rows = [TRow(org=n, portions=v) for n, v in zip(TOWN_UNITS[4:15], pick_values(rng, 11, 1, 25, 1))]
    rows[0].note, rows[0].name_text = "（含驻地企业）", f"{rows[0].org}\n（含驻地企业）"
    total = sum(r.portions for r in rows)
    add(notice("pdf-two-lists-uneven.pdf", "ruled PDF, two side-by-side lists without 序号 (单 位 | 任务数(人)), the "
               "right one shorter (an EMPTY RIGHT half in the last row), a name over two lines, no 合计",
               "梧汀镇", 2025, "梧府办", 13, TableSpec(rows, uneven_grid(rows, 6, ("name", "value"),
                                                                     {"name": "单 位", "value": "任务数(人)"}),
                                                     unit="人", n_lists=2, columns=("name", "value")),
               date=(2025, 3, 27), headline=f"{total}人"),
        "pdf", PdfStyle([120, 80] * 2, row_h=34))

    rng = random.Random(504)
    rows = items(many_villages(40), pick_values(rng, 40, 20, 200, 5))
    rows.append(total_row(rows))
    add(notice("docx-page-break-no-header.docx", "DOCX, one list of 40 rows printed as two Word tables split at a "
               "page break, the second WITHOUT the header", "澄陂县", 2025, "澄卫健", 14, std_table(rows),
               date=(2025, 3, 5)),
        "docx", {"split_at": 25})

    rng = random.Random(505)
    rows = items(COUNTY_UNITS[:15], pick_values(rng, 15))
    rows.append(total_row(rows))
    add(notice("docx-two-lists-uneven.docx", "DOCX, two side-by-side lists, the left one shorter: the last rows "
               "have an EMPTY LEFT half", "青岙县", 2025, "青卫健", 16,
               TableSpec(rows, uneven_grid(rows, 6), n_lists=2), date=(2025, 2, 12)),
        "docx")

    rng = random.Random(514)
    rows = items(many_villages(30), pick_values(rng, 30, 20, 200, 5))
    rows.append(total_row(rows))
    grid = list_grid(rows, n_lists=2)
    grid.rows[0:1] = [["序", "单位", "无偿献血"] * 2, ["号", "名称", "任务数（人份）"] * 2]
    grid.header_rows = 2
    add(notice("pdf-unruled-header-rows.pdf", "PDF without rulings, two side-by-side lists under a header printed "
               "over two lines, each line a piece of every column (序 单位 无偿献血 / 号 名称 任务数（人份）)", "岚川县",
               2025, "岚卫健", 25, TableSpec(rows, grid, n_lists=2), date=(2025, 4, 9)),
        "pdf", PdfStyle(W3x2, ruled=False))

    rng = random.Random(515)
    rows = items(TOWN_UNITS[:14], pick_values(rng, 14, 3, 40, 1))
    rows.append(total_row(rows))
    add(notice("pdf-body-unruled.pdf", "PDF ruled in columns, with rulings under the header and at the foot but NONE "
               "between the body's rows (the body one row of tall cells to a table finder); two lists, the left "
               "one shorter", "石湄区", 2025, "石卫健", 26, TableSpec(rows, uneven_grid(rows, 7), n_lists=2),
               date=(2025, 4, 14)),
        "pdf", PdfStyle(W3x2, size=10.5, row_rules=False))

    rng = random.Random(516)
    rows = items(COUNTY_UNITS[:9], pick_values(rng, 9))
    rows.append(total_row(rows))
    body = rows[:-1]
    grid = Grid([[STD_HEADER[c] for c in ("seq", "name", "value")],
                 ["\n".join(cell(r, c) for r in body) for c in ("seq", "name", "value")],
                 ["", rows[-1].org, rows[-1].value_cell]])
    add(notice("docx-packed-cells.docx", "DOCX, a Word table typed with line breaks inside its cells: the body one "
               "row whose cells list every unit, 序号 and figure one per line; 合计 in a row of its own", "枫渚县", 2025,
               "枫卫健", 27, TableSpec(rows, grid), date=(2025, 4, 16)),
        "docx")

    rng = random.Random(512)
    rows = [TRow(org=n, portions=v) for n, v in zip(many_villages(64), pick_values(rng, 64, 1, 30, 1))]
    total = sum(r.portions for r in rows)
    add(notice("pdf-rows-ruled.pdf", "PDF ruled between rows and framed, NO rulings between the cells of a row: two "
               "lists (单 位 | 任务数(人)) running over a page break", "青岙县", 2025, "青卫健", 24,
               TableSpec(rows, list_grid(rows, ("name", "value"), {"name": "单 位", "value": "任务数(人)"}, 2),
                         unit="人", n_lists=2, columns=("name", "value")), date=(2025, 4, 7), headline=f"{total}人"),
        "pdf", PdfStyle([120, 80] * 2, row_h=24, rows_only=True))

    rng = random.Random(513)
    rows = items(TOWN_UNITS[:13], pick_values(rng, 13, 3, 30, 1))
    rows.append(total_row(rows))
    add(notice("docx-tab-stops.docx", "DOCX without a Word table: a paragraph per row, cells between tabs; two lists, "
               "the left one shorter (its half of the last rows left as empty tabs)", "榆湾镇", 2025, "榆府发", 21,
               TableSpec(rows, uneven_grid(rows, 6), n_lists=2), date=(2025, 2, 6)),
        "docx", {"tab_rows": True})

    add_real_texts(add)


def add_real_texts(add) -> None:
    rng = random.Random(506)
    names = ["青石社區(qū)", "白沙村", "龍頭橋村", "柳塘村", "南坡村", "北岗村"]
    plain = ["青石社区", "白沙村", "龙头桥村", "柳塘村", "南坡村", "北岗村"]
    rows = [TRow(org=n.replace("(", "（").replace(")", "）"), portions=v, name_text=n, org_normalized=p,
                 extra={"献血时间": "2025年4月8日", "献血地点": "镇卫生院"} if k == 0 else {})
            for k, (n, p, v) in enumerate(zip(names, plain, pick_values(rng, 6, 5, 30, 1)))]
    rows.append(total_row(rows, "合 计"))
    add(notice("text-pipe-open.txt", "UTF-8 text, pipe rows without the opening pipe (单位 | 任务数(人) | 献血时间 | "
               "献血地点 |), time and place printed once and left blank under (`||`), names with pinyin debris "
               "(社區(qū)), 合 计", "榆湾镇", 2025, "榆府发", 12,
               TableSpec(rows, list_grid(rows, ("name", "value", "献血时间", "献血地点"),
                                         header={"name": "献血单位", "value": "任务数(人)"}), unit="人",
                         columns=("name", "value", "献血时间", "献血地点")),
               date=(2025, 4, 1), headline=f"{rows[-1].portions}人"),
        "text", (fmt_pipe_open,))

    rng = random.Random(507)
    rows = [TRow(org=n, portions=v) for n, v in zip(TOWN_UNITS[:9], pick_values(rng, 9, 1, 12, 1))]
    grid = list_grid(rows + [TRow(org="杏林村")], ("name", "value"), {"name": "单 位", "value": "任务数(人)"}, 2)
    add(notice("text-pipe-cells.txt", "UTF-8 text, two side-by-side lists copied one cell per line, each cell "
               "closed by a pipe (`单 位 |`); the text is CUT OFF after a name whose figure never comes",
               "苇埭镇", 2025, "苇府发", 15, TableSpec(rows, grid, unit="人", n_lists=2, columns=("name", "value")),
               date=(2025, 3, 9), total_target=sum(r.portions for r in rows) + 8),
        "text", (fmt_pipe_cells,))

    rng = random.Random(508)
    rows = items(DISTRICT_UNITS[:11], pick_values(rng, 11, 5, 60, 1))
    rows[0].note, rows[0].name_text = "（含驻地企业）", f"{rows[0].org}\n（含驻地企业）"
    rows.append(total_row(rows))
    add(notice("text-cells-blank-lines.txt", "UTF-8 text, two side-by-side lists of 序号|单位名称|任务数 with every "
               "cell on its own line and a blank line between, a name over two lines, 合计 at the foot",
               "金湾区", 2025, "金卫健", 7, std_table(rows, n_lists=2), date=(2025, 1, 27)),
        "text", (fmt_cells_blank,))

    add(box_groups_doc(), "text", (fmt_box_groups,))
    add(sentence_doc(), "text", (lambda grid: [],))


def box_groups_doc() -> Doc:
    """Box drawing with a group column merged down over its units (东片 / 西片), its name a character a line."""
    rng = random.Random(509)
    members = [("东片", COUNTY_UNITS[:3]), ("西片", COUNTY_UNITS[3:5]), ("北片", COUNTY_UNITS[5:8])]
    notes = ["上午", "下午", "", "", "上午", "", "", ""]
    rows = []
    for gname, names in members:
        rows += [TRow(org=n, portions=rng.randrange(60, 300, 10), group=gname) for n in names]
    for r, note in zip(rows, notes):
        r.extra = {"备注": note}
    rows.append(total_row(rows, "合 计"))
    out = [["单 位", "", "任务数（人份）", "备注"]]
    spans = {(0, 0): (1, 2)}
    for gname, names in members:
        spans[(len(out), 0)] = (len(names), 1)
        out += [[gname if k == 0 else "", n.org, str(n.portions), n.extra["备注"]]
                for k, n in enumerate(r for r in rows if r.group == gname)]
    spans[(len(out), 0)] = (1, 2)
    out.append(["合 计", "", str(rows[-1].portions), ""])
    grid = Grid(out, spans=spans)
    return notice("text-box-groups.txt", "UTF-8 text, box drawing ruled between every row: a group column merged "
                  "down over its units (its name a character a line, through the rulings: │ 片 ├────┼), the header's "
                  "单 位 and the 合 计 over the group and name columns", "鹤坪区", 2025, "鹤卫健", 17,
                  TableSpec(rows, grid, columns=("group", "name", "value", "备注")), date=(2025, 4, 3))


def sentence_doc() -> Doc:
    """An allocation written as one sentence in the body (名额分配：A 3人；B 2人、C 4人…), no annex table."""
    rng = random.Random(510)
    names = ["办公室", "财务科", "人事科", "后勤科", "保卫科", "信息科"]
    rows = [TRow(org=n, portions=v) for n, v in zip(names, pick_values(rng, 6, 1, 6, 1))]
    total = sum(r.portions for r in rows)
    parts = [f"{r.org}{r.portions}人" for r in rows]
    sentence = "各科室名额分配为：" + "；".join(["、".join(parts[:3]), "、".join(parts[3:])]) + "。"
    doc = notice("text-sentence.txt", "UTF-8 text, the allocation written as one sentence after a colon (各科室名额分配为："
                 "办公室2人、财务科1人；…), separators mixed, no table", "石湄区", 2025, "石卫健", 19,
                 TableSpec(rows, Grid([["单位", "数量（人）"]]), unit="人", columns=("name", "value")),
                 date=(2025, 2, 18), headline=f"{total}人", goal_extra=(sentence,))
    doc.annex_ref = ""
    doc.annex_label = doc.annex_title = ""
    return doc


def monthly_doc() -> Doc:
    """A town's monthly collection plan: month cells merged over the units of a month (w:vMerge), one unit whose
    figure is one cell over two months, 合计 over the month and name columns (w:gridSpan)."""
    plan = [  # (month, unit, portions or None when the value cell above covers it)
        (1, "上林村", 120), (1, "下坝村", 95),
        (3, "湖滨社区", 140),
        (4, "双塘村", 110), (4, "白鹭村", 85), (4, "镇中心小学", 60),
        (5, "桥头社区", 130),
        (6, "镇卫生院", 75),
        (8, "荷花村", 210), (9, "荷花村", None),
        (9, "桑园村", 90),
        (10, "新港社区", 150), (10, "东渡村", 70),
        (11, "芦湾村", 105),
        (12, "镇机关", 115),
    ]
    cn = ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"]
    rows: list[TRow] = []
    grid_rows = [["月份", "单位名称", "计划数（人份）"]]
    spans = {}
    r = 1
    i = 0
    while i < len(plan):
        month = plan[i][0]
        j = i
        while j < len(plan) and plan[j][0] == month:
            j += 1
        if j - i > 1:
            spans[(r, 0)] = (j - i, 1)
        for k in range(i, j):
            _, unit, value = plan[k]
            grid_rows.append([cn[month - 1] if k == i else "", unit, "" if value is None else str(value)])
            if value is None:
                spans[(r - 1, 2)] = (2, 1)
                rows[-1].month_to = month
            else:
                rows.append(TRow(org=unit, portions=value, month_from=month, month_to=month))
            r += 1
        i = j
    total = sum(x.portions for x in rows)
    rows.append(TRow(org="合计", portions=total, row_type="total"))
    grid_rows.append(["合计", "", str(total)])
    spans[(r, 0)] = (1, 2)
    table = TableSpec(rows, Grid(grid_rows, spans=spans), kind="monthly", columns=("month", "name", "value"))
    return notice("docx-monthly-merged.docx", "DOCX, monthly plan: month cells merged over their units (w:vMerge), "
                  "荷花村's figure one cell over 八月 and 九月, 合计 over two columns", "榆湾镇", 2025, "榆府发", 3, table,
                  date=(2025, 1, 8), annex_title="2025年榆湾镇无偿献血月份计划表")


def traditional_doc() -> Doc:
    """A notice in traditional characters: names kept as printed, with simplified forms for matching."""
    units = [("東城鎮", "东城镇"), ("西山鄉", "西山乡"), ("南湖街道", "南湖街道"), ("龍潭鎮", "龙潭镇"),
             ("雙橋鄉", "双桥乡"), ("縣教育局", "县教育局"), ("縣衛生健康局", "县卫生健康局"), ("縣人民醫院", "县人民医院"),
             ("縣稅務局", "县税务局"), ("縣實驗中學", "县实验中学")]
    rng = random.Random(310)
    rows = items([t for t, _ in units], pick_values(rng, len(units)))
    for r, (_, s) in zip(rows, units):
        r.org_normalized = s
    rows.append(total_row(rows, "合計"))
    rows[-1].org_normalized = "合计"
    total = rows[-1].portions
    table = TableSpec(rows, list_grid(rows, header={"seq": "序號", "name": "單位名稱", "value": "任務數（人份）"}))
    doc = Doc(
        name="text-traditional.txt", layout="UTF-8 text in traditional characters (關於做好…的意見, 序號|單位名稱|任務數, "
        "合計), pipe table, date with ○", region="嵐川縣", year=2025, docno="嵐衛健〔2025〕6號",
        docno_canonical="嵐衛健〔2025〕6號", title="關於做好2025年嵐川縣無償獻血工作的意見",
        salutation="各鄉鎮人民政府、街道辦事處，縣級各有關單位：",
        paras=["為貫徹落實《中華人民共和國獻血法》，保障臨床用血需求和用血安全，現就做好2025年嵐川縣無償獻血工作提出如下意見。",
               "一、工作目標",
               f"2025年全縣無償獻血總量為{total}人份（每人份200毫升），各單位任務數見附件。",
               "二、工作要求",
               "（一）加強組織領導。各單位要把無償獻血工作列入本單位年度工作計劃，明確一名分管領導和一名聯絡員。",
               "（二）廣泛宣傳動員。充分利用廣播、電視、網絡等媒體宣傳無償獻血知識，營造良好的社會氛圍。"],
        annex_ref="附件：2025年嵐川縣無償獻血任務分配表", issuer="嵐川縣衛生健康局", date="二○二五年三月四日",
        signed_on="2025-03-04", annex_label="附件", annex_title="2025年嵐川縣無償獻血任務分配表", table=table,
        total_target=total,
        facts_simplified={"title": "关于做好2025年岚川县无偿献血工作的意见", "region": "岚川县",
                          "doc_number": "岚卫健〔2025〕6号", "issuer": "岚川县卫生健康局"})
    return doc


# =====================================================================================================

def write(doc: Doc, kind: str, opts, out: Path) -> None:
    path = out / doc.name
    if kind == "pdf":
        build_pdf(doc, path, opts)
    elif kind == "docx":
        build_docx(doc, path, **(opts or {}))
    else:
        build_text(doc, path, *opts)
    (out / f"{doc.name}.truth.json").write_text(dump(doc.truth()), encoding="utf-8")


def dump(value, indent: str = "") -> str:
    """JSON with one row (or finding) per line, so a truth file reads like its table and diffs row by row."""
    one = lambda v: json.dumps(v, ensure_ascii=False)       # noqa: E731
    inner = indent + "  "
    if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
        body = ",\n".join(f"{inner}{one(k)}: {dump(v, inner)}" for k, v in value.items())
        return "{\n" + body + "\n" + indent + "}" + ("" if indent else "\n")
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        body = ",\n".join(inner + dump(v, inner) for v in value)
        return "[\n" + body + "\n" + indent + "]"
    return one(value)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(HERE / "layouts"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    g.register_font()
    made = layouts()
    names = [d.name for d, _, _ in made]
    assert len(set(names)) == len(names), "two layouts with one name"
    for doc, kind, opts in made:
        write(doc, kind, opts, out)
    print(f"{len(made)} layouts written to {out}")
    written = {n for name in names for n in (name, f"{name}.truth.json")}
    for stale in sorted(p.name for p in out.iterdir() if p.name not in written):
        print(f"warning: {out / stale} is not a layout of this script (left as it is)")


if __name__ == "__main__":
    main()
