"""Plain text (UTF-8 with or without BOM, UTF-16 with BOM, GB18030) into the document model.

Tables whose structure the text itself states become tables here: tab-separated runs of lines (how Word and
spreadsheets copy tables out), pipe tables (| a | b |) and box-drawing tables (┌─┬─┐ │ ├─┼─┤), with the cells a
box drawing merges (a cell spanning columns over a ┬, a cell running down through a ruling that prints its text
instead of a rule: │ 区 ├────┼). Every other non-blank line becomes a line of a paragraph. Recognising tables
printed as lines of text by their header words is notice knowledge and happens later, in ingest.

A file named as a spreadsheet (.csv, or an .xls or .xlsx that is really comma-separated text, as many websites
serve their "Excel" downloads) whose lines are comma-separated values is read as a sheet: Python's csv reader for
the cells (quoted commas and line breaks kept inside them), then the spreadsheet reader's rows into tables.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import Optional

from .limits import GridBudget
from .model import Cell, Document, Line, Paragraph, Table, UnreadableFile

# Names a file of comma-separated values is saved or served under (a website's .xls is often CSV).
CSV_SUFFIXES = {".csv", ".xls", ".xlsx", ".ods", ".et"}

_BOX_SEP = "│┃║|｜"
_BOX_RULE = re.compile(r"^[\s─━═┄┈\-+┌┐└┘├┤┬┴┼╋╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪┏┓┗┛┣┫┳┻:|]+$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")

# Tried in order. Each decode is strict: a wrong guess fails loudly instead of replacing characters silently.
_BOMS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]
_FALLBACKS = ["utf-8", "gb18030"]


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding it decoded in exactly (UTF-8, UTF-16 with BOM, GB18030); UnreadableFile otherwise."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"starts with a {enc} byte-order mark but does not decode as {enc}: {exc.reason} at byte {exc.start}") from exc
    for enc in _FALLBACKS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("text is neither UTF-8, UTF-16 (with BOM) nor GB18030; not decoded, to avoid replacing characters")


def read(path: str, data: bytes) -> Document:
    """A text file: lines in order, tables printed with tabs, pipes or box drawing as grids."""
    text, encoding = decode(data, path)
    if "\x00" in text:
        raise UnreadableFile("text contains NUL characters: probably a binary file")
    rows = csv_rows(text) if Path(path).suffix.lower() in CSV_SUFFIXES else None
    if rows is not None:
        from .sheet import sheet_blocks
        return Document(source_file=path, format="csv", encoding=encoding, blocks=sheet_blocks(rows, [], 1))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    doc = Document(source_file=path, format="text", encoding=encoding)
    budget = GridBudget("text")
    para: list[Line] = []
    table_rows: list[tuple[int, str]] = []

    def flush_para():
        if para:
            doc.blocks.append(Paragraph(lines=list(para)))
            para.clear()

    def flush_table():
        if table_rows:
            doc.blocks.append(_tab_table(table_rows, budget))
            table_rows.clear()

    i = 0
    while i < len(lines):
        grid_end = _grid_table_end(lines, i)
        if grid_end > i:
            flush_para()
            flush_table()
            doc.blocks.append(_grid_table(lines, i, grid_end, budget))
            i = grid_end
            continue
        i += 1
        raw = lines[i - 1]
        line = raw.rstrip()
        if "\t" in line and line.strip():
            flush_para()
            table_rows.append((i, line))
            continue
        if not line.strip():
            flush_para()
            # A blank line inside a tab table (a page break in the source) does not end it when tabs resume.
            if table_rows and _next_nonblank_has_tab(lines, i):
                continue
            flush_table()
            continue
        flush_table()
        para.append(Line(text=line, source_index=i))
    flush_para()
    flush_table()
    return doc


def csv_rows(text: str) -> Optional[list[list[str]]]:
    """The rows of comma-separated values, padded to one width; None unless the text is that: no tabs, and most
    non-blank lines (four in five) splitting into one number of fields, two or more (a title row may have fewer).
    Refused before padding when rows × the widest row would pass a workbook's bound on cells (the sheet reader's
    MAX_WORKBOOK_CELLS): one row of a million commas over many short ones is a small file but a huge grid."""
    from . import sheet_measure
    if "\t" in text or "," not in text:
        return None
    try:
        rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    except csv.Error:
        return None
    if len(rows) < 2:
        return None
    width, n = Counter(len(r) for r in rows).most_common(1)[0]
    if width < 2 or n * 5 < len(rows) * 4:
        return None
    widest = max(len(r) for r in rows)
    if len(rows) * widest > sheet_measure.MAX_WORKBOOK_CELLS:
        raise UnreadableFile(f"CSV is {len(rows)} rows × {widest} columns once its rows are padded to the widest, "
                             f"over the limit of {sheet_measure.MAX_WORKBOOK_CELLS} cells for a workbook's sheets "
                             f"in all: refused (ragged rows built to exhaust memory?)")
    return [[c.strip() for c in r] + [""] * (widest - len(r)) for r in rows]


_VERT = _BOX_SEP
_JUNCTIONS = "┌┐└┘├┤┬┴┼╋╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪┏┓┗┛┣┫┳┻"
_JUNCTION_CHARS = frozenset(_JUNCTIONS)
_HORIZ = "─━═┄┈┅┉"
_SPLIT = re.compile(f"([{_VERT}{_JUNCTIONS}])")
_RULE_PIECE = re.compile(rf"^[\s{_HORIZ}:]*[{_HORIZ}][\s{_HORIZ}:]*$|^\s*:?-{{2,}}:?\s*$")
# A junction without a stroke upwards (┬) or downwards (┴): the column boundary it marks is not there above (below).
_NO_UP = "┬╦╤┳┌┐╔╗┏┓"
_NO_DOWN = "┴╩╧┻└┘╚╝┗┛"


def _segments(line: str) -> tuple[list[str], list[str]]:
    """The pieces between a line's verticals and junctions, and the inner separators between them (the line's
    first and last characters are its outer separators)."""
    parts = _SPLIT.split(line.strip())
    texts, seps = parts[0::2], parts[1::2]
    return texts[1:-1], seps[1:-1]


# The characters a box-drawing ruling is made of: looked for in every line of a text file.
_RULE_CHARS = frozenset("─━═┌┐└┘├┤┬┴┼╔╗╚╝")


def _kind(line: str) -> str:
    """rule: a ruling, whole or with the text of a merged cell running through it (│ 区 ├────┼────┤); row: cells
    between separators; "" for anything else."""
    t = line.strip()
    if not t:
        return ""
    if not _RULE_CHARS.isdisjoint(t) and _BOX_RULE.match(t):
        return "rule"
    if _PIPE_RULE.match(t) and "|" in t:
        return "rule"
    edges = _VERT + _JUNCTIONS
    if t[0] in edges and t[-1] in edges and not _JUNCTION_CHARS.isdisjoint(t):
        pieces, _ = _segments(t)
        if any(_RULE_PIECE.match(p) for p in pieces if p.strip()):
            return "rule"
    if t[0] in _BOX_SEP and t[-1] in _BOX_SEP and sum(t.count(c) for c in _BOX_SEP) >= 3:
        return "row"
    return ""


def _grid_table_end(lines: list[str], i: int) -> int:
    """The end of a pipe or box-drawing table starting at line i (i itself when there is none)."""
    j = i
    rows = 0
    while j < len(lines):
        k = _kind(lines[j])
        if not k:
            break
        rows += k == "row"
        j += 1
    return j if rows >= 2 else i


def _split_row(line: str) -> list[str]:
    t = line.strip()
    parts = re.split(f"[{_BOX_SEP}]", t)
    return [p.strip() for p in parts[1:-1]]


_NUMBER = re.compile(r"^[\d０-９][\d０-９,，.]*$")


def _items(lines: list[str], start: int, end: int) -> list[tuple]:
    """The table's lines as ("rule", pieces, inner separators) and ("row", [(line number, cells) …]) items. A line
    after another row (no ruling between) most of whose cells are empty, none a number, is the wrapped text of
    the row above (a row of numbers is a row: the last of a shorter list, a total under the lists)."""
    items: list[tuple] = []
    after_rule = True
    for n in range(start, end):
        if _kind(lines[n]) == "rule":
            pieces, seps = _segments(lines[n])
            items.append(("rule", pieces, seps))
            after_rule = True
            continue
        cells = _split_row(lines[n])
        filled = sum(1 for c in cells if c)
        wrapped = filled * 2 < len(cells) and not any(_NUMBER.match(c) for c in cells)
        if items and items[-1][0] == "row" and not after_rule and wrapped:
            items[-1][1].append((n + 1, cells))
        else:
            items.append(("row", [(n + 1, cells)]))
        after_rule = False
    return items


def _spans(items: list[tuple], k: int, width: int, n: int) -> list[tuple[int, int]]:
    """(first column, columns spanned) of each of the n cells of row item k in a grid `width` columns wide: from
    the junctions of the ruling below it (those with a stroke upwards) or above it (with a stroke downwards);
    one column each, left to right, when neither says."""
    for j, no_stroke in ((k + 1, _NO_UP), (k - 1, _NO_DOWN)):
        if 0 <= j < len(items) and items[j][0] == "rule" and len(items[j][1]) == width:
            bounds = [i + 1 for i, ch in enumerate(items[j][2]) if ch not in no_stroke]
            if len(bounds) + 1 == n:
                edges = [0, *bounds, width]
                return [(a, b - a) for a, b in zip(edges, edges[1:])]
    return [(c, 1) for c in range(n)]


def _running(grid: list[list[Cell]], pieces: list[str], width: int) -> list:
    """After a ruling: per column, the merged cell that runs down through it (a piece of the ruling that is not a
    rule, as │ 区 ├────┼), its text taking in what the ruling prints there; None where the ruling closes the cell."""
    if len(pieces) != width or not grid:
        return [None] * width
    out: list = []
    for c, piece in enumerate(pieces):
        if _RULE_PIECE.match(piece):
            out.append(None)
            continue
        origin = _origin(grid, grid[-1][c])
        _extend_text(origin, piece.strip())
        out.append(origin)
    return out


def _origin(grid: list[list[Cell]], cell: Cell) -> Cell:
    return grid[cell.merged_into[0]][cell.merged_into[1]] if cell.merged_into else cell


def _extend_text(cell: Cell, text: str) -> None:
    if text:
        cell.text = f"{cell.text}\n{text}" if cell.text else text
        cell.lines.append(Line(text=text, source_index=cell.lines[0].source_index if cell.lines else None))


def _grid_table(lines: list[str], start: int, end: int, budget: GridBudget) -> Table:
    """Each line between the rulings is a row; cells spanning columns and merged cells running down through a
    ruling are read from the ruling's junctions and pieces, when the rulings draw them. Refused (budget) before
    the grid is built when its rows, padded to the widest, would pass the document's bound on grid cells."""
    items = _items(lines, start, end)
    width = max(len(it[1]) if it[0] == "rule" else max(len(c) for _, c in it[1]) for it in items)
    budget.add(sum(1 for it in items if it[0] == "row"), width)
    grid: list[list[Cell]] = []
    running: list = [None] * width
    for k, item in enumerate(items):
        if item[0] == "rule":
            running = _running(grid, item[1], width)
            continue
        group = item[1]
        n = max(len(cells) for _, cells in group)
        r = len(grid)
        row: list = [None] * width
        for j, (c0, span) in enumerate(_spans(items, k, width, n)):
            text = "\n".join(cells[j] for _, cells in group if j < len(cells) and cells[j])
            if span == 1 and running[c0] is not None:
                origin = running[c0]
                origin.rowspan += 1
                _extend_text(origin, text)
                row[c0] = Cell(text="", row=r, col=c0, merged_into=(origin.row, origin.col))
                continue
            row[c0] = Cell(text=text, row=r, col=c0, colspan=span, lines=[Line(text=text, source_index=group[0][0])])
            for c in range(c0 + 1, c0 + span):
                row[c] = Cell(text="", row=r, col=c, merged_into=(r, c0))
        grid.append([cell or Cell(text="", row=r, col=c) for c, cell in enumerate(row)])
        running = [None] * width
    strategy = "text-box" if any(ch in lines[start] for ch in "─━═┌") else "text-pipe"
    return Table(rows=grid, strategy=strategy, source_index=start + 1, merges_known=_draws_merges(items))


def _draws_merges(items: list[tuple]) -> bool:
    """A table ruled between every two rows states its merges (a cell no ruling closes runs on)."""
    kinds = [it[0] for it in items]
    return all(a != b for a, b in zip(kinds, kinds[1:])) and kinds.count("row") > 2


def _next_nonblank_has_tab(lines: list[str], i: int) -> bool:
    for nxt in lines[i:]:
        if nxt.strip():
            return "\t" in nxt
    return False


def _tab_cells(text: str) -> list[str]:
    """A tab-separated row's cells; pipes in it separate cells too (`序号\t东山村 | 12 |`), the outer ones only
    opening or closing the row."""
    if not any(ch in text for ch in _BOX_SEP):
        return text.split("\t")
    parts = re.split(f"[\t{_BOX_SEP}]", text)
    if text.lstrip(" ")[:1] in _BOX_SEP:
        parts = parts[1:]
    if text.rstrip(" ")[-1:] in _BOX_SEP:
        parts = parts[:-1]
    return parts


def _tab_table(rows: list[tuple[int, str]], budget: GridBudget) -> Table:
    """Refused (budget) before any cell is made when its rows, padded to the widest, would pass the document's
    bound on grid cells."""
    split = [(lineno, _tab_cells(text)) for lineno, text in rows]
    width = max(len(parts) for _, parts in split)
    budget.add(len(split), width)
    grid = []
    for r, (lineno, parts) in enumerate(split):
        cells = [Cell(text=t.strip(), row=r, col=c, lines=[Line(text=t.strip(), source_index=lineno)])
                 for c, t in enumerate(parts)]
        grid.append(cells)
    for r, cells in enumerate(grid):   # ragged rows: pad so every row has one cell per column
        cells.extend(Cell(text="", row=r, col=c) for c in range(len(cells), width))
    return Table(rows=grid, strategy="text-tab", source_index=rows[0][0])
