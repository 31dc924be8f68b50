"""The limits a reader enforces against files built to hurt; None means no limit.

The caller (ingest.settings.Settings) decides the values; a reader only compares. Each refusal is an
UnreadableFile whose message names the limit and the command-line flag that sets it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .model import UnreadableFile


@dataclass(frozen=True)
class Limits:
    """What a reader may be asked to read: bytes, pages, characters, unpacked bytes; the OCR mode and PDF reader."""

    max_bytes: Optional[int] = None            # file size
    max_pages: Optional[int] = None            # PDF pages, counted before any page is read
    max_chars: Optional[int] = None            # characters on one PDF page and in a whole PDF, in a DOCX, in a text file
    max_unzipped_bytes: Optional[int] = None   # declared uncompressed size of a DOCX package
    # not a limit, but resolved with them from Settings and passed to every reader the same way:
    ocr: str = "auto"                          # auto: OCR pages without a usable text layer; always; never
    pdf_reader: str = "pdfium"                 # pdfium (parsers.pdf), or pdfplumber: the reference reader


NO_LIMITS = Limits()


def over(limit: Optional[int], value: int) -> bool:
    """Is `value` over `limit` (None: no limit)?"""
    return limit is not None and value > limit


def describe(exc: BaseException) -> str:
    """An exception as one short line for a refusal: its class and the first line of its message."""
    lines = str(exc).strip().splitlines()
    text = lines[0][:200] if lines else ""
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


# Cells a document's tables may hold in all, counted as the grids they become: every row padded to its table's
# widest row. A table of one row W cells wide over H rows of two is only W + H cells of text but a W × H grid.
MAX_GRID_CELLS = 500_000


class GridBudget:
    """The grid cells a document's tables have taken so far, refused as soon as a table would pass the bound
    (MAX_GRID_CELLS, read when the budget is made), before the table's grid is built."""

    def __init__(self, kind: str):
        self.kind, self.limit, self.cells, self.tables = kind, MAX_GRID_CELLS, 0, 0

    def left(self) -> int:
        return self.limit - self.cells

    def add(self, rows: int, width: int) -> None:
        """The document's next table: `rows` rows, the widest `width` cells."""
        self.tables += 1
        self.cells += rows * width
        if self.cells > self.limit:
            raise UnreadableFile(f"{self.kind} table {self.tables} is {rows} rows × {width} columns once its rows are "
                                 f"padded to the widest, over the limit of {self.limit} cells for a document's "
                                 f"tables in all: refused (ragged rows built to exhaust memory?)")
