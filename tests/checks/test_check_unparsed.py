"""check_unparsed: no figure lost. A figure in a column no header word names, and every figure of a table whose
header names no column we know, is quoted in a finding."""
from parsers.model import Box, Cell, Table

from ingest.checks import check_unparsed
from ingest.records import Unparsed

from inline_records import findings_of, item, notice, table


def test_a_figure_in_a_column_no_role_took():
    t = table(item(1, "甲镇", 10), unparsed=(Unparsed("12345678", page=2, box=Box(300, 20, 400, 40)),))
    n = notice(t)
    assert findings_of(check_unparsed, n) == [
        ("unparsed-content", "warning", "t1", None, "cell", None, None,
         "t1 中有未归入任何列的内容“12345678”（表头未说明这一列是什么）")]
    [f] = check_unparsed(n)
    assert (f.page, f.box, f.source_text) == (2, Box(300, 20, 400, 40), "12345678")


def grid_of(texts, page=4):
    return Table(rows=[[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(texts)],
                 page=page)


def test_a_table_not_recognised_is_quoted_by_its_figures():
    unknown = grid_of([["项目", "数量"], ["甲", "10"], ["乙", "2\n0"], ["丙", "无"]])
    n = notice(unrecognised=(unknown,))
    assert findings_of(check_unparsed, n) == [
        ("unparsed-content", "warning", "", None, "table", None, None,
         "一个表格未能识别（表头中没有已知的单位/数量列名），其中的数字未计入：10、20")]
    [f] = check_unparsed(n)
    assert (f.page, f.source_text) == (4, "10、20")


def test_a_large_unrecognised_table_is_quoted_within_bounds():
    unknown = grid_of([["甲", "1234567890"] for _ in range(250)])
    [f] = check_unparsed(notice(unrecognised=(unknown,)))
    quoted = "、".join(["1234567890"] * 200)            # the first 200 figures
    assert f.source_text == quoted and len(quoted) == 2199
    assert f.message.endswith("：" + quoted[:300]) and len(f.message) < 360


def test_nothing_left_over_gives_none():
    assert findings_of(check_unparsed, notice(table(item(1, "甲镇", 10)))) == []
