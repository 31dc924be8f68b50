"""The PDFium reader (the default) and the pdfplumber reader (the reference, --pdf-reader pdfplumber) read every
PDF alike: the same rows, totals, findings, metadata and cleaned text, byte for byte as written, on every
sample PDF and on the bad files that must be read; on pages drawn in the ways real producers draw them (turned
pages, scaled text, rulings as thin filled rects or inside form XObjects, a font that is not embedded) the same
characters, the same ruled tables, and boxes within a fraction of a point."""
from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "tests"))
import make_bad_files  # noqa: E402
from notice_factory import linjiang, nanping  # noqa: E402

from ingest.pipeline import ingest_file  # noqa: E402
from ingest.settings import Settings  # noqa: E402
from ingest.writers import json_bytes, notice_json  # noqa: E402
from parsers import pdf, pdf_plumber, read_bytes, rulings  # noqa: E402
from parsers.model import Table, UnreadableFile  # noqa: E402
from parsers.pdf_layout import page_blocks  # noqa: E402
from parsers.limits import Limits  # noqa: E402

READERS = ("pdfium", "pdfplumber")
# Text-layer PDFs of the samples. The scanned samples go through the same OCR step whichever reader opened them:
# what could differ there, the decision to OCR a page, is compared below without running OCR.
TEXT_PDFS = sorted(p for p in SAMPLES.rglob("*.pdf") if "scanned" not in p.parts)
SCANNED_PDFS = sorted((SAMPLES / "scanned").glob("*.pdf"))


def _written(path: Path, reader: str) -> bytes:
    """What the command line writes for this notice (notices/<id>.json holds every row, total, finding and the
    metadata and text), read with one reader, without the cache."""
    n = ingest_file(str(path), "n", Settings(pdf_reader=reader, ocr="never"))
    assert not n.error, n.error
    return json_bytes(notice_json(n))


def _same(a: bytes, b: bytes) -> bool:
    """The same outputs: byte for byte, or the same in everything but boxes a hundredth of a point or so apart.
    A font whose /Widths are fractions (reportlab writes them; Word and WPS write whole thousandths of an em) puts
    a run's right edge a few hundredths of a point apart in the two readers (PDFium keeps whole thousandths), and
    written to a tenth of a point such an edge can round either way."""
    if a == b:
        return True
    import json

    def close(x, y, key=""):
        if key == "box" and isinstance(x, list) and isinstance(y, list):
            return len(x) == len(y) and all(abs(u - v) <= 0.15 for u, v in zip(x, y))
        if isinstance(x, dict) and isinstance(y, dict):
            return x.keys() == y.keys() and all(close(x[k], y[k], k) for k in x)
        if isinstance(x, list) and isinstance(y, list):
            return len(x) == len(y) and all(close(u, v, key) for u, v in zip(x, y))
        return x == y

    return close(json.loads(a), json.loads(b))


@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda p: p.relative_to(SAMPLES).as_posix())
def test_sample_pdfs_give_the_same_outputs_with_both_readers(path):
    assert _same(_written(path, "pdfium"), _written(path, "pdfplumber"))


@pytest.fixture(scope="module")
def readable_bad_pdfs(tmp_path_factory) -> list[Path]:
    """The files of the bad-file corpus that must be read and are PDFs (whatever their names say)."""
    folder = tmp_path_factory.mktemp("readable")
    expected = make_bad_files.build_readable(folder)
    found = [folder / name for name, (fmt, _) in expected.items() if fmt == "pdf"]
    assert found, "the bad-file corpus has readable PDFs"
    return found


def test_readable_bad_pdfs_give_the_same_outputs_with_both_readers(readable_bad_pdfs):
    for path in readable_bad_pdfs:
        assert _same(_written(path, "pdfium"), _written(path, "pdfplumber")), path.name


def test_bad_pdfs_are_refused_by_both_readers(tmp_path):
    """Every PDF of the bad-file corpus that must be refused is refused by both readers, for the reason the
    corpus names (a damaged file may be described in each library's words, so only the limits, encryption,
    truncation and scans are compared word for word)."""
    expected = make_bad_files.build(tmp_path)
    checked = 0
    for name, reason in expected.items():
        path = tmp_path / name
        if not path.is_file() or not path.read_bytes().startswith(b"%PDF"):
            continue
        checked += 1
        for reader in READERS:
            with pytest.raises(UnreadableFile) as caught:
                read_bytes(name, path.read_bytes(), **make_bad_files.LIMITS, ocr="never", pdf_reader=reader)
            message = str(caught.value)
            assert reason in message or reason.startswith("not a readable PDF") and "readable PDF" in message, \
                (reader, name, message)
    assert checked >= 6


@pytest.mark.parametrize("path", SCANNED_PDFS, ids=lambda p: p.name)
def test_scans_are_sent_to_ocr_page_for_page_by_both_readers(path):
    data = path.read_bytes()
    pages = {name: list(module._pages(data, Limits())) for name, module in (("pdfium", pdf), ("plumber", pdf_plumber))}
    seen = {name: [(p.number, round(p.width, 3), round(p.height, 3), len(p.chars), p.has_images) for p in raw]
            for name, raw in pages.items()}
    assert seen["pdfium"] == seen["plumber"]
    assert all(has_images and n_chars == 0 for _, _, _, n_chars, has_images in seen["pdfium"])


# ------------------------------------------------------------------------------------------------ page drawing

def _raw_pages(data: bytes) -> dict:
    return {name: list(module._pages(data, Limits())) for name, module in (("pdfium", pdf), ("plumber", pdf_plumber))}


def _assert_pages_agree(data: bytes) -> list:
    """Same characters, same lines split into the same words, same tables; each line starts where pdfplumber
    starts it, and every character's top, bottom and size are within 0.01 pt of pdfplumber's.

    Along a line the two may place characters apart by up to a point or so, for two reasons on fonts that
    reportlab writes: PDFium keeps widths in whole 1/1000 em (reportlab states fractional ones), and pdfminer
    drops the character spacing (Tc) after the last glyph of each string, which the PDF reference adds after
    every glyph (PDFium follows the reference). Neither changes which characters form a word here."""
    pages = _raw_pages(data)
    assert len(pages["pdfium"]) == len(pages["plumber"])
    for a, b in zip(pages["pdfium"], pages["plumber"]):
        assert (round(a.width, 3), round(a.height, 3)) == (round(b.width, 3), round(b.height, 3))
        order = lambda c: (round(c["top"]), c["x0"])   # noqa: E731
        ca, cb = sorted(a.chars, key=order), sorted(b.chars, key=order)
        assert "".join(c["text"] for c in ca) == "".join(c["text"] for c in cb)
        for i, (x, y) in enumerate(zip(ca, cb)):
            for k in ("top", "bottom", "size"):
                assert abs(x[k] - y[k]) <= 0.01, (k, x, y)
            if i == 0 or round(ca[i - 1]["top"]) != round(x["top"]):
                assert abs(x["x0"] - y["x0"]) <= 0.01, ("line start", x, y)
        assert _layout(a) == _layout(b)
        assert sorted(map(sorted, a.tables)) == sorted(map(sorted, b.tables))
        assert a.has_images == b.has_images
    return pages["pdfium"]


def _layout(raw) -> list:
    """A page as the later stages see it: each line's words, each table's cells."""
    out = []
    for block in page_blocks(raw):
        if isinstance(block, Table):
            out.append([[(c.text, c.rowspan, c.colspan) for c in row] for row in block.rows])
        else:
            out.append([[w.text for w in line.words] for line in block.lines])
    return out


def _canvas(draw, size=(400, 300), rotate=0) -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, invariant=1)
    if rotate:
        c.setPageRotation(rotate)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def _grid(c, x0=40, y0=60, cols=(40, 90, 60), rows=4, h=20, how="lines"):
    """A ruled table: as stroked lines, as thin filled rects (Word's way), or as one stroked rect per cell."""
    xs = [x0]
    for w in cols:
        xs.append(xs[-1] + w)
    ys = [y0 + k * h for k in range(rows + 1)]
    if how == "lines":
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
    elif how == "thin-rects":
        for y in ys:
            c.rect(xs[0], y - 0.25, xs[-1] - xs[0], 0.5, stroke=0, fill=1)
        for x in xs:
            c.rect(x - 0.25, ys[0], 0.5, ys[-1] - ys[0], stroke=0, fill=1)
    else:
        for i in range(len(xs) - 1):
            for j in range(len(ys) - 1):
                c.rect(xs[i], ys[j], xs[i + 1] - xs[i], ys[j + 1] - ys[j], stroke=1, fill=0)
    c.setFont("Helvetica", 9)
    for j in range(rows):
        for i in range(len(cols)):
            c.drawString(xs[i] + 3, ys[j] + 6, f"{j}{i} 12.5")


@pytest.mark.parametrize("how", ["lines", "thin-rects", "cell-rects"])
def test_rulings_drawn_each_way_make_the_same_table(how):
    pages = _assert_pages_agree(_canvas(lambda c: _grid(c, how=how)))
    assert len(pages[0].tables) == 1 and len(pages[0].tables[0]) == 12


def test_a_table_inside_a_form_xobject_is_found_by_both():
    """Producers that stamp a table or a page furniture as a form (reportlab's doForm, Word's headers)."""
    def draw(c):
        c.beginForm("table")
        _grid(c)
        c.endForm()
        c.saveState()
        c.translate(10, 30)
        c.doForm("table")
        c.restoreState()
    pages = _assert_pages_agree(_canvas(draw))
    assert len(pages[0].tables) == 1


def test_scaled_and_turned_text_is_placed_alike():
    """Text under a scaled CTM, a scaled text matrix, horizontal scaling and character spacing, a page turned by
    /Rotate, and text at an angle (a watermark)."""
    def draw(c):
        c.saveState()
        c.scale(0.5, 0.5)
        c.setFont("Helvetica", 20)
        c.drawString(100, 100, "scaled 2024")
        c.restoreState()
        t = c.beginText()
        t.setTextTransform(2, 0, 0, 2, 50, 200)
        t.setFont("Helvetica", 6)
        t.textOut("matrix 300")
        t.setHorizScale(60)
        t.setCharSpace(0.5)
        t.textOut(" narrow 45")
        c.drawText(t)
        c.saveState()
        c.translate(200, 150)
        c.rotate(30)
        c.setFont("Helvetica", 12)
        c.drawString(0, 0, "angled")
        c.restoreState()
    _assert_pages_agree(_canvas(draw))
    for rotate in (90, 180, 270):
        _assert_pages_agree(_canvas(draw, rotate=rotate))


def test_rounded_corners_and_curves_give_the_same_edges():
    def draw(c):
        c.roundRect(30, 30, 200, 100, 12, stroke=1, fill=0)
        c.circle(300, 200, 30)
        _grid(c, x0=40, y0=160, rows=2)
    _assert_pages_agree(_canvas(draw))


@pytest.mark.parametrize("font", ["auto", "cid"])
def test_notices_in_embedded_and_unembedded_fonts_read_alike(tmp_path, font):
    """A notice written from scratch in an embedded TrueType font and in a CID font that is not embedded
    (Adobe-GB1, as many Chinese PDFs have), page numbers drawn through form XObjects."""
    for spec in (linjiang(), nanping()):
        path = spec.write_pdf(tmp_path / f"{spec.region}-{font}.pdf", font=font, footer_form=True)
        _assert_pages_agree(path.read_bytes())
        assert _written(path, "pdfium") == _written(path, "pdfplumber")


# ------------------------------------------------------------------------------------------------ table finder

class _EdgePage:
    """What pdfplumber's TableFinder reads of a page: its edges, and its box (for explicit lines, unused)."""

    def __init__(self, edges):
        self.edges, self.bbox = edges, (0, 0, 1000, 1000)


def _edges_of(data: bytes) -> list:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [list(page.edges) for page in doc.pages]


def _rulings_agree(edges: list) -> list:
    from pdfplumber.table import TableFinder
    ours = rulings.find_tables([dict(e) for e in edges])
    theirs = [t.cells for t in TableFinder(_EdgePage(edges), pdf_plumber.TABLE_SETTINGS).tables]
    assert ours == theirs
    return ours


@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda p: p.relative_to(SAMPLES).as_posix())
def test_the_table_finder_port_gives_pdfplumbers_cells_to_the_bit(path):
    """parsers.rulings against pdfplumber's TableFinder on pdfplumber's own edges of every sample page: the
    same cells, in the same order, every coordinate equal (not within a tolerance)."""
    found = [_rulings_agree(edges) for edges in _edges_of(path.read_bytes())]
    assert any(found) or "unruled" in path.name


def test_the_table_finder_port_on_rulings_drawn_every_way():
    """Joined and snapped edges (a ruling drawn in pieces, rulings a point apart), thin rects, cell rects, curves,
    two tables on a page and a lone cell (not a table)."""
    def draw(c):
        _grid(c, how="cell-rects", x0=30, y0=20, rows=2)
        _grid(c, how="thin-rects", x0=30, y0=120, rows=2)
        for x in (220, 300, 380):
            c.line(x, 200, x, 240)
            c.line(x + 0.8, 240, x + 0.8, 280)           # the same ruling, continued a little off
        for y in (200, 240, 280):
            c.line(220, y, 300, y)
            c.line(301.5, y + 1, 380, y + 1)             # a gap and a step, both under the tolerances
        c.rect(250, 20, 40, 30)                          # one cell alone
        c.roundRect(300, 60, 80, 40, 6)
    pages = _edges_of(_canvas(draw))
    tables = _rulings_agree(pages[0])
    assert len(tables) == 3


def _lattice_cells(rng, n: int) -> list:
    """Up to n distinct boxes with corners on a small lattice (a few of them flat): many share corners, in chains
    and at points shared by several cells, and fall into one table or several."""
    k = rng.randint(2, 7)
    xs = [i * 0.1 + rng.choice((0, 0.2)) for i in range(k)]     # float corners, some sums of floats
    cells = []
    for _ in range(n):
        x0, x1 = sorted(rng.choice(xs) for _ in range(2))
        top, bottom = sorted(rng.choice(xs) for _ in range(2))
        if (x0 < x1 and top < bottom) or rng.random() < 0.05:
            cells.append((x0, top, x1, bottom))
    return list(dict.fromkeys(cells))          # distinct, as rulings._cells gives them


def _chain_cells(rng, n: int) -> list:
    """n boxes in chains, each touching the one before it at a corner only (the hostile file's staircase of
    cells: one scan of pdfplumber's takes a few of them, the next few more), several chains side by side."""
    cells: list = []
    while len(cells) < n:
        x, y = rng.randint(0, 30), rng.randint(0, 30)             # a new chain, apart or crossing the others
        for _ in range(rng.randint(1, n)):
            w, h = rng.choice((-1, 1)) * rng.randint(1, 3), rng.choice((-1, 1)) * rng.randint(1, 3)
            cells.append((min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)))
            x, y = x + w, y + h                                      # the next shares this far corner
    return list(dict.fromkeys(cells))


def test_cells_are_grouped_into_tables_as_pdfplumber_groups_them():
    """rulings._tables (corners indexed, each table grown through the corners it gains) against pdfplumber's own
    cells_to_tables (scans of the cells left until one takes none) on thousands of cell sets, each in three
    orders (as built, reversed, shuffled): the same tables, each with the same cells in the same order. The order
    is the point: growing a table breadth-first, or through every cell touching it whatever its place, fails."""
    from pdfplumber.table import cells_to_tables
    rng = random.Random(15)
    sets = [_lattice_cells(rng, rng.randint(0, 60)) for _ in range(3000)]
    sets += [_chain_cells(rng, rng.randint(1, 80)) for _ in range(500)]
    several = long = 0
    for cells in sets:
        for order in (cells, cells[::-1], rng.sample(cells, len(cells))):
            ours = rulings._tables(order)
            assert ours == cells_to_tables(order), order
            several += len(ours) > 1
            long += any(len(t) > 20 for t in ours)
    assert several > 500 and long > 1000          # not only lone tables, not only short ones


# ------------------------------------------------------------------------------------------------ the setting

def test_the_reader_is_a_setting_a_flag_and_part_of_the_cache_key(tmp_path):
    import subprocess
    from ingest.cache import run_key
    assert Settings().pdf_reader == "pdfium"
    assert run_key(Settings(pdf_reader="pdfplumber")) != run_key(Settings())
    with pytest.raises(ValueError):
        Settings.resolve({"pdf_reader": "pymupdf"})
    outs = {}
    for reader in READERS:
        out = tmp_path / reader
        proc = subprocess.run([sys.executable, "-m", "ingest", "samples/layouts/pdf-group-merged.pdf", "--out",
                               str(out), "--no-cache", "--quiet", "--pdf-reader", reader],
                              cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        outs[reader] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert outs["pdfium"] == outs["pdfplumber"]
    bad = subprocess.run([sys.executable, "-m", "ingest", "samples/pudong-2024.pdf", "--out", str(tmp_path / "x"),
                          "--pdf-reader", "pymupdf"], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "--pdf-reader" in bad.stderr
