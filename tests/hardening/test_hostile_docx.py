"""DOCX files within every size limit that cost far more to parse than they unpack to: refused from a count made
on the XML's bytes, before lxml builds the tree, with one line naming the limit."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import parsers

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "pudong-2024.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _with_body(body: str) -> bytes:
    """A real notice's package with its main part replaced by a body of `body`."""
    out = io.BytesIO()
    with zipfile.ZipFile(SAMPLE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'.encode()
            dst.writestr(info.filename, data)
    return out.getvalue()


def _with_part(name: str, extra: str) -> bytes:
    """The sample package with `extra` put inside the root element of its part `name`."""
    out = io.BytesIO()
    with zipfile.ZipFile(SAMPLE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == name:
                text = data.decode("utf-8")
                close = text.rindex("</")
                data = (text[:close] + extra + text[close:]).encode("utf-8")
            dst.writestr(info.filename, data)
    return out.getvalue()


def test_a_main_part_of_empty_elements_counts_against_max_chars():
    """DOCX, hostile class: 100 MB of <w:p/> (a 1 MB file, ratio 110: under the zip-bomb ratio) took 2.3 GB and
    38 s, its text empty so --max-chars never applied. Its elements count against --max-chars before parsing,
    16 a character."""
    text = '<w:p><w:r><w:t>关于做好无偿献血工作的通知</w:t></w:r></w:p>'
    data = _with_body(text + "<w:p/>" * 5_000)
    with pytest.raises(parsers.UnreadableFile) as refused:
        parsers.read_bytes("nodes.docx", data, max_chars=312)
    assert str(refused.value) == ("DOCX has 5006 XML elements in word/document.xml, over the limit of 4992 "
                                  "(16 per character of --max-chars)")
    doc = parsers.read_bytes("nodes.docx", data, max_chars=313)    # 5,005 elements and the XML declaration
    assert [line.text for p in doc.paragraphs() for line in p.lines] == ["关于做好无偿献血工作的通知"]


@pytest.mark.parametrize("part", ["_rels/.rels", "[Content_Types].xml"])
def test_empty_elements_in_the_parts_that_find_the_main_part_count_against_max_chars(part):
    """DOCX, hostile class: the package's relationships and content types were parsed with no count (100 MB of
    <x/> there: gigabytes). The count is made on the bytes, so 20,000 elements under --max-chars 1000 (16,000
    elements) show it; the same package reads when the bound allows them."""
    data = _with_part(part, "<x/>" * 20_000)
    with pytest.raises(parsers.UnreadableFile) as refused:
        parsers.read_bytes("parts.docx", data, max_chars=1_000)
    assert str(refused.value).startswith("DOCX has 200")
    assert str(refused.value).endswith(f"XML elements in {part}, over the limit of 16000 "
                                       f"(16 per character of --max-chars)")
    assert parsers.read_bytes("parts.docx", data, max_chars=100_000).tables()


def _word_saved(text: str, per_paragraph: int = 1_000) -> bytes:
    """A DOCX as Word saves a heavily edited Chinese notice: one run per character, each with its full run
    properties (11 elements and some 420 bytes a character)."""
    run = ('<w:r w:rsidR="00A15C2E" w:rsidRPr="00B27F41"><w:rPr><w:rFonts w:ascii="仿宋_GB2312" '
           'w:eastAsia="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:hint="eastAsia"/><w:b/><w:bCs/><w:color w:val="000000"/>'
           '<w:kern w:val="0"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>'
           '</w:rPr><w:t>{}</w:t></w:r>')
    paragraphs = "".join('<w:p w:rsidR="00A15C2E">' + "".join(run.format(c) for c in text[i:i + per_paragraph])
                         + "</w:p>" for i in range(0, len(text), per_paragraph))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{paragraphs}'
                                        f'</w:body></w:document>')
    return out.getvalue()


def test_a_word_saved_notice_with_one_run_a_character_reads_within_max_chars():
    """DOCX, Word-saved long notice class: 60,000 characters, one run each with Word's run properties, are
    660,000 elements: read under the default --max-chars and under --max-chars 100000 (which its text is
    within; one element a character refused it)."""
    from ingest.settings import Settings
    text = ("关于做好2024年度无偿献血工作的通知各街道办事处区卫生健康委员会" * 2_000)[:60_000]
    data = _word_saved(text)
    for max_chars in (Settings().max_chars, 100_000):
        doc = parsers.read_bytes("word.docx", data, max_chars=max_chars)
        assert "".join(line.text for p in doc.paragraphs() for line in p.lines) == text


def test_the_generated_sample_notice_reads_under_a_max_chars_its_text_and_markup_fit():
    """DOCX, generated sample class: the sample notice (3,113 characters) reads under a --max-chars a little over
    its text."""
    doc = parsers.read_bytes("n.docx", SAMPLE.read_bytes(), max_chars=4_000)
    assert doc.tables() and sum(len(line.text) for p in doc.paragraphs() for line in p.lines) > 500
