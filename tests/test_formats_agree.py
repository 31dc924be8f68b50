"""A notice reads the same whether it came as PDF, DOCX or text: rows, totals, metadata and findings."""
import pytest

from conftest import FORMATS


def _rows(n):
    return [(t.table_id, t.kind, t.title, r.row_no, r.seq, r.seq_inferred, r.org, r.org_note, r.portions,
             r.row_type, r.month_from, r.month_to, r.merged) for t in n.tables for r in t.rows]


def _meta(n):
    f = n.facts
    return (f.title, f.region, f.year, f.doc_number, f.issuer, f.signed_on, f.issued_on, f.status, f.unit_ml,
            f.total_target, [(x.kind, x.label, x.portions) for x in f.targets])


def _findings(n):
    # text repairs differ by nature between formats; everything else must not
    return sorted((f.code, f.severity, f.table_id, f.row_no, f.field, f.expected, f.actual)
                  for f in n.findings if f.code != "text-repaired")


@pytest.mark.parametrize("stem", ["pudong-2024", "qingpu-2021"])
@pytest.mark.parametrize("view", [_rows, _meta, _findings])
def test_formats_agree(notices, stem, view):
    seen = {ext: view(notices[f"{stem}.{ext}"]) for ext in FORMATS}
    assert seen["pdf"] == seen["txt"]
    assert seen["docx"] == seen["txt"]
