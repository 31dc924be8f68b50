"""reviews.correct alone: a reviewer's correction makes a new row (the extracted one is left as it is), says what
it did in a value-corrected finding, and a decision that no longer fits the document is not applied but becomes
a stale-review finding. The class of text: [[correct]] entries of reviews.toml as reviewers write them."""
from parsers.model import Box

from ingest.records import Correction
from ingest.reviews import Correct, correct

from inline_records import at, event, findings_of, item, table

SEQ_EVENT = event("seq-missing", "seq", "按前后序号推定为 2", expected=2)
T1 = table(item(1, "甲镇", 100, seq=1, source=at(1, 0, 20), value_source=at(1, 200, 20)),
           item(2, "乙镇", 50, seq=2, seq_inferred=True, events=(SEQ_EVENT,)),
           item(3, "区教育局", 30, seq=3, org_note="（城区部分）"))
T2 = table(item(1, "甲镇", 40, month_from=1, month_to=1), item(2, "甲镇", 60, month_from=2, month_to=2),
           table_id="t2", kind="monthly", has_seq=False)
STALE = "审核决定 {label} 未能应用：{note}。更正理由：{reason}。请核对后更新或删除 reviews.toml 中的这一条"


def decision(**kw):
    kw.setdefault("table_id", "t1")
    kw.setdefault("reason", "核对原件")
    return Correct(index=kw.pop("index", 1), notice_id="n", **kw)


def found(decisions, tables=(T1, T2)):
    """The tables, the corrections made and the findings as (code, severity, table, row, field, expected, actual,
    message)."""
    new, done, made = correct(tables, decisions)
    return new, done, findings_of(lambda _: made, None)


def test_a_figure_corrected_is_a_new_row():
    new, done, made = found([decision(row_no=1, value=120, was=100, reason="OCR 把 120 读成 100")])
    assert [r.portions for r in new[0].rows] == [120, 50, 30]
    assert [r.portions for r in T1.rows] == [100, 50, 30]                 # the rows as extracted
    assert new[0].rows[1] is T1.rows[1] and new[1] is T2                     # what was not corrected is shared
    assert done == (Correction(table_id="t1", row_no=1, field="portions", original=100, value=120,
                               reason="OCR 把 120 读成 100"),)
    assert made == [("value-corrected", "info", "t1", 1, "portions", 120, 100,
                     "t1 第1行“甲镇”的数量按审核决定由 100 改为 120（理由：OCR 把 120 读成 100）")]
    [f] = correct((T1,), [decision(row_no=1, value=120)])[2]
    assert (f.page, f.box) == (1, Box(200, 20, 210, 30))                   # at the figure


def test_an_inferred_seq_corrected_is_printed_and_no_longer_missing():
    new, done, made = found([decision(row_no=2, field="seq", value=3, reason="原件为 3")])
    row = new[0].rows[1]
    assert (row.seq, row.seq_inferred, row.events) == (3, False, ())
    assert done[0].original is None                     # the inferred 2 was never printed
    assert made == [("value-corrected", "info", "t1", 2, "seq", 3, None, "t1 第2行“乙镇”的序号按审核决定由 — 改为 3（理由：原件为 3）")]
    # confirming the inferred number makes it a printed one
    new, _, made = found([decision(row_no=2, field="seq", value=2)])
    assert (new[0].rows[1].seq, new[0].rows[1].seq_inferred) == (2, False) and made[0][0] == "value-corrected"


def test_a_was_for_an_inferred_seq_is_stale_since_nothing_was_printed():
    new, done, made = found([decision(row_no=2, field="seq", value=3, was=2, reason="原件为 3")])
    assert new == (T1, T2) and done == ()
    assert made == [("stale-review", "warning", "t1", 2, "correct", None, None, STALE.format(
        label="[[correct]] 第1条（n t1 第2行 seq）", note="序号现为 —，不是决定中记下的 2：文件可能已修改", reason="原件为 3"))]


def test_a_name_corrected_by_name():
    new, done, made = found([decision(org="区教育局（城区部分）", field="org", value="區教育局機關", reason="全称")])
    row = new[0].rows[2]
    assert (row.org, row.org_note, row.org_raw, row.org_normalized) == ("區教育局機關", "（城区部分）", "區教育局機關（城区部分）",
                                                                       "区教育局机关")
    assert done[0].original == "区教育局"
    assert made == [("value-corrected", "info", "t1", 3, "org", None, None,
                     "t1 第3行“區教育局機關（城区部分）”的单位名称按审核决定由 区教育局 改为 區教育局機關（理由：全称）")]
    new, _, _ = found([decision(row_no=3, field="org_note", value="（全区）")])
    assert (new[0].rows[2].org, new[0].rows[2].org_raw) == ("区教育局", "区教育局（全区）")


def test_a_unit_named_on_several_rows_needs_its_month_or_row():
    label = "[[correct]] 第1条（n t2 “甲镇” portions）"
    new, _, made = found([decision(table_id="t2", org="甲镇", value=70)])
    assert new == (T1, T2)
    assert made == [("stale-review", "warning", "t2", None, "correct", None, None, STALE.format(
        label=label, note="与 2 行相符（第 1、2 行），请用 row_no 指明是哪一行", reason="核对原件"))]
    new, _, made = found([decision(table_id="t2", org="甲镇", month=2, value=70)])
    assert [r.portions for r in new[1].rows] == [40, 70] and made[0][:7] == (
        "value-corrected", "info", "t2", 2, "portions", 70, 60)


def test_decisions_that_no_longer_fit_are_stale_and_change_nothing():
    cases = [
        (decision(table_id="t9", row_no=1, value=1), "t9", 1, "[[correct]] 第1条（n t9 第1行 portions）",
         "本文件没有表 t9：文件可能已修改"),
        (decision(row_no=99, value=1), "t1", 99, "[[correct]] 第1条（n t1 第99行 portions）", "表中已没有这一行：文件可能已修改"),
        (decision(org="丙镇", value=1), "t1", None, "[[correct]] 第1条（n t1 “丙镇” portions）", "表中已没有这一行：文件可能已修改"),
        (decision(row_no=1, value=1, was=90), "t1", 1, "[[correct]] 第1条（n t1 第1行 portions）",
         "数量现为 100，不是决定中记下的 90：文件可能已修改"),
        (decision(row_no=1, value=100), "t1", 1, "[[correct]] 第1条（n t1 第1行 portions）", "数量已是 100，无需更正：可删除这一条"),
    ]
    for d, table_id, row_no, label, note in cases:
        new, done, made = found([d])
        assert new == (T1, T2) and done == ()
        assert made == [("stale-review", "warning", table_id, row_no, "correct", None, None,
                         STALE.format(label=label, note=note, reason="核对原件"))]


def test_corrections_one_after_another():
    new, done, made = found([decision(row_no=1, value=120), decision(index=2, row_no=3, value=35),
                             decision(index=3, row_no=3, value=35)])
    assert [r.portions for r in new[0].rows] == [120, 50, 35]
    assert [(c.row_no, c.value) for c in done] == [(1, 120), (3, 35)]
    assert [m[0] for m in made] == ["value-corrected", "value-corrected", "stale-review"]     # the third: already
