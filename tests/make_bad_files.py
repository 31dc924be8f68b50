"""The corpus of bad files, made from recipes (no binary blobs in the repo): files that cannot be read, files built
to hurt, and files that only look wrong (a DOCX named .pdf, the samples in other encodings) and must be read.

    python tests/make_bad_files.py DIR      # writes the corpus into DIR and lists each file with what to expect

build(folder) writes the bad files and returns {file name: a substring of the reason it must be refused with};
build_readable(folder) writes the files that must be read and returns {file name: (real format, sample it
mirrors)}. The reasons assume the run uses LIMITS (the CLI flags in LIMIT_ARGS); everything else uses defaults.
Each file takes at most a second or so to make; the whole corpus a few seconds.
"""
from __future__ import annotations

import io
import os
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# Small limits, so that the files built to hurt stay small and quick to make and the good samples pass.
LIMITS = {"max_bytes": 4_000_000, "max_pages": 2000, "max_chars": 100_000, "max_unzipped_bytes": 5_000_000}
LIMIT_ARGS = [f"--{k.replace('_', '-')}={v}" for k, v in LIMITS.items()]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# ------------------------------------------------------------------------------------------------ PDF recipes


def _pdf(pages=1, text="2024 notice 12345", encrypt=None, size=(300, 300), draw=None) -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, encrypt=encrypt, invariant=1)
    for i in range(pages):
        if draw is not None:
            draw(c, i)
        else:
            c.drawString(20, size[1] - 40, f"{text} {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _scanned(pages: int) -> bytes:
    """Pages that carry only a picture of text (a scan): no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    img = Image.new("L", (400, 300), 255)
    pen = ImageDraw.Draw(img)
    for y in range(30, 280, 24):
        pen.rectangle([30, y, 30 + (y * 7) % 330, y + 10], fill=0)   # lines of "print"
    reader = ImageReader(img)
    return _pdf(pages, size=(400, 300), draw=lambda c, i: c.drawImage(reader, 0, 0, 400, 300))


def _huge_page(chars: int) -> bytes:
    """One page showing `chars` characters in a tiny font, straight in the page's content stream."""
    line = "0123456789" * 50

    def draw(c, _):
        c.setFont("Helvetica", 1)
        for k in range(chars // len(line) + 1):
            c.drawString(2, 598 - (k % 590), line)
    return _pdf(1, size=(600, 600), draw=draw)


def _form_page(chars_per_form: int, times: int) -> bytes:
    """A small content stream that shows many characters: one form XObject drawn again and again."""
    def draw(c, _):
        c.beginForm("lines")
        c.setFont("Helvetica", 1)
        c.drawString(2, 2, "7" * chars_per_form)
        c.endForm()
        for _ in range(times):
            c.doForm("lines")
    return _pdf(1, size=(600, 600), draw=draw)


def _encrypted(user_password: str) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    enc = StandardEncryption(user_password, ownerPassword="owner-secret", canPrint=0)
    return _pdf(1, text="2024 encrypted notice 4321", encrypt=enc)


def _not_a_pdf_inside() -> bytes:
    rng = random.Random(7)
    junk = bytes(rng.randrange(32, 127) for _ in range(3000))
    return b"%PDF-1.4\n" + junk + b"\n%%EOF\n"


# ----------------------------------------------------------------------------------------------- DOCX recipes


def _docx_parts() -> dict[str, bytes]:
    """python-docx's default document, as its parts."""
    import docx
    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as z:
        return {name: z.read(name) for name in z.namelist()}


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _document_xml(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W_NS}><w:body>{body}'
            f'</w:body></w:document>').encode("utf-8")


def _docx(document_xml: bytes) -> bytes:
    parts = _docx_parts()
    parts["word/document.xml"] = document_xml
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _raw_deflate(data: bytes) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def _zip_bomb_docx(path: Path, megabytes: int, member: str = "word/document.xml", parts: dict = None) -> None:
    """A DOCX whose word/document.xml unpacks to `megabytes` MiB of spaces from under a MiB on disk (or another
    package: `parts` beside the big `member`).

    Written without ever holding (or compressing) the big part: after a full flush, deflating another MiB of
    spaces gives the same bytes again, so the compressed part is one block repeated. The ZIP is written by hand.
    """
    chunk = b" " * (1 << 20)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W_NS.encode() + b"><w:body><w:p><w:r><w:t>"
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    assert block == co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    last = co.compress(tail) + co.flush()
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + megabytes * len(chunk) + len(tail)
    entries = [(name, _raw_deflate(data), zlib.crc32(data), len(data))
               for name, data in (parts if parts is not None else _docx_parts()).items() if name != member]
    with open(path, "wb") as fh:
        central = []

        def local(name: str, crc32: int, csize: int, usize: int) -> None:
            central.append((name, crc32, csize, usize, fh.tell()))
            fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc32, csize, usize,
                                 len(name.encode()), 0) + name.encode())

        for name, comp, crc32, usize in entries:
            local(name, crc32, len(comp), usize)
            fh.write(comp)
        big = len(first) + megabytes * len(block) + len(last)
        local(member, crc, big, size)
        fh.write(first)
        for _ in range(megabytes):
            fh.write(block)
        fh.write(last)
        start = fh.tell()
        for name, crc32, csize, usize, offset in central:
            fh.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc32, csize, usize,
                                 len(name.encode()), 0, 0, 0, 0, 0, offset) + name.encode())
        end = fh.tell()
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - start, start, 0))


def _huge_xml_docx(megabytes: float) -> bytes:
    """Plain, barely compressible paragraphs: no bomb by its ratio, just more XML than the limit allows."""
    digits = bytes(48 + b % 10 for b in range(256))
    text = random.Random(3).randbytes(int(megabytes * 1_000_000)).translate(digits).decode("ascii")
    paras = [f"<w:p><w:r><w:t>{text[i:i + 200]}</w:t></w:r></w:p>" for i in range(0, len(text), 200)]
    return _docx(_document_xml("".join(paras)))


def _long_docx(chars: int) -> bytes:
    para = "<w:p><w:r><w:t>" + "献血" * 500 + "</w:t></w:r></w:p>"
    return _docx(_document_xml(para * (chars // 1000 + 1)))


def _span_docx(span: int) -> bytes:
    cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    return _docx(_document_xml(f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>"))


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _ole(stream_name: str) -> bytes:
    """Enough of an OLE compound file for the format to be recognised: the magic, a header, a directory entry."""
    header = OLE_MAGIC + bytes(16) + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9) + bytes(512 - 32)
    entry = stream_name.encode("utf-16-le").ljust(64, b"\0") + struct.pack("<H", 2 * (len(stream_name) + 1))
    return header + entry.ljust(128, b"\0") + bytes(384)


# ------------------------------------------------------------------------------- HTML, workbook and OFD recipes


def _xlsx(cells: dict) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    for ref, value in cells.items():
        wb.active[ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ods_encrypted() -> bytes:
    manifest = (b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
                b"</manifest:manifest>")
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "META-INF/manifest.xml": manifest,
                 "content.xml": random.Random(5).randbytes(2000)})


OFD_NS = b'xmlns:ofd="http://www.ofdspec.org/2016"'


def _ofd(ofd_xml: bytes, page: bytes = b"") -> bytes:
    doc = (b"<ofd:Document " + OFD_NS + b"><ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/>"
           b"</ofd:Pages></ofd:Document>")
    return _zip({"OFD.xml": ofd_xml, "Doc_0/Document.xml": doc, "Doc_0/Pages/Page_0/Content.xml": page})


def _ofd_root(extra: bytes = b"") -> bytes:
    return (b"<ofd:OFD " + OFD_NS + b"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>"
            + extra + b"</ofd:OFD>")


def _new_format_files(lim: dict) -> dict[str, tuple[bytes, str]]:
    rng = random.Random(13)
    return {
        "damaged.xlsx": (_zip({"xl/workbook.xml": b"<workbook><unclosed", "[Content_Types].xml": b"<Types/>"}),
                         "not a readable XLSX workbook"),
        "encrypted.xlsx": (_ole("EncryptedPackage"), "password-protected Office file"),
        "huge-extent.xlsx": (_xlsx({"A1": "单位", "XFD1048576": 1}), "spans 1048576 rows × 16384 columns"),
        "encrypted.ods": (_ods_encrypted(), "ODS is encrypted"),
        "damaged.xls": (_ole("Workbook") + rng.randbytes(2000), "not a readable XLS workbook"),
        "damaged.ofd": (_zip({"OFD.xml": b"<ofd:OFD><unclosed"}), "OFD part OFD.xml could not be parsed"),
        "encrypted.ofd": (_ofd(_ofd_root(b"<ofd:Encryptions/>")), "OFD is encrypted"),
        "images-only.ofd": (_ofd(_ofd_root(), b"<ofd:Page " + OFD_NS + b"><ofd:Content><ofd:Layer><ofd:ImageObject "
                                 b'ID="2" Boundary="0 0 210 297"/></ofd:Layer></ofd:Content></ofd:Page>'),
                            "OFD has no text"),
        "bad-encoding.html": (b"<html><body><p>" + b"\x81\x20\xff\xfe\x80" * 3 + b"</p></body></html>",
                              "HTML decodes in none of"),
        "deep.html": (b"<div>" * 3000 + "<p>献血</p>".encode() + b"</div>" * 3000, "beyond the parser's limits"),
        "huge-spans.html": ("<table>".encode() + b"".join(b'<tr><td colspan="1000">1</td><td>2</td></tr>'
                                                         for _ in range(600)) + b"</table>", "spans more than"),
        "long.html": (("<p>" + "献血" * (lim["max_chars"] // 2 + 100) + "</p>").encode(),
                      f"over the limit of {lim['max_chars']} (--max-chars)"),
        "furniture-only.htm": ('<html><body><div class="nav">首页</div><div>版权所有 备案号</div></body></html>'.encode(),
                               "no text once navigation"),
    }


# ------------------------------------------------------------------------------------------------ the corpus


def build(folder) -> dict[str, str]:
    """Write every bad file into `folder`; return {name: a substring of the reason it must be refused with}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2024)
    lim = LIMITS
    good_pdf = _pdf(3)
    files: dict[str, tuple[bytes, str]] = {
        "empty.pdf": (b"", "empty file (0 bytes)"),
        "empty.docx": (b"", "empty file (0 bytes)"),
        "truncated.pdf": (good_pdf[: len(good_pdf) * 2 // 3], "PDF is truncated"),
        "no-objects.pdf": (_not_a_pdf_inside(), "not a readable PDF"),
        "random-bytes.pdf": (rng.randbytes(5000), "binary content that is not PDF, DOCX or text"),
        "random-bytes.docx": (rng.randbytes(5000), "binary content that is not PDF, DOCX or text"),
        "damaged-zip.docx": (b"PK\x03\x04" + rng.randbytes(3000), "damaged ZIP container"),
        "not-a-docx.docx": (_zip({"readme.txt": b"hello"}), "ZIP archive that is not a DOCX"),
        "odt-named.docx": (_zip({"content.xml": b"<office:document/>", "mimetype": b"x"}), "OpenDocument"),
        "broken-xml.docx": (_docx(b"<w:document><w:body><w:p>unclosed"), "DOCX XML could not be parsed"),
        "huge-span.docx": (_span_docx(10 ** 9), "spanning 1000000000 columns"),
        "encrypted.pdf": (_encrypted("userpw"), "PDF is encrypted and does not open with an empty password"),
        "scanned.pdf": (_scanned(2), "no text layer (2 pages of images"),
        "legacy.doc": (_ole("WordDocument"), "save it as DOCX"),
        "legacy.wps": (_ole("WordDocument"), "save it as DOCX"),
        "password.docx": (_ole("EncryptedPackage"), "password-protected Office file"),
        "many-pages.pdf": (_pdf(3000, size=(20, 20), text="p"),
                           f"PDF has 3000 pages, over the limit of {lim['max_pages']} (--max-pages)"),
        "huge-page.pdf": (_huge_page(lim["max_chars"] + 50_000),
                          f"PDF page 1 has more than {lim['max_chars']} characters, over the limit (--max-chars)"),
        "form-repeated.pdf": (_form_page(1000, lim["max_chars"] // 1000 + 20),
                              f"PDF page 1 has more than {lim['max_chars']} characters, over the limit (--max-chars)"),
        "huge-xml.docx": (_huge_xml_docx(lim["max_unzipped_bytes"] / 1e6 * 1.2),
                          f"over the limit of {lim['max_unzipped_bytes']} (--max-unzipped-bytes)"),
        "long.docx": (_long_docx(lim["max_chars"] + 10_000),
                      f"characters, over the limit of {lim['max_chars']} (--max-chars)"),
        "long.txt": (("一二三四五六七八九十" * (lim["max_chars"] // 10 + 100)).encode("utf-8"),
                     f"text has {lim['max_chars'] + 1000} characters, over the limit of {lim['max_chars']} (--max-chars)"),
        "oversize.txt": (b"x" * (lim["max_bytes"] + 1), f"over the limit of {lim['max_bytes']} (--max-bytes)"),
        "bad-encoding.txt": ("关于做好2024年无偿献血工作的意见\n".encode("utf-8") + b"\xff\xfe\xfd" * 3 + b"\n",
                             "neither UTF-8, UTF-16 (with BOM) nor GB18030"),
        "nul-inside.txt": (b"notice 2024\n" + b"x" * 500 + b"\x00" + b"y" * 500, "NUL characters"),
    }
    files.update(_new_format_files(lim))
    expected = {}
    for name, (data, reason) in files.items():
        (folder / name).write_bytes(data)
        expected[name] = reason
    _zip_bomb_docx(folder / "zip-bomb.docx", 600)
    expected["zip-bomb.docx"] = "a zip bomb, refused"
    _zip_bomb_docx(folder / "zip-bomb.xlsx", 600, "xl/worksheets/sheet1.xml",
                   {"xl/workbook.xml": b"<workbook/>", "[Content_Types].xml": b"<Types/>"})
    expected["zip-bomb.xlsx"] = "XLSX part xl/worksheets/sheet1.xml would expand"
    dangling = folder / "missing.txt"
    if dangling.is_symlink() or dangling.exists():
        dangling.unlink()
    dangling.symlink_to(folder / "no-such-file-anywhere.txt")
    expected["missing.txt"] = "cannot open: No such file or directory"
    if os.geteuid() != 0:                 # root reads any file, so this case needs an ordinary user
        locked = folder / "no-permission.txt"
        locked.write_bytes(b"2024\n")
        locked.chmod(0)
        expected["no-permission.txt"] = "cannot open: Permission denied"
    return expected


def build_readable(folder) -> dict[str, tuple[str, str]]:
    """Files that look wrong but must be read: {name: (real format, the sample whose rows they must give)}.
    A sample named as another format, and the text samples in every encoding the reader takes."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, tuple[str, str]] = {}
    for name, sample, fmt in [("qingpu-really-docx.pdf", "qingpu-2021.docx", "docx"),
                              ("pudong-really-pdf.docx", "pudong-2024.pdf", "pdf"),
                              ("qingpu-really-text.pdf", "qingpu-2021.txt", "text"),
                              ("qingpu-really-html.txt", "qingpu-2021.html", "html"),
                              ("qingpu-really-xlsx.ods", "qingpu-2021-annex.xlsx", "xlsx"),
                              ("pudong-really-ofd.pdf", "pudong-2024.ofd", "ofd")]:
        (folder / name).write_bytes((SAMPLES / sample).read_bytes())
        out[name] = (fmt, sample)
    text = (SAMPLES / "qingpu-2021.txt").read_text(encoding="utf-8")
    for name, data in [("qingpu-utf8-bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")),
                       ("qingpu-utf16le.txt", b"\xff\xfe" + text.encode("utf-16-le")),
                       ("qingpu-utf16be.txt", b"\xfe\xff" + text.encode("utf-16-be")),
                       ("qingpu-gb18030.txt", text.encode("gb18030")),
                       ("qingpu-crlf.txt", text.replace("\n", "\r\n").encode("utf-8"))]:
        (folder / name).write_bytes(data)
        out[name] = ("text", "qingpu-2021.txt")
    (folder / "encrypted-no-user-password.pdf").write_bytes(_encrypted(""))
    out["encrypted-no-user-password.pdf"] = ("pdf", "")
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/make_bad_files.py DIR")
    for name, reason in build(sys.argv[1]).items():
        print(f"{name}\trefused: {reason}")
    for name, (fmt, sample) in build_readable(sys.argv[1]).items():
        print(f"{name}\tread as {fmt}" + (f", rows as {sample}" if sample else ""))
