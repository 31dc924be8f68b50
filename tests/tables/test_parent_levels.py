"""The unit's name printed over two columns. The class of text: target tables whose header names two levels of
units side by side (镇 | 村, 系统 | 单位, 乡镇 | 村名), the parent merged over its units or printed once and left blank
below. The right column is the unit; the left one its group, never a second list of units."""
from ingest.rules import header_role, rules
from ingest.tables import parse_table

from inline_records import grid


def test_level_words_are_matched_whole():
    """rules.toml [columns] level: 镇 alone names a column; a longer header is read by its own words."""
    assert "村" in rules().columns.level
    assert header_role("镇") == "name" and header_role("村") == "name" and header_role("系 统") == "name"
    assert header_role("镇政府驻地") is None


def test_town_over_village_blank_below():
    g = grid([["序号", "镇", "村", "任务数（人份）"], ["1", "甲镇", "一村", "40"], ["2", "", "二村", "30"],
              ["3", "乙镇", "三村", "20"], ["合计", "", "", "90"]])
    t = parse_table(g, "t1", "", "")
    assert [(r.org, r.portions, r.group, r.row_type) for r in t.rows] == [
        ("一村", 40, "甲镇", "item"), ("二村", 30, "甲镇", "item"), ("三村", 20, "乙镇", "item"),
        ("合计", 90, "", "total")]


def test_system_over_unit_merged():
    g = grid([["序号", "系统", "单位", "任务数（人份）"], ["1", "教育", "一中", "40"], ["2", "", "二中", "30"],
              ["合计", "", "", "70"]], spans={(1, 1): (2, 1)}, merges_known=True)
    t = parse_table(g, "t1", "", "")
    assert [(r.org, r.portions, r.group) for r in t.rows if r.row_type == "item"] == [("一中", 40, "教育"),
                                                                                     ("二中", 30, "教育")]
