"""Many files: find them, give each a stable id, run each through the pipeline (in worker processes, skipping
files the cache already holds), and hand the notices back in input order."""
from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import queue
import signal
import stat
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

import regex as re

from .cache import Cache, cacheable, pack, unpack
from .pipeline import Notice, ingest_file
from .settings import Settings

# Folders are walked for these; a file named on the command line is always read, whatever its name, since the
# format is decided from the content.
NOTICE_SUFFIXES = {".pdf", ".docx", ".doc", ".wps", ".txt", ".text", ".htm", ".html", ".shtml", ".xlsx", ".xls", ".ods",
                   ".ofd", ".png", ".jpg", ".jpeg"}


def collect(paths: Iterable[str]) -> list[str]:
    files: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith(".") and Path(name).suffix.lower() in NOTICE_SUFFIXES:
                        files.append(os.path.join(root, name))
        else:
            files.append(p)
    seen, out = set(), []
    for f in files:
        key = os.path.normpath(f)
        if key not in seen:
            seen.add(key)
            out.append(key.replace(os.sep, "/"))
    return out


def notice_ids(files: list[str]) -> list[str]:
    """pudong-2024.pdf -> pudong-2024-pdf; a clash (same name in two folders) gets -2, -3 …"""
    ids, used = [], set()
    for f in files:
        path = Path(f)
        base = re.sub(r"[^\w-]+", "-", path.stem).strip("-") or "notice"
        ext = path.suffix.lower().lstrip(".")
        nid = f"{base}-{ext}" if ext else base
        candidate, k = nid, 2
        while candidate in used:
            candidate, k = f"{nid}-{k}", k + 1
        used.add(candidate)
        ids.append(candidate)
    return ids


@dataclass
class RunStats:
    """What a run did, for the summary line and for tests."""

    files: int = 0
    parsed: int = 0            # run through the pipeline in this run
    cached: int = 0            # taken from the cache
    same_as: int = 0           # same bytes as another file of this run: parsed once, shared
    workers: int = 0           # worker processes started (0: everything ran in this process)
    seconds: float = 0.0
    cache_error: str = ""      # why the cache was not used or not written, if it was not


def run(paths: Iterable[str], settings: Optional[Settings] = None,
        on_done: Optional[Callable[[Notice], None]] = None,
        on_tick: Optional[Callable[[], None]] = None,
        stats: Optional[RunStats] = None,
        on_ocr: Optional[Callable[[str, int, int], None]] = None,
        digests: Optional[dict] = None) -> list[Notice]:
    """Every file found under `paths` through the pipeline; the notices come back in input order.

    on_done(notice) is called in input order as soon as a notice and all before it are ready; on_tick() once per
    file as it finishes, in whatever order the workers finish (for a progress bar); on_ocr(path, done, total) after
    each page OCR reads, from whichever process read it (for the minutes a long scan takes). `digests`, path ->
    (SHA-256, size) as digest() gives them, spares reading files the caller has hashed already. With settings.cache_dir set,
    files whose bytes the cache holds (for this pipeline version and these settings) are not parsed again.
    With the cache, files with the same bytes are also parsed only once. Work goes to settings.workers processes when more than one file
    needs parsing; the output does not depend on how many.
    """
    started = time.perf_counter()
    settings = Settings.resolve(settings)
    stats = stats if stats is not None else RunStats()
    files = collect(paths)
    ids = notice_ids(files)
    stats.files = len(files)
    results: list[Optional[Notice]] = [None] * len(files)
    emitted = 0

    def finish(i: int, notice: Notice) -> None:
        nonlocal emitted
        results[i] = notice
        # A finished notice lives until the outputs are written. Freezing it keeps the collector from walking it
        # again on every full collection: with hundreds held, those walks tripled the time to load a warm cache.
        # (Notices hold no reference cycles: when dropped, reference counting frees them, frozen or not. What is
        # frozen is never collected, so a file parsed in this process has its garbage collected first.)
        gc.freeze()
        if on_tick:
            on_tick()
        while emitted < len(results) and results[emitted] is not None:
            if on_done:
                on_done(results[emitted])
            emitted += 1

    cache = None
    if settings.cache_dir:
        cache = Cache(settings.cache_dir, settings)
        stats.cache_error = cache.error

    # Look every file up by the hash of its bytes; what is left is parsed, once per distinct content.
    todo: list[int] = []
    twins: dict[int, list[int]] = {}           # first file with some bytes -> later files with the same bytes
    first_with: dict[str, int] = {}
    sizes: dict[int, int] = {}
    for i, f in enumerate(files):
        sha = None
        if cache is not None and cache.usable:
            sha, sizes[i] = digests[f] if digests and f in digests else digest(f, settings.max_bytes)
            if sha is not None:
                hit = cache.load(sha, ids[i], f)
                if hit is not None:
                    stats.cached += 1
                    finish(i, hit)
                    continue
        if sha is not None and sha in first_with:
            twins.setdefault(first_with[sha], []).append(i)
            continue
        if sha is not None:
            first_with[sha] = i
        todo.append(i)

    def done(i: int, blob: Optional[bytes], notice: Optional[Notice]) -> None:
        stats.parsed += 1
        if notice is None:
            notice = unpack(blob, ids[i], files[i])
        if cache is not None and cacheable(notice):
            cache.store(notice.source_sha256, blob if blob is not None else pack(notice))
            stats.cache_error = stats.cache_error or cache.error
        finish(i, notice)
        for j in twins.get(i, ()):
            if not cacheable(notice):
                # an unreadable file's reason may name the file: its twins are read on their own (rare, and quick)
                stats.parsed += 1
                twin = ingest_file(files[j], ids[j], settings)
                gc.collect()
                finish(j, twin)
                continue
            stats.same_as += 1
            if blob is None:
                blob = pack(notice)
            finish(j, unpack(blob, ids[j], files[j]))

    workers = min(settings.workers, len(todo))
    if workers <= 1:
        for i in todo:
            pages = (lambda d, t, f=files[i]: on_ocr(f, d, t)) if on_ocr else None
            notice = ingest_file(files[i], ids[i], settings, pages)
            gc.collect()     # the reader's cyclic garbage (pdfminer's objects), before finish() freezes the rest
            done(i, None, notice)
    else:
        stats.workers = workers
        _run_pool(todo, files, ids, settings, workers, sizes, done, on_ocr)
    stats.seconds = time.perf_counter() - started
    gc.unfreeze()     # back to the collector's care, for whatever the caller does next
    return results  # type: ignore[return-value]


def _run_pool(todo, files, ids, settings, workers, sizes, done, on_ocr) -> None:
    # Largest files first, so a big file does not start last and leave the other workers idle at the end.
    order = sorted(todo, key=lambda i: (-(sizes[i] if i in sizes else _size(files[i])), i))
    # OCR pages done in the workers come back on a queue, read here between finished files.
    pages = multiprocessing.get_context().Queue() if on_ocr else None
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(pages,))
    try:
        pending = {pool.submit(_work, files[i], ids[i], settings, i): i for i in order}
        while pending:
            finished, _ = wait(pending, timeout=0.2 if pages is not None else None, return_when=FIRST_COMPLETED)
            _drain(pages, files, on_ocr)
            for fut in finished:
                done(pending.pop(fut), fut.result(), None)
    except BaseException:
        # an internal error or Ctrl-C: stop the workers now rather than let them finish the queue
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()
        raise
    pool.shutdown()


def digest(path: str, max_bytes: int) -> tuple[Optional[str], int]:
    """SHA-256 of a regular file's bytes, read in chunks, and its size. (None, size) for what is not to be
    looked up: a file that cannot be opened, or is over --max-bytes (ingest_file says why), or is not a regular
    file (a pipe can be read only once: the pipeline gets it)."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
                return None, st.st_size
            return hashlib.file_digest(fh, "sha256").hexdigest(), st.st_size
    except OSError:
        return None, 0


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _drain(pages, files, on_ocr) -> None:
    while pages is not None:
        try:
            i, d, t = pages.get_nowait()
        except queue.Empty:
            return
        on_ocr(files[i], d, t)


_PAGES = None   # in a worker: the queue OCR progress goes back on, when the parent listens


def _worker_init(pages) -> None:
    global _PAGES
    _PAGES = pages
    # Ctrl-C is the parent's to handle: it stops the workers itself, without a traceback from each of them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(path: str, notice_id: str, settings: Settings, index: int) -> bytes:
    """In a worker process: one file through the pipeline, returned as a cache entry (names left out)."""
    pages = (lambda d, t: _PAGES.put((index, d, t))) if _PAGES is not None else None
    return pack(ingest_file(path, notice_id, settings, pages))
