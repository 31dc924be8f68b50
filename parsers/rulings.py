"""Ruled tables from a page's edges: pdfplumber's table finder ("lines" strategy), step for step, without
pdfplumber.

The PDFium reader (parsers.pdf) finds its tables here, so a run over PDFs needs neither pdfplumber nor pdfminer;
the reference reader (parsers.pdf_plumber) keeps pdfplumber's own finder, and tests/test_pdf_readers.py holds
the two to the same cells. Edges are pdfplumber's edge dicts (orientation, x0, x1, top, bottom, width, height),
in the order pdfplumber lists them (line edges, then rect edges, then curve edges, each in drawing order): the
snapping averages and the joins below follow that order, as pdfplumber's do, so every coordinate comes out the
same to the last bit. What differs is only bookkeeping: each intersection keeps the sets of edges through it,
and each row and column of intersections is listed once, instead of searched for every point.
"""
from __future__ import annotations

import bisect
import heapq
import itertools
from typing import Iterator, Optional

from .model import UnreadableFile

SNAP = 3              # snap_tolerance: edges this close (points) are moved onto their mean
JOIN = 3              # join_tolerance: collinear edges with a gap this small become one
MIN_LENGTH = 3        # edge_min_length, after joining
PREFILTER = 1         # edge_min_length_prefilter, before snapping
INTERSECT = 3         # intersection_tolerance
MAX_INTERSECTIONS = 500_000     # crossings of rulings on one page (parsers.limits.MAX_GRID_CELLS: the same bound on a grid)
# crossings of rulings on all the pages of one document: pages sharing one grid's content stream each stay under
# MAX_INTERSECTIONS (40 pages of a 200 by 200 grid from 15 KB: 62 s, 970 MB); the samples' most is 399
MAX_DOCUMENT_INTERSECTIONS = 1_000_000
MAX_STEPS = 10_000_000          # points tried in the search for a page's cells (seconds; a ruled table: ~2 a cell)

Cell = tuple          # (x0, top, x1, bottom)


class _Edge:
    """One edge while it is snapped and joined: its position, its extent along itself, and its length as
    pdfplumber tracks it (updated with pdfplumber's arithmetic)."""

    __slots__ = ("v", "x0", "x1", "top", "bottom", "length")

    def __init__(self, e: dict):
        self.v = e["orientation"] == "v"
        self.x0, self.x1, self.top, self.bottom = e["x0"], e["x1"], e["top"], e["bottom"]
        self.length = e["height"] if self.v else e["width"]

    @property
    def position(self) -> float:
        """Where the edge lies across its direction (x of a vertical edge, top of a horizontal one)."""
        return self.x0 if self.v else self.top

    @property
    def start(self) -> float:
        """Where it begins along its direction."""
        return self.top if self.v else self.x0

    @property
    def end(self) -> float:
        """Where it ends along its direction."""
        return self.bottom if self.v else self.x1

    def move(self, d: float) -> None:            # pdfplumber's utils.move_object
        """Shift it across its direction by d (pdfplumber's utils.move_object)."""
        if self.v:
            self.x0, self.x1 = self.x0 + d, self.x1 + d
        else:
            self.top, self.bottom = self.top + d, self.bottom + d

    def extend_to(self, value: float) -> None:   # pdfplumber's utils.resize_object on the far end
        """Stretch its far end to `value` (pdfplumber's utils.resize_object)."""
        if self.v:
            self.length = self.length + (value - self.bottom)
            self.bottom = value
        else:
            self.length = value - self.x0
            self.x1 = value

    def bbox(self) -> Cell:
        """(x0, top, x1, bottom)."""
        return (self.x0, self.top, self.x1, self.bottom)


def ruling(x0: float, top: float, x1: float, bottom: float) -> dict:
    """One ruling edge drawn by a reader of its own (OFD): horizontal when it is wider than tall."""
    x0, x1, top, bottom = min(x0, x1), max(x0, x1), min(top, bottom), max(top, bottom)
    orientation = "h" if x1 - x0 >= bottom - top else "v"
    if orientation == "h":
        top = bottom = (top + bottom) / 2
    else:
        x0 = x1 = (x0 + x1) / 2
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line"}


def find_tables(edges: list[dict], document: Optional[list] = None) -> list[list[Cell]]:
    """Each ruled table as the list of its cells' boxes, top to bottom, left to right; a table of one cell is
    not a table (pdfplumber's rule). `document`, when given, is the crossings found on the document's pages
    before this one (a list of one count, which this page's are added to), held to MAX_DOCUMENT_INTERSECTIONS."""
    v = [_Edge(e) for e in edges if e["orientation"] == "v" and e["height"] >= PREFILTER]
    h = [_Edge(e) for e in edges if e["orientation"] == "h" and e["width"] >= PREFILTER]
    merged = [e for e in _merge(_snap(v) + _snap(h)) if e.length >= MIN_LENGTH]
    steps = [0]             # the page's tries, crossings and lines, against MAX_STEPS
    document = [0] if document is None else document
    found = _intersections(merged, steps, document[0])
    document[0] += len(found)
    return _tables(_cells(found, steps))


def _snap(edges: list[_Edge]) -> list[_Edge]:
    """Edges within SNAP of each other (a chain of them) moved onto their mean position, cluster by cluster."""
    values = sorted({e.position for e in edges})
    cluster_of: dict = {}
    index, last = -1, None
    for value in values:
        if last is None or value > last + SNAP:
            index += 1
        cluster_of[value] = index
        last = value
    ordered = sorted(edges, key=lambda e: cluster_of[e.position])
    out: list[_Edge] = []
    for _, group in itertools.groupby(ordered, key=lambda e: cluster_of[e.position]):
        cluster = list(group)
        mean = sum(e.position for e in cluster) / len(cluster)
        for e in cluster:
            e.move(mean - e.position)
        out.extend(cluster)
    return out


def _merge(edges: list[_Edge]) -> list[_Edge]:
    """Collinear edges (same orientation and position) joined where they touch or nearly (JOIN)."""
    out: list[_Edge] = []
    def line(e: _Edge) -> tuple:
        return ("v" if e.v else "h", e.position)

    for _, group in itertools.groupby(sorted(edges, key=line), key=line):
        joined: list[_Edge] = []
        for e in sorted(group, key=lambda e: e.start):
            if joined and e.start <= joined[-1].end + JOIN:
                if e.end > joined[-1].end:
                    joined[-1].extend_to(e.end)
            else:
                joined.append(e)
        out.extend(joined)
    return out


def _intersections(edges: list[_Edge], steps: list, before: int = 0) -> dict:
    """{(x, y): (bboxes of the vertical edges through it, bboxes of the horizontal ones)} within INTERSECT.

    A sweep down the page: the horizontal edges are taken in order of their y, and the vertical edges that reach
    that y (within INTERSECT) are the ones live at it, added as the sweep passes their top and dropped past their
    bottom, kept counted by x column in a Fenwick tree. Each horizontal edge asks the tree for the live columns
    within its x extent only, so the work is the lines plus the crossings found (times a logarithm); trying every
    vertical in a horizontal's x extent was quadratic with no crossing found at all (1,000 long horizontal lines
    above 100,000 short verticals: 10^8 tries, 5 s a page). The comparisons are pdfplumber's, made as written
    (v.top <= h.top + INTERSECT and v.bottom >= h.top - INTERSECT, h.x0 - INTERSECT <= v.x0 <= h.x1 + INTERSECT),
    so the same points come out. Each line and each crossing is a step against MAX_STEPS (`steps`, the page's
    count, shared with the search for cells). A page with more than MAX_INTERSECTIONS is refused: its grid would
    cost time and memory in proportion (a table of that many cells is not a notice's, and HTML tables are held to
    the same number of cells)."""
    found: dict = {}
    verticals = [e for e in edges if e.v]
    horizontals = sorted((e for e in edges if not e.v), key=lambda e: (e.top, e.x0))
    xs = sorted({v.x0 for v in verticals})
    column = {x: i for i, x in enumerate(xs)}
    by_top = sorted(verticals, key=lambda e: e.top)
    by_bottom = sorted(verticals, key=lambda e: e.bottom)
    live: list[list[_Edge]] = [[] for _ in xs]       # the live verticals of each column (a few: see _merge)
    tree = _Counts(len(xs))
    added = dropped = 0
    for h in horizontals:
        while added < len(by_top) and by_top[added].top <= h.top + INTERSECT:
            v = by_top[added]
            live[column[v.x0]].append(v)
            tree.add(column[v.x0], 1)
            added += 1
            _step(steps)
        while dropped < len(by_bottom) and by_bottom[dropped].bottom < h.top - INTERSECT:
            v = by_bottom[dropped]
            live[column[v.x0]].remove(v)       # added already: its top is above its bottom
            tree.add(column[v.x0], -1)
            dropped += 1
            _step(steps)
        _step(steps)
        lo, hi = bisect.bisect_left(xs, h.x0 - INTERSECT), bisect.bisect_right(xs, h.x1 + INTERSECT)
        for c in tree.nonzero(lo, hi):
            for v in live[c]:
                _step(steps)
                vs, hs = found.setdefault((v.x0, h.top), (set(), set()))
                vs.add(v.bbox())
                hs.add(h.bbox())
            if len(found) > MAX_INTERSECTIONS:
                raise UnreadableFile(f"page has more than {MAX_INTERSECTIONS} crossings of ruled lines: refused (a "
                                     f"grid built to exhaust time and memory?)")
            if len(found) + before > MAX_DOCUMENT_INTERSECTIONS:
                raise UnreadableFile(f"document has more than {MAX_DOCUMENT_INTERSECTIONS} crossings of ruled lines "
                                     f"up to this page: refused (pages sharing one grid?)")
    return found


class _Counts:
    """A count for each of n slots (a Fenwick tree): changed, and its nonzero slots in a range listed, each in
    log n operations."""

    def __init__(self, n: int):
        self.n = n
        self.tree = [0] * (n + 1)
        self.top = 1 << n.bit_length() if n else 0

    def add(self, i: int, d: int) -> None:
        i += 1
        while i <= self.n:
            self.tree[i] += d
            i += i & -i

    def _before(self, i: int) -> int:
        """The sum of slots 0 .. i - 1."""
        total = 0
        while i > 0:
            total += self.tree[i]
            i -= i & -i
        return total

    def _first_past(self, total: int) -> int:
        """The first slot where the running sum exceeds `total` (n when none does)."""
        i, step = 0, self.top
        while step:
            j = i + step
            if j <= self.n and self.tree[j] <= total:
                i = j
                total -= self.tree[j]
            step >>= 1
        return i

    def nonzero(self, lo: int, hi: int) -> Iterator[int]:
        """The slots lo .. hi - 1 whose count is not zero, in order."""
        total = self._before(lo)
        while True:
            i = self._first_past(total)
            if i >= hi:
                return
            yield i
            total = self._before(i + 1)


def _cells(found: dict, steps: list) -> list[Cell]:
    """For each intersection, the smallest cell it is the top-left corner of: the first point below it joined to
    it by a vertical edge and the first point right of it joined by a horizontal edge whose far corner is an
    intersection joined to both (pdfplumber's intersections_to_cells).

    pdfplumber searches every point below and right of each point (and finds its place in its column by a search):
    cubic in the number of rulings of a grid. Here each point knows its place in its row and column, and the
    search stops past the end of the point's own edges, where no point can be joined to it: a grid of n by n
    rulings costs n² steps instead of n³, and the cells are the same."""
    points = sorted(found)
    column: dict = {}
    row: dict = {}
    at: dict = {}                  # point -> (its index in its column, its index in its row)
    for p in points:
        col, r = column.setdefault(p[0], []), row.setdefault(p[1], [])
        at[p] = (len(col), len(r))
        col.append(p)
        r.append(p)

    def joined(p: tuple, q: tuple) -> bool:
        return bool((p[0] == q[0] and found[p][0] & found[q][0]) or (p[1] == q[1] and found[p][1] & found[q][1]))

    cells = []
    for p in points:
        cell = _smallest(p, column[p[0]], row[p[1]], at[p], found, joined, steps)
        if cell is not None:
            cells.append(cell)
    return cells


def _reach(points: list, start: int, axis: int, end: float) -> Iterator[tuple]:
    """The points of a row or column from index `start` on, while they lie within INTERSECT of `end` (along
    `axis`): past it no edge ending at `end` passes through them."""
    for i in range(start, len(points)):          # (islice would step over the first `start` one by one)
        q = points[i]
        if q[axis] - INTERSECT > end:
            return
        yield q


def _smallest(p, column, row, where, found, joined, steps: list) -> Optional[Cell]:
    """The smallest cell with its top-left corner at p. `steps` counts the corners tried on the page: rulings
    can be drawn so that a point is joined to n points below and n right of it with no corner between them (a comb
    of short lines along two long ones), n² tries for 2n lines; past MAX_STEPS the page is refused."""
    vs, hs = found[p]
    below = _reach(column, where[0] + 1, 1, max(e[3] for e in vs))     # a vertical edge's bottom
    right = (r for r in _reach(row, where[1] + 1, 0, max(e[2] for e in hs)) if joined(p, r))  # a horizontal's x1
    seen: list = []             # the points right of p joined to it, listed as far as a search has gone
    if next(_listing(right, seen), None) is None:
        return None
    for b in below:
        _step(steps)
        if not joined(p, b):
            continue
        for r in itertools.chain(seen, _listing(right, seen)):
            _step(steps)
            corner = (r[0], b[1])
            if corner in found and joined(corner, r) and joined(corner, b):
                return (p[0], p[1], corner[0], corner[1])
    return None


def _step(steps: list) -> None:
    steps[0] += 1
    if steps[0] > MAX_STEPS:
        raise UnreadableFile(f"page has ruled lines that take more than {MAX_STEPS} tries to search for cells: "
                             f"refused (lines built to exhaust time?)")


def _listing(items: Iterator, seen: list) -> Iterator:
    """`items` one by one, each added to `seen` as it is yielded: a lazy search that the next one resumes."""
    for item in items:
        seen.append(item)
        yield item


def _tables(cells: list[Cell]) -> list[list[Cell]]:
    """Cells grouped into tables by shared corners (pdfplumber's cells_to_tables), sorted by their top-left; a
    table of one cell is dropped. The cells must be distinct, as _cells gives them (one for each top-left corner):
    pdfplumber removes a cell taken by value (the first equal one left), which reorders duplicates.

    pdfplumber starts a table from the first cell left and scans the cells left again and again, taking each one
    that shares a corner with the table so far, until a scan takes none: every table costs scans of all the cells
    left, a long chain of cells a scan for every few of them. Quadratic: 2,500 long rulings with short ones
    between them make 35,000 cells in 2,500 tables, 51 s. Here each corner lists its cells, so a table grows only
    through the corners it gains (_grow_table), taking its cells in the order pdfplumber's scans take them."""
    by_corner = _cells_by_corner(cells)
    claimed = bytearray(len(cells))         # taken into a table, or due to be taken into the one growing
    tables = [_grow_table(first, cells, by_corner, claimed)
              for first in range(len(cells)) if not claimed[first]]
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _corners(cell: Cell) -> tuple:
    """Its four corner points, as pdfplumber lists them."""
    x0, top, x1, bottom = cell
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


def _cells_by_corner(cells: list[Cell]) -> dict:
    """{corner point: the indexes of the cells with that corner, in order}."""
    by_corner: dict = {}
    for i, cell in enumerate(cells):
        for corner in _corners(cell):
            by_corner.setdefault(corner, []).append(i)
    return by_corner


def _grow_table(first: int, cells: list[Cell], by_corner: dict, claimed: bytearray) -> list[Cell]:
    """The table pdfplumber grows from cells[first], its cells in the order its scans take them.

    A scan goes through the cells left in their order and takes each that touches the table at that moment; so a
    cell comes to touch the table when a cell taken gains it a corner, and it is taken by the scan under way if it
    lies after the cell just taken (the scan has yet to reach it), by the next scan if it lies before. Two heaps
    of indexes hold the two, and the table is done when a scan ends with none due to the next. Each corner is
    looked up once (popped from by_corner: a corner gained by one table is in no other), each cell queued once."""
    table: list[Cell] = []
    this_scan, next_scan = [first], []
    claimed[first] = 1
    while this_scan:
        i = heapq.heappop(this_scan)
        table.append(cells[i])
        for corner in _corners(cells[i]):
            for j in by_corner.pop(corner, ()):
                if not claimed[j]:
                    claimed[j] = 1
                    heapq.heappush(this_scan if j > i else next_scan, j)
        if not this_scan:
            this_scan, next_scan = next_scan, []
    return table
