"""Web pages: found from their bytes wherever the markup starts, decoded as declared, furniture dropped, paragraphs
and tables (with rowspan/colspan as merged cells) read into the model. The class of text each serves: pages as
browsers save them from government sites."""
import tomllib

import pytest

from ingest import ingest_bytes

import parsers
from parsers import html as web
from parsers.model import Paragraph, Table, UnreadableFile
from parsers.sniff import sniff

NOTICE = "<p>关于做好2024年无偿献血工作的通知</p><table><tr><td>序号</td><td>单位</td></tr><tr><td>1</td><td>甲</td></tr></table>"


def _read(markup: str, encoding: str = "utf-8") -> parsers.Document:
    return parsers.read_bytes("page.html", markup.encode(encoding))


def _paragraphs(doc) -> list[list[str]]:
    return [[line.text for line in b.lines] for b in doc.blocks if isinstance(b, Paragraph)]


def _tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


# --------------------------------------------------------------------------------- sniffing (issue 17, item 8)

@pytest.mark.parametrize("start", [
    b"\xef\xbb\xbf<!DOCTYPE html><html>",                                   # a BOM
    b"<!-- saved from url=(0045)http://www.example.gov.cn/a.html -->\r\n<html>",   # how browsers save pages
    b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x"><html>',
    b'<meta charset="gb2312"><title>t</title>',                            # a <meta> first
    b"\n\n  <HTML><BODY>",                                                 # blanks and upper case
    b"<!-- one --><!-- two -->\n<table><tr><td>1</td></tr></table>",     # a fragment after comments
    "\ufeff<html>".encode("utf-16-le"),                                     # UTF-16 with its BOM
])
def test_html_is_sniffed_wherever_its_markup_starts(start):
    assert sniff(start + "<p>关于做好2024年无偿献血工作的通知</p>".encode("utf-8")) == "html"


@pytest.mark.parametrize("text", ["关于做好2024年无偿献血工作的通知\n<附件1>", "<1> 第一条", "2024 < 2025 <html"])
def test_text_that_only_contains_angle_brackets_stays_text(text):
    assert sniff(text.encode("utf-8")) == "text"


def test_a_page_with_a_bom_and_a_saved_from_comment_gives_its_table():
    page = "\ufeff<!-- saved from url=(0030)http://example.gov.cn/ -->\n<html><body>" + NOTICE + "</body></html>"
    doc = parsers.read_bytes("page.htm", page.encode("utf-8"))
    assert doc.format == "html" and len(_tables(doc)) == 1


# --------------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("meta", ['<meta charset="gb2312">', '<meta charset=GBK>',
                                  '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', ""])
def test_gb_pages_declared_or_not(meta):
    doc = _read(f"<html><head>{meta}</head><body>{NOTICE}</body></html>", "gbk")
    assert doc.encoding == "gb18030"
    assert _paragraphs(doc) == [["关于做好2024年无偿献血工作的通知"]]


def test_a_utf8_page_under_an_old_gb2312_declaration_is_read_as_utf8():
    doc = _read(f'<html><head><meta charset="gb2312"></head><body>{NOTICE}</body></html>', "utf-8")
    assert doc.encoding == "utf-8" and _paragraphs(doc) == [["关于做好2024年无偿献血工作的通知"]]


def test_a_page_in_no_encoding_is_refused_not_replaced():
    with pytest.raises(UnreadableFile, match="decodes in none of"):
        parsers.read_bytes("p.html", b"<html><body><p>\x81\x20\xff\xfe\x80</p></body></html>")


def test_declared_encoding_reads_meta_and_xml_declaration():
    assert web.declared_encoding(b'<meta http-equiv="content-type" content="text/html;charset=GB2312">') == "gb18030"
    assert web.declared_encoding(b"<?xml version='1.0' encoding='gbk'?><html>") == "gb18030"
    assert web.declared_encoding(b'<meta charset="big5">') == "big5"
    assert web.declared_encoding(b'<meta charset="no-such-thing">') is None


# --------------------------------------------------------------------------------- furniture and flow

PAGE = """<html><head><title>站名</title><style>p {color: red}</style><script>var a = "<p>不是正文</p>";</script></head>
<body><div class="nav"><a>首页</a><a>政务公开</a></div>
<div class="bread-crumb">当前位置：首页 &gt; 通知公告</div>
<div>您现在的位置：首页 &gt; 通知</div>
<div class="tools">字号：<a>大</a> <a>中</a> <a>小</a></div>
<table><tr><td>索引号：</td><td>0001/2024-00001</td><td>发布机构：</td><td>卫健委</td></tr></table>
<h1>关于做好<span>2024年</span>
<span>无偿献血</span>工作的通知</h1>
<p>&nbsp;&nbsp;&nbsp;&nbsp;<span>各街道、</span><font>镇</font>：</p>
<p>\u3000\u3000第一行<br>第二行<br/>  </p>
<nav>导航</nav>
<div>【<a>打印本页</a>】【<a>关闭窗口</a>】 [返回顶部]</div>
<div class="bdsharebuttonbox">分享到：<a>微信</a></div>
<div id="footer">版权所有 某某区人民政府</div>
<p>沪ICP备12345678号 网站标识码 3101150001</p>
</body></html>"""


def test_furniture_is_dropped_and_the_notice_kept_in_order():
    doc = _read(PAGE)
    assert _paragraphs(doc) == [["关于做好2024年无偿献血工作的通知"], ["各街道、镇："], ["第一行", "第二行"]]
    # the index-code panel is left to the notice stage (ingest.clean.web_panel), which keeps it apart from the
    # text: its 文号, 成文日期 and 发布日期 fields may be all the page says of them
    assert [[c.text for c in row] for t in _tables(doc) for row in t.rows] == [
        ["索引号：", "0001/2024-00001", "发布机构：", "卫健委"]]
    assert any(n.kind == "web-furniture" and n.count > 0 for n in doc.notes)


def test_the_metadata_panel_gives_the_notice_its_docno_and_dates():
    # The class of text: 信息公开 pages whose 文号 and dates are only in the page's metadata table, not in the body
    page = PAGE.replace('<td>发布机构：</td><td>卫健委</td></tr>', '<td>发布机构：</td><td>卫健委</td></tr>'
                        '<tr><td>文号：</td><td>甲卫〔2024〕7号</td><td>成文日期：</td><td>2024-02-20</td></tr>'
                        '<tr><td>发布日期：</td><td>2024-02-22</td></tr>')
    n = ingest_bytes("page.html", page.encode("utf-8"), "page")
    assert (n.facts.doc_number, n.facts.signed_on, n.facts.published_on) == ("甲卫〔2024〕7号", "2024-02-20", "2024-02-22")
    assert n.tables == ()


def test_a_source_line_break_between_latin_words_is_a_space():
    assert web.flow_lines("Blood\n  donation\u00a0day\n献\n血") == ["Blood donation day 献血"]   # a space only where one side is not CJK


def test_headings_keep_their_level_as_a_style_hint():
    doc = _read("<body><h2>一、工作目标</h2><p>正文。</p></body>")
    assert [b.style for b in doc.blocks] == ["h2", None]


def test_a_page_with_nothing_but_furniture_is_unreadable():
    with pytest.raises(UnreadableFile, match="no text once navigation"):
        _read('<html><body><div class="nav">首页</div><script>x()</script></body></html>')


# --------------------------------------------------------------------------------- tables

def test_rowspan_and_colspan_are_merged_cells_and_br_a_line_break():
    doc = _read("""<table><thead><tr><th>月份</th><th>单位</th><th>数量</th></tr></thead><tbody>
    <tr><td rowspan="2">九月</td><td>甲镇<br>（东片）</td><td>１２</td></tr>
    <tr><td>乙镇</td><td>30</td></tr>
    <tr><td colspan="2">合计</td><td>42</td></tr></tbody></table>""")
    (t,) = _tables(doc)
    assert t.merges_known and t.strategy == "html"
    assert t.texts() == [["月份", "单位", "数量"], ["九月", "甲镇\n（东片）", "１２"], ["", "乙镇", "30"], ["合计", "", "42"]]
    assert (t.rows[1][0].rowspan, t.rows[2][0].merged_into) == (2, (1, 0))
    assert (t.rows[3][0].colspan, t.rows[3][1].merged_into) == (2, (3, 0))
    assert [ln.text for ln in t.rows[1][1].lines] == ["甲镇", "（东片）"]


def test_spans_are_clamped_as_browsers_do():
    doc = _read('<table><tr><td rowspan="9">a</td><td colspan="x">b</td></tr><tr><td>c</td></tr></table>')
    (t,) = _tables(doc)
    assert t.rows[0][0].rowspan == 2 and t.rows[0][1].colspan == 1
    assert t.texts() == [["a", "b"], ["", "c"]]


def test_spans_built_to_exhaust_memory_are_refused():
    rows = "".join(f'<tr><td colspan="1000">{i}</td><td>1</td></tr>' for i in range(600))
    with pytest.raises(UnreadableFile, match="spans more than"):
        _read(f"<table>{rows}</table>")


def test_a_layout_table_is_read_as_flow_and_its_data_table_as_a_table():
    doc = _read(f"<table><tr><td><p>通知正文。</p>{NOTICE}</td></tr></table>")
    assert _paragraphs(doc) == [["通知正文。"], ["关于做好2024年无偿献血工作的通知"]]
    assert [t.texts() for t in _tables(doc)] == [[["序号", "单位"], ["1", "甲"]]]


def test_a_caption_is_the_paragraph_before_its_table():
    doc = _read("<table><caption>附件1 分配表</caption><tr><td>序号</td><td>单位</td></tr><tr><td>1</td><td>甲</td></tr></table>")
    assert isinstance(doc.blocks[0], Paragraph) and doc.blocks[0].text == "附件1 分配表"


def test_deep_nesting_is_read_without_recursion_up_to_the_parsers_limit_and_refused_past_it():
    doc = _read("<div>" * 200 + "<p>正文</p>" + "</div>" * 200)
    assert _paragraphs(doc) == [["正文"]]
    with pytest.raises(UnreadableFile, match="beyond the parser's limits .Excessive depth"):
        _read("<div>" * 5000 + "<p>正文</p>" + "</div>" * 5000)


def test_text_over_the_character_limit_is_refused():
    with pytest.raises(UnreadableFile, match="--max-chars"):
        parsers.read_bytes("p.html", ("<p>" + "献血" * 600 + "</p>").encode(), max_chars=1000)


# --------------------------------------------------------------------------------- the rules file

def test_furniture_rules_load_and_are_checked(tmp_path, monkeypatch):
    rules = web.furniture()
    assert "nav" in rules.drop_tags and rules.is_furniture_text("【打印本页】【关闭窗口】")
    assert rules.is_furniture_text("字号：大 中 小") and not rules.is_furniture_text("各街道、镇：")
    broken = tomllib.loads(web.RULES_FILE.read_text(encoding="utf-8"))
    bad = tmp_path / "web_furniture.toml"
    bad.write_text(web.RULES_FILE.read_text(encoding="utf-8").replace("short_paragraph = ", "short_paragraph = -"),
                   encoding="utf-8")
    assert broken["text"]["short_paragraph"] > 0
    monkeypatch.setattr(web, "RULES_FILE", bad)
    web.furniture.cache_clear()
    try:
        with pytest.raises(ValueError, match="short_paragraph"):
            web.furniture()
    finally:
        web.furniture.cache_clear()
