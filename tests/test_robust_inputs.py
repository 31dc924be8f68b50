"""Inputs an attacker found that stopped a whole run or hung it, each tried through the command as a user runs it
(in-process: cli.main with the arguments a user types). Each test failed on the code before its fix: the run
ended with an internal error (exit 1), hung, or called a damaged spreadsheet a Word document."""
from __future__ import annotations

import csv
import io
import os
import signal
import sqlite3
import zipfile
from pathlib import Path

import pytest

from conftest import SAMPLES
from test_hardening import notice_text as hardening_notice, run
from ingest import batch, cli
from ingest.job import EXIT_UNREADABLE


def notice_text(title: str = "关于做好2025年某区无偿献血工作的通知", orgs=("东山村", "西山村"), values=(12, 30)) -> str:
    """test_hardening's notice, its total right."""
    return hardening_notice(title, orgs, values, total_off=0)


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# ------------------------------------------------------------------------------------------ 1. notice ids


def _ids_written(out: Path, sqlite: bool) -> list[str]:
    ids = [r["notice_id"] for r in rows(out / "notices.csv")]
    assert sorted(p.stem for p in (out / "notices").glob("*.json")) == sorted(ids)
    if sqlite:
        with sqlite3.connect(out / "notices.db") as db:
            assert sorted(r[0] for r in db.execute("select notice_id from notices")) == sorted(ids)
    return ids


@pytest.mark.parametrize("sqlite", [True, False], ids=["sqlite", "no-sqlite"])
def test_the_same_file_under_two_folders_gets_two_ids(tmp_path, capsys, sqlite):
    """Input class: the same notice (same name, same bytes) in two folders named on the command line."""
    for folder in ("dA", "dB"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notice.txt").write_text(notice_text(), encoding="utf-8")
    (tmp_path / "dB" / "other.txt").write_text(notice_text(values=(1, 2)), encoding="utf-8")
    args = [tmp_path / "dA", tmp_path / "dB", "--no-cache", "--jobs", "1"] + ([] if sqlite else ["--no-sqlite"])
    code, err = run(capsys, *args, "--out", tmp_path / "out")
    assert code == 0, err
    ids = _ids_written(tmp_path / "out", sqlite)
    assert len(ids) == 3 and len(set(ids)) == 3
    assert "other-txt" in ids                                    # a file that shares its id with none keeps it
    assert all(i.startswith("notice-txt-") for i in ids if i != "other-txt")
    assert run(capsys, *args, "--out", tmp_path / "again")[0] == 0
    assert _ids_written(tmp_path / "again", sqlite) == ids       # the same inputs, the same ids


@pytest.mark.parametrize("same_bytes", [True, False], ids=["same-bytes", "other-bytes"])
def test_two_names_that_make_one_id_in_a_folder_get_two_ids(tmp_path, capsys, same_bytes):
    """Input class: two files in one folder whose names differ only in what an id cannot hold (`a b.txt`,
    `a-b.txt`), with the same bytes or not; read from a cache too."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a b.txt").write_text(notice_text(), encoding="utf-8")
    (tmp_path / "in" / "a-b.txt").write_text(notice_text(values=(12, 30) if same_bytes else (3, 4)), encoding="utf-8")
    ids = []
    for out in ("out", "warm"):
        code, err = run(capsys, tmp_path / "in", "--out", tmp_path / out, "--cache-dir", tmp_path / "cache")
        assert code == 0, err
        ids.append(_ids_written(tmp_path / out, True))
    assert len(set(ids[0])) == 2 and ids[0] == ids[1]
    by_file = {Path(r["source_file"]).name: r["notice_id"] for r in rows(tmp_path / "warm" / "notices.csv")}
    assert set(by_file) == {"a b.txt", "a-b.txt"}


def test_an_id_made_to_look_like_a_tagged_one_is_still_told_apart(tmp_path):
    """Input class: a file whose name is the id another file gets once tagged (crafted to collide again)."""
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text("same", encoding="utf-8")
    x, y = str(tmp_path / "x" / "a.txt"), str(tmp_path / "y" / "a.txt")
    crafted = tmp_path / f"a-txt-{batch._path_tag(x)}"
    crafted.write_text("other", encoding="utf-8")
    ids = batch.unique_ids([(x, "a.txt"), (y, "a.txt"), (str(crafted), crafted.name)])
    assert len(set(ids)) == 3 and ids[2] == crafted.name


def test_a_name_like_a_content_tagged_id_keeps_its_id(tmp_path):
    """Input class: a file whose name is the id another file gets from its content's hash."""
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(folder, encoding="utf-8")
    x, y = str(tmp_path / "x" / "a.txt"), str(tmp_path / "y" / "a.txt")
    crafted = tmp_path / f"a-txt-{batch._content_tag(x)}"
    crafted.write_text("other", encoding="utf-8")
    ids = batch.unique_ids([(x, "a.txt"), (y, "a.txt"), (str(crafted), crafted.name)])
    assert len(set(ids)) == 3 and ids[2] == crafted.name and ids[1] == f"a-txt-{batch._content_tag(y)}"


def test_ids_that_differ_only_in_letter_case_are_told_apart(tmp_path, capsys):
    """Input class: two notices whose names differ only in letter case (`A.txt`, `a.txt`): one file on a
    case-insensitive disk (Windows, macOS), so their JSON must not share a name there either."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "A.txt").write_text(notice_text(), encoding="utf-8")
    (tmp_path / "in" / "a.txt").write_text(notice_text(values=(3, 4)), encoding="utf-8")
    code, err = run(capsys, tmp_path / "in", "--out", tmp_path / "out", "--no-cache", "--jobs", "1")
    assert code == 0, err
    ids = _ids_written(tmp_path / "out", True)
    assert len({i.casefold() for i in ids}) == 2


def test_an_unreadable_file_whose_name_is_not_utf8_and_clashes_is_its_own_line(tmp_path, capsys):
    """Input class: a file that cannot be read (a named pipe) whose name is not UTF-8 and whose id is another
    file's (`a.txt` beside `a\xff.txt`): its id is tagged from its path's bytes, the run goes on."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(notice_text(), encoding="utf-8")
    os.mkfifo(os.path.join(os.fsencode(folder), b"a\xff.txt"))
    (folder / "b.txt").write_text(notice_text(values=(3, 4)), encoding="utf-8")
    os.rename(folder / "b.txt", os.path.join(os.fsencode(folder), b"b\xfe.txt"))
    code, err = run(capsys, folder, "--out", tmp_path / "out", "--no-cache", "--jobs", "1")
    assert code == EXIT_UNREADABLE, err
    assert "a\\xff.txt: unreadable: not a regular file but a named pipe" in err
    written = {Path(r["source_file"]).name: r for r in rows(tmp_path / "out" / "notices.csv")}
    assert set(written) == {"a.txt", "a\\xff.txt", "b\\xfe.txt"}       # a name that is not UTF-8, as \\xff
    assert len({r["notice_id"] for r in written.values()}) == 3 and written["b\\xfe.txt"]["table_count"] == "1"


def test_the_path_tag_is_the_same_for_a_folder_named_relative_or_absolute(tmp_path, monkeypatch):
    """Input class: one run started as `ingest dA dB`, the next as `ingest /abs/dA /abs/dB`: files with the same
    bytes keep their ids, so a reviewer's decisions stay with them."""
    for folder in ("dA", "dB"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text("same", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    relative = batch.unique_ids([("dA/a.txt", "a.txt"), ("dB/a.txt", "a.txt")])
    absolute = batch.unique_ids([(str(tmp_path / "dA" / "a.txt"), "a.txt"), (str(tmp_path / "dB" / "a.txt"), "a.txt")])
    assert relative == absolute and len(set(relative)) == 2


# ------------------------------------------------------------------------------------------ 2. damaged containers


def damaged(data: bytes, member: str) -> bytes:
    """The package again with every part deflated, and the first 6 compressed bytes of `member` inverted (its
    local header and directory entry intact, so only unpacking it fails)."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    out = bytearray(buf.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(out))).getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start, start + min(6, info.compress_size)):
        out[i] ^= 0xFF
    return bytes(out)


@pytest.mark.parametrize("sample, member", [
    ("pudong-2024-annex.ods", "mimetype"), ("pudong-2024.docx", "word/document.xml"),
    ("pudong-2024-annex.xlsx", "xl/workbook.xml"), ("pudong-2024.ofd", "OFD.xml")])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_part_that_cannot_be_unpacked_is_that_files_unreadable_line(tmp_path, capsys, sample, member, jobs):
    """Input class: a ZIP-based file (ODS, DOCX, XLSX, OFD) whose main part's deflated bytes are damaged: the
    ODS mimetype is unpacked while telling the format, the others by their readers. The good file beside it is
    read."""
    src = tmp_path / "in"
    src.mkdir()
    bad = src / f"bad{Path(sample).suffix}"
    bad.write_bytes(damaged((SAMPLES / sample).read_bytes(), member))
    (src / "good.txt").write_text(notice_text(), encoding="utf-8")
    code, err = run(capsys, src, "--out", tmp_path / "out", "--no-cache", "--jobs", jobs)
    assert code == 3, err
    [line] = [x for x in err.splitlines() if "unreadable" in x and "bad" in x]
    assert line.startswith(f"{bad}: unreadable: ") and "Error -3" in line, line
    assert "internal error" not in err and "Traceback" not in err
    reasons = {Path(r["source_file"]).name: r["unreadable_reason"] for r in rows(tmp_path / "out" / "notices.csv")}
    assert reasons["good.txt"] == "" and "Error -3" in reasons[bad.name]


def test_an_exception_while_telling_the_format_is_an_unreadable_file(monkeypatch):
    """Input class: any content that trips the format sniffing in a way not foreseen (read_bytes' own guard)."""
    import parsers

    def trips(data, name=""):
        raise KeyError("boom")
    monkeypatch.setattr(parsers, "sniff", trips)
    with pytest.raises(parsers.UnreadableFile, match="format cannot be told: KeyError") as caught:
        parsers.read_bytes("x.ods", b"PK\x03\x04")
    assert caught.value.format == ""


# ------------------------------------------------------------------------------------------ 3. not regular files


@pytest.fixture
def deadline():
    """The run fails the test instead of hanging it: opening a named pipe waits for a writer for ever."""
    def expired(*_):
        raise TimeoutError("the run hung (a named pipe or device was opened for reading?)")
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_named_pipe_or_device_in_a_folder_is_reported_and_never_opened(tmp_path, capsys, deadline, cache):
    """Input class: special files with a notice's name in an input folder (a FIFO, a link to /dev/zero), beside
    a regular file and a link to one, which are read."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(notice_text(), encoding="utf-8")
    (src / "link.txt").symlink_to(src / "good.txt")
    os.mkfifo(src / "pipe.txt")
    (src / "zero.txt").symlink_to("/dev/zero")
    caching = ["--cache-dir", tmp_path / "cache"] if cache else ["--no-cache"]
    code, err = run(capsys, src, "--out", tmp_path / "out", "--jobs", "1", *caching)
    assert code == 3, err
    assert f"{src / 'pipe.txt'}: unreadable: not a regular file but a named pipe (FIFO): not read" in err
    assert f"{src / 'zero.txt'}: unreadable: not a regular file but a character device: not read" in err
    reasons = {Path(r["source_file"]).name: r["unreadable_reason"] for r in rows(tmp_path / "out" / "notices.csv")}
    assert reasons["good.txt"] == reasons["link.txt"] == "" and len(reasons) == 4


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/null"])
def test_a_named_pipe_or_device_named_directly_is_one_line(tmp_path, capsys, deadline, special):
    """Input class: a FIFO or a device named on the command line."""
    if special == "fifo":
        special = tmp_path / "pipe.txt"
        os.mkfifo(special)
    code, err = run(capsys, special, "--out", tmp_path / "out", "--no-cache", "--jobs", "1")
    assert code == 3, err
    [line] = [x for x in err.splitlines() if x.startswith(f"{special}:")]
    assert line.startswith(f"{special}: unreadable: not a regular file but a ") and line.endswith(": not read")


# ------------------------------------------------------------------------------------------ 4. --out


@pytest.mark.parametrize("out", ["file", "file/sub", "dangling"])
def test_an_output_folder_that_is_a_file_is_a_usage_error(tmp_path, capsys, out):
    """Input class: --out naming an existing regular file, a path under one, or a link to nothing."""
    (tmp_path / "a.txt").write_text(notice_text(), encoding="utf-8")
    (tmp_path / "file").write_bytes(b"mine")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    code, err = run(capsys, tmp_path / "a.txt", "--out", tmp_path / out, "--no-cache")
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith(f"error: output folder {tmp_path / out} ") \
        and "not a folder" in err and "Error" not in err, err
    assert (tmp_path / "file").read_bytes() == b"mine" and not (tmp_path / "nowhere").exists()


# ------------------------------------------------------------------------------------------ 5. truncated XLS


@pytest.mark.parametrize("percent", [10, 50, 90])
def test_a_truncated_xls_is_reported_as_a_damaged_workbook(tmp_path, capsys, percent):
    """Input class: an Excel .xls cut short (its OLE directory, written last, lost), beside a good file: a damaged
    spreadsheet, never a Word file for LibreOffice."""
    data = (SAMPLES / "pudong-2024-annex.xls").read_bytes()
    src = tmp_path / "in"
    src.mkdir()
    bad = src / "annex.xls"
    bad.write_bytes(data[:len(data) * percent // 100])
    (src / "good.txt").write_text(notice_text(), encoding="utf-8")
    code, err = run(capsys, src, "--out", tmp_path / "out", "--no-cache", "--jobs", "1")
    assert code == 3, err
    [line] = [x for x in err.splitlines() if x.startswith(f"{bad}:")]
    assert line.startswith(f"{bad}: unreadable: ") and "XLS" in line, line
    assert "Word" not in line and "LibreOffice" not in line and "DOCX" not in line, line
    [row] = [r for r in rows(tmp_path / "out" / "notices.csv") if r["source_file"].endswith("annex.xls")]
    assert row["format"] == "xls"


def test_the_streams_of_an_ole_file_decide_over_its_name():
    """Input class: OLE files whose name and content disagree, or whose directory is lost."""
    from parsers import sniff
    doc, xls = (SAMPLES / "pudong-2024.doc").read_bytes(), (SAMPLES / "pudong-2024-annex.xls").read_bytes()
    assert sniff(doc, "x.xls") == "doc" and sniff(xls, "x.doc") == "xls"     # the streams say which
    cut = xls[:len(xls) // 10]
    assert sniff(cut, "x.XLS") == "xls" and sniff(cut, "x.doc") == "doc"     # no directory: the name says which
