"""check_seq: 序号 that repeat, skip or go back (a missing one is a row event of the table stage)."""
from ingest.checks import check_seq

from inline_records import findings_of, item, notice, subtotal, table, total


def seq_notice(*seqs, has_seq=True):
    return notice(table(*(item(i, f"单位{i}", 10, seq=s) for i, s in enumerate(seqs, start=1)), has_seq=has_seq))


def test_a_clean_sequence_gives_none():
    assert findings_of(check_seq, seq_notice(1, 2, 3)) == []
    # rows without a 序号 (one the table stage could not infer) are passed over: their row event says so; totals
    # have none
    t = table(item(1, "甲", 1, seq=1), item(2, "乙", 1), item(3, "丙", 1, seq=2), subtotal(4, 3), total(5, 3))
    assert findings_of(check_seq, notice(t)) == []


def test_a_repeated_seq():
    assert findings_of(check_seq, seq_notice(1, 2, 2, 3)) == [
        ("seq-duplicate", "error", "t1", 3, "seq", None, 2, "t1 序号 2 重复：“单位2”与“单位3”")]


def test_a_skipped_seq_names_what_is_missing():
    assert findings_of(check_seq, seq_notice(1, 2, 5)) == [
        ("seq-gap", "error", "t1", 3, "seq", 3, 5, "t1 序号从 2 跳到 5，缺少 3, 4（可能漏了行）")]


def test_a_seq_going_back():
    assert findings_of(check_seq, seq_notice(1, 3, 2)) == [
        ("seq-gap", "error", "t1", 2, "seq", 2, 3, "t1 序号从 1 跳到 3，缺少 2（可能漏了行）"),
        ("seq-gap", "error", "t1", 3, "seq", 4, 2, "t1 序号顺序倒退：3 之后是 2")]


def test_a_repeat_seen_before_the_last_row():
    # 1 2 3 1: the 1 repeats the first row's; it is not also a step back
    assert findings_of(check_seq, seq_notice(1, 2, 3, 1)) == [
        ("seq-duplicate", "error", "t1", 4, "seq", None, 1, "t1 序号 1 重复：“单位1”与“单位4”")]


def test_a_table_without_a_seq_column_is_not_checked():
    assert findings_of(check_seq, seq_notice(1, 1, 5, has_seq=False)) == []
