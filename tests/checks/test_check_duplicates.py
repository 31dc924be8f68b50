"""check_duplicates: a unit named twice in one target table (a monthly plan names a unit once a month)."""
from ingest.checks import check_duplicates

from inline_records import findings_of, item, notice, table


def test_a_unit_named_twice():
    t = table(item(1, "甲镇", 10), item(2, "乙镇", 20), item(3, "甲镇", 30), item(4, "甲镇", 40))
    assert findings_of(check_duplicates, notice(t)) == [
        ("duplicate-org", "warning", "t1", 3, "org", None, None, "t1 “甲镇”出现两次（第1行和第3行）"),
        ("duplicate-org", "warning", "t1", 4, "org", None, None, "t1 “甲镇”出现两次（第1行和第4行）")]


def test_the_same_unit_with_another_note_is_another_row():
    t = table(item(1, "区教育局", 10, org_note="（城区部分）"), item(2, "区教育局", 20, org_note="（郊区部分）"))
    assert findings_of(check_duplicates, notice(t)) == []


def test_the_name_in_the_message_is_as_printed():
    t = table(item(1, "区教育局", 10, org_note="（城区）"), item(2, "区教育局", 10, org_note="（城区）"))
    assert findings_of(check_duplicates, notice(t))[0][-1] == "t1 “区教育局（城区）”出现两次（第1行和第2行）"


def test_a_monthly_plan_and_distinct_units_give_none():
    plan = table(item(1, "甲镇", 10, month_from=1, month_to=1), item(2, "甲镇", 10, month_from=2, month_to=2),
                 kind="monthly")
    assert findings_of(check_duplicates, notice(plan)) == []
    assert findings_of(check_duplicates, notice(table(item(1, "甲镇", 10), item(2, "乙镇", 10)))) == []
