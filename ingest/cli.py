"""Arguments in, exit code out. The work is done by ingest.batch and ingest.writers."""
from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import sys
import time
import traceback
import warnings
from contextlib import contextmanager
from dataclasses import replace

from . import batch, reviews, uptodate
from .cache import default_cache_dir
from .progress import Progress
from .pipeline import ingest_file
from .settings import Settings
from .writers import OutputLocked, output_lock, write_all

EXIT_OK = 0            # every file read
EXIT_USAGE = 2         # bad arguments, or no input file found
EXIT_UNREADABLE = 3    # some files could not be read (each has an unreadable-file finding)
EXIT_LOCKED = 4        # another run is writing into the same --out folder (it holds DIR/.lock): nothing was done
EXIT_STRICT = 5        # --strict: an error finding remains that no reviewer has accepted (reviews.toml)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ingest",
                                description="Read blood-donation notices (PDF, DOCX, text) into canonical CSV/JSON and a review report.")
    p.add_argument("paths", nargs="+", help="files or folders to read (folders are walked for notice files)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--max-bytes", type=int, default=None, help="refuse files larger than this (default 200 MiB)")
    p.add_argument("--max-pages", type=int, default=None, help="refuse PDFs with more pages (default 2000)")
    p.add_argument("--max-chars", type=int, default=None, help="refuse a PDF page, a DOCX or a text file with more characters (default 1,000,000)")
    p.add_argument("--max-unzipped-bytes", type=int, default=None, help="refuse a DOCX that unpacks to more (default 500 MiB)")
    p.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                   help="worker processes (default: the number of cores; 1 = no workers)")
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="where results are kept between runs (default: $XDG_CACHE_HOME/xianxue-ingest "
                        "or ~/.cache/xianxue-ingest)")
    p.add_argument("--no-cache", action="store_true", help="parse every file, neither reading nor writing the cache")
    p.add_argument("--reviews", default=None, metavar="PATH",
                   help="the reviewer's decisions (default: reviews.toml in the first input folder, if there)")
    p.add_argument("--strict", action="store_true",
                   help=f"exit with {EXIT_STRICT} when an error finding remains that reviews.toml does not accept")
    p.add_argument("--ocr", choices=("auto", "always", "never"), default=None,
                   help="read pages by OCR: auto (pages without a usable text layer; default), always, never")
    p.add_argument("--pdf-reader", choices=("pdfium", "pdfplumber"), default=None,
                   help="read PDFs with PDFium (default) or pdfplumber (the reference reader: slower, same results)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    return p


def _jobs(text: str) -> int:
    n = int(text)
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (the number of cores) or more")
    return n


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    _quiet_libraries(args.debug)
    if args.reviews is not None and not os.path.isfile(args.reviews):
        print(f"error: --reviews {args.reviews}: no such file", file=sys.stderr)
        return EXIT_USAGE
    reviews_path = args.reviews or reviews.find(args.paths)
    try:
        decisions = reviews.load(reviews_path)
    except reviews.ReviewsError as exc:           # the reviewer must fix the file: nothing is read until then
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = Settings.resolve({"strict": args.strict, "reviews": reviews_path,
                                     "max_bytes": args.max_bytes, "max_pages": args.max_pages,
                                     "max_chars": args.max_chars, "max_unzipped_bytes": args.max_unzipped_bytes,
                                     "jobs": args.jobs, "ocr": args.ocr, "pdf_reader": args.pdf_reader,
                                     "cache_dir": None if args.no_cache else (args.cache_dir or default_cache_dir())})
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    files = batch.collect(args.paths)
    if not files:
        print("error: no notice files found in " + ", ".join(args.paths), file=sys.stderr)
        return EXIT_USAGE

    # On a terminal a progress bar stands in for the per-file lines; unreadable files are always named.
    progress = Progress(len(files), quiet=args.quiet)

    summaries: list[uptodate.FileSummary] = []

    def report(s: uptodate.FileSummary):
        summaries.append(s)
        if s.error:
            progress.say(f"{s.source_file}: unreadable: {s.error}")
        elif not args.quiet:
            progress.line(f"{s.source_file}: {s.tables} tables, {s.errors} errors, {s.warnings} warnings")

    stats = batch.RunStats()
    written = False
    record = uptodate.Record(settings.cache_dir, args.out) if settings.cache_dir else None
    previous_sigterm = _terminate_as_interrupt()
    try:
        with output_lock(args.out):
            started = time.perf_counter()
            digests: dict = {}
            fp = uptodate.fingerprint(files, settings, digests) if record else None
            last = record.unchanged(fp) if record else None
            if last is not None:       # nothing changed since the last run into this folder: say it again
                with progress:
                    for s in last:
                        report(s)
                        progress.tick()
                stats.files = len(files)
                stats.seconds = time.perf_counter() - started
            else:
                with progress:
                    # files are read (and cached) as they are; the reviewer's decisions are applied after
                    notices = batch.run(files, replace(settings, reviews=None, strict=False),
                                        on_done=lambda n: report(uptodate.summarise(n)),
                                        on_tick=progress.tick, stats=stats, on_ocr=progress.ocr,
                                        digests=digests)
                notices = reviews.apply_all(notices, decisions,
                                            reread=lambda n: ingest_file(n.source_file, n.notice_id, settings))
                for s, n in zip(summaries, notices):
                    s.open_errors = uptodate.summarise(n).open_errors
                if stats.cache_error:
                    print(f"warning: {stats.cache_error}; results not cached", file=sys.stderr)
                if record:
                    record.forget()        # until the new outputs are all in place
                with _interrupts_deferred():     # all outputs of this run, or (interrupted before) all of the last
                    paths = write_all(notices, args.out, reviews=decisions,
                                      crop_dir=os.path.join(settings.cache_dir, "crops") if settings.cache_dir else None)
                    written = True
                if record:
                    problem = record.save(fp, paths, summaries)
                    if problem:
                        print(f"warning: {problem}", file=sys.stderr)
        unused = reviews.orphans(decisions, summaries)
        if unused:
            print(f"warning: {reviews_path}: {len(unused)} decision(s) name notices not read in this run "
                  f"(listed in report.md): " + ", ".join(sorted({d.notice_id for d in unused})), file=sys.stderr)
        if not args.quiet:
            if last is not None:
                print(f"{stats.files} files in {stats.seconds:.1f} s: outputs up to date (no input, setting, "
                      f"review or code changed since the last run into {args.out})", file=sys.stderr)
            else:
                print(f"{stats.files} files in {stats.seconds:.1f} s: {stats.parsed} parsed, {stats.cached} from "
                      f"cache" + (f", {stats.same_as} same as another file" if stats.same_as else "")
                      + (f" ({stats.workers} workers)" if stats.workers else ""), file=sys.stderr)
    except OutputLocked as exc:
        print(f"error: {exc}; try again when it has finished", file=sys.stderr)
        return EXIT_LOCKED
    except KeyboardInterrupt:
        for child in multiprocessing.active_children():   # workers still waiting for work would keep us alive
            child.terminate()
        print("interrupted: " + ("after the outputs were written" if written else
                                 "outputs left as they were before this run"), file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: one line unless --debug
        if args.debug:
            traceback.print_exc()
        else:
            print(f"error: {exc.__class__.__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 1
    finally:
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)
    if any(s.error for s in summaries):
        return EXIT_UNREADABLE
    if args.strict:
        open_errors = sum(s.open_errors for s in summaries)
        if open_errors:
            print(f"strict: {open_errors} errors not reviewed (accept or correct them in reviews.toml): "
                  + ", ".join(sorted({s.notice_id for s in summaries if s.open_errors})), file=sys.stderr)
            return EXIT_STRICT
    return EXIT_OK


def _quiet_libraries(debug: bool) -> None:
    """stderr is for the user: one line per unreadable file, not pdfminer's warnings about damaged objects. With
    --debug, a reader's traceback for each unreadable file (logged by parsers) and the libraries' warnings show."""
    logging.basicConfig(level=logging.WARNING if debug else logging.CRITICAL,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("parsers").setLevel(logging.DEBUG if debug else logging.CRITICAL)
    if not debug:
        warnings.simplefilter("ignore")


def _terminate_as_interrupt():
    """`kill` (SIGTERM) stops a run the way Ctrl-C does, so temporary files are removed on the way out. Worker
    processes inherit the handler and keep the default behaviour: the run stops them itself. Returns the handler
    it replaced, for main() to put back."""
    main_pid = os.getpid()

    def handler(signum, frame):
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:       # not the main thread (main() called from a thread): leave the default
        return None


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
