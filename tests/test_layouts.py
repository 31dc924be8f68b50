"""Every layout sample against its known content (samples/layouts/<file>.truth.json, from samples/make_layouts.py).

Each layout is its own test id, in three tests: the notice's facts, its tables row by row, and its error and
warning findings. The truth files say what the printed notice says; nothing here knows a figure of its own.
"""
import json
import re
from functools import lru_cache

import pytest

from conftest import ROOT
from ingest import ingest_file

LAYOUTS = ROOT / "samples" / "layouts"
NAMES = sorted(p.name.removesuffix(".truth.json") for p in LAYOUTS.glob("*.truth.json"))


@lru_cache(maxsize=None)
def ingested(name):
    return ingest_file(str(LAYOUTS / name))


def truth(name):
    return json.loads((LAYOUTS / f"{name}.truth.json").read_text(encoding="utf-8"))


def test_every_layout_has_its_truth():
    files = sorted(p.name for p in LAYOUTS.iterdir() if not p.name.endswith(".truth.json"))
    assert files == NAMES
    assert len(NAMES) >= 40


@pytest.mark.parametrize("name", NAMES)
def test_layout_facts(name):
    t = truth(name)
    facts = ingested(name).facts
    simplified = t.get("facts_simplified", {})
    wrong = {}
    for key, want in t["facts"].items():
        got = getattr(facts, key, "<missing>")
        # a notice printed in traditional characters may be reported as printed or in simplified characters
        if got != want and not (key in simplified and got == simplified[key]):
            wrong[key] = {"want": want, "got": got}
    assert wrong == {}


def _label(text):
    """A total or subtotal label compared without its spacing: 合　　计 and 合计 are one label."""
    return re.sub(r"\s+", "", text or "")


def _expected_row(row, monthly):
    out = {"row_type": row["row_type"], "seq": row["seq"], "portions": row["portions"],
           "org": row["org"] if row["row_type"] == "item" else _label(row["org"]), "org_note": row["org_note"]}
    if monthly:
        out["month_from"], out["month_to"] = row["month_from"], row["month_to"]
    if row["group"] is not None:
        out["group"] = row["group"]
    if "org_normalized" in row:
        out["org_normalized"] = row["org_normalized"]
    if row.get("seq_inferred"):
        out["seq_inferred"] = True
    return out


def _actual_row(row, want):
    out = {"row_type": row.row_type, "seq": row.seq, "portions": row.portions,
           "org": row.org if row.row_type == "item" else _label(row.org), "org_note": row.org_note}
    for key in ("month_from", "month_to", "group", "org_normalized", "seq_inferred"):
        if key in want:
            out[key] = getattr(row, key, "<missing>")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_layout_tables(name):
    t = truth(name)
    notice = ingested(name)
    assert [x.kind for x in notice.tables] == [x["kind"] for x in t["tables"]]
    for got, want in zip(notice.tables, t["tables"]):
        monthly = want["kind"] == "monthly"
        expected = [_expected_row(r, monthly) for r in want["rows"]]
        actual = [_actual_row(r, e) for r, e in zip(got.rows, expected)]
        actual += [_actual_row(r, {}) for r in got.rows[len(expected):]]
        total = got.total_row.portions if got.total_row is not None else None
        assert {"total": total, "unit": got.unit, "n_lists": got.n_lists, "rows": actual} == \
            {"total": want["total"], "unit": want["unit"], "n_lists": want["n_lists"], "rows": expected}, got.table_id


@pytest.mark.parametrize("name", NAMES)
def test_layout_findings(name):
    t = truth(name)
    notice = ingested(name)
    serious = [f for f in notice.findings if f.severity in ("error", "warning")]
    assert {(f.code, f.severity) for f in serious} == {(f["code"], f["severity"]) for f in t["findings"]}, \
        [f.message for f in serious]
    for want in t["findings"]:
        if want["row_no"] is not None:
            rows = [f.row_no for f in serious if f.code == want["code"]]
            assert want["row_no"] in rows, (want, rows)
