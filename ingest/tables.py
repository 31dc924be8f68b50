"""From grids of cells to rows of a target table or a monthly plan.

Every rule works from what the table says: its header words give each column a role (seq, name, value, month,
note), a role that repeats across the header means side-by-side lists, a header row repeated further down starts
a new chunk (a new printed page), total words mark total rows, and merged cells (stated by the format, or
inferred where the format cannot state them) fill the blanks they explain.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import regex as re

from parsers.model import Box, Cell, Line, Table

from .clean import fix_spacing, normalize_chars
from .rules import (header_role, heading_re, month_name, month_number, row_kind, rules, simplified, squeeze,
                    unit_factor)

# --------------------------------------------------------------------------------------------- data classes


@dataclass
class Source:
    """Where a figure or a row is: enough for a finding to point at it and for the report to show it."""

    page: Optional[int] = None
    box: Optional[Box] = None
    text: str = ""                  # the source row as text


@dataclass
class Row:
    row_no: int
    row_type: str                   # item, subtotal, total
    org: str
    org_raw: str
    org_note: str = ""
    org_normalized: str = ""        # org in simplified characters, for matching across notices
    seq: Optional[int] = None
    seq_inferred: bool = False
    portions: Optional[int] = None
    value_text: str = ""            # the value cell as printed
    month_from: Optional[int] = None
    month_to: Optional[int] = None
    merged: bool = False            # some cell of the row was filled from a merged cell
    note: str = ""
    group: str = ""                 # the group (片区 …) a merged cell in a group column puts the row in
    source: Source = field(default_factory=Source)
    value_source: Source = field(default_factory=Source)
    events: list = field(default_factory=list)   # (code, field, message) raised while reading the row
    # working state while merges are resolved; cleared afterwards (see _resolve_merges)
    work: Optional[dict] = field(default=None, repr=False, compare=False)
    value_confidence: Optional[float] = None    # OCR confidence of the figure (None: not read by OCR)
    name_confidence: Optional[float] = None     # OCR confidence of the name


@dataclass
class ParsedTable:
    table_id: str
    kind: str                        # allocation or monthly
    title: str
    annex: str
    unit: str
    rows: list[Row]
    page: Optional[int]
    strategy: str
    n_lists: int
    has_seq: bool
    header: list[str]
    merges_known: bool
    unparsed: list = field(default_factory=list)   # (cell text, page, box): figures no column role took

    @property
    def items(self) -> list[Row]:
        return [r for r in self.rows if r.row_type == "item"]

    @property
    def total_row(self) -> Optional[Row]:
        totals = [r for r in self.rows if r.row_type == "total" and r.portions is not None]
        return totals[-1] if totals else None


# --------------------------------------------------------------------------------------------- cell helpers

_NUM_RE = re.compile(r"^[-+]?\d[\d,，]*(\.\d+)?$")
_NUMBER_IN = re.compile(r"\d")
# Patterns used on every cell, compiled once: regex's own cache lookup was a quarter of a DOCX's table time.
_LINE_BREAK_RE = re.compile(r"\s*\n\s*")
_ASCII_PARENS = str.maketrans({"(": "（", ")": "）"})


def cell_text(cell: Cell) -> str:
    """A cell's text as one line: a header split over lines ("序" / "号") rejoined, CJK spacing removed."""
    text = normalize_chars(cell.text or "")
    text = _LINE_BREAK_RE.sub(" ", text).strip()
    text, _ = fix_spacing(text)
    return text.translate(_ASCII_PARENS)


def parse_number(text: str) -> Optional[float]:
    """120, 1,200, 3.2万, 120人份 → a number; anything else → None (the caller reports not-a-number)."""
    t = squeeze(text)
    n = rules().numbers
    t = n.unit_suffix.sub("", t)
    scale = 1
    if t.endswith(n.wan):
        t, scale = t[:-len(n.wan)], n.wan_value
    if not t or not _NUM_RE.match(t):
        return None
    return float(t.replace(",", "").replace("，", "")) * scale


def split_org(name: str) -> tuple[str, str]:
    """区教育局（城区部分） -> (区教育局, （城区部分）): a trailing bracketed part is a note, not the name."""
    m = rules().org_note.fullmatch(name)
    if m and m.group(1):
        return m.group(1), m.group(2)
    return name, ""


def header_unit(texts: list[str]) -> str:
    """The count unit a header states in brackets (人份, 万人份, 毫升 …); 人份 when it states none."""
    for t in texts:
        for m in re.finditer(r"（([^（）]+)）", squeeze(t)):
            if unit_factor(m.group(1)) is not None or m.group(1) in rules().units.ml:
                return m.group(1)
    return rules().units.default


def unit_scale(unit: str, unit_ml: Optional[int]) -> float:
    """Portions per printed unit: 10000 for 万人份, 1/200 for 毫升 when one 人份 is 200 mL."""
    if unit in rules().units.ml:
        return 1 / (unit_ml or rules().units.default_ml)
    return unit_factor(unit) or 1


# --------------------------------------------------------------------------------------------- header


def _row_roles(row: list[Cell]) -> list[Optional[str]]:
    roles = []
    for c in row:
        if c.is_covered:
            roles.append(None)
            continue
        roles.append(header_role(cell_text(c)))
    return roles


def _is_header(row: list[Cell]) -> bool:
    texts = [cell_text(c) for c in row if not c.is_covered]
    if any(parse_number(t) is not None for t in texts if t):
        return False
    if any(row_kind(t) for t in texts):
        return False
    roles = [r for r in _row_roles(row) if r]
    return "name" in roles and ("value" in roles or "month" in roles)


def _groups(roles: list[Optional[str]]) -> list[dict]:
    """Split the column roles into side-by-side lists: a role already in the current list starts a new one."""
    groups: list[dict] = []
    cur: dict = {}
    for col, role in enumerate(roles):
        if role is None:
            continue
        if role in cur and role != "note":
            groups.append(cur)
            cur = {}
        if role == "note":
            cur.setdefault("note", []).append(col)
        else:
            cur[role] = col
    if cur:
        groups.append(cur)
    return [g for g in groups if "name" in g or "value" in g]


# --------------------------------------------------------------------------------------------- tables as lines


def _header_words() -> list[tuple[str, str]]:
    words = [(w, role) for role, ws in rules().header.roles for w in ws]
    return sorted(words, key=lambda x: -len(x[0]))


def _header_pattern():
    words = _header_words()
    return re.compile("|".join(re.escape(w) for w, _ in words)), dict(words)


def _covered(text: str) -> int:
    pattern, _ = _header_pattern()
    return sum(len(m.group(0)) for m in pattern.finditer(re.sub(r"（[^）]*）", "", text)))


def _header_from_text(text: str):
    """Column roles and printed labels from a header's text, however it was broken over lines."""
    pattern, lookup = _header_pattern()
    bare = re.sub(r"（[^）]*）", "", text)
    found = [(m.group(0), lookup[m.group(0)], m.start()) for m in pattern.finditer(bare)]
    roles = [r for _, r, _ in found]
    covered = sum(len(w) for w, _, _ in found)
    if "name" not in roles or not ({"value", "month"} & set(roles)) or covered < 0.4 * max(len(bare), 1):
        return None
    labels = []
    for k, (w, _, start) in enumerate(found):
        end = found[k + 1][2] if k + 1 < len(found) else len(bare)
        labels.append(bare[start:end])
    unit = header_unit([text])
    labels = [f"{lab}（{unit}）" if lookup.get(w) == "value" else lab for lab, (w, _, _) in zip(labels, found)]
    return roles, labels


def _header_at(lines: list[Line], i: int):
    """A header printed as lines starting at line i: (roles, labels, next line, tokens left on the last line).

    The header may be broken anywhere ("序" / "号" / "单位名称" / "募集无偿" / "献血量(人份)"): lines are taken while
    they carry no figures, and the header ends at the last line that adds to the header words found. A header
    followed on the same line by the data (a table flattened into one line) leaves those tokens over."""
    words = _header_words()
    first = squeeze(lines[i].text)
    if not first or not any(first.startswith(w) or w.startswith(first) for w, _ in words):
        return None
    toks = lines[i].text.split()
    if re.search(r"\d", re.sub(r"（[^）]*）", "", first)):
        # flattened: header words as the first tokens, data after them on the same line
        k = 0
        while k < len(toks) and header_role(toks[k]) and not re.search(r"\d", toks[k]):
            k += 1
        got = _header_from_text("".join(squeeze(t) for t in toks[:k])) if k >= 2 else None
        if got is None:
            return None
        return got[0], got[1], i + 1, toks[k:]
    text, j, cut, best = "", i, i, 0
    while j < len(lines) and j - i < 16:
        t = squeeze(lines[j].text)
        if re.search(r"\d", re.sub(r"（[^）]*）", "", t)) or len(t) > 40:
            break
        text += t
        j += 1
        cov = _covered(text)
        if cov > best:
            best, cut, cut_text = cov, j, text
    if cut == i:
        return None
    got = _header_from_text(cut_text)
    if got is None:
        return None
    return got[0], got[1], cut, None


def _tokens(line: Line) -> list[tuple[str, Optional[Box]]]:
    if line.words and all(w.box is not None for w in line.words):
        toks = [(normalize_chars(w.text), w.box) for w in line.words]
    else:
        toks = [(t, None) for t in normalize_chars(line.text).split()]
    out: list[tuple[str, Optional[Box]]] = []
    for tok, box in toks:
        # "全区 10 个街镇": a number followed by a measure word is part of a name
        if out and out[-1][0].isdigit() and tok[:1] in rules().numbers.measure_words and len(out) >= 2 and not out[-2][0].isdigit():
            prev, pbox = out.pop()
            name, nbox = out.pop()
            out.append((name + prev + tok, nbox))
            continue
        out.append((tok, box))
    return out


def _parse_row(tokens, groups: list[list[str]]):
    """Assign tokens to the columns of each side-by-side list. Returns a list per group of {role: token}."""
    kinds = ["num" if _NUM_RE.match(t) else "text" for t, _ in tokens]
    best: list = [None, -10**9]

    def walk(g: int, k: int, acc: list, score: int):
        if g == len(groups):
            if k == len(tokens) and score > best[1]:
                best[0], best[1] = list(acc), score
            return
        roles = groups[g]
        # an empty trailing list (the right-hand side of the last rows)
        if k == len(tokens):
            walk(g + 1, k, acc + [{}], score - 1)
            return
        for use_seq in ([True, False] if "seq" in roles else [False]):
            kk, rec, sc = k, {}, score
            if use_seq:
                if kk < len(tokens) and kinds[kk] == "num" and "." not in tokens[kk][0]:
                    rec["seq"] = tokens[kk]
                    kk += 1
                    sc += 1
                else:
                    continue
            if "month" in roles:
                if kk < len(tokens) and month_number(tokens[kk][0]):
                    rec["month"] = tokens[kk]
                    kk += 1
            start = kk
            while kk < len(tokens) and kinds[kk] == "text":
                kk += 1
            if kk == start:
                continue
            name_toks = tokens[start:kk]
            rec["name"] = ("".join(t for t, _ in name_toks), name_toks[0][1])
            for take_value in (True, False):
                r2, k2, s2 = dict(rec), kk, sc
                if take_value:
                    if k2 < len(tokens) and kinds[k2] == "num":
                        r2["value"] = tokens[k2]
                        k2 += 1
                        s2 += 2
                    else:
                        continue
                walk(g + 1, k2, acc + [r2], s2)

    walk(0, 0, [], 0)
    return best[0]


_DECIMAL_RE = re.compile(r"\d+(\.\d+)?")


def _is_num(tok: str) -> bool:
    wan = rules().numbers.wan
    return bool(_NUM_RE.match(tok)) or (tok.endswith(wan) and bool(_DECIMAL_RE.fullmatch(tok[:-len(wan)])))


def _stream_records(tokens, roles: list[str]):
    """Records from a stream of tokens that ignores line breaks (one cell per line, or a whole table on one
    line): [seq] name [value], repeated. Returns the records and how many tokens they used."""
    records, k = [], 0
    while k < len(tokens):
        rec = {}
        if "seq" in roles and _is_num(tokens[k][0]) and k + 1 < len(tokens) and not _is_num(tokens[k + 1][0]):
            rec["seq"] = tokens[k]
            k += 1
        if "month" in roles and k < len(tokens) and month_number(tokens[k][0]):
            rec["month"] = tokens[k]
            k += 1
        start = k
        while k < len(tokens) and not _is_num(tokens[k][0]):
            k += 1
        if k == start:
            break
        rec["name"] = ("".join(t for t, _ in tokens[start:k]), tokens[start][1])
        if k < len(tokens) and _is_num(tokens[k][0]):
            rec["value"] = tokens[k]
            k += 1
        records.append(rec)
    return records, k


def _prose(line: Line) -> bool:
    t = squeeze(line.text)
    return bool(heading_re().match(t)) or (len(t) > 25 and not re.search(r"\d", t)) or len(t) > 80


def find_line_tables(lines: list[Line]) -> list[tuple[int, int, Table]]:
    """Tables printed as text lines (a PDF without rulings, text with runs of spaces, one cell per line, a table
    flattened into one line): found by their header, then read line by line, or as a stream of tokens."""
    found = []
    i = 0
    while i < len(lines):
        hdr = _header_at(lines, i)
        if hdr is None:
            i += 1
            continue
        roles, labels, j, rest = hdr
        groups = _split_roles(roles)
        page, box = lines[i].page, lines[i].box
        grid: list[list[Cell]] = [[Cell(text=lab, row=0, col=c, page=page, lines=[lines[i]])
                                   for c, lab in enumerate(labels)]]

        def add_row(g_roles, rec, line):
            row: list[Cell] = []
            for role in g_roles:
                tok = rec.get(role)
                row.append(Cell(text=tok[0] if tok else "", row=len(grid), col=len(row), page=line.page,
                                box=(tok[1] if tok and tok[1] else line.box), lines=[line]))
            grid.append(row)

        k = j
        n_rows = 0
        if rest is None:
            while k < len(lines):
                again = _header_at(lines, k)
                if again is not None and again[0] == roles and again[3] is None:
                    grid.append([Cell(text=lab, row=len(grid), col=c, page=lines[k].page)
                                 for c, lab in enumerate(again[1])])
                    k = again[2]
                    continue
                line = lines[k]
                toks = _tokens(line)
                if not toks or not any(_is_num(t) for t, _ in toks) or len(squeeze(line.text)) > 60:
                    break
                parsed = _parse_row(toks, groups)
                if parsed is None:
                    break
                row: list[Cell] = []
                for g, rec in zip(groups, parsed):
                    for role in g:
                        tok = rec.get(role)
                        row.append(Cell(text=tok[0] if tok else "", row=len(grid), col=len(row), page=line.page,
                                        box=(tok[1] if tok and tok[1] else line.box), lines=[line]))
                grid.append(row)
                n_rows += 1
                k += 1
        if n_rows == 0:
            # one cell per line, or the data left on the header's own line: read the tokens as a stream
            stream: list = [(t, None, lines[j - 1]) for t in (rest or [])]
            k = j
            while k < len(lines) and not _prose(lines[k]) and len(stream) < 5000:
                stream.extend((t, b, lines[k]) for t, b in _tokens(lines[k]))
                k += 1
            records, used = _stream_records([(t, b) for t, b, _ in stream], groups[0])
            if records and used == len(stream):
                pos = 0
                for rec in records:
                    width = sum(1 for r in ("seq", "month", "name", "value") if r in rec)
                    add_row(groups[0], rec, stream[min(pos, len(stream) - 1)][2])
                    pos += width
                n_rows = len(records)
            else:
                k = j
        if n_rows:
            strategy = "pdf-lines" if box is not None else "text-lines"
            found.append((i, k, Table(rows=grid, page=page, box=box, strategy=strategy,
                                      source_index=lines[i].source_index)))
            i = k
        else:
            i += 1
    return found


def _split_roles(roles: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    for role in roles:
        if not groups or role in groups[-1]:
            groups.append([])
        groups[-1].append(role)
    return groups


# --------------------------------------------------------------------------------------------- stacking


def stack_contiguous(blocks: list) -> list:
    """Join a table to the one before it when it continues it: nothing between them but page furniture
    (already removed), the same number of columns, and either the same header again or no header at all."""
    out: list = []
    for block in blocks:
        prev = out[-1] if out else None
        if isinstance(block, Table) and isinstance(prev, Table) and block.n_cols == prev.n_cols and block.rows:
            first = block.rows[0]
            same_header = _is_header(first) and [cell_text(c) for c in first] == [cell_text(c) for c in prev.rows[_header_index(prev)]] if _header_index(prev) is not None else False
            if same_header or not _is_header(first):
                out[-1] = _append(prev, block)
                continue
        out.append(block)
    return out


def _header_span(table: Table) -> Optional[tuple[int, int, list[str]]]:
    """Where the header is: (first row, row after it, text per column). A header may be stacked over up to
    three rows without figures (序 / 号, 单位 / 名称 …): their texts are combined column by column."""
    for r in range(min(4, len(table.rows))):
        for span in (1, 2, 3):
            rows = table.rows[r:r + span]
            if len(rows) < span or any(_has_figures(row) or any(row_kind(cell_text(c)) for c in row) for row in rows):
                break
            texts = ["".join(cell_text(row[c]) for row in rows if c < len(row) and not row[c].is_covered)
                     for c in range(table.n_cols)]
            roles = [header_role(t) for t in texts]
            if "name" in roles and ("value" in roles or "month" in roles):
                return r, r + span, texts
    return None


def _header_index(table: Table) -> Optional[int]:
    span = _header_span(table)
    return span[0] if span else None


def _append(a: Table, b: Table) -> Table:
    offset = len(a.rows)
    rows = list(a.rows)
    for row in b.rows:
        new_row = []
        for c in row:
            merged = (c.merged_into[0] + offset, c.merged_into[1]) if c.merged_into else None
            new_row.append(Cell(text=c.text, row=c.row + offset, col=c.col, rowspan=c.rowspan, colspan=c.colspan,
                                merged_into=merged, box=c.box, page=c.page, lines=c.lines, confidence=c.confidence))
        rows.append(new_row)
    return Table(rows=rows, page=a.page, box=a.box, strategy=a.strategy, source_index=a.source_index,
                 merges_known=a.merges_known and b.merges_known)


# --------------------------------------------------------------------------------------------- parsing


def parse_table(table: Table, table_id: str, title: str, annex: str, unit_ml: Optional[int] = None) -> Optional[ParsedTable]:
    span = _header_span(table)
    if span is None:
        return None
    h, body_start, header_texts = span
    roles = [header_role(t) for t in header_texts]
    groups = _groups(roles)
    if not groups:
        return None
    kind = "monthly" if any("month" in g for g in groups) else "allocation"
    unit = header_unit(header_texts)
    factor = unit_scale(unit, unit_ml)
    header_rows = [[cell_text(c) for c in row] for row in table.rows[h:body_start]]

    # chunks: the header repeated further down starts a new printed page of the same table
    chunks: list[list[list[Cell]]] = [[]]
    for row in table.rows[body_start:]:
        texts = [cell_text(c) for c in row]
        if texts in header_rows and not _has_figures(row):
            if texts == header_rows[0]:
                chunks.append([])
            continue
        chunks[-1].append(row)

    used_cols = {c for g in groups for k, v in g.items() for c in (v if isinstance(v, list) else [v])}
    unparsed = [(cell_text(c), c.page, c.box) for chunk in chunks for cells in chunk for c in cells
                if c.col not in used_cols and not c.is_covered and _NUMBER_IN.search(cell_text(c))]
    rows: list[Row] = []
    for chunk in chunks:
        for g in groups:
            for cells in chunk:
                row = _read_row(table, cells, g, factor, kind)
                if row is not None:
                    rows.append(row)
    rows = _resolve_merges(table, rows, kind)
    for n, r in enumerate(rows, start=1):
        r.row_no = n
        r.org_normalized = simplified(r.org)
    if not any(r.row_type == "item" for r in rows):
        return None
    return ParsedTable(table_id=table_id, kind=kind, title=title, annex=annex, unit=unit, rows=rows,
                       page=table.page, strategy=table.strategy, n_lists=len(groups), has_seq=any("seq" in g for g in groups),
                       header=header_texts, merges_known=table.merges_known, unparsed=unparsed)


def _has_figures(row: list[Cell]) -> bool:
    return any(parse_number(cell_text(c)) is not None for c in row if not c.is_covered)


def _origin(table: Table, cell: Cell) -> Cell:
    if cell.merged_into is None:
        return cell
    r, c = cell.merged_into
    return table.rows[r][c]


def _read_row(table: Table, cells: list[Cell], g: dict, factor: float, kind: str) -> Optional[Row]:
    def get(role):
        col = g.get(role)
        return cells[col] if col is not None and col < len(cells) else None

    seq_c, name_c, value_c, month_c = get("seq"), get("name"), get("value"), get("month")
    group_c = get("group")
    note_cs = [cells[c] for c in g.get("note", []) if c < len(cells)]
    texts = {k: (cell_text(c) if c is not None else "") for k, c in
             (("seq", seq_c), ("name", name_c), ("value", value_c), ("month", month_c))}
    covered = {k: c is not None and c.is_covered for k, c in
               (("seq", seq_c), ("name", name_c), ("value", value_c), ("month", month_c))}
    if not any(texts.values()) and not any(covered.values()):
        return None
    events = []
    # a label cell covered by a merge reads as its origin (a 合计 spanning the group, 序号 and name columns)
    labels = {k: (cell_text(_origin(table, c)) if c is not None and c.is_covered else texts.get(k, ""))
              for k, c in (("name", name_c), ("seq", seq_c), ("month", month_c), ("group", group_c))}
    row_type = "item"
    name = texts["name"] or (labels["name"] if name_c is not None and name_c.is_covered else "")
    for k in ("name", "seq", "month", "group"):
        rk = row_kind(labels[k]) if labels[k] else None
        if rk:
            row_type, name = rk, labels[k]
            break
    org, org_note = split_org(name) if row_type == "item" else (name, "")
    portions = None
    value_text = texts["value"]
    if value_text:
        num = parse_number(value_text)
        if num is None:
            events.append(("not-a-number", "portions", f"数量单元格内容“{value_text}”不是数字"))
        else:
            portions = int(round(num * factor))
    seq = None
    if texts["seq"] and row_type == "item":
        s = parse_number(texts["seq"])
        if s is not None and s == int(s):
            seq = int(s)
    month = month_number(texts["month"]) if texts["month"] else None
    src_cells = [c for c in (seq_c, month_c, name_c, value_c) if c is not None]
    page = next((c.page for c in src_cells if c.page), table.page)
    boxes = [c.box for c in src_cells if c.box is not None and c.page == page]
    box = boxes[0] if boxes else None
    for b in boxes[1:]:
        box = box.union(b)
    source = Source(page=page, box=box, text=" | ".join(cell_text(c) for c in src_cells + note_cs))
    value_source = Source(page=(value_c.page if value_c is not None and value_c.page else page),
                          box=value_c.box if value_c is not None else None, text=value_text)
    group = ""
    if group_c is not None:
        group = cell_text(_origin(table, group_c)) if group_c.is_covered else cell_text(group_c)
    row = Row(row_no=0, row_type=row_type, org=org, org_raw=name, org_note=org_note, seq=seq, portions=portions,
              group=group,
              value_text=value_text, month_from=month, month_to=month,
              note="；".join(cell_text(c) for c in note_cs if cell_text(c)), source=source,
              value_source=value_source, events=events)
    row.value_confidence = value_c.confidence if value_c is not None else None
    row.name_confidence = name_c.confidence if name_c is not None else None
    row.work = dict(covered=covered,                     # which cells are blank because a merge covers them
                    value_origin=value_c.merged_into if value_c is not None else None,
                    value_cell=value_c, month_cell=month_c, has_group=group_c is not None)
    return row


def _resolve_merges(table: Table, rows: list[Row], kind: str) -> list[Row]:
    """Fill blanks from merged cells: stated by the format where it can (DOCX, ruled PDF), else inferred."""
    out: list[Row] = []
    for row in rows:
        cov = row.work["covered"]
        prev = out[-1] if out else None
        # a group column left blank under its first row (a merge the format cannot state) keeps that group
        if not row.group and prev is not None and prev.group and row.work["has_group"] and row.row_type != "total":
            row.group = prev.group
        if row.row_type != "item":
            out.append(row)
            continue
        # month blank: from the merged month cell above, or (no merge information) the month of the row above
        if kind == "monthly" and row.month_from is None and prev is not None:
            if cov.get("month"):
                origin = _origin(table, row.work["month_cell"])
                row.month_from = row.month_to = month_number(cell_text(origin))
                row.events.append(("merged-cell", "month", f"月份单元格为空，由合并单元格“{cell_text(origin)}”补全"))
                row.merged = True
            elif not table.merges_known:
                row.month_from = row.month_to = prev.month_to
                row.events.append(("merged-cell", "month", f"月份单元格为空，推定与上一行同属{_month_cn(prev.month_to)}（推断的合并单元格）"))
                row.merged = True
        if kind == "monthly" and row.month_from is None:
            row.events.append(("blank-cell", "month", "月份单元格为空，且没有合并单元格可以解释"))
        if row.portions is None and not row.value_text:
            same_org = prev is not None and prev.row_type == "item" and prev.org_raw == row.org_raw and prev.portions is not None
            if cov.get("value") and prev is not None and row.work["value_origin"] is not None:
                # the figure of a merged value cell belongs to the row it starts in; this row widens its range
                target = _row_of_origin(out, table, row.work["value_origin"]) or prev
                _extend(target, row, stated=True)
                continue
            if kind == "monthly" and same_org and not table.merges_known:
                _extend(prev, row, stated=False)
                continue
            row.events.append(("blank-cell", "portions", "数量单元格为空，且没有合并单元格可以解释"))
        out.append(row)
    for row in rows:
        row.work = None
    return out


def _row_of_origin(out: list[Row], table: Table, origin: tuple[int, int]) -> Optional[Row]:
    cell = table.rows[origin[0]][origin[1]]
    for r in reversed(out):
        if r.work["value_cell"] is cell:
            return r
    return None


def _extend(target: Row, row: Row, stated: bool):
    how = "合并单元格" if stated else "推断的合并单元格（同一单位、数量为空）"
    if row.month_from is not None:
        target.month_from = min(x for x in (target.month_from, row.month_from) if x is not None)
        target.month_to = max(x for x in (target.month_to, row.month_to) if x is not None)
    target.merged = True
    span = (f"{_month_cn(target.month_from)}至{_month_cn(target.month_to)}"
            if target.month_from is not None and target.month_from != target.month_to else "上下两行")
    target.events.append(("merged-cell", "portions",
                          f"“{row.org_raw}”的数量单元格为空，由{how}的 {target.portions} 覆盖，计为{span}"))


def _month_cn(m: Optional[int]) -> str:
    return month_name(m)
