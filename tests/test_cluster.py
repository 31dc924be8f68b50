"""--scheduler: the same run on a Dask distributed cluster writes what a local run writes.

The cluster is real: a `dask scheduler` and two `dask worker` commands on localhost, started here as the README
tells a user to start them (subprocesses rather than distributed's LocalCluster, so that the workers are the
commands users run, with their nannies, in process groups of their own that a test can kill as a machine dies).
The workers preload tests/cluster_preload.py: a marker line in a test file makes its reader slow, crash, or report
an OCR page. The command runs in this process against the cluster, and its outputs are compared byte for byte with
those of a local run (`--jobs 1 --no-cache`) of the same files.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import distributed        # the cluster extra; make test installs it with the dev extra
import pytest

from conftest import ROOT, SAMPLES
from ingest import batch, cli, ingest_paths
from ingest.job import EXIT_CLUSTER, EXIT_UNREADABLE

DASK = [sys.executable, "-m", "dask"]      # the `dask` command of this environment


class Cluster:
    """A scheduler and its workers, each a command in a process group of its own."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.marks = folder / "marks"
        self.marks.mkdir()
        self.file = folder / "scheduler.json"
        self.scheduler = self._spawn(DASK + ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                             "--scheduler-file", str(self.file)], "scheduler")
        deadline = time.monotonic() + 60
        while not self.file.exists():
            assert time.monotonic() < deadline and self.scheduler.poll() is None, self.log("scheduler")
            time.sleep(0.1)
        self.address = json.loads(self.file.read_text())["address"]
        self.workers: list[subprocess.Popen] = []

    def _spawn(self, argv: list[str], name: str) -> subprocess.Popen:
        # one retry of a task whose worker died, as the README suggests (Dask's default, 3, spends twice the
        # workers, and the seconds their restarts take, on a file that kills every worker it is given)
        env = {**os.environ, "XIANXUE_TEST_MARKS": str(self.marks), "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
        with open(self.folder / f"{name}.log", "ab") as log:
            return subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env,
                                    start_new_session=True)

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-3000:]

    def two_workers(self) -> None:
        """Start workers until two live ones have joined."""
        self.workers = [w for w in self.workers if w.poll() is None]
        while len(self.workers) < 2:
            name = f"worker-{time.monotonic_ns()}"
            self.workers.append(self._spawn(DASK + [
                "worker", "--scheduler-file", str(self.file), "--nthreads", "1", "--no-dashboard", "--host",
                "127.0.0.1", "--local-directory", str(self.folder / name), "--preload",
                str(ROOT / "tests" / "cluster_preload.py")], name))
        with distributed.Client(self.address, timeout=30, set_as_default=False) as client:
            deadline = time.monotonic() + 90
            while len(client.nthreads()) != 2:
                assert time.monotonic() < deadline, "the workers did not join"
                time.sleep(0.2)

    def worker_of(self, group: int) -> subprocess.Popen:
        """The `dask worker` command whose process group this is (its nanny and worker process are in it)."""
        return next(w for w in self.workers if w.pid == group)

    def kill(self, worker: subprocess.Popen) -> None:
        """The whole worker gone at once, nanny and all, as when its machine dies."""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    def close(self) -> None:
        for p in self.workers + [self.scheduler]:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.workers + [self.scheduler]:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("cluster"))
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def workers(cluster):
    cluster.two_workers()
    shutil.rmtree(cluster.marks)
    cluster.marks.mkdir()
    return cluster


def tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_outputs(a: Path, b: Path) -> None:
    ta, tb = tree(a), tree(b)
    assert sorted(ta) == sorted(tb)
    for rel in ta:
        assert ta[rel] == tb[rel], f"{rel} differs between {a} and {b}"


def with_marker(source: Path, target: Path, marker: str) -> None:
    target.write_text(source.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The samples that need no converter, a file the workers read slowly and one that reports an OCR page."""
    root = tmp_path_factory.mktemp("cluster-corpus")
    for f in SAMPLES.iterdir():
        if f.suffix in (".pdf", ".docx", ".txt", ".html", ".xlsx", ".ofd"):
            shutil.copy(f, root / f.name)
    with_marker(SAMPLES / "qingpu-2021.txt", root / "slow.txt", "XIANXUE-TEST-SLOW")
    with_marker(SAMPLES / "pudong-2024.txt", root / "paged.txt", "XIANXUE-TEST-OCR")
    return root


def local_run(corpus: Path, out: Path) -> Path:
    proc = subprocess.run([sys.executable, "-m", "ingest", str(corpus), "--out", str(out), "--jobs", "1",
                           "--no-cache", "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode in (0, EXIT_UNREADABLE), proc.stderr
    return out


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    return local_run(corpus, tmp_path_factory.mktemp("local") / "out")


def test_a_cluster_run_writes_what_a_local_run_writes_and_survives_a_lost_worker(workers, corpus, reference,
                                                                                 tmp_path, capsys):
    """The command, in this process, against the cluster; one worker killed (with its nanny) while it reads the
    slow file: that file is read again by the other worker, and the outputs are the local run's, byte for byte."""
    killed: list[subprocess.Popen] = []

    def kill_the_slow_files_worker():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            started = list(workers.marks.glob("slow-*"))
            if started:
                victim = workers.worker_of(int(started[0].read_text()))
                workers.kill(victim)
                killed.append(victim)
            time.sleep(0.05)

    watcher = threading.Thread(target=kill_the_slow_files_worker, daemon=True)
    watcher.start()
    out = tmp_path / "out"
    code = cli.main([str(corpus), "--out", str(out), "--no-cache", "--scheduler", workers.address])
    watcher.join()
    stderr = capsys.readouterr().err
    assert code == 0, stderr
    assert killed, "the slow file was never started"
    readers = {int(p.read_text()) for p in workers.marks.glob("slow-*")}     # the workers that started it
    assert killed[0].pid in readers and len(readers) == 2, "the slow file was not read again by another worker"
    assert f"{len(list(corpus.iterdir()))} files in" in stderr and "(2 workers)" in stderr
    assert_same_outputs(reference, out)


class Recorder(batch.Listener):
    def __init__(self):
        self.events: list[tuple] = []

    def start(self, files):
        self.events.append(("start", files))

    def done(self, notice):
        self.events.append(("done", notice.source_file))

    def tick(self):
        self.events.append(("tick",))

    def ocr(self, path, done, total):
        self.events.append(("ocr", path, done, total))


def test_progress_and_cache_are_those_of_a_local_run(workers, corpus, reference, tmp_path):
    """The listener hears what a local run tells (every file done, in input order; OCR pages as they are read);
    the results come back here and fill this machine's cache, from which a local run then reads every file."""
    cache = tmp_path / "cache"
    heard = Recorder()
    result = ingest_paths([str(corpus)], str(tmp_path / "out"), {"scheduler": workers.address,
                                                                 "cache_dir": str(cache)}, heard)
    inputs = [i.path for i in batch.collect([str(corpus)])]
    assert heard.events[0] == ("start", len(inputs))
    assert [e[1] for e in heard.events if e[0] == "done"] == inputs
    assert sum(1 for e in heard.events if e[0] == "tick") == len(inputs)
    assert ("ocr", f"{corpus.as_posix()}/paged.txt", 1, 1) in heard.events
    assert result.stats.parsed == len(inputs) and result.stats.workers == 2
    assert_same_outputs(reference, tmp_path / "out")

    again = ingest_paths([str(corpus)], str(tmp_path / "again"), {"jobs": 1, "cache_dir": str(cache)})
    assert (again.stats.parsed, again.stats.cached) == (0, len(inputs))
    assert_same_outputs(reference, tmp_path / "again")


def test_a_file_that_kills_its_worker_is_unreadable_and_the_run_goes_on(workers, corpus, tmp_path, capsys):
    """A file whose reader takes the worker down every time: once the scheduler's allowed failures are spent
    (KilledWorker) it is tried alone, kills its worker again, and is reported as that file's unreadable-file
    finding; every other file is read as in a local run."""
    files = tmp_path / "files"
    shutil.copytree(corpus, files)
    (files / "slow.txt").unlink()
    with_marker(SAMPLES / "pudong-2024.txt", files / "crash.txt", "XIANXUE-TEST-CRASH")
    reference = local_run(files, tmp_path / "local")
    out = tmp_path / "out"
    code = cli.main([str(files), "--out", str(out), "--no-cache", "--scheduler", workers.address])
    stderr = capsys.readouterr().err
    assert code == EXIT_UNREADABLE, stderr
    crash = f"{files.as_posix()}/crash.txt"
    assert f"{crash}: unreadable: the process reading it stopped (on " in stderr
    assert "Dask workers in turn): a reader crashed or ran out of memory on this file" in stderr
    ours, theirs = tree(out), tree(reference)
    assert sorted(ours) == sorted(theirs)
    for rel in ours:
        if rel.startswith("notices/") and rel != "notices/crash-txt.json":
            assert ours[rel] == theirs[rel], rel
    findings = json.loads(ours["notices/crash-txt.json"])["findings"]
    assert [f["code"] for f in findings] == ["unreadable-file"]


def test_a_scheduler_that_cannot_be_reached_stops_the_run_before_anything_is_written(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("ingest.cluster.CONNECT_SECONDS", 1)      # nothing listens there: no need to wait the 10 s
    code = cli.main([str(SAMPLES / "pudong-2024.txt"), "--out", str(tmp_path / "out"), "--no-cache",
                     "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == EXIT_CLUSTER
    assert err.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9") and err.count("\n") == 1
    assert not (tmp_path / "out" / "notices.csv").exists()


def test_an_address_that_is_not_one_is_a_usage_error(tmp_path, capsys):
    code = cli.main([str(SAMPLES / "pudong-2024.txt"), "--out", str(tmp_path / "out"), "--scheduler", "localhost"])
    assert code == 2 and "scheduler must be an address such as tcp://HOST:PORT" in capsys.readouterr().err


def test_a_local_run_does_not_load_dask(tmp_path):
    """Dask is for --scheduler alone: a local run, in one process or with workers, never imports it."""
    code = ("import sys; from ingest import cli, batch; stats = batch.RunStats(); "
            "codes = [cli.main([*sys.argv[1:3], '--out', sys.argv[3] + str(j), '--no-cache', '--quiet', '--jobs', str(j)])"
            " for j in (1, 2)]; "
            "batch.run(sys.argv[1:3], {'jobs': 2}, stats=stats); "
            "print(codes, stats.workers, sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    proc = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "qingpu-2021.txt"), str(SAMPLES / "pudong-2024.txt"),
                           str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[0, 0] 2 []", proc.stdout + proc.stderr


def test_the_decisions_a_library_call_names_are_applied_here(workers, tmp_path):
    """batch.run given a reviews file and a scheduler: the workers read the files as they are (the path names a
    file on this machine, not theirs), the decisions are applied here, and the notices are those of a local run."""
    from test_reviews import ACCEPT_AND_CORRECT
    decisions = tmp_path / "reviews.toml"
    decisions.write_text(ACCEPT_AND_CORRECT, encoding="utf-8")
    files = [str(SAMPLES / "qingpu-2021.pdf"), str(SAMPLES / "pudong-2024.pdf")]
    here = batch.run(files, {"jobs": 1, "reviews": str(decisions)})
    there = batch.run(files, {"scheduler": workers.address, "reviews": str(decisions)})
    assert [f.field for f in there[0].corrections] == ["portions"]
    assert there == here


def test_without_the_cluster_extra_the_run_says_what_to_install(tmp_path):
    # --no-cache: a run whose files are all in the cache never contacts the cluster (the user's cache may hold this
    # sample, after a make ingest)
    code = ("import sys; sys.modules['distributed'] = None; from ingest import cli; "
            "sys.exit(cli.main([sys.argv[1], '--out', sys.argv[2], '--scheduler', 'tcp://127.0.0.1:9', '--no-cache']))")
    proc = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "qingpu-2021.txt"), str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == EXIT_CLUSTER
    assert proc.stderr.startswith("error: --scheduler needs Dask distributed") and "[cluster]" in proc.stderr
