"""Characters and ruling lines of one fixed-layout page into blocks of the document model.

Shared by the readers of fixed-layout formats (PDF, OFD): each hands over the page's characters as dicts in PDF
points, origin top-left (text, x0, x1, top, bottom, size), and the ruled tables found from its rulings
(pdfplumber's table finder, which `find_tables` runs on any set of ruling edges). Characters inside a table go to its
cells, the rest become lines of text split into words at visible gaps, so the cleaning stage can tell real gaps
from spacing the extractor invented, and the table logic downstream sees one model whatever the format.
"""
from __future__ import annotations

import bisect
from typing import Iterable

from pdfplumber.table import TableFinder

from .model import Box, Cell, Line, Paragraph, Table, Word, grid_cell

# A gap wider than this fraction of the font size separates two words. CJK glyphs sit edge to edge, so any
# visible gap is either a real space or the spacing damage that cleaning later judges from the same numbers.
WORD_GAP = 0.15
# Characters whose tops differ by less than this fraction of their size are on one line.
LINE_TOLERANCE = 0.5
# Grid coordinates closer than this (points) are the same ruling.
SNAP = 1.5
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                  "intersection_tolerance": 3}


def page_blocks(chars: list[dict], tables, number: int) -> list:
    """The page's paragraphs (one per line) and tables, top to bottom. `tables` are pdfplumber tables (their
    `cells` and `bbox`)."""
    grids = [_grid(t, number) for t in tables]
    grids = [g for g in grids if g is not None]
    free: list[dict] = []
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for g in grids:
            if g.put(ch, cx, cy):
                break
        else:
            free.append(ch)
    blocks: list[tuple[float, object]] = []
    for line in _lines(free, number):
        blocks.append((line.box.top, Paragraph(lines=[line])))
    for g in grids:
        blocks.append((g.table.box.top, g.finish()))
    blocks.sort(key=lambda b: b[0])
    return [b for _, b in blocks]


class _Rulings:
    """What pdfplumber's table finder reads of a page: its edges and its box. Lets any fixed-layout reader find
    ruled tables the way the PDF reader does, from ruling lines it drew itself."""

    def __init__(self, edges: list[dict], width: float, height: float):
        self.edges, self.bbox = edges, (0, 0, width, height)


def find_tables(edges: list[dict], width: float, height: float) -> list:
    """Ruled tables from ruling edges: dicts with x0, x1, top, bottom, width, height, orientation ("h" or "v")
    and object_type ("line"), in points, origin top-left."""
    return TableFinder(_Rulings(edges, width, height), TABLE_SETTINGS).tables


def ruling(x0: float, top: float, x1: float, bottom: float) -> dict:
    """One ruling edge as the table finder takes it: horizontal when it is wider than tall."""
    x0, x1, top, bottom = min(x0, x1), max(x0, x1), min(top, bottom), max(top, bottom)
    orientation = "h" if x1 - x0 >= bottom - top else "v"
    if orientation == "h":
        top = bottom = (top + bottom) / 2
    else:
        x0 = x1 = (x0 + x1) / 2
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line"}


def _lines(chars: Iterable[dict], page: int) -> list[Line]:
    """Cluster characters into lines, then split each line into words at visible gaps."""
    rows: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        if rows and abs(ch["top"] - rows[-1][0]["top"]) <= LINE_TOLERANCE * ch["size"]:
            rows[-1].append(ch)
        else:
            rows.append([ch])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        words: list[Word] = []
        run = [row[0]]
        for prev, ch in zip(row, row[1:]):
            if ch["x0"] - prev["x1"] > WORD_GAP * max(prev["size"], ch["size"]):
                words.append(_word(run))
                run = [ch]
            else:
                run.append(ch)
        words.append(_word(run))
        box = words[0].box
        for w in words[1:]:
            box = box.union(w.box)
        lines.append(Line(text=" ".join(w.text for w in words), page=page, box=box, words=words))
    return lines


def _word(chars: list[dict]) -> Word:
    box = Box(min(c["x0"] for c in chars), min(c["top"] for c in chars),
              max(c["x1"] for c in chars), max(c["bottom"] for c in chars))
    return Word(text="".join(c["text"] for c in chars), box=box, size=max(c["size"] for c in chars))


def _snap(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


class _Grid:
    """A ruled table as a full grid: every cell bbox becomes an origin with its row/column span."""

    def __init__(self, table, xs, ys, page):
        self.xs, self.ys, self.page = xs, ys, page
        n_rows, n_cols = len(ys) - 1, len(xs) - 1
        self.origin = [[None] * n_cols for _ in range(n_rows)]
        rows = [[Cell(text="", row=r, col=c, page=page) for c in range(n_cols)] for r in range(n_rows)]
        for (x0, top, x1, bottom) in table.cells:
            c0, c1 = self._index(xs, x0), self._index(xs, x1)
            r0, r1 = self._index(ys, top), self._index(ys, bottom)
            if c1 <= c0 or r1 <= r0:
                continue
            cell = rows[r0][c0]
            cell.rowspan, cell.colspan = r1 - r0, c1 - c0
            cell.box = Box(x0, top, x1, bottom)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    self.origin[r][c] = (r0, c0)
                    if (r, c) != (r0, c0):
                        rows[r][c].merged_into = (r0, c0)
        self.table = Table(rows=rows, page=page, box=Box(*table.bbox), strategy="pdf-ruled", merges_known=True)
        self.chars: dict[tuple[int, int], list[dict]] = {}

    @staticmethod
    def _index(coords, v):
        i = bisect.bisect_left(coords, v - SNAP)
        return min(i, len(coords) - 1)

    def put(self, ch, cx, cy) -> bool:
        at = grid_cell(self.xs, self.ys, cx, cy)
        if at is None:
            return False
        r, c = at
        key = self.origin[r][c] or (r, c)
        self.chars.setdefault(key, []).append(ch)
        return True

    def finish(self) -> Table:
        for (r, c), chars in self.chars.items():
            cell = self.table.rows[r][c]
            cell.lines = _lines(chars, self.page)
            cell.text = "\n".join(line.text for line in cell.lines)
            if cell.box is None:
                cell.box = Box(self.xs[c], self.ys[r], self.xs[c + 1], self.ys[r + 1])
        return self.table


def _grid(table, page: int):
    if not table.cells:
        return None
    xs = _snap([v for (x0, _, x1, _) in table.cells for v in (x0, x1)])
    ys = _snap([v for (_, t, _, b) in table.cells for v in (t, b)])
    if len(xs) < 2 or len(ys) < 2:
        return None
    return _Grid(table, xs, ys, page)
