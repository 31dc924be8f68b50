"""Year over year (ingest/export/changes.py): the 浦东 seed and its generated following year against the truth file
make_next_year.py writes from its edits; a following year without edits gives no change; and each way a unit is
found (or not) in the next year on invented units.

The class of text: a region's notices of consecutive years, whose units mostly stay, some targets move, a unit
comes or goes, and a body is renamed after a reorganisation."""
from __future__ import annotations

import json
import sys
from html.parser import HTMLParser

import pytest

from conftest import ROOT, SAMPLES
from ingest import ingest_file, writers
from ingest.export.changes import Reading, Unit, compare, compare_pair, match, pick, unit_key, with_findings
from ingest.rules import rules

sys.path.insert(0, str(SAMPLES))
import make_next_year  # noqa: E402

TRUTH = json.loads((SAMPLES / "years" / "pudong-2025.txt.truth.json").read_text(encoding="utf-8"))
FIELDS = ("org", "org_before", "portions_before", "portions_after", "delta", "status", "match")


@pytest.fixture(scope="module")
def pair():
    return (ingest_file(str(SAMPLES / "pudong-2024.txt"), "pudong-2024-txt"),
            ingest_file(str(SAMPLES / "years" / "pudong-2025.txt"), "years-pudong-2025-txt"))


def test_the_sample_is_what_the_generator_writes():
    text, _, _ = make_next_year.next_year((SAMPLES / "pudong-2024.txt").read_text(encoding="utf-8"),
                                          make_next_year.PLAN)
    assert (SAMPLES / "years" / "pudong-2025.txt").read_text(encoding="utf-8") == text


def test_changes_are_exactly_the_samples_known_changes(pair):
    yoy = compare(list(pair))
    got = [{k: v for k, v in c.record().items() if k in FIELDS and (v or k in ("portions_before", "portions_after"))
            and not (k == "match" and v == "name")} for c in yoy.changes]
    assert got == [{k: v for k, v in t.items()} for t in TRUTH["changes"]]
    assert {(c.region, c.year_before, c.year_after) for c in yoy.changes} == {
        (TRUTH["region"], TRUTH["year_before"], TRUTH["year_after"])}
    assert {c.certainty for c in yoy.changes if c.status == "renamed"} == {"sure"}


def test_the_sample_is_clean_and_its_findings_are_the_moves_the_drop_and_the_rename(pair):
    after = pair[1]
    assert [f.code for f in after.findings if f.severity in ("error", "warning")] == []
    assert after.facts.year == TRUTH["year_after"] and after.facts.region == TRUTH["region"]
    notices = with_findings(list(pair), compare(list(pair)))
    assert notices[0] == pair[0]                          # the earlier notice of a pair gets none
    share = rules().changes.moved_share
    moved = [t["org"] for t in TRUTH["changes"]
             if t["status"] == "changed" and abs(t["delta"]) > share * t["portions_before"]]
    assert len(moved) == 2
    want = {o for o in moved} | {t["org"] for t in TRUTH["changes"] if t["status"] in ("dropped", "renamed")}
    year = [f for f in notices[1].findings if f.code == "year-change"]
    assert {f.severity for f in year} == {"info"} and len(year) == len(want)
    assert all(any(f"“{o}”" in f.message for f in year) for o in want), [f.message for f in year]
    renamed = next(f for f in year if f.field == "org" and f.row_no)
    assert renamed.table_id == "t1" and "区农委" in renamed.message and "更名规则" in renamed.message
    assert len({f.key for f in year}) == len(year)


def test_a_following_year_without_changes_gives_none(tmp_path):
    text, _, _ = make_next_year.next_year((SAMPLES / "pudong-2024.txt").read_text(encoding="utf-8"),
                                          make_next_year.UNCHANGED)
    (tmp_path / "same-2025.txt").write_text(text, encoding="utf-8")
    before = ingest_file(str(SAMPLES / "pudong-2024.txt"), "a")
    after = ingest_file(str(tmp_path / "same-2025.txt"), "b")
    assert after.facts.year == before.facts.year + 1
    yoy = compare([before, after])
    assert [p.compared for r in yoy.regions for p in r.pairs] == [True] and yoy.changes == []
    assert with_findings([before, after], yoy)[1] == after
    csv_text = writers.outputs([before, after], years=yoy)["changes.csv"].decode("utf-8-sig")
    assert csv_text.splitlines() == [",".join(c for c, _, _ in writers.SCHEMAS["changes.csv"])]


def test_report_shows_the_region_with_a_chart_per_unit_and_escapes_names(tmp_path):
    """report.html: a section for the region, the changes, an inline SVG per unit (nothing fetched); a unit's name
    from the document never becomes markup."""
    def text(year, orgs, values):
        rows = "\n".join(f"{i}\t{o}\t{v}" for i, (o, v) in enumerate(zip(orgs, values), start=1))
        return f"关于做好{year}年东湖区无偿献血工作的通知\n附件\n序号\t单位\t任务数\n{rows}\n合计\t\t{sum(values)}\n"
    orgs = ("东山村", "<marquee>西山村</marquee>", "南山村")
    (tmp_path / "a.txt").write_text(text(2024, orgs, (10, 20, 30)), encoding="utf-8")
    (tmp_path / "b.txt").write_text(text(2025, orgs, (10, 40, 30)), encoding="utf-8")
    notices = [ingest_file(str(tmp_path / "a.txt"), "a"), ingest_file(str(tmp_path / "b.txt"), "b")]
    page = writers.outputs(notices, years=compare(notices))["report.html"].decode("utf-8")

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
    p = Tags()
    p.feed(page)
    assert "marquee" not in p.tags and "&lt;marquee&gt;西山村&lt;/marquee&gt;" in page
    section = page[page.index("逐年变化：东湖区"):]
    assert section.count("<svg") >= 4 and "<polyline" in section      # the change's chart and one per unit
    assert "http://" not in section and "https://" not in section and "src=" not in section


# ------------------------------------------------------------------------------------------ invented units


def unit(org: str, portions, row: int = 0, note: str = "") -> Unit:
    return Unit(unit_key(org, org, note), org, note, portions, "t1", row)


def reading(year: int, units, nid: str = "", region: str = "东湖区", errors: int = 0, in_run: bool = True) -> Reading:
    return Reading(nid or f"n{year}", region, year, errors, 0, tuple(units), in_run)


BASE = [("甲村", 10), ("乙村", 20), ("丙村", 30), ("丁村", 40)]


def years_of(before, after):
    return (reading(2024, [unit(o, v, i) for i, (o, v) in enumerate(before, 1)]),
            reading(2025, [unit(o, v, i) for i, (o, v) in enumerate(after, 1)]))


@pytest.mark.parametrize("old, new, how", [
    ("区卫计委", "区卫健委", "rename-rule"),               # [changes] renames
    ("县环保局", "县生态环境局", "rename-rule"),
    ("东湖镇", "东湖街道", "same-place"),                  # a town become a 街道: [checks] org_suffix
    ("东湖镇", "东湖镇人民政府", "same-place"),
])
def test_a_renamed_unit_is_found(old, new, how):
    b, a = years_of(BASE + [(old, 50)], BASE + [(new, 55)])
    p = compare_pair("东湖区", b, a)
    assert [(c.org_before, c.org, c.status, c.match, c.certainty, c.delta) for c in p.changes] == [
        (old, new, "renamed", how, "sure", 5)]


def test_the_same_figure_in_the_same_place_is_a_likely_rename():
    b, a = years_of(BASE[:2] + [("老年协会", 15)] + BASE[2:], BASE[:2] + [("银龄服务中心", 15)] + BASE[2:])
    [c] = compare_pair("东湖区", b, a).changes
    assert (c.org_before, c.org, c.status, c.match, c.certainty) == ("老年协会", "银龄服务中心", "renamed",
                                                                     "same-slot", "likely")


@pytest.mark.parametrize("before, after", [
    (BASE[:2] + [("老年协会", 15)] + BASE[2:], BASE[:2] + [("银龄服务中心", 16)] + BASE[2:]),    # figure differs
    (BASE[:2] + [("老年协会", 15)] + BASE[2:], BASE + [("银龄服务中心", 15)]),                   # elsewhere
    (BASE[:2] + [("老年协会", 15)] + BASE[2:],                                                   # two candidates
     BASE[:2] + [("银龄服务中心", 15), ("志愿者协会", 15)] + BASE[2:]),
    (BASE + [("东湖镇", 5), ("东湖乡", 6)], BASE + [("东湖街道", 11)]),                          # two claimants
])
def test_no_rename_is_guessed(before, after):
    b, a = years_of(before, after)
    statuses = sorted(c.status for c in compare_pair("东湖区", b, a).changes)
    gone, came = len(before) - len(BASE), len(after) - len(BASE)
    assert statuses == sorted(["dropped"] * gone + ["new"] * came)


def test_two_notices_sharing_few_names_are_not_compared():
    b, a = years_of(BASE, [("甲村", 10), ("戊村", 1), ("己村", 2), ("庚村", 3), ("辛村", 4)])
    p = compare_pair("东湖区", b, a)
    assert not p.compared and p.shared == 1 and p.changes == ()


def test_one_reading_per_year_the_one_most_notices_agree_on():
    same = [unit(o, v, i) for i, (o, v) in enumerate(BASE, 1)]
    other = [unit(o, v + 1, i) for i, (o, v) in enumerate(BASE, 1)]
    best, alike, differ = pick([reading(2024, same, "pdf", errors=1), reading(2024, same, "docx"),
                                reading(2024, other, "scan")])
    assert (best.notice_id, alike, differ) == ("docx", ["pdf"], ["scan"])
    assert pick([reading(2024, same, "a"), reading(2024, other, "b")]) == (None, [], ["a", "b"])
    kept, current = reading(2024, other, "kept", in_run=False), reading(2024, same, "now")
    assert pick([kept, current])[0] is current        # a year this run read is never taken from the database


def test_only_consecutive_years_are_pairs_and_kept_readings_count():
    b = reading(2023, [unit(o, v) for o, v in BASE], in_run=False)
    a = reading(2025, [unit(o, v) for o, v in BASE])
    assert compare([], [b, a]).regions == ()
    mid = reading(2024, [unit(o, v + 5) for o, v in BASE], in_run=False)
    yoy = compare([], [b, mid, a])
    assert [(p.before.year, p.after.year, len(p.changes)) for p in yoy.regions[0].pairs] == [(2023, 2024, 4),
                                                                                             (2024, 2025, 4)]
    assert yoy.regions[0].series[0].values == (10, 15, 10)


def test_matching_by_name_ignores_spacing_and_traditional_characters():
    b, a = years_of([("東山 村", 10)] + BASE, [("东山村", 10)] + BASE)
    assert [how for _, _, how in match(b, a)] == ["name"] * 5


def test_a_region_whose_years_cannot_be_decided_is_reported_without_pairs():
    """Two years, each read two different ways by as many notices (the same notice in two layouts that disagree):
    no year is taken, nothing is compared, and nothing breaks."""
    same = [unit(o, v, i) for i, (o, v) in enumerate(BASE, 1)]
    other = [unit(o, v + 1, i) for i, (o, v) in enumerate(BASE, 1)]
    yoy = compare([], [reading(2023, same, "a"), reading(2023, other, "b"), reading(2024, same, "c"),
                       reading(2024, other, "d")])
    assert all(r.pairs == () and r.series == () for r in yoy.regions)


@pytest.mark.parametrize("before, after, share", [
    ("60", "9" * 400, f"+{(int('9' * 400) - 60) * 100 // 60}%"),   # the ratio is past a float's range
    ("9" * 400, "60", "-100%"),
    ("60", "90", "+50%"),                                             # figures of every day: as before
    ("200", "253", "+26%"),
], ids=["up-400-digits", "down-from-400-digits", "ordinary", "ordinary-half"])
def test_a_unit_whose_target_has_hundreds_of_digits_is_compared(tmp_path, capsys, before, after, share):
    """Input class: consecutive years of one region where a unit's target is printed with 400 digits in one of
    them (the comparison divided the figures as floats: OverflowError, exit 1, nothing written). The move is a
    year-change finding with its share to a whole percent, exact past a float's range, as before within it."""
    from ingest import cli
    pipe = (SAMPLES / "layouts" / "text-pipe.txt").read_text(encoding="utf-8")
    row = "| 1 | 东城镇 | 60 |"
    assert row in pipe
    (tmp_path / "fz-2024.txt").write_text(pipe.replace(row, f"| 1 | 东城镇 | {before} |"), encoding="utf-8")
    (tmp_path / "fz-2025.txt").write_text(pipe.replace("2024", "2025").replace(row, f"| 1 | 东城镇 | {after} |"),
                                          encoding="utf-8")
    code = cli.main([str(tmp_path / "fz-2024.txt"), str(tmp_path / "fz-2025.txt"), "--out", str(tmp_path / "out"),
                     "--no-cache", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 0, err
    year = [f for f in json.loads((tmp_path / "out" / "notices" / "fz-2025-txt.json").read_text("utf-8"))["findings"]
            if f["code"] == "year-change"]
    assert [(f["row_no"], f["expected"], f["actual"]) for f in year] == [(1, int(before), int(after))]
    assert share in year[0]["message"]
