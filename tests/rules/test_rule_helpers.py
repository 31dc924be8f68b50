"""The small helpers that apply rules.toml, each alone. The class of text: header cells, row labels, unit words and
numerals as printed in notice tables (simplified or traditional, half- or full-width, spaced by extraction)."""
import pytest

from ingest.rules import (cn_number, header_role, is_draft_word, month_name, month_number, row_kind, simplified,
                          squeeze, unit_factor)


@pytest.mark.parametrize("text, role", [
    # one word of each role
    ("序号", "seq"), ("单位名称", "name"), ("任务数（人份）", "value"), ("月份", "month"), ("备注", "note"),
    ("片区", "group"),
    # as extraction leaves them: spaced, split over lines, traditional, full-width brackets
    ("序 号", "seq"), ("单\n位", "name"), ("單位名稱", "name"), ("献血量(人份)", "value"), ("月　份", "month"),
    # the order roles are tried in: 献血时间 is a note (a time, not a figure), 区域名称 a group
    ("献血时间", "note"), ("区域名称", "group"), ("计划献血数", "value"),
])
def test_header_role_of_each_role(text, role):
    assert header_role(text) == role


def test_a_seq_word_gives_the_seq_role_only_at_the_start():
    assert header_role("编号") == "seq" and header_role("序号（编号）") == "seq"
    assert header_role("单位编号") == "name"          # a unit's code number column is a name column, not 序号
    assert header_role("所属序列") == "group"


def test_a_long_cell_is_not_a_header_cell():
    # a header word with at most 12 more characters is a header; a sentence that happens to contain one is not
    assert header_role("单位" + "甲" * 12) == "name"
    assert header_role("单位" + "甲" * 13) is None
    assert header_role("本表所列各单位应于十二月底前全部完成") is None


@pytest.mark.parametrize("text", ["", "   ", "2024", "1,200", "１２０", "甲镇", "合计"])
def test_no_role(text):
    assert header_role(text) is None


@pytest.mark.parametrize("text, kind", [
    ("合计", "total"), ("合 计", "total"), ("总计", "total"), ("總計", "total"), ("全区合计", "total"),
    ("合计（人份）", "total"), ("合计(人份)", "total"), ("小计", "subtotal"), ("小 计", "subtotal"),
    ("合计数", None), ("教育系统合计完成", None), ("小计划", None), ("甲镇", None), ("", None),
    # the last line of a list written as lines (以上合计 2860人份)
    ("以上合计", "total"), ("以上共计", "total"),
])
def test_row_kind(text, kind):
    assert row_kind(text) == kind


@pytest.mark.parametrize("text, kind", [
    # [rows] subtotal_named. The class of text: tables grouped by 片区 or 系统 whose subtotal row is named after its
    # group (城区片小计, 东部片区小计, 教育系统小计), printed under each group's rows
    ("城区片小计", "subtotal"), ("东部片区小计", "subtotal"), ("教育系统小计", "subtotal"), ("城区片 小计", "subtotal"),
    ("市直片小计（人份）", "subtotal"),
    # a name that merely contains the word, or goes on after it, is not one
    ("小计划", None), ("各镇小计数", None), ("小计甲镇", None), ("城区片小计完成情况", None),
])
def test_a_subtotal_named_after_its_group(text, kind):
    assert row_kind(text) == kind


@pytest.mark.parametrize("text, key", [
    ("單位 名稱", "单位名称"), ("１２０ 人份", "120人份"), ("a\tb\nc", "abc"), ("(人份)", "（人份）"),
    ("（人份）", "（人份）"), ("[注]", "［注］"), ("甲,乙;丙:丁", "甲，乙；丙：丁"), ("", ""),
])
def test_squeeze(text, key):
    assert squeeze(text) == key


def test_squeeze_of_a_long_text_is_the_same_as_of_a_short_one():
    long = "單位 名稱" * 100          # over the length kept in the cache
    assert squeeze(long) == "单位名称" * 100


@pytest.mark.parametrize("text, out", [
    ("區教育局", "区教育局"), ("獻血", "献血"), ("区教育局", "区教育局"), ("abc 123", "abc 123"), ("", ""),
    ("無償獻血" * 100, "无偿献血" * 100),
])
def test_simplified(text, out):
    assert simplified(text) == out


@pytest.mark.parametrize("text, n", [
    ("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("两", 2), ("二〇二四", 2024),
    ("二○二四", 2024), ("12", 12), ("１２", 12), ("十 二", 12),
    ("百", None), ("十十", None), ("二十三十", None), ("三四十", None), ("十一二", None), ("", None), ("3个", None),
])
def test_cn_number(text, n):
    assert cn_number(text) == n


@pytest.mark.parametrize("text, month", [
    ("三月", 3), ("3月", 3), ("十二月份", 12), ("12月", 12), ("三 月", 3), ("１２月", 12), ("十月", 10),
    ("十三月", None), ("0月", None), ("月", None), ("三月上旬", None), ("三", None), ("", None),
])
def test_month_number(text, month):
    assert month_number(text) == month


@pytest.mark.parametrize("m, name", [(1, "一月"), (10, "十月"), (12, "十二月"), (None, "?"), (0, "?"), (13, "?")])
def test_month_name(m, name):
    assert month_name(m) == name


@pytest.mark.parametrize("text, word", [
    ("（征求意见稿）", "征求意见稿"), ("徵求意見稿", "征求意见稿"), ("关于…的通知（代拟稿）", "代拟稿"),
    ("草稿", "草稿"), ("关于做好2024年无偿献血工作的通知", None), ("", None),
])
def test_is_draft_word(text, word):
    assert is_draft_word(text) == word


@pytest.mark.parametrize("unit, factor", [("万人份", 10000), ("人份", 1), ("人次", 1), ("人", 1), ("份", 1),
                                          ("毫升", None), ("全称", None), ("", None)])
def test_unit_factor(unit, factor):
    assert unit_factor(unit) == factor


@pytest.mark.parametrize("text, role", [
    # [columns] field. The class of text: a label, a colon and its value printed in a cell above a table (填报单位：…,
    # 单位：人份, 制表：…): a field, which names no column whatever words it holds
    ("填报单位：某县卫生健康局", None), ("单位：人份", None), ("单位:人次", None), ("制表单位：某局办公室", None),
    # a colon inside a header's brackets is the header's unit, and a bare label keeps its role
    ("任务数（单位：人份）", "value"), ("任务数(单位:人)", "value"), ("单位", "name"), ("献血时间：", "note"),
])
def test_a_labelled_field_names_no_column(text, role):
    assert header_role(text) == role


@pytest.mark.parametrize("text, role", [
    # [header] name 献血点/采血点/献血屋 and value 采血任务/采血量. The class of text: a blood station's plan, whose units
    # are its collection sites (献血点 | 采血任务（U）); 献血地点 (where a unit gives blood) stays a note
    ("献血点", "name"), ("采血点名称", "name"), ("献血屋", "name"), ("采血任务（U）", "value"), ("采血量（毫升）", "value"),
    ("献血地点", "note"),
])
def test_a_blood_stations_columns(text, role):
    assert header_role(text) == role


@pytest.mark.parametrize("text", ["县（区）", "县(市、区)", "县（市）", "区县", "区、县", "县、市、区", "县市区", "乡（镇）",
                                  "县（区）名称"])
def test_a_header_naming_the_level_of_its_units(text):
    # [header] name 县（市、区）, 县（区）, 区县, 乡（镇） …: the class of text: a city's or a county's table whose units
    # are its counties, districts or townships, headed by their level rather than by 单位
    assert header_role(text) == "name"
