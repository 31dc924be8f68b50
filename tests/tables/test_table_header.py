"""parse_table on small grids written inline: the header gives each column its role, stated units scale the
figures, a header may be stacked over rows, lists may stand side by side. The class of text: the header rows of
target tables as Word, PDF and spreadsheets print them."""
from parsers.model import Box

from ingest.records import Source, Unparsed
from ingest.tables import parse_table

from inline_records import grid


def rows_of(t):
    return [(r.row_no, r.row_type, r.org, r.org_note, r.seq, r.portions) for r in t.rows]


def test_each_column_by_its_header_word():
    g = grid([["序号", "单位名称", "任务数（人份）", "备注"],
              ["1", "区教育局（城区部分）", "100", "含机关"],
              ["2", "甲镇", "200", ""],
              ["", "合计", "300", ""]])
    t = parse_table(g, "t1", "各单位任务分解表", "附件1")
    assert (t.table_id, t.kind, t.title, t.annex, t.unit, t.page) == ("t1", "allocation", "各单位任务分解表",
                                                                    "附件1", "人份", 1)
    assert (t.has_seq, t.n_lists, t.merges_known) == (True, 1, False)
    assert t.header == ("序号", "单位名称", "任务数（人份）", "备注")
    assert rows_of(t) == [(1, "item", "区教育局", "（城区部分）", 1, 100), (2, "item", "甲镇", "", 2, 200),
                          (3, "total", "合计", "", None, 300)]
    first = t.rows[0]
    assert (first.org_raw, first.note, first.value_text, first.events) == ("区教育局（城区部分）", "含机关", "100", ())
    # where the row is: its seq, name and value cells (the grid puts column c at x 100c, row r at y 20r)
    assert first.source == Source(page=1, box=Box(0, 20, 300, 40), text="1 | 区教育局（城区部分） | 100 | 含机关")
    assert first.value_source == Source(page=1, box=Box(200, 20, 300, 40), text="100")
    assert t.unparsed == ()


def test_no_table_without_a_name_and_a_value_column():
    assert parse_table(grid([["项目", "内容"], ["地点", "区中心血站"]]), "t1", "", "") is None
    assert parse_table(grid([["单位", "地址"], ["甲镇", "1号"]]), "t1", "", "") is None
    # a header and no item row under it
    assert parse_table(grid([["单位", "任务数"], ["合计", "0"]]), "t1", "", "") is None


def test_the_unit_a_header_states_scales_every_figure():
    t = parse_table(grid([["单位", "献血量（万人份）"], ["甲镇", "1.2"], ["乙镇", "0.35"]]), "t1", "", "")
    assert t.unit == "万人份" and [r.portions for r in t.rows] == [12000, 3500]
    assert [r.value_text for r in t.rows] == ["1.2", "0.35"]         # as printed
    ml = grid([["单位", "献血量(毫升)"], ["甲镇", "40000"], ["乙镇", "30100"]])
    assert [r.portions for r in parse_table(ml, "t1", "", "").rows] == [200, None]     # 200 mL a portion
    t = parse_table(ml, "t1", "", "", unit_ml=400)
    assert t.unit == "毫升" and t.rows[0].portions == 100
    # 30100 mL is 75.25 portions of 400 mL: not a whole number, said so rather than rounded
    assert t.rows[1].portions is None
    assert [(e.code, e.field, e.message) for e in t.rows[1].events] == [
        ("not-a-number", "portions", "数量单元格内容“30100”折合 75.25 人份，不是整数，未取整")]


def test_a_figure_that_is_not_a_number_is_a_row_event():
    t = parse_table(grid([["单位", "任务数"], ["甲镇", "12,5"], ["乙镇", "待定"]]), "t1", "", "")
    assert [r.portions for r in t.rows] == [None, None]
    assert [[(e.code, e.message) for e in r.events] for r in t.rows] == [
        [("not-a-number", "数量单元格内容“12,5”不是数字")], [("not-a-number", "数量单元格内容“待定”不是数字")]]


def test_a_header_stacked_over_two_rows():
    g = grid([["序", "单位", "计划"],
              ["号", "名称", "献血数（人份）"],
              ["1", "甲镇", "100"],
              ["2", "乙镇", "50"]])
    t = parse_table(g, "t1", "", "")
    assert t.header == ("序号", "单位名称", "计划献血数（人份）") and t.has_seq
    assert rows_of(t) == [(1, "item", "甲镇", "", 1, 100), (2, "item", "乙镇", "", 2, 50)]


def test_a_header_split_inside_its_cells():
    t = parse_table(grid([["序\n号", "单位\n名称", "任务数\n（人份）"], ["1", "甲镇", "100"]]), "t1", "", "")
    assert t.header == ("序号", "单位名称", "任务数（人份）") and rows_of(t) == [(1, "item", "甲镇", "", 1, 100)]


def test_a_title_row_inside_the_grid_is_not_part_of_the_header():
    # a spreadsheet or Word table often carries its title in its first row, merged across the columns (or not)
    for spans in ({(0, 0): (1, 3)}, {}):
        g = grid([["2024年献血任务分解表", "", ""],
                  ["序号", "单位", "任务数"],
                  ["1", "甲镇", "100"],
                  ["2", "乙镇", "50"]], spans=spans, merges_known=bool(spans))
        t = parse_table(g, "t1", "", "")
        assert t.header == ("序号", "单位", "任务数") and t.n_lists == 1
        assert rows_of(t) == [(1, "item", "甲镇", "", 1, 100), (2, "item", "乙镇", "", 2, 50)]


def test_side_by_side_lists_are_unfolded_left_list_first():
    g = grid([["序号", "单位", "任务数", "序号", "单位", "任务数"],
              ["1", "甲镇", "10", "3", "丙镇", "30"],
              ["2", "乙镇", "20", "", "合计", "60"]])
    t = parse_table(g, "t1", "", "")
    assert t.n_lists == 2 and t.header == ("序号", "单位", "任务数") * 2
    assert rows_of(t) == [(1, "item", "甲镇", "", 1, 10), (2, "item", "乙镇", "", 2, 20),
                          (3, "item", "丙镇", "", 3, 30), (4, "total", "合计", "", None, 60)]
    # each row points at its own list's cells
    assert t.rows[2].source.box == Box(300, 20, 600, 40)


def test_a_blank_right_hand_row_is_no_row():
    g = grid([["单位", "任务数", "单位", "任务数"],
              ["甲镇", "10", "丙镇", "30"],
              ["乙镇", "20", "", ""]])
    assert [r.org for r in parse_table(g, "t1", "", "").rows] == ["甲镇", "乙镇", "丙镇"]


def test_a_repeated_header_starts_a_new_chunk():
    # the same table printed over two pages, its header printed again on the second: each page's left list, then
    # its right list
    g = grid([["序号", "单位", "任务数", "序号", "单位", "任务数"],
              ["1", "甲镇", "10", "3", "丙镇", "30"],
              ["2", "乙镇", "20", "4", "丁镇", "40"],
              ["序号", "单位", "任务数", "序号", "单位", "任务数"],
              ["5", "戊镇", "50", "6", "己镇", "60"]])
    t = parse_table(g, "t1", "", "")
    assert [(r.seq, r.org) for r in t.rows] == [(1, "甲镇"), (2, "乙镇"), (3, "丙镇"), (4, "丁镇"), (5, "戊镇"),
                                                (6, "己镇")]
    assert [r.row_no for r in t.rows] == [1, 2, 3, 4, 5, 6]


def test_a_repeated_stacked_header_is_skipped_whole():
    g = grid([["序", "单位", "计划"], ["号", "名称", "献血数"],
              ["1", "甲镇", "100"],
              ["序", "单位", "计划"], ["号", "名称", "献血数"],
              ["2", "乙镇", "50"]])
    assert rows_of(parse_table(g, "t1", "", "")) == [(1, "item", "甲镇", "", 1, 100), (2, "item", "乙镇", "", 2, 50)]


def test_a_column_no_header_word_names_is_unparsed_not_dropped():
    g = grid([["序号", "单位", "任务数", "统计口径"],
              ["1", "甲镇", "100", "12345678"],
              ["2", "乙镇", "50", "张三"]])
    t = parse_table(g, "t1", "", "")
    assert t.unparsed == (Unparsed(text="12345678", page=1, box=Box(300, 20, 400, 40)),)   # a figure, quoted
    assert [r.portions for r in t.rows] == [100, 50]


def test_a_group_column():
    # 片区 merged down its rows (stated) or printed once (a merge the format cannot state): each row keeps it
    rows = [["片区", "序号", "单位", "任务数"],
            ["东片", "1", "甲镇", "10"],
            ["", "2", "乙镇", "20"],
            ["", "", "小计", "30"],
            ["西片", "3", "丙镇", "5"],
            ["", "4", "丁镇", "5"]]
    for g in (grid(rows, spans={(1, 0): (3, 1), (4, 0): (2, 1)}, merges_known=True), grid(rows)):
        t = parse_table(g, "t1", "", "")
        assert [(r.org, r.group, r.row_type) for r in t.rows] == [
            ("甲镇", "东片", "item"), ("乙镇", "东片", "item"), ("小计", "东片", "subtotal"), ("丙镇", "西片", "item"),
            ("丁镇", "西片", "item")]
        assert t.n_lists == 1 and t.unparsed == ()


def test_a_lone_word_over_a_column_still_stacks_onto_the_header():
    # a one-text row not in the first column is part of the header (a word printed over the value column)
    g = grid([["", "献血任务"], ["单位", "（人份）"], ["甲镇", "100"]])
    t = parse_table(g, "t1", "", "")
    assert t.header == ("单位", "献血任务（人份）") and rows_of(t) == [(1, "item", "甲镇", "", None, 100)]


def test_a_total_across_the_group_column_is_in_no_group():
    rows = [["片区", "序号", "单位", "任务数"],
            ["东片", "1", "甲镇", "10"],
            ["", "2", "乙镇", "20"],
            ["总计", "", "", "30"]]
    for g in (grid(rows, spans={(1, 0): (2, 1), (3, 0): (1, 3)}, merges_known=True), grid(rows)):
        t = parse_table(g, "t1", "", "")
        assert [(r.org, r.group, r.row_type) for r in t.rows] == [
            ("甲镇", "东片", "item"), ("乙镇", "东片", "item"), ("总计", "", "total")]


def test_a_total_at_the_foot_of_the_left_list_is_read_after_the_right_list():
    # the 合计 of two lists side by side printed under the left one: it totals both, so it is read after both
    g = grid([["序号", "单位", "任务数"] * 2,
              ["1", "甲镇", "10", "3", "丙镇", "30"],
              ["2", "乙镇", "20", "4", "丁镇", "40"],
              ["", "合计", "100", "", "", ""]])
    t = parse_table(g, "t1", "", "")
    assert rows_of(t) == [(1, "item", "甲镇", "", 1, 10), (2, "item", "乙镇", "", 2, 20), (3, "item", "丙镇", "", 3, 30),
                          (4, "item", "丁镇", "", 4, 40), (5, "total", "合计", "", None, 100)]


def test_a_row_of_labelled_fields_above_the_header_is_not_part_of_it():
    # [columns] field. The class of text: spreadsheets and Word annexes that print 填报单位：… and 单位：人份 on a row
    # between the title and the header; its words (单位, 人份) must not make it a header or stack onto the real one
    g = grid([["2023年度某县无偿献血任务分解表", "", "", ""],
              ["填报单位：某县卫生健康局", "", "", "单位：人份"],
              ["序号", "乡镇（单位）", "任务数", "备注"],
              ["1", "甲镇", "120", ""],
              ["2", "乙乡", "80", ""],
              ["合计", "", "200", ""]])
    t = parse_table(g, "t1", "", "")
    assert t.header == ("序号", "乡镇（单位）", "任务数", "备注")
    assert rows_of(t) == [(1, "item", "甲镇", "", 1, 120), (2, "item", "乙乡", "", 2, 80),
                          (3, "total", "合计", "", None, 200)]


def test_figures_in_u_count_one_each():
    # [units] count U. The class of text: a blood station's plan counting whole blood in U (单位)
    t = parse_table(grid([["献血点", "采血任务（U）"], ["甲献血屋", "3200"], ["乙献血点", "1800"]]), "t1", "", "")
    assert t.unit == "U" and [r.portions for r in t.rows] == [3200, 1800]


def test_a_total_printed_with_its_figure_in_one_cell_across_the_table():
    # [rows] total_in_cell. The class of text: web pages and Word tables whose last row is one merged cell
    # 合计：2,200人份 (the word, a colon, the figure and its unit) rather than a label and a figure in their columns
    g = grid([["村（社区）", "任务数（人份）", "联系人"], ["甲村", "1200", ""], ["乙村", "1000", ""],
              ["合计：2,200人份", "", ""]], spans={(3, 0): (1, 3)})
    t = parse_table(g, "t1", "", "")
    assert rows_of(t)[-1] == (3, "total", "合计", "", None, 2200)
    # the same without the colon or the unit; a name with a figure that is no total word stays an item
    for text in ("总计2200", "合计： 2200"):
        g = grid([["单位", "任务数"], ["甲村", "1200"], ["乙村", "1000"], [text, ""]], spans={(3, 0): (1, 2)})
        assert rows_of(parse_table(g, "t1", "", ""))[-1][1:] == ("total", "合计" if "合计" in text else "总计", "",
                                                                None, 2200)
    g = grid([["单位", "任务数"], ["甲村", "1200"], ["第二中学", ""]])
    assert rows_of(parse_table(g, "t1", "", ""))[-1][1:3] == ("item", "第二中学")


def test_rows_numbered_one_two_three_above_rows_numbered_1_2_3_head_their_groups():
    # [text_tables] group_seq_cell. The class of text: tables numbered at two levels, a group row (一、街道 | 1200)
    # carrying its group's sum above its units (1, 2, 3 …): the group row is a subtotal, never a unit
    g = grid([["序号", "单位", "任务数"], ["一", "街道", "700"], ["1", "甲街道", "400"], ["2", "乙街道", "300"],
              ["（二）", "乡镇", "200"], ["3", "丙镇", "200"], ["", "合计", "900"]])
    t = parse_table(g, "t1", "", "")
    assert [(r.row_type, r.org, r.seq, r.portions) for r in t.rows] == [
        ("subtotal", "街道", None, 700), ("item", "甲街道", 1, 400), ("item", "乙街道", 2, 300),
        ("subtotal", "乡镇", None, 200), ("item", "丙镇", 3, 200), ("total", "合计", None, 900)]
    # a table numbered 一、二、三 throughout has no groups: its rows stay units
    g = grid([["序号", "单位", "任务数"], ["一", "甲街道", "400"], ["二", "乙街道", "300"]])
    assert [r.row_type for r in parse_table(g, "t1", "", "").rows] == ["item", "item"]


def test_a_unit_alone_under_the_header_is_the_headers():
    # The class of text: a header over two rows with the unit alone on the second ((人份) under 任务数), the other
    # header cells merged over both rows, as spreadsheets print it
    g = grid([["序号", "单位", "任务数"], ["", "", "（人份）"], ["1", "甲镇", "120"], ["2", "乙镇", "80"]],
             spans={(0, 0): (2, 1), (0, 1): (2, 1)})
    t = parse_table(g, "t1", "", "")
    assert t.header == ("序号", "单位", "任务数（人份）")
    assert rows_of(t) == [(1, "item", "甲镇", "", 1, 120), (2, "item", "乙镇", "", 2, 80)]
    g = grid([["单位", "献血量"], ["", "毫升"], ["甲镇", "24000"]], spans={(0, 0): (2, 1)})
    t = parse_table(g, "t1", "", "")
    assert (t.unit, rows_of(t)) == ("毫升", [(1, "item", "甲镇", "", None, 120)])
