"""The format of a file from its bytes, not its name: a DOCX named .pdf is still read as a DOCX."""
from __future__ import annotations

import io
import zipfile

from .limits import describe

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, name: str = "") -> str:
    """Return pdf, docx, doc (a legacy Word/WPS OLE file), text, or an 'unsupported:<why>' label."""
    head = data[:1024]
    if not data:
        return "unsupported:empty file (0 bytes)"
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff":
        return "image"
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, EOFError) as exc:
            return f"unsupported:damaged ZIP container ({describe(exc)}): not a readable DOCX"
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            return "unsupported:OpenDocument text (save it as DOCX)"
        return "unsupported:ZIP archive that is not a DOCX (no word/document.xml)"
    if data[:8] == OLE_MAGIC:
        return _ole(data)
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


def _ole(data: bytes) -> str:
    """An OLE compound file: a legacy Word .doc or WPS file, or something else in the same container.

    Stream names sit in the directory in UTF-16LE; looking for them is enough to tell the cases apart.
    """
    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if has("WordDocument"):
        return "doc"
    if has("EncryptedPackage"):
        return "unsupported:password-protected Office file (an encrypted DOCX): remove the password and save it as DOCX"
    if has("Workbook") or has("PowerPoint Document"):
        return "unsupported:legacy Excel or PowerPoint (OLE) file, not a Word document"
    return "doc"   # WPS and other word processors' OLE files: LibreOffice may still convert them

