"""The database a run keeps notices from (out/notices.db, --sqlite PATH) when what is at that path is not simply
one of ours: another program's database, one of ours someone added to, a link, or a database SQLite was still
writing. Each is refused (exit 2, one line, nothing written) and left exactly as it was."""
from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from hostile import NOTICE, run_cli, stderr_lines

TEXT = f"{NOTICE}\n附件\n序号\t单位\t任务数\n1\t东山村\t12\n2\t西山村\t30\n合计\t\t42\n"


@pytest.fixture(scope="module")
def ours(tmp_path_factory) -> Path:
    """A database an earlier run wrote."""
    folder = tmp_path_factory.mktemp("earlier")
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    proc = run_cli(folder / "a.txt", "--out", folder / "out", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    return folder / "out" / "notices.db"


def _refused(tmp_path, out: Path, *expect: str) -> None:
    (tmp_path / "b.txt").write_text(TEXT.replace("12", "13"), encoding="utf-8")
    before = {p: (p.read_bytes() if p.is_file() and not p.is_symlink() else os.readlink(p)) for p in out.iterdir()}
    proc = run_cli(tmp_path / "b.txt", "--out", out, "--no-cache")
    assert proc.returncode == 2, proc.stderr
    [line] = stderr_lines(proc)
    assert all(e in line for e in expect), line
    after = {p: (p.read_bytes() if p.is_file() and not p.is_symlink() else os.readlink(p)) for p in out.iterdir()}
    assert after == before                           # nothing written, nothing replaced


def test_another_programs_database_with_a_notices_table_is_not_replaced(tmp_path):
    """`notices` is a common name: a database holding one (and a table of precious data) was taken for ours and
    replaced."""
    out = tmp_path / "out"
    out.mkdir()
    with sqlite3.connect(out / "notices.db") as conn:
        conn.executescript("CREATE TABLE notices (id INTEGER, text TEXT); CREATE TABLE precious (x);"
                           "INSERT INTO precious VALUES ('kept');")
    conn.close()
    _refused(tmp_path, out, "notices.db", "not this tool's")


@pytest.mark.parametrize("addition", ["CREATE VIEW mine AS SELECT region, year FROM notices",
                                      "CREATE TABLE my_notes (notice_id TEXT, note TEXT)",
                                      "CREATE TRIGGER t AFTER DELETE ON notices BEGIN SELECT 1; END",
                                      "PRAGMA application_id = 4660"])
def test_one_of_ours_that_someone_added_to_is_not_replaced(tmp_path, ours, addition):
    """A view or table a user added to the database (with sqlite-utils, say) was dropped without a word."""
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(ours, out / "notices.db")
    conn = sqlite3.connect(out / "notices.db")
    conn.execute(addition)
    conn.commit()
    conn.close()
    _refused(tmp_path, out, "notices.db", "not replaced")


def test_a_write_ahead_log_left_beside_the_database_is_not_applied_to_the_new_one(tmp_path, ours):
    """A notices.db-wal left by a program that had the database open in WAL mode: SQLite applied it to the file
    this run wrote in the old one's place, which then read as 'database disk image is malformed'."""
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(ours, out / "notices.db")
    conn = sqlite3.connect(out / "notices.db")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE notices SET title = 'changed'")
    conn.commit()
    shutil.copy(out / "notices.db-wal", tmp_path / "wal")    # the log as a crashed program leaves it
    conn.close()
    shutil.copy(tmp_path / "wal", out / "notices.db-wal")
    _refused(tmp_path, out, "notices.db-wal", "nothing was replaced")


def test_a_link_where_the_database_goes_is_not_replaced_by_a_file(tmp_path, ours):
    """A link to a database elsewhere was replaced by a copy, the linked database no longer updated."""
    elsewhere = tmp_path / "elsewhere.db"
    shutil.copy(ours, elsewhere)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notices.db").symlink_to(elsewhere)
    _refused(tmp_path, out, "notices.db", "symbolic link")
    assert (out / "notices.db").is_symlink()


def test_a_database_this_tool_writes_says_so_and_is_kept_from(tmp_path, ours):
    """Our databases carry our application_id, which is what tells them from another program's."""
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(ours, out / "notices.db")
    (tmp_path / "b.txt").write_text(TEXT.replace("2025", "2026"), encoding="utf-8")
    proc = run_cli(tmp_path / "b.txt", "--out", out, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    conn = sqlite3.connect(out / "notices.db")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x58584947
    assert sorted(r[0] for r in conn.execute("SELECT notice_id FROM notices")) == ["a-txt", "b-txt"]
    conn.close()
