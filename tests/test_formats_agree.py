"""A notice reads the same whatever format it came in: rows, totals, metadata and findings.

The text version is the reference. A whole notice (PDF, DOCX, .doc, HTML page, OFD) gives the same rows, facts and
findings; an annex workbook alone (XLSX, XLS, ODS) holds no body, so it gives the same tables, rows and totals and
the same findings about them, and no facts of the body."""
import pytest

import parsers
from parsers.model import Note
from conftest import FORMATS, SAMPLES

WHOLE = ["pdf", "docx", "doc", "html", "ofd"]
ANNEX = ["xlsx", "xls", "ods"]


def _rows(n):
    return [(t.table_id, t.kind, t.title, r.row_no, r.seq, r.seq_inferred, r.org, r.org_note, r.portions,
             r.row_type, r.month_from, r.month_to, r.merged) for t in n.tables for r in t.rows]


def _meta(n):
    f = n.facts
    return (f.title, f.region, f.year, f.doc_number, f.issuer, f.signed_on, f.issued_on, f.status, f.unit_ml,
            f.total_target, [(x.kind, x.label, x.portions) for x in f.targets])


def _findings(n):
    # text repairs and what a reader did (a conversion, OCR) differ by nature between formats; nothing else may
    return sorted((f.code, f.severity, f.table_id, f.row_no, f.field, f.expected, f.actual)
                  for f in n.findings if f.code not in ("text-repaired", "reader-note"))


def _table_findings(n):
    """Findings about the tables themselves (not those comparing them with the body's headline)."""
    return [f for f in _findings(n) if f[2] and f[0] not in ("cross-table-reconciled",)]


def _totals(n):
    return [(t.table_id, t.total_row.portions if t.total_row else None, sum(r.portions or 0 for r in t.rows
                                                                          if r.row_type == "item")) for t in n.tables]


def _notice(notices, stem, ext):
    return notices[f"{stem}-annex.{ext}" if ext in ANNEX else f"{stem}.{ext}"]


@pytest.mark.parametrize("stem", ["pudong-2024", "qingpu-2021"])
@pytest.mark.parametrize("view", [_rows, _meta, _findings])
def test_formats_agree(notices, stem, view):
    seen = {ext: view(notices[f"{stem}.{ext}"]) for ext in FORMATS}
    assert seen["pdf"] == seen["txt"]
    assert seen["docx"] == seen["txt"]


@pytest.mark.parametrize("stem", ["pudong-2024", "qingpu-2021"])
@pytest.mark.parametrize("ext", WHOLE[2:])
@pytest.mark.parametrize("view", [_rows, _meta, _findings])
def test_a_whole_notice_in_another_format_agrees_with_its_text(notices, stem, ext, view):
    n = _notice(notices, stem, ext)
    assert n.readable, n.error
    assert n.format == ext
    assert view(n) == view(notices[f"{stem}.txt"])


@pytest.mark.parametrize("stem", ["pudong-2024", "qingpu-2021"])
@pytest.mark.parametrize("ext", ANNEX)
@pytest.mark.parametrize("view", [_rows, _totals, _table_findings])
def test_an_annex_workbook_gives_the_tables_of_its_notice(notices, stem, ext, view):
    n = _notice(notices, stem, ext)
    assert n.readable, n.error
    assert n.format == ext
    assert view(n) == view(notices[f"{stem}.txt"])
    assert n.facts.total_target is None            # no body: no headline to find


@pytest.mark.parametrize("ext", ANNEX)
def test_hidden_and_empty_sheets_are_skipped_and_said(notices, ext):
    n = notices[f"qingpu-2021-annex.{ext}"]
    assert len(n.tables) == 3                       # the three annexes, not the hidden sheet's figure
    assert all(r.portions != 99999 for t in n.tables for r in t.rows)
    path = SAMPLES / f"qingpu-2021-annex.{ext}"
    assert parsers.read_bytes(str(path), path.read_bytes()).notes == [Note("sheet-hidden", "填报说明"),
                                                                       Note("sheet-empty", "Sheet3")]
    said = [f.message for f in n.findings if f.code == "reader-note"]
    assert said == ["工作表“填报说明”是隐藏的，未读取", "工作表“Sheet3”是空的，未读取"]
