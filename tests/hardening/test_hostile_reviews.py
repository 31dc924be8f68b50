"""reviews.toml against the findings that came with the new tables and codes: an acceptance of any finding the
report prints, pasted as the report offers it, is applied; one that names nothing is stale, once."""
from __future__ import annotations

import csv

from hostile import ROOT, run_cli

YEARS = [ROOT / "samples" / "pudong-2024.txt", ROOT / "samples" / "years" / "pudong-2025.txt"]


def _findings(out, code):
    with open(out / "anomalies.csv", encoding="utf-8-sig", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["code"] == code]


def _accept(r) -> str:
    """The [[accept]] entry the report offers for a finding (reviews.accept_snippet), from anomalies.csv."""
    lines = ["[[accept]]", f'notice_id = "{r["notice_id"]}"', f'key = "{r["finding_key"]}"']
    lines += [f"{k} = {r[k]}" for k in ("expected", "actual") if r[k]]
    return "\n".join(lines + ['reason = "checked with the office"', ""])


def test_an_accepted_year_change_is_reviewed_not_stale(tmp_path):
    """year-change findings are made after the notices are read, across them; their acceptances were applied
    before, found nothing, and every one became a stale-review finding while the finding stayed open."""
    first = run_cli(*YEARS, "--out", tmp_path / "first", "--no-cache")
    assert first.returncode == 0, first.stderr
    changes = _findings(tmp_path / "first", "year-change")
    assert len(changes) >= 3
    reviews = tmp_path / "reviews.toml"
    reviews.write_text("\n".join(_accept(r) for r in changes)
                       + '\n[[accept]]\nnotice_id = "pudong-2025-txt"\nkey = "year-change/t9/99/portions"\n'
                         'reason = "a unit that is not there"\n', encoding="utf-8")
    second = run_cli(*YEARS, "--out", tmp_path / "second", "--no-cache", "--reviews", reviews)
    assert second.returncode == 0, second.stderr
    after = _findings(tmp_path / "second", "year-change")
    assert [r["finding_key"] for r in after] == [r["finding_key"] for r in changes]
    assert all(r["reviewed"] == "true" and r["review_reason"] == "checked with the office" for r in after)
    stale = _findings(tmp_path / "second", "stale-review")
    assert len(stale) == 1 and stale[0]["notice_id"] == "pudong-2025-txt" and stale[0]["row_no"] == "99"
    assert len({r["finding_key"] for r in _findings(tmp_path / "second", "stale-review")}) == 1
