"""PNG and JPEG files (a photo or scan of a printed page) into the document model, through OCR."""
from __future__ import annotations

import io

import numpy as np

from . import ocr
from .model import Document, PageInfo, Paragraph, UnreadableFile

# Without a resolution in the file, assume a scan at this many dots per inch (boxes are kept in points).
DEFAULT_DPI = 150


def read(path: str, data: bytes, max_pixels: int = 80_000_000) -> Document:
    from PIL import Image, UnidentifiedImageError
    try:
        img = Image.open(io.BytesIO(data))
        if img.width * img.height > max_pixels:
            raise UnreadableFile(f"image is {img.width}×{img.height} pixels, over the limit of {max_pixels}")
        img.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise UnreadableFile(f"not a readable image: {exc}") from exc
    dpi = img.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
    scale = float(dpi) / 72.0
    array = np.asarray(img.convert("RGB"))
    lines, tables = ocr.read_page(array, 1, scale)
    doc = Document(source_file=path, format="image")
    doc.pages.append(PageInfo(number=1, width=img.width / scale, height=img.height / scale,
                              n_chars=sum(len(line.text) for line in lines)))
    blocks = [(line.box.top, Paragraph(lines=[line])) for line in lines]
    blocks += [(t.box.top, t) for t in tables]
    doc.blocks = [b for _, b in sorted(blocks, key=lambda x: x[0])]
    doc.notes.append(f"read by OCR at {dpi:.0f} dpi")
    return doc
