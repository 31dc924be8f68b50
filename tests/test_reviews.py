"""A reviewer's decisions (reviews.toml) applied on the next run: acceptances, corrections, stale decisions, --strict.

Every test works on its own copy of the sample files and runs the command as a user would.
"""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES

ACCEPT_AND_CORRECT = """
[[accept]]
notice_id = "pudong-2024-pdf"
key = "seq-missing/t1/21/seq"
expected = 21
reason = "原件此行确无序号，推定的 21 正确"

[[correct]]
notice_id = "qingpu-2021-pdf"
table_id = "t1"
org = "朱家角镇"
was = 1222
value = 1250
reason = "与区献血办核对，应为 1250"
"""


def run(*args, cwd=ROOT, cache=None):
    env = dict(os.environ)
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    cmd = [sys.executable, "-m", "ingest", *map(str, args)]
    if cache is None:
        cmd.append("--no-cache")
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def find(rows, **kw) -> list[dict]:
    return [r for r in rows if all(r[k] == v for k, v in kw.items())]


@pytest.fixture
def samples(tmp_path):
    """A copy of the sample notices (the files, not the folders under samples/)."""
    folder = tmp_path / "samples"
    folder.mkdir()
    for f in SAMPLES.iterdir():
        if f.is_file() and f.suffix in (".pdf", ".docx", ".txt"):
            shutil.copy(f, folder / f.name)
            os.chmod(folder / f.name, 0o644)
    return folder


def test_accept_and_correct(samples, tmp_path):
    (samples / "reviews.toml").write_text(ACCEPT_AND_CORRECT, encoding="utf-8")
    out = tmp_path / "out"
    proc = run(samples, "--out", out, "--quiet")          # reviews.toml is found next to the inputs
    assert proc.returncode == 0, proc.stderr
    anomalies = read_csv(out / "anomalies.csv")

    # the acceptance: that finding is reviewed, with the reason; the same finding of the other formats is not
    [accepted] = find(anomalies, notice_id="pudong-2024-pdf", code="seq-missing")
    assert accepted["reviewed"] == "true" and accepted["review_reason"] == "原件此行确无序号，推定的 21 正确"
    assert accepted["finding_key"] == "seq-missing/t1/21/seq"
    for nid in ("pudong-2024-docx", "pudong-2024-txt"):
        [other] = find(anomalies, notice_id=nid, code="seq-missing")
        assert other["reviewed"] == "false" and other["review_reason"] == ""

    # the correction: the corrected value in allocations.csv, the original beside it, the reason
    allocations = read_csv(out / "allocations.csv")
    [row] = find(allocations, notice_id="qingpu-2021-pdf", table_id="t1", org="朱家角镇")
    assert (row["portions"], row["corrected_field"], row["corrected_from"], row["review_reason"]) == \
        ("1250", "portions", "1222", "与区献血办核对，应为 1250")
    assert row["value_printed"] == "1222"
    [untouched] = find(allocations, notice_id="qingpu-2021-txt", table_id="t1", org="朱家角镇")
    assert untouched["portions"] == "1222" and untouched["corrected_from"] == ""

    # nothing corrected silently: an info finding says what changed, and the checks saw the corrected value
    [said] = find(anomalies, notice_id="qingpu-2021-pdf", code="value-corrected")
    assert (said["severity"], said["table_id"], said["row_no"], said["expected"], said["actual"]) == \
        ("info", "t1", row["row_no"], "1250", "1222")
    [total] = find(anomalies, notice_id="qingpu-2021-pdf", code="total-mismatch")
    assert (total["severity"], total["expected"], total["actual"]) == ("error", "10146", "10118")
    assert not find(anomalies, code="stale-review")
    notices = {r["notice_id"]: r for r in read_csv(out / "notices.csv")}
    assert notices["qingpu-2021-pdf"]["errors"] == "1" and notices["qingpu-2021-txt"]["errors"] == "0"

    # the report: the accepted finding in the 已审核 part only, the correction among the findings
    md = (out / "report.md").read_text(encoding="utf-8")
    open_part, reviewed_part = md.split("\n## 已审核\n")
    assert "`pudong-2024-pdf` `seq-missing/t1/21/seq`" in reviewed_part
    assert "`pudong-2024-pdf` `seq-missing/t1/21/seq`" not in open_part
    assert "审核理由：原件此行确无序号" in reviewed_part
    assert "`qingpu-2021-pdf` `value-corrected/t1/" in open_part and "1250（原为 1222）" in open_part
    html = (out / "report.html").read_text(encoding="utf-8")
    reviewed_html = html.split('<section class="part" id="reviewed">')[1]
    assert 'data-notice="pudong-2024-pdf" data-key="seq-missing/t1/21/seq"' in reviewed_html
    assert html.count('data-notice="pudong-2024-pdf" data-key="seq-missing/t1/21/seq"') == 1

    # --strict: the correction left an error nobody accepted
    proc = run(samples, "--out", tmp_path / "strict", "--quiet", "--strict")
    assert proc.returncode == 5 and "1 errors not reviewed" in proc.stderr and "qingpu-2021-pdf" in proc.stderr
    # accepting that error (by its fields this time) lets --strict pass
    with open(samples / "reviews.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[[accept]]\nnotice_id = "qingpu-2021-pdf"\ncode = "total-mismatch"\ntable_id = "t1"\n'
                 'reason = "合计待区里重新下发"\n')
    proc = run(samples, "--out", tmp_path / "strict", "--quiet", "--strict")
    assert proc.returncode == 0, proc.stderr


def test_changed_document_makes_decisions_stale(samples, tmp_path):
    decisions = """
[[accept]]
notice_id = "pudong-2024-txt"
key = "seq-missing/t1/21/seq"
reason = "原件无序号"

[[correct]]
notice_id = "qingpu-2021-txt"
table_id = "t1"
org = "朱家角镇"
was = 1222
value = 1250
reason = "核对后应为 1250"

[[accept]]
notice_id = "renamed-2020-pdf"
code = "draft"
reason = "这个文件已改名"
"""
    reviews = tmp_path / "decisions.toml"            # passed with --reviews, not next to the inputs
    reviews.write_text(decisions, encoding="utf-8")
    out = tmp_path / "out"
    proc = run(samples, "--out", out, "--quiet", "--reviews", reviews)
    assert proc.returncode == 0, proc.stderr
    anomalies = read_csv(out / "anomalies.csv")
    assert find(anomalies, notice_id="pudong-2024-txt", code="seq-missing", reviewed="true")
    assert find(anomalies, notice_id="qingpu-2021-txt", code="value-corrected")
    assert not find(anomalies, code="stale-review")
    # the decision naming a notice this run did not read is listed, not dropped
    assert "renamed-2020-pdf" in proc.stderr
    assert "## 未用到的审核决定" in (out / "report.md").read_text(encoding="utf-8")

    # the documents change under the decisions: row 21 gets its 序号, 朱家角镇 another figure
    pudong = samples / "pudong-2024.txt"
    text = pudong.read_text(encoding="utf-8")
    assert "\n 区人社局 27 55 浦兴街道 802" in text
    pudong.write_text(text.replace("\n 区人社局 27 55 浦兴街道 802", "\n21 区人社局 27 55 浦兴街道 802"), encoding="utf-8")
    qingpu = samples / "qingpu-2021.txt"
    text = qingpu.read_text(encoding="utf-8")
    assert "朱家角镇\t1222" in text
    qingpu.write_text(text.replace("朱家角镇\t1222", "朱家角镇\t1230"), encoding="utf-8")

    proc = run(samples, "--out", out, "--quiet", "--reviews", reviews)
    assert proc.returncode == 0, proc.stderr
    anomalies = read_csv(out / "anomalies.csv")
    [stale_accept] = find(anomalies, notice_id="pudong-2024-txt", code="stale-review")
    assert stale_accept["severity"] == "warning" and stale_accept["table_id"] == "t1" and stale_accept["row_no"] == "21"
    assert "已找不到这条发现" in stale_accept["message"] and "原件无序号" in stale_accept["message"]
    [stale_fix] = find(anomalies, notice_id="qingpu-2021-txt", code="stale-review")
    assert "现为 1230，不是决定中记下的 1222" in stale_fix["message"]
    # the stale correction was not applied: the document's own figure stands
    assert not find(anomalies, notice_id="qingpu-2021-txt", code="value-corrected")
    [row] = find(read_csv(out / "allocations.csv"), notice_id="qingpu-2021-txt", table_id="t1", org="朱家角镇")
    assert row["portions"] == "1230" and row["corrected_from"] == ""
    md = (out / "report.md").read_text(encoding="utf-8")
    assert md.count("`stale-review`") == 2


def test_pinned_figures_that_change_make_an_acceptance_stale(samples, tmp_path):
    (samples / "reviews.toml").write_text(
        '[[accept]]\nnotice_id = "qingpu-2021-txt"\nkey = "unallocated-remainder/-/-/total_target"\n'
        'expected = 16687\nactual = 11000\nreason = "余额另行分配"\n', encoding="utf-8")
    proc = run(samples, "--out", tmp_path / "out", "--quiet")
    assert proc.returncode == 0, proc.stderr
    anomalies = read_csv(tmp_path / "out" / "anomalies.csv")
    [f] = find(anomalies, notice_id="qingpu-2021-txt", code="unallocated-remainder")
    assert f["reviewed"] == "false"
    [stale] = find(anomalies, notice_id="qingpu-2021-txt", code="stale-review")
    assert "数字已变" in stale["message"]


def test_decisions_apply_through_the_cache(samples, tmp_path):
    """The cache holds what files say; a decision edited between two runs takes effect on the second."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    reviews = samples / "reviews.toml"
    reviews.write_text(ACCEPT_AND_CORRECT, encoding="utf-8")
    assert run(samples, "--out", out, "--quiet", cache=cache).returncode == 0
    reviews.write_text(ACCEPT_AND_CORRECT.replace("推定的 21 正确", "推定无误").replace("value = 1250", "value = 1300"),
                       encoding="utf-8")
    proc = run(samples, "--out", out, cache=cache)
    assert proc.returncode == 0 and re.search(r"0 parsed, \d+ from cache", proc.stderr), proc.stderr
    anomalies = read_csv(out / "anomalies.csv")
    assert find(anomalies, notice_id="pudong-2024-pdf", code="seq-missing")[0]["review_reason"] == "原件此行确无序号，推定无误"
    [row] = find(read_csv(out / "allocations.csv"), notice_id="qingpu-2021-pdf", table_id="t1", org="朱家角镇")
    assert (row["portions"], row["corrected_from"]) == ("1300", "1222")
    reviews.unlink()
    assert run(samples, "--out", out, "--quiet", cache=cache).returncode == 0
    assert not find(read_csv(out / "anomalies.csv"), reviewed="true")
    assert not find(read_csv(out / "allocations.csv"), corrected_from="1222")


@pytest.mark.parametrize("text, message", [
    ("[[accept]]\nnotice_id = 'pudong-2024-pdf'\nkey = 'seq-missing/t1/21/seq'\n", "a reason is required"),
    ("[[accept]]\nnotice_id = 'pudong-2024-pdf'\nkey = 'seq-missing/t1/21/seq'\nresaon = 'x'\nreason = 'x'\n",
     "unknown key 'resaon'"),
    ("[[accept]]\nkey = 'seq-missing/t1/21/seq'\nreason = 'x'\n", "notice_id is required"),
    ("[[accept]]\nnotice_id = 'a'\ncode = 'no-such-code'\nreason = 'x'\n", "unknown finding code"),
    ("[[correct]]\nnotice_id = 'a'\ntable_id = 't1'\nrow_no = 3\nreason = 'x'\n", "value is required"),
    ("[[correct]]\nnotice_id = 'a'\ntable_id = 't1'\nrow_no = 3\nvalue = '12'\nreason = 'x'\n", "whole number"),
    ("[[correct]]\nnotice_id = 'a'\ntable_id = 't1'\nrow_no = 3\nfield = 'title'\nvalue = 1\nreason = 'x'\n",
     "cannot be corrected"),
    ("[accept]\nreason = 'x'\n", "[[accept]] tables"),
    ("[[accept]\n", "not valid TOML"),
])
def test_a_malformed_reviews_file_stops_the_run(samples, tmp_path, text, message):
    (samples / "reviews.toml").write_text(text, encoding="utf-8")
    proc = run(samples, "--out", tmp_path / "out", "--quiet")
    assert proc.returncode == 2 and message in proc.stderr and "reviews.toml" in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()


def test_reviews_option_must_name_a_file(samples, tmp_path):
    proc = run(samples, "--out", tmp_path / "out", "--reviews", tmp_path / "missing.toml")
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_strict_exit_codes(samples, tmp_path):
    for f in samples.iterdir():               # the text files are enough here, and quick
        if f.suffix != ".txt":
            f.unlink()
    # the samples have no error finding: --strict passes
    proc = run(samples, "--out", tmp_path / "a", "--quiet", "--strict")
    assert proc.returncode == 0, proc.stderr
    # a file that cannot be read is exit 3 whether --strict or not (it is the more specific failure)
    (samples / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    assert run(samples, "--out", tmp_path / "b", "--quiet").returncode == 3
    assert run(samples, "--out", tmp_path / "b", "--quiet", "--strict").returncode == 3
    (samples / "broken.pdf").unlink()
    # an edited total makes an error: 5 with --strict, 0 without
    text = (samples / "qingpu-2021.txt").read_text(encoding="utf-8")
    (samples / "qingpu-2021.txt").write_text(text.replace("夏阳街道\t490", "夏阳街道\t500"), encoding="utf-8")
    assert run(samples, "--out", tmp_path / "c", "--quiet").returncode == 0
    proc = run(samples, "--out", tmp_path / "c", "--quiet", "--strict")
    assert proc.returncode == 5 and "qingpu-2021-txt" in proc.stderr


def test_readme_example_applies_cleanly_to_the_samples(samples, tmp_path):
    """The reviews.toml shown in README.md is valid and matches the samples (no stale decision)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.S)
    assert blocks, "README.md shows no reviews.toml example"
    (samples / "reviews.toml").write_text(blocks[0], encoding="utf-8")
    out = tmp_path / "out"
    proc = run(samples, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    anomalies = read_csv(out / "anomalies.csv")
    assert not find(anomalies, code="stale-review")
    assert find(anomalies, reviewed="true") and find(anomalies, code="value-corrected")


def test_library_use_applies_decisions(samples, tmp_path):
    from ingest import ingest_file
    reviews = tmp_path / "r.toml"
    reviews.write_text(ACCEPT_AND_CORRECT, encoding="utf-8")
    n = ingest_file(str(samples / "qingpu-2021.pdf"), "qingpu-2021-pdf", settings={"reviews": str(reviews)})
    [fix] = n.corrections
    assert (fix.field, fix.original, fix.value) == ("portions", 1222, 1250)
    assert [f.code for f in n.findings if f.severity == "error"] == ["total-mismatch"]
    plain = ingest_file(str(samples / "qingpu-2021.pdf"), "qingpu-2021-pdf")
    assert not plain.corrections and not [f for f in plain.findings if f.severity == "error"]


def test_report_offers_the_entry_to_copy(samples, tmp_path):
    out = tmp_path / "out"
    assert run(samples, "--out", out, "--quiet").returncode == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    article = re.search(r'<article[^>]*data-notice="pudong-2024-pdf" data-key="seq-missing/t1/21/seq".*?</article>',
                        html, re.S).group(0)
    snippet = re.search(r"<pre>(\[\[accept\]\].*?)</pre>", article, re.S).group(1)
    import html as html_lib
    import tomllib
    entry = tomllib.loads(html_lib.unescape(snippet).replace('reason = ""', 'reason = "ok"'))["accept"][0]
    assert entry == {"notice_id": "pudong-2024-pdf", "key": "seq-missing/t1/21/seq", "expected": 21, "reason": "ok"}


def test_a_correction_matching_several_rows_is_not_applied(samples, tmp_path):
    from ingest import ingest_file
    reviews = tmp_path / "r.toml"
    reviews.write_text('[[correct]]\nnotice_id = "qingpu-2021-docx"\ntable_id = "t3"\norg = "练塘镇"\nvalue = 540\n'
                       'reason = "x"\n', encoding="utf-8")
    n = ingest_file(str(samples / "qingpu-2021.docx"), "qingpu-2021-docx", settings={"reviews": str(reviews)})
    assert not n.corrections
    [stale] = [f for f in n.findings if f.code == "stale-review"]
    assert "与 2 行相符" in stale.message and "row_no" in stale.message
    # told apart by month, it applies
    reviews.write_text('[[correct]]\nnotice_id = "qingpu-2021-docx"\ntable_id = "t3"\norg = "练塘镇"\nmonth = 4\n'
                       'value = 540\nreason = "x"\n', encoding="utf-8")
    n = ingest_file(str(samples / "qingpu-2021.docx"), "qingpu-2021-docx", settings={"reviews": str(reviews)})
    [fix] = n.corrections
    assert (fix.original, fix.value) == (538, 540)


def test_exit_codes_and_review_options_are_documented():
    from ingest import cli
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in dir(cli):
        if name.startswith("EXIT_"):
            assert f"| `{getattr(cli, name)}` |" in readme, f"{name} is not in README.md's exit status table"
    for option in ("--reviews PATH", "--strict"):
        assert f"| `{option}` |" in readme
    assert cli.EXIT_STRICT == 5
