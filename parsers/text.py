"""Plain text (UTF-8 with or without BOM, UTF-16 with BOM, GB18030) into the document model.

Tab-separated runs of lines become tables (that is how Word and spreadsheets copy tables out); every other
non-blank line becomes a line of a paragraph. Recognising tables by their header words is notice knowledge and
happens later, in ingest.
"""
from __future__ import annotations

from .model import Cell, Document, Line, Paragraph, Table, UnreadableFile

# Tried in order. Each decode is strict: a wrong guess fails loudly instead of replacing characters silently.
_BOMS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]
_FALLBACKS = ["utf-8", "gb18030"]


def decode(data: bytes, name: str) -> tuple[str, str]:
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

    for i, raw in enumerate(lines, start=1):
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
