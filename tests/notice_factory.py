"""Invented notices, written from scratch, as plain text, DOCX and PDF.

Nothing here comes from the samples: the units, figures, dates and wording are made up, so a test can state
what the notice says (the figures it prints) and check the pipeline's reading against that.

    spec = linjiang()                                  # 关于做好2023年临江县无偿献血工作的意见
    spec.write(tmp_path / "linjiang.pdf")              # or .docx, .txt; write_text(path, "gb18030")
    spec.change("城关镇", 990).drop("县公安局").unnumber("河口镇").with_total(4880)   # each returns a copy

The notice has a 文号 on a line of its own, a title, a salutation, numbered sections with the headline target
(总量 and its sub-targets), the issuer and the signing date, an imprint line with the 印发 date, and annex
tables: a target table (one list, or two lists side by side) with a 合计 row and, optionally, a monthly plan
whose month cell is merged over two rows and whose value cell is merged over two months.

Formats:
  text  tables as tab-separated rows; a merged cell is printed once and leaves blanks in the rows it covers
  docx  real Word tables; merges made with python-docx's cell.merge (w:vMerge / w:gridSpan)
  pdf   reportlab, the font embedded (or a CID font not embedded), paragraphs wrapped and justified to the margin, page numbers in the
        footer, each annex on its own page as a ruled table (each cell outlined with lines; a merged cell
        drawn once over its span, its text centred in it)
"""
from __future__ import annotations

import copy
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

WQY_FILE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


# ============================================================================================ what is printed


@dataclass
class Unit:
    """A row of the target table."""

    seq: Optional[int]          # the 序号 printed; None = the row is printed without one
    org: str                    # the unit as printed, bracketed note included: 县教育局（含各学校）
    portions: int


@dataclass
class PlanRow:
    """A row of the monthly plan. A blank month or value is covered by the merged cell above it."""

    month: str                  # 一月 …; "" = covered by the month cell of the row above (merged over both)
    org: str
    portions: Optional[int]     # None = covered by the value cell of the row above (merged over both)


@dataclass
class Grid:
    """A printed table: rows of cell texts, and merged regions by their top-left cell."""

    rows: list[list[str]]
    spans: dict = field(default_factory=dict)           # (row, col) -> (rowspan, colspan)
    widths: list[float] = field(default_factory=list)   # column widths in points, for the PDF

    def covered(self) -> set:
        out = set()
        for (r, c), (rs, cs) in self.spans.items():
            out |= {(r + i, c + j) for i in range(rs) for j in range(cs)} - {(r, c)}
        return out

    def texts(self) -> list[list[str]]:
        """As a reader of the printed page sees it: a merged cell's text once, blanks where it covers."""
        cov = self.covered()
        return [["" if (r, c) in cov else t for c, t in enumerate(row)] for r, row in enumerate(self.rows)]


@dataclass
class NoticeSpec:
    year: int
    region: str                          # 临江县
    scope: str                           # 全县
    doc_number: str                      # 临卫发〔2023〕12号
    salutation: str
    issuer: str
    signed: tuple[int, int, int]
    printed: Optional[tuple[int, int, int]]   # 印发 date on the imprint line; None = no imprint line
    printer: str                         # the office on the imprint line
    total_target: int                    # the headline 总量
    unit_ml: int
    subtargets: list[tuple[str, int]]    # (label, portions) after 其中
    alloc_title: str
    alloc_header: tuple[str, str, str]   # 序号, 单位名称, the value column
    units: list[Unit]
    lists: int = 1                       # the target table prints 1 list, or 2 lists side by side
    stated_total: Optional[int] = None   # the 合计 printed; None = the sum of the units
    plan_title: str = ""
    plan_header: tuple[str, str, str] = ("月份", "单位", "计划献血数")
    plan: list[PlanRow] = field(default_factory=list)
    plan_total: Optional[int] = None     # None = the sum of the plan rows
    kind_word: str = "意见"              # the title ends 的意见 / 的通知
    cn_dates: bool = False               # dates printed 二〇二三年三月五日 rather than 2023年3月5日

    # ---------------------------------------------------------------------------- derived, as printed

    @property
    def title(self) -> str:
        return f"关于做好{self.year}年{self.region}无偿献血工作的{self.kind_word}"

    @property
    def total_printed(self) -> int:
        return self.stated_total if self.stated_total is not None else sum(u.portions for u in self.units)

    @property
    def plan_total_printed(self) -> int:
        return self.plan_total if self.plan_total is not None else sum(p.portions or 0 for p in self.plan)

    def date_text(self, d: tuple[int, int, int]) -> str:
        if self.cn_dates:
            return f"{_cn_year(d[0])}年{_cn_small(d[1])}月{_cn_small(d[2])}日"
        return f"{d[0]}年{d[1]}月{d[2]}日"

    @staticmethod
    def iso(d: Optional[tuple[int, int, int]]) -> str:
        return f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}" if d else ""

    def annex_labels(self) -> list[tuple[str, str]]:
        """(label, title) of each annex, in order: 附件1, 附件2 (just 附件 when there is only one)."""
        titles = [self.alloc_title] + ([self.plan_title] if self.plan else [])
        if len(titles) == 1:
            return [("附件", titles[0])]
        return [(f"附件{i}", t) for i, t in enumerate(titles, start=1)]

    @property
    def headline(self) -> str:
        text = f"{self.year}年，{self.scope}无偿献血总量为 {self.total_target} 人份（每人份 {self.unit_ml} 毫升）"
        if self.subtargets:
            text += "，其中" + "，".join(f"{label} {n} 人份" for label, n in self.subtargets)
        return text + "。"

    def paragraphs(self) -> list[tuple[str, str]]:
        """The body as (kind, text): docno, title, salutation, p, h1, annexlist, sign, date, imprint."""
        annexes = self.annex_labels()
        out = [
            ("docno", self.doc_number),
            ("title", self.title),
            ("salutation", self.salutation),
            ("p", f"为保障{self.region}临床用血需求和血液安全，根据《中华人民共和国献血法》和省、市有关规定，"
                  f"结合本地实际，" + (f"现就做好{self.year}年{self.region}无偿献血工作提出如下意见："
                                       if self.kind_word == "意见" else
                                       f"现将做好{self.year}年{self.region}无偿献血工作的有关事项通知如下：")),
            ("h1", "一、工作目标"),
            ("p", self.headline),
            ("h1", "二、工作要求"),
            ("p", "（一）加强组织领导。各单位要把无偿献血工作列入年度工作计划，明确一名分管负责同志和一名联络员，"
                  "按照分解的任务数组织本单位、本辖区的健康适龄公民参加无偿献血，确保全年任务按时完成。"),
            ("p", "（二）均衡组织采集。各单位要按照月份计划安排团体献血活动，中心血站负责调配采血车辆和采血人员，"
                  "做到淡季不淡、旺季不乱，保持血液库存稳定，遇有特殊情况及时与血站沟通调整。"),
            ("p", "（三）加强宣传表彰。各单位要利用世界献血者日等时间节点广泛开展宣传，对完成任务好的单位和个人"
                  "给予通报表扬，对献血者按规定落实用血优惠政策，营造全社会支持无偿献血的良好氛围。"),
        ]
        if len(annexes) == 1:
            out.append(("annexlist", f"附件：{annexes[0][1]}"))
        else:
            out.append(("annexlist", f"附件：1. {annexes[0][1]}"))
            for i, (_, t) in enumerate(annexes[1:], start=2):
                out.append(("annexlist2", f"{i}. {t}"))
        out.append(("sign", self.issuer))
        out.append(("date", self.date_text(self.signed)))
        if self.printed:
            out.append(("imprint", f"{self.printer}\t{self.date_text(self.printed)}印发"))
        return out

    # ---------------------------------------------------------------------------- tables

    def alloc_grid(self) -> Grid:
        seq_h, name_h, value_h = self.alloc_header
        entries = [["" if u.seq is None else str(u.seq), u.org, str(u.portions)] for u in self.units]
        total = ["", "合计", str(self.total_printed)]
        if self.lists == 1:
            return Grid([[seq_h, name_h, value_h]] + entries + [total], widths=[44, 190, 110])
        # two lists side by side: the left list, then the right list with 合计 on the last printed row
        k = math.ceil((len(entries) + 1) / 2)
        left, right = entries[:k], entries[k:]
        right = right + [["", "", ""]] * (k - len(right) - 1) + [total]
        rows = [[seq_h, name_h, value_h] * 2] + [a + b for a, b in zip(left, right)]
        return Grid(rows, widths=[34, 132, 76] * 2)

    def plan_grid(self) -> Grid:
        rows = [list(self.plan_header)]
        spans: dict = {}
        month_origin = value_origin = None
        for p in self.plan:
            r = len(rows)
            rows.append([p.month, p.org, "" if p.portions is None else str(p.portions)])
            if p.month:
                month_origin = (r, 0)
            else:
                rs, cs = spans.get(month_origin, (1, 1))
                spans[month_origin] = (rs + 1, cs)
            if p.portions is not None:
                value_origin = (r, 2)
            else:
                rs, cs = spans.get(value_origin, (1, 1))
                spans[value_origin] = (rs + 1, cs)
        r = len(rows)
        rows.append(["合计", "", str(self.plan_total_printed)])
        spans[(r, 0)] = (1, 2)
        return Grid(rows, spans, widths=[70, 200, 100])

    def grids(self) -> list[Grid]:
        return [self.alloc_grid()] + ([self.plan_grid()] if self.plan else [])

    # ---------------------------------------------------------------------------- variations (copies)

    def _copy(self) -> "NoticeSpec":
        return copy.deepcopy(self)

    def _unit(self, org: str) -> Unit:
        hits = [u for u in self.units if u.org == org]
        assert len(hits) == 1, f"no single unit named {org}"
        return hits[0]

    def change(self, org: str, portions: int) -> "NoticeSpec":
        """The same notice with one unit's figure printed differently (the 合计 stays as it was printed)."""
        new = self._copy()
        new.stated_total = self.total_printed
        new._unit(org).portions = portions
        return new

    def drop(self, org: str) -> "NoticeSpec":
        """The same notice with one unit's row left out (the 合计 stays as it was printed)."""
        new = self._copy()
        new.stated_total = self.total_printed
        new.units.remove(new._unit(org))
        return new

    def unnumber(self, org: str) -> "NoticeSpec":
        """The same notice with one row printed without its 序号."""
        new = self._copy()
        new._unit(org).seq = None
        return new

    def with_total(self, total: int) -> "NoticeSpec":
        """The same notice with another 合计 printed under the target table."""
        new = self._copy()
        new.stated_total = total
        return new

    # ---------------------------------------------------------------------------- output

    def write(self, path, fmt: Optional[str] = None) -> Path:
        path = Path(path)
        fmt = fmt or {".txt": "text", ".docx": "docx", ".pdf": "pdf"}[path.suffix]
        if fmt == "text":
            self.write_text(path)
        elif fmt == "docx":
            self.write_docx(path)
        elif fmt == "pdf":
            self.write_pdf(path)
        else:
            raise ValueError(fmt)
        return path

    def to_text(self) -> str:
        lines = ["", ""]
        for kind, text in self.paragraphs():
            if kind == "imprint":          # a tab would make it a table row in a text file: spaces, as printed
                text = text.replace("\t", "          ")
            lines += [text, ""]
        for (label, title), grid in zip(self.annex_labels(), self.grids()):
            lines += ["", label, "", title, ""]
            lines += ["\t".join(row) for row in grid.texts()]
            lines += [""]
        return "\n".join(lines) + "\n"

    def write_text(self, path, encoding: str = "utf-8") -> Path:
        Path(path).write_bytes(self.to_text().encode(encoding))
        return Path(path)

    def write_docx(self, path) -> Path:
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
        from docx.shared import Mm, Pt

        d = Document()
        d.styles["Normal"].font.size = Pt(16)
        for kind, text in self.paragraphs():
            p = d.add_paragraph()
            run = p.add_run(text)          # a "\t" becomes a w:tab
            if kind in ("docno", "title"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if kind == "title":
                    run.bold = True
                    run.font.size = Pt(22)
            elif kind in ("sign", "date"):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif kind == "imprint":
                run.font.size = Pt(14)
                p.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
            elif kind in ("p", "h1"):
                p.paragraph_format.first_line_indent = Pt(32)
        for (label, title), grid in zip(self.annex_labels(), self.grids()):
            p = d.add_paragraph(label)
            p.paragraph_format.page_break_before = True
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(title)
            r.bold, r.font.size = True, Pt(18)
            t = d.add_table(rows=len(grid.rows), cols=len(grid.rows[0]))
            t.style = "Table Grid"
            for (r0, c0), (rs, cs) in sorted(grid.spans.items()):
                t.cell(r0, c0).merge(t.cell(r0 + rs - 1, c0 + cs - 1))
            cov = grid.covered()
            for r0, row in enumerate(grid.rows):
                for c0, text in enumerate(row):
                    if (r0, c0) not in cov:
                        t.cell(r0, c0).text = text    # replaces what merge() gathered
        d.save(str(path))
        return Path(path)

    def write_pdf(self, path, font: str = "auto", footer_form: bool = False) -> Path:
        """font: "auto" or "cid" (see pdf_font); footer_form: draw each page number through a form XObject, as
        PDF producers often draw repeated page furniture."""
        _Pdf(self, Path(path), font, footer_form).build()
        return Path(path)


_CN = "〇一二三四五六七八九"


def _cn_year(y: int) -> str:
    return "".join(_CN[int(ch)] for ch in str(y))


def _cn_small(n: int) -> str:
    """1–31 the way dates print them: 五, 十, 十二, 二十, 二十三."""
    tens, ones = divmod(n, 10)
    return ((_CN[tens] if tens > 1 else "") + "十" if tens else "") + (_CN[ones] if ones else "")


# ============================================================================================ the two notices


def linjiang() -> NoticeSpec:
    """临江县 2023: one-list target table (序号 | 单位名称 | 任务数（人份）) and a monthly plan.

    Headline 4860 = 4200 (units 1–10) + 560 (row 11) + 100 (row 12); the plan schedules every unit's target
    exactly (城关镇 in 一月 and 十二月), 三月 and 十二月 merged over two units each, 街头献血车 over 八月–九月.
    """
    units = [
        Unit(1, "城关镇", 980), Unit(2, "河口镇", 620), Unit(3, "青山镇", 540), Unit(4, "白沙乡", 310),
        Unit(5, "石门乡", 280), Unit(6, "县教育局（含各学校）", 450), Unit(7, "县卫生健康委员会", 360),
        Unit(8, "县公安局", 240), Unit(9, "县直机关工委", 180), Unit(10, "县人民医院", 240),
        Unit(11, "街头献血车", 560), Unit(12, "应急献血演练", 100),
    ]
    plan = [
        PlanRow("一月", "城关镇", 500), PlanRow("二月", "河口镇", 620),
        PlanRow("三月", "青山镇", 540), PlanRow("", "白沙乡", 310),
        PlanRow("四月", "县教育局（含各学校）", 450), PlanRow("五月", "石门乡", 280),
        PlanRow("六月", "县卫生健康委员会", 360), PlanRow("七月", "县公安局", 240),
        PlanRow("八月", "街头献血车", 560), PlanRow("九月", "街头献血车", None),
        PlanRow("十月", "县直机关工委", 180), PlanRow("十一月", "县人民医院", 240),
        PlanRow("十二月", "城关镇", 480), PlanRow("", "应急献血演练", 100),
    ]
    return NoticeSpec(
        year=2023, region="临江县", scope="全县", doc_number="临卫发〔2023〕12号",
        salutation="各乡镇人民政府，县直各有关单位：",
        issuer="临江县卫生健康委员会", signed=(2023, 3, 5), printed=(2023, 3, 8),
        printer="临江县卫生健康委员会办公室", total_target=4860, unit_ml=200,
        subtargets=[("乡镇、县直单位献血任务", 4200), ("街头献血车", 560), ("应急献血演练", 100)],
        alloc_title="2023年临江县无偿献血任务分解表", alloc_header=("序号", "单位名称", "任务数（人份）"),
        units=units, lists=1,
        plan_title="2023年临江县无偿献血月份计划表", plan=plan,
    )


def nanping() -> NoticeSpec:
    """南屏镇 2022: one target table printed as two lists side by side (序号|单位名称|数量 twice), 16 units
    (1–9 on the left, 10–16 on the right, one blank right-hand row, 合计 1200 at the foot of the right list)."""
    units = [
        Unit(1, "南屏社区", 120), Unit(2, "东街社区", 95), Unit(3, "西街社区", 88), Unit(4, "河湾村", 64),
        Unit(5, "石桥村", 57), Unit(6, "柳塘村", 52), Unit(7, "新华村", 49), Unit(8, "桃源村", 45),
        Unit(9, "镇机关", 60), Unit(10, "镇卫生院", 70), Unit(11, "南屏中学", 40), Unit(12, "南屏中心小学", 30),
        Unit(13, "镇派出所", 25), Unit(14, "工业园区企业", 180), Unit(15, "个体工商户", 90),
        Unit(16, "辖区流动人口", 135),
    ]
    return NoticeSpec(
        year=2022, region="南屏镇", scope="全镇", doc_number="南府发〔2022〕7号",
        salutation="各村（居）民委员会，镇属各单位：",
        issuer="南屏镇人民政府", signed=(2022, 2, 18), printed=None, printer="",
        total_target=1200, unit_ml=200, subtargets=[],
        alloc_title="2022年南屏镇无偿献血任务分配表", alloc_header=("序号", "单位名称", "数量"),
        units=units, lists=2, kind_word="通知",
    )


# ============================================================================================ PDF


_FONTS: dict = {}


def pdf_font(kind: str = "auto") -> str:
    """The font to draw with. "auto": WenQuanYi Micro Hei, embedded, when installed (make samples installs it),
    else reportlab's STSong-Light; "cid": STSong-Light, a CID font that is not embedded (Adobe-GB1, as many
    Chinese PDFs have). pdfplumber extracts the text of either."""
    if kind == "auto" and os.path.exists(WQY_FILE):
        if "wqy" not in _FONTS:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont
            pdfmetrics.registerFont(TTFont("FactoryWQY", WQY_FILE, subfontIndex=0))
            _FONTS["wqy"] = "FactoryWQY"
        return _FONTS["wqy"]
    if "cid" not in _FONTS:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        _FONTS["cid"] = "STSong-Light"
    return _FONTS["cid"]


_TOKEN = re.compile(r"[A-Za-z0-9.%]+| |.")
_NO_LINE_START = "，。、；：？！）》”’〕】%"
# a wrapped line must not begin like a heading, an annex line or a date (the reader would start a paragraph)
_BAD_START = re.compile(r"^(附件|抄送|特此|第|\d{1,2}[、．.]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d{4}\s*年)")


class _Pdf:
    W, H = 595.2756, 841.8898
    MM = 72 / 25.4
    LEFT, RIGHT = 28 * MM, 595.2756 - 26 * MM
    TOP = 841.8898 - 30 * MM
    SIZE, LEADING = 12, 22

    def __init__(self, spec: NoticeSpec, path: Path, font: str = "auto", footer_form: bool = False):
        from reportlab.pdfgen import canvas
        self.spec = spec
        self.font = pdf_font(font)
        self.footer_form = footer_form
        self.c = canvas.Canvas(str(path), pagesize=(self.W, self.H), invariant=1)
        self.page = 1
        self.y = self.TOP

    def width(self, text: str, size: float) -> float:
        from reportlab.pdfbase import pdfmetrics
        return pdfmetrics.stringWidth(text, self.font, size)

    def new_page(self):
        self.footer()
        self.c.showPage()
        self.page += 1
        self.y = self.TOP

    def footer(self):
        if self.footer_form:
            name = f"pageno{self.page}"
            self.c.beginForm(name)
        self.c.setFont(self.font, 10.5)
        self.c.drawCentredString(self.W / 2, 30, f"- {self.page} -")
        if self.footer_form:
            self.c.endForm()
            self.c.doForm(name)

    def line(self, text: str, x: float, size: float, leading: Optional[float] = None, char_space: float = 0):
        self.y -= leading or self.LEADING
        self.c.setFont(self.font, size)
        self.c.drawString(x, self.y, text, charSpace=char_space)

    def wrap(self, text: str, first: float, rest: float, size: float) -> list[str]:
        lines: list[list[str]] = [[]]
        width, limit = 0.0, first
        for tok in _TOKEN.findall(text):
            w = self.width(tok, size)
            if lines[-1] and width + w > limit and tok not in _NO_LINE_START and tok != " ":
                lines.append([])
                width, limit = 0.0, rest
            if not lines[-1] and tok == " ":
                continue
            lines[-1].append(tok)
            width += w
        # move tokens down until no continuation line starts like a heading or a date
        for i in range(1, len(lines)):
            while _BAD_START.match("".join(lines[i])) and len(lines[i - 1]) > 1:
                lines[i].insert(0, lines[i - 1].pop())
        return ["".join(toks).strip() for toks in lines if "".join(toks).strip()]

    def paragraph(self, text: str, indent_em: float = 2, hang_em: float = 0, size: float = SIZE):
        first_x = self.LEFT + indent_em * size
        rest_x = self.LEFT + hang_em * size
        lines = self.wrap(text, self.RIGHT - first_x, self.RIGHT - rest_x, size)
        for n, ln in enumerate(lines):
            x = first_x if n == 0 else rest_x
            space = 0.0
            if n < len(lines) - 1 and len(ln) > 1:
                # justified: the line runs to the right margin, the slack spread between its characters
                # (well under the gap a reader takes for a space)
                space = max(0.0, min((self.RIGHT - x - self.width(ln, size)) / (len(ln) - 1), 0.1 * size))
            self.line(ln, x, size, char_space=space)

    def build(self):
        s = self.spec
        size = self.SIZE
        sign_right = self.RIGHT - 4 * size
        for kind, text in s.paragraphs():
            if kind == "docno":
                self.line(text, (self.W - self.width(text, size)) / 2, size)
                self.y -= 10
            elif kind == "title":
                self.line(text, (self.W - self.width(text, 18)) / 2, 18, leading=34)
                self.y -= 8
            elif kind == "salutation":
                self.paragraph(text, indent_em=0)
            elif kind == "annexlist":
                self.y -= 10
                self.paragraph(text, indent_em=2, hang_em=2 + self.width("附件：", size) / size)
            elif kind == "annexlist2":
                self.paragraph(text, indent_em=2 + self.width("附件：", size) / size,
                               hang_em=2 + self.width("附件：", size) / size)
            elif kind == "sign":
                self.y -= 2 * self.LEADING
                self.line(text, sign_right - self.width(text, size), size)
                issuer_w = self.width(text, size)
            elif kind == "date":
                centre = sign_right - issuer_w / 2
                self.line(text, centre - self.width(text, size) / 2, size)
            elif kind == "imprint":
                office, date = text.split("\t")
                self.y -= 2 * self.LEADING
                self.c.setLineWidth(0.75)
                self.c.line(self.LEFT, self.y - 6, self.RIGHT, self.y - 6)
                self.line(office, self.LEFT + size, 11)
                self.c.drawString(self.RIGHT - size - self.width(date, 11), self.y, date)
                self.c.line(self.LEFT, self.y - 8, self.RIGHT, self.y - 8)
            else:
                self.paragraph(text)
        for (label, title), grid in zip(s.annex_labels(), s.grids()):
            self.new_page()
            self.line(label, self.LEFT, 14)
            self.line(title, (self.W - self.width(title, 16)) / 2, 16, leading=30)
            self.y -= 16
            self.table(grid, row_h=22, size=11)
        self.footer()
        self.c.save()

    def table(self, grid: Grid, row_h: float, size: float):
        x0 = (self.W - sum(grid.widths)) / 2
        xs = [x0 + sum(grid.widths[:i]) for i in range(len(grid.widths) + 1)]
        top = self.y
        cov = grid.covered()
        cv = self.c
        cv.setLineWidth(0.75)
        for r, row in enumerate(grid.rows):
            for col, text in enumerate(row):
                if (r, col) in cov:
                    continue
                rs, cs = grid.spans.get((r, col), (1, 1))
                y_top, y_bot = top - r * row_h, top - (r + rs) * row_h
                xl, xr = xs[col], xs[col + cs]
                cv.line(xl, y_top, xr, y_top)
                cv.line(xl, y_bot, xr, y_bot)
                cv.line(xl, y_top, xl, y_bot)
                cv.line(xr, y_top, xr, y_bot)
                if text:
                    cv.setFont(self.font, size)
                    cv.drawCentredString((xl + xr) / 2, (y_top + y_bot) / 2 - size * 0.35, text)
        self.y = top - len(grid.rows) * row_h
