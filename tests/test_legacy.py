"""Legacy Word and WPS files through the real LibreOffice (make test and .ci/run install it when missing): the .doc
samples, made by LibreOffice from the DOCX samples, read as their DOCX; the stand-in soffice tests in test_bad_files
cover failures and time-outs."""
import shutil

import pytest

import parsers
from conftest import SAMPLES


def test_libreoffice_is_installed():
    assert shutil.which("soffice"), "soffice missing: `make test` installs libreoffice-writer-nogui"


@pytest.mark.parametrize("stem", ["pudong-2024", "qingpu-2021"])
@pytest.mark.parametrize("name", ["{stem}.doc", "{stem}.wps"])      # a WPS file in Word's format is the same OLE
def test_a_legacy_file_reads_as_the_docx_it_was_made_from(stem, name):
    data = (SAMPLES / f"{stem}.doc").read_bytes()
    doc = parsers.read_bytes(name.format(stem=stem), data)
    want = parsers.read_bytes(f"{stem}.docx", (SAMPLES / f"{stem}.docx").read_bytes())
    assert doc.format == "doc" and doc.notes[-1].kind == "converted"
    assert [t.texts() for t in doc.tables()] == [t.texts() for t in want.tables()]
    # (LibreOffice may add a tab where Word had a tab stop: the words are what must agree)
    assert ["".join(p.text.split()) for p in doc.paragraphs()] == ["".join(p.text.split()) for p in want.paragraphs()]
