"""How much content a PDF's pages make PDFium parse, measured before PDFium loads a page.

PDFium parses a page's whole content when it loads the page, form XObjects included (each form again every time
it is drawn), after inflating every stream it needs in full, and it inflates each inline image whole to find where
its data ends. A few kilobytes can thus make it parse gigabytes: a content stream that inflates five hundred times
(272 KB of file: 2.7 GB and 7 s), forms drawing forms ten times, five deep (3.7 KB: 4.3 GB and 14 s), an inline
image (1.9 MB: 3 GB and 2 s). The bounds on what a page holds (parsers.pdf.MAX_PATH_PARTS, --max-chars) only
apply once the page has loaded, which is too late for these.

So the file's streams are measured first, from its bytes:

1. The quick measure, for every PDF (a millisecond or two for the usual notice). Every stream counts (images too:
   PDFium parses whatever stream a page names as content, whatever its dictionary says): decoded and inflated with
   a bound, a piece at a time (never whole into memory), its `Do` operators counted and its inline images looked
   for. Where no form draws anything and no content holds an inline image, a page's content is no more than all
   the streams together plus, for each `Do`, the largest form. Within MAX_PAGE_CONTENT, the file is fine and
   nothing more is done. The streams, images aside, are also held to MAX_DOCUMENT_STREAMS together: PDFium
   inflates each font program it uses whole.
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
# Inline images one page may hold before it counts as too much: each is a page object (parsers.pdf.MAX_PATH_PARTS
# refuses a page of more than 500,000 once loaded), and each deflated or LZW one is inflated here as PDFium does
# (pdfminer's LZW decoder takes some 40 microseconds an image).
MAX_INLINE_IMAGES = 100_000

# A PDF's delimiters and white space; a token ends at either.
_DELIM = rb"\0\s()<>\[\]{}/%"
# The name right before a Do, white space between (searched up to the Do).
_OPERAND = re.compile(rb"/([^" + _DELIM + rb"]*)[\0\t\n\f\r ]*\Z")
_LENGTH = re.compile(rb"/Length[\s]+(\d{1,12})(?![\s]*\d+[\s]+R)(?=[\s/>])")
# What may stand before and after a keyword (white space, a delimiter, the start or end of the file): `stream` in
# `endstream` or "mainstream" is not the keyword.
_TOKEN_ENDS = {b""} | {bytes([c]) for c in b"\0\t\n\f\r ()<>[]{}/%"}
_OBJECT_NUMBER = re.compile(rb"(?<![^" + _DELIM + rb"])\d{1,10}[\0\t\n\f\r ]+\d{1,5}[\0\t\n\f\r ]+\Z")
_UNPLAIN = re.compile(rb"[()%#]")
# The keys of a stream's dictionary the quick measure reads.
_READ_KEYS = tuple(re.compile(rb"/" + key + rb"(?![^" + _DELIM + rb"])")
                   for key in (b"Filter", b"Length", b"DecodeParms", b"DP", b"Subtype", b"Type", b"F"))
# An inline image's dictionary whose first filter inflates (PDFium decodes the first to find where the data ends).
_INLINE_DEFLATED = re.compile(rb"/(?:F|Filter)[\0\s]*\[?[\0\s]*/(?:Fl|FlateDecode|LZW|LZWDecode)"
                              rb"(?![^" + _DELIM + rb"])")
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
                                 f"of content (compressed, forms drawn within forms, inline images: built to exhaust "
                                 f"memory?): refused")


# ------------------------------------------------------------------------------------------------ the quick measure

class _Stream:
    """A stream of the file, as the quick measure sees it: the bytes of its content, its Do operators, whether it
    holds an inline image (BI: PDFium inflates those as it loads the page)."""

    def __init__(self, header: bytes, body: bytes, filters: list[str]):
        self.header, self.body, self.filters = header, body, filters
        self.form = _may_be_form(header)
        self.image = b"/Image" in header and not self.form
        self.size, self.draws, self.inline = len(body), 0, False

    def measure(self, most: int) -> bool:
        """Decode and inflate it (up to `most` bytes), counting its Do operators; False where damaged."""
        body = self.body
        inflate = self.filters[-1:] == ["flate"]
        try:
            for kind in self.filters[:-1] if inflate else self.filters:
                if kind != "image":
                    body = _ascii_decoded(body, kind)
        except ValueError:                       # what PDFium makes of it is left to the walk
            self.size, self.draws = len(self.body), len(self.body) // 2
            return False
        self.size, self.draws, self.inline = _inflate_and_count(body, inflate, most)
        return True


def quick_bound(data: bytes) -> float:
    """The most content any one page could make PDFium parse, from the file's streams alone; infinity where the
    streams do not settle it (forms drawing forms, filters or dictionaries not read here, a ciphered file).
    UnreadableFile when the streams, images aside, inflate past MAX_DOCUMENT_STREAMS."""
    streams, settled = _measurable_streams(data)
    total = 0                                    # images aside: PDFium decodes an image when it draws it
    for stream in streams:
        settled &= stream.measure(MAX_DOCUMENT_STREAMS - total)
        settled &= not stream.inline and not (stream.form and stream.draws)
        total += 0 if stream.image else stream.size
        if total > MAX_DOCUMENT_STREAMS:
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
    for header, body in _streams(data):
        if header is None:
            settled = False
            continue
        if _XREF.search(header):
            settled &= not _encrypts(header)
            continue                             # an index, no content
        filters = _filters(header)
        if filters is None or (filters[-1:] == ["image"] and len(filters) > 1):
            settled = False                      # a picture in ASCII: decoded in Python only by the walk, if drawn
            continue
        settled &= not _PARAMS.search(header)    # predictors: sizes near enough, but Do counted on their output
        out.append(_Stream(header, body, filters))
    return out, settled


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
    """Base-85 (Adobe's, without its delimiters) decoded all groups at once: each of a group's five digits is put
    in an eight-byte lane of one large integer, so that Python's integer arithmetic computes every group's
    value side by side (85**5 < 2**64: no lane carries into the next), and the low four bytes of each lane are
    the group's bytes. base64.a85decode gives the same, a character at a time, some twenty times slower."""
    text = text.replace(b"z", b"!!!!!")
    if text.translate(None, bytes(range(33, 118))):
        raise ValueError("not base-85")
    short = -len(text) % 5
    digits = (text + b"u" * short).translate(_A85_DIGITS)
    groups = len(digits) // 5
    value = 0
    for place in range(5):
        lanes = bytearray(groups * 8)
        lanes[7::8] = digits[place::5]
        value = value * 85 + int.from_bytes(lanes, "big")
    packed = value.to_bytes(groups * 8, "big")
    if any(packed[i::8].count(0) != groups for i in range(4)):
        raise ValueError("base-85 group past 2**32")
    out = bytearray(groups * 4)
    for i in range(4):
        out[i::4] = packed[4 + i::8]
    return bytes(out[:groups * 4 - short])


def _trailers(data: bytes) -> Iterator[bytes]:
    """The text after each `trailer`, up to the next `trailer` or `startxref`."""
    startxref = _Next(data, b"startxref")
    at = data.find(b"trailer")
    while at >= 0:
        following = data.find(b"trailer", at + 7)
        yield data[at + 7:min(following if following >= 0 else len(data), startxref.after(at + 7))]
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


def _inflate_and_count(body: bytes, flate: bool, most: int) -> tuple[int, int, bool]:
    """(bytes, Do operators, whether it may hold an inline image) of a stream's content, inflated piece by piece up
    to `most` bytes (past it, the size returned is past it). Every "Do" counts, in a name or a string too: more
    than PDFium draws, never fewer."""
    size = draws = 0
    inline = False
    last = b""
    for piece in _pieces(body, flate, most):
        size += len(piece)
        draws += piece.count(b"Do") + (last == b"D" and piece[:1] == b"o")
        inline = inline or _begins_image(last + piece)
        last = piece[-1:]
    return size, draws, inline


def _pieces(body: bytes, flate: bool, most: int) -> Iterator[bytes]:
    """A stream's content in pieces of at most _CHUNK bytes, until past `most`: the body itself, or inflated, input
    fed a piece at a time (so nothing is copied twice). Where the deflate data is damaged, what inflated before the
    damage and then the raw body: PDFium parses the raw bytes of a stream that does not inflate, and counting both
    never counts less."""
    if not flate:
        yield from (body[i:i + _CHUNK] for i in range(0, min(len(body), most + _CHUNK), _CHUNK))
        return
    inflater = zlib.decompressobj()
    size = 0
    view = memoryview(body)
    try:
        for at, end in _input_pieces(len(body)):
            pending = view[at:end]
            while pending and size <= most and not inflater.eof:
                piece = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                size += len(piece)
                yield piece
            if size > most or inflater.eof:
                return
    except zlib.error:
        yield from _pieces(body, False, most - size)


def _input_pieces(length: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the pieces deflate data is fed in: 1 KB, then twice as much each time up to _CHUNK. zlib
    copies what it is given past the end of the data, so an inline image, inflated from where it starts to the end
    of its content stream, costs about its own size, not the rest of the stream."""
    at, size = 0, 1024
    while at < length:
        yield at, at + size
        at, size = at + size, min(size * 2, _CHUNK)


def _begins_image(content: bytes) -> bool:
    """Does the content hold a BI operator (an inline image begins)? A "BI" inside a word is not one."""
    return next(_inline_images(content), -1) >= 0


def _inline_images(content: bytes) -> Iterator[int]:
    """Where each BI operator of a content stream ends."""
    return _operators(content, b"BI")


def _operators(content: bytes, name: bytes) -> Iterator[int]:
    """Where each operator `name` of a content stream ends (not the same letters inside a longer word)."""
    at = content.find(name)
    while at >= 0:
        end = at + len(name)
        if content[at - 1:at] in _TOKEN_ENDS and content[end:end + 1] in _TOKEN_ENDS:
            yield end
        at = content.find(name, end)


def _streams(data: bytes) -> Iterator[tuple[Optional[bytes], bytes]]:
    """(header, body) of every stream keyword in the file. The header is the dictionary before it, from its object's
    `N G obj`; None where that is not a plain dictionary (strings, comments or escapes in it or around its object's
    header, no object header, a body whose /Length runs past the next stream), which the quick measure leaves to
    the walk rather than guess what PDFium would make of it. A body is what its /Length gives where `endstream`
    follows it, else up to the next `endstream`; never past the next stream's keyword, so that no byte is read
    twice."""
    keywords = list(_keywords(data))
    endstream = _Next(data, b"endstream")
    previous = 0
    for at, following in zip(keywords, keywords[1:] + [len(data)]):
        obj = _last_obj(data, previous, at)
        previous = at + 6
        header = data[obj:at] if obj >= 0 else None
        start = _body_start(data, at + 6, following)
        stated = _stated_end(data, header or b"", start)
        end = min(stated if stated is not None else endstream.after(start), following)
        # a body whose /Length is not stated plainly (a reference, or wrong) may hold what looks like another
        # stream: where PDFium ends it is left to the walk
        plain = header is not None and stated is not None and stated <= following and _plain(data, obj, header)
        yield (header if plain else None), data[max(start, 0):end] if start >= 0 else b""


def _keywords(data: bytes) -> Iterator[int]:
    """Where each `stream` keyword stands (not `stream` inside `endstream` or another word)."""
    at = data.find(b"stream")
    while at >= 0:
        if data[at - 1:at] in _TOKEN_ENDS and data[at + 6:at + 7] in _TOKEN_ENDS:
            yield at
        at = data.find(b"stream", at + 6)


class _Next:
    """The next place of a word after a position, for positions that only grow: each search starts where the last
    one found, so the file is searched once."""

    def __init__(self, data: bytes, word: bytes):
        self.data, self.word, self.found = data, word, -1

    def after(self, position: int) -> int:
        if self.found < position:
            found = self.data.find(self.word, position)
            self.found = len(self.data) if found < 0 else found
        return self.found


# A line (of a stream's keyword, or of its object's header) is looked at this far, no further.
_LINE = 4096


def _plain(data: bytes, obj: int, header: bytes) -> bool:
    """A dictionary the quick measure reads as PDFium would: one level (a key inside a nested dictionary, such as a
    /Filter in /DecodeParms, is not the stream's), each key it reads once, no strings, comments or escapes in it,
    and no comment on its object's line."""
    lo = max(obj - _LINE, 0)
    line = data[max(data.rfind(b"\n", lo, obj), data.rfind(b"\r", lo, obj), lo):obj]
    inner = header.strip(b"\0\t\n\f\r ")
    return (not _UNPLAIN.search(header) and b"%" not in line and inner.startswith(b"<<") and inner.endswith(b">>")
            and inner.count(b"<<") == 1 and inner.count(b">>") == 1
            and all(len(key.findall(inner)) <= 1 for key in _READ_KEYS))


def _body_start(data: bytes, keyword_end: int, stop: int) -> int:
    """Where a stream's body starts: after the end of the line its keyword ends (as PDFium reads it); -1 where that
    line does not end within _LINE bytes, or before the next stream."""
    if data[keyword_end:keyword_end + 2] == b"\r\n":
        return keyword_end + 2
    limit = min(keyword_end + _LINE, stop)
    ends = [e for e in (data.find(b"\n", keyword_end, limit), data.find(b"\r", keyword_end, limit)) if e >= 0]
    return min(ends) + 1 if ends else -1


def _last_obj(data: bytes, lo: int, hi: int) -> int:
    """Where the dictionary of a stream whose keyword stands at `hi` starts: after the last `N G obj` between `lo`
    and `hi`; -1 where there is none."""
    at = data.rfind(b"obj", lo, hi)
    while at >= 0 and not _OBJECT_NUMBER.search(data, max(at - 24, 0), at):
        at = data.rfind(b"obj", lo, at)
    return at + 3 if at >= 0 else -1


def _stated_end(data: bytes, header: bytes, start: int) -> Optional[int]:
    """Where the body ends by its /Length, if `endstream` follows there (as PDFium checks it); else None."""
    m = _LENGTH.search(header)
    if not m or start < 0:
        return None
    end = start + int(m.group(1))
    if end <= len(data) and data[end:end + 32].lstrip(b"\r\n\t\f\x00 ").startswith(b"endstream"):
        return end
    return None


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
        total = len(content) + _inline_image_content(content, self.most)
        for name, times in _draws(content).items():
            if total > self.most:
                break
            each = (self._form(_xobject(resources, name), resources, inside) if name is not None
                    else max((self._form(ref, resources, inside) for ref in _xobjects(resources)), default=0))
            total += times * each
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


def _inline_image_content(content: bytes, most: int) -> int:
    """What PDFium inflates of a content stream's inline images as it loads the page (it inflates each deflated
    or LZW one whole to find where its data ends, and reads on after what it consumed): each counted up to
    `most` + 1 bytes, until the total passes. A BI inside what an image consumed is data, not an operator."""
    total = 0
    view = memoryview(content)
    data_marks = _operators(content, b"ID")
    data_at = resume = -1
    for count, begin in enumerate(_inline_images(content)):
        if count >= MAX_INLINE_IMAGES:
            return most + 1
        if begin < resume:
            continue                             # inside the last image's dictionary or data
        while data_at < begin:
            data_at = next(data_marks, len(content))
        if data_at >= len(content) or total > most:
            break
        resume = data_at
        header = _unescape(content[begin:data_at - 2])
        if _INLINE_DEFLATED.search(header):
            measure = _lzw_measure if b"/LZW" in header else _inflate_measure
            size, consumed = measure(view[data_at + 1:], most)
            total += size
            resume = data_at + 1 + consumed
    return total


def _inflate_measure(data, most: int) -> tuple[int, int]:
    """(bytes inflated, up to a little past `most`; bytes of input consumed) of deflate data that may run on into
    other bytes: where it is damaged, all that is left counts, both ways (PDFium's reading of it is not known)."""
    inflater = zlib.decompressobj()
    size = fed = 0
    try:
        for at, end in _input_pieces(len(data)):
            pending = data[at:end]
            fed = min(end, len(data))
            while pending and size <= most and not inflater.eof:
                size += len(inflater.decompress(pending, _CHUNK))
                pending = inflater.unconsumed_tail
            if size > most or inflater.eof:
                break
    except zlib.error:
        return size + len(data), len(data)
    return size, fed - len(inflater.unused_data) - len(inflater.unconsumed_tail)


def _lzw_measure(data, most: int) -> tuple[int, int]:
    reader = _Reader(data)
    return len(_lzw(reader, most)), reader.at


def _xobject(resources, name: str):
    return _xobject_dict(resources).get(name)


def _xobjects(resources) -> list:
    return list(_xobject_dict(resources).values())


def _xobject_dict(resources) -> dict:
    from pdfminer.pdftypes import resolve1
    resources = resolve1(resources)
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    return xobjects if isinstance(xobjects, dict) else {}


def _name(value) -> str:
    from pdfminer.pdftypes import resolve1
    value = resolve1(value)
    return getattr(value, "name", value if isinstance(value, str) else "")


def _draws(content: bytes) -> dict:
    """{name: times} of the Do operators in a content stream, names with their # escapes decoded as PDFium decodes
    them; None for a Do whose operand is not a name standing right before it (a comment between, say): it is
    counted as the largest form its resources name. Each Do looks back only as far as the one before it."""
    counts: dict = {}
    previous = 0
    for end in _operators(content, b"Do"):
        m = _OPERAND.search(content, previous, end - 2)
        previous = end
        key = _unescape(m.group(1)).decode("latin-1") if m else None
        counts[key] = counts.get(key, 0) + 1
    return counts


def _decoded(stream, most: int) -> bytes:
    """A stream's content as PDFium parses it, never past most + 1 bytes: deciphered, then through its filters
    (inflate, LZW and run-length bounded; ASCII hex and base-85, which shrink, by pdfminer; predictors after each).
    PDFium hands on what it has at an image codec or a filter it does not know, and the raw bytes of a stream whose
    filters fail (a measured fact: a stream marked deflated but written plain is parsed as it stands)."""
    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    raw = stream.rawdata if stream.rawdata is not None else stream.data
    if stream.decipher:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    data = raw
    try:
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
            elif kind in ("RunLengthDecode", "RL"):
                data = _run_length(data, most)
            else:
                break                            # an image codec, or a filter PDFium does not know
            data = _predicted(data, params)[:most + 1]
    except Exception:                            # pdfminer's decoders on damaged data
        data = raw
    return data[:most + 1]


def _inflate(data: bytes, most: int) -> bytes:
    """Inflated up to most + 1 bytes (with the raw bytes after, where the deflate data is damaged: _pieces)."""
    out = bytearray()
    for piece in _pieces(data, True, most):
        out += piece
    return bytes(out[:most + 1])


def _run_length(data: bytes, most: int) -> bytes:
    from pdfminer.runlength import rldecode
    return rldecode(data) if len(data) * 128 <= most else b" " * (most + 1)     # 128 times at most


def _lzw(data, most: int) -> bytes:
    """LZW decoded by pdfminer's decoder, piece by piece, up to most + 1 bytes (what decoded before any damage).
    `data`: bytes, a memoryview, or a _Reader over them (which then tells how much was read)."""
    from pdfminer.lzw import LZWDecoder
    out = bytearray()
    try:
        for piece in LZWDecoder(data if isinstance(data, _Reader) else _Reader(data)).run():
            out += piece
            if len(out) > most:
                break
    except Exception:                        # a damaged LZW stream: what decoded before the damage
        pass
    return bytes(out)


class _Reader:
    """A file over bytes or a memoryview of them that copies only what is read (io.BytesIO copies it all)."""

    def __init__(self, data):
        self.view, self.at = memoryview(data), 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.view) if n < 0 else self.at + n
        piece = bytes(self.view[self.at:end])
        self.at += len(piece)
        return piece


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
