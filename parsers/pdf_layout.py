"""A born-digital PDF page into the document model, whichever library read it.

Both PDF readers (parsers.pdf on PDFium, parsers.pdf_plumber on pdfplumber) hand this module the same things for
each page: its upright characters with their boxes and font sizes, the ruled tables found from its rulings (cell
boxes, by pdfplumber's table finder or its port in parsers.rulings), and whether it shows an image. From there one code path makes the blocks: characters inside a table go to
its cells, the rest become lines of text, words split where the page shows a visible gap (so the cleaning stage can
tell real gaps from spacing the extractor invented); pages without a usable text layer go to OCR.

A character is a dict with the keys pdfplumber gives it: text, x0, x1, top, bottom, size (PDF points, origin
top-left).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Callable, Iterable, Iterator, Optional, Sequence

from .limits import Limits, describe, over
from .model import (Box, Cell, Document, Line, Note, OcrProgress, PageInfo, Paragraph, Table, UnreadableFile, Word,
                    grid_cell)

# A gap wider than this fraction of the font size separates two words. CJK glyphs sit edge to edge, so any
# visible gap is either a real space or the spacing damage that cleaning later judges from the same numbers.
WORD_GAP = 0.15
# Characters whose tops differ by less than this fraction of their size are on one line.
LINE_TOLERANCE = 0.5
# Grid coordinates closer than this (points) are the same ruling.
SNAP = 1.5
# Characters a broken font mapping leaves instead of text: (cid:N), U+FFFD, private-use code points.
_GARBAGE = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")
OCR_DPI = 150

CellBox = Sequence[float]          # (x0, top, x1, bottom)


@dataclass
class RawPage:
    """What a reader saw on one page: the input of page_blocks."""

    number: int
    width: float
    height: float
    chars: list[dict]                                   # upright, non-blank characters
    tables: list[list[CellBox]] = field(default_factory=list)   # each ruled table as its cells' boxes
    has_images: bool = False


def build_document(path: str, data: bytes, pages: Iterator[RawPage], limits: Limits,
                   on_ocr_page: Optional[OcrProgress]) -> Document:
    """The document from a reader's pages (each read once, in order), OCR for the pages that need it.
    Every failure is an UnreadableFile saying why in one line. --max-chars bounds a page (the reader checks it
    before the page's characters are built) and the whole document, counted here as the pages come: pages that
    all show one shared content stream would otherwise cost that stream's characters times --max-pages."""
    doc = Document(source_file=path, format="pdf")
    per_page: list[list] = []
    scanned: list[int] = []
    n_chars = 0
    for raw in pages:
        n_chars += len(raw.chars)
        if over(limits.max_chars, n_chars):
            raise UnreadableFile(f"PDF has more than {limits.max_chars} characters in its first {raw.number} pages, "
                                 f"over the limit for a whole document (--max-chars)")
        blocks = page_blocks(raw)
        if limits.ocr == "always" or (limits.ocr == "auto" and _needs_ocr(raw.has_images, blocks, len(raw.chars))):
            scanned.append(raw.number)
        doc.pages.append(PageInfo(number=raw.number, width=float(raw.width), height=float(raw.height),
                                  n_chars=len(raw.chars)))
        per_page.append(blocks)
    if not doc.pages:
        raise UnreadableFile("PDF has no pages")
    if scanned:
        for done, (number, blocks) in enumerate(_ocr_pages(data, scanned, doc), start=1):
            per_page[number - 1] = blocks
            if on_ocr_page:
                on_ocr_page(done, len(scanned))
    if sum(p.n_chars for p in doc.pages) == 0:
        return _without_text_layer(len(doc.pages), tried_ocr=bool(scanned))
    doc.blocks = [b for blocks in per_page for b in blocks]
    return doc


def check_complete(data: bytes) -> None:
    """A PDF ends with %%EOF (trailing blanks aside); a file cut short loses its last pages or its index."""
    tail = data[-65536:].rstrip(b"\x00\t\n\f\r ")
    if b"%%EOF" not in tail[-1024:]:
        raise UnreadableFile(f"PDF is truncated: it does not end with %%EOF ({len(data)} bytes)")


def _without_text_layer(n_pages: int, tried_ocr: bool) -> Document:
    """A PDF whose pages carry no text: a scan with OCR switched off (--ocr never), or images OCR found no text in."""
    pages = "1 page" if n_pages == 1 else f"{n_pages} pages"
    if tried_ocr:
        raise UnreadableFile(f"PDF has no text layer ({pages} of images) and OCR read no text in them")
    raise UnreadableFile(f"PDF has no text layer ({pages} of images, a scan?): it needs OCR (--ocr auto)")


def _needs_ocr(has_images: bool, blocks, n_chars: int) -> bool:
    """A page is read by OCR when it shows an image but its text layer is empty or mostly garbage."""
    if not has_images:
        return False
    if n_chars == 0:
        return True
    text = "".join(line.text for b in blocks if isinstance(b, Paragraph) for line in b.lines)
    return len(_GARBAGE.findall(text)) * 3 > max(len(text), 1)


def _ocr_pages(data: bytes, numbers: list[int], doc: Document):
    """Render each scanned page once (pypdfium2) and read it with OCR into the same model. A page larger than
    parsers.render.MAX_PIXELS at OCR_DPI (a 14,400-point MediaBox is 900 megapixels: 13 GB went to one) is rendered
    at the resolution that fits, with a note saying so: its text is drawn as large as its page (a scan placed at
    one point a pixel), so it stays legible, where refusing would lose the file's figures."""
    try:
        from . import ocr
    except ImportError as exc:   # the OCR engine is a dependency; a broken install is reported, not raised
        raise UnreadableFile(f"pages {numbers} need OCR but the OCR engine cannot load: {describe(exc)}") from exc
    import numpy as np
    import pypdfium2 as pdfium
    from .render import MAX_PIXELS, fit_scale, rgb
    rendered = pdfium.PdfDocument(data)
    reduced: list[Note] = []
    try:
        for number in numbers:
            page = rendered[number - 1]
            scale = fit_scale(*page.get_size(), OCR_DPI / 72.0)
            if scale < OCR_DPI / 72.0:
                reduced.append(Note("ocr", f"{scale * 72:.0f} dpi: page {number} is larger than {MAX_PIXELS:,} "
                                           f"pixels at {OCR_DPI} dpi", 1))
            bitmap = page.render(scale=scale)
            page.close()
            image = np.asarray(rgb(bitmap))
            bitmap.close()
            lines, tables = ocr.read_page(image, number, scale)
            blocks = [(line.box.top, Paragraph(lines=[line])) for line in lines] + [(t.box.top, t) for t in tables]
            doc.pages[number - 1].n_chars = sum(len(x.text) for x in lines + [c for t in tables for r in t.rows for c in r])
            doc.pages[number - 1].ocr = True
            yield number, [b for _, b in sorted(blocks, key=lambda x: x[0])]
    finally:
        rendered.close()
    if len(numbers) > len(reduced):
        doc.notes.append(Note("ocr", f"{OCR_DPI} dpi", len(numbers) - len(reduced)))
    doc.notes.extend(reduced)


# ------------------------------------------------------------------------------------------------ page layout


def page_blocks(raw: RawPage) -> list:
    """Tables from the page's ruled cells, the other characters as lines of text, in order down the page."""
    grids = [g for g in (_grid(cells, raw.number) for cells in raw.tables) if g is not None]
    free: list[dict] = []
    for ch in raw.chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for g in grids:
            if g.put(ch, cx, cy):
                break
        else:
            free.append(ch)
    blocks: list[tuple[float, object]] = []
    for line in _lines(free, raw.number):
        blocks.append((line.box.top, Paragraph(lines=[line])))
    for g in grids:
        blocks.append((g.table.box.top, g.finish()))
    blocks.sort(key=lambda b: b[0])
    return [b for _, b in blocks]


def _lines(chars: Iterable[dict], page: int) -> list[Line]:
    """Cluster characters into lines, then split each line into words at visible gaps."""
    rows: list[list[dict]] = []
    row_top = 0.0                       # the top of the first character of the row being filled
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        top = ch["top"]
        if rows and abs(top - row_top) <= LINE_TOLERANCE * ch["size"]:
            rows[-1].append(ch)
        else:
            rows.append([ch])
            row_top = top
    lines = []
    for row in rows:
        row.sort(key=_X0)
        words: list[Word] = []
        run = [row[0]]
        prev_x1, prev_size = row[0]["x1"], row[0]["size"]
        for ch in row[1:]:
            size = ch["size"]
            if ch["x0"] - prev_x1 > WORD_GAP * (size if size > prev_size else prev_size):     # max(), in line
                words.append(_word(run))
                run = [ch]
            else:
                run.append(ch)
            prev_x1, prev_size = ch["x1"], size
        words.append(_word(run))
        box = words[0].box
        for w in words[1:]:
            box = box.union(w.box)
        lines.append(Line(text=" ".join(w.text for w in words), page=page, box=box, words=words))
    return lines


def _word(chars: list[dict]) -> Word:
    box = Box(min(map(_X0, chars)), min(map(_TOP, chars)), max(map(_X1, chars)), max(map(_BOTTOM, chars)))
    return Word(text="".join(map(_TEXT, chars)), box=box, size=max(map(_SIZE, chars)))


# a character's values, fetched in C over a run of characters (a word's box is taken per word on every page)
_TEXT, _X0, _X1, _TOP, _BOTTOM, _SIZE = (itemgetter(k) for k in ("text", "x0", "x1", "top", "bottom", "size"))


def _snap(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


class _Grid:
    """A ruled table as a full grid: every cell bbox becomes an origin with its row/column span."""

    def __init__(self, cells: Sequence[CellBox], xs, ys, page):
        self.xs, self.ys, self.page = xs, ys, page
        n_rows, n_cols = len(ys) - 1, len(xs) - 1
        self.origin = [[None] * n_cols for _ in range(n_rows)]
        rows = [[Cell(text="", row=r, col=c, page=page) for c in range(n_cols)] for r in range(n_rows)]
        for (x0, top, x1, bottom) in cells:
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
        bbox = Box(min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells),
                   max(c[3] for c in cells))
        self.table = Table(rows=rows, page=page, box=bbox, strategy="pdf-ruled", merges_known=True)
        self.chars: dict[tuple[int, int], list[dict]] = {}

    @staticmethod
    def _index(coords, v):
        i = bisect.bisect_left(coords, v - SNAP)
        return min(i, len(coords) - 1)

    def put(self, ch, cx, cy) -> bool:
        """Put a character into the cell that holds its centre; False when it lies outside the grid."""
        at = grid_cell(self.xs, self.ys, cx, cy)
        if at is None:
            return False
        r, c = at
        key = self.origin[r][c] or (r, c)
        self.chars.setdefault(key, []).append(ch)
        return True

    def finish(self) -> Table:
        """The grid as a table of the model."""
        for (r, c), chars in self.chars.items():
            cell = self.table.rows[r][c]
            cell.lines = _lines(chars, self.page)
            cell.text = "\n".join(line.text for line in cell.lines)
            if cell.box is None:
                cell.box = Box(self.xs[c], self.ys[r], self.xs[c + 1], self.ys[r + 1])
        return self.table


def _grid(cells: Sequence[CellBox], page: int) -> Optional[_Grid]:
    if not cells:
        return None
    xs = _snap([v for (x0, _, x1, _) in cells for v in (x0, x1)])
    ys = _snap([v for (_, t, _, b) in cells for v in (t, b)])
    if len(xs) < 2 or len(ys) < 2:
        return None
    return _Grid(cells, xs, ys, page)
