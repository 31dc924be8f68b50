"""A plan by period beside the targets it schedules: 附件1 the year's targets per unit, 附件2 the same units with
the months (or quarters) as columns and a 全年 column at the end. The class of text: notices whose annexes give
the allocation and then its monthly plan laid out in columns; the 全年 column restates the targets as the plan's
sum, so it is not a second allocation (counted twice, the annexes would exceed the headline), while the plan is
held against the targets unit by unit."""
from ingest import ingest_file
from ingest.tables import read_tables, without_restated

from inline_records import grid

MONTHS = [f"{m}月" for m in range(1, 13)]


def _notice(tmp_path, plan_rows):
    lines = ["关于下达2024年度无偿献血任务的通知", "2024年全县无偿献血任务为360人份。", "", "附件1", "任务分配表", "",
             "序号\t单位\t任务数（人份）", "1\t甲镇\t240", "2\t乙镇\t120", "\t合计\t360", "",
             "附件2", "月度采血计划表", "", "\t".join(["单位"] + MONTHS + ["全年"])]
    lines += ["\t".join(r) for r in plan_rows]
    path = tmp_path / "n.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ingest_file(str(path))


def test_the_year_column_of_a_plan_beside_the_targets_is_not_a_second_allocation(tmp_path):
    n = _notice(tmp_path, [["甲镇"] + ["20"] * 12 + ["240"], ["乙镇"] + ["10"] * 12 + ["120"],
                           ["合计"] + ["30"] * 12 + ["360"]])
    assert [(t.table_id, t.kind) for t in n.tables] == [("t1", "allocation"), ("t2", "monthly")]
    assert [(r.org, r.portions) for r in n.tables[0].items] == [("甲镇", 240), ("乙镇", 120)]
    assert [f.code for f in n.findings if f.severity != "info"] == []


def test_a_plan_that_departs_from_the_targets_is_still_found(tmp_path):
    n = _notice(tmp_path, [["甲镇"] + ["20"] * 11 + ["30", "250"], ["乙镇"] + ["10"] * 12 + ["120"],
                           ["合计"] + ["30"] * 11 + ["40", "370"]])
    found = {(f.code, f.expected, f.actual) for f in n.findings}
    assert ("cross-table-mismatch", 240, 250) in found
    assert "target-mismatch" not in {f.code for f in n.findings}


def test_a_year_column_naming_other_units_stays_a_target_table():
    targets = read_tables(grid([["单位", "任务数"], ["甲镇", "240"], ["合计", "240"]]), 1, "", "")
    by_month = read_tables(grid([["单位", "上半年", "下半年", "全年"], ["丙镇", "50", "50", "100"]]), 2, "", "")
    assert [t.year_of_plan for t in by_month] == [True, False]
    kept = without_restated(targets + by_month)
    assert [(t.table_id, t.kind) for t in kept] == [("t1", "allocation"), ("t2", "allocation"), ("t3", "monthly")]


def test_a_plan_alone_keeps_its_year_column_as_the_targets():
    alone = read_tables(grid([["单位", "上半年", "下半年", "全年"], ["丙镇", "50", "50", "100"]]), 1, "", "")
    assert without_restated(alone) == alone
