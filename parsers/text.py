"""Plain text (UTF-8 with or without BOM, UTF-16 with BOM, GB18030) into the document model.

Tables whose structure the text itself states become tables here: tab-separated runs of lines (how Word and
spreadsheets copy tables out), pipe tables (| a | b |) and box-drawing tables (┌─┬─┐ │ ├─┼─┤). Every other
non-blank line becomes a line of a paragraph. Recognising tables printed as aligned text by their header words
is notice knowledge and happens later, in ingest.
"""
from __future__ import annotations

import re

from .model import Cell, Document, Line, Paragraph, Table, UnreadableFile

_BOX_SEP = "│┃║|"
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
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    doc = Document(source_file=path, format="text", encoding=encoding)
    para: list[Line] = []
    table_rows: list[tuple[int, str]] = []

    def flush_para():
        if para:
            doc.blocks.append(Paragraph(lines=list(para)))
            para.clear()

    def flush_table():
        if table_rows:
            doc.blocks.append(_tab_table(table_rows))
            table_rows.clear()

    i = 0
    while i < len(lines):
        grid_end = _grid_table_end(lines, i)
        if grid_end > i:
            flush_para()
            flush_table()
            doc.blocks.append(_grid_table(lines, i, grid_end))
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


def _kind(line: str) -> str:
    t = line.strip()
    if not t:
        return ""
    if any(ch in t for ch in "─━═┌┐└┘├┤┬┴┼╔╗╚╝") and _BOX_RULE.match(t):
        return "rule"
    if _PIPE_RULE.match(t) and "|" in t:
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
    parts = re.split(r"[│┃║|]", t)
    return [p.strip() for p in parts[1:-1]]


def _grid_table(lines: list[str], start: int, end: int) -> Table:
    """Each line between the rules is a row, except a line most of whose cells are empty: that is the wrapped
    text of the row above (a cell printed over two lines), so its pieces join that row's cells."""
    rows: list[list[tuple[int, str]]] = []
    after_rule = True
    for n in range(start, end):
        if _kind(lines[n]) == "rule":
            after_rule = True
            continue
        cells = _split_row(lines[n])
        filled = sum(1 for c in cells if c)
        if rows and not after_rule and filled * 2 < len(cells):
            rows[-1].append((n + 1, lines[n]))
        else:
            rows.append([(n + 1, lines[n])])
        after_rule = False
    grid: list[list[Cell]] = []
    for r, group in enumerate(rows):
        split = [_split_row(text) for _, text in group]
        width = max(len(s) for s in split)
        cells = []
        for c in range(width):
            parts = [s[c] for s in split if c < len(s) and s[c]]
            text = "\n".join(parts)
            cells.append(Cell(text=text, row=r, col=c, lines=[Line(text=text, source_index=group[0][0])]))
        grid.append(cells)
    width = max(len(r) for r in grid)
    for r, cells in enumerate(grid):
        cells.extend(Cell(text="", row=r, col=c) for c in range(len(cells), width))
    strategy = "text-box" if any(ch in lines[start] for ch in "─━═┌") else "text-pipe"
    return Table(rows=grid, strategy=strategy, source_index=start + 1)


def _next_nonblank_has_tab(lines: list[str], i: int) -> bool:
    for nxt in lines[i:]:
        if nxt.strip():
            return "\t" in nxt
    return False


def _tab_table(rows: list[tuple[int, str]]) -> Table:
    grid = []
    for r, (lineno, text) in enumerate(rows):
        cells = [Cell(text=t.strip(), row=r, col=c, lines=[Line(text=t.strip(), source_index=lineno)])
                 for c, t in enumerate(text.split("\t"))]
        grid.append(cells)
    width = max(len(r) for r in grid)
    for r, cells in enumerate(grid):   # ragged rows: pad so every row has one cell per column
        cells.extend(Cell(text="", row=r, col=c) for c in range(len(cells), width))
    return Table(rows=grid, strategy="text-tab", source_index=rows[0][0])
