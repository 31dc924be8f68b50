"""stack_contiguous: a table continued on the next page is joined to its first part when nothing but page
furniture lies between them, it has as many columns, and it starts with the same header again or with no header.
The class of text: long annex tables printed over several pages."""
from parsers.model import Line
from ingest.records import Paragraph
from ingest.tables import parse_table, stack_contiguous

from inline_records import grid

HEADER = ["序号", "单位", "任务数"]


def test_a_continuation_without_a_header_is_joined():
    a = grid([HEADER, ["1", "甲镇", "10"]], page=1)
    b = grid([["2", "乙镇", "20"], ["", "合计", "30"]], page=2)
    [joined] = stack_contiguous([a, b])
    assert joined.texts() == [HEADER, ["1", "甲镇", "10"], ["2", "乙镇", "20"], ["", "合计", "30"]]
    assert [c.row for row in joined.rows for c in row][::3] == [0, 1, 2, 3]       # renumbered after the first part
    assert joined.page == 1 and joined.rows[2][0].page == 2                      # each cell keeps its own page
    t = parse_table(joined, "t1", "", "")
    assert [(r.org, r.portions) for r in t.rows] == [("甲镇", 10), ("乙镇", 20), ("合计", 30)]


def test_a_continuation_with_the_header_again_is_joined_and_read_as_one_table():
    a = grid([HEADER, ["1", "甲镇", "10"]])
    b = grid([HEADER, ["2", "乙镇", "20"]], page=2)
    [joined] = stack_contiguous([a, b])
    assert len(joined.rows) == 4
    assert [(r.seq, r.org) for r in parse_table(joined, "t1", "", "").rows] == [(1, "甲镇"), (2, "乙镇")]


def test_merges_of_the_second_part_point_into_the_joined_grid():
    a = grid([["月份", "单位", "计划数"], ["一月", "甲镇", "10"]], merges_known=True)
    b = grid([["二月", "乙镇", "20"], ["", "丙镇", "30"]], spans={(0, 0): (2, 1)}, merges_known=True, page=2)
    [joined] = stack_contiguous([a, b])
    assert joined.rows[3][0].merged_into == (2, 0) and joined.merges_known
    t = parse_table(joined, "t2", "", "")
    assert [(r.org, r.month_from) for r in t.rows] == [("甲镇", 1), ("乙镇", 2), ("丙镇", 2)]
    # merges known only when both parts state them
    [mixed] = stack_contiguous([a, grid([["二月", "乙镇", "20"]], merges_known=False)])
    assert not mixed.merges_known


def test_what_is_not_a_continuation_stays_apart():
    a = grid([HEADER, ["1", "甲镇", "10"]])
    other_header = grid([["月份", "单位", "计划数"], ["一月", "甲镇", "10"]])
    wider = grid([["2", "乙镇", "20", "备注"]])
    between = Paragraph(text="附件2", page=1, box=None, lines=(Line(text="附件2", page=1),), source_index=None)
    assert stack_contiguous([a, other_header]) == [a, other_header]
    assert stack_contiguous([a, wider]) == [a, wider]
    assert stack_contiguous([a, between, grid([["2", "乙镇", "20"]])])[:2] == [a, between]
    assert len(stack_contiguous([a, between, grid([["2", "乙镇", "20"]])])) == 3
    assert stack_contiguous([]) == [] and stack_contiguous([between]) == [between]


def test_three_parts_are_joined_into_one():
    parts = [grid([HEADER, ["1", "甲镇", "10"]]), grid([["2", "乙镇", "20"]]), grid([HEADER, ["3", "丙镇", "30"]])]
    [joined] = stack_contiguous(parts)
    assert [r.seq for r in parse_table(joined, "t1", "", "").rows] == [1, 2, 3]
