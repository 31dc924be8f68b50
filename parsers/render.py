"""Pictures of the source: a region of a PDF page rendered to PNG, with a box outlined.

The report shows, beside a finding, the printed row it is about. Rendering is the reader side's business (it knows
PDF), so it lives here: nothing under ingest/ imports a PDF library. pypdfium2 comes with pdfplumber and Pillow
with both.

Boxes are in PDF points, origin top-left (parsers.model.Box's convention, pdfplumber's): [x0, top, x1, bottom].
`PageRenderer` renders each page once however many crops are taken from it (a page too large for MAX_PIXELS:
each crop's region alone); `crop_png` is the one-shot form.
"""
from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Optional, Sequence, Union

Source = Union[str, Path, bytes]
BoxLike = Sequence[float]

OUTLINE = (220, 0, 40)          # the default outline colour: the report's "error" red
# The most pixels any rendering of a page (or of a region of one) may have, and the most an image may have to be
# read (parsers.image): 80 megapixels, some 240 MB as PDFium's BGR. An A0 sheet at 150 dpi is 35 megapixels and an
# A4 page at the pictures' scale of 2 is 2; a 14,400-point MediaBox (PDF's largest) would be 830 at scale 2.
MAX_PIXELS = 80_000_000


def fit_scale(width: float, height: float, scale: float, max_pixels: Optional[int] = None) -> float:
    """`scale`, or the largest scale below it at which a width × height (points) rendering has at most
    `max_pixels` (default MAX_PIXELS) pixels (PDFium's bitmap is ceil(width × scale) by ceil(height × scale))."""
    max_pixels = MAX_PIXELS if max_pixels is None else max_pixels
    def pixels(s: float) -> int:
        return math.ceil(width * s) * math.ceil(height * s)
    if pixels(scale) <= max_pixels:
        return scale
    s = scale * math.sqrt(max_pixels / pixels(scale))
    while s > 0 and pixels(s) > max_pixels:
        s *= 0.999
    return s


class PageRenderer:
    """One open PDF; `crop_png` renders a page the first time it is asked for and reuses it for the next crops of
    that page. Only the current page's rendering is kept (the callers take their crops page by page): a file of many
    pages does not hold all their bitmaps. A page whose whole rendering would pass MAX_PIXELS is not rendered whole:
    each crop renders only its own region, at the scale asked for if the region fits in MAX_PIXELS, else at the
    scale that fits.

    Use as a context manager (or call close()) so the document and the rendered page are released.
    """

    def __init__(self, source: Source, scale: float = 2.0):
        import pypdfium2 as pdfium
        self.scale = scale
        self._pdf = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
        self._current: Optional[tuple[int, object]] = None     # (page number, PDFium's rendering of the whole page)
        self._sizes: dict[int, tuple[float, float]] = {}       # page number -> (width, height) in points
        self.renders = 0                          # how many renderings were made (whole pages and regions)

    def __enter__(self) -> "PageRenderer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the document and the rendered page."""
        self._forget()
        self._pdf.close()

    def _forget(self) -> None:
        if self._current is not None:
            self._current[1].close()
            self._current = None

    def __len__(self) -> int:
        return len(self._pdf)

    def page_image(self, page_number: int):
        """The whole page (1-based) as a PIL image of its own: at the renderer's scale, or at the scale that fits
        MAX_PIXELS for a page too large for it."""
        scale = fit_scale(*self._size(page_number), self.scale)
        if scale < self.scale:
            page = self._page(page_number)
            try:
                bitmap = page.render(scale=scale)
            finally:
                page.close()
            try:
                return rgb(bitmap)
            finally:
                bitmap.close()
        return rgb(self._bitmap(page_number))

    def _page(self, page_number: int):
        if not 1 <= page_number <= len(self._pdf):
            raise ValueError(f"page {page_number} is not in the document (1–{len(self._pdf)})")
        return self._pdf[page_number - 1]

    def _size(self, page_number: int) -> tuple[float, float]:
        """The page's width and height in points, its page loaded (its content parsed) once for all its crops."""
        if page_number not in self._sizes:
            page = self._page(page_number)
            try:
                self._sizes[page_number] = page.get_size()
            finally:
                page.close()
        return self._sizes[page_number]

    def _bitmap(self, page_number: int):
        """PDFium's rendering of the whole page (1-based), made the first time it is asked for and kept until another
        page is asked for."""
        if self._current is None or self._current[0] != page_number:
            self._forget()
            page = self._page(page_number)
            try:
                self._current = (page_number, page.render(scale=self.scale))
            finally:
                page.close()
            self.renders += 1
        return self._current[1]

    def crop_png(self, page_number: int, box: BoxLike, outline: Optional[BoxLike] = None,
                 margin: float = 6.0, color=OUTLINE, max_width: int = 1400, colors: int = 16) -> bytes:
        """PNG of `box` (plus `margin` points round it) on page `page_number`, with `outline` drawn as a rectangle.

        `outline` defaults to `box`; pass the cell when `box` is its whole row. Boxes are clipped to the page.
        `colors` > 0 reduces the picture to a palette of that many colours (a printed row is black on white with
        a red frame: 16 keep it sharp at a fifth of the size); 0 keeps full colour. The palette is found by fast
        octree and the PNG written without the optimiser's extra passes: a crop takes about 1.5 ms instead of 12,
        for a file some 5% larger, and a report of a long PDF has hundreds of them.
        """
        from PIL import Image, ImageDraw
        x0, top, x1, bottom = (float(v) for v in box)
        crop, s, left, upper = self._region(page_number, x0 - margin, top - margin, x1 + margin, bottom + margin)
        if crop is None:
            raise ValueError(f"box {list(box)} lies outside page {page_number}")
        ox0, otop, ox1, obottom = (float(v) for v in (outline if outline is not None else box))
        pad = 1.5
        rect = [(ox0 - pad) * s - left, (otop - pad) * s - upper, (ox1 + pad) * s - left, (obottom + pad) * s - upper]
        rect = [max(0, rect[0]), max(0, rect[1]), min(crop.width - 1, rect[2]), min(crop.height - 1, rect[3])]
        ImageDraw.Draw(crop).rectangle(rect, outline=color, width=max(2, int(s * 1.2)))
        if crop.width > max_width:
            crop = crop.resize((max_width, max(1, round(crop.height * max_width / crop.width))))
        if colors:
            crop = crop.quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        crop.save(out, format="PNG")
        return out.getvalue()

    def _region(self, page_number: int, x0: float, top: float, x1: float, bottom: float):
        """(RGB image of the region, the scale, its left and upper pixel on the whole page at that scale), or
        (None, …) when the region lies outside the page. A page that fits MAX_PIXELS is rendered whole once and
        the region cut from it; a larger one has only the region rendered (PDFium's crop)."""
        width, height = self._size(page_number)
        if fit_scale(width, height, self.scale) < self.scale:
            page = self._page(page_number)
            try:
                return self._region_alone(page, width, height, x0, top, x1, bottom)
            finally:
                page.close()
        bitmap = self._bitmap(page_number)
        s = self.scale
        left, upper = max(0, int(x0 * s)), max(0, int(top * s))
        right = min(bitmap.width, int(x1 * s + 0.999))
        lower = min(bitmap.height, int(bottom * s + 0.999))
        if right <= left or lower <= upper:
            return None, s, 0, 0
        return rgb(bitmap, (left, upper, right, lower)), s, left, upper

    def _region_alone(self, page, width: float, height: float, x0: float, top: float, x1: float, bottom: float):
        """The region rendered by itself (PDFium's crop) at the renderer's scale, or at the scale that fits
        MAX_PIXELS for a region too large for it: the same pixels as the whole page's rendering has there."""
        cx0, ctop, cx1, cbottom = max(0.0, x0), max(0.0, top), min(width, x1), min(height, bottom)
        s = fit_scale(max(cx1 - cx0, 0.0), max(cbottom - ctop, 0.0), self.scale)
        page_w, page_h = math.ceil(width * s), math.ceil(height * s)
        left, upper = max(0, int(x0 * s)), max(0, int(top * s))       # as on the whole page's rendering
        right, lower = min(page_w, int(x1 * s + 0.999)), min(page_h, int(bottom * s + 0.999))
        if right <= left or lower <= upper:
            return None, s, 0, 0
        # pypdfium2 cuts ceil(amount × scale) pixels off each side: a quarter pixel less than each whole number of
        # pixels makes that number exactly, whatever the rounding of the division
        cut = [(n - 0.25) / s for n in (left, page_h - lower, page_w - right, upper)]
        bitmap = page.render(scale=s, crop=cut)
        try:
            image = rgb(bitmap, (0, 0, min(bitmap.width, right - left), min(bitmap.height, lower - upper)))
        finally:
            bitmap.close()
        self.renders += 1
        return image, s, left, upper


def crop_png(path: Source, page_number: int, box: BoxLike, outline: Optional[BoxLike] = None,
             margin: float = 6.0, scale: float = 2.0, color=OUTLINE, colors: int = 16) -> bytes:
    """PNG of one region of one page (1-based), `outline` (default: the box) drawn round the cell or row."""
    with PageRenderer(path, scale=scale) as r:
        return r.crop_png(page_number, box, outline=outline, margin=margin, color=color, colors=colors)


def rgb(bitmap, box: Optional[tuple[int, int, int, int]] = None):
    """An RGB image of its own of a PDFium rendering, or of one rectangle of it (left, upper, right, lower, in
    pixels). From PDFium's usual BGR only the rectangle's pixels are converted (PIL copies while reordering
    them), not the whole page for every crop; the pixels are those of the whole page's conversion."""
    box = box or (0, 0, bitmap.width, bitmap.height)
    if bitmap.mode != "BGR":        # a layout PIL may share memory with: a whole copy, then the rectangle
        return bitmap.to_pil().convert("RGB").crop(box)
    from PIL import Image
    left, upper, right, lower = box
    rows = memoryview(bitmap.buffer).cast("B")[upper * bitmap.stride + left * bitmap.n_channels:]
    return Image.frombuffer("RGB", (right - left, lower - upper), rows, "raw", "BGR", bitmap.stride, 1)
