"""PNG and JPEG files (a photo or scan of a printed page) into the document model, through OCR."""
from __future__ import annotations

import io

import numpy as np

from . import ocr
from .model import Document, Note, PageInfo, Paragraph, UnreadableFile
from .render import MAX_PIXELS

# Without a believable resolution in the file (none, or the 72 dpi cameras write), the image is taken to show a
# whole A4 page and its resolution follows from its size; a scan states its own.
A4_LONG_SIDE_IN = 297 / 25.4
MIN_DPI, MAX_DPI = 100, 1200
# Images finer than this are read at OCR_DPI, as PDF pages are: OCR gains nothing from more pixels, only time.
OCR_DPI = 150
MAX_OCR_DPI = 200


def read(path: str, data: bytes, max_pixels: int = MAX_PIXELS) -> Document:
    """A page image read by OCR (RapidOCR): lines and ruled tables with their confidences."""
    from PIL import Image, ImageOps, UnidentifiedImageError
    try:
        img = Image.open(io.BytesIO(data))
        if img.width * img.height > max_pixels:
            raise UnreadableFile(f"image is {img.width}×{img.height} pixels, over the limit of {max_pixels}")
        img.load()
        img = ImageOps.exif_transpose(img)          # a photo taken sideways says so in its EXIF orientation
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise UnreadableFile(f"not a readable image: {exc}") from exc
    dpi, stated = _dpi(img)
    grey = _grey(img)
    if dpi > MAX_OCR_DPI:
        import cv2
        f = OCR_DPI / dpi
        grey = cv2.resize(grey, (max(round(grey.shape[1] * f), 1), max(round(grey.shape[0] * f), 1)),
                          interpolation=cv2.INTER_AREA)
        dpi = OCR_DPI * 1.0
    scale = dpi / 72.0
    lines, tables = ocr.read_page(grey, 1, scale, what="image")
    doc = Document(source_file=path, format="image")
    n_chars = sum(len(x.text) for x in lines + [c for t in tables for r in t.rows for c in r])
    doc.pages.append(PageInfo(number=1, width=grey.shape[1] / scale, height=grey.shape[0] / scale,
                              n_chars=n_chars, ocr=True))
    blocks = [(line.box.top, Paragraph(lines=[line])) for line in lines]
    blocks += [(t.box.top, t) for t in tables]
    doc.blocks = [b for _, b in sorted(blocks, key=lambda x: x[0])]
    doc.notes.append(Note("ocr", f"{dpi:.0f} dpi" + ("" if stated else ", from the image size"), 1))
    return doc


def _dpi(img) -> tuple[float, bool]:
    """The image's resolution and whether the file stated it (else: from its size, as an A4 page)."""
    value = img.info.get("dpi")
    try:
        dpi = float(value[0]) if value else 0.0
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    if MIN_DPI <= dpi <= MAX_DPI:
        return dpi, True
    return min(max(max(img.width, img.height) / A4_LONG_SIDE_IN, 50.0), float(MAX_DPI)), False


def _grey(img) -> np.ndarray:
    """8-bit grey; what is transparent counts as white paper."""
    from PIL import Image
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(paper, rgba)
    if img.mode.startswith("I;16"):              # 16-bit grey: keep the top 8 bits (convert() would clip)
        return (np.asarray(img, dtype=np.uint16) >> 8).astype(np.uint8)
    if img.mode not in ("L", "RGB"):
        img = img.convert("RGB")
    return np.asarray(img.convert("L"))
