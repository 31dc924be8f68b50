"""A reader run in a child process of its own, within a memory and a time limit.

Native readers (python-calamine's Rust) trust the sizes a file declares: an XLS DIMENSIONS record or a cell placed
at the sheet's far corner makes them allocate terabytes, and a failed allocation aborts the whole process, taking
a run that reads in one process with it (a single file, --jobs 1, a library call). Run in a forked child with an
address-space limit, such a file costs only the child: it is refused, as over the limit or as crashing, and the
run goes on. A child that outlives the time limit is killed.

The child is forked (copy-on-write: the reader's modules are loaded already, nothing is pickled on the way in),
returns the reader's result pickled over a pipe, and writes nothing else anywhere: its stderr goes to a pipe whose
first line names a crash. Where fork is missing (not POSIX), the reader runs in this process.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import time
from typing import Callable, TypeVar

from .limits import describe
from .model import UnreadableFile

try:
    import resource
except ImportError:          # not POSIX
    resource = None

T = TypeVar("T")
MEMORY = 3 << 30             # bytes a reader's child may allocate beyond what this process holds already
SECONDS = 120                # a reader's child taking longer is killed
_CHUNK = 1 << 20


def isolated(reader: Callable[..., T], *args, what: str, memory: int = MEMORY, seconds: float = SECONDS) -> T:
    """reader(*args) run in a forked child limited to `memory` more bytes and `seconds`; its result, or its
    UnreadableFile raised here. `what` names the format in a refusal ("XLSX")."""
    if not hasattr(os, "fork") or resource is None:
        return reader(*args)
    result_r, result_w = os.pipe()
    err_r, err_w = os.pipe()
    limit = _address_space() + memory
    pid = os.fork()
    if pid == 0:                                      # the child: never returns
        os.close(result_r)
        os.close(err_r)
        _child(reader, args, result_w, err_w, limit)
    os.close(result_w)
    os.close(err_w)
    finished = False
    try:
        blob, err, timed_out = _collect(result_r, err_r, time.monotonic() + seconds)
        finished = not timed_out
    finally:
        os.close(result_r)
        os.close(err_r)
        status = _end(pid, kill=not finished)
    if timed_out:
        raise UnreadableFile(f"{what} reader did not finish within {seconds:g} s: refused (built to stall it?)")
    try:
        kind, value = pickle.loads(blob) if blob else ("crashed", None)
    except Exception:                                 # a child killed while writing: what came is cut short
        kind, value = "crashed", None
    if kind == "ok":
        return value
    if kind == "unreadable":
        raise UnreadableFile(value)
    if kind == "memory":
        raise UnreadableFile(f"{what} reader needed more than {memory >> 20} MiB: refused (built to exhaust "
                             f"memory?)")
    if kind == "error":                               # as parsers.read_bytes words a reader's library tripping
        raise UnreadableFile(f"damaged {what} content: {value}")
    first = err.decode("utf-8", "replace").strip().splitlines()
    how = f"killed by {signal.Signals(-status).name}" if status is not None and status < 0 else "it stopped"
    raise UnreadableFile(f"{what} reader crashed on this file ({how}: {first[0][:200] if first else 'no message'})")


def _address_space() -> int:
    """This process's virtual memory size in bytes (the child starts as a copy of it)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(reader, args, result_w: int, err_w: int, limit: int) -> None:
    code = 0
    try:
        os.dup2(err_w, 2)
        signal.signal(signal.SIGINT, signal.SIG_DFL)     # Ctrl-C ends the child; the parent handles the run
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _limit_memory(limit)
        try:
            out = ("ok", reader(*args))
        except UnreadableFile as exc:
            out = ("unreadable", str(exc))
        except MemoryError:
            out = ("memory", None)
        except BaseException as exc:                     # the reader's library tripped: said by the parent
            out = ("error", describe(exc))
        try:
            blob = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            blob = pickle.dumps(("memory", None))
        view = memoryview(blob)
        while view:
            view = view[os.write(result_w, view[:_CHUNK]):]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _limit_memory(limit: int) -> None:
    """The address space held to `limit` bytes (or to a lower limit set already; never raised past it)."""
    if not limit:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        limit = min(limit, soft)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _collect(result_r: int, err_r: int, deadline: float) -> tuple[bytes, bytes, bool]:
    """Everything the child writes on both pipes (read as it comes, so that neither fills up and stalls it), until
    both close or the deadline passes."""
    parts: list[bytes] = []
    err = b""
    open_fds = {result_r, err_r}
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"", err, True
        ready, _, _ = select.select(list(open_fds), [], [], left)
        for fd in ready:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                open_fds.discard(fd)
            elif fd == result_r:
                parts.append(chunk)
            elif len(err) < 4096:
                err += chunk
    return b"".join(parts), err, False


def _end(pid: int, kill: bool):
    """The child reaped, killed first when it must not go on (timed out, or the parent was interrupted); its exit
    code, or minus the signal that ended it. (A child whose pipes closed is exiting: waited for.)"""
    try:
        if kill:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)
    except (ChildProcessError, ProcessLookupError):
        return None
