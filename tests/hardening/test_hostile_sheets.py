"""Workbooks built to exhaust memory or to slip past the measures taken before loading them: each is refused with
one line naming the file and why, or read as a spreadsheet program shows it, and the run goes on. calamine
allocates whatever a file declares and aborts its process when it cannot, so each case runs the command in a
child held to a memory limit, on the bad file alone (read in the command's own process, as one file is) or with
--jobs 1."""
from __future__ import annotations

import random

from hostile import (NOTICE, ODS_TABLE, ROOT, TABLE, ods, ods_cell, rows_of, run_cli, sheet, stderr_lines, xlsx)

GOOD = ROOT / "samples" / "qingpu-2021-annex.xlsx"


def test_a_sheet_part_outside_the_worksheets_folder_is_measured_too(tmp_path):
    """calamine follows the workbook's relationship wherever it points; a cell at the sheet's far corner there made
    it ask for 550 GB and abort the run (exit 134, no outputs)."""
    far = TABLE + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    (tmp_path / "far.xlsx").write_bytes(xlsx(sheet(far), sheet_path="xl/elsewhere/data.xml"))
    proc = run_cli(tmp_path / "far.xlsx", "--out", tmp_path / "out", "--no-cache")
    assert proc.returncode == 3, proc.stderr[-2000:]
    [line] = stderr_lines(proc)[:1]
    assert "far.xlsx: unreadable:" in line and "spans 1048576 rows × 16384 columns" in line
    assert len(stderr_lines(proc)) == 2          # that line, and the run's summary


def test_cells_in_another_namespace_or_without_references_are_measured_as_calamine_places_them(tmp_path):
    """calamine matches a cell by its local name in any namespace, and places a cell without a reference in the
    row's next column: 20,000 such cells on row 1,000,000 span 20 billion cells."""
    odd = TABLE + ('<row r="1048000"><x:c xmlns:x="urn:other" r="XFD1048000"><x:v>1</x:v></x:c></row>')
    (tmp_path / "ns.xlsx").write_bytes(xlsx(sheet(odd)))
    no_refs = TABLE + '<row r="1000000">' + "<c><v>1</v></c>" * 20_000 + "</row>"
    (tmp_path / "norefs.xlsx").write_bytes(xlsx(sheet(no_refs)))
    for name in ("ns.xlsx", "norefs.xlsx"):
        proc = run_cli(tmp_path / name, "--out", tmp_path / f"out-{name}", "--no-cache")
        assert proc.returncode == 3, proc.stderr[-2000:]
        assert f"{name}: unreadable:" in proc.stderr and "over the limit of 2000000 cells" in proc.stderr


def test_an_xls_declaring_a_huge_sheet_is_refused_and_the_run_goes_on(tmp_path):
    """An XLS DIMENSIONS record claiming four billion rows: calamine reserved 44 TB for it and aborted."""
    data = bytearray((ROOT / "samples" / "qingpu-2021-annex.xls").read_bytes())
    at = data.find(b"\x00\x02\x0e\x00")          # DIMENSIONS, BIFF8: first row, last row + 1 (32 bits), columns
    assert at > 0
    data[at + 8:at + 12] = (0xFFFFFFF0).to_bytes(4, "little")
    (tmp_path / "dims.xls").write_bytes(bytes(data))
    proc = run_cli(tmp_path / "dims.xls", GOOD, "--out", tmp_path / "out", "--no-cache", "--jobs", "1")
    assert proc.returncode == 3, proc.stderr[-2000:]
    bad = [line for line in stderr_lines(proc) if "dims.xls" in line]
    assert len(bad) == 1 and "dims.xls: unreadable: XLS reader" in bad[0]
    assert any(org for org, _ in rows_of(tmp_path / "out"))          # the good workbook was read


def test_a_shared_string_counts_once_for_every_cell_that_shows_it(tmp_path):
    """A 1,000,000-character shared string shown in 3,000 cells: a 20 KB file that calamine expands to 3 billion
    characters (it copies the string into each cell) before --max-chars was looked at."""
    rng = random.Random(1)
    long = "".join(rng.choice("献血") for _ in range(1_000_000))    # (random enough not to pass for a zip bomb)
    cells = TABLE + "".join(f'<row r="{r}"><c r="C{r}" t="s"><v>2</v></c></row>' for r in range(4, 3004))
    (tmp_path / "shared.xlsx").write_bytes(xlsx(sheet(cells), shared=("单位", "任务数", long)))
    proc = run_cli(tmp_path / "shared.xlsx", "--out", tmp_path / "out", "--no-cache")
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "shared.xlsx: unreadable:" in proc.stderr and "(--max-chars)" in proc.stderr


def test_an_ods_cell_repeated_over_the_sheet_counts_once_for_every_place(tmp_path):
    """A 100,000-character cell repeated over 1,000 columns and 1,000 rows: 10^11 characters once expanded."""
    big = ods_cell("献" * 100_000, 'table:number-columns-repeated="1000"')
    rows = ODS_TABLE + f'<table:table-row table:number-rows-repeated="1000">{big}</table:table-row>'
    (tmp_path / "repeat.ods").write_bytes(ods(rows))
    proc = run_cli(tmp_path / "repeat.ods", "--out", tmp_path / "out", "--no-cache")
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "repeat.ods: unreadable:" in proc.stderr and ("(--max-chars)" in proc.stderr
                                                         or "over the limit of 2000000 cells" in proc.stderr)


def test_a_merged_range_reaching_past_the_sheet_is_cut_at_its_last_cell(tmp_path):
    """A merge of A5:XFD1048576 below the table (17 billion cells, each expanded one by one) and a title merged
    over the whole first row: the table reads as a spreadsheet program shows it."""
    cells = (f'<row r="1"><c r="A1" t="inlineStr"><is><t>{NOTICE}</t></is></c></row>'
             '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>'
             '<row r="3"><c r="A3" t="inlineStr"><is><t>东山村</t></is></c><c r="B3"><v>12</v></c></row>'
             '<row r="4"><c r="A4" t="inlineStr"><is><t>西山村</t></is></c><c r="B4"><v>30</v></c></row>')
    merges = '<mergeCells><mergeCell ref="A1:XFD1"/><mergeCell ref="A5:XFD1048576"/></mergeCells>'
    (tmp_path / "merged.xlsx").write_bytes(xlsx(sheet(cells, merges)))
    proc = run_cli(tmp_path / "merged.xlsx", "--out", tmp_path / "out", "--no-cache")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert rows_of(tmp_path / "out")[:2] == [("东山村", "12"), ("西山村", "30")]


def test_an_ods_cell_spanning_past_the_sheet_is_cut_at_its_last_cell(tmp_path):
    span = ods_cell("备注", 'table:number-rows-spanned="99999999" table:number-columns-spanned="99999999"')
    rows = ODS_TABLE + f"<table:table-row>{span}</table:table-row>"
    (tmp_path / "span.ods").write_bytes(ods(rows))
    proc = run_cli(tmp_path / "span.ods", "--out", tmp_path / "out", "--no-cache")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert rows_of(tmp_path / "out")[:2] == [("东山村", "12"), ("西山村", "30")]


def test_overlapping_merged_ranges_are_refused(tmp_path):
    """Valid merges never overlap; 20,000 copies of one covering the sheet cost 20,000 times its cells."""
    cells = TABLE + "".join(f'<row r="{r}"><c r="B{r}"><v>1</v></c></row>' for r in range(4, 1000))
    merges = "<mergeCells>" + "".join(f'<mergeCell ref="A{i}:B1000"/>' for i in range(1, 20_001)) + "</mergeCells>"
    (tmp_path / "overlap.xlsx").write_bytes(xlsx(sheet(cells, merges)))
    proc = run_cli(tmp_path / "overlap.xlsx", "--out", tmp_path / "out", "--no-cache", timeout=120)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "overlap.xlsx: unreadable:" in proc.stderr and "merged ranges overlap" in proc.stderr


def test_an_xls_that_is_really_comma_separated_text_is_read_as_a_sheet(tmp_path):
    """Websites serve 'Excel' downloads that are CSV (GBK, CRLF, a title row above): read as text, the table was
    lost without a word (0 tables, exit 0)."""
    text = f"{NOTICE}\r\n序号,单位,任务数\r\n1,东山村,12\r\n2,\"西山村,北片\",30\r\n合计,,42\r\n"
    (tmp_path / "annex.xls").write_bytes(text.encode("gbk"))
    proc = run_cli(tmp_path / "annex.xls", "--out", tmp_path / "out", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert rows_of(tmp_path / "out") == [("东山村", "12"), ("西山村,北片", "30"), ("合计", "42")]


def test_sheet_parts_of_many_empty_elements_are_refused_before_parsing(tmp_path):
    """XLSX and ODS, hostile class: 100 MB of empty <row/> (1.1 MB zipped) took 47 s, and of empty <c/> 68 s: no
    count of XML elements bounded them. Each part holding sheet data, the shared strings and an ODS's content.xml
    are counted (16 elements a character of --max-chars) before parsing; here --max-chars is set low, and the same
    workbooks without the empty elements are still read under it."""
    files = {"rows.xlsx": xlsx(sheet(TABLE + "<row/>" * 2000)),
             "cells.xlsx": xlsx(sheet(TABLE + '<row r="4">' + "<c/>" * 2000 + "</row>")),
             "strings.xlsx": xlsx(sheet(TABLE), shared=("单位", "任务数") + ("",) * 1000),
             "rows.ods": ods(ODS_TABLE + "<table:table-row/>" * 2000)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        proc = run_cli(tmp_path / name, "--out", tmp_path / f"out-{name}", "--no-cache", "--max-chars", "100")
        assert proc.returncode == 3, proc.stderr[-2000:]
        [line] = stderr_lines(proc)[:1]
        kind = name.rsplit(".", 1)[1].upper()
        assert f"{name}: unreadable: {kind} has " in line and \
               "XML elements in " in line and "over the limit of 1600 (16 per character of --max-chars)" in line
    (tmp_path / "plain.xlsx").write_bytes(xlsx(sheet(TABLE)))
    (tmp_path / "plain.ods").write_bytes(ods(ODS_TABLE))
    proc = run_cli(tmp_path / "plain.xlsx", tmp_path / "plain.ods", "--out", tmp_path / "out", "--no-cache",
                   "--max-chars", "100")
    assert "unreadable" not in proc.stderr, proc.stderr[-2000:]


def test_elements_counted_in_chunks_are_counted_as_in_the_whole_part(monkeypatch):
    """The streamed count, normal class: whatever the chunk size (a closing tag split across two chunks included),
    a part has the elements check_elements counts in it whole."""
    import io
    import pytest
    from parsers import package
    from parsers.model import UnreadableFile
    xml = b"<a><b/><c></c><d>x</d></a>"                  # 4 elements
    monkeypatch.setattr(package, "ELEMENTS_PER_CHAR", 3)
    for chunk in range(1, len(xml) + 1):
        package.check_elements_streamed(io.BytesIO(xml), 2, "XLSX", "p", chunk)           # 6 allowed
        with pytest.raises(UnreadableFile, match=r"^XLSX has 4 XML elements in p, over the limit of 3 "):
            package.check_elements_streamed(io.BytesIO(xml), 1, "XLSX", "p", chunk)
