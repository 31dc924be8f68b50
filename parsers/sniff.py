"""The format of a file from its bytes, not its name: a DOCX named .pdf is still read as a DOCX."""
from __future__ import annotations

import io
import zipfile


def sniff(data: bytes, name: str = "") -> str:
    """Return pdf, docx, text, or an 'unsupported:<what>' label."""
    head = data[:1024]
    if not data:
        return "unsupported:empty file (0 bytes)"
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return "unsupported:damaged ZIP container"
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            return "unsupported:OpenDocument text (save it as DOCX)"
        return "unsupported:ZIP archive that is not a DOCX"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "unsupported:legacy Word .doc/.wps (OLE) file: save it as DOCX"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "unsupported:HTML page (not yet supported)"
    if data[:3] in (b"\xef\xbb\xbf",) or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "text"
    # Binary content has control bytes that text in any of our encodings does not.
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) * 0.01:
        return "unsupported:binary content that is not PDF, DOCX or text"
    return "text"
