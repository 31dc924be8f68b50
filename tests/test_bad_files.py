"""Bad files never crash the run (issue 5): the CLI on the corpus of tests/make_bad_files.py mixed with the good
samples, run as a user would. Each bad file gets one unreadable-file finding with its reason and one line on
stderr, the good samples come out as normalized/ has them, and the output folder holds nothing temporary."""
import csv
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from make_bad_files import LIMIT_ARGS, build, build_readable

import parsers
from parsers import legacy
from parsers.model import UnreadableFile

CLI = [sys.executable, "-m", "ingest"]
# The notices of normalized/, as files named on the command line (not the folder: what else lies in samples/ is not
# what this test is about, and the golden test covers it).
SAMPLE_FILES = sorted(f"samples/{p.name}" for p in (ROOT / "samples").iterdir()
                      if p.suffix in (".pdf", ".docx", ".txt", ".html", ".xlsx", ".ofd"))
TABLES = ["allocations.csv", "monthly_plan.csv", "anomalies.csv"]


def _cli(*args, env=None, timeout=300):
    return subprocess.run([*CLI, *map(str, args)], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=timeout)


def _rows(folder: Path, name: str) -> list[dict]:
    with open(folder / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _without_id(rows):
    return [{k: v for k, v in r.items() if k not in ("notice_id", "finding_key", "source_file")} for r in rows]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return folder, build(folder), build_readable(folder)


@pytest.fixture(scope="module")
def run(corpus, tmp_path_factory):
    folder, _, _ = corpus
    out = tmp_path_factory.mktemp("run") / "out"
    started = time.perf_counter()
    proc = _cli(*SAMPLE_FILES, folder, "--out", out, "--no-cache", "--quiet", *LIMIT_ARGS)
    print(f"CLI on corpus and samples: {time.perf_counter() - started:.1f} s")
    notices = {Path(r["source_file"]).name if not r["source_file"].startswith("samples/") else r["source_file"]: r
               for r in _rows(out, "notices.csv")}
    return proc, out, notices


def test_exit_status_says_some_files_were_unreadable(run):
    proc, _, _ = run
    assert proc.returncode == 3, proc.stderr


def test_each_bad_file_has_one_unreadable_finding_with_its_reason(corpus, run):
    _, bad, _ = corpus
    _, out, notices = run
    findings = _rows(out, "anomalies.csv")
    for name, reason in bad.items():
        n = notices[name]
        assert reason in n["unreadable_reason"], (name, n["unreadable_reason"])
        mine = [f for f in findings if f["notice_id"] == n["notice_id"]]
        assert [(f["code"], f["severity"]) for f in mine] == [("unreadable-file", "error")], name
        assert mine[0]["message"] == "文件无法读取：" + n["unreadable_reason"]
        assert n["errors"] == "1" and n["anomaly_count"] == "1"


def test_format_is_the_one_the_content_has(corpus, run):
    _, _, readable = corpus
    _, _, notices = run
    for name, (fmt, _) in readable.items():
        assert (notices[name]["format"], notices[name]["unreadable_reason"]) == (fmt, ""), name
    # refused files still say what they are, where the content told it
    assert notices["encrypted.pdf"]["format"] == "pdf"
    assert notices["zip-bomb.docx"]["format"] == "docx"
    assert notices["random-bytes.pdf"]["format"] == ""
    assert notices["legacy.doc"]["format"] == "doc"


def test_stderr_is_one_line_per_bad_file_and_no_traceback(corpus, run):
    folder, bad, _ = corpus
    proc, _, _ = run
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == len(bad), proc.stderr
    named = {}
    for line in lines:
        path, sep, reason = line.partition(": unreadable: ")
        assert sep, line
        named[Path(path).name] = reason
    assert set(named) == set(bad)
    for name, reason in bad.items():
        assert reason in named[name]


def test_good_samples_come_out_as_in_normalized(run):
    _, out, notices = run
    golden = ROOT / "normalized"
    ids = {r["notice_id"] for key, r in notices.items() if key.startswith("samples/")}
    assert ids and ids <= {r["notice_id"] for r in _rows(golden, "notices.csv")}
    for name in TABLES:
        want = [r for r in _rows(golden, name) if r["notice_id"] in ids]
        cols = list(want[0]) if want else []          # the golden's columns: a column added since is not compared
        got = [{c: r.get(c) for c in cols} for r in _rows(out, name) if r["notice_id"] in ids]
        assert got == want, name


def test_files_that_only_look_wrong_give_the_rows_of_their_sample(corpus, run):
    _, _, readable = corpus
    _, out, notices = run
    for name in TABLES:
        rows = _rows(out, name)
        for file, (_, sample) in readable.items():
            if not sample:
                continue
            want = [r for r in rows if r["notice_id"] == notices[f"samples/{sample}"]["notice_id"]]
            got = [r for r in rows if r["notice_id"] == notices[file]["notice_id"]]
            assert _without_id(got) == _without_id(want), (file, name)
    assert notices["qingpu-gb18030.txt"]["encoding"] == "gb18030"
    assert notices["qingpu-utf16le.txt"]["encoding"] == "utf-16"
    assert notices["qingpu-utf8-bom.txt"]["encoding"] == "utf-8-sig"


def test_nothing_temporary_is_left(run):
    _, out, _ = run
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".") or p.name.endswith(".tmp")]
    assert leftovers == []


def test_a_second_run_into_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "w") as held:          # as a run in progress holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = _cli("samples/qingpu-2021.txt", "--out", out, "--no-cache")
        assert proc.returncode == 4
        assert proc.stderr.count("\n") == 1 and "another run is writing into" in proc.stderr, proc.stderr
        assert sorted(p.name for p in out.iterdir()) == [".lock"]
    proc = _cli("samples/qingpu-2021.txt", "--out", out, "--no-cache", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert (out / "notices.csv").is_file() and not (out / ".lock").exists()


def _lock_held(out: Path) -> bool:
    """The run has taken the output folder's lock (and written its pid in it): it is past start-up and reading."""
    try:
        return bool((out / ".lock").read_text().strip())
    except OSError:
        return False


def _default_sigint():
    # A shell without job control starts background commands with SIGINT ignored, and Python keeps it so; a user
    # at a terminal pressing Ctrl-C has it at its default, which is what this test is about.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_an_interrupted_run_leaves_the_last_outputs_whole(corpus, tmp_path, sig):
    folder, _, _ = corpus
    out = tmp_path / "out"
    assert _cli("samples/qingpu-2021.txt", "--out", out, "--no-cache", "--quiet").returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # --jobs 1: the interruption is what is tested here, not how worker processes are stopped (test_batch's part).
    # The scanned samples come last and take OCR a minute: the run is still going when the signal comes, however
    # quickly the machine (or a busy one's scheduler) lets the rest through.
    proc = subprocess.Popen([*CLI, *SAMPLE_FILES, str(folder), str(ROOT / "samples" / "scanned"), "--out", str(out),
                             "--no-cache", "--quiet",
                             "--jobs", "1", *LIMIT_ARGS], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_sigint, start_new_session=True)
    deadline = time.monotonic() + 30
    while not _lock_held(out) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)        # it and its workers: leave nothing running behind the test
        proc.communicate()
        raise
    assert proc.returncode == 130, err
    assert "interrupted: outputs left as they were before this run" in err and "Traceback" not in err
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_debug_shows_the_traceback_of_an_unreadable_file(corpus, tmp_path):
    folder, _, _ = corpus
    proc = _cli(folder / "no-objects.pdf", "--out", tmp_path / "out", "--no-cache", "--quiet", "--debug")
    assert proc.returncode == 3
    assert "Traceback" in proc.stderr and "no-objects.pdf: unreadable: not a readable PDF" in proc.stderr


def test_a_limit_that_is_not_positive_is_a_usage_error(tmp_path):
    proc = _cli("samples/qingpu-2021.txt", "--out", tmp_path / "out", "--max-pages", "0")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--max-pages" in proc.stderr


# ---------------------------------------------------------------------- legacy Word, with a stand-in LibreOffice


def _fake_soffice(bin_dir: Path, body: str) -> Path:
    """A `soffice` that behaves like LibreOffice's --convert-to as far as the reader can tell."""
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "soffice"
    script.write_text(f"#!{sys.executable}\nimport shutil, sys, time\nargs = sys.argv[1:]\n"
                      f"outdir = args[args.index('--outdir') + 1]\nsrc = args[-1]\n{body}\n")
    script.chmod(0o755)
    return script


def test_legacy_word_is_converted_when_soffice_is_there(corpus, tmp_path):
    folder, _, _ = corpus
    docx = ROOT / "samples" / "qingpu-2021.docx"
    _fake_soffice(tmp_path / "bin", f"import os, pathlib\nos.makedirs(outdir, exist_ok=True)\n"
                                    f"shutil.copy({str(docx)!r}, os.path.join(outdir, pathlib.Path(src).stem + '.docx'))")
    env = dict(os.environ, PATH=f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "out"
    proc = _cli(folder / "legacy.doc", "samples/qingpu-2021.docx", "--out", out, "--no-cache", "--quiet", env=env)
    assert proc.returncode == 0, proc.stderr
    notices = {r["notice_id"]: r for r in _rows(out, "notices.csv")}
    assert notices["legacy-doc"]["format"] == "doc"
    rows = _rows(out, "allocations.csv")
    assert _without_id([r for r in rows if r["notice_id"] == "legacy-doc"]) == \
        _without_id([r for r in rows if r["notice_id"] == "qingpu-2021-docx"])


def test_a_failed_conversion_says_so(corpus, tmp_path, monkeypatch):
    folder, _, _ = corpus
    _fake_soffice(tmp_path / "bin", "sys.stderr.write('Error: source file could not be loaded\\n'); sys.exit(1)")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(UnreadableFile, match="LibreOffice could not convert it .Error: source file could not"):
        parsers.read_bytes("legacy.doc", (folder / "legacy.doc").read_bytes())


def test_a_conversion_that_hangs_is_stopped(corpus, tmp_path, monkeypatch):
    folder, _, _ = corpus
    _fake_soffice(tmp_path / "bin", f"open({str(tmp_path / 'pid')!r}, 'w').write(str(__import__('os').getpid()))\n"
                                    "time.sleep(60)")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(legacy, "CONVERT_TIMEOUT", 1)
    started = time.monotonic()
    with pytest.raises(UnreadableFile, match="did not convert it within 1 s"):
        parsers.read_bytes("legacy.doc", (folder / "legacy.doc").read_bytes())
    assert time.monotonic() - started < 10
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)

