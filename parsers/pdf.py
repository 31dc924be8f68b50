"""Born-digital PDF into the document model, with PDFium (pypdfium2): the default PDF reader.

PDFium parses a page's content in C; this module only asks it for what the model needs, page by page (each page
loaded once and closed before the next): every character with its box and font size (its text page), the lines,
rects and curves of its path objects (the rulings tables are found from), and whether it shows an image (the OCR
decision). The characters and rulings are put in pdfplumber's coordinates and edge conventions, so
parsers.pdf_layout finds the same tables and lines from them as from pdfplumber's (parsers.pdf_plumber, the
reference reader, chosen with --pdf-reader pdfplumber).

What PDFium reads differently from pdfminer: it keeps a font's widths and descent as whole numbers of 1/1000 em,
so on a PDF whose fonts state fractional widths a character's box may differ by a few hundredths of a point
from pdfplumber's; it drops a text object drawn twice at the same place (fake bold), which pdfminer reads twice.
"""
from __future__ import annotations

import ctypes
from typing import Iterator, Optional

from .limits import NO_LIMITS, Limits, describe, over
from .model import Document, OcrProgress, UnreadableFile
from .pdf_layout import RawPage, build_document, check_complete, find_tables


def read(path: str, data: bytes, limits: Limits = NO_LIMITS, on_ocr_page: Optional[OcrProgress] = None) -> Document:
    """Every failure is an UnreadableFile saying why in one line; limits are checked before the work they bound.
    Limits.pdf_reader "pdfplumber" hands the file to the reference reader instead."""
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
        for index in range(n_pages):
            page = pdfium_c.FPDF_LoadPage(document.raw, index)
            if not page:
                raise UnreadableFile(f"PDF page {index + 1} could not be read: PDFium could not load it")
            try:
                raw = _PageReader(page, index + 1).read(limits.max_chars)
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


def _mult(m1, m0):
    """m1 then m0 (row vectors, as PDF and pdfminer write matrices)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _f32(v: float) -> float:
    """A number PDFium holds as a 32-bit float, as the shortest decimal that is that float: what the content
    stream said (37.6, not 37.59999847), so that coordinates compare and round as pdfminer's do."""
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

    def read(self, max_chars: Optional[int]) -> RawPage:
        c = self.c
        text_page = c.FPDFText_LoadPage(self.page)
        if not text_page:
            raise UnreadableFile(f"PDF page {self.number} could not be read: PDFium could not read its text")
        try:
            chars = self._chars(text_page, max_chars)
        finally:
            c.FPDFText_ClosePage(text_page)
        lines, rects, curves, has_images = [], [], [], False
        for obj, matrix in self._objects():
            kind = c.FPDFPageObj_GetType(obj)
            if kind == _PATH:
                self._path(obj, matrix, lines, rects, curves)
            elif kind == _IMAGE:
                has_images = True
        edges = lines + [e for r in rects for e in _rect_edges(r)] + [e for cv in curves for e in _curve_edges(cv)]
        bbox = (self.mb_x0, self.mb_top, self.mb_x0 + self.width, self.mb_top + self.height)
        return RawPage(number=self.number, width=self.width, height=self.height, chars=chars,
                       tables=find_tables(edges, bbox), has_images=has_images)

    # -------------------------------------------------------------------------------------------- characters

    def _chars(self, text_page, max_chars: Optional[int]) -> list[dict]:
        c = self.c
        n = c.FPDFText_CountChars(text_page)
        if max_chars is not None and n > max_chars:
            shown = sum(1 for i in range(n) if not c.FPDFText_IsGenerated(text_page, i))
            if shown > max_chars:
                raise UnreadableFile(f"PDF page {self.number} has more than {max_chars} characters, over the "
                                     f"limit (--max-chars)")
        x, y = ctypes.c_double(), ctypes.c_double()
        loose = c.FS_RECTF()
        m = c.FS_MATRIX()
        fonts: dict = {}          # text object -> (font handle, descent per unit of size)
        widths: dict = {}         # (font handle, code) -> advance per unit of size, or None when PDFium has none
        height, mb_top, ctm = self.height, self.mb_top, self.ctm
        out = []
        for i in range(n):
            code = c.FPDFText_GetUnicode(text_page, i)
            if code in _BLANK or c.FPDFText_IsGenerated(text_page, i):
                continue
            text = _text(c, text_page, i, code)
            if not text.strip():
                continue
            c.FPDFText_GetCharOrigin(text_page, i, x, y)
            c.FPDFText_GetMatrix(text_page, i, m)
            # the character's matrix as pdfminer builds it: text matrix and CTM at the glyph's origin, then the
            # page's device matrix; upright as pdfminer judges it (as the page is displayed)
            a, b, cc, d = m.a, m.b, m.c, m.d
            full = _mult((a, b, cc, d, x.value, y.value), ctm)
            if not (full[0] * full[3] > 0 and full[1] * full[2] <= 0):
                continue
            size = c.FPDFText_GetFontSize(text_page, i)
            obj = c.FPDFText_GetTextObject(text_page, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value
            font = fonts.get(key)
            if font is None:
                font = fonts[key] = _font(c, obj)
            width = widths.get((font[0], code), _UNKNOWN)
            if width is _UNKNOWN:
                width = widths[font[0], code] = _width(c, font[0], code)
            if width is not None:
                adv = width * size
            else:                     # PDFium's box of the character on the page, when the font gives no width
                c.FPDFText_GetLooseCharBox(text_page, i, loose)
                adv = (loose.right - loose.left) / abs(a) if b == 0 and cc == 0 and a != 0 else size
            lo = font[1] * size
            xs, ys = zip(*(_apply(full, u, v) for u, v in ((0, lo), (adv, lo), (adv, lo + size), (0, lo + size))))
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            out.append({"text": text, "x0": x0, "x1": x1, "top": height - y1 + mb_top,
                        "bottom": height - y0 + mb_top, "size": y1 - y0})
        return out

    # -------------------------------------------------------------------------------------------- paths

    def _objects(self):
        """Every page object with its matrix to page space, the contents of form XObjects included."""
        c = self.c
        stack = [(c.FPDFPage_GetObject(self.page, i), None) for i in range(c.FPDFPage_CountObjects(self.page) - 1, -1, -1)]
        m = c.FS_MATRIX()
        while stack:
            obj, parent = stack.pop()
            if not obj:
                continue
            if not c.FPDFPageObj_GetMatrix(obj, m):
                continue
            own = tuple(_f32(v) for v in (m.a, m.b, m.c, m.d, m.e, m.f))
            matrix = own if parent is None else _mult(own, parent)
            if c.FPDFPageObj_GetType(obj) == _FORM:
                n = c.FPDFFormObj_CountObjects(obj)
                stack.extend((c.FPDFFormObj_GetObject(obj, i), matrix) for i in range(n - 1, -1, -1))
            else:
                yield obj, matrix

    def _path(self, obj, matrix, lines, rects, curves) -> None:
        """A path object's subpaths as pdfminer classifies them (converter.paint_path): a single segment is a
        line, a closed axis-aligned four-sided one a rect, anything else a curve through its points."""
        c = self.c
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if c.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
            return                                   # neither filled nor stroked: paints nothing
        full = _mult(matrix, self.ctm)
        px, py = ctypes.c_float(), ctypes.c_float()
        subpaths: list[list] = []
        for i in range(c.FPDFPath_CountSegments(obj)):
            seg = c.FPDFPath_GetPathSegment(obj, i)
            kind = c.FPDFPathSegment_GetType(seg)
            c.FPDFPathSegment_GetPoint(seg, px, py)
            point = _apply(full, _f32(px.value), _f32(py.value))
            if kind == _MOVETO or not subpaths:
                subpaths.append([["m", point]])
                continue
            sub = subpaths[-1]
            if kind == _BEZIERTO:
                sub.append(["c", point])            # pdfminer keeps a curve's end point; PDFium gives 3 points
            else:
                sub.append(["l", point])
            if c.FPDFPathSegment_GetClose(seg):
                sub.append(["h", sub[0][1]])
        for sub in subpaths:
            self._subpath(_pdfminer_ops(sub), lines, rects, curves)

    def _subpath(self, ops, lines, rects, curves) -> None:
        shape = "".join(op for op, _ in ops)
        pts = [p for _, p in ops]
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


def _pdfminer_ops(sub: list) -> list:
    """PDFium keeps a Bézier segment as three points (two control points, then the end); pdfminer keeps the end
    point of each operator. Control points are dropped: every third point of a run of Bézier points is an end."""
    out, run = [], 0
    for op, point in sub:
        if op == "c":
            run += 1
            if run % 3:
                continue
        else:
            run = 0
        out.append((op, point))
    return out


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


# ------------------------------------------------------------------------------------------------ fonts

# Code points that are never a character shown: PDFium's generated line ends and spaces come with these too.
_BLANK = {0, 0x20, 0x0A, 0x0D, 0x09, 0x3000, 0xA0}


def _text(c, text_page, i: int, code: int) -> str:
    """The character's text; a code without a Unicode mapping is written as pdfminer writes it, (cid:N), so the
    OCR decision sees a broken font mapping the same way whichever reader read it."""
    if c.FPDFText_HasUnicodeMapError(text_page, i):
        return f"(cid:{code})"
    if 0xD800 <= code <= 0xDFFF:        # half of a surrogate pair: PDFium counts each half as a character
        return "\ufffd"
    return chr(code)


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


def _font(c, text_obj) -> tuple:
    """A text object's font (PDFium's handle, as a number) and its descent per unit of font size (negative; 0 when
    the font states none)."""
    font = c.FPDFTextObj_GetFont(text_obj)
    if not font:
        return None, 0.0
    handle = ctypes.cast(font, ctypes.c_void_p).value
    if not c.FPDFFont_GetIsEmbedded(font):
        name = ctypes.create_string_buffer(64)
        if 0 < c.FPDFFont_GetBaseFontName(font, name, 64) <= 64 and name.value.decode("latin-1") in _AFM_DESCENT:
            return handle, _AFM_DESCENT[name.value.decode("latin-1")] / 1000.0
    value = ctypes.c_float()
    if not c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), value):
        return handle, 0.0
    return handle, -abs(value.value) / 1000.0


def _width(c, handle, code: int):
    """The advance of a character per unit of font size, as the font's widths (/Widths, /W) state it; None when
    PDFium cannot tell (no font, or a character it cannot map back to a code)."""
    if handle is None:
        return None
    value = ctypes.c_float()
    if not c.FPDFFont_GetGlyphWidth(ctypes.cast(handle, c.FPDF_FONT), code, ctypes.c_float(1000.0), value):
        return None
    return value.value / 1000.0 if value.value > 0 else None
