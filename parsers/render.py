"""Pictures of the source: a region of a PDF page rendered to PNG, with a box outlined.

The report shows, beside a finding, the printed row it is about. Rendering is the reader side's business (it knows
PDF), so it lives here: nothing under ingest/ imports a PDF library. pypdfium2 comes with pdfplumber and Pillow
with both.

Boxes are in PDF points, origin top-left (parsers.model.Box's convention, pdfplumber's): [x0, top, x1, bottom].
`PageRenderer` renders each page once however many crops are taken from it; `crop_png` is the one-shot form.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Optional, Sequence, Union

Source = Union[str, Path, bytes]
BoxLike = Sequence[float]

OUTLINE = (220, 0, 40)          # the default outline colour: the report's "error" red


class PageRenderer:
    """One open PDF; `crop_png` renders a page the first time it is asked for and reuses it after.

    Use as a context manager (or call close()) so the document and the rendered pages are released.
    """

    def __init__(self, source: Source, scale: float = 2.0):
        import pypdfium2 as pdfium
        self.scale = scale
        self._pdf = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
        self._bitmaps: dict[int, object] = {}    # page number -> PDFium's rendering of the whole page
        self.renders = 0                          # how many pages were rendered (each page at most once)

    def __enter__(self) -> "PageRenderer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the document and the rendered pages."""
        for bitmap in self._bitmaps.values():
            bitmap.close()
        self._bitmaps.clear()
        self._pdf.close()

    def __len__(self) -> int:
        return len(self._pdf)

    def page_image(self, page_number: int):
        """The whole page (1-based) as a PIL image of its own, rendered once."""
        bitmap = self._bitmap(page_number)
        return rgb(bitmap)

    def _bitmap(self, page_number: int):
        """PDFium's rendering of the page (1-based), made the first time it is asked for and kept until close()."""
        if page_number not in self._bitmaps:
            if not 1 <= page_number <= len(self._pdf):
                raise ValueError(f"page {page_number} is not in the document (1–{len(self._pdf)})")
            page = self._pdf[page_number - 1]
            try:
                self._bitmaps[page_number] = page.render(scale=self.scale)
            finally:
                page.close()
            self.renders += 1
        return self._bitmaps[page_number]

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
        bitmap = self._bitmap(page_number)
        s = self.scale
        width, height = bitmap.width, bitmap.height
        x0, top, x1, bottom = (float(v) for v in box)
        left = max(0, int((x0 - margin) * s))
        upper = max(0, int((top - margin) * s))
        right = min(width, int((x1 + margin) * s + 0.999))
        lower = min(height, int((bottom + margin) * s + 0.999))
        if right <= left or lower <= upper:
            raise ValueError(f"box {list(box)} lies outside page {page_number}")
        crop = rgb(bitmap, (left, upper, right, lower))
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
