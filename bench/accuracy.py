#!/usr/bin/env python3
"""Table accuracy, side by side: this pipeline against pdfplumber's and camelot's own table extraction.

    .venv/bin/python bench/accuracy.py [--layouts DIR]          (or: make bench-accuracy)

For every sample with a truth file (samples/layouts/<file>.truth.json, written by samples/make_layouts.py), each
tool extracts the file's tables and is scored on the truth's cells: per truth row its 序号 (where the row has one),
its name (org with its bracketed note) and its figure in portions. A cell counts when the tool's output holds
exactly that value in the row it gives for the same name (rows are matched by name; a name listed twice is
matched in order). The score is the fraction of truth cells found.

- this pipeline: ingest.ingest_file, every table's rows as [seq, org + org_note, portions].
- pdfplumber: page.extract_tables() with its default settings (PDF only).
- camelot: lattice and stream flavours, where camelot is importable (an optional development tool, not a
  dependency: without it the script says so and scores the others).

The peers' tables are flattened into rows of cells; a row holding side-by-side lists is cut into pieces of the
truth's column count, and each piece is read by the truth's column roles. Their cells are compared after NFKC and
with whitespace removed (so "合　计" and "序\\n号" are not held against them); nothing else is normalised for
them, so a figure they give as printed in another unit, or a 序号 the page does not print, is a miss.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
import warnings
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import ingest_file  # noqa: E402

TOOLS = ["this pipeline", "pdfplumber", "camelot lattice", "camelot stream"]


def norm(value) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


# ------------------------------------------------------------------------------------------------ truth


def truth_rows(truth: dict) -> list[dict]:
    """The cells each truth row is scored on: {'org': …, 'portions': …, 'seq': … (only where it has one)}."""
    out = []
    for table in truth["tables"]:
        for row in table["rows"]:
            cells = {"org": norm(row["org"] + row["org_note"]), "portions": norm(row["portions"])}
            if row["seq"] is not None:
                cells["seq"] = norm(row["seq"])
            out.append(cells)
    return out


def score(truth: list[dict], found: list[dict]) -> tuple[int, int]:
    """(cells found, cells in the truth); rows matched by org, in order where a name repeats."""
    pool: dict[str, list[dict]] = defaultdict(list)
    for row in found:
        pool[row.get("org", "")].append(row)
    hit = total = 0
    for want in truth:
        total += len(want)
        got = pool.get(want["org"])
        if not got:
            continue
        row = got.pop(0)
        hit += sum(1 for key, value in want.items() if row.get(key, "") == value)
    return hit, total


# ------------------------------------------------------------------------------------------------ tools


def pipeline_rows(path: Path, truth: dict) -> list[dict]:
    notice = ingest_file(str(path))
    if notice.error:
        raise RuntimeError(notice.error)
    return [{"seq": norm(r.seq), "org": norm(r.org + r.org_note), "portions": norm(r.portions)}
            for t in notice.tables for r in t.rows]


ROLE_KEY = {"seq": "seq", "name": "org", "value": "portions"}


def truth_table_for(grid: list[list], truth: dict) -> dict:
    """The truth table a peer's grid stands for: the one as wide as the grid's usual row (all its lists side by
    side), else one whose list width divides it, else the first."""
    widths = sorted((len(r) for r in grid), key=lambda w: -sum(1 for r in grid if len(r) == w))
    width = widths[0] if widths else 0
    tables = truth["tables"]
    for t in tables:
        if len(t["columns"]) * t["n_lists"] == width:
            return t
    for t in tables:
        if width and width % len(t["columns"]) == 0:
            return t
    return tables[0]


def unfold(grid: list[list], truth: dict) -> list[dict]:
    """A peer's table as rows of {seq, org, portions}: each row cut into pieces of the truth's column count."""
    columns = truth_table_for(grid, truth)["columns"]
    width = len(columns)
    out = []
    for row in grid:
        cells = [norm(c) for c in row]
        for start in range(0, len(cells), width):
            piece = cells[start:start + width]
            rec = {ROLE_KEY[role]: piece[k] for k, role in enumerate(columns) if role in ROLE_KEY and k < len(piece)}
            if any(rec.values()):
                out.append(rec)
    return out


def pdfplumber_rows(path: Path, truth: dict) -> list[dict]:
    import pdfplumber

    rows = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows += unfold(table, truth)
            page.close()
    return rows


def camelot_rows(flavor: str):
    def run(path: Path, truth: dict) -> list[dict]:
        import camelot

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")      # "No tables found in table area" on text-only pages
            tables = camelot.read_pdf(str(path), pages="all", flavor=flavor)
        rows = []
        for t in tables:
            rows += unfold(t.df.values.tolist(), truth)
        return rows
    return run


TOOL_FUNCS = {"this pipeline": pipeline_rows, "pdfplumber": pdfplumber_rows,
              "camelot lattice": camelot_rows("lattice"), "camelot stream": camelot_rows("stream")}


def run_tool(tool: str, path: Path, truth: dict) -> tuple[list[dict], str]:
    """In a worker: one tool on one file; (rows, "") or ([], why it failed)."""
    try:
        return TOOL_FUNCS[tool](path, truth), ""
    except Exception as exc:
        return [], f"{exc.__class__.__name__}: {exc}".splitlines()[0]


def camelot_status() -> str:
    try:
        import camelot  # noqa: F401
    except Exception as exc:                      # not installed, or a broken native dependency
        return f"{exc.__class__.__name__}: {exc}".splitlines()[0]
    return ""


# ------------------------------------------------------------------------------------------------ real samples


def seed_truths() -> list[tuple[str, Path, dict]]:
    """The two real notices, their tables' content read from the seed texts by samples/generate.py's own seed
    parsers (the same figures SPEC.md states: 浦东 89 rows + 合计, row 21 without 序号; 青浦 three annexes)."""
    sys.path.insert(0, str(ROOT / "samples"))
    import generate as g

    def row(seq, name, value):
        return {"seq": seq, "org": name, "org_note": "", "portions": int(value)}

    pudong_rows = []
    for page in g.parse_pudong().annex_pages:
        for entries in zip(*page.rows):          # left list of the page, then its right list
            for e in entries:
                if e is None:
                    continue
                if e.name == "合计":
                    pudong_rows.append(row(None, e.name, e.value))
                else:
                    seq = int(e.no) if e.no else pudong_rows[-1]["seq"] + 1   # row 21: inferred
                    pudong_rows.append(row(seq, e.name, e.value))
    pudong_rows.sort(key=lambda r: (r["seq"] is None, r["seq"] or 0))
    pudong = {"tables": [{"columns": ["seq", "name", "value"], "n_lists": 2, "rows": pudong_rows}]}

    tables = []
    for annex in g.parse_qingpu().annexes:
        grid = annex.table.rows
        monthly = len(grid[0]) == 3
        rows = []
        for cells in grid[1:]:
            name, value = (cells[1], cells[2]) if monthly else (cells[0], cells[1])
            if cells[0] == "合计":
                rows.append(row(None, "合计", value))
            elif value:                               # a blank figure is the merged cell of the row above
                rows.append(row(None, name, value))
        tables.append({"columns": ["month", "name", "value"] if monthly else ["name", "value"], "n_lists": 1,
                       "rows": rows})
    qingpu = {"tables": tables}
    out = []
    for stem, truth in (("pudong-2024", pudong), ("qingpu-2021", qingpu)):
        for ext in ("pdf", "docx", "txt"):
            path = ROOT / "samples" / f"{stem}.{ext}"
            if path.exists():
                out.append((path.name, path, truth))
    return out


# ------------------------------------------------------------------------------------------------ run


def main() -> int:
    ap = argparse.ArgumentParser(description="Cell-level table accuracy per layout and per tool.")
    ap.add_argument("--layouts", default=str(ROOT / "samples" / "layouts"))
    ap.add_argument("--no-seeds", action="store_true", help="leave out the two real samples")
    args = ap.parse_args()
    folder = Path(args.layouts)
    truths = sorted(folder.glob("*.truth.json"))
    if not truths:
        print(f"no truth files in {folder} (run samples/make_layouts.py)", file=sys.stderr)
        return 2
    cases = [(p.name.removesuffix(".truth.json"), folder / p.name.removesuffix(".truth.json"),
              json.loads(p.read_text(encoding="utf-8"))) for p in truths]
    if not args.no_seeds:
        cases += seed_truths()

    why_not = camelot_status()
    if why_not:
        print(f"camelot: not available ({why_not})\n")
    columns = [t for t in TOOLS if not (why_not and t.startswith("camelot"))]

    started = time.perf_counter()
    # every (file, tool) pair is one job; jobs run in worker processes, results are read back in table order
    jobs = {(k, tool): (tool, path, truth) for k, (name, path, truth) in enumerate(cases) for tool in columns
            if tool == "this pipeline" or path.suffix.lower() == ".pdf"}
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = {key: pool.submit(run_tool, *job) for key, job in jobs.items()}
        results = {key: fut.result() for key, fut in futures.items()}

    totals = {t: [0, 0] for t in columns}
    pdf_totals = {t: [0, 0] for t in columns}
    errors = []
    lines = ["| layout | cells | " + " | ".join(columns) + " |",
             "|---|---:|" + "---:|" * len(columns)]
    for k, (name, path, truth) in enumerate(cases):
        want = truth_rows(truth)
        n_cells = sum(len(r) for r in want)
        is_pdf = path.suffix.lower() == ".pdf"
        cells = []
        for tool in columns:
            if (k, tool) not in results:
                cells.append("—")
                continue
            found, error = results[k, tool]
            if error:                            # a tool that fails on a file scores 0 there, and says why
                errors.append(f"{tool} on {name}: {error}")
            hit, total = score(want, found)
            for acc in (totals, pdf_totals) if is_pdf else (totals,):
                acc[tool][0] += hit
                acc[tool][1] += total
            cells.append(f"{100 * hit / total:.1f}%" + ("" if hit == total else f" ({total - hit} missed)"))
        lines.append(f"| {name} | {n_cells} | " + " | ".join(cells) + " |")

    def overall(acc, tool):
        hit, total = acc[tool]
        return f"**{100 * hit / total:.1f}%**" if total else "—"

    lines.append("| **all files** | | " + " | ".join(overall(totals, t) if t == "this pipeline" else "—"
                                                    for t in columns) + " |")
    lines.append("| **PDF files** | | " + " | ".join(overall(pdf_totals, t) for t in columns) + " |")
    print("\n".join(lines))
    print(f"\n{len(cases)} files, {time.perf_counter() - started:.1f} s. A cell is a truth row's 序号 (where it has "
          "one), name with its note, or figure in portions, found exactly in the row the tool gives for that name.")
    for e in errors:
        print(f"error: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
