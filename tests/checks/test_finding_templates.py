"""Every finding code in rules.toml [findings] has a message template (and a note per situation) that formats
with the values its caller passes. Every situation of every code is made to happen below, on small records and
grids written here, through the stages that make findings (tables, checks, reviews, pipeline.unreadable); each
template records that it was filled in. A template naming a value no caller gives raises KeyError while it is
filled; a situation no scenario reaches (or a template no code uses any more) fails the comparison at the end."""
import pytest

from ingest import pipeline, reviews
from ingest.checks import run_checks
from ingest.export.changes import Reading, Unit, compare_pair, unit_key, year_finding
from ingest.records import EventDay, Facts, Target, YearClaim
from ingest.rules import FindingRule, rules
from ingest.tables import parse_table
from parsers.model import Cell, Note, Table

from inline_records import grid, item, notice, table, total


class Recorded(str):
    """A template that notes, each time it is filled in, which (code, part) it is."""

    def __new__(cls, text, tag, seen):
        obj = super().__new__(cls, text)
        obj.tag, obj.seen = tag, seen
        return obj

    def format_map(self, values):
        self.seen.add(self.tag)
        return str.format_map(self, values)


@pytest.fixture
def seen(monkeypatch):
    filled: set = set()
    for code, rule in list(rules().findings.items()):
        monkeypatch.setitem(rules().findings, code, FindingRule(
            severity=rule.severity, message=Recorded(rule.message, (code, "message"), filled),
            notes={k: Recorded(v, (code, k), filled) for k, v in rule.notes.items()}))
    return filled


def every_template():
    return {(code, part) for code, rule in rules().findings.items() for part in ("message", *rule.notes)}


HEADER = ["序号", "单位", "任务数", "统计口径"]
PLAN = [["月份", "单位", "计划数"], ["一月", "甲镇", "100"], ["", "乙镇", "50"], ["二月", "丙镇", "80"],
        ["三月", "丙镇", ""], ["合计", "", "230"]]
PLAN_MERGES = {(1, 0): (2, 1), (3, 2): (2, 1)}


def table_situations() -> list:
    """Tables read from grids: every row event (序号 missing, merges, blanks, not a number) and every check of
    rows (序号 gaps, repeats, totals, duplicates, unparsed columns)."""
    rows = grid([HEADER, ["1", "甲镇", "10", "110"], ["", "乙镇", "10", ""], ["3", "丙镇", "12,5", ""],
                 ["6", "丁镇", "10", ""], ["5", "甲镇", "10", ""], ["5", "戊镇", "", ""], ["", "己镇", "10", ""],
                 ["", "庚镇", "10", ""], ["9", "辛镇", "10", ""], ["", "小计", "99", ""], ["", "合计", "1", ""]])
    shared = grid([["单位", "任务数"], ["甲镇", "100"], ["乙镇", ""]], spans={(1, 1): (2, 1)}, merges_known=True)
    ml = grid([["单位", "献血量（毫升）"], ["甲镇", "30100"]])
    above = grid([["序号", "单位", "任务数"], ["", "东片小计", "25"], ["1", "甲镇", "10"], ["2", "乙镇", "10"]])
    unsaved = grid([["单位", "任务数"], ["甲镇", "10"], ["合计", ""]])       # a workbook's formula, no result saved
    unsaved.rows[2][1].formula = "=SUM(B2:B2)"
    none_mark = grid([["单位", "任务数"], ["甲镇", "10"], ["乙园区", "—"]])      # a dash printed for no target
    grids = [rows, shared, ml, grid(PLAN, spans=PLAN_MERGES, merges_known=True), grid(PLAN),
             grid(PLAN, merges_known=True), above, unsaved, none_mark]
    dense = notice(table(item(1, "甲镇", 10), table_id="t99", unparsed_more=5))   # figures past [checks] unparsed_cells
    return [notice(parse_table(g, f"t{i}", "", "")) for i, g in enumerate(grids, start=1)] + [dense]


def target_situations() -> list:
    subs = (Target("总量", 1000, "headline"), Target("教育系统献血目标", 300, "sub"), Target("其他单位", 600, "sub"))
    prose = (Target("附件1", 800, "prose"), Target("附件2", 450, "prose"))
    over = notice(table(item(1, "区教育系统", 280), item(2, "甲镇", 500), total(3, 780), annex="附件1"),
                  table(item(1, "乙镇", 400), table_id="t2", annex="附件2"),
                  facts=Facts(total_target=1000, targets=subs, prose_totals=prose))
    under = notice(table(item(1, "甲镇", 900)), facts=Facts(total_target=1000))
    return [over, under]


def cross_table_situations() -> list:
    base = table(item(1, "甲镇", 100), item(2, "乙镇", 200), item(3, "丙镇", 300), total(4, 600))

    def plan(*rows):
        return table(*rows, table_id="t2", kind="monthly", has_seq=False)

    short = plan(item(1, "甲镇", 100), item(2, "乙镇", 150), item(3, "丙镇", 300), total(4, 550))
    pooled = plan(item(1, "甲镇", 90), item(2, "乙镇", 190), item(3, "丙镇", 300), item(4, "统筹", 20), total(5, 600))
    return [notice(base, short), notice(base, pooled)]


def notice_situations() -> list:
    ocr = table(item(1, "甲镇", 10, value_confidence=0.5, name_confidence=0.5), total(2, 11), title="2023年任务表")
    unknown = Table(rows=[[Cell(text="项目", row=0, col=0), Cell(text="10", row=0, col=1)]])
    facts = Facts(year=2024, signed_on="2023-12-01", status="draft", draft_word="代拟稿")
    nameless = grid([["序号", "单位", "任务数"], ["1", "甲镇", "10"], ["2", "", "12"]])
    two_targets = grid([["单位", "任务数", "计划数"], ["甲镇", "10", "12"]])
    return [notice(ocr, facts=facts, repairs={"spacing": 1}, repair_pages={"spacing": 1}, unrecognised=(unknown,)),
            notice(parse_table(nameless, "t1", "", "")), notice(parse_table(two_targets, "t1", "", "")),
            # the files of a notice in several files: an annex that could not be read, annexes read alone
            notice(table(item(1, "甲镇", 10)), annex_errors=(("附件1.pdf", "damaged"),), alone_annex="no-body"),
            notice(table(item(1, "甲镇", 10)), alone_annex="ambiguous"),
            # what the readers skipped or did
            notice(reader_notes=(Note("sheet-hidden", "填报说明"), Note("sheet-empty", "Sheet3"),
                                 Note("sheet-chart", "图表1"), Note("web-furniture", count=12),
                                 Note("converted", "LibreOffice"), Note("ocr", "150 dpi", 3)))] + year_situations()


def year_situations() -> list:
    """Plan years that disagree, collection days printed in another year (with a weekday that settles it), and
    two headline figures."""
    title = YearClaim(2024, "title", "关于做好2024年无偿献血工作的通知")
    body = YearClaim(2023, "body", "现就做好2023年度无偿献血工作通知如下", planned=True)
    two = (YearClaim(2022, "body", "做好2022年献血工作", planned=True), YearClaim(2023, "body", "做好2023年献血工作",
                                                                            planned=True))
    # 2020-05-18 was a Monday; 2021-05-18 a Tuesday, as printed: the printed year is a slip for the plan's
    slip = EventDay(5, 18, 2020, weekday=1, dated=True, text="献血时间：2020年5月18日（星期二）")
    other = EventDay(6, 1, 2019, dated=True, text="献血时间：2019年6月1日")
    heads = (Target("总量", 200, "headline", text="全年献血任务200人份"), Target("总量", 240, "headline",
                                                                            text="完成无偿献血240人次"))
    return [notice(facts=Facts(year=2024, year_claims=(title, body))),
            notice(facts=Facts(year_claims=two)),
            notice(facts=Facts(year=2021, events=(slip, other), headlines=heads))]


def review_situations(seen_findings: list) -> None:
    tables = (table(item(1, "甲镇", 100, seq=1), item(2, "乙镇", 50, seq=2), item(3, "乙镇", 60, seq=3)),)

    def correct(**kw):
        kw.setdefault("row_no", 1)
        return reviews.Correct(index=1, notice_id="n", table_id=kw.pop("table_id", "t1"), reason="核对原件", **kw)

    decisions = [correct(value=120), correct(value=1, table_id="t9"), correct(value=1, row_no=99),
                 correct(value=1, row_no=None, org="乙镇"), correct(value=1, was=90), correct(value=50, row_no=2)]
    _, _, made = reviews.correct(tables, decisions)
    seen_findings += made
    found = run_checks(notice(table(item(1, "甲", 10), total(2, 11))))
    accepts = [reviews.Accept(index=1, notice_id="n", reason="原件如此", key="duplicate-org/t1/9/org"),
               reviews.Accept(index=2, notice_id="n", reason="原件如此", code="total-mismatch", expected=99)]
    seen_findings += reviews.accept(found, accepts)


def year_over_year_situations() -> list:
    """Year over year (export.changes): a unit whose target moves past the share, one gone, one renamed."""
    def unit(org, portions, row):
        return Unit(unit_key(org, org, ""), org, "", portions, "t1", row)
    before = Reading("a", "东湖区", 2024, 0, 0, (unit("甲镇", 100, 1), unit("乙镇", 50, 2), unit("区卫计委", 30, 3),
                                               unit("丁村", 5, 4)))
    after = Reading("b", "东湖区", 2025, 0, 0, (unit("甲镇", 200, 1), unit("乙镇", 50, 2), unit("区卫健委", 30, 3)))
    made = [year_finding(c, on_after=True) for c in compare_pair("东湖区", before, after).changes]
    return [f for f in made if f is not None]


def test_every_template_formats_with_the_values_its_callers_pass(seen):
    made = []
    for n in table_situations() + target_situations() + cross_table_situations() + notice_situations():
        made += run_checks(n)
    review_situations(made)
    made += pipeline.unreadable("n", "n.pdf", "", "damaged").findings
    made += pipeline.unreadable("n", "n.pdf", "", "bug", situation="internal").findings
    made += year_over_year_situations()
    assert every_template() - seen == set(), "situations no scenario here reaches"
    assert {f.code for f in made} == set(rules().findings)
    assert all("{" not in f.message for f in made)      # no field left unfilled
