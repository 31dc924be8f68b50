"""Arguments in, one library call (ingest.job.ingest_paths), exit code out."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import traceback
import warnings
from typing import Optional

from . import reviews
from .batch import Listener
from .cache import default_cache_dir
from .executor import ClusterError
from .job import EXIT_CLUSTER, EXIT_LOCKED, EXIT_STRICT, EXIT_USAGE, NoInput, RunResult, ingest_paths
from .progress import Progress, printable
from .settings import Settings
from .writers import OutputLocked


def _say(text: str) -> None:
    """A line on stderr, its control characters written as \\n, \\x1b (progress.printable): a path or a name from a
    reviews file cannot forge a line or repaint the terminal."""
    print(printable(text), file=sys.stderr)


def _prog() -> str:
    """How the user started us: `python -m ingest` or the installed `xianxue-ingest` command."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m ingest" if name in ("", "__main__.py", "-c") else name


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """One line naming what is wrong, as for every other error (the usage is in --help)."""
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def parser() -> argparse.ArgumentParser:
    """The command's arguments: inputs, output folder, limits, workers or cluster, cache, reviews, reader choices."""
    p = _Parser(prog=_prog(), description="Read blood-donation notices (PDF, DOCX, text, scans) "
                                "into canonical CSV/JSON and a review report.")
    p.add_argument("paths", nargs="+", help="files or folders to read (folders are walked for notice files)")
    p.add_argument("-o", "--out", required=True, help="output folder (created if missing)")
    p.add_argument("--max-bytes", type=_positive, default=None, help="refuse files larger than this (default 200 MiB)")
    p.add_argument("--max-pages", type=_positive, default=None, help="refuse PDFs with more pages (default 2000)")
    p.add_argument("--max-chars", type=_positive, default=None,
                   help="refuse a PDF page, a whole PDF, a DOCX or a text file with more characters (default 1,000,000)")
    p.add_argument("--max-unzipped-bytes", type=_positive, default=None,
                   help="refuse a DOCX that unpacks to more (default 500 MiB)")
    p.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                   help="worker processes: a number, or auto for one per core (default: auto; 1 = no workers)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="read the files on the Dask cluster with this scheduler (see the README: `dask scheduler`, "
                        "`dask worker`; needs the cluster extra); --jobs is then unused")
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
    db = p.add_mutually_exclusive_group()
    db.add_argument("--sqlite", default=None, metavar="PATH",
                    help="write the SQLite database (for Datasette) here (default: notices.db in the output folder); "
                         "notices an earlier run left in it are kept")
    db.add_argument("--no-sqlite", action="store_true", help="write no SQLite database")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    return p


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def _jobs(text: str) -> int:
    return 0 if text == "auto" else _positive(text)


def _settings(args) -> Settings:
    return Settings.resolve({"strict": args.strict, "reviews": args.reviews, "max_bytes": args.max_bytes,
                             "max_pages": args.max_pages, "max_chars": args.max_chars,
                             "max_unzipped_bytes": args.max_unzipped_bytes, "jobs": args.jobs, "ocr": args.ocr, "pdf_reader": args.pdf_reader,
                             "scheduler": args.scheduler,
                             "cache_dir": None if args.no_cache else (args.cache_dir or default_cache_dir())})


class _Shown(Listener):
    """The run's events on the progress display: a line per file (or a bar on a terminal), OCR pages. Each event
    also stops the run if it was interrupted: Ctrl-C raises where Python happens to be, and when that is inside a
    __del__ Python only prints the KeyboardInterrupt and goes on."""

    def __init__(self, progress: Progress, quiet: bool):
        self.progress, self.quiet = progress, quiet

    def _stop_if_interrupted(self) -> None:
        if _INTERRUPTED:
            raise KeyboardInterrupt

    def done(self, notice) -> None:
        """A notice is finished: one line for it (an unreadable file always, others unless --quiet)."""
        self._stop_if_interrupted()
        say_file(self.progress, notice.source_file, notice.error, len(notice.tables), notice.count("error"),
                 notice.count("warning"), self.quiet)

    def start(self, files: int) -> None:
        """The run has `files` files to go through: the progress bar starts."""
        self.progress.start(files)

    def tick(self) -> None:
        """One more file finished (the bar moves; Ctrl-C is honoured here)."""
        self._stop_if_interrupted()
        self.progress.tick()

    def ocr(self, path: str, done: int, total: int) -> None:
        """OCR progress on one file's pages, shown on the progress line."""
        self._stop_if_interrupted()
        self.progress.ocr(path, done, total)


def say_file(progress: Progress, path: str, error: str, tables: int, errors: int, warnings_: int,
             quiet: bool) -> None:
    """The line a finished file gets: why it is unreadable, or how many tables, errors and warnings it has."""
    if error:
        progress.say(f"{path}: unreadable: {error}")
    elif not quiet:
        progress.line(f"{path}: {tables} tables, {errors} errors, {warnings_} warnings")


def main(argv: Optional[list[str]] = None) -> int:
    """The command: parse `argv`, run ingest_paths, print the summary; returns the exit status (job.EXIT_*)."""
    args = parser().parse_args(argv)
    _quiet_libraries(args.debug)
    if args.reviews is not None and not os.path.exists(args.reviews):
        _say(f"error: --reviews {args.reviews}: no such file")
        return EXIT_USAGE
    previous = _terminate_as_interrupt()
    try:
        return _main(args)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _main(args) -> int:
    try:
        settings = _settings(args)
        with Progress(quiet=args.quiet) as progress:
            result = ingest_paths(args.paths, args.out, settings, _Shown(progress, args.quiet),
                                  sqlite=False if args.no_sqlite else (args.sqlite or True))
            if result.up_to_date:      # nothing changed since the last run into this folder: say it again
                for s in result.summaries:
                    say_file(progress, s.source_file, s.error, s.tables, s.errors, s.warnings, args.quiet)
    except (NoInput, reviews.ReviewsError, ValueError) as exc:   # ValueError: settings that cannot be used
        _say(f"error: {exc}")
        return EXIT_USAGE
    except OutputLocked as exc:
        _say(f"error: {exc}; try again when it has finished")
        return EXIT_LOCKED
    except ClusterError as exc:
        _say(f"error: {exc}; outputs left as they were")
        return EXIT_CLUSTER
    except KeyboardInterrupt as exc:
        written = getattr(exc, "written", False)
        _say("interrupted: " + ("after the outputs were written" if written else
                                "outputs left as they were before this run"))
        return 130
    except Exception as exc:  # a bug, not bad input: one line unless --debug
        if args.debug:
            traceback.print_exc()
        else:
            _say(f"error: {exc.__class__.__name__}: {exc} (run with --debug for the traceback)")
        return 1
    _say_result(result, args)
    return result.exit_code


def _say_result(result: RunResult, args) -> None:
    for w in result.warnings:
        _say(f"warning: {w}")
    s = result.stats
    if not args.quiet:
        if result.up_to_date:
            _say(f"{s.files} files in {s.seconds:.1f} s: outputs up to date (no input, setting, review or code "
                 f"changed since the last run into {args.out})")
        else:
            _say(f"{s.files} files in {s.seconds:.1f} s: {s.parsed} parsed, {s.cached} from cache"
                 + (f", {s.same_as} same as another file" if s.same_as else "")
                 + (f", {s.unreadable} unreadable" if s.unreadable else "")
                 + (f" ({s.workers} workers)" if s.workers else ""))
    if result.exit_code == EXIT_STRICT:
        _say(f"strict: {result.open_errors} errors not reviewed (accept or correct them in reviews.toml): "
             + ", ".join(sorted({x.notice_id for x in result.summaries if x.open_errors})))


def _quiet_libraries(debug: bool) -> None:
    """stderr is for the user: one line per unreadable file, not pdfminer's warnings about damaged objects. With
    --debug, a reader's traceback for each unreadable file (logged by parsers) and the libraries' warnings show."""
    logging.basicConfig(level=logging.WARNING if debug else logging.CRITICAL,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("parsers").setLevel(logging.DEBUG if debug else logging.CRITICAL)
    # Dask's client logs to stderr itself (a lost worker, a lost connection): what matters reaches the user as
    # this run's own lines and exit status
    logging.getLogger("distributed").setLevel(logging.WARNING if debug else logging.CRITICAL)
    if not debug:
        warnings.simplefilter("ignore")


_INTERRUPTED: list[int] = []      # the signals that have asked this run to stop


def _terminate_as_interrupt():
    """`kill` (SIGTERM) stops a run the way Ctrl-C does, so temporary files are removed on the way out; both are
    also noted, for the run to stop at its next event if Python swallowed the KeyboardInterrupt. Worker processes
    inherit the handler and keep the default behaviour: the run stops them itself. Returns the handlers it
    replaced, for main() to put back."""
    main_pid = os.getpid()
    _INTERRUPTED.clear()
    default_unraisable = sys.unraisablehook

    def unraisable(info):      # a Ctrl-C that landed in a __del__: noted above, acted on at the next event
        if not isinstance(info.exc_value, KeyboardInterrupt):
            default_unraisable(info)

    sys.unraisablehook = unraisable

    def handler(signum, frame):
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        _INTERRUPTED.append(signum)
        raise KeyboardInterrupt

    previous = {}
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, handler)
        previous[signal.SIGTERM] = signal.signal(signal.SIGTERM, handler)
    except ValueError:       # not the main thread (main() called from a thread): leave the defaults
        pass
    return previous
