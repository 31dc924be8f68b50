"""Copies of the real samples with one error put in at test time, and the untouched copies.

Text copies are edited by replacing one row located in the file; DOCX copies are edited with python-docx (a cell's
text, or a <w:tr> removed). Every expected figure is computed here from the edited text or table, read with this
module's own small readers, never taken from the pipeline's output.
"""
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from docx import Document

from conftest import SAMPLES
from ingest import ingest_file

PUDONG_TXT = SAMPLES / "pudong-2024.txt"
QINGPU_TXT = SAMPLES / "qingpu-2021.txt"
PUDONG_DOCX = SAMPLES / "pudong-2024.docx"
QINGPU_DOCX = SAMPLES / "qingpu-2021.docx"


# ------------------------------------------------------------------------------------------ helpers


def codes(n, severity):
    return sorted(f.code for f in n.findings if f.severity == severity)


def found(n, code):
    return [f for f in n.findings if f.code == code]


def ingest(path: Path):
    n = ingest_file(str(path))
    assert n.error == "", f"{path.name}: {n.error}"
    return n


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


# ---- 浦东 as text: the annex table is flattened to lines "序号 名称 数量 序号 名称 数量"

_ENTRY = re.compile(r"(?:(\d+)\s+)?([^\s\d]\S*)\s+(\d+)")


def pudong_entries(text: str) -> list[tuple]:
    """(序号 or None, 名称, 数量) of every entry of the annex table, left then right entry of each printed line."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "序")       # the split header "序" / "号"
    out = []
    for ln in lines[start:]:
        s = ln.strip()
        if not s or not re.fullmatch(r"(?:(?:\d+\s+)?[^\s\d]\S*\s+\d+\s*){1,2}", s):
            continue
        for m in _ENTRY.finditer(s):
            out.append((int(m.group(1)) if m.group(1) else None, m.group(2), int(m.group(3))))
    return out


def pudong_line(text: str, name: str) -> str:
    hits = [ln for ln in text.splitlines() if re.search(rf"(^|\s){re.escape(name)}\s+\d+", ln)]
    assert len(hits) == 1, hits
    return hits[0]


def pudong_figures(entries):
    """(sum of items, stated 合计, sum of the rows the text's first sub-target covers, number of items)."""
    items = [e for e in entries if e[1] != "合计"]
    total = [e[2] for e in entries if e[1] == "合计"]
    assert len(total) == 1
    # rows 88 献血屋、流动车 and 89 应急实战演练 are the other two sub-targets of the headline
    community = sum(v for _, name, v in items if name not in ("献血屋、流动车", "应急实战演练"))
    return sum(v for *_, v in items), total[0], community, len(items)


def pudong_community_target(text: str) -> int:
    m = re.search(r"社区、企事业献血募集目标\s*(\d+)", text)
    return int(m.group(1))


# ---- 青浦 as text: annex tables are tab-separated rows "单位\t数量", ending in "合计\t…"


def qingpu_table(text: str, annex: int) -> tuple[list[tuple[str, int]], int]:
    """(rows, stated 合计) of 附件1 or 附件2 as printed in the text."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if re.fullmatch(rf"附件\s*{annex}", ln.strip()))
    rows = []
    for ln in lines[start + 1:]:
        if "\t" not in ln:
            continue
        name, value = ln.split("\t")[:2]
        if name == "合计":
            return rows, int(value)
        if value.strip().isdigit():
            rows.append((name, int(value)))
    raise AssertionError("no 合计")


# ---- DOCX: the cells as python-docx reads them


def docx_set(cell, text: str):
    p = cell.paragraphs[0]
    if p.runs:
        p.runs[0].text = text
        for r in p.runs[1:]:
            r._r.getparent().remove(r._r)
    else:
        p.add_run(text)


def docx_find(table, name: str):
    """(row, column of the name) of the one row that prints `name` as a unit."""
    hits = []
    for row in table.rows:
        texts = [c.text for c in row.cells]
        hits += [(row, i) for i, t in enumerate(texts) if t == name]
    assert len(hits) == 1, f"{name}: {len(hits)} hits"
    return hits[0]


def docx_entries(table, n_lists: int, width: int):
    """(序号 or None, 名称, 数量) of each entry (header rows and blanks skipped), list by list within a row."""
    out = []
    for row in table.rows:
        texts = [c.text.strip() for c in row.cells]
        for g in range(n_lists):
            cells = texts[g * width:(g + 1) * width]
            seq, name, value = (cells if width == 3 else ["", *cells])
            if not value.isdigit():
                continue
            out.append((int(seq) if seq.isdigit() else None, name, int(value)))
    return out


def pudong_docx(tmp_path, edit=None) -> tuple[Path, list]:
    d = Document(str(PUDONG_DOCX))
    t = d.tables[0]
    if edit:
        edit(t)
    path = tmp_path / "pudong-2024.docx"
    d.save(str(path))
    return path, docx_entries(Document(str(path)).tables[0], 2, 3)


def qingpu_docx(tmp_path, annex: int, edit=None) -> tuple[Path, list, int]:
    d = Document(str(QINGPU_DOCX))
    t = d.tables[annex - 1]
    if edit:
        edit(t)
    path = tmp_path / "qingpu-2021.docx"
    d.save(str(path))
    entries = docx_entries(Document(str(path)).tables[annex - 1], 1, 2)
    items = [(name, v) for _, name, v in entries if name != "合计"]
    total = [v for _, name, v in entries if name == "合计"]
    assert len(total) == 1
    return path, items, total[0]


# ------------------------------------------------------------------------------------------ the readers agree
# (with SPEC's facts of the samples, so that the expectations below rest on a sound reading of the input)


def test_own_readers_of_the_samples():
    text = PUDONG_TXT.read_text(encoding="utf-8")
    entries = pudong_entries(text)
    s, total, community, n = pudong_figures(entries)
    assert (s, total, community, n) == (57510, 57510, 41200, 89)
    assert sorted(e[0] for e in entries if e[0] is not None) == [i for i in range(1, 90) if i != 21]
    docx_e = pudong_docx_entries_clean()
    assert sorted((e for e in docx_e), key=str) == sorted(entries, key=str)
    qt = QINGPU_TXT.read_text(encoding="utf-8")
    for annex, (n_rows, stated) in {1: (11, 10118), 2: (56, 1119)}.items():
        rows, total = qingpu_table(qt, annex)
        assert (len(rows), sum(v for _, v in rows), total) == (n_rows, stated, stated)


def pudong_docx_entries_clean():
    return docx_entries(Document(str(PUDONG_DOCX)).tables[0], 2, 3)


# ------------------------------------------------------------------------------------------ (d) clean copies


def test_clean_pudong_txt_copy(tmp_path):
    path = tmp_path / "pudong-2024.txt"
    shutil.copyfile(PUDONG_TXT, path)
    _assert_clean_pudong(ingest(path))


def test_clean_pudong_docx_copy(tmp_path):
    path, _ = pudong_docx(tmp_path)                  # opened and saved by python-docx, nothing changed
    _assert_clean_pudong(ingest(path))


def _assert_clean_pudong(n):
    assert codes(n, "error") == []
    assert codes(n, "warning") == ["seq-missing"]    # SPEC: row 21 (区人社局 27) lost its 序号
    sm = found(n, "seq-missing")[0]
    assert (sm.table_id, sm.row_no, sm.expected) == ("t1", 21, 21)


def test_clean_qingpu_txt_copy(tmp_path):
    path = tmp_path / "qingpu-2021.txt"
    shutil.copyfile(QINGPU_TXT, path)
    n = ingest(path)
    assert codes(n, "error") == [] and codes(n, "warning") == []


def test_clean_qingpu_docx_copy(tmp_path):
    path, _, _ = qingpu_docx(tmp_path, 1)
    n = ingest(path)
    assert codes(n, "error") == [] and codes(n, "warning") == []


# ------------------------------------------------------------------------------------------ (a) a changed figure

DELTA = 10


def test_pudong_txt_changed_figure(tmp_path):
    text = PUDONG_TXT.read_text(encoding="utf-8")
    line = pudong_line(text, "区教育局")
    old = int(re.search(r"区教育局\s+(\d+)", line).group(1))
    edited = replace_once(text, line, line.replace(f"区教育局 {old}", f"区教育局 {old + DELTA}", 1))
    path = tmp_path / "pudong-2024.txt"
    path.write_text(edited, encoding="utf-8")
    _assert_pudong_changed(ingest(path), pudong_entries(edited), pudong_community_target(text))


def test_pudong_docx_changed_figure(tmp_path):
    def edit(t):
        row, col = docx_find(t, "区教育局")
        cell = row.cells[col + 1]
        docx_set(cell, str(int(cell.text) + DELTA))
    path, entries = pudong_docx(tmp_path, edit)
    _assert_pudong_changed(ingest(path), entries, pudong_community_target(PUDONG_TXT.read_text(encoding="utf-8")))


def _assert_pudong_changed(n, entries, community_target):
    items_sum, stated, community, n_items = pudong_figures(entries)
    assert items_sum - stated == DELTA                 # the edit took, and only it
    assert Counter(codes(n, "error")) == Counter(["total-mismatch", "target-mismatch"])
    tm = found(n, "total-mismatch")[0]
    assert (tm.table_id, tm.field) == ("t1", "portions")
    assert (tm.expected, tm.actual) == (items_sum, stated)
    assert tm.expected - tm.actual == DELTA
    assert tm.row_no == n_items + 1                    # the 合计 row, after the 89 items
    # 其中 社区、企事业 41200: the rows it covers now add up to 41210
    tg = found(n, "target-mismatch")[0]
    assert (tg.expected, tg.actual) == (community_target, community) and community - community_target == DELTA
    assert codes(n, "warning") == ["seq-missing"]


@pytest.mark.parametrize("annex,name", [(1, "朱家角镇"), (2, "区民政局")])
def test_qingpu_txt_changed_figure(tmp_path, annex, name):
    text = QINGPU_TXT.read_text(encoding="utf-8")
    m = re.search(rf"^{name}\t(\d+)$", text, re.M)
    assert len(re.findall(rf"^{name}\t\d+$", text, re.M)) == 1
    edited = replace_once(text, m.group(0), f"{name}\t{int(m.group(1)) + DELTA}")
    path = tmp_path / "qingpu-2021.txt"
    path.write_text(edited, encoding="utf-8")
    rows, stated = qingpu_table(edited, annex)
    _assert_qingpu_total_mismatch(ingest(path), f"t{annex}", sum(v for _, v in rows), stated, len(rows))
    assert sum(v for _, v in rows) - stated == DELTA


@pytest.mark.parametrize("annex,name", [(1, "朱家角镇"), (2, "区民政局")])
def test_qingpu_docx_changed_figure(tmp_path, annex, name):
    def edit(t):
        row, col = docx_find(t, name)
        cell = row.cells[col + 1]
        docx_set(cell, str(int(cell.text) + DELTA))
    path, items, stated = qingpu_docx(tmp_path, annex, edit)
    assert sum(v for _, v in items) - stated == DELTA
    _assert_qingpu_total_mismatch(ingest(path), f"t{annex}", sum(v for _, v in items), stated, len(items))


def _assert_qingpu_total_mismatch(n, table_id, items_sum, stated, n_items):
    assert codes(n, "error") == ["total-mismatch"]
    tm = found(n, "total-mismatch")[0]
    assert (tm.table_id, tm.expected, tm.actual) == (table_id, items_sum, stated)
    assert tm.row_no == n_items + 1                    # the 合计 row; no seq-gap: these tables have no 序号


# ------------------------------------------------------------------------------------------ (b) a dropped row


def test_pudong_txt_dropped_row(tmp_path):
    text = PUDONG_TXT.read_text(encoding="utf-8")
    line = pudong_line(text, "区教育局")               # "23 区教育局 1713 57 潍坊街道 643": two entries
    dropped = pudong_entries(line.join(["\n序\n", "\n"]))
    edited = replace_once(text, line + "\n", "")
    path = tmp_path / "pudong-2024.txt"
    path.write_text(edited, encoding="utf-8")
    _assert_pudong_dropped(ingest(path), pudong_entries(edited), dropped, pudong_community_target(text))


def test_pudong_docx_dropped_row(tmp_path):
    gone = []

    def edit(t):
        row, _ = docx_find(t, "区教育局")
        texts = [c.text.strip() for c in row.cells]
        gone.extend([(int(texts[0]), texts[1], int(texts[2])), (int(texts[3]), texts[4], int(texts[5]))])
        row._tr.getparent().remove(row._tr)
    path, entries = pudong_docx(tmp_path, edit)
    _assert_pudong_dropped(ingest(path), entries, gone, pudong_community_target(PUDONG_TXT.read_text(encoding="utf-8")))


def _assert_pudong_dropped(n, entries, dropped, community_target):
    assert [d[1] for d in dropped] == ["区教育局", "潍坊街道"]
    items_sum, stated, community, n_items = pudong_figures(entries)
    lost = sum(v for *_, v in dropped)
    assert stated - items_sum == lost and n_items == 87
    assert Counter(codes(n, "error")) == Counter(["total-mismatch", "seq-gap", "seq-gap", "target-mismatch"])
    tm = found(n, "total-mismatch")[0]
    assert (tm.table_id, tm.expected, tm.actual) == ("t1", items_sum, stated)
    assert tm.row_no == n_items + 1
    gaps = sorted((f.table_id, f.expected, f.actual) for f in found(n, "seq-gap"))
    assert gaps == sorted(("t1", seq, seq + 1) for seq, *_ in dropped)          # 22 → 24 and 56 → 58
    tg = found(n, "target-mismatch")[0]
    assert (tg.expected, tg.actual) == (community_target, community_target - lost)


@pytest.mark.parametrize("annex,name", [(1, "金泽镇"), (2, "区民政局")])
def test_qingpu_txt_dropped_row(tmp_path, annex, name):
    text = QINGPU_TXT.read_text(encoding="utf-8")
    m = re.search(rf"^{name}\t\d+\n", text, re.M)
    edited = replace_once(text, m.group(0), "")
    path = tmp_path / "qingpu-2021.txt"
    path.write_text(edited, encoding="utf-8")
    rows, stated = qingpu_table(edited, annex)
    assert name not in [r for r, _ in rows]
    _assert_qingpu_total_mismatch(ingest(path), f"t{annex}", sum(v for _, v in rows), stated, len(rows))


@pytest.mark.parametrize("annex,name", [(1, "金泽镇"), (2, "区民政局")])
def test_qingpu_docx_dropped_row(tmp_path, annex, name):
    def edit(t):
        row, _ = docx_find(t, name)
        row._tr.getparent().remove(row._tr)
    path, items, stated = qingpu_docx(tmp_path, annex, edit)
    assert name not in [r for r, _ in items] and stated > sum(v for _, v in items)
    _assert_qingpu_total_mismatch(ingest(path), f"t{annex}", sum(v for _, v in items), stated, len(items))


# ------------------------------------------------------------------------------------------ (c) a removed 序号


@pytest.mark.parametrize("name", ["区教育局", "潍坊街道"])      # 23 in the left list, 57 in the right list
def test_pudong_txt_removed_seq(tmp_path, name):
    text = PUDONG_TXT.read_text(encoding="utf-8")
    line = pudong_line(text, name)
    m = re.search(rf"(\d+)\s+{name}", line)
    seq = int(m.group(1))
    edited = replace_once(text, line, line.replace(m.group(0), f" {name}", 1))
    path = tmp_path / "pudong-2024.txt"
    path.write_text(edited, encoding="utf-8")
    entries = pudong_entries(edited)
    assert [e for e in entries if e[1] == name][0][0] is None
    _assert_pudong_removed_seq(ingest(path), name, seq)


@pytest.mark.parametrize("name", ["区教育局", "潍坊街道"])
def test_pudong_docx_removed_seq(tmp_path, name):
    seqs = []

    def edit(t):
        row, col = docx_find(t, name)
        seqs.append(int(row.cells[col - 1].text))
        docx_set(row.cells[col - 1], "")
    path, entries = pudong_docx(tmp_path, edit)
    assert [e for e in entries if e[1] == name][0][0] is None
    _assert_pudong_removed_seq(ingest(path), name, seqs[0])


def _assert_pudong_removed_seq(n, name, seq):
    assert codes(n, "error") == []
    assert codes(n, "warning") == ["seq-missing", "seq-missing"]
    missing = sorted((f.table_id, f.row_no, f.expected) for f in found(n, "seq-missing"))
    assert missing == sorted([("t1", 21, 21), ("t1", seq, seq)])
    t = n.tables[0]
    assert [r.seq for r in t.items] == list(range(1, 90))
    row = t.items[seq - 1]
    assert (row.org, row.seq, row.seq_inferred) == (name, seq, True)


# ------------------------------------------------------------------------------------------ (e) a figure misread
# A figure with a letter where a digit belongs (1O0, 17O3), as typing and OCR leave them. In a table whose cells
# are found by what they hold (a text table split at spaces, one cell per line, a flattened list, an unruled PDF)
# it was taken as part of the name beside it: the row lost its figure without a word, or, in two lists side by
# side, the next list's 序号 became its figure. It is a figure read wrong: a not-a-number finding on its row.


def test_pudong_txt_misread_figure(tmp_path):
    """Text with two lists flattened into lines ("23 区教育局 17O3 57 潍坊街道 643")."""
    text = PUDONG_TXT.read_text(encoding="utf-8")
    clean = pudong_entries(text)
    line = pudong_line(text, "区教育局")
    old = int(re.search(r"区教育局\s+(\d+)", line).group(1))
    garbled = str(old)[:1] + "O" + str(old)[2:]
    edited = replace_once(text, line, line.replace(f"区教育局 {old}", f"区教育局 {garbled}", 1))
    path = tmp_path / "pudong-2024.txt"
    path.write_text(edited, encoding="utf-8")
    n = ingest(path)
    items_sum, stated, community, _ = pudong_figures(clean)
    seq = next(s for s, name, _ in clean if name == "区教育局")
    nan = found(n, "not-a-number")
    assert [(f.table_id, f.row_no) for f in nan] == [("t1", seq)] and garbled in nan[0].message
    tm = found(n, "total-mismatch")[0]
    assert (tm.expected, tm.actual) == (items_sum - old, stated)
    tg = found(n, "target-mismatch")[0]
    assert (tg.expected, tg.actual) == (pudong_community_target(text), community - old)
    assert Counter(codes(n, "error")) == Counter(["not-a-number", "total-mismatch", "target-mismatch"])
    assert codes(n, "warning") == ["seq-missing"]           # row 21's, as in the clean copy: 潍坊街道 keeps its 57
    t = n.tables[0]
    assert [(r.seq, r.org) for r in t.items if r.org in ("区教育局", "潍坊街道")] == [(seq, "区教育局"), (57, "潍坊街道")]


def _layouts():
    import sys
    sys.path.insert(0, str(SAMPLES))
    import generate
    import make_layouts
    generate.register_font()
    return make_layouts, {doc.name: (doc, kind, opts) for doc, kind, opts in make_layouts.layouts()}


@pytest.mark.parametrize("name", ["text-spaces.txt", "text-pipe-cells.txt", "text-flat.txt", "text-cell-lines.txt",
                                  "pdf-unruled.pdf", "pdf-rows-ruled.pdf", "pdf-body-unruled.pdf"])
def test_layout_misread_figure(tmp_path, name):
    """Space-aligned, one-cell-per-line and flattened text tables, unruled PDF tables and PDF tables ruled only
    between rows (samples/layouts, written at test time by make_layouts.py with one value cell garbled)."""
    import copy
    ml, made = _layouts()
    doc, kind, opts = made[name]
    doc = copy.deepcopy(doc)
    spec = doc.table
    items = [r for r in spec.rows if r.row_type == "item"]
    target = items[2]
    cols = spec.columns
    hits = [(gr, c + cols.index("value") - cols.index("name")) for gr in spec.grid.rows[spec.grid.header_rows:]
            for c, text in enumerate(gr) if text == target.name_cell]
    assert len(hits) == 1 and hits[0][0][hits[0][1]] == target.value_cell
    row, col = hits[0]
    garbled = target.value_cell[:1] + "O" + target.value_cell[2:]
    row[col] = garbled
    ml.write(doc, kind, opts, tmp_path)
    n = ingest(tmp_path / name)
    row_no = spec.rows.index(target) + 1
    nan = found(n, "not-a-number")
    assert [(f.table_id, f.row_no) for f in nan] == [("t1", row_no)] and garbled in nan[0].message
    t = n.tables[0]
    assert [r.org for r in t.items] == [r.org for r in items]          # no name took the figure, no row lost
    total = spec.total()
    if total is not None:
        tm = found(n, "total-mismatch")[0]
        assert (tm.expected, tm.actual) == (sum(r.portions for r in items) - target.portions, total)
    assert set(codes(n, "error")) <= {"not-a-number", "total-mismatch", "target-mismatch"}


# ------------------------------------------------------------------------------------------ (f) workbooks
# The annex workbooks (XLSX by openpyxl, ODS by editing content.xml in its zip), one figure changed. Expected
# figures come from this module's reading of the edited sheet (openpyxl) or of content.xml.

QINGPU_XLSX = SAMPLES / "qingpu-2021-annex.xlsx"
PUDONG_ODS = SAMPLES / "pudong-2024-annex.ods"


def xlsx_table(path: Path, sheet: str) -> tuple[list[tuple[str, int]], object]:
    """(rows, the 合计 cell's value as openpyxl reads it: a number, or the formula) of a two-column annex sheet."""
    from openpyxl import load_workbook
    ws = load_workbook(str(path))[sheet]
    rows = []
    for name, value in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if name == "合计":
            return rows, value
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            rows.append((name, int(value)))
    raise AssertionError("no 合计")


def xlsx_edit(tmp_path, name: str, delta: int, data_only: bool) -> Path:
    from openpyxl import load_workbook
    wb = load_workbook(str(QINGPU_XLSX), data_only=data_only)
    ws = wb["附件1"]
    [cell] = [ws.cell(row=c.row, column=c.column + 1) for row in ws.iter_rows() for c in row if c.value == name]
    cell.value = int(cell.value) + delta
    path = tmp_path / "qingpu-2021-annex.xlsx"
    wb.save(str(path))
    return path


def test_qingpu_xlsx_changed_figure(tmp_path):
    """A workbook edited and saved with its results (openpyxl data_only: the 合计 kept as the number shown)."""
    path = xlsx_edit(tmp_path, "朱家角镇", DELTA, data_only=True)
    rows, stated = xlsx_table(path, "附件1")
    assert isinstance(stated, int) and sum(v for _, v in rows) - stated == DELTA
    n = ingest(path)
    tm = found(n, "total-mismatch")
    assert [(f.table_id, f.row_no, f.expected, f.actual) for f in tm] == [
        ("t1", len(rows) + 1, sum(v for _, v in rows), stated)]
    assert codes(n, "error") == ["total-mismatch"]


@pytest.mark.parametrize("delta", [0, DELTA])
def test_qingpu_xlsx_formulas_without_results(tmp_path, delta):
    """A workbook saved by a program that writes formulas without calculating them (openpyxl's default): each
    合计 is =SUM(…) with no saved result. Before, the 合计 read as empty without a word and no table could be
    checked; now each such cell is a blank-cell warning quoting its formula, and no error is made up (the clean
    copy, delta 0, has none either)."""
    from openpyxl import load_workbook
    path = xlsx_edit(tmp_path, "朱家角镇", delta, data_only=False)
    wb = load_workbook(str(path))
    formulas = {}
    for i, sheet in enumerate(s for s in wb.sheetnames if wb[s].sheet_state == "visible" and wb[s].max_row > 1):
        rows, stated = xlsx_table(path, sheet) if sheet != "附件3" else ([], None)
        if isinstance(stated, str) and stated.startswith("="):
            formulas[f"t{i + 1}"] = (len(rows) + 1, stated)
    assert set(formulas) == {"t1", "t2"}
    n = ingest(path)
    blank = {f.table_id: f for f in found(n, "blank-cell")}
    for table_id, (row_no, formula) in formulas.items():
        assert blank[table_id].row_no == row_no and formula in blank[table_id].message
    assert "t3" in blank and "=SUM(" in blank["t3"].message          # the monthly plan's 合计 too
    assert codes(n, "error") == []


def ods_edit(tmp_path, rewrite) -> Path:
    import zipfile
    path = tmp_path / "pudong-2024-annex.ods"
    with zipfile.ZipFile(PUDONG_ODS) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info, rewrite(body.decode("utf-8")).encode("utf-8") if info.filename == "content.xml"
                         else body)
    return path


def ods_value_cell(content: str, name: str) -> tuple[str, int]:
    """The content.xml of the float cell after the cell printing `name`, and its figure."""
    m = re.search(rf"<text:p>{name}</text:p></table:table-cell>(<table:table-cell office:value-type=\"float\" "
                  rf"office:value=\"(\d+)\"[^>]*><text:p>\d+</text:p>)", content)
    assert m and content.count(m.group(1)) == 1
    return m.group(1), int(m.group(2))


def test_pudong_ods_changed_figure(tmp_path):
    """ODS edited in content.xml: the figure's value and its text both changed."""
    got = {}

    def rewrite(content):
        cell, old = ods_value_cell(content, "区教育局")
        got["old"] = old
        return content.replace(cell, cell.replace(f'"{old}"', f'"{old + DELTA}"').replace(f">{old}<", f">{old + DELTA}<"))
    path = ods_edit(tmp_path, rewrite)
    clean = pudong_entries(PUDONG_TXT.read_text(encoding="utf-8"))
    items_sum, stated, _, n_items = pudong_figures(clean)
    n = ingest(path)
    tm = found(n, "total-mismatch")
    assert [(f.table_id, f.row_no, f.expected, f.actual) for f in tm] == [("t1", n_items + 1, items_sum + DELTA, stated)]
    assert codes(n, "error") == ["total-mismatch"]


# ------------------------------------------------------------------------------------------ (g) HTML and OFD
# The 浦东 web page (a cell's text in <td>…</td>) and OFD (the TextCode of the figure's word in its page's content
# XML), one figure changed; the expected figures from the clean text's entries, changed by the same edit.

PUDONG_HTML = SAMPLES / "pudong-2024.html"
PUDONG_OFD = SAMPLES / "pudong-2024.ofd"


def _pudong_changed_expectations():
    text = PUDONG_TXT.read_text(encoding="utf-8")
    entries = [(s, name, v + DELTA if name == "区教育局" else v) for s, name, v in pudong_entries(text)]
    return entries, pudong_community_target(text)


def test_pudong_html_changed_figure(tmp_path):
    page = PUDONG_HTML.read_bytes().decode("utf-8-sig")
    m = re.search(r"<td>区教育局</td><td>(\d+)</td>", page)
    path = tmp_path / "pudong-2024.html"
    edited = replace_once(page, m.group(0), f"<td>区教育局</td><td>{int(m.group(1)) + DELTA}</td>")
    path.write_bytes(b"\xef\xbb\xbf" + edited.encode("utf-8"))
    _assert_pudong_changed(ingest(path), *_pudong_changed_expectations())


def test_pudong_ofd_changed_figure(tmp_path):
    import zipfile
    path = tmp_path / "pudong-2024.ofd"
    hits = []
    with zipfile.ZipFile(PUDONG_OFD) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename).decode("utf-8")
            # the figure is the word after the word 区教育局 on its line
            m = re.search(r">区教育局</ofd:TextCode>.*?<ofd:TextCode [^>]*>(\d+)</ofd:TextCode>", body)
            if m:
                hits.append(info.filename)
                old = m.group(1)
                body = body[:m.start(1)] + str(int(old) + DELTA).rjust(len(old)) + body[m.end(1):]
            dst.writestr(info, body.encode("utf-8"))
    assert len(hits) == 1
    _assert_pudong_changed(ingest(path), *_pudong_changed_expectations())
