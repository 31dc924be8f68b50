"""Value cells that print more than a figure. The class of text: target tables whose figure cells carry a minimum
(≥120, 120以上), a note in brackets after the figure (120（含机关）), or a mark for "no target" (—, /, 无) in place of a
figure. The figure is the target; the note is kept as the row's note; a none mark is a row with no figure and a
blank-cell warning, never a not-a-number error."""
import pytest

from ingest.cells import value_reading
from ingest.tables import parse_table

from inline_records import grid

HEADER = ["序号", "单位", "任务数（人份）"]


@pytest.mark.parametrize("text, want", [
    ("≥120", ("120", "", False)), ("120以上", ("120", "", False)), ("不少于 120", ("120", "", False)),
    ("120人份及以上", ("120人份", "", False)), ("120（含机关）", ("120", "含机关", False)),
    ("150(其中街头献血30)", ("150", "其中街头献血30", False)), ("—", ("", "", True)), ("/", ("", "", True)),
    ("无", ("", "", True)), ("120", ("120", "", False)), ("待定", ("待定", "", False)),
    ("以上", ("以上", "", False)), ("（含机关）", ("（含机关）", "", False))])
def test_value_reading(text, want):
    """rules.toml [numbers] none_marks, minimum_before/after, figure_note: only a figure is freed of its words."""
    assert value_reading(text) == want


def test_a_table_with_minimums_notes_and_none_marks_reads_its_figures_and_finds_no_error():
    g = grid([HEADER, ["1", "甲镇", "≥120"], ["2", "乙镇", "80（含机关）"], ["3", "丙园区", "—"],
              ["4", "丁场", "/"], ["合计", "", "200"]])
    t = parse_table(g, "t1", "", "")
    assert [(r.org, r.portions, r.row_type) for r in t.rows] == [
        ("甲镇", 120, "item"), ("乙镇", 80, "item"), ("丙园区", None, "item"), ("丁场", None, "item"),
        ("合计", 200, "total")]
    assert t.rows[1].note == "含机关"
    events = [(r.org, e.code) for r in t.rows for e in r.events]
    assert events == [("丙园区", "blank-cell"), ("丁场", "blank-cell")]
    assert "—" in t.rows[2].events[0].message


def test_a_word_that_is_not_a_figure_is_still_not_a_number():
    t = parse_table(grid([HEADER, ["1", "甲镇", "待定"], ["合计", "", "0"]]), "t1", "", "")
    assert [e.code for e in t.rows[0].events] == ["not-a-number"]


def test_a_cell_that_prints_its_own_unit_counts_in_it():
    """The class of text: figure cells carrying their unit (24万毫升, 120人份) where the header states none, or
    another: a volume is read in portions at the notice's unit size, a count as printed."""
    g = grid([["序号", "单位", "献血量"], ["1", "甲镇", "24万毫升"], ["2", "乙镇", "8000毫升"], ["3", "丙镇", "30人份"],
              ["合计", "", "31万毫升"]])
    t = parse_table(g, "t1", "", "", unit_ml=200)
    assert [(r.org, r.portions) for r in t.rows] == [("甲镇", 1200), ("乙镇", 40), ("丙镇", 30), ("合计", 1550)]
    t = parse_table(g, "t1", "", "", unit_ml=400)
    assert [r.portions for r in t.rows] == [600, 20, 30, 775]
    g = grid([["序号", "单位", "献血量（毫升）"], ["1", "甲镇", "2000"], ["2", "乙镇", "30人份"], ["合计", "", "40人份"]])
    assert [r.portions for r in parse_table(g, "t1", "", "", unit_ml=200).rows] == [10, 30, 40]
