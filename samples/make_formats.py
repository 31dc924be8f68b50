#!/usr/bin/env python3
"""The two real notices in the other formats they are published in, from the seeds and the samples generate.py
makes (run it first; `make samples` runs both):

    .venv/bin/python samples/make_formats.py

- pudong-2024.html, qingpu-2021.html: the notice as a web page saved from a browser, with the furniture of a
  government site around it (navigation, breadcrumbs, 字号 大中小, 打印/关闭, share links, an index-code panel,
  a footer with 版权所有 and 备案号, scripts and styles), paragraphs split into <span> runs over source lines,
  &nbsp; indents, and the annex tables with rowspan/colspan. 浦东 is UTF-8 with a BOM and the "saved from url"
  comment first; 青浦 is GBK declared as gb2312 in a <meta http-equiv>, with full-width 序号 in 附件 2.
- pudong-2024-annex.xlsx/.xls/.ods, qingpu-2021-annex.xlsx/.xls/.ods: the annex tables alone as a workbook, one
  sheet per annex, the 附件 label and title in rows merged across the sheet, merged cells as merged ranges, 合计 as
  a formula (with its cached value), some figures stored as text, plus a hidden sheet and an empty sheet the reader
  must skip. XLSX written by openpyxl; XLS and ODS converted from it by LibreOffice.
- pudong-2024.doc, qingpu-2021.doc: the DOCX samples converted by LibreOffice (Word 97-2003).
- pudong-2024.ofd, qingpu-2021.ofd: the PDF samples' characters and ruling lines written as OFD (GB/T 33190):
  one TextObject per printed word with its Boundary, TextCode X/Y and DeltaX, one PathObject per ruling.

Output is byte-identical on every run (fixed timestamps in every ZIP, fixed document properties).
"""
from __future__ import annotations

import html
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate as g  # noqa: E402  (the seed parsing lives there)

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def fixed_zip(data: bytes, rewrite=None) -> bytes:
    """The same ZIP with fixed member times and order kept; `rewrite(name, bytes)` may change a member."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if rewrite is not None:
                body = rewrite(item.filename, body)
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = item.compress_type
            info.external_attr = 0o644 << 16
            dst.writestr(info, body)
    return out.getvalue()


# =====================================================================================================
# HTML
# =====================================================================================================

STYLE = "body{font-family:SimSun,serif}.nav a{margin:0 8px}.article{width:900px;margin:auto}td,th{border:1px solid #000}"


def e(text: str) -> str:
    return html.escape(text, quote=True)


def spans(text: str, every: int = 9) -> str:
    """A paragraph as a CMS writes it: runs of <span>s, some separated by a line break of the source (which a
    browser shows as nothing between CJK characters)."""
    parts = [text[i:i + every] for i in range(0, len(text), every)]
    out = []
    for n, part in enumerate(parts):
        out.append(f"<span>{e(part)}</span>")
        if n % 3 == 2 and n + 1 < len(parts) and g.CJK.match(part[-1]) and g.CJK.match(parts[n + 1][0]):
            out.append("\n")
    return "".join(out)


def para(text: str, indent: bool = True, align: str = "") -> str:
    style = f' style="text-align:{align}"' if align else ""
    lead = "&nbsp;" * 4 if indent else ""
    return f'<p class="MsoNormal"{style}>{lead}{spans(text)}</p>\n'


def html_table(table: g.Table, digits=None) -> str:
    """A <table> with the merged cells of `table` as rowspan/colspan; cell lines ("\\n") as <br>."""
    covered = table.covered()
    rows = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = table.spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            tag = "th" if r == 0 else "td"
            shown = digits(r, c, text) if digits else text
            cells.append(f"<{tag}{attrs}>" + "<br>".join(e(t) for t in shown.split("\n")) + f"</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head, body = rows[0], rows[1:]
    return ('<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0">\n<thead>' + head +
            "</thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n")


def page(title: str, site: str, body: str, charset_meta: str, saved_from: str = "") -> str:
    """The notice's body inside the furniture of a government site's article page."""
    first = f"<!-- saved from url=(0062){saved_from} -->\n" if saved_from else ""
    return f"""{first}<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset_meta}
<title>{e(title)}_{e(site)}</title>
<style>{STYLE}</style>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
</head>
<body>
<div class="top-bar">欢迎访问{e(site)}网站 <a href="#">繁体</a> <a href="#">无障碍</a></div>
<div class="nav"><a href="#">首页</a><a href="#">政务公开</a><a href="#">政务服务</a><a href="#">互动交流</a></div>
<div class="bread-crumb">当前位置：<a href="#">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">通知公告</a></div>
<table class="xxgk-info"><tr><td>索引号：</td><td>SY-2024-00417</td><td>发布机构：</td><td>{e(site)}</td></tr>
<tr><td>主题分类：</td><td>卫生、体育</td><td>发布日期：</td><td>2024-08-20</td></tr></table>
<div class="article">
<div class="article-tools">字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div class="article-content">
{body}</div>
<div class="bdsharebuttonbox">分享到：<a href="#" class="bds_weixin">微信</a><a href="#" class="bds_tsina">微博</a></div>
<div>【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】【<a href="#">返回顶部</a>】</div>
</div>
<div class="footer"><p>主办：{e(site)}办公室　<a href="#">网站地图</a> | <a href="#">联系我们</a></p>
<p>版权所有：{e(site)}　沪ICP备05003219号-1　沪公网安备 31011502000123号　网站标识码：3101150001</p></div>
<script>document.write("<span>访问量：12345</span>");</script>
</body>
</html>
"""


def build_pudong_html(doc: g.Pudong, path: Path) -> None:
    body = [f'<p style="text-align:center">{spans(doc.docno.text)}</p>\n']
    body += [para(b.text, indent=b.kind != "salutation") for b in doc.cover]
    body += [para(doc.issuer, indent=False, align="right"), para(doc.date.text, indent=False, align="right"),
             para(doc.public_note, indent=False)]
    body += [para(b.text) for b in doc.body]
    body += [para(doc.annex_ref.text), para(doc.cc, indent=False),
             f"<p>{spans(doc.printed_by)}&nbsp;&nbsp;&nbsp;&nbsp;{spans(doc.printed_on)}</p>\n",
             para(doc.annex_title.text, indent=False)]
    pages = [g.pudong_table(p, header_lines=False) for p in doc.annex_pages]
    body.append(html_table(g.Table(pages[0].rows + pages[1].rows)))
    text = page(doc.annex_title.text.removeprefix("附件："), "上海市浦东新区人民政府", "".join(body),
                '<meta charset="utf-8">', saved_from="https://www.pudong.gov.cn/zwgk/tzgg/2024/08/16/notice.html")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def build_qingpu_html(doc: g.Qingpu, path: Path) -> None:
    body = [f"<h1>{spans(doc.title)}</h1>\n", f'<p style="text-align:center">{e(doc.draft_mark)}</p>\n']
    body += [para(b.text, indent=b.kind != "salutation") for b in doc.blocks]
    body.append("<p>" + "<br>\n".join(spans(item) for item in doc.annex_list) + "</p>\n")
    for annex in doc.annexes:
        body.append(f"<p>{e(annex.label)}</p>\n<h2>{spans(annex.title)}</h2>\n")
        wide = (lambda r, c, t: t.translate(FULL_WIDTH) if c == 0 else t) if annex.label == "附件 2" else None
        body.append(html_table(annex.table, wide))
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    path.write_bytes(page(doc.title, "上海市青浦区人民政府", "".join(body), meta).encode("gbk"))


# =====================================================================================================
# Workbooks
# =====================================================================================================

FIXED_TIME = g.FIXED_TIME


def soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    """Convert with LibreOffice (headless, its own profile in a temporary folder): `target` as --convert-to takes it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("make_formats.py needs LibreOffice (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)")
    with tempfile.TemporaryDirectory(prefix="xianxue-samples-") as tmp:
        src = Path(tmp) / f"source{suffix}"
        src.write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless",
                        "--norestore", "--convert-to", target, "--outdir", str(Path(tmp) / "out"), str(src)],
                       check=True, capture_output=True, timeout=300)
        (result,) = (Path(tmp) / "out").iterdir()
        return result.read_bytes()


def column(c: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(c + 1)


def write_sheet(ws, blocks: list[str], table: g.Table, formulas: list) -> None:
    """Title rows (each merged across the table's width), then the table from the next row, its merged cells as
    merged ranges; figures as numbers except every fifth (stored as text, as hand-kept sheets have them)."""
    width = len(table.rows[0])
    for r, text in enumerate(blocks, start=1):
        ws.cell(row=r, column=1, value=text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    top = len(blocks) + 1
    covered = table.covered()
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            if (r, c) in covered or not text:
                continue
            value = int(text) if text.isdigit() and r > 0 and (r % 5 or c == 0) else text
            ws.cell(row=top + r, column=c + 1, value=value)
    for (r, c), (rs, cs) in sorted(table.spans.items()):
        ws.merge_cells(start_row=top + r, start_column=c + 1, end_row=top + r + rs - 1, end_column=c + cs)
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            if text in ("合计", "总计") and (r, c) not in covered:
                _total_formula(ws, table, top, r, c, formulas)


def _total_formula(ws, table: g.Table, top: int, r: int, c: int, formulas: list) -> None:
    """The 合计 figure as =SUM(...) of the figures above it in the value columns, where that sum is the figure
    printed (the cached value is the printed one; a sum that differs stays a plain number)."""
    value_cols = [k for k, h in enumerate(table.rows[0]) if "量" in h or "数" in h]
    target = next(k for k in value_cols if k > c)
    printed = table.rows[r][target]
    figures = [int(row[k]) for row in table.rows[1:r] + table.rows[r + 1:] for k in value_cols
               if row[k].isdigit()] + [int(x) for x in table.rows[r][target + 1:] if x.isdigit()]
    if not printed.isdigit() or sum(figures) != int(printed):
        return
    ranges = [f"{column(k)}{top + 1}:{column(k)}{top + len(table.rows) - 1}" for k in value_cols]
    formula = "SUM(" + ",".join(ranges) + ")"
    ws.cell(row=top + r, column=target + 1, value="=" + formula)
    formulas.append((formula, printed))


def save_xlsx(wb, path: Path, formulas: list) -> bytes:
    """openpyxl writes formulas without a cached value; put the printed total in, as Excel would have saved it."""
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.properties.creator = wb.properties.lastModifiedBy = ""
    buf = io.BytesIO()
    wb.save(buf)

    def cached(name: str, body: bytes) -> bytes:
        if name == "docProps/core.xml":          # openpyxl stamps the time of saving, whatever was set
            start = body.index(b"<dcterms:modified")
            start = body.index(b">", start) + 1
            body = body[:start] + b"2000-01-01T00:00:00Z" + body[body.index(b"<", start):]
        if name.startswith("xl/worksheets/"):
            for formula, value in formulas:
                body = body.replace(f"<f>{formula}</f><v></v>".encode(), f"<f>{formula}</f><v>{value}</v>".encode())
        return body
    data = fixed_zip(buf.getvalue(), cached)
    path.write_bytes(data)
    return data


def extra_sheets(wb) -> None:
    """A hidden sheet (a figure in it must not be read) and an empty one, as real workbooks carry."""
    hidden = wb.create_sheet("填报说明")
    hidden["A1"], hidden["B1"] = "填报口径", 99999
    hidden.sheet_state = "hidden"
    wb.create_sheet("Sheet3")


def build_workbooks(stem: str, sheets: list[tuple[str, list[str], g.Table]]) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    formulas: list = []
    for name, blocks, table in sheets:
        write_sheet(wb.create_sheet(name), blocks, table, formulas)
    extra_sheets(wb)
    xlsx = save_xlsx(wb, HERE / f"{stem}-annex.xlsx", formulas)
    (HERE / f"{stem}-annex.xls").write_bytes(soffice_convert(xlsx, ".xlsx", "xls"))
    ods = soffice_convert(xlsx, ".xlsx", "ods")
    (HERE / f"{stem}-annex.ods").write_bytes(fixed_zip(ods, _fixed_ods_meta))


def _fixed_ods_meta(name: str, body: bytes) -> bytes:
    """LibreOffice stamps the conversion time and its build into meta.xml, and writes the sheets' page styles in
    no fixed order: keep the file the same on every run."""
    from lxml import etree
    if name == "styles.xml":
        root = etree.fromstring(body)
        for masters in root.iter("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}master-styles"):
            masters[:] = sorted(masters, key=lambda el: el.get("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}name", ""))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    if name != "meta.xml":
        return body
    root = etree.fromstring(body)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] in ("creation-date", "date", "generator",
                                                                       "editing-duration", "editing-cycles"):
            el.text = "2000-01-01T00:00:00" if "date" in el.tag else ("1" if "cycles" in el.tag else
                                                                       "PT0S" if "duration" in el.tag else "")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def pudong_sheets(doc: g.Pudong) -> list:
    pages = [g.pudong_table(p, header_lines=False) for p in doc.annex_pages]
    return [("附件", [doc.annex_title.text], g.Table(pages[0].rows + pages[1].rows))]


def qingpu_sheets(doc: g.Qingpu) -> list:
    return [(a.label.replace(" ", ""), [a.label, a.title], a.table) for a in doc.annexes]


# =====================================================================================================
# Legacy Word
# =====================================================================================================

def build_doc(stem: str) -> None:
    """The DOCX sample as Word 97-2003. python-docx ends the body with the last annex table, which Word never
    does (it always keeps a paragraph after a table) and LibreOffice's .doc export then drops that table: the
    copy converted gets the empty closing paragraph Word would have saved."""
    def closing_paragraph(name: str, body: bytes) -> bytes:
        if name != "word/document.xml":
            return body
        at = body.rindex(b"<w:sectPr")
        return body[:at] + b"<w:p/>" + body[at:]
    docx = fixed_zip((HERE / f"{stem}.docx").read_bytes(), closing_paragraph)
    (HERE / f"{stem}.doc").write_bytes(soffice_convert(docx, ".docx", "doc"))


# =====================================================================================================
# OFD
# =====================================================================================================

OFD_NS = "http://www.ofdspec.org/2016"
PT = 25.4 / 72                     # millimetres per point


def mm(v: float) -> str:
    return f"{v * PT:.3f}".rstrip("0").rstrip(".")


def advances(values: list[str]) -> str:
    """DeltaX with OFD's shorthand: a run of equal advances as "g N v"."""
    out, i = [], 0
    while i < len(values):
        j = i
        while j < len(values) and values[j] == values[i]:
            j += 1
        out.append(f"g {j - i} {values[i]}" if j - i > 2 else " ".join(values[i:j]))
        i = j
    return " ".join(out)


def ofd_words(chars: list[dict]) -> list[list[dict]]:
    """Printed words: characters on one baseline with no visible gap (more than 0.15 em) between them."""
    words: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["matrix"][5], 1) * -1, c["x0"])):
        last = words[-1][-1] if words else None
        if last is not None and abs(last["matrix"][5] - ch["matrix"][5]) < 0.5 and \
                -0.5 < ch["x0"] - last["x1"] <= 0.15 * ch["size"] and last["size"] == ch["size"]:
            words[-1].append(ch)
        else:
            words.append([ch])
    return words


def ofd_page(page, ids) -> str:
    """One PDF page's words as TextObjects and its rulings as PathObjects."""
    objects = []
    for word in ofd_words([c for c in page.chars if c["text"].strip()]):
        size = word[0]["size"]
        base = float(page.height) - word[0]["matrix"][5]
        x0, top = word[0]["x0"], base - size
        deltas = advances([mm(b["x0"] - a["x0"]) for a, b in zip(word, word[1:])])
        text = e("".join(c["text"] for c in word))
        objects.append(f'<ofd:TextObject ID="{next(ids)}" Boundary="{mm(x0)} {mm(top)} '
                       f'{mm(word[-1]["x1"] - x0 + 1)} {mm(size * 1.3)}" Font="1" Size="{mm(size)}">'
                       f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{mm(size)}"'
                       + (f' DeltaX="{deltas}"' if deltas else "") + f">{text}</ofd:TextCode></ofd:TextObject>")
    for line in page.lines:
        x0, top, x1, bottom = line["x0"], line["top"], line["x1"], line["bottom"]
        objects.append(f'<ofd:PathObject ID="{next(ids)}" Boundary="{mm(x0)} {mm(top)} {mm(x1 - x0 + 1)} '
                       f'{mm(bottom - top + 1)}" LineWidth="{mm(line.get("linewidth") or 0.75)}">'
                       f'<ofd:AbstractData>M 0 0 L {mm(x1 - x0)} {mm(bottom - top)}</ofd:AbstractData>'
                       f"</ofd:PathObject>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
            f'<ofd:Layer ID="{next(ids)}">' + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")


def build_ofd(stem: str) -> None:
    """The PDF sample as OFD: what a converter to OFD keeps of it (positioned glyphs and ruling lines)."""
    import itertools
    import pdfplumber
    ids = itertools.count(2)
    parts: dict[str, str] = {}
    with pdfplumber.open(HERE / f"{stem}.pdf") as pdf:
        width, height = mm(float(pdf.pages[0].width)), mm(float(pdf.pages[0].height))
        for n, page in enumerate(pdf.pages):
            parts[f"Doc_0/Pages/Page_{n}/Content.xml"] = ofd_page(page, ids)
        n_pages = len(pdf.pages)
    page_list = "".join(f'<ofd:Page ID="{next(ids)}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(n_pages))
    parts["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{next(ids)}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {width} {height}"
        f"</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f"<ofd:Pages>{page_list}</ofd:Pages></ofd:Document>")
    parts["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
        f'<ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
    ofd = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
           f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>{stem}</ofd:DocID><ofd:CreationDate>2000-01-01</ofd:CreationDate>"
           f"</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in [("OFD.xml", ofd)] + sorted(parts.items()):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, body.encode("utf-8"))
    (HERE / f"{stem}.ofd").write_bytes(out.getvalue())


# =====================================================================================================

def main() -> None:
    pudong, qingpu = g.parse_pudong(), g.parse_qingpu()
    build_pudong_html(pudong, HERE / "pudong-2024.html")
    build_qingpu_html(qingpu, HERE / "qingpu-2021.html")
    build_workbooks("pudong-2024", pudong_sheets(pudong))
    build_workbooks("qingpu-2021", qingpu_sheets(qingpu))
    build_doc("pudong-2024")
    build_doc("qingpu-2021")
    build_ofd("pudong-2024")
    build_ofd("qingpu-2021")
    print("HTML, workbooks (XLSX, XLS, ODS), .doc and OFD files written")


if __name__ == "__main__":
    main()
