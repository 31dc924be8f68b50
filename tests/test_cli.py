"""`python -m ingest` as a user runs it: a subprocess, real files, the output folder checked as SPEC.md lists it."""
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, SAMPLES

CSV_COLUMNS = {   # SPEC.md, "What goes out": columns at least
    "notices.csv": ["notice_id", "source_file", "source_sha256", "format", "title", "region", "year", "doc_number",
                    "issuer", "issued_on", "status", "unit_ml", "total_target", "anomaly_count"],
    "allocations.csv": ["notice_id", "table_id", "table_title", "row_no", "seq", "seq_inferred", "org", "org_note",
                        "portions", "row_type", "page"],
    "monthly_plan.csv": ["notice_id", "table_id", "month_from", "month_to", "org", "org_note", "portions", "merged"],
    "anomalies.csv": ["notice_id", "code", "severity", "table_id", "row_no", "field", "expected", "actual", "message",
                      "page"],
}
SAMPLE_FILES = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".txt"))


@pytest.fixture(scope="module")
def ingest(tmp_path_factory):
    """Run `python -m ingest ARGS` from the project folder. The result cache goes to a folder of this test
    module (XDG_CACHE_HOME), so every run here parses its files and the user's own cache is left alone."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("xdg-cache"))}

    def run(*args, timeout=600):
        return subprocess.run([sys.executable, "-m", "ingest", *map(str, args)], cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout, env=env)
    return run


def read_csv(path: Path) -> pd.DataFrame:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path.name} does not start with a UTF-8 BOM"
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])


def leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.name.startswith(".") or p.name.endswith(".tmp") or p.name.endswith("~"))


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory, ingest, result_cache):
    out = tmp_path_factory.mktemp("cli") / "out"          # does not exist yet: --out creates it
    proc = ingest("samples", "--out", out, "--cache-dir", result_cache)   # the session's: scans are OCR'd once
    return proc, out


def sample_ids(out: Path) -> dict:
    """notice_id -> file name, for the six sample notices at the top of samples/ (the folder may hold more)."""
    df = read_csv(out / "notices.csv")
    return {r.notice_id: Path(r.source_file).name for r in df.itertuples()
            if Path(r.source_file).parent.name == "samples" and Path(r.source_file).name in SAMPLE_FILES}


def test_samples_exit_zero(samples_run):
    proc, out = samples_run
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_samples_output_files(samples_run):
    proc, out = samples_run
    for name in ["notices.csv", "allocations.csv", "monthly_plan.csv", "anomalies.csv", "datapackage.json",
                 "report.md", "report.html"]:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    ids = sample_ids(out)
    assert sorted(ids.values()) == SAMPLE_FILES
    notices = read_csv(out / "notices.csv")
    assert notices["notice_id"].is_unique
    assert sorted(p.stem for p in (out / "notices").glob("*.json")) == sorted(notices["notice_id"])
    assert leftovers(out) == []


@pytest.mark.parametrize("name", list(CSV_COLUMNS))
def test_samples_csv_bom_header_and_columns(samples_run, name):
    proc, out = samples_run
    df = read_csv(out / name)
    missing = [c for c in CSV_COLUMNS[name] if c not in df.columns]
    assert missing == []
    assert set(sample_ids(out)) & set(df["notice_id"])


def test_samples_notices_csv(samples_run):
    proc, out = samples_run
    df = read_csv(out / "notices.csv")
    raw = pd.read_csv(out / "notices.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    six = raw[raw.notice_id.isin(sample_ids(out))]
    for col in ("year", "unit_ml", "total_target", "anomaly_count"):
        assert six[col].str.fullmatch(r"\d+").all(), (col, six[col].tolist())     # integers as integers
    by_file = {name: df[df.notice_id == nid].iloc[0] for nid, name in sample_ids(out).items()}
    for ext, fmt in (("pdf", "pdf"), ("docx", "docx"), ("txt", "text")):
        p, q = by_file[f"pudong-2024.{ext}"], by_file[f"qingpu-2021.{ext}"]
        assert (p.format, p.region, p.year, p.doc_number, p.status, p.unit_ml, p.total_target) == (
            fmt, "浦东新区", 2024, "浦卫医政〔2024〕6号", "final", 200, 57510)
        assert p.issued_on == "2024-08-16"
        assert p.anomaly_count == 1                      # the one seq-missing warning (row 21)
        assert (q.format, q.region, q.year, q.status, q.total_target) == (fmt, "青浦区", 2021, "draft", 16687)
        assert q.anomaly_count == 0
        assert p.source_sha256 == hashlib.sha256((SAMPLES / f"pudong-2024.{ext}").read_bytes()).hexdigest()
        assert q.source_sha256 == hashlib.sha256((SAMPLES / f"qingpu-2021.{ext}").read_bytes()).hexdigest()


def test_samples_allocations_csv(samples_run):
    proc, out = samples_run
    df = read_csv(out / "allocations.csv")
    assert pd.api.types.is_integer_dtype(df["portions"]), df["portions"].dtype
    assert pd.api.types.is_integer_dtype(df["row_no"]), df["row_no"].dtype
    assert pd.api.types.is_bool_dtype(df["seq_inferred"]), df["seq_inferred"].dtype
    ids = sample_ids(out)
    assert set(ids) <= set(df["notice_id"])
    for nid, name in ids.items():
        rows = df[df.notice_id == nid]
        items, totals = rows[rows.row_type == "item"], rows[rows.row_type == "total"]
        if name.startswith("pudong"):
            assert len(items) == 89 and totals["portions"].tolist() == [57510]
            assert items["seq"].tolist() == list(range(1, 90))
            assert items[items.seq_inferred]["org"].tolist() == ["区人社局"]
            assert int(items[items.seq <= 87]["portions"].sum()) == 41200
            assert rows["row_no"].tolist() == list(range(1, 91))
        else:
            per_table = {t: (int((g.row_type == "item").sum()), g[g.row_type == "total"]["portions"].tolist())
                         for t, g in rows.groupby("table_id")}
            assert per_table == {"t1": (11, [10118]), "t2": (56, [1119])}
        pages = rows["page"]
        if name.endswith(".pdf"):
            assert pages.notna().all() and (pages == pages.round()).all() and (pages >= 1).all()
        else:
            assert pages.isna().all()


def test_samples_monthly_plan_csv(samples_run):
    proc, out = samples_run
    df = read_csv(out / "monthly_plan.csv")
    assert pd.api.types.is_integer_dtype(df["portions"]), df["portions"].dtype
    assert pd.api.types.is_integer_dtype(df["month_from"]) and pd.api.types.is_integer_dtype(df["month_to"])
    ids = sample_ids(out)
    planned = sorted(name for nid, name in ids.items() if (df.notice_id == nid).any())
    assert planned == [f for f in SAMPLE_FILES if f.startswith("qingpu")]
    for nid in (nid for nid, name in ids.items() if name.startswith("qingpu")):
        rows = df[df.notice_id == nid]
        assert int(rows["portions"].sum()) == 11237      # SPEC: annex 3 合计 11237
        zhaoxiang = rows[rows.org == "赵巷镇"]
        assert zhaoxiang[["month_from", "month_to", "portions"]].values.tolist() == [[8, 9, 792]]
        assert zhaoxiang["merged"].tolist() == [True]


def test_samples_anomalies_csv(samples_run):
    proc, out = samples_run
    df = read_csv(out / "anomalies.csv")
    assert set(df["severity"]) <= {"error", "warning", "info"}
    assert (df["message"].str.len() > 0).all()
    boxes = df["box"].dropna()
    assert len(boxes) and boxes.str.fullmatch(r"-?\d+(\.\d)?( -?\d+(\.\d)?){3}").all(), boxes.tolist()[:3]
    mine = df[df.notice_id.isin(sample_ids(out))]
    assert "error" not in set(mine["severity"])
    warnings = mine[mine.severity == "warning"]
    assert warnings["code"].tolist() == ["seq-missing"] * 3           # 浦东 row 21, in each of its 3 formats
    assert warnings["row_no"].tolist() == [21] * 3 and warnings["expected"].tolist() == [21] * 3


def test_samples_notice_json(samples_run):
    proc, out = samples_run
    notices = read_csv(out / "notices.csv")
    for nid in sample_ids(out):
        r = notices[notices.notice_id == nid].iloc[0]
        data = json.loads((out / "notices" / f"{nid}.json").read_text(encoding="utf-8"))
        assert data["notice"]["notice_id"] == nid
        assert data["notice"]["total_target"] == r.total_target
        sections = data["text"]["sections"]
        assert len(sections) >= 3
        goal = [s for s in sections if (s.get("heading") or "").startswith("一、工作目标")]
        assert len(goal) == 1, [s.get("heading") for s in sections]
        body = "".join(p["text"] for p in goal[0]["paragraphs"])
        assert str(int(r.total_target)) in body
        assert all(p["text"].strip() for s in sections for p in s["paragraphs"])


def test_samples_datapackage_describes_the_csv_files(samples_run):
    proc, out = samples_run
    pkg = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["path"]: r for r in pkg["resources"]}
    for name in CSV_COLUMNS:
        header = read_csv(out / name).columns.tolist()
        assert [f["name"] for f in resources[name]["schema"]["fields"]] == header
        types = {f["name"]: f["type"] for f in resources[name]["schema"]["fields"]}
        assert types.get("portions", "integer") == "integer"


# ------------------------------------------------------------------------------------------ good and bad files


def broken_inputs(folder: Path) -> dict:
    folder.mkdir()
    good = folder / "good.txt"
    shutil.copyfile(SAMPLES / "qingpu-2021.txt", good)
    bad = {
        "x.pdf": random.Random(20240816).randbytes(4096),     # random bytes named .pdf
        "empty.txt": b"",                                     # an empty file
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    return {"good": good, "bad": [folder / n for n in bad]}


def test_mixed_good_and_bad_files(tmp_path, ingest):
    files = broken_inputs(tmp_path / "in")
    out = tmp_path / "out"
    proc = ingest(files["good"], *files["bad"], "--out", out)
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = proc.stderr.splitlines()
    for bad in files["bad"]:
        naming = [ln for ln in lines if bad.name in ln]
        assert len(naming) == 1, (bad.name, lines)

    notices = read_csv(out / "notices.csv")
    by_name = {Path(r.source_file).name: r for r in notices.itertuples()}
    assert sorted(by_name) == ["empty.txt", "good.txt", "x.pdf"]
    anomalies = read_csv(out / "anomalies.csv")
    for bad in files["bad"]:
        nid = by_name[bad.name].notice_id
        rows = anomalies[(anomalies.notice_id == nid)]
        assert rows["code"].tolist() == ["unreadable-file"], (bad.name, rows["code"].tolist())
        assert rows["severity"].tolist() == ["error"]
        assert rows["message"].str.len().iloc[0] > 0
    assert not (anomalies[anomalies.notice_id == by_name["good.txt"].notice_id]["code"] == "unreadable-file").any()

    good_id = by_name["good.txt"].notice_id
    assert by_name["good.txt"].total_target == 16687
    alloc = read_csv(out / "allocations.csv")
    mine = alloc[alloc.notice_id == good_id]
    assert mine[mine.row_type == "total"]["portions"].tolist() == [10118, 1119]
    assert (mine.row_type == "item").sum() == 11 + 56
    assert set(alloc["notice_id"]) == {good_id}
    plan = read_csv(out / "monthly_plan.csv")
    assert int(plan[plan.notice_id == good_id]["portions"].sum()) == 11237
    assert leftovers(out) == []
    assert sorted(p.stem for p in (out / "notices").glob("*.json")) == sorted(notices["notice_id"])


def test_mixed_quiet_prints_only_the_bad_files(tmp_path, ingest):
    files = broken_inputs(tmp_path / "in")
    proc = ingest(tmp_path / "in", "--out", tmp_path / "out", "--quiet")      # the folder, walked
    assert proc.returncode == 3, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 2, lines
    assert sorted(b.name for b in files["bad"] for ln in lines if b.name in ln) == ["empty.txt", "x.pdf"]
    assert "Traceback" not in proc.stderr
    assert leftovers(tmp_path / "out") == []


def test_damaged_pdf_is_unreadable_not_a_crash(tmp_path, ingest):
    """A file that starts like a PDF and then is garbage: an unreadable-file finding, exit 3, one line."""
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + random.Random(7).randbytes(2048) + b"\n%%EOF\n")
    good = tmp_path / "pudong.txt"
    shutil.copyfile(SAMPLES / "pudong-2024.txt", good)
    out = tmp_path / "out"
    proc = ingest(good, bad, "--out", out)
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert len([ln for ln in proc.stderr.splitlines() if "broken.pdf" in ln]) == 1
    anomalies = read_csv(out / "anomalies.csv")
    notices = read_csv(out / "notices.csv")
    nid = notices[notices.source_file.str.endswith("broken.pdf")]["notice_id"].tolist()
    assert len(nid) == 1
    assert anomalies[anomalies.notice_id == nid[0]]["code"].tolist() == ["unreadable-file"]
    assert leftovers(out) == []


def test_help_exits_zero(ingest):
    proc = ingest("--help")
    assert proc.returncode == 0, proc.stderr
    assert "--out" in proc.stdout and "usage" in proc.stdout.lower()


def test_no_input_files_is_a_usage_error(tmp_path, ingest):
    empty = tmp_path / "nothing"
    empty.mkdir()
    proc = ingest(empty, "--out", tmp_path / "out")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() and "Traceback" not in proc.stderr
