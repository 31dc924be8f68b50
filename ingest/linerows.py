"""Tables printed one row per line: each line after the header read as one printed row, by position where
separators state every column, list by list by where the cells stand on a page with geometry, else by kind; pieces
of cells printed on lines of their own (a name over two lines) put back into their rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional

import regex as re

from parsers.model import Line

from .linecells import Tok, furniture_in_table, is_number, line_tokens
from .lineheader import Header, header_at
from .linerecords import Cells, Grid, flatten, read_line, seq_of
from .rules import heading_re, squeeze

_DIGIT = re.compile(r"\d")
# A line of text without figures between rows (a name printed over two lines) has at most this many characters,
# and at most this many such lines follow each other inside a table.
MAX_FRAGMENT_CHARS = 20
MAX_FRAGMENTS = 2
# A piece of a cell printed above or below its row belongs to the nearest row within this many line heights.
FRAGMENT_REACH = 1.6
OPENING = "（(〔［[【"


# --------------------------------------------------------------------------------------------- one row per line


@dataclass
class _Rows:
    """What reading a table one row per line found: its items in order, each ("row" | "piece" | "header", cells or
    labels, line, line number) (a piece is a part of a cell printed on a line of its own), the page furniture
    between the rows (with line numbers), and the line after the last row."""

    items: list = field(default_factory=list)
    furniture: list = field(default_factory=list)
    end: int = 0


def is_prose(line: Line) -> bool:
    """A line that ends a table: long, long without figures, or a numbered heading too long for a row
    (a short "1、 青石村 12" is a row with a 序号 printed as 1、)."""
    t = squeeze(line.text)
    heading = bool(heading_re().match(t)) and (len(t) > MAX_FRAGMENT_CHARS or not _DIGIT.search(t[2:]))
    return heading or (len(t) > 25 and not _DIGIT.search(t)) or len(t) > 80


def _piece(line: Line, toks: list[Tok]) -> bool:
    """A short line of text without figures: a piece of a cell printed over two lines (镇机关 / （含驻地企业））."""
    return (bool(toks) and not any(is_number(t.text) for t in toks)
            and len(squeeze(line.text)) <= MAX_FRAGMENT_CHARS and not heading_re().match(squeeze(line.text)))


def _scan_rows(lines: list[Line], hdr: Header, pages: dict, printed: list) -> _Rows:
    """Lines after the header that may be rows (they hold a figure), pieces of cells between them, a header printed
    again on a new page, page furniture stepped over; up to the first line that is none of these (or another
    header, or the same header again before any row under it)."""
    out = _Rows(end=hdr.end)
    k, pieces, rows_since_header = hdr.end, 0, 0
    while k < len(lines):
        again = header_at(lines, k)
        if again is not None:
            if again.roles != printed or again.rest is not None or not rows_since_header:
                break
            out.items.append(("header", again.labels, lines[k], k))
            k, rows_since_header = again.end, 0
            continue
        line = lines[k]
        if furniture_in_table(line, pages.get(line.page), figures_are_cells=False):
            out.furniture.append((line, k))
            k += 1
            continue
        toks = line_tokens(line)
        if toks and not is_prose(line) and any(is_number(t.text) for t in toks):
            out.items.append(("row", toks, line, k))
            pieces, rows_since_header = 0, rows_since_header + 1
        elif toks and _piece(line, toks) and pieces < MAX_FRAGMENTS:
            out.items.append(("piece", toks, line, k))
            pieces += 1
        elif toks:
            break
        k += 1
    while out.items and out.items[-1][0] == "piece":       # pieces after the last row are not the table's
        out.items.pop()
    return out


def _near(a: Line, b: Line) -> Optional[float]:
    """Vertical distance between two lines of one page, in line heights; None when not comparable."""
    if a.box is None or b.box is None or a.page != b.page:
        return None
    h = max(a.box.bottom - a.box.top, b.box.bottom - b.box.top, 1.0)
    return abs((a.box.top + a.box.bottom) - (b.box.top + b.box.bottom)) / 2 / h


def _attach_pieces(items: list) -> list[tuple[list[Tok], Line]]:
    """Rows with the pieces of their cells printed on lines of their own put back in: on a page with geometry into
    the nearest row, beside the cell they stand over or under; without, into the row after (into the row before
    when the piece opens with a bracket: a note under its name)."""
    rows = [[list(toks), line] for kind_, toks, line, _ in items if kind_ == "row"]
    order = [k for k, it in enumerate(items) if it[0] == "row"]
    for k, (kind_, toks, line, _) in enumerate(items):
        if kind_ != "piece" or not rows:
            continue
        dist = [(_near(line, r[1]), i) for i, r in enumerate(rows)]
        close = [(d, i) for d, i in dist if d is not None and d <= FRAGMENT_REACH]
        if close:
            i = min(close)[1]
            _merge_by_x(rows[i][0], toks, above=line.box.top < rows[i][1].box.top)
            continue
        after = next((i for i, pos in enumerate(order) if pos > k), None)
        before = next((i for i, pos in reversed(list(enumerate(order))) if pos < k), None)
        if toks[0].text[:1] in OPENING and before is not None:
            _join_text(rows[before][0], toks, at_end=True)
        elif after is not None:
            _join_text(rows[after][0], toks, at_end=False)
    return [(toks, line) for toks, line in rows]


def _merge_by_x(row: list[Tok], piece: list[Tok], above: bool) -> None:
    """Each token of a piece joins the row's text cell it overlaps (before it when printed above), or takes its
    own place by x."""
    for t in piece:
        if t.box is None:
            continue
        over = [i for i, r in enumerate(row) if r.box is not None and r.kind == "text"
                and min(r.box.x1, t.box.x1) > max(r.box.x0, t.box.x0)]
        if over:
            i = over[0]
            r = row[i]
            text = t.text + r.text if above else r.text + t.text
            row[i] = replace(r, text=text, box=r.box.union(t.box))
        else:
            row.append(t)
            row.sort(key=lambda x: x.box.x0 if x.box is not None else 0.0)


def _join_text(row: list[Tok], piece: list[Tok], at_end: bool) -> None:
    """A piece joins the row's first text cell (after it when at_end)."""
    i = next((i for i, t in enumerate(row) if t.kind == "text"), None)
    text = "".join(t.text for t in piece)
    if i is None:
        return
    row[i] = replace(row[i], text=row[i].text + text if at_end else text + row[i].text)


def _by_list(toks: list[Tok], bounds: Optional[list[float]], n: int) -> Optional[list[list[Tok]]]:
    """A line's cells shared out among the side-by-side lists by where they are printed (None without geometry)."""
    if bounds is None or any(t.box is None for t in toks):
        return None
    out: list[list[Tok]] = [[] for _ in range(n)]
    for t in toks:
        centre = (t.box.x0 + t.box.x1) / 2
        out[sum(1 for b in bounds if centre >= b)].append(t)
    return out


class RowReader:
    """Reads one line as one printed row: by position where separators state every column, by where the cells
    stand on a page with geometry, else by kind."""

    def __init__(self, hdr: Header, groups: list[list[Optional[str]]]):
        self.hdr, self.groups, self.width = hdr, groups, len(hdr.roles)
        self.last: list[Optional[int]] = [None] * len(groups)      # the last 序号 read in each list

    def __call__(self, toks: list[Tok]) -> Optional[dict[int, list[Tok]]]:
        if toks and all(t.stated for t in toks) and len(toks) == self.width and self.fits(toks):
            return {c: [t] for c, t in enumerate(toks) if t.text}
        toks = [t for t in toks if t.text]
        split = _by_list(toks, self.hdr.bounds, len(self.groups))
        if split is not None:
            recs = [read_line(part, [g]) if part else [None] for part, g in zip(split, self.groups)]
            if all(r is not None for r in recs):
                return flatten(self._seen([r[0] for r in recs]), self.groups)
        recs = read_line(toks, self.groups)
        return None if recs is None else flatten(self._seen(self._placed(recs)), self.groups)

    def _placed(self, recs: list[Optional[Cells]]) -> list[Optional[Cells]]:
        """A line with one list's record only (without geometry to say which): the list whose numbering its
        序号 continues (the last rows of a shorter left list leave their left half empty)."""
        present = [r for r in recs if r]
        if len(present) != 1 or any(g != self.groups[0] for g in self.groups):
            return recs
        seq = seq_of(present[0], self.groups[0])
        to = next((g for g, last in enumerate(self.last) if seq is not None and last is not None and seq == last + 1),
                  None)
        if to is None:
            return recs
        return [present[0] if g == to else None for g in range(len(recs))]

    def _seen(self, recs: list[Optional[Cells]]) -> list[Optional[Cells]]:
        for g, rec in enumerate(recs):
            seq = seq_of(rec, self.groups[g]) if rec else None
            if seq is not None:
                self.last[g] = seq
        return recs

    def fits(self, toks: list[Tok]) -> bool:
        """Cells by position make sense: 序号 whole numbers, figures under the value, no figure as a name."""
        for role, t in zip(self.hdr.roles, toks):
            k = t.kind
            if (role == "seq" and k not in ("int", "seq", "blank")) or (role == "value" and k in ("text", "seq")) \
                    or (role == "name" and k in ("int", "figure")):
                return False
        return True


def read_rows(lines: list[Line], hdr: Header, groups, grid: Grid, pages: dict,
               printed: list) -> tuple[int, int, list[Line]]:
    """Rows one per line after the header, up to the first that does not read as a row: (rows, next line, page
    furniture stepped over). `printed` are the header's roles as printed, to know it when a page prints it again."""
    reader = RowReader(hdr, groups)
    scan = _scan_rows(lines, hdr, pages, printed)
    rows = iter(_attach_pieces(scan.items))
    n, end, headers = 0, hdr.end, []
    for kind_, payload, line, k in scan.items:
        if kind_ == "header":
            headers.append((payload, line.page, k))
            continue
        if kind_ != "row":
            continue
        toks, _ = next(rows)
        filled = reader(toks) or reader(payload)
        if filled is None:
            break
        for labels, page, _ in headers:
            grid.add_header(labels, page)
        headers = []
        grid.add(filled, line)
        n, end = n + 1, k + 1
    return n, end, [line for line, k in scan.furniture if k < end]


