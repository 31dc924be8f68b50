"""Many files: find them, give each a stable id, run each through the pipeline (in this process, in worker
processes or on a Dask cluster: ingest.executor; skipping files the cache already holds), and hand the notices
back in input order.

A notice's id comes from the file's path relative to the folder it was found in (the file's own folder for a
file named on the command line): `samples/layouts/text-pipe.txt` read from `samples` is `layouts-text-pipe-txt`,
whatever else is in the run, so a reviewer's decision written for it never moves to another file. Inputs
that would share an id (the same relative path under two folders named on the command line, `a b.txt` beside
`a-b.txt`) are told apart by their content's hash, then by their path's (see unique_ids).
"""
from __future__ import annotations

import gc
import hashlib
import os
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

import regex as re

from .cache import Cache, cacheable, pack, unpack
from .executor import ClusterError, Executor, InProcess, Task
from .pipeline import open_regular
from .pool import LocalPool
from .records import Notice
from .rules import rules
from .settings import Settings

# Folders are walked for these; a file named on the command line is always read, whatever its name, since the
# format is decided from the content.
NOTICE_SUFFIXES = {".pdf", ".docx", ".doc", ".wps", ".txt", ".text", ".htm", ".html", ".shtml", ".xlsx", ".xls", ".ods",
                   ".ofd", ".png", ".jpg", ".jpeg"}
# A notice id longer than this (bytes) is cut and made unique with a hash: it names a file of the output.
MAX_ID_BYTES = 120


@dataclass(frozen=True)
class Input:
    """A file to read, and the id its notice gets."""

    path: str
    notice_id: str


def _walk(folder: str, skip: set[str]) -> Iterable[str]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and os.path.realpath(os.path.join(root, d)) not in skip)
        for name in sorted(names):
            if not name.startswith(".") and Path(name).suffix.lower() in NOTICE_SUFFIXES:
                yield os.path.join(root, name)


def collect(paths: Iterable[str], skip: Sequence[str] = ()) -> list[Input]:
    """The files named or found under the folders named, each once, in order, with their notice ids. Folders in
    `skip` (the output folder) are not walked."""
    skip_real = {os.path.realpath(s) for s in skip}
    found: list[tuple[str, str]] = []            # (path, path relative to its root)
    for p in paths:
        if os.path.isdir(p):
            found += [(f, os.path.relpath(f, p)) for f in _walk(p, skip_real)]
        else:
            found.append((p, os.path.basename(os.path.normpath(p))))
    seen: set[str] = set()
    unique: list[tuple[str, str]] = []
    for path, rel in found:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            unique.append((key.replace(os.sep, "/"), rel))
    return [Input(path, nid) for (path, _), nid in zip(unique, unique_ids(unique))]


def unique_ids(found: Sequence[tuple[str, str]]) -> list[str]:
    """The notice ids of (path, path relative to its root) pairs, distinct within the run, letter case aside (on a
    case-insensitive disk `A-txt.json` and `a-txt.json` are one file). A file whose id no other file shares keeps
    it as `notice_id` makes it. Files that would share one get the first hex digits of their content's hash added
    (the same relative path under two folders, `a b.txt` beside `a-b.txt`); those with the same bytes too get the
    hash of their absolute path instead; anything still shared after that (a name made to look like a tagged id)
    gets -2, -3 in input order, the untagged ones keeping theirs. The same inputs always get the same ids."""
    bases = [notice_id(rel) for _, rel in found]
    ids = list(bases)
    for tag, only_tagged in ((_content_tag, False), (_path_tag, True)):
        counts = Counter(nid.casefold() for nid in ids)
        ids = [f"{base}-{tag(path)}" if counts[nid.casefold()] > 1 and (nid != base or not only_tagged) else nid
               for (path, _), base, nid in zip(found, bases, ids)]
    taken = {nid.casefold() for nid in ids}
    seen: set[str] = set()
    for i in sorted(range(len(ids)), key=lambda i: (ids[i] != bases[i], i)):     # an untagged id stays as it is
        nid = ids[i]
        if nid.casefold() in seen:
            n = 2
            while f"{nid}-{n}".casefold() in taken:
                n += 1
            ids[i] = f"{nid}-{n}"
            taken.add(ids[i].casefold())
        seen.add(ids[i].casefold())
    return ids


def notice_id(rel_path: str) -> str:
    """layouts/text-pipe.txt -> layouts-text-pipe-txt: letters, digits and - only, bounded in length."""
    p = Path(rel_path)
    parts = [*p.parent.parts, p.stem] if str(p.parent) != "." else [p.stem]
    base = "-".join(x for x in (re.sub(r"[^\w-]+", "-", part).strip("-") for part in parts) if x) or "notice"
    ext = p.suffix.lower().lstrip(".")
    nid = f"{base}-{ext}" if ext else base
    if len(nid.encode("utf-8")) > MAX_ID_BYTES:
        tag = hashlib.sha256(nid.encode("utf-8")).hexdigest()[:8]
        cut = nid.encode("utf-8")[:MAX_ID_BYTES - 9].decode("utf-8", "ignore").rstrip("-")
        nid = f"{cut}-{tag}"
    return nid


def _content_tag(path: str) -> str:
    """The first hex digits of the file's SHA-256; of its path's where it cannot be read."""
    sha, _ = digest(path, 1 << 62)
    return sha[:8] if sha else _path_tag(path)


def _path_tag(path: str) -> str:
    """The first hex digits of the SHA-256 of the absolute path (the same whether the folder was named relative or
    absolute; a name that is not UTF-8 hashed by its bytes)."""
    return hashlib.sha256(os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()[:8]


@dataclass(frozen=True)
class Group:
    """The inputs of one notice: its body and the annex files read with it (indices into the inputs)."""

    body: int
    annexes: tuple[int, ...] = ()


def _squeezed_stem(path: str) -> str:
    return unicodedata.normalize("NFKC", Path(path).stem).replace(" ", "").replace("\u3000", "")


def _annex_of(stem: str, bodies: dict[int, str]) -> Optional[int]:
    """The body an annex file's name puts it after (关于…的通知-附件1): the body with the longest such name."""
    r = rules().files
    best = None
    for i, body in bodies.items():
        rest = stem[len(body):].lstrip(r.annex_separators) if stem.startswith(body) and len(stem) > len(body) else ""
        if rest.startswith(r.annex_words) and (best is None or len(body) > len(bodies[best])):
            best = i
    return best


def group(inputs: Sequence[Input]) -> tuple[list[Group], dict[int, str]]:
    """The notices the inputs make, in input order, and the annex files no body could be found for (index ->
    'no-body' or 'ambiguous'; each is read as a notice of its own, and said to be).

    Within each folder: a file whose name extends a body file's name with an annex word (关于…的通知-附件1.xlsx)
    belongs to that body; a file whose name starts with an annex word (附件1 任务分配表.xlsx) belongs to the one
    body file beside it; every other file is a body."""
    words = rules().files.annex_words
    folders: dict[str, list[int]] = {}
    for i, inp in enumerate(inputs):
        folders.setdefault(os.path.dirname(inp.path), []).append(i)
    owner: dict[int, int] = {}
    alone: dict[int, str] = {}
    for members in folders.values():
        stems = {i: _squeezed_stem(inputs[i].path) for i in members}
        named = {i: s for i, s in stems.items() if not s.startswith(words)}
        extended = {i: b for i in named if (b := _annex_of(stems[i], named)) is not None}
        bodies = {i: s for i, s in named.items() if i not in extended}
        owner.update({i: b if b in bodies else extended.get(b, b) for i, b in extended.items()})
        for i, stem in stems.items():
            if not stem.startswith(words):
                continue
            if len(bodies) == 1:
                owner[i] = next(iter(bodies))
            else:
                alone[i] = "ambiguous" if bodies else "no-body"
    annexes: dict[int, list[int]] = {}
    for i, b in owner.items():
        annexes.setdefault(b, []).append(i)
    return ([Group(i, tuple(sorted(annexes.get(i, []), key=lambda a: stems_key(inputs[a].path))))
             for i in range(len(inputs)) if i not in owner], alone)


def stems_key(path: str) -> tuple:
    """附件2 before 附件10: file names compared with their numbers as numbers."""
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"(\d+)", _squeezed_stem(path)))


@dataclass
class RunStats:
    """What a run did, for the summary line and for tests."""

    files: int = 0
    parsed: int = 0            # run through the pipeline in this run
    cached: int = 0            # taken from the cache
    same_as: int = 0           # same bytes as another file of this run: parsed once, shared
    unreadable: int = 0        # could not be read (counted apart from parsed)
    workers: int = 0           # processes that read files (0: everything ran in this process)
    worker_cpu: list = field(default_factory=list)   # CPU seconds of each local worker process (for make bench)
    seconds: float = 0.0
    cache_error: str = ""      # why the cache was not used or not written, if it was not


class Listener:
    """What a run tells as it goes; the command line's progress display is one. Every method does nothing here."""

    def start(self, files: int) -> None:
        """The run has found its input files."""

    def done(self, notice: Notice) -> None:
        """A notice is ready, and every notice before it in input order (called in input order)."""

    def tick(self) -> None:
        """A file has finished, in whatever order the workers finish them (for a progress bar)."""

    def ocr(self, path: str, done: int, total: int) -> None:
        """OCR has read `done` of the `total` pages of `path` (seconds a page: worth telling)."""


def run(inputs: Union[Sequence[Input], Iterable[str]], settings: Optional[Settings] = None,
        listener: Optional[Listener] = None, stats: Optional[RunStats] = None,
        digests: Optional[dict] = None) -> list[Notice]:
    """Every input through the pipeline; the notices come back in input order. `inputs` are Inputs, or paths to
    collect them from. `digests`, path -> (SHA-256, size) as digest() gives them, spares reading files the caller
    has hashed already. With settings.cache_dir set, files whose bytes the cache holds (for this pipeline version
    and these settings) are not parsed again, and files with the same bytes are parsed once. Work goes to the Dask
    cluster at settings.scheduler, else to settings.workers processes when more than one file needs parsing; the
    output does not depend on where it went."""
    started = time.perf_counter()
    settings = Settings.resolve(settings)
    inputs = list(inputs)
    if inputs and not isinstance(inputs[0], Input):
        inputs = collect(inputs)
    job = _Job(inputs, settings, listener or Listener(), stats if stats is not None else RunStats(), digests or {})
    # What is alive before the first file (modules, rules, the caller's objects) lives through the batch: frozen,
    # the collection after each file read here does not walk it again (the first one walked every module).
    gc.freeze()
    try:
        job.run()
    finally:
        gc.unfreeze()     # back to the collector's care, for whatever the caller does next
    job.stats.seconds = time.perf_counter() - started
    return job.results  # type: ignore[return-value]


class _Job:
    """One batch: the lookups in the cache, the files left to parse, and the notices as they finish. It is the
    executors' Sink: whichever executor reads the files hands each result here."""

    def __init__(self, inputs: list[Input], settings: Settings, listener: Listener, stats: RunStats,
                 digests: dict):
        self.inputs, self.settings, self.listener, self.stats, self.digests = inputs, settings, listener, stats, digests
        self.results: list[Optional[Notice]] = [None] * len(inputs)
        self.emitted = 0
        self.twins: dict[int, list[int]] = {}    # first input with some bytes -> later inputs with the same bytes
        self.sizes: dict[int, int] = {}
        self.cache = Cache(settings.cache_dir, settings) if settings.cache_dir else None
        stats.files = len(inputs)
        stats.cache_error = self.cache.error if self.cache else ""

    def run(self) -> None:
        """Parse what the cache does not hold, largest file first (a big file started last would leave the other
        workers idle at the end)."""
        todo = self._lookup()
        if not todo:
            return
        tasks = [self._task(i) for i in sorted(todo, key=lambda i: (-self._size(i), i))]
        executor = executor_for(self.settings, len(tasks))
        try:
            executor.run(tasks, self.settings, self)
        finally:
            self.stats.workers = executor.workers
            self.stats.worker_cpu = list(executor.cpu)

    def _task(self, i: int) -> Task:
        return Task(i, self.inputs[i].path, self.inputs[i].notice_id, self._size(i))

    def _lookup(self) -> list[int]:
        """Look every input up by the hash of its bytes; what is left is parsed, once per distinct content."""
        todo: list[int] = []
        first_with: dict[str, int] = {}
        for i, inp in enumerate(self.inputs):
            sha = None
            if self.cache is not None and self.cache.usable:
                sha, self.sizes[i] = self.digests.get(inp.path) or digest(inp.path, self.settings.max_bytes)
                hit = self.cache.load(sha, inp.notice_id, inp.path) if sha is not None else None
                if hit is not None:
                    self.stats.cached += 1
                    self._finish(i, hit)
                    continue
            if sha is not None and sha in first_with:
                self.twins.setdefault(first_with[sha], []).append(i)
                continue
            if sha is not None:
                first_with[sha] = i
            todo.append(i)
        return todo

    def _size(self, i: int) -> int:
        if i not in self.sizes:
            try:
                self.sizes[i] = os.path.getsize(self.inputs[i].path)
            except OSError:
                self.sizes[i] = 0
        return self.sizes[i]

    def parsed(self, task: Task, blob: Optional[bytes] = None, notice: Optional[Notice] = None) -> list[Task]:
        """A file has been read (blob: the cache entry a worker sent; notice: what this process read or made).
        Returns the files with the same bytes that must be read on their own (see below)."""
        i, inp = task.index, self.inputs[task.index]
        if notice is None:
            notice = unpack(blob, inp.notice_id, inp.path)
        if notice.readable:
            self.stats.parsed += 1
        else:
            self.stats.unreadable += 1
        if self.cache is not None and cacheable(notice):
            self.cache.store(notice.source_sha256, blob if blob is not None else pack(notice))
            self.stats.cache_error = self.stats.cache_error or self.cache.error
        self._finish(i, notice)
        twins = self.twins.get(i, ())
        if not cacheable(notice):
            # an unreadable file's reason may name the file: its twins are read on their own (rare, and quick)
            return [self._task(j) for j in twins]
        for j in twins:
            twin = self.inputs[j]
            self.stats.same_as += 1
            self._finish(j, notice.named(twin.notice_id, twin.path))
        return []

    def ocr(self, task: Task, done: int, total: int) -> None:
        """OCR has read `done` of the `total` pages of the task's file: the listener hears it by the file's path."""
        self.listener.ocr(task.path, done, total)

    def _finish(self, i: int, notice: Notice) -> None:
        self.results[i] = notice
        # A finished notice lives until the outputs are written. Freezing it keeps the collector from walking it
        # again on every full collection (with hundreds held, those walks tripled a warm run). Notices hold no
        # reference cycles: when dropped, reference counting frees them, frozen or not.
        gc.freeze()
        self.listener.tick()
        while self.emitted < len(self.results) and self.results[self.emitted] is not None:
            self.listener.done(self.results[self.emitted])
            self.emitted += 1


def executor_for(settings: Settings, files: int) -> Executor:
    """Where `files` files are read: the Dask cluster at settings.scheduler; else settings.workers processes on
    this machine, or this process when one would do."""
    if settings.scheduler:
        # Imported here only: Dask is an optional extra, takes a second to import, and a local run must not load it.
        try:
            from .cluster import DaskCluster
        except ModuleNotFoundError as exc:
            raise ClusterError(f"--scheduler needs Dask distributed ({exc}): pip install 'xianxue-ingest[cluster]'") \
                from None
        return DaskCluster(settings.scheduler)
    workers = min(settings.workers, files)
    return LocalPool(workers) if workers > 1 else InProcess()


def digest(path: str, max_bytes: int) -> tuple[Optional[str], int]:
    """SHA-256 of a regular file's bytes, read in chunks, and its size. (None, size) for what is not to be
    looked up: a file that cannot be opened, or is over --max-bytes (ingest_file says why), or is not a regular
    file (never opened here: the pipeline says what it is)."""
    try:
        with open_regular(path) as fh:
            st = os.fstat(fh.fileno())
            if st.st_size > max_bytes:
                return None, st.st_size
            return hashlib.file_digest(fh, "sha256").hexdigest(), st.st_size
    except OSError:
        return None, 0
