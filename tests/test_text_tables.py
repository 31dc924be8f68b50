"""Tables in real page text, whatever separates their cells (issue 12, part 2): each shape in several variants, as
short inline notices. Names and figures are invented; each test says which class of text it stands for.
"""
import pytest

from ingest import ingest_bytes

BODY = ("各村（社区）、镇属各单位：\n"
        "为做好2024年无偿献血工作，现将有关事项通知如下：\n"
        "一、各单位要高度重视，按时完成献血任务。\n")


def read(table: str, *, title="关于做好2024年度无偿献血工作的通知", body=BODY, annex="附件\n2024年度无偿献血任务分配表\n"):
    text = f"{title}\n{body}{annex}{table}"
    return ingest_bytes("notice.txt", text.encode("utf-8"), "notice")


def items(notice):
    return [(r.org + r.org_note, r.portions) for t in notice.tables for r in t.rows if r.row_type == "item"]


def seqs(notice):
    return [r.seq for t in notice.tables for r in t.rows if r.row_type == "item"]


def totals(notice):
    return [r.portions for t in notice.tables for r in t.rows if r.row_type == "total"]


def serious(notice):
    return sorted({f.code for f in notice.findings if f.severity in ("error", "warning")})


def errors(notice):
    return sorted({f.code for f in notice.findings if f.severity == "error"})


FOUR = [("青石村", 12), ("白沙村", 8), ("柳塘社区", 15), ("镇农技站", 3)]


# --------------------------------------------------------------------------------------------- pipe rows


@pytest.mark.parametrize("fmt", [
    "{a} | {b} | {c} |",          # trailing pipe only, as a web page's text gives it
    "{a} | {b} | {c}",            # no outer pipes
    "| {a} | {b} | {c}",          # leading pipe only
    "{a}｜{b}｜{c}｜",             # full-width pipes
])
def test_pipe_rows_with_or_without_outer_pipes(fmt):
    """Pipe rows as web pages copy them: the 序号 is a 序号, the name keeps no pipe, 合 计 is the total."""
    lines = [fmt.format(a="序号", b="单位", c="任务数")]
    lines += [fmt.format(a=k + 1, b=n, c=v) for k, (n, v) in enumerate(FOUR)]
    lines.append(fmt.format(a="合 计", b=38, c="").rstrip(" |｜") if fmt.startswith("{a}") else "| 合 计 | 38")
    n = read("\n".join(lines) + "\n")
    assert items(n) == FOUR
    assert seqs(n) == [1, 2, 3, 4]
    assert totals(n) == [38]
    assert serious(n) == []


def test_pipe_rows_with_notes_and_merged_blanks():
    """A row's later cells left blank under a merged time/place cell (`||`): notes, not figures or names."""
    n = read("献血单位 | 任务数(人) | 献血时间 | 献血地点 |\n"
             "青石村 | 17 | 2024年12月6日 | 镇卫生院 |\n"
             "白沙村 | 14 | ||\n"
             "柳塘社区 | 9 | ||\n")
    assert items(n) == [("青石村", 17), ("白沙村", 14), ("柳塘社区", 9)]
    assert n.tables[0].rows[0].note == "2024年12月6日；镇卫生院"
    assert errors(n) == []


def test_pipe_rows_without_a_seq_header_keep_the_seq_out_of_the_figures():
    """Rows that start with a 序号 the header does not name: the integers before the names count up from 1."""
    rows = "\n".join(f"{k + 1} | {name} | {v} |" for k, (name, v) in enumerate(FOUR))
    n = read("单位 | 任务数 |\n" + rows + "\n")
    assert items(n) == FOUR
    assert seqs(n) == [1, 2, 3, 4]
    assert serious(n) == []


# --------------------------------------------------------------------------------------------- one cell per line


def _cells_per_line(cells, end="", blank=False):
    sep = "\n\n" if blank else "\n"
    return sep.join(f"{c}{end}" for c in cells) + "\n"


TWO_LISTS = [("青石村", 20), ("镇卫生院", 15), ("白沙村", 20), ("派出所", 3), ("柳塘社区", 5), ("司法所", 2),
             ("东岗村", 4)]


@pytest.mark.parametrize("end", [" |", ""])
@pytest.mark.parametrize("blank", [False, True])
def test_two_lists_one_cell_per_line(end, blank):
    """Two side-by-side lists copied one cell per line (with pipes after each cell, or blank lines between)."""
    cells = ["单 位", "任务数(人)", "单 位", "任务数(人)"] + [x for row in TWO_LISTS for x in (row[0], row[1])]
    n = read(_cells_per_line(cells, end, blank))
    assert sorted(items(n)) == sorted(TWO_LISTS)
    assert n.tables[0].n_lists == 2
    left = [name for name, _ in TWO_LISTS[0::2]]
    assert [r.org for r in n.tables[0].rows][:len(left)] == left        # the left list first, then the right
    assert serious(n) == []


def test_one_cell_per_line_with_a_name_over_two_lines_and_a_cut_off_end():
    """A name printed over two cells (单位 / （含驻地企业）) is one name; a last name without its figure, where
    the text ends, is not a row; nothing is summed against a total that is not there."""
    cells = ["单 位", "献血任务数", "单 位", "献血任务数", "镇机关", "（含驻地企业）", "20", "卫生院", "15", "青石村",
             "20", "派出所", "3", "长"]
    n = read(_cells_per_line(cells, blank=True))
    assert items(n) == [("镇机关（含驻地企业）", 20), ("青石村", 20), ("卫生院", 15), ("派出所", 3)]
    assert n.tables[0].rows[0].org == "镇机关" and n.tables[0].rows[0].org_note == "（含驻地企业）"
    assert totals(n) == []
    assert "total-mismatch" not in serious(n)


def test_one_cell_per_line_with_seq_three_lists():
    """Three lists of 序号 | 单位 | 任务数, one cell per line: the 序号 order puts each row in its list."""
    header = ["序号", "单位", "任务数"] * 3
    rows = [(1, "青石村", 5), (4, "白沙村", 6), (7, "东岗村", 7), (2, "柳塘社区", 8), (5, "南坡村", 9), (8, "北坡村", 10),
            (3, "镇农技站", 11), (6, "镇中学", 12)]
    n = read(_cells_per_line(header + [x for r in rows for x in r]))
    assert n.tables[0].n_lists == 3
    assert seqs(n) == list(range(1, 9))
    assert serious(n) == []


# --------------------------------------------------------------------------------------------- side by side


@pytest.mark.parametrize("sep", [" ", "  ", "\t", " | "])
def test_two_lists_in_rows_the_last_row_with_an_empty_right_half(sep):
    """Two lists in one printed row each line, the right list one row shorter."""
    lines = [sep.join(["序号", "单位", "任务数"] * 2),
             sep.join(["1", "青石村", "12", "4", "镇中学", "6"]),
             sep.join(["2", "白沙村", "8", "5", "镇卫生院", "9"]),
             sep.join(["3", "柳塘社区", "15"])]
    n = read("\n".join(lines) + "\n")
    assert seqs(n) == [1, 2, 3, 4, 5]
    assert items(n)[3:] == [("镇中学", 6), ("镇卫生院", 9)]
    assert serious(n) == []


def test_two_lists_in_rows_the_last_row_with_an_empty_left_half():
    """The left list shorter: its empty half left as blank cells between pipes, the right list keeps its row."""
    n = read("| 序号 | 单位 | 任务数 | 序号 | 单位 | 任务数 |\n"
             "| 1 | 青石村 | 12 | 3 | 镇中学 | 6 |\n"
             "| 2 | 白沙村 | 8 | 4 | 镇卫生院 | 9 |\n"
             "| | | | 5 | 柳塘社区 | 15 |\n")
    assert seqs(n) == [1, 2, 3, 4, 5]
    assert items(n)[-1] == ("柳塘社区", 15)
    assert serious(n) == []


# --------------------------------------------------------------------------------------------- box drawing


BOX = """┌──────────┬──────────┬──────────┐
│ 单 位 │ 任务数(人份) │ 备注 │
├────┬─────┼──────────┼──────────┤
│ 东 │ 青石村 │ 120 │ 上午 │
│ ├─────┼──────────┼──────────┤
│ │ 白沙村 │ 80 │ 下午 │
│ 片 ├─────┼──────────┼──────────┤
│ │ 柳塘社区 │ 60 │ │
├────┼─────┼──────────┼──────────┤
│ 西 │ 南坡村 │ 90 │ │
│ 片 ├─────┼──────────┼──────────┤
│ │ 北坡村 │ 70 │ │
└────┴─────┴──────────┴──────────┘
"""


def test_box_drawing_with_a_merged_group_column():
    """A box-drawing table whose first column is a group merged down over its units, its label printed in pieces
    through the rulings (东 … 片), under a header cell spanning the group and name columns."""
    n = read(BOX)
    rows = n.tables[0].rows
    assert [(r.group, r.org, r.portions) for r in rows] == [
        ("东片", "青石村", 120), ("东片", "白沙村", 80), ("东片", "柳塘社区", 60), ("西片", "南坡村", 90),
        ("西片", "北坡村", 70)]
    assert errors(n) == []


def test_box_drawing_cut_off_at_the_end_of_the_text():
    """The same table cut off inside its last ruling: the rows printed are kept, no total is invented."""
    n = read("\n".join(BOX.splitlines()[:8]) + "\n│ ")
    assert items(n) == [("青石村", 120), ("白沙村", 80), ("柳塘社区", 60)]
    assert totals(n) == [] and errors(n) == []


# --------------------------------------------------------------------------------------------- a sentence


@pytest.mark.parametrize("sentence, expected", [
    ("各科室名额分配为：综合科2人；财务科2人、后勤科4人、保卫科1人。",
     [("综合科", 2), ("财务科", 2), ("后勤科", 4), ("保卫科", 1)]),
    ("各单位任务如下：青石村20人份，白沙村15人份，柳塘社区8人份，镇中学6人份。",
     [("青石村", 20), ("白沙村", 15), ("柳塘社区", 8), ("镇中学", 6)]),
    ("名额分配:一科3名;二科2名;三科1名。", [("一科", 3), ("二科", 2), ("三科", 1)]),
])
def test_an_allocation_written_as_one_sentence(sentence, expected):
    """An allocation in one sentence after a colon, separators mixed: every item a row, no total invented."""
    n = read("", body=BODY + "二、" + sentence + "请按时报名。\n", annex="")
    assert items(n) == expected
    assert totals(n) == []
    assert errors(n) == []


def test_a_sentence_list_with_its_total():
    n = read("", body=BODY + "二、名额分配：综合科2人、财务科3人、后勤科4人，合计9人。\n", annex="")
    assert items(n) == [("综合科", 2), ("财务科", 3), ("后勤科", 4)]
    assert totals(n) == [9]
    assert errors(n) == []


@pytest.mark.parametrize("sentence", [
    "全年目标为1000人份，其中：街道600人份、镇300人份、企事业单位100人份。",     # the headline's split
    "报名要求：年龄18周岁以上、体重50公斤以上、身体健康。",                          # a colon, but no allocation
    "名额分配：综合科2人、财务科3人，其余科室自愿报名。",                             # the list does not fill the sentence
])
def test_sentences_that_are_not_allocation_lists(sentence):
    n = read("", body=BODY + "二、" + sentence + "\n", annex="")
    assert n.tables == ()


# --------------------------------------------------------------------------------------------- a list of lines
# [text_tables] line_item and line_list_heading_chars (ingest/linelists.py). The class of text: notices that write
# the allocation as a list of short paragraphs, one unit each, after a line announcing it (…分配如下：) or a short
# heading, numbered or not, with a colon or words (完成无偿献血) between the name and the figure.


@pytest.mark.parametrize("lines, expected, seqs_", [
    (["1.县教育局 120人份", "2.县人民医院（含分院） 150人份", "3.工业园区企业 90人份"],
     [("县教育局", 120), ("县人民医院（含分院）", 150), ("工业园区企业", 90)], [1, 2, 3]),
    (["教育科学学院：48人", "文学院：42人", "外国语学院:40人"], [("教育科学学院", 48), ("文学院", 42), ("外国语学院", 40)],
     [None, None, None]),
    (["1．甲社区完成无偿献血40人份；", "2．乙村完成无偿献血36人份；", "3．镇直机关及事业单位完成无偿献血50人份。"],
     [("甲社区", 40), ("乙村", 36), ("镇直机关及事业单位", 50)], [1, 2, 3]),
    (["（一）城关街道 320人次", "（二）河西镇 210人次", "（三）县直单位 150人次"],
     [("城关街道", 320), ("河西镇", 210), ("县直单位", 150)], [1, 2, 3]),
])
def test_an_allocation_written_as_a_list_of_lines(lines, expected, seqs_):
    body = BODY + "二、全镇献血任务为" + str(sum(v for _, v in expected)) + "人份，具体分配如下：\n" + "\n".join(lines) + "\n"
    n = read("", body=body + "三、请各单位按时完成。\n", annex="")
    assert items(n) == expected and seqs(n) == seqs_ and totals(n) == []
    assert errors(n) == [] and "headline-ambiguous" not in serious(n)


def test_a_list_of_lines_with_its_total_and_a_numbering_error():
    body = BODY + "二、任务分配\n1.甲镇 120人份\n2.乙镇 80人份\n4.丙乡 50人份\n合计 250人份\n三、请各单位按时完成。\n"
    n = read("", body=body, annex="")
    assert items(n) == [("甲镇", 120), ("乙镇", 80), ("丙乡", 50)] and totals(n) == [250]
    assert errors(n) == ["seq-gap"]


@pytest.mark.parametrize("body", [
    # not announced: numbered requirements that happen to end in a figure
    "二、工作要求\n各单位要高度重视，认真组织。\n1.各村要确保完成10人\n2.各单位要确保完成5人\n3.学校要确保完成8人\n",
    # fewer items than a list needs
    "二、分配如下：\n1.甲镇 120人份\n2.乙镇 80人份\n三、请按时完成。\n",
    # lines that go on after the figure are sentences, not items
    "二、分配如下：\n1.甲镇 120人份，由镇卫生院负责组织\n2.乙镇 80人份，由镇政府负责\n3.丙乡 50人份，由乡政府负责\n",
])
def test_lines_that_are_not_an_allocation_list(body):
    assert read("", body=BODY + body, annex="").tables == ()


# --------------------------------------------------------------------------------------------- cut off, characters


def test_a_table_cut_off_at_the_end_of_the_text_gives_no_total_and_no_mismatch():
    """A page text that stops inside the table: the rows before keep, the broken last line is not a row, and the
    headline (larger than the rows present) is no error."""
    body = BODY + "二、全镇献血任务为200人。\n"
    n = read("单位 | 任务数(人) |\n青石村 | 17 |\n白沙村 | 14 |\n柳塘", body=body)
    assert items(n) == [("青石村", 17), ("白沙村", 14)]
    assert totals(n) == []
    assert errors(n) == []


def test_traditional_characters_with_pinyin_debris():
    """Traditional characters with the readings a web page leaves after some of them: the name as printed, a
    normalised name for matching, and the reading never taken for a note."""
    n = read("獻血單位 | 任務(wù)數(shù)(人) |\n青石社區(qū) | 17 |\n白沙鎮(zhèn)中學 | 9 |\n",
             title="關於做好2024年無償獻血工作的通知")
    rows = n.tables[0].rows
    assert [(r.org, r.org_note, r.org_normalized, r.portions) for r in rows] == [
        ("青石社區（qū）", "", "青石社区", 17), ("白沙鎮（zhèn）中學", "", "白沙镇中学", 9)]
    assert n.tables[0].unit == "人"


@pytest.mark.parametrize("sep", [" ", "    "])
def test_two_lists_in_rows_split_at_spaces_the_last_rows_with_an_empty_left_half(sep):
    """Without separators to keep its place, a row holding only the right list's record goes to the list whose
    numbering its 序号 continues."""
    lines = [sep.join(["序号", "单位", "任务数"] * 2),
             sep.join(["1", "青石村", "12", "3", "镇中学", "6"]),
             sep.join(["2", "白沙村", "8", "4", "镇卫生院", "9"]),
             sep.join(["5", "柳塘社区", "15"])]
    n = read("\n".join(lines) + "\n")
    assert seqs(n) == [1, 2, 3, 4, 5]
    assert items(n)[-1] == ("柳塘社区", 15)
    assert serious(n) == []


@pytest.mark.parametrize("mark", ["{}.", "{}、", "({})"])
@pytest.mark.parametrize("header", ["序号 单位 任务数", "单位 任务数"])
def test_a_seq_printed_with_a_mark_is_a_seq(mark, header):
    """序号 printed 1. / 1、 / (1), under a header that names the column or not: a 序号, never part of a name."""
    rows = "\n".join(f"{mark.format(k + 1)} {name} {v}" for k, (name, v) in enumerate(FOUR))
    n = read(f"{header}\n{rows}\n")
    assert items(n) == FOUR
    assert seqs(n) == [1, 2, 3, 4]
    assert serious(n) == []


@pytest.mark.parametrize("header", ["村名 | 名额 |", "科室 | 任务(人) |", "社区 | 献血人数 |"])
def test_more_header_words(header):
    """Header words real tables use: 村名, 科室, 社区 for the names; 名额, 任务, 人数 for the figures."""
    n = read(header + "\n" + "\n".join(f"{name} | {v} |" for name, v in FOUR) + "\n全镇合计 | 38 |\n")
    assert items(n) == FOUR and totals(n) == [38]


def test_a_labelled_field_above_the_table_is_not_its_title():
    # The class of text: 单位：人份 (or 填报单位：…) printed between a table's title and the table
    n = read("序号\t单位\t任务数\n1\t甲镇\t120\n2\t乙镇\t80\n\t合计\t200\n",
             annex="附件\n2024年度无偿献血任务分配表\n单位：人份\n")
    assert [t.title for t in n.tables] == ["2024年度无偿献血任务分配表"] and items(n) == [("甲镇", 120), ("乙镇", 80)]


@pytest.mark.parametrize("header", ["镇（街道）    常住人口（人）    任务数（人份）", "村（社区）    户籍人口（人）    任务数（人份）"])
def test_a_name_header_with_its_alternative_in_brackets_and_a_population_column(header):
    # The class of text: tables aligned with spaces (or an unruled PDF) whose name column is headed by a place word
    # and its alternative in brackets (镇（街道）, 村（社区）) beside a population column: the brackets do not hide the
    # name column, the population is a note, and the target column keeps its own unit (not the 人 of 人口)
    n = read(f"{header}\n合计    250000    2480\n甲镇    152130    1520\n乙街道    97870    960\n")
    assert items(n) == [("甲镇", 1520), ("乙街道", 960)] and totals(n) == [2480]
    [t] = n.tables
    assert t.unit == "人份" and t.header[1:] == (header.split()[1].split("（")[0], "任务数（人份）")
    assert serious(n) == []


def test_an_annex_label_with_a_colon_is_still_the_title():
    n = read("序号\t单位\t任务数\n1\t甲镇\t120\n2\t乙镇\t80\n", annex="附表：2024年度无偿献血任务分配表\n单位：人份\n")
    assert [t.title for t in n.tables] == ["附表：2024年度无偿献血任务分配表"]


def test_a_text_header_word_written_with_its_brackets():
    # [header] name 县（区）: a word that holds brackets is kept whole in a text header (the unit brackets are not)
    n = read("县（区）    任务数（人份）\n甲区    1,200\n乙县    800\n合计    2,000\n")
    assert items(n) == [("甲区", 1200), ("乙县", 800)] and totals(n) == [2000]
    assert n.tables[0].header == ("县（区）", "任务数（人份）")


@pytest.mark.parametrize("lines", [["一、甲镇：120人份", "二、乙镇：80人份", "三、丙乡：50人份"],
                                   ["1.甲镇 120人份", "2.乙镇 80人份", "3.丙乡 50人份"]])
def test_a_list_of_lines_under_an_annex_and_its_title(lines):
    """The class of text: an annex printed as lines, its heading (附件) then its title (各乡镇任务) and no colon, then
    one unit a line (一、甲镇：120人份). The short title under the announcing heading announces the list in its place."""
    n = read("\n".join(lines) + "\n", annex="附件\n各乡镇任务\n")
    assert items(n) == [("甲镇", 120), ("乙镇", 80), ("丙乡", 50)]
    assert errors(n) == []


def test_a_sentence_under_an_annex_heading_does_not_announce_a_list():
    n = read("1.甲镇 120人份\n2.乙镇 80人份\n3.丙乡 50人份\n", annex="附件\n各乡镇要按时完成。\n")
    assert items(n) == []


def test_a_name_printed_with_its_number_in_a_table_without_a_seq_column():
    """The class of text: rows whose number is printed in the name's cell (1.甲镇 | 120, （2）乙镇 | 80) under a
    header with no 序号 column: the number is the row's 序号, never part of the unit's name; a name that is a
    number's continuation (3.15社区 has a digit after the point) is left whole."""
    from ingest.tables import parse_table
    from inline_records import grid
    g = grid([["单位", "任务数（人份）"], ["1.甲镇", "120"], ["（2）乙镇", "80"], ["3、丙乡", "50"], ["3.15社区", "5"]])
    t = parse_table(g, "t1", "", "")
    assert [(r.org, r.seq, r.portions) for r in t.rows] == [("甲镇", 1, 120), ("乙镇", 2, 80), ("丙乡", 3, 50),
                                                           ("3.15社区", None, 5)]


def test_a_list_of_sentences_saying_what_each_unit_is_to_do_over_the_year():
    """The class of text: one sentence a line, a unit and what it is to do (甲镇全年完成无偿献血120人份。乙镇要完成…):
    the words between the name and the figure (全年, 要, 力争 …; [text_tables] line_item) are not part of the name."""
    lines = ["甲镇全年完成无偿献血120人份。", "乙镇要完成无偿献血80人份。", "丙乡力争完成献血50人份。"]
    body = BODY + "二、全县献血任务为250人份，任务分配如下：\n" + "\n".join(lines) + "\n"
    n = read("", body=body + "三、请各单位按时完成。\n", annex="")
    assert items(n) == [("甲镇", 120), ("乙镇", 80), ("丙乡", 50)]
    assert errors(n) == []


def test_an_allocation_written_as_one_sentence_per_unit_in_one_paragraph():
    """The class of text: after the headline, a colon and one sentence per unit in the same paragraph (具体任务为：甲镇
    全年完成无偿献血120人份。乙镇全年完成无偿献血80人份。…). The sentences are the allocation's items, and none of
    their figures is another headline (the notice's total is the one stated before the list)."""
    body = BODY + ("二、全县献血任务为250人份。具体任务为：甲镇全年完成无偿献血120人份。乙镇全年完成无偿献血80人份。"
                   "丙乡全年完成无偿献血50人份。请各单位按时完成。\n")
    n = read("", body=body, annex="")
    assert items(n) == [("甲镇", 120), ("乙镇", 80), ("丙乡", 50)]
    assert n.facts.total_target == 250
    assert errors(n) == [] and "headline-ambiguous" not in serious(n)
