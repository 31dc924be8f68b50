"""Scanned notices, read by OCR, yield what the text PDFs of the same notices yield.

samples/scanned/ holds scans made by samples/make_scans.py from the sample PDFs (150 and 300 dpi, turned a little,
grey paper, noise, JPEG) and one annex page as a PNG photo. The rule checked here is the issue's: every row of a
scan is the row of the text PDF, or OCR says it may not be (a low-confidence finding at that row, or a
total-mismatch of its table naming that row as the one OCR doubted); never a different figure without a finding.

The samples are ingested once per session, with the rest of samples/ (conftest's `notices`): OCR is the slow part
(a few seconds a page), so nothing here reads a scan twice.
"""
import io
import sys
from collections import Counter

import pytest

from conftest import SAMPLES, codes, table
from ingest import ingest_file
from notice_factory import linjiang

SCANS = [("pudong-2024-scan150.pdf", "pudong-2024.pdf"), ("qingpu-2021-scan300.pdf", "qingpu-2021.pdf")]
PHOTO = "pudong-2024-annex-photo.png"
# findings OCR adds on its own: a doubt, never a disagreement (checked row by row below)
OCR_ONLY = {"low-confidence"}


def _row(r):
    return (r.seq, r.seq_inferred, r.org, r.org_note, r.portions, r.row_type, r.month_from, r.month_to, r.merged)


def _flagged(notice, table_id, row_no) -> bool:
    """OCR's doubt about a row is on record: low-confidence at the row, or the table's total-mismatch at the row
    or naming it as the row OCR was least sure of. (A figure OCR could not read at all is not a different figure
    but a missing one: blank-cell or not-a-number at the row says so.)"""
    for f in notice.findings:
        if f.table_id != table_id:
            continue
        if f.code in ("low-confidence", "blank-cell", "not-a-number") and f.row_no == row_no:
            return True
        if f.code == "total-mismatch" and (f.row_no == row_no or f"第{row_no}行" in f.message):
            return True
    return False


def _compare_rows(scan, text):
    """Counts of item rows exact, flagged and silently different, and the silent ones (for the message)."""
    counts, silent = Counter(), []
    for t_text, t_scan in zip(text.tables, scan.tables):
        for want, got in zip(t_text.rows, t_scan.rows):
            if want.row_type != "item":
                continue
            if _row(got) == _row(want):
                counts["exact"] += 1
            elif _flagged(scan, t_scan.table_id, got.row_no):
                counts["flagged"] += 1
            else:
                counts["silent"] += 1
                silent.append((t_scan.table_id, got.row_no, _row(want), _row(got)))
    return counts, silent


def _findings(n):
    return sorted((f.code, f.severity, f.table_id, f.row_no, f.field, f.expected, f.actual)
                  for f in n.findings if f.severity in ("error", "warning") and f.code not in OCR_ONLY)


@pytest.fixture(scope="module", params=SCANS, ids=[s for s, _ in SCANS])
def pair(request, notices):
    scan_name, text_name = request.param
    scan, text = notices[scan_name], notices[text_name]
    assert scan.error == "", scan.error
    assert all(p.ocr for p in scan.pages), "every page of a scan is read by OCR"
    return scan, text


def test_scan_has_no_text_layer(pair):
    scan, _ = pair
    assert scan.format == "pdf" and all(p.ocr for p in scan.pages)


def test_scan_tables(pair):
    scan, text = pair
    assert [(t.table_id, t.kind, t.title, t.annex, t.n_lists, len(t.rows)) for t in scan.tables] == \
           [(t.table_id, t.kind, t.title, t.annex, t.n_lists, len(t.rows)) for t in text.tables]
    assert [t.total_row.portions for t in scan.tables] == [t.total_row.portions for t in text.tables]


def test_scan_rows_exact_or_flagged(pair):
    scan, text = pair
    counts, silent = _compare_rows(scan, text)
    assert silent == [], f"rows different from the text PDF without a finding: {silent}"
    assert counts["exact"] + counts["flagged"] == sum(len(t.items) for t in text.tables)


def test_scan_metadata(pair):
    scan, text = pair
    keys = ("title", "region", "year", "total_target", "status", "issuer", "signed_on", "issued_on", "unit_ml")
    assert {k: getattr(scan.facts, k) for k in keys} == {k: getattr(text.facts, k) for k in keys}
    assert [(x.kind, x.label, x.portions) for x in scan.facts.targets] == \
           [(x.kind, x.label, x.portions) for x in text.facts.targets]


def test_scan_doc_number(pair):
    """OCR reads the 浦东 PDF's damaged „2024‟ as ，2024“ (and a 〔2024〕 often as [2024】): still the 文号."""
    scan, text = pair
    assert scan.facts.doc_number == text.facts.doc_number


def test_scan_findings(pair):
    scan, text = pair
    assert _findings(scan) == _findings(text)
    info = ("merged-cell", "cross-table-reconciled", "unallocated-remainder", "draft")
    assert sorted((f.code, f.table_id, f.row_no, f.expected, f.actual) for f in scan.findings if f.code in info) == \
           sorted((f.code, f.table_id, f.row_no, f.expected, f.actual) for f in text.findings if f.code in info)


def test_low_confidence_findings_say_what_was_read(pair):
    scan, _ = pair
    for f in scan.findings:
        if f.code == "low-confidence":
            assert f.table_id and f.row_no and f.page and "置信度" in f.message and "OCR 读出" in f.message


# ------------------------------------------------------------------------------------------------ the photo


def test_photo_rows_are_the_first_annex_page(notices):
    photo, text = notices[PHOTO], notices["pudong-2024.pdf"]
    assert photo.error == "" and photo.format == "image"
    assert len(photo.tables) == 1
    t = photo.tables[0]
    assert (t.kind, t.n_lists, t.title) == ("allocation", 2, text.tables[0].title)
    want = [r for r in text.tables[0].items if r.seq <= 68]
    assert len(t.items) == len(want) == 68
    silent = [(got.row_no, _row(w), _row(got)) for w, got in zip(want, t.items)
              if _row(got) != _row(w) and not _flagged(photo, t.table_id, got.row_no)]
    assert silent == []
    # no 合计 on this page, so no total to check: the 21st row's missing 序号 is still found
    missing = [f for f in photo.findings if f.code == "seq-missing"]
    assert [(f.row_no, f.expected) for f in missing] == [(21, 21)]
    assert codes(photo, "error") == []


# ------------------------------------------------------------------------------------------------ errors put in


def _scan_pdf(source, target, dpi=150):
    """An image-only PDF of `source`, degraded the way samples/make_scans.py degrades the samples."""
    sys.path.insert(0, str(SAMPLES))
    try:
        import make_scans
    finally:
        sys.path.remove(str(SAMPLES))
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    doc = pdfium.PdfDocument(str(source))
    c = canvas.Canvas(str(target), invariant=1)
    try:
        for i in range(len(doc)):
            width, height = doc[i].get_size()
            page, _ = make_scans.scan_page(make_scans.render(doc, i, dpi), make_scans.rng_for(target.name, i), dpi)
            c.setPageSize((width, height))
            c.drawImage(ImageReader(io.BytesIO(make_scans.jpeg(page, 65, dpi))), 0, 0, width=width, height=height)
            c.showPage()
    finally:
        doc.close()
    c.save()
    return target


def test_changed_figure_caught_on_a_scan(tmp_path):
    """临江县 with 城关镇 printed 990 instead of 980 (合计 still 4860), scanned at 150 dpi: the same findings as
    the text PDF gives, with the figures; the total-mismatch names the row OCR was least sure of."""
    text_pdf = linjiang().change("城关镇", 990).write_pdf(tmp_path / "linjiang.pdf")
    scan = ingest_file(str(_scan_pdf(text_pdf, tmp_path / "linjiang-scan150.pdf")))
    assert scan.error == "" and all(p.ocr for p in scan.pages)
    assert [(r.org, r.portions) for r in table(scan, "t1").items][0] == ("城关镇", 990)
    assert Counter(codes(scan, "error")) == Counter(["total-mismatch", "target-mismatch"])
    tm = next(f for f in scan.findings if f.code == "total-mismatch")
    assert (tm.table_id, tm.row_no, tm.expected, tm.actual) == ("t1", 13, 4870, 4860)
    assert "OCR 最不确定的是第" in tm.message
    tg = next(f for f in scan.findings if f.code == "target-mismatch")
    assert (tg.expected, tg.actual) == (4200, 4210)
    cx = [f for f in scan.findings if f.code == "cross-table-mismatch"]
    assert [(f.expected, f.actual) for f in cx] == [(990, 980)]
    # every other row is what the factory printed
    text = ingest_file(str(text_pdf))
    for t_scan, t_text in zip(scan.tables, text.tables):
        assert [_row(r) for r in t_scan.rows] == [_row(r) for r in t_text.rows]
