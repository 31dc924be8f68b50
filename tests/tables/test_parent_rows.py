"""Parents carrying their sub-units' sum. The class of text: tables of departments whose numbered rows (1 | 县教育局
| 120) are each followed by their unnumbered, often indented, sub-units (一中 50, 实验小学 30, 职业中学 40) that add up
to the parent's figure. The parent is a subtotal checked against the rows under it; the sub-units are the units."""
from ingest.tables import parse_table

from inline_records import grid

HEADER = ["序号", "单位", "任务数（人份）"]


def rows_of(t):
    return [(r.org, r.portions, r.row_type, r.group) for r in t.rows]


def test_numbered_parents_over_indented_units_are_subtotals():
    g = grid([HEADER, ["1", "甲局", "70"], ["", "  甲一中", "50"], ["", "  甲二中", "20"], ["2", "乙局", "30"],
              ["", "  乙医院", "25"], ["", "  乙中心", "5"], ["合计", "", "100"]])
    t = parse_table(g, "t1", "", "")
    assert rows_of(t) == [("甲局", 70, "subtotal", ""), ("甲一中", 50, "item", "甲局"), ("甲二中", 20, "item", "甲局"),
                          ("乙局", 30, "subtotal", ""), ("乙医院", 25, "item", "乙局"), ("乙中心", 5, "item", "乙局"),
                          ("合计", 100, "total", "")]


def test_when_the_rows_under_a_parent_do_not_add_up_nothing_is_guessed():
    """A parent whose sub-units add up to another figure stays as printed: the 合计 check then reports the table."""
    g = grid([HEADER, ["1", "甲局", "70"], ["", "甲一中", "50"], ["", "甲二中", "10"], ["2", "乙局", "30"],
              ["", "乙医院", "25"], ["", "乙中心", "5"], ["合计", "", "100"]])
    t = parse_table(g, "t1", "", "")
    assert [r.row_type for r in t.rows] == ["item"] * 6 + ["total"]


def test_a_numbered_table_with_one_unnumbered_row_is_not_a_parent_table():
    g = grid([HEADER, ["1", "甲镇", "30"], ["", "乙镇", "30"], ["2", "丙镇", "10"], ["合计", "", "70"]])
    t = parse_table(g, "t1", "", "")
    assert [r.row_type for r in t.rows] == ["item", "item", "item", "total"]
