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

def main() -> None:
    pudong, qingpu = g.parse_pudong(), g.parse_qingpu()
    build_pudong_html(pudong, HERE / "pudong-2024.html")
    build_qingpu_html(qingpu, HERE / "qingpu-2021.html")
    print("pudong-2024.html, qingpu-2021.html written")


if __name__ == "__main__":
    main()
