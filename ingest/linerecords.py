"""Reading cells by their kind: the records of one list's columns (序号, month, group, name, figure, notes) that a
run of cells holds, chosen by score where several readings use the same cells, and the grid such records make.

Shared by the two ways a table printed as lines is read: one row per line (ingest.linerows) and one stream of
cells (ingest.linetables).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator, Optional

from parsers.model import Cell, Line

from .cells import seq_number
from .linecells import Tok, is_number
from .rules import month_number, row_kind, rules

# Scores of a reading: every record, a 序号 and a figure read count for it; a name in several pieces against it.
RECORD, SEQ, VALUE, NOTE, PIECE, EMPTY_LIST = 1.0, 1.0, 2.0, 0.25, -0.5, -1.0
# A record without a 序号 where its list has a 序号 column (a total, or a 序号 left blank, but rarely), a record
# without its figure (a blank value cell: rarer than a list left empty).
NO_SEQ, NO_VALUE = -1.5, -2.5

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
    if "seq" not in roles or not _is_total(cells, roles):
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
    return name is not None and _total_word("".join(t.text for t in name))


@lru_cache(maxsize=4096)
def _total_word(text: str) -> bool:
    return bool(row_kind(text))


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


def seq_of(rec: Cells, roles: list[Optional[str]]) -> Optional[int]:
    """The 序号 a record states in its seq column, or None."""
    for c, toks in rec.items():
        if roles[c] == "seq" and seq_number(toks[0].text) is not None:
            return seq_number(toks[0].text)
    return None


# --------------------------------------------------------------------------------------------- the grid


class Grid:
    """The grid of one table as its rows are read: the header's labels, then a row of cells per line read."""

    def __init__(self, labels: list[str], line: Line):
        self.width = len(labels)
        self.rows: list[list[Cell]] = [[Cell(text=lab, row=0, col=c, page=line.page, lines=[line])
                                        for c, lab in enumerate(labels)]]

    def add_header(self, labels: list[str], page: Optional[int]) -> None:
        """The header row: one cell per column label."""
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
                            lines=list({id(t.line): t.line for t in toks}.values()) or [line]))
        self.rows.append(row)


def offsets(groups: list[list[Optional[str]]]) -> list[int]:
    """Where each group of columns starts when the groups are laid side by side in one grid."""
    out, k = [], 0
    for g in groups:
        out.append(k)
        k += len(g)
    return out


def flatten(records: list[Optional[Cells]], groups: list[list[Optional[str]]]) -> dict[int, list[Tok]]:
    """Records of the lists of one printed row as cells by column of the whole grid."""
    filled: dict[int, list[Tok]] = {}
    for off, rec in zip(offsets(groups), records):
        for c, toks in (rec or {}).items():
            filled[off + c] = toks
    return filled


