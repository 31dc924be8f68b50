"""A generated corpus for the benchmark: variants of the two sample notices in every format.

Everything is derived from the seeds through samples/generate.py (its parsers, its PDF layout with reportlab and
its DOCX builder with python-docx), so the files look like the samples: ruled tables, merged cells, spacing damage,
tables continued over pages. Variants change the year, every figure, and the length of the tables:
  - 青浦 variants repeat the rows of 附件 2 (56 units) up to 8 more times: tables of up to ~500 rows, ~20 pages;
  - 浦东 variants add up to 400 units to the two-list annex table, laid out page by page as the seed is;
  - text variants are edited line by line from the seed texts, a quarter of them saved as GB18030.
Figures are changed at random (fixed seed) and 合计 rows recomputed, so some notices add up and some do not.
"""
from __future__ import annotations

import copy
import dataclasses
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
import generate as g  # noqa: E402  (samples/generate.py)

DUP = (0, 0, 1, 1, 2, 3, 4, 8)           # extra copies of 青浦 附件 2 (56 rows each)
EXTRA = (0, 0, 30, 60, 120, 200, 400)    # extra units in the 浦东 annex
FIRST_PAGE_ROWS, PAGE_ROWS = 34, 36      # rows per list on the 浦东 annex pages (as the seed's first page)


def _swap(obj, old: str, new: str):
    """Replace text in every string of a (nested) dataclass, in place where possible."""
    if isinstance(obj, str):
        return obj.replace(old, new)
    if isinstance(obj, list):
        obj[:] = [_swap(x, old, new) for x in obj]
        return obj
    if isinstance(obj, tuple):
        return tuple(_swap(x, old, new) for x in obj)
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            setattr(obj, f.name, _swap(getattr(obj, f.name), old, new))
    return obj


def _vary(value: str, rng: random.Random) -> str:
    n = int(value)
    return str(max(1, n + rng.randint(-max(1, n // 10), max(1, n // 10))))


_SUFFIX = "甲乙丙丁戊己庚辛壬癸"


def qingpu_variant(base, rng: random.Random, dup: int, year: int):
    q = copy.deepcopy(base)
    _swap(q, "2021", str(year))
    for annex in q.annexes:
        rows = annex.table.rows
        value_col = len(rows[0]) - 1
        if annex.label == "附件 2" and dup:
            items = [r for r in rows[1:-1] if all(r)]
            extra = [[r[0] + _SUFFIX[k % 10] + "组", r[1]] for k in range(dup) for r in items]
            rows[-1:-1] = extra
        for r in rows[1:-1]:
            if r[value_col].isdigit():
                r[value_col] = _vary(r[value_col], rng)
        rows[-1][value_col] = str(sum(int(r[value_col]) for r in rows[1:-1] if r[value_col].isdigit()))
        annex.table.spans = g.merges_from_blanks(rows)
    return q


def pudong_variant(base, rng: random.Random, extra: int, year: int):
    p = copy.deepcopy(base)
    _swap(p, "2024", str(year))
    entries = [e for page in p.annex_pages for col in (0, 1) for row in page.rows
               for e in [row[col]] if e is not None]
    entries.sort(key=lambda e: (e.name == "合计", int(e.no) if e.no else 21))   # seq order; 21 lost its number
    total = entries.pop()
    entries += [g.Entry(str(len(entries) + k + 1), f"第{k + 1}分会场", str(rng.randint(20, 900)))
                for k in range(extra)]
    for e in entries:
        e.value = _vary(e.value, rng)
    total.value = str(sum(int(e.value) for e in entries))
    entries.append(total)
    header = p.annex_pages[0].header
    pages, i, first = [], 0, True
    while i < len(entries):
        n = FIRST_PAGE_ROWS if first else PAGE_ROWS
        left, right = entries[i:i + n], entries[i + n:i + 2 * n]
        pages.append(g.AnnexPage(header, [(l, right[k] if k < len(right) else None) for k, l in enumerate(left)]))
        i += 2 * n
        first = False
    p.annex_pages = pages
    return p


def pudong_docx(doc, path: Path) -> None:
    """generate.build_pudong_docx, for any number of annex pages (the seed has two): one Word table for all."""
    d = g.new_document()
    g.add_paragraph(d, doc.docno.text, indent=False, align=g.WD_ALIGN_PARAGRAPH.CENTER)
    for block in doc.cover:
        g.add_paragraph(d, block.text, indent=block.kind != "salutation")
    g.add_paragraph(d, doc.issuer, indent=False, align=g.WD_ALIGN_PARAGRAPH.RIGHT)
    g.add_paragraph(d, doc.date.text, indent=False, align=g.WD_ALIGN_PARAGRAPH.RIGHT)
    g.add_paragraph(d, doc.public_note, indent=False)
    for block in doc.body:
        g.add_paragraph(d, block.text)
    g.add_paragraph(d, doc.annex_ref.text)
    g.add_paragraph(d, doc.cc, indent=False, size=14)
    g.add_paragraph(d, f"{doc.printed_by}\t{doc.printed_on}", indent=False, size=14)
    g.add_paragraph(d, doc.annex_title.text, indent=False, page_break_before=True)
    pages = [g.pudong_table(page, header_lines=False) for page in doc.annex_pages]
    g.add_table(d, g.Table([row for t in pages for row in t.rows]))
    g.save_docx(d, path, doc.annex_title.text.removeprefix("附件："))


def qingpu_text(seed: str, rng: random.Random, dup: int, year: int) -> str:
    lines = seed.replace("2021", str(year)).split("\n")
    out, annex, block = [], None, []

    def flush():
        if not block:
            return
        items = [l for l in block if not l.startswith("合计")]
        total = [l for l in block if l.startswith("合计")]
        if annex == "2" and dup:
            plain = [l for l in items if l.strip() and "\t" in l]
            items += [l.split("\t")[0] + _SUFFIX[k % 10] + "组\t" + l.split("\t")[1] for k in range(dup) for l in plain]
        varied = []
        for l in items:
            cells = l.split("\t")
            if len(cells) >= 2 and cells[-1].strip().isdigit():
                cells[-1] = _vary(cells[-1].strip(), rng)
            varied.append("\t".join(cells))
        s = sum(int(l.split("\t")[-1]) for l in varied if "\t" in l and l.split("\t")[-1].isdigit())
        out.extend(varied)
        out.extend(re.sub(r"\d+$", str(s), t.rstrip()) for t in total)
        block.clear()

    for line in lines:
        m = re.fullmatch(r"附件\s*(\d+)", line.strip())
        if m:
            flush()
            annex = m.group(1)
            out.append(line)
            continue
        if annex and "\t" in line and not line.startswith(("地区", "单位", "月份")):
            block.append(line)
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


def pudong_text(seed: str, rng: random.Random, year: int) -> str:
    out = []
    in_annex = False
    for line in seed.replace("2024", str(year)).split("\n"):
        if line.strip().startswith("附件："):
            in_annex = True
        toks = line.split()
        if in_annex and len(toks) >= 2 and any(t.isdigit() for t in toks):
            toks = [_vary(t, rng) if t.isdigit() and k > 0 and not toks[k - 1].isdigit() and toks[k - 1] != "合计"
                    else t for k, t in enumerate(toks)]
            line = " ".join(toks)
        out.append(line)
    return "\n".join(out)


_add_table = g.add_table


def fast_add_table(doc, table, size: float = 10.5):
    """generate.add_table without python-docx's cell(r, c), which walks the whole table on every call (a
    500-row table took seconds). Tables with merged cells are small and go the original way."""
    if table.spans:
        return _add_table(doc, table, size)
    from docx.table import _Cell
    t = doc.add_table(rows=len(table.rows), cols=len(table.rows[0]))
    t.style = "Table Grid"
    for tr, row in zip(t._tbl.tr_lst, table.rows):
        for tc, text in zip(tr.tc_lst, row):
            g.set_cell(_Cell(tc, t), text, size)
    return t


_SEEDS: dict = {}


def _seeds() -> dict:
    if not _SEEDS:
        g.register_font()
        g.add_table = fast_add_table
        _SEEDS.update(qingpu=g.parse_qingpu(), pudong=g.parse_pudong(),
                      qingpu_txt=(ROOT / "samples" / "qingpu-2021.txt").read_text(encoding="utf-8"),
                      pudong_txt=(ROOT / "samples" / "pudong-2024.txt").read_text(encoding="utf-8"))
    return _SEEDS


def make(folder: Path, i: int, seed: int = 6) -> Path:
    """Notice number i: PDF, DOCX and text in turn, 青浦 and 浦东 in turn, years 2010–2024, its own random draws."""
    s = _seeds()
    rng = random.Random(seed * 1_000_003 + i)
    fmt = ("pdf", "docx", "txt")[i % 3]
    which = "qingpu" if (i // 3) % 2 == 0 else "pudong"
    year = 2010 + (i // 6) % 15
    path = folder / f"{which}-{year}-{i:04d}.{fmt}"
    if which == "qingpu":
        dup = rng.choice(DUP)
        if fmt == "txt":
            text = qingpu_text(s["qingpu_txt"], rng, dup, year)
        else:
            doc = qingpu_variant(s["qingpu"], rng, dup, year)
    else:
        extra = rng.choice(EXTRA)
        if fmt == "txt":
            text = pudong_text(s["pudong_txt"], rng, year)
        else:
            doc = pudong_variant(s["pudong"], rng, extra, year)
    if fmt == "txt":
        path.write_bytes(text.encode("gb18030" if i % 4 == 2 else "utf-8"))
    elif fmt == "pdf":
        (g.build_qingpu_pdf if which == "qingpu" else g.build_pudong_pdf)(doc, path)
    elif which == "qingpu":
        g.build_qingpu_docx(doc, path)
    else:
        pudong_docx(doc, path)
    return path


def build(folder: Path, n: int = 300, seed: int = 6, jobs: int = 0) -> list[Path]:
    """n notices in `folder` (a third each PDF, DOCX and text), made in `jobs` processes (0: one per core);
    the same files whatever the number of processes. Returns their paths in order."""
    from concurrent.futures import ProcessPoolExecutor
    folder.mkdir(parents=True, exist_ok=True)
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or n < 6:
        return [make(folder, i, seed) for i in range(n)]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(make, [folder] * n, range(n), [seed] * n, chunksize=4))
