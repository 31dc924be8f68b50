"""Tables printed on their side: units as columns, one row per kind of figure (单位 | 甲学院 | 乙学院 | 合计 over
名额（人） | 60 | 55 | 115). The class of text: short allocations (a school's colleges, a company's departments, a
town's few villages) laid out across the page in Word, web pages and spreadsheets. They are read turned, units as
rows; a table whose header is a row is never turned."""
from ingest.checks import run_checks
from ingest.tables import read_tables, transposed

from inline_records import grid, notice


def rows_of(t):
    return [(r.row_type, r.org, r.portions) for r in t.rows]


def test_a_table_on_its_side_is_read_turned():
    g = grid([["单位", "机电学院", "信息学院", "护理学院", "合计"],
              ["名额（人）", "60", "55", "70", "185"]])
    [t] = read_tables(g, 1, "", "")
    assert t.header == ("单位", "名额（人）") and t.unit == "人"
    assert rows_of(t) == [("item", "机电学院", 60), ("item", "信息学院", 55), ("item", "护理学院", 70),
                          ("total", "合计", 185)]
    assert [f.code for f in run_checks(notice(t)) if f.severity != "info"] == []


def test_a_second_row_of_notes_stays_a_column_of_notes():
    g = grid([["部门", "办公室", "财务部", "生产部"],
              ["献血人数", "8", "6", "30"],
              ["备注", "", "", "含外包"]])
    [t] = read_tables(g, 1, "", "")
    assert rows_of(t) == [("item", "办公室", 8), ("item", "财务部", 6), ("item", "生产部", 30)]
    assert [r.note for r in t.rows] == ["", "", "含外包"]


def test_tables_that_are_not_on_their_side_are_left_as_they_are():
    upright = grid([["序号", "单位", "任务数"], ["1", "甲镇", "120"], ["2", "乙镇", "80"]])
    assert transposed(upright) is None
    # wide, but its first column names no target: not a table on its side
    assert transposed(grid([["项目", "时间", "地点", "对象"], ["安排", "4月", "广场", "学生"]])) is None
    # a header row and a wide table (months as columns) stay upright
    months = grid([["单位"] + [f"{m}月" for m in range(1, 13)], ["甲镇"] + ["10"] * 12])
    assert transposed(months) is None
