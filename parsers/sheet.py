"""Spreadsheets (XLSX, XLS, ODS) into the document model, with python-calamine.

calamine reads all three formats in one API, quickly, giving formula cells their cached values. It lacks merged
ranges for ODS: those come from content.xml (table:number-columns-spanned / number-rows-spanned), read with lxml in
the same pass that measures each sheet before calamine loads it (parsers.sheet_measure: calamine builds each sheet
as a dense grid and copies a shared string into every cell showing it, so a workbook too large for that is refused
before it is loaded). calamine trusts what a file declares, and an allocation it cannot make aborts the process:
the whole reading runs in a child process with a memory and a time limit (parsers.isolate).

Each visible sheet with content becomes: the rows above the table that hold one value (the 附件 label, a title
merged across the sheet) as paragraphs, then the table, its merged ranges as merged cells; a run of empty rows
ends a table, and the next one starts after it. Hidden and empty sheets are skipped, and the document says so.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Iterable, Optional

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from .limits import NO_LIMITS, Limits, describe, over
from .isolate import isolated
from .model import Cell, Document, Line, Note, Paragraph, Table, UnreadableFile
from .package import check_package
from .sheet_measure import Merge, check_xlsx, scan_ods



def read(path: str, data: bytes, limits: Limits = NO_LIMITS, on_ocr_page=None) -> Document:
    """XLSX, XLS or ODS, told apart by the bytes. Every failure is an UnreadableFile saying why in one line.

    Read in a child process within a memory and a time limit (parsers.isolate): calamine allocates what a file
    declares (an XLS DIMENSIONS record, a cell at the sheet's far corner), and an allocation it cannot make aborts
    the process it runs in."""
    kind = _kind(data)
    return isolated(_read, path, data, limits, kind, what=kind)


def _read(path: str, data: bytes, limits: Limits, kind: str) -> Document:
    ods_merges: dict[int, list[Merge]] = {}
    unsaved: dict = {}
    if kind in ("XLSX", "ODS"):
        check_package(data, limits, kind)
        if kind == "XLSX":
            unsaved = check_xlsx(data, limits)
        else:
            ods_merges = scan_ods(data, limits)
    workbook = _open(data, kind)
    doc = Document(source_file=path, format=kind.lower())
    try:
        metas = workbook.sheets_metadata
        if over(limits.max_pages, len(metas)):
            raise UnreadableFile(f"{kind} has {len(metas)} sheets, over the limit of {limits.max_pages} "
                                 f"(--max-pages, which bounds sheets too)")
        for index, meta in enumerate(metas):
            if meta.typ != SheetTypeEnum.WorkSheet:
                doc.notes.append(Note("sheet-chart", meta.name))
                continue
            if meta.visible != SheetVisibleEnum.Visible:
                doc.notes.append(Note("sheet-hidden", meta.name))
                continue
            sheet = workbook.get_sheet_by_index(index)
            merges = ods_merges.get(index, []) if kind == "ODS" else (sheet.merged_cell_ranges or [])
            blocks = sheet_blocks(sheet.to_python(skip_empty_area=False), merges, index + 1, unsaved.get(index, {}))
            if not blocks:
                doc.notes.append(Note("sheet-empty", meta.name))
            doc.blocks.extend(blocks)
    finally:
        workbook.close()
    n_chars = sum(len(c.text) for t in doc.tables() for row in t.rows for c in row) + \
        sum(len(p.text) for p in doc.paragraphs())
    if over(limits.max_chars, n_chars):
        raise UnreadableFile(f"{kind} has {n_chars} characters, over the limit of {limits.max_chars} (--max-chars)")
    if not doc.blocks:
        raise UnreadableFile(f"{kind} has no visible sheet with content")
    return doc


def _kind(data: bytes) -> str:
    if not data.startswith(b"PK"):
        return "XLS"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "XLSX" if "xl/workbook.xml" in z.namelist() else "ODS"
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise UnreadableFile(f"not a readable spreadsheet package: {describe(exc)}") from exc


def _open(data: bytes, kind: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise UnreadableFile(f"{kind} is encrypted (password-protected): remove the password and save it again") \
            from exc
    except Exception as exc:       # calamine's errors (XmlError, ZipError, CalamineError …) on damaged content
        raise UnreadableFile(f"not a readable {kind} workbook: {describe(exc)}") from exc


# ------------------------------------------------------------------------------------------------- blocks


def cell_text(value) -> str:
    """A cell's value as printed: whole numbers without a decimal point, others in their shortest exact form
    (a float's repr reads back to the same float), dates in ISO form; a line break in a cell (Alt+Enter) kept."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def sheet_blocks(values: list[list], merges: Iterable[Merge], sheet_no: int, formulas: Optional[dict] = None) -> list:
    """A sheet's grid (0-based, from A1) into paragraphs and tables: runs of rows split at empty rows, each run's
    single-value rows at its top (title rows) as paragraphs before its table. `formulas` (place -> formula) are
    the cells whose formula has no saved result: empty cells that say so (Cell.formula)."""
    formulas = formulas or {}
    texts = [[cell_text(v) for v in row] for row in values]
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in clipped(merges, len(texts), max((len(r) for r in texts), default=0), sheet_no):
        spans[r0, c0] = (r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered[r, c] = (r0, c0)
    blocks: list = []
    for run in _runs(texts, covered):
        top = run[0]
        while top <= run[-1] and sum(1 for t in texts[top] if t) == 1:
            blocks.append(Paragraph(lines=[Line(text=t, source_index=top + 1)
                                           for t in next(t for t in texts[top] if t).split("\n") if t.strip()]))
            top += 1
        rows = [r for r in run if r >= top]
        if rows:
            blocks.append(_table(texts, rows, spans, covered, sheet_no, formulas))
    return blocks


def clipped(merges: Iterable[Merge], n_rows: int, n_cols: int, sheet_no: int) -> list[Merge]:
    """The merged ranges within the sheet's grid (a range reaching past the last row or column holding a value is
    cut there: the cells beyond are empty), each once. Ranges that cover more cells between them than the grid
    has overlap, which no spreadsheet program writes: refused, since expanding them would take time and memory
    out of all proportion to the sheet."""
    out: list[Merge] = []
    area = 0
    for (r0, c0), (r1, c1) in dict.fromkeys(merges):
        r0, c0, r1, c1 = max(r0, 0), max(c0, 0), min(r1, n_rows - 1), min(c1, n_cols - 1)
        if r0 > r1 or c0 > c1 or (r0, c0) == (r1, c1):
            continue
        area += (r1 - r0 + 1) * (c1 - c0 + 1)
        if area > n_rows * n_cols:
            raise UnreadableFile(f"sheet {sheet_no}'s merged ranges overlap (they cover more cells than the sheet "
                                 f"has): refused")
        out.append(((r0, c0), (r1, c1)))
    return out


def _runs(texts: list[list[str]], covered: dict) -> list[list[int]]:
    """Row indexes with content (a value, or a cell a merge covers), in runs separated by empty rows."""
    runs: list[list[int]] = []
    current: list[int] = []
    for r, row in enumerate(texts):
        if any(row) or any((r, c) in covered for c in range(len(row))):
            current.append(r)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _table(texts, rows: list[int], spans: dict, covered: dict, sheet_no: int, formulas: dict) -> Table:
    """The rows as a grid without the columns that are empty throughout; merged ranges clipped to the table."""
    width = max(len(texts[r]) for r in rows)
    cols = [c for c in range(width) if any((c < len(texts[r]) and texts[r][c]) or (r, c) in covered or (r, c) in spans
                                           for r in rows)]
    at_row = {r: i for i, r in enumerate(rows)}
    at_col = {c: j for j, c in enumerate(cols)}
    grid: list[list[Cell]] = []
    for i, r in enumerate(rows):
        out = []
        for j, c in enumerate(cols):
            text = texts[r][c] if c < len(texts[r]) else ""
            origin = covered.get((r, c))
            if origin is not None and origin[0] in at_row and origin[1] in at_col:
                out.append(Cell(text="", row=i, col=j, merged_into=(at_row[origin[0]], at_col[origin[1]])))
                continue
            rs, cs = spans.get((r, c), (1, 1))
            rs = sum(1 for rr in range(r, r + rs) if rr in at_row)
            cs = sum(1 for cc in range(c, c + cs) if cc in at_col)
            out.append(Cell(text=text, row=i, col=j, rowspan=max(rs, 1), colspan=max(cs, 1),
                            lines=[Line(text=t, source_index=r + 1) for t in text.split("\n") if t.strip()],
                            formula="" if text else formulas.get((r, c), "")))
        grid.append(out)
    return Table(rows=grid, strategy="sheet", source_index=sheet_no, merges_known=True)
