"""Each rule of rules.toml [notice] and [clean] that reads a notice's facts, tried alone on short invented texts:
several variants of the class of text it serves, and the texts it must leave alone (a cited 文号, a collection
day, a publication stamp, the year of a cited document, a figure per unit).

Places, 文号 and figures here are invented; none is a real notice's.
"""
import datetime

import pytest

from ingest import ingest_bytes
from ingest.checks import run_checks
from ingest.clean import fix_docno, fix_docno_line, web_furniture, web_panel
from ingest.dates import collection_days, first_date, read_dates
from ingest.headline import read_headline
from ingest.notice import read_notice
from ingest.planyear import day_claims, resolve, year_claims
from ingest.records import Notice, Paragraph, WebFurniture
from ingest.rules import PATH, RulesError, load, rules, simplified
from parsers.model import Cell, Table


def paras(*texts):
    return [Paragraph(text=t, page=None, box=None, lines=(), source_index=i) for i, t in enumerate(texts)]


def facts(*texts, web=()):
    return read_notice(paras(*texts), [WebFurniture(text=w) for w in web])


def ingest_text(text: str):
    n = ingest_bytes("notice.txt", text.encode("utf-8"), "n")
    assert n.error == ""
    return n


def findings(*texts, web=(), code=None):
    f = facts(*texts, web=web)
    found = run_checks(Notice(notice_id="n", source_file="n.txt", source_sha256="", facts=f))
    return [x for x in found if code is None or x.code == code]


BODY = "各有关单位："


# ------------------------------------------------------------------------------ web furniture in page text

@pytest.mark.parametrize("line", [
    "【打印本页】【关闭窗口】", "字号：大 中 小", "我要纠错 关闭窗口", "返回上一级", "[ 打印 ] [ 关闭 ]", "朗读",
    "扫一扫在手机上查看当前页面", "主动公开", "首页",
])
def test_tool_bar_lines_are_web_furniture(line):
    assert web_furniture(line)


@pytest.mark.parametrize("line", [
    "索 引 号: 000123456/2022-00012 主题分类: 其他 发布机构: 柳溪镇人民政府",
    "- 发布机构:柳溪镇", "- 生成日期:2022-03-01", "发布日期:2022-03-01 09:30 来源:柳溪镇人民政府",
    "时间:2022-03-01 09:30 浏览量:", "上一篇：柳溪镇召开春耕会议", "投稿人:佚名 发布时间:2018/4/2",
    "本文共800字,仅供站内会员学习参考",
])
def test_metadata_and_stamp_lines_are_web_furniture(line):
    assert web_furniture(line)


@pytest.mark.parametrize("line", ["QA1234500-2022-003", "000123456/2022-00012", "00712345X/2020-1234567",
                                  "首页 > 政务公开 > 通知公告", "> 专题专栏 > 2022年 > 第3期"])
def test_index_codes_and_breadcrumbs_are_web_furniture(line):
    assert web_furniture(line)


@pytest.mark.parametrize("line", [
    "无", "大", "中",                                   # a cell of a table printed one cell per line
    "时间:2022-03-18 8:00-11:30",                       # a collection time, not a stamp
    "时间:2022年3月18日(星期五)上午8:00-11:30", "一、献血时间:2022年3月18日", "2022.03.01",
    "0571-8765-4321",                                    # a telephone number
    "请各单位打印报名表后关闭系统。", "关于做好2022年无偿献血工作的通知",
])
def test_notice_lines_are_not_web_furniture(line):
    assert not web_furniture(line)


def test_a_metadata_panel_table_is_furniture_and_a_target_table_is_not():
    def table(rows):
        return Table(rows=[[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)])
    panel = table([["索引号", "000123456/2023-00042", "主题分类", "政务公开"], ["发布日期", "2023-06-01 09:00", "", ""]])
    assert web_panel(panel) == ["索引号 | 000123456/2023-00042 | 主题分类 | 政务公开", "发布日期 | 2023-06-01 09:00"]
    assert web_panel(table([["单位", "任务数"], ["城关镇", "120"]])) is None


def test_web_furniture_leaves_the_text_and_its_stamp_and_docno_stay_known():
    n = ingest_text("字号：大 中 小\n- 索引号:000123456/2022-00012\n- 生成日期:2022-03-01\n文号：柳府发〔2022〕7号\n"
                    "关于做好2022年无偿献血工作的通知\n各村（居）委会：\n现将有关事项通知如下。\n【打印本页】【关闭窗口】\n")
    texts = [p.text for p in n.paragraphs]
    assert not any("索引号" in t or "打印" in t or "字号" in t for t in texts)
    assert (n.facts.published_on, n.facts.doc_number) == ("2022-03-01", "柳府发〔2022〕7号")
    assert n.repairs["web-furniture"] == 4     # the 文号 line stays: it is the notice's own


# ------------------------------------------------------------------------------ 文号 in damaged forms

@pytest.mark.parametrize("text, repaired", [
    ("柳府(2008)5号", "柳府〔2008〕5号"), ("柳府（2008）5号", "柳府〔2008〕5号"),
    ("柳政发【2021】12号", "柳政发〔2021〕12号"), ("柳政发[2021]12号", "柳政发〔2021〕12号"),
    ("柳政发 〔 2021 〕 12 号", "柳政发〔2021〕12号"), ("柳政发﹝2021﹞12号", "柳政发〔2021〕12号"),
    ("根据柳政发2019﹞88号精神", "根据柳政发〔2019〕88号精神"),       # opening bracket lost, inside a sentence
    ("根据柳政发〔2019 88号精神", "根据柳政发〔2019〕88号精神"),       # closing bracket lost
    ("岚衛健【2025】6號", "岚衛健〔2025〕6號"),                      # traditional 號 kept
    ("柳政办发[2021]第12号", "柳政办发〔2021〕第12号"),                # a 第 before the number, kept
])
def test_damaged_brackets_of_a_docno_are_repaired(text, repaired):
    assert fix_docno(text)[0] == repaired


@pytest.mark.parametrize("text", ["柳政发[2021]12", "柳政发【2021】第12", "根据柳政发2019﹞88"])
def test_docno_marks_a_docno_in_a_sentence_ends_with_one(text):
    """[clean] docno_marks: the damaged forms inside a sentence end with 号 or 號; without one (a bracketed year
    and a figure in a table cell) nothing is rewritten, and every mark the patterns end with is listed."""
    from ingest.rules import rules
    assert fix_docno(text) == (text, 0)
    assert fix_docno(text + rules().clean.docno_marks[-1])[1] == 1
    for mark in rules().clean.docno_marks:
        assert rules().clean.docno_damaged.search(f"柳政发[2021]12{mark}")


@pytest.mark.parametrize("text, repaired", [
    ("柳政发202312号", "柳政发〔2023〕12号"), ("柳政发2019﹞88", "柳政发〔2019〕88号"), ("桐府办〔2020 3号", "桐府办〔2020〕3号"),
    ("（柳府办202107号）", "（柳府办〔2021〕07号）"), ("文号：柳政发20231号", "文号：柳政发〔2023〕1号"),
])
def test_a_line_that_is_only_a_docno_gets_its_lost_brackets_back(text, repaired):
    assert fix_docno_line(text)[0] == repaired


@pytest.mark.parametrize("text", ["柳溪镇2023", "献血任务2023年", "2023年12月", "柳溪镇202312", "电话 202312"])
def test_a_line_without_bracket_or_hao_is_not_taken_for_a_docno(text):
    assert fix_docno_line(text) == (text, 0)


def test_own_docno_stands_alone_near_the_top_a_cited_one_never_counts():
    assert facts("柳府发〔2022〕7号", "关于做好2022年无偿献血工作的通知", BODY).doc_number == "柳府发〔2022〕7号"
    assert facts("关于做好2022年无偿献血工作的通知", "（桐府办〔2021〕3号）", BODY).doc_number == "桐府办〔2021〕3号"
    cited = facts("关于做好2022年无偿献血工作的通知", BODY,
                  "根据《桐县人民政府关于做好2022年无偿献血工作的通知》（桐政发〔2022〕4号）精神，现通知如下：")
    assert cited.doc_number == ""
    # [notice] own_docno: a 第 before the number; the 签发人 printed on the 文号's line
    assert facts("柳政办发〔2022〕第7号", "关于做好2022年无偿献血工作的通知", BODY).doc_number == "柳政办发〔2022〕第7号"
    assert facts("柳卫发〔2022〕7号　　签发人：王明", "关于做好2022年无偿献血工作的通知", BODY).doc_number == "柳卫发〔2022〕7号"
    # a cited one standing alone further down the body is not the notice's either
    assert facts(*(["关于做好2022年无偿献血工作的通知", BODY] + ["一段正文。"] * 12 + ["桐政发〔2022〕4号"])).doc_number == ""


def test_own_docno_from_the_pages_metadata_field_and_none_when_it_says_none():
    assert facts("关于做好2022年无偿献血工作的通知", BODY, web=["文 号:柳府发〔2022〕7号 效力状态:有效"]).doc_number \
        == "柳府发〔2022〕7号"
    assert facts("关于做好2022年无偿献血工作的通知", BODY, web=["发文单位 | 柳溪镇 | 发文字号 | 无"]).doc_number == ""
    # [notice] meta_docno: a panel whose labels keep their colon in a cell of their own (文号： | 柳府发…)
    assert facts("关于做好2022年无偿献血工作的通知", BODY, web=["文号： | 柳府发〔2022〕7号 | 成文日期： | 2022-03-01"]) \
        .doc_number == "柳府发〔2022〕7号"


def test_lost_brackets_on_the_docno_line_through_the_pipeline():
    n = ingest_text("桐政发202203号\n关于做好2022年无偿献血工作的通知\n各镇人民政府：\n现将有关事项通知如下。\n")
    assert n.facts.doc_number == "桐政发〔2022〕03号"


# ------------------------------------------------------------------------------ titles

@pytest.mark.parametrize("line, title", [
    ("关于参加2023年度献血的通知", "关于参加2023年度献血的通知"),                                 # no 无偿
    ("关于印发《桐县2023年无偿献血工作实施方案》的通知", "关于印发《桐县2023年无偿献血工作实施方案》的通知"),
    ("关于下达2023年无偿献血计划的通知", "关于下达2023年无偿献血计划的通知"),
    ("关于2023年无偿献血工作安排的意见", "关于2023年无偿献血工作安排的意见"),
    ("桐县人民政府办公室关于做好2023年无偿献血工作的通知", "关于做好2023年无偿献血工作的通知"),  # issuer before it
    ("柳溪镇2023年无偿献血工作实施方案", "柳溪镇2023年无偿献血工作实施方案"),                     # no 关于
    ("柳溪街道2023年无偿献血工作实施意见 2023-03-02", "柳溪街道2023年无偿献血工作实施意见"),         # page stamp after
    ("无偿献血指导性计划通知", "无偿献血指导性计划通知"),
    ("關於做好2023年無償獻血工作的通知", "關於做好2023年無償獻血工作的通知"),                       # traditional
    ("柳溪区2023年无偿献血工作要点", "柳溪区2023年无偿献血工作要点"),                               # 要点
    ("关于下达2023年度献血任务的函", "关于下达2023年度献血任务的函"),                                 # 函
])
def test_titles_in_their_forms(line, title):
    assert facts(line, BODY).title == title


def test_a_title_broken_over_lines_and_spaced_is_read_whole_with_its_issuer():
    n = ingest_text("柳府办发〔2023〕4号\n柳溪镇人民政府办公室\n关于开展2023年预约无偿献血工作的\n通 知\n各村（社区）：\n"
                    "现将有关事项通知如下。\n")
    f = n.facts
    assert (f.title, f.issuer, f.year, f.region) == ("关于开展2023年预约无偿献血工作的通知", "柳溪镇人民政府办公室", 2023,
                                                      "柳溪镇")


def test_title_stamp_is_a_publication_date_not_the_signing_date():
    f = facts("柳溪街道2023年无偿献血工作实施意见 2023-03-02", BODY)
    assert (f.published_on, f.signed_on) == ("2023-03-02", "")


@pytest.mark.parametrize("texts", [
    ("三、献血时间安排", BODY),                                    # a heading is not a title
    (BODY, "根据《关于做好2023年无偿献血工作的通知》（桐政发〔2023〕1号）要求，现通知如下。"),   # a cited title
    ("2023年柳溪镇无偿献血任务分配表", BODY),                       # a table's title
])
def test_what_is_not_a_title(texts):
    assert facts(*texts).title == ""


# ------------------------------------------------------------------------------ region

@pytest.mark.parametrize("texts, region", [
    (("关于做好2023年青桐县无偿献血工作的意见", BODY), "青桐县"),
    (("关于做好柳溪镇2023年度无偿献血工作的通知", BODY), "柳溪镇"),
    (("关于做好我市2023年无偿献血工作的通知", BODY, "正文。", "桐州市柳溪区人民政府", "2023年3月1日"), "柳溪区"),
    (("关于组织无偿献血的通知", BODY, "正文。", "桐县柳溪镇人民政府", "2023年3月1日"), "柳溪镇"),
    (("关于组织无偿献血的通知", BODY, "正文。", "桐县城市管理局", "2023年3月1日"), ""),   # not a government
])
def test_region_from_the_title_else_from_the_governments_name(texts, region):
    assert facts(*texts).region == region


# ------------------------------------------------------------------------------ dates

@pytest.mark.parametrize("text, day", [
    ("2025.04.18", "2025-04-18"), ("2021年05月12日", "2021-05-12"), ("二〇二〇年三月九日", "2020-03-09"),
    ("二○○七年十二月九日", "2007-12-09"), ("20211013日(星期三)", "2021-10-13"), ("2024-4-8", "2024-04-08"),
    ("2024/4/8", "2024-04-08"), ("2024 年 8月 12 日", "2024-08-12"), ("二〇二三年十二月三十一日", "2023-12-31"),
    # [parts] cn_year as typed (a digit 0 or a letter O for 〇), [notice] dates with 号 for 日
    ("二0二四年三月五日", "2024-03-05"), ("二O二三年十二月一日", "2023-12-01"), ("2024年3月5号", "2024-03-05"),
])
def test_dates_in_every_printed_form(text, day):
    d, _ = first_date(simplified(text))
    assert d.isoformat() == day


@pytest.mark.parametrize("text", ["18-60周岁", "2023年2月30日", "000123456/2022-00012", "219日", "20231345"])
def test_what_is_not_a_date(text):
    assert first_date(text)[0] is None


def test_the_signing_date_is_the_date_standing_alone_under_the_body():
    f = facts("关于做好2023年无偿献血工作的通知", BODY, "一、献血时间：2023年3月18日", "请按时参加。", "柳溪镇人民政府",
              "2023年3月2日")
    assert (f.signed_on, f.issuer) == ("2023-03-02", "柳溪镇人民政府")
    # the issuer on the date's own line
    assert facts(BODY, "正文。", "柳溪镇人民政府 2023年3月2日").signed_on == "2023-03-02"


def test_a_collection_day_is_never_the_signing_date():
    for day_line in ("一、献血时间：2023年3月18日", "献血日期:2023.03.18", "时间：2023年3月18日(星期六)上午8:00"):
        assert facts("关于做好2023年无偿献血工作的通知", BODY, day_line, "请按时参加。").signed_on == ""


def test_a_date_above_the_body_is_a_publication_stamp_not_the_signing_date():
    f = facts("关于做好2023年无偿献血工作的通知", "柳府〔2023〕4号", "2023.03.10", "现将有关事项通知如下。")
    assert (f.signed_on, f.published_on) == ("", "2023-03-10")


def test_publication_stamps_of_the_page_furniture_and_a_signed_field():
    f = facts("关于做好2023年无偿献血工作的通知", BODY, web=["发布日期：2023-03-10 09:00 来源：柳溪镇"])
    assert (f.signed_on, f.published_on) == ("", "2023-03-10")
    f = facts("关于做好2023年无偿献血工作的通知", BODY, web=["成文日期：2023年03月02日", "发布日期：2023年03月10日"])
    assert (f.signed_on, f.published_on) == ("2023-03-02", "2023-03-10")
    # [notice] stamp and signed_field: labels with their colon in a cell of their own, the value in the next
    f = facts("关于做好2023年无偿献血工作的通知", BODY, web=["成文日期： | 2023-03-02 | 发布日期： | 2023-03-10"])
    assert (f.signed_on, f.published_on) == ("2023-03-02", "2023-03-10")


def test_the_printing_date_is_kept_apart_from_the_signing_date():
    f = facts(BODY, "正文。", "桐县卫生健康委员会", "2023年3月2日", "桐县卫生健康委员会办公室 2023年3月6日印发")
    assert (f.signed_on, f.issued_on) == ("2023-03-02", "2023-03-06")


def test_collection_days_with_and_without_year_and_weekday():
    keys = [simplified(t) for t in ("一、献血时间：2023年3月18日(星期六)", "定于5月20日（周六）在镇政府献血。",
                                    "请于5月12日前报送名单。", "5月20日上午在镇卫生院集中献血。")]
    days = collection_days(keys, paras(*keys))
    assert [(d.year, d.month, d.day, d.weekday, d.dated) for d in days] == [
        (2023, 3, 18, 5, True), (None, 5, 20, 5, True), (None, 5, 12, None, False), (None, 5, 20, None, True)]


@pytest.mark.parametrize("text, weekday", [("（星期天）", 6), ("(周日)", 6), ("（礼拜一）", 0), ("（ 星期三 ）", 2), ("", None),
                                           ("（本周五）", None)])
def test_weekday_printed_after_a_date(text, weekday):
    from ingest.dates import weekday_after
    key = simplified("定于5月21日" + text + "献血。")
    assert weekday_after(key, key.index("日") + 1) == weekday


def test_a_clock_time_does_not_end_a_collection_days_clause():
    key = simplified("请于2023年3月18日上午8:00到镇卫生院参加无偿献血。")
    assert [d.dated for d in collection_days([key], paras(key))] == [True]


# ------------------------------------------------------------------------------ the plan year

def test_year_from_the_title_first():
    assert facts("关于做好2023年无偿献血工作的通知", BODY).year == 2023


@pytest.mark.parametrize("title", ["关于下达二〇二三年度无偿献血指标的通知", "关于做好二○二三年无偿献血工作的通知"])
def test_a_title_year_in_chinese_numerals(title):
    # [notice] title_year with {cn_year}. The class of text: titles that print the year in Chinese numerals, as
    # dates are printed under signatures (二〇二三年度), with no digit year anywhere in the body
    assert facts(title, BODY).year == 2023


@pytest.mark.parametrize("sentence", [
    "现就做好2023年度无偿献血工作通知如下：", "决定组织全县干部职工参加2023年度无偿献血活动。",
    "我镇2023年度献血任务数为900人份。", "为落实下达的2023年无偿献血计划，现通知如下：",
    "现将2023年无偿献血任务下达给你们。", "成立柳溪街道2023年社区无偿献血工作领导小组。",
    # [notice] body_year with {cn_year}: a plan sentence with its year in Chinese numerals
    "为做好我校二〇二三年度学生无偿献血工作，现通知如下：",
    # [notice] body_year: the plan named as its 指标
    "现将2023年度无偿献血指标下达给你们。",
])
def test_year_from_what_the_body_says_of_the_plan(sentence):
    assert facts(BODY, sentence).year == 2023


@pytest.mark.parametrize("sentence", [
    "根据《桐县关于做好2023年无偿献血工作的通知》（桐政发〔2023〕1号）精神，现通知如下：",   # a cited document
    "一、献血时间：2023年3月18日。",                                                     # a collection day
    "根据柳府〔2023〕4号文件，现作补充说明如下：",                                       # a cited 文号
    "2022年全镇献血人数较上年有所增加。",                                                 # a past year's figure
    "二〇二三年三月十八日组织献血。",                                                     # a date in Chinese numerals
])
def test_the_year_never_comes_from_a_citation_or_a_collection_day(sentence):
    assert facts(BODY, sentence).year is None


def test_year_from_an_annex_title_when_nothing_else_states_it():
    assert facts(BODY, "正文。", "附件：2024年度柳溪镇无偿献血预约安排表").year == 2024


def test_title_wins_and_the_body_naming_another_plan_year_is_a_finding():
    found = findings("关于做好2023年度无偿献血工作的通知", BODY, "现就做好2022年度全镇无偿献血工作的有关事项通知如下：",
                     code="year-mismatch")
    assert facts("关于做好2023年度无偿献血工作的通知", BODY, "现就做好2022年度全镇无偿献血工作的有关事项通知如下：").year == 2023
    assert [(f.expected, f.actual, f.severity) for f in found] == [(2023, 2022, "warning")]
    assert "2022年度全镇" in found[0].message


def test_two_plan_years_in_the_body_without_a_title_leave_the_year_empty_and_say_so():
    texts = (BODY, "现就做好2023年无偿献血工作通知如下。", "请各单位开展2024年无偿献血工作。")
    assert facts(*texts).year is None
    found = findings(*texts, code="year-mismatch")
    assert [(f.expected, f.actual) for f in found] == [(2023, 2024)]
    # the sentence that says what is planned wins over one that does not
    assert facts(BODY, "2023年无偿献血工作情况良好。", "现就做好2024年无偿献血工作通知如下：").year == 2024


def test_year_from_the_weekday_of_an_undated_collection_day():
    # 3 May is a Friday in 2024, not in 2023 (a Wednesday)
    texts = (BODY, "根据《桐县2023年献血工作总结》和桐委办〔2024〕2号要求，", "请于5月3日（周五）前报名。")
    assert facts(*texts).year == 2024
    # no year in the text fits the weekday: nothing is guessed
    assert facts(BODY, "根据桐委办〔2023〕2号要求，", "请于5月3日（周五）前报名。").year is None


def test_year_from_the_notices_own_date_for_an_undated_collection_day():
    assert facts(BODY, "决定在6月8日组织开展无偿献血活动。", web=["发布日期 | 2023-06-01 09:00"]).year == 2023
    # a notice of December for a day of January plans for the next year
    assert facts(BODY, "定于1月6日在镇卫生院献血。", "正文。", "柳溪镇人民政府", "2023年12月20日").year == 2024


def test_a_stamp_alone_or_a_deadline_alone_gives_no_year():
    assert facts(BODY, "补充说明如下：", web=["发布日期：2023-06-01"]).year is None
    assert facts(BODY, "请于6月8日前报送名单。", web=["发布日期：2023-06-01"]).year is None
    assert facts(BODY, "正文。", "柳溪镇人民政府", "二〇二三年六月一日").year is None


def test_resolve_and_day_claims_on_claims_alone():
    assert resolve([]) is None
    claims = year_claims("", [simplified("现就做好2023年度无偿献血工作通知如下：")], paras("x"))
    assert [(c.year, c.source, c.planned) for c in claims] == [(2023, "body", True)]
    assert day_claims((), ["2023"], "2023-01-01") == []


def test_a_collection_day_in_another_year_than_the_plan_is_a_finding():
    found = findings("关于做好2023年无偿献血工作的通知", BODY, "三、献血时间定在2022年5月20日上午。", code="year-mismatch")
    assert [(f.expected, f.actual) for f in found] == [(2023, 2022)]


def test_its_weekday_says_which_year_is_wrong():
    # 2023-05-20 is a Saturday, 2022-05-20 a Friday: the printed 2022 is the slip
    found = findings("关于做好2023年无偿献血工作的通知", BODY, "三、献血时间定在2022年5月20日（星期六）上午。",
                     code="year-mismatch")
    assert len(found) == 1 and "星期六" in found[0].message and "2022" in found[0].message
    assert datetime.date(2023, 5, 20).weekday() == 5


def test_a_finding_quotes_a_bounded_sentence():
    long_clause = "，".join(["各单位要高度重视"] * 20)
    found = findings("关于做好2023年无偿献血工作的通知", BODY, long_clause + "，现就做好2022年无偿献血工作通知如下：",
                     code="year-mismatch")
    quoted = found[0].message.split("“")[1].split("”")[0]
    assert quoted.endswith("…") and len(quoted) == rules().phrases.quote_chars + 1


def test_a_document_year_of_a_docno_is_not_a_year_mismatch():
    assert findings("关于做好2024年无偿献血工作的通知", "（桐府办〔2023〕73号）", BODY, code="year-mismatch") == []


# ------------------------------------------------------------------------------ headline targets

@pytest.mark.parametrize("sentence, total, unit", [
    ("全区无偿献血总量为2600人份。", 2600, "人份"),
    ("以1800人份的指标任务作分配。", 1800, "人份"),
    ("全年420人次的献血任务。", 420, "人次"),
    ("我镇2023年度献血任务数为860只（每只200毫升）。", 860, "只"),
    ("动员组织献血者参加无偿献血260人次以上。", 260, "人次"),
    ("今年对我镇下达献血人数为57人。", 57, "人"),
    ("全市献血目标任务：3.5万人份。", 35000, "人份"),
    ("全年献血任务600单位。", 600, "单位"),
    ("今年计划采集全血900单位。", 900, "单位"),
    ("全年献血量达到120000毫升。", 600, "人份"),                 # a volume, at 200 mL a portion
    ("请各单位确保完成全镇献血任务320人份。", 320, "人份"),       # 各 … but 全镇 speaks of the whole
    ("现将全县无偿献血任务下达如下，全县任务共计1200人份。", 1200, "人份"),   # a total word after the task
    ("今年献血指标合计：450人次。", 450, "人次"),
    # [parts] num: a figure grouped in thousands by commas, as prose prints large figures
    ("2024年全区无偿献血任务为2,350人份。", 2350, "人份"),
    ("全市献血目标任务：12,500人份。", 12500, "人份"),
    # [notice] headline_units U (a blood station's plan counts whole blood in U), with 万
    ("全年全站计划采集全血1.86万U。", 18600, "U"),
    ("全年献血任务600U。", 600, "U"),
    # 献血计划数, 计划献血数: the plan's figure named as a number of the plan
    ("市无偿献血领导小组下达我区年度献血计划数为3600人份。", 3600, "人份"),
    ("今年全镇计划献血数为420人。", 420, "人"),
    # [parts] link: up to three words between the target and its figure (要达到, 力争达到, 共计：)
    ("2024年全区献血人次要达到2500人次。", 2500, "人次"),
    ("今年全市献血总量力争达到3万人份。", 30000, "人份"),
    ("献血任务数共计：560人份。", 560, "人份"),
    # more words for the target: 计划任务, 任务指标, 计划采血, 招募献血者; and what is handed down (下达…任务)
    ("2024年全县无偿献血计划任务为2600人份。", 2600, "人份"),
    ("全区2024年度无偿献血任务指标为3000人份。", 3000, "人份"),
    ("全市计划采血4.5万单位。", 45000, "单位"),
    ("全年招募献血者不少于1500人次。", 1500, "人次"),
    ("市里下达我县任务1200人份。", 1200, "人份"),
])
def test_headline_targets_however_phrased(sentence, total, unit):
    f = facts(BODY, sentence)
    assert (f.total_target, f.target_unit) == (total, unit)


@pytest.mark.parametrize("sentence", [
    "要动员大多数献血者每次献血300毫升，鼓励每次献血400毫升。",
    "各村献血任务为10人。", "每个单位献血人数不少于5人。", "单位献血人数在20人以上的可提前2天预约。",
    "且要求400毫升献血率要达50%。", "年龄在18-60周岁。", "全年任务分6月和10月两阶段完成。",
    "各村任务共计不少于10人。", "每个单位任务合计5人。",
    # a comma that does not group thousands is not part of a figure
    "全年献血任务为12,50人份。",
    # each unit's share, however linked to its figure
    "要求各单位献血人次要达到10人次以上。", "每个采血点计划采血200单位。", "下达各村任务10人。",
])
def test_what_is_not_a_headline(sentence):
    assert facts(BODY, sentence).total_target is None


def test_unit_size_from_each_unit_of_the_target():
    assert facts(BODY, "献血任务数为860只（每只400毫升）。").unit_ml == 400
    assert facts(BODY, "总量为860人份（每人份200毫升）。").unit_ml == 200


def test_the_same_headline_stated_twice_is_one_and_its_subtargets_are_not_a_second():
    f = facts(BODY, "我镇献血任务数为860只。", "我镇献血任务数为860只。")
    assert f.total_target == 860
    f = facts(BODY, "全区无偿献血总量为2600人份，其中社区完成1600人份的任务，献血屋1000人份。")
    assert (f.total_target, [t.portions for t in f.targets]) == (2600, [2600, 1600, 1000])
    assert findings(BODY, "全区无偿献血总量为2600人份，其中社区完成1600人份的任务，献血屋1000人份。",
                    code="headline-ambiguous") == []


def test_two_different_headline_figures_are_a_finding_not_a_guess():
    texts = (BODY, "全年献血任务为2600人份。", "确保完成全年2800人份的献血任务。")
    assert facts(*texts).total_target is None
    found = findings(*texts, code="headline-ambiguous")
    assert [(f.expected, f.actual, f.severity) for f in found] == [(2600, 2800, "warning")]


def test_read_headline_alone():
    keys = [simplified("全区无偿献血总量为2600人份。")]
    total, targets, heads = read_headline(paras(*keys), keys, None)
    assert (total, len(targets), len(heads)) == (2600, 1, 1)


# ------------------------------------------------------------------------------ whole page texts

# Invented page texts in shapes real ones come in: furniture above and below, a title broken over lines, a 文号
# in 【】 or only in the metadata, no title at all, traditional characters, a December notice for January.
PAGE_TEXTS = {
"v1": """首页 > 信息公开 > 通知公告
关于下达2022年度全县无偿献血计划的通知
发布时间：2022-02-15 10:12:01   来源：县卫健局   浏览次数：233
【字体：大 中 小】【打印】【关闭】
各乡镇人民政府，县直各单位：
为保障全县临床用血需求，根据《省公民献血条例》，现将2022年度全县无偿献血计划下达给你们，全年计划采集全血3600单位，请认真组织实施。
一、各单位要高度重视。
青桐县卫生健康局
2022年2月14日
""",
"v2": """柳府发【2023】12号
柳溪镇人民政府
关于做好2023年度
无偿献血工作的通知
各村（社区）、镇直各单位：
为做好献血工作，今年我镇无偿献血任务为420人份，各村（社区）任务见附件。
附件：柳溪镇2023年度无偿献血任务分配表
柳溪镇人民政府
2023年3月6日
""",
"v3": """索引号：113100001/2021-00032  发文字号：桐街〔2021〕9号
各居委会、街道各部门：
根据区献血办部署，现将2021年本街道无偿献血工作安排如下：
一、献血时间：2021年6月18日（星期五）上午
二、目标任务：全街道完成献血180人份。
桐溪街道办事处
二〇二一年六月二日
""",
"v4": """关于组织开展无偿献血活动的通知
各科室：
经研究，定于1月8日（星期三）上午在院内组织无偿献血活动，请各科室动员职工参加。
院办公室
2024年12月30日
""",
"v5": """關於做好2024年無償獻血工作的通知
（桐府辦〔2024〕5號）
各鄉鎮人民政府：
全縣2024年無償獻血目標任務為3200人份，請認真落實。
桐縣人民政府辦公室
2024年3月1日
""",
}

# (title, region, year, 文号, 成文, publication stamp, headline, its unit)
PAGE_FACTS = {
    "v1": ("关于下达2022年度全县无偿献血计划的通知", "", 2022, "", "2022-02-14", "2022-02-15", 3600, "单位"),
    "v2": ("关于做好2023年度无偿献血工作的通知", "柳溪镇", 2023, "柳府发〔2023〕12号", "2023-03-06", "", 420, "人份"),
    "v3": ("", "桐溪街道", 2021, "桐街〔2021〕9号", "2021-06-02", "", 180, "人份"),
    "v4": ("关于组织开展无偿献血活动的通知", "", 2025, "", "2024-12-30", "", None, ""),
    "v5": ("關於做好2024年無償獻血工作的通知", "桐縣", 2024, "桐府辦〔2024〕5號", "2024-03-01", "", 3200, "人份"),
}


@pytest.mark.parametrize("name", sorted(PAGE_TEXTS))
def test_invented_page_texts(name):
    f = ingest_text(PAGE_TEXTS[name]).facts
    assert (f.title, f.region, f.year, f.doc_number, f.signed_on, f.published_on, f.total_target, f.target_unit) \
        == PAGE_FACTS[name]


# ------------------------------------------------------------------------------ the rules file itself

def test_read_dates_alone():
    keys = [simplified(t) for t in ("关于做好2023年无偿献血工作的通知", BODY, "柳溪镇人民政府", "2023年3月2日")]
    d = read_dates(keys, keys, [], "")
    assert (d.signed, d.issuer) == ("2023-03-02", "柳溪镇人民政府")


def test_weekday_names_must_be_seven(tmp_path):
    text = PATH.read_text(encoding="utf-8")
    bad = text.replace('weekday_names = ["一", "二", "三", "四", "五", "六", "日"]', 'weekday_names = ["一"]')
    assert bad != text
    path = tmp_path / "rules.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(RulesError, match="weekday_names"):
        load(path)


def test_subtargets_listed_with_a_pause_mark_after_each_figure():
    """The class of text: a headline whose 其中 lists its parts unit by unit, each "name figure unit" followed by 、
    (其中：甲镇120人份、乙镇80人份、丙乡40人份). Each is a sub-target (their sum is checked against the headline); a 、
    inside a label (社区、企事业献血41200人份) still joins the label's words."""
    text = "全县无偿献血任务为240人份，其中：甲镇120人份、乙镇80人份、丙乡40人份。"
    f = facts(BODY, text)
    assert [(t.label, t.portions) for t in f.targets] == [("总量", 240), ("甲镇", 120), ("乙镇", 80), ("丙乡", 40)]
    assert findings(BODY, text, code="target-mismatch") == []
    wrong = "全县无偿献血任务为250人份，其中：甲镇120人份、乙镇80人份、丙乡40人份。"
    assert [x.severity for x in findings(BODY, wrong, code="target-mismatch")] == ["error"]
    f = facts(BODY, "全区无偿献血总量为2600人份，其中社区、企事业献血1600人份，献血屋1000人份。")
    assert [(t.label, t.portions) for t in f.targets][1:] == [("社区、企事业献血", 1600), ("献血屋", 1000)]
