"""The local worker processes (--jobs N, ingest/pool.py): how work is handed out, and a worker that dies.

The outputs of --jobs 2 against --jobs 1 are compared in test_batch.py; here, what only the pool does."""
import faulthandler
import os
import signal

import parsers
from conftest import SAMPLES
from ingest import batch
from ingest.executor import Task
from ingest.pool import CHUNK_SHARE, _Chunks


def tasks(*sizes):
    return [Task(i, f"f{i}", f"f{i}", size) for i, size in enumerate(sizes)]


def test_chunks_are_sized_to_the_files_and_shrink_towards_the_end():
    """Largest first (the batch orders them): a large file goes alone, small files in groups of about a share of
    the bytes left, and every task is handed out once, in order."""
    queue = _Chunks(tasks(900, 500, *[10] * 200), workers=2)
    first, second = queue.take(), queue.take()
    assert [t.size for t in first] == [900] and [t.size for t in second] == [500]
    chunks = []
    while queue:
        chunks.append(queue.take())
    assert [t.index for c in [first, second] + chunks for t in c] == list(range(202))
    left = 2000
    for c in chunks:
        assert sum(t.size for t in c) <= max(10, left / (CHUNK_SHARE * 2))
        left -= sum(t.size for t in c)
    assert len(chunks[0]) > len(chunks[-1]) == 1


def test_tasks_put_back_come_out_next():
    queue = _Chunks(tasks(30, 20, 10), workers=1)
    taken = queue.take()
    queue.put_back(taken)
    assert queue.take() == taken


def test_a_file_that_kills_its_worker_is_unreadable_and_the_run_goes_on(tmp_path, monkeypatch):
    """A reader that dies as a crashing C library does (SIGSEGV) takes its worker with it: the file is reported as
    unreadable, saying so; the worker is replaced and every other file is read as in one process."""
    files = [SAMPLES / name for name in ("pudong-2024.txt", "qingpu-2021.pdf", "qingpu-2021.docx")]
    crash = tmp_path / "crash.txt"
    crash.write_text((SAMPLES / "qingpu-2021.txt").read_text(encoding="utf-8") + "\nCRASH-HERE\n", encoding="utf-8")
    paths = [str(f) for f in files] + [str(crash)]
    alone = {n.source_file: n for n in batch.run([str(f) for f in files], {"jobs": 1})}
    read = parsers.read_bytes

    def crashing(path, data, *args, **kwargs):
        if b"CRASH-HERE" in data:
            faulthandler.disable()        # pytest's, inherited: no traceback of the worker on the test's output
            os.kill(os.getpid(), signal.SIGSEGV)
        return read(path, data, *args, **kwargs)

    monkeypatch.setattr(parsers, "read_bytes", crashing)     # the workers are forked: they read with it
    stats = batch.RunStats()
    found = {n.source_file: n for n in batch.run(paths, {"jobs": 2}, stats=stats)}
    assert stats.workers == 2 and (stats.parsed, stats.unreadable) == (3, 1)
    broken = found.pop(str(crash))
    assert broken.error == ("the process reading it stopped (killed by SIGSEGV): a reader crashed or ran out of "
                            "memory on this file")
    assert [f.code for f in broken.findings] == ["unreadable-file"]
    assert found == alone
