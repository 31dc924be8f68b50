"""Arguments in, exit code out. The work is done by ingest.batch and ingest.writers."""
from __future__ import annotations

import argparse
import sys
import traceback

from . import batch
from .settings import Settings
from .writers import write_all

EXIT_OK = 0            # every file read
EXIT_USAGE = 2         # bad arguments, or no input file found
EXIT_UNREADABLE = 3    # some files could not be read (each has an unreadable-file finding)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ingest",
                                description="Read blood-donation notices (PDF, DOCX, text) into canonical CSV/JSON and a review report.")
    p.add_argument("paths", nargs="+", help="files or folders to read (folders are walked for notice files)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--max-bytes", type=int, default=None, help="refuse files larger than this (default 200 MiB)")
    p.add_argument("--max-pages", type=int, default=None, help="refuse PDFs with more pages (default 2000)")
    p.add_argument("--max-chars", type=int, default=None, help="refuse a page or text file with more characters (default 5,000,000)")
    p.add_argument("--max-unzipped-bytes", type=int, default=None, help="refuse a DOCX that unpacks to more (default 500 MiB)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.resolve({"max_bytes": args.max_bytes, "max_pages": args.max_pages,
                                 "max_chars": args.max_chars, "max_unzipped_bytes": args.max_unzipped_bytes})
    files = batch.collect(args.paths)
    if not files:
        print("error: no notice files found in " + ", ".join(args.paths), file=sys.stderr)
        return EXIT_USAGE

    def report(n):
        if n.error:
            print(f"{n.source_file}: unreadable: {n.error}", file=sys.stderr)
        elif not args.quiet:
            print(f"{n.source_file}: {len(n.tables)} tables, {n.count('error')} errors, "
                  f"{n.count('warning')} warnings", file=sys.stderr)

    try:
        notices = batch.run(files, settings, on_done=report)
        write_all(notices, args.out)
    except KeyboardInterrupt:
        print("interrupted: outputs left as they were before this run", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: one line unless --debug
        if args.debug:
            traceback.print_exc()
        else:
            print(f"error: {exc.__class__.__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 1
    return EXIT_UNREADABLE if any(n.error for n in notices) else EXIT_OK
