"""Where a batch's files are read: one shape for every place the work can go.

An Executor takes the files left to parse (Tasks, largest first) and hands each result to the batch as it finishes
(`Sink.parsed`: a cache entry's bytes, or a Notice), with OCR progress as it comes (`Sink.ocr`). Three kinds exist:
InProcess (here: --jobs 1, or a single file), ingest.pool.LocalPool (worker processes on this machine) and
ingest.cluster.DaskCluster (--scheduler: a Dask distributed cluster). ingest.batch picks one; nothing else differs
between them, so the outputs cannot depend on where the files were read.

A file that kills the process reading it (a reader that crashes, or memory running out) becomes that file's
unreadable-file finding (`crashed`), in the executors that read in other processes; the run goes on.
"""
from __future__ import annotations

import gc
from collections import deque
from dataclasses import dataclass
from typing import Optional, Protocol, Sequence

from .pipeline import ingest_file, unreadable
from .records import Notice
from .settings import Settings


@dataclass(frozen=True)
class Task:
    """A file to parse: its place among the batch's inputs, its path, its notice id and its size in bytes (what
    the executors order and group the work by)."""

    index: int
    path: str
    notice_id: str
    size: int = 0


class Sink(Protocol):
    """What an executor reports to: the batch."""

    def parsed(self, task: Task, blob: Optional[bytes] = None, notice: Optional[Notice] = None) -> list[Task]:
        """A task is done: `blob` is its notice as a cache entry (ingest.cache.pack), or `notice` the notice itself.
        Returns the tasks this one's result calls for (files with the same bytes as a file that could not be
        read, to be read on their own): the executor runs them too."""

    def ocr(self, task: Task, done: int, total: int) -> None:
        """OCR has read `done` of the `total` pages of the task's file."""


class ClusterError(RuntimeError):
    """The cluster cannot do the run (its scheduler unreachable, no worker left, a worker running another version
    of the pipeline): the run stops before writing anything."""


class Executor:
    """Runs tasks somewhere and reports each to the sink; returns when every task, and every task the sink handed
    back, is done. `workers` is how many processes read the files (0: this one), for the run's summary; `cpu` the
    CPU seconds of each, where the executor knows them (make bench's measure on a busy machine)."""

    workers = 0
    cpu: Sequence[float] = ()

    def run(self, tasks: Sequence[Task], settings: Settings, sink: Sink) -> None:
        """Run every task, and every task the sink hands back, reporting each result to the sink."""
        raise NotImplementedError


class InProcess(Executor):
    """Every file read in this process, one after the other: no start-up, no copy of any result."""

    def run(self, tasks: Sequence[Task], settings: Settings, sink: Sink) -> None:
        """Every task read here in turn, the twins the sink hands back after them."""
        todo = deque(tasks)
        while todo:
            task = todo.popleft()
            notice = ingest_file(task.path, task.notice_id, settings,
                                 lambda done, total, t=task: sink.ocr(t, done, total))
            gc.collect()     # the reader's cyclic garbage (pdfminer's objects), before the batch freezes the rest
            todo.extend(sink.parsed(task, notice=notice))


def failed(task: Task, exc: BaseException) -> Notice:
    """The notice of a file whose reading raised past the pipeline's own net (a bug of ours, or memory): this
    file's internal-error finding, worded as the pipeline words it, rather than the worker's end."""
    reason = f"internal error while processing it ({exc.__class__.__name__}: {str(exc)[:200]}); please report it"
    return unreadable(task.notice_id, task.path, "", reason, situation="internal")


def crashed(task: Task, how: str) -> Notice:
    """The notice of a file whose reading process died: unreadable, saying how, so the run goes on without it."""
    return unreadable(task.notice_id, task.path, "",
                      f"the process reading it stopped ({how}): a reader crashed or ran out of memory on this file")
