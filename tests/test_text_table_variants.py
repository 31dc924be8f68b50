"""Tables in page text, generated in every combination of the ways real notices vary them: one, two or three lists
side by side, with or without a 序号 column, with or without a notes column (filled in some rows only), with or
without a 合计, one row per line (pipes with or without the outer ones, runs of spaces, tabs) or one cell per line
(closed by a pipe, alone, or with blank lines between), whole or cut off by the end of the text.

Each combination must give exactly the rows it prints whole, and no error finding (but the seq-gap a cut-off
side-by-side table shows: its rows are missing). Names and figures are invented.
"""
import itertools
import random

import pytest

from ingest import ingest_bytes

NAMES = ["青石村", "白沙村", "柳塘社区", "镇农技站", "东岗村", "南坡村", "北坡村", "镇中学", "镇卫生院"]
HEAD = ("关于做好2024年度无偿献血工作的通知\n各村（社区）、镇属各单位：\n为做好2024年无偿献血工作，现将有关事项通知如下：\n"
        "一、各单位要高度重视，按时完成献血任务。\n附件\n2024年度无偿献血任务分配表\n")
ROW_SEPARATORS = {"pipes": " | ", "outer pipes": " | ", "spaces": " ", "wide spaces": "    ", "tabs": "\t"}
CELL_ENDS = {"pipe cells": " |", "bare cells": "", "blank lines": "\n"}


def grid(n: int, lists: int, seq: bool, notes: bool, total: bool, rng: random.Random):
    """The printed grid (header row first) and the rows (seq, name, portions)."""
    rows = [(k + 1, NAMES[k], rng.randint(1, 40)) for k in range(n)]
    cols = (["序号"] if seq else []) + ["单位名称", "任务数"] + (["备注"] if notes else [])
    per = -(-n // lists)
    out = [cols * lists]
    for k in range(per):
        line = []
        for part in (rows[i * per:(i + 1) * per] for i in range(lists)):
            if k < len(part):
                s, name, v = part[k]
                line += ([str(s)] if seq else []) + [name, str(v)] + (["上午" if s % 3 == 1 else ""] if notes else [])
            else:
                line += [""] * len(cols)
        out.append(line)
    if total:
        out.append((["", "合计"] if seq else ["合计"]) + [str(sum(v for _, _, v in rows))]
                   + [""] * (len(cols) * lists - len(cols) + (1 if notes else 0)))
    return out, rows


def row_lines(printed, how: str) -> list[str]:
    sep = ROW_SEPARATORS[how]
    out = []
    for r in printed:
        if how == "pipes":
            out.append(sep.join(r) + " |")
        elif how == "outer pipes":
            out.append("| " + sep.join(r) + " |")
        elif how == "tabs":
            out.append(sep.join(r).rstrip("\t"))
        else:
            out.append(sep.join(c for c in r if c))
    return out


def cell_lines(printed, how: str) -> list[str]:
    end = CELL_ENDS[how]
    return [c + end for r in printed for c in r if c]


def whole_rows(rows, kept: str, by_row: bool):
    """The rows the kept text prints whole: name and figure both there."""
    if by_row:
        return [(n, v) for _, n, v in rows if any(n in ln and str(v) in ln.split(n, 1)[1] for ln in kept.splitlines())]
    cells = [ln.rstrip(" |") for ln in kept.splitlines() if ln.strip()]
    return [(n, v) for _, n, v in rows if n in cells and str(v) in cells[cells.index(n) + 1:cells.index(n) + 2]]


def check(lines: list[str], rows, by_row: bool, cut: bool, lists: int) -> list[str]:
    """What goes wrong with one variant (empty when it reads right)."""
    if cut:
        lines = lines[:-2] if by_row else lines[:-3]
    text = "\n".join(lines)
    notice = ingest_bytes("notice.txt", (HEAD + text).encode("utf-8"), "notice")
    got = [(r.org, r.portions) for t in notice.tables for r in t.rows if r.row_type == "item"]
    want = whole_rows(rows, text, by_row)
    errors = {f.code for f in notice.findings if f.severity == "error"}
    if cut and lists > 1:
        errors.discard("seq-gap")
    problems = []
    if sorted(got) != sorted(want):
        problems.append(f"rows {got} != {want}")
    if errors:
        problems.append(f"errors {sorted(errors)}")
    return problems


VARIANTS = list(itertools.product([5, 9], [1, 2, 3], [True, False], [True, False], [True, False], [False, True]))


@pytest.mark.parametrize("how", list(ROW_SEPARATORS) + list(CELL_ENDS))
def test_every_variant_reads_its_rows(how):
    rng = random.Random(how)
    by_row = how in ROW_SEPARATORS
    failures = []
    for n, lists, seq, notes, total, cut in VARIANTS:
        printed, rows = grid(n, lists, seq, notes, total, rng)
        lines = row_lines(printed, how) if by_row else cell_lines(printed, how)
        problems = check(lines, rows, by_row, cut, lists)
        if problems:
            failures.append((dict(n=n, lists=lists, seq=seq, notes=notes, total=total, cut=cut), problems))
    assert failures == []


# --------------------------------------------------------------------------------------------- fuzz

from hypothesis import given, settings, strategies as st  # noqa: E402

CELLS = st.sampled_from(["序号", "单 位", "单位名称", "任务数", "任务数(人)", "备注", "合 计", "小计", "青石村", "白沙村",
                         "镇中学", "（含驻地企业）", "12", "3", "1,200", "3.2万", "1.", "", "上午", "2024年5月6日"])
SEPARATORS = st.sampled_from([" | ", "|", " ", "\t", "\n", "\n\n", "│", " ｜ "])


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.tuples(CELLS, SEPARATORS), max_size=60))
def test_any_run_of_cells_and_separators_reads_without_error_and_no_name_keeps_a_separator(cells):
    text = "".join(c + s for c, s in cells)
    notice = ingest_bytes("notice.txt", (HEAD + text).encode("utf-8"), "notice")
    assert notice.error == ""
    for t in notice.tables:
        for r in t.rows:
            assert not set(r.org) & set("|｜│\t"), r.org
