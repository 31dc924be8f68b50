"""Pictures of the printed source of each finding: the region of a PDF page that report.html shows beside it.

They are rendered as the last stage of reading a PDF, from the bytes already in memory, so the file is not opened
again when the report is written and, with workers, the rendering is shared among them instead of waiting for the
one process that writes the outputs. A picture is named by the file's hash, the page and the two boxes (`spec`):
the report finds it by that name, whichever notice (a body, an annex file) it came with, and renders what it
does not find (a finding a reviewer's decision or a later check added).
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Iterator

from .records import Finding, Notice

# The region shown is the finding's row (or cell) with this many points round it, and the outline drawn this
# far outside the cell: enough to see the row's neighbours, not a page.
MARGIN = 4
# A row's height above and below the finding's row, within these bounds (points), shows what comes before and after.
CONTEXT_MIN, CONTEXT_MAX = 8.0, 24.0


def rows_by_number(n: Notice) -> dict:
    """(table_id, row_no) -> (table, row) of every row of the notice's tables."""
    return {(t.table_id, r.row_no): (t, r) for t in n.tables for r in t.rows}


def region(f: Finding, rows: dict) -> list[float]:
    """The region to show: the finding's row across the whole width of its table on that page, with a row's
    height above and below for context."""
    x0, top, x1, bottom = f.box.as_list()
    hit = rows.get((f.table_id, f.row_no)) if f.table_id else None
    if hit:
        t, row = hit
        boxes = [r.source.box for r in t.rows if r.source.page == f.page and r.source.box]
        if boxes:
            x0, x1 = min([x0] + [b.x0 for b in boxes]), max([x1] + [b.x1 for b in boxes])
        if row.source.box and row.source.page == f.page:
            top, bottom = min(top, row.source.box.top), max(bottom, row.source.box.bottom)
    pad = max(CONTEXT_MIN, min(CONTEXT_MAX, (bottom - top)))
    return [x0, top - pad, x1, bottom + pad]


def spec(sha: str, page: int, box: list, outline: list) -> str:
    """The name of a picture: what it shows, of which file's bytes (rounded as the boxes are printed)."""
    text = f"{sha}|{page}|{[round(v, 1) for v in box]}|{[round(v, 1) for v in outline]}|v2"
    return hashlib.sha256(text.encode()).hexdigest()


def due(n: Notice) -> list[Finding]:
    """The findings of a PDF notice that have a picture: those with a page and a box in the body file's tables
    or text (an annex file's tables come with that file's own notice)."""
    if n.format != "pdf" or not n.source_sha256:
        return []
    annex_tables = {t.table_id for t in n.tables if t.source_file}
    return [f for f in n.findings if f.page and f.box and f.table_id not in annex_tables]


def rendered(data: bytes, sha: str, findings: list[Finding], rows: dict) -> Iterator[tuple[Finding, str, bytes]]:
    """(finding, picture's name, PNG) for each finding, rendered from its file's bytes: each page once, each
    picture once however many findings show it. Raises what rendering raised, after the pictures made before."""
    from parsers.render import PageRenderer
    made: dict[str, bytes] = {}
    with PageRenderer(data) as renderer:
        for f in sorted(findings, key=lambda x: x.page):
            box, outline = region(f, rows), f.box.as_list()
            name = spec(sha, f.page, box, outline)
            if name not in made:
                made[name] = renderer.crop_png(f.page, box, outline=outline, margin=MARGIN)
            yield f, name, made[name]


def with_pictures(n: Notice, data: bytes) -> Notice:
    """The notice with the pictures of its findings, rendered from its file's bytes (each page once). A page
    that cannot be rendered leaves its findings without a picture; the report tries again and says why."""
    findings = due(n)
    if not findings:
        return n
    out: dict[str, bytes] = {}
    try:
        for _, name, png in rendered(data, n.source_sha256, findings, rows_by_number(n)):
            out[name] = png
    except Exception:       # a picture is a help, not a finding: the report renders what is missing, or says why
        pass
    return replace(n, pictures=out) if out else n
