"""check_years: a table titled for another year than the notice's; a notice signed before the year it plans for
(a December signing for next year's plan is usual practice, so this is a warning, never an error)."""
from ingest.checks import check_years
from ingest.records import Facts

from inline_records import findings_of, item, notice, table


def test_a_table_titled_for_another_year():
    t = table(item(1, "甲镇", 10), title="2023年甲区献血任务分解表", page=3)
    n = notice(t, facts=Facts(year=2024))
    assert findings_of(check_years, n) == [
        ("year-mismatch", "warning", "t1", None, "year", 2024, 2023,
         "t1 标题“2023年甲区献血任务分解表”的年份 2023 与通知年份 2024 不一致")]
    assert [f.page for f in check_years(n)] == [3]
    # [checks] title_year with {cn_year}: a table title with its year in Chinese numerals
    t = table(item(1, "甲镇", 10), title="二〇二三年度甲区献血任务分解表")
    assert [f[6] for f in findings_of(check_years, notice(t, facts=Facts(year=2024)))] == [2023]


def test_a_notice_signed_before_its_year():
    n = notice(facts=Facts(year=2024, signed_on="2023-12-28"))
    assert findings_of(check_years, n) == [
        ("year-mismatch", "warning", "", None, "signed_on", 2024, 2023,
         "成文日期 2023-12-28 早于通知所计划的 2024 年（日期或年份可能有误）")]
    # the printing date where no signing date is known
    assert [f[6] for f in findings_of(check_years, notice(facts=Facts(year=2024, issued_on="2022-05-01")))] == [2022]


def test_the_same_year_or_no_year_gives_none():
    titled = table(item(1, "甲镇", 10), title="2024 年甲区献血任务分解表")
    assert findings_of(check_years, notice(titled, facts=Facts(year=2024, signed_on="2024-02-01"))) == []
    assert findings_of(check_years, notice(table(item(1, "甲镇", 10), title="各单位任务"), facts=Facts(year=2024))) == []
    old = table(item(1, "甲镇", 10), title="2023年甲区献血任务分解表")
    assert findings_of(check_years, notice(old, facts=Facts(year=None, signed_on="2020-01-01"))) == []
