#!/usr/bin/env python3
"""Scanned versions of the two sample notices, made from their PDFs (run after generate.py).

    .venv/bin/python samples/make_scans.py

Writes into samples/scanned/:
  pudong-2024-scan150.pdf      浦东 (7 pages) scanned at 150 dpi: a PDF of page images, no text layer
  qingpu-2021-scan300.pdf      青浦 (9 pages) scanned at 300 dpi, the same way
  pudong-2024-annex-photo.png  浦东's first annex page (the two-list table) as a photo: 8-bit grey, dpi set

A scan here is what a flatbed scanner and a photocopied original give: the page rendered (pypdfium2) at the
scan resolution, slightly blurred, printed on grey paper with a faint shading, turned by a small angle that
differs from page to page (between 0.3° and 1° either way), with sensor noise and a few specks of dust, and
stored as a JPEG. The photo adds uneven lighting (a lamp to one side, darker corners) instead of the flat grey.

Output is byte-identical on every run: every random choice comes from a seeded generator, the JPEG and PNG
encoders run with fixed settings, and reportlab writes the PDFs with invariant=1.
"""
from __future__ import annotations

import io
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
OUT = HERE / "scanned"

# (source PDF, output PDF, scan resolution in dpi, JPEG quality)
SCANS = [
    ("pudong-2024.pdf", "pudong-2024-scan150.pdf", 150, 65),
    ("qingpu-2021.pdf", "qingpu-2021-scan300.pdf", 300, 60),
]
# (source PDF, 1-based page, output PNG, resolution in dpi, rotation in degrees)
PHOTO = ("pudong-2024.pdf", 6, "pudong-2024-annex-photo.png", 150, -0.8)

INK, PAPER = 28.0, 228.0       # grey levels of black print and of the (grey) paper


def rng_for(name: str, page: int = 0) -> np.random.Generator:
    """One generator per output page, seeded from the file name and page (stable across runs and platforms)."""
    return np.random.default_rng([zlib.crc32(name.encode("utf-8")), page])


def render(pdf: pdfium.PdfDocument, index: int, dpi: int) -> np.ndarray:
    page = pdf[index]
    try:
        bitmap = page.render(scale=dpi / 72.0, grayscale=True)
        img = bitmap.to_pil().convert("L")
    finally:
        page.close()
    return np.asarray(img, dtype=np.float32)


def angle_for(rng: np.random.Generator) -> float:
    """A small skew: 0.3°–1°, either way (never zero, so every page needs deskewing)."""
    return float(rng.uniform(0.3, 1.0) * rng.choice([-1.0, 1.0]))


def smooth_field(rng: np.random.Generator, shape: tuple[int, int], cells: int = 4) -> np.ndarray:
    """A smooth random field in [-1, 1]: a coarse random grid scaled up bicubically (shading of the paper)."""
    coarse = rng.uniform(-1.0, 1.0, size=(cells, cells)).astype(np.float32)
    img = Image.fromarray(coarse, mode="F").resize((shape[1], shape[0]), Image.Resampling.BICUBIC)
    return np.clip(np.asarray(img, dtype=np.float32), -1.0, 1.0)


def rotate(page: np.ndarray, angle: float, fill: float) -> np.ndarray:
    img = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8), mode="L")
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=int(fill))
    return np.asarray(img, dtype=np.float32)


def add_noise(page: np.ndarray, rng: np.random.Generator, sigma: float, specks: int, grain: int = 1) -> np.ndarray:
    """Sensor noise (its grain `grain` pixels wide, as at 150 dpi whatever the resolution) and specks of dust."""
    h, w = page.shape
    noise = rng.normal(0.0, sigma, size=((h + grain - 1) // grain, (w + grain - 1) // grain)).astype(np.float32)
    if grain > 1:
        noise = np.asarray(Image.fromarray(noise, mode="F").resize((w, h), Image.Resampling.BILINEAR))
    page = page + noise
    ys = rng.integers(0, h - 2, size=specks)
    xs = rng.integers(0, w - 2, size=specks)
    for y, x, r in zip(ys, xs, rng.integers(1, 3, size=specks)):
        page[y:y + r, x:x + r] = INK + 20
    return page


def scan_page(white: np.ndarray, rng: np.random.Generator, dpi: int) -> tuple[np.ndarray, float]:
    """A rendered page (255 = paper) as a scanner gives it back; returns the page and the angle it was turned."""
    angle = angle_for(rng)
    blurred = Image.fromarray(white.astype(np.uint8), mode="L").filter(ImageFilter.GaussianBlur(0.5 * dpi / 150))
    t = np.asarray(blurred, dtype=np.float32) / 255.0
    paper = PAPER + 6.0 * smooth_field(rng, white.shape)
    page = INK + (paper - INK) * t
    page = rotate(page, angle, PAPER)
    page = add_noise(page, rng, sigma=3.5, specks=int(40 * dpi / 150), grain=max(dpi // 150, 1))
    return np.clip(page, 0, 255).astype(np.uint8), angle


def photo_page(white: np.ndarray, rng: np.random.Generator, angle: float) -> np.ndarray:
    """A rendered page as a phone photo under a desk lamp: bright on the left, darker corners, noise."""
    h, w = white.shape
    t = np.asarray(Image.fromarray(white.astype(np.uint8), mode="L").filter(ImageFilter.GaussianBlur(0.7)),
                   dtype=np.float32) / 255.0
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    lamp = 1.0 - 0.22 * (xx / w) - 0.10 * (yy / h)                 # light falls off away from the lamp
    vignette = 1.0 - 0.18 * (((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2) / 2
    light = lamp * vignette * (1.0 + 0.03 * smooth_field(rng, white.shape, 3))
    page = (INK + 10 + (238.0 - INK - 10) * t) * light
    page = rotate(page, angle, 238.0 * 0.8)
    page = add_noise(page, rng, sigma=4.0, specks=30)
    # a phone's JPEG-smoothed, 6-bit-ish grey: quantise to steps of 4 so the PNG stays small
    page = np.round(np.clip(page, 0, 255) / 4.0) * 4.0
    return np.clip(page, 0, 255).astype(np.uint8)


def jpeg(page: np.ndarray, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(page, mode="L").save(buf, format="JPEG", quality=quality, optimize=False, progressive=False,
                                         subsampling=0, dpi=(dpi, dpi))
    return buf.getvalue()


def make_scan(source: str, target: str, dpi: int, quality: int) -> list[float]:
    src = pdfium.PdfDocument(str(HERE / source))
    out = OUT / target
    c = canvas.Canvas(str(out), invariant=1, pageCompression=1)
    c.setTitle("")
    c.setAuthor("")
    c.setCreator("")
    c.setProducer("")
    angles = []
    try:
        for i in range(len(src)):
            width, height = src[i].get_size()
            page, angle = scan_page(render(src, i, dpi), rng_for(target, i + 1), dpi)
            angles.append(angle)
            c.setPageSize((width, height))
            c.drawImage(ImageReader(io.BytesIO(jpeg(page, quality, dpi))), 0, 0, width=width, height=height)
            c.showPage()
    finally:
        src.close()
    c.save()
    return angles


def make_photo(source: str, page_no: int, target: str, dpi: int, angle: float) -> None:
    src = pdfium.PdfDocument(str(HERE / source))
    try:
        white = render(src, page_no - 1, dpi)
    finally:
        src.close()
    page = photo_page(white, rng_for(target), angle)
    Image.fromarray(page, mode="L").save(OUT / target, format="PNG", dpi=(dpi, dpi), optimize=False,
                                         compress_level=9)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for source, target, dpi, quality in SCANS:
        angles = make_scan(source, target, dpi, quality)
        print(f"{target}: {len(angles)} pages at {dpi} dpi, turned by "
              + ", ".join(f"{a:+.2f}°" for a in angles))
    make_photo(*PHOTO)
    print(f"{PHOTO[2]}: page {PHOTO[1]} of {PHOTO[0]} at {PHOTO[3]} dpi, turned by {PHOTO[4]:+.2f}°")


if __name__ == "__main__":
    main()
