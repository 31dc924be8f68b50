"""A notice in several files (issue 13.5): a body file and its annex files beside it are read as one notice, so
the headline in the body is checked against the annexes' totals as within one file. The class of input: offices
publish the body as one file (named by its title) and the annex tables as files named 附件…; or name the annex
files after the body (关于…的通知-附件1.xlsx)."""
from pathlib import Path

import pytest

from conftest import SAMPLES
from ingest import ingest_file, ingest_paths
from ingest.batch import Input, group

SEVERAL = SAMPLES / "several-files"


@pytest.fixture(scope="module")
def combined(tmp_path_factory):
    result = ingest_paths([str(SEVERAL)], str(tmp_path_factory.mktemp("out")), {"cache_dir": None, "jobs": 1})
    assert result.exit_code == 0
    return {Path(n.source_file).parent.name: n for n in result.notices}


def _rows(n):
    return [(t.kind, [(r.row_type, r.org, r.org_note, r.seq, r.portions, r.month_from, r.month_to) for r in t.rows])
            for t in n.tables]


def _findings(n):
    return sorted((f.code, f.table_id, f.row_no, f.field, f.expected, f.actual) for f in n.findings
                  if f.code not in ("text-repaired", "reader-note"))


@pytest.mark.parametrize("stem", ["pudong-2024", "qingpu-2021"])
def test_body_and_annex_files_read_as_the_one_file_notice(combined, stem):
    one = ingest_file(str(SAMPLES / f"{stem}.docx"))
    both = combined[stem]
    assert len(combined) == 2 and both.annex_files and Path(both.source_file).suffix == ".docx"
    for fact in ("title", "region", "year", "doc_number", "total_target", "status", "signed_on", "issued_on"):
        assert getattr(both.facts, fact) == getattr(one.facts, fact), fact
    assert _rows(both) == _rows(one)
    assert [t.annex for t in both.tables] == [t.annex for t in one.tables]
    assert _findings(both) == _findings(one)
    assert all(t.source_file.endswith(".xlsx") for t in both.tables)


def test_the_body_is_checked_against_the_annex_totals(combined):
    n = combined["qingpu-2021"]
    [rest] = [f for f in n.findings if f.code == "unallocated-remainder"]
    assert (rest.expected, rest.actual) == (16687, 11237)


def ids(*paths):
    return [Input(p, p) for p in paths]


@pytest.mark.parametrize("paths, groups, alone", [
    # 附件… beside one body: the body's
    (["f/关于开展2025年献血工作的通知.docx", "f/附件1 任务分配表.xlsx", "f/附件2.pdf"], [(0, (1, 2))], {}),
    # annex numbers in order as numbers
    (["f/通知.pdf", "f/附件10.xlsx", "f/附件2.xlsx"], [(0, (2, 1))], {}),
    # named after its body: that body's, even beside others
    (["f/a.pdf", "f/a-附件1.xlsx", "f/b.pdf", "f/b_附表.xlsx"], [(0, (1,)), (2, (3,))], {}),
    # 附件 beside two bodies: nobody's, read alone and said to be
    (["f/a.pdf", "f/b.pdf", "f/附件.xlsx"], [(0, ()), (1, ()), (2, ())], {2: "ambiguous"}),
    # an annex alone in its folder
    (["f/附件1.xlsx"], [(0, ())], {0: "no-body"}),
    # files of other folders never mix; a name with the word inside is no annex (会议附件说明 is a body)
    (["f/a.pdf", "g/附件1.xlsx", "f/会议附件说明.docx"], [(0, ()), (1, ()), (2, ())], {1: "no-body"}),
    # versions of one notice in several formats are separate notices
    (["s/pudong-2024.pdf", "s/pudong-2024.docx", "s/pudong-2024-annex.xlsx"], [(0, ()), (1, ()), (2, ())], {}),
])
def test_which_files_make_one_notice(paths, groups, alone):
    got, lone = group(ids(*paths))
    assert [(g.body, g.annexes) for g in got] == groups and lone == alone


def test_an_annex_alone_is_said_to_be(tmp_path):
    (tmp_path / "附件1.txt").write_text("附件1\n序号\t单位\t任务数\n1\t东山村\t12\n", encoding="utf-8")
    result = ingest_paths([str(tmp_path)], str(tmp_path / "out"), {"cache_dir": None, "jobs": 1})
    [n] = result.notices
    assert [f.code for f in n.findings if f.code == "annex-unassigned"] == ["annex-unassigned"]
