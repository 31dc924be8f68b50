"""The stages never change records an earlier stage made: pipeline.review run twice on one notice (or on its own
result) gives the same findings, with or without a reviewer's decisions, and the notice read is left as it was.
Before issue 14, check_seq wrote the inferred 序号 into the row, so a second run found no seq-missing."""
from ingest import pipeline, reviews
from ingest.records import Facts, Target
from ingest.tables import parse_table

from inline_records import grid, notice


def read_notice():
    """A notice as the table stage leaves it: a 序号 to infer, a total that does not add up, a plan with merges."""
    t1 = parse_table(grid([["序号", "单位", "任务数"], ["1", "甲镇", "100"], ["", "乙镇", "200"], ["3", "丙镇", "300"],
                           ["", "合计", "650"]]), "t1", "2024年任务分解表", "附件1")
    t2 = parse_table(grid([["月份", "单位", "计划数"], ["一月", "甲镇", "100"], ["", "乙镇", "200"], ["二月", "丙镇", "300"],
                           ["三月", "丙镇", ""], ["合计", "", "600"]]), "t2", "", "附件2")
    facts = Facts(year=2024, total_target=700, targets=(Target("总量", 700, "headline"),), signed_on="2024-01-05")
    return notice(t1, t2, facts=facts, repairs={"spacing": 2}, repair_pages={"spacing": 1})


def summary(n):
    return [(f.key, f.severity, f.expected, f.actual, f.message, f.reviewed) for f in n.findings]


def test_the_checks_run_twice_give_the_same_findings():
    n = read_notice()
    first, second = pipeline.review(n, None), pipeline.review(n, None)
    assert summary(first) == summary(second)
    assert summary(pipeline.review(first, None)) == summary(first)         # on its own result too
    keys = [f.key for f in first.findings]
    assert "seq-missing/t1/2/seq" in keys and "total-mismatch/t1/4/portions" in keys
    assert "merged-cell/t2/2/month" in keys and "merged-cell/t2/3/portions" in keys
    assert "unallocated-remainder/-/-/total_target" in keys         # 650 of 700 allocated
    # the rows as read are the rows reviewed: nothing was written into them
    assert first.tables == n.tables and n.findings == ()
    assert [(r.seq, r.seq_inferred) for r in n.tables[0].items] == [(1, False), (2, True), (3, False)]


def test_with_decisions_the_corrected_rows_are_new_and_the_run_repeats():
    n = read_notice()
    decisions = reviews.Reviews(path="reviews.toml", sha256="", accepts=(
        reviews.Accept(index=1, notice_id="n", reason="已核对", key="merged-cell/t2/2/month"),), corrects=(
        reviews.Correct(index=1, notice_id="n", table_id="t1", row_no=2, field="seq", value=2, reason="原件有序号"),
        reviews.Correct(index=2, notice_id="n", table_id="t1", row_no=3, value=350, was=300, reason="核对原件")))
    first, second = pipeline.review(n, decisions), pipeline.review(n, decisions)
    assert summary(first) == summary(second)
    keys = {f.key: f for f in first.findings}
    # the 序号 confirmed is printed now (no seq-missing), 100 + 200 + 350 = 650 is the 合计, the merge accepted
    assert "seq-missing/t1/2/seq" not in keys and "total-mismatch/t1/4/portions" not in keys
    assert keys["merged-cell/t2/2/month"].reviewed and keys["merged-cell/t2/2/month"].review_reason == "已核对"
    assert [f.code for f in first.findings].count("value-corrected") == 2
    assert [(c.field, c.original, c.value) for c in first.corrections] == [("seq", None, 2), ("portions", 300, 350)]
    # the notice read keeps the rows as extracted
    assert [(r.seq, r.seq_inferred, r.portions) for r in n.tables[0].items] == [(1, False, 100), (2, True, 200),
                                                                              (3, False, 300)]
    assert [(r.seq, r.seq_inferred, r.portions) for r in first.tables[0].items] == [(1, False, 100), (2, False, 200),
                                                                                  (3, False, 350)]


def test_a_notice_that_could_not_be_read_is_left_as_it_is():
    n = pipeline.unreadable("n", "n.pdf", "", "damaged")
    assert pipeline.review(n, None) is n
