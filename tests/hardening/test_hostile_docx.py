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


def test_a_main_part_of_empty_elements_counts_against_max_chars():
    """DOCX, hostile class: 100 MB of <w:p/> (a 1 MB file, ratio 110: under the zip-bomb ratio) took 2.3 GB and
    38 s, its text empty so --max-chars never applied. Its elements count against --max-chars before parsing."""
    text = '<w:p><w:r><w:t>关于做好无偿献血工作的通知</w:t></w:r></w:p>'
    data = _with_body(text + "<w:p/>" * 5_000)
    with pytest.raises(parsers.UnreadableFile) as refused:
        parsers.read_bytes("nodes.docx", data, max_chars=5_000)
    assert str(refused.value) == ("DOCX has 5006 XML elements in its main part, over the limit of 5000 (--max-chars, "
                                  "which bounds a DOCX's elements as well as its text)")
    doc = parsers.read_bytes("nodes.docx", data, max_chars=5_006)   # 5,005 elements and the XML declaration
    assert [line.text for p in doc.paragraphs() for line in p.lines] == ["关于做好无偿献血工作的通知"]


def test_real_notices_have_about_one_element_per_character_and_still_read():
    """DOCX, real notice class: the sample notice reads under a --max-chars that its text and markup both fit."""
    doc = parsers.read_bytes("n.docx", SAMPLE.read_bytes(), max_chars=5_000)
    assert doc.tables() and sum(len(line.text) for p in doc.paragraphs() for line in p.lines) > 500
