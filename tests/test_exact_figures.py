"""Issue 17.3: a figure is read exactly (integers of any size; 万 and decimals by exact arithmetic) or its row
carries a finding; a bad cell never costs the notice. The class of text: value cells as printed in real tables,
with the damage extraction and typing leave (decimal points, commas in the wrong place, circled and superscript
digits, figures too long for a float)."""
import json
from fractions import Fraction
from pathlib import Path

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


PIPE = (Path(__file__).resolve().parent.parent / "samples" / "layouts" / "text-pipe.txt").read_text(encoding="utf-8")
DIGITS = "9" * 5000        # past the 4300 digits Python turns into a number


@pytest.mark.parametrize("old, new, facts", [
    ("总量为2310人份", "总量为2310人份", dict(total_target=2310, unit_ml=200, table_count=1)),    # as printed
    ("总量为2310人份", f"总量为{DIGITS}人份", dict(total_target=None, unit_ml=200, table_count=1)),
    ("总量为2310人份", f"总量为{DIGITS}万人份", dict(total_target=None, unit_ml=200, table_count=1)),
    ("（每人份200毫升），", f"（每人份200毫升），其中东城镇{DIGITS}人份，",
     dict(total_target=2310, unit_ml=200, table_count=1)),
    ("每人份200毫升", f"每人份{DIGITS}毫升", dict(total_target=2310, unit_ml=None, table_count=1)),
], ids=["as-printed", "headline", "headline-wan", "sub-target", "unit-ml"])
def test_a_figure_of_thousands_of_digits_in_the_prose_costs_nothing_else(tmp_path, capsys, old, new, facts):
    """Input class: a figure of 5000 digits where the notice's prose states its headline (总量为…人份, with 万), a
    sub-target or the millilitres of a portion. Each made the notice unreadable ("internal
    error … Exceeds the limit (4300 digits)"); it is read as a table cell's figure is (cells.parse_number): no
    figure, and the rest of the notice is read."""
    from ingest import cli
    assert old in PIPE
    (tmp_path / "n.txt").write_text(PIPE.replace(old, new), encoding="utf-8")
    code = cli.main([str(tmp_path / "n.txt"), "--out", str(tmp_path / "out"), "--no-cache", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 0 and "unreadable" not in err, err
    notice = json.loads((tmp_path / "out" / "notices" / "n-txt.json").read_text(encoding="utf-8"))
    assert {k: notice["notice"][k] for k in facts} == facts


def test_a_month_of_thousands_of_digits_is_not_read_as_a_month():
    """Input class: a month cell of a monthly plan printing 5000 digits before 月 (cn_number turned them into an
    int: internal error); the month is not read and the row says so."""
    text = ("关于做好2025年某区无偿献血工作的通知\n附件\n2025年月度计划表\n序号\t单位\t月份\t任务数\n"
            f"1\t东山村\t{DIGITS}月\t12\n2\t西山村\t3月\t30\n合计\t\t\t42\n")
    notice = ingest_bytes("m.txt", text.encode("utf-8"), "m")
    assert notice.readable, notice.error
    [row] = [r for r in notice.tables[0].rows if r.org == "东山村"]
    assert row.month_from is None and [f.code for f in notice.findings if f.row_no == 1] == ["blank-cell"]
