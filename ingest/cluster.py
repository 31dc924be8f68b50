"""The files read on a Dask distributed cluster (--scheduler tcp://HOST:PORT): the cluster Executor.

The scheduler and the workers are Dask's own (`dask scheduler`, `dask worker`; see the README). This machine reads
each file and sends its bytes with the task, so the workers need no shared disk, and a task holds all it needs to
run again elsewhere: a worker lost mid-run costs only the files it held, which the scheduler gives to another
worker. A worker runs ingest.pipeline.ingest_bytes and sends the notice back as a cache entry's bytes, with the
version of its pipeline; this machine checks the version (a worker with other code or other reader libraries could
write other outputs), keeps the entry in its cache and writes the outputs, as a local run does. OCR progress comes
back as Dask events on a topic of this run's own.

A file that kills every worker it is tried on (a reader that crashes, memory running out) fails with KilledWorker
once the scheduler's allowed-failures are spent. A file that only stood beside it on a dying worker can fail the
same way, so each file that fails so is tried once more alone, after the rest: only a file that kills its worker
again, with nothing else running, is reported as unreadable.

Nothing imports this module but ingest.batch, and only for a run given a scheduler: a local run never loads Dask.
"""
from __future__ import annotations

import asyncio
import queue
import threading
import time
import uuid
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Optional, Sequence

from distributed import Client, KilledWorker, as_completed, get_worker
from distributed.core import rpc
from distributed.security import Security

from . import reviews
from .cache import pack, pipeline_version, unpack
from .executor import ClusterError, Executor, Sink, Task, crashed, failed
from .pipeline import ingest_bytes, read_file, review, unreadable
from .settings import Settings

CONNECT_SECONDS = 10        # to reach the scheduler
NO_WORKER_SECONDS = 60      # a cluster without a worker this long (at the start, or after losing them all) stops the run
TASKS_PER_THREAD = 2        # files sent ahead per worker thread: enough to keep every worker busy
BYTES_IN_FLIGHT = 256 << 20  # file bytes sent and not yet done, at most (beyond one file): the scheduler holds them
CHECK_SECONDS = 5           # how often the cluster's size is looked at while waiting
POLL_SECONDS = 0.05         # how long to wait for OCR progress before looking for finished tasks again


class DaskCluster(Executor):
    """The Executor on the Dask cluster whose scheduler is at `address`."""

    def __init__(self, address: str):
        self.address = address
        self.workers = 0

    def run(self, tasks: Sequence[Task], settings: Settings, sink: Sink) -> None:
        """Every task on the cluster (connecting first: ClusterError when it cannot), each result handed to the sink."""
        client = _connect(self.address)
        try:
            run = _Run(client, settings, sink)
            self.workers = run.workers
            run.all(tasks)
        finally:
            client.close()


def _connect(address: str) -> Client:
    """A client of the scheduler at `address` that has at least one worker; ClusterError when there is none."""
    if address.startswith(("tls://", "wss://")) and Security().get_connection_args("client")["ssl_context"] is None:
        # (Dask would fail with a TypeError, then spend 20 s closing the client it could not open)
        raise ClusterError(f"{address.split(':', 1)[0]}:// needs Dask's TLS settings (distributed.comm.tls.ca-file, "
                           f".client.cert and .client.key in Dask's configuration), and none are set")
    _identify(address)
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, TypeError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        client.wait_for_workers(1, timeout=NO_WORKER_SECONDS)
    except (OSError, TimeoutError):
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no worker (waited {NO_WORKER_SECONDS} s): "
                           f"start some with `dask worker {address}`") from None
    return client


def _identify(address: str) -> None:
    """Ask what listens at `address` what it is, before a Client is made: a service that is not a Dask scheduler (a
    web server, say) answers bytes Dask takes for a frame of exabytes (a MemoryError: an internal error), and a
    Client that failed to start spends 20 s closing itself, then prints a traceback. ClusterError unless it is a
    scheduler."""
    async def identity():
        async with rpc(address, connection_args=Security().get_connection_args("client")) as remote:
            return await remote.identity()

    try:
        with ThreadPoolExecutor(1) as pool:         # an event loop of its own, whether the caller runs one or not
            info = pool.submit(asyncio.run, asyncio.wait_for(identity(), CONNECT_SECONDS)).result()
    except TimeoutError:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: no answer within {CONNECT_SECONDS} s") \
            from None
    except Exception as exc:          # (MemoryError, ValueError …: what came back was not Dask's protocol)
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {type(exc).__name__}: "
                           f"{str(exc)[:200]} (is it a Dask scheduler?)") from None
    if not isinstance(info, dict) or info.get("type") != "Scheduler":
        raise ClusterError(f"what answers at {address} is not a Dask scheduler")


class _Run:
    """One batch on the cluster: the files in flight, their results as they come, the suspects of killing workers."""

    def __init__(self, client: Client, settings: Settings, sink: Sink):
        self.client, self.settings, self.sink = client, settings, sink
        # the workers get what reading a file needs: the decisions file (a path here) is applied here, below
        self.remote = replace(settings, reviews=None, cache_dir=None, scheduler=None)
        self.decisions = reviews.load(settings.reviews) if settings.reviews else None
        self.version = pipeline_version()
        self.topic = f"xianxue-ingest-ocr-{uuid.uuid4().hex}"
        self.events: queue.Queue = queue.Queue()     # OCR progress: filled by Dask's thread, emptied by this one
        self.completed = as_completed(loop=client.loop, with_results=True, raise_errors=False)
        self.address = client.scheduler.address
        self.flying: dict = {}                        # future key -> (task, bytes sent)
        self.by_index: dict[int, Task] = {}
        self.killed: dict[int, KilledWorker] = {}     # task index -> why it is a suspect
        self.bytes = 0
        self.threads, self.looked, self.no_worker_since = 1, 0.0, None
        self._look()
        self.workers = len(self.client.nthreads())

    def all(self, tasks: Sequence[Task]) -> None:
        """Every task, then each suspect alone: one that kills its worker again is unreadable."""
        self.client.subscribe_topic(self.topic, lambda event: self.events.put(event[1]))
        try:
            suspects = deque(self._drain(deque(tasks)))
            while suspects:
                for task in self._drain(deque([suspects.popleft()]), window=1):
                    how = f"on {self.killed[task.index].allowed_failures + 1} Dask workers in turn"
                    suspects.extend(self.sink.parsed(task, notice=crashed(task, how)))
        finally:
            self.client.unsubscribe_topic(self.topic)
            self.client.cancel(list(self.completed.futures))

    def _drain(self, todo: deque, window: Optional[int] = None) -> list[Task]:
        """Run the tasks in `todo` (and those their results call for), at most `window` at a time (default: as
        many as keeps every worker busy); returns the tasks that failed with KilledWorker."""
        killed: list[Task] = []
        while todo or self.flying:
            limit = window or TASKS_PER_THREAD * self.threads
            while todo and len(self.flying) < limit and (not self.flying or self.bytes < BYTES_IN_FLIGHT):
                todo.extendleft(reversed(self._submit(todo.popleft())))
            if not self.flying:
                continue
            for future, value in self._next_done():
                task, size = self.flying.pop(future.key)
                self.bytes -= size
                follow = self._result(task, future, value)
                if follow is None:
                    killed.append(task)
                else:
                    todo.extendleft(reversed(follow))
        return killed

    def _next_done(self) -> list:
        """The tasks done since last asked, as (future, result), telling OCR progress while waiting for them.
        Dask's as_completed fetches each result, and waits for it to be computed again if the worker holding it
        dies first."""
        while True:
            if time.monotonic() - self.looked > CHECK_SECONDS:
                self._look()
            done = self.completed.next_batch(block=False)
            if done:
                return done
            try:
                index, page, pages = self.events.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            if index in self.by_index:
                self.sink.ocr(self.by_index[index], page, pages)

    def _submit(self, task: Task) -> list[Task]:
        """Read the file here and send its bytes with the task. A file that cannot be read here never leaves: its
        notice goes to the sink at once (returns the tasks that calls for)."""
        data, error = read_file(task.path, self.settings.max_bytes)
        if data is None:
            return self.sink.parsed(task, notice=unreadable(task.notice_id, task.path, "", error))
        future = self.client.submit(_work, task.path, data, task.notice_id, self.remote, task.index, self.topic,
                                    key=f"xianxue-ingest-{uuid.uuid4().hex}", pure=False)
        self.flying[future.key] = (task, len(data))
        self.by_index[task.index] = task
        self.bytes += len(data)
        self.completed.add(future)
        return []

    def _result(self, task: Task, future, value) -> Optional[list[Task]]:
        """Hand a finished task's notice to the sink (returns the tasks that calls for); None when the workers
        running it died (a suspect). `value` is what as_completed fetched: the task's result, (type, exception,
        traceback) for a task that failed, or the CancelledError of one the scheduler dropped. The future's status
        is not asked: the worker holding a result already fetched may die since, and the status says "lost"."""
        if isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], bytes):
            blob, version, worker = value
        elif isinstance(value, tuple) and len(value) == 3 and isinstance(value[1], KilledWorker):
            self.killed[task.index] = value[1]
            return None
        elif isinstance(value, tuple) and len(value) == 3 and isinstance(value[1], Exception):
            return self.sink.parsed(task, notice=failed(task, value[1]))
        else:
            raise ClusterError(f"the Dask scheduler at {self.address} dropped the work ({value!r}): was it "
                               f"restarted?")
        future.release()
        if version != self.version:
            raise ClusterError(f"the Dask worker at {worker} runs another version of xianxue-ingest or of the "
                               f"libraries that read files: install the same version on every worker")
        if self.decisions is None:
            return self.sink.parsed(task, blob=blob)
        return self.sink.parsed(task, notice=review(unpack(blob, task.notice_id, task.path), self.decisions))

    def _look(self) -> None:
        """How many threads the cluster has now (for how much to send ahead); ClusterError when it has had no
        worker for NO_WORKER_SECONDS."""
        self.looked = time.monotonic()
        nthreads = self.client.nthreads()
        self.threads = max(1, sum(nthreads.values()))
        if nthreads:
            self.no_worker_since = None
        elif self.no_worker_since is None:
            self.no_worker_since = self.looked
        elif self.looked - self.no_worker_since > NO_WORKER_SECONDS:
            raise ClusterError(f"the Dask scheduler at {self.address} has had no worker for "
                               f"{NO_WORKER_SECONDS} s")


# Reading is one file at a time in a worker process, whatever the worker's --nthreads: PDFium, which reads PDFs,
# must not be entered from two threads at once.
_ONE_AT_A_TIME = threading.Lock()


def _work(path: str, data: bytes, notice_id: str, settings: Settings, index: int, topic: str):
    """On a worker: one file's bytes through the pipeline; (its notice as a cache entry, this worker's pipeline
    version, its address)."""
    worker = get_worker()

    def progress(done: int, total: int) -> None:
        worker.log_event(topic, [index, done, total])

    with _ONE_AT_A_TIME:
        try:
            notice = ingest_bytes(path, data, notice_id, settings, progress)
        except Exception as exc:    # past the pipeline's own net: this file's finding, sent back as any notice is
            notice = failed(Task(index, path, notice_id), exc)
    return pack(notice), pipeline_version(), worker.address
