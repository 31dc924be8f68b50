"""OFD (GB/T 33190, the fixed-layout format of Chinese official documents) into the document model.

An OFD file is a ZIP: OFD.xml names the document root (Doc_0/Document.xml), which lists the pages
(Pages/Page_N/Content.xml) and their templates. A page draws TextObjects (a Boundary "x y w h", a font Size and
TextCodes with X/Y of the first glyph's origin and DeltaX advances, "g N v" meaning N times v) and PathObjects
(AbstractData "M x y L x y … C"), in millimetres, origin top-left, optionally through a CTM. Glyphs become characters
in PDF points and straight horizontal and vertical path segments become ruling edges, and parsers.pdf_layout turns
them into lines and ruled tables exactly as it does for a PDF page, so the table logic downstream is the same.
A glyph's extent is its advance where the next glyph follows closely, else its nominal width (a full em for CJK,
half for Latin and digits): OFD states positions, not glyph widths.
"""
from __future__ import annotations

import io
import posixpath
import unicodedata
import zipfile
from typing import Iterator, Optional

from lxml import etree

from .pdf_layout import RawPage, page_blocks
from .rulings import find_tables, ruling
from .limits import NO_LIMITS, Limits, describe, over
from .model import Document, PageInfo, UnreadableFile
from .package import check_elements, check_package

MM = 72 / 25.4                  # points per millimetre
ASCENT, DESCENT = 0.85, 0.15    # of the font size, above and below the baseline (a CJK font's usual em box)
RULE_SLOPE = 0.5                # points a segment may lean and still count as a horizontal or vertical ruling
MAX_PATH_NUMBERS = 200_000      # numbers in one page's path data; a real page has a few thousand
_PARSER = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True)


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _child(el, name: str):
    return next((c for c in el if _local(c) == name), None)


def _numbers(text: Optional[str], need: Optional[int] = None) -> list[float]:
    """An ST_Array of numbers; "g N v" (DeltaX/DeltaY's shorthand) expands to N copies of v. With `need`, the first
    `need` numbers only (a glyph's advances: no more than the text has glyphs, however many the array repeats)."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens) and (need is None or len(out) < need):
        if tokens[i] == "g" and i + 2 < len(tokens):
            n = int(float(tokens[i + 1]))
            if n < 0 or n > 100_000:
                raise UnreadableFile(f"OFD repeats a glyph advance {n} times: damaged or hostile")
            out.extend([float(tokens[i + 2])] * (n if need is None else min(n, need - len(out))))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def read(path: str, data: bytes, limits: Limits = NO_LIMITS, on_ocr_page=None) -> Document:
    """Every failure is an UnreadableFile saying why in one line; limits are checked before the work they bound."""
    check_package(data, limits, "OFD")
    doc = Document(source_file=path, format="ofd")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        package = _Package(z, limits.max_chars)
        root, base = package.document()
        pages = [p for p in root.iter() if _local(p) == "Page" and p.get("BaseLoc")]
        if over(limits.max_pages, len(pages)):
            raise UnreadableFile(f"OFD has {len(pages)} pages, over the limit of {limits.max_pages} (--max-pages)")
        if not pages:
            raise UnreadableFile("OFD has no pages")
        width, height = _box(root, (210.0, 297.0))
        templates = {t.get("ID"): t.get("BaseLoc") for t in root.iter() if _local(t) == "TemplatePage"}
        drawing = _Drawing(package, base, templates, limits.max_chars)
        crossings = [0]         # of ruled lines, on the pages read so far (rulings.MAX_DOCUMENT_INTERSECTIONS)
        n_chars = 0
        for number, page in enumerate(pages, start=1):
            content, chars, edges = drawing.page(number, page.get("BaseLoc"))
            n_chars += len(chars)
            if over(limits.max_chars, n_chars):      # as for a PDF: each page within the limit, not the whole
                raise UnreadableFile(f"OFD has more than {limits.max_chars} characters in its first {number} pages, "
                                     f"over the limit for a whole document (--max-chars)")
            w, h = _box(content, (width, height))
            doc.pages.append(PageInfo(number=number, width=w * MM, height=h * MM, n_chars=len(chars)))
            doc.blocks.extend(page_blocks(RawPage(number=number, width=w * MM, height=h * MM, chars=chars,
                                                  tables=_tables(edges, number, crossings))))
    if not any(p.n_chars for p in doc.pages):
        raise UnreadableFile(f"OFD has no text ({len(pages)} page(s), images only?): it needs OCR, which is not "
                             f"done for OFD yet")
    return doc


def _tables(edges: list[dict], number: int, crossings: list) -> list:
    """The page's ruled tables (rulings.find_tables, the document's crossings counted on), a refusal naming the
    page: a template's grid drawn on every page is searched again on each, as a PDF's shared grid stream is."""
    try:
        return find_tables(edges, crossings)
    except UnreadableFile as exc:
        raise UnreadableFile(f"OFD {exc}".replace("OFD page", f"OFD page {number}", 1)
                             .replace("up to this page", f"up to page {number}", 1)) from None


class _Package:
    def __init__(self, z: zipfile.ZipFile, max_chars: Optional[int] = None):
        self.z, self.names, self.max_chars = z, set(z.namelist()), max_chars

    def xml(self, name: str):
        """A part of the package as parsed XML (no entities, no network); UnreadableFile when missing."""
        name = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
        if name not in self.names:
            raise UnreadableFile(f"OFD part {name} is missing")
        xml = self.z.read(name)
        check_elements(xml, self.max_chars, "OFD", name)       # elements counted before the tree is built
        try:
            return etree.fromstring(xml, etree.XMLParser(**_PARSER))
        except etree.XMLSyntaxError as exc:
            raise UnreadableFile(f"OFD part {name} could not be parsed: {describe(exc)}") from exc

    def document(self):
        """The first document's root element and its folder."""
        if "OFD.xml" not in self.names:
            raise UnreadableFile("not an OFD package: no OFD.xml")
        ofd = self.xml("OFD.xml")
        if any(_local(el) in ("Encryptions", "EncryptInfo") for el in ofd.iter()) or \
                any(n.lower().endswith("encryptions.xml") for n in self.names):
            raise UnreadableFile("OFD is encrypted: ask for an unprotected copy")
        loc = next((el.text for el in ofd.iter() if _local(el) == "DocRoot" and el.text), None)
        if not loc:
            raise UnreadableFile("OFD.xml names no document (DocRoot)")
        loc = posixpath.normpath(loc.strip().replace("\\", "/")).lstrip("/")
        return self.xml(loc), posixpath.dirname(loc)


class _Drawing:
    """The pages' parts drawn into glyphs and rulings. Each template is parsed and drawn once, however many pages
    name it (and once a page, however often the page names it); a page over --max-chars is refused as soon as it
    is. The whole document's characters are held to --max-chars too, counted by read() as pages are drawn (parts
    drawn again included: a small file naming one large part on every page would otherwise cost that part's size
    times --max-pages)."""

    def __init__(self, package: "_Package", base: str, templates: dict, max_chars: Optional[int]):
        self.package, self.base, self.templates, self.max_chars = package, base, templates, max_chars
        self.drawn_templates: dict[str, tuple[list, list]] = {}

    def page(self, number: int, loc: str):
        """(the page's content element, its glyphs, its ruling edges)."""
        name = _part_name(self.base, loc)
        content = self.package.xml(name)
        chars: list[dict] = []
        edges: list[dict] = []
        for tid in dict.fromkeys(t.get("TemplateID") for t in content if _local(t) == "Template"):
            if self.templates.get(tid):
                part = _part_name(self.base, self.templates[tid])
                t_chars, t_edges = self._template(part, number)
                chars += t_chars
                edges += t_edges
        own: list[dict] = []
        _draw(content, own, edges, self._left(number, len(chars)))
        return content, chars + own, edges

    def _template(self, name: str, number: int) -> tuple[list, list]:
        if name not in self.drawn_templates:
            chars: list[dict] = []
            edges: list[dict] = []
            _draw(self.package.xml(name), chars, edges, self._left(number, 0))
            self.drawn_templates[name] = (chars, edges)
        return self.drawn_templates[name]

    def _left(self, number: int, drawn: int):
        """The check a page's drawing makes after each text object: no more than --max-chars in all."""
        def check(n: int) -> None:
            if over(self.max_chars, drawn + n):
                raise UnreadableFile(f"OFD page {number} has more than {self.max_chars} characters, over the limit "
                                     f"(--max-chars)")
        return check


def _part_name(base: str, loc: str) -> str:
    return posixpath.normpath(posixpath.join(base, loc.replace("\\", "/"))).lstrip("/")


def _box(el, default: tuple[float, float]) -> tuple[float, float]:
    """Width and height of the page area (PhysicalBox "x y w h") the element states, else the default."""
    box = next((b for b in el.iter() if _local(b) == "PhysicalBox" and b.text), None)
    if box is None:
        return default
    nums = _numbers(box.text)
    return (nums[2], nums[3]) if len(nums) == 4 and nums[2] > 0 and nums[3] > 0 else default


class _Transform:
    """An object's placement: its CTM (a b c d e f), then its Boundary's origin; all to points."""

    def __init__(self, el):
        b = _numbers(el.get("Boundary")) + [0.0] * 4
        self.bx, self.by = b[0], b[1]
        ctm = _numbers(el.get("CTM")) if el.get("CTM") else [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        self.a, self.b, self.c, self.d, self.e, self.f = (ctm + [1.0, 0.0, 0.0, 1.0, 0.0, 0.0][len(ctm):])[:6]
        self.upright = abs(self.b) < 1e-6 and abs(self.c) < 1e-6 and self.a > 0 and self.d > 0

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A point of the object's own space in millimetres on the page."""
        return ((self.bx + self.a * x + self.c * y + self.e) * MM, (self.by + self.b * x + self.d * y + self.f) * MM)


def _draw(root, chars: list[dict], edges: list[dict], check=None) -> None:
    """Every text and path object of a page or template (inside layers and page blocks, in drawing order);
    check(number of glyphs so far) after each text object, to stop as soon as a limit is passed."""
    numbers = 0
    for el in root.iter():
        name = _local(el)
        if name == "TextObject":
            for glyph in _glyphs(el):
                chars.append(glyph)
                if check is not None and len(chars) % 4096 == 0:     # (one text code may hold millions)
                    check(len(chars))
            if check is not None:
                check(len(chars))
        elif name == "PathObject":
            data = _child(el, "AbstractData")
            tokens = (data.text or "").split() if data is not None else []
            numbers += len(tokens)
            if numbers > MAX_PATH_NUMBERS:
                raise UnreadableFile(f"OFD page draws paths of more than {MAX_PATH_NUMBERS} numbers: refused")
            edges.extend(_rulings(el, tokens))


def _glyphs(obj) -> Iterator[dict]:
    t = _Transform(obj)
    if not t.upright:
        return
    size = float(obj.get("Size") or 0) * t.d
    x = y = 0.0
    for code in obj:
        if _local(code) != "TextCode":
            continue
        x = float(code.get("X")) if code.get("X") is not None else x
        y = float(code.get("Y")) if code.get("Y") is not None else y
        text = code.text or ""
        deltas = _numbers(code.get("DeltaX"), need=len(text))
        pos = x
        for i, ch in enumerate(text):
            nominal = size / t.a * (1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5)
            step = deltas[i] if i < len(deltas) else None
            if ch.strip():
                x0, base = t.point(pos, y)
                extent = min(step, nominal) if step is not None and step > 0 else nominal
                x1, _ = t.point(pos + extent, y)
                pts = size * MM
                yield {"text": ch, "x0": x0, "x1": x1, "top": base - ASCENT * pts, "bottom": base + DESCENT * pts,
                       "size": pts, "upright": True}
            pos += step if step is not None else nominal


def _rulings(obj, tokens: list[str]) -> list[dict]:
    """The straight horizontal and vertical segments of a path, as ruling edges (a rectangle gives its four sides)."""
    t = _Transform(obj)
    if not t.upright:
        return []
    out: list[dict] = []
    start = current = None
    i = 0
    arity = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    while i < len(tokens):
        op = tokens[i]
        n = arity.get(op)
        if n is None:
            raise UnreadableFile(f"OFD path data has an unknown command {op[:10]!r}")
        args = [float(v) for v in tokens[i + 1:i + 1 + n]]
        if len(args) < n:
            break
        if op in ("M", "S"):
            start = current = t.point(*args)
        elif op == "L" and current is not None:
            nxt = t.point(*args)
            out.extend(_edge(current, nxt))
            current = nxt
        elif op == "C" and current is not None and start is not None:
            out.extend(_edge(current, start))
            current = start
        elif n:
            current = t.point(*args[-2:])
        i += 1 + n
    return out


def _edge(p: tuple[float, float], q: tuple[float, float]) -> list[dict]:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) <= RULE_SLOPE and abs(x1 - x0) > RULE_SLOPE or abs(x0 - x1) <= RULE_SLOPE and abs(y1 - y0) > RULE_SLOPE:
        return [ruling(x0, y0, x1, y1)]
    return []
