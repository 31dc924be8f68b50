"""The SQLite database (ingest/export/sqlite.py): every CSV row in it with its true value, keys, references to the
notices, indexes, full-text search; integers over 64 bits; notices of an earlier run kept; written with the rest of
the outputs or not at all; and Datasette serving it with its metadata (the test client, no server started).

The class of input: any run's outputs, here the samples (the whole folder, as make ingest reads it) and small
invented notices for the edge cases."""
from __future__ import annotations

import asyncio
import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from ingest import cli, writers
from ingest.export import sqlite as export_sqlite
from ingest.writers import KEYS, REFERENCES, SCHEMAS, inert

BOOLEAN = {"true": 1, "false": 0}


@pytest.fixture(scope="module")
def out(tmp_path_factory, result_cache) -> Path:
    """The samples' outputs, as make ingest writes them (the scans read from the session's result cache)."""
    folder = tmp_path_factory.mktemp("sqlite") / "out"
    proc = subprocess.run([sys.executable, "-m", "ingest", "samples", "--out", str(folder), "--quiet",
                           "--cache-dir", str(result_cache)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return folder


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def as_csv(value, kind: str) -> str:
    """A database value as the CSV file writes it (formula neutralisation included: the database has none)."""
    if value is None:
        return ""
    if kind == "boolean":
        return {1: "true", 0: "false"}[value]
    if kind == "string":
        return inert(value)
    return str(value)


def run(capsys, *args) -> tuple[int, str]:
    code = cli.main([str(a) for a in args])
    return code, capsys.readouterr().err


def notice_text(year: int, orgs, values, region: str = "东湖区") -> str:
    rows = "\n".join(f"{i}\t{o}\t{v}" for i, (o, v) in enumerate(zip(orgs, values), start=1))
    return f"关于做好{year}年{region}无偿献血工作的通知\n附件\n序号\t单位\t任务数\n{rows}\n合计\t\t{sum(values)}\n"


# ------------------------------------------------------------------------------------------ every row, keys


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_every_csv_row_is_in_the_database_with_its_value(out, name):
    table = name.removesuffix(".csv")
    cols = SCHEMAS[name]
    expected = csv_rows(out / name)
    with connect(out / "notices.db") as db:
        got = [[as_csv(r[c], t) for c, t, _ in cols]
               for r in db.execute(f"select * from {table} order by rowid")]
    assert got == [[r[c] for c, _, _ in cols] for r in expected]
    if name != "notices.csv":
        assert expected, f"the samples give rows of {name}"


def test_keys_references_and_indexes(out):
    with connect(out / "notices.db") as db:
        for name, key in KEYS.items():
            table = name.removesuffix(".csv")
            pk = sorted((r["pk"], r["name"]) for r in db.execute(f"pragma table_info({table})") if r["pk"])
            assert [c for _, c in pk] == list(key), table
            refs = {(r["from"], r["table"], r["to"]) for r in db.execute(f"pragma foreign_key_list({table})")}
            assert refs == {(c, "notices", "notice_id") for c in REFERENCES.get(name, ())}, table
        assert db.execute("pragma foreign_key_check").fetchall() == []
        indexed = {(r["tbl_name"], ix["name"]) for r in db.execute("select name, tbl_name from sqlite_master where "
                                                                   "type = 'index'")
                   for ix in db.execute(f"pragma index_info({r['name']})")}
    for table, col in [("notices", "region"), ("notices", "year"), ("allocations", "org"), ("anomalies", "code"),
                       ("anomalies", "severity"), ("changes", "region"), ("changes", "org")]:
        assert (table, col) in indexed


def test_column_types_follow_the_data_package(out):
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    sql = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "boolean": "INTEGER"}
    with connect(out / "notices.db") as db:
        for res in package["resources"]:
            declared = {r["name"]: r["type"] for r in db.execute(f"pragma table_info({res['name'].replace('-', '_')})")}
            assert {f["name"]: sql[f["type"]] for f in res["schema"]["fields"]}.items() <= declared.items()


def test_full_text_search_finds_what_a_substring_search_finds(out):
    with connect(out / "notices.db") as db:
        for word in ("献血屋", "应急实战演练", "无偿献血"):
            fts = {r[0] for r in db.execute("select rowid from paragraphs_fts where paragraphs_fts match ?",
                                            [f'"{word}"'])}
            scan = {r[0] for r in db.execute("select rowid from paragraphs where instr(text, ?) or instr(heading, ?)",
                                             [word, word])}
            assert fts == scan and fts, word
        titles = {r[0] for r in db.execute("select n.notice_id from notices_fts f join notices n on n.rowid = f.rowid "
                                           "where notices_fts match ?", ['"浦东新区"'])}
    assert "pudong-2024-pdf" in titles and "years-pudong-2025-txt" in titles


def test_the_text_is_every_paragraph_of_the_notice_json(out):
    data = json.loads((out / "notices" / "qingpu-2021-docx.json").read_text(encoding="utf-8"))
    paragraphs = [p["text"] for s in data["text"]["sections"]
                  for p in ([{"text": s["heading"]}] if s["heading"] else []) + s["paragraphs"]]
    with connect(out / "notices.db") as db:
        rows = [r[0] for r in db.execute("select text from paragraphs where notice_id = ? order by paragraph_no",
                                         ["qingpu-2021-docx"])]
    assert rows == paragraphs


# ------------------------------------------------------------------------------------------ true values


def test_values_keep_what_the_csv_neutralises_and_integers_over_64_bits(tmp_path, capsys):
    """A cell that would be a spreadsheet formula is inert in the CSV file only; a figure of 25 digits is exact in
    the CSV and JSON files, NULL in its integer column with the exact digits in big_integers."""
    big = 10 ** 24 + 7
    orgs = ("=1+2", "-3+4", "东山村")
    (tmp_path / "f.txt").write_text(notice_text(2025, orgs, (1, 2, big)), encoding="utf-8")
    code, err = run(capsys, tmp_path / "f.txt", "--out", tmp_path / "out", "--no-cache")
    assert code == 0, err
    with connect(tmp_path / "out" / "notices.db") as db:
        rows = db.execute("select org, portions, big_integers from allocations where row_type = 'item' "
                          "order by row_no").fetchall()
        total = db.execute("select portions, big_integers from allocations where row_type = 'total'").fetchone()
    assert [r["org"] for r in rows] == list(orgs)
    assert [r["portions"] for r in rows] == [1, 2, None]
    assert json.loads(rows[2]["big_integers"]) == {"portions": str(big)} and rows[0]["big_integers"] is None
    assert total["portions"] is None and json.loads(total["big_integers"]) == {"portions": str(big + 3)}
    alloc = csv_rows(tmp_path / "out" / "allocations.csv")
    assert [r["portions"] for r in alloc] == ["1", "2", str(big), str(big + 3)]
    assert [r["org"] for r in alloc[:2]] == ["'=1+2", "'-3+4"]


# ------------------------------------------------------------------------------------------ earlier runs


def test_an_earlier_runs_notices_are_kept_and_compared(tmp_path, capsys):
    """Run 1 reads 2024, run 2 only 2025 into the same folder: the database holds both, changes.csv compares them
    (the earlier year from the database), and the kept rows are the ones run 1 wrote."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(notice_text(2024, ("东山村", "西山村", "南山村"), (10, 20, 30)), encoding="utf-8")
    (src / "b.txt").write_text(notice_text(2025, ("东山村", "西山村", "南山村"), (10, 25, 30)), encoding="utf-8")
    out = tmp_path / "out"
    assert run(capsys, src / "a.txt", "--out", out, "--no-cache")[0] == 0
    with connect(out / "notices.db") as db:
        first = [tuple(r) for r in db.execute("select * from allocations order by rowid")]
    assert run(capsys, src / "b.txt", "--out", out, "--no-cache")[0] == 0
    assert [r["notice_id"] for r in csv_rows(out / "notices.csv")] == ["b-txt"]
    changes = csv_rows(out / "changes.csv")
    assert [(c["org"], c["portions_before"], c["portions_after"], c["delta"], c["status"], c["notice_id_before"])
            for c in changes] == [("西山村", "20", "25", "5", "changed", "a-txt")]
    with connect(out / "notices.db") as db:
        assert [r[0] for r in db.execute("select notice_id from notices order by notice_id")] == ["a-txt", "b-txt"]
        kept = [tuple(r) for r in db.execute("select * from allocations where notice_id = 'a-txt' order by rowid")]
        assert db.execute("select count(*) from paragraphs_fts where paragraphs_fts match '\"东湖区无偿\"'").fetchone()[0] == 2
    assert kept == first


def test_a_file_that_is_not_our_database_is_neither_read_nor_replaced(tmp_path, capsys):
    (tmp_path / "f.txt").write_text(notice_text(2025, ("东山村",), (5,)), encoding="utf-8")
    other = tmp_path / "mine.db"
    other.write_bytes(b"my own notes, not a database")
    code, err = run(capsys, tmp_path / "f.txt", "--out", tmp_path / "out", "--sqlite", other, "--no-cache")
    assert code == 2 and "is not an SQLite database" in err and str(other) in err
    assert other.read_bytes() == b"my own notes, not a database"
    conn = sqlite3.connect(tmp_path / "theirs.db")
    conn.execute("create table birds (name text)")
    conn.commit()
    conn.close()
    code, err = run(capsys, tmp_path / "f.txt", "--out", tmp_path / "out", "--sqlite", tmp_path / "theirs.db",
                    "--no-cache")
    assert code == 2 and "without a notices table" in err
    assert not (tmp_path / "out" / "notices.csv").exists()


def test_sqlite_path_and_no_sqlite(tmp_path, capsys):
    (tmp_path / "f.txt").write_text(notice_text(2025, ("东山村",), (5,)), encoding="utf-8")
    assert run(capsys, tmp_path / "f.txt", "--out", tmp_path / "a", "--no-sqlite", "--no-cache")[0] == 0
    assert not (tmp_path / "a" / "notices.db").exists() and not (tmp_path / "a" / "metadata.json").exists()
    assert run(capsys, tmp_path / "f.txt", "--out", tmp_path / "b", "--sqlite", tmp_path / "x" / "y.db",
               "--no-cache")[0] == 0
    meta = json.loads((tmp_path / "b" / "metadata.json").read_text(encoding="utf-8"))
    assert list(meta["databases"]) == ["y"]
    with connect(tmp_path / "x" / "y.db") as db:
        assert db.execute("select notice_id from notices").fetchall()[0][0] == "f-txt"


def test_a_failure_while_writing_the_database_leaves_the_last_outputs(tmp_path, capsys, monkeypatch):
    (tmp_path / "f.txt").write_text(notice_text(2025, ("东山村",), (5,)), encoding="utf-8")
    out = tmp_path / "out"
    assert run(capsys, tmp_path / "f.txt", "--out", out, "--no-cache")[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (tmp_path / "f.txt").write_text(notice_text(2025, ("东山村",), (6,)), encoding="utf-8")

    def full(db, *args):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(export_sqlite, "_fill", full)
    code, err = run(capsys, tmp_path / "f.txt", "--out", out, "--no-cache")
    assert code == 1 and "disk is full" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before     # no temporary file either


def test_a_rerun_leaves_an_unchanged_database_alone(tmp_path):
    from ingest import ingest_bytes
    notice = ingest_bytes("f.txt", notice_text(2025, ("东山村", "西山村"), (5, 6)).encode("utf-8"), "f-txt")
    db = writers.Database(tmp_path / "out" / "notices.db")
    writers.write_all([notice], str(tmp_path / "out"), database=db)
    stamp = db.path.stat().st_mtime_ns
    writers.write_all([notice], str(tmp_path / "out"), database=db)
    assert db.path.stat().st_mtime_ns == stamp
    assert not list((tmp_path / "out").glob(".*.tmp"))


# ------------------------------------------------------------------------------------------ Datasette


def datasette_get(db: Path, metadata: Path, *paths: str) -> list:
    """Responses of Datasette's test client for `paths`, the database served with its metadata and make serve's
    plugin."""
    from datasette.app import Datasette
    ds = Datasette([str(db)], metadata=json.loads(metadata.read_text(encoding="utf-8")),
                   plugins_dir=str(ROOT / "ingest" / "export" / "datasette_plugins"))

    async def fetch():
        return [await ds.client.get(p) for p in paths]
    return asyncio.run(fetch())


def test_datasette_serves_the_database_with_its_metadata(out):
    count = len(csv_rows(out / "allocations.csv"))
    home, table, search, changes, query = datasette_get(
        out / "notices.db", out / "metadata.json", "/notices", "/notices/allocations.json?_shape=array&_size=max",
        "/notices/paragraphs.json?_search=%E7%8C%AE%E8%A1%80%E5%B1%8B&_shape=array",      # 献血屋
        "/notices/changes", "/notices/targets_by_year.json?region=%E6%B5%A6%E4%B8%9C%E6%96%B0%E5%8C%BA&_shape=array")
    assert home.status_code == 200 and "各单位历年目标" in home.text and 'href="/notices/changes"' in home.text
    assert table.status_code == 200 and len(table.json()) == min(count, 1000)
    assert search.status_code == 200 and search.json() and all("献血屋" in r["text"] for r in search.json())
    assert changes.status_code == 200 and "逐年变化 (changes)" in changes.text and "区农业农村委" in changes.text
    assert "how the unit was found in the later year" in changes.text          # a column's description
    assert query.status_code == 200 and {r["region"] for r in query.json()} == {"浦东新区"}


def test_datasette_links_each_source_file_to_the_file(out, monkeypatch):
    monkeypatch.chdir(ROOT)          # the run was given relative paths, from the repository's root
    page, served, refused = datasette_get(
        out / "notices.db", out / "metadata.json", "/notices/notices?notice_id=pudong-2024-pdf",
        "/-/source-file/notices?path=samples%2Fpudong-2024.pdf", "/-/source-file/notices?path=pyproject.toml")
    assert '<a href="/-/source-file/notices?path=samples%2Fpudong-2024.pdf">samples/pudong-2024.pdf</a>' in page.text
    assert served.status_code == 200 and served.content == (ROOT / "samples" / "pudong-2024.pdf").read_bytes()
    assert served.headers["content-type"] == "application/pdf"
    assert refused.status_code == 404            # a file no row names is never served
