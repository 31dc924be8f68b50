"""Tables printed as lines of text, whatever separates their cells: pipes (`3 | 东山村 | 12 |`, with or without the
outer ones), tabs, runs of spaces, a PDF's gaps between words, one cell per line, or a whole table on one line.

A table is found by its header (ingest.lineheader). What follows is read as cells (ingest.linecells), and the
cells are given columns from the header and from the repeating pattern of their kinds (序号 a whole number before
a name, a name, a figure, notes), not by one rule per separator style:

- one row per line: cells between separators take the header's columns by position when there are as many; else
  (and for cells split at spaces) the header's roles are matched by kind, on a page with geometry list by list
  (a list's cells are those printed where its header is, so a row whose left half is empty keeps its right list);
- one cell per line, or the whole table on one line: the cells are read as one stream, by position when
  separators state every cell (blanks included), else record after record by kind;
- a table that ends with the text keeps the rows it has; a last name without its figure is left out of it.

The result is a grid of cells (parsers.model.Table) like the ones readers find, so the stage that reads grids into
rows (ingest.tables) treats both alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterator, Optional

import regex as re

from parsers.model import Cell, Document, Line, PageInfo, Paragraph, Table

from .cells import seq_number
from .linecells import Tok, furniture_in_table, is_number, kind, line_tokens
from .lineheader import Header, header_at, split_roles
from .rules import heading_re, month_number, row_kind, rules, squeeze

_DIGIT = re.compile(r"\d")
# Scores of a reading: every record, a 序号 and a figure read count for it; a name in several pieces against it.
RECORD, SEQ, VALUE, NOTE, PIECE, EMPTY_LIST = 1.0, 1.0, 2.0, 0.25, -0.5, -1.0
# A record without a 序号 where its list has a 序号 column (a total, or a 序号 left blank, but rarely), a record
# without its figure (a blank value cell: rarer than a list left empty).
NO_SEQ, NO_VALUE = -1.5, -2.5
# A line of text without figures between rows (a name printed over two lines) has at most this many characters,
# and at most this many such lines follow each other inside a table.
MAX_FRAGMENT_CHARS = 20
MAX_FRAGMENTS = 2
# A piece of a cell printed above or below its row belongs to the nearest row within this many line heights.
FRAGMENT_REACH = 1.6
OPENING = "（(〔［[【"

Cells = dict[int, list[Tok]]          # column (within one list) -> the cells of the line that fill it


# --------------------------------------------------------------------------------------------- reading by kind


def _options(toks: list[Tok], p: int, roles: list[Optional[str]], max_name: int,
             need_value: bool) -> Iterator[tuple[Cells, int, float]]:
    """Each way one list's record can take cells from position p: (cells by column, next position, score)."""
    n = len(toks)

    def go(ri: int, q: int, cells: Cells, score: float):
        if ri == len(roles):
            yield from _as_total(cells, roles, q, score)
            return
        role = roles[ri]
        if role == "name":
            for k in range(1, max_name + 1):
                if q + k > n or toks[q + k - 1].kind != "text":
                    break
                yield from go(ri + 1, q + k, {**cells, ri: toks[q:q + k]}, score + PIECE * (k - 1))
            return
        if role == "value":
            if q < n and is_number(toks[q].text):
                yield from go(ri + 1, q + 1, {**cells, ri: [toks[q]]}, score + VALUE)
            if not need_value:
                yield from go(ri + 1, q, cells, score + NO_VALUE)
            return
        if q < n and _fits(role, toks, q):
            bonus = SEQ if role == "seq" else NOTE
            yield from go(ri + 1, q + 1, {**cells, ri: [toks[q]]}, score + bonus)
        yield from go(ri + 1, q, cells, score + (NO_SEQ if role == "seq" else 0.0))

    yield from go(0, p, {}, RECORD)


def _as_total(cells: Cells, roles: list[Optional[str]], q: int, score: float):
    """A record named by a total word (合计, 小计) takes no 序号 and lacks none."""
    if not _is_total(cells, roles):
        yield cells, q, score
        return
    if "seq" in roles:
        if roles.index("seq") in cells:
            return
        score -= NO_SEQ
    yield cells, q, score


def _fits(role: Optional[str], toks: list[Tok], q: int) -> bool:
    """Can the cell at q fill a column of this role (other than name and value)?"""
    k = toks[q].kind
    if role == "seq":
        return k in ("int", "seq") and q + 1 < len(toks) and toks[q + 1].kind == "text"
    if role == "month":
        return month_number(toks[q].text) is not None
    if role == "group":
        return k == "text" and q + 1 < len(toks)
    return k != "blank"                  # a note, or a column no header word names


def read_stream(toks: list[Tok], roles: list[Optional[str]]) -> tuple[list[Cells], int]:
    """Records of one list's roles, one after the other, read from as far into the cells as they go: the records
    of the best-scoring reading of the longest readable start, and how many cells they use."""
    max_name = rules().text_tables.max_name_pieces
    best: list = [None] * (len(toks) + 1)
    best[0] = (0.0, None)
    for p in range(len(toks)):
        if best[p] is None:
            continue
        for cells, q, score in _options(toks, p, roles, max_name, need_value=True):
            cand = best[p][0] + score
            if best[q] is None or cand > best[q][0]:
                best[q] = (cand, (p, cells))
    end = _stream_end(best, roles)
    records, p = [], end
    while p > 0:
        prev, cells = best[p][1]
        records.append(cells)
        p = prev
    return records[::-1], end


def _stream_end(best: list, roles: list[Optional[str]]) -> int:
    """Where a stream's reading ends: as far as records go, except that a last record without the 序号 its list
    numbers its rows with (where the one before has one) is the text cut off inside a row: it ends before it."""
    ends = [p for p in range(len(best)) if best[p] is not None]
    if "seq" not in roles:
        return ends[-1]
    seq = roles.index("seq")
    for p in reversed(ends):
        if p == 0:
            break
        prev, last = best[p][1]
        before = best[prev][1]
        if seq in last or before is None or seq not in before[1] or _is_total(last, roles):
            return p
    return ends[-1]


def _is_total(cells: Cells, roles: list[Optional[str]]) -> bool:
    name = cells.get(roles.index("name")) if "name" in roles else None
    return name is not None and bool(row_kind("".join(t.text for t in name)))


def read_line(toks: list[Tok], groups: list[list[Optional[str]]]) -> Optional[list[Optional[Cells]]]:
    """One record per side-by-side list from one line's cells, all of them used: the best-scoring reading, lists
    left out at the end being empty (the right half of the last rows). None when no reading uses every cell."""
    n, g_count = len(toks), len(groups)
    best: dict = {(0, 0): (0.0, None)}
    for g in range(g_count):
        for p in range(n + 1):
            if (g, p) not in best:
                continue
            score = best[(g, p)][0]
            steps = [({}, p, EMPTY_LIST)] if p == n else list(_options(toks, p, groups[g], n, need_value=False))
            for cells, q, sc in steps:
                if best.get((g + 1, q), (None,))[0] is None or score + sc > best[(g + 1, q)][0]:
                    best[(g + 1, q)] = (score + sc, (p, cells))
    if (g_count, n) not in best:
        return None
    out: list[Optional[Cells]] = []
    p = n
    for g in range(g_count, 0, -1):
        prev, cells = best[(g, p)][1]
        out.append(cells or None)
        p = prev
    return out[::-1]


# --------------------------------------------------------------------------------------------- the grid


class _Grid:
    """The grid of one table as its rows are read: the header's labels, then a row of cells per line read."""

    def __init__(self, labels: list[str], line: Line):
        self.width = len(labels)
        self.rows: list[list[Cell]] = [[Cell(text=lab, row=0, col=c, page=line.page, lines=[line])
                                        for c, lab in enumerate(labels)]]

    def add_header(self, labels: list[str], page: Optional[int]) -> None:
        self.rows.append([Cell(text=lab, row=len(self.rows), col=c, page=page) for c, lab in enumerate(labels)])

    def add(self, filled: dict[int, list[Tok]], line: Line) -> None:
        """A row: the cells that fill each column (a name in several pieces joined), blanks elsewhere."""
        r = len(self.rows)
        row = []
        for c in range(self.width):
            toks = [t for t in filled.get(c, []) if t.text]
            box = next((t.box for t in toks if t.box is not None), None)
            for t in toks[1:]:
                if t.box is not None and box is not None and t.line.page == toks[0].line.page:
                    box = box.union(t.box)
            row.append(Cell(text="".join(t.text for t in toks), row=r, col=c,
                            page=toks[0].line.page if toks else line.page, box=box or line.box,
                            lines=sorted({id(t.line): t.line for t in toks}.values(), key=id) or [line]))
        self.rows.append(row)


def _offsets(groups: list[list[Optional[str]]]) -> list[int]:
    out, k = [], 0
    for g in groups:
        out.append(k)
        k += len(g)
    return out


def _flatten(records: list[Optional[Cells]], groups: list[list[Optional[str]]]) -> dict[int, list[Tok]]:
    """Records of the lists of one printed row as cells by column of the whole grid."""
    filled: dict[int, list[Tok]] = {}
    for off, rec in zip(_offsets(groups), records):
        for c, toks in (rec or {}).items():
            filled[off + c] = toks
    return filled


# --------------------------------------------------------------------------------------------- one row per line


@dataclass
class _Rows:
    """What reading a table one row per line found: its items in order, each ("row" | "piece" | "header", cells or
    labels, line, line number) (a piece is a part of a cell printed on a line of its own), the page furniture
    between the rows (with line numbers), and the line after the last row."""

    items: list = field(default_factory=list)
    furniture: list = field(default_factory=list)
    end: int = 0


def _prose(line: Line) -> bool:
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
    again on a new page, page furniture stepped over; up to the first line that is none of these."""
    out = _Rows(end=hdr.end)
    k, pieces = hdr.end, 0
    while k < len(lines):
        again = header_at(lines, k)
        if again is not None and again.roles == printed and again.rest is None:
            out.items.append(("header", again.labels, lines[k], k))
            k = again.end
            continue
        line = lines[k]
        if furniture_in_table(line, pages.get(line.page), figures_are_cells=False):
            out.furniture.append((line, k))
            k += 1
            continue
        toks = line_tokens(line)
        if toks and not _prose(line) and any(is_number(t.text) for t in toks):
            out.items.append(("row", toks, line, k))
            pieces = 0
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


class _RowReader:
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
                return _flatten(self._seen([r[0] for r in recs]), self.groups)
        recs = read_line(toks, self.groups)
        return None if recs is None else _flatten(self._seen(self._placed(recs)), self.groups)

    def _placed(self, recs: list[Optional[Cells]]) -> list[Optional[Cells]]:
        """A line with one list's record only (without geometry to say which): the list whose numbering its
        序号 continues (the last rows of a shorter left list leave their left half empty)."""
        present = [r for r in recs if r]
        if len(present) != 1 or any(g != self.groups[0] for g in self.groups):
            return recs
        seq = _seq_of(present[0], self.groups[0])
        to = next((g for g, last in enumerate(self.last) if seq is not None and last is not None and seq == last + 1),
                  None)
        if to is None:
            return recs
        return [present[0] if g == to else None for g in range(len(recs))]

    def _seen(self, recs: list[Optional[Cells]]) -> list[Optional[Cells]]:
        for g, rec in enumerate(recs):
            seq = _seq_of(rec, self.groups[g]) if rec else None
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


def _read_rows(lines: list[Line], hdr: Header, groups, grid: _Grid, pages: dict,
               printed: list) -> tuple[int, int, list[Line]]:
    """Rows one per line after the header, up to the first that does not read as a row: (rows, next line, page
    furniture stepped over). `printed` are the header's roles as printed, to know it when a page prints it again."""
    reader = _RowReader(hdr, groups)
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


# --------------------------------------------------------------------------------------------- one cell per line


def _collect_stream(lines: list[Line], hdr: Header, pages: dict) -> tuple[list[tuple[Tok, int]], list]:
    """The cells after the header read as one stream (with the line each is on), up to the first line of prose;
    and the page furniture stepped over (with its line number)."""
    stream = [(t, hdr.end - 1) for t in (hdr.rest or [])]
    furniture = []
    k = hdr.end
    limit = rules().text_tables.max_stream_cells
    while k < len(lines) and not _prose(lines[k]) and len(stream) < limit:
        line = lines[k]
        if furniture_in_table(line, pages.get(line.page), figures_are_cells=True):
            furniture.append((line, k))
        else:
            stream.extend((t, k) for t in line_tokens(line))
        k += 1
    return stream, furniture


def _stated_rows(toks: list[Tok], hdr: Header, reader: _RowReader) -> list[list[Tok]]:
    """A stream whose cells separators state (the last may have lost its separator with the end of the text):
    rows of as many cells as the header has columns, while they make sense. A last row cut short by the end of
    the text keeps the lists it holds whole; a list cut inside (a name whose figure never comes) is left out."""
    width = len(hdr.roles)
    if len(toks) < width or not all(t.stated for t in toks[:-1]):
        return []
    whole = [0]
    for g in split_roles(hdr.roles):
        whole.append(whole[-1] + len(g))
    rows = []
    for s in range(0, len(toks), width):
        chunk = [replace(t, stated=True) for t in toks[s:s + width]]
        if len(chunk) < width:
            chunk = chunk[:max(w for w in whole if w <= len(chunk))]
        if not chunk or not reader.fits(chunk):
            break
        rows.append(chunk)
    return rows


def _read_stream(lines: list[Line], hdr: Header, groups, grid: _Grid, pages: dict) -> tuple[int, int, list[Line]]:
    """Rows from the cells after the header read as one stream (one cell per line, or the data left on the header's
    own line): (rows, next line, page furniture stepped over); (0, header end, []) when none reads. Where
    separators state the cells they are read by position, unless reading by kind goes further (a blank cell left
    out of the stream shifts every position after it)."""
    stream, furniture = _collect_stream(lines, hdr, pages)
    stated = _stated_rows([t for t, _ in stream], hdr, _RowReader(hdr, groups))
    stated_end = stream[sum(len(r) for r in stated) - 1][1] + 1 if stated else 0
    cells = [(t, k) for t, k in stream if t.text]
    records, used = read_stream([t for t, _ in cells], groups[0])
    kind_end = cells[used - 1][1] + 1 if records else 0
    if stated and stated_end >= kind_end:
        for row in stated:
            grid.add({c: [t] for c, t in enumerate(row) if t.text}, row[0].line)
        n, end = len(stated), stated_end
    else:
        for row in _rows_of_records(records, groups):
            grid.add(_flatten(row, groups), _first_line(row) or lines[hdr.end - 1])
        n, end = len(records), kind_end
    if not n:
        return 0, hdr.end, []
    return n, end, [ln for ln, k in furniture if k < end]


def _first_line(records: list[Optional[Cells]]) -> Optional[Line]:
    for rec in records:
        for toks in (rec or {}).values():
            return toks[0].line
    return None


def _seq_of(rec: Cells, roles: list[Optional[str]]) -> Optional[int]:
    for c, toks in rec.items():
        if roles[c] == "seq" and seq_number(toks[0].text) is not None:
            return seq_number(toks[0].text)
    return None


def _rows_of_records(records: list[Cells], groups) -> list[list[Optional[Cells]]]:
    """Records read one after the other, as rows of side-by-side lists: they take the lists in turn (a printed row
    read left to right), except that a 序号 continuing another list's numbering puts its record there."""
    n = len(groups)
    if n == 1:
        return [[r] for r in records]
    lists: list[list[Cells]] = [[] for _ in range(n)]
    last: list[Optional[int]] = [None] * n
    turn = 0
    for rec in records:
        seq = _seq_of(rec, groups[0])
        g = turn % n
        if seq is not None and last[g] is not None and seq != last[g] + 1:
            g = next((k for k in range(n) if last[k] is not None and seq == last[k] + 1), g)
        lists[g].append(rec)
        last[g] = seq
        turn = g + 1
    depth = max(len(x) for x in lists)
    return [[lst[r] if r < len(lst) else None for lst in lists] for r in range(depth)]


# --------------------------------------------------------------------------------------------- tables in lines


def _with_seq_column(hdr: Header, lines: list[Line]) -> Header:
    """A header that names no 序号 column, over rows that start with one (1, then a name): each list gets a 序号
    column with a blank label, the way the table prints it."""
    if "seq" in hdr.roles:
        return hdr
    toks = [t for t in (hdr.rest or []) if t.text]
    for line in lines[hdr.end:hdr.end + 2]:
        toks += [t for t in line_tokens(line) if t.text]
    if len(toks) < 2 or seq_number(toks[0].text) != 1 or toks[1].kind != "text":
        return hdr
    roles: list[Optional[str]] = []
    labels: list[str] = []
    for g, off in zip(split_roles(hdr.roles), _offsets(split_roles(hdr.roles))):
        roles += ["seq"] + g
        labels += [""] + hdr.labels[off:off + len(g)]
    return replace(hdr, roles=roles, labels=labels)


def _table_at(lines: list[Line], i: int, pages: dict) -> Optional[tuple[int, Table, list[Line]]]:
    """The table whose header starts at line i: (line after it, grid, page furniture inside it), or None."""
    hdr = header_at(lines, i)
    if hdr is None:
        return None
    printed = hdr.roles
    hdr = _with_seq_column(hdr, lines)
    groups = split_roles(hdr.roles)
    n = 0
    if hdr.rest is None:
        grid = _Grid(hdr.labels, lines[i])
        n, k, furniture = _read_rows(lines, hdr, groups, grid, pages, printed)
    if n == 0:
        grid = _Grid(hdr.labels, lines[i])
        n, k, furniture = _read_stream(lines, hdr, groups, grid, pages)
    if n == 0:
        return None
    strategy = "pdf-lines" if lines[i].box is not None else "text-lines"
    return k, Table(rows=grid.rows, page=lines[i].page, box=lines[i].box, strategy=strategy,
                    source_index=lines[i].source_index), furniture


def find_line_tables(lines: list[Line], pages: Optional[dict] = None) -> list[tuple[int, int, Table, list[Line]]]:
    """Every table printed in `lines`: (first line, line after it, grid, page furniture between its rows).
    `pages` gives each page's PageInfo (by number), to tell page furniture by where it stands."""
    found = []
    i = 0
    while i < len(lines):
        got = _table_at(lines, i, pages or {})
        if got is None:
            i += 1
            continue
        end, table, furniture = got
        found.append((i, end, table, furniture))
        i = end
    return found


def split_blocks(doc: Document) -> Document:
    """The document with the tables printed in its paragraphs' lines taken out as grids, in their places. Lines of
    one run of paragraphs are read together (a table may run over many paragraphs: one cell per line, blank lines
    between); the paragraphs around a table keep their lines; page furniture from inside a table follows it as
    paragraphs of its own, for the cleaning stage to remove and count. Tables of the document pass through."""
    pages = {p.number: p for p in doc.pages}
    out: list = []
    run: list[tuple[Paragraph, Line]] = []
    for block in [*doc.blocks, None]:
        if isinstance(block, Paragraph):
            run.extend((block, line) for line in block.lines)
            continue
        if run:
            out.extend(_split_run(run, pages))
            run = []
        if block is not None:
            out.append(block)
    return replace(doc, blocks=out)


def _split_run(run: list[tuple[Paragraph, Line]], pages: dict) -> list:
    found = find_line_tables([line for _, line in run], pages)
    out: list = []
    pos = 0
    for start, end, table, furniture in found:
        out.extend(_paragraphs(run[pos:start]))
        out.append(table)
        out.extend(Paragraph(lines=[line]) for line in furniture)
        pos = end
    out.extend(_paragraphs(run[pos:]))
    return out


def _paragraphs(pairs: list[tuple[Paragraph, Line]]) -> list[Paragraph]:
    """Lines back into the paragraphs they came from (a paragraph cut by a table keeps its part on each side)."""
    out: list[Paragraph] = []
    k = 0
    while k < len(pairs):
        para = pairs[k][0]
        j = k
        while j < len(pairs) and pairs[j][0] is para:
            j += 1
        lines = [line for _, line in pairs[k:j]]
        out.append(para if len(lines) == len(para.lines) else Paragraph(lines=lines, style=para.style))
        k = j
    return out


# --------------------------------------------------------------------------------------------- grids read again


def reread_grid(table: Table, pages: Optional[dict] = None) -> list[Table]:
    """A ruled grid whose rulings do not separate its columns (rows ruled and a frame, no verticals between the
    cells): the lines printed in it read as tables printed as lines ([] when none is found)."""
    lines = visual_lines(table)
    return [grid for _, _, grid, _ in find_line_tables(lines, pages)] if lines else []


def visual_lines(table: Table) -> list[Line]:
    """The printed lines of a grid's cells, pieces on one level of one page joined left to right (a line
    crossing several cells is one line again); [] when the cells kept no geometry."""
    pieces = [ln for row in table.rows for c in row if not c.is_covered for ln in c.lines]
    if not pieces or any(ln.box is None or not ln.words for ln in pieces):
        return []
    pieces.sort(key=lambda ln: (ln.page or 0, ln.box.top, ln.box.x0))
    merged: list[list[Line]] = []
    for ln in pieces:
        last = merged[-1][-1] if merged else None
        if last is not None and last.page == ln.page and abs(last.box.top - ln.box.top) < 0.5 * (
                ln.box.bottom - ln.box.top):
            merged[-1].append(ln)
        else:
            merged.append([ln])
    out = []
    for group in merged:
        words = sorted((w for ln in group for w in ln.words), key=lambda w: w.box.x0)
        box = group[0].box
        for ln in group[1:]:
            box = box.union(ln.box)
        out.append(Line(text=" ".join(w.text for w in words), page=group[0].page, box=box, words=words,
                        source_index=group[0].source_index))
    return out
