"""Page images into the document model with OCR (RapidOCR; its wheel ships the PP-OCR models, so nothing is
downloaded at run time).

A page image becomes what a born-digital page becomes: lines of words with boxes (in PDF points, so crops and
findings work the same) and, where the image shows ruling lines, tables as grids of cells with their merges.
Every word carries the recogniser's confidence; later stages flag figures read with low confidence.

A scan is first made fit to read: turned straight (its skew measured from its rulings and text lines), and
cleared of specks of dust that OCR would read as a "·" or a "." beside a word. Boxes are in the straightened
page's frame. Each word's box is tightened to its ink and its `size` is the type size measured from the ink, so
that later stages (which judge paragraphs and gaps by type size) see what they would see in a born-digital PDF.
"""
from __future__ import annotations

import bisect
from typing import Optional

import numpy as np
import regex as re

from .model import Box, Cell, Line, Table, UnreadableFile, Word, grid_cell
from .ocr_engine import engine as _engine

# The angle classifier turns single-digit cells upside down (6 read as 9 with confidence 1.00): keep it off.
USE_CLS = False
# Words whose vertical centres are closer than this fraction of their size are on one line.
LINE_OVERLAP = 0.5
# Measurements below are in pixels at this resolution and scale with the image's own.
BASE_DPI = 150


# What a speck of dust next to a word is read as; at the edge of a word and read with less confidence than
# SPECK_CONF, such a mark is taken for a speck and dropped (on the samples, printed marks are read with 0.95 and
# more, specks with 0.4–0.7). Inside a word nothing is dropped: a doubtful mark there lowers its confidence.
SPECK_READS = set(".·•,，、'‘’`-_:：;")
SPECK_CONF = 0.80


# RapidOCR's sizing of an image (its config.yaml; tests/test_ocr.py holds these to the engine's own): it first shrinks
# the image so that its longer side is at most MAX_SIDE and grows it so that its shorter is at least MIN_SIDE;
# pads one more than WIDTH_HEIGHT_RATIO times as wide as tall (or at most MIN_HEIGHT tall) above and below; then its
# detector scales it so that its SHORTER side is at least DET_LIMIT_SIDE, each side rounded to a multiple of 32.
# A page of extreme aspect ratio thus becomes a detector input of hundreds of megapixels (a 300 by 14,400-point page:
# 34 megapixels, 8.7 GB; the detector costs some 250 bytes a pixel of its input).
MAX_SIDE, MIN_SIDE, WIDTH_HEIGHT_RATIO, MIN_HEIGHT, DET_LIMIT_SIDE = 2000, 30, 8, 30, 736
# The most pixels the detector may be given: a page up to 2.7 times as tall as wide gives at most 1984 × 1984 (an A3
# or A4 page at any resolution: 1408 × 1984, 2.8 megapixels). 8 megapixels, nearly three times an A3 page, allows
# pages up to some 14 times as tall as wide (a long receipt), some 1.5 GB; a 300 by 7,200-point page (24 times) took
# 2.2 GB and one of 300 by 14,400 8.7 GB.
DET_MAX_PIXELS = 8_000_000


def _rapid_resize(h: int, w: int, ratio: float) -> tuple[int, int]:
    return int(round(int(h * ratio) / 32) * 32), int(round(int(w * ratio) / 32) * 32)


def detector_size(height: int, width: int) -> tuple[int, int]:
    """(height, width) of the detector's input for an image `height` by `width` pixels, computed as RapidOCR
    computes it; (0, 0) where RapidOCR's own resizing fails (a side rounded to no pixels: its ResizeImgError)."""
    h, w = height, width
    if max(h, w) > MAX_SIDE:
        h, w = _rapid_resize(h, w, MAX_SIDE / (h if h > w else w))
    if min(h, w) < MIN_SIDE:
        if min(h, w) <= 0:
            return 0, 0
        h, w = _rapid_resize(h, w, MIN_SIDE / (h if h < w else w))
    if h <= 0 or w <= 0:
        return 0, 0
    if w / h > WIDTH_HEIGHT_RATIO or h <= MIN_HEIGHT:              # the letterbox
        new_h = max(int(w / WIDTH_HEIGHT_RATIO), MIN_HEIGHT) * 2
        h += 2 * int(abs(new_h - h) / 2)
    ratio = DET_LIMIT_SIDE / (h if h < w else w) if min(h, w) < DET_LIMIT_SIDE else 1.0
    return _rapid_resize(h, w, ratio)


def check_shape(height: int, width: int, what: str) -> None:
    """UnreadableFile for an image (`what`: "page 3", "image") whose detector input (detector_size) would pass
    DET_MAX_PIXELS, or that RapidOCR cannot resize at all."""
    h, w = detector_size(height, width)
    if 0 < h * w <= DET_MAX_PIXELS:
        return
    tall = height >= width
    times = max(height, width) / max(min(height, width), 1)
    shape = (f"{times:.0f} times as tall as it is wide: too narrow" if tall
             else f"{times:.0f} times as wide as it is tall: too low")
    why = (f"its OCR detector input would be {h * w / 1e6:.0f} megapixels, over the limit of "
           f"{DET_MAX_PIXELS / 1e6:.0f}" if h * w else "the OCR engine cannot scale it")
    raise UnreadableFile(f"{what} is {shape} to read by OCR ({why})")


def recognise(image: np.ndarray) -> list[tuple[list, str, float, list]]:
    """[(quad, text, confidence, chars)] for one image (RGB or grey array). `confidence` is the recogniser's
    least sure character (a figure is as doubtful as its worst digit; the mean would hide one bad digit among
    good ones); `chars` are (text, quad, confidence) per character, spaces included, where the recogniser gave
    them (else [])."""
    result, _ = _engine()(image, use_cls=USE_CLS, return_word_box=True)
    out = []
    for item in result or []:
        quad, text, conf = item[0], item[1], float(item[2])
        chars = []
        if len(item) >= 6 and len(item[3]) == len(item[4]) == len(item[5]) and "".join(item[4]) == text:
            chars = [(t, q, float(c)) for q, t, c in zip(item[3], item[4], item[5])]
            while chars and (not chars[0][0].strip() or (chars[0][0] in SPECK_READS and chars[0][2] < SPECK_CONF)):
                chars.pop(0)
            while chars and (not chars[-1][0].strip() or (chars[-1][0] in SPECK_READS and chars[-1][2] < SPECK_CONF)):
                chars.pop()
            if not chars:
                continue
            if len(chars) < len(item[4]):          # specks dropped: the box shrinks to the characters kept
                quad = _part_quad(quad, chars)
                text = "".join(t for t, _, _ in chars)
            conf = min(c for t, _, c in chars if t.strip())
        out.append((quad, text, conf, chars))
    return out


def _part_quad(quad, chars) -> list:
    """The box of some of a run's characters: the run's height, the characters' horizontal extent."""
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    px0 = max(min(p[0] for _, q, _ in chars for p in q), min(xs))
    px1 = min(max(p[0] for _, q, _ in chars for p in q), max(xs))
    return [[px0, min(ys)], [px1, min(ys)], [px1, max(ys)], [px0, max(ys)]]


def read_page(image: np.ndarray, page: int, scale: float, what: str = "") -> tuple[list[Line], list[Table]]:
    """OCR one page image rendered at `scale` pixels per PDF point: its free lines and its ruled tables. `what`
    names it in a refusal of its shape (check_shape; default "page N")."""
    import cv2
    check_shape(image.shape[0], image.shape[1], what or f"page {page}")
    grey = despeckle(deskew(_grey(image)), scale)
    binary = _binarise(grey)
    horiz, vert = _ruling_masks(binary, scale)
    ink = binary & ~cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8))     # text only, rulings taken out
    grids = [_Grid(xs, ys, spans, page, scale) for xs, ys, spans in _grids(horiz, vert)]
    words = []
    for quad, text, conf, chars in recognise(grey):
        for quad, text, conf in _split_at_rulings(quad, text, conf, chars, grids):
            text = text.strip()
            if not text:
                continue
            x0, y0, x1, y1 = box = _ink_box(ink, quad)
            words.append(Word(text=text, box=Box(x0 / scale, y0 / scale, x1 / scale, y1 / scale),
                              size=_type_size(text, _body_height(ink, box)) / scale, confidence=conf))
    _snap_sizes(words)
    free: list[Word] = []
    for w in words:
        cx, cy = (w.box.x0 + w.box.x1) / 2 * scale, (w.box.top + w.box.bottom) / 2 * scale
        for g in grids:
            if g.put(w, cx, cy):
                break
        else:
            free.append(w)
    return group_lines(free, page), [g.finish() for g in grids]


def _split_at_rulings(quad, text: str, conf: float, chars: list, grids: list) -> list[tuple[list, str, float]]:
    """A recognised run that crosses a table's column ruling (the detector joined two cells' text) cut at the
    ruling, each part with its own characters' box and least confidence. Most runs come back whole."""
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    x0, x1, cy = min(xs), max(xs), (min(ys) + max(ys)) / 2
    cuts: list[float] = []
    for g in grids:
        if g.ys[0] <= cy <= g.ys[-1]:
            cuts = [x for x in g.xs[1:-1] if x0 + 3 < x < x1 - 3]
            break
    if not cuts or not chars:
        return [(quad, text, conf)]
    parts: dict = {}
    for t, q, c in chars:
        mid = (min(p[0] for p in q) + max(p[0] for p in q)) / 2
        parts.setdefault(bisect.bisect_right(cuts, mid), []).append((t, q, c))
    out = []
    for _, part in sorted(parts.items()):
        confs = [c for t, _, c in part if t.strip()]
        out.append((_part_quad(quad, part), "".join(t for t, _, _ in part), min(confs) if confs else conf))
    return out


def group_lines(words: list[Word], page: Optional[int]) -> list[Line]:
    """OCR words into lines: words whose vertical middles are close, left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w.box.top + w.box.bottom) / 2, w.box.x0)):
        cy = (w.box.top + w.box.bottom) / 2
        if lines:
            last = lines[-1]
            ly = sum((x.box.top + x.box.bottom) / 2 for x in last) / len(last)
            if abs(cy - ly) <= LINE_OVERLAP * max(w.size or 1, last[0].size or 1):
                last.append(w)
                continue
        lines.append([w])
    out = []
    for ws in lines:
        ws.sort(key=lambda w: w.box.x0)
        box = ws[0].box
        for w in ws[1:]:
            box = box.union(w.box)
        out.append(Line(text=" ".join(w.text for w in ws), page=page, box=box, words=ws,
                        confidence=min(w.confidence for w in ws)))
    return out


# ------------------------------------------------------------------------------------------------ words

# Of a type size, the ink of a line of CJK characters covers about this much in height; of digits and Latin
# letters without descenders, about this much (measured on the samples, set in WenQuanYi Micro Hei).
CJK_INK = 0.96
LATIN_INK = 0.80
_CJK = re.compile(r"[\p{Han}]")
# Words whose measured sizes differ by less than this fraction are taken to be set in one type size (a line's
# measured ink varies a little with the characters it holds; real changes of type size are 30% or more).
SIZE_TOLERANCE = 0.12
# A row of a word belongs to its body when it holds at least this fraction of the ink of its fullest row.
BODY_ROW = 0.15


def _ink_box(ink: np.ndarray, quad) -> tuple[float, float, float, float]:
    """The recogniser's box (it pads the text by about half a line) tightened to the ink of its own line: the
    band of inked rows nearest the box's middle (the padding may reach the lines above and below)."""
    h, w = ink.shape
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    x0, x1 = max(int(np.floor(min(xs))), 0), min(int(np.ceil(max(xs))), w)
    y0, y1 = max(int(np.floor(min(ys))), 0), min(int(np.ceil(max(ys))), h)
    loose = (float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)))
    region = ink[y0:y1, x0:x1]
    if not region.size:
        return loose
    bands = _runs(region.any(axis=1), 1)
    bands = _merge_runs(bands, 2)                 # a row or two without ink inside a line (between 二 strokes)
    if not bands:
        return loose
    mid = (y1 - y0) / 2
    top, bottom = min(bands, key=lambda b: (0 if b[0] <= mid < b[1] else min(abs(b[0] - mid), abs(b[1] - mid)),
                                               -(b[1] - b[0])))
    cols = np.flatnonzero(region[top:bottom].any(axis=0))
    if not len(cols):
        return loose
    return float(x0 + cols[0]), float(y0 + top), float(x0 + cols[-1] + 1), float(y0 + bottom)


def _body_height(ink: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """The height of a word's body: its inked rows, less the sparse ones at top and bottom that only a bracket,
    a quotation mark or a descender reaches (the type size is read from the body, as a compositor would)."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    counts = ink[y0:y1, x0:x1].sum(axis=1)
    if not counts.size or counts.max() == 0:
        return float(y1 - y0)
    dense = np.flatnonzero(counts >= BODY_ROW * counts.max())
    return float(dense[-1] - dense[0] + 1)


def _merge_runs(runs: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in runs:
        if out and a - out[-1][1] <= gap:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _type_size(text: str, ink_height: float) -> float:
    return ink_height / (CJK_INK if _CJK.search(text) else LATIN_INK)


def _snap_sizes(words: list[Word]) -> None:
    """Give the words of one type size one size: the most common measured size (by characters) and every size
    within SIZE_TOLERANCE of it become that size; then the same for what is left."""
    def key(w: Word) -> float:
        return max(round(w.size * 2) / 2, 0.5)

    left = [w for w in words if w.size]
    while left:
        weight: dict = {}
        for w in left:
            weight[key(w)] = weight.get(key(w), 0) + len(w.text)
        mode = max(sorted(weight), key=lambda k: weight[k])          # first of equals: deterministic
        rest = []
        for w in left:                                               # the mode's own words always join it
            if key(w) == mode or abs(w.size - mode) <= SIZE_TOLERANCE * mode:
                w.size = mode
            else:
                rest.append(w)
        left = rest


# ------------------------------------------------------------------------------------------------ deskew

# A scan is seldom straight: skews up to this many degrees either way are found and undone.
MAX_SKEW = 3.0
# Below this the page is left as it is (a rendered born-digital page, or a scan already straight): 0.1° moves
# the end of a full-width ruling by a pixel or two at 150 dpi, and the measure is good to about 0.05°.
MIN_SKEW = 0.1
# The skew is measured on the page scaled down to this many pixels on its longer side.
SKEW_SIDE = 1000


def _grey(image: np.ndarray) -> np.ndarray:
    import cv2
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_RGBA2GRAY if image.shape[2] == 4 else cv2.COLOR_RGB2GRAY)


def _binarise(grey: np.ndarray) -> np.ndarray:
    """Ink as 1, paper as 0: each pixel against the mean of its neighbourhood, so that grey paper, uneven
    lighting and JPEG noise (a few levels) do not count as ink, and faint rulings (tens of levels) do."""
    import cv2
    return cv2.adaptiveThreshold(grey, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)


def estimate_skew(image: np.ndarray) -> float:
    """The angle (degrees, counter-clockwise positive as cv2 counts) that turns the page straight.

    Projection profiles: turned by the right angle, the page's rulings and text lines fall into rows, and the row
    sums of its ink change most sharply from one row to the next. Measured on a small copy, coarse (0.1°) then
    fine (0.01°); long rulings dominate where there are any, text lines elsewhere."""
    import cv2
    grey = _grey(image)
    h, w = grey.shape
    f = SKEW_SIDE / max(h, w)
    small = cv2.resize(grey, (max(int(w * f), 1), max(int(h * f), 1)), interpolation=cv2.INTER_AREA) if f < 1 else grey
    binary = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 10)
    if binary.sum() < 50:                      # a blank page: nothing to measure
        return 0.0
    binary = binary.astype(np.float32)
    sh, sw = binary.shape
    centre = (sw / 2.0, sh / 2.0)

    def sharpness(angle: float) -> float:
        # turned with interpolation, so that the measure changes smoothly with the angle and peaks at the skew
        m = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        turned = cv2.warpAffine(binary, m, (sw, sh), flags=cv2.INTER_LINEAR, borderValue=0)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(profile) ** 2))

    def best(angles) -> float:
        scores = [sharpness(a) for a in angles]
        return float(angles[int(np.argmax(scores))])     # first of equals: deterministic

    coarse = best(np.round(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.1), 2))
    fine = best(np.round(np.arange(coarse - 0.1, coarse + 0.1 + 1e-9, 0.01), 2))
    return round(fine, 2) + 0.0               # never -0.0


def deskew(image: np.ndarray, angle: Optional[float] = None) -> np.ndarray:
    """The page turned straight (same size; the corners that come in are filled with the paper's grey)."""
    import cv2
    angle = estimate_skew(image) if angle is None else angle
    if abs(angle) < MIN_SKEW:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    paper = np.median(image.reshape(-1, image.shape[2]) if image.ndim == 3 else image.ravel(), axis=0)
    fill = tuple(float(v) for v in np.atleast_1d(paper))
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=fill if len(fill) > 1 else fill[0])


# Specks of dust and sensor noise, measured at 150 dpi (scaled with the resolution): a blob of ink of at most
# SPECK_NOISE pixels is noise wherever it is; one of at most SPECK_AREA pixels and SPECK_SIDE wide and high is a
# speck when no larger ink lies within SPECK_CLEAR pixels. Printed text has no blob under 5 pixels, and its small
# marks (、，。 the dot of a character) sit within a few pixels of the character they belong to.
SPECK_NOISE = 4
SPECK_AREA = 16
SPECK_SIDE = 5
SPECK_CLEAR = 6


def despeckle(grey: np.ndarray, scale: float) -> np.ndarray:
    """The page with specks painted over with the paper around them, so that OCR does not read a speck next to
    a word as a character of it (a "·" before a name)."""
    import cv2
    k = scale / (BASE_DPI / 72)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(_binarise(grey), connectivity=8)
    area = stats[:, cv2.CC_STAT_AREA]
    side = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    noise = area <= max(1, round(SPECK_NOISE * k * k))
    small = (area <= SPECK_AREA * k * k) & (side <= SPECK_SIDE * k)
    noise[0] = small[0] = False
    if not small.any():
        return grey
    big = ~small
    big[0] = False
    r = max(1, round(SPECK_CLEAR * k))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    near = cv2.dilate(big[labels].astype(np.uint8), disc)
    crowded = np.bincount(labels[(near > 0) & small[labels]], minlength=n) > 0
    speck = noise | (small & ~crowded)
    mask = speck[labels]
    if not mask.any():
        return grey
    out = grey.copy()
    for k in np.flatnonzero(speck):
        x, y, w, h = (int(v) for v in stats[k, :4])
        _paint_paper(grey, out, mask, x, y, x + w, y + h)
    return out


# The paper under a speck is the median of the 7×7 pixels around each of its pixels.
PAPER_MEDIAN = 7


def _paint_paper(grey: np.ndarray, out: np.ndarray, mask: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> None:
    """out[mask] within the box x0..x1, y0..y1 set to grey's 7×7 median there: the values cv2.medianBlur of the
    whole page gives (its border replicates the edge pixels, as copyMakeBorder does here), computed on the few
    pixels around the speck instead of the whole page."""
    import cv2
    r = PAPER_MEDIAN // 2
    gh, gw = grey.shape
    a, b, c, d = max(y0 - r, 0), min(y1 + r, gh), max(x0 - r, 0), min(x1 + r, gw)
    patch = cv2.copyMakeBorder(grey[a:b, c:d], r - (y0 - a), r - (b - y1), r - (x0 - c), r - (d - x1),
                               cv2.BORDER_REPLICATE)
    paper = cv2.medianBlur(patch, PAPER_MEDIAN)[r:r + y1 - y0, r:r + x1 - x0]
    region = mask[y0:y1, x0:x1]
    out[y0:y1, x0:x1][region] = paper[region]


# ------------------------------------------------------------------------------------------------ rulings


def _runs(mask_1d: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """(start, end) of runs of True at least min_len long."""
    out, start = [], None
    for i, v in enumerate(np.append(mask_1d, False)):
        if v and start is None:
            start = i
        elif not v and start is not None:
            if i - start >= min_len:
                out.append((start, i))
            start = None
    return out


def _centres(profile: np.ndarray, threshold: float) -> list[int]:
    """Centres of the bands where a projection profile is above threshold (one ruling may be a few px thick)."""
    return [(a + b - 1) // 2 for a, b in _runs(profile >= threshold, 1)]


# A ruling is a run of ink longer than any stroke of a character: at least 1/25 of the image's width (1/40 of its
# height) and, in a small image, at least this many points (the longest strokes, in a title, are about an em).
MIN_RULING_H = 24
MIN_RULING_V = 18


def _ruling_masks(binary: np.ndarray, scale: float = BASE_DPI / 72) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rulings: runs of ink far longer than any stroke of a character."""
    import cv2
    h, w = binary.shape
    h_len = max(w // 25, round(MIN_RULING_H * scale), 20)
    v_len = max(h // 40, round(MIN_RULING_V * scale), 15)
    horiz = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vert = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    return horiz, vert


def find_grids(image: np.ndarray, scale: float = BASE_DPI / 72):
    """Ruled tables in a page image (`scale` pixels per point): for each, the x and y of its rulings (pixels)
    and which cell boundaries are missing (merged cells), measured on the image's own lines, as for a PDF's
    drawn rulings."""
    return _grids(*_ruling_masks(_binarise(_grey(image)), scale))


def _grids(horiz: np.ndarray, vert: np.ndarray):
    import cv2
    h, w = horiz.shape
    grid_mask = cv2.dilate(horiz | vert, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grid_mask, connectivity=8)
    grids = []
    # a ruling a pixel or two out of level (what is left of the skew) still counts as one row of the profile
    band_h = cv2.dilate(horiz, np.ones((3, 1), np.uint8))
    band_v = cv2.dilate(vert, np.ones((1, 3), np.uint8))
    for k in range(1, n):
        x, y, gw, gh, _ = stats[k]
        if gw < w * 0.2 or gh < h * 0.05:
            continue
        hz = horiz[y:y + gh, x:x + gw] > 0
        vt = vert[y:y + gh, x:x + gw] > 0
        ph = (band_h[y:y + gh, x:x + gw] > 0).sum(axis=1)
        pv = (band_v[y:y + gh, x:x + gw] > 0).sum(axis=0)
        ys = _centres(ph, gw * 0.3)
        xs = _centres(pv, gh * 0.3)
        # inner rulings that do not run the full height or width are found as partial segments
        ys = _merge(sorted(set(ys) | set(_centres(ph, gw * 0.08))), 4)
        xs = _merge(sorted(set(xs) | set(_centres(pv, gh * 0.08))), 4)
        if len(xs) < 3 or len(ys) < 3:
            continue
        spans = _spans(hz, vt, xs, ys)
        grids.append(([x + v for v in xs], [y + v for v in ys], spans))
    return grids


def _merge(values: list[int], gap: int) -> list[int]:
    out: list[int] = []
    for v in values:
        if out and v - out[-1] <= gap:
            out[-1] = (out[-1] + v) // 2
        else:
            out.append(v)
    return out


def _spans(hz: np.ndarray, vt: np.ndarray, xs: list[int], ys: list[int]):
    """present_h[r][c]: the ruling below row r over column c is drawn; present_v[r][c]: the ruling right of
    column c over row r is drawn. A missing one joins the two cells it would separate."""
    def drawn(mask, a, b, fixed, axis):
        lo, hi = max(fixed - 3, 0), fixed + 4
        band = mask[lo:hi, a:b] if axis == 0 else mask[a:b, lo:hi]
        cover = band.any(axis=axis)
        return cover.mean() > 0.6 if cover.size else False

    present_h = [[drawn(hz, xs[c] + 3, xs[c + 1] - 3, ys[r + 1], 0) for c in range(len(xs) - 1)]
                 for r in range(len(ys) - 2)]
    present_v = [[drawn(vt, ys[r] + 3, ys[r + 1] - 3, xs[c + 1], 1) for c in range(len(xs) - 2)]
                 for r in range(len(ys) - 1)]
    return present_h, present_v


class _Grid:
    def __init__(self, xs, ys, spans, page, scale):
        self.xs, self.ys, self.page, self.scale = xs, ys, page, scale
        present_h, present_v = spans
        n_rows, n_cols = len(ys) - 1, len(xs) - 1
        parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

        def find(a):
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        def union(a, b):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        for r in range(n_rows - 1):
            for c in range(n_cols):
                if not present_h[r][c]:
                    union((r, c), (r + 1, c))
        for r in range(n_rows):
            for c in range(n_cols - 1):
                if not present_v[r][c]:
                    union((r, c), (r, c + 1))
        rows = [[Cell(text="", row=r, col=c, page=page) for c in range(n_cols)] for r in range(n_rows)]
        members: dict = {}
        for key in parent:
            members.setdefault(find(key), []).append(key)
        self.origin = {}
        for root, cells in members.items():
            r0 = min(r for r, _ in cells)
            c0 = min(c for _, c in cells)
            r1 = max(r for r, _ in cells)
            c1 = max(c for _, c in cells)
            origin = rows[r0][c0]
            origin.rowspan, origin.colspan = r1 - r0 + 1, c1 - c0 + 1
            origin.box = Box(xs[c0] / scale, ys[r0] / scale, xs[c1 + 1] / scale, ys[r1 + 1] / scale)
            for (r, c) in cells:
                self.origin[(r, c)] = (r0, c0)
                if (r, c) != (r0, c0):
                    rows[r][c].merged_into = (r0, c0)
        box = Box(xs[0] / scale, ys[0] / scale, xs[-1] / scale, ys[-1] / scale)
        self.table = Table(rows=rows, page=page, box=box, strategy="ocr-ruled", merges_known=True)
        self.words: dict = {}

    def put(self, w: Word, cx: float, cy: float) -> bool:
        """Put a word into the cell that holds its centre; False when it lies outside the grid."""
        at = grid_cell(self.xs, self.ys, cx, cy)
        if at is None:
            return False
        self.words.setdefault(self.origin[at], []).append(w)
        return True

    def finish(self) -> Table:
        """The grid as a table of the model."""
        for (r, c), words in self.words.items():
            cell = self.table.rows[r][c]
            cell.lines = group_lines(words, self.page)
            cell.text = "\n".join(line.text for line in cell.lines)
            cell.confidence = min(w.confidence for w in words)
        return self.table
