"""Born-digital PDF into the document model, with pdfplumber: the reference reader (--pdf-reader pdfplumber).

pdfminer (under pdfplumber) interprets each page once; its characters, lines, rects and curves go to
parsers.pdf_layout, which both PDF readers share: the same lines and words, the same OCR decision. Tables are
found by pdfplumber's own table finder, of which the PDFium reader uses a port (parsers.rulings).
"""
from __future__ import annotations

import io
from itertools import islice
from typing import Iterator, Optional

import pdfplumber
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import LIT

from .limits import NO_LIMITS, Limits, describe, over
from .model import Document, OcrProgress, UnreadableFile
from .pdf_layout import RawPage, build_document, check_complete

# How ruled tables are found from a page's lines, rects and curves: pdfplumber's table finder, "lines" strategy
# (parsers.rulings is its port, for the PDFium reader).
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                  "intersection_tolerance": 3}


def read(path: str, data: bytes, limits: Limits = NO_LIMITS, on_ocr_page: Optional[OcrProgress] = None) -> Document:
    """Every failure is an UnreadableFile saying why in one line; limits are checked before the work they bound."""
    check_complete(data)
    return build_document(path, data, _pages(data, limits), limits, on_ocr_page)


def _pages(data: bytes, limits: Limits) -> Iterator[RawPage]:
    """Each page read once, in order, and released before the next."""
    pdf = _open(data)
    with pdf:
        if _count_pages(pdf, limits.max_pages) == 0:
            raise UnreadableFile("PDF has no pages")
        for number, page in enumerate(pdf.pages, start=1):
            try:
                _check_chars(pdf, page, number, limits.max_chars)
                raw = _read_page(page, number)
            except UnreadableFile:
                raise
            except Exception as exc:   # pdfminer raises many kinds on damaged content streams
                raise UnreadableFile(f"PDF page {number} could not be read: {describe(exc)}") from exc
            page.close()
            yield raw


def _read_page(page, number: int) -> RawPage:
    chars = [c for c in page.chars if c["text"].strip() and c.get("upright", True)]
    tables = [t.cells for t in page.find_tables(TABLE_SETTINGS)]
    return RawPage(number=number, width=page.width, height=page.height, chars=chars, tables=tables,
                   has_images=bool(page.images))


def _open(data: bytes):
    """Open with the empty password, which is what an 'encrypted' PDF with only an owner password needs."""
    try:
        return pdfplumber.open(io.BytesIO(data), password="")
    except Exception as exc:   # pdfplumber wraps pdfminer's errors in PdfminerException; look at the cause
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise UnreadableFile("PDF is encrypted and does not open with an empty password: "
                                 "ask for an unprotected copy") from exc
        if isinstance(cause, PDFEncryptionError):
            raise UnreadableFile(f"PDF is encrypted with an unsupported method: {describe(cause)}") from exc
        raise UnreadableFile(f"not a readable PDF: {describe(cause)}") from exc


def _count_pages(pdf, max_pages: Optional[int]) -> int:
    """Pages counted from the page tree, before any page is parsed: first the count the file declares (a look-up),
    then by walking the tree, stopping one past the limit so a file that understates its count is caught too."""
    try:
        declared = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:
        declared = None
    if declared is not None and over(max_pages, declared):
        raise UnreadableFile(f"PDF has {declared} pages, over the limit of {max_pages} (--max-pages)")
    try:
        n = sum(1 for _ in islice(PDFPage.create_pages(pdf.doc), None if max_pages is None else max_pages + 1))
    except Exception as exc:
        raise UnreadableFile(f"PDF page tree is damaged: {describe(exc)}") from exc
    if over(max_pages, n):
        raise UnreadableFile(f"PDF has more than {max_pages} pages, over the limit (--max-pages)")
    return n


LITERAL_FORM = LIT("Form")      # the /Subtype of a form XObject


def _may_exceed(page_obj, max_chars: int) -> bool:
    """Whether a page could show more than max_chars characters, judged without interpreting it: each character
    shown takes at least one byte of the page's content streams, unless a form XObject draws it (a form can be
    drawn many times). Pages that pass this need no counting pass; the content decoded here is kept by pdfminer."""
    try:
        size = sum(len(stream.get_data()) for stream in page_obj.contents)
        if size > max_chars:
            return True
        xobjects = resolve1(page_obj.resources.get("XObject")) or {}
        return any(getattr(resolve1(x), "get", lambda _: None)("Subtype") == LITERAL_FORM
                   for x in xobjects.values())
    except Exception:
        return True          # damaged: let the counting pass (and its error handling) decide


class _TooManyChars(Exception):
    pass


class _CharCounter(PDFDevice):
    """Counts the characters a page shows without building them: pdfplumber holds about 2 KB per character, so a
    page with millions would take gigabytes before it could be refused. Stops one past the limit."""

    def __init__(self, rsrcmgr, limit: int):
        super().__init__(rsrcmgr)
        self.limit, self.n = limit, 0

    def render_string(self, textstate, seq, ncs, graphicstate):
        """Count the characters a text operator shows, and stop once over the limit."""
        font = textstate.font
        for obj in seq:
            if isinstance(obj, bytes):
                self.n += sum(1 for _ in font.decode(obj)) if font is not None else len(obj)  # CID fonts: a generator
                if self.n > self.limit:
                    raise _TooManyChars


def _check_chars(pdf, page, number: int, max_chars: Optional[int]) -> None:
    if max_chars is None or not _may_exceed(page.page_obj, max_chars):
        return
    device = _CharCounter(pdf.rsrcmgr, max_chars)
    try:
        PDFPageInterpreter(pdf.rsrcmgr, device).process_page(page.page_obj)
    except _TooManyChars:
        raise UnreadableFile(f"PDF page {number} has more than {max_chars} characters, over the limit "
                             f"(--max-chars)") from None
    except Exception:
        return          # only a guard: whatever tripped it here, the page's real reading judges
