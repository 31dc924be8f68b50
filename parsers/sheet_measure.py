"""A workbook measured from its XML before calamine loads it: how many cells its sheets span, and how many
characters their cells hold.

calamine builds each sheet as a dense grid from its first to its last cell, and gives every cell showing a shared
string a copy of it: a sheet with a cell at XFD1048576, or a million-character string shown in a thousand cells,
takes terabytes from a file of a few kilobytes. Both are measured here, streamed, and refused over the limits
(the unpacked size was checked before: parsers.package). Before any part is parsed, the XML elements of each part
holding sheet data or shared strings, and of an ODS's content.xml, are counted in its bytes and refused over
ELEMENTS_PER_CHAR × --max-chars (package.check_elements_streamed): 100 MB of empty <row/> took 47 s. calamine
finds its parts by the workbook's relationships, which may point anywhere in the package, and matches cells by
local name in any namespace, so every part holding sheet data is measured, whatever its name, and cells are
matched the same way. The reader runs in a child process
with a memory limit besides (parsers.isolate), for whatever a measure here misses.
"""
from __future__ import annotations

import io
import zipfile
from typing import Optional

from lxml import etree

from .limits import Limits, describe, over
from .model import UnreadableFile
from .package import check_elements_streamed, count_elements, refuse_elements

# Cells the sheets of one workbook may span in all, first to last cell of each (a real annex has a few thousand).
MAX_WORKBOOK_CELLS = 2_000_000
_SAFE_XML = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
# What a part holding sheet data contains, in the encodings calamine's XML reader takes that are not ASCII's.
_SHEET_MARKS = tuple("sheetData".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be"))
_CHUNK = 1 << 20
# A formula is quoted in a finding up to this many characters.
MAX_FORMULA_CHARS = 80


class Budget:
    """Cells spanned and characters held so far in a workbook, refused as soon as either is over its limit."""

    def __init__(self, kind: str, limits: Limits):
        self.kind, self.limits = kind, limits
        self.cells = self.chars = 0

    def add(self, where: str, rows: int, cols: int, chars: int) -> None:
        """One sheet's extent and characters."""
        self.cells += rows * cols
        self.chars += chars
        if self.cells > MAX_WORKBOOK_CELLS:
            raise UnreadableFile(f"{self.kind} sheet {where} spans {rows} rows × {cols} columns, over the limit "
                                 f"of {MAX_WORKBOOK_CELLS} cells for a workbook's sheets in all: refused before "
                                 f"loading it")
        if over(self.limits.max_chars, self.chars):
            raise UnreadableFile(f"{self.kind} cells hold more characters than the limit of "
                                 f"{self.limits.max_chars} (--max-chars), counted before loading it (a shared "
                                 f"string once for each cell showing it)")


# ------------------------------------------------------------------------------------------------- XLSX


Formulas = dict[int, dict[tuple[int, int], str]]     # by sheet index: (row, col) -> formula, 0-based


def check_xlsx(data: bytes, limits: Limits) -> Formulas:
    """Refuse an XLSX whose sheets span more than MAX_WORKBOOK_CELLS or hold more than --max-chars characters.
    Returns the formula cells that hold no saved result, by sheet index (in the workbook's order, as calamine
    gives the sheets): a file saved by a program that writes formulas without calculating them (openpyxl and
    other scripts) leaves them so, and calamine reads them as empty."""
    budget = Budget("XLSX", limits)
    unsaved: Formulas = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            elements = {i.filename: _scan(z, i) for i in infos}          # (holds sheet data, XML elements)
            sheets = [i for i in infos if elements[i.filename][0]]
            strings = [i for i in infos if _base_name(i) == "sharedstrings.xml"]
            for info in strings + [i for i in sheets if i not in strings]:
                refuse_elements(elements[info.filename][1], limits.max_chars, "XLSX", info.filename)
            shared = _shared_lengths(z, strings)
            order = _sheet_order(z)
            for info in infos:
                if info in sheets:
                    formulas: dict[tuple[int, int], str] = {}
                    with z.open(info) as fh:
                        rows, cols, chars = _xlsx_sheet(fh, shared, formulas)
                    budget.add(info.filename, rows, cols, chars)
                    index = order.get(info.filename.replace("\\", "/").lstrip("/"))
                    if formulas and index is not None:
                        unsaved[index] = formulas
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(f"XLSX XML could not be parsed: {describe(exc)}") from exc
    return unsaved


_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_order(z: zipfile.ZipFile) -> dict[str, int]:
    """Each worksheet part's index among the workbook's sheets (xl/workbook.xml in its order, through
    xl/_rels/workbook.xml.rels); a part the workbook does not list is not in it."""
    names = set(z.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    try:
        book = etree.fromstring(z.read("xl/workbook.xml"), etree.XMLParser(**_SAFE_XML))
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"), etree.XMLParser(**_SAFE_XML))
    except etree.XMLSyntaxError:
        return {}
    target = {r.get("Id"): r.get("Target") or "" for r in rels.iter("{*}Relationship")}
    out: dict[str, int] = {}
    for i, sheet in enumerate(book.iter("{*}sheet")):
        t = target.get(sheet.get(_REL), "")
        out[t.lstrip("/") if t.startswith("/") else "xl/" + t] = i
    return out


def _base_name(info: zipfile.ZipInfo) -> str:
    return info.filename.replace("\\", "/").rsplit("/", 1)[-1].lower()


def _scan(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bool, int]:
    """One pass over a part, in chunks: does it contain a sheetData element's name (looked for across the chunks'
    seams), and how many XML elements it has (package.count_elements)."""
    found, tail, counted = False, b"", [0, b""]
    with z.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return found, counted[0]
            count_elements(chunk, counted)
            window = tail + chunk
            found = found or any(mark in window for mark in _SHEET_MARKS)
            tail = window[-32:]


def _shared_lengths(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[int]:
    """The length of each shared string, by index (the longest, where several parts could be the table)."""
    lengths: list[int] = []
    for info in infos:
        with z.open(info) as fh:
            for i, (_, si) in enumerate(etree.iterparse(fh, events=("end",), tag="{*}si", **_SAFE_XML)):
                n = sum(len(t.text or "") for t in si.iter("{*}t"))
                if i < len(lengths):
                    lengths[i] = max(lengths[i], n)
                else:
                    lengths.append(n)
                si.clear(keep_tail=False)
    return lengths


def _xlsx_sheet(fh, shared: list[int], formulas: dict) -> tuple[int, int, int]:
    """Rows and columns from the first to the last cell holding a value, and the characters the cells hold. A
    cell's place is its reference, or (as calamine places a cell without one) the row's next column. Formula
    cells without a saved result go into `formulas`, by place."""
    first_r = first_c = last_r = last_c = None
    row_i = col_i = chars = 0
    for event, el in etree.iterparse(fh, events=("start", "end"), tag=("{*}row", "{*}c"), **_SAFE_XML):
        if etree.QName(el).localname == "row":
            if event == "start":
                row_i = _row_of(el.get("r"), row_i)
            else:
                row_i, col_i = row_i + 1, 0
                el.clear(keep_tail=False)
                while el.getprevious() is not None:        # rows read are dropped: memory stays flat
                    del el.getparent()[0]
            continue
        if event == "start":
            continue
        ref = _cell_ref(el.get("r"))
        row, col = ref if ref else (row_i, col_i)
        col_i = col + 1
        values = [ch for ch in el if isinstance(ch.tag, str) and etree.QName(ch).localname in ("v", "is")]
        formula = [ch for ch in el if isinstance(ch.tag, str) and etree.QName(ch).localname == "f"]
        if formula and not "".join("".join(v.itertext()) for v in values).strip():
            formulas[row, col] = "=" + (formula[0].text or "").strip()[:MAX_FORMULA_CHARS]
        if values:
            chars += _cell_chars(el, values, shared)
            first_r = row if first_r is None else min(first_r, row)
            last_r = row if last_r is None else max(last_r, row)
            first_c = col if first_c is None else min(first_c, col)
            last_c = col if last_c is None else max(last_c, col)
        el.clear(keep_tail=False)
    if first_r is None:
        return 0, 0, chars
    return last_r - first_r + 1, last_c - first_c + 1, chars


def _cell_chars(c, values: list, shared: list[int]) -> int:
    text = "".join("".join(v.itertext()) for v in values)
    if c.get("t") == "s":
        index = text.strip()
        return shared[int(index)] if index.isascii() and index.isdigit() and int(index) < len(shared) else 0
    return len(text)


def _row_of(ref: Optional[str], current: int) -> int:
    return int(ref) - 1 if ref and ref.isascii() and ref.isdigit() and int(ref) > 0 else current


def _cell_ref(ref: Optional[str]) -> Optional[tuple[int, int]]:
    """A1-style reference to 0-based (row, column); None when it is not one."""
    if not ref or not ref.isascii():
        return None
    letters = len(ref) - len(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
    digits = ref[letters:]
    if not letters or not digits.isdigit() or int(digits) < 1:
        return None
    col = 0
    for ch in ref[:letters].upper():
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


# ------------------------------------------------------------------------------------------------- ODS

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
Merge = tuple[tuple[int, int], tuple[int, int]]      # ((first row, first col), (last row, last col)), 0-based


def scan_ods(data: bytes, limits: Limits) -> dict[int, list[Merge]]:
    """One pass over content.xml: each sheet's extent and characters (refused over the limits) and its merged
    ranges, by sheet index. Also refuses an encrypted package, whose content.xml is ciphertext."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        if "META-INF/manifest.xml" in names and b"encryption-data" in z.read("META-INF/manifest.xml"):
            raise UnreadableFile("ODS is encrypted (password-protected): remove the password and save it again")
        if "content.xml" not in names:
            raise UnreadableFile("not a readable ODS workbook: no content.xml")
        with z.open("content.xml") as fh:
            check_elements_streamed(fh, limits.max_chars, "ODS", "content.xml", _CHUNK)
        with z.open("content.xml") as fh:
            try:
                return _ods_sheets(fh, Budget("ODS", limits))
            except etree.XMLSyntaxError as exc:
                raise UnreadableFile(f"ODS XML could not be parsed: {describe(exc)}") from exc


def _ods_sheets(fh, budget: Budget) -> dict[int, list[Merge]]:
    merges: dict[int, list[Merge]] = {}
    index, row, last_row, last_col, chars = -1, 0, -1, -1, 0
    for event, el in etree.iterparse(fh, events=("start", "end"),
                                     tag=(f"{_T}table", f"{_T}table-row"), **_SAFE_XML):
        if el.tag == f"{_T}table":
            if event == "start":
                index, row, last_row, last_col, chars = index + 1, 0, -1, -1, 0
                merges[index] = []
            else:
                budget.add(f"{index + 1}", last_row + 1, last_col + 1, chars)
                el.clear(keep_tail=False)
            continue
        if event == "start":
            continue
        repeat = _count(el.get(f"{_T}number-rows-repeated"))
        col = 0
        for cell in el:
            span = _count(cell.get(f"{_T}number-columns-repeated"))
            if len(cell) or cell.get(f"{_O}value-type"):
                last_row, last_col = max(last_row, row + repeat - 1), max(last_col, col + span - 1)
                # a repeated cell is a copy of its value in every place it repeats to
                chars += (len("".join(cell.itertext())) + len(cell.get(f"{_O}string-value") or "")) * span * repeat
            rs, cs = _count(cell.get(f"{_T}number-rows-spanned")), _count(cell.get(f"{_T}number-columns-spanned"))
            if rs > 1 or cs > 1:
                merges[index].append(((row, col), (row + rs - 1, col + cs - 1)))
            col += span
        row += repeat
        el.clear(keep_tail=False)
    return merges


def _count(value: Optional[str]) -> int:
    """A repeat or span attribute: its number, 1 when it is not one (absurd ones kept absurd, to be refused)."""
    if not value or not value.isascii() or not value.isdigit():
        return 1
    return max(int(value[:12]), 1)
