"""parsers/ocr.py on small images drawn here: rulings and merged cells, deskew, specks, the --ocr switch, and a
figure OCR doubts (or misreads) never passing silently."""
import io
import os

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import parsers
from ingest import ingest_bytes, ingest_file
from notice_factory import WQY_FILE, linjiang
from parsers import ocr

SCALE = 150 / 72                      # pixels per point at 150 dpi
PAPER, INK = 232, 30
needs_font = pytest.mark.skipif(not os.path.exists(WQY_FILE), reason="needs fonts-wqy-microhei (make samples)")


def _font(px):
    return ImageFont.truetype(WQY_FILE, px)


def _centred(draw, box, text, font):
    x0, y0, x1, y1 = box
    l, t, r, b = draw.textbbox((0, 0), text, font=font)
    draw.text(((x0 + x1 - (r - l)) / 2 - l, (y0 + y1 - (b - t)) / 2 - t), text, font=font, fill=INK)


# A 3×3 ruled grid on grey paper; the first column's top two cells are one merged cell (no ruling between them).
XS, YS = [100, 300, 600, 800], [80, 150, 220, 290]
CELLS = {(0, 0): "一月", (2, 0): "二月", (0, 1): "城关镇", (1, 1): "河口镇", (2, 1): "青山镇",
         (0, 2): "500", (1, 2): "620", (2, 2): "541"}


def grid_image(text=True, angle=0.0, noise=4.0, seed=7) -> Image.Image:
    img = Image.new("L", (900, 380), PAPER)
    d = ImageDraw.Draw(img)
    for j, y in enumerate(YS):
        for c in range(3):
            if not (j == 1 and c == 0):          # the merge: no ruling under row 0 in column 0
                d.line([(XS[c], y), (XS[c + 1], y)], fill=INK, width=2)
    for x in XS:
        d.line([(x, YS[0]), (x, YS[-1])], fill=INK, width=2)
    if text:
        font = _font(30)
        for (r, c), t in CELLS.items():
            bottom = YS[2] if (r, c) == (0, 0) else YS[r + 1]
            _centred(d, (XS[c], YS[r], XS[c + 1], bottom), t, font)
    if angle:
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=PAPER)
    a = np.asarray(img, dtype=np.float32) + np.random.default_rng(seed).normal(0, noise, (img.height, img.width))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), mode="L")


def _png(img: Image.Image, dpi=150) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def _image_pdf(img: Image.Image, dpi=150) -> bytes:
    """A one-page PDF holding only the image (no text layer), as a scanner writes it."""
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="PDF", resolution=dpi)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------ rulings


def test_ruled_grid_with_a_vertical_merge():
    grids = ocr.find_grids(np.asarray(grid_image(text=False)))
    assert len(grids) == 1
    xs, ys, (present_h, present_v) = grids[0]
    assert len(xs) == 4 and len(ys) == 4
    assert all(abs(a - b) <= 2 for a, b in zip(xs, XS)) and all(abs(a - b) <= 2 for a, b in zip(ys, YS))
    assert present_h == [[False, True, True], [True, True, True]]       # the ruling under row 0 is missing in col 0
    assert present_v == [[True, True]] * 3


@needs_font
def test_ruled_grid_read_into_cells_with_spans():
    lines, tables = ocr.read_page(np.asarray(grid_image()), 1, SCALE)
    assert len(tables) == 1 and lines == []
    t = tables[0]
    assert t.strategy == "ocr-ruled" and t.merges_known
    assert t.rows[0][0].rowspan == 2 and t.rows[1][0].merged_into == (0, 0)
    assert t.texts() == [["一月", "城关镇", "500"], ["", "河口镇", "620"], ["二月", "青山镇", "541"]]
    assert all(c.confidence is not None for row in t.rows for c in row if c.text)
    # boxes are in points: the grid spans pixels 100..800 at 150 dpi
    assert abs(t.box.x0 - 100 / SCALE) < 2 and abs(t.box.x1 - 800 / SCALE) < 2


@pytest.mark.parametrize("angle", [1.2, -0.7])
def test_skew_is_measured(angle):
    img = np.asarray(grid_image(angle=angle))
    assert ocr.estimate_skew(img) == pytest.approx(-angle, abs=0.1)
    assert abs(ocr.estimate_skew(np.asarray(grid_image()))) < ocr.MIN_SKEW


@needs_font
def test_rotated_grid_is_read_as_the_straight_one():
    straight = ocr.read_page(np.asarray(grid_image()), 1, SCALE)[1][0]
    turned = ocr.read_page(np.asarray(grid_image(angle=1.2)), 1, SCALE)[1]
    assert len(turned) == 1
    t = turned[0]
    assert t.texts() == straight.texts()
    assert [[(c.rowspan, c.colspan, c.merged_into) for c in row] for row in t.rows] == \
           [[(c.rowspan, c.colspan, c.merged_into) for c in row] for row in straight.rows]


def test_deskew_leaves_a_straight_page_alone():
    img = np.asarray(grid_image())
    assert ocr.deskew(img) is img


# ------------------------------------------------------------------------------------------------ specks


@needs_font
def test_despeckle_removes_lone_specks_and_keeps_punctuation():
    img = Image.new("L", (500, 80), PAPER)
    d = ImageDraw.Draw(img)
    d.text((60, 20), "献血屋、流动车。", font=_font(30), fill=INK)
    clean = np.asarray(img).copy()
    d.rectangle([20, 35, 21, 36], fill=INK + 20)          # dust, 2×2 px, well clear of the text
    d.rectangle([470, 10, 470, 10], fill=INK)              # a single dark pixel
    out = ocr.despeckle(np.asarray(img), SCALE)
    assert np.array_equal(out, clean)                      # specks gone, every mark of the text kept


def _fake_engine(result):
    class Engine:
        def __call__(self, image, **kw):
            return result, None
    return lambda: Engine()


def test_a_speck_read_at_the_edge_of_a_figure_is_dropped(monkeypatch):
    def item(chars, x0=100):
        quads = [[[x0 + 10 * i, 10], [x0 + 10 * i + 9, 10], [x0 + 10 * i + 9, 30], [x0 + 10 * i, 30]]
                 for i in range(len(chars))]
        text = "".join(t for t, _ in chars)
        return [[quads[0][0], quads[-1][1], quads[-1][2], quads[0][3]], text, sum(c for _, c in chars) / len(chars),
                quads, [t for t, _ in chars], [c for _, c in chars]]
    result = [item([("1", 0.99), ("2", 0.98), (".", 0.56)]),           # a speck after 12
              item([("·", 0.62), ("金", 0.99), ("杨", 0.99)]),          # and before a name
              item([("1", 0.99), (".", 0.97)]),                         # a real full stop, read sure
              item([("6", 0.99), (",", 0.40), ("5", 0.99)])]            # inside a figure: kept, and doubted
    monkeypatch.setattr(ocr, "_engine", _fake_engine(result))
    got = [(text, round(conf, 2)) for _, text, conf, _ in ocr.recognise(np.zeros((40, 200), np.uint8))]
    assert got == [("12", 0.98), ("金杨", 0.99), ("1.", 0.97), ("6,5", 0.40)]


def test_confidence_is_the_least_sure_character(monkeypatch):
    quads = [[[0, 0], [9, 0], [9, 9], [0, 9]]] * 4
    result = [[[[0, 0], [40, 0], [40, 9], [0, 9]], "1713", 0.9, quads, list("1713"), [0.99, 0.99, 0.62, 0.99]]]
    monkeypatch.setattr(ocr, "_engine", _fake_engine(result))
    assert ocr.recognise(np.zeros((10, 50), np.uint8))[0][2] == pytest.approx(0.62)


# ------------------------------------------------------------------------------------------------ --ocr


def test_ocr_never_on_a_scanned_pdf_is_unreadable():
    data = _image_pdf(grid_image(text=False))
    n = ingest_bytes("scan.pdf", data, "scan-pdf", settings={"ocr": "never"})
    assert n.format == "pdf" and "needs OCR" in n.error and "1 page" in n.error
    assert [f.code for f in n.findings] == ["unreadable-file"]


def test_ocr_never_on_an_image_is_unreadable():
    n = ingest_bytes("photo.png", _png(grid_image(text=False)), "photo-png", settings={"ocr": "never"})
    assert n.format == "image" and "OCR is off" in n.error


@needs_font
def test_ocr_auto_reads_a_scanned_pdf_page_by_ocr():
    doc = parsers.read_bytes("scan.pdf", _image_pdf(grid_image()), ocr="auto")
    assert [p.ocr for p in doc.pages] == [True]
    tables = list(doc.tables())
    assert len(tables) == 1 and tables[0].texts()[2] == ["二月", "青山镇", "541"]


@needs_font
def test_ocr_always_on_a_text_pdf_reads_it_by_ocr(tmp_path):
    """临江县 (3 pages, born digital) read with --ocr always: every page by OCR, and the notice the same."""
    path = linjiang().write_pdf(tmp_path / "linjiang.pdf")
    by_text = ingest_file(str(path))
    by_ocr = ingest_file(str(path), settings={"ocr": "always"})
    assert not any(p.ocr for p in by_text.pages) and all(p.ocr for p in by_ocr.pages)

    def rows(n):
        return [(t.table_id, r.seq, r.org, r.org_note, r.portions, r.row_type, r.month_from, r.month_to)
                for t in n.tables for r in t.rows]
    assert rows(by_ocr) == rows(by_text)
    f, g = by_ocr.facts, by_text.facts
    assert (f.title, f.region, f.year, f.doc_number, f.total_target, f.status) == \
           (g.title, g.region, g.year, g.doc_number, g.total_target, g.status)


@needs_font
@pytest.mark.parametrize("jobs", [1, 2])
def test_ocr_says_each_page_it_reads_in_this_process_and_from_workers(tmp_path, jobs):
    """A long scan reports its pages as OCR reads them (pages done of pages to read), also from --jobs workers;
    a file with a text layer reports nothing."""
    from ingest import batch
    scan = tmp_path / "scan.pdf"
    buf = io.BytesIO()
    grid_image().convert("RGB").save(buf, format="PDF", resolution=150, save_all=True,
                                     append_images=[grid_image(seed=8).convert("RGB")])
    scan.write_bytes(buf.getvalue())
    text = tmp_path / "notice.txt"
    text.write_text("关于做好2025年临江县无偿献血工作的意见\n序号\t单位\t任务数\n1\t城关镇\t500\n", encoding="utf-8")
    heard = []

    class Heard(batch.Listener):
        def ocr(self, *event):
            heard.append(event)

    found = batch.run([str(scan), str(text)], {"jobs": jobs}, Heard())
    assert [n.error for n in found] == ["", ""]
    assert heard == [(str(scan), 1, 2), (str(scan), 2, 2)]


@needs_font
def test_the_command_prints_ocr_pages(tmp_path):
    import subprocess
    import sys
    from conftest import ROOT
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_image_pdf(grid_image()))
    proc = subprocess.run([sys.executable, "-m", "ingest", str(scan), "--out", str(tmp_path / "out"), "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"{scan}: OCR page 1 of 1" in proc.stderr.splitlines()


def test_ocr_progress_shows_pages_beside_the_bar_and_as_lines_elsewhere():
    from ingest.progress import Progress
    from test_batch import _Terminal
    term = _Terminal()
    with Progress(2, stream=term) as p:
        p.ocr("a.pdf", 3, 7)
        shown = term.getvalue()
        p.ocr("a.pdf", 7, 7)
    assert "OCR 3/7 pages" in shown
    log = io.StringIO()
    with Progress(2, stream=log) as p:
        p.ocr("a.pdf", 1, 2)
        p.ocr("a.pdf", 2, 2)
    assert log.getvalue() == "a.pdf: OCR page 1 of 2\na.pdf: OCR page 2 of 2\n"
    quiet = io.StringIO()
    with Progress(2, stream=quiet, quiet=True) as p:
        p.ocr("a.pdf", 1, 2)
    assert quiet.getvalue() == ""


# ------------------------------------------------------------------------------------------------ never silent


def table_image() -> Image.Image:
    """A scanned target table: 序号 | 单位名称 | 数量, two units and 合计."""
    rows = [("序号", "单位名称", "数量"), ("1", "甲镇", "120"), ("2", "乙镇", "31"), ("", "合计", "151")]
    xs, ys = [80, 220, 520, 700], [100 + 60 * i for i in range(len(rows) + 1)]
    img = Image.new("L", (800, 420), PAPER)
    d = ImageDraw.Draw(img)
    font = _font(28)
    _centred(d, (80, 20, 700, 80), "2023年某县无偿献血任务分解表", font)
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=INK, width=2)
    for x in xs:
        d.line([(x, ys[0]), (x, ys[-1])], fill=INK, width=2)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                _centred(d, (xs[c], ys[r], xs[c + 1], ys[r + 1]), text, font)
    return img


def _doctor(monkeypatch, change):
    """OCR as it is, except that `change(text, conf)` may alter what it read."""
    real = ocr.recognise

    def recognise(image):
        return [(quad, *change(text, conf), chars) for quad, text, conf, chars in real(image)]
    monkeypatch.setattr(ocr, "recognise", recognise)


@needs_font
def test_table_image_reads_clean():
    n = ingest_bytes("t.png", _png(table_image()), "t-png")
    assert n.error == ""
    assert [(r.seq, r.org, r.portions, r.row_type) for r in n.tables[0].rows] == \
           [(1, "甲镇", 120, "item"), (2, "乙镇", 31, "item"), (None, "合计", 151, "total")]
    assert [f.code for f in n.findings if f.severity != "info"] == []


@needs_font
def test_a_figure_read_with_low_confidence_is_flagged(monkeypatch):
    _doctor(monkeypatch, lambda t, c: (t, 0.42 if t == "31" else c))
    n = ingest_bytes("t.png", _png(table_image()), "t-png")
    low = [f for f in n.findings if f.code == "low-confidence"]
    assert [(f.table_id, f.row_no, f.field, f.actual) for f in low] == [("t1", 2, "portions", 31)]
    assert "0.42" in low[0].message and low[0].page == 1 and low[0].box


@needs_font
def test_a_misread_figure_shows_as_total_mismatch_naming_the_doubted_row(monkeypatch):
    # 31 read as 37, and a little less sure than the rest: the sum fails and points at that row
    _doctor(monkeypatch, lambda t, c: ("37", 0.91) if t == "31" else (t, max(c, 0.95)))
    n = ingest_bytes("t.png", _png(table_image()), "t-png")
    tm = [f for f in n.findings if f.code == "total-mismatch"]
    assert [(f.table_id, f.row_no, f.expected, f.actual) for f in tm] == [("t1", 3, 157, 151)]
    assert "第2行“乙镇”的 37" in tm[0].message


@needs_font
@pytest.mark.parametrize("form", ["300dpi", "no-dpi", "rgba"])
def test_image_forms_read_alike(form):
    """A finer scan is read at 150 dpi, an image without a resolution is taken as an A4 page, transparency is
    paper: the same rows each time, boxes in points."""
    img = table_image()
    if form == "300dpi":
        data = _png(img.resize((img.width * 2, img.height * 2), Image.Resampling.BICUBIC), dpi=300)
    elif form == "no-dpi":
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        data = buf.getvalue()
    else:
        rgba = Image.new("RGBA", img.size, (0, 0, 0, 0))
        rgba.putalpha(Image.eval(img, lambda v: 255 - v))          # ink opaque, paper transparent
        data = _png(rgba)
    n = ingest_bytes("t.png", data, "t-png")
    assert n.error == ""
    assert [(r.seq, r.org, r.portions) for r in n.tables[0].rows] == [(1, "甲镇", 120), (2, "乙镇", 31), (None, "合计", 151)]
    page = n.pages[0]
    if form == "no-dpi":                 # 800 px on the long side of an A4 page (842 pt)
        assert page.width == pytest.approx(842, abs=1)
    else:
        assert page.width == pytest.approx(800 / SCALE, abs=1)


def test_a_confidence_under_the_threshold_never_prints_as_the_threshold():
    from ingest.checks import confidence_text as _confidence
    assert [_confidence(c) for c in (0.8996, 0.9, 0.57, 0.999, 0.05)] == ["0.89", "0.90", "0.57", "0.99", "0.05"]


# ------------------------------------------------------------------------------------------------ the detector's input


def test_detector_size_is_the_size_rapidocr_gives_its_detector(monkeypatch):
    """OCR, every class of image: detector_size computes the detector's input as RapidOCR does (shrink to 2000,
    grow to 30, letterbox what is wide, the shorter side to 736, sides rounded to 32), checked here against the
    engine itself on ordinary pages, tall and wide strips, and the shapes its resizing fails on."""
    from parsers.ocr_engine import engine
    det = engine().text_det
    seen = []

    class Stop(Exception):
        pass

    def infer(x):
        seen.append(tuple(x.shape[2:]))
        raise Stop
    monkeypatch.setattr(det, "infer", infer)
    shapes = [(1754, 1240), (1240, 1754), (4961, 3508), (2000, 2000), (10, 10), (31, 300), (5, 700), (40, 2000),
              (3000, 100), (15000, 625), (625, 30000), (30000, 208)]
    for h, w in shapes:
        seen.clear()
        try:
            engine()(np.full((h, w), 255, np.uint8))
        except Stop:
            assert ocr.detector_size(h, w) == seen[0], (h, w)
        except Exception as exc:
            assert type(exc).__name__ == "ResizeImgError" and ocr.detector_size(h, w) == (0, 0), (h, w)
    assert ocr.detector_size(30000, 208) == (0, 0) and ocr.detector_size(15000, 625) == (15200, 736)


def test_an_image_too_narrow_for_the_detector_is_refused_before_ocr(monkeypatch):
    """OCR, hostile class: an image 40 by 2000 pixels would be scaled by RapidOCR's detector to 736 by 36,800
    (27 megapixels, several GB). It is refused, saying why, and OCR is not run; an A4 page of the same pixels
    is read."""
    called = []
    monkeypatch.setattr(ocr, "recognise", lambda image: called.append(image.shape) or [])
    with pytest.raises(parsers.UnreadableFile, match=r"^image is 50 times as tall as it is wide: too narrow to "
                                                     r"read by OCR \(its OCR detector input would be 27 megapixels"):
        parsers.read_bytes("strip.png", _png(Image.new("L", (40, 2000), 255)), ocr="auto")
    assert called == []
    parsers.read_bytes("page.png", _png(Image.new("L", (1240, 1754), 255)), ocr="auto")
    assert called == [(1754, 1240)]
