"""Readers: one per format, each turning bytes into the shared document model (parsers.model).

One registry: a new format is one module and one line in READERS.
"""
from __future__ import annotations

from . import docx, pdf, text
from .model import Document, UnreadableFile
from .sniff import sniff

READERS = {"pdf": pdf.read, "docx": docx.read, "text": text.read}


def read_bytes(path: str, data: bytes, **limits) -> Document:
    fmt = sniff(data, path)
    if fmt.startswith("unsupported:"):
        raise UnreadableFile(fmt.split(":", 1)[1])
    reader = READERS[fmt]
    if fmt == "pdf":
        return reader(path, data, max_pages=limits.get("max_pages"))
    return reader(path, data)


__all__ = ["READERS", "Document", "UnreadableFile", "read_bytes", "sniff"]
