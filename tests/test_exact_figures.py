"""Issue 17.3: a figure is read exactly (integers of any size; 万 and decimals by exact arithmetic) or its row
carries a finding; a bad cell never costs the notice. The class of text: value cells as printed in real tables,
with the damage extraction and typing leave (decimal points, commas in the wrong place, circled and superscript
digits, figures too long for a float)."""
from fractions import Fraction

import pytest

from ingest.cells import parse_number, whole
from ingest.pipeline import ingest_bytes


@pytest.mark.parametrize("text, value", [
    ("120", 120), ("1,200", 1200), ("1，200", 1200), ("3.2万", 32000), ("120人份", 120), ("１２０", 120),
    ("12.0", 12), ("12345678901234567891", 12345678901234567891), ("9" * 400, int("9" * 400)),
])
def test_whole_figures_are_read_exactly(text, value):
    assert whole(parse_number(text)) == value


@pytest.mark.parametrize("text", ["12,5", "1,2,3", "①②", "²5", "1e5", "12.5.1", "--3", ""])
def test_what_is_not_a_figure_is_not_read_as_one(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text, exact", [("12.5", Fraction(25, 2)), ("13.5", Fraction(27, 2)),
                                         ("0.00004万", Fraction(2, 5))])
def test_a_fraction_stays_a_fraction(text, exact):
    assert parse_number(text) == exact and whole(parse_number(text)) is None


CELLS = ["12.5", "13.5", "12,5", "1,2,3", "①②", "²5", "0.00004万", "12345678901234567891", "9" * 20000, "9" * 400, "30"]


def _notice(cells):
    rows = "\n".join(f"{i}\t第{i}单位\t{v}" for i, v in enumerate(cells, start=1))
    text = f"关于做好2025年某某区无偿献血工作的通知\n附件\n序号\t单位\t任务数\n{rows}\n"
    return ingest_bytes("figures.txt", text.encode("utf-8"), "figures")


def test_every_figure_is_exact_or_its_row_has_a_finding():
    notice = _notice(CELLS)
    assert notice.readable, notice.error
    [table] = notice.tables
    flagged = {f.row_no for f in notice.findings if f.code == "not-a-number"}
    for row, printed in zip(table.items, CELLS):
        exact = parse_number(printed)
        if exact is not None and whole(exact) is not None:
            assert row.portions == whole(exact) and row.row_no not in flagged, printed
        else:
            assert row.portions is None and row.row_no in flagged, printed
    assert table.items[-1].portions == 30 and table.items[-2].portions == int("9" * 400)


def test_a_fraction_is_said_with_its_exact_value():
    notice = _notice(["12.5"])
    [f] = [f for f in notice.findings if f.code == "not-a-number"]
    assert "12.5" in f.message and f.severity == "error"
