"""check_totals: items against the 小计 below them and the 合计 of the table."""
from parsers.model import Box

from ingest.checks import check_totals

from inline_records import at, findings_of, item, notice, subtotal, table, total


def test_totals_that_add_up_give_none():
    t = table(item(1, "甲", 10), item(2, "乙", 20), subtotal(3, 30), item(4, "丙", 5), subtotal(5, 5), total(6, 35))
    assert findings_of(check_totals, notice(t)) == []
    # a row without a figure counts as nothing (its own finding says why); a total without one is not compared
    t = table(item(1, "甲", 10), item(2, "乙", None), total(3, 10), total(4, None))
    assert findings_of(check_totals, notice(t)) == []


def test_a_total_that_is_not_the_sum_of_the_items():
    t = table(item(1, "甲", 10), item(2, "乙", 20), total(3, 35, value_source=at(2, 200, 60)), table_id="t3")
    assert findings_of(check_totals, notice(t)) == [
        ("total-mismatch", "error", "t3", 3, "portions", 30, 35, "t3 合计为 35，但各项相加为 30，相差 5")]
    [f] = check_totals(notice(t))
    assert (f.page, f.box) == (2, Box(200, 60, 210, 70))       # the 合计's figure


def test_a_total_under_the_sum_says_so_with_a_negative_difference():
    t = table(item(1, "甲", 10), item(2, "乙", 20), total(3, 25, label="总计"))
    assert findings_of(check_totals, notice(t)) == [
        ("total-mismatch", "error", "t1", 3, "portions", 30, 25, "t1 合计为 25，但各项相加为 30，相差 -5")]


def test_a_subtotal_sums_the_items_since_the_last_subtotal_and_the_total_sums_every_item():
    t = table(item(1, "甲", 10), item(2, "乙", 20), subtotal(3, 31, label="东片小计"), item(4, "丙", 5), subtotal(5, 5),
              total(6, 35))
    assert findings_of(check_totals, notice(t)) == [
        ("total-mismatch", "error", "t1", 3, "portions", 30, 31, "t1 小计“东片小计”为 31，但其上各项相加为 30，相差 1")]


def test_a_mismatch_on_a_table_read_by_ocr_names_the_least_sure_figure():
    t = table(item(1, "甲", 10, value_confidence=0.95), item(2, "乙", 20, value_text="20", value_confidence=0.62),
              item(3, "丙", 5, value_confidence=0.99), total(4, 36))
    [(code, *_, message)] = findings_of(check_totals, notice(t))
    assert message == ("t1 合计为 36，但各项相加为 35，相差 1；OCR 最不确定的是第2行“乙”的 20（置信度 0.62），请先核对")


def test_each_table_is_summed_on_its_own():
    a = table(item(1, "甲", 10), total(2, 10), table_id="t1")
    b = table(item(1, "乙", 20), total(2, 10), table_id="t2")
    assert [f[2] for f in findings_of(check_totals, notice(a, b))] == ["t2"]


def test_a_total_printed_first_sums_every_item_below_it():
    # the class of text: tables that print 合计 as their first row, under the header (合计 | 32000, then the units)
    t = table(total(1, 35), item(2, "甲", 10), item(3, "乙", 25))
    assert findings_of(check_totals, notice(t)) == []
    t = table(total(1, 36), item(2, "甲", 10), item(3, "乙", 25))
    assert findings_of(check_totals, notice(t)) == [
        ("total-mismatch", "error", "t1", 1, "portions", 35, 36, "t1 合计为 36，但各项相加为 35，相差 1")]
    # with subtotals under it: every item still counts once
    t = table(total(1, 35), item(2, "甲", 10), subtotal(3, 10), item(4, "乙", 25), subtotal(5, 25))
    assert findings_of(check_totals, notice(t)) == []


def test_subtotals_printed_above_their_groups_sum_the_items_under_them():
    # The class of text: tables that print each group's 小计 (or a group row carrying its sum) above the group's
    # rows, the first one before any unit: each sums the rows under it up to the next
    t = table(total(1, 35), subtotal(2, 30, label="东片小计"), item(3, "甲", 10), item(4, "乙", 20),
              subtotal(5, 5, label="西片小计"), item(6, "丙", 5))
    assert findings_of(check_totals, notice(t)) == []
    t = table(subtotal(1, 31, label="东片小计"), item(2, "甲", 10), item(3, "乙", 20), subtotal(4, 5, label="西片小计"),
              item(5, "丙", 5), total(6, 35))
    assert findings_of(check_totals, notice(t)) == [
        ("total-mismatch", "error", "t1", 1, "portions", 30, 31, "t1 小计“东片小计”为 31，但其下各项相加为 30，相差 1")]
