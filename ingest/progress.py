"""How a run shows its progress on stderr.

On a terminal: one progress bar (files done of all, files per second, time left), with messages printed above it.
Otherwise (a log file, a pipe, a CI job): the messages as plain lines, one per file, in input order.
OCR, at seconds a page, also says how far it is: pages read of pages to read, beside the bar or as a line a page.
Every line is printed with its control characters escaped: a file name holding a newline or a terminal escape
cannot forge a line or repaint the screen.
"""
from __future__ import annotations

import os
import sys
from typing import Optional, TextIO

import regex as re

_CONTROL = re.compile(r"[\p{Cc}\p{Zl}\p{Zp}\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text with control characters (newlines, escapes, bidirectional overrides) written as \\n, \\x1b, \\u202e."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class Progress:
    """`start(total)` when the files are known; `tick()` once per finished file; `say(text)` prints a line;
    `line(text)` prints a line only when there is no bar (the per-file lines the bar replaces). Use as a context
    manager, or call close()."""

    def __init__(self, total: int = 0, stream: Optional[TextIO] = None, bar: Optional[bool] = None,
                 quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.want_bar = bar
        self.reading: dict[str, tuple[int, int]] = {}     # file -> (pages OCR has read, pages it will read)
        self.bar = None
        if total:
            self.start(total)

    def start(self, total: int) -> None:
        """The files are known: show the bar (on a terminal, when there is more than one)."""
        bar = self.want_bar
        if bar is None:
            bar = not self.quiet and total > 1 and _isatty(self.stream)
        if bar and self.bar is None:
            from tqdm import tqdm

            class _Bar(tqdm):
                monitor_interval = 0   # no monitor thread: worker processes are forked while the bar runs

            width = _columns(self.stream)       # 0 when the terminal does not say (then a fixed 80)
            self.bar = _Bar(total=total, file=self.stream, unit="file", desc="ingest", dynamic_ncols=bool(width),
                            ncols=None if width else 80, smoothing=0.1, leave=False)

    def tick(self) -> None:
        """One more file finished."""
        if self.bar is not None:
            self.bar.update(1)

    def say(self, text: str) -> None:
        """Print a line (control characters escaped), above the bar if there is one."""
        text = printable(text)
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def ocr(self, path: str, done: int, total: int) -> None:
        """A page of `path` read by OCR: `done` of its `total`."""
        if self.quiet:
            return
        if self.bar is None:
            self.say(f"{path}: OCR page {done} of {total}")
            return
        if done >= total:
            self.reading.pop(path, None)
        else:
            self.reading[path] = (done, total)
        if self.reading:
            pages = [sum(x) for x in zip(*self.reading.values())]
            self.bar.set_postfix_str(f"OCR {pages[0]}/{pages[1]} pages", refresh=True)
        else:
            self.bar.set_postfix_str("", refresh=True)

    def line(self, text: str) -> None:
        """Print a line only when there is no bar (the per-file lines the bar stands in for)."""
        if self.bar is None:
            self.say(text)

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _columns(stream) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 0
