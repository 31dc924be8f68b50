"""Readers: one per format, each turning bytes into the shared document model (parsers.model).

One registry: a new format is one module and one line in READERS (the module, imported the first time a file of
its format comes: a run over PDFs never loads python-docx or the OCR engine). A reader is read(path, data, limits,
on_ocr_page) (readers that never OCR take the last and ignore it) and raises UnreadableFile, with a one-line
reason, for anything it cannot read; read_bytes turns any other exception a reader lets through on a damaged
file into an UnreadableFile too (the traceback goes to the "parsers" logger at debug level), so one bad file
never stops a batch.
"""
from __future__ import annotations

import importlib
import logging
from typing import Optional

from .limits import Limits, describe, over
from .model import Document, OcrProgress, UnreadableFile
from .sniff import sniff

log = logging.getLogger("parsers")


def _reader(module: str, function: str = "read"):
    """A reader that imports its module on first use."""
    def read(path: str, data: bytes, limits: Limits, on_ocr_page: Optional[OcrProgress] = None) -> Document:
        reader = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return reader(path, data, limits, on_ocr_page=on_ocr_page)
    return read


def read_text(path: str, data: bytes, limits: Limits, on_ocr_page=None) -> Document:
    """A text file, refused when it decodes to more characters than --max-chars."""
    from . import text
    # One character takes at least one byte in UTF-8 and GB18030 (two in UTF-16), so only a file with more bytes
    # than the limit can have too many characters.
    if over(limits.max_chars, len(data)):
        n = len(text.decode(data, path)[0])
        if over(limits.max_chars, n):
            raise UnreadableFile(f"text has {n} characters, over the limit of {limits.max_chars} (--max-chars)")
    return text.read(path, data)


def read_image(path: str, data: bytes, limits: Limits, on_ocr_page: Optional[OcrProgress] = None) -> Document:
    """A page image (PNG/JPEG) by OCR; refused when OCR is off."""
    if limits.ocr == "never":
        raise UnreadableFile("an image of a page can only be read by OCR, and OCR is off (--ocr never)")
    from . import image
    doc = image.read(path, data)
    if on_ocr_page:
        on_ocr_page(1, 1)
    return doc


READERS = {"pdf": _reader("pdf"), "docx": _reader("docx"), "doc": _reader("legacy"), "text": read_text,
           "image": read_image, "html": _reader("html"), "xlsx": _reader("sheet"), "xls": _reader("sheet"),
           "ods": _reader("sheet"), "ofd": _reader("ofd")}


def read_bytes(path: str, data: bytes, on_ocr_page: Optional[OcrProgress] = None, **limits) -> Document:
    """The format from the bytes (sniff), then that format's reader. Keyword arguments are Limits' fields
    (max_bytes, max_pages, max_chars, max_unzipped_bytes); None or absent means no limit. on_ocr_page(done, total)
    is called after each page read by OCR, if any is.

    An UnreadableFile raised here carries `format`: the format sniffed from the content ("" when unknown)."""
    lim = Limits(**limits)
    try:
        fmt = sniff(data, path)
    except (Exception, RecursionError, MemoryError) as exc:    # a damaged container tripped the sniffing itself
        log.debug("%s: unreadable: format not told", path, exc_info=exc)
        error = UnreadableFile(f"damaged content, its format cannot be told: {describe(exc)}")
        error.format = ""
        raise error from exc
    try:
        if over(lim.max_bytes, len(data)):
            raise UnreadableFile(f"file is {len(data)} bytes, over the limit of {lim.max_bytes} (--max-bytes)")
        if fmt.startswith("unsupported:"):
            raise UnreadableFile(fmt.split(":", 1)[1])
        try:
            return READERS[fmt](path, data, lim, on_ocr_page=on_ocr_page)
        except UnreadableFile:
            raise
        except (Exception, RecursionError, MemoryError) as exc:   # a reader's library tripped on damaged content
            raise UnreadableFile(f"damaged {fmt.upper()} content: {describe(exc)}") from exc
    except UnreadableFile as exc:
        exc.format = "" if fmt.startswith("unsupported:") else fmt
        if exc.__cause__ is not None:
            log.debug("%s: unreadable: %s", path, exc, exc_info=exc.__cause__)
        raise


__all__ = ["READERS", "Document", "Limits", "UnreadableFile", "read_bytes", "sniff"]
