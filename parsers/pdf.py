"""Born-digital PDF into the document model, with pdfplumber.

Each page is read once: its characters and ruling lines are taken in one pass, ruled tables are found from the
rulings, characters inside a table go to its cells and the rest become lines of text. Words are split where the
page shows a visible gap, so the cleaning stage can tell real gaps from spacing the extractor invented.
"""
from __future__ import annotations

import bisect
import io
from typing import Iterable

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from .model import Box, Cell, Document, Line, PageInfo, Paragraph, Table, UnreadableFile, Word

# A gap wider than this fraction of the font size separates two words. CJK glyphs sit edge to edge, so any
# visible gap is either a real space or the spacing damage that cleaning later judges from the same numbers.
WORD_GAP = 0.15
# Characters whose tops differ by less than this fraction of their size are on one line.
LINE_TOLERANCE = 0.5
# Grid coordinates closer than this (points) are the same ruling.
SNAP = 1.5
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                  "intersection_tolerance": 3}


def read(path: str, data: bytes, max_pages: int | None = None) -> Document:
    doc = Document(source_file=path, format="pdf")
    try:
        pdf = pdfplumber.open(io.BytesIO(data), password="")
    except (PdfminerException, PDFSyntaxError, PDFPasswordIncorrect) as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(exc).lower():
            raise UnreadableFile("PDF is encrypted and does not open with an empty password") from exc
        raise UnreadableFile(f"not a readable PDF: {cause.__class__.__name__} {cause}".strip()) from exc
    with pdf:
        n_pages = len(pdf.pages)
        if max_pages is not None and n_pages > max_pages:
            raise UnreadableFile(f"PDF has {n_pages} pages, over the limit of {max_pages} (--max-pages)")
        total_chars = 0
        for number, page in enumerate(pdf.pages, start=1):
            blocks, n_chars = _read_page(page, number)
            total_chars += n_chars
            doc.pages.append(PageInfo(number=number, width=float(page.width), height=float(page.height),
                                      n_chars=n_chars))
            doc.blocks.extend(blocks)
            page.close()
    if n_pages and total_chars == 0:
        raise UnreadableFile(f"PDF has no text layer ({n_pages} pages of images): it needs OCR")
    return doc


def _read_page(page, number: int):
    chars = [c for c in page.chars if c["text"].strip() and c.get("upright", True)]
    tables = page.find_tables(TABLE_SETTINGS)
    grids = [_grid(t, number) for t in tables]
    grids = [g for g in grids if g is not None]
    free: list[dict] = []
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for g in grids:
            if g.put(ch, cx, cy):
                break
        else:
            free.append(ch)
    blocks: list[tuple[float, object]] = []
    for line in _lines(free, number):
        blocks.append((line.box.top, Paragraph(lines=[line])))
    for g in grids:
        blocks.append((g.table.box.top, g.finish()))
    blocks.sort(key=lambda b: b[0])
    return [b for _, b in blocks], len(chars)


def _lines(chars: Iterable[dict], page: int) -> list[Line]:
    """Cluster characters into lines, then split each line into words at visible gaps."""
    rows: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        if rows and abs(ch["top"] - rows[-1][0]["top"]) <= LINE_TOLERANCE * ch["size"]:
            rows[-1].append(ch)
        else:
            rows.append([ch])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        words: list[Word] = []
        run = [row[0]]
        for prev, ch in zip(row, row[1:]):
            if ch["x0"] - prev["x1"] > WORD_GAP * max(prev["size"], ch["size"]):
                words.append(_word(run))
                run = [ch]
            else:
                run.append(ch)
        words.append(_word(run))
        box = words[0].box
        for w in words[1:]:
            box = box.union(w.box)
        lines.append(Line(text=" ".join(w.text for w in words), page=page, box=box, words=words))
    return lines


def _word(chars: list[dict]) -> Word:
    box = Box(min(c["x0"] for c in chars), min(c["top"] for c in chars),
              max(c["x1"] for c in chars), max(c["bottom"] for c in chars))
    return Word(text="".join(c["text"] for c in chars), box=box, size=max(c["size"] for c in chars))


def _snap(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


class _Grid:
    """A ruled table as a full grid: every cell bbox becomes an origin with its row/column span."""

    def __init__(self, table, xs, ys, page):
        self.xs, self.ys, self.page = xs, ys, page
        n_rows, n_cols = len(ys) - 1, len(xs) - 1
        self.origin = [[None] * n_cols for _ in range(n_rows)]
        rows = [[Cell(text="", row=r, col=c, page=page) for c in range(n_cols)] for r in range(n_rows)]
        for (x0, top, x1, bottom) in table.cells:
            c0, c1 = self._index(xs, x0), self._index(xs, x1)
            r0, r1 = self._index(ys, top), self._index(ys, bottom)
            if c1 <= c0 or r1 <= r0:
                continue
            cell = rows[r0][c0]
            cell.rowspan, cell.colspan = r1 - r0, c1 - c0
            cell.box = Box(x0, top, x1, bottom)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    self.origin[r][c] = (r0, c0)
                    if (r, c) != (r0, c0):
                        rows[r][c].merged_into = (r0, c0)
        self.table = Table(rows=rows, page=page, box=Box(*table.bbox), strategy="pdf-ruled", merges_known=True)
        self.chars: dict[tuple[int, int], list[dict]] = {}

    @staticmethod
    def _index(coords, v):
        i = bisect.bisect_left(coords, v - SNAP)
        return min(i, len(coords) - 1)

    def put(self, ch, cx, cy) -> bool:
        xs, ys = self.xs, self.ys
        if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
            return False
        c = min(max(bisect.bisect_right(xs, cx) - 1, 0), len(xs) - 2)
        r = min(max(bisect.bisect_right(ys, cy) - 1, 0), len(ys) - 2)
        key = self.origin[r][c] or (r, c)
        self.chars.setdefault(key, []).append(ch)
        return True

    def finish(self) -> Table:
        for (r, c), chars in self.chars.items():
            cell = self.table.rows[r][c]
            cell.lines = _lines(chars, self.page)
            cell.text = "\n".join(line.text for line in cell.lines)
            if cell.box is None:
                cell.box = Box(self.xs[c], self.ys[r], self.xs[c + 1], self.ys[r + 1])
        return self.table


def _grid(table, page: int):
    if not table.cells:
        return None
    xs = _snap([v for (x0, _, x1, _) in table.cells for v in (x0, x1)])
    ys = _snap([v for (_, t, _, b) in table.cells for v in (t, b)])
    if len(xs) < 2 or len(ys) < 2:
        return None
    return _Grid(table, xs, ys, page)
