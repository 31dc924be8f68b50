"""One run as a library call: files and folders in, every output written, a RunResult out.

    from ingest import ingest_paths
    result = ingest_paths(["samples"], "out")
    result.exit_code, result.stats.parsed, [s.error for s in result.summaries if s.error]

The command line is a thin face over ingest_paths: it turns arguments into Settings, shows the Listener's events,
prints the result and exits with result.exit_code. Problems the caller must fix before anything is read are typed
exceptions: NoInput, reviews.ReviewsError, writers.OutputLocked; with settings.scheduler, executor.ClusterError
when the Dask cluster cannot do the run (raised before anything is written).
"""
from __future__ import annotations

import gc
import os
import signal
import time
from contextlib import contextmanager
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional, Sequence, Union

from . import batch, reviews, uptodate
from .export import changes
from .export.sqlite import Keep, check_earlier, read_earlier
from .pipeline import combine, review
from .records import Notice
from .settings import Settings
from .writers import DATABASE_NAME, Database, output_lock, table_specs, write_all

EXIT_OK = 0            # every file read
EXIT_USAGE = 2         # bad arguments, no input file found, --out a file, or a reviews.toml that cannot be used
EXIT_UNREADABLE = 3    # some files could not be read (each has an unreadable-file finding)
EXIT_LOCKED = 4        # another run is writing into the same --out folder (it holds DIR/.lock): nothing was done
EXIT_STRICT = 5        # --strict: an error finding remains that no reviewer has accepted (reviews.toml)
EXIT_CLUSTER = 6       # --scheduler: the Dask cluster could not do the run (unreachable, no worker, another version)


class NoInput(ValueError):
    """No notice file was found in the paths given."""


class NotAFolder(ValueError):
    """The output folder named is a file, or lies under one (exit 2: a usage error, nothing is read)."""


def check_output_folder(out: Union[str, os.PathLike]) -> None:
    """Raises NotAFolder when `out` is something other than a folder (a file, a link to nothing) or cannot be one
    because a path above it is a file; nothing is created here."""
    path = Path(out)
    if os.path.lexists(path) and not path.is_dir():
        kind = "a link to nothing" if path.is_symlink() and not path.exists() else "a file"
        raise NotAFolder(f"output folder {out} is {kind}, not a folder")
    for above in path.absolute().parents:
        if os.path.lexists(above):
            if not above.is_dir():
                raise NotAFolder(f"output folder {out} cannot be made: {above} is a file, not a folder")
            break


@dataclass
class RunResult:
    """What a run did: a summary per input (in input order), the notices read (empty when the outputs were up to
    date), the output files, the run's figures, and warnings for the user."""

    summaries: list[uptodate.FileSummary]
    notices: list[Notice] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    stats: batch.RunStats = field(default_factory=batch.RunStats)
    up_to_date: bool = False
    strict: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def unreadable(self) -> list[uptodate.FileSummary]:
        return [s for s in self.summaries if s.error]

    @property
    def open_errors(self) -> int:
        """Error findings no reviewer has accepted."""
        return sum(s.open_errors for s in self.summaries)

    @property
    def exit_code(self) -> int:
        """The command's exit status for this run: unreadable files first, then --strict's open errors, else 0."""
        if self.unreadable:
            return EXIT_UNREADABLE
        if self.strict and self.open_errors:
            return EXIT_STRICT
        return EXIT_OK


def ingest_paths(paths: Sequence[str], out: str, settings: Optional[Settings] = None,
                 listener: Optional[batch.Listener] = None, sqlite: Union[bool, str, os.PathLike] = True) -> RunResult:
    """Read the files and folders in `paths` and write every output into `out` (created if missing).

    The reviewer's decisions come from settings.reviews (else reviews.toml in the first input folder, if there).
    `sqlite`: where the SQLite database goes (True: notices.db in `out`; False: none). The notices an earlier run
    left in it and this run does not read are kept there, and take part in the year-over-year comparison.
    Raises NoInput, NotAFolder (`out` is a file), reviews.ReviewsError, writers.OutputLocked or
    export.sqlite.EarlierDatabaseError (a file that is not a database of ours where the database goes) before
    anything is read or written."""
    settings = Settings.resolve(settings)
    check_output_folder(out)
    db_path = database_path(out, sqlite)
    if db_path is not None:
        check_earlier(db_path, table_specs())
    reviews_path = settings.reviews or reviews.find(paths)
    decisions = reviews.load(reviews_path)
    inputs = batch.collect(paths, skip=[out])
    if not inputs:
        raise NoInput("no notice files found in " + ", ".join(paths))
    settings = replace(settings, reviews=reviews_path)
    listener = listener or batch.Listener()
    listener.start(len(inputs))
    with output_lock(out):
        started = time.perf_counter()
        # a database outside the output folder is not among the files the record of the run can check: no skip
        inside = db_path is None or os.path.realpath(db_path.parent) == os.path.realpath(out)
        record = uptodate.Record(settings.cache_dir, out) if settings.cache_dir and inside else None
        digests: dict = {}
        fp = _with_database(uptodate.fingerprint(inputs, settings, digests), db_path) if record else None
        last = record.unchanged(fp) if record else None
        if last is not None:
            result = RunResult(summaries=last, up_to_date=True, strict=settings.strict,
                               stats=batch.RunStats(files=len(inputs), seconds=time.perf_counter() - started))
        else:
            result = _run(inputs, out, settings, decisions, listener, digests, record, fp, db_path)
    unused = reviews.orphans(decisions, result.summaries)
    if unused:
        result.warnings.append(f"{reviews_path}: {len(unused)} decision(s) name notices not read in this run "
                               f"(listed in report.md): " + ", ".join(sorted({d.notice_id for d in unused})))
    return result


def database_path(out: str, sqlite: Union[bool, str, os.PathLike]) -> Optional[Path]:
    """Where the database goes: notices.db in the output folder by default, the path given, or nowhere."""
    if sqlite is True:
        return Path(out) / DATABASE_NAME
    return Path(sqlite) if sqlite else None


def _with_database(fp: Optional[str], db_path: Optional[Path]) -> Optional[str]:
    """The run's fingerprint with where its database goes (a run that adds or moves it is not up to date)."""
    if fp is None:
        return None
    return hashlib.sha256(f"{fp}\0{db_path.name if db_path else ''}".encode()).hexdigest()


def _run(inputs, out, settings, decisions, listener, digests, record, fp, db_path=None) -> RunResult:
    """Read every input (the cache where it can), apply the decisions, write every output."""

    class Started(batch.Listener):
        """The caller's listener, which has heard of the start already."""

        def done(self, notice):
            listener.done(notice)

        def tick(self):
            listener.tick()

        def start(self, files):
            pass

        def ocr(self, path, done, total):
            listener.ocr(path, done, total)

    stats = batch.RunStats()
    # files are read (and cached) as they are; the reviewer's decisions are applied to what they say
    read = batch.run(inputs, replace(settings, reviews=None, strict=False), Started(), stats, digests)
    with _collector_paused():
        return _write(inputs, read, out, settings, decisions, stats, record, fp, db_path)


def _write(inputs, read, out, settings, decisions, stats, record, fp, db_path) -> RunResult:
    """The notices the files make, compared year over year, written out; the run's result."""
    notices = notices_of(inputs, read, decisions)
    summaries = [uptodate.summarise(n) for n in read]
    # an error nobody accepted counts where the notice's body file is (a notice in several files has one body)
    bodies = {n.source_file: n for n in notices}
    summaries = [replace(s, open_errors=uptodate.open_errors(bodies[s.source_file]) if s.source_file in bodies
                         else 0) for s in summaries]
    years, database = _years(notices, db_path)
    notices = changes.with_findings(notices, years, decisions)
    result = RunResult(summaries=summaries, notices=notices, stats=stats, strict=settings.strict)
    if stats.cache_error:
        result.warnings.append(f"{stats.cache_error}; results not cached")
    if record:
        record.forget()        # until the new outputs are all in place
    try:
        with _interrupts_deferred():     # all outputs of this run, or (interrupted before) all of the last
            result.written = write_all(notices, out, reviews=decisions, crop_dir=os.path.join(
                settings.cache_dir, "crops") if settings.cache_dir else None, years=years, database=database,
                aside=settings.workers > 1)
        if record:
            problem = record.save(fp, result.written, summaries)
            if problem:
                result.warnings.append(problem)
    except KeyboardInterrupt as exc:
        exc.written = bool(result.written)     # for the caller to say which outputs the folder holds
        raise
    return result


def _years(notices: list[Notice], db_path: Optional[Path]) -> tuple[changes.YearOverYear, Optional[Database]]:
    """The year-over-year comparison of this run's notices with those an earlier run left in the database (kept
    there), and where the database goes."""
    if db_path is None:
        return changes.compare(notices), None
    earlier = read_earlier(db_path, EARLIER_COLUMNS) if db_path.exists() else {}
    ours = {n.notice_id for n in notices}
    kept = [r for r in earlier.get("notices", ()) if r.get("notice_id") and r["notice_id"] not in ours]
    readings = changes.readings_from_rows(kept, [a for a in earlier.get("allocations", ())
                                                 if a.get("notice_id") not in ours])
    keep = Keep(db_path, frozenset(str(r["notice_id"]) for r in kept)) if kept else None
    return changes.compare(notices, readings), Database(db_path, keep)


EARLIER_COLUMNS = {"notices": ["notice_id", "region", "year", "errors", "warnings", "unreadable_reason"],
                   "allocations": ["notice_id", "table_id", "row_no", "org", "org_note", "org_normalized", "portions",
                                   "row_type", "page"]}


def notices_of(inputs: list[batch.Input], read: list[Notice], decisions) -> list[Notice]:
    """The notices the files read make (a notice in several files is one: batch.group says which), each with the
    reviewer's decisions applied."""
    groups, alone = batch.group(inputs)
    named = decisions.notice_ids() if decisions else set()
    out = []
    for g in groups:
        n = read[g.body]
        if g.body in alone:
            n = replace(n, alone_annex=alone[g.body])
        if g.annexes:
            n = combine(n, [read[a] for a in g.annexes])
        if g.annexes or g.body in alone or n.notice_id in named:
            n = review(n, decisions)
        out.append(n)
    return out


@contextmanager
def _collector_paused():
    """The cyclic garbage collector off while the outputs are written. Writing builds hundreds of thousands of
    small objects (records, cells, report fragments) beside every notice of the run, and each full collection
    walked all of them again: a quarter of the writing time on a few hundred notices. What writing leaves behind
    is freed by reference counting; any cycle waits for the collector, back on at the end."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextmanager
def _interrupts_deferred():
    """Ctrl-C or kill while the outputs are renamed into place would leave some files of this run beside some of
    the last: note those signals until the whole set is written (a second or so), then act on them."""
    caught: list[int] = []
    sigs = (signal.SIGINT, signal.SIGTERM)
    try:
        old = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum)) for sig in sigs}
    except ValueError:       # not the main thread: signals cannot arrive here anyway
        yield
        return
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
    if caught:
        raise KeyboardInterrupt
