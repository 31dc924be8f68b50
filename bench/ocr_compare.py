#!/usr/bin/env python3
"""OCR before and after a change: every word of a wide set of page images, and what the pipeline makes of them.

    .venv/bin/python bench/ocr_compare.py --save before.json [--code DIR]     record a reading
    .venv/bin/python bench/ocr_compare.py --save after.json --against before.json

A change to OCR must not read any figure differently; the three scanned samples alone are too few to show that.
The set read here:

- the scanned samples (samples/scanned), as they are;
- every text PDF of samples/ (the seeds, the layouts, the several-files and years samples) turned into a page
  image at 150 dpi twice: clean (a born-digital page rendered, as a PDF of images of it would be), and scanned
  (blur, grey paper, a small skew, noise and dust, by samples/make_scans.scan_page, seeded per file and page, so
  that every run reads the same pixels); each as a PDF of page images with no text layer, read with --ocr auto.

For each document: every word OCR gave (page, text, confidence rounded to 2 decimals, in reading order), and the
notice the pipeline made of it (its JSON as written to normalized/notices: rows, totals, findings). --against
prints: pages and words compared, words read differently (aligned in order), figures (words holding a digit) read
differently, confidences that moved (same text), and the documents whose notice changed.

--code DIR reads parsers/ and ingest/ from DIR instead of this checkout: the reference of a branch is recorded
from an export of main (git archive main parsers ingest | tar -x -C DIR).
"""
from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The scanned rendering of a text PDF is made at the resolution the pipeline reads PDF pages at.
DPI = 150
DIGITS = set("0123456789")


def sources() -> list[tuple[str, str, Path]]:
    """(name, how, path): the scanned samples as they are; every text PDF of samples/ clean and scanned."""
    out = [(p.name, "as-is", p) for p in sorted((ROOT / "samples" / "scanned").iterdir())
           if p.suffix in (".pdf", ".png", ".jpg")]
    texts = sorted(p for p in (ROOT / "samples").rglob("*.pdf") if "scanned" not in p.parts)
    for how in ("clean", "scanned"):
        out += [(f"{p.relative_to(ROOT / 'samples')}:{how}", how, p) for p in texts]
    return out


def image_pdf(path: Path, how: str) -> bytes:
    """The PDF's pages as images at DPI (clean, or through the sample scanner), in a PDF with no text layer."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image
    sys.path.insert(0, str(ROOT / "samples"))
    import make_scans
    doc = pdfium.PdfDocument(str(path))
    pages = []
    try:
        for i in range(len(doc)):
            white = make_scans.render(doc, i, DPI)
            if how == "scanned":
                page, _ = make_scans.scan_page(white, make_scans.rng_for(path.name, i + 1), DPI)
            else:
                page = np.clip(white, 0, 255).astype(np.uint8)
            pages.append(Image.fromarray(page, mode="L"))
    finally:
        doc.close()
    buf = io.BytesIO()
    stamp = time.gmtime(0)                        # the same bytes on every run
    pages[0].save(buf, format="PDF", resolution=DPI, save_all=True, append_images=pages[1:], creationDate=stamp,
                  modDate=stamp)
    return buf.getvalue()


def words_of(doc) -> list[list]:
    """[page, text, confidence to 2 decimals] of every word, paragraphs and table cells in block order."""
    from parsers.model import Paragraph, Table
    out = []

    def add(lines):
        for line in lines:
            for w in line.words:
                conf = None if w.confidence is None else round(w.confidence, 2)
                out.append([line.page, w.text, conf])

    for b in doc.blocks:
        if isinstance(b, Paragraph):
            add(b.lines)
        elif isinstance(b, Table):
            for row in b.rows:
                for cell in row:
                    add(cell.lines)
    return out


def read_one(item: tuple[str, str, str]) -> dict:
    """One document: its words and its notice, and the CPU seconds the reading took."""
    name, how, path = item
    os.environ.setdefault("XIANXUE_OCR_THREADS", "1")
    import hashlib

    import parsers
    from ingest.pipeline import read_document, review
    from ingest.writers import notice_json
    data = Path(path).read_bytes() if how == "as-is" else image_pdf(Path(path), how)
    t = time.process_time()
    doc = parsers.read_bytes(name, data, ocr="auto")
    cpu = time.process_time() - t
    notice = review(read_document(doc, name.replace("/", "-"), name, hashlib.sha256(data).hexdigest()), None)
    pages = sum(1 for p in doc.pages if p.ocr)
    return {"name": name, "pages": pages, "cpu": cpu, "words": words_of(doc),
            "notice": json.loads(json.dumps(notice_json(notice), ensure_ascii=False, default=str))}


def read_all(jobs: int, only: str) -> list[dict]:
    items = [(n, h, str(p)) for n, h, p in sources() if only in n]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(read_one, items))


def has_figure(text: str) -> bool:
    return any(ch in DIGITS for ch in text)


def compare_words(old: list, new: list) -> dict:
    """Words aligned in order by (page, text): read differently, figures among them, confidences moved."""
    a = [(p, t) for p, t, _ in old]
    b = [(p, t) for p, t, _ in new]
    out = {"words": len(old), "different": 0, "figures": 0, "conf_moved": 0, "conf_moved_figures": 0, "examples": []}
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                if old[i][2] != new[j][2]:
                    out["conf_moved"] += 1
                    out["conf_moved_figures"] += has_figure(old[i][1])
                    if len(out["examples"]) < 6:
                        out["examples"].append(f"p{old[i][0]} {old[i][1]!r} conf {old[i][2]} → {new[j][2]}")
            continue
        gone, came = old[i1:i2], new[j1:j2]
        out["different"] += max(len(gone), len(came))
        out["figures"] += max(sum(has_figure(w[1]) for w in gone), sum(has_figure(w[1]) for w in came))
        if len(out["examples"]) < 6:
            out["examples"].append(f"{[w[:2] for w in gone]} → {[w[:2] for w in came]}")
    return out


def _notice(d: dict) -> dict:
    """The notice as compared: without the checksum of the PDF made here to hold the images (a reading saved by
    an earlier version of this script holds one of a PDF stamped with the time it was made)."""
    notice = dict(d["notice"])
    notice["notice"] = {k: v for k, v in notice["notice"].items() if k != "source_sha256"}
    return notice


def report(before: list[dict], after: list[dict]) -> int:
    """Prints the comparison; 1 when a figure is read differently or a notice changed, else 0."""
    old = {d["name"]: d for d in before}
    totals = {"documents": 0, "pages": 0, "words": 0, "different": 0, "figures": 0, "conf_moved": 0,
              "conf_moved_figures": 0, "notices_changed": 0}
    for d in after:
        o = old.get(d["name"])
        if o is None:
            continue
        c = compare_words(o["words"], d["words"])
        changed = _notice(o) != _notice(d)
        totals["documents"] += 1
        totals["pages"] += d["pages"]
        totals["notices_changed"] += changed
        for k in ("words", "different", "figures", "conf_moved", "conf_moved_figures"):
            totals[k] += c[k]
        if c["different"] or c["conf_moved"] or changed:
            print(f"- {d['name']}: {c['different']} words differ ({c['figures']} figures), {c['conf_moved']} "
                  f"confidences moved{', NOTICE CHANGED' if changed else ''}")
            for e in c["examples"]:
                print(f"    {e}")
    cpu_old = sum(o["cpu"] for o in before)
    cpu_new = sum(d["cpu"] for d in after)
    print("\n| documents | pages | words | words read differently | figures read differently | confidences moved "
          "(of figures) | notices changed | reader CPU s before → after |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {totals['documents']} | {totals['pages']} | {totals['words']} | {totals['different']} | "
          f"**{totals['figures']}** | {totals['conf_moved']} ({totals['conf_moved_figures']}) | "
          f"**{totals['notices_changed']}** | {cpu_old:.1f} → {cpu_new:.1f} |")
    return 1 if totals["figures"] or totals["notices_changed"] else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--save", help="write this reading to a JSON file")
    ap.add_argument("--against", help="compare this reading with one saved before")
    ap.add_argument("--code", help="read parsers/ and ingest/ from this folder (an export of another branch)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", default="", help="only documents whose name holds this")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.code).resolve()) if args.code else str(ROOT))
    t = time.time()
    results = read_all(args.jobs, args.only)
    print(f"read {len(results)} documents, {sum(d['pages'] for d in results)} pages by OCR in {time.time() - t:.0f} s",
          file=sys.stderr)
    if args.save:
        Path(args.save).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    if args.against:
        return report(json.loads(Path(args.against).read_text(encoding="utf-8")), results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
