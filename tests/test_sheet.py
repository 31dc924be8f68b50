"""Spreadsheets into the model: title rows, merged ranges, cached formula values, numbers stored as text, hidden and
empty sheets, and the limits checked before a sheet is loaded. The class of file each serves: annex workbooks."""
import io
import zipfile

import pytest
from openpyxl import Workbook

import parsers
from conftest import SAMPLES
from parsers import sheet
from parsers.model import Paragraph, Table, UnreadableFile


def _xlsx(build) -> bytes:
    wb = Workbook()
    build(wb.active, wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _blocks(data: bytes, **limits):
    return parsers.read_bytes("book.xlsx", data, **limits)


def test_title_rows_merged_across_are_paragraphs_and_merges_are_merged_cells():
    def build(ws, _):
        ws["B2"] = "附件1"
        ws.merge_cells("B2:D2")
        ws["B3"] = "2024年献血任务分解表"
        ws.merge_cells("B3:D3")
        for row in (["序号", "单位", "数量"], [1, "甲镇", "12"], [2, "乙镇", 30.0], ["合计", None, 42]):
            ws.append([None, *row])
        ws.merge_cells("B7:C7")
    doc = _blocks(_xlsx(build))
    assert doc.format == "xlsx"
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["附件1", "2024年献血任务分解表"]
    (t,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert t.texts() == [["序号", "单位", "数量"], ["1", "甲镇", "12"], ["2", "乙镇", "30"], ["合计", "", "42"]]
    assert (t.rows[3][0].colspan, t.rows[3][1].merged_into, t.merges_known) == (2, (3, 0), True)


def test_empty_rows_split_tables_and_empty_columns_are_dropped():
    def build(ws, _):
        for row in (["单位", None, "数量"], ["甲", None, 1], [], ["单位", None, "人数"], ["乙", None, 2]):
            ws.append(row)
    tables = [b for b in _blocks(_xlsx(build)).blocks if isinstance(b, Table)]
    assert [t.texts() for t in tables] == [[["单位", "数量"], ["甲", "1"]], [["单位", "人数"], ["乙", "2"]]]


@pytest.mark.parametrize("value, text", [(1200.0, "1200"), (12.5, "12.5"), (0.1, "0.1"), (True, "TRUE"),
                                         (" 1,200 ", "1,200"), ("甲\r\n乙", "甲\n乙"), (None, "")])
def test_cell_values_read_as_printed(value, text):
    assert sheet.cell_text(value) == text


def test_a_formula_gives_its_cached_value():
    data = (SAMPLES / "qingpu-2021-annex.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"<f>SUM(" in z.read("xl/worksheets/sheet1.xml")      # the sample's 合计 is a formula ...
    doc = parsers.read_bytes("q.xlsx", data)
    first = next(b for b in doc.blocks if isinstance(b, Table))
    assert first.texts()[-1][-1] == "10118"                             # ... read as the value Excel saved


def test_a_sheet_spanning_too_many_cells_is_refused_before_loading():
    def build(ws, _):
        ws["A1"] = "单位"
        ws["XFD1048576"] = 1
    with pytest.raises(UnreadableFile, match="spans 1048576 rows × 16384 columns, over the limit"):
        _blocks(_xlsx(build))


def test_sheets_count_against_max_pages():
    def build(ws, wb):
        ws["A1"] = 1
        for i in range(5):
            wb.create_sheet(f"s{i}")["A1"] = i
    with pytest.raises(UnreadableFile, match="6 sheets, over the limit of 3 .--max-pages"):
        _blocks(_xlsx(build), max_pages=3)


def test_a_workbook_with_nothing_visible_is_unreadable():
    def build(ws, wb):
        wb.create_sheet("hidden")["A1"] = 5
        wb["hidden"].sheet_state = "hidden"
    with pytest.raises(UnreadableFile, match="no visible sheet with content"):
        _blocks(_xlsx(build))
