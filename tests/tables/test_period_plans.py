"""Target tables whose columns plan parts of the year (上半年 | 下半年, 一季度 … 四季度, 1月 … 12月): the year's
targets as usual, and a plan by period (kind monthly, each row with the months its column covers), which the
cross-table checks hold against the targets. The class of text: annexes that split each unit's target over the
year in columns rather than one row per month."""
import pytest

from ingest.checks import run_checks
from ingest.rules import period_of
from ingest.tables import parse_period_plan, parse_table, read_tables

from inline_records import grid, notice


@pytest.mark.parametrize("header, months", [
    ("上半年", (1, 6)), ("下半年（人份）", (7, 12)), ("第三季度任务", (7, 9)), ("四季度", (10, 12)),
    ("1-6月", (1, 6)), ("1至3月", (1, 3)), ("一至三月", (1, 3)), ("5月", (5, 5)), ("十二月份", (12, 12)),
    ("3月任务", (3, 3)), ("任务数上半年", (1, 6)),
])
def test_a_header_naming_a_part_of_the_year(header, months):
    assert period_of(header) == months


@pytest.mark.parametrize("header", ["月份", "全年任务", "2024年任务数", "5月10日", "五月十日", "时间（月）", "单位",
                                    "13月", "6-3月"])
def test_headers_that_name_no_part_of_the_year(header):
    assert period_of(header) is None


HALF = [["序号", "单位", "全年任务", "上半年", "下半年", "备注"],
        ["1", "甲镇", "300", "150", "150", ""],
        ["2", "乙镇", "250", "120", "130", "含企业"],
        ["合计", "", "550", "270", "280", ""]]


def _plan_rows(t):
    return [(r.row_type, r.org, r.month_from, r.month_to, r.portions) for r in t.rows]


def test_half_years_beside_the_year_give_targets_and_a_plan():
    targets, plan = read_tables(grid(HALF), 1, "", "")
    assert (targets.table_id, targets.kind, plan.table_id, plan.kind) == ("t1", "allocation", "t2", "monthly")
    assert [(r.org, r.portions) for r in targets.rows] == [("甲镇", 300), ("乙镇", 250), ("合计", 550)]
    assert targets.unparsed == ()                         # no period figure is left over as unparsed
    assert _plan_rows(plan) == [("item", "甲镇", 1, 6, 150), ("item", "甲镇", 7, 12, 150),
                                ("item", "乙镇", 1, 6, 120), ("item", "乙镇", 7, 12, 130),
                                ("total", "合计", None, None, 550)]
    assert run_checks(notice(targets, plan)) == []


def test_a_period_that_does_not_add_up_to_the_year_is_found():
    rows = [list(r) for r in HALF]
    rows[2][4] = "140"                                    # 乙镇: 120 + 140 = 260, not its 250
    found = [(f.code, f.expected, f.actual) for f in run_checks(notice(*read_tables(grid(rows), 1, "", "")))]
    assert ("cross-table-mismatch", 250, 260) in found
    assert ("total-mismatch", 560, 550) in found          # the periods' column totals no longer add up either


def test_quarters_alone_are_the_plan():
    rows = [["序号", "单位", "一季度", "二季度", "三季度", "四季度"], ["1", "甲镇", "80", "70", "80", "70"],
            ["合计", "", "80", "70", "80", "70"]]
    assert parse_table(grid(rows), "t1", "", "") is None
    [plan] = read_tables(grid(rows), 1, "", "")
    assert [(r.month_from, r.month_to, r.portions) for r in plan.items] == [(1, 3, 80), (4, 6, 70), (7, 9, 80),
                                                                            (10, 12, 70)]
    assert plan.total_row.portions == 300 and run_checks(notice(plan)) == []


def test_twelve_month_columns():
    rows = [["单位"] + [f"{m}月" for m in range(1, 13)] + ["合计"], ["甲镇"] + ["10"] * 12 + ["120"]]
    targets, plan = read_tables(grid(rows), 1, "", "")
    assert [(r.org, r.portions) for r in targets.items] == [("甲镇", 120)]
    assert [(r.month_from, r.portions) for r in plan.items] == [(m, 10) for m in range(1, 13)]


def test_a_header_over_two_rows_with_the_periods_under_the_target():
    rows = [["单位", "任务数", "", "备注"], ["", "上半年", "下半年", ""], ["甲镇", "150", "150", ""]]
    plan = parse_period_plan(grid(rows, spans={(0, 1): (1, 2)}), "t1", "", "")
    assert _plan_rows(plan) == [("item", "甲镇", 1, 6, 150), ("item", "甲镇", 7, 12, 150)]


def test_a_blank_period_is_no_plan_for_it_and_a_table_without_periods_has_none():
    rows = [["单位", "上半年", "下半年"], ["甲镇", "150", ""]]
    [plan] = read_tables(grid(rows), 1, "", "")
    assert _plan_rows(plan) == [("item", "甲镇", 1, 6, 150)]
    assert parse_period_plan(grid([["单位", "任务数"], ["甲镇", "1"]]), "t1", "", "") is None


@pytest.mark.parametrize("year", ["全年", "年度", "合计"])
def test_the_whole_years_column_beside_the_parts_is_the_target(year):
    rows = [["单位", "上半年", "下半年", year], ["甲镇", "150", "150", "300"]]
    targets, plan = read_tables(grid(rows), 1, "", "")
    assert [(r.org, r.portions) for r in targets.items] == [("甲镇", 300)] and len(plan.items) == 2


@pytest.mark.parametrize("year_header", ["全年合计", "全年合计（人份）", "年度合计", "合计"])
def test_months_in_columns_with_a_year_total_column_give_the_years_targets(year_header):
    # The class of text: monthly plans laid out with the months as columns (1月 … 12月) and each unit's year in a
    # 全年合计 column at the end: that column is the unit's target for the year, the months its plan
    g = grid([["序号", "单位"] + [f"{m}月" for m in range(1, 13)] + [year_header],
              ["1", "甲街道"] + ["10"] * 12 + ["120"],
              ["2", "乙镇"] + ["5"] * 12 + ["60"],
              ["", "合计"] + ["15"] * 12 + ["180"]])
    targets, plan = read_tables(g, 1, "", "")
    assert (targets.kind, plan.kind) == ("allocation", "monthly")
    assert [(r.row_type, r.org, r.portions) for r in targets.rows] == [("item", "甲街道", 120), ("item", "乙镇", 60),
                                                                       ("total", "合计", 180)]
    assert len([r for r in plan.rows if r.row_type == "item"]) == 24
