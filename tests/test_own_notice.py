"""Invented notices (tests/notice_factory.py), written at test time as text, GB18030 text, DOCX and PDF, read back.

Every expected value below is a figure or name printed in the notice the factory writes; none was copied from
the pipeline's output.
"""
import csv
import dataclasses
import io
from collections import Counter

import pytest

from ingest import batch, ingest_file
from ingest.writers import write_all
from notice_factory import linjiang, nanping

# pdf: WenQuanYi embedded (STSong-Light where that font is not installed); pdf-cid: STSong-Light, not embedded
FORMATS = ["txt", "txt-gb18030", "docx", "pdf", "pdf-cid"]


def write(spec, folder, fmt, stem="notice"):
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "txt":
        return spec.write_text(folder / f"{stem}.txt")
    if fmt == "txt-gb18030":
        return spec.write_text(folder / f"{stem}-gb.txt", encoding="gb18030")
    if fmt == "docx":
        return spec.write_docx(folder / f"{stem}.docx")
    if fmt == "pdf-cid":
        return spec.write_pdf(folder / f"{stem}-cid.pdf", font="cid")
    assert fmt == "pdf", fmt
    return spec.write_pdf(folder / f"{stem}.pdf")


def read(spec, tmp_path, fmt, stem="notice"):
    path = write(spec, tmp_path, fmt, stem)
    n = ingest_file(str(path))
    assert n.error == "", f"{path.name} could not be read: {n.error}"
    return n


def codes(n, severity):
    return sorted(f.code for f in n.findings if f.severity == severity)


def the(n, code):
    found = [f for f in n.findings if f.code == code]
    assert len(found) == 1, f"expected one {code}, got {[(f.table_id, f.row_no, f.message) for f in found]}"
    return found[0]


def table(n, table_id):
    hits = [t for t in n.tables if t.table_id == table_id]
    assert len(hits) == 1, [t.table_id for t in n.tables]
    return hits[0]


# ------------------------------------------------------------------------------------------ 临江县 2023

# (序号, 单位, 括注, 任务数) as printed in 附件1
LJ_ROWS = [
    (1, "城关镇", "", 980), (2, "河口镇", "", 620), (3, "青山镇", "", 540), (4, "白沙乡", "", 310),
    (5, "石门乡", "", 280), (6, "县教育局", "（含各学校）", 450), (7, "县卫生健康委员会", "", 360),
    (8, "县公安局", "", 240), (9, "县直机关工委", "", 180), (10, "县人民医院", "", 240),
    (11, "街头献血车", "", 560), (12, "应急献血演练", "", 100),
]
LJ_TOTAL = 4860
# (first month, last month, 单位, 括注, 计划献血数, a blank of the row filled from a merged cell) as printed in
# 附件2: 三月 is one cell over 青山镇/白沙乡, 十二月 one cell over 城关镇/应急献血演练, and 街头献血车's 560 one
# cell over 八月/九月.
LJ_PLAN = [
    (1, 1, "城关镇", "", 500, False), (2, 2, "河口镇", "", 620, False), (3, 3, "青山镇", "", 540, False),
    (3, 3, "白沙乡", "", 310, True), (4, 4, "县教育局", "（含各学校）", 450, False), (5, 5, "石门乡", "", 280, False),
    (6, 6, "县卫生健康委员会", "", 360, False), (7, 7, "县公安局", "", 240, False),
    (8, 9, "街头献血车", "", 560, True), (10, 10, "县直机关工委", "", 180, False),
    (11, 11, "县人民医院", "", 240, False), (12, 12, "城关镇", "", 480, False),
    (12, 12, "应急献血演练", "", 100, True),
]


def test_expected_rows_are_what_the_factory_prints():
    """The literal expectations above and the notice the factory writes are the same notice."""
    spec = linjiang()
    assert [(u.seq, u.org, u.portions) for u in spec.units] == [(s, o + n, p) for s, o, n, p in LJ_ROWS]
    assert spec.total_printed == LJ_TOTAL == sum(p for *_, p in LJ_ROWS) == spec.total_target
    assert sum(row[4] for row in LJ_PLAN) == LJ_TOTAL == spec.plan_total_printed
    text = spec.to_text()
    assert "临卫发〔2023〕12号\n" in text and "\t合计\t4860" in text and "合计\t\t4860" in text
    assert "\t白沙乡\t310" in text and "九月\t街头献血车\t\n" in text


@pytest.fixture(scope="module", params=FORMATS)
def lj(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("linjiang")
    return request.param, read(linjiang(), folder, request.param)


def test_linjiang_metadata(lj):
    fmt, n = lj
    f = n.facts
    assert n.format == {"txt": "text", "txt-gb18030": "text", "docx": "docx", "pdf": "pdf", "pdf-cid": "pdf"}[fmt]
    assert f.title == "关于做好2023年临江县无偿献血工作的意见"
    assert (f.region, f.year, f.status, f.unit_ml) == ("临江县", 2023, "final", 200)
    assert f.doc_number == "临卫发〔2023〕12号"
    assert f.issuer == "临江县卫生健康委员会"
    assert (f.signed_on, f.issued_on) == ("2023-03-05", "2023-03-08")
    assert f.total_target == 4860
    subs = [x for x in f.targets if x.kind == "sub"]
    assert [x.portions for x in subs] == [4200, 560, 100]
    assert "县直单位" in subs[0].label and "街头献血车" in subs[1].label and "应急献血演练" in subs[2].label
    if fmt == "txt-gb18030":
        assert n.encoding.lower().replace("-", "") == "gb18030"


def test_linjiang_target_table(lj):
    fmt, n = lj
    assert [(t.table_id, t.kind) for t in n.tables] == [("t1", "allocation"), ("t2", "monthly")]
    t = table(n, "t1")
    assert (t.annex, t.title, t.unit, t.n_lists, t.has_seq) == ("附件1", "2023年临江县无偿献血任务分解表", "人份", 1, True)
    assert [(r.seq, r.org, r.org_note, r.portions) for r in t.items] == LJ_ROWS
    assert [r.row_no for r in t.items] == list(range(1, 13))
    assert not any(r.seq_inferred for r in t.items)
    last = t.rows[-1]
    assert (last.row_type, last.portions, last.row_no) == ("total", LJ_TOTAL, 13)
    assert t.total_row is last
    assert len(t.rows) == 13


def test_linjiang_monthly_plan(lj):
    fmt, n = lj
    plan = table(n, "t2")
    assert (plan.annex, plan.title) == ("附件2", "2023年临江县无偿献血月份计划表")
    got = [(r.month_from, r.month_to, r.org, r.org_note, r.portions, r.merged) for r in plan.items]
    assert got == LJ_PLAN
    assert plan.total_row is not None and plan.total_row.portions == LJ_TOTAL
    assert plan.rows[-1].row_type == "total"


def test_linjiang_pages(lj):
    """Body on page 1, 附件1 on page 2, 附件2 on page 3 in the PDF; no pages in text and DOCX."""
    fmt, n = lj
    pages = {t.table_id: {r.source.page for r in t.rows} for t in n.tables}
    if fmt.startswith("pdf"):
        assert pages == {"t1": {2}, "t2": {3}}
        assert len(n.pages) == 3
    else:
        assert pages == {"t1": {None}, "t2": {None}}


def test_linjiang_clean_has_no_errors_or_warnings(lj):
    fmt, n = lj
    assert codes(n, "error") == []
    assert codes(n, "warning") == []
    # the only blanks are the three cells merged on purpose, all in the monthly plan
    merged = sorted((f.table_id, f.row_no) for f in n.findings if f.code == "merged-cell")
    assert merged == [("t2", 4), ("t2", 9), ("t2", 13)]
    # 4860 = 4200 + 560 + 100, all of it allocated in 附件1: nothing left over, nothing to reconcile
    assert not {"unallocated-remainder", "target-mismatch", "cross-table-mismatch", "draft"} & {f.code for f in n.findings}
    assert n.anomaly_count == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_linjiang_dates_in_chinese_numerals(tmp_path, fmt):
    """成文 二〇二三年十二月二十五日 under the issuer, 印发 二〇二三年十二月二十八日 on the imprint line."""
    spec = dataclasses.replace(linjiang(), cn_dates=True, signed=(2023, 12, 25), printed=(2023, 12, 28))
    assert "二〇二三年十二月二十五日" in spec.to_text() and "二〇二三年十二月二十八日印发" in spec.to_text()
    n = read(spec, tmp_path, fmt)
    assert (n.facts.signed_on, n.facts.issued_on, n.facts.issuer) == ("2023-12-25", "2023-12-28", "临江县卫生健康委员会")
    assert codes(n, "error") == [] and codes(n, "warning") == []


@pytest.mark.parametrize("font", ["auto", "cid"])
def test_linjiang_pdf_page_numbers_drawn_by_a_form_xobject(tmp_path, font):
    """PDF producers often draw repeated page furniture through a form XObject; the notice reads the same."""
    path = linjiang().write_pdf(tmp_path / f"linjiang-{font}-form.pdf", font=font, footer_form=True)
    n = ingest_file(str(path))
    assert n.error == ""
    assert (n.facts.title, n.facts.doc_number, n.facts.total_target) == (
        "关于做好2023年临江县无偿献血工作的意见", "临卫发〔2023〕12号", LJ_TOTAL)
    assert [(r.seq, r.org, r.org_note, r.portions) for r in table(n, "t1").items] == LJ_ROWS
    assert [(r.month_from, r.month_to, r.org, r.org_note, r.portions, r.merged) for r in table(n, "t2").items] == LJ_PLAN
    assert codes(n, "error") == [] and codes(n, "warning") == []
    assert n.repairs.get("page-furniture") == 3           # "- 1 -", "- 2 -", "- 3 -" taken out


# ------------------------------------------------------------------------------------------ 临江县, errors put in


@pytest.mark.parametrize("fmt", FORMATS)
def test_linjiang_changed_figure(tmp_path, fmt):
    n = read(linjiang().change("城关镇", 990), tmp_path, fmt)          # printed 980 → 990, 合计 still 4860
    assert [(r.org, r.portions) for r in table(n, "t1").items][0] == ("城关镇", 990)
    assert Counter(codes(n, "error")) == Counter(["total-mismatch", "target-mismatch"])
    tm = the(n, "total-mismatch")
    assert (tm.table_id, tm.row_no, tm.expected, tm.actual) == ("t1", 13, 4870, 4860)
    assert tm.expected - tm.actual == 10
    # 其中 乡镇、县直单位 4200: rows 1–10 now add up to 4210
    tg = the(n, "target-mismatch")
    assert (tg.expected, tg.actual) == (4200, 4210)
    # the monthly plan still schedules 500 + 480 = 980 for 城关镇
    assert codes(n, "warning") == ["cross-table-mismatch"]
    cx = the(n, "cross-table-mismatch")
    assert (cx.expected, cx.actual) == (990, 980) and "城关镇" in cx.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_linjiang_dropped_row(tmp_path, fmt):
    n = read(linjiang().drop("县公安局"), tmp_path, fmt)               # row 8 (240) left out
    t = table(n, "t1")
    assert [r.seq for r in t.items] == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert Counter(codes(n, "error")) == Counter(["total-mismatch", "seq-gap", "target-mismatch"])
    tm = the(n, "total-mismatch")
    assert (tm.table_id, tm.expected, tm.actual) == ("t1", 4860 - 240, 4860)
    gap = the(n, "seq-gap")
    assert (gap.table_id, gap.expected, gap.actual) == ("t1", 8, 9)
    tg = the(n, "target-mismatch")
    assert (tg.expected, tg.actual) == (4200, 4200 - 240)


@pytest.mark.parametrize("fmt", FORMATS)
def test_linjiang_missing_seq(tmp_path, fmt):
    n = read(linjiang().unnumber("县公安局"), tmp_path, fmt)           # row 8 printed without 序号
    t = table(n, "t1")
    row = t.items[7]
    assert (row.org, row.portions, row.seq, row.seq_inferred) == ("县公安局", 240, 8, True)
    assert sum(r.seq_inferred for r in t.items) == 1
    assert codes(n, "error") == []
    assert codes(n, "warning") == ["seq-missing"]
    sm = the(n, "seq-missing")
    assert (sm.table_id, sm.row_no, sm.expected) == ("t1", 8, 8)


@pytest.mark.parametrize("fmt", FORMATS)
def test_linjiang_wrong_total(tmp_path, fmt):
    n = read(linjiang().with_total(4880), tmp_path, fmt)               # 合计 printed 4880, rows add to 4860
    assert table(n, "t1").total_row.portions == 4880
    assert Counter(codes(n, "error")) == Counter(["total-mismatch", "target-mismatch"])
    tm = the(n, "total-mismatch")
    assert (tm.table_id, tm.row_no, tm.expected, tm.actual) == ("t1", 13, 4860, 4880)
    # the table now allocates 4880 of a 4860 headline
    tg = the(n, "target-mismatch")
    assert (tg.expected, tg.actual) == (4860, 4880)


# ------------------------------------------------------------------------------------------ 南屏镇 2022, two lists

NP_ROWS = [
    (1, "南屏社区", 120), (2, "东街社区", 95), (3, "西街社区", 88), (4, "河湾村", 64), (5, "石桥村", 57),
    (6, "柳塘村", 52), (7, "新华村", 49), (8, "桃源村", 45), (9, "镇机关", 60), (10, "镇卫生院", 70),
    (11, "南屏中学", 40), (12, "南屏中心小学", 30), (13, "镇派出所", 25), (14, "工业园区企业", 180),
    (15, "个体工商户", 90), (16, "辖区流动人口", 135),
]
NP_TOTAL = 1200


def test_nanping_expectations_are_what_the_factory_prints():
    spec = nanping()
    assert [(u.seq, u.org, u.portions) for u in spec.units] == NP_ROWS
    assert sum(p for *_, p in NP_ROWS) == NP_TOTAL == spec.total_printed
    rows = spec.alloc_grid().rows
    # printed side by side: 1 | 10 on the first row, 9 | 合计 on the last, one blank right-hand row
    assert rows[0] == ["序号", "单位名称", "数量"] * 2
    assert rows[1] == ["1", "南屏社区", "120", "10", "镇卫生院", "70"]
    assert rows[-1] == ["9", "镇机关", "60", "", "合计", "1200"]
    assert rows[-2][3:] == ["", "", ""]


@pytest.fixture(scope="module", params=FORMATS)
def np_(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nanping")
    return request.param, read(nanping(), folder, request.param)


def test_nanping_metadata(np_):
    fmt, n = np_
    f = n.facts
    assert f.title == "关于做好2022年南屏镇无偿献血工作的通知"
    assert (f.region, f.year, f.status, f.unit_ml, f.total_target) == ("南屏镇", 2022, "final", 200, 1200)
    assert f.doc_number == "南府发〔2022〕7号"
    assert f.issuer == "南屏镇人民政府"
    assert (f.signed_on, f.issued_on) == ("2022-02-18", "2022-02-18")
    assert [x for x in f.targets if x.kind == "sub"] == []


def test_nanping_two_lists_unfolded_in_seq_order(np_):
    fmt, n = np_
    assert len(n.tables) == 1
    t = n.tables[0]
    assert (t.kind, t.n_lists, t.has_seq, t.annex, t.title) == ("allocation", 2, True, "附件", "2022年南屏镇无偿献血任务分配表")
    assert [(r.seq, r.org, r.portions) for r in t.items] == NP_ROWS
    assert [r.row_no for r in t.rows] == list(range(1, 18))
    assert (t.rows[-1].row_type, t.rows[-1].portions) == ("total", NP_TOTAL)
    assert not any(r.seq_inferred for r in t.items)


def test_nanping_clean_has_no_errors_or_warnings(np_):
    fmt, n = np_
    assert codes(n, "error") == [] and codes(n, "warning") == []
    assert not {"unallocated-remainder", "merged-cell", "blank-cell"} & {f.code for f in n.findings}


@pytest.mark.parametrize("fmt", FORMATS)
def test_nanping_missing_seq_in_right_list(tmp_path, fmt):
    n = read(nanping().unnumber("南屏中心小学"), tmp_path, fmt)       # 12, in the right-hand list
    t = n.tables[0]
    assert [(r.seq, r.org, r.portions) for r in t.items] == NP_ROWS
    assert [r.org for r in t.items if r.seq_inferred] == ["南屏中心小学"]
    assert codes(n, "error") == [] and codes(n, "warning") == ["seq-missing"]
    sm = the(n, "seq-missing")
    assert (sm.table_id, sm.row_no, sm.expected) == ("t1", 12, 12)


@pytest.mark.parametrize("fmt", FORMATS)
def test_nanping_dropped_row(tmp_path, fmt):
    n = read(nanping().drop("石桥村"), tmp_path, fmt)                 # 5, 57 人份, left list
    t = n.tables[0]
    assert [r.seq for r in t.items] == [s for s, _, _ in NP_ROWS if s != 5]
    assert Counter(codes(n, "error")) == Counter(["total-mismatch", "seq-gap"])
    tm = the(n, "total-mismatch")
    assert (tm.table_id, tm.expected, tm.actual) == ("t1", NP_TOTAL - 57, NP_TOTAL)
    gap = the(n, "seq-gap")
    assert (gap.expected, gap.actual) == (5, 6)


# ------------------------------------------------------------------------------------------ the CSV files


def _csv(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), f"{path.name} has no UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_rows_of_invented_notices(tmp_path):
    """Both notices in every format through batch.run and the writers: the CSV rows say what was printed."""
    src = tmp_path / "in"
    for fmt in FORMATS:
        write(linjiang(), src, fmt, "linjiang")
        write(nanping(), src, fmt, "nanping")
    notices = batch.run([str(src)])
    out = tmp_path / "out"
    write_all(notices, str(out))

    rows = _csv(out / "notices.csv")
    assert len(rows) == 2 * len(FORMATS)
    by_id = {r["notice_id"]: r for r in rows}
    assert len(by_id) == len(rows)
    for r in rows:
        lj = "linjiang" in r["source_file"]
        assert (r["region"], r["year"], r["total_target"]) == (("临江县", "2023", "4860") if lj else ("南屏镇", "2022", "1200"))
        assert r["doc_number"] == ("临卫发〔2023〕12号" if lj else "南府发〔2022〕7号")
        assert r["issued_on"] == ("2023-03-08" if lj else "2022-02-18")
        assert (r["status"], r["unit_ml"], r["anomaly_count"]) == ("final", "200", "0")

    alloc = _csv(out / "allocations.csv")
    plan = _csv(out / "monthly_plan.csv")
    for nid, r in by_id.items():
        mine = [a for a in alloc if a["notice_id"] == nid]
        if "linjiang" in r["source_file"]:
            expect = [(str(s), o, note, str(p), "item") for s, o, note, p in LJ_ROWS] + [("", "合计", "", "4860", "total")]
            assert [(a["seq"], a["org"], a["org_note"], a["portions"], a["row_type"]) for a in mine] == expect
            months = [(p["month_from"], p["month_to"], p["org"], p["portions"], p["merged"])
                      for p in plan if p["notice_id"] == nid]
            assert months == [(str(a), str(b), o, str(v), "true" if m else "false") for a, b, o, _, v, m in LJ_PLAN]
        else:
            expect = [(str(s), o, "", str(p), "item") for s, o, p in NP_ROWS] + [("", "合计", "", "1200", "total")]
            assert [(a["seq"], a["org"], a["org_note"], a["portions"], a["row_type"]) for a in mine] == expect
            assert [a["row_no"] for a in mine] == [str(i) for i in range(1, 18)]
            assert {a["seq_inferred"] for a in mine} == {"false"}
        pdf = r["format"] == "pdf"
        assert {a["page"] for a in mine} == ({"2"} if pdf else {""})
