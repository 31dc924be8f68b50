"""Rows that state a part of the row above. The class of text: target tables where a unit or the 合计 is followed
by a row labelled 其中… (其中：高桥社区 | 60, 其中：街道 | 260) giving the share of a part already counted above. Such a
row is not a unit and is not added to any total; it is kept, as printed, in the note of the row it belongs to."""
from ingest.rules import rules
from ingest.tables import parse_table

from inline_records import grid

HEADER = ["序号", "单位", "任务数（人份）"]


def test_part_words_rule():
    assert "其中" in rules().part_words


def test_a_part_row_under_a_unit_is_that_units_note_and_not_an_item():
    g = grid([HEADER, ["1", "甲镇", "100"], ["2", "乙街道", "150"], ["", "其中：乙社区", "60"], ["3", "丙镇", "50"],
              ["合计", "", "300"]])
    t = parse_table(g, "t1", "", "")
    assert [(r.org, r.portions, r.row_type) for r in t.rows] == [
        ("甲镇", 100, "item"), ("乙街道", 150, "item"), ("丙镇", 50, "item"), ("合计", 300, "total")]
    assert t.rows[1].note == "其中：乙社区 60"
    assert not [e for r in t.rows for e in r.events]


def test_a_part_row_under_the_total_is_the_totals_note():
    g = grid([HEADER, ["1", "甲镇", "100"], ["2", "乙街道", "150"], ["合计", "", "250"], ["其中：街道", "", "150"]])
    t = parse_table(g, "t1", "", "")
    assert [(r.org, r.portions, r.row_type) for r in t.rows] == [
        ("甲镇", 100, "item"), ("乙街道", 150, "item"), ("合计", 250, "total")]
    assert t.rows[-1].note == "其中：街道 150"


def test_a_numbered_unit_is_never_a_part_row():
    """Only a row without its own 序号 can be a part of the row above."""
    g = grid([HEADER, ["1", "甲镇", "100"], ["2", "其中镇", "50"], ["合计", "", "150"]])
    t = parse_table(g, "t1", "", "")
    assert [r.org for r in t.rows if r.row_type == "item"] == ["甲镇", "其中镇"]
