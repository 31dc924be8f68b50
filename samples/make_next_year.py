#!/usr/bin/env python3
"""The 浦东 seed's following year, with known changes: samples/years/pudong-2025.txt and its truth file.

The 2024 notice's text (pudong-2024.txt) with the plan year, the dates and the figures of a following year: some
targets up and some down (two by more than the share rules.toml [changes] moved_share calls a move), one unit
dropped, one added elsewhere in the list, and one renamed after a reorganisation (区农委 → 区农业农村委, a rename of
rules.toml [changes] renames) with its figure changed too. The table keeps the seed's printed layout (two lists side
by side, page break, repeated header), each row written where the seed's row of the same position was; the
sub-target of the units (41200 in 2024), the 合计 and the headline are the new sums, so the notice adds up.

`years/pudong-2025.txt.truth.json` lists the changes the edits make, as changes.csv must list them between the
2024 samples and this file; it is written from the edits below, never from the pipeline's output.

    python samples/make_next_year.py        (make samples; byte-identical on every run)

next_year() is also what tests/test_changes.py uses to make a following year without any change.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE / "pudong-2024.txt"
OUT = HERE / "years"

# A unit's row in the seed's table: 序号 (lost on one row), name, figure.
ROW = re.compile(r"(?:(\d+)\s+)?([^\s\d][^\s]*?)\s+(\d+)(?=\s|$)")
TABLE_HEADER_WORDS = ("序", "号", "单位名称", "募集无偿", "献血量")
TOTAL_WORD = "合计"
# The rows after the units: their figures are the notice's other sub-targets, left as they are.
OTHER_SUBTARGETS = 2


@dataclass
class Plan:
    """What the following year changes: figures by unit name, a unit dropped, one added after another, a rename."""

    year: int = 2025
    figures: dict = field(default_factory=dict)          # name -> new figure
    dropped: list = field(default_factory=list)          # names
    added: list = field(default_factory=list)            # (name, figure, after this name)
    renamed: dict = field(default_factory=dict)          # old name -> new name
    dates: dict = field(default_factory=dict)            # old text -> new text


PLAN = Plan(
    figures={"区委宣传部": 45, "区教育局": 1800, "区公安分局": 380, "三林镇": 1650, "金杨街道": 950, "万祥镇": 160,
             "区农委": 30},
    dropped=["区人武部"],
    added=[("区数据局", 4, "区科经委")],
    renamed={"区农委": "区农业农村委"},
    dates={"2024 年 8月 12 日": "2025 年 8月 11 日", "2024年8月16日印发": "2025年8月15日印发"},
)
UNCHANGED = Plan(dates=PLAN.dates)


def table_start(text: str) -> int:
    """Where the annex table begins: the second line naming the annex (the first is the list of annexes)."""
    marks = [m.start() for m in re.finditer(r"^附件：", text, re.M)]
    return marks[1]


def seed_rows(table: str) -> list[tuple[str, int]]:
    """(name, figure) of every row of the seed's table, in 序号 order (two lists side by side unfolded)."""
    left, right, out = [], [], []
    for line in table.splitlines():
        if _is_row_line(line):
            rows = [(m.group(2), int(m.group(3))) for m in ROW.finditer(line) if m.group(2) != TOTAL_WORD]
            left.append(rows[:1])
            right.append(rows[1:])
        elif line.strip().startswith(TABLE_HEADER_WORDS[0]) and left:   # a page's lists end at the next header
            out += [r for x in left for r in x] + [r for x in right for r in x]
            left, right = [], []
    return out + [r for x in left for r in x] + [r for x in right for r in x]


def _is_row_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith(TABLE_HEADER_WORDS) and not s.startswith("附件") and bool(ROW.search(s))


def following_rows(rows: list[tuple[str, int]], plan: Plan) -> list[tuple[str, int]]:
    """The seed's rows with the plan's edits: as many rows as the seed, so the printed layout holds."""
    units, others = rows[:-OTHER_SUBTARGETS], rows[-OTHER_SUBTARGETS:]
    out = [(plan.renamed.get(n, n), plan.figures.get(n, v)) for n, v in units if n not in plan.dropped]
    for name, figure, after in plan.added:
        k = next(i for i, (n, _) in enumerate(out) if n == after)
        out.insert(k + 1, (name, figure))
    assert len(out) == len(units), "the plan must add as many units as it drops"
    return out + others


def write_rows(table: str, rows: list[tuple[str, int]], total: int) -> str:
    """The seed's table with each row replaced by the row of the same position (序号 printed on every row)."""
    order = _positions(table)
    text_rows = iter(order)
    out = []
    for line in table.splitlines(keepends=True):
        if not _is_row_line(line):
            out.append(line)
            continue

        def put(m):
            if m.group(2) == TOTAL_WORD:
                return f"{TOTAL_WORD} {total}"
            k = next(text_rows)
            return f"{k + 1} {rows[k][0]} {rows[k][1]}"
        out.append(ROW.sub(put, line))
    return "".join(out)


def _positions(table: str) -> list[int]:
    """The 0-based 序号 position of each row as it appears in the text, line by line (left, then right)."""
    pages, left, right = [], [], []
    for line in table.splitlines():
        if _is_row_line(line):
            n = sum(1 for m in ROW.finditer(line) if m.group(2) != TOTAL_WORD)
            left.append(1 if n else 0)
            right.append(n - 1 if n else 0)
        elif line.strip().startswith(TABLE_HEADER_WORDS[0]) and left:
            pages.append((left, right))
            left, right = [], []
    pages.append((left, right))
    order, k = [], 0
    for left, right in pages:
        starts_right = k + sum(left)
        for a, b in zip(left, right):
            order += list(range(k, k + a)) + list(range(starts_right, starts_right + b))
            k, starts_right = k + a, starts_right + b
        k = starts_right
    return order


def next_year(text: str, plan: Plan) -> tuple[str, list[tuple[str, int]], list[tuple[str, int]]]:
    """The following year's text, and the seed's rows and the new rows."""
    start = table_start(text)
    body, table = text[:start], text[start:]
    rows = seed_rows(table)
    new = following_rows(rows, plan)
    units_before = sum(v for _, v in rows[:-OTHER_SUBTARGETS])
    units_after = sum(v for _, v in new[:-OTHER_SUBTARGETS])
    total_before, total_after = sum(v for _, v in rows), sum(v for _, v in new)
    table = write_rows(table, new, total_after)
    body = body.replace(str(total_before), str(total_after)).replace(str(units_before), str(units_after))
    text = body + table
    for old, new_text in plan.dates.items():
        text = text.replace(old, new_text)
    return text.replace("2024", str(plan.year)), rows, new


def truth(rows: list[tuple[str, int]], plan: Plan) -> dict:
    """The changes the plan makes, as changes.csv lists them (in the later notice's order, the dropped after)."""
    before = dict(rows)
    new_rows = following_rows(rows, plan)
    back = {v: k for k, v in plan.renamed.items()}
    changes = []
    for name, figure in new_rows:
        old = back.get(name, name)
        if old not in before:
            changes.append(dict(org=name, portions_before=None, portions_after=figure, delta=figure, status="new"))
        elif old != name:
            changes.append(dict(org=name, org_before=old, portions_before=before[old], portions_after=figure,
                                delta=figure - before[old], status="renamed", match="rename-rule"))
        elif before[old] != figure:
            changes.append(dict(org=name, portions_before=before[old], portions_after=figure,
                                delta=figure - before[old], status="changed"))
    changes += [dict(org=n, portions_before=before[n], portions_after=None, delta=-before[n], status="dropped")
                for n in plan.dropped]
    return {"region": "浦东新区", "year_before": 2024, "year_after": plan.year, "seed": SEED.name,
            "changes": changes}


def main() -> int:
    text = SEED.read_text(encoding="utf-8")
    out_text, rows, _ = next_year(text, PLAN)
    OUT.mkdir(exist_ok=True)
    (OUT / "pudong-2025.txt").write_text(out_text, encoding="utf-8")
    (OUT / "pudong-2025.txt.truth.json").write_text(
        json.dumps(truth(rows, PLAN), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT / 'pudong-2025.txt'} and its truth file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
