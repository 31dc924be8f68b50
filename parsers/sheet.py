"""Spreadsheets (XLSX, XLS, ODS) into the document model, with python-calamine.

calamine reads all three formats in one API, quickly, giving formula cells their cached values. It lacks merged
ranges for ODS: those come from content.xml (table:number-columns-spanned / number-rows-spanned), read here with
lxml in the same pass that measures each sheet before calamine loads it. calamine builds each sheet as a dense
grid spanning its first to last cell, so a sheet's extent is measured from its XML first (XLSX, ODS; an XLS is
bounded by its format's 65536 × 256) and a sheet too large for that is refused before it is loaded.

Each visible sheet with content becomes: the rows above the table that hold one value (the 附件 label, a title
merged across the sheet) as paragraphs, then the table, its merged ranges as merged cells; a run of empty rows
ends a table, and the next one starts after it. Hidden and empty sheets are skipped, and the document says so.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Iterable, Optional

from lxml import etree
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from .limits import NO_LIMITS, Limits, describe, over
from .model import Cell, Document, Line, Note, Paragraph, Table, UnreadableFile
from .package import check_package

# Cells a sheet may span, first to last (a real annex has a few thousand): calamine would allocate them all.
MAX_SHEET_CELLS = 2_000_000
_X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_SAFE_XML = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)

Merge = tuple[tuple[int, int], tuple[int, int]]      # ((first row, first col), (last row, last col)), 0-based


def read(path: str, data: bytes, limits: Limits = NO_LIMITS, on_ocr_page=None) -> Document:
    """XLSX, XLS or ODS, told apart by the bytes. Every failure is an UnreadableFile saying why in one line."""
    kind = _kind(data)
    ods_merges: dict[int, list[Merge]] = {}
    if kind in ("XLSX", "ODS"):
        check_package(data, limits, kind)
        if kind == "XLSX":
            _check_xlsx_extents(data)
        else:
            ods_merges = _scan_ods(data)
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
            blocks = sheet_blocks(sheet.to_python(skip_empty_area=False), merges, index + 1)
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


# ------------------------------------------------------------------------------------------------- measuring


def _check_xlsx_extents(data: bytes) -> None:
    """Refuse a worksheet whose cells span more than MAX_SHEET_CELLS, from the cell references in its XML, streamed
    (bounded already: the package passed the unpacked-size checks)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with z.open(name) as fh:
                    rows, cols = _xlsx_extent(fh)
                _check_extent(name, rows, cols)


def _xlsx_extent(fh) -> tuple[int, int]:
    first_r = first_c = 1 << 40
    last_r = last_c = -1
    r_auto = 0
    for _, el in etree.iterparse(fh, events=("end",), tag=(f"{_X}c", f"{_X}row"), **_SAFE_XML):
        if el.tag == f"{_X}row":
            r_auto = int(el.get("r") or r_auto + 1)
            el.clear(keep_tail=False)
            continue
        ref = el.get("r") or ""
        letters = "".join(ch for ch in ref if ch.isalpha())
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        row = int(ref[len(letters):] or r_auto + 1) if ref[len(letters):].isdigit() or not ref else r_auto + 1
        first_r, last_r, first_c, last_c = min(first_r, row), max(last_r, row), min(first_c, col), max(last_c, col)
    if last_r < 0:
        return 0, 0
    return last_r - first_r + 1, last_c - first_c + 1


def _check_extent(where: str, rows: int, cols: int) -> None:
    if rows * cols > MAX_SHEET_CELLS:
        raise UnreadableFile(f"sheet {where} spans {rows} rows × {cols} columns, over the limit of "
                             f"{MAX_SHEET_CELLS} cells: refused before loading it")


def _scan_ods(data: bytes) -> dict[int, list[Merge]]:
    """One pass over content.xml: each sheet's extent (refused when too large) and its merged ranges, by sheet index.
    Also refuses an encrypted package, whose content.xml is ciphertext."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        if "META-INF/manifest.xml" in names and b"encryption-data" in z.read("META-INF/manifest.xml"):
            raise UnreadableFile("ODS is encrypted (password-protected): remove the password and save it again")
        if "content.xml" not in names:
            raise UnreadableFile("not a readable ODS workbook: no content.xml")
        with z.open("content.xml") as fh:
            try:
                return _ods_sheets(fh)
            except etree.XMLSyntaxError as exc:
                raise UnreadableFile(f"ODS XML could not be parsed: {describe(exc)}") from exc


def _ods_sheets(fh) -> dict[int, list[Merge]]:
    merges: dict[int, list[Merge]] = {}
    index, row, last_row, last_col = -1, 0, -1, -1
    for event, el in etree.iterparse(fh, events=("start", "end"),
                                     tag=(f"{_T}table", f"{_T}table-row"), **_SAFE_XML):
        if el.tag == f"{_T}table":
            if event == "start":
                index, row, last_row, last_col = index + 1, 0, -1, -1
                merges[index] = []
            else:
                _check_extent(f"{index + 1} of the ODS", last_row + 1, last_col + 1)
                el.clear(keep_tail=False)
            continue
        if event == "start":
            continue
        repeat = _count(el.get(f"{_T}number-rows-repeated"))
        col = 0
        for cell in el:
            span = _count(cell.get(f"{_T}number-columns-repeated"))
            if len(cell) or cell.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"):
                last_row, last_col = max(last_row, row + repeat - 1), max(last_col, col + span - 1)
            rs, cs = _count(cell.get(f"{_T}number-rows-spanned")), _count(cell.get(f"{_T}number-columns-spanned"))
            if rs > 1 or cs > 1:
                merges[index].append(((row, col), (row + rs - 1, col + cs - 1)))
            col += span
        row += repeat
        el.clear(keep_tail=False)
    return merges


def _count(value: Optional[str]) -> int:
    return int(value) if value and value.isdigit() and len(value) < 9 else 1


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


def sheet_blocks(values: list[list], merges: Iterable[Merge], sheet_no: int) -> list:
    """A sheet's grid (0-based, from A1) into paragraphs and tables: runs of rows split at empty rows, each run's
    single-value rows at its top (title rows) as paragraphs before its table."""
    texts = [[cell_text(v) for v in row] for row in values]
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in merges:
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
            blocks.append(_table(texts, rows, spans, covered, sheet_no))
    return blocks


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


def _table(texts, rows: list[int], spans: dict, covered: dict, sheet_no: int) -> Table:
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
                            lines=[Line(text=t, source_index=r + 1) for t in text.split("\n") if t.strip()]))
        grid.append(out)
    return Table(rows=grid, strategy="sheet", source_index=sheet_no, merges_known=True)
