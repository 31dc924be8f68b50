"""From grids of cells to rows of a target table or a monthly plan.

Every rule works from what the table says: its header words give each column a role (seq, name, value, month,
note, group), a role that repeats across the header means side-by-side lists, a header row repeated further down
starts a new chunk (a new printed page), total words mark total rows, merged cells (stated by the format, or
inferred where the format cannot state them) fill the blanks they explain, and a missing 序号 is inferred from
its neighbours. What reading a row noticed is kept on the row as a RowEvent, for the checks to report.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Optional

import itertools
import regex as re

from parsers.model import Cell, Line, Table

from . import findings
from fractions import Fraction

from .cells import (bracketed_unit, cell_text, header_unit, is_unit_word, looks_like_figure, parse_number,
                    seq_number, split_org, unit_scale, value_reading, whole)
from .records import Row, RowEvent, Source, TargetTable, Unparsed
from .rules import (header_role, month_name, month_number, normalized_name, period_of, row_kind, rules, squeeze,
                    unit_factor)

# --------------------------------------------------------------------------------------------- header


def _row_roles(row: list[Cell]) -> list[Optional[str]]:
    return [None if c.is_covered else header_role(cell_text(c)) for c in row]


def is_header(row: list[Cell]) -> bool:
    """A row of header words only: a name column and a value or month column, no figures, no total word."""
    texts = [cell_text(c) for c in row if not c.is_covered]
    if any(looks_like_figure(t) for t in texts if t):
        return False
    if any(row_kind(t) for t in texts):
        return False
    roles = [r for r in _row_roles(row) if r]
    return "name" in roles and ("value" in roles or "month" in roles
                                or any(period_of(t) for t in texts if t))


# Roles a list may have several columns of (notes; the parts of the year a target is planned over).
_LISTED = ("note", "period")


def _groups(roles: list[Optional[str]]) -> list[dict]:
    """Split the column roles into side-by-side lists: a role already in the current list starts a new one."""
    groups: list[dict] = []
    cur: dict = {}
    for col, role in enumerate(roles):
        if role is None:
            continue
        if role in cur and role not in _LISTED:
            groups.append(cur)
            cur = {}
        if role in _LISTED:
            cur.setdefault(role, []).append(col)
        else:
            cur[role] = col
    if cur:
        groups.append(cur)
    return [g for g in groups if "name" in g or "value" in g]


def _has_figures(row: list[Cell]) -> bool:
    return any(looks_like_figure(cell_text(c)) for c in row if not c.is_covered)


def _title_row(row: list[Cell]) -> bool:
    return len(row) > 1 and all(c.is_covered or not cell_text(c) for c in row[1:])


def _field_row(row: list[Cell]) -> bool:
    """A row of labelled fields only (填报单位：某局 … 单位：人份), printed above a table's header."""
    texts = [squeeze(cell_text(c)) for c in row if not c.is_covered and cell_text(c)]
    return bool(texts) and all(rules().columns.field.match(t) for t in texts)


def header_span(table: Table) -> Optional[tuple[int, int, list[str]]]:
    """Where the header is: (first row, row after it, text per column). A header may be stacked over up to
    three rows without figures (序 / 号, 单位 / 名称 …): their texts are combined column by column. A row whose
    only text is its first cell (a title inside the grid, merged across the columns or not), or whose cells are
    all labelled fields (填报单位：某局 | 单位：人份), never starts a header: stacked onto the header row below, it
    would give a column a role of its own words."""
    for r in range(min(4, len(table.rows))):
        if _title_row(table.rows[r]) or _field_row(table.rows[r]):
            continue
        for span in (1, 2, 3):
            rows = table.rows[r:r + span]
            if len(rows) < span or any(_has_figures(row) or _total_label(row) for row in rows):
                break
            texts = _stacked_texts(table, rows)
            roles = [header_role(t) for t in texts]
            if "name" in roles and ("value" in roles or "month" in roles or any(period_of(t) for t in texts)):
                while span < 3 and _periods_below(table, r + span):
                    span += 1       # 任务数 over 上半年 | 下半年: the parts of the year under it belong to the header
                if _sub_headers_below(table, r, r + span):
                    return r, r + span + 1, _stacked_under_spans(table, r, r + span + 1)
                return r, r + span, _stacked_texts(table, table.rows[r:r + span])
    return None


def _spanned_columns(rows: list[list[Cell]]) -> set[int]:
    """The columns under a header cell that spans several of them (任务数 over two columns)."""
    return {c for row in rows for cell in row if not cell.is_covered and cell.colspan > 1
            for c in range(cell.col, cell.col + cell.colspan)}


def _sub_headers_below(table: Table, r: int, end: int) -> bool:
    """Is row `end` a row of sub-headers under the header: no figures, no total word, and each of its texts under a
    header cell that spans several columns (人份 | 毫升 under 任务数) or a unit alone ((人份) under 任务数)?"""
    if end >= len(table.rows) or _has_figures(table.rows[end]) or _total_label(table.rows[end]):
        return False
    spanned = _spanned_columns(table.rows[r:end])
    cells = [c for c in table.rows[end] if not c.is_covered and cell_text(c)]
    return bool(cells) and all(c.col in spanned or _unit_alone(cell_text(c)) for c in cells)


def _unit_alone(text: str) -> bool:
    """A cell that says only a unit: 人份, （人份）, (毫升)."""
    unit = bracketed_unit(text)
    return is_unit_word(text) or (unit is not None and len(squeeze(text)) == len(unit) + 2)


def _stacked_under_spans(table: Table, r: int, end: int) -> list[str]:
    """A header's texts column by column where its last row holds sub-headers: a cell spanning several columns
    heads each of them, and a sub-header that is a count or volume word is that column's unit, in brackets
    (任务数 over 人份 | 毫升: 任务数（人份）, 任务数（毫升）)."""
    out = []
    for c in range(table.n_cols):
        parts = []
        for row in table.rows[r:end]:
            cell = row[c] if c < len(row) else None
            if cell is None:
                continue
            if not cell.is_covered:
                parts.append(cell_text(cell))
            elif cell.merged_into[0] == cell.row:      # covered by a cell of its own row: that cell heads it
                parts.append(cell_text(table.rows[cell.merged_into[0]][cell.merged_into[1]]))
        sub = parts[-1] if len(parts) > 1 else ""
        if sub and is_unit_word(sub):
            parts[-1] = f"（{sub}）"
        out.append("".join(parts))
    return out


def _stacked_texts(table: Table, rows: list[list[Cell]]) -> list[str]:
    return ["".join(cell_text(row[c]) for row in rows if c < len(row) and not row[c].is_covered)
            for c in range(table.n_cols)]


def _total_label(row: list[Cell]) -> bool:
    """A row carrying a total word: a total row, unless the word heads a column beside other header words (the
    合计 column of a table planned by month)."""
    texts = [cell_text(c) for c in row if not c.is_covered]
    if not any(row_kind(t) for t in texts if t):
        return False
    return not (any(header_role(t) == "name" for t in texts) and any(period_of(t) for t in texts if t))


def _periods_below(table: Table, r: int) -> bool:
    """Is row r a row of parts of the year (上半年 | 下半年) under the header, without figures?"""
    if r >= len(table.rows) or _has_figures(table.rows[r]):
        return False
    texts = [cell_text(c) for c in table.rows[r] if not c.is_covered]
    return any(period_of(t) for t in texts if t) and not any(row_kind(t) for t in texts if t)


def column_roles(table: Table, h: int, body_start: int, header_texts: list[str]) -> list[Optional[str]]:
    """Each column's role: from its header words, and where the header leaves it to the body (a name header
    spanning a merged group column, a 序号 column printed without a label) from what the body holds; one target
    column a list (target_column)."""
    return _one_target(_column_roles(table, h, body_start, header_texts), header_texts)


def _column_roles(table: Table, h: int, body_start: int, header_texts: list[str]) -> list[Optional[str]]:
    roles = _parent_levels([header_role(t) for t in header_texts])
    spanned = any(not c.is_covered and c.colspan > 1 for row in table.rows[h:body_start] for c in row)
    unnamed = any(roles[c] is None and roles[c + 1] == "name" for c in range(len(roles) - 1))
    if not (spanned or unnamed):
        return _with_periods(roles, header_texts)
    body = [row for row in table.rows[body_start:] if not is_header(row)]
    for row in table.rows[h:body_start]:
        for cell in row:
            if not cell.is_covered and cell.colspan > 1 and roles[cell.col] == "name":
                _split_spanned_name(roles, body, cell.col, cell.col + cell.colspan - 1)
    for c in range(len(roles) - 1):
        if roles[c] is None and roles[c + 1] == "name" and _counts_up(body, c):
            roles[c] = "seq"
    return _with_periods(roles, header_texts)


def _parent_levels(roles: list[Optional[str]]) -> list[Optional[str]]:
    """Two name columns side by side (镇 | 村, 系统 | 单位, 乡镇 | 村名): the left one names the parent level of the
    right one's units, a group column (merged or left blank under its first row), never a second list of units."""
    roles = list(roles)
    for c in range(len(roles) - 1):
        if roles[c] == "name" and roles[c + 1] == "name":
            roles[c] = "group"
    return roles


def _with_periods(roles: list[Optional[str]], header_texts: list[str]) -> list[Optional[str]]:
    """Columns whose header names a part of the year (上半年, 三季度, 1-3月, 5月) plan that part: role period;
    beside them, a column headed by a total word (合计, 全年) is the year's target."""
    periods = [role in (None, "value") and period_of(text) is not None for role, text in zip(roles, header_texts)]
    if not any(periods):
        return roles
    return [("period" if is_period else "value" if role is None and _whole_year(text) else role)
            for role, text, is_period in zip(roles, header_texts, periods)]


_YEAR = re.compile(r"(?:19|20)\d{2}")
_BRACKETS = re.compile(r"（[^（）]*）")


def target_column(roles: list[Optional[str]], header_texts: list[str]) -> tuple[Optional[int], tuple[int, ...]]:
    """Where one list has several columns its header calls targets (2023年任务数 | 2024年任务数, 任务数 | 计划数):
    (the target's column, the others). The latest year its header names decides; else the last column, and the
    choice is said (column-ambiguous). (None, ()) when there is one target column a list, or side-by-side lists."""
    values = [c for c, r in enumerate(roles) if r == "value"]
    if len(values) < 2 or sum(1 for r in roles if r == "name") > 1:
        return None, ()
    counted = _count_of_two_units(values, header_texts)
    if counted is not None:
        return counted, ()
    years = {c: int(m.group(0)) for c in values if (m := _YEAR.search(squeeze(header_texts[c])))}
    if len(years) == len(values) and len(set(years.values())) == len(values):
        chosen = max(values, key=years.get)
        return chosen, ()
    return values[-1], tuple(c for c in values if c != values[-1])


def _count_of_two_units(values: list[int], header_texts: list[str]) -> Optional[int]:
    """One target printed in two units (任务数（人份） | 任务数（毫升）: the same words, each with its unit): the
    column in a count (人份, 人次 …) is the target, the volume beside it says the same. None otherwise."""
    stems = {_BRACKETS.sub("", squeeze(header_texts[c])) for c in values}
    units = [bracketed_unit(header_texts[c]) for c in values]
    if len(stems) != 1 or None in units or len(set(units)) != len(units):
        return None
    counts = [c for c, u in zip(values, units) if u not in rules().units.ml]
    return counts[0] if len(counts) == 1 else None


def _one_target(roles: list[Optional[str]], header_texts: list[str]) -> list[Optional[str]]:
    """The roles with one target column per list: the other columns called targets are notes beside it."""
    chosen, _ = target_column(roles, header_texts)
    if chosen is None:
        return roles
    return ["note" if r == "value" and c != chosen else r for c, r in enumerate(roles)]


def _whole_year(text: str) -> bool:
    """A column header for the whole year beside the parts of it: 全年, 年度, a total word (合计), or a year word
    before a total word (全年合计, 年度合计)."""
    key = _BRACKETS.sub("", squeeze(text))
    if row_kind(key) == "total" or key in rules().periods.year_words:
        return True
    return any(key.startswith(w) and row_kind(key[len(w):]) == "total" for w in rules().periods.year_words)


def _split_spanned_name(roles: list[Optional[str]], body: list[list[Cell]], first: int, last: int) -> None:
    """A name header over several columns (单位 over 东片 | 青石村): when the columns before the last hold cells
    merged down over several rows, they are the group the names belong to and the last column holds the names."""
    if any(roles[c] not in (None, "name") for c in range(first + 1, last + 1)):
        return
    merged = all(any(c < len(row) and (row[c].rowspan > 1 or row[c].is_covered) for row in body)
                 for c in range(first, last))
    if merged:
        for c in range(first, last):
            roles[c] = "group"
        roles[last] = "name"


def _counts_up(body: list[list[Cell]], c: int) -> bool:
    """A column whose filled cells are whole numbers counting up by one row after row (a 序号 column; a blank
    where a row lost its number, or a total under the list, does not break the count)."""
    seqs = []
    for p, row in enumerate(body):
        if c < len(row) and not row[c].is_covered:
            text = cell_text(row[c])
            if text and seq_number(text) is None:
                return False
            if text:
                seqs.append((p, seq_number(text)))
    if len(seqs) < 2 or any(b <= a for (_, a), (_, b) in zip(seqs, seqs[1:])):
        return False
    offsets = Counter(v - p for p, v in seqs)
    return 3 * offsets.most_common(1)[0][1] >= 2 * len(seqs)


# --------------------------------------------------------------------------------------------- stacking


# At most this many lines between two parts of a ruled table are taken for rows whose rulings were not drawn.
MAX_STRANDED_LINES = 3


@dataclass
class _Parts:
    """A table while the parts that continue it are stacked; its rows are joined once, at the end (joining at each
    part would copy the rows so far each time)."""

    parts: list[Table]
    n_cols: int

    def table(self) -> Table:
        """The parts as one table (a table run on over a page break is one)."""
        return self.parts[0] if len(self.parts) == 1 else _concat(self.parts)


def stack_contiguous(blocks: list) -> list:
    """Join a table to the one before it when it continues it: nothing between them but page furniture
    (already removed), the same number of columns, and either the same header again or no header at all.
    Lines between the two parts whose words fall into the table's columns, with a figure among them, are rows
    the page printed without their rulings (the first row of a page whose top ruling is missing)."""
    out: list = []
    for block in blocks:
        if out and isinstance(out[-1], _Parts) and not isinstance(block, Table):
            rows = _trailing_rows(out[-1].parts[-1], block)
            if rows:
                out[-1].parts.append(Table(rows=rows, merges_known=out[-1].parts[-1].merges_known))
                continue
        k = _last_table(out)
        if isinstance(block, Table) and block.rows and k is not None and out[k].n_cols == block.n_cols:
            prev = out[k]
            stranded = _stranded_rows(out[k + 1:], prev.parts[-1], block)
            if stranded is not None and _continues(prev.parts[0], (stranded or block.rows)[0]):
                if stranded:
                    prev.parts.append(Table(rows=stranded, merges_known=prev.parts[-1].merges_known))
                prev.parts.append(block)
                del out[k + 1:]
                continue
        out.append(_Parts([block], block.n_cols) if isinstance(block, Table) else block)
    return [b.table() if isinstance(b, _Parts) else b for b in out]


def _trailing_rows(table: Table, block) -> list[list[Cell]]:
    """The lines of a paragraph printed right under a table (within a row's height, on its page) as its last
    rows, when each is one (a last row whose bottom ruling was not drawn); [] otherwise."""
    last = [c for c in table.rows[-1] if c.box is not None and not c.is_covered]
    cols = _column_spans(table)
    if not last or cols is None:
        return []
    bottom = max(c.box.bottom for c in last)
    height = bottom - min(c.box.top for c in last)
    rows = []
    for line in getattr(block, "lines", ()):
        if line.box is None or line.page != last[0].page or not 0 <= line.box.top - bottom < height:
            return []
        row = _line_as_row(line, cols, len(rows))
        if row is None:
            return []
        rows.append(row)
        bottom = line.box.bottom
    return rows


def _last_table(out: list) -> Optional[int]:
    """The last table of `out` when no more than MAX_STRANDED_LINES lines of text follow it."""
    n_lines = 0
    for k in range(len(out) - 1, -1, -1):
        if isinstance(out[k], _Parts):
            return k
        n_lines += len(getattr(out[k], "lines", ())) or 1
        if n_lines > MAX_STRANDED_LINES:
            return None
    return None


def _stranded_rows(between: list, prev: Table, nxt: Table) -> Optional[list[list[Cell]]]:
    """The lines between two parts of a table as its rows ([] when there are none); None when one is not a row."""
    rows: list[list[Cell]] = []
    for block in between:
        for line in getattr(block, "lines", ()):
            table = nxt if line.page == nxt.page else prev
            cols = _column_spans(table)
            row = _line_as_row(line, cols, len(rows)) if cols else None
            if row is None:
                return None
            rows.append(row)
    return rows


def _column_spans(table: Table) -> Optional[list[tuple[float, float]]]:
    """Each column's x range, from a row of a ruled table whose every cell has its box (None for a table whose
    cells no ruling bounds)."""
    if not table.strategy.endswith("ruled"):
        return None
    for row in table.rows:
        if all(c.box is not None and c.colspan == 1 and not c.is_covered for c in row):
            return [(c.box.x0, c.box.x1) for c in row]
    return None


def _line_as_row(line: Line, cols: list[tuple[float, float]], r: int) -> Optional[list[Cell]]:
    """A printed line as a row of a table with these columns: each word in the column it stands in; None when a
    word stands outside them, or the line fills fewer than two columns or holds no figure."""
    if not line.words or any(w.box is None for w in line.words):
        return None
    parts: dict[int, list] = {}
    for w in line.words:
        centre = (w.box.x0 + w.box.x1) / 2
        c = next((c for c, (x0, x1) in enumerate(cols) if x0 <= centre <= x1), None)
        if c is None:
            return None
        parts.setdefault(c, []).append(w)
    texts = {c: " ".join(w.text for w in ws) for c, ws in parts.items()}
    if len(parts) < 2 or not any(looks_like_figure(t) for t in texts.values()):
        return None
    row = []
    for c in range(len(cols)):
        ws = parts.get(c, [])
        box = None
        for w in ws:
            box = w.box if box is None else box.union(w.box)
        row.append(Cell(text=texts.get(c, ""), row=r, col=c, box=box, page=line.page, lines=[line] if ws else []))
    return row


def _continues(prev: Table, first: list[Cell]) -> bool:
    if not is_header(first):
        return True
    span = header_span(prev)
    return span is not None and [cell_text(c) for c in first] == [cell_text(c) for c in prev.rows[span[0]]]


def _concat(parts: list[Table]) -> Table:
    """The parts of a table as one grid, each part's rows (and merges) moved down below the rows before it."""
    first = parts[0]
    rows: list[list[Cell]] = []
    for part in parts:
        offset = len(rows)
        for row in part.rows:
            rows.append(row if not offset else [
                Cell(text=c.text, row=c.row + offset, col=c.col, rowspan=c.rowspan, colspan=c.colspan,
                     merged_into=(c.merged_into[0] + offset, c.merged_into[1]) if c.merged_into else None,
                     box=c.box, page=c.page, lines=c.lines, confidence=c.confidence) for c in row])
    return Table(rows=rows, page=first.page, box=first.box, strategy=first.strategy,
                 source_index=first.source_index, merges_known=all(p.merges_known for p in parts))


# --------------------------------------------------------------------------------------------- parsing


@dataclass
class _Draft:
    """A row while merges are resolved: its fields, and which of its cells a merge covers."""

    row_type: str
    org: str
    org_raw: str
    org_note: str
    seq: Optional[int]
    portions: Optional[int]
    value_text: str
    month_from: Optional[int]
    month_to: Optional[int]
    note: str
    group: str
    source: Source
    value_source: Source
    value_confidence: Optional[float]
    name_confidence: Optional[float]
    covered: dict                     # role -> the cell of that role is covered by a merge
    value_cell: Optional[Cell]
    month_cell: Optional[Cell]
    has_group: bool
    merged: bool = False
    events: list[RowEvent] = field(default_factory=list)
    covers: list[str] = field(default_factory=list)     # the rows whose blank figure this row's merged cell covers
    seq_text: str = ""                                  # the 序号 cell as printed

    def event(self, code: str, fld: str, situation: str, **values) -> None:
        """Something reading the row decided (a 序号 inferred, a figure not read exactly), kept with the row for
        the checks."""
        self.events.append(RowEvent(code=code, field=fld, message=findings.note(code, situation, **values)))

    def freeze(self, row_no: int) -> Row:
        """The row as the record later stages read and never change."""
        return Row(row_no=row_no, row_type=self.row_type, org=self.org, org_raw=self.org_raw, org_note=self.org_note,
                   org_normalized=normalized_name(self.org), seq=self.seq, portions=self.portions,
                   value_text=self.value_text, month_from=self.month_from, month_to=self.month_to,
                   merged=self.merged, note=self.note, group=self.group, source=self.source,
                   value_source=self.value_source, events=tuple(self.events),
                   value_confidence=self.value_confidence, name_confidence=self.name_confidence)


def parse_table(table: Table, table_id: str, title: str, annex: str,
                unit_ml: Optional[int] = None, fields: tuple[str, ...] = ()) -> Optional[TargetTable]:
    """The target table or monthly plan a grid holds; None when its header names no column we know, or no item
    row is found."""
    span = header_span(table)
    if span is None:
        return None
    h, body_start, header_texts = span
    roles = _column_roles(table, h, body_start, header_texts)
    chosen, others = target_column(roles, header_texts)
    groups = _groups(_one_target(roles, header_texts))
    if not groups or not any("value" in g or "month" in g for g in groups):
        return None          # only parts of the year: the plan by period is the table (parse_period_plan)
    kind = "monthly" if any("month" in g for g in groups) else "allocation"
    # the unit of the column read first (a table may print its target in 人份 beside the same in 毫升)
    unit = header_unit([header_texts[c] for g in groups for c in [g.get("value")] if c is not None] + header_texts
                       + _above_header(table, h) + list(fields))
    chunks = _chunks(table, h, body_start)
    drafts = [d for chunk in chunks for d in _chunk_rows(table, chunk, groups, unit_scale(unit, unit_ml),
                                                                         unit_scale(rules().units.ml[0], unit_ml))]
    drafts = _parent_rows(_part_rows(_group_rows(_resolve_merges(table, drafts, kind))))
    has_seq = any("seq" in g for g in groups)
    rows = _with_seqs([d.freeze(n) for n, d in enumerate(drafts, start=1)]) if has_seq else \
        [d.freeze(n) for n, d in enumerate(drafts, start=1)]
    if not any(r.row_type == "item" for r in rows):
        return None
    unparsed, unparsed_more = _unparsed(chunks, groups)
    return TargetTable(table_id=table_id, kind=kind, title=title, annex=annex, unit=unit, rows=tuple(rows),
                       page=table.page, strategy=table.strategy, n_lists=len(groups), has_seq=has_seq,
                       header=tuple(header_texts), merges_known=table.merges_known,
                       unparsed=unparsed, unparsed_more=unparsed_more,
                       value_doubt=tuple(header_texts[c] for c in (chosen, *others)) if others else ())


def _above_header(table: Table, h: int) -> list[str]:
    """The texts of the rows above a grid's header (its title, a 单位：毫升 field): where the header states no unit,
    one of them may."""
    return [t for row in table.rows[:h] for c in row if not c.is_covered and (t := cell_text(c))]


def _chunks(table: Table, h: int, body_start: int) -> list[list[list[Cell]]]:
    """The body's rows, split where the header is printed again (a new page of the same table)."""
    header_rows = [[cell_text(c) for c in row] for row in table.rows[h:body_start]]
    chunks: list[list[list[Cell]]] = [[]]
    for row in table.rows[body_start:]:
        texts = [cell_text(c) for c in row]
        if texts in header_rows and not _has_figures(row):
            if texts == header_rows[0]:
                chunks.append([])
            continue
        chunks[-1].append(row)
    return chunks


def _chunk_rows(table: Table, chunk: list[list[Cell]], groups: list[dict], factor: Fraction,
                ml_factor: Optional[Fraction] = None) -> list[_Draft]:
    """A chunk's rows, list by list (the left list, then the right). The total row of side-by-side lists totals
    them all wherever it is printed (under the left list, or across both): it is read after every list."""
    rows = [d for g in groups for cells in chunk if (d := _read_row(table, cells, g, factor, ml_factor)) is not None]
    if len(groups) == 1:
        return rows
    return [d for d in rows if d.row_type != "total"] + [d for d in rows if d.row_type == "total"]


def _unparsed(chunks, groups) -> tuple[tuple[Unparsed, ...], int]:
    """Figures in columns no role took: never dropped silently. The first [checks] unparsed_cells of them, in
    reading order, and how many more there are (counted, not kept: a dense grid has hundreds of thousands)."""
    used = {c for g in groups for v in g.values() for c in (v if isinstance(v, list) else [v])}
    limit = rules().unparsed_cells
    kept: list[Unparsed] = []
    more = 0
    for chunk in chunks:
        for cells in chunk:
            for c in cells:
                if c.col in used or c.is_covered:
                    continue
                text = cell_text(c)
                if not any(ch.isdecimal() for ch in text):
                    continue
                if len(kept) < limit:
                    kept.append(Unparsed(text, c.page, c.box))
                else:
                    more += 1
    return tuple(kept), more


def _origin(table: Table, cell: Cell) -> Cell:
    if cell.merged_into is None:
        return cell
    r, c = cell.merged_into
    return table.rows[r][c]


def _label(table: Table, cell: Optional[Cell]) -> str:
    """A label cell covered by a merge reads as its origin (a 合计 spanning the group, 序号 and name columns)."""
    if cell is None:
        return ""
    return cell_text(_origin(table, cell)) if cell.is_covered else cell_text(cell)


def _group(table: Table, cell: Optional[Cell]) -> str:
    """The group (片区 …) a row is in: its group cell's text, or its merged origin's; none for a total across it."""
    label = _label(table, cell)
    return "" if row_kind(label) else label


def _source(table: Table, cells: list[Cell], notes: list[Cell]) -> Source:
    page = next((c.page for c in cells if c.page), table.page)
    boxes = [c.box for c in cells if c.box is not None and c.page == page]
    box = boxes[0] if boxes else None
    for b in boxes[1:]:
        box = box.union(b)
    return Source(page=page, box=box, text=" | ".join(cell_text(c) for c in cells + notes))


def _figure(draft_events: list, value_text: str, factor: Fraction,
            ml_factor: Optional[Fraction] = None) -> Optional[int]:
    """The portions a value cell gives, exactly; a not-a-number event when it gives none or not a whole one."""
    figure, _, none = value_reading(value_text)
    if none:
        draft_events.append(RowEvent("blank-cell", "portions", findings.note("blank-cell", "none", value=value_text)))
        return None
    num = parse_number(figure)
    factor = _cell_factor(figure, factor, ml_factor)
    if num is None:
        draft_events.append(RowEvent("not-a-number", "portions", findings.note("not-a-number", "value",
                                                                               value=value_text)))
        return None
    portions = whole(num * factor)
    if portions is None:
        draft_events.append(RowEvent("not-a-number", "portions", findings.note(
            "not-a-number", "fraction", value=value_text, exact=_decimal_text(num * factor))))
    return portions


def _cell_factor(figure: str, factor: Fraction, ml_factor: Optional[Fraction]) -> Fraction:
    """A value cell that prints its own unit counts in it, whatever the header says or leaves unsaid: 24万毫升 under
    献血量 is a volume (portions at the notice's unit size), 120人份 under a 毫升 header a count."""
    m = rules().numbers.unit_suffix.search(squeeze(figure))
    if m is None:
        return factor
    if m.group(1) in rules().units.ml:
        return ml_factor if ml_factor is not None else Fraction(1, rules().units.default_ml)
    count = unit_factor(m.group(1))
    return Fraction(count) if count else factor


def _decimal_text(value: Fraction) -> str:
    """A fraction as a short decimal for a message (12.5, 0.33…)."""
    text = f"{float(value):.6g}" if abs(value) < 10 ** 15 else str(round(value))
    return text


def _read_row(table: Table, cells: list[Cell], g: dict, factor: Fraction,
              ml_factor: Optional[Fraction] = None) -> Optional[_Draft]:
    def get(role):
        col = g.get(role)
        return cells[col] if col is not None and col < len(cells) else None

    got = {role: get(role) for role in ("seq", "name", "value", "month", "group")}
    texts = {k: cell_text(c) if c is not None else "" for k, c in got.items() if k != "group"}
    covered = {k: c is not None and c.is_covered for k, c in got.items() if k != "group"}
    if not any(texts.values()) and not any(covered.values()):
        return None
    name_c, value_c = got["name"], got["value"]
    row_type, name = "item", texts["name"] or (_label(table, name_c) if name_c is not None and name_c.is_covered else "")
    for k in ("name", "seq", "month", "group"):
        label = _label(table, got[k])       # a group cell too: 合计 printed in the 片区 column, merged or not
        rk = row_kind(label) if label else None
        if rk:
            row_type, name = rk, label
            break
    value_text = texts["value"]
    if row_type == "item" and not value_text:
        row_type, name, value_text = _total_in_label(name) or (row_type, name, value_text)
    seq_in_name = None
    if row_type == "item" and "seq" not in g and (m := rules().text_tables.name_seq_prefix.match(name)):
        seq_in_name, name = int(m.group(1) or m.group(2)), name[m.end():]     # 1.甲镇: the 序号 printed with the name
    org, org_note = split_org(name) if row_type == "item" else (name, "")
    events: list[RowEvent] = []
    portions = _figure(events, value_text, factor, ml_factor) if value_text else None
    if row_type == "item" and not name and value_text and not covered["name"]:
        # a figure with no unit (an entity a reader dropped, a name lost in extraction) is never passed silently
        events.append(RowEvent("blank-cell", "org", findings.note("blank-cell", "org", value=texts["value"])))
    seq = None
    if texts["seq"] and row_type == "item":
        seq = whole(parse_number(texts["seq"]))
        seq = seq if seq is not None else seq_number(texts["seq"])
    seq = seq if seq is not None else seq_in_name
    month = month_number(texts["month"]) if texts["month"] else None
    notes = [cells[c] for c in g.get("note", []) if c < len(cells)]
    src_cells = [c for c in (got["seq"], got["month"], name_c, value_c) if c is not None]
    source = _source(table, src_cells, notes)
    return _Draft(row_type=row_type, org=org, org_raw=name, org_note=org_note, seq=seq, portions=portions,
                  value_text=value_text, month_from=month, month_to=month,
                  note="；".join([cell_text(c) for c in notes if cell_text(c)]
                                + ([value_reading(value_text)[1]] if value_text and value_reading(value_text)[1] else [])),
                  group=_group(table, got["group"]), source=source,
                  value_source=Source(page=value_c.page if value_c is not None and value_c.page else source.page,
                                      box=value_c.box if value_c is not None else None, text=value_text),
                  value_confidence=value_c.confidence if value_c is not None else None,
                  name_confidence=name_c.confidence if name_c is not None else None,
                  covered=covered, value_cell=value_c, month_cell=got["month"], has_group=got["group"] is not None,
                  events=events, seq_text=texts["seq"])


def _group_rows(drafts: list[_Draft]) -> list[_Draft]:
    """Rows numbered 一、二、三 among rows numbered 1, 2, 3 head groups of them (一 | 街道 | 1200 above its streets):
    their figure is their group's sum, so they are subtotals (checked against the rows under them), never units."""
    if not any(d.row_type == "item" and d.seq is not None for d in drafts):
        return drafts
    heads = rules().text_tables.group_seq_cell
    for d in drafts:
        if d.row_type == "item" and d.seq is None and d.seq_text and heads.fullmatch(squeeze(d.seq_text)):
            d.row_type = "subtotal"
    return drafts


def _part_rows(drafts: list[_Draft]) -> list[_Draft]:
    """A row labelled 其中… (其中：高桥社区 | 60 under 高桥街道, 其中：街道 | 260 under 合计) is a part of the row above,
    already counted in it: not a unit, never added to a total. It is folded into that row's note as printed."""
    words = rules().part_words
    out: list[_Draft] = []
    for d in drafts:
        label = squeeze(d.org_raw or d.seq_text or "")
        if out and d.row_type == "item" and d.seq is None and label.startswith(words):
            text = " ".join(t for t in (squeeze(d.seq_text) if d.seq_text != d.org_raw else "", squeeze(d.org_raw),
                                        d.value_text) if t)
            prev = out[-1]
            prev.note = "；".join(t for t in (prev.note, text) if t)
            continue
        out.append(d)
    return out


def _parent_rows(drafts: list[_Draft]) -> list[_Draft]:
    """Numbered rows each followed by unnumbered rows that add up to its figure exactly (1 | 县教育局 | 120 over
    一中 50, 实验小学 30, 职业中学 40, often indented) are parents carrying their sub-units' sum: subtotals, checked
    against the rows under them, never units counted again. Only when every numbered item is such a parent; a table
    that mixes them with numbered units of its own is left as printed (its totals check says what does not add up)."""
    items = [i for i, d in enumerate(drafts) if d.row_type == "item"]
    heads = [i for i in items if drafts[i].seq is not None]
    if not heads or len(heads) == len(items):
        return drafts
    spans = {}
    for i in heads:
        below = []
        for d in itertools.islice(drafts, i + 1, None):      # not a slice: a copy of the rest for every head
            if d.row_type != "item" or d.seq is not None:
                break
            below.append(d)
        if len(below) < 2 or drafts[i].portions is None or any(d.portions is None for d in below) \
                or sum(d.portions for d in below) != drafts[i].portions:
            return drafts
        spans[i] = below
    if sum(len(b) for b in spans.values()) + len(heads) != len(items):
        return drafts
    for i, below in spans.items():
        drafts[i].row_type = "subtotal"
        for d in below:
            d.group = d.group or drafts[i].org
    return drafts


def _total_in_label(label: str) -> Optional[tuple[str, str, str]]:
    """A total printed with its figure in one cell, across the table (合计：2,200人份): ("total", the total word,
    the figure as printed); None for any other label."""
    m = rules().total_in_cell.match(squeeze(label)) if label else None
    if m is None or row_kind(m.group("word")) != "total" or parse_number(m.group("value")) is None:
        return None
    return "total", m.group("word"), m.group("value")


# --------------------------------------------------------------------------------------------- merges


def _resolve_merges(table: Table, rows: list[_Draft], kind: str) -> list[_Draft]:
    """Fill blanks from merged cells: stated by the format where it can (DOCX, ruled PDF), else inferred."""
    out: list[_Draft] = []
    for row in rows:
        prev = out[-1] if out else None
        # a group column left blank under its first row (a merge the format cannot state) keeps that group
        if not row.group and prev is not None and prev.group and row.has_group and row.row_type != "total":
            row.group = prev.group
        if row.row_type != "item":
            if row.portions is None and not row.value_text and _unsaved_formula(row):
                row.event("blank-cell", "portions", "formula", formula=_unsaved_formula(row))
            out.append(row)
            continue
        if kind == "monthly":
            _fill_month(table, row, prev)
        if row.portions is None and not row.value_text:
            if row.covered.get("value") and prev is not None and row.value_cell.merged_into is not None:
                # the figure of a merged value cell belongs to the row it starts in; this row widens its range
                target = _row_of_origin(out, table, row.value_cell.merged_into) or prev
                _extend(target, row, stated=True)
                continue
            same_org = (prev is not None and prev.row_type == "item" and prev.org_raw == row.org_raw
                        and prev.portions is not None)
            if kind == "monthly" and same_org and not table.merges_known:
                _extend(prev, row, stated=False)
                continue
            if _unsaved_formula(row):
                row.event("blank-cell", "portions", "formula", formula=_unsaved_formula(row))
            else:
                row.event("blank-cell", "portions", "portions")
        out.append(row)
    return out


def _unsaved_formula(row: _Draft) -> str:
    """The formula of a row's value cell whose result the file does not hold (a workbook saved by a program that
    writes formulas without calculating them): "" for any other cell."""
    return row.value_cell.formula if row.value_cell is not None else ""


def _fill_month(table: Table, row: _Draft, prev: Optional[_Draft]) -> None:
    """A blank month: from the merged month cell above, or (no merge information) the month of the row above."""
    if row.month_from is None and prev is not None:
        if row.covered.get("month"):
            origin = cell_text(_origin(table, row.month_cell))
            row.month_from = row.month_to = month_number(origin)
            row.event("merged-cell", "month", "month-stated", origin=origin)
            row.merged = True
        elif not table.merges_known:
            row.month_from = row.month_to = prev.month_to
            row.event("merged-cell", "month", "month-inferred", month=month_name(prev.month_to))
            row.merged = True
    if row.month_from is None:
        row.event("blank-cell", "month", "month")


def _row_of_origin(out: list[_Draft], table: Table, origin: tuple[int, int]) -> Optional[_Draft]:
    cell = table.rows[origin[0]][origin[1]]
    return next((r for r in reversed(out) if r.value_cell is cell), None)


def _extend(target: _Draft, row: _Draft, stated: bool) -> None:
    """`row`'s blank figure is covered by `target`'s: the target's months widen to take in the row's. One merge is
    one event, however many rows it covers: each row it reaches replaces the event with one for the whole span."""
    if row.month_from is not None:
        target.month_from = min(x for x in (target.month_from, row.month_from) if x is not None)
        target.month_to = max(x for x in (target.month_to, row.month_to) if x is not None)
    target.merged = True
    target.covers.append(row.org_raw)
    if target.month_from is not None and target.month_from != target.month_to:
        span = findings.note("merged-cell", "span-months", first=month_name(target.month_from),
                             last=month_name(target.month_to))
    else:
        span = findings.note("merged-cell", "span-rows", rows=len(target.covers) + 1)
    target.events = [e for e in target.events if (e.code, e.field) != ("merged-cell", "portions")]
    covered = rules().phrases.list_separator.join(dict.fromkeys(target.covers))
    target.event("merged-cell", "portions", "value-stated" if stated else "value-inferred", covered=covered,
                 actual=target.portions, span=span)


# --------------------------------------------------------------------------------------------- 序号


def _with_seqs(rows: list[Row]) -> list[Row]:
    """Item rows without a 序号 get the ones their neighbours call for (seq_inferred), and a seq-missing event
    either way: with the number inferred, or saying it cannot be. A run of such rows is inferred when the
    numbers around it leave room for exactly that many (1, _, _, 4), never below 1."""
    items = [i for i, r in enumerate(rows) if r.row_type == "item"]
    out = list(rows)
    n = 0
    while n < len(items):
        if rows[items[n]].seq is not None:
            n += 1
            continue
        end = next((k for k in range(n, len(items)) if rows[items[k]].seq is not None), len(items))
        first = _first_of_run(rows[items[n - 1]].seq if n else None,
                              rows[items[end]].seq if end < len(items) else None, end - n)
        for k, i in enumerate(items[n:end]):
            out[i] = _seq_missing(rows[i], first + k if first is not None else None)
        n = end
    return out


def _first_of_run(before: Optional[int], after: Optional[int], length: int) -> Optional[int]:
    """The 序号 of the first of `length` unnumbered rows between the numbers `before` and `after`, if they fix it."""
    if before is not None:
        return before + 1 if after is None or after == before + length + 1 else None
    if after is not None and after - length >= 1:
        return after - length
    return None


def _seq_missing(row: Row, guess: Optional[int]) -> Row:
    if guess is None:
        event = RowEvent("seq-missing", "seq", findings.note("seq-missing", "unknown"))
        return replace(row, events=row.events + (event,))
    event = RowEvent("seq-missing", "seq", findings.note("seq-missing", "inferred", expected=guess), guess)
    return replace(row, seq=guess, seq_inferred=True, events=row.events + (event,))


# --------------------------------------------------------------------------------------------- plans by period


def parse_period_plan(table: Table, table_id: str, title: str, annex: str,
                      unit_ml: Optional[int] = None, fields: tuple[str, ...] = ()) -> Optional[TargetTable]:
    """The plan by period a grid holds in columns headed by parts of the year (上半年 | 下半年, 一季度 … 四季度,
    1月 … 12月): a row per unit and period, with the period's months; None when no column names a period. Beside
    the year's targets of the same grid it is checked as any monthly plan is (cross-table checks)."""
    span = header_span(table)
    if span is None:
        return None
    h, body_start, header_texts = span
    groups = [g for g in _groups(column_roles(table, h, body_start, header_texts)) if g.get("period")]
    if not groups:
        return None
    unit = header_unit(header_texts + _above_header(table, h) + list(fields))
    factor = unit_scale(unit, unit_ml)
    periods = {c: period_of(header_texts[c]) for g in groups for c in g["period"]}
    drafts = [d for chunk in _chunks(table, h, body_start) for g in groups for cells in chunk
              for d in _period_rows(table, cells, g, periods, factor)]
    rows = [d.freeze(n) for n, d in enumerate(drafts, start=1)]
    if not any(r.row_type == "item" for r in rows):
        return None
    return TargetTable(table_id=table_id, kind="monthly", title=title, annex=annex, unit=unit, rows=tuple(rows),
                       page=table.page, strategy=table.strategy, n_lists=len(groups), has_seq=False,
                       header=tuple(header_texts), merges_known=table.merges_known)


def _period_rows(table: Table, cells: list[Cell], g: dict, periods: dict, factor: Fraction) -> list[_Draft]:
    """One row's planned figures: a row per period with a figure; for a total row, one total of all its periods."""
    base = _read_row(table, cells, {k: v for k, v in g.items() if k in ("seq", "name", "group", "note")}, factor)
    if base is None:
        return []
    out = []
    for col in g["period"]:
        cell = cells[col] if col < len(cells) else None
        text = cell_text(cell) if cell is not None and not cell.is_covered else ""
        if not text:
            continue
        events: list[RowEvent] = []
        first, last = periods[col]
        out.append(replace(base, portions=_figure(events, text, factor), value_text=text, month_from=first,
                           month_to=last, events=events,
                           value_source=Source(page=cell.page or base.source.page, box=cell.box, text=text),
                           value_confidence=cell.confidence))
    if base.row_type == "item" or not out:
        return out
    figures = [d.portions for d in out]
    total = sum(figures) if None not in figures else None
    return [replace(out[0], portions=total, value_text=" + ".join(d.value_text for d in out), month_from=None,
                    month_to=None, events=[e for d in out for e in d.events])]


def transposed(table: Table) -> Optional[Table]:
    """A table printed on its side, units as columns (单位 | 甲镇 | 乙镇 | 合计 over 任务数 | 120 | 80 | 200), turned
    so that its units are rows: when no row is a header, the table is wider than it is long, and its first column
    is one (a name word and a target word). None otherwise."""
    if len(table.rows) < 2 or table.n_cols <= len(table.rows) or header_span(table) is not None:
        return None
    first = {header_role(cell_text(row[0])) for row in table.rows if row and not row[0].is_covered}
    if "name" not in first or not {"value", "month"} & first:
        return None
    rows = [[_swapped(table.rows[r][c]) if c < len(table.rows[r]) else Cell(text="", row=c, col=r)
             for r in range(len(table.rows))] for c in range(table.n_cols)]
    turned = replace(table, rows=rows)
    return turned if header_span(turned) is not None else None


def _swapped(cell: Cell) -> Cell:
    """A cell of a table turned on its side: its row and column, and its spans, exchanged."""
    into = cell.merged_into
    return replace(cell, row=cell.col, col=cell.row, rowspan=cell.colspan, colspan=cell.rowspan,
                   merged_into=(into[1], into[0]) if into else None)


def read_tables(table: Table, number: int, title: str, annex: str,
                unit_ml: Optional[int] = None, fields: tuple[str, ...] = ()) -> list[TargetTable]:
    """Every table a grid holds: its year's targets (or monthly plan) and, where columns name parts of the year,
    its plan by period; numbered from t<number>. A table printed on its side is read turned (transposed). fields:
    the labelled lines printed just above it (单位：毫升), which may state its unit where its header does not."""
    table = transposed(table) or table
    out = [t for t in [parse_table(table, f"t{number}", title, annex, unit_ml, fields)] if t is not None]
    plan = parse_period_plan(table, f"t{number + len(out)}", title, annex, unit_ml, fields)
    if plan is None:
        return out
    return [replace(t, year_of_plan=True) for t in out] + [plan]


def without_restated(tables: list[TargetTable]) -> list[TargetTable]:
    """The tables without the year column of a plan by period whose every unit is a unit of another target table
    of the notice (附件1 the targets, 附件2 the months as columns and 全年 at the end): that column restates those
    targets as the plan's sum, it allocates nothing more; its plan is held against them by the cross-table
    checks. Alone, or naming other units, the year column is the targets. Numbered again from t1 in order."""
    def units(t: TargetTable) -> set[str]:
        return {r.org_normalized or r.org for r in t.items}
    bases = [units(t) for t in tables if t.kind == "allocation" and not t.year_of_plan]
    kept = [t for t in tables
            if not (t.kind == "allocation" and t.year_of_plan and any(units(t) <= b for b in bases))]
    if len(kept) == len(tables):
        return tables
    return [replace(t, table_id=f"t{n}") for n, t in enumerate(kept, start=1)]
