#!/usr/bin/env python3
"""Write the probe set: notices no one here had seen, in shapes the real corpus does not have, with their truth.

    .venv/bin/python tests/probe/make_probe.py            (writes tests/probe/cases/ and tests/probe/truth.json)

Each case is a whole notice as a 血液管理办公室, 卫健委/卫健局, 区/县政府办, 街道, 镇政府, 学校, 中心血站 or 企业 would
publish it, in the format it would come in (page text copied from a site, a saved web page, DOCX, PDF, XLSX). The
places, units, people and figures are invented; nothing is copied from the corpus or the samples. README.md beside
this file says which class of text each case stands for.

The truth of a case is written from the same figures that are printed (what the notice states), in the form of
../shared/corpus/real/truth.json, so bench/real.py scores it: item rows (org, portions), stated totals, the notice's
year, own 文号 (normalised to 〔〕), 成文 date, headline target (in 人份 where the headline is a volume: 毫升 at the
notice's stated unit size), required and forbidden findings. A total that is deliberately wrong is printed as
wrong; its truth requires total-mismatch.

Output is byte-identical on every run (reportlab invariant, fixed ZIP times and document properties).
"""
from __future__ import annotations

import datetime as dt
import html
import io
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "samples"))

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT  # noqa: E402
from docx.shared import Mm  # noqa: E402

import generate as g  # noqa: E402  (font, page writer, paragraphs, DOCX helpers)
import make_formats as mf  # noqa: E402  (fixed ZIP times)
import make_layouts as ml  # noqa: E402  (ruled and unruled grids over pages)

CASES = HERE / "cases"


# =====================================================================================================
# Truth
# =====================================================================================================

@dataclass
class Case:
    file: str
    kind: str                       # the class of text the case stands for (README.md lists them)
    about: str
    year: Optional[int]
    doc_number: str                 # its own 文号, normalised to 〔〕; "" = none of its own
    issued_on: Optional[str]        # the 成文 date at the end (ISO); None = not printed
    total_target: Optional[int]     # the headline, in its count (人份 for a volume); None = none stated
    unit: Optional[str]
    tables: list = field(default_factory=list)
    clean: Optional[bool] = True
    required: list = field(default_factory=list)
    forbidden: list = field(default_factory=list)
    notes: str = ""
    build: Optional[Callable[[Path], None]] = None

    def truth(self) -> dict:
        return {"file": self.file, "kind": self.kind, "format": Path(self.file).suffix.lstrip("."),
                "clean": self.clean,
                "notice": {"year": self.year, "doc_number": self.doc_number, "issued_on": self.issued_on,
                           "total_target": self.total_target, "unit": self.unit},
                "tables": self.tables, "required_findings": self.required, "forbidden_findings": self.forbidden,
                "notes": self.notes, "about": self.about}


def table(title: str, items: list[tuple[str, int]], stated_total: Optional[int] = None, partial: bool = False) -> dict:
    out = {"title": title, "scored": True, "stated_total": stated_total, "computed_total": sum(v for _, v in items),
           "items": [{"org": org, "portions": v} for org, v in items]}
    if partial:
        out["partial"] = True
    return out


def forbid(code: str, why: str, severity: Optional[str] = None) -> dict:
    out = {"code": code, "why": why}
    if severity:
        out["severity"] = severity
    return out


def total(items) -> int:
    return sum(v for _, v in items)


# =====================================================================================================
# Printing helpers
# =====================================================================================================

def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, w: int) -> str:
    return text + " " * max(0, w - width(text))


def spaced_rows(rows: list[list[str]], gap: int = 4) -> list[str]:
    """Columns aligned with runs of spaces, as a page's preformatted table copies."""
    widths = [max(width(r[c]) for r in rows) for c in range(len(rows[0]))]
    return [(" " * gap).join(pad(cell, widths[c]) for c, cell in enumerate(r)).rstrip() for r in rows]


def pipe_rows(rows: list[list[str]], outer: bool = True) -> list[str]:
    if outer:
        return ["| " + " | ".join(r) + " |" for r in rows]
    return [" | ".join(r) for r in rows]


def cn_date(d: dt.date, zero: str = "〇") -> str:
    digits = zero + "一二三四五六七八九"
    year = "".join(digits[int(c)] for c in str(d.year))

    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (digits[ones] if ones else "")
    return f"{year}年{small(d.month)}月{small(d.day)}日"


def e(text: str) -> str:
    return html.escape(text, quote=True)


# ---------------------------------------------------------------------------------------------------- blocks
# A document as blocks, shared by the DOCX, PDF and HTML writers:
#   ("docno"|"title"|"center", text)   centred        ("p", text) indented paragraph   ("flat", text) no indent
#   ("right", text) right-aligned      ("table", Grid, options)                           ("page",) page break
#   ("imprint", left, right)           an imprint line: who printed it, and when (印发)


def grid(rows: list[list[str]], header_rows: int = 1, spans: Optional[dict] = None) -> ml.Grid:
    return ml.Grid([list(r) for r in rows], header_rows, dict(spans or {}))


def write_docx(blocks: list, path: Path, title: str) -> None:
    d = g.new_document()
    for b in blocks:
        kind = b[0]
        if kind == "docno":
            g.add_paragraph(d, b[1], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        elif kind == "title":
            g.add_paragraph(d, b[1], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True)
        elif kind == "center":
            g.add_paragraph(d, b[1], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=18, bold=True)
        elif kind == "p":
            g.add_paragraph(d, b[1])
        elif kind == "flat":
            g.add_paragraph(d, b[1], indent=False)
        elif kind == "right":
            g.add_paragraph(d, b[1], indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif kind == "page":
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "imprint":
            p = g.add_paragraph(d, f"{b[1]}\t{b[2]}", indent=False, size=14)
            p.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
        elif kind == "table":
            gr = b[1]
            g.add_table(d, g.Table(gr.rows, dict(gr.spans)), size=12)
        else:
            raise ValueError(kind)
    g.save_docx(d, path, title)


def write_pdf(blocks: list, path: Path, title: str) -> None:
    pw = g.PageWriter(path, title)
    for b in blocks:
        kind = b[0]
        if kind == "docno":
            g.draw_paragraph(pw, b[1], indent=0, align="center")
            pw.skip(0.5)
        elif kind == "title":
            g.draw_paragraph(pw, b[1], indent=0, align="center", size=20, leading=34)
            pw.skip(0.5)
        elif kind == "center":
            g.draw_paragraph(pw, b[1], indent=0, align="center", size=18, leading=30)
        elif kind == "p":
            g.draw_paragraph(pw, b[1])
        elif kind == "flat":
            g.draw_paragraph(pw, b[1], indent=0)
        elif kind == "right":
            g.draw_paragraph(pw, b[1], indent=0, align="right", right_indent=2)
        elif kind == "page":
            pw.new_page(g.TABLE_TOP, g.TABLE_BOTTOM)
        elif kind == "imprint":
            pw.skip(1)
            pw.c.setFont(g.FONT, 14)
            pw.y -= g.LEADING
            pw.c.drawString(g.LEFT, pw.y, b[1])
            pw.c.drawRightString(g.RIGHT, pw.y, b[2])
        elif kind == "table":
            gr, opts = b[1], dict(b[2])
            widths = opts.pop("widths")
            pw.y -= 10
            ml.draw_grid(pw, gr, widths, **opts)
        else:
            raise ValueError(kind)
    pw.save()


def html_grid(gr: ml.Grid, thead: bool = True) -> str:
    covered = gr.covered()
    rows = []
    for r, row in enumerate(gr.rows):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = gr.spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            if thead and r < gr.header_rows:
                cells.append(f"<th{attrs}>{e(text)}</th>")
            elif r < gr.header_rows:
                cells.append(f'<td{attrs} style="text-align:center"><strong>{e(text)}</strong></td>')
            else:
                cells.append(f'<td{attrs}><p style="text-align:center">{e(text)}</p></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if thead:
        head, body = rows[:gr.header_rows], rows[gr.header_rows:]
        return ('<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">\n<thead>\n'
                + "\n".join(head) + "\n</thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n")
    return ('<table width="600" border="1" cellspacing="0">\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>\n")


def html_body(blocks: list, thead: bool = True) -> str:
    out = []
    for b in blocks:
        kind = b[0]
        if kind == "title":
            out.append(f'<h1 class="article-title">{e(b[1])}</h1>\n')
        elif kind in ("docno", "center"):
            out.append(f'<p style="text-align:center">{e(b[1])}</p>\n')
        elif kind == "p":
            out.append(f'<p style="text-indent:2em">{e(b[1])}</p>\n')
        elif kind == "flat":
            out.append(f"<p>{e(b[1])}</p>\n")
        elif kind == "right":
            out.append(f'<p style="text-align:right">{e(b[1])}</p>\n')
        elif kind == "imprint":
            out.append(f"<p>{e(b[1])}&nbsp;&nbsp;&nbsp;&nbsp;{e(b[2])}</p>\n")
        elif kind == "table":
            out.append(html_grid(b[1], thead))
        elif kind == "page":
            continue
        else:
            raise ValueError(kind)
    return "".join(out)


def html_page(title: str, site: str, body: str, published: str, panel: list[tuple[str, str]],
              charset: str = "utf-8") -> str:
    """A government site's article page: tool bar, navigation, breadcrumb, an information panel, the article,
    page tools and a footer."""
    cells = "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in panel)
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{e(title)}-{e(site)}</title>
<link rel="stylesheet" href="/css/article.css">
<script src="/js/jquery.min.js"></script>
</head>
<body>
<div class="topbar"><span>今天是：<span id="today"></span></span> <a href="#">无障碍</a> <a href="#">长者模式</a></div>
<div class="header"><img src="/images/logo.png" alt="{e(site)}"></div>
<ul class="nav"><li><a href="#">首页</a></li><li><a href="#">信息公开</a></li><li><a href="#">办事服务</a></li><li><a href="#">互动交流</a></li></ul>
<div class="position">您当前的位置：<a href="#">首页</a> &gt; <a href="#">信息公开</a> &gt; <a href="#">通知公告</a></div>
<table class="info-panel">{cells}</table>
<div class="content">
<div class="tools">发布时间：{e(published)}&nbsp;&nbsp;【字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
{body}</div>
<div class="print">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>
<div class="footer"><p>主办单位：{e(site)}　技术支持：信息中心</p><p>网站标识码：3399000012　备案号：ICP备12003456号</p></div>
</body>
</html>
"""


def write_html(path: Path, text: str, encoding: str) -> None:
    path.write_bytes(text.encode(encoding))


def write_text(path: Path, lines: list[str], encoding: str = "utf-8") -> None:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))


# ---------------------------------------------------------------------------------------------------- workbooks

def save_xlsx(wb, path: Path, cached: dict[str, dict[str, int]]) -> None:
    """openpyxl writes formulas without their values; put in the values Excel would have saved with them.
    cached: sheet XML name (sheet1.xml) -> {formula: value}."""
    wb.properties.created = wb.properties.modified = g.FIXED_TIME
    wb.properties.creator = wb.properties.lastModifiedBy = ""
    buf = io.BytesIO()
    wb.save(buf)

    def rewrite(name: str, body: bytes) -> bytes:
        if name == "docProps/core.xml":
            start = body.index(b"<dcterms:modified")
            start = body.index(b">", start) + 1
            body = body[:start] + b"2000-01-01T00:00:00Z" + body[body.index(b"<", start):]
        sheet = name.rsplit("/", 1)[-1]
        for formula, value in cached.get(sheet, {}).items():
            old = f"<f>{formula}</f><v></v>".encode()
            assert old in body, (name, formula)
            body = body.replace(old, f"<f>{formula}</f><v>{value}</v>".encode())
        return body
    path.write_bytes(mf.fixed_zip(buf.getvalue(), rewrite))


def col(c: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(c)


# =====================================================================================================
# Shared wording
# =====================================================================================================

REQUIREMENTS = [
    "（一）加强组织领导。各单位要把无偿献血工作纳入年度工作目标，主要负责同志亲自抓，明确一名联络员，"
    "认真做好宣传发动和献血者招募工作，确保任务落实到位。",
    "（二）广泛宣传动员。充分利用宣传栏、微信公众号、电子显示屏等载体，普及无偿献血科学知识，"
    "引导广大适龄健康公民积极参加无偿献血，营造全社会关心支持无偿献血的良好氛围。",
    "（三）落实激励措施。各单位对参加无偿献血的职工可给予适当的休息和营养补助，"
    "并按规定落实献血者及其亲属临床用血费用减免政策。",
]


def requirements(*extra: str) -> list:
    return [("p", t) for t in REQUIREMENTS] + [("p", t) for t in extra]


# =====================================================================================================
# The cases
# =====================================================================================================

def p01() -> Case:
    """市献血办, page text: the issuer's 红头 line, title broken over two lines, 3.2万人份, pipe table with 合计 at
    the top and a 备注 column, signing date in Chinese numerals."""
    items = [("青岚区", 6800), ("白沙区", 5600), ("梧桐区", 4900), ("高新区", 2300), ("云溪经开区", 1500),
             ("东源县", 4200), ("西陵县", 3900), ("南浦县", 2800)]
    notes = {"青岚区": "含驻区部队", "高新区": "含园区企业", "东源县": "含县直单位"}
    t = total(items)
    assert t == 32000
    rows = [["序号", "单位", "任务数（人份）", "备注"], ["", "合计", str(t), ""]]
    rows += [[str(i), org, str(v), notes.get(org, "")] for i, (org, v) in enumerate(items, 1)]
    signed = dt.date(2024, 1, 22)
    lines = [
        "云溪市无偿献血领导小组办公室文件", "", "云献办〔2024〕2号", "",
        "云溪市无偿献血领导小组办公室", "关于下达2024年度无偿献血任务的通知", "",
        "各区、县（市）无偿献血领导小组，市直有关单位：", "",
        "为保障全市临床用血需求，根据《中华人民共和国献血法》和省卫生健康委关于年度无偿献血工作的部署，"
        "经市无偿献血领导小组研究，现将2024年度无偿献血任务下达给你们，并就有关事项通知如下。", "",
        "一、任务目标", "",
        "2024年全市无偿献血任务为3.2万人份（每人份200毫升），各地任务见附件。各地要将任务分解到乡镇（街道）"
        "和有关单位，按季度均衡组织采集，确保6月底前完成全年任务的50%以上。", "",
        "二、工作要求", "", *sum(([t_, ""] for t_ in REQUIREMENTS), []),
        "（四）及时报送进度。各地每月5日前将上月献血完成情况报市献血办，市献血办按季度通报各地任务完成情况。", "",
        "附件：2024年度各区、县（市）无偿献血任务分配表", "", "",
        "云溪市无偿献血领导小组办公室", cn_date(signed), "", "",
        "附件", "", "2024年度各区、县（市）无偿献血任务分配表", "",
        *pipe_rows(rows), "",
    ]
    return Case(
        "p01_yunxi-xianbanshi-2024.txt", "page text; 市献血办; 红头 line above the title, title broken over two lines; "
        "3.2万人份 headline; pipe table with 合计 first and a 备注 column; date in Chinese numerals",
        "云溪市无偿献血领导小组办公室关于下达2024年度无偿献血任务的通知", 2024, "云献办〔2024〕2号", signed.isoformat(),
        32000, "人份", [table("2024年度各区、县（市）无偿献血任务分配表", items, t)],
        forbidden=[forbid("total-mismatch", "合计 32000 is the sum of the rows, printed above them")],
        build=lambda p: write_text(p, lines))


def p02() -> Case:
    """区卫健委, saved web page: 文号 only in the information panel, <thead>/<th>, a 常住人口 column of decimals,
    合计 spanning two columns, sub-targets after 其中; the notice 印发s a 工作计划 that follows its signature."""
    items = [("春江街道", 980), ("望湖街道", 860), ("临溪街道", 820), ("金桥街道", 760), ("翠微街道", 700),
             ("白马镇", 820), ("石湖镇", 700), ("凤鸣镇", 650), ("区直机关", 510)]
    people = ["9.8", "8.6", "8.1", "7.4", "6.9", "8.3", "7.0", "6.2", "—"]
    t = total(items)
    assert t == 6800
    rows = [["序号", "街道（镇）", "常住人口（万人）", "任务数（人份）"]]
    rows += [[str(i), org, people[i - 1], str(v)] for i, (org, v) in enumerate(items, 1)]
    rows += [["合计", "", "62.3", str(t)]]
    gr = grid(rows, spans={(len(rows) - 1, 0): (1, 2)})
    signed = dt.date(2023, 3, 9)
    blocks = [
        ("title", "青岚区卫生健康委员会关于印发青岚区2023年无偿献血工作计划的通知"),
        ("flat", "各街道办事处、镇人民政府，区直有关单位："),
        ("p", "现将《青岚区2023年无偿献血工作计划》印发给你们，请结合实际认真贯彻执行。"),
        ("right", "青岚区卫生健康委员会"), ("right", "2023年3月9日"),
        ("center", "青岚区2023年无偿献血工作计划"),
        ("p", "为做好2023年全区无偿献血工作，保障临床用血安全，根据《中华人民共和国献血法》和市卫生健康委有关要求，"
              "制定本计划。"),
        ("flat", "一、目标任务"),
        ("p", "2023年全区计划采集全血6800人份，其中团体献血4200人份，街头献血2600人份。各街道（镇）任务按常住人口"
              "比例分配，详见附表。"),
        ("flat", "二、工作措施"), *requirements(),
        ("flat", "附表：青岚区2023年各街道（镇）无偿献血任务分配表"),
        ("table", gr),
    ]
    panel = [("索引号", "11330102MB0123456X/2023-00031"), ("发布机构", "青岚区卫生健康委员会"),
             ("文号", "青岚卫〔2023〕11号"), ("成文日期", "2023-03-09"), ("发布日期", "2023-03-14")]
    page = html_page("青岚区卫生健康委员会关于印发青岚区2023年无偿献血工作计划的通知", "青岚区人民政府",
                     html_body(blocks), "2023-03-14 10:25", panel)
    return Case(
        "p02_qinglan-weijianwei-2023.html", "saved web page (UTF-8); 区卫健委 印发 a 工作计划; 文号 only in the page's "
        "information panel; <thead>/<th>; a 常住人口 column beside the target; 合计 over two columns; sub-targets",
        "青岚区卫生健康委员会关于印发青岚区2023年无偿献血工作计划的通知", 2023, "青岚卫〔2023〕11号",
        signed.isoformat(), 6800, "人份", [table("青岚区2023年各街道（镇）无偿献血任务分配表", items, t)],
        forbidden=[forbid("column-ambiguous", "常住人口 is not a target column"),
                   forbid("target-mismatch", "6800 = 4200 + 2600 and the table adds up to 6800")],
        build=lambda p: write_html(p, page, "utf-8"))


def p03() -> Case:
    """镇政府, DOCX: title 印发《…实施方案》, zero-padded date, two figure columns (2023年完成 | 2024年任务)."""
    items = [("白鹭社区", 62), ("湖滨社区", 58), ("上林村", 45), ("下坝村", 40), ("双塘村", 38), ("桑园村", 36),
             ("荷花村", 42), ("东渡村", 35), ("镇机关", 60), ("镇卫生院", 54), ("辖区企业", 50)]
    done = [58, 52, 44, 38, 36, 30, 40, 32, 56, 50, 44]
    t = total(items)
    assert t == 520 and sum(done) == 480
    rows = [["序号", "村（社区）", "2023年完成（人份）", "2024年任务（人份）", "备注"]]
    rows += [[str(i), org, str(done[i - 1]), str(v), ""] for i, (org, v) in enumerate(items, 1)]
    rows += [["", "合计", str(sum(done)), str(t), ""]]
    signed = dt.date(2024, 2, 28)
    blocks = [
        ("docno", "白政发〔2024〕8号"),
        ("title", "白鹭镇人民政府关于印发《白鹭镇2024年度无偿献血工作实施方案》的通知"),
        ("flat", "各村（社区）、镇属各单位："),
        ("p", "现将《白鹭镇2024年度无偿献血工作实施方案》印发给你们，请结合实际，认真组织实施。"),
        ("right", "白鹭镇人民政府"), ("right", "2024年02月28日"),
        ("page",),
        ("center", "白鹭镇2024年度无偿献血工作实施方案"),
        ("p", "为进一步做好我镇无偿献血工作，保障辖区群众临床用血需要，根据区无偿献血领导小组的统一部署，"
              "结合我镇实际，制定本方案。"),
        ("flat", "一、目标任务"),
        ("p", "2024年全镇无偿献血任务为520人份，比上年增加40人份。各村（社区）、单位任务见附表。"),
        ("flat", "二、工作措施"), *requirements(),
        ("flat", "附表"), ("center", "白鹭镇2024年度无偿献血任务分配表"),
        ("table", grid(rows)),
    ]
    return Case(
        "p03_bailu-town-2024.docx", "DOCX; 镇政府 印发《…实施方案》; zero-padded 成文 date; last year's completions "
        "beside this year's targets (2023年完成 | 2024年任务)",
        "白鹭镇人民政府关于印发《白鹭镇2024年度无偿献血工作实施方案》的通知", 2024, "白政发〔2024〕8号",
        signed.isoformat(), 520, "人份", [table("白鹭镇2024年度无偿献血任务分配表", items, t)],
        forbidden=[forbid("column-ambiguous", "the header says which column is 2024's target")],
        build=lambda p: write_docx(blocks, p, "白鹭镇2024年度无偿献血工作实施方案"))


def p04() -> Case:
    """区政府办, PDF: headline as a volume (96万毫升), a 片区 column merged over its rows with a 小计 under each
    片区, 总计 at the foot, the table over two pages with its header repeated, an imprint line (印发)."""
    groups = [
        ("城区片", [("梧桐街道", 260), ("凤凰街道", 240), ("南门街道", 220), ("北门街道", 200), ("江滨街道", 180),
                    ("文昌街道", 170), ("新华街道", 160), ("青云街道", 150), ("长乐街道", 140), ("和平街道", 130)]),
        ("东部片", [("东湖镇", 210), ("龙泉镇", 190), ("清溪镇", 170), ("石门镇", 160), ("大坪镇", 150),
                    ("柳林镇", 140), ("白云乡", 110), ("双河乡", 100), ("金鸡乡", 90)]),
        ("西部片", [("西山镇", 200), ("马鞍镇", 180), ("枫林镇", 170), ("桃源镇", 160), ("黄土乡", 120),
                    ("碧水乡", 110), ("红岩乡", 100), ("区直机关", 490), ("驻区企业", 100)]),
    ]
    items = [it for _, its in groups for it in its]
    t = total(items)
    assert t == 4800, t
    rows, spans, seq = [["片区", "序号", "单位", "任务数（人份）"]], {}, 0
    for name, its in groups:
        top = len(rows)
        for org, v in its:
            seq += 1
            rows.append([name if len(rows) == top else "", str(seq), org, str(v)])
        rows.append(["", "", "小计", str(total(its))])
        spans[(top, 0)] = (len(rows) - top, 1)
    rows.append(["总计", "", "", str(t)])
    spans[(len(rows) - 1, 0)] = (1, 3)
    signed = dt.date(2024, 3, 18)
    blocks = [
        ("docno", "梧政办发〔2024〕15号"),
        ("title", "梧桐区人民政府办公室关于做好2024年度无偿献血工作的通知"),
        ("flat", "各镇人民政府、街道办事处，区政府各部门，区直各单位："),
        ("p", "为保障全区医疗临床用血需求，根据市无偿献血领导小组的统一部署，经区政府同意，现就做好2024年度"
              "无偿献血工作通知如下："),
        ("p", "一、目标任务。2024年全区计划采集全血96万毫升（每人份200毫升），各片区、单位任务见附件。"),
        ("p", "二、组织实施。各镇（街道）负责组织辖区居民和企业职工参加献血，区直机关由区卫生健康局统一安排"
              "集中献血日，区中心血站负责采血车辆调配和采血服务。"),
        *requirements(),
        ("p", "附件：梧桐区2024年度无偿献血任务分配表"),
        ("right", "梧桐区人民政府办公室"), ("right", "2024年3月18日"),
        ("imprint", "梧桐区人民政府办公室", "2024年3月20日印发"),
        ("page",), ("flat", "附件"), ("center", "梧桐区2024年度无偿献血任务分配表"),
        ("table", grid(rows, spans=spans), dict(widths=[70, 50, 180, 110], size=11, row_h=22, repeat_header=True)),
    ]
    return Case(
        "p04_wutong-district-2024.pdf", "PDF, ruled; 区政府办; headline as a volume in 万毫升 with the unit size; "
        "片区 column merged over its rows, a 小计 per 片区, 总计 at the foot; the table runs over two pages with its "
        "header repeated; imprint line with the 印发 date",
        "梧桐区人民政府办公室关于做好2024年度无偿献血工作的通知", 2024, "梧政办发〔2024〕15号", signed.isoformat(),
        4800, "人份", [table("梧桐区2024年度无偿献血任务分配表", items, t)],
        forbidden=[forbid("total-mismatch", "every 小计 and the 总计 add up")],
        build=lambda p: write_pdf(blocks, p, "梧桐区人民政府办公室关于做好2024年度无偿献血工作的通知"))


def p05() -> Case:
    """XLSX annex alone: a title row and a unit row above the header, 合计 as =SUM() with its saved value, some
    figures stored as text."""
    items = [("城关镇", 320), ("松林镇", 210), ("河口镇", 190), ("大湾镇", 170), ("青龙乡", 120), ("白石乡", 110),
             ("长岭乡", 95), ("柏树乡", 85), ("县直机关", 260), ("县教育系统", 180), ("县卫生系统", 150),
             ("县公安局", 60), ("县供电公司", 40), ("县农商银行", 30), ("驻县企业", 80)]
    t = total(items)
    assert t == 2100

    def build(path: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        wb = Workbook()
        ws = wb.active
        ws.title = "任务分解"
        ws["A1"] = "2023年度松河县无偿献血任务分解表"
        ws["A1"].font = Font(bold=True, size=16)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.merge_cells("A1:D1")
        ws["A2"] = "填报单位：松河县卫生健康局"
        ws["D2"] = "单位：人份"
        for c, h in enumerate(["序号", "乡镇（单位）", "任务数", "备注"], 1):
            ws.cell(row=3, column=c, value=h)
        for i, (org, v) in enumerate(items, 1):
            ws.cell(row=3 + i, column=1, value=i)
            ws.cell(row=3 + i, column=2, value=org)
            ws.cell(row=3 + i, column=3, value=str(v) if i % 6 == 0 else v)
        last = 3 + len(items)
        ws.cell(row=last + 1, column=1, value="合计")
        ws.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=2)
        formula = f"SUM(C4:C{last})"
        ws.cell(row=last + 1, column=3, value="=" + formula)
        save_xlsx(wb, path, {"sheet1.xml": {formula: t}})
    return Case(
        "p05_songhe-2023-tasks.xlsx", "XLSX annex on its own; title row, a 填报单位/单位：人份 row, header; 合计 as a "
        "SUM formula with its saved value; some figures stored as text",
        "2023年度松河县无偿献血任务分解表 (a workbook on its own)", 2023, "", None, None, None,
        [table("2023年度松河县无偿献血任务分解表", items, t)],
        notes="a workbook alone has no body: no 文号, date or headline",
        build=build)


def p06() -> Case:
    """XLSX: a monthly plan with the months as columns (1月 … 12月) and 全年合计, units as rows, 合计 row by
    formulas."""
    units = ["兰亭街道", "西湖街道", "柯桥街道", "钱清镇", "安昌镇", "平水镇", "区直机关", "流动献血车"]
    months = {
        "兰亭街道": [30, 30, 40, 40, 40, 30, 30, 30, 40, 40, 40, 50],
        "西湖街道": [20, 20, 30, 30, 30, 20, 20, 20, 30, 30, 30, 40],
        "柯桥街道": [25, 25, 35, 35, 35, 25, 25, 25, 35, 35, 35, 45],
        "钱清镇": [10, 10, 20, 20, 20, 10, 10, 10, 20, 20, 20, 30],
        "安昌镇": [10, 10, 15, 15, 15, 10, 10, 10, 15, 15, 15, 20],
        "平水镇": [5, 5, 10, 10, 10, 5, 5, 5, 10, 10, 10, 15],
        "区直机关": [0, 0, 60, 0, 0, 60, 0, 0, 60, 0, 0, 60],
        "流动献血车": [80, 60, 80, 80, 80, 80, 80, 80, 80, 80, 80, 100],
    }
    items = [(u, sum(months[u])) for u in units]
    t = total(items)

    def build(path: Path) -> None:
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws.title = "月度计划"
        ws["A1"] = "兰亭区2024年无偿献血月度计划表"
        ws.merge_cells("A1:P1")
        ws["A2"] = "单位：人份"
        header = ["序号", "单位"] + [f"{m}月" for m in range(1, 13)] + ["全年合计", "备注"]
        for c, h in enumerate(header, 1):
            ws.cell(row=3, column=c, value=h)
        cached: dict[str, int] = {}
        for i, u in enumerate(units, 1):
            r = 3 + i
            ws.cell(row=r, column=1, value=i)
            ws.cell(row=r, column=2, value=u)
            for m, v in enumerate(months[u], 1):
                ws.cell(row=r, column=2 + m, value=v)
            f = f"SUM(C{r}:N{r})"
            ws.cell(row=r, column=15, value="=" + f)
            cached[f] = sum(months[u])
        last = 3 + len(units)
        ws.cell(row=last + 1, column=2, value="合计")
        for c in range(3, 16):
            f = f"SUM({col(c)}4:{col(c)}{last})"
            ws.cell(row=last + 1, column=c, value="=" + f)
            cached[f] = (sum(months[u][c - 3] for u in units) if c < 15 else t)
        save_xlsx(wb, path, {"sheet1.xml": cached})
    return Case(
        "p06_lanting-monthly-2024.xlsx", "XLSX; a monthly plan with months as columns 1月…12月 and a 全年合计 column "
        "(row formulas), units as rows, 合计 row of formulas",
        "兰亭区2024年无偿献血月度计划表 (a workbook on its own)", 2024, "", None, None, None,
        [table("兰亭区2024年无偿献血月度计划表 (全年合计 per unit)", items, t)],
        notes="each unit's year target is its 全年合计; the months are its plan",
        build=build)


def p07() -> Case:
    """学校, DOCX: a transposed table (units as columns, one row of figures, 合计 as the last column)."""
    items = [("机电工程学院", 60), ("信息工程学院", 55), ("经济管理学院", 45), ("艺术设计学院", 30), ("护理学院", 70)]
    t = total(items)
    assert t == 260
    rows = [["单位"] + [o for o, _ in items] + ["合计"], ["名额（人）"] + [str(v) for _, v in items] + [str(t)]]
    signed = dt.date(2024, 4, 2)
    blocks = [
        ("docno", "云职院发〔2024〕15号"),
        ("title", "云溪职业技术学院关于开展2024年春季无偿献血活动的通知"),
        ("flat", "各二级学院、各部门："),
        ("p", "为弘扬“人道、博爱、奉献”的红十字精神，践行社会主义核心价值观，经研究，学校定于4月开展2024年春季"
              "无偿献血活动。现将有关事项通知如下："),
        ("p", "一、献血时间：2024年4月16日（星期二）上午9:00—下午4:00。"),
        ("p", "二、献血地点：学校第一食堂南侧广场（市中心血站流动采血车）。"),
        ("p", "三、献血对象：年满18周岁、身体健康的在校学生和教职工。本次献血目标为260人，各学院名额分配如下："),
        ("table", grid(rows)),
        ("p", "四、有关要求：各学院要认真做好宣传发动，于4月12日前将报名名单报校团委。献血前一天请注意休息，"
              "不饮酒，不吃油腻食物；献血当天吃清淡早餐。"),
        ("right", "共青团云溪职业技术学院委员会"), ("right", "学生工作处"), ("right", "2024年4月2日"),
    ]
    return Case(
        "p07_yunzhi-college-2024.docx", "DOCX; 学校 (团委/学生处); a transposed table: units as columns, one row of "
        "figures, 合计 as the last column; collection day with its weekday",
        "云溪职业技术学院关于开展2024年春季无偿献血活动的通知", 2024, "云职院发〔2024〕15号", signed.isoformat(),
        260, "人", [table("各学院名额分配 (transposed)", items, t)],
        forbidden=[forbid("year-mismatch", "the collection day 2024-04-16 is a Tuesday, as printed")],
        build=lambda p: write_docx(blocks, p, "云溪职业技术学院关于开展2024年春季无偿献血活动的通知"))


def p08() -> Case:
    """县卫健局, page text: the year in Chinese numerals in the title (二〇二三年度), the allocation as a numbered
    list of lines `1.县教育局 120人份`, 合计 as a last line."""
    items = [("城关镇", 420), ("河西镇", 310), ("龙口镇", 260), ("青石乡", 180), ("凤山乡", 150), ("桥头乡", 140),
             ("县教育局", 120), ("县人民医院", 150), ("县中医院", 90), ("县公安局", 80), ("县直机关工委", 360),
             ("县供电公司", 60), ("县农商银行", 50), ("工业园区企业", 490)]
    t = total(items)
    assert t == 2860
    signed = dt.date(2023, 2, 14)
    lines = [
        "东卫发〔2023〕4号", "",
        "东源县卫生健康局关于下达二〇二三年度无偿献血指标的通知", "",
        "各乡镇人民政府，县直有关单位：", "",
        "根据市卫生健康委的统一安排，现将二〇二三年度全县无偿献血指标下达给你们，请认真组织落实。", "",
        "一、指标任务", "",
        "全县全年无偿献血指标任务2860人份，具体分配如下：", "",
        *[f"{i}.{org} {v}人份" for i, (org, v) in enumerate(items, 1)],
        f"合计 {t}人份", "",
        "二、有关要求", "", *sum(([t_, ""] for t_ in REQUIREMENTS), []),
        "各单位于每季度末将献血完成情况报县卫生健康局医政股。", "", "",
        "东源县卫生健康局", cn_date(signed), "",
    ]
    return Case(
        "p08_dongyuan-list-2023.txt", "page text; 县卫健局; title year in Chinese numerals (二〇二三年度), no digit "
        "year in any plan sentence; allocation as a numbered list of lines `1.县教育局 120人份`, 合计 as a line",
        "东源县卫生健康局关于下达二〇二三年度无偿献血指标的通知", 2023, "东卫发〔2023〕4号", signed.isoformat(), 2860,
        "人份", [table("numbered list of lines", items, t)],
        forbidden=[forbid("total-mismatch", "合计 2860 is the sum of the list")],
        build=lambda p: write_text(p, lines))


def p09() -> Case:
    """街道, page text copied with its site furniture: title without 无偿, 文号 in round brackets, signing date
    2022.4.8, headline 人次 phrased as 全年…人次的献血任务, a table aligned with runs of spaces."""
    items = [("西桥社区", 32), ("东桥社区", 28), ("南塘社区", 26), ("北苑社区", 24), ("新河社区", 22),
             ("锦华社区", 20), ("街道机关", 30), ("辖区学校", 18), ("辖区企业", 40)]
    t = total(items)
    assert t == 240
    rows = [["序号", "社区（单位）", "任务数（人次）"]] + [[str(i), o, str(v)] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t)]]
    lines = [
        "首页 > 信息公开 > 通知公告", "", "【字体：大 中 小】【打印】【关闭】", "",
        "发布时间：2022-04-11 16:20  浏览次数：356", "",
        "关于做好2022年献血工作的通知", "", "西桥街办(2022)9号", "",
        "各社区居委会、辖区各单位：", "",
        "为保障辖区群众临床用血需要，今年区里下达我街道全年240人次的献血任务。为确保完成任务，现将有关事项通知如下：", "",
        "一、献血时间：2022年4月20日（星期三）上午8:30—11:30。", "",
        "二、献血地点：街道社区卫生服务中心门前广场。", "",
        "三、任务分配：", "",
        *spaced_rows(rows), "",
        "四、工作要求：各社区、单位要提前做好宣传发动和人员组织，于4月15日前将献血人员名单报街道社会事务办。"
        "献血者需携带本人身份证。", "", "",
        "西桥街道办事处", "2022.4.8", "",
        "上一篇：关于开展辖区消防安全检查的通知", "下一篇：西桥街道2022年第一季度工作简报",
    ]
    return Case(
        "p09_xiqiao-street-2022.txt", "page text with site furniture; 街道办; title without 无偿 (做好…献血工作); 文号 in "
        "half-width round brackets; signing date 2022.4.8; headline 全年…人次的献血任务; table aligned with spaces",
        "关于做好2022年献血工作的通知 (西桥街道办事处)", 2022, "西桥街办〔2022〕9号", "2022-04-08", 240, "人次",
        [table("任务分配 (space-aligned)", items, t)],
        forbidden=[forbid("year-mismatch", "2022-04-20 is a Wednesday, as printed")],
        build=lambda p: write_text(p, lines))


def p10() -> Case:
    """企业, PDF: a company's notice to its departments; 献血人数 with a 联系人 column; its 合计 is wrong."""
    items = [("综合办公室", 12), ("人力资源部", 10), ("财务部", 8), ("市场营销部", 22), ("技术研发中心", 25),
             ("生产一部", 30), ("生产二部", 28), ("质量管理部", 14), ("物流部", 16), ("安全环保部", 9),
             ("后勤服务中心", 7), ("销售分公司", 5)]
    t = total(items)
    assert t == 186
    printed = 196
    people = ["陈静", "刘洋", "周敏", "吴强", "郑磊", "王刚", "冯涛", "蒋丽", "沈杰", "韩雪", "杨帆", "朱琳"]
    rows = [["序号", "部门", "献血人数", "联系人"]]
    rows += [[str(i), o, str(v), people[i - 1]] for i, (o, v) in enumerate(items, 1)]
    rows += [["合计", "", str(printed), ""]]
    spans = {(len(rows) - 1, 0): (1, 2)}
    blocks = [
        ("docno", "恒达司发〔2024〕21号"),
        ("title", "恒达集团有限公司关于开展2024年度无偿献血活动的通知"),
        ("flat", "公司各部门、各子公司："),
        ("p", "为践行企业社会责任，弘扬无私奉献精神，经公司研究，决定联合市中心血站开展2024年度职工无偿献血活动。"
              "现将有关事项通知如下："),
        ("p", "一、活动时间：2024年5月20日（星期一）上午8:30至11:30。"),
        ("p", "二、活动地点：公司办公楼一楼大厅。"),
        ("p", "三、参加对象：年龄18至55周岁、身体健康的公司职工。请各部门按附表名额组织职工报名，于5月15日前将名单"
              "报公司工会。"),
        ("p", "四、有关待遇：参加献血的职工，公司给予两天休假，并发放营养补助。"),
        ("p", "附件：2024年度各部门献血名额分配表"),
        ("right", "恒达集团有限公司工会委员会"), ("right", "2024年5月6日"),
        ("page",), ("flat", "附件"), ("center", "2024年度各部门献血名额分配表"),
        ("table", grid(rows, spans=spans), dict(widths=[50, 160, 100, 100], size=11, row_h=24)),
    ]
    return Case(
        "p10_hengda-company-2024.pdf", "PDF, ruled; 企业 (工会); departments with 献血人数 and a 联系人 column; the "
        "printed 合计 (196) is not the sum of the rows (186): an arithmetic error",
        "恒达集团有限公司关于开展2024年度无偿献血活动的通知", 2024, "恒达司发〔2024〕21号", "2024-05-06", None, "人",
        [table("2024年度各部门献血名额分配表", items, printed)], clean=False,
        required=["total-mismatch"],
        notes="合计 printed 196, rows add up to 186 (checked in make_probe.py); no headline is stated",
        build=lambda p: write_pdf(blocks, p, "恒达集团有限公司关于开展2024年度无偿献血活动的通知"))


def p11() -> Case:
    """献血办, saved web page: a plan titled without 关于 (…实施方案), no 文号, a two-row header (任务数 over
    人份 | 毫升), the headline in 人份 and in 万毫升 at once."""
    items = [("南湖街道", 620), ("北湖街道", 560), ("滨江街道", 480), ("凤栖街道", 430), ("七星镇", 390),
             ("新丰镇", 360), ("区直机关", 420), ("驻区单位", 340)]
    t = total(items)
    assert t == 3600
    rows = [["序号", "单位", "任务数", "", "备注"], ["", "", "人份", "毫升", ""]]
    rows += [[str(i), o, str(v), str(v * 200), ""] for i, (o, v) in enumerate(items, 1)]
    rows += [["合计", "", str(t), str(t * 200), ""]]
    spans = {(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (1, 2), (0, 4): (2, 1), (len(rows) - 1, 0): (1, 2)}
    blocks = [
        ("title", "南湖区2024年无偿献血工作实施方案"),
        ("p", "为保障全区临床用血供应，推动无偿献血工作持续健康发展，根据《中华人民共和国献血法》和市有关文件精神，"
              "结合我区实际，制定本方案。"),
        ("flat", "一、工作目标"),
        ("p", "2024年全区献血任务3600人份（72万毫升），团体献血占比不低于40%。"),
        ("flat", "二、任务分解"),
        ("p", "各单位任务如下表："),
        ("table", grid(rows, header_rows=2, spans=spans)),
        ("flat", "三、保障措施"), *requirements(),
        ("right", "南湖区无偿献血工作领导小组办公室"), ("right", "2024年1月30日"),
    ]
    panel = [("索引号", "NH0012345-2024-0007"), ("发布机构", "南湖区卫生健康局"), ("发布日期", "2024-02-02")]
    page = html_page("南湖区2024年无偿献血工作实施方案", "南湖区人民政府", html_body(blocks), "2024-02-02 09:12", panel)
    return Case(
        "p11_nanhu-plan-2024.html", "saved web page (UTF-8); 献血办; plan titled without 关于 (…实施方案); no 文号; "
        "two-row header (任务数 over 人份 | 毫升) with rowspan/colspan; headline in 人份 and 万毫升 at once",
        "南湖区2024年无偿献血工作实施方案", 2024, "", "2024-01-30", 3600, "人份",
        [table("各单位任务 (two-row header)", items, t)],
        forbidden=[forbid("headline-ambiguous", "3600人份 and 72万毫升 are the same target"),
                   forbid("column-ambiguous", "人份 and 毫升 under one 任务数 are one target in two units")],
        build=lambda p: write_html(p, page, "utf-8"))


def p12() -> Case:
    """县卫健局, DOCX: 文号 with 【】, title 印发…指标分解方案, headline 1.5万人份, an allocation and a monthly plan
    as rows (月份 merged over the units it schedules)."""
    items = [("凤城镇", 2400), ("禾丰镇", 1800), ("石岭镇", 1500), ("新安镇", 1300), ("太平乡", 900),
             ("永兴乡", 800), ("黄泥乡", 700), ("县直机关", 1600), ("县教育系统", 1200), ("县卫生系统", 1000),
             ("工业园区", 1100), ("流动采血", 700)]
    t = total(items)
    assert t == 15000, t
    rows = [["序号", "乡镇（单位）", "指标（人份）"]] + [[str(i), o, str(v)] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t)]]
    plan = [("1月", [("凤城镇", 1200), ("流动采血", 100)]), ("2月", [("禾丰镇", 900)]), ("3月", [("石岭镇", 1500)]),
            ("4月", [("新安镇", 1300), ("流动采血", 100)]), ("5月", [("太平乡", 900), ("永兴乡", 800)]),
            ("6月", [("县直机关", 1600), ("流动采血", 100)]), ("7月", [("黄泥乡", 700), ("流动采血", 100)]),
            ("8月", [("县教育系统", 600), ("流动采血", 100)]), ("9月", [("县教育系统", 600), ("禾丰镇", 900)]),
            ("10月", [("县卫生系统", 1000), ("流动采血", 100)]), ("11月", [("工业园区", 1100)]),
            ("12月", [("凤城镇", 1200), ("流动采血", 100)])]
    by_unit: dict[str, int] = {}
    for _, us in plan:
        for o, v in us:
            by_unit[o] = by_unit.get(o, 0) + v
    assert by_unit == dict(items), by_unit
    prow, pspans = [["月份", "乡镇（单位）", "计划数（人份）"]], {}
    for m, us in plan:
        top = len(prow)
        for k, (o, v) in enumerate(us):
            prow.append([m if k == 0 else "", o, str(v)])
        if len(us) > 1:
            pspans[(top, 0)] = (len(us), 1)
    prow.append(["合计", "", str(t)])
    pspans[(len(prow) - 1, 0)] = (1, 2)
    blocks = [
        ("docno", "凤卫健【2024】3号"),
        ("title", "关于印发凤禾县2024年无偿献血指标分解方案的通知"),
        ("flat", "各乡镇人民政府，县直各有关单位："),
        ("p", "为完成市下达我县的无偿献血任务，经县政府同意，现将《凤禾县2024年无偿献血指标分解方案》印发给你们，"
              "请认真抓好落实。"),
        ("p", "一、指标任务。2024年全县献血指标为1.5万人份，按乡镇人口和单位职工人数分解，详见附件1。"),
        ("p", "二、时间安排。各乡镇（单位）按附件2月度计划组织团体献血，县中心血站按计划派出采血车。"),
        *requirements(),
        ("p", "附件：1.凤禾县2024年无偿献血指标分解表"),
        ("p", "2.凤禾县2024年无偿献血月度计划表"),
        ("right", "凤禾县卫生健康局"), ("right", "2024年1月15日"),
        ("page",), ("flat", "附件1"), ("center", "凤禾县2024年无偿献血指标分解表"), ("table", grid(rows)),
        ("page",), ("flat", "附件2"), ("center", "凤禾县2024年无偿献血月度计划表"),
        ("table", grid(prow, spans=pspans)),
    ]
    return Case(
        "p12_fenghe-county-2024.docx", "DOCX; 县卫健局; 文号 in 【】; title 印发…指标分解方案的通知; headline 1.5万人份; "
        "an allocation (指标 column) and a monthly plan as rows, the month merged over the units it schedules",
        "关于印发凤禾县2024年无偿献血指标分解方案的通知", 2024, "凤卫健〔2024〕3号", "2024-01-15", 15000, "人份",
        [table("凤禾县2024年无偿献血指标分解表", items, t)],
        forbidden=[forbid("cross-table-mismatch", "the monthly plan schedules each unit's target exactly")],
        build=lambda p: write_docx(blocks, p, "关于印发凤禾县2024年无偿献血指标分解方案的通知"))


def p13() -> Case:
    """镇政府, page text with site furniture: 文号 with its brackets lost (石政发202214号), a signing date with its
    separators lost (20220316日), headline 全镇…人份的献血任务, a tab table whose cells carry 人份."""
    items = [("石桥村", 45), ("塘湾村", 40), ("沙头村", 38), ("永丰村", 36), ("新民村", 34), ("双溪村", 30),
             ("石桥社区", 52), ("镇机关", 40), ("镇属事业单位", 35), ("辖区企业", 80)]
    t = total(items)
    assert t == 430
    lines = [
        "返回上一级 | 打印 | 关闭", "", "索引号: 11330123MB1C23456Y/2022-00058", "主动公开", "",
        "石桥镇人民政府关于印发2022年度无偿献血工作安排的通知", "",
        "石政发202214号", "",
        "各村（社区）、镇属各单位：", "",
        "根据区无偿献血领导小组的部署，为确保完成全镇430人份的献血任务，现将2022年度无偿献血工作安排通知如下：", "",
        "一、各村（社区）、单位要按照分配的任务，提前摸底，组织好献血人员，确保按时足额完成。", "",
        "二、各村（社区）、单位任务如下：", "",
        "序号\t村（社区）、单位\t任务", *[f"{i}\t{o}\t{v}人份" for i, (o, v) in enumerate(items, 1)],
        f"\t合计\t{t}人份", "",
        "三、集中献血时间另行通知，请各单位做好准备。", "", "",
        "石桥镇人民政府", "20220316日", "",
    ]
    return Case(
        "p13_shiqiao-town-2022.txt", "page text with site furniture; 镇政府; 文号 with both brackets lost "
        "(石政发202214号); 成文 date with its separators lost (20220316日); headline …人份的献血任务; tab table whose "
        "figures carry 人份",
        "石桥镇人民政府关于印发2022年度无偿献血工作安排的通知", 2022, "石政发〔2022〕14号", "2022-03-16", 430, "人份",
        [table("任务 (tab table, figures with 人份)", items, t)],
        build=lambda p: write_text(p, lines))


def p14() -> Case:
    """中心血站, PDF: a plan titled without 关于 (…采血任务安排), headline 1.86万U, an unruled table of 献血点
    (blood-collection sites) with 采血任务（U）."""
    items = [("人民广场献血屋", 3200), ("火车站献血屋", 2600), ("万达广场献血屋", 2400), ("大学城献血点", 1800),
             ("开发区献血点", 1500), ("北城献血屋", 1700), ("流动采血车一", 1400), ("流动采血车二", 1300),
             ("团体采血组", 2000), ("机采成分室", 700)]
    t = total(items)
    assert t == 18600, t
    rows = [["序号", "献血点", "采血任务（U）", "备注"]] + [[str(i), o, str(v), ""] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t), ""]]
    blocks = [
        ("docno", "金血站〔2024〕1号"),
        ("title", "金水市中心血站2024年度各献血点采血任务安排"),
        ("flat", "站内各科室、各献血点："),
        ("p", "为保障全市临床用血，根据市卫生健康委下达的年度采供血计划，2024年全站计划采集全血1.86万U，"
              "现将各献血点采血任务安排如下："),
        ("table", grid(rows), dict(widths=[50, 170, 110, 90], size=11, row_h=24, ruled=False,
                                    align=["center", "left", "right", "left"])),
        ("p", "各献血点要合理安排采血时间，做好献血者招募和保留工作，每月底前将采血情况报业务科。"),
        ("right", "金水市中心血站"), ("right", "2024年1月8日"),
    ]
    return Case(
        "p14_jinshui-bloodstation-2024.pdf", "PDF, unruled table (columns by position only); 中心血站; plan titled "
        "without 关于 (…任务安排); headline 1.86万U; units are 献血点/献血屋 under a 献血点 header, figures in U",
        "金水市中心血站2024年度各献血点采血任务安排", 2024, "金血站〔2024〕1号", "2024-01-08", 18600, "U",
        [table("各献血点采血任务 (unruled)", items, t)],
        build=lambda p: write_pdf(blocks, p, "金水市中心血站2024年度各献血点采血任务安排"))


def p15() -> Case:
    """区卫健委, page text: two different headline figures in one notice (5000 and 5200 人份): ambiguous."""
    lines = [
        "柏卫〔2023〕9号", "",
        "柏川区卫生健康委员会关于做好2023年度无偿献血工作的通知", "",
        "各街道办事处、镇人民政府，区级各部门：", "",
        "为保障全区临床用血需要，现就做好2023年度无偿献血工作通知如下：", "",
        "一、目标任务", "",
        "2023年全区无偿献血任务为5000人份，各街道（镇）、部门任务另行下达。", "",
        "二、工作措施", "", *sum(([t_, ""] for t_ in REQUIREMENTS), []),
        "三、工作要求", "",
        "各街道（镇）、各部门要高度重视，层层落实责任，确保全区完成5200人份的献血任务。", "", "",
        "柏川区卫生健康委员会", "2023年3月2日", "",
    ]
    return Case(
        "p15_baichuan-twofigures-2023.txt", "page text; 区卫健委; two different headline figures (任务为5000人份 in "
        "一, 完成5200人份的献血任务 in 三): genuinely ambiguous, no table",
        "柏川区卫生健康委员会关于做好2023年度无偿献血工作的通知", 2023, "柏卫〔2023〕9号", "2023-03-02", None, "人份",
        [], required=["headline-ambiguous"],
        notes="total_target null: the notice states 5000 and 5200; the output must leave it empty and say so",
        build=lambda p: write_text(p, lines))


def p16() -> Case:
    """县卫健局, saved web page in GBK: the headline as 献血总量 in 万毫升, a table whose only figure column is a
    volume (献血量（毫升）)."""
    items = [("城关镇", 360000), ("莲塘镇", 220000), ("坊楼镇", 180000), ("琴亭镇", 160000), ("升坊镇", 140000),
             ("良坊镇", 120000), ("县直机关", 260000), ("县教育系统", 200000), ("县医疗系统", 160000)]
    ml_total = total(items)
    assert ml_total == 1800000, ml_total
    portions = [(o, v // 200) for o, v in items]
    rows = [["序号", "单位", "献血量（毫升）", "备注"]] + [[str(i), o, str(v), ""] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(ml_total), ""]]
    blocks = [
        ("docno", "莲卫发〔2024〕7号"),
        ("title", "莲花县卫生健康局关于下达2024年无偿献血任务的通知"),
        ("flat", "各乡镇人民政府，县直各单位："),
        ("p", "根据市卫生健康委关于2024年无偿献血工作的安排，全年全县献血总量180万毫升（按每人份200毫升计），"
              "现将任务分解下达如下："),
        ("table", grid(rows)),
        *requirements(),
        ("right", "莲花县卫生健康局"), ("right", "2024年2月20日"),
    ]
    panel = [("索引号", "LHX0105-2024-0012"), ("发布机构", "莲花县卫生健康局"), ("发布日期", "2024-02-22")]
    page = html_page("莲花县卫生健康局关于下达2024年无偿献血任务的通知", "莲花县人民政府", html_body(blocks),
                     "2024-02-22 09:30", panel, charset="gbk")
    return Case(
        "p16_lianhua-volume-2024.html", "saved web page in GBK; 县卫健局; headline 献血总量180万毫升 with the unit "
        "size; a table whose only figure column is a volume (献血量（毫升）): portions = 毫升 / 200",
        "莲花县卫生健康局关于下达2024年无偿献血任务的通知", 2024, "莲卫发〔2024〕7号", "2024-02-20", 9000, "人份",
        [table("任务 (volume column, portions at 200 毫升)", portions, ml_total // 200)],
        notes="figures printed in 毫升; truth portions are 毫升/200 as the notice states 每人份200毫升",
        build=lambda p: write_html(p, page, "gbk"))


def p17() -> Case:
    """市政府办, page text: a 文号 spaced inside its brackets, 任务共计…人份, pipe table with a 小计 row named for its
    片区 (城区片小计) after each group, 合计 at the foot."""
    groups = [("城区片", [("东城街道", 300), ("西城街道", 280), ("南城街道", 260)]),
              ("乡镇片", [("秋水镇", 220), ("源头镇", 200), ("枫桥镇", 180), ("石梁镇", 160)]),
              ("市直片", [("市教育局", 240), ("市卫生健康局", 210), ("市公安局", 150), ("市直机关工委", 250),
                          ("市国资委", 200)])]
    items = [it for _, its in groups for it in its]
    t = total(items)
    assert t == 2650, t
    rows, seq = [["序号", "单位", "任务数（人份）"]], 0
    for name, its in groups:
        for o, v in its:
            seq += 1
            rows.append([str(seq), o, str(v)])
        rows.append(["", f"{name}小计", str(total(its))])
    rows.append(["", "合计", str(t)])
    lines = [
        "秋政办 〔 2023 〕 22 号", "",
        "秋源市人民政府办公室关于分解下达2023年无偿献血任务的通知", "",
        "各镇人民政府、街道办事处，市政府各部门：", "",
        "经市政府同意，现将2023年无偿献血任务分解下达给你们，请认真组织实施。全市2023年无偿献血任务共计2650人份，"
        "各片区、单位任务如下：", "",
        *pipe_rows(rows), "",
        "各单位要在11月底前完成全年任务，市卫生健康局按季度通报完成情况。", "", "",
        "秋源市人民政府办公室", "2023年4月3日", "",
    ]
    return Case(
        "p17_qiuyuan-subtotals-2023.txt", "page text; 市政府办; 文号 with spaces inside its brackets; headline 任务共计…; "
        "pipe table with a 小计 row named after its 片区 (城区片小计) after each group, 合计 at the foot",
        "秋源市人民政府办公室关于分解下达2023年无偿献血任务的通知", 2023, "秋政办〔2023〕22号", "2023-04-03", 2650,
        "人份", [table("各片区、单位任务 (subtotal rows per 片区)", items, t)],
        forbidden=[forbid("total-mismatch", "every 小计 and the 合计 add up"),
                   forbid("duplicate-org", "no unit is named twice")],
        build=lambda p: write_text(p, lines))


def p18() -> Case:
    """区卫健委, DOCX: own 文号 in square brackets, a cited notice with its 文号 in the body, headline with a
    thousands separator (2,350人份), signing date with ○, an imprint line with the 印发 date."""
    items = [("和宁街道", 320), ("安澜街道", 290), ("清河街道", 260), ("东关街道", 240), ("西郊镇", 210),
             ("北坪镇", 180), ("区直机关", 300), ("区教育系统", 250), ("区卫生系统", 200), ("驻区企业", 100)]
    t = total(items)
    assert t == 2350
    rows = [["序号", "单位名称", "献血任务（人份）"]] + [[str(i), o, str(v)] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t)]]
    signed = dt.date(2024, 3, 1)
    blocks = [
        ("docno", "和卫[2024]5号"),
        ("title", "和宁区卫生健康委员会关于下达2024年度无偿献血任务的通知"),
        ("flat", "各街道办事处、镇人民政府，区直各单位："),
        ("p", "根据《安州市卫生健康委员会关于下达2024年度无偿献血任务的通知》（安卫〔2024〕2号）要求，结合我区实际，"
              "现将2024年度无偿献血任务下达给你们。"),
        ("p", "一、2024年全区无偿献血任务为2,350人份，各单位任务见附件。"),
        ("p", "二、各单位要于6月30日前完成全年任务的一半以上，12月15日前全面完成。"),
        *requirements(),
        ("p", "附件：和宁区2024年度无偿献血任务分配表"),
        ("right", "和宁区卫生健康委员会"), ("right", cn_date(signed, zero="○")),
        ("imprint", "和宁区卫生健康委员会办公室", "2024年3月4日印发"),
        ("page",), ("flat", "附件"), ("center", "和宁区2024年度无偿献血任务分配表"), ("table", grid(rows)),
    ]
    return Case(
        "p18_hening-citation-2024.docx", "DOCX; 区卫健委; own 文号 in square brackets; a cited notice (《…》 and its "
        "文号) in the first sentence; headline with a thousands separator (2,350人份); signing date with ○; imprint "
        "line with the 印发 date",
        "和宁区卫生健康委员会关于下达2024年度无偿献血任务的通知", 2024, "和卫〔2024〕5号", signed.isoformat(), 2350,
        "人份", [table("和宁区2024年度无偿献血任务分配表", items, t)],
        build=lambda p: write_docx(blocks, p, "和宁区卫生健康委员会关于下达2024年度无偿献血任务的通知"))


def p19() -> Case:
    """县政府办, PDF: an unruled table with a 常住人口（人） column and 合计 as the first row under the header."""
    items = [("城南镇", 520), ("长塘镇", 330), ("古桥镇", 290), ("白水镇", 260), ("花溪乡", 210), ("竹林乡", 180),
             ("清泉乡", 160), ("县城街道", 380), ("工业园区", 150)]
    people = [52130, 33410, 29080, 26150, 21370, 18020, 16400, 38250, 15190]
    t = total(items)
    assert t == 2480, t
    rows = [["镇（街道）", "常住人口（人）", "任务数（人份）"], ["合计", str(sum(people)), str(t)]]
    rows += [[o, str(people[i]), str(v)] for i, (o, v) in enumerate(items)]
    blocks = [
        ("docno", "城南府办发〔2023〕6号"),
        ("title", "城南县人民政府办公室关于印发2023年城南县无偿献血工作方案的通知"),
        ("flat", "各乡镇人民政府、街道办事处，县政府各部门："),
        ("p", "《2023年城南县无偿献血工作方案》已经县政府同意，现印发给你们，请认真贯彻执行。"),
        ("p", "一、目标任务。2023年全县献血任务数为2480人份，按常住人口分配到各镇（街道）。"),
        *requirements(),
        ("p", "附件：2023年各镇（街道）无偿献血任务表"),
        ("right", "城南县人民政府办公室"), ("right", "2023年5月6日"),
        ("page",), ("flat", "附件"), ("center", "2023年各镇（街道）无偿献血任务表"),
        ("table", grid(rows), dict(widths=[140, 130, 130], size=12, row_h=26, ruled=False,
                                    align=["left", "right", "right"])),
    ]
    return Case(
        "p19_chengnan-unruled-2023.pdf", "PDF, unruled table; 县政府办; no 序号; a 常住人口（人） column beside the "
        "target; 合计 as the first row under the header",
        "城南县人民政府办公室关于印发2023年城南县无偿献血工作方案的通知", 2023, "城南府办发〔2023〕6号", "2023-05-06",
        2480, "人份", [table("2023年各镇（街道）无偿献血任务表", items, t)],
        forbidden=[forbid("column-ambiguous", "常住人口 is not a target column"),
                   forbid("total-mismatch", "合计 2480 is the sum of the rows")],
        build=lambda p: write_pdf(blocks, p, "城南县人民政府办公室关于印发2023年城南县无偿献血工作方案的通知"))


def p20() -> Case:
    """高校团委, page text: the issuer on its own line above the title, 二〇二四年度 in the title, no 文号, the
    allocation as lines `教育科学学院：48人`, the headline 献血目标为300人."""
    items = [("教育科学学院", 48), ("文学院", 42), ("数学与统计学院", 36), ("物理与电子工程学院", 30),
             ("化学与材料学院", 28), ("外国语学院", 40), ("音乐学院", 20), ("体育学院", 34), ("美术学院", 22)]
    t = total(items)
    assert t == 300
    lines = [
        "共青团青禾师范学院委员会", "关于做好二〇二四年度学生无偿献血工作的通知", "",
        "各学院团委（团总支）：", "",
        "无偿献血是爱心奉献的体现。为做好我校二〇二四年度学生无偿献血工作，经研究，全校献血目标为300人。"
        "现将各学院献血名额分配如下：", "",
        *[f"{o}：{v}人" for o, v in items], "",
        "请各学院团委认真做好宣传发动，组织符合条件的学生自愿报名，于3月25日前将报名表报校团委组织部。", "", "",
        "共青团青禾师范学院委员会", "2024年3月12日", "",
    ]
    return Case(
        "p20_qinghe-college-2024.txt", "page text; 高校团委; issuer on its own line above the title; 二〇二四年度 in "
        "the title and body (no digit year); no 文号; allocation as lines `学院：N人` (no 序号, no separators)",
        "共青团青禾师范学院委员会关于做好二〇二四年度学生无偿献血工作的通知", 2024, "", "2024-03-12", 300, "人",
        [table("各学院献血名额 (lines name：N人)", items)],
        build=lambda p: write_text(p, lines))


def p21() -> Case:
    """街道, saved web page without <thead>: the header row bold in <td>, no 序号, figures with 人份 in their cells,
    a 献血时间 column, 合计 spanning two columns; 文号 with ﹝﹞."""
    items = [("南苑社区", 60), ("北苑社区", 55), ("东苑社区", 50), ("西苑社区", 45), ("花园社区", 40),
             ("新城社区", 70), ("街道机关", 50), ("辖区学校", 40), ("辖区企业", 70)]
    t = total(items)
    assert t == 480
    days = ["6月18日", "6月18日", "6月19日", "6月19日", "6月20日", "6月20日", "6月21日", "6月21日", "6月21日"]
    rows = [["社区（单位）", "任务数", "献血时间"]] + [[o, f"{v}人份", days[i]] for i, (o, v) in enumerate(items)]
    rows += [["合计", f"{t}人份", ""]]
    blocks = [
        ("docno", "南苑街﹝2023﹞17号"),
        ("title", "南苑街道办事处关于分解下达2023年无偿献血任务的通知"),
        ("flat", "各社区居委会、街道各科室、辖区各单位："),
        ("p", "根据区卫生健康局工作安排，今年全街道献血任务480人份。为确保按时完成，现将任务分解如下："),
        ("table", grid(rows)),
        ("p", "请各社区、单位按照上表时间组织献血人员到街道社区卫生服务中心参加献血。"),
        ("right", "南苑街道办事处"), ("right", "2023年6月5日"),
    ]
    panel = [("索引号", "NYJD-2023-000117"), ("发布机构", "南苑街道办事处"), ("发布日期", "2023-06-06")]
    page = html_page("南苑街道办事处关于分解下达2023年无偿献血任务的通知", "南苑街道", html_body(blocks, thead=False),
                     "2023-06-06 15:40", panel)
    return Case(
        "p21_nanyuan-street-2023.html", "saved web page (UTF-8); 街道办; table without <thead> (header bold in <td>); "
        "no 序号; figures carry 人份; a 献血时间 column of days; 合计 at the foot; 文号 with ﹝﹞",
        "南苑街道办事处关于分解下达2023年无偿献血任务的通知", 2023, "南苑街〔2023〕17号", "2023-06-05", 480, "人份",
        [table("任务分解 (figures with 人份, 献血时间 column)", items, t)],
        forbidden=[forbid("year-mismatch", "collection days without a year are this year's")],
        build=lambda p: write_html(p, page, "utf-8"))


def p22() -> Case:
    """镇政府, page text: a tab table whose 序号 skips a number (a row deleted, the rest not renumbered)."""
    items = [("丰乐社区", 60), ("三河村", 42), ("马头村", 38), ("石岗村", 35), ("金塘村", 33), ("新桥村", 30),
             ("镇机关", 45), ("镇卫生院", 40), ("镇中心学校", 36), ("辖区企业", 66), ("个体工商户", 25)]
    seqs = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12]
    t = total(items)
    assert t == 450
    lines = [
        "丰乐镇人民政府", "关于下达2024年度无偿献血任务的通知", "", "丰政〔2024〕3号", "",
        "各村（社区）、镇属各单位：", "",
        f"根据县卫生健康局下达的任务，全镇2024年度无偿献血任务为{t}人份。现将任务分解如下，请认真组织完成。", "",
        "序号\t单位\t任务数（人份）", *[f"{s}\t{o}\t{v}" for s, (o, v) in zip(seqs, items)], f"\t合计\t{t}", "",
        "各单位务必于10月底前完成任务。", "", "",
        "丰乐镇人民政府", "2024年2月19日", "",
    ]
    return Case(
        "p22_fengle-seqgap-2024.txt", "page text; 镇政府; issuer and title on two lines; tab table whose 序号 skips "
        "7 (a row deleted without renumbering): a real numbering error",
        "丰乐镇人民政府关于下达2024年度无偿献血任务的通知", 2024, "丰政〔2024〕3号", "2024-02-19", 450, "人份",
        [table("任务分解 (序号 skips 7)", items, t)], clean=False, required=["seq-gap"],
        forbidden=[forbid("total-mismatch", "合计 450 is the sum of the rows printed")],
        build=lambda p: write_text(p, lines))


def p23() -> Case:
    """镇政府, PDF: 文号 in full-width round brackets, headline in 单位 (采血任务880单位), a 任务数（单位） column, the
    table running over two pages without its header and without rulings at the break."""
    names = ["桂岭村", "沙田村", "龙湾村", "大塘村", "新屋村", "上坪村", "下坪村", "石龙村", "竹园村", "梅岭村",
             "黄竹村", "白沙村", "水口村", "岭头村", "河背村", "良田村", "坑口村", "塘尾村", "桥背村", "高车村",
             "社背村", "中和村", "大坑村", "横江村", "桂岭社区", "圩镇社区", "镇机关", "镇属事业单位", "镇中心小学",
             "镇卫生院", "辖区企业", "个体工商户"]
    values = [30, 26, 24, 22, 20, 18, 18, 22, 20, 24, 18, 20, 22, 18, 16, 24, 14, 16, 18, 20, 22, 24, 16, 18,
              46, 40, 36, 30, 24, 30, 128, 56]
    items = list(zip(names, values))
    t = total(items)
    assert t == 880, t
    rows = [["序号", "村（社区）", "任务数（单位）"]] + [[str(i), o, str(v)] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t)]]
    blocks = [
        ("docno", "桂政发（2023）11号"),
        ("title", "桂岭镇人民政府关于下达2023年无偿献血任务的通知"),
        ("flat", "各村（社区）、镇直各单位："),
        ("p", "根据县无偿献血工作领导小组的安排，全镇全年采血任务880单位，现将任务分解下达给你们（详见附件），"
              "请抓好落实。"),
        *requirements(),
        ("p", "附件：桂岭镇2023年无偿献血任务分解表"),
        ("right", "桂岭镇人民政府"), ("right", "2023年2月27日"),
        ("page",), ("flat", "附件"), ("center", "桂岭镇2023年无偿献血任务分解表"),
        ("table", grid(rows), dict(widths=[60, 200, 130], size=12, row_h=26, open_break=True)),
    ]
    return Case(
        "p23_guiling-pagebreak-2023.pdf", "PDF, ruled; 镇政府; 文号 in full-width round brackets; headline in 单位; a "
        "任务数（单位） column; the table runs onto a second page without its header and without rulings at the break",
        "桂岭镇人民政府关于下达2023年无偿献血任务的通知", 2023, "桂政发〔2023〕11号", "2023-02-27", 880, "单位",
        [table("桂岭镇2023年无偿献血任务分解表", items, t)],
        forbidden=[forbid("total-mismatch", "合计 880 is the sum of the rows on both pages")],
        build=lambda p: write_pdf(blocks, p, "桂岭镇人民政府关于下达2023年无偿献血任务的通知"))


def p24() -> Case:
    """XLSX of two sheets: the allocation with 合计 first (a SUM formula) and a monthly plan with the months as
    rows."""
    items = [("青阳街道", 420), ("东湖街道", 380), ("朝阳街道", 350), ("河东镇", 260), ("河西镇", 240),
             ("区教育局", 180), ("区卫生健康局", 160), ("区直机关工委", 220), ("区城投集团", 90)]
    t = total(items)
    assert t == 2300
    plan = [(1, "青阳街道", 210), (2, "东湖街道", 190), (3, "朝阳街道", 350), (4, "河东镇", 260), (5, "区教育局", 180),
            (6, "区直机关工委", 220), (7, "河西镇", 240), (8, "区卫生健康局", 160), (9, "东湖街道", 190),
            (10, "区城投集团", 90), (11, "青阳街道", 210)]

    def build(path: Path) -> None:
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws.title = "任务分解"
        ws["A1"] = "2024年青阳区无偿献血任务分解表"
        ws.merge_cells("A1:C1")
        for c, h in enumerate(["序号", "单位", "任务数（人份）"], 1):
            ws.cell(row=2, column=c, value=h)
        ws.cell(row=3, column=2, value="合计")
        last = 3 + len(items)
        f1 = f"SUM(C4:C{last})"
        ws.cell(row=3, column=3, value="=" + f1)
        for i, (o, v) in enumerate(items, 1):
            ws.cell(row=3 + i, column=1, value=i)
            ws.cell(row=3 + i, column=2, value=o)
            ws.cell(row=3 + i, column=3, value=v)
        ws2 = wb.create_sheet("月度安排")
        ws2["A1"] = "2024年青阳区无偿献血月度安排表"
        ws2.merge_cells("A1:C1")
        for c, h in enumerate(["月份", "单位", "计划人数"], 1):
            ws2.cell(row=2, column=c, value=h)
        for k, (m, o, v) in enumerate(plan, 3):
            ws2.cell(row=k, column=1, value=f"{m}月")
            ws2.cell(row=k, column=2, value=o)
            ws2.cell(row=k, column=3, value=v)
        end = 2 + len(plan)
        f2 = f"SUM(C3:C{end})"
        ws2.cell(row=end + 1, column=1, value="合计")
        ws2.cell(row=end + 1, column=3, value="=" + f2)
        save_xlsx(wb, path, {"sheet1.xml": {f1: t}, "sheet2.xml": {f2: sum(v for _, _, v in plan)}})
    assert sum(v for _, _, v in plan) == t
    return Case(
        "p24_qingyang-sheets-2024.xlsx", "XLSX of two sheets; the allocation with 合计 as the first row (a SUM "
        "formula); a monthly plan with the months as rows (计划人数)",
        "2024年青阳区无偿献血任务分解表 and 月度安排表 (a workbook on its own)", 2024, "", None, None, None,
        [table("2024年青阳区无偿献血任务分解表", items, t)],
        forbidden=[forbid("cross-table-mismatch", "the monthly plan schedules each unit's target exactly")],
        build=build)


def p25() -> Case:
    """镇政府, page text: the allocation as numbered sentences (1．鹤山社区完成无偿献血40人份；), the headline
    stated once before them."""
    items = [("鹤山社区", 40), ("沙坪社区", 36), ("古劳村", 32), ("龙口村", 30), ("雅瑶村", 28), ("桃源村", 26),
             ("宅梧村", 24), ("镇属企业", 94), ("镇直机关及事业单位", 50)]
    t = total(items)
    assert t == 360
    lines = [
        "鹤府〔2024〕6号", "",
        "鹤山镇人民政府关于印发《2024年鹤山镇无偿献血工作计划》的通知", "",
        "各村（社区）、镇直各单位：", "",
        "现将《2024年鹤山镇无偿献血工作计划》印发给你们，请认真贯彻落实。", "", "",
        "鹤山镇人民政府", "2024年2月6日", "", "",
        "2024年鹤山镇无偿献血工作计划", "",
        "一、指导思想", "",
        "以《中华人民共和国献血法》为依据，坚持政府主导、部门协作、全社会参与，确保临床用血安全。", "",
        "二、任务分配", "",
        f"全镇2024年无偿献血任务为{t}人份，分配如下：", "",
        *[f"{i}．{o}完成无偿献血{v}人份{'。' if i == len(items) else '；'}" for i, (o, v) in enumerate(items, 1)], "",
        "三、工作要求", "", *sum(([t_, ""] for t_ in REQUIREMENTS), []),
    ]
    return Case(
        "p25_heshan-sentences-2024.txt", "page text; 镇政府 印发《…工作计划》 (the plan follows the signature); the "
        "allocation as numbered sentences `1．鹤山社区完成无偿献血40人份；`, each a sentence that reads like a headline",
        "鹤山镇人民政府关于印发《2024年鹤山镇无偿献血工作计划》的通知", 2024, "鹤府〔2024〕6号", "2024-02-06", 360,
        "人份", [table("numbered sentences", items)],
        forbidden=[forbid("headline-ambiguous", "each numbered sentence is one unit's share, not another headline")],
        build=lambda p: write_text(p, lines))


# ---------------------------------------------------------------------------------------------------- second batch
# Written after the fixes the first 25 led to, and scored before any fix for them: a check that those fixes serve
# classes of text, not the files that showed them.


def p26() -> Case:
    """县卫健局, DOCX: a two-row header with the year's target and its parts (任务 | 其中 over 团体献血 | 街头献血)."""
    items = [("新城镇", 980, 600), ("河口镇", 760, 460), ("白杨镇", 640, 400), ("柳河乡", 420, 260), ("石桥乡", 380, 240),
             ("县直机关", 1200, 900), ("县教育系统", 820, 520), ("县医疗系统", 600, 320), ("驻县企业", 600, 200)]
    t = sum(v for _, v, _ in items)
    g_ = sum(x for _, _, x in items)
    assert (t, g_) == (6400, 3900), (t, g_)
    rows = [["序号", "乡镇（单位）", "2024年任务（人份）", "其中", "", "备注"], ["", "", "", "团体献血", "街头献血", ""]]
    rows += [[str(i), o, str(v), str(x), str(v - x), ""] for i, (o, v, x) in enumerate(items, 1)]
    rows += [["", "合计", str(t), str(g_), str(t - g_), ""]]
    spans = {(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (2, 1), (0, 3): (1, 2), (0, 5): (2, 1)}
    blocks = [
        ("docno", "新卫发〔2024〕9号"),
        ("title", "新河县卫生健康局关于下达2024年无偿献血目标任务的通知"),
        ("flat", "各乡镇人民政府，县直各单位："),
        ("p", "为保障全县临床用血，根据市卫生健康委的安排，全县2024年无偿献血任务6,400人份，其中团体献血3,900人份、"
              "街头献血2,500人份。现将任务分解下达如下："),
        ("table", grid(rows, header_rows=2, spans=spans)),
        *requirements(),
        ("right", "新河县卫生健康局"), ("right", "2024年2月26日"),
    ]
    return Case(
        "p26_xinhe-parts-2024.docx", "DOCX; 县卫健局; two-row header: the year's target beside its parts (其中 over "
        "团体献血 | 街头献血); headline with thousands separators and its parts after 其中",
        "新河县卫生健康局关于下达2024年无偿献血目标任务的通知", 2024, "新卫发〔2024〕9号", "2024-02-26", 6400, "人份",
        [table("任务分解 (target and its parts)", [(o, v) for o, v, _ in items], t)],
        forbidden=[forbid("target-mismatch", "6400 = 3900 + 2500 and the table adds up to 6400")],
        build=lambda p: write_docx(blocks, p, "新河县卫生健康局关于下达2024年无偿献血目标任务的通知"))


def p27() -> Case:
    """区献血领导小组, saved web page: figures with thousands separators in the cells, notes in brackets after the
    names, 合　计 with a full-width space, a 备注 holding figures, the 文号 as 发文字号 in the panel."""
    items = [("区教育局（含直属学校）", 1200), ("区卫生健康局（含各医院）", 1500), ("梅林街道", 2100), ("竹园街道", 1800),
             ("桃源街道", 1600), ("梅林镇", 1400), ("区直机关工委", 1800), ("区国资公司", 1200)]
    t = total(items)
    assert t == 12600, t
    notes = {"区卫生健康局（含各医院）": "含机采300人份", "梅林街道": "含流动人口"}
    rows = [["序号", "单位", "任务数（人份）", "备注"]]
    rows += [[str(i), o, f"{v:,}", notes.get(o, "")] for i, (o, v) in enumerate(items, 1)]
    rows += [["合\u3000计", "", f"{t:,}", ""]]
    blocks = [
        ("title", "梅林区无偿献血领导小组关于印发2023年度无偿献血工作要点的通知"),
        ("flat", "各街道、镇，区直各单位："),
        ("p", "现将《梅林区2023年度无偿献血工作要点》印发给你们，请认真贯彻落实。2023年全区献血任务为12,600人份，"
              "各单位任务如下："),
        ("table", grid(rows, spans={(len(rows) - 1, 0): (1, 2)})),
        *requirements(),
        ("right", "梅林区无偿献血领导小组"), ("right", "2023年2月17日"),
    ]
    panel = [("索引号", "ML-0012-2023-00008"), ("发布机构", "梅林区卫生健康局"), ("发文字号", "梅献组〔2023〕1号"),
             ("成文日期", "2023年02月17日"), ("发布日期", "2023年02月21日")]
    page = html_page("梅林区无偿献血领导小组关于印发2023年度无偿献血工作要点的通知", "梅林区人民政府", html_body(blocks),
                     "2023-02-21 16:02", panel)
    return Case(
        "p27_meilin-commas-2023.html", "saved web page (UTF-8); 区献血领导小组; 工作要点; figures with thousands "
        "separators in the cells; names with bracketed notes; 合　计 with a full-width space; a 备注 holding figures; "
        "文号 as 发文字号 in the panel",
        "梅林区无偿献血领导小组关于印发2023年度无偿献血工作要点的通知", 2023, "梅献组〔2023〕1号", "2023-02-17", 12600,
        "人份", [table("各单位任务 (thousands separators)", items, t)],
        build=lambda p: write_html(p, page, "utf-8"))


def p28() -> Case:
    """街道, page text: a plan titled without 关于, no 文号, a Markdown table (|---| under the header) copied from a
    site's editor, headline 献血任务为 380 人次, signing date in ISO form."""
    items = [("河西社区", 60), ("河东社区", 55), ("新民社区", 48), ("光明社区", 45), ("幸福社区", 42), ("和平社区", 40),
             ("街道机关", 30), ("辖区单位", 60)]
    t = total(items)
    assert t == 380
    rows = [["序号", "社区", "任务数（人次）"]] + [[str(i), o, str(v)] for i, (o, v) in enumerate(items, 1)]
    lines = [
        "河西街道2024年无偿献血工作安排", "",
        "各社区、街道各科室、辖区各单位：", "",
        "根据区卫生健康局的工作部署，今年街道献血任务为 380 人次。为确保任务完成，现将工作安排如下：", "",
        "一、任务分配", "",
        pipe_rows(rows[:1])[0], "| --- | --- | --- |", *pipe_rows(rows[1:]), "",
        "二、献血时间：另行通知。", "",
        "三、工作要求：各社区要做好宣传动员，确保按时完成任务。", "", "",
        "河西街道办事处", "2024-03-08", "",
    ]
    return Case(
        "p28_hexi-markdown-2024.txt", "page text; 街道办; plan titled without 关于 (…工作安排); no 文号; a Markdown "
        "table (a |---| row under the header); no 合计; signing date in ISO form",
        "河西街道2024年无偿献血工作安排", 2024, "", "2024-03-08", 380, "人次",
        [table("任务分配 (Markdown table)", items)],
        build=lambda p: write_text(p, lines))


def p29() -> Case:
    """市卫健局, page text: last year's and this year's targets and their change (增减, signed figures) in a tab
    table; headline 1.2万人份 with a percentage after it."""
    items = [("桐君街道", 1800, 1720), ("旧县街道", 1500, 1450), ("凤川街道", 1300, 1260), ("富春江镇", 1100, 1080),
             ("横村镇", 1000, 980), ("分水镇", 1200, 1150), ("瑶琳镇", 900, 870), ("市直机关", 1700, 1600),
             ("市属国企", 1500, 1320)]
    t = sum(v for _, v, _ in items)
    last = sum(x for _, _, x in items)
    assert t == 12000, t
    lines = [
        "桐卫〔2024〕12号", "",
        "桐庐市卫生健康局关于下达2024年全市无偿献血目标任务的通知", "",
        "各乡镇人民政府、街道办事处，市直各单位：", "",
        "2024年全市献血目标为1.2万人份，比上年增长5%。现将各地各单位目标任务下达如下：", "",
        "序号\t单位\t2023年任务\t2024年任务\t增减",
        *[f"{i}\t{o}\t{x}\t{v}\t{v - x:+d}" for i, (o, v, x) in enumerate(items, 1)],
        f"\t合计\t{last}\t{t}\t{t - last:+d}", "",
        "各单位要严格按照目标任务组织实施，每季度末报送完成情况。", "", "",
        "桐庐市卫生健康局", "2024年1月20日", "",
    ]
    return Case(
        "p29_tonglu-change-2024.txt", "page text; 市卫健局; tab table with last year's target, this year's and the "
        "change (增减, signed figures +80/-20); headline 1.2万人份 followed by a percentage",
        "桐庐市卫生健康局关于下达2024年全市无偿献血目标任务的通知", 2024, "桐卫〔2024〕12号", "2024-01-20", 12000,
        "人份", [table("目标任务 (2023 | 2024 | 增减)", [(o, v) for o, v, _ in items], t)],
        forbidden=[forbid("column-ambiguous", "the header says which column is 2024's target"),
                   forbid("total-mismatch", "every column adds up")],
        build=lambda p: write_text(p, lines))


def p30() -> Case:
    """XLSX: 片区 merged over its rows, a 小计 per 片区 and 总计 first under the header, all by formulas."""
    groups = [("东片", [("安平街道", 320), ("东城街道", 280), ("新华街道", 240)]),
              ("西片", [("西城街道", 260), ("河湾镇", 200), ("柳庄镇", 180), ("杨村乡", 120)]),
              ("直属", [("区直机关", 300), ("区属企业", 200)])]
    items = [it for _, its in groups for it in its]
    t = total(items)
    assert t == 2100

    def build(path: Path) -> None:
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws.title = "Sheet1"
        ws["A1"] = "安平区2024年无偿献血任务分解表"
        ws.merge_cells("A1:D1")
        for c, h in enumerate(["片区", "序号", "单位", "任务数（人份）"], 1):
            ws.cell(row=2, column=c, value=h)
        ws.cell(row=3, column=1, value="总计")
        ws.merge_cells("A3:C3")
        cached: dict[str, int] = {}
        r, seq, subs = 4, 0, []
        for name, its in groups:
            top = r
            for o, v in its:
                seq += 1
                ws.cell(row=r, column=2, value=seq)
                ws.cell(row=r, column=3, value=o)
                ws.cell(row=r, column=4, value=v)
                r += 1
            ws.cell(row=r, column=3, value="小计")
            f = f"SUM(D{top}:D{r - 1})"
            ws.cell(row=r, column=4, value="=" + f)
            cached[f] = total(its)
            subs.append(f"D{r}")
            ws.cell(row=top, column=1, value=name)
            ws.merge_cells(start_row=top, start_column=1, end_row=r, end_column=1)
            r += 1
        f = "SUM(" + ",".join(subs) + ")"
        ws.cell(row=3, column=4, value="=" + f)
        cached[f] = t
        save_xlsx(wb, path, {"sheet1.xml": cached})
    return Case(
        "p30_anping-groups-2024.xlsx", "XLSX; 片区 merged over its rows, a 小计 per 片区 (formulas), 总计 first under the "
        "header (a formula over the 小计)",
        "安平区2024年无偿献血任务分解表 (a workbook on its own)", 2024, "", None, None, None,
        [table("安平区2024年无偿献血任务分解表", items, t)],
        forbidden=[forbid("total-mismatch", "every 小计 and the 总计 add up")],
        build=build)


def p31() -> Case:
    """区卫健局, PDF: names wrapped over two lines inside their cells, the value header over two lines (任务数 /
    （人份）), headline 任务量为…."""
    items = [("区市场监督管理局\n（含各市场监管所）", "区市场监督管理局（含各市场监管所）", 260),
             ("区住房和城乡建设局", "区住房和城乡建设局", 180), ("区交通运输局", "区交通运输局", 150),
             ("区人民医院", "区人民医院", 420), ("区中医院", "区中医院", 300), ("瑞金街道", "瑞金街道", 560),
             ("象湖街道", "象湖街道", 480), ("沙洲镇", "沙洲镇", 350), ("区城市投资\n发展集团有限公司", "区城市投资发展集团有限公司", 580)]
    t = sum(v for _, _, v in items)
    assert t == 3280, t
    rows = [["序号", "单位名称", "任务数\n（人份）", "备注"]]
    rows += [[str(i), printed, str(v), ""] for i, (printed, _, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t), ""]]
    blocks = [
        ("docno", "瑞卫健〔2023〕5号"),
        ("title", "瑞金区卫生健康局关于下达2023年度无偿献血任务的通知"),
        ("flat", "区直各单位，各街道、镇："),
        ("p", "根据市无偿献血领导小组的部署，全区全年无偿献血任务量为3280人份，现将任务分解下达给你们（见附件）。"),
        *requirements(),
        ("p", "附件：瑞金区2023年度无偿献血任务分解表"),
        ("right", "瑞金区卫生健康局"), ("right", "2023年3月15日"),
        ("page",), ("flat", "附件"), ("center", "瑞金区2023年度无偿献血任务分解表"),
        ("table", grid(rows), dict(widths=[50, 200, 90, 80], size=11, row_h=34, header_h=40)),
    ]
    return Case(
        "p31_ruijin-wrapped-2023.pdf", "PDF, ruled; 区卫健局; names wrapped over two lines inside their cells; the "
        "value header over two lines (任务数 / （人份）); headline 任务量为…",
        "瑞金区卫生健康局关于下达2023年度无偿献血任务的通知", 2023, "瑞卫健〔2023〕5号", "2023-03-15", 3280, "人份",
        [table("瑞金区2023年度无偿献血任务分解表", [(o, v) for _, o, v in items], t)],
        build=lambda p: write_pdf(blocks, p, "瑞金区卫生健康局关于下达2023年度无偿献血任务的通知"))


def p32() -> Case:
    """镇政府, page text: a pipe table whose 序号 repeats (5 twice): a real numbering error."""
    items = [("青湖社区", 40), ("湖滨村", 32), ("渔村", 28), ("柳岸村", 26), ("荷塘村", 24), ("芦花村", 22),
             ("镇机关", 30), ("镇属单位", 28)]
    seqs = [1, 2, 3, 4, 5, 5, 6, 7]
    t = total(items)
    assert t == 230
    rows = [["序号", "单位", "任务数（人份）"]] + [[str(s), o, str(v)] for s, (o, v) in zip(seqs, items)]
    rows += [["", "合计", str(t)]]
    lines = [
        "青湖镇人民政府关于下达2024年度无偿献血任务的通知", "", "青政发〔2024〕5号", "",
        "各村（社区）、镇属各单位：", "",
        f"全镇2024年度无偿献血任务为{t}人份，现分解如下：", "",
        *pipe_rows(rows, outer=False), "",
        "请各单位于9月底前完成。", "", "",
        "青湖镇人民政府", "2024年3月1日", "",
    ]
    return Case(
        "p32_qinghu-dupseq-2024.txt", "page text; 镇政府; pipe table without outer pipes whose 序号 repeats (5 twice): "
        "a real numbering error",
        "青湖镇人民政府关于下达2024年度无偿献血任务的通知", 2024, "青政发〔2024〕5号", "2024-03-01", 230, "人份",
        [table("任务分解 (序号 5 twice)", items, t)], clean=False, required=["seq-duplicate"],
        forbidden=[forbid("total-mismatch", "合计 230 is the sum of the rows")],
        build=lambda p: write_text(p, lines))


def p33() -> Case:
    """县政府办, PDF: a 片区 table whose one 小计 is wrong (a real arithmetic error), the 总计 right."""
    groups = [("北片", [("松阳镇", 300), ("古市镇", 260), ("大东坝镇", 180)], 740),
              ("南片", [("西屏街道", 340), ("水南街道", 280), ("望松街道", 220)], 850),
              ("县直", [("县直机关", 400), ("县属企业", 210)], 610)]
    items = [it for _, its, _ in groups for it in its]
    t = total(items)
    assert t == 2190 and sum(total(its) for _, its, _ in groups) == t
    assert [total(its) for _, its, _ in groups] == [740, 840, 610]      # 南片's 小计 printed 850: wrong by 10
    rows, spans, seq = [["片区", "序号", "单位", "任务数（人份）"]], {}, 0
    for name, its, printed in groups:
        top = len(rows)
        for o, v in its:
            seq += 1
            rows.append([name if len(rows) == top else "", str(seq), o, str(v)])
        rows.append(["", "", "小计", str(printed)])
        spans[(top, 0)] = (len(rows) - top, 1)
    rows.append(["总计", "", "", str(t)])
    spans[(len(rows) - 1, 0)] = (1, 3)
    blocks = [
        ("docno", "松政办发〔2023〕18号"),
        ("title", "松阳县人民政府办公室关于下达2023年无偿献血任务的通知"),
        ("flat", "各乡镇人民政府、街道办事处，县政府直属各单位："),
        ("p", "经县政府同意，现将2023年全县无偿献血任务下达给你们。全县任务共计2190人份，各片区、单位任务见附件。"),
        *requirements(),
        ("p", "附件：2023年松阳县无偿献血任务分配表"),
        ("right", "松阳县人民政府办公室"), ("right", "2023年4月10日"),
        ("page",), ("flat", "附件"), ("center", "2023年松阳县无偿献血任务分配表"),
        ("table", grid(rows, spans=spans), dict(widths=[70, 50, 180, 110], size=11, row_h=24)),
    ]
    return Case(
        "p33_songyang-subtotal-2023.pdf", "PDF, ruled; 县政府办; 片区 merged column with a 小计 per 片区; one 小计 is "
        "wrong (南片 850, its rows add up to 840) while the 总计 is right: a real arithmetic error",
        "松阳县人民政府办公室关于下达2023年无偿献血任务的通知", 2023, "松政办发〔2023〕18号", "2023-04-10", 2190, "人份",
        [table("2023年松阳县无偿献血任务分配表", items, t)], clean=False, required=["total-mismatch"],
        build=lambda p: write_pdf(blocks, p, "松阳县人民政府办公室关于下达2023年无偿献血任务的通知"))


def p34() -> Case:
    """区卫健委, page text: the headline as 献血计划数为…, an issuer line and the title on one line, no table."""
    lines = [
        "宁江区卫生健康委员会关于做好2024年无偿献血工作的通知", "",
        "宁卫〔2024〕8号", "",
        "各街道办事处，区直各部门：", "",
        "市无偿献血领导小组下达我区年度献血计划数为3600人份。为确保完成任务，现就有关事项通知如下：", "",
        "一、各街道、各部门要按照区里分配的任务（另行下达），组织好本辖区、本系统的献血工作。", "",
        "二、区中心血站要合理安排采血车辆，方便群众就近献血。", "", "",
        "宁江区卫生健康委员会", "2024年2月5日", "",
    ]
    return Case(
        "p34_ningjiang-plannumber-2024.txt", "page text; 区卫健委; headline phrased 献血计划数为…人份; no table",
        "宁江区卫生健康委员会关于做好2024年无偿献血工作的通知", 2024, "宁卫〔2024〕8号", "2024-02-05", 3600, "人份", [],
        build=lambda p: write_text(p, lines))


def p35() -> Case:
    """镇政府, saved web page in GB2312: no 序号, the total as one cell across the table (合计：2,200人份)."""
    items = [("长安社区", 320), ("新安社区", 300), ("上角村", 260), ("下角村", 240), ("沙头村", 220), ("锦厦村", 200),
             ("镇机关", 260), ("镇属企业", 400)]
    t = total(items)
    assert t == 2200, t
    rows = [["村（社区）", "任务数（人份）", "联系人"]] + [[o, str(v), ""] for o, v in items]
    rows += [[f"合计：{t:,}人份", "", ""]]
    blocks = [
        ("title", "长安镇人民政府关于做好2024年度全镇无偿献血工作的通知"),
        ("flat", "各村（社区）、镇属各单位："),
        ("p", f"今年全镇无偿献血任务为{t}人份，各村（社区）、单位任务分配如下："),
        ("table", grid(rows, spans={(len(rows) - 1, 0): (1, 3)})),
        ("p", "请各单位高度重视，确保按时完成。"),
        ("right", "长安镇人民政府"), ("right", "2024年4月12日"),
    ]
    panel = [("索引号", "CA-2024-000045"), ("发布机构", "长安镇人民政府"), ("发布日期", "2024-04-15")]
    page = html_page("长安镇人民政府关于做好2024年度全镇无偿献血工作的通知", "长安镇人民政府", html_body(blocks, thead=False),
                     "2024-04-15 08:30", panel, charset="gb2312")
    return Case(
        "p35_changan-totalcell-2024.html", "saved web page in GB2312; 镇政府; no 序号, a 联系人 column left blank; the "
        "total as one cell across the table (合计：2,200人份); no 文号",
        "长安镇人民政府关于做好2024年度全镇无偿献血工作的通知", 2024, "", "2024-04-12", 2200, "人份",
        [table("任务分配 (total in one cell across)", items, t)],
        build=lambda p: write_html(p, page, "gbk"))



def p36() -> Case:
    """区政府办, page text: 合计 first, then each 片区's 小计 printed above its units (a group's sum heading it)."""
    groups = [("城区片", [("东门街道", 320), ("西门街道", 300), ("南门街道", 280)]),
              ("乡镇片", [("甲山镇", 360), ("乙水镇", 340), ("丙坪乡", 300)]),
              ("机关片", [("区直机关", 260), ("区属企业", 140)])]
    items = [it for _, its in groups for it in its]
    t = total(items)
    assert t == 2300, t
    rows, seq = [["序号", "单位", "任务数（人份）"], ["", "合计", str(t)]], 0
    for name, its in groups:
        rows.append(["", f"{name}小计", str(total(its))])
        for o, v in its:
            seq += 1
            rows.append([str(seq), o, str(v)])
    lines = [
        "丰台区人民政府办公室关于下达2024年无偿献血任务的通知", "", "丰政办〔2024〕7号", "",
        "各街道办事处、镇人民政府，区政府各部门：", "",
        f"经区政府同意，现将2024年全区无偿献血任务下达给你们。全区任务共计{t}人份，各片区、单位任务如下：", "",
        *pipe_rows(rows), "",
        "各单位要按季度均衡完成任务。", "", "",
        "丰台区人民政府办公室", "2024年3月12日", "",
    ]
    return Case(
        "p36_fengtai-subtotals-above-2024.txt", "page text; 区政府办; pipe table with 合计 first and each 片区's 小计 "
        "printed above its units (a group's sum heading it)",
        "丰台区人民政府办公室关于下达2024年无偿献血任务的通知", 2024, "丰政办〔2024〕7号", "2024-03-12", t, "人份",
        [table("各片区、单位任务 (小计 above each group)", items, t)],
        forbidden=[forbid("total-mismatch", "every 小计 and the 合计 add up")],
        build=lambda p: write_text(p, lines))


def p37() -> Case:
    """县卫健局, DOCX: group rows numbered 一、二、三 carrying their group's sum above units numbered 1, 2, 3 …"""
    groups = [("街道", [("东湖街道", 420), ("西湖街道", 400), ("南湖街道", 380)]),
              ("乡镇", [("青山镇", 320), ("绿水镇", 300), ("白云乡", 280)]),
              ("县直单位", [("县教育局", 260), ("县卫生健康局", 220), ("县公安局", 120)])]
    items = [it for _, its in groups for it in its]
    t = total(items)
    assert t == 2700, t
    rows, seq = [["序号", "单位", "任务数（人份）", "备注"]], 0
    for k, (name, its) in enumerate(groups):
        rows.append(["一二三"[k], name, str(total(its)), ""])
        for o, v in its:
            seq += 1
            rows.append([str(seq), o, str(v), ""])
    rows.append(["", "合计", str(t), ""])
    blocks = [
        ("docno", "湖卫发〔2024〕3号"),
        ("title", "湖山县卫生健康局关于下达2024年度无偿献血任务的通知"),
        ("flat", "各乡镇人民政府、街道办事处，县直各单位："),
        ("p", f"根据市卫生健康委的安排，2024年全县无偿献血任务为{t}人份。现将任务分解下达如下："),
        ("table", grid(rows)),
        *requirements(),
        ("right", "湖山县卫生健康局"), ("right", "2024年2月18日"),
    ]
    return Case(
        "p37_hushan-grouprows-2024.docx", "DOCX; 县卫健局; group rows numbered 一、二、三 carrying their group's sum, "
        "above units numbered 1, 2, 3 …; 合计 at the foot",
        "湖山县卫生健康局关于下达2024年度无偿献血任务的通知", 2024, "湖卫发〔2024〕3号", "2024-02-18", t, "人份",
        [table("任务分解 (group rows 一、二、三 with their sums)", items, t)],
        forbidden=[forbid("total-mismatch", "each group row is its group's sum; the 合计 is the sum of the units")],
        build=lambda p: write_docx(blocks, p, "湖山县卫生健康局关于下达2024年度无偿献血任务的通知"))



# ---------------------------------------------------------------------------------------------------- fourth batch
# Written after the fixes for p26–p37, scored before any change for them.


def p38() -> Case:
    """区卫健局, page text: a notice that forwards (转发) the city's notice, its title nesting the other's in 《》;
    its own 文号 beside the cited one; the city's figure for the district as the headline."""
    lines = [
        "清河区卫生健康局文件", "", "清卫〔2024〕15号", "",
        "关于转发《市卫生健康委关于下达2024年度无偿献血任务的通知》的通知", "",
        "各街道办事处，区直有关单位：", "",
        "现将《市卫生健康委关于下达2024年度无偿献血任务的通知》（市卫发〔2024〕6号）转发给你们，请认真贯彻执行。"
        "市卫生健康委下达我区2024年度献血任务为5200人份，各街道、单位的任务另行分解下达。", "", "",
        "清河区卫生健康局", "2024年3月5日", "",
    ]
    return Case(
        "p38_qinghe-forward-2024.txt", "page text; 区卫健局; a 转发 notice whose title nests the forwarded notice's in "
        "《》; its own 文号 and, in the body, the forwarded one's; no table",
        "关于转发《市卫生健康委关于下达2024年度无偿献血任务的通知》的通知 (清河区卫生健康局)", 2024, "清卫〔2024〕15号",
        "2024-03-05", 5200, "人份", [],
        build=lambda p: write_text(p, lines))


def p39() -> Case:
    """镇政府, saved web page in GBK of an older site: the article laid out inside layout tables, the data table
    nested in them, the header bold in <td>."""
    items = [("东岗村", 40), ("西岗村", 36), ("南岗村", 34), ("北岗村", 30), ("岗头社区", 50), ("镇机关", 30),
             ("镇卫生院", 20), ("辖区企业", 60)]
    t = total(items)
    assert t == 300
    rows = [["序号", "村（社区）", "任务数"]] + [[str(i), o, str(v)] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t)]]
    inner = html_body([
        ("title", "岗头镇人民政府关于做好2023年无偿献血工作的通知"),
        ("docno", "岗政〔2023〕21号"),
        ("flat", "各村（社区）、镇属各单位："),
        ("p", f"根据县里的安排，今年全镇无偿献血任务为{t}人，各村（社区）、单位任务如下："),
        ("table", grid(rows)),
        ("p", "请各单位于7月底前组织完成。"),
        ("right", "岗头镇人民政府"), ("right", "二〇二三年五月八日"),
    ], thead=False)
    body = ('<table width="980" border="0" cellspacing="0" cellpadding="0"><tr><td width="200" valign="top">'
            '<a href="#">政务公开</a><br><a href="#">通知公告</a></td>'
            f'<td valign="top"><table width="760" border="0"><tr><td>{inner}</td></tr></table></td></tr></table>')
    page = html_page("岗头镇人民政府关于做好2023年无偿献血工作的通知", "岗头镇人民政府", body, "2023-05-10 10:00",
                     [("索引号", "GT-2023-0021"), ("发布机构", "岗头镇人民政府")], charset="gbk")
    return Case(
        "p39_gangtou-layout-2023.html", "saved web page in GBK of an older site; 镇政府; the article laid out inside "
        "layout tables with the data table nested in them; 文号 under the title; date in Chinese numerals",
        "岗头镇人民政府关于做好2023年无偿献血工作的通知", 2023, "岗政〔2023〕21号", "2023-05-08", 300, "人",
        [table("任务 (nested in layout tables)", items, t)],
        build=lambda p: write_html(p, page, "gbk"))


def p40() -> Case:
    """乡政府, page text: columns separated by runs of full-width spaces (as a Word document pasted into a site's
    editor), 合计 at the foot."""
    items = [("双河村", 22), ("石板村", 18), ("枫树村", 16), ("茶园村", 15), ("乡机关", 12), ("乡中心学校", 10),
             ("乡卫生院", 8)]
    t = total(items)
    assert t == 101
    lines = [
        "关于下达2024年全乡无偿献血任务的通知", "", "双河乡人民政府", "",
        "各村委会、乡直各单位：", "",
        f"根据县无偿献血领导小组的安排，2024年全乡献血任务为{t}人。现将任务分配如下：", "",
        "单位\u3000\u3000\u3000\u3000任务数（人）",
        *[f"{o}\u3000\u3000\u3000\u3000{v}" for o, v in items],
        f"合计\u3000\u3000\u3000\u3000{t}", "",
        "请各单位按时完成。", "", "",
        "双河乡人民政府", "2024年4月2日", "",
    ]
    return Case(
        "p40_shuanghe-fullwidth-2024.txt", "page text; 乡政府; issuer line after the title; columns separated by runs of "
        "full-width spaces; no 序号; 合计 at the foot; no 文号",
        "关于下达2024年全乡无偿献血任务的通知 (双河乡人民政府)", 2024, "", "2024-04-02", t, "人",
        [table("任务分配 (full-width spaces)", items, t)],
        build=lambda p: write_text(p, lines))


def p41() -> Case:
    """市卫健委, PDF: figures with thousands separators in the cells, headline 1.25万人份, 合计 at the foot."""
    items = [("洪东区", 2800), ("洪西区", 2600), ("云谱区", 1900), ("湾溪区", 600), ("新洲区", 1700), ("洪南县", 1500),
             ("进安县", 900), ("义丰县", 500)]
    t = total(items)
    assert t == 12500, t
    rows = [["序号", "县（区）", "任务数（人份）"]] + [[str(i), o, f"{v:,}"] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", f"{t:,}"]]
    blocks = [
        ("docno", "洪卫发〔2024〕2号"),
        ("title", "洪都市卫生健康委员会关于下达2024年度无偿献血目标任务的通知"),
        ("flat", "各县（区）卫生健康委（局）："),
        ("p", "2024年全市无偿献血目标任务为1.25万人份，现将各县（区）目标任务分解如下："),
        ("table", grid(rows), dict(widths=[50, 170, 140], size=12, row_h=26)),
        *requirements(),
        ("right", "洪都市卫生健康委员会"), ("right", "2024年1月12日"),
    ]
    return Case(
        "p41_hongdu-thousands-2024.pdf", "PDF, ruled; 市卫健委; figures with thousands separators in the cells; a 县（区） "
        "header; headline 1.25万人份",
        "洪都市卫生健康委员会关于下达2024年度无偿献血目标任务的通知", 2024, "洪卫发〔2024〕2号", "2024-01-12", t, "人份",
        [table("目标任务 (1,200 in cells)", items, t)],
        build=lambda p: write_pdf(blocks, p, "洪都市卫生健康委员会关于下达2024年度无偿献血目标任务的通知"))


def p42() -> Case:
    """区卫健委, DOCX: a title without a year, the plan year in the body, a cited document of the year before."""
    items = [("江北街道", 300), ("江南街道", 280), ("滨江街道", 260), ("区直机关", 160)]
    t = total(items)
    assert t == 1000
    rows = [["序号", "单位", "任务数（人份）"]] + [[str(i), o, str(v)] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t)]]
    blocks = [
        ("docno", "江卫〔2024〕4号"),
        ("title", "江城区卫生健康委员会关于做好无偿献血工作的通知"),
        ("flat", "各街道办事处，区直各单位："),
        ("p", "根据《市无偿献血领导小组关于2023年度无偿献血工作情况的通报》精神，结合我区实际，现就做好2024年度无偿献血"
              f"工作通知如下：全区2024年度献血任务为{t}人份，各单位任务见下表。"),
        ("table", grid(rows)),
        ("right", "江城区卫生健康委员会"), ("right", "2024年1月25日"),
    ]
    return Case(
        "p42_jiangcheng-noyeartitle-2024.docx", "DOCX; 区卫健委; a title without a year; the plan year only in the body "
        "(做好2024年度…), beside a cited document of the year before",
        "江城区卫生健康委员会关于做好无偿献血工作的通知", 2024, "江卫〔2024〕4号", "2024-01-25", t, "人份",
        [table("任务 (title without year)", items, t)],
        forbidden=[forbid("year-mismatch", "the cited 2023 document is not the plan's year")],
        build=lambda p: write_docx(blocks, p, "江城区卫生健康委员会关于做好无偿献血工作的通知"))


def p43() -> Case:
    """XLSX: the header over two rows, the unit in brackets on the second ((人份) under 任务数), 单位 merged over
    both rows."""
    items = [("北关街道", 150), ("南关街道", 140), ("城郊镇", 120), ("河滩镇", 90), ("县直单位", 100)]
    t = total(items)
    assert t == 600

    def build(path: Path) -> None:
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws["A1"] = "2024年北关县无偿献血任务表"
        ws.merge_cells("A1:C1")
        ws["A2"], ws["B2"], ws["C2"] = "序号", "单位", "任务数"
        ws["C3"] = "（人份）"
        ws.merge_cells("A2:A3")
        ws.merge_cells("B2:B3")
        for i, (o, v) in enumerate(items, 1):
            ws.cell(row=3 + i, column=1, value=i)
            ws.cell(row=3 + i, column=2, value=o)
            ws.cell(row=3 + i, column=3, value=v)
        last = 3 + len(items)
        ws.cell(row=last + 1, column=2, value="合计")
        f = f"SUM(C4:C{last})"
        ws.cell(row=last + 1, column=3, value="=" + f)
        save_xlsx(wb, path, {"sheet1.xml": {f: t}})
    return Case(
        "p43_beiguan-twoheader-2024.xlsx", "XLSX; the header over two rows: (人份) under 任务数, 序号 and 单位 merged over "
        "both; 合计 by formula",
        "2024年北关县无偿献血任务表 (a workbook on its own)", 2024, "", None, None, None,
        [table("2024年北关县无偿献血任务表", items, t)],
        build=build)



# ---------------------------------------------------------------------------------------------------- fifth batch
# Written after the fixes for p38–p43 and for the headline, 文号, date and title forms tried on their own, scored
# before any change for them.


def p44() -> Case:
    """区卫健局, PDF: an unruled table whose headers are printed over two lines each (单  位 / 名  称, 任务数 /
    （人次）), 序号 numbered."""
    items = [("东城街道", 210), ("西城街道", 190), ("北城街道", 170), ("南城街道", 160), ("城郊镇", 140),
             ("区直机关", 130)]
    t = total(items)
    assert t == 1000
    rows = [["序号", "单  位\n名  称", "任务数\n（人次）"]] + [[str(i), o, str(v)] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t)]]
    blocks = [
        ("docno", "城卫〔2024〕11号"),
        ("title", "城关区卫生健康局关于下达2024年无偿献血任务的通知"),
        ("flat", "各街道办事处、镇人民政府，区直各单位："),
        ("p", f"根据市里下达的任务，2024年全区无偿献血任务为{t}人次。现分解如下："),
        ("table", grid(rows), dict(widths=[50, 200, 120], size=12, row_h=26, header_h=44, ruled=False,
                                    align=["center", "left", "right"])),
        ("p", "各单位要按时完成任务。"),
        ("right", "城关区卫生健康局"), ("right", "2024年2月1日"),
    ]
    return Case(
        "p44_chengguan-twoline-2024.pdf", "PDF, unruled; 区卫健局; headers printed over two lines each (单  位 / 名  称, "
        "任务数 / （人次）)",
        "城关区卫生健康局关于下达2024年无偿献血任务的通知", 2024, "城卫〔2024〕11号", "2024-02-01", t, "人次",
        [table("任务 (two-line headers, unruled)", items, t)],
        build=lambda p: write_pdf(blocks, p, "城关区卫生健康局关于下达2024年无偿献血任务的通知"))


def p45() -> Case:
    """市献血办, page text: a box-drawn table with 合计 first, a target in 万人份 with decimals."""
    items = [("甲区", 0.52), ("乙区", 0.46), ("丙区", 0.38), ("丁县", 0.34), ("戊县", 0.30)]
    t = round(sum(v for _, v in items), 2)
    assert t == 2.0
    head = "┌────┬──────┬──────────┐"
    lines = [
        "关于下达2024年度全市无偿献血计划的通知", "", "石城献办〔2024〕1号", "",
        "各区、县无偿献血领导小组：", "",
        "经市无偿献血领导小组研究，2024年全市无偿献血计划为2万人份，各区、县计划如下：", "",
        head, "│序号│ 区、县 │任务数（万人份）│", "├────┼──────┼──────────┤",
        "│    │ 合计   │   2.00   │",
        *[f"│ {i}  │ {o}   │   {v:.2f}   │" for i, (o, v) in enumerate(items, 1)],
        "└────┴──────┴──────────┘", "",
        "请各地认真组织实施。", "", "",
        "石城市无偿献血领导小组办公室", "2024年1月9日", "",
    ]
    return Case(
        "p45_shicheng-box-2024.txt", "page text; 市献血办; box-drawn table with 合计 first; figures in 万人份 with "
        "decimals (0.52 = 5200); headline 2万人份",
        "关于下达2024年度全市无偿献血计划的通知 (石城市无偿献血领导小组办公室)", 2024, "石城献办〔2024〕1号",
        "2024-01-09", 20000, "人份", [table("计划 (万人份, box drawing)", [(o, round(v * 10000)) for o, v in items], 20000)],
        build=lambda p: write_text(p, lines))


def p46() -> Case:
    """镇政府, page text: a pipe table followed by a footnote (注：…) with figures, and a 机动 row."""
    items = [("一村", 30), ("二村", 28), ("三村", 26), ("四村", 24), ("镇直单位", 32), ("其他（机动）", 10)]
    t = total(items)
    assert t == 150
    rows = [["序号", "单位", "任务数（人份）"]] + [[str(i), o, str(v)] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t)]]
    lines = [
        "大林镇人民政府关于做好2024年无偿献血工作的通知", "", "林政〔2024〕9号", "",
        "各村（社区）、镇直各单位：", "",
        f"根据县卫生健康局的安排，今年全镇无偿献血任务为{t}人份。现将任务分配如下：", "",
        *pipe_rows(rows),
        "注：1.各单位可在任务数上下10%内调整；2.机动任务10人份由镇卫生院统筹。", "",
        "请各单位于10月底前完成。", "", "",
        "大林镇人民政府", "2024年3月20日", "",
    ]
    return Case(
        "p46_dalin-footnote-2024.txt", "page text; 镇政府; pipe table with a 机动 row and a footnote right under it "
        "(注：1.…10%…；2.机动任务10人份…)",
        "大林镇人民政府关于做好2024年无偿献血工作的通知", 2024, "林政〔2024〕9号", "2024-03-20", t, "人份",
        [table("任务分配 (footnote under the table)", items, t)],
        forbidden=[forbid("total-mismatch", "合计 150 is the sum of the rows")],
        build=lambda p: write_text(p, lines))


def p47() -> Case:
    """县政府办, DOCX: a table whose 序号 column has no header text, numbered rows."""
    items = [("城厢镇", 260), ("龙华镇", 220), ("高坪镇", 180), ("大洋乡", 120), ("县直机关", 220)]
    t = total(items)
    assert t == 1000
    rows = [["", "单位", "任务（人份）"]] + [[str(i), o, str(v)] for i, (o, v) in enumerate(items, 1)]
    rows += [["", "合计", str(t)]]
    blocks = [
        ("docno", "龙政办〔2024〕6号"),
        ("title", "龙华县人民政府办公室关于下达2024年度无偿献血任务的通知"),
        ("flat", "各乡镇人民政府，县直各单位："),
        ("p", f"经县政府同意，2024年度全县无偿献血任务为{t}人份，现分解下达如下："),
        ("table", grid(rows)),
        ("right", "龙华县人民政府办公室"), ("right", "2024年3月8日"),
    ]
    return Case(
        "p47_longhua-noseqheader-2024.docx", "DOCX; 县政府办; the 序号 column has no header text, its rows numbered",
        "龙华县人民政府办公室关于下达2024年度无偿献血任务的通知", 2024, "龙政办〔2024〕6号", "2024-03-08", t, "人份",
        [table("任务 (序号 column without header)", items, t)],
        build=lambda p: write_docx(blocks, p, "龙华县人民政府办公室关于下达2024年度无偿献血任务的通知"))



ALL = [p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p20, p21,
       p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35, p36, p37, p38, p39,
       p40, p41, p42, p43, p44, p45, p46, p47]


ABOUT = ("Probe set: notices written for this project to try the pipeline on shapes the real corpus does not have "
         "(tests/probe/README.md); the same fields as ../shared/corpus/real/truth.json. Items: org as printed with "
         "whitespace removed, portions as integers (a volume column in 人份 at the notice's unit size). notice: "
         "year, doc_number (its OWN 文号 in 〔〕 form; '' = none of its own), issued_on (the 成文 date at the end, "
         "ISO; null = not printed), total_target (the headline in its count, a volume in 人份; null = none stated "
         "or, with headline-ambiguous required, two stated), unit. required_findings must appear; clean = no error "
         "finding; forbidden_findings must not appear. Written by tests/probe/make_probe.py from the figures it "
         "prints; 'kind' says the class of text.")


README_MARK = "<!-- the table below is written by make_probe.py -->"


def readme_table(cases: list[Case]) -> str:
    """The README's table of cases: the class of text each stands for and what it says."""
    out = ["| file | class of text | year | 文号 | 成文 | headline | rows | 合计 | required |",
           "|---|---|---|---|---|---|---|---|---|"]
    for c in cases:
        rows = sum(len(t["items"]) for t in c.tables)
        totals = ", ".join(str(t["stated_total"]) for t in c.tables if t["stated_total"] is not None)
        headline = "" if c.total_target is None else f"{c.total_target} {c.unit}"
        required = ", ".join(r if isinstance(r, str) else r["code"] for r in c.required)
        cells = [c.file, c.kind.replace("|", "\\|"), str(c.year or ""), c.doc_number, c.issued_on or "", headline,
                 str(rows or ""), totals, required]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def write_readme(cases: list[Case]) -> None:
    path = HERE / "README.md"
    text = path.read_text(encoding="utf-8")
    head = text[:text.index(README_MARK) + len(README_MARK)]
    path.write_text(head + "\n\n" + readme_table(cases), encoding="utf-8")


def main() -> None:
    CASES.mkdir(parents=True, exist_ok=True)
    g.register_font()
    cases = [make() for make in ALL]
    names = [c.file for c in cases]
    assert len(set(names)) == len(names)
    for c in cases:
        c.build(CASES / c.file)
    truth = {"about": ABOUT, "cases": [c.truth() for c in cases]}
    (HERE / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_readme(cases)
    stale = sorted(p.name for p in CASES.iterdir() if p.name not in names)
    for name in stale:
        print(f"warning: {CASES / name} is not a case of this script")
    print(f"{len(cases)} cases written to {CASES}")


if __name__ == "__main__":
    main()
