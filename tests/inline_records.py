"""Small records and grids written inline by the per-rule and per-check tests (tests/rules, tests/tables,
tests/checks, tests/decisions): a test states the rows it needs, nothing is read from a file.

    grid([["序号", "单位", "任务数"], ["1", "甲镇", "100"]], spans={(1, 2): (2, 1)})   # a parsers.model.Table
    notice(table(item(1, "甲镇", 100, seq=1), total(2, 100)))                       # a records.Notice
"""
from __future__ import annotations

from typing import Optional

from parsers.model import Box, Cell, Table

from ingest.records import Facts, Notice, Row, RowEvent, Source, TargetTable


def grid(rows: list[list[str]], spans: Optional[dict] = None, merges_known: bool = False, page: int = 1,
         strategy: str = "test") -> Table:
    """A grid as a reader gives it: one Cell per column; a merged region (spans: (row, col) -> (rowspan,
    colspan)) has its text at its top-left cell and covered cells pointing there, with no text of their own."""
    spans = spans or {}
    covered = {(r + i, c + j): (r, c) for (r, c), (rs, cs) in spans.items()
               for i in range(rs) for j in range(cs) if (i, j) != (0, 0)}
    cells = []
    for r, texts in enumerate(rows):
        row = []
        for c, text in enumerate(texts):
            rs, cs = spans.get((r, c), (1, 1))
            origin = covered.get((r, c))
            row.append(Cell(text="" if origin else text, row=r, col=c, rowspan=rs, colspan=cs, merged_into=origin,
                            page=page, box=Box(c * 100, r * 20, c * 100 + 100, r * 20 + 20)))
        cells.append(row)
    return Table(rows=cells, page=page, strategy=strategy, merges_known=merges_known)


def item(row_no: int, org: str, portions: Optional[int], seq: Optional[int] = None, **kw) -> Row:
    """An item row as the table stage makes it (value as printed = the figure)."""
    kw.setdefault("value_text", "" if portions is None else str(portions))
    kw.setdefault("org_raw", org + kw.get("org_note", ""))
    return Row(row_no=row_no, row_type="item", org=org, seq=seq, portions=portions, **kw)


def total(row_no: int, portions: Optional[int], label: str = "合计", **kw) -> Row:
    return Row(row_no=row_no, row_type="total", org=label, org_raw=label, portions=portions,
               value_text="" if portions is None else str(portions), **kw)


def subtotal(row_no: int, portions: Optional[int], label: str = "小计", **kw) -> Row:
    return Row(row_no=row_no, row_type="subtotal", org=label, org_raw=label, portions=portions,
               value_text="" if portions is None else str(portions), **kw)


def table(*rows: Row, table_id: str = "t1", kind: str = "allocation", has_seq: bool = True, title: str = "",
          annex: str = "", page: Optional[int] = 1, **kw) -> TargetTable:
    return TargetTable(table_id=table_id, kind=kind, title=title, annex=annex, unit="人份", rows=tuple(rows),
                       page=page, strategy="test", n_lists=1, has_seq=has_seq, header=("序号", "单位", "任务数"),
                       merges_known=False, **kw)


def notice(*tables: TargetTable, facts: Facts = Facts(), **kw) -> Notice:
    return Notice(notice_id="n", source_file="n.txt", source_sha256="0" * 64, format="text", facts=facts,
                  tables=tuple(tables), **kw)


def event(code: str, field: str, message: str, expected: Optional[int] = None) -> RowEvent:
    return RowEvent(code=code, field=field, message=message, expected=expected)


def at(page: int, x0: float, top: float) -> Source:
    """A source on `page` with a box 10 points square at (x0, top)."""
    return Source(page=page, box=Box(x0, top, x0 + 10, top + 10))


def findings_of(check, n: Notice) -> list[tuple]:
    """A check's findings as (code, severity, table_id, row_no, field, expected, actual, message)."""
    return [(f.code, f.severity, f.table_id, f.row_no, f.field, f.expected, f.actual, f.message) for f in check(n)]
