"""The one document model every reader produces and every later stage consumes.

A reader knows a file format, not notices: it turns bytes into blocks (paragraphs and tables) in reading order,
each keeping where it came from (page and box for paged formats, paragraph/row/column for the others) so that a
finding can point back at its source. OCR readers fill `confidence`; born-digital readers leave it None.
Nothing here imports anything of ours.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional, Union

# Told after each page OCR reads: (pages read, pages to read) in this file. OCR takes seconds a page, so a
# caller shows it (a progress line); every other step is too quick to need it.
OcrProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points, origin top-left (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: "Box") -> "Box":
        """The smallest box holding both."""
        return Box(min(self.x0, other.x0), min(self.top, other.top),
                   max(self.x1, other.x1), max(self.bottom, other.bottom))

    def as_list(self) -> list[float]:
        # float(): an OCR box holds numpy floats, whose round() and repr are numpy's
        """[x0, top, x1, bottom] rounded to 0.1 pt, as plain floats: the form the outputs write."""
        return [round(float(v), 1) for v in (self.x0, self.top, self.x1, self.bottom)]



def grid_cell(xs: list[float], ys: list[float], x: float, y: float) -> Optional[tuple[int, int]]:
    """(row, column) of the cell of a grid with column edges xs and row edges ys that holds the point x, y; None
    outside the grid. Shared by the grids read from a PDF's rulings and from an image's."""
    if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
        return None
    c = min(max(bisect.bisect_right(xs, x) - 1, 0), len(xs) - 2)
    r = min(max(bisect.bisect_right(ys, y) - 1, 0), len(ys) - 2)
    return r, c

@dataclass
class Word:
    """A run of characters the reader saw as one piece (no visible gap inside)."""

    text: str
    box: Optional[Box] = None
    size: Optional[float] = None           # font size, where known: the scale for "is this gap a space?"
    confidence: Optional[float] = None


@dataclass
class Line:
    """One printed line. `words` keep geometry where the format has it; `text` is what the reader read."""

    text: str
    page: Optional[int] = None             # 1-based; None for formats without pages
    box: Optional[Box] = None
    words: list[Word] = field(default_factory=list)
    confidence: Optional[float] = None
    source_index: Optional[int] = None     # line number in a text file, paragraph number in a DOCX


@dataclass
class Paragraph:
    """Lines the reader saw as one paragraph (a DOCX paragraph, a run of text lines, one PDF line)."""

    lines: list[Line]
    style: Optional[str] = None            # e.g. DOCX style name; a hint, never relied on

    @property
    def page(self) -> Optional[int]:
        """The page of its first line."""
        return self.lines[0].page if self.lines else None

    @property
    def text(self) -> str:
        """Its lines' text, one per line."""
        return "\n".join(line.text for line in self.lines)


@dataclass
class Cell:
    """One cell of a table grid.

    A merged region is stored once, at its top-left cell, with rowspan/colspan; the cells it covers are present
    too, with `merged_into` pointing at that origin, so every row has one cell per column (no None holes).
    """

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    merged_into: Optional[tuple[int, int]] = None
    box: Optional[Box] = None
    page: Optional[int] = None
    lines: list[Line] = field(default_factory=list)   # the cell's own lines (a header split "序" / "号")
    confidence: Optional[float] = None
    formula: str = ""        # a spreadsheet formula whose result the file does not hold (the text is then empty)

    @property
    def is_covered(self) -> bool:
        """Is this position covered by a merged cell that starts elsewhere?"""
        return self.merged_into is not None


@dataclass
class Table:
    """A grid of cells as the reader found it: no header detection, no totals, no unfolding (later stages do)."""

    rows: list[list[Cell]]
    page: Optional[int] = None             # first page
    box: Optional[Box] = None
    strategy: str = ""                     # how it was found: docx, pdf-ruled, text-tab, text-pipe, ...
    source_index: Optional[int] = None     # table number in a DOCX, first line number in a text file
    merges_known: bool = False             # True when the format states merges (DOCX vMerge, PDF rulings)

    @property
    def n_cols(self) -> int:
        """The widest row's number of cells."""
        return max((len(r) for r in self.rows), default=0)

    def texts(self) -> list[list[str]]:
        """The grid's texts, row by row."""
        return [[c.text for c in r] for r in self.rows]


Block = Union[Paragraph, Table]


@dataclass
class PageInfo:
    """A page's number, size in points, character count, and whether OCR read it."""

    number: int
    width: float
    height: float
    n_chars: int = 0
    ocr: bool = False                      # the page was read by OCR (no usable text layer)


@dataclass(frozen=True)
class Note:
    """Something a reader did that the user should hear of (a sheet skipped, furniture left out, a file converted,
    pages read by OCR): a kind the pipeline has words for, and its detail."""

    kind: str            # sheet-hidden, sheet-empty, sheet-chart, web-furniture, converted, ocr
    detail: str = ""
    count: int = 0


@dataclass
class Document:
    """A file as a reader found it: its blocks in reading order, its pages, and what the reader did."""

    source_file: str
    format: str                            # pdf, docx, text
    blocks: list[Block] = field(default_factory=list)
    pages: list[PageInfo] = field(default_factory=list)
    encoding: Optional[str] = None         # for text: the encoding it was decoded with
    notes: list[Note] = field(default_factory=list)   # what the reader skipped or did, for the report

    def paragraphs(self) -> Iterator[Paragraph]:
        """The paragraphs, in reading order."""
        return (b for b in self.blocks if isinstance(b, Paragraph))

    def tables(self) -> Iterator[Table]:
        """The tables, in reading order."""
        return (b for b in self.blocks if isinstance(b, Table))


class UnreadableFile(Exception):
    """A reader could not turn the file into a Document; the message says why, in one line."""
