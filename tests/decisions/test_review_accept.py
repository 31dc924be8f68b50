"""reviews.accept alone: an acceptance marks the findings it names (by key, or by code and where) as reviewed,
with its reason; one that names none, or whose pinned figures moved, is not applied and becomes a stale-review
finding after the others. The class of text: [[accept]] entries of reviews.toml as reviewers write them."""
from ingest.findings import make, with_keys
from ingest.reviews import Accept, accept

STALE = "审核决定 {label} 未能应用：{note}。接受理由：{reason}。请核对后更新或删除 reviews.toml 中的这一条"

FOUND = with_keys([
    make("seq-missing", note_text="按前后序号推定为 2", table_id="t1", row_no=2, field="seq", expected=2, name="乙镇"),
    make("duplicate-org", table_id="t1", row_no=3, field="org", name="甲镇", first_row=1),
    make("duplicate-org", table_id="t1", row_no=4, field="org", name="甲镇", first_row=1),
    make("total-mismatch", "total", table_id="t1", row_no=5, field="portions", expected=30, actual=35, diff=5, doubt=""),
    make("total-mismatch", "total", table_id="t1", row_no=5, field="portions", expected=40, actual=35, diff=-5,
         doubt=""),
], "n")


def acc(index=1, reason="原件如此", **kw):
    return Accept(index=index, notice_id="n", reason=reason, **kw)


def reviewed(out):
    return [(f.key, f.review_reason) for f in out if f.reviewed]


def test_the_keys_are_the_ones_acceptances_name():
    assert [f.key for f in FOUND] == ["seq-missing/t1/2/seq", "duplicate-org/t1/3/org", "duplicate-org/t1/4/org",
                                      "total-mismatch/t1/5/portions", "total-mismatch/t1/5/portions#2"]


def test_accepted_by_key():
    out = accept(FOUND, [acc(key="seq-missing/t1/2/seq", expected=2)])
    assert reviewed(out) == [("seq-missing/t1/2/seq", "原件如此")]
    assert [f.key for f in out] == [f.key for f in FOUND]                    # no stale finding, order kept
    assert not any(f.reviewed for f in FOUND)                                # the findings given are left as they are
    assert reviewed(accept(FOUND, [acc(key="total-mismatch/t1/5/portions#2")])) == [
        ("total-mismatch/t1/5/portions#2", "原件如此")]


def test_accepted_by_code_and_where():
    assert [k for k, _ in reviewed(accept(FOUND, [acc(code="duplicate-org")]))] == [
        "duplicate-org/t1/3/org", "duplicate-org/t1/4/org"]
    assert [k for k, _ in reviewed(accept(FOUND, [acc(code="duplicate-org", table_id="t1", row_no=4, field="org")]))] \
        == ["duplicate-org/t1/4/org"]


def test_two_acceptances_of_one_finding_keep_both_reasons():
    out = accept(FOUND, [acc(code="duplicate-org", row_no=3, reason="甲"), acc(index=2, code="duplicate-org", reason="乙")])
    assert reviewed(out) == [("duplicate-org/t1/3/org", "甲；乙"), ("duplicate-org/t1/4/org", "乙")]


def test_an_acceptance_that_names_no_finding_is_stale():
    out = accept(FOUND, [acc(code="duplicate-org", table_id="t2")])
    assert out[:5] == FOUND
    [stale] = out[5:]
    assert (stale.code, stale.severity, stale.table_id, stale.row_no, stale.field, stale.reviewed) == (
        "stale-review", "warning", "t2", None, "accept", False)
    assert stale.message == STALE.format(label="[[accept]] 第1条（n duplicate-org/t2）",
                                         note="已找不到这条发现：文件可能已修改，或问题已不存在", reason="原件如此")
    [gone] = accept(FOUND, [acc(key="seq-gap/t1/7/seq")])[5:]
    assert (gone.table_id, gone.row_no) == ("t1", 7)                          # where, from the key


def test_an_acceptance_whose_figures_moved_is_stale():
    out = accept(FOUND, [acc(key="total-mismatch/t1/5/portions", expected=30, actual=36)])
    assert reviewed(out) == []
    [stale] = out[5:]
    assert (stale.table_id, stale.row_no, stale.expected, stale.actual) == ("t1", 5, 30, 36)
    assert stale.message == STALE.format(
        label="[[accept]] 第1条（n total-mismatch/t1/5/portions）",
        note="这条发现的数字已变（现为 应为 30，实为 35；决定中记为 应为 30，实为 36）：请重新核对", reason="原件如此")
    [stale] = accept(FOUND, [acc(key="duplicate-org/t1/3/org", expected=5)])[5:]
    assert "现为 应为 —，实为 —；决定中记为 应为 5，实为 —" in stale.message


def test_pinned_figures_pick_among_the_findings_named():
    out = accept(FOUND, [acc(code="total-mismatch", expected=40)])
    assert [k for k, _ in reviewed(out)] == ["total-mismatch/t1/5/portions#2"] and len(out) == 5


def test_a_stale_review_finding_is_never_accepted():
    stale = accept(FOUND, [acc(code="duplicate-org", table_id="t2")])
    out = accept(stale, [acc(index=2, code="stale-review")])
    assert reviewed(out) == [] and [f.code for f in out[6:]] == ["stale-review"]
