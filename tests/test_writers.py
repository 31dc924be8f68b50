"""ingest.writers on its own: JSON bytes, and a re-run that rewrites only the files whose bytes change."""
import json
import os

from ingest import ingest_bytes
from ingest.writers import json_bytes, write_all
from notice_factory import linjiang


def _stdlib(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def test_json_bytes_are_the_standard_librarys():
    obj = {"名称": "城关镇", "n": [1, 2.5, None, True], "empty": {}, "list": [], "nested": [{"a": "“引号”\n"}],
           "big": 2 ** 70, 3: "int key"}
    assert json_bytes(obj) == _stdlib(obj)                   # 2**70 is over orjson's range: the fallback
    del obj["big"]
    assert json_bytes(obj) == _stdlib(obj)


def test_a_rerun_rewrites_only_what_changed(tmp_path):
    notice = ingest_bytes("linjiang.txt", linjiang().to_text().encode("utf-8"), "linjiang-txt")
    out = tmp_path / "out"
    paths = write_all([notice], str(out))
    old = 1_000_000_000
    for p in paths:
        os.utime(p, (old, old))
    (out / "notices.csv").write_bytes(b"edited by hand")
    write_all([notice], str(out))
    changed = sorted(p.name for p in paths if p.stat().st_mtime != old)
    assert changed == ["notices.csv"]
    assert (out / "notices.csv").read_bytes().startswith("\ufeffnotice_id".encode("utf-8"))


def test_every_formula_start_is_made_inert_in_every_text_column_and_nothing_else():
    """csv_bytes formats the usual cells itself: each character a spreadsheet starts a formula with (full-width
    ones too) gets its ', in any text column; figures, empty cells and lists are written as _fmt writes them."""
    import csv as csvlib
    import io
    from ingest.writers import FORMULA_START, SCHEMAS, csv_bytes
    assert all(len(mark) == 1 for mark in FORMULA_START)
    text_cols = [c for c, t, _ in SCHEMAS["anomalies.csv"] if t == "string"]
    rows = [{c: mark + "x" for c in text_cols} for mark in FORMULA_START]
    rows.append({"message": "plain", "actual": -5, "expected": None, "box": [1.5, 2.0], "reviewed": True})
    data = csv_bytes("anomalies.csv", rows).decode("utf-8-sig")
    got = list(csvlib.DictReader(io.StringIO(data, newline="")))
    assert len(got) == len(rows)
    for mark, row in zip(FORMULA_START, got):
        assert all(row[c] == "'" + ("\n" if mark == "\r" else mark) + "x" for c in text_cols)   # a lone \r
        # would end the row where the csv module writes it unquoted: a line break in a cell is written as \n
    last = got[-1]
    assert (last["message"], last["actual"], last["expected"], last["box"], last["reviewed"]) == \
        ("plain", "-5", "", "1.5 2", "true")
