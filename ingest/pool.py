"""Worker processes on this machine (--jobs N): the local Executor.

The workers are started once per run, each with a pipe of its own. Work goes out in chunks sized to the files
(guided scheduling: a chunk is a share of the bytes still to read, so a large file goes alone and small ones in
groups, and the chunks shrink towards the end, leaving no worker idle while another holds a long queue). A worker
reads each file from the disk itself and sends its notice back as the cache entry's bytes, raw on the pipe: the
notice is pickled once, by ingest.cache.pack, and nothing pickles those bytes again. OCR progress comes back on
the same pipe.

A worker that dies (a reader that crashes, memory running out) is seen at once on its pipe: the file it was
reading is reported as unreadable, the rest of its chunk goes back to the queue, and a new worker takes its place.
"""
from __future__ import annotations

import multiprocessing
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Optional, Sequence

from .cache import pack
from .executor import Executor, Sink, Task, crashed, failed
from .pipeline import ingest_file
from .settings import Settings

# A chunk is at most this share of the bytes left to read, per worker: small enough that the last chunks are
# small, large enough that a run of small files goes in a few messages.
CHUNK_SHARE = 4


@dataclass
class _Worker:
    """One worker process, its end of the pipe, and the tasks sent to it that have not come back (in order)."""

    process: multiprocessing.process.BaseProcess
    conn: Connection
    sent: deque = field(default_factory=deque)


class LocalPool(Executor):
    """`workers` processes on this machine; see the module's docstring. `cpu` receives each worker's CPU seconds
    when it stops (the busiest worker's figure is the run's wall time on an otherwise idle machine)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.cpu: list[float] = []

    def run(self, tasks: Sequence[Task], settings: Settings, sink: Sink) -> None:
        """Every task on this machine's worker processes, in chunks; a worker that dies is its file's finding
        and is replaced."""
        queue = _Chunks(tasks, self.workers)
        ctx = multiprocessing.get_context()
        live: dict[Connection, _Worker] = {}
        try:
            for _ in range(min(self.workers, len(tasks))):
                self._start(ctx, settings, live)
            for w in live.values():
                self._send(w, queue)
            while any(w.sent for w in live.values()):
                for conn in wait(list(live)):
                    self._receive(live[conn], queue, sink, ctx, settings, live)
            self._stop(live)
        except BaseException:
            for w in live.values():    # an internal error or Ctrl-C: stop the workers now, not after their files
                w.process.terminate()
            raise
        finally:
            for w in live.values():
                w.process.join()

    def _start(self, ctx, settings: Settings, live: dict) -> _Worker:
        ours, theirs = ctx.Pipe()
        process = ctx.Process(target=_serve, args=(theirs, settings), daemon=True)
        process.start()
        theirs.close()       # the worker's end lives in the worker: its death is then an end of file here
        live[ours] = w = _Worker(process, ours)
        return w

    def _send(self, w: _Worker, queue: "_Chunks") -> None:
        chunk = queue.take()
        if chunk:
            w.sent.extend(chunk)
            w.conn.send([(t.index, t.path, t.notice_id) for t in chunk])

    def _receive(self, w: _Worker, queue: "_Chunks", sink: Sink, ctx, settings: Settings, live: dict) -> None:
        """One message from a worker: OCR progress, or a file done (the worker's next chunk is sent before the
        result is handled, so it does not wait on this process); end of file: the worker died."""
        try:
            message = w.conn.recv()
            if message[0] == "ocr":
                sink.ocr(w.sent[0], message[1], message[2])
                return
            blob = w.conn.recv_bytes()
        except (EOFError, OSError):
            self._lost(w, queue, sink, ctx, settings, live)
            return
        task = w.sent.popleft()
        if not w.sent:
            self._send(w, queue)
        queue.put_back(sink.parsed(task, blob=blob))
        if not w.sent:        # the queue was empty, and the sink has just handed back work
            self._send(w, queue)

    def _lost(self, w: _Worker, queue: "_Chunks", sink: Sink, ctx, settings: Settings, live: dict) -> None:
        """A worker died: the file it was reading is unreadable, the rest of its chunk goes to the others."""
        w.process.join()
        del live[w.conn]
        w.conn.close()
        if not w.sent:
            return
        task = w.sent.popleft()
        queue.put_back(list(w.sent))
        queue.put_back(sink.parsed(task, notice=crashed(task, _how(w.process.exitcode))))
        if queue:
            self._send(self._start(ctx, settings, live), queue)
        for other in live.values():
            if not other.sent:
                self._send(other, queue)

    def _stop(self, live: dict) -> None:
        """Ask each worker to stop and say how much CPU time it used."""
        for w in live.values():
            try:
                w.conn.send(None)
                self.cpu.append(w.conn.recv())
            except (EOFError, OSError):      # died idle: it has nothing left to say
                pass


class _Chunks:
    """The tasks not yet sent, largest first, handed out in chunks of a share of the bytes left."""

    def __init__(self, tasks: Sequence[Task], workers: int):
        self.todo = deque(tasks)
        self.workers = workers
        self.left = sum(max(t.size, 1) for t in tasks)

    def __bool__(self) -> bool:
        return bool(self.todo)

    def take(self) -> list[Task]:
        """The next chunk: tasks from the front of the queue up to a share of the bytes left per worker (at
        least one)."""
        target = self.left / (CHUNK_SHARE * self.workers)
        chunk, size = [], 0
        while self.todo and (not chunk or size + max(self.todo[0].size, 1) <= target):
            task = self.todo.popleft()
            chunk.append(task)
            size += max(task.size, 1)
        self.left -= size
        return chunk

    def put_back(self, tasks: Sequence[Task]) -> None:
        """Tasks to do next (a dead worker's unread files, or files a result calls for), in their order."""
        self.todo.extendleft(reversed(tasks))
        self.left += sum(max(t.size, 1) for t in tasks)


def _how(exitcode: Optional[int]) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


def _serve(conn: Connection, settings: Settings) -> None:
    """A worker process: read the files of each chunk sent, send each notice back as a cache entry (names left
    out; the batch puts them back), until told to stop; then say how much CPU time this process used."""
    # Ctrl-C is the parent's to handle: it stops the workers itself, without a traceback from each of them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        chunk = conn.recv()
        if chunk is None:
            conn.send(time.process_time())
            return
        for index, path, notice_id in chunk:
            try:
                notice = ingest_file(path, notice_id, settings, lambda done, total: conn.send(("ocr", done, total)))
            except Exception as exc:      # past the pipeline's own net: this file's finding, not this worker's end
                notice = failed(Task(index, path, notice_id), exc)
            blob = pack(notice)
            conn.send(("done",))
            conn.send_bytes(blob)
            del notice, blob

