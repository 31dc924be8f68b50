"""check_row_events: what reading a row noticed (RowEvent) becomes a finding at that row, its message the
code's template around the event's note. The events are written here by hand, as the table stage would."""
from parsers.model import Box

from ingest.checks import check_row_events

from inline_records import at, event, findings_of, item, notice, table


def test_each_event_is_a_finding_at_its_row():
    t = table(item(1, "甲镇", 100, seq=1),
              item(2, "乙镇", 50, seq=2, seq_inferred=True,
                   events=(event("seq-missing", "seq", "按前后序号推定为 2", expected=2),)),
              item(3, "丙镇", None, seq=3, value_text="12,5",
                   events=(event("not-a-number", "portions", "数量单元格内容“12,5”不是数字"),)),
              table_id="t2")
    assert findings_of(check_row_events, notice(t)) == [
        ("seq-missing", "warning", "t2", 2, "seq", 2, None, "t2 第2行“乙镇”没有序号，按前后序号推定为 2"),
        ("not-a-number", "error", "t2", 3, "portions", None, None, "t2 第3行“丙镇”：数量单元格内容“12,5”不是数字")]


def test_a_merged_cell_finding_carries_the_rows_figure_and_points_at_the_value_cell():
    row = item(1, "甲镇", 80, month_from=2, month_to=3, merged=True, source=at(3, 0, 100), value_source=at(3, 200, 100),
               events=(event("merged-cell", "portions", "“甲镇”的数量单元格为空，由合并单元格的 80 覆盖，计为二月至三月"),
                       event("merged-cell", "month", "月份单元格为空，由合并单元格“二月”补全")))
    found = list(check_row_events(notice(table(row, kind="monthly", has_seq=False))))
    assert [(f.code, f.severity, f.field, f.actual, f.message) for f in found] == [
        ("merged-cell", "info", "portions", 80, "t1 第1行“甲镇”：“甲镇”的数量单元格为空，由合并单元格的 80 覆盖，计为二月至三月"),
        ("merged-cell", "info", "month", 80, "t1 第1行“甲镇”：月份单元格为空，由合并单元格“二月”补全")]
    assert [(f.page, f.box) for f in found] == [(3, Box(200, 100, 210, 110)), (3, Box(0, 100, 10, 110))]


def test_a_blank_cell_is_a_warning_named_by_the_rows_name():
    row = item(4, "", None, org_raw="", events=(event("blank-cell", "portions", "数量单元格为空，且没有合并单元格可以解释"),))
    assert findings_of(check_row_events, notice(table(row))) == [
        ("blank-cell", "warning", "t1", 4, "portions", None, None, "t1 第4行“（无名称）”：数量单元格为空，且没有合并单元格可以解释")]


def test_rows_without_events_give_none():
    assert findings_of(check_row_events, notice(table(item(1, "甲镇", 100, seq=1), item(2, "乙镇", 50, seq=2)))) == []
    assert findings_of(check_row_events, notice()) == []
