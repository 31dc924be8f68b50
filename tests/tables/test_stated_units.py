"""A table's unit stated outside its header's brackets: 任务数/毫升, 任务数（单位：毫升）, or a 单位：毫升 line or cell
printed above the table. The class of text: annex tables that print their targets as a volume and say so in one of
these ways; their figures are read in portions at the notice's unit size, as 任务数（毫升） is."""
import pytest

from ingest import ingest_file
from ingest.tables import read_tables

from inline_records import grid

ROWS = [["甲镇", "24000"], ["乙镇", "16000"], ["合计", "40000"]]


@pytest.mark.parametrize("header", ["任务数/毫升", "任务数（单位：毫升）", "献血量/ml"])
def test_a_volume_stated_in_the_header(header):
    [t] = read_tables(grid([["单位", header]] + ROWS), 1, "", "")
    assert [(r.org, r.portions) for r in t.rows] == [("甲镇", 120), ("乙镇", 80), ("合计", 200)]


def test_a_unit_field_in_a_row_above_the_header():
    [t] = read_tables(grid([["分配表", ""], ["", "单位：毫升"], ["单位", "任务数"]] + ROWS), 1, "", "")
    assert [(r.org, r.portions) for r in t.rows] == [("甲镇", 120), ("乙镇", 80), ("合计", 200)]


def test_a_unit_field_printed_as_a_line_above_the_table(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text("关于下达2024年无偿献血任务的通知\n全年采血任务200人份（每人份200毫升）。\n\n附件\n任务分配表\n"
                    "单位：毫升\n\n单位\t任务数\n甲镇\t24000\n乙镇\t16000\n合计\t40000\n", encoding="utf-8")
    n = ingest_file(str(path))
    assert [(r.org, r.portions) for t in n.tables for r in t.rows] == [("甲镇", 120), ("乙镇", 80), ("合计", 200)]
    assert not [f.code for f in n.findings if f.severity == "error"]


def test_without_a_stated_unit_the_figures_are_portions():
    [t] = read_tables(grid([["单位", "任务数"]] + ROWS), 1, "", "")
    assert [r.portions for r in t.rows] == [24000, 16000, 40000]
