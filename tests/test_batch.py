"""Worker processes and the cache change how fast a run is, never what it writes.

Every test runs the command as a user would (python -m ingest) on a folder of the samples plus a few copies: one
with the same bytes under another name, one edited, one with the same name in a subfolder (its id names the subfolder).
"""
import io
import pickle
from dataclasses import replace
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES


def ingest(*args, cwd=ROOT):
    proc = subprocess.run([sys.executable, "-m", "ingest", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_outputs(a: Path, b: Path):
    ta, tb = tree(a), tree(b)
    assert sorted(ta) == sorted(tb)
    for rel in ta:
        assert ta[rel] == tb[rel], f"{rel} differs between {a.name} and {b.name}"


def summary(stderr: str) -> tuple[int, int, int]:
    """(parsed, from cache, same bytes as another file of the run) from the closing line."""
    m = re.search(r"(\d+) files in .* s: (\d+) parsed, (\d+) from cache(?:, (\d+) same as another file)?", stderr)
    assert m, stderr
    parsed, cached, same = int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)
    assert parsed + cached + same == int(m.group(1))
    return parsed, cached, same


def entries(cache: Path) -> dict:
    return {p.name: p.stat().st_mtime_ns for p in cache.rglob("*.pickle")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    for f in SAMPLES.iterdir():
        if f.suffix in (".pdf", ".docx", ".txt"):
            shutil.copy(f, root / f.name)
    shutil.copy(SAMPLES / "pudong-2024.txt", root / "pudong-copy.txt")                 # same bytes, new name
    (root / "sub").mkdir()
    shutil.copy(SAMPLES / "qingpu-2021.docx", root / "sub" / "qingpu-2021.docx")       # same name: id sub-…
    text = (SAMPLES / "qingpu-2021.txt").read_text(encoding="utf-8")
    assert "夏阳街道\t490" in text
    (root / "qingpu-edited.txt").write_text(text.replace("夏阳街道\t490", "夏阳街道\t590"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def plain(corpus, tmp_path_factory):
    """The reference: one process, no cache."""
    out = tmp_path_factory.mktemp("plain")
    ingest(corpus, "--out", out, "--jobs", 1, "--no-cache", "--quiet")
    return out


def test_jobs_2_writes_what_jobs_1_writes(corpus, plain, tmp_path):
    out = tmp_path / "out"
    stderr = ingest(corpus, "--out", out, "--jobs", 2, "--no-cache")
    assert_same_outputs(plain, out)
    assert "(2 workers)" in stderr
    # the per-file lines come in input order, whichever worker finished first
    names = [line.split(":")[0] for line in stderr.splitlines() if line.endswith("warnings")]
    assert names == sorted(names, key=lambda n: (n.count("/"), n)) and len(names) == 9


def test_outputs_name_each_copy_by_its_own_file(plain):
    rows = (plain / "notices.csv").read_text(encoding="utf-8-sig").splitlines()
    copy = next(r for r in rows if r.startswith("pudong-copy-txt,"))
    assert copy.split(",")[1].endswith("/pudong-copy.txt")
    assert any(r.startswith("sub-qingpu-2021-docx,") for r in rows)   # its id from its path in the folder
    findings = (plain / "anomalies.csv").read_text(encoding="utf-8-sig")
    assert findings.count("\npudong-copy-txt,") == findings.count("\npudong-2024-txt,") > 0


def test_warm_cache_writes_what_a_cold_run_writes(corpus, plain, tmp_path):
    cache = tmp_path / "cache"
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    stderr = ingest(corpus, "--out", cold, "--cache-dir", cache, "--jobs", 2)
    # 9 files, 7 distinct contents: each copy is parsed once and shared
    assert summary(stderr) == (7, 0, 2)
    assert len(entries(cache)) == 7
    stderr = ingest(corpus, "--out", warm, "--cache-dir", cache)
    assert summary(stderr) == (0, 9, 0)
    assert_same_outputs(plain, cold)
    assert_same_outputs(plain, warm)


def test_a_changed_file_is_parsed_again_and_only_it(corpus, tmp_path):
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    cache = tmp_path / "cache"
    ingest(work, "--out", tmp_path / "first", "--cache-dir", cache, "--quiet")
    before = entries(cache)

    edited = work / "qingpu-edited.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("夏阳街道\t590", "夏阳街道\t690"), encoding="utf-8")
    out = tmp_path / "second"
    stderr = ingest(work, "--out", out, "--cache-dir", cache, "--jobs", 2)
    assert summary(stderr) == (1, 8, 0)
    after = entries(cache)
    assert set(after) - set(before) and len(after) == len(before) + 1    # one new entry, for the new bytes
    assert all(after[name] == mtime for name, mtime in before.items())    # the others neither rewritten nor lost

    reference = tmp_path / "reference"
    ingest(work, "--out", reference, "--no-cache", "--jobs", 1, "--quiet")
    assert_same_outputs(reference, out)
    assert "690" in (out / "allocations.csv").read_text(encoding="utf-8-sig")


def _poison(cache: Path) -> None:
    """Rewrite every entry as a well-formed notice with another title: visible in the output if it is used."""
    for entry in cache.rglob("*.pickle"):
        notice = pickle.loads(entry.read_bytes())
        notice = replace(notice, facts=replace(notice.facts, title="来自缓存"))
        entry.write_bytes(pickle.dumps(notice))


def test_entries_are_used_and_no_cache_ignores_them(corpus, plain, tmp_path):
    cache = tmp_path / "cache"
    ingest(corpus, "--out", tmp_path / "fill", "--cache-dir", cache, "--quiet")
    _poison(cache)
    poisoned = entries(cache)

    used = tmp_path / "used"
    ingest(corpus, "--out", used, "--cache-dir", cache, "--quiet")
    assert (used / "notices.csv").read_text(encoding="utf-8-sig").count("来自缓存") == 9

    ignored = tmp_path / "ignored"
    stderr = ingest(corpus, "--out", ignored, "--cache-dir", cache, "--no-cache")
    assert summary(stderr) == (9, 0, 0)
    assert_same_outputs(plain, ignored)
    assert entries(cache) == poisoned                                       # not written either


def test_a_damaged_entry_is_ignored_and_written_again(corpus, plain, tmp_path):
    cache = tmp_path / "cache"
    ingest(corpus, "--out", tmp_path / "fill", "--cache-dir", cache, "--quiet")
    damaged = sorted(cache.rglob("*.pickle"))
    damaged[0].write_bytes(b"not a pickle")
    damaged[1].write_bytes(damaged[1].read_bytes()[:100])                  # truncated
    damaged[2].write_bytes(damaged[3].read_bytes())                        # another file's notice

    out = tmp_path / "out"
    stderr = ingest(corpus, "--out", out, "--cache-dir", cache)
    assert summary(stderr)[0] == 3                                        # the three damaged, parsed again
    assert_same_outputs(plain, out)
    stderr = ingest(corpus, "--out", tmp_path / "again", "--cache-dir", cache)
    assert summary(stderr) == (0, 9, 0)


def test_a_cache_that_cannot_be_written_does_not_fail_the_run(corpus, plain, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "ingest", str(corpus), "--out", str(out), "--cache-dir",
                           str(blocker / "cache"), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "results not cached" in proc.stderr
    assert_same_outputs(plain, out)


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere():
    from ingest.progress import Progress
    term = _Terminal()
    with Progress(3, stream=term) as p:
        for name in ("a", "b", "c"):
            p.line(f"{name}: read")          # the bar stands in for per-file lines
            p.tick()
        p.say("c: unreadable")                # messages still show, above the bar
    shown = term.getvalue()
    assert "3/3" in shown and ("file/s" in shown or "s/file" in shown)
    assert "c: unreadable" in shown and "a: read" not in shown

    log = io.StringIO()
    with Progress(3, stream=log) as p:
        for name in ("a", "b", "c"):
            p.line(f"{name}: read")
            p.tick()
    assert log.getvalue() == "a: read\nb: read\nc: read\n"

    quiet = _Terminal()
    with Progress(3, stream=quiet, quiet=True) as p:
        p.tick()
        p.say("x: unreadable")
    assert quiet.getvalue() == "x: unreadable\n"


def test_report_pictures_come_with_the_cached_notice(tmp_path, monkeypatch):
    """The pictures of a PDF's findings are rendered while the file is read (its bytes in memory), kept with its
    notice in the cache, and a warm re-run renders none: the report's bytes are those of a run without any cache."""
    from parsers import render
    from ingest import cli
    from conftest import ROOT
    rendered = []
    bitmap = render.PageRenderer._bitmap
    monkeypatch.setattr(render.PageRenderer, "_bitmap",
                        lambda self, number: rendered.append(number) or bitmap(self, number))
    cache = tmp_path / "cache"
    runs, renders = {}, {}
    for name, extra in (("cold", ["--cache-dir", str(cache)]), ("warm", ["--cache-dir", str(cache)]),
                        ("none", ["--no-cache"])):
        out = tmp_path / name
        rendered.clear()
        assert cli.main([str(ROOT / "samples" / "pudong-2024.pdf"), "--out", str(out), "--quiet", "--jobs", "1",
                         *extra]) == 0
        runs[name], renders[name] = (out / "report.html").read_bytes(), len(rendered)
    assert runs["cold"].count(b"data:image/png;base64,") > 0
    assert runs["cold"] == runs["warm"] == runs["none"]
    assert renders["cold"] > 0 and renders["none"] == renders["cold"]
    assert renders["warm"] == 0


def test_modules_left_out_of_the_cache_key_are_not_run_by_the_pipeline():
    """The cache key leaves out the output-only modules (a change to the report must not empty the cache); that is
    right only while reading a file never runs them. A fresh interpreter running one file through the batch
    imports none of them."""
    import subprocess
    import sys
    from conftest import ROOT
    from ingest.cache import OUTPUT_ONLY
    code = ("import sys; from ingest import batch; batch.run([sys.argv[1]], {'jobs': 1}); "
            "print(' '.join(m for m in sys.modules if m.startswith('ingest')))")
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "samples" / "pudong-2024.txt")], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    loaded = {m.split(".")[-1] + ".py" for m in proc.stdout.split()}
    assert "pipeline.py" in loaded and "tables.py" in loaded
    assert not loaded & OUTPUT_ONLY, loaded & OUTPUT_ONLY


def _run(*args):
    return subprocess.run([sys.executable, "-m", "ingest", *map(str, args)], cwd=ROOT, capture_output=True, text=True)


def _mtimes(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _file_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.endswith("warnings") or ": unreadable:" in ln]


def test_a_rerun_with_nothing_changed_writes_nothing_and_says_the_same(corpus, tmp_path):
    """Into the same folder, with the same files, settings, decisions and code: the outputs are left alone, every
    file line and the exit code are what the first run gave (here 5: --strict, and the edited 青浦 does not add up;
    3 for a file that cannot be read is checked below)."""
    work, cache, out = tmp_path / "corpus", tmp_path / "cache", tmp_path / "out"
    shutil.copytree(corpus, work)
    first = _run(work, "--out", out, "--cache-dir", cache, "--strict")
    assert first.returncode == 5, first.stderr
    before = _mtimes(out)
    again = _run(work, "--out", out, "--cache-dir", cache, "--strict")
    assert again.returncode == 5 and "outputs up to date" in again.stderr, again.stderr
    assert _file_lines(again.stderr) == _file_lines(first.stderr) and len(_file_lines(first.stderr)) == 9
    assert [ln for ln in again.stderr.splitlines() if ln.startswith("strict:")] == \
           [ln for ln in first.stderr.splitlines() if ln.startswith("strict:")]
    assert _mtimes(out) == before

    (work / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    first = _run(work, "--out", out, "--cache-dir", cache)
    assert first.returncode == 3 and "outputs up to date" not in first.stderr
    again = _run(work, "--out", out, "--cache-dir", cache)
    assert again.returncode == 3 and "outputs up to date" in again.stderr
    assert _file_lines(again.stderr) == _file_lines(first.stderr)


def test_a_rerun_after_any_change_writes_the_outputs_again(corpus, tmp_path):
    work, cache, out = tmp_path / "corpus", tmp_path / "cache", tmp_path / "out"
    shutil.copytree(corpus, work)
    reference = tmp_path / "reference"

    def fresh():
        shutil.rmtree(reference, ignore_errors=True)
        assert _run(work, "--out", reference, "--no-cache", "--quiet").returncode == 0
        return reference

    assert _run(work, "--out", out, "--cache-dir", cache, "--quiet").returncode == 0
    # an input changed: that file read again, the outputs are the fresh ones
    edited = work / "qingpu-edited.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("夏阳街道\t590", "夏阳街道\t690"), encoding="utf-8")
    proc = _run(work, "--out", out, "--cache-dir", cache)
    assert summary(proc.stderr) == (1, 8, 0)
    assert_same_outputs(fresh(), out)
    # an output edited or removed by hand: written again
    (out / "notices.csv").write_text("edited", encoding="utf-8")
    (out / "notices" / "pudong-2024-pdf.json").unlink()
    proc = _run(work, "--out", out, "--cache-dir", cache)
    assert summary(proc.stderr) == (0, 9, 0)
    assert_same_outputs(reference, out)
    # a file added to the outputs' notices folder: removed, as a plain run does
    (out / "notices" / "stray.json").write_text("{}", encoding="utf-8")
    assert "outputs up to date" not in _run(work, "--out", out, "--cache-dir", cache).stderr
    assert_same_outputs(reference, out)
    # another setting that changes what a file yields
    proc = _run(work, "--out", out, "--cache-dir", cache, "--ocr", "never")
    assert "outputs up to date" not in proc.stderr
    # and the same run as before is up to date again only when nothing else changed
    assert "outputs up to date" not in _run(work, "--out", out, "--cache-dir", cache).stderr
    assert "outputs up to date" in _run(work, "--out", out, "--cache-dir", cache).stderr
