"""OFD into the model: positioned glyphs and path rulings read like a PDF page (same lines, same ruled tables), and
the package's own ways of failing. The class of file each serves: notices published as OFD (GB/T 33190)."""
import io
import zipfile

import pytest

import parsers
from conftest import SAMPLES
from parsers import ofd
from parsers.model import Paragraph, Table, UnreadableFile

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _ofd(content: str, ofd_xml: str = "", extra: dict = None) -> bytes:
    parts = {
        "OFD.xml": ofd_xml or f"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f"<ofd:Document {NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
                              f"</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>"
                              f'<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        "Doc_0/Pages/Page_0/Content.xml": f"<ofd:Page {NS}><ofd:Content><ofd:Layer>{content}</ofd:Layer></ofd:Content></ofd:Page>",
        **(extra or {}),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return buf.getvalue()


def _text(x, y, text, deltas="", size=5, ctm=""):
    d = f' DeltaX="{deltas}"' if deltas else ""
    c = f' CTM="{ctm}"' if ctm else ""
    return (f'<ofd:TextObject ID="9" Boundary="{x} {y} 150 10" Size="{size}"{c}><ofd:TextCode X="0" Y="{size}"{d}>'
            f"{text}</ofd:TextCode></ofd:TextObject>")


def _rect(x, y, w, h):
    return (f'<ofd:PathObject ID="8" Boundary="{x} {y} {w} {h}"><ofd:AbstractData>M 0 0 L {w} 0 L {w} {h} L 0 {h} C'
            f"</ofd:AbstractData></ofd:PathObject>")


def test_glyphs_with_delta_shorthand_make_a_line_and_a_gap_makes_words():
    doc = parsers.read_bytes("a.ofd", _ofd(_text(20, 20, "无偿献血2024年", "g 4 5 2.5 2.5 2.5 2.5 5") +
                                              _text(120, 20, "通知")))
    (p,) = [b for b in doc.blocks if isinstance(b, Paragraph)]
    assert doc.format == "ofd" and [w.text for w in p.lines[0].words] == ["无偿献血2024年", "通知"]
    assert p.lines[0].page == 1 and p.lines[0].box.x0 == pytest.approx(20 * ofd.MM)


def test_rectangles_are_rulings_and_make_a_ruled_table():
    cells = "".join(_rect(20 + 40 * c, 50 + 10 * r, 40, 10) for r in range(2) for c in range(2))
    texts = _text(25, 52, "单位") + _text(65, 52, "数量") + _text(25, 62, "甲镇") + _text(65, 62, "12", "2.5")
    doc = parsers.read_bytes("t.ofd", _ofd(cells + texts))
    (t,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert t.strategy == "pdf-ruled" and t.texts() == [["单位", "数量"], ["甲镇", "12"]]


def test_a_ctm_scales_and_moves_the_glyphs():
    doc = parsers.read_bytes("c.ofd", _ofd(_text(0, 0, "献血", "5", size=5, ctm="2 0 0 2 10 10")))
    (p,) = list(doc.paragraphs())
    assert p.lines[0].box.x0 == pytest.approx(10 * ofd.MM) and p.lines[0].words[0].size == pytest.approx(10 * ofd.MM)


def test_the_sample_reads_as_its_pdf():
    doc = parsers.read_bytes("q.ofd", (SAMPLES / "qingpu-2021.ofd").read_bytes())
    pdf = parsers.read_bytes("q.pdf", (SAMPLES / "qingpu-2021.pdf").read_bytes())
    assert [t.texts() for t in doc.tables()] == [t.texts() for t in pdf.tables()]
    assert len(doc.pages) == len(pdf.pages)


@pytest.mark.parametrize("data, reason", [
    (_ofd(_text(20, 20, "献血"), ofd_xml=f"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                                         f"</ofd:DocBody><ofd:Encryptions/></ofd:OFD>"), "OFD is encrypted"),
    (_ofd('<ofd:ImageObject ID="3" Boundary="0 0 210 297" ResourceID="4"/>'), "OFD has no text"),
    (_ofd("<ofd:TextObject"), "could not be parsed"),
    (_ofd(_text(20, 20, "献血"), ofd_xml=f"<ofd:OFD {NS}><ofd:DocBody/></ofd:OFD>"), "names no document"),
    (_ofd(_text(20, 20, "献", "g 999999999 1")), "repeats a glyph advance"),
])
def test_bad_ofd_files_are_named_unreadable(data, reason):
    with pytest.raises(UnreadableFile, match=reason):
        parsers.read_bytes("bad.ofd", data)


def test_pages_count_against_max_pages_before_any_is_read():
    data = _ofd(_text(20, 20, "献血"))
    with pytest.raises(UnreadableFile, match="OFD has 1 pages, over the limit of 0"):
        ofd.read("x.ofd", data, parsers.Limits(max_pages=0))
