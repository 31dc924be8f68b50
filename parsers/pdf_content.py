"""How much content a PDF's pages make PDFium parse, measured before PDFium loads a page.

PDFium parses a page's whole content when it loads the page, form XObjects included (each form again every time
it is drawn), after inflating every stream it needs in full. A few kilobytes can thus make it parse gigabytes: a
content stream that inflates five hundred times (272 KB of file: 2.7 GB and 7 s), or forms drawing forms ten times,
five deep (3.7 KB: 4.3 GB and 14 s). The bounds on what a page holds (parsers.pdf.MAX_PATH_PARTS, --max-chars) only
apply once the page has loaded, which is too late for these.

So the file's streams are measured first, from its bytes:

1. The quick measure, for every PDF (about a millisecond for the usual notice). Every stream counts (images too:
   PDFium parses whatever stream a page names as content, whatever its dictionary says), at first as the most its
   length and filters allow (deflate: 1,032 times), then, the largest first and only while that is too much,
   inflated with a bound (never whole into memory) and its `Do` operators counted. Where no form draws anything,
   a page's content is no more than all the streams together plus, for each `Do`, the largest form. Within
   MAX_PAGE_CONTENT, the file is fine and nothing more is done. The streams, images aside, are also held to
   MAX_DOCUMENT_STREAMS together: PDFium inflates each font program it uses whole.
2. Otherwise (forms that draw, filters or dictionaries the quick measure does not read, a ciphered file) the pages
   are walked with pdfminer (which pdfplumber brings): each page's content streams and the forms its resources
   name, each form measured once and counted each time it is drawn. A page over MAX_PAGE_CONTENT is refused.

Where pdfminer cannot make sense of a file that PDFium can, nothing is refused by the walk, and the bounds that
apply as a page loads are what is left. Both measures count more than PDFium parses (a "Do" inside a name, a
string or a comment counts too), never less.
"""
from __future__ import annotations

import re
import zlib
from typing import Iterator, Optional

from .model import UnreadableFile

# The content one page may make PDFium parse, its forms counted each time they are drawn. PDFium holds some twenty
# bytes for each byte of content it parses (140 MB of lines: 2.7 GB), so this is some 320 MB at most. A page over it
# would be refused anyway once loaded: 16 MB is three million path segments (parsers.pdf.MAX_PATH_PARTS: 500,000)
# or some million characters; the samples' largest page has 7 KB.
MAX_PAGE_CONTENT = 16 << 20
# The streams of a whole file, images aside, inflated to more than this are refused without further measure:
# PDFium inflates each font and each content stream it uses whole. A complete CJK font is 10 to 30 MB.
MAX_DOCUMENT_STREAMS = 256 << 20
_CHUNK = 4 << 20
# Forms drawn within forms are followed this deep; deeper counts as too much, as does a form drawn within itself
# (PDFium draws it again at every level down to a depth of its own: a form drawing itself twice took minutes).
MAX_FORM_DEPTH = 100

# A PDF's delimiters and white space; a token ends at either.
_DELIM = rb"\0\s()<>\[\]{}/%"
_NAMED_DO = re.compile(rb"/([^" + _DELIM + rb"]*)(?:[\s]|%[^\r\n]*)*Do(?![^" + _DELIM + rb"])")
_LENGTH = re.compile(rb"/Length[\s]+(\d{1,12})(?![\s]*\d+[\s]+R)(?=[\s/>])")
# What may stand before and after a keyword (white space, a delimiter, the start or end of the file): `stream` in
# `endstream` or "mainstream" is not the keyword.
_TOKEN_ENDS = {b""} | {bytes([c]) for c in b"\0\t\n\f\r ()<>[]{}/%"}
_OBJECT_NUMBER = re.compile(rb"(?<![^" + _DELIM + rb"])\d{1,10}[\0\t\n\f\r ]+\d{1,5}[\0\t\n\f\r ]+\Z")
_UNPLAIN = re.compile(rb"[()%#]")
_ESCAPED_NAME = re.compile(rb"/[^" + _DELIM + rb"]*#")
_PARAMS = re.compile(rb"/(?:DecodeParms|DP)(?![^" + _DELIM + rb"])")
_XREF = re.compile(rb"/Type[\s]*/XRef(?![^" + _DELIM + rb"])")
_FILTER = re.compile(rb"/Filter[\s]*(/[^" + _DELIM + rb"]+|\[[\s]*(?:/[^" + _DELIM + rb"]+[\s]*)*\])")
_FILTER_KINDS = {b"FlateDecode": "flate", b"Fl": "flate", b"ASCII85Decode": "a85", b"A85": "a85",
                 b"ASCIIHexDecode": "hex", b"AHx": "hex", b"DCTDecode": "image", b"DCT": "image",
                 b"JPXDecode": "image", b"CCITTFaxDecode": "image", b"CCF": "image", b"JBIG2Decode": "image"}


def check(data: bytes) -> None:
    """UnreadableFile when a page of this PDF would make PDFium parse more than MAX_PAGE_CONTENT, or its streams
    inflate past MAX_DOCUMENT_STREAMS. Most files are settled by the quick measure alone."""
    if quick_bound(data) <= MAX_PAGE_CONTENT:
        return
    pages = page_content(data, MAX_PAGE_CONTENT)
    for number, size in enumerate(pages or [], start=1):
        if size > MAX_PAGE_CONTENT:
            raise UnreadableFile(f"PDF page {number} makes its reader parse more than {MAX_PAGE_CONTENT >> 20} MB "
                                 f"of content (compressed, or forms drawn within forms: built to exhaust memory?): "
                                 f"refused")


# ------------------------------------------------------------------------------------------------ the quick measure

# Deflate writes at most one byte for every 1,032 it stands for; ASCII base-85 five characters for four bytes, hex
# two for one. A stream's content is thus at most its bytes times these, before it is inflated to be measured. An
# image codec (JPEG, JPEG 2000, fax, JBIG2) is not decoded for content: PDFium hands on the bytes before it.
_EXPANDS = {"flate": 1032, "a85": 0.8, "hex": 0.5, "image": 1}


class _Stream:
    """A stream of the file, as the quick measure sees it: at first only the most its content can be (from its
    length and filters), then, once inflated, what it is."""

    def __init__(self, header: bytes, body: bytes, filters: list[str]):
        self.header, self.body, self.filters = header, body, filters
        self.form = _may_be_form(header)
        self.image = b"/Image" in header and not self.form
        self.size = len(body)
        for kind in filters:
            self.size = int(self.size * _EXPANDS[kind]) + 1
        self.draws = self.size // 2              # every two bytes a "Do", at most
        self.measured = False

    def measure(self, most: int) -> bool:
        """Decode and inflate it (up to `most` bytes), counting its Do operators; False where damaged."""
        body = self.body
        inflate = self.filters[-1:] == ["flate"]
        self.measured = True
        try:
            for kind in self.filters[:-1] if inflate else self.filters:
                if kind != "image":
                    body = _ascii_decoded(body, kind)
        except ValueError:                       # what PDFium makes of it is left to the walk
            self.size, self.draws = len(self.body), len(self.body) // 2
            return False
        self.size, self.draws = _inflate_and_count(body, inflate, most)
        return True


def quick_bound(data: bytes) -> float:
    """The most content any one page could make PDFium parse, from the file's streams alone; infinity where the
    streams do not settle it (forms drawing forms, filters or dictionaries not read here, a ciphered file).
    UnreadableFile when the streams, images aside, inflate past MAX_DOCUMENT_STREAMS. Streams are inflated only as
    far as needed to settle both, the largest first (a notice's content streams, set against its fonts, seldom need
    it; those in ASCII, decoded in Python, after the others)."""
    streams, settled = _measurable_streams(data)
    for form in (s for s in streams if s.form):          # forms first: whether one draws decides
        settled &= form.measure(MAX_DOCUMENT_STREAMS) and not form.draws
    for s in sorted((s for s in streams if not s.form), key=lambda s: (s.filters[:1] in (["a85"], ["hex"]), -s.size)):
        if _total(streams) <= MAX_DOCUMENT_STREAMS and (not settled or _bound(streams) <= MAX_PAGE_CONTENT):
            break
        settled &= s.measure(MAX_DOCUMENT_STREAMS)
    if _total(streams) > MAX_DOCUMENT_STREAMS:         # every stream measured by now
        raise UnreadableFile(f"PDF streams inflate to more than {MAX_DOCUMENT_STREAMS >> 20} MB, images aside "
                             f"(built to exhaust memory?): refused")
    if not settled or any(_encrypts(trailer) for trailer in _trailers(data)):
        return float("inf")                      # the walk decides (and deciphers a ciphered file's streams)
    return _bound(streams)


def _measurable_streams(data: bytes) -> tuple[list[_Stream], bool]:
    """The file's streams the quick measure can decode (indexes aside), and whether they are all of them: False
    where a stream has filters it does not decode (LZW, run-length, predictors), or a dictionary it does not read
    plainly, or an index names a cipher."""
    out, settled = [], True
    for header, start in _streams(data):
        if header is None:
            settled = False
            continue
        if _XREF.search(header):
            settled &= not _encrypts(header)
            continue                             # an index, no content
        filters = _filters(header)
        if filters is None:
            settled = False
            continue
        settled &= not _PARAMS.search(header)    # predictors: sizes near enough, but Do counted on their output
        out.append(_Stream(header, data[start:_body_end(data, header, start)], filters))
    return out, settled


def _total(streams: list[_Stream]) -> int:
    """What the streams inflate to, images aside (PDFium decodes an image when it draws it, within the render bound)."""
    return sum(s.size for s in streams if not s.image)


def _bound(streams: list[_Stream]) -> int:
    """All the streams together (images too: a stream is parsed as content whatever its dictionary says), and for
    each Do outside a form the largest form (no form draws, by then)."""
    largest_form = max((s.size for s in streams if s.form), default=0)
    return sum(s.size for s in streams) + sum(s.draws for s in streams if not s.form) * largest_form


def _filters(header: bytes) -> Optional[list[str]]:
    """A stream's filters, in order, where the quick measure decodes each (ASCII hex or base-85, then at most one
    inflate, last); None where it does not."""
    m = _FILTER.search(header)
    if not m:
        return None if b"/Filter" in header else []
    names = [_FILTER_KINDS.get(n) for n in re.findall(rb"/([^" + _DELIM + rb"]+)", m.group(1))]
    if None in names or "flate" in names[:-1]:
        return None
    return names


def _ascii_decoded(body: bytes, kind: str) -> bytes:
    """ASCII hex or base-85 decoded (each only shrinks what it decodes); ValueError where damaged."""
    import binascii
    text = body.translate(None, b" \t\n\r\f\0")
    if kind == "hex":
        text = text.split(b">", 1)[0]
        try:
            return binascii.unhexlify(text + b"0" * (len(text) % 2))
        except binascii.Error as exc:
            raise ValueError(str(exc)) from exc
    return _a85(text.split(b"~>", 1)[0])


_A85_DIGITS = bytes((c - 33) % 256 for c in range(256))


def _a85(text: bytes) -> bytes:
    """Base-85 (Adobe's, without its delimiters), five characters to four bytes at a time: base64.a85decode's
    work without its character-by-character loop."""
    import struct
    text = text.replace(b"z", b"!!!!!")
    if text.translate(None, bytes(range(33, 118))):
        raise ValueError("not base-85")
    short = -len(text) % 5
    digits = (text + b"u" * short).translate(_A85_DIGITS)
    words = [(((a * 85 + b) * 85 + c) * 85 + d) * 85 + e
             for a, b, c, d, e in zip(digits[0::5], digits[1::5], digits[2::5], digits[3::5], digits[4::5])]
    try:
        return struct.pack(f">{len(words)}I", *words)[:len(words) * 4 - short]
    except struct.error as exc:                  # a group past 2**32
        raise ValueError(str(exc)) from exc


def _trailers(data: bytes) -> Iterator[bytes]:
    """The text after each `trailer`, up to the next `trailer` or `startxref`."""
    at = data.find(b"trailer")
    while at >= 0:
        following = data.find(b"trailer", at + 7)
        stop = data.find(b"startxref", at + 7)
        ends = [e for e in (following, stop) if e >= 0]
        yield data[at + 7:min(ends) if ends else len(data)]
        at = following


def _encrypts(dictionary: bytes) -> bool:
    """Does a trailer (or an index stream's dictionary) name an /Encrypt entry, its # escapes decoded?"""
    return b"/Encrypt" in _unescape(dictionary)


def _unescape(name: bytes) -> bytes:
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda h: bytes([int(h.group(1), 16)]), name) if b"#" in name else name


def _may_be_form(header: bytes) -> bool:
    """A stream that is, or might be, a form XObject: its header says /Form, or hides its names in # escapes or
    its subtype behind a reference."""
    return (b"/Form" in header or _ESCAPED_NAME.search(header) is not None
            or re.search(rb"/Subtype[\s]*\d", header) is not None)


def _inflate_and_count(body: bytes, flate: bool, most: int) -> tuple[int, int]:
    """(bytes, Do operators) of a stream's content, inflated piece by piece up to `most` bytes (past it, the size
    returned is past it). Every "Do" counts, in a name or a string too: more than PDFium draws, never fewer. A
    damaged deflate stream counts as what inflated before the damage (as PDFium reads it)."""
    if not flate:
        return len(body), body.count(b"Do")
    inflater = zlib.decompressobj()
    size = draws = 0
    last = b""
    pending = body
    while size <= most:
        try:
            piece = inflater.decompress(pending, _CHUNK)
        except zlib.error:
            break
        if not piece:
            break
        size += len(piece)
        draws += piece.count(b"Do") + (last == b"D" and piece[:1] == b"o")
        last = piece[-1:]
        pending = inflater.unconsumed_tail
    return size, draws


def _streams(data: bytes) -> Iterator[tuple[Optional[bytes], int]]:
    """(header, start of body) of every stream keyword in the file: the header is the dictionary before it, from its
    object's `N G obj`; None where that is not a plain dictionary (strings, comments or escapes in it or around its
    object's header, or no object header at all), which the quick measure leaves to the walk rather than guess
    what PDFium would make of it. Headers do not overlap, so the file is read once."""
    previous = 0
    at = data.find(b"stream")
    while at >= 0:
        end = at + 6
        if data[at - 1:at] in _TOKEN_ENDS and data[end:end + 1] in _TOKEN_ENDS:     # the keyword, not in a word
            obj = _last_obj(data, previous, at)
            previous = end
            header = data[obj:at] if obj >= 0 else None
            yield (header if header is not None and _plain(data, obj, header) else None), _body_start(data, end)
        at = data.find(b"stream", end)


def _plain(data: bytes, obj: int, header: bytes) -> bool:
    line = data[max(data.rfind(b"\n", 0, obj), data.rfind(b"\r", 0, obj), 0):obj]
    inner = header.strip(b"\0\t\n\f\r ")
    return (not _UNPLAIN.search(header) and b"%" not in line and inner.startswith(b"<<") and inner.endswith(b">>")
            and inner.count(b"<<") == inner.count(b">>"))


def _body_start(data: bytes, keyword_end: int) -> int:
    """Where a stream's body starts: after the end of the line its keyword ends (as PDFium reads it)."""
    if data[keyword_end:keyword_end + 2] == b"\r\n":
        return keyword_end + 2
    ends = [e for e in (data.find(b"\n", keyword_end), data.find(b"\r", keyword_end)) if e >= 0]
    return min(ends) + 1 if ends else len(data)


def _last_obj(data: bytes, lo: int, hi: int) -> int:
    """Where the dictionary of a stream whose keyword stands at `hi` starts: after the last `N G obj` between `lo`
    and `hi`; -1 where there is none."""
    at = data.rfind(b"obj", lo, hi)
    while at >= 0 and not _OBJECT_NUMBER.search(data, max(at - 24, 0), at):
        at = data.rfind(b"obj", lo, at)
    return at + 3 if at >= 0 else -1


def _body_end(data: bytes, header: bytes, start: int) -> int:
    m = _LENGTH.search(header)
    if m:
        end = start + int(m.group(1))
        if end <= len(data) and data[end:end + 32].lstrip(b"\r\n\t\f\x00 ").startswith(b"endstream"):
            return end
    end = data.find(b"endstream", start)
    return len(data) if end < 0 else end


# ------------------------------------------------------------------------------------------------ the walk


def page_content(data: bytes, most: int) -> Optional[list[int]]:
    """The content each page makes PDFium parse, counted up to a little past `most`; None where pdfminer cannot
    read the file's structure."""
    import io
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        walk = _Walk(most)
        return [walk.page(page) for page in PDFPage.create_pages(document)]
    except UnreadableFile:
        raise
    except Exception:                        # pdfminer's many ways of failing on a damaged file
        return None


class _Walk:
    """Each form measured once (its own content and, for each Do, what it draws), then counted each time drawn."""

    def __init__(self, most: int):
        self.most = most
        self.forms: dict = {}                 # (form id, resources id) -> its content, its forms included

    def page(self, page) -> int:
        from pdfminer.pdftypes import resolve1
        contents = page.contents if isinstance(page.contents, list) else [page.contents]
        total = 0
        for stream in contents:
            total += self._stream_content(resolve1(stream), page.resources, ())
            if total > self.most:
                break
        return total

    def _stream_content(self, stream, resources, inside: tuple) -> int:
        """A content stream's bytes plus, for each Do of a form its resources name, that form's content."""
        from pdfminer.pdftypes import PDFStream
        if not isinstance(stream, PDFStream):
            return 0
        content = _decoded(stream, self.most)
        total = len(content)
        for name, times in _draws(content).items():
            if total > self.most:
                break
            total += times * self._form(_xobject(resources, name), resources, inside)
        return total

    def _form(self, ref, resources, inside: tuple) -> int:
        from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
        form = resolve1(ref)
        if not isinstance(form, PDFStream) or _name(form.attrs.get("Subtype")) != "Form":
            return 0
        own = resolve1(form.attrs.get("Resources")) or resources
        key = (ref.objid if isinstance(ref, PDFObjRef) else id(form), id(own))
        if key in inside or len(inside) >= MAX_FORM_DEPTH:
            return self.most + 1             # PDFium draws a form within itself again, level after level

        if key not in self.forms:
            self.forms[key] = min(self._stream_content(form, own, inside + (key,)), self.most + 1)
        return self.forms[key]


def _xobject(resources, name: str):
    from pdfminer.pdftypes import resolve1
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return None
    xobjects = resolve1(resources.get("XObject"))
    return xobjects.get(name) if isinstance(xobjects, dict) else None


def _name(value) -> str:
    from pdfminer.pdftypes import resolve1
    value = resolve1(value)
    return getattr(value, "name", value if isinstance(value, str) else "")


def _draws(content: bytes) -> dict:
    """{name: times} of the Do operators in a content stream (names with their # escapes decoded, as PDFium
    decodes them)."""
    counts: dict = {}
    for m in _NAMED_DO.finditer(content):
        key = _unescape(m.group(1)).decode("latin-1")
        counts[key] = counts.get(key, 0) + 1
    return counts


def _decoded(stream, most: int) -> bytes:
    """A stream's content, deciphered and decoded as PDFium would, never past most + 1 bytes: inflated with a
    bound; ASCII hex and base-85 (which shrink) by pdfminer; LZW by pdfminer's decoder, piece by piece with the same
    bound; run-length bounded by the most it can expand (128 times); predictors applied after. A stream no filter
    here decodes counts as empty (PDFium cannot parse it as content either)."""
    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    data = stream.rawdata if stream.rawdata is not None else stream.data
    if stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for f, params in stream.get_filters():
        kind = _name(f)
        if kind in ("FlateDecode", "Fl"):
            data = _inflate(data, most)
        elif kind in ("ASCIIHexDecode", "AHx"):
            data = asciihexdecode(data)
        elif kind in ("ASCII85Decode", "A85"):
            data = ascii85decode(data)
        elif kind in ("LZWDecode", "LZW"):
            data = _lzw(data, most)
        elif kind in ("RunLengthDecode", "RL") and len(data) * 128 <= most:
            from pdfminer.runlength import rldecode
            data = rldecode(data)
        else:
            return b"" if kind not in ("RunLengthDecode", "RL") else b" " * (most + 1)
        data = _predicted(data, params)[:most + 1]
    return data[:most + 1]


def _inflate(data: bytes, most: int) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, most + 1)
    except zlib.error:
        return b""


def _lzw(data: bytes, most: int) -> bytes:
    import io
    from pdfminer.lzw import LZWDecoder
    out = bytearray()
    try:
        for piece in LZWDecoder(io.BytesIO(data)).run():
            out += piece
            if len(out) > most:
                break
    except Exception:                        # a damaged LZW stream: what decoded before the damage
        pass
    return bytes(out)


def _predicted(data: bytes, params) -> bytes:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import apply_png_predictor, apply_tiff_predictor
    params = resolve1(params)
    if not isinstance(params, dict) or resolve1(params.get("Predictor", 1)) in (None, 1):
        return data
    try:
        predictor = int(resolve1(params["Predictor"]))
        colors, columns, bits = (int(resolve1(params.get(k, d))) for k, d in
                                 (("Colors", 1), ("Columns", 1), ("BitsPerComponent", 8)))
        if predictor == 2:
            return apply_tiff_predictor(colors, columns, bits, data)
        return apply_png_predictor(predictor, colors, columns, bits, data) if predictor >= 10 else data
    except Exception:                        # parameters PDFium would refuse too
        return data
