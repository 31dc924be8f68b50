"""Born-digital PDF into the document model, with PDFium (pypdfium2): the default PDF reader.

PDFium parses a page's content in C; this module only asks it for what the model needs, page by page (each page
loaded once and closed before the next): every character with its box and font size (its text page), the lines,
rects and curves of its path objects (the rulings tables are found from), and whether it shows an image (the OCR
decision). The characters and rulings are put in pdfplumber's coordinates and edge conventions, so the port of
pdfplumber's table finder (parsers.rulings) and parsers.pdf_layout find the same tables and lines from them as
from pdfplumber's (parsers.pdf_plumber, the reference reader, chosen with --pdf-reader pdfplumber).

What PDFium reads differently from pdfminer: it keeps a font's widths and descent as whole numbers of 1/1000 em,
so on a PDF whose fonts state fractional widths a character's box may differ by a few hundredths of a point
from pdfplumber's; it drops a text object drawn twice at the same place (fake bold), which pdfminer reads twice.
"""
from __future__ import annotations

import ctypes
from functools import lru_cache
from typing import Iterator, Optional

from . import pdf_content
from .limits import NO_LIMITS, Limits, describe, over
from .model import Document, OcrProgress, UnreadableFile
from .pdf_layout import RawPage, build_document, check_complete
from .rulings import find_tables


def read(path: str, data: bytes, limits: Limits = NO_LIMITS, on_ocr_page: Optional[OcrProgress] = None) -> Document:
    """Every failure is an UnreadableFile saying why in one line; limits are checked before the work they bound.
    Limits.pdf_reader "pdfplumber" hands the file to the reference reader instead. Either way the content its
    pages would make the reader parse is measured first (parsers.pdf_content)."""
    pdf_content.check(data)
    if limits.pdf_reader == "pdfplumber":
        from . import pdf_plumber
        return pdf_plumber.read(path, data, limits, on_ocr_page)
    check_complete(data)
    return build_document(path, data, _pages(data, limits), limits, on_ocr_page)


def _pages(data: bytes, limits: Limits) -> Iterator[RawPage]:
    """Each page loaded once, in order, and closed before the next."""
    import pypdfium2.raw as pdfium_c
    document = _open(data)
    try:
        n_pages = len(document)
        if over(limits.max_pages, n_pages):
            raise UnreadableFile(f"PDF has {n_pages} pages, over the limit of {limits.max_pages} (--max-pages)")
        if n_pages <= 0:
            raise UnreadableFile("PDF has no pages")
        crossings = [0]         # of ruled lines, on the pages read so far (rulings.MAX_DOCUMENT_INTERSECTIONS)
        for index in range(n_pages):
            page = pdfium_c.FPDF_LoadPage(document.raw, index)
            if not page:
                raise UnreadableFile(f"PDF page {index + 1} could not be read: PDFium could not load it")
            try:
                raw = _PageReader(page, index + 1).read(limits.max_chars, crossings)
            except UnreadableFile:
                raise
            except Exception as exc:     # a damaged page that PDFium loaded but we could not make sense of
                raise UnreadableFile(f"PDF page {index + 1} could not be read: {describe(exc)}") from exc
            finally:
                pdfium_c.FPDF_ClosePage(page)
            yield raw
    finally:
        document.close()


# PDFium's reasons for not opening a document (FPDF_ERR_*) that a user can act on
_OPEN_ERRORS = {
    4: "PDF is encrypted and does not open with an empty password: ask for an unprotected copy",
    5: "PDF is encrypted with an unsupported method (PDFium has no handler for its security)",
}


def _open(data: bytes):
    """Open with the empty password, which is what an 'encrypted' PDF with only an owner password needs. PDFium
    reads the bytes in place: the document keeps them referenced while it is open."""
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(data, password="")
    except pdfium.PdfiumError as exc:
        reason = _OPEN_ERRORS.get(exc.err_code)
        raise UnreadableFile(reason or f"not a readable PDF: {describe(exc)}") from exc


# ------------------------------------------------------------------------------------------------ one page

_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Page objects walked (form XObjects' contents included, each time a form is drawn) plus the segments of the paths
# among them, on one page. The samples' most is 2,520; a form drawing a form ten times, five deep, drawing ten
# lines is a million lines from a 3 KB file (14 s, 1.3 GB), so the walk is refused as it passes this.
MAX_PATH_PARTS = 500_000


def _mult(m1, m0):
    """m1 then m0 (row vectors, as PDF and pdfminer write matrices)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


@lru_cache(maxsize=4096)
def _f32(v: float) -> float:
    """A number PDFium holds as a 32-bit float, as the shortest decimal that is that float: what the content
    stream said (37.6, not 37.59999847), so that coordinates compare and round as pdfminer's do."""
    if v.is_integer():
        return v
    for digits in (6, 7, 8, 9):
        text = f"{v:.{digits}g}"
        if ctypes.c_float(float(text)).value == v:
            return float(text)
    return v


class _PageReader:
    """One loaded page: its characters, edges and images in pdfplumber's coordinates (origin top-left, page
    rotation and media box applied as pdfminer applies them)."""

    def __init__(self, page, number: int):
        import pypdfium2.raw as pdfium_c
        self.c = pdfium_c
        self.page, self.number = page, number
        self._styles: dict = {}
        self._widths: dict = {}         # font -> its characters' widths, shared by the styles using that font
        self._path_state = _PathState()
        self._matrix = pdfium_c.FS_MATRIX()           # filled by PDFium for each text object's style
        self._p_matrix = ctypes.byref(self._matrix)
        self._geometry()

    def _geometry(self) -> None:
        c = self.c
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        if c.FPDFPage_GetMediaBox(self.page, left, bottom, right, top):
            box = [_f32(v.value) for v in (left, bottom, right, top)]
        else:
            box = [0.0, 0.0, 612.0, 792.0]
        x0, x1 = sorted((box[0], box[2]))
        y0, y1 = sorted((box[1], box[3]))
        rotation = (c.FPDFPage_GetRotation(self.page) % 4) * 90
        # pdfminer's device matrix for the page (PDFPageInterpreter.process_page), then pdfplumber's page box
        self.ctm = {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
                    270: (0, 1, -1, 0, y1, -x0)}.get(rotation, (1, 0, 0, 1, -x0, -y0))
        nx0, ny0, nx1, ny1 = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
        self.width, self.height = nx1 - nx0, ny1 - ny0
        self.mb_x0, self.mb_top = nx0, -ny0

    def read(self, max_chars: Optional[int], crossings: Optional[list] = None) -> RawPage:
        """The page's upright characters, rulings and images, read once; UnreadableFile over --max-chars.
        `crossings`: the document's crossings of ruled lines so far, added to (rulings.find_tables)."""
        c = self.c
        text_page = c.FPDFText_LoadPage(self.page)
        if not text_page:
            raise UnreadableFile(f"PDF page {self.number} could not be read: PDFium could not read its text")
        try:
            chars = self._chars(text_page, max_chars)
        finally:
            c.FPDFText_ClosePage(text_page)
        lines, rects, curves, has_images = [], [], [], False
        for obj, kind, matrix in self._objects():
            if kind == _PATH:
                self._path(obj, matrix, lines, rects, curves)
            elif kind == _IMAGE:
                has_images = True
        edges = lines + [e for r in rects for e in _rect_edges(r)] + [e for cv in curves for e in _curve_edges(cv)]
        try:
            tables = find_tables(edges, crossings)
        except UnreadableFile as exc:
            raise UnreadableFile(f"PDF {exc}".replace("PDF page", f"PDF page {self.number}", 1)
                                 .replace("up to this page", f"up to page {self.number}", 1)) from None
        return RawPage(number=self.number, width=self.width, height=self.height, chars=chars,
                       tables=tables, has_images=has_images)

    # -------------------------------------------------------------------------------------------- characters

    def _chars(self, text_page, max_chars: Optional[int]) -> list[dict]:
        """The page's upright, non-blank characters as pdfplumber's char dicts (text, x0, x1, top, bottom, size)."""
        n = self.c.FPDFText_CountChars(text_page)
        self._check_chars(text_page, n, max_chars)
        f = _fast()
        page = ctypes.cast(text_page, ctypes.c_void_p).value
        unicode_of, object_of, map_error, origin_of, generated = f.unicode, f.object, f.map_error, f.origin, \
            f.generated
        x, y = ctypes.c_double(), ctypes.c_double()
        px, py = ctypes.byref(x), ctypes.byref(y)
        styles: dict = {}         # text object -> _Style, None when its text is not upright
        height, mb_top = self.height, self.mb_top
        ma, mb, mc, md, me, mf = self.ctm
        out = []
        last, style = _UNKNOWN, None           # the text object of the characters before
        for i in range(n):
            code = unicode_of(page, i)
            if code in _BLANK:
                continue
            key = object_of(page, i)
            if not key and generated(page, i):      # asked only of a character with no text object: PDFium's own
                continue                            # spaces and line ends (blank, skipped above) are the ones seen
            if key != last:     # a text object's characters come together: its style's values taken once
                style = styles[key] if key in styles else styles.setdefault(key, self._style(text_page, page, i, key))
                last = key
                if style is not None:
                    widths, size, sa, dlo, dhi = style.widths, style.size, style.a, style.dlo, style.dhi
            if style is None:
                continue
            if map_error(page, i):       # no Unicode mapping: written as pdfminer writes it, for the OCR decision
                text = f"(cid:{code})"
            elif 0xD800 <= code <= 0xDFFF:   # half of a surrogate pair: PDFium counts each half as a character
                text = "\ufffd"
            else:
                text = chr(code)
                if not text.strip():
                    continue
            origin_of(page, i, px, py)
            ox, oy = x.value, y.value
            ex, ey = ma * ox + mc * oy + me, mb * ox + md * oy + mf        # the page's matrix applied: per character
            width = widths.get(code)
            adv = width * size if width is not None else style.advance(code, text_page, i)
            if style.axis_aligned:                                          # style.box's usual case, inlined
                xa, xb = ex, sa * adv + ex
                ya, yb = dlo + ey, dhi + ey
                x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
                y0, y1 = (ya, yb) if ya <= yb else (yb, ya)
            else:
                x0, x1, y0, y1 = style.box(ex, ey, adv)
            out.append({"text": text, "x0": x0, "x1": x1, "top": height - y1 + mb_top,
                        "bottom": height - y0 + mb_top, "size": y1 - y0})
        return out

    def _check_chars(self, text_page, n: int, max_chars: Optional[int]) -> None:
        """PDFium holds a page's characters in C (tens of bytes each); refused here before any becomes a Python
        object. Generated characters (the spaces and line ends PDFium infers) are not counted."""
        if max_chars is None or n <= max_chars:
            return
        generated = self.c.FPDFText_IsGenerated
        if sum(1 for i in range(n) if not generated(text_page, i)) > max_chars:
            raise UnreadableFile(f"PDF page {self.number} has more than {max_chars} characters, over the limit "
                                 f"(--max-chars)")

    def _style(self, text_page, page: int, i: int, text_object: int) -> Optional["_Style"]:
        """What the characters of one text object share: matrix, font size, font. None when they are not upright
        as pdfminer judges it (text matrix and CTM, then the page's device matrix: as the page is displayed).
        Text objects alike (a producer starts one per run of text) share one _Style; the styles of one font share
        its widths."""
        c, f = self.c, _fast()
        m = self._matrix
        f.text_matrix(page, i, self._p_matrix)
        handle = f.font(text_object) or None
        key = (m.a, m.b, m.c, m.d, f.font_size(page, i), handle)
        if key not in self._styles:
            font = c.FPDFTextObj_GetFont(c.FPDFText_GetTextObject(text_page, i))     # typed, for its metrics
            linear = _mult((m.a, m.b, m.c, m.d, 0.0, 0.0), self.ctm[:4] + (0.0, 0.0))
            upright = linear[0] * linear[3] > 0 and linear[1] * linear[2] <= 0
            widths = self._widths.setdefault(handle, {})
            self._styles[key] = _Style(c, linear, key[4], font, _descent(c, font), key[:3], widths) if upright else None
        return self._styles[key]

    # -------------------------------------------------------------------------------------------- paths

    def _objects(self):
        """Every path and image object (as an address) with its matrix to page space (None for images), the
        contents of form XObjects included."""
        f = _fast()
        page = ctypes.cast(self.page, ctypes.c_void_p).value
        count = f.count_objects(page)
        parts = self._count_parts(0, count)
        stack = [(f.page_object(page, i), None) for i in range(count - 1, -1, -1)]
        m, pm = self._matrix, self._p_matrix
        owns: dict = {}                     # each matrix as PDFium holds it -> as the content stream stated it
        while stack:
            obj, parent = stack.pop()
            kind = f.object_type(obj) if obj else 0
            if kind == _IMAGE:
                yield obj, kind, None
            if kind not in (_PATH, _FORM) or not f.object_matrix(obj, pm):
                continue
            if kind == _PATH:
                parts = self._count_parts(parts, f.count_segments(obj))
            stated = (m.a, m.b, m.c, m.d, m.e, m.f)
            own = owns.get(stated)
            if own is None:
                own = owns[stated] = tuple(map(_f32, stated))
            matrix = own if parent is None else _mult(own, parent)
            if kind == _FORM:
                n = f.form_count(obj)
                parts = self._count_parts(parts, n)
                stack.extend((f.form_object(obj, i), matrix) for i in range(n - 1, -1, -1))
            else:
                yield obj, kind, matrix

    def _count_parts(self, parts: int, more: int) -> int:
        """The page's objects and path segments walked so far, `more` added; refused past MAX_PATH_PARTS, before
        the objects are walked (a form's contents are counted before they go on the stack)."""
        parts += max(more, 0)
        if parts > MAX_PATH_PARTS:
            raise UnreadableFile(f"PDF page {self.number} draws more than {MAX_PATH_PARTS} page objects and path "
                                 f"segments (form XObjects drawn within each other?): refused")
        return parts

    def _path(self, obj, matrix, lines, rects, curves) -> None:
        """A path object's subpaths as pdfminer classifies them (converter.paint_path): a single segment is a
        line, a closed axis-aligned four-sided one a rect, anything else a curve through its points. Each
        subpath is kept as pdfminer keeps it: an operator letter per point (m, l, c, h), and of a run of
        PDFium's Bézier points (two control points, then the end) only every third, the end."""
        f, ps = _fast(), self._path_state
        if f.draw_mode(obj, ps.p_fill, ps.p_stroke) and not ps.fill.value and not ps.stroke.value:
            return                                   # neither filled nor stroked: paints nothing
        full = ps.full.get(matrix)
        if full is None:
            full = ps.full[matrix] = _mult(matrix, self.ctm)
        a, b, c, d, e, g = full
        segment, segment_type, segment_point, segment_close = f.segment, f.segment_type, f.segment_point, \
            f.segment_close
        px, py, ppx, ppy = ps.x, ps.y, ps.p_x, ps.p_y
        count = f.count_segments(obj)
        if count == 2:                  # most rulings: a move and one segment
            last = segment(obj, 1)
            if segment_type(last) == _LINETO:   # "ml", or "mlh" closed: a line either way
                segment_point(segment(obj, 0), ppx, ppy)
                x, y = _f32(px.value), _f32(py.value)
                start = (a * x + c * y + e, b * x + d * y + g)
                segment_point(last, ppx, ppy)
                x, y = _f32(px.value), _f32(py.value)
                lines.append(self._line(start, (a * x + c * y + e, b * x + d * y + g)))
                return
        shape: list = []
        pts: list = []
        run = 0
        for i in range(count):
            seg = segment(obj, i)
            kind = segment_type(seg)
            segment_point(seg, ppx, ppy)
            x, y = _f32(px.value), _f32(py.value)
            point = (a * x + c * y + e, b * x + d * y + g)            # the path's matrix applied: per segment
            if kind == _MOVETO or not shape:
                if shape:
                    self._subpath("".join(shape), pts, lines, rects, curves)
                shape, pts, run = ["m"], [point], 0
                continue
            if kind == _BEZIERTO:
                run += 1
                if run % 3 == 0:
                    shape.append("c")
                    pts.append(point)
            else:
                run = 0
                shape.append("l")
                pts.append(point)
            if segment_close(seg):
                run = 0
                shape.append("h")
                pts.append(pts[0])
        if shape:
            self._subpath("".join(shape), pts, lines, rects, curves)

    def _subpath(self, shape: str, pts: list, lines, rects, curves) -> None:
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            lines.append(self._line(pts[0], pts[1]))
            return
        if shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                     or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
                rects.append(self._box(pts[0], pts[2], "rect"))
                return
        if len(pts) >= 2:
            curves.append([(self.mb_x0 + px, self.mb_top + self.height - py) for px, py in pts])

    def _box(self, p, q, kind: str) -> dict:
        x0, x1 = min(p[0], q[0]), max(p[0], q[0])
        y0, y1 = min(p[1], q[1]), max(p[1], q[1])
        return {"object_type": kind, "x0": x0, "x1": x1, "y0": y0, "y1": y1, "width": x1 - x0, "height": y1 - y0,
                "top": self.height - y1 + self.mb_top, "bottom": self.height - y0 + self.mb_top}

    def _line(self, p, q) -> dict:
        edge = self._box(p, q, "line")
        edge["orientation"] = "h" if edge["top"] == edge["bottom"] else "v"
        return edge


class _PathState:
    """What reading a page's path objects reuses: the out-parameters PDFium fills (made once, not per path or
    segment), and each object matrix multiplied by the page's, per matrix."""

    def __init__(self):
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.p_fill, self.p_stroke = ctypes.byref(self.fill), ctypes.byref(self.stroke)
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.p_x, self.p_y = ctypes.byref(self.x), ctypes.byref(self.y)
        self.full: dict = {}


def _rect_edges(rect: dict) -> list[dict]:
    """pdfplumber's four edges of a rect (utils.rect_to_edges), keeping its arithmetic."""
    top = {**rect, "object_type": "rect_edge", "height": 0, "y0": rect["y1"], "bottom": rect["top"],
           "orientation": "h"}
    bottom = {**rect, "object_type": "rect_edge", "height": 0, "y1": rect["y0"],
              "top": rect["top"] + rect["height"], "orientation": "h"}
    left = {**rect, "object_type": "rect_edge", "width": 0, "x1": rect["x0"], "orientation": "v"}
    right = {**rect, "object_type": "rect_edge", "width": 0, "x0": rect["x1"], "orientation": "v"}
    return [top, bottom, left, right]


def _curve_edges(pts: list) -> list[dict]:
    """pdfplumber's edges of a curve (utils.curve_to_edges): one per pair of consecutive points."""
    return [{"object_type": "curve_edge", "x0": min(p0[0], p1[0]), "x1": max(p0[0], p1[0]),
             "top": min(p0[1], p1[1]), "bottom": max(p0[1], p1[1]), "width": abs(p0[0] - p1[0]),
             "height": abs(p0[1] - p1[1]),
             "orientation": "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None)}
            for p0, p1 in zip(pts, pts[1:])]


class _Style:
    """One text object's way of placing characters: the box of a character from its origin and advance, as
    pdfminer's LTChar computes it (the rectangle from the descent to one font size above it, advance wide,
    through the character's matrix)."""

    def __init__(self, c, linear, size: float, font, descent: float, own, widths: dict):
        self.c, self.linear, self.size, self.font = c, linear, size, font
        self.lo, self.hi = descent * size, descent * size + size
        self.own = own                                  # the text object's own a, b, c (before the page's)
        self.widths = widths                            # code -> advance per unit of size: the font's, shared
        self.a, self.d = linear[0], linear[3]
        self.dlo, self.dhi = self.d * self.lo, self.d * self.hi     # a glyph's bottom and top above its origin
        self.axis_aligned = linear[1] == 0 and linear[2] == 0

    def advance(self, code: int, text_page, i: int) -> float:
        """How far the glyph moves the pen, as PDFium lays it out (text units)."""
        width = self.widths.get(code, _UNKNOWN)
        if width is _UNKNOWN:
            width = self.widths[code] = _width(self.c, self.font, code)
        if width is not None:
            return width * self.size
        loose = self.c.FS_RECTF()            # no width from the font: PDFium's box of the glyph on the page
        self.c.FPDFText_GetLooseCharBox(text_page, i, loose)
        a, b, cc = self.own
        return (loose.right - loose.left) / abs(a) if b == 0 and cc == 0 and a != 0 else self.size

    def box(self, ex: float, ey: float, adv: float) -> tuple[float, float, float, float]:
        """The glyph's box on the page, pdfplumber's way: from its origin, advance and the font's ascent and descent."""
        a, b, c, d = self.linear[:4]
        lo, hi = self.lo, self.hi
        if b == 0 and c == 0:
            xs = (ex, a * adv + ex)
            ys = (d * lo + ey, d * hi + ey)
        else:
            xs = (c * lo + ex, a * adv + c * lo + ex, a * adv + c * hi + ex, c * hi + ex)
            ys = (d * lo + ey, b * adv + d * lo + ey, b * adv + d * hi + ey, d * hi + ey)
        return min(xs), max(xs), min(ys), max(ys)


# ------------------------------------------------------------------------------------------------ fonts

# Code points that are never a character shown: PDFium's generated line ends and spaces come with these too.
_BLANK = {0, 0x20, 0x0A, 0x0D, 0x09, 0x3000, 0xA0}


class _Fast:
    """The PDFium functions called once per character, page object or path segment, taking pointers as addresses
    and returning plain integers: pypdfium2's bindings convert typed pointers on every call, and a text object's
    pointer needed a ctypes.cast to be compared, which together cost more than PDFium's own work."""

    def __init__(self, c):
        ptr, i, num = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double)
        fnum, ival = ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_int)

        def same(fn, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)
        self.unicode = same(c.FPDFText_GetUnicode, ctypes.c_uint, ptr, i)
        self.generated = same(c.FPDFText_IsGenerated, i, ptr, i)
        self.object = same(c.FPDFText_GetTextObject, ptr, ptr, i)
        self.map_error = same(c.FPDFText_HasUnicodeMapError, i, ptr, i)
        self.origin = same(c.FPDFText_GetCharOrigin, i, ptr, i, num, num)
        self.text_matrix = same(c.FPDFText_GetMatrix, i, ptr, i, ctypes.POINTER(c.FS_MATRIX))
        self.font = same(c.FPDFTextObj_GetFont, ptr, ptr)
        self.font_size = same(c.FPDFText_GetFontSize, ctypes.c_double, ptr, i)
        self.count_objects = same(c.FPDFPage_CountObjects, i, ptr)
        self.page_object = same(c.FPDFPage_GetObject, ptr, ptr, i)
        self.object_type = same(c.FPDFPageObj_GetType, i, ptr)
        self.object_matrix = same(c.FPDFPageObj_GetMatrix, i, ptr, ctypes.POINTER(c.FS_MATRIX))
        self.form_count = same(c.FPDFFormObj_CountObjects, i, ptr)
        self.form_object = same(c.FPDFFormObj_GetObject, ptr, ptr, ctypes.c_ulong)
        self.draw_mode = same(c.FPDFPath_GetDrawMode, i, ptr, ival, ival)
        self.count_segments = same(c.FPDFPath_CountSegments, i, ptr)
        self.segment = same(c.FPDFPath_GetPathSegment, ptr, ptr, i)
        self.segment_type = same(c.FPDFPathSegment_GetType, i, ptr)
        self.segment_point = same(c.FPDFPathSegment_GetPoint, i, ptr, fnum, fnum)
        self.segment_close = same(c.FPDFPathSegment_GetClose, i, ptr)


@lru_cache(maxsize=1)
def _fast() -> _Fast:
    import pypdfium2.raw as pdfium_c
    return _Fast(pdfium_c)


_UNKNOWN = object()


# The standard fonts a PDF may name without embedding them: pdfminer takes their metrics from Adobe's AFM files
# (the descents below, per 1000 em; Symbol and ZapfDingbats state none), PDFium from the fonts it substitutes.
# Taking the AFM descent keeps such characters' boxes where pdfplumber puts them.
_AFM_DESCENT = {**{f"{family}{style}": -194.0 for family, styles in (("Courier", ("", "-Bold", "-BoldOblique",
                   "-Oblique")), ("CourierNew", ("", ",Italic", ",Bold", ",BoldItalic"))) for style in styles},
                **{f"{family}{style}": -207.0 for family, styles in (("Helvetica", ("", "-Bold", "-BoldOblique",
                   "-Oblique")), ("Arial", ("", ",Italic", ",Bold", ",BoldItalic"))) for style in styles},
                **{f"{family}{style}": -217.0 for family, styles in (("Times", ("-Roman", "-Bold", "-BoldItalic",
                   "-Italic")), ("TimesNewRoman", ("", ",Italic", ",Bold", ",BoldItalic"))) for style in styles},
                "Symbol": 0.0, "ZapfDingbats": 0.0}


def _descent(c, font) -> float:
    """A font's descent per unit of font size (negative; 0 when the font states none)."""
    if not font:
        return 0.0
    if not c.FPDFFont_GetIsEmbedded(font):
        name = ctypes.create_string_buffer(64)
        if 0 < c.FPDFFont_GetBaseFontName(font, name, 64) <= 64 and name.value.decode("latin-1") in _AFM_DESCENT:
            return _AFM_DESCENT[name.value.decode("latin-1")] / 1000.0
    value = ctypes.c_float()
    if not c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), value):
        return 0.0
    return -abs(value.value) / 1000.0


def _width(c, font, code: int):
    """The advance of a character per unit of font size, as the font's widths (/Widths, /W) state it; None when
    PDFium cannot tell (no font, or a character it cannot map back to a code)."""
    if not font:
        return None
    value = ctypes.c_float()
    if not c.FPDFFont_GetGlyphWidth(font, code, ctypes.c_float(1000.0), value):
        return None
    return value.value / 1000.0 if value.value > 0 else None
