"""Work done aside: a function run in a forked copy of this process while this one goes on, its bytes sent back.

Writing the outputs of a large run is the one part of it no worker shares: every notice is in this process. A
forked child sees all of them as they are (copy-on-write: nothing is pickled or sent), so one output can be made
there while this process makes the others. Where fork is not available, or cannot be done, the function simply
runs here when its result is asked for; the bytes are the same either way.
"""
from __future__ import annotations

import os
from typing import Callable

# The first byte of what the child sends: its result follows, or the one-line reason it could not make it.
_OK, _FAILED = b"\0", b"\1"


class AsideError(RuntimeError):
    """The forked child could not make its output (what it raised, in one line), or died before it was done."""


class Aside:
    """make() running in a forked child (or, with fork=False or where none could be started, to be run here when
    its result is asked for): `result()` waits for its bytes; `cancel()` stops waiting (the child is ended), for
    when the output will not be written after all."""

    def __init__(self, make: Callable[[], bytes], fork: bool = True):
        self._make, self._pid, self._fd = make, 0, -1
        if not fork or not hasattr(os, "fork"):
            return
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:                             # the child: make the bytes, send them, leave without clean-up
            os.close(read_end)
            _child(make, write_end)
        os.close(write_end)
        self._pid, self._fd = pid, read_end

    def result(self) -> bytes:
        """The bytes make() returned (AsideError if the child failed or died)."""
        if not self._pid:
            return self._make()
        try:
            with os.fdopen(self._fd, "rb") as fh:
                payload = fh.read()
        finally:
            self._fd = -1
            status = self._reap()
        if payload[:1] == _OK:
            return payload[1:]
        if payload[:1] == _FAILED:
            raise AsideError(payload[1:].decode("utf-8", "replace"))
        raise AsideError(f"the process making it stopped (status {status})")

    def cancel(self) -> None:
        """Stop the child, if it is still running, and wait for it to end."""
        if not self._pid:
            return
        import signal
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        self._reap()

    def _reap(self) -> int:
        pid, self._pid = self._pid, 0
        try:
            return os.waitpid(pid, 0)[1]
        except ChildProcessError:
            return -1


def _child(make: Callable[[], bytes], fd: int) -> None:
    try:
        payload = _OK + make()
    except BaseException as exc:                 # noqa: BLE001 - told to the parent, which raises it
        payload = _FAILED + f"{exc.__class__.__name__}: {exc}".encode("utf-8", "replace")[:1000]
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
    finally:
        os._exit(0)                              # not the parent's exit handlers, buffers or temporary files
