"""What one cell says (ingest/cells.py), each helper alone. parse_number and whole have their own tests
(test_exact_figures.py). The class of text: table cells as the readers give them (split over lines, spaced,
full-width, ASCII brackets from a PDF font) and header cells that state a unit."""
from fractions import Fraction

import pytest

from parsers.model import Cell

from ingest.cells import cell_text, header_unit, looks_like_figure, split_org, unit_scale


def cell(text):
    return Cell(text=text, row=0, col=0)


@pytest.mark.parametrize("text, out", [
    ("序\n号", "序号"),                     # a header split over two lines in its cell
    ("单位\n名称", "单位名称"),
    ("  120 ", "120"), ("１２０", "120"),     # full-width digits as ASCII
    ("3 月", "3月"), ("甲 镇", "甲镇"),      # no space next to a Chinese character
    ("区教育局(城区部分)", "区教育局（城区部分）"),   # ASCII brackets as the full-width ones names use
    ("Ａ B", "A B"),                        # a space between Latin letters stays
    ("", ""), (None, ""),
])
def test_cell_text(text, out):
    assert cell_text(cell(text)) == out


@pytest.mark.parametrize("name, parts", [
    ("区教育局（城区部分）", ("区教育局", "（城区部分）")),
    ("区纪委（区监察委）（含派驻机构）", ("区纪委（区监察委）", "（含派驻机构）")),   # only the last bracket
    ("区教育局", ("区教育局", "")),
    ("（城区部分）", ("（城区部分）", "")),              # a bracket alone is the name, not a note of nothing
    ("区教育局（城区）部分", ("区教育局（城区）部分", "")),  # the bracket is not trailing
    ("", ("", "")),
])
def test_split_org(name, parts):
    assert split_org(name) == parts


@pytest.mark.parametrize("texts, unit", [
    (["单位", "任务数（人份）"], "人份"),
    (["单位", "献血量（万人份）"], "万人份"),
    (["单位", "献血量(毫升)"], "毫升"),           # ASCII brackets too
    (["单位", "献血量（ml）"], "ml"),
    (["单位（全称）", "任务数（人次）"], "人次"),   # a bracket that is not a unit is passed over
    (["单位", "任务数"], "人份"),                  # none stated: the default
    ([], "人份"),
])
def test_header_unit(texts, unit):
    assert header_unit(texts) == unit


@pytest.mark.parametrize("texts, unit", [
    (["单位", "任务数（单位：毫升）"], "毫升"),      # the unit after 单位： inside the brackets
    (["单位", "任务数(单位:人次)"], "人次"),
    (["单位", "任务数/毫升"], "毫升"),              # after a slash ending the header
    (["单位", "献血量／ml"], "ml"),
    (["单位/部门", "任务数"], "人份"),              # a slash between names is no unit
    (["单位", "任务数", "单位：毫升"], "毫升"),      # a field of its own (printed above the table)
    (["单位", "任务数", "填报单位：县卫健局"], "人份"),   # a field that names no unit
])
def test_header_unit_stated_in_other_forms(texts, unit):
    # [units] stated. The class of text: tables that state their unit as 任务数（单位：毫升）, 任务数/毫升 or with a
    # 单位：毫升 line above them rather than as 任务数（毫升）
    assert header_unit(texts) == unit


@pytest.mark.parametrize("unit, unit_ml, scale", [
    ("万人份", None, Fraction(10000)), ("人份", None, Fraction(1)), ("人次", 400, Fraction(1)),
    ("毫升", None, Fraction(1, 200)),       # 200 mL a portion when the notice states none
    ("毫升", 400, Fraction(1, 400)), ("ml", 250, Fraction(1, 250)),
    ("全称", None, Fraction(1)),            # not a count word: taken as printed
])
def test_unit_scale(unit, unit_ml, scale):
    assert unit_scale(unit, unit_ml) == scale


@pytest.mark.parametrize("text, figure", [
    ("120", True), ("1,200", True), ("12,5", True), ("3.2万", True), ("120人份", True), ("１２０", True),
    ("-5", True), ("1 200", True), ("①", True),
    ("合计", False), ("", False), ("万", False), ("第3组", False), ("3月", False), ("序号", False),
])
def test_looks_like_figure(text, figure):
    # a cell that holds a figure, read or not: 12,5 and ① are not figures parse_number reads (the row gets a
    # finding), yet a row holding them is a body row, not a header
    assert looks_like_figure(text) is figure
