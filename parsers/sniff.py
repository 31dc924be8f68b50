"""The format of a file from its bytes, not its name: a DOCX named .pdf is still read as a DOCX."""
from __future__ import annotations

import io
import zipfile
from typing import Optional

from .limits import describe

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Elements a saved web page (or a fragment of one) starts with, once comments, <?xml?> and blanks are passed.
HTML_FIRST_TAGS = {"!doctype", "html", "head", "body", "meta", "title", "link", "base", "script", "style",
                   "noscript", "div", "table", "p", "span", "center", "font", "form", "header", "nav", "main",
                   "article", "section", "h1", "h2", "h3"}
# How far into the file the markup may start: a browser's "saved from url" comment, an XML declaration and a long
# comment block of a content system stay well within it.
HTML_SNIFF_BYTES = 8192


def sniff(data: bytes, name: str = "") -> str:
    """Return pdf, docx, xlsx, ods, ofd, doc (a legacy Word/WPS OLE file), xls, html, text, image, or an
    'unsupported:<why>' label."""
    head = data[:1024]
    if not data:
        return "unsupported:empty file (0 bytes)"
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff":
        return "image"
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return _zip(data)
    if data[:8] == OLE_MAGIC:
        return _ole(data, name)
    if is_html(data):
        return "html"
    if data[:3] in (b"\xef\xbb\xbf",) or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "text"
    # Binary content has control bytes that text in any of our encodings does not.
    sample = data[:4096]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > len(sample) * 0.01:
        return "unsupported:binary content that is not PDF, DOCX or text"
    return "text"


# Control bytes that text in any of our encodings does not have (tab, line ends and form feed aside).
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def _zip(data: bytes) -> str:
    """A ZIP package: told apart by the parts each format must have (names only, and the few bytes of an
    OpenDocument's mimetype part). Whatever goes wrong opening the container or unpacking that part (its
    decompressor's own errors too: zlib.error, lzma.LZMAError, which no common base class catches) means a damaged
    container."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype")[:100] if "mimetype" in names and z.getinfo("mimetype").file_size < 200 \
                else b""
    except Exception as exc:
        return f"unsupported:damaged ZIP container ({describe(exc)}): not a readable DOCX, XLSX, ODS or OFD"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    if "content.xml" in names and mimetype.strip() == ODS_MIMETYPE:
        return "ods"
    if "content.xml" in names:
        return "unsupported:OpenDocument text (save it as DOCX)"
    return "unsupported:ZIP archive that is not a DOCX, XLSX, ODS or OFD (none of their main parts)"


def utf16_without_bom(data: bytes) -> Optional[str]:
    """'utf-16-le' or 'utf-16-be' for text saved as UTF-16 without a byte-order mark that starts with markup or
    ASCII (every other byte of its first characters NUL), else None. Text in any other encoding never has NULs."""
    head = data[:64]
    head = head[:len(head) - len(head) % 2]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if not any(odd) and all(0 < b < 128 for b in even):
        return "utf-16-le"
    if not any(even) and all(0 < b < 128 for b in odd):
        return "utf-16-be"
    return None


def is_html(data: bytes) -> bool:
    """Whether the markup of a web page starts the file, wherever it starts: after a byte-order mark, blanks, the
    comment a browser writes when it saves a page (<!-- saved from url=… -->), an XML declaration, or with a
    <meta> or <title> before any <html>. Like a browser's own sniffing, this looks at the first tag, not the name."""
    head = data[:HTML_SNIFF_BYTES]
    wide = utf16_without_bom(data)
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
                     (b"", wide)):
        if enc and head.startswith(bom):
            text = head[len(bom):].decode(enc, "ignore")
            break
    else:
        text = head.decode("latin-1")          # every byte one character: the ASCII of the markup stays put
    return _first_tag(text) in HTML_FIRST_TAGS


def _first_tag(text: str) -> str:
    """The name of the first tag after blanks, comments and processing instructions; "" when text comes first."""
    i = 0
    while True:
        while i < len(text) and text[i] in " \t\r\n\f\x00":
            i += 1
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return ""
            i = end + 3
        elif text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                return ""
            i = end + 2
        elif text.startswith("<", i):
            j = i + 1
            while j < len(text) and (text[j].isalnum() or text[j] == "!") and j - i < 12:
                j += 1
            return text[i + 1:j].lower()
        else:
            return ""


def _ole(data: bytes, name: str = "") -> str:
    """An OLE compound file: a legacy Word .doc or WPS file, an Excel .xls, or something else in the same container.

    Stream names sit in the directory in UTF-16LE; looking for them is enough to tell the cases apart. A file cut
    short has usually lost its directory (written last): then the container alone does not tell a workbook from a
    Word file, and a name ending in .xls does, so that a damaged workbook is reported as one by the spreadsheet
    reader rather than sent to LibreOffice as a Word file.
    """
    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if has("WordDocument"):
        return "doc"
    if has("EncryptedPackage"):
        return ("unsupported:password-protected Office file (an encrypted DOCX or XLSX): remove the password and "
                "save it again")
    if has("Workbook") or has("Book"):
        return "xls"
    if has("PowerPoint Document"):
        return "unsupported:legacy PowerPoint (OLE) file, not a notice or a table"
    if name.lower().endswith(".xls"):
        return "xls"
    return "doc"   # WPS and other word processors' OLE files: LibreOffice may still convert them
