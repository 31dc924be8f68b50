"""Fuzz tests (issue 5): random and mutated input through the text cleaner, the table cell reader, the readers and
the whole pipeline, for a bounded number of examples each. Nothing may raise: a reader says UnreadableFile, the
pipeline turns that into one unreadable-file finding, and everything else is read.

The whole module runs in well under 20 s; examples are few but each run draws new ones (failures are printed with
the input that caused them, so they can be kept as a regression test)."""
import io
import zipfile
from functools import lru_cache

from hypothesis import HealthCheck, given, settings, strategies as st

import parsers
from ingest.clean import fix_spacing
from ingest.cells import cell_text
from ingest.pipeline import ingest_bytes
from ingest.records import Notice
from parsers import text as text_reader
from parsers.model import Cell, Document, UnreadableFile

from conftest import SAMPLES

FAST = settings(max_examples=150, deadline=None, database=None)
SLOW = settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like a notice: CJK, digits (half and full width), every kind of space, brackets, table marks.
NOTICE_CHARS = ("献血人份区镇街道合计序号单位名称数量年月日〔〕„‟（）()、，。：；0123456789０１２３４５６７８９"
                " \t\u3000\u00a0\n\r-—.%％万")
notice_text = st.text(alphabet=NOTICE_CHARS, max_size=300) | st.text(max_size=200)


def _visible(s: str) -> list[str]:
    return [c for c in s if not c.isspace()]


@FAST
@given(notice_text)
def test_fix_spacing_only_removes_spaces(text):
    fixed, n = fix_spacing(text)
    assert isinstance(fixed, str) and n >= 0
    assert _visible(fixed) == _visible(text)          # no character, so no digit, is lost or invented


@FAST
@given(notice_text)
def test_cell_text_is_one_line(text):
    out = cell_text(Cell(text=text, row=0, col=0))
    assert isinstance(out, str) and "\n" not in out


def _encode(text: str, encoding: str, data: bytes) -> bytes:
    if encoding == "utf-16":                           # the byte-order mark says which
        bom = data[:2]
        return bom + text.encode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be")
    return text.encode(encoding)


binary_text = st.binary(max_size=2000) | notice_text.map(lambda t: t.encode("gb18030")) | \
    notice_text.map(lambda t: t.encode("utf-8")) | st.binary(max_size=300).map(lambda b: b"\xff\xfe" + b)


@FAST
@given(binary_text)
def test_text_reader_reads_or_refuses_any_bytes(data):
    try:
        doc = text_reader.read("x.txt", data)
    except UnreadableFile as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(doc, Document)


@FAST
@given(binary_text)
def test_decoding_replaces_nothing(data):
    """Whatever decode() accepts, it read losslessly: encoding the text again gives back the very bytes."""
    try:
        text, encoding = text_reader.decode(data, "x.txt")
    except UnreadableFile:
        return
    assert _encode(text, encoding, data) == data


@FAST
@given(notice_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_text_decodes_back_to_what_was_written(text, encoding):
    text = text.replace("\x00", "")
    if encoding == "utf-8":
        # Without a signature a leading U+FEFF is the byte-order mark by definition: no reader can keep it.
        text = text.lstrip("\ufeff")
    decoded, _ = text_reader.decode(text.encode(encoding), "x.txt")
    assert decoded == text


@FAST
@given(st.binary(max_size=3000))
def test_any_bytes_through_the_pipeline(data):
    _check(ingest_bytes("fuzz.bin", data, "fuzz"))


# -------------------------------------------------------------------------------------------- mutated samples


@lru_cache(maxsize=None)
def _sample_lines(name: str) -> tuple[str, ...]:
    return tuple((SAMPLES / name).read_text(encoding="utf-8").split("\n"))


@st.composite
def mutated_text(draw):
    lines = list(_sample_lines(draw(st.sampled_from(["pudong-2024.txt", "qingpu-2021.txt"]))))
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "digit", "tab", "space", "swap", "split"]))
        line = lines[i]
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, line)
        elif kind == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], line
        elif line:
            j = draw(st.integers(0, len(line)))
            if kind == "digit":
                digits = [k for k, c in enumerate(line) if c.isdigit()]
                if digits:
                    k = draw(st.sampled_from(digits))
                    line = line[:k] + draw(st.sampled_from("0123456789")) + line[k + 1:]
            elif kind == "tab":
                line = line[:j] + "\t" + line[j:]
            elif kind == "space":
                line = line[:j] + " " + line[j:]
            elif kind == "split":
                line = line[:j] + "\n" + line[j:]
            lines[i] = line
        if not lines:
            lines = [""]
    return "\n".join(lines)


@SLOW
@given(mutated_text())
def test_mutated_notices_through_the_pipeline(text):
    notice = ingest_bytes("mutated.txt", text.encode("utf-8"), "mutated")
    _check(notice)
    assert not notice.error


@lru_cache(maxsize=None)
def _docx_parts() -> tuple[tuple[str, bytes], ...]:
    with zipfile.ZipFile(SAMPLES / "qingpu-2021.docx") as z:
        return tuple((n, z.read(n)) for n in z.namelist())


@SLOW
@given(st.data())
def test_mutated_docx_through_the_pipeline(data):
    parts = dict(_docx_parts())
    xml = parts["word/document.xml"]
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(xml) - 1))
        j = data.draw(st.integers(i, min(len(xml), i + 200)))
        kind = data.draw(st.sampled_from(["delete", "duplicate", "byte"]))
        if kind == "delete":
            xml = xml[:i] + xml[j:]
        elif kind == "duplicate":
            xml = xml[:j] + xml[i:j] + xml[j:]
        else:
            xml = xml[:i] + bytes([data.draw(st.integers(0, 255))]) + xml[i + 1:]
    parts["word/document.xml"] = xml
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    _check(ingest_bytes("mutated.docx", buf.getvalue(), "mutated"))


@lru_cache(maxsize=None)
def _small_pdf() -> bytes:
    from make_bad_files import _pdf
    return _pdf(2, text="2024 allocation 57510 and 41200")


@SLOW
@given(st.data())
def test_damaged_pdf_is_read_or_refused(data):
    pdf = bytearray(_small_pdf())
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(pdf) - 1))
        pdf[i] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        pdf = pdf[: data.draw(st.integers(0, len(pdf)))]
    try:
        parsers.read_bytes("damaged.pdf", bytes(pdf))
    except UnreadableFile as exc:
        assert "\n" not in str(exc)


def _check(notice: Notice) -> None:
    assert isinstance(notice, Notice)
    if notice.error:
        assert "\n" not in notice.error
        assert [f.code for f in notice.findings] == ["unreadable-file"]
    else:
        assert all(f.code != "unreadable-file" for f in notice.findings)
