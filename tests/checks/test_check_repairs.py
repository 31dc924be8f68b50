"""check_repairs: every kind of extraction damage repaired is said, with a count and its first page."""
from ingest.checks import check_repairs

from inline_records import findings_of, notice


def test_each_kind_of_repair_with_its_count():
    n = notice(repairs={"spacing": 3, "brackets": 1}, repair_pages={"spacing": 1, "brackets": 2})
    assert findings_of(check_repairs, n) == [
        ("text-repaired", "info", "", None, "brackets", None, 1, "修复了文号括号（如 „‟ 改为 〔〕）：1 处"),
        ("text-repaired", "info", "", None, "spacing", None, 3, "删除了汉字、数字之间多余的空格：3 处")]
    assert [f.page for f in check_repairs(n)] == [2, 1]


def test_a_kind_rules_toml_does_not_name_is_said_by_its_name():
    assert findings_of(check_repairs, notice(repairs={"no-such-kind": 2}))[0][-1] == "no-such-kind：2 处"


def test_no_repair_gives_none():
    assert findings_of(check_repairs, notice()) == []
