"""Born-digital PDF into the document model, with pdfplumber.

Each page is read once: its characters and ruling lines are taken in one pass, and parsers.layout (shared with the
OFD reader) turns them into lines of words and ruled tables of cells.
"""
from __future__ import annotations

import io
import re
from itertools import islice
from typing import Optional

import pdfplumber
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import LIT

from . import layout
from .limits import NO_LIMITS, Limits, describe, over
from .model import Document, OcrProgress, PageInfo, Paragraph, UnreadableFile


def read(path: str, data: bytes, limits: Limits = NO_LIMITS, on_ocr_page: Optional[OcrProgress] = None) -> Document:
    """Every failure is an UnreadableFile saying why in one line; limits are checked before the work they bound."""
    _check_complete(data)
    pdf = _open(data)
    doc = Document(source_file=path, format="pdf")
    with pdf:
        n_pages = _count_pages(pdf, limits.max_pages)
        if n_pages == 0:
            raise UnreadableFile("PDF has no pages")
        per_page: list[list] = []
        scanned: list[int] = []
        for number, page in enumerate(pdf.pages, start=1):
            try:
                _check_chars(pdf, page, number, limits.max_chars)
                blocks, n_chars = _read_page(page, number)
                if limits.ocr == "always" or (limits.ocr == "auto" and _needs_ocr(page, blocks, n_chars)):
                    scanned.append(number)
            except UnreadableFile:
                raise
            except Exception as exc:   # pdfminer raises many kinds on damaged content streams
                raise UnreadableFile(f"PDF page {number} could not be read: {describe(exc)}") from exc
            doc.pages.append(PageInfo(number=number, width=float(page.width), height=float(page.height),
                                      n_chars=n_chars))
            per_page.append(blocks)
            page.close()
    if scanned:
        for done, (number, blocks) in enumerate(_ocr_pages(data, scanned, doc), start=1):
            per_page[number - 1] = blocks
            if on_ocr_page:
                on_ocr_page(done, len(scanned))
    if sum(p.n_chars for p in doc.pages) == 0:
        return _without_text_layer(doc, n_pages, tried_ocr=bool(scanned))
    doc.blocks = [b for blocks in per_page for b in blocks]
    return doc


def _without_text_layer(doc: Document, n_pages: int, tried_ocr: bool) -> Document:
    """A PDF whose pages carry no text: a scan with OCR switched off (--ocr never), or images OCR found no text in."""
    pages = "1 page" if n_pages == 1 else f"{n_pages} pages"
    if tried_ocr:
        raise UnreadableFile(f"PDF has no text layer ({pages} of images) and OCR read no text in them")
    raise UnreadableFile(f"PDF has no text layer ({pages} of images, a scan?): it needs OCR (--ocr auto)")


# Characters a broken font mapping leaves instead of text: pdfminer's (cid:N), U+FFFD, private-use code points.
_GARBAGE = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")
OCR_DPI = 150


def _needs_ocr(page, blocks, n_chars: int) -> bool:
    """A page is read by OCR when it shows an image but its text layer is empty or mostly garbage."""
    if not page.images:
        return False
    if n_chars == 0:
        return True
    text = "".join(line.text for b in blocks if isinstance(b, Paragraph) for line in b.lines)
    return len(_GARBAGE.findall(text)) * 3 > max(len(text), 1)


def _ocr_pages(data: bytes, numbers: list[int], doc: Document):
    """Render each scanned page once (pypdfium2, under pdfplumber) and read it with OCR into the same model."""
    try:
        from . import ocr
    except ImportError as exc:   # the OCR engine is a dependency; a broken install is reported, not raised
        raise UnreadableFile(f"pages {numbers} need OCR but the OCR engine cannot load: {describe(exc)}") from exc
    import numpy as np
    import pypdfium2 as pdfium
    scale = OCR_DPI / 72.0
    rendered = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = rendered[number - 1]
            image = np.asarray(page.render(scale=scale).to_pil().convert("RGB"))
            page.close()
            lines, tables = ocr.read_page(image, number, scale)
            blocks = [(line.box.top, Paragraph(lines=[line])) for line in lines] + [(t.box.top, t) for t in tables]
            doc.pages[number - 1].n_chars = sum(len(x.text) for x in lines + [c for t in tables for r in t.rows for c in r])
            doc.pages[number - 1].ocr = True
            yield number, [b for _, b in sorted(blocks, key=lambda x: x[0])]
    finally:
        rendered.close()
    doc.notes.append(f"{len(numbers)} page(s) read by OCR at {OCR_DPI} dpi")


def _check_complete(data: bytes) -> None:
    """A PDF ends with %%EOF (trailing blanks aside); a file cut short loses its last pages or its index."""
    tail = data[-65536:].rstrip(b"\x00\t\n\f\r ")
    if b"%%EOF" not in tail[-1024:]:
        raise UnreadableFile(f"PDF is truncated: it does not end with %%EOF ({len(data)} bytes)")


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


def _read_page(page, number: int):
    chars = [c for c in page.chars if c["text"].strip() and c.get("upright", True)]
    return layout.page_blocks(chars, page.find_tables(layout.TABLE_SETTINGS), number), len(chars)
