"""Results of earlier runs, so a re-run reads only the files that changed.

An entry is one Notice, pickled, keyed by the SHA-256 of the file's bytes. Entries live in a folder named after
the run key: the pipeline's version (the source of ingest/*.py, parsers/*.py, ingest/rules.toml, parsers/*.toml and the versions
of the libraries that read the files) and the settings that change what a file yields. Any change to the code,
the rules or those settings therefore starts a fresh folder; the least recently used folders are pruned.

A notice is stored without the things that come from its file name (notice_id, source_file, and the notice_id on
each finding): the same bytes under another name are the same entry, and `unpack` binds the names on the way out.
Writes are atomic (temporary file, then rename). An entry that does not load, or does not describe the bytes it
is filed under, counts as a miss and is written again. Entries are pickles: the cache folder must be one only
its user can write to (the default, under the user's own cache folder, is).
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import re
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .records import Notice
from .settings import Settings

APP = "xianxue-ingest"
FORMAT = 1                 # bump when the layout of the cache itself changes
KEEP_RUN_FOLDERS = 8       # run folders (versions × settings) kept; older ones are removed
# Settings that decide how a run is carried out, not what a file yields: they are not part of the key.
NOT_IN_KEY = {"jobs", "cache_dir", "scheduler"}
# Modules that only present notices (outputs, report, command line, progress): a change to them changes no
# notice, so it does not empty the cache. Nothing the pipeline runs imports them (tests/test_batch.py checks).
OUTPUT_ONLY = {"writers.py", "report.py", "cli.py", "job.py", "progress.py", "uptodate.py", "__main__.py"}
# ... and the package of outputs beyond CSV and JSON (year over year, the SQLite database).
OUTPUT_PACKAGE = "export/**/*.py"
# Libraries whose version can change what is read from a file.
LIBRARIES = ("pdfplumber", "pdfminer.six", "python-docx", "lxml", "regex", "opencc", "opencc-python-reimplemented",
             "pypdfium2", "rapidocr-onnxruntime", "rapidocr", "onnxruntime", "opencv-python",
             "opencv-python-headless", "numpy", "pillow", "python-calamine")


CACHEDIR_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
RUN_FOLDER = re.compile(r"[0-9a-f]{24}")


def private_folder(path: Path) -> str:
    """Make `path` (and its missing parents) readable and writable by this user only (0700); '' when it is fit
    to hold pickles, else why not: a folder another user owns or can write to could hand us a pickle to run."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for p in reversed(missing):
        try:
            p.mkdir(mode=0o700)
        except FileExistsError:
            pass
    st = path.stat()
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return f"cache folder {path} belongs to another user: not used (it holds pickles; give --cache-dir a folder of yours)"
    if st.st_mode & 0o022:
        return (f"cache folder {path} can be written by other users: not used (it holds pickles; "
                f"chmod go-w it, or give --cache-dir a folder only you can write to)")
    return ""


def default_cache_dir() -> str:
    """$XDG_CACHE_HOME/xianxue-ingest, else ~/.cache/xianxue-ingest."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, APP)


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of everything that decides what a file yields: our source and rules, and the readers' libraries.
    Computed once per process."""
    here = Path(__file__).resolve().parent
    root = here.parent
    files = sorted([f for f in here.glob("*.py") if f.name not in OUTPUT_ONLY] + [here / "rules.toml"]
                   + list((root / "parsers").glob("*.py")) + list((root / "parsers").glob("*.toml")))
    h = hashlib.sha256(f"format {FORMAT}; python {sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    for f in files:
        if f.is_file():
            h.update(f.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    from importlib import metadata     # imported where a cache or a cluster asks for versions (10 ms of start-up)
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            pass
    return h.hexdigest()


@lru_cache(maxsize=1)
def source_version() -> str:
    """A hash of the modules pipeline_version leaves out: with it, everything that makes the outputs."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in sorted(OUTPUT_ONLY) + sorted(p.relative_to(here).as_posix() for p in here.glob(OUTPUT_PACKAGE)):
        f = here / name
        if f.is_file():
            h.update(name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    for f in sorted((here / "templates").glob("*")):     # the report's and the database metadata's words
        if not f.is_file():
            continue                                     # the compiled templates kept beside them
        h.update(f.name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def run_key(settings: Settings) -> str:
    """The run folder's name: the pipeline's version and the settings that change what a file yields."""
    fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings) if f.name not in NOT_IN_KEY}
    reviews = fields.get("reviews")
    if reviews:     # the decisions are applied inside the pipeline when given here: key on what the file says
        try:
            fields["reviews"] = hashlib.sha256(Path(reviews).read_bytes()).hexdigest()
        except OSError:
            pass
    blob = pipeline_version() + "\n" + repr(sorted(fields.items()))
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def pack(notice: Notice) -> bytes:
    """The notice as a cache entry: pickled, with the names that come from its file left out."""
    return pickle.dumps(notice.named("", ""), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(blob: bytes, notice_id: str, source_file: str) -> Notice:
    """A cache entry back as a notice, bound to this file's names."""
    notice = pickle.loads(blob)
    if not isinstance(notice, Notice):
        raise TypeError(f"cache entry holds a {type(notice).__name__}, not a Notice")
    return notice.named(notice_id, source_file)


def cacheable(notice: Notice) -> bool:
    """Only notices read to the end are kept: a file that could not be read is cheap to try again, and the reason
    (a missing file, a limit, a damaged file) is worth seeing afresh on every run."""
    return bool(notice.source_sha256) and not notice.error


class Cache:
    """One run folder of the cache. Every operation that fails on the file system leaves the run uncached
    rather than failing it: `error` says why."""

    def __init__(self, root: str, settings: Settings):
        self.root = Path(root)
        self.folder = self.root / run_key(settings)
        self.error = ""
        try:
            self.error = private_folder(self.root)
            if not self.error:
                private_folder(self.folder)
                os.utime(self.folder)          # marks the folder as used, for pruning
                self._prune()
        except OSError as exc:
            self.error = f"cache folder {self.folder} not usable: {exc.strerror or exc}"

    @property
    def usable(self) -> bool:
        """Can entries be read and written?"""
        return not self.error

    def path(self, sha256: str) -> Path:
        """The entry file for these bytes."""
        return self.folder / f"{sha256}.pickle"

    def load(self, sha256: str, notice_id: str, source_file: str) -> Optional[Notice]:
        """The notice stored for these bytes, bound to this file's names; None when missing or unusable."""
        if not self.usable:
            return None
        try:
            blob = self.path(sha256).read_bytes()
        except OSError:
            return None
        try:
            notice = unpack(blob, notice_id, source_file)
        except Exception:              # truncated, damaged or foreign: a miss, written again after parsing
            return None
        return notice if notice.source_sha256 == sha256 else None

    def store(self, sha256: str, blob: bytes) -> None:
        """Keep an entry (atomically); a failure leaves the run uncached and says why in `error`."""
        if not self.usable:
            return
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{sha256[:16]}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(blob)
                os.replace(tmp, self.path(sha256))
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError as exc:
            self.error = f"cache folder {self.folder} not writable: {exc.strerror or exc}"

    def _prune(self) -> None:
        """Remove the least recently used run folders beyond KEEP_RUN_FOLDERS. Only folders named like ours are
        touched, so a --cache-dir pointed at a folder holding other things loses none of them."""
        tag = self.root / "CACHEDIR.TAG"       # tells backup tools to skip the folder (bford.info/cachedir)
        if not tag.exists():
            tag.write_text(f"{CACHEDIR_SIGNATURE}\n# created by {APP}; safe to delete\n", encoding="ascii")
        folders = []
        for entry in os.scandir(self.root):
            if (entry.is_dir(follow_symlinks=False) and entry.path != str(self.folder)
                    and RUN_FOLDER.fullmatch(entry.name)):
                try:
                    folders.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
                except OSError:
                    pass
        folders.sort(reverse=True)
        for _, path in folders[KEEP_RUN_FOLDERS - 1:]:
            shutil.rmtree(path, ignore_errors=True)
