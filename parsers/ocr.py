"""Page images into the document model with OCR (RapidOCR; its wheel ships the PP-OCR models, so nothing is
downloaded at run time).

A page image becomes what a born-digital page becomes: lines of words with boxes (in PDF points, so crops and
findings work the same) and, where the image shows ruling lines, tables as grids of cells with their merges.
Every word carries the recogniser's confidence; later stages flag figures read with low confidence.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import numpy as np

from .model import Box, Cell, Line, Table, Word

# The angle classifier turns single-digit cells upside down (6 read as 9 with confidence 1.00): keep it off.
USE_CLS = False
# Words whose vertical centres are closer than this fraction of their height are on one line.
LINE_OVERLAP = 0.5


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR
    return RapidOCR()


def recognise(image: np.ndarray) -> list[tuple[list, str, float]]:
    """[(quad, text, confidence)] for one image (RGB or grey array)."""
    result, _ = _engine()(image, use_cls=USE_CLS)
    return result or []


def read_page(image: np.ndarray, page: int, scale: float) -> tuple[list[Line], list[Table]]:
    """OCR one page image rendered at `scale` pixels per PDF point: its free lines and its ruled tables."""
    words = []
    for quad, text, conf in recognise(image):
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        box = Box(min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale)
        words.append(Word(text=text.strip(), box=box, size=(box.bottom - box.top), confidence=float(conf)))
    words = [w for w in words if w.text]
    grids = [_Grid(xs, ys, spans, page, scale) for xs, ys, spans in find_grids(image)]
    free: list[Word] = []
    for w in words:
        cx, cy = (w.box.x0 + w.box.x1) / 2 * scale, (w.box.top + w.box.bottom) / 2 * scale
        for g in grids:
            if g.put(w, cx, cy):
                break
        else:
            free.append(w)
    return group_lines(free, page), [g.finish() for g in grids]


def group_lines(words: list[Word], page: Optional[int]) -> list[Line]:
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


def find_grids(image: np.ndarray):
    """Ruled tables in a page image: for each, the x and y of its rulings (pixels) and which cell boundaries
    are missing (merged cells), measured on the image's own lines, as for a PDF's drawn rulings."""
    import cv2
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    binary = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    h, w = binary.shape
    horiz = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 25, 20), 1)))
    vert = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 40, 15))))
    grid_mask = cv2.dilate(horiz | vert, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grid_mask, connectivity=8)
    grids = []
    for k in range(1, n):
        x, y, gw, gh, _ = stats[k]
        if gw < w * 0.2 or gh < h * 0.05:
            continue
        hz = horiz[y:y + gh, x:x + gw] > 0
        vt = vert[y:y + gh, x:x + gw] > 0
        ys = _centres(hz.sum(axis=1), gw * 0.3)
        xs = _centres(vt.sum(axis=0), gh * 0.3)
        # inner rulings that do not run the full height or width are found as partial segments
        ys = _merge(sorted(set(ys) | set(_centres(hz.sum(axis=1), gw * 0.08))), 4)
        xs = _merge(sorted(set(xs) | set(_centres(vt.sum(axis=0), gh * 0.08))), 4)
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
        import bisect
        xs, ys = self.xs, self.ys
        if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
            return False
        c = min(max(bisect.bisect_right(xs, cx) - 1, 0), len(xs) - 2)
        r = min(max(bisect.bisect_right(ys, cy) - 1, 0), len(ys) - 2)
        self.words.setdefault(self.origin[(r, c)], []).append(w)
        return True

    def finish(self) -> Table:
        for (r, c), words in self.words.items():
            cell = self.table.rows[r][c]
            cell.lines = group_lines(words, self.page)
            cell.text = "\n".join(line.text for line in cell.lines)
            cell.confidence = min(w.confidence for w in words)
        return self.table
