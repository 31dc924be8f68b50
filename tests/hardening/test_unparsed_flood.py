"""A dense table of figures within every limit: each figure in a column no header word names was an
unparsed-content warning of its own, so a 726 KB text file of 600 × 600 figures gave 357,603 warnings, 3 GB of
memory and a 342 MB report.html. A table quotes at most [checks] unparsed_cells such figures, one finding each, and
counts the rest in one more finding of the same code; the rest are counted, not kept, while the table is read."""
from __future__ import annotations

from dataclasses import replace

import pytest

from ingest import checks, tables
from ingest.pipeline import ingest_bytes
from ingest.rules import rules

LIMIT = 3
ROWS, EXTRA = 4, 2            # 4 rows × 2 unnamed columns: 8 figures no column takes


def dense_notice() -> bytes:
    head = ["序号", "单位名称", "任务数（人份）"] + ["备用"] * EXTRA
    lines = ["关于做好2024年东山县无偿献血工作的意见", "", "附件1 任务分解表", "", "\t".join(head)]
    for i in range(1, ROWS + 1):
        lines.append("\t".join([str(i), f"东山{'甲乙丙丁'[i - 1]}镇", str(10 * i)] + [f"{i}{c}7" for c in range(EXTRA)]))
    return "\n".join(lines).encode("utf-8")


@pytest.fixture
def small_bound(monkeypatch):
    small = replace(rules(), unparsed_cells=LIMIT)
    monkeypatch.setattr(tables, "rules", lambda: small)
    monkeypatch.setattr(checks, "rules", lambda: small)


def unparsed(notice):
    return [(f.key, f.field, f.actual, f.source_text, f.message) for f in notice.findings
            if f.code == "unparsed-content"]


def test_a_dense_table_gives_the_first_findings_and_one_counting_the_rest(small_bound):
    notice = ingest_bytes("dense.txt", dense_notice(), "n")
    [t] = notice.tables
    assert [r.portions for r in t.items] == [10, 20, 30, 40]
    assert len(t.unparsed) == LIMIT and t.unparsed_more == ROWS * EXTRA - LIMIT     # the rest counted, not kept
    assert unparsed(notice) == [
        ("unparsed-content/t1/-/cell", "cell", None, "107", "t1 中有未归入任何列的内容“107”（表头未说明这一列是什么）"),
        ("unparsed-content/t1/-/cell#2", "cell", None, "117", "t1 中有未归入任何列的内容“117”（表头未说明这一列是什么）"),
        ("unparsed-content/t1/-/cell#3", "cell", None, "207", "t1 中有未归入任何列的内容“207”（表头未说明这一列是什么）"),
        ("unparsed-content/t1/-/cell#4", "cell", 5, "",
         "t1 中还有另外 5 处未归入任何列的内容，未逐一列出（表头未说明这些列是什么）"),
    ]
    again = ingest_bytes("dense.txt", dense_notice(), "n")
    assert unparsed(again) == unparsed(notice)                  # deterministic: the same findings every run
    assert checks.run_checks(again) == checks.run_checks(notice)


def test_at_the_bound_no_counting_finding(monkeypatch):
    small = replace(rules(), unparsed_cells=ROWS * EXTRA)
    monkeypatch.setattr(tables, "rules", lambda: small)
    monkeypatch.setattr(checks, "rules", lambda: small)
    found = unparsed(ingest_bytes("dense.txt", dense_notice(), "n"))
    assert len(found) == ROWS * EXTRA and all(f[1] == "cell" and f[2] is None for f in found)


def test_the_bound_holds_for_a_table_built_with_every_figure_kept(small_bound):
    """A table made elsewhere (a test, a cached notice) with more figures kept than the bound: still bounded."""
    from inline_records import item, notice, table
    from ingest.records import Unparsed
    t = table(item(1, "甲镇", 10), unparsed=tuple(Unparsed(str(n)) for n in range(10)), unparsed_more=4)
    found = list(checks.check_unparsed(notice(t)))
    assert [f.source_text for f in found] == ["0", "1", "2", ""]
    assert found[-1].actual == 7 + 4 and "另外 11 处" in found[-1].message


def test_the_shipped_bound_leaves_every_sample_figure_quoted():
    """No sample or real notice has more than a few such figures: the bound is far above them."""
    assert rules().unparsed_cells >= 100
