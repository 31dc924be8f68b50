"""The facts SPEC.md states for the two real notices, checked in every format each comes in."""
import pytest

from conftest import codes, table

PUDONG = ["pudong-2024.pdf", "pudong-2024.docx", "pudong-2024.txt"]
QINGPU = ["qingpu-2021.pdf", "qingpu-2021.docx", "qingpu-2021.txt"]


@pytest.mark.parametrize("name", PUDONG)
def test_pudong_metadata(notices, name):
    f = notices[name].facts
    assert f.title == "关于做好2024年浦东新区无偿献血工作的意见"
    assert (f.region, f.year, f.status, f.unit_ml) == ("浦东新区", 2024, "final", 200)
    assert f.doc_number == "浦卫医政〔2024〕6号"
    assert f.issuer == "上海市浦东新区卫生健康委员会"
    assert (f.signed_on, f.issued_on) == ("2024-08-12", "2024-08-16")
    assert f.total_target == 57510
    assert [(x.portions) for x in f.targets if x.kind == "sub"] == [41200, 15910, 400]


@pytest.mark.parametrize("name", PUDONG)
def test_pudong_table(notices, name):
    n = notices[name]
    assert len(n.tables) == 1
    t = n.tables[0]
    assert t.kind == "allocation" and t.n_lists == 2
    assert len(t.items) == 89
    assert [r.seq for r in t.items] == list(range(1, 90))
    assert t.total_row.portions == 57510 and t.rows[-1].row_type == "total"
    assert sum(r.portions for r in t.items if r.seq <= 87) == 41200
    row21 = t.items[20]
    assert (row21.org, row21.portions, row21.seq, row21.seq_inferred) == ("区人社局", 27, 21, True)
    assert sum(r.seq_inferred for r in t.items) == 1


@pytest.mark.parametrize("name", PUDONG)
def test_pudong_findings(notices, name):
    n = notices[name]
    assert codes(n, "error") == []
    missing = [f for f in n.findings if f.code == "seq-missing"]
    assert len(missing) == 1 and missing[0].row_no == 21 and missing[0].expected == 21
    assert "total-mismatch" not in codes(n) and "target-mismatch" not in codes(n)
    assert codes(n, "warning") == ["seq-missing"]


def test_pudong_pdf_repairs_and_pages(notices):
    n = notices["pudong-2024.pdf"]
    assert n.repairs.get("brackets", 0) >= 1 and n.repairs.get("page-furniture", 0) >= 1
    rows = n.tables[0].items
    assert all(r.source.page for r in rows)
    # the table runs over two pages; rows 1–68 on the first, 69–89 on the second
    assert rows[0].source.page + 1 == rows[-1].source.page
    assert {r.source.page for r in rows if r.seq <= 68} == {rows[0].source.page}


@pytest.mark.parametrize("name", QINGPU)
def test_qingpu_metadata(notices, name):
    f = notices[name].facts
    assert f.title == "关于做好2021年青浦区无偿献血工作的意见"
    assert (f.region, f.year, f.status, f.total_target, f.unit_ml) == ("青浦区", 2021, "draft", 16687, 200)
    assert f.doc_number == ""          # a draft has no 文号 of its own; the cited ones are not taken
    assert "draft" in codes(notices[name])


@pytest.mark.parametrize("name", QINGPU)
def test_qingpu_tables(notices, name):
    n = notices[name]
    assert [(t.kind, len(t.items), t.total_row.portions) for t in n.tables] == [
        ("allocation", 11, 10118), ("allocation", 56, 1119), ("monthly", 17, 11237)]
    assert [t.annex for t in n.tables] == ["附件1", "附件2", "附件3"]
    for t in n.tables:
        assert sum(r.portions for r in t.items) == t.total_row.portions


@pytest.mark.parametrize("name", QINGPU)
def test_qingpu_monthly_merges(notices, name):
    plan = table(notices[name], "t3")
    by_org = {}
    for r in plan.items:
        by_org.setdefault(r.org, []).append(r)
    zhaoxiang = by_org["赵巷镇"]
    assert [(r.month_from, r.month_to, r.portions, r.merged) for r in zhaoxiang] == [(8, 9, 792, True)]
    liantang = [(r.month_from, r.month_to, r.portions, r.org_note) for r in by_org["练塘镇"]]
    assert liantang == [(4, 4, 538, "（蒸淀、小蒸）"), (11, 12, 533, "")]
    assert all(r.month_from for r in plan.items)
    assert [r for r in plan.items if r.org == "夏阳街道"][0].month_from == 4


@pytest.mark.parametrize("name", QINGPU)
def test_qingpu_findings(notices, name):
    n = notices[name]
    assert codes(n, "error") == [] and codes(n, "warning") == []
    rem = [f for f in n.findings if f.code == "unallocated-remainder"]
    assert len(rem) == 1 and rem[0].expected - rem[0].actual == 5450
    rec = [f for f in n.findings if f.code == "cross-table-reconciled"]
    assert len(rec) == 1 and rec[0].actual == 599 and rec[0].expected == 599
    assert "cross-table-mismatch" not in codes(n)
    merged = [f for f in n.findings if f.code == "merged-cell"]
    assert len(merged) == 9 and all(f.table_id == "t3" for f in merged)
