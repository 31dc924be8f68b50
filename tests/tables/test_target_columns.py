"""Which column holds the year's targets when a header names several figures. The class of text: allocation
tables that show last year's figures, what was done, rates, population or contacts beside this year's targets,
or two target columns of two years. A figure of another column is a note of its row: kept, never the target,
never an unparsed-content warning; where the header does not say which column is this year's, a finding says
which was read."""
import pytest

from ingest.checks import run_checks
from ingest.tables import parse_table

from inline_records import grid, notice


def _read(header, *rows):
    t = parse_table(grid([header, *rows]), "t1", "", "")
    return t, [(r.org, r.portions, r.note) for r in t.rows], [f.code for f in run_checks(notice(t))]


def test_the_latest_year_is_the_target():
    t, rows, codes = _read(["序号", "单位", "2023年任务数", "2024年任务数"], ["1", "甲镇", "240", "250"],
                           ["2", "乙镇", "150", "160"], ["合计", "", "390", "410"])
    assert rows == [("甲镇", 250, "240"), ("乙镇", 160, "150"), ("合计", 410, "390")]
    assert codes == [] and t.unparsed == ()


@pytest.mark.parametrize("other", ["上年完成数", "去年任务", "已完成", "完成率", "常住人口（万人）", "户籍人口（人）", "千人口献血率（‰）",
                                   "联系人", "联系电话", "占比"])
def test_figures_that_are_not_this_years_targets_are_notes(other):
    t, rows, codes = _read(["单位", other, "任务数"], ["甲镇", "96", "250"], ["合计", "", "250"])
    assert rows == [("甲镇", 250, "96"), ("合计", 250, "")] and codes == [] and t.unparsed == ()


def test_two_target_columns_the_header_does_not_tell_apart_are_said():
    t, rows, codes = _read(["单位", "任务数", "计划数"], ["甲镇", "240", "250"])
    assert rows == [("甲镇", 250, "240")] and codes == ["column-ambiguous"]
    [f] = [f for f in run_checks(notice(t)) if f.code == "column-ambiguous"]
    assert "计划数" in f.message and "任务数" in f.message and f.severity == "warning"


def test_side_by_side_lists_keep_a_target_each():
    t, rows, codes = _read(["单位", "任务数", "单位", "任务数"], ["甲镇", "10", "乙镇", "20"])
    assert [(o, p) for o, p, _ in rows] == [("甲镇", 10), ("乙镇", 20)] and codes == []


def test_one_target_in_two_units_reads_the_count():
    # The class of text: tables that print each unit's target in 人份 and again in 毫升 (the same words, each column
    # with its unit): one target, not two; the count is read, the volume kept as the row's note, nothing to say
    t, rows, codes = _read(["单位", "任务数（毫升）", "任务数（人份）"], ["甲镇", "24000", "120"], ["合计", "24000", "120"])
    assert rows == [("甲镇", 120, "24000"), ("合计", 120, "24000")] and codes == [] and t.unit == "人份"
    t, rows, codes = _read(["单位", "任务数（人份）", "任务数（毫升）"], ["甲镇", "120", "24000"])
    assert rows == [("甲镇", 120, "24000")] and codes == [] and t.unit == "人份"
    # other words, or the same unit twice: the header does not say they are one target
    _, _, codes = _read(["单位", "人数（人）", "献血量（毫升）"], ["甲镇", "120", "36000"])
    assert codes == ["column-ambiguous"]
    _, _, codes = _read(["单位", "任务数（人份）", "任务数（人份）"], ["甲镇", "120", "130"])
    assert codes == ["column-ambiguous"]


def test_a_spanned_header_over_its_units_heads_both_columns():
    # The class of text: a two-row header, 任务数 spanning two columns over 人份 | 毫升 (HTML colspan, Word gridSpan),
    # the other headers spanning both rows; the second row is the header's, not a row of the table
    g = grid([["序号", "单位", "任务数", "", "备注"],
              ["", "", "人份", "毫升", ""],
              ["1", "甲镇", "120", "24000", ""],
              ["2", "乙镇", "80", "16000", ""],
              ["合计", "", "200", "40000", ""]],
             spans={(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (1, 2), (0, 4): (2, 1), (4, 0): (1, 2)})
    t = parse_table(g, "t1", "", "")
    assert t.header == ("序号", "单位", "任务数（人份）", "任务数（毫升）", "备注") and t.unit == "人份"
    assert [(r.row_type, r.org, r.portions) for r in t.rows] == [("item", "甲镇", 120), ("item", "乙镇", 80),
                                                                 ("total", "合计", 200)]
    assert [f.code for f in run_checks(notice(t)) if f.severity != "info"] == []
