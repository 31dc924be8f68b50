"""ingest.aside: a function run in a forked copy of the process, and write_all making report.html that way."""
import os
from pathlib import Path

import pytest

from ingest.aside import Aside, AsideError


def test_the_child_sends_back_what_the_function_made():
    big = b"x" * (3 << 20)          # far beyond a pipe's buffer: the parent must read while the child writes
    assert Aside(lambda: big).result() == big
    assert Aside(lambda: str(os.getpid()).encode()).result() != str(os.getpid()).encode()   # made elsewhere
    assert Aside(lambda: str(os.getpid()).encode(), fork=False).result() == str(os.getpid()).encode()   # here


def test_what_the_child_raises_is_raised_here_in_one_line():
    def fails():
        raise ValueError("no such table\nsecond line")
    with pytest.raises(AsideError, match="ValueError: no such table"):
        Aside(fails).result()


def test_a_child_that_dies_is_an_error_not_empty_bytes():
    with pytest.raises(AsideError, match="stopped"):
        Aside(lambda: os._exit(9)).result()


def test_cancel_ends_a_child_that_would_never_finish():
    import time
    page = Aside(lambda: time.sleep(600) or b"")
    started = time.monotonic()
    page.cancel()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)       # no child left behind, not even a zombie


def test_write_all_aside_writes_the_same_bytes(tmp_path):
    """A run given several processes makes report.html in a forked child: the same files, byte for byte."""
    from conftest import ROOT
    from ingest import batch
    from ingest.writers import write_all
    notices = batch.run([str(ROOT / "samples" / "pudong-2024.pdf"), str(ROOT / "samples" / "qingpu-2021.txt")],
                        {"jobs": 1})
    write_all(notices, str(tmp_path / "here"))
    write_all(notices, str(tmp_path / "aside"), aside=True)
    here = {p.relative_to(tmp_path / "here"): p.read_bytes() for p in (tmp_path / "here").rglob("*") if p.is_file()}
    aside = {p.relative_to(tmp_path / "aside"): p.read_bytes() for p in (tmp_path / "aside").rglob("*")
             if p.is_file()}
    assert here == aside and b"<html" in here[Path("report.html")]


def test_write_all_aside_a_report_that_fails_leaves_the_last_outputs(tmp_path, monkeypatch):
    from conftest import ROOT
    from ingest import batch, writers
    notices = batch.run([str(ROOT / "samples" / "qingpu-2021.txt")], {"jobs": 1})
    writers.write_all(notices, str(tmp_path))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("template broken")
    monkeypatch.setattr(writers, "report_html", broken)
    with pytest.raises(AsideError, match="template broken"):
        writers.write_all(notices, str(tmp_path), aside=True)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_write_all_aside_a_database_that_fails_leaves_no_temporary_file(tmp_path, monkeypatch):
    """The database is written by a forked copy into a temporary file made here: when the copy fails, that file
    is removed with the rest, and the last outputs stay as they were."""
    from conftest import ROOT
    from ingest import batch, writers
    notices = batch.run([str(ROOT / "samples" / "qingpu-2021.txt")], {"jobs": 1})
    database = writers.Database(tmp_path / "notices.db")
    writers.write_all(notices, str(tmp_path), database=database)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(writers, "stage_database", broken)
    with pytest.raises(AsideError, match="disk full"):
        writers.write_all(notices, str(tmp_path), database=database, aside=True)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
