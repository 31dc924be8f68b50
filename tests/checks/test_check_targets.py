"""check_targets: the headline against its sub-targets and the target tables that allocate it, sub-targets
against the rows they name, and an annex total the prose states against its table."""
from ingest.checks import check_targets
from ingest.records import Facts, Target

from inline_records import findings_of, item, notice, table, total

SUBS_TEXT = "其中机关单位600人份，街镇300人份"


def headline(total_target, *subs):
    return Facts(year=2024, total_target=total_target,
                 targets=(Target("总量", total_target, "headline", page=1),) + subs)


def test_nothing_stated_gives_none():
    assert findings_of(check_targets, notice(table(item(1, "甲镇", 10)))) == []


def test_sub_targets_that_do_not_add_up_to_the_headline():
    facts = headline(1000, Target("机关单位", 600, "sub", page=1, text=SUBS_TEXT),
                     Target("街镇", 300, "sub", page=1, text=SUBS_TEXT))
    n = notice(facts=facts)
    assert findings_of(check_targets, n) == [
        ("target-mismatch", "error", "", None, "total_target", 1000, 900, "总量 1000 与其中各分项之和 900 不一致（600＋300）")]
    [f] = check_targets(n)
    assert (f.page, f.source_text) == (1, SUBS_TEXT)


def test_tables_allocating_more_than_the_headline():
    t1 = table(item(1, "甲镇", 400), item(2, "乙镇", 200), total(3, 600), table_id="t1")
    t2 = table(item(1, "丙镇", 300), item(2, "丁镇", 200), table_id="t2")      # no 合计: its items
    assert findings_of(check_targets, notice(t1, t2, facts=headline(1000))) == [
        ("target-mismatch", "error", "", None, "total_target", 1000, 1100,
         "各分解表合计 1100（t1 600＋t2 500）超过总量 1000，多出 100")]


def test_tables_allocating_less_than_the_headline_leave_a_remainder():
    t1 = table(item(1, "甲镇", 500), item(2, "乙镇", 400), total(3, 900))
    assert findings_of(check_targets, notice(t1, facts=headline(1000))) == [
        ("unallocated-remainder", "info", "", None, "total_target", 1000, 900,
         "总量 1000 减去各分解表合计 900（t1 900）余 100，未在附件中分配")]


def test_tables_allocating_the_headline_give_none():
    t1 = table(item(1, "甲镇", 600), item(2, "乙镇", 400), total(3, 1000))
    plan = table(item(1, "甲镇", 999), total(2, 999), table_id="t2", kind="monthly")    # a plan allocates nothing
    assert findings_of(check_targets, notice(t1, plan, facts=headline(1000))) == []


def prose(label, portions):
    return Facts(prose_totals=(Target(label, portions, "prose", page=2, text=f"{label}所列各单位合计{portions}人份"),))


def test_an_annex_total_the_prose_states_against_the_tables_total():
    t = table(item(1, "甲镇", 700), item(2, "乙镇", 500), total(3, 1200), annex="附件1")
    n = notice(t, facts=prose("附件1", 1250))
    assert findings_of(check_targets, n) == [
        ("target-mismatch", "error", "t1", None, "portions", 1250, 1200, "正文说附件1合计 1250，t1 表列合计为 1200，相差 -50")]
    [f] = check_targets(n)
    assert (f.page, f.source_text) == (2, "附件1所列各单位合计1250人份")


def test_an_annex_total_the_prose_states_against_the_sum_of_a_table_without_one():
    t = table(item(1, "甲镇", 700), item(2, "乙镇", 600), annex="附件1")
    assert findings_of(check_targets, notice(t, facts=prose("附件1", 1250))) == [
        ("target-mismatch", "error", "t1", None, "portions", 1250, 1300, "正文说附件1合计 1250，t1 各项相加为 1300，相差 50")]
    assert findings_of(check_targets, notice(t, facts=prose("附件1", 1300))) == []


def test_an_annex_named_without_a_number_is_the_only_target_table():
    one = table(item(1, "甲镇", 700), annex="附件2")
    assert [f[0] for f in findings_of(check_targets, notice(one, facts=prose("附件", 800)))] == ["target-mismatch"]
    two = (table(item(1, "甲镇", 700), table_id="t1"), table(item(1, "乙镇", 100), table_id="t2"))
    assert findings_of(check_targets, notice(*two, facts=prose("附件", 800))) == []
    assert findings_of(check_targets, notice(one, facts=prose("附件1", 800))) == []      # another annex


SUBS = (Target("教育系统献血目标", 300, "sub"), Target("其他单位", 700, "sub"))


def test_a_sub_target_against_the_row_it_names_and_the_rest_against_the_other_rows():
    t = table(item(1, "区教育系统", 280), item(2, "甲镇", 420), item(3, "乙镇", 300))      # 1000 in all
    assert findings_of(check_targets, notice(t, facts=headline(1000, *SUBS))) == [
        ("target-mismatch", "error", "t1", 1, "portions", 300, 280, "正文分项“教育系统献血目标”为 300，t1 第1行“区教育系统”为 280"),
        ("target-mismatch", "error", "", None, "portions", 700, 720, "正文分项“其他单位”为 700，分解表中其余各行相加为 720，相差 20")]


def test_sub_targets_that_match_their_rows_give_none():
    t = table(item(1, "区教育系统", 300), item(2, "甲镇", 400), item(3, "乙镇", 300))
    assert findings_of(check_targets, notice(t, facts=headline(1000, *SUBS))) == []
