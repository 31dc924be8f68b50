"""Tables printed as lines of text: a PDF without rulings, text with runs of spaces, one cell per line, a table
flattened into one line. Found by their header words, then read line by line, or as a stream of tokens.

The result is a grid of cells (parsers.model.Table) like the ones readers find, so the stage that reads grids
into rows (ingest.tables) treats both alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex as re

from parsers.model import Box, Cell, Line, Table

from .cells import NUM_RE, header_unit, is_figure
from .clean import LineRun, normalize_chars
from .rules import header_role, heading_re, month_number, rules, squeeze

Token = tuple[str, Optional[Box]]
_BRACKETED = re.compile(r"（[^）]*）")
_DIGIT = re.compile(r"\d")
# A stream of one-cell-per-line tokens is read this far at most after its header.
MAX_STREAM_TOKENS = 5000
# A header is looked for over this many lines at most.
MAX_HEADER_LINES = 16


@dataclass(frozen=True)
class Header:
    """A header found in lines: its column roles and labels, the line after it, and the tokens left on its last
    line (a table flattened into one line has its data there)."""

    roles: list[str]
    labels: list[str]
    end: int
    rest: Optional[list[str]]


@lru_cache(maxsize=1)
def _header_words() -> tuple[tuple[str, str], ...]:
    words = [(w, role) for role, ws in rules().header.roles for w in ws]
    return tuple(sorted(words, key=lambda x: -len(x[0])))


@lru_cache(maxsize=1)
def _header_pattern():
    words = _header_words()
    return re.compile("|".join(re.escape(w) for w, _ in words)), dict(words)


def _covered(text: str) -> int:
    pattern, _ = _header_pattern()
    return sum(len(m.group(0)) for m in pattern.finditer(_BRACKETED.sub("", text)))


def _header_from_text(text: str) -> Optional[tuple[list[str], list[str]]]:
    """Column roles and printed labels from a header's text, however it was broken over lines."""
    pattern, lookup = _header_pattern()
    bare = _BRACKETED.sub("", text)
    found = [(m.group(0), lookup[m.group(0)], m.start()) for m in pattern.finditer(bare)]
    roles = [r for _, r, _ in found]
    covered = sum(len(w) for w, _, _ in found)
    if "name" not in roles or not ({"value", "month"} & set(roles)) or covered < 0.4 * max(len(bare), 1):
        return None
    labels = []
    for k, (w, _, start) in enumerate(found):
        end = found[k + 1][2] if k + 1 < len(found) else len(bare)
        labels.append(bare[start:end])
    unit = header_unit([text])
    labels = [f"{lab}（{unit}）" if lookup.get(w) == "value" else lab for lab, (w, _, _) in zip(labels, found)]
    return roles, labels


def _flattened_header(line: Line, i: int) -> Optional[Header]:
    """Header words as the first tokens of a line, the data after them on the same line."""
    toks = line.text.split()
    k = 0
    while k < len(toks) and header_role(toks[k]) and not _DIGIT.search(toks[k]):
        k += 1
    got = _header_from_text("".join(squeeze(t) for t in toks[:k])) if k >= 2 else None
    if got is None:
        return None
    return Header(got[0], got[1], i + 1, toks[k:])


def header_at(lines: list[Line], i: int) -> Optional[Header]:
    """A header printed as lines starting at line i.

    The header may be broken anywhere ("序" / "号" / "单位名称" / "募集无偿" / "献血量(人份)"): lines are taken while
    they carry no figures, and the header ends at the last line that adds to the header words found."""
    first = squeeze(lines[i].text)
    if not first or not any(first.startswith(w) or w.startswith(first) for w, _ in _header_words()):
        return None
    if _DIGIT.search(_BRACKETED.sub("", first)):
        return _flattened_header(lines[i], i)
    text, j, cut, best, cut_text = "", i, i, 0, ""
    while j < len(lines) and j - i < MAX_HEADER_LINES:
        t = squeeze(lines[j].text)
        if _DIGIT.search(_BRACKETED.sub("", t)) or len(t) > 40:
            break
        text += t
        j += 1
        cov = _covered(text)
        if cov > best:
            best, cut, cut_text = cov, j, text
    if cut == i:
        return None
    got = _header_from_text(cut_text)
    return Header(got[0], got[1], cut, None) if got is not None else None


def tokens(line: Line) -> list[Token]:
    """A line's tokens with their boxes where the reader kept them; "全区 10 个街镇" stays one name."""
    if line.words and all(w.box is not None for w in line.words):
        toks = [(normalize_chars(w.text), w.box) for w in line.words]
    else:
        toks = [(t, None) for t in normalize_chars(line.text).split()]
    measure = rules().numbers.measure_words
    out: list[Token] = []
    for tok, box in toks:
        # a number followed by a measure word is part of a name
        if out and out[-1][0].isdigit() and tok[:1] in measure and len(out) >= 2 and not out[-2][0].isdigit():
            prev, _ = out.pop()
            name, nbox = out.pop()
            out.append((name + prev + tok, nbox))
            continue
        out.append((tok, box))
    return out


def _parse_row(toks: list[Token], groups: list[list[str]]) -> Optional[list[dict]]:
    """Assign tokens to the columns of each side-by-side list: a list per group of {role: token}, the
    assignment that explains every token with the most figures and 序号 (None when none explains them all)."""
    kinds = ["num" if NUM_RE.match(t) else "text" for t, _ in toks]
    best: list = [None, -10**9]

    def options(g: int, k: int, score: int):
        """Each way group g can take tokens from k: (record, next token, score)."""
        roles = groups[g]
        for use_seq in ([True, False] if "seq" in roles else [False]):
            kk, rec, sc = k, {}, score
            if use_seq:
                if not (kk < len(toks) and kinds[kk] == "num" and "." not in toks[kk][0]):
                    continue
                rec["seq"], kk, sc = toks[kk], kk + 1, sc + 1
            if "month" in roles and kk < len(toks) and month_number(toks[kk][0]):
                rec["month"], kk = toks[kk], kk + 1
            start = kk
            while kk < len(toks) and kinds[kk] == "text":
                kk += 1
            if kk == start:
                continue
            rec["name"] = ("".join(t for t, _ in toks[start:kk]), toks[start][1])
            if kk < len(toks) and kinds[kk] == "num":
                yield {**rec, "value": toks[kk]}, kk + 1, sc + 2
            yield rec, kk, sc

    def walk(g: int, k: int, acc: list, score: int):
        if g == len(groups):
            if k == len(toks) and score > best[1]:
                best[0], best[1] = list(acc), score
            return
        if k == len(toks):        # an empty trailing list (the right-hand side of the last rows)
            walk(g + 1, k, acc + [{}], score - 1)
            return
        for rec, nk, sc in options(g, k, score):
            walk(g + 1, nk, acc + [rec], sc)

    walk(0, 0, [], 0)
    return best[0]


def _stream_records(toks: list[Token], roles: list[str]) -> tuple[list[dict], int]:
    """Records from a stream of tokens that ignores line breaks (one cell per line, or a whole table on one
    line): [seq] name [value], repeated. Returns the records and how many tokens they used."""
    records, k = [], 0
    while k < len(toks):
        rec = {}
        if "seq" in roles and is_figure(toks[k][0]) and k + 1 < len(toks) and not is_figure(toks[k + 1][0]):
            rec["seq"] = toks[k]
            k += 1
        if "month" in roles and k < len(toks) and month_number(toks[k][0]):
            rec["month"] = toks[k]
            k += 1
        start = k
        while k < len(toks) and not is_figure(toks[k][0]):
            k += 1
        if k == start:
            break
        rec["name"] = ("".join(t for t, _ in toks[start:k]), toks[start][1])
        if k < len(toks) and is_figure(toks[k][0]):
            rec["value"] = toks[k]
            k += 1
        records.append(rec)
    return records, k


def _prose(line: Line) -> bool:
    t = squeeze(line.text)
    return bool(heading_re().match(t)) or (len(t) > 25 and not _DIGIT.search(t)) or len(t) > 80


def _split_roles(roles: list[str]) -> list[list[str]]:
    """Side-by-side lists: a role already in the current list starts the next one."""
    groups: list[list[str]] = []
    for role in roles:
        if not groups or role in groups[-1]:
            groups.append([])
        groups[-1].append(role)
    return groups


class _Grid:
    """The grid of one table as its rows are read: the header's labels, then a row of cells per record."""

    def __init__(self, labels: list[str], line: Line):
        self.rows: list[list[Cell]] = [[Cell(text=lab, row=0, col=c, page=line.page, lines=[line])
                                        for c, lab in enumerate(labels)]]

    def add_header(self, labels: list[str], page: Optional[int]) -> None:
        self.rows.append([Cell(text=lab, row=len(self.rows), col=c, page=page) for c, lab in enumerate(labels)])

    def add(self, groups: list[list[str]], records: list[dict], line: Line) -> None:
        row: list[Cell] = []
        for g_roles, rec in zip(groups, records):
            for role in g_roles:
                tok = rec.get(role)
                row.append(Cell(text=tok[0] if tok else "", row=len(self.rows), col=len(row), page=line.page,
                                box=(tok[1] if tok and tok[1] else line.box), lines=[line]))
        self.rows.append(row)


def _read_rows(lines: list[Line], hdr: Header, groups: list[list[str]], grid: _Grid) -> tuple[int, int]:
    """Rows one per line after the header (a repeated header on a new page is kept as such): (rows, next line)."""
    k, n_rows = hdr.end, 0
    while k < len(lines):
        again = header_at(lines, k)
        if again is not None and again.roles == hdr.roles and again.rest is None:
            grid.add_header(again.labels, lines[k].page)
            k = again.end
            continue
        line = lines[k]
        toks = tokens(line)
        if not toks or not any(is_figure(t) for t, _ in toks) or len(squeeze(line.text)) > 60:
            break
        parsed = _parse_row(toks, groups)
        if parsed is None:
            break
        grid.add(groups, parsed, line)
        n_rows += 1
        k += 1
    return n_rows, k


def _read_stream(lines: list[Line], hdr: Header, roles: list[str], grid: _Grid) -> tuple[int, int]:
    """Rows from the tokens after the header read as one stream (one cell per line, or the data left on the
    header's own line): (rows, next line); (0, header end) when the stream does not read whole."""
    stream: list = [(t, None, lines[hdr.end - 1]) for t in (hdr.rest or [])]
    k = hdr.end
    while k < len(lines) and not _prose(lines[k]) and len(stream) < MAX_STREAM_TOKENS:
        stream.extend((t, b, lines[k]) for t, b in tokens(lines[k]))
        k += 1
    records, used = _stream_records([(t, b) for t, b, _ in stream], roles)
    if not records or used != len(stream):
        return 0, hdr.end
    pos = 0
    for rec in records:
        width = sum(1 for r in ("seq", "month", "name", "value") if r in rec)
        grid.add([roles], [rec], stream[min(pos, len(stream) - 1)][2])
        pos += width
    return len(records), k


def find_line_tables(lines: list[Line]) -> list[tuple[int, int, Table]]:
    """Every table printed in `lines`: (first line, line after it, grid)."""
    found = []
    i = 0
    while i < len(lines):
        hdr = header_at(lines, i)
        if hdr is None:
            i += 1
            continue
        groups = _split_roles(hdr.roles)
        grid = _Grid(hdr.labels, lines[i])
        n_rows, k = _read_rows(lines, hdr, groups, grid) if hdr.rest is None else (0, hdr.end)
        if n_rows == 0:
            n_rows, k = _read_stream(lines, hdr, groups[0], grid)
        if n_rows:
            strategy = "pdf-lines" if lines[i].box is not None else "text-lines"
            found.append((i, k, Table(rows=grid.rows, page=lines[i].page, box=lines[i].box, strategy=strategy,
                                      source_index=lines[i].source_index)))
            i = k
        else:
            i += 1
    return found


def split_runs(items: list) -> list:
    """Runs of lines with the tables printed in them taken out: each run becomes the runs before, between and
    after its tables, with the tables (as grids) in their places. Tables of the document pass through."""
    out: list = []
    for item in items:
        if not isinstance(item, LineRun):
            out.append(item)
            continue
        lines = list(item.lines)
        pos = 0
        for start, end, table in find_line_tables(lines):
            if start > pos:
                out.append(LineRun(tuple(lines[pos:start])))
            out.append(table)
            pos = end
        if pos < len(lines):
            out.append(LineRun(tuple(lines[pos:])))
    return out
