"""Names from a document, or from the rows an earlier run's database holds, through the year-over-year section of
the reports and changes.csv: escaped wherever they land (text, the chart's aria-label, Markdown tables), formulas
inert in CSV, control characters shown rather than sent to the terminal report.md is printed in."""
from __future__ import annotations

import csv
import re
import sqlite3
from html.parser import HTMLParser

from hostile import ROOT, run_cli

YEARS = [ROOT / "samples" / "pudong-2024.txt", ROOT / "samples" / "years" / "pudong-2025.txt"]
SCRIPT = '</title></svg><script>alert(1)</script>"\'`|\n-->'
NAMES = ["=cmd|' /C calc'!A0", SCRIPT, "@SUM(1)\x1b]0;owned\x07\x1b[2J|a\nb", "-->&lt;<!--x"]
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_hostile_names_kept_in_the_database_are_inert_in_every_report(tmp_path):
    """Four units of last year's notice renamed in its database and given other targets, so that they are dropped
    this year: their names are shown in changes.csv, in report.html's table and chart, and in report.md."""
    out = tmp_path / "out"
    assert run_cli(YEARS[0], "--out", out, "--no-cache").returncode == 0
    conn = sqlite3.connect(out / "notices.db")        # last year's rows, as someone else left them
    for row_no, name in enumerate(NAMES, start=1):
        conn.execute("UPDATE allocations SET org = ?, org_normalized = ?, portions = portions + 1000 "
                     "WHERE table_id = 't1' AND row_no = ?", [name, name, row_no])
    conn.commit()
    conn.close()
    proc = run_cli(YEARS[1], "--out", out, "--no-cache")
    assert proc.returncode == 0, proc.stderr

    with open(out / "changes.csv", encoding="utf-8-sig", newline="") as fh:
        dropped = [r["org"] for r in csv.DictReader(fh) if r["status"] == "dropped"]
    assert "'=cmd|' /C calc'!A0" in dropped and "'-->&lt;<!--x" in dropped
    assert not any(v.startswith(("=", "@", "-")) for v in dropped)

    html = (out / "report.html").read_text(encoding="utf-8")
    parsed = Tags()
    parsed.feed(html)
    assert [tag for tag, _ in parsed.tags].count("script") == 1                 # the page's own only
    assert "<script>alert" not in html and "</title></svg>" not in html
    assert SCRIPT in [a.get("aria-label") for tag, a in parsed.tags if tag == "svg"]   # shown as its text

    md = (out / "report.md").read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", md), "a control character reached report.md"
    assert "owned" in md
    lines = md.splitlines()
    for i, line in enumerate(lines):            # every row of a table has its header's number of cells
        if line.startswith("|") and i and lines[i - 1].startswith("|"):
            assert len(UNESCAPED_PIPE.findall(line)) == len(UNESCAPED_PIPE.findall(lines[i - 1])), line
