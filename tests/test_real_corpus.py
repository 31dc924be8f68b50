"""The real-notice corpus score (bench/real.py, `make bench-real`): it must not fall below the figures kept in
bench/real_score.json; and the scorer itself, on small truths and outputs written here, so that a scoring bug
cannot hide behind the corpus figures."""
import json
import os
from pathlib import Path

import pytest

from bench import real as bench_real
from bench.real import OutRow, Output, score_outputs

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(os.environ.get("REAL") or ROOT.parent / "shared" / "corpus" / "real")


def test_corpus_score_does_not_fall():
    assert (REAL / "truth.json").is_file(), (
        f"the real-notice corpus is not at {REAL} (CI keeps it at ../shared/corpus/real beside the repository); "
        "set REAL=path to the folder holding truth.json and cases/")
    missing, worse = bench_real.worse_than_kept(REAL, bench_real.KEPT)
    assert not missing, f"{bench_real.KEPT} lacks figures {missing}: run `make bench-real UPDATE=1`"
    assert not worse, (
        "the real-corpus score got worse than the figures kept in bench/real_score.json: " + "; ".join(worse)
        + ". `make bench-real` shows the table per file (bench/real.py --details lists each miss). "
        "When every figure is at least as good, `make bench-real UPDATE=1` keeps the new ones.")


# ------------------------------------------------------------------------------------------------ the scorer


def truth_of(*cases):
    return {"about": "", "cases": list(cases)}


def case(file="a.txt", items=(), notice=None, **extra):
    tables = [{"title": "t", "scored": True, "stated_total": None, "items": list(items)}] if items else []
    return {"file": file, "clean": None, "notice": notice or {}, "tables": tables,
            "required_findings": [], "forbidden_findings": [], **extra}


def one(truth_case, output):
    return score_outputs({truth_case["file"]: output}, truth_of(truth_case)).files[0]


def test_org_matches_with_all_whitespace_removed_and_either_bracket_width():
    truth = case(items=[{"org": "办公室", "portions": 2}, {"org": "农场机关(含服务大厅)", "portions": 20}])
    fs = one(truth, Output(rows=[OutRow("办 公\u3000室", 2), OutRow("农场机关（含服务大厅）", 20)]))
    assert (fs.rows_found, fs.rows_expected, fs.extra_rows) == (2, 2, 0)


def test_org_alt_and_an_org_note_split_are_accepted():
    item = {"org": "永興社區(qū)", "portions": 17, "org_alt": ["永興社區"]}
    for row in (OutRow("永興社區(qū)", 17), OutRow("永興社區", 17), OutRow("永興社區", 17, "（qū）"),
                OutRow("永興社區", 17, "qū")):
        assert one(case(items=[item]), Output(rows=[row])).rows_found == 1, row


def test_a_note_that_is_not_the_missing_part_does_not_complete_an_org():
    item = {"org": "农场机关(含服务大厅)", "portions": 20}
    assert one(case(items=[item]), Output(rows=[OutRow("农场机关", 20, "（城区）")])).rows_found == 0
    assert one(case(items=[item]), Output(rows=[OutRow("农场机关", 20)])).rows_found == 0


def test_a_group_label_in_the_note_does_not_spoil_a_right_org():
    fs = one(case(items=[{"org": "市本级", "portions": 4500}]), Output(rows=[OutRow("市本级", 4500, "市区")]))
    assert fs.rows_found == 1


def test_a_missing_row_and_a_wrong_portion_are_misses():
    items = [{"org": "卫生院", "portions": 15}, {"org": "派出所", "portions": 3}, {"org": "司法所", "portions": 2}]
    fs = one(case(items=items), Output(rows=[OutRow("卫生院", 15), OutRow("派出所", 4)]))
    assert (fs.rows_found, fs.rows_expected, fs.extra_rows) == (1, 3, 1)
    assert "row not found: 派出所 3" in fs.misses and "row not found: 司法所 2" in fs.misses


def test_an_org_keeping_a_separator_is_not_the_org():
    fs = one(case(items=[{"org": "财政所", "portions": 1}]), Output(rows=[OutRow("|财政所|", 1)]))
    assert fs.rows_found == 0 and fs.extra_rows == 1


def test_one_output_row_serves_one_truth_row():
    items = [{"org": "村", "portions": 1}, {"org": "村", "portions": 1}]
    assert one(case(items=items), Output(rows=[OutRow("村", 1)])).rows_found == 1
    assert one(case(items=items), Output(rows=[OutRow("村", 1), OutRow("村", 1)])).rows_found == 2


def test_portions_compare_as_integers_only():
    truth = case(items=[{"org": "村", "portions": 1}])
    assert one(truth, Output(rows=[OutRow("村", None)])).rows_found == 0
    assert one(truth, Output(rows=[OutRow("村", True)])).rows_found == 0


def test_rows_of_tables_not_scored_do_not_count_and_partial_tables_count_their_rows():
    truth = case(items=[{"org": "甲", "portions": 1}])
    truth["tables"][0]["partial"] = True
    truth["tables"].append({"title": "u", "scored": False, "stated_total": None, "items": [{"org": "乙", "portions": 2}]})
    fs = one(truth, Output(rows=[OutRow("甲", 1)]))
    assert (fs.rows_found, fs.rows_expected) == (1, 1)


def test_rows_from_a_file_whose_truth_has_no_table_are_kept_apart():
    notable = case(file="n.txt")
    tabled = case(file="t.txt", items=[{"org": "甲", "portions": 1}])
    result = score_outputs({"n.txt": Output(rows=[OutRow("索引号", 1)]),
                            "t.txt": Output(rows=[OutRow("甲", 1), OutRow("长", None)])}, truth_of(notable, tabled))
    figures = result.figures()
    assert figures["rows_in_tableless_files"] == 1 and result.sum("extra_rows") == 2


def test_stated_totals_are_found_as_total_rows_and_other_total_rows_are_invented():
    truth = case(items=[{"org": "甲", "portions": 1}])
    truth["tables"][0]["stated_total"] = 87
    fs = one(truth, Output(rows=[OutRow("甲", 1)], totals=[87, 88]))
    assert (fs.totals_found, fs.totals_expected, fs.invented_totals) == (1, 1, 1)
    fs = one(case(items=[{"org": "甲", "portions": 1}]), Output(totals=[1]))
    assert (fs.totals_found, fs.totals_expected, fs.invented_totals) == (0, 0, 1)


def test_forbidden_findings_at_their_severity_and_required_findings():
    truth = case(forbidden_findings=[{"code": "total-mismatch", "why": ""},
                                     {"code": "year-mismatch", "severity": "error", "why": ""}],
                 required_findings=["seq-gap", {"code": "draft"}])
    fs = one(truth, Output(findings=[("year-mismatch", "warning"), ("seq-gap", "error")]))
    assert (fs.forbidden_absent, fs.forbidden_expected) == (2, 2)
    assert (fs.required_present, fs.required_expected) == (1, 2)
    fs = one(truth, Output(findings=[("total-mismatch", "error"), ("year-mismatch", "error")]))
    assert fs.forbidden_absent == 0 and "forbidden finding present: total-mismatch" in fs.misses


def test_error_findings_count_only_on_files_the_truth_calls_clean():
    output = Output(findings=[("not-a-number", "error"), ("blank-cell", "warning")])
    assert one(case(clean=True), output).clean_file_errors == 1
    assert one(case(clean=False), output).clean_file_errors == 0
    assert one(case(clean=None), output).clean_file_errors == 0


def test_notice_fields_not_null_are_right_or_wrong_and_null_ones_filled_are_counted_apart():
    notice = {"year": 2021, "doc_number": "", "issued_on": "2021-05-14", "total_target": None, "unit": "人"}
    fs = one(case(notice=notice), Output(fields={"year": 2021, "doc_number": "", "issued_on": "2021-05-18",
                                                 "total_target": 300}))
    assert {k: v[0] for k, v in fs.fields.items()} == {"year": "right", "doc_number": "right",
                                                       "issued_on": "wrong", "total_target": "filled"}
    assert (fs.metadata_right, fs.metadata_expected, fs.null_fields_filled) == (2, 3, 1)


def test_doc_number_compared_exactly_and_an_empty_truth_wants_none():
    want = {"doc_number": "老政办发〔2021〕3号"}
    assert one(case(notice=want), Output(fields={"doc_number": "老政办发〔2021〕3号"})).metadata_right == 1
    assert one(case(notice=want), Output(fields={"doc_number": "老政办发[2021]3号"})).metadata_right == 0
    assert one(case(notice={"doc_number": ""}), Output(fields={"doc_number": None})).metadata_right == 1
    assert one(case(notice={"doc_number": ""}), Output(fields={"doc_number": "华政办函〔2021〕4号"})).metadata_right == 0


def test_fields_absent_from_the_truth_are_not_looked_at():
    fs = one(case(notice={"year": 2008}), Output(fields={"year": 2008, "doc_number": "某〔2008〕1号"}))
    assert set(fs.fields) == {"year"} and fs.null_fields_filled == 0


def test_output_of_reads_signed_on_as_the_truths_issued_on(tmp_path):
    from ingest import ingest_file

    path = tmp_path / "n.txt"
    path.write_text("关于做好2024年无偿献血工作的通知\n\n各单位：\n现将有关事项通知如下。\n\n某某镇人民政府\n2024年3月5日\n",
                    encoding="utf-8")
    notice = ingest_file(str(path))
    assert bench_real.output_of(notice).fields["issued_on"] == notice.facts.signed_on == "2024-03-05"


def test_a_listed_file_without_output_is_all_missed():
    result = score_outputs({}, truth_of(case(items=[{"org": "甲", "portions": 1}], notice={"year": 2020})))
    assert result.figures()["rows_found"] == 0 and result.figures()["metadata_right"] == 0
    assert result.figures()["rows_expected"] == 1 and result.figures()["metadata_expected"] == 1


def test_score_refuses_a_truth_naming_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="gone.txt"):
        bench_real.score(tmp_path, truth_of(case(file="gone.txt")))


def test_regressions_follow_each_figures_direction():
    kept = {"rows_found": 5, "clean_file_errors": 1, "metadata_right": 30}
    now = {**{name: 0 for name in bench_real.FIGURES}, "rows_found": 6, "clean_file_errors": 2, "metadata_right": 29}
    assert bench_real.regressions(now, kept) == ["metadata_right fell from 30 to 29",
                                                 "clean_file_errors rose from 1 to 2"]


def test_update_rewrites_the_kept_file_only_when_nothing_is_worse(tmp_path, monkeypatch, capsys):
    real = tmp_path / "real"
    (real / "cases").mkdir(parents=True)
    (real / "cases" / "a.txt").write_text("关于做好2024年无偿献血工作的通知\n", encoding="utf-8")
    (real / "truth.json").write_text(json.dumps(truth_of(case(notice={"doc_number": ""}))), encoding="utf-8")
    kept = tmp_path / "kept.json"
    bench_real.write_kept(kept, {**{name: 0 for name in bench_real.FIGURES}, "metadata_right": 5})
    assert bench_real.main(["--real", str(real), "--kept", str(kept), "--update"]) == 1
    assert bench_real.load_kept(kept)["metadata_right"] == 5
    bench_real.write_kept(kept, {name: 0 for name in bench_real.FIGURES})
    assert bench_real.main(["--real", str(real), "--kept", str(kept), "--update"]) == 0
    assert bench_real.load_kept(kept)["metadata_right"] == 1 and bench_real.load_kept(kept)["metadata_expected"] == 1
    assert "| a.txt |" in capsys.readouterr().out


def test_values_from_a_document_are_escaped_in_the_table():
    fs = one(case(notice={"doc_number": ""}), Output(fields={"doc_number": "x | y\n<b>" + "长" * 100}))
    line = bench_real.file_line(fs)
    cell = line[bench_real.HEADER.index("doc_number")]
    assert "\\|" in cell and "\n" not in cell and "\\<b\\>" in cell and len(cell) < 40


def test_a_monthly_plans_rows_and_total_are_not_target_rows():
    from types import SimpleNamespace as NS

    def row(org, portions, row_type="item"):
        return NS(org=org, portions=portions, org_note="", row_type=row_type)
    alloc = NS(kind="allocation", rows=[row("甲", 10), row("乙", 5), row("合计", 15, "total")])
    plan = NS(kind="monthly", rows=[row("甲", 4), row("甲", 6), row("乙", 5), row("合计", 15, "total")])
    facts = NS(year=2024, doc_number="", signed_on=None, total_target=None)
    out = bench_real.output_of(NS(tables=[alloc, plan], facts=facts, findings=[]))
    assert [(r.org, r.portions) for r in out.rows] == [("甲", 10), ("乙", 5)] and out.totals == [15]


def test_update_keeps_the_about_of_the_kept_file(tmp_path):
    kept = tmp_path / "kept.json"
    bench_real.write_kept(kept, {"rows_found": 1}, "probe figures")
    assert bench_real.kept_about(kept) == "probe figures"
    assert bench_real.kept_about(tmp_path / "missing.json") == ""
