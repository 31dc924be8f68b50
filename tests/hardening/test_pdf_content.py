"""PDF content measured before PDFium loads a page (parsers.pdf_content): a few kilobytes that inflate, or forms
drawn within forms, are refused before they cost gigabytes; every sample is settled by the quick measure alone,
and the quick measure never counts less than the walk of the pages."""
from __future__ import annotations

import base64
import random
import time
import zlib
from pathlib import Path

import pytest

import parsers
from parsers import pdf_content
from test_hostile_pdf import HELVETICA, _nested_forms_pdf, pdf_bytes, stream

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PDFS = sorted(ROOT.glob("samples/**/*.pdf"))
TEXT = b"BT /F1 12 Tf 20 20 Td (notice 2024) Tj ET"
PAGE = b"/MediaBox [0 0 600 800] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >>"


def _deflated_page(lines: int, extra: bytes = b"") -> bytes:
    """One page whose content stream is `lines` drawn lines and a word, deflated: some 14 bytes of content for
    every line, a few hundred times smaller in the file."""
    content = b"0 0 m 1 1 l S\n" * lines + TEXT
    return pdf_bytes([PAGE], {3: stream(zlib.compress(content, 9), b"/Filter /FlateDecode " + extra), 4: HELVETICA})


def _self_drawing_form_pdf(times: int) -> bytes:
    body = b"\n".join(b"q 1 0 0 1 0 1 cm /X Do Q 0 0 m 5 5 l S" for _ in range(times))
    form = stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /XObject << /X 5 0 R >> >> ")
    page = b"/MediaBox [0 0 600 800] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> /XObject << /X 5 0 R >> >>"
    return pdf_bytes([page], {3: stream(b"/X Do " + TEXT), 4: HELVETICA, 5: form})


def _refusal(data: bytes) -> str:
    with pytest.raises(parsers.UnreadableFile) as refused:
        parsers.read_bytes("hostile.pdf", data)
    return str(refused.value)


PAGE_REFUSAL = ("PDF page 1 makes its reader parse more than 16 MB of content (compressed, forms drawn within "
                "forms, inline images: built to exhaust memory?): refused")


def test_a_content_stream_that_inflates_past_the_bound_is_refused_before_pdfium_loads_the_page(monkeypatch):
    """PDF content, hostile class: a 55 KB file whose one content stream inflates to 28 MB of lines made PDFium
    hold 580 MB (a 272 KB one: 2.7 GB, 7 s) before any bound on the page's objects could apply. PDFium is not
    asked to load the page at all."""
    import pypdfium2.raw as pdfium_c
    loads = []
    real = pdfium_c.FPDF_LoadPage
    monkeypatch.setattr(pdfium_c, "FPDF_LoadPage", lambda *a: loads.append(a) or real(*a))
    data = _deflated_page(2_000_000)
    assert len(data) < 60_000
    start = time.process_time()
    assert _refusal(data) == PAGE_REFUSAL
    assert loads == []
    assert time.process_time() - start < 5          # 0.1 s measured; it was 1.8 s and 580 MB


def test_the_same_page_within_the_bound_is_read():
    doc = parsers.read_bytes("lines.pdf", _deflated_page(1_000))
    assert [p.n_chars for p in doc.pages] == [10]


def test_forms_drawn_within_forms_are_refused_before_pdfium_builds_them():
    """PDF forms, hostile class: a form drawing the form below it ten times, six deep (3.7 KB) made PDFium build
    ten million lines in FPDF_LoadPage (4.3 GB, 14 s) before the walk of its objects could refuse it. Each form is
    measured once and counted each time it is drawn; three deep (a thousand times less) is read."""
    assert _refusal(_nested_forms_pdf(depth=6, fan=10)) == PAGE_REFUSAL
    doc = parsers.read_bytes("nest.pdf", _nested_forms_pdf(depth=2, fan=10))
    assert [p.n_chars for p in doc.pages] == [10]


@pytest.mark.parametrize("times", [1, 2])
def test_a_form_that_draws_itself_is_refused(times):
    """PDF forms, hostile class: PDFium draws a form that draws itself twice again at every level (the load ran
    for minutes); one that draws itself once is as malformed, and refused the same."""
    assert _refusal(_self_drawing_form_pdf(times)) == PAGE_REFUSAL


def test_streams_that_inflate_past_the_document_bound_are_refused(monkeypatch):
    """PDF streams, hostile class: PDFium inflates each font program it uses whole, wherever it is drawn; the
    streams of a file together (images aside) are held to MAX_DOCUMENT_STREAMS. Here a font file of 3 MB."""
    monkeypatch.setattr(pdf_content, "MAX_DOCUMENT_STREAMS", 2 << 20)
    font = stream(zlib.compress(b"\0" * (3 << 20), 9), b"/Filter /FlateDecode /Length1 3145728 ")
    data = pdf_bytes([PAGE], {3: stream(TEXT), 4: HELVETICA, 5: font})
    assert _refusal(data) == ("PDF streams inflate to more than 2 MB, images aside (built to exhaust memory?): "
                              "refused")


def test_a_compressed_content_bomb_hidden_behind_base_85_is_measured_as_well():
    """The quick measure decodes ASCII base-85 and hex before inflating (ReportLab writes every content stream so);
    a bomb wrapped in them is refused the same."""
    content = zlib.compress(b"0 0 m 1 1 l S\n" * 2_000_000 + TEXT, 9)
    wrapped = base64.a85encode(content) + b"~>"
    data = pdf_bytes([PAGE], {3: stream(wrapped, b"/Filter [/ASCII85Decode /FlateDecode] "), 4: HELVETICA})
    assert pdf_content.quick_bound(data) > pdf_content.MAX_PAGE_CONTENT
    assert _refusal(data) == PAGE_REFUSAL


def test_an_image_counts_against_no_bound_it_is_not_parsed_for(monkeypatch):
    """Images are decoded only when drawn (the render bound holds them), never parsed as content: a picture that
    inflates to 30 MB counts against neither the page's bound (the walk sees it drawn, not parsed) nor the file's
    (held here to 1 MB)."""
    monkeypatch.setattr(pdf_content, "MAX_DOCUMENT_STREAMS", 1 << 20)
    image = stream(zlib.compress(b"\xff" * (30 << 20), 9), b"/Type /XObject /Subtype /Image /Width 6000 "
                   b"/Height 5000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode ")
    page = PAGE.replace(b">> >>", b">> /XObject << /Im0 5 0 R >> >>")
    data = pdf_bytes([page], {3: stream(b"q 600 0 0 800 0 0 cm /Im0 Do Q " + TEXT), 4: HELVETICA, 5: image})
    pdf_content.check(data)
    assert pdf_content.page_content(data, pdf_content.MAX_PAGE_CONTENT) == [len(b"q 600 0 0 800 0 0 cm /Im0 Do Q ")
                                                                          + len(TEXT)]


def test_a_stream_that_calls_itself_an_image_is_still_measured_as_content():
    """PDFium parses whatever stream a page names as its content, whatever the stream's dictionary says: a
    content bomb labelled /Subtype /Image is refused the same."""
    content = zlib.compress(b"0 0 m 1 1 l S\n" * 2_000_000 + TEXT, 9)
    data = pdf_bytes([PAGE], {3: stream(content, b"/Subtype /Image /Filter /FlateDecode "), 4: HELVETICA})
    assert _refusal(data) == PAGE_REFUSAL


@pytest.mark.parametrize("path", SAMPLE_PDFS, ids=lambda p: p.name)
def test_every_sample_is_read_and_the_quick_measure_never_counts_less_than_the_walk(path):
    """Born-digital and scanned samples: the quick measure settles each born-digital one (the walk, with pdfminer's
    import, is for files it cannot: the scans, whose pictures are in base-85), what it allows a page is never less
    than what the walk of that file's pages counts, and nothing is refused."""
    data = path.read_bytes()
    quick = pdf_content.quick_bound(data)
    pages = pdf_content.page_content(data, pdf_content.MAX_PAGE_CONTENT)
    assert (quick <= pdf_content.MAX_PAGE_CONTENT) == ("scanned" not in path.parts)
    assert pages and 0 < max(pages) <= min(quick, pdf_content.MAX_PAGE_CONTENT)
    pdf_content.check(data)


def _inline_image_page(inflates_to: int, marked: bytes = b"") -> bytes:
    """A page showing one inline image whose deflated data inflates to `inflates_to` bytes."""
    image = zlib.compress(b"\xff" * inflates_to, 9)
    content = (b"q 100 0 0 100 0 0 cm BI /W %d /H 1000 /CS /G /BPC 8 /F /Fl ID " % (inflates_to // 1000) + image
               + b" EI Q " + TEXT)
    return pdf_bytes([PAGE], {3: stream(content, marked), 4: HELVETICA})


def test_an_inline_image_that_inflates_past_the_bound_is_refused_before_pdfium_loads_the_page():
    """PDF inline images, hostile class: PDFium inflates an inline image whole as it loads the page, to find where
    its data ends: 1.9 MB of file took 3 GB and 2 s. Its inflated size counts as the page's content; a small one
    is read."""
    assert _refusal(_inline_image_page(40_000_000)) == PAGE_REFUSAL
    doc = parsers.read_bytes("inline.pdf", _inline_image_page(10_000))
    assert [p.n_chars for p in doc.pages] == [10]


def test_inline_images_cost_the_measure_about_what_they_cost_pdfium_and_too_many_are_refused(monkeypatch):
    """PDF inline images, hostile class: each tiny deflated inline image counts what it inflates to (one byte
    here), once, however many BI operators stand before its data. Past MAX_INLINE_IMAGES a page is refused (here
    held to 1,000). (200,000 such images, which PDFium loads in 0.74 s, took the walk 16 s while zlib copied the
    rest of the stream after each one; the input is now fed a growing piece at a time: 1.0 s. make bench does not
    time it; measured by hand.)"""
    image = b"BI BI /W 1 /H 1 /CS /G /BPC 8 /F /Fl ID " + zlib.compress(b"\xff") + b" EI "
    data = pdf_bytes([PAGE], {3: stream(zlib.compress(image * 20_000 + TEXT), b"/Filter /FlateDecode "),
                              4: HELVETICA})
    assert pdf_content.page_content(data, pdf_content.MAX_PAGE_CONTENT) == [len(image * 20_000 + TEXT) + 20_000]
    monkeypatch.setattr(pdf_content, "MAX_INLINE_IMAGES", 1_000)
    assert _refusal(data) == PAGE_REFUSAL


def test_a_stream_marked_deflated_but_written_plain_is_measured_as_pdfium_parses_it():
    """PDFium parses the raw bytes of a content stream whose deflate data does not inflate (measured: marked
    /FlateDecode, written plain, it is read as it stands); the inline image bomb in it is found the same."""
    data = _inline_image_page(40_000_000, marked=b"/Filter /FlateDecode ")
    assert pdf_content.quick_bound(data) > pdf_content.MAX_PAGE_CONTENT
    assert _refusal(data) == PAGE_REFUSAL


@pytest.mark.parametrize("data", [
    _deflated_page(200), _deflated_page(2_000_000), _nested_forms_pdf(depth=2, fan=10), _inline_image_page(10_000),
    pdf_bytes([PAGE], {3: stream(b"q /Im#30 Do Q /Fm % comment\nDo " + TEXT), 4: HELVETICA}),
], ids=["small", "bomb", "forms", "inline", "names"])
def test_the_quick_measure_never_counts_less_than_the_walk(data):
    pages = pdf_content.page_content(data, 1 << 40)
    assert pages and max(pages) <= pdf_content.quick_bound(data)


def test_do_operators_are_counted_by_name_and_an_unclear_operand_as_the_largest_form():
    """A name's # escapes are decoded as PDFium decodes them; a Do whose operand is not a name right before it (a
    comment between; a "Do" inside a string) is counted as the largest form (None), never as none."""
    assert pdf_content._draws(b"q /Im#30 Do Q /Fm % note\n Do /Fm Do /Dont /DoX (Do) Tj") == {"Im0": 1, None: 2,
                                                                                            "Fm": 1}


def test_counting_draws_is_linear_in_comments_full_of_names():
    """PDF content, hostile class (review): names inside comment lines made the Do pattern try every one against
    every later comment (80 KB: 33 s). Each Do now looks back only to the one before it."""
    content = b"%/x\n" * 200_000 + b"/X Do"
    start = time.process_time()
    assert pdf_content._draws(content) == {"X": 1}
    assert time.process_time() - start < 1                   # 0.01 s measured


def _one_stream_pdf(header: bytes, body: bytes) -> bytes:
    return pdf_bytes([PAGE], {3: b"<<" + header + b">>\nstream\n" + body + b"\nendstream", 4: HELVETICA})


def test_a_filter_or_length_inside_a_nested_dictionary_leaves_the_file_to_the_walk():
    """PDF dictionaries, hostile class (review): the quick measure took the first /Filter or /Length it met, one in
    a nested dictionary too, and counted a deflated 64 MB content stream as its compressed bytes. A dictionary of
    more than one level, or with a key twice, is not read by the quick measure: the walk reads it as PDFium does."""
    body = zlib.compress(b" " * (20 << 20) + TEXT, 9)
    nested = b" /X << /Filter [] >> /Filter /FlateDecode /Length %d " % len(body)
    twice = b" /Length 7 /Filter /FlateDecode /Length %d " % len(body)
    for header in (nested, twice):
        data = _one_stream_pdf(header, body)
        assert pdf_content.quick_bound(data) > pdf_content.MAX_PAGE_CONTENT
        assert _refusal(data) == PAGE_REFUSAL


def test_a_stream_whose_length_is_a_reference_is_left_to_the_walk():
    """PDF streams, hostile class (review): with its /Length a reference, a body was cut at anything that looked like
    another stream's keyword inside it, and the rest counted raw. Where a body's end is not stated plainly, the
    walk measures the stream."""
    body = zlib.compress(b" " * (20 << 20) + TEXT, 9)
    data = pdf_bytes([PAGE], {3: b"<< /Filter /FlateDecode /Length 5 0 R >>\nstream\n" + body + b"\nendstream",
                              4: HELVETICA, 5: b"%d" % len(body)})
    assert pdf_content.quick_bound(data) > pdf_content.MAX_PAGE_CONTENT
    assert _refusal(data) == PAGE_REFUSAL


def test_a_bi_inside_what_an_inline_image_consumed_is_not_another_image():
    """PDF inline images, hostile class (review): deflate data that never ends was inflated again from every BI
    after it, to the end of the stream. PDFium reads on after what an image consumed; so does the walk."""
    endless = b"\x78\x01" + b"\x00\x00\x00\xff\xff" * 100_000          # empty stored blocks, none the last
    content = b"BI /W 1 /H 1 /F /Fl ID " + endless + b" EI " + b"BI /W 1 /H 1 /F /Fl ID " * 5_000
    start = time.process_time()
    pdf_content._inline_image_content(content, pdf_content.MAX_PAGE_CONTENT)
    assert time.process_time() - start < 1


def test_base_85_is_decoded_as_the_standard_library_decodes_it():
    rng = random.Random(3)
    for _ in range(300):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(40))) + b"\0" * rng.randrange(9)
        assert pdf_content._a85(base64.a85encode(raw)) == raw
    with pytest.raises(ValueError):
        pdf_content._a85(b"abc{}")
