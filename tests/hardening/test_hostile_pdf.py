"""PDF files that make a few kilobytes cost gigabytes or minutes: each is read within bounds, or refused with one
line naming the limit. The files are built here, each the least that shows one attack."""
from __future__ import annotations

import random
import time

import pytest

from parsers import rulings


def _grid(n: int, step: float = 4.0) -> list[dict]:
    """n horizontal and n vertical ruled lines crossing each other: a table of (n - 1)² cells."""
    end = 10 + (n - 1) * step
    return [e for i in range(n) for e in (rulings.ruling(10, 10 + i * step, end, 10 + i * step),
                                          rulings.ruling(10 + i * step, 10, 10 + i * step, end))]


def _reference(edges: list[dict]) -> list[list[tuple]]:
    """pdfplumber's own table finder ("lines" strategy) on the same edges: what the port must find."""
    from pdfplumber import table as t, utils
    edges = [e for o in "vh" for e in utils.filter_edges(edges, o, min_length=1)]
    edges = utils.filter_edges(t.merge_edges(edges, 3, 3, 3, 3), min_length=3)
    tables = t.cells_to_tables(t.intersections_to_cells(t.edges_to_intersections(edges, 3, 3)))
    tables.sort(key=lambda cells: min((c[1], c[0]) for c in cells))
    return [list(map(tuple, cells)) for cells in tables if len(cells) > 1]


def test_ruled_tables_with_gaps_and_merges_are_found_as_pdfplumber_finds_them():
    """Rulings, born-digital table class: a grid with lines left out at random (merged cells, open sides), short
    stubs and a second table; the port's faster search must find pdfplumber's cells exactly."""
    rng = random.Random(7)
    edges = []
    for i in range(25):
        for j in range(24):
            if rng.random() < 0.85:
                edges.append(rulings.ruling(10 + j * 12, 10 + i * 9, 10 + (j + 1) * 12, 10 + i * 9))
            if rng.random() < 0.85:
                edges.append(rulings.ruling(10 + i * 12, 10 + j * 9, 10 + i * 12, 10 + (j + 1) * 9))
    edges += [rulings.ruling(400, 10 + k * 20, 500, 10 + k * 20) for k in range(4)]
    edges += [rulings.ruling(400 + k * 50, 10, 400 + k * 50, 70) for k in range(3)]
    found = rulings.find_tables(edges)
    assert found == _reference(edges)
    assert len(found) >= 2 and sum(map(len, found)) > 300      # the case is not trivial


def test_a_grid_of_ruled_lines_costs_time_in_proportion_to_its_cells():
    """Rulings, hostile class: n by n lines (a 2 KB file) took n³ steps (800 lines: 71 s). Tripling the lines
    multiplies the cells by nine; the time may grow about that much (12.6-fold measured: the sweep's logarithm,
    the grouping of cells into tables and the caches add to it), not 27-fold as the cubic search did."""
    grids = {n: _grid(n) for n in (100, 300)}
    best = {n: float("inf") for n in grids}
    for _ in range(3):            # the two sizes taken in turn: a moment of other work on the machine hits both
        for n, edges in grids.items():
            start = time.process_time()
            [cells] = rulings.find_tables(edges)
            best[n] = min(best[n], time.process_time() - start)
            assert len(cells) == (n - 1) ** 2
    t1, t2 = best[100], best[300]
    assert t2 < 18 * t1, f"time grew {t2 / t1:.1f}x when the lines tripled ({t1:.2f} s -> {t2:.2f} s)"


def test_a_page_with_too_many_crossings_of_rulings_is_refused(monkeypatch):
    """Rulings, hostile class: past MAX_INTERSECTIONS crossings the page is refused, naming the bound, before its
    cells are searched (800 lines: 640,000 crossings, 690 MB)."""
    monkeypatch.setattr(rulings, "MAX_INTERSECTIONS", 50 * 50)
    assert len(rulings.find_tables(_grid(50))[0]) == 49 * 49
    with pytest.raises(rulings.UnreadableFile, match="more than 2500 crossings of ruled lines"):
        rulings.find_tables(_grid(51))


def test_rulings_that_join_many_points_without_corners_are_refused_after_a_bounded_search(monkeypatch):
    """Rulings, hostile class: two long lines from one corner with n short lines across each and no corner
    between them: the corner's search tried n² pairs (4,000 lines: minutes at 40,000). Past MAX_STEPS tries the
    page is refused; a real ruled table takes about three steps a cell (two tries, one crossing found)."""
    def comb(n):
        end = 40 + n * 10
        return ([rulings.ruling(10, 10, 10, end), rulings.ruling(10, 10, end, 10)] +
                [rulings.ruling(7, 30 + 10 * i, 13, 30 + 10 * i) for i in range(n)] +
                [rulings.ruling(30 + 10 * i, 7, 30 + 10 * i, 13) for i in range(n)])
    monkeypatch.setattr(rulings, "MAX_STEPS", 50_000)
    assert rulings.find_tables(comb(150)) == []                  # 22,500 pairs tried: within the bound, no table
    with pytest.raises(rulings.UnreadableFile, match="more than 50000 tries to search for cells"):
        rulings.find_tables(comb(250))
    assert len(rulings.find_tables(_grid(120))[0]) == 119 ** 2   # 14,161 cells: 42,962 steps, lines and crossings too


def _far_apart(n_long: int, n_short: int) -> list[dict]:
    """n_long horizontal lines across the whole width above n_short short vertical lines side by side (4 points
    apart, past the snapping distance): every vertical lies within each horizontal's x extent, none reaches it."""
    width = 4 * n_short
    return ([rulings.ruling(0, 10 + 5 * i, width, 10 + 5 * i) for i in range(n_long)] +
            [rulings.ruling(2 + 4 * j, 6000, 2 + 4 * j, 6010) for j in range(n_short)])


def test_long_lines_above_short_ones_with_no_crossing_cost_time_in_proportion_to_the_lines(monkeypatch):
    """Rulings, hostile class: each horizontal line tried every vertical within its x extent and tested its y
    only then: 1,000 lines above 50,000 gave 5 x 10^7 tries, 3 s a page (1,000 above 100,000: 5.4 s), no
    crossing found, so MAX_INTERSECTIONS never applied. The sweep asks each horizontal line only for the verticals
    that reach its y: a step per horizontal line, per vertical the sweep passes and per crossing (here 1,000
    steps, 0.2 s), all against MAX_STEPS."""
    edges = _far_apart(1_000, 50_000)
    monkeypatch.setattr(rulings, "MAX_STEPS", 1_000)
    start = time.process_time()
    assert rulings.find_tables(edges) == []
    elapsed = time.process_time() - start
    assert elapsed < 1.0, f"{elapsed:.2f} s for lines that cross nowhere"
    monkeypatch.setattr(rulings, "MAX_STEPS", 999)             # one step a horizontal line: past the bound
    with pytest.raises(rulings.UnreadableFile, match="more than 999 tries to search for cells"):
        rulings.find_tables(edges)


# ------------------------------------------------------------------------------------------------ tiny PDFs


def pdf_bytes(page_dicts: list[bytes], shared: dict[int, bytes]) -> bytes:
    """A PDF written by hand: objects 1 (catalog) and 2 (page tree), `shared` objects at their numbers (3 …), then
    one page object per entry of `page_dicts` (the dictionary's inside, /Type and /Parent added)."""
    first = max(shared, default=2) + 1
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (first + i) for i in range(len(page_dicts)))
               + b"] /Count %d >>" % len(page_dicts), **shared}
    for i, d in enumerate(page_dicts):
        objs[first + i] = b"<< /Type /Page /Parent 2 0 R " + d + b" >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), {}
    for k in sorted(objs):
        offsets[k] = len(out)
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    xref, n = len(out), max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % n + b"".join(b"%010d 00000 n \n" % offsets[k] for k in range(1, n))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, xref)
    return bytes(out)


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _shared_text_pdf(pages: int, lines: int) -> bytes:
    """`pages` pages all showing one content stream of `lines` lines of 100 digits."""
    text = b"BT /F1 4 Tf 5 TL 10 830 Td\n" + b"(0123456789012345678901234567890123456789012345678901234567890123456789" \
           b"012345678901234567890123456789) '\n" * lines + b"ET"
    page = b"/MediaBox [0 0 600 842] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >>"
    return pdf_bytes([page] * pages, {3: stream(text), 4: HELVETICA})


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
def test_pages_sharing_one_content_stream_count_against_max_chars_for_the_whole_document(reader):
    """PDF text, hostile class: 400 pages naming one 50,000-character content stream (a 63 KB file) took 112 s,
    each page within --max-chars. The characters of all pages count against it: refused on the page that passes
    it, naming the flag; the same file is read when the limit leaves room for all of it."""
    import parsers
    data = _shared_text_pdf(pages=12, lines=10)                  # 1,000 characters a page, 12,000 in all
    with pytest.raises(parsers.UnreadableFile) as refused:
        parsers.read_bytes("shared.pdf", data, max_chars=5_000, pdf_reader=reader)
    assert str(refused.value) == ("PDF has more than 5000 characters in its first 6 pages, over the limit for a "
                                  "whole document (--max-chars)")
    doc = parsers.read_bytes("shared.pdf", data, max_chars=12_000, pdf_reader=reader)
    assert [p.n_chars for p in doc.pages] == [1000] * 12


# ------------------------------------------------------------------------------------------------ rendering

SAMPLE = __import__("pathlib").Path(__file__).resolve().parents[2] / "samples" / "qingpu-2021.pdf"


def _big_page_pdf(side: float) -> bytes:
    """One page `side` points square (PDF allows 14,400) with a ruled row and text near its top left, and an 8 by
    8 image stretched over 100 points (what makes a page a scan to OCR)."""
    import zlib
    image = zlib.compress(bytes([0, 255] * 32))
    top = side - 100
    content = (b"0.5 w 20 %.0f m 300 %.0f l S 20 %.0f m 300 %.0f l S " % (top, top, top - 20, top - 20) +
               b"BT /F1 12 Tf 30 %.0f Td (notice 2024) Tj ET q 100 0 0 100 10 10 cm /Im1 Do Q" % (top - 15))
    page = (b"/MediaBox [0 0 %.0f %.0f] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> "
            b"/XObject << /Im1 5 0 R >> >>" % (side, side))
    return pdf_bytes([page], {3: stream(content), 4: HELVETICA,
                              5: stream(image, b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace "
                                               b"/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode ")})


@pytest.fixture
def renders(monkeypatch):
    """The size of every bitmap PDFium renders, and the bitmaps closed."""
    import pypdfium2 as pdfium
    made, closed = [], []
    render, close = pdfium.PdfPage.render, pdfium.PdfBitmap.close

    def recording_render(self, *args, **kwargs):
        bitmap = render(self, *args, **kwargs)
        made.append(bitmap)
        return bitmap

    def recording_close(self, *args, **kwargs):
        closed.append(self)
        return close(self, *args, **kwargs)
    monkeypatch.setattr(pdfium.PdfPage, "render", recording_render)
    monkeypatch.setattr(pdfium.PdfBitmap, "close", recording_close)
    return made, closed


def test_a_picture_on_a_page_too_large_to_render_renders_its_region_only(renders):
    """Pictures, hostile class: 9 pages of 14,400 points square (115 KB) took 7.3 GB, each page with a finding
    rendered whole at scale 2 (830 megapixels) and every page's bitmap kept. A page whose whole rendering would
    pass MAX_PIXELS has only the region rendered, at the scale asked for."""
    from PIL import Image
    from parsers import render
    made, _ = renders
    side = 14_400
    with render.PageRenderer(_big_page_pdf(side)) as r:
        png = r.crop_png(1, [20, 100, 300, 120], margin=4)
    image = Image.open(__import__("io").BytesIO(png))
    assert image.size == (int(304 * 2 + 0.999) - 32, int(124 * 2 + 0.999) - 192)      # the region, at scale 2
    assert [(b.width, b.height) for b in made] == [image.size]
    assert len(set(image.convert("L").tobytes())) > 2                               # it shows the rulings drawn there


def test_a_region_rendered_alone_has_the_pixels_of_the_whole_page(monkeypatch):
    """Pictures, born-digital class: with the bound lowered below a real notice's page, its pictures are rendered
    region by region and are the pictures of the whole page's rendering (PDFium may antialias a line cut by the
    region's edge differently: a few pixels)."""
    from PIL import Image, ImageChops
    from parsers import render
    boxes = [([77.6, 150, 517.6, 194], [407.6, 172, 517.6, 194]), ([77.6, 350, 517.6, 436], None)]
    with render.PageRenderer(str(SAMPLE)) as r:
        whole = [r.crop_png(9, box, outline=outline, colors=0) for box, outline in boxes]
        assert r.renders == 1
    monkeypatch.setattr(render, "MAX_PIXELS", 1_000_000)            # A4 at scale 2: 2 megapixels
    with render.PageRenderer(str(SAMPLE)) as r:
        alone = [r.crop_png(9, box, outline=outline, colors=0) for box, outline in boxes]
        assert r.renders == 2 and r._current is None
    for a, b in zip(whole, alone):
        a, b = (Image.open(__import__("io").BytesIO(x)).convert("RGB") for x in (a, b))
        assert a.size == b.size
        differ = sum(1 for v in ImageChops.difference(a, b).convert("L").tobytes() if v)
        assert differ <= a.height * 4, differ


def test_only_the_current_page_s_rendering_is_kept(renders):
    """Pictures, born-digital class: crops taken page by page keep one page's bitmap alive, not all of them."""
    from parsers import render
    made, closed = renders
    with render.PageRenderer(str(SAMPLE)) as r:
        for page in (1, 1, 2, 3):
            r.crop_png(page, [77.6, 150, 517.6, 194])
            assert [b for b in made if b not in closed] == [made[-1]]
        assert len(made) == 3
    assert all(b in closed for b in made)


def test_a_scanned_page_too_large_is_read_by_ocr_at_the_resolution_that_fits(renders, monkeypatch):
    """OCR, hostile class: a 696-byte PDF with a 14,400-point page took 13.3 GB, rendered whole at 150 dpi (900
    megapixels). It is rendered within MAX_PIXELS, and a note says at what resolution and why."""
    import parsers
    from parsers import ocr
    from parsers.model import Box, Line
    made, _ = renders
    seen = []

    def read_page(image, number, scale):
        seen.append((image.shape, scale))
        return [Line(text="notice 2024", page=number, box=Box(10, 10, 90, 22))], []
    monkeypatch.setattr(ocr, "read_page", read_page)
    doc = parsers.read_bytes("scan.pdf", _big_page_pdf(14_400), ocr="always")
    [(shape, scale)] = seen
    assert shape[0] * shape[1] <= parsers.render.MAX_PIXELS < (14_400 * 150 / 72) ** 2
    assert abs(shape[0] - 14_400 * scale) <= 1 and [(b.width, b.height) for b in made] == [shape[1::-1]]
    assert [(n.kind, n.detail, n.count) for n in doc.notes] == [
        ("ocr", f"{scale * 72:.0f} dpi: page 1 is larger than 80,000,000 pixels at 150 dpi", 1)]


# ------------------------------------------------------------------------------------------------ form XObjects


def _nested_forms_pdf(depth: int, fan: int) -> bytes:
    """One page drawing a form that draws the form below it `fan` times, `depth` deep, the deepest drawing `fan`
    lines: fan ** (depth + 1) lines from a file of a few hundred bytes."""
    leaf = b"\n".join(b"0 %d m 5 %d l S" % (4 * i, 4 * i) for i in range(fan))
    shared = {3: stream(b"0.5 w /X Do BT /F1 12 Tf 20 20 Td (notice 2024) Tj ET"), 4: HELVETICA,
              5: stream(leaf, b"/Type /XObject /Subtype /Form /BBox [-1e7 -1e7 1e7 1e7] ")}
    span = 4 * fan
    for level in range(1, depth + 1):
        body = b"\n".join(b"q 1 0 0 1 0 %d cm /X Do Q" % (span * j) for j in range(fan))
        shared[5 + level] = stream(body, b"/Type /XObject /Subtype /Form /BBox [-1e7 -1e7 1e7 1e7] "
                                         b"/Resources << /XObject << /X %d 0 R >> >> " % (4 + level))
        span *= fan
    page = (b"/MediaBox [0 0 600 800] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> "
            b"/XObject << /X %d 0 R >> >>" % (5 + depth))
    return pdf_bytes([page], shared)


def test_forms_drawn_within_each_other_are_refused_as_their_objects_are_walked(monkeypatch):
    """PDF paths, hostile class: a form drawing a form ten times, five deep, is a million lines from 3 KB (14.6 s,
    1.27 GB, before). The PDFium reader counts the objects and path segments it walks on a page and refuses it
    once past pdf.MAX_PATH_PARTS; the same file is read when the bound leaves room for it."""
    import parsers
    from parsers import pdf
    data = _nested_forms_pdf(depth=2, fan=10)           # 1,000 lines (2,000 segments) and 111 forms
    doc = parsers.read_bytes("nest.pdf", data)
    assert [p.n_chars for p in doc.pages] == [10]
    monkeypatch.setattr(pdf, "MAX_PATH_PARTS", 1_500)
    with pytest.raises(parsers.UnreadableFile) as refused:
        parsers.read_bytes("nest.pdf", data)
    assert str(refused.value) == ("PDF page 1 draws more than 1500 page objects and path segments (form XObjects "
                                  "drawn within each other?): refused")


def test_pages_sharing_one_grid_count_their_crossings_against_a_bound_for_the_whole_document(monkeypatch):
    """PDF rulings, hostile class: 40 pages naming one 200 by 200 grid stream (15 KB) took 62 s and 970 MB, each
    page within rulings.MAX_INTERSECTIONS. The PDFium reader counts the crossings of all pages against
    rulings.MAX_DOCUMENT_INTERSECTIONS and refuses the page that passes it; the same file is read (one table a
    page) when the bound leaves room."""
    import parsers
    lines = b" ".join(b"10 %d m 46 %d l S %d 10 m %d 46 l S" % (p, p, p, p) for p in range(10, 50, 4))
    content = b"0.5 w " + lines + b" BT /F1 12 Tf 20 60 Td (notice 2024) Tj ET"        # 10 by 10: 100 crossings
    page = b"/MediaBox [0 0 200 200] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >>"
    data = pdf_bytes([page] * 5, {3: stream(content), 4: HELVETICA})
    doc = parsers.read_bytes("grids.pdf", data)
    assert [len(t.rows) for t in doc.blocks if type(t).__name__ == "Table"] == [9] * 5
    monkeypatch.setattr(rulings, "MAX_DOCUMENT_INTERSECTIONS", 250)
    with pytest.raises(parsers.UnreadableFile) as refused:
        parsers.read_bytes("grids.pdf", data)
    assert str(refused.value) == ("PDF document has more than 250 crossings of ruled lines up to page 3: refused "
                                  "(pages sharing one grid?)")


def _strip_pdf(mediabox: bytes) -> bytes:
    """One page of the given MediaBox (and /Rotate) showing an 8 by 8 image: a scan to OCR (the attacker's
    gen_scan_var.py)."""
    import zlib
    return pdf_bytes([b"/MediaBox " + mediabox + b" /Contents 3 0 R /Resources << /XObject << /Im1 4 0 R >> >>"],
                     {3: stream(b"q 500 0 0 500 10 10 cm /Im1 Do Q"),
                      4: stream(zlib.compress(bytes(64)), b"/Type /XObject /Subtype /Image /Width 8 /Height 8 "
                                b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode ")})


@pytest.mark.parametrize("mediabox, reason", [
    (b"[0 0 300 14400]", r"48 times as tall as it is wide: too narrow to read by OCR \(its OCR detector input would "
                         r"be 34 megapixels, over the limit of 8\)"),
    (b"[0 0 14400 300] /Rotate 90", r"48 times as tall as it is wide: too narrow"),
    (b"[0 0 300 7200]", r"24 times as tall as it is wide: too narrow .* 11 megapixels"),
    (b"[0 0 100 14400]", r"144 times as tall as it is wide: too narrow to read by OCR \(the OCR engine cannot "
                         r"scale it\)"),
])
def test_a_scanned_page_too_narrow_for_the_ocr_detector_is_refused_before_ocr(monkeypatch, mediabox, reason):
    """OCR, hostile class: a 700-byte PDF of a 300 by 14,400-point page rendered at 150 dpi is only 19 megapixels,
    but RapidOCR's detector scales a page's shorter side up to 736 pixels: 34 megapixels, 8.7 GB and 15 s (300 by
    7,200: 2.2 GB; turned by /Rotate the same). At 100 by 14,400 RapidOCR failed with "damaged PDF content:
    ResizeImgError". Each is refused with the page's shape as the reason, and OCR is not run."""
    import parsers
    from parsers import ocr
    called = []
    monkeypatch.setattr(ocr, "recognise", lambda image: called.append(image.shape) or [])
    with pytest.raises(parsers.UnreadableFile, match=r"^page 1 is " + reason):
        parsers.read_bytes("strip.pdf", _strip_pdf(mediabox), ocr="always")
    assert called == []


def test_a_scanned_page_of_ordinary_shape_still_goes_to_ocr(monkeypatch):
    """OCR, scanned class: an A4 page and an A4 page turned on its side (wide: RapidOCR pads it) are read."""
    import parsers
    from parsers import ocr
    called = []
    monkeypatch.setattr(ocr, "recognise", lambda image: called.append(image.shape[:2]) or [])
    for box in (b"[0 0 595 842]", b"[0 0 842 595]", b"[0 0 14400 300]"):
        with pytest.raises(parsers.UnreadableFile, match="OCR read no text"):
            parsers.read_bytes("page.pdf", _strip_pdf(box), ocr="always")
    assert [max(s) / min(s) for s in called] == pytest.approx([842 / 595, 842 / 595, 48], rel=0.01)
