"""Tables printed as lines of text, whatever separates their cells: pipes (`3 | 东山村 | 12 |`, with or without the
outer ones), tabs, runs of spaces, a PDF's gaps between words, one cell per line, or a whole table on one line.

A table is found by its header (ingest.lineheader). What follows is read as cells (ingest.linecells), and the
cells are given columns from the header and from the repeating pattern of their kinds (序号 a whole number before
a name, a name, a figure, notes; ingest.linerecords), not by one rule per separator style:

- one row per line (ingest.linerows): cells between separators take the header's columns by position when there are as many; else
  (and for cells split at spaces) the header's roles are matched by kind, on a page with geometry list by list
  (a list's cells are those printed where its header is, so a row whose left half is empty keeps its right list);
- one cell per line, or the whole table on one line: the cells are read as one stream, by position when
  separators state every cell (blanks included), else record after record by kind;
- a table that ends with the text keeps the rows it has; a last name without its figure is left out of it.

The result is a grid of cells (parsers.model.Table) like the ones readers find, so the stage that reads grids into
rows (ingest.tables) treats both alike.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from parsers.model import Cell, Document, Line, Paragraph, Table

from .cells import seq_number
from .linecells import Tok, furniture_in_table, is_number, line_tokens
from .lineheader import Header, header_at, split_roles
from .linerecords import Cells, Grid, flatten, offsets, read_stream, seq_of
from .linerows import RowReader, is_prose, read_rows
from .rules import rules


# --------------------------------------------------------------------------------------------- one cell per line


def _collect_stream(lines: list[Line], hdr: Header, pages: dict) -> tuple[list[tuple[Tok, int]], list]:
    """The cells after the header read as one stream (with the line each is on), up to the first line of prose or
    the next header; and the page furniture stepped over (with its line number)."""
    stream = [(t, hdr.end - 1) for t in (hdr.rest or [])]
    furniture = []
    k = hdr.end
    limit = rules().text_tables.max_stream_cells
    while k < len(lines) and not is_prose(lines[k]) and len(stream) < limit:
        if header_at(lines, k) is not None:      # a header again ends the stream: the next table starts there
            break
        line = lines[k]
        if furniture_in_table(line, pages.get(line.page), figures_are_cells=True):
            furniture.append((line, k))
        else:
            stream.extend((t, k) for t in line_tokens(line))
        k += 1
    return stream, furniture


def _stated_rows(toks: list[Tok], hdr: Header, reader: RowReader) -> list[list[Tok]]:
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


def _read_stream(lines: list[Line], hdr: Header, groups, grid: Grid, pages: dict) -> tuple[int, int, list[Line]]:
    """Rows from the cells after the header read as one stream (one cell per line, or the data left on the header's
    own line): (rows, next line, page furniture stepped over); (0, header end, []) when none reads. Where
    separators state the cells they are read by position, unless reading by kind goes further (a blank cell left
    out of the stream shifts every position after it)."""
    stream, furniture = _collect_stream(lines, hdr, pages)
    stated = _stated_rows([t for t, _ in stream], hdr, RowReader(hdr, groups))
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
            grid.add(flatten(row, groups), _first_line(row) or lines[hdr.end - 1])
        n, end = len(records), kind_end
    if not n:
        return 0, hdr.end, []
    return n, end, [ln for ln, k in furniture if k < end]


def _first_line(records: list[Optional[Cells]]) -> Optional[Line]:
    for rec in records:
        for toks in (rec or {}).values():
            return toks[0].line
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
        seq = seq_of(rec, groups[0])
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
    for g, off in zip(split_roles(hdr.roles), offsets(split_roles(hdr.roles))):
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
        grid = Grid(hdr.labels, lines[i])
        n, k, furniture = read_rows(lines, hdr, groups, grid, pages, printed)
    if n == 0:
        grid = Grid(hdr.labels, lines[i])
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


def packs_rows(table: Table) -> bool:
    """Does a cell of the grid print a figure on each of several lines (rows that no ruling parts)?"""
    return any(_packed(c) for row in table.rows for c in row)


def _packed(cell) -> bool:
    if "\n" not in cell.text or cell.is_covered:
        return False
    pieces = [t.strip() for t in cell.text.split("\n") if t.strip()]
    return len(pieces) > 1 and all(is_number(t) for t in pieces)


def unpack_rows(table: Table) -> Optional[Table]:
    """A grid without geometry whose row packs several printed rows into its cells, one per line (a Word table
    typed with line breaks inside its cells): each such row split into one row per line, when every filled cell of
    it has as many lines. None when no row can be split so."""
    rows: list[list[Cell]] = []
    split = False
    for row in table.rows:
        pieces = [[t.strip() for t in c.text.split("\n") if t.strip()] for c in row]
        counts = {len(p) for p, c in zip(pieces, row) if p and not c.is_covered}
        if any(_packed(c) for c in row) and len(counts) == 1 and counts.pop() > 1 \
                and not any(c.rowspan > 1 or c.colspan > 1 or c.is_covered for c in row):
            depth = max(len(p) for p in pieces)
            for k in range(depth):
                r = len(rows)
                rows.append([Cell(text=p[k] if p else "", row=r, col=c.col, page=c.page, box=c.box, lines=c.lines)
                             for p, c in zip(pieces, row)])
            split = True
            continue
        r = len(rows)
        rows.append([replace(c, row=r, merged_into=(c.merged_into[0] + r - c.row, c.merged_into[1])
                             if c.merged_into else None) for c in row])
    return replace(table, rows=rows) if split else None


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
