"""Each rule of reading tables printed as text, alone: the [text_tables] words and patterns of rules.toml, and the
rules of the code that finds cells, headers, columns and rows. Each test names the class of text it serves.
"""
from dataclasses import replace

import pytest

from parsers import text as text_reader
from parsers.model import Box, Cell, Line, PageInfo, Paragraph as ModelParagraph, Table, Word
from ingest import linerecords, linetables, rules as rules_module
from ingest.cells import seq_number, split_org
from ingest.linecells import furniture_in_table, is_rule, kind, line_tokens
from ingest.lineheader import group_bounds, header_at, split_roles
from ingest.records import Paragraph
from ingest.rules import RulesError, header_role, load, normalized_name, row_kind, rules, squeeze, without_debris
from ingest.sentencelists import list_items, sentence_table
from ingest.tables import column_roles, parse_table, stack_contiguous


def lines(*texts):
    return [Line(text=t, source_index=k + 1) for k, t in enumerate(texts)]


def texts(toks):
    return [t.text for t in toks]


# --------------------------------------------------------------------------------------------- cells of a line


@pytest.mark.parametrize("line, cells", [
    ("3 | 东山村 | 12 |", ["3", "东山村", "12"]),            # web page text: pipes closing each cell
    ("| 3 | 东山村 | 12 |", ["3", "东山村", "12"]),          # both outer pipes
    ("3｜东山村｜12", ["3", "东山村", "12"]),                  # full-width pipes
    ("│ 3 │ 东山村 │ 12 │", ["3", "东山村", "12"]),          # box-drawing verticals
    ("东山村 | 12 | ||", ["东山村", "12", "", ""]),          # blanks between pipes are blank cells
    ("东山村\t12\t", ["东山村", "12", ""]),                   # tabs
    ("东山村 | - | 12 |", ["东山村", "-", "12"]),             # a dash is a cell, a run of them a ruling
    ("|", [""]),                                              # a blank cell alone on its line, closed by its pipe
])
def test_cell_separators_state_cells(line, cells):
    toks = line_tokens(Line(text=line))
    assert texts(toks) == cells and all(t.stated for t in toks)


def test_spaces_split_cells_but_state_none_and_a_measure_word_keeps_a_number_in_its_name():
    toks = line_tokens(Line(text="1 全区 10 个街镇 120"))
    assert texts(toks) == ["1", "全区10个街镇", "120"] and not any(t.stated for t in toks)


@pytest.mark.parametrize("line, ruling", [("|---|---|", True), ("├──┼──┤", True), ("+----+----+", True),
                                          ("- 3 -", False), ("东山村 | 12", False)])
def test_rule_chars_make_a_ruling(line, ruling):
    """Rulings of pipe and box-drawing tables are no cells; a page number between dashes is no ruling."""
    assert is_rule(Line(text=line)) is ruling


@pytest.mark.parametrize("text, want", [("", "blank"), ("12", "int"), ("1,200", "figure"), ("3.2万", "figure"),
                                        ("20人", "figure"), ("东山村", "text"), ("2024年12月6日", "text")])
def test_kinds_of_cells(text, want):
    assert kind(text) == want


@pytest.mark.parametrize("text, want", [("1O0", "figure"), ("17O3", "figure"), ("O5", "figure"), ("1l0", "figure"),
                                        ("2〇4", "figure"), ("1,2OO", "figure"), ("Il", "text"), ("110kV", "text"),
                                        ("3号楼", "text"), ("O", "text")])
def test_a_figure_with_a_letter_for_a_digit_is_a_figure(text, want):
    """rules.toml [numbers] misread_figure: a figure typed or OCR-read with O for 0 or l for 1 is a figure read
    wrong (its row gets a not-a-number finding), never a piece of the name beside it; a word needs a real digit."""
    assert kind(text) == want


# --------------------------------------------------------------------------------------------- pinyin debris


def test_pinyin_debris_is_left_out_of_keys_and_normalised_names_only():
    """Traditional page text with readings after characters (社區(qū)): names match without them, print with them."""
    assert without_debris("青石社區(qū)") == "青石社區"
    assert normalized_name("青石社區(qū)") == "青石社区"
    assert header_role("任務(wù)數(shù)(人)") == "value"
    assert squeeze("鎮(zhèn)轄") == "镇辖"


@pytest.mark.parametrize("kept", ["献血量(ml)", "任务数(人)", "单位(qu)", "区教育局（城区部分）"])
def test_brackets_that_are_not_pinyin_debris_stay(kept):
    """A unit in brackets, Latin letters without tone marks, a note: not debris."""
    assert without_debris(kept) == kept


def test_pinyin_debris_is_never_an_org_note_but_a_real_note_still_is():
    assert split_org("青石社區（qū）") == ("青石社區（qū）", "")
    assert split_org("青石社區（qū）（城区部分）") == ("青石社區（qū）", "（城区部分）")


# --------------------------------------------------------------------------------------------- headers


@pytest.mark.parametrize("first, found", [
    ("献血单位 任务数(人)", True),        # header words cover most of the line, though it starts with none of them
    ("单位 | 任务数 |", True),             # header cells between pipes
    ("序", False),                          # the start of a split 序号 alone: a header needs its name and value
    ("为做好献血单位的任务数统计工作", False),   # prose that mentions header words
])
def test_a_header_starts_where_header_words_cover_the_line(first, found):
    assert (header_at(lines(first), 0) is not None) is found


def test_a_header_broken_over_lines_and_its_end():
    hdr = header_at(lines("序", "号", "单位名称", "募集无偿", "献血量(人份)", "1 区档案局 3"), 0)
    assert hdr.roles == ["seq", "name", "value"] and hdr.end == 5


def test_a_header_of_pipe_cells_one_per_line_ends_at_the_first_cell_no_header_word_names():
    hdr = header_at(lines("单 位 |", "任务数(人) |", "单 位 |", "任务数(人) |", "东山村 |", "3 |"), 0)
    assert hdr.roles == ["name", "value", "name", "value"] and hdr.end == 4


def test_max_header_chars_bounds_a_header_line():
    long = "单位" + "任务数" * (rules().text_tables.max_header_chars // 3 + 1)
    assert header_at(lines("献血" + long), 0) is None


def test_split_roles_starts_a_list_at_a_repeated_role_and_gives_it_the_blank_column_before_it():
    assert split_roles(["seq", "name", "value", "seq", "name", "value"]) == [["seq", "name", "value"]] * 2
    assert split_roles([None, "name", "value", None, "name", "value"]) == [[None, "name", "value"]] * 2
    assert split_roles(["name", "value", "note", "note"]) == [["name", "value", "note", "note"]]


def test_group_bounds_from_where_a_pdf_prints_its_header_words():
    """Two lists on a page with geometry: the second begins halfway between the lists' header words."""
    words = [Word("单位", Box(100, 0, 124, 10)), Word("任务数", Box(200, 0, 236, 10)),
             Word("单位", Box(300, 0, 324, 10)), Word("任务数", Box(400, 0, 436, 10))]
    line = Line(text="单位 任务数 单位 任务数", words=words, box=Box(100, 0, 436, 10), page=1)
    assert group_bounds([line], ["name", "value", "name", "value"]) == [268.0]


# --------------------------------------------------------------------------------------------- readings by kind


def toks(*cells):
    return [linetables.Tok(c, None, Line(text=c)) for c in cells]


def test_max_name_pieces_joins_a_name_printed_over_cells():
    records, used = linerecords.read_stream(toks("镇机关", "（含驻地企业）", "20", "卫生院", "15"), ["name", "value"])
    assert used == 5 and ["".join(t.text for t in r[0]) for r in records] == ["镇机关（含驻地企业）", "卫生院"]
    many = rules().text_tables.max_name_pieces + 1
    records, used = linerecords.read_stream(toks(*(["甲"] * many), "20"), ["name", "value"])
    assert records == []


def test_a_seq_is_never_a_figure_and_a_total_takes_no_seq():
    records, used = linerecords.read_stream(toks("1", "东山村", "12", "2", "西山村", "8", "合计", "20"),
                                           ["seq", "name", "value"])
    assert used == 8
    assert [{c: t[0].text for c, t in r.items() if c != 1} for r in records] == [
        {0: "1", 2: "12"}, {0: "2", 2: "8"}, {2: "20"}]


def test_a_stream_cut_inside_a_row_ends_before_it():
    """The text ends after a note and the next row's 序号: the note is a note, the 序号 no row."""
    records, used = linerecords.read_stream(toks("1", "东山村", "12", "上午", "2"), ["seq", "name", "value", "note"])
    assert len(records) == 1 and used == 4


def test_a_row_line_leaves_a_list_empty_rather_than_read_a_name_without_its_figure():
    groups = [["name", "value", "note"]] * 3
    recs = linerecords.read_line(toks("白沙村", "37", "镇农技站", "17", "上午"), groups)
    assert recs[2] is None and [t.text for t in recs[1][2]] == ["上午"]


def test_max_stream_cells_bounds_a_stream(monkeypatch):
    small = replace(rules(), text_tables=replace(rules().text_tables, max_stream_cells=6))
    monkeypatch.setattr(linetables, "rules", lambda: small)
    found = linetables.find_line_tables(lines("单位", "任务数", *(["东山村", "12"] * 10)))
    assert len(found[0][2].rows) == 1 + 3


# --------------------------------------------------------------------------------------------- page furniture


def test_a_figure_at_the_foot_of_a_page_is_furniture_in_a_stream_only_when_centred():
    page = PageInfo(number=1, width=600, height=800)
    centred = Line(text="3", box=Box(295, 760, 305, 770), page=1)
    aside = Line(text="3", box=Box(100, 760, 110, 770), page=1)
    assert furniture_in_table(centred, page, figures_are_cells=True)
    assert not furniture_in_table(aside, page, figures_are_cells=True)
    assert furniture_in_table(aside, page, figures_are_cells=False)


def test_without_geometry_a_bare_figure_is_furniture_only_in_a_table_read_by_rows():
    assert furniture_in_table(Line(text="- 3 -"), None, figures_are_cells=True)
    assert not furniture_in_table(Line(text="3"), None, figures_are_cells=True)
    assert furniture_in_table(Line(text="3"), None, figures_are_cells=False)


# --------------------------------------------------------------------------------------------- sentences


def para(text):
    return Paragraph(text=text, page=None, box=None, lines=(Line(text=text),), source_index=1)


def test_sentence_item_and_separators():
    """name figure unit, separated by ；;、，, (mixed), up to the end of the sentence."""
    text = "分配：综合科2人；财务科2人、后勤科4人,保卫科1人。"
    assert list_items(text, 3) == [("综合科", "2", "人"), ("财务科", "2", "人"), ("后勤科", "4", "人"),
                                   ("保卫科", "1", "人")]


@pytest.mark.parametrize("text", ["分配：综合科2人；财务科2人。", "分配：综合科2人；财务科2人；其余自愿。"])
def test_sentence_min_items_and_end(text):
    """Fewer than sentence_min_items items, or a list that does not fill its sentence: no table."""
    assert sentence_table(para(text)) is None


def test_sentence_not_after_the_headline_split():
    assert sentence_table(para("总量1000人份，其中：甲600人份、乙300人份、丙100人份。")) is None


def test_sentence_labels_name_the_columns_by_header_words():
    table = sentence_table(para("名额：综合科2人、财务科2人、后勤科4人。"))
    assert [c.text for c in table.rows[0]] == ["单位", "数量（人）"]
    assert [header_role(c.text) for c in table.rows[0]] == ["name", "value"]


# --------------------------------------------------------------------------------------------- box drawing


def test_box_segments_and_a_ruling_with_a_merged_cell_running_through_it():
    assert text_reader._segments("│ 区 ├────┼────┤") == ([" 区 ", "────", "────"], ["├", "┼"])
    assert text_reader._kind("│ 区 ├────┼────┤") == "rule"
    assert text_reader._kind("│ │ 白沙 │ 45 │") == "row"


def test_box_junctions_give_the_columns_a_cell_spans():
    """┬ under a header cell: the boundary begins below it, so the cell spans the two columns either side."""
    items = [("row", [(1, ["单位", "数量"])]), ("rule", ["──", "──", "──"], ["┬", "┼"])]
    assert text_reader._spans(items, 0, 3, 2) == [(0, 2), (2, 1)]


def test_a_pipe_row_of_numbers_is_never_the_wrapped_text_of_the_row_above():
    items = text_reader._items(["| 1 | 东山 | 12 | 2 | 西山 | 8 |", "| | 合计 | 20 | | | |",
                                "| | （城区） | | | | |"], 0, 3)
    assert [len(it[1]) for it in items] == [1, 2]


# --------------------------------------------------------------------------------------------- grids into rows


def grid(rows, spans=()):
    cells = [[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    for (r, c, rs, cs) in spans:
        cells[r][c].rowspan, cells[r][c].colspan = rs, cs
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                if (rr, cc) != (r, c):
                    cells[rr][cc].merged_into = (r, c)
    return Table(rows=cells)


def test_a_name_header_over_a_merged_group_column_reads_as_group_and_name():
    t = grid([["单位", "", "任务数"], ["东片", "东山村", "12"], ["", "西山村", "8"]], [(0, 0, 1, 2), (1, 0, 2, 1)])
    assert column_roles(t, 0, 1, ["单位", "", "任务数"]) == ["group", "name", "value"]
    rows = parse_table(t, "t1", "", "").rows
    assert [(r.group, r.org, r.portions) for r in rows] == [("东片", "东山村", 12), ("东片", "西山村", 8)]


def test_a_name_header_over_two_columns_not_merged_down_stays_as_printed():
    t = grid([["单位", "", "任务数"], ["东山村", "（城区）", "12"], ["西山村", "", "8"]], [(0, 0, 1, 2)])
    assert column_roles(t, 0, 1, ["单位", "", "任务数"])[0] == "name"


@pytest.mark.parametrize("column, role", [(["1", "2", "3"], "seq"), (["1", "2", "", "4"], "seq"),
                                          (["12", "8", "30"], None), (["1", "1", "2"], None)])
def test_a_blank_headed_column_before_the_names_counting_up_is_the_seq(column, role):
    rows = [["", "单位", "任务数"]] + [[s, f"村{k}", "5"] for k, s in enumerate(column)]
    t = grid(rows)
    assert column_roles(t, 0, 1, ["", "单位", "任务数"])[0] == role


def test_rules_refuse_a_limit_that_is_not_positive(tmp_path):
    text = rules_module.PATH.read_text(encoding="utf-8").replace("max_name_pieces = 3", "max_name_pieces = 0")
    bad = tmp_path / "rules.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError, match="text_tables"):
        load(bad)


def test_the_split_document_keeps_the_paragraphs_around_a_table():
    """Lines before and after a table stay in the paragraphs they were printed in."""
    from parsers.model import Document
    doc = Document(source_file="x", format="text", blocks=[
        ModelParagraph(lines=lines("附件")), ModelParagraph(lines=lines("单位 | 任务数 |", "东山村 | 12 |", "说明文字"))])
    out = linetables.split_blocks(doc).blocks
    assert [type(b).__name__ for b in out] == ["Paragraph", "Table", "Paragraph"]
    assert [ln.text for ln in out[2].lines] == ["说明文字"]


def ruled(rows, top, page=1):
    """A ruled grid of cells 20 points high from `top`, columns 0-50, 50-200, 200-300."""
    xs = [0, 50, 200, 300]
    cells = [[Cell(text=t, row=r, col=c, page=page, box=Box(xs[c], top + 20 * r, xs[c + 1], top + 20 * r + 20))
              for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Table(rows=cells, page=page, strategy="pdf-ruled", merges_known=True)


def printed(texts_x, top, page):
    words = [Word(t, Box(x, top, x + 10 * len(t), top + 10)) for t, x in texts_x]
    return Paragraph(text=" ".join(t for t, _ in texts_x), page=page, box=None, source_index=None,
                     lines=(Line(text=" ".join(t for t, _ in texts_x), page=page, words=words,
                                 box=Box(words[0].box.x0, top, words[-1].box.x1, top + 10)),))


def test_a_row_printed_without_its_rulings_between_two_parts_of_a_table_joins_them():
    """A ruled table run on over a page break whose first row on the new page has no top ruling: the row's line
    stands between the two parts, its words in the table's columns, and is a row of it."""
    first = ruled([["序号", "单位名称", "任务数"], ["1", "东山村", "12"]], 600, page=1)
    stray = printed([("2", 20), ("西山村", 80), ("8", 240)], 85, page=2)
    rest = ruled([["3", "南山村", "5"]], 100, page=2)
    out = stack_contiguous([first, stray, rest])
    assert len(out) == 1 and [[c.text for c in r] for r in out[0].rows][2] == ["2", "西山村", "8"]


def test_lines_between_two_tables_that_are_not_rows_keep_them_apart():
    first = ruled([["序号", "单位名称", "任务数"], ["1", "东山村", "12"]], 600, page=1)
    title = printed([("附件2", 20), ("各街镇任务表", 80)], 85, page=2)
    rest = ruled([["3", "南山村", "5"]], 100, page=2)
    assert len(stack_contiguous([first, title, rest])) == 3


def test_a_last_row_printed_without_its_bottom_ruling_is_the_tables():
    table = ruled([["序号", "单位名称", "任务数"], ["1", "东山村", "12"]], 100)
    last = printed([("2", 20), ("西山村", 80), ("8", 240)], 145, page=1)
    far = printed([("2", 20), ("西山村", 80), ("8", 240)], 300, page=1)
    assert len(stack_contiguous([table, last])[0].rows) == 3
    assert len(stack_contiguous([table, far])) == 2


def _pdf_line(words, top):
    ws = [Word(t, Box(x, top, x + 11 * len(t), top + 11), size=11) for t, x in words]
    return Line(text=" ".join(t for t, _ in words), page=1, words=ws, box=Box(ws[0].box.x0, top, ws[-1].box.x1, top + 11))


def test_a_header_over_two_lines_on_a_pdf_page_is_read_column_by_column():
    """序 单位 无偿献血 / 号 名称 任务数（人份）: each line holds a piece of every column; the pieces stacked one
    above the other are one label, and words closer than a cell's gap join only when together they make a header
    word (单 位)."""
    top = _pdf_line([("序", 80), ("单", 150), ("位", 170), ("无偿献血", 240)], 100)
    bottom = _pdf_line([("号", 80), ("名称", 150), ("任务数（人份）", 220)], 120)
    hdr = header_at([top, bottom, _pdf_line([("1", 80), ("东山村", 150), ("12", 250)], 140)], 0)
    assert hdr.labels == ["序号", "单位名称", "无偿献血任务数（人份）"]
    assert hdr.roles == ["seq", "name", "value"] and hdr.end == 2


@pytest.mark.parametrize("text, number", [("1", 1), ("1.", 1), ("12、", 12), ("(3)", 3), ("（12）", 12), ("１．", 1),
                                          ("1.5", None), ("一", None), ("1号", None)])
def test_seq_cell_reads_a_seq_as_printed(text, number):
    """序号 as tables print them: bare, with a full stop or 、, in brackets, in full-width digits."""
    assert seq_number(text) == number


@pytest.mark.parametrize("label, role", [("名额", "value"), ("分配名额", "value"), ("任务(人)", "value"),
                                         ("科室", "name"), ("社区", "name"), ("村居", "name"), ("村名", "name")])
def test_header_words_added_for_real_tables(label, role):
    assert header_role(label) == role


@pytest.mark.parametrize("label", ["全县合计", "全市合计", "全镇合计", "全乡合计", "全 镇 合 计"])
def test_total_words_of_a_whole_area(label):
    assert row_kind(label) == "total"


@pytest.mark.parametrize("text", ["分配：综合科：2人；财务科：3人；后勤科：4人。", "分配：综合科2人 财务科3人 后勤科4人。"])
def test_sentence_items_with_a_colon_or_separated_by_spaces(text):
    assert [(n, v) for n, v, _ in list_items(text, 3)] == [("综合科", "2"), ("财务科", "3"), ("后勤科", "4")]


def test_a_cell_printing_a_figure_on_each_of_several_lines_packs_rows():
    """A grid whose body rows no ruling parts: one tall cell per column, a figure per printed line."""
    packed = Cell(text="12\n8", row=1, col=2, lines=[Line(text="12"), Line(text="8")])
    name = Cell(text="镇机关\n（含驻地企业）", row=1, col=1, lines=[Line(text="镇机关"), Line(text="（含驻地企业）")])
    assert linetables.packs_rows(Table(rows=[[name, packed]]))
    assert not linetables.packs_rows(Table(rows=[[name, Cell(text="12", row=1, col=2, lines=[Line(text="12")])]]))


def test_a_wide_seq_gap_is_given_as_a_range():
    """A 序号 misread (1314 for 13, 14 run together) must not list a thousand missing numbers."""
    from ingest.checks import _missing
    assert _missing(2, 6) == "3, 4, 5"
    assert _missing(13, 1314) == "14–1313"


def test_a_packed_row_without_geometry_is_split_line_by_line_when_its_cells_allow():
    t = grid([["序号", "单位名称", "任务数"], ["1\n2\n3", "东山村\n西山村\n南山村", "12\n8\n5"], ["", "合计", "25"]])
    rows = linetables.unpack_rows(t).rows
    assert [[c.text for c in r] for r in rows] == [["序号", "单位名称", "任务数"], ["1", "东山村", "12"],
                                                   ["2", "西山村", "8"], ["3", "南山村", "5"], ["", "合计", "25"]]
    uneven = grid([["单位名称", "任务数"], ["东山村\n（城区）\n西山村", "12\n8"]])
    assert linetables.unpack_rows(uneven) is None


def test_no_cell_keeps_a_separator_at_its_ends_and_tabs_and_pipes_part_cells_together():
    """Mixed separators (a web page's tabs with pipes left in): cells part at both; a pipe left at a cell's end
    is no part of it."""
    assert texts(line_tokens(Line(text="序号\t东山村 | 12 |"))) == ["序号", "东山村", "12"]
    assert text_reader._tab_cells("| 1\t东山村 ｜ 12 |") == [" 1", "东山村 ", " 12 "]
    from ingest.cells import cell_text
    assert cell_text(Cell(text="东山村 |", row=0, col=0)) == "东山村"
