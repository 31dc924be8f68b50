"""parse_table on small grids written inline: total and subtotal rows, merged cells (stated by the format or
inferred where it cannot state them) in monthly plans, 序号 missing from a row. The class of text: the body rows
of target tables and monthly plans, printed with merges (Word, ruled PDF) or as text where merges leave blanks."""
from ingest.tables import parse_table

from inline_records import grid

HEADER = ["序号", "单位", "任务数"]


def rows_of(t):
    return [(r.row_no, r.row_type, r.org, r.seq, r.portions) for r in t.rows]


def months_of(t):
    return [(r.row_no, r.row_type, r.org, r.month_from, r.month_to, r.portions, r.merged) for r in t.rows]


def events_of(t):
    return [(r.row_no, e.code, e.field, e.message, e.expected) for r in t.rows for e in r.events]


# --------------------------------------------------------------------------------------------- totals


def test_totals_and_subtotals():
    g = grid([HEADER, ["1", "甲镇", "10"], ["2", "乙镇", "20"], ["", "小计", "30"], ["3", "丙镇", "5"],
              ["", "小 计", "5"], ["", "合计（人份）", "35"]])
    t = parse_table(g, "t1", "", "")
    assert rows_of(t) == [(1, "item", "甲镇", 1, 10), (2, "item", "乙镇", 2, 20), (3, "subtotal", "小计", None, 30),
                          (4, "item", "丙镇", 3, 5), (5, "subtotal", "小计", None, 5),   # spacing repaired
                          (6, "total", "合计（人份）", None, 35)]
    assert [r.name for r in t.items] == ["甲镇", "乙镇", "丙镇"] and t.total_row.portions == 35
    assert events_of(t) == []          # a total row has no 序号 and is not missing one


def test_a_total_label_in_another_column():
    # 合计 printed in the 序号 column: with the name cell merged into it (stated), or the name cell left blank
    rows = [HEADER, ["1", "甲镇", "10"], ["2", "乙镇", "20"], ["合计", "", "30"]]
    for g in (grid(rows, spans={(3, 0): (1, 2)}, merges_known=True), grid(rows)):
        t = parse_table(g, "t1", "", "")
        assert rows_of(t) == [(1, "item", "甲镇", 1, 10), (2, "item", "乙镇", 2, 20), (3, "total", "合计", None, 30)]
        assert events_of(t) == []


# --------------------------------------------------------------------------------------------- merges

PLAN = [["月份", "单位", "计划数"],
        ["一月", "甲镇", "100"],
        ["", "乙镇", "50"],          # the month cell of 一月 goes on down here
        ["二月", "丙镇", "80"],       # one figure for two months
        ["三月", "丙镇", ""],
        ["合计", "", "230"]]


def test_merges_a_format_states_fill_the_plan():
    t = parse_table(grid(PLAN, spans={(1, 0): (2, 1), (3, 2): (2, 1)}, merges_known=True), "t2", "", "")
    assert t.kind == "monthly" and not t.has_seq and t.merges_known
    assert months_of(t) == [(1, "item", "甲镇", 1, 1, 100, False), (2, "item", "乙镇", 1, 1, 50, True),
                            (3, "item", "丙镇", 2, 3, 80, True), (4, "total", "合计", None, None, 230, False)]
    assert events_of(t) == [
        (2, "merged-cell", "month", "月份单元格为空，由合并单元格“一月”补全", None),
        (3, "merged-cell", "portions", "“丙镇”的数量单元格为空，由合并单元格的 80 覆盖，计为二月至三月", None)]


def test_merges_inferred_where_the_format_cannot_state_them():
    t = parse_table(grid(PLAN), "t2", "", "")          # a text table: blanks, no merge information
    assert not t.merges_known
    assert months_of(t) == [(1, "item", "甲镇", 1, 1, 100, False), (2, "item", "乙镇", 1, 1, 50, True),
                            (3, "item", "丙镇", 2, 3, 80, True), (4, "total", "合计", None, None, 230, False)]
    assert events_of(t) == [
        (2, "merged-cell", "month", "月份单元格为空，推定与上一行同属一月（推断的合并单元格）", None),
        (3, "merged-cell", "portions",
         "“丙镇”的数量单元格为空，由推断的合并单元格（同一单位、数量为空）的 80 覆盖，计为二月至三月", None)]


def test_blanks_no_merge_explains_where_the_format_states_merges():
    # the format states its merges and states none here: the blanks are blanks, said so, and no row is absorbed
    t = parse_table(grid(PLAN, merges_known=True), "t2", "", "")
    assert months_of(t) == [(1, "item", "甲镇", 1, 1, 100, False), (2, "item", "乙镇", None, None, 50, False),
                            (3, "item", "丙镇", 2, 2, 80, False), (4, "item", "丙镇", 3, 3, None, False),
                            (5, "total", "合计", None, None, 230, False)]
    assert events_of(t) == [(2, "blank-cell", "month", "月份单元格为空，且没有合并单元格可以解释", None),
                            (4, "blank-cell", "portions", "数量单元格为空，且没有合并单元格可以解释", None)]


def test_a_blank_figure_of_another_unit_is_never_inferred_a_merge():
    t = parse_table(grid([["月份", "单位", "计划数"], ["一月", "甲镇", "100"], ["二月", "乙镇", ""]]), "t2", "", "")
    assert [(r.org, r.portions, r.month_from) for r in t.rows] == [("甲镇", 100, 1), ("乙镇", None, 2)]
    assert events_of(t) == [(2, "blank-cell", "portions", "数量单元格为空，且没有合并单元格可以解释", None)]


def test_a_blank_month_on_the_first_row():
    t = parse_table(grid([["月份", "单位", "计划数"], ["", "甲镇", "100"], ["二月", "乙镇", "50"]]), "t2", "", "")
    assert events_of(t) == [(1, "blank-cell", "month", "月份单元格为空，且没有合并单元格可以解释", None)]


def test_a_value_merged_over_three_months_is_one_event_for_the_whole_span():
    rows = [["月份", "单位", "计划数"], ["一月", "甲镇", "90"], ["二月", "甲镇", ""], ["三月", "甲镇", ""]]
    for g, how in ((grid(rows, spans={(1, 2): (3, 1)}, merges_known=True), "由合并单元格的"),
                   (grid(rows), "由推断的合并单元格（同一单位、数量为空）的")):
        t = parse_table(g, "t2", "", "")
        assert months_of(t) == [(1, "item", "甲镇", 1, 3, 90, True)]
        assert events_of(t) == [(1, "merged-cell", "portions", f"“甲镇”的数量单元格为空，{how} 90 覆盖，计为一月至三月",
                                 None)]


def test_a_value_merged_over_units_of_a_target_table():
    # one figure for several units: counted once, on the row it starts in, which names the units it also covers
    g = grid([["单位", "任务数"], ["甲镇", "100"], ["乙镇", ""], ["丙镇", "50"]], spans={(1, 1): (2, 1)},
             merges_known=True)
    t = parse_table(g, "t1", "", "")
    assert [(r.row_no, r.org, r.portions, r.merged) for r in t.rows] == [(1, "甲镇", 100, True), (2, "丙镇", 50, False)]
    assert events_of(t) == [(1, "merged-cell", "portions", "“乙镇”的数量单元格为空，由合并单元格的 100 覆盖，计为所跨的2行",
                             None)]
    g = grid([["单位", "任务数"], ["甲镇", "100"], ["乙镇", ""], ["丙镇", ""]], spans={(1, 1): (3, 1)},
             merges_known=True)
    t = parse_table(g, "t1", "", "")
    assert [(r.row_no, r.org, r.portions, r.merged) for r in t.rows] == [(1, "甲镇", 100, True)]
    assert events_of(t) == [
        (1, "merged-cell", "portions", "“乙镇、丙镇”的数量单元格为空，由合并单元格的 100 覆盖，计为所跨的3行", None)]


# --------------------------------------------------------------------------------------------- 序号


def seq_table(*seqs, lists=1):
    body = [[s, f"单位{i}", "10"] for i, s in enumerate(seqs, start=1)]
    return parse_table(grid([HEADER] + body), "t1", "", "")


def seq_events(t):
    return [(r.row_no, r.seq, r.seq_inferred, [(e.message, e.expected) for e in r.events]) for r in t.rows]


def test_a_missing_seq_between_its_neighbours_is_inferred():
    assert seq_events(seq_table("1", "", "3")) == [(1, 1, False, []), (2, 2, True, [("按前后序号推定为 2", 2)]),
                                                   (3, 3, False, [])]
    assert [(r.seq, r.seq_inferred) for r in seq_table("", "2").rows] == [(1, True), (2, False)]
    assert [(r.seq, r.seq_inferred) for r in seq_table("5", "").rows] == [(5, False), (6, True)]
    assert [r.seq for r in seq_table("1", "", "3", "", "5").rows] == [1, 2, 3, 4, 5]
    [event] = seq_table("1", "", "3").rows[1].events
    assert (event.code, event.field) == ("seq-missing", "seq")


def test_a_missing_seq_its_neighbours_do_not_fix_is_not_inferred():
    unknown = [("前后序号不能推定", None)]
    # three numbers missing for two rows: a row is missing too, and which numbers these two had is not known
    assert seq_events(seq_table("1", "", "", "5")) == [(1, 1, False, []), (2, None, False, unknown),
                                                       (3, None, False, unknown), (4, 5, False, [])]
    assert seq_events(seq_table("1", "", "2")) == [(1, 1, False, []), (2, None, False, unknown), (3, 2, False, [])]
    assert seq_events(seq_table("", "")) == [(1, None, False, unknown), (2, None, False, unknown)]


def test_a_run_of_missing_seqs_is_inferred_when_its_neighbours_leave_room_for_exactly_it():
    assert seq_events(seq_table("1", "", "", "4")) == [
        (1, 1, False, []), (2, 2, True, [("按前后序号推定为 2", 2)]), (3, 3, True, [("按前后序号推定为 3", 3)]),
        (4, 4, False, [])]
    assert [(r.seq, r.seq_inferred) for r in seq_table("", "", "3").rows] == [(1, True), (2, True), (3, False)]
    assert [(r.seq, r.seq_inferred) for r in seq_table("7", "", "").rows] == [(7, False), (8, True), (9, True)]


def test_no_seq_below_one_is_inferred():
    # a row without a 序号 above the row numbered 1 is not row 0
    assert seq_events(seq_table("", "1")) == [(1, None, False, [("前后序号不能推定", None)]), (2, 1, False, [])]


def test_a_table_without_a_seq_column_misses_none():
    t = parse_table(grid([["单位", "任务数"], ["甲镇", "10"], ["乙镇", "20"]]), "t1", "", "")
    assert not t.has_seq and events_of(t) == []


def test_seq_inference_runs_over_side_by_side_lists_in_reading_order():
    g = grid([HEADER * 2, ["1", "甲镇", "10", "", "丙镇", "30"], ["2", "乙镇", "20", "4", "丁镇", "40"]])
    t = parse_table(g, "t1", "", "")
    assert [(r.org, r.seq, r.seq_inferred) for r in t.rows] == [("甲镇", 1, False), ("乙镇", 2, False),
                                                                ("丙镇", 3, True), ("丁镇", 4, False)]
