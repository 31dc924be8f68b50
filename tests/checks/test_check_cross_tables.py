"""check_cross_tables: a monthly plan against the target table it schedules (the one whose units it names most),
unit by unit with the administrative suffix dropped (甲镇 = 甲), and a pooled row that explains the gaps."""
from ingest.checks import check_cross_tables

from inline_records import findings_of, item, notice, table, total


def plan(*rows, table_id="t2"):
    return table(*rows, table_id=table_id, kind="monthly", has_seq=False)


def month(row_no, org, portions, m):
    return item(row_no, org, portions, month_from=m, month_to=m)


BASE = table(item(1, "甲镇", 100), item(2, "乙镇", 200), total(3, 300))


def test_a_plan_that_schedules_its_targets_gives_none():
    p = plan(month(1, "甲", 60, 1), month(2, "甲", 40, 2), month(3, "乙镇", 200, 3), total(4, 300))
    assert findings_of(check_cross_tables, notice(BASE, p)) == []


def test_a_unit_planned_short_and_a_plan_total_that_is_not_the_targets():
    p = plan(month(1, "甲镇", 60, 1), month(2, "甲镇", 40, 2), month(3, "乙镇", 180, 3), total(4, 280))
    assert findings_of(check_cross_tables, notice(BASE, p)) == [
        ("cross-table-mismatch", "warning", "t1", 2, "portions", 200, 180,
         "“乙镇”在 t1 的目标为 200，在 t2 月份计划中合计 180，相差 -20"),
        ("cross-table-mismatch", "warning", "t2", 4, "portions", 300, 280, "t2 月份计划合计 280 与各分解表合计之和 300 不一致")]


def test_a_pooled_row_equal_to_the_gaps_explains_them():
    base = table(item(1, "甲镇", 100), item(2, "乙镇", 200), item(3, "丙镇", 300), total(4, 600))
    p = plan(month(1, "甲镇", 90, 1), month(2, "乙镇", 190, 2), month(3, "丙镇", 300, 3), month(4, "统筹", 20, 4),
             total(5, 600))
    assert findings_of(check_cross_tables, notice(base, p)) == [
        ("cross-table-reconciled", "info", "t2", 4, "portions", 20, 20,
         "t2 中 2 个单位的月份计划与 t1 目标相差共 20（甲镇 +10、乙镇 +10），恰等于统筹行“统筹”的 20，差额由该行解释")]


def test_a_pooled_row_that_schedules_another_target_table_explains_nothing():
    other = table(item(1, "区直单位甲", 40), item(2, "区直单位乙", 60), total(3, 100), table_id="t3")
    p = plan(month(1, "甲镇", 100, 1), month(2, "乙镇", 100, 2), month(3, "区直单位", 100, 3), total(4, 300),
             table_id="t2")
    assert findings_of(check_cross_tables, notice(BASE, p, other)) == [
        ("cross-table-mismatch", "warning", "t1", 2, "portions", 200, 100,
         "“乙镇”在 t1 的目标为 200，在 t2 月份计划中合计 100，相差 -100"),
        ("cross-table-mismatch", "warning", "t2", 4, "portions", 400, 300, "t2 月份计划合计 300 与各分解表合计之和 400 不一致")]


def test_the_plan_is_compared_with_the_table_whose_units_it_names():
    other = table(item(1, "丙镇", 50), item(2, "丁镇", 50), table_id="t3")
    p = plan(month(1, "丙镇", 50, 1), month(2, "丁镇", 40, 2), table_id="t2")
    assert [f[:7] for f in findings_of(check_cross_tables, notice(BASE, p, other))] == [
        ("cross-table-mismatch", "warning", "t3", 2, "portions", 50, 40)]


def test_a_plan_naming_no_unit_of_a_target_table_or_no_target_table_gives_none():
    p = plan(month(1, "戊镇", 10, 1), total(2, 10))
    assert findings_of(check_cross_tables, notice(BASE, p)) == []
    assert findings_of(check_cross_tables, notice(plan(month(1, "甲镇", 10, 1), total(2, 10)))) == []


def test_a_unit_named_by_its_government_is_the_unit():
    # the plan names the bodies (甲镇人民政府, 乙街道办事处), the target table the places (甲镇, 乙街道)
    base = table(item(1, "甲镇", 100), item(2, "乙街道", 200), total(3, 300))
    p = plan(month(1, "甲镇人民政府", 100, 1), month(2, "乙街道办事处", 200, 2), total(3, 300))
    assert findings_of(check_cross_tables, notice(base, p)) == []
    p = plan(month(1, "甲镇人民政府", 90, 1), month(2, "乙街道办事处", 200, 2), total(3, 290))
    assert [f[:7] for f in findings_of(check_cross_tables, notice(base, p))] == [
        ("cross-table-mismatch", "warning", "t1", 1, "portions", 100, 90),
        ("cross-table-mismatch", "warning", "t2", 3, "portions", 300, 290)]
