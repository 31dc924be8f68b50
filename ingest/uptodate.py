"""A re-run that would write the outputs already in the folder does nothing, as make does.

After a run writes its outputs, a record is kept in the cache folder (one per output folder): the run's
fingerprint, the size and date of each file it wrote, and what the command said about each input file. The
fingerprint covers everything the outputs are made of: the code (the pipeline and the writers), the settings
that change a result, the reviewer's decisions file, and each input file's name, notice id and bytes (SHA-256).
A later run with the same fingerprint, whose output files are still the ones written (same size and date, no
notice JSON added or removed), says again what was said and writes nothing. Any doubt means a full run: a file
that cannot be hashed, a record that does not load, an output touched since.

Without a cache folder (--no-cache) nothing is recorded and every run writes.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .batch import Input, digest
from .cache import pipeline_version, private_folder, run_key, source_version
from .records import Notice
from .settings import Settings
from .writers import atomic_write

FOLDER = "outputs"
FORMAT = 1


@dataclass
class FileSummary:
    """What the command says about one input file, and what its exit code depends on."""

    notice_id: str
    source_file: str
    error: str
    tables: int
    errors: int
    warnings: int
    open_errors: int          # error findings no reviewer has accepted (--strict)

    @property
    def readable(self) -> bool:
        """Was the file read?"""
        return not self.error


def summarise(n: Notice) -> FileSummary:
    """What the command says about one file's notice."""
    return FileSummary(notice_id=n.notice_id, source_file=n.source_file, error=n.error, tables=len(n.tables),
                       errors=n.count("error"), warnings=n.count("warning"), open_errors=open_errors(n))


def open_errors(n: Notice) -> int:
    """Error findings of a notice that no reviewer has accepted (--strict)."""
    return sum(1 for f in n.findings if f.severity == "error" and not f.reviewed)


def fingerprint(inputs: list[Input], settings: Settings, digests: dict) -> Optional[str]:
    """The run's fingerprint, or None when some input cannot be hashed (then the run is never skipped).
    `inputs` are batch.Inputs; `digests` receives each file's (SHA-256, size), for batch.run to use rather than
    read the files again."""
    h = hashlib.sha256(f"{FORMAT}\n{pipeline_version()}\n{source_version()}\n".encode())
    h.update(run_key(dataclasses.replace(settings, strict=False, jobs=0, cache_dir=None)).encode() + b"\n")
    complete = True
    for inp in inputs:
        sha, size = digests[inp.path] = digest(inp.path, settings.max_bytes)
        complete = complete and sha is not None
        h.update(f"{inp.notice_id}\0{inp.path}\0{sha}\n".encode())
    return h.hexdigest() if complete else None


class Record:
    """The record of the last run into one output folder, kept under the cache folder."""

    def __init__(self, cache_dir: str, out_dir: str):
        self.out = Path(out_dir)
        key = hashlib.sha256(os.path.realpath(out_dir).encode()).hexdigest()[:24]
        self.path = Path(cache_dir) / FOLDER / f"{key}.json"

    def unchanged(self, fp: Optional[str]) -> Optional[list[FileSummary]]:
        """The summaries of the last run if it had this fingerprint and its outputs are as it left them."""
        if fp is None:
            return None
        try:
            data = json.loads(self.path.read_bytes())
            if data.get("fingerprint") != fp or data.get("out") != os.path.realpath(self.out):
                return None
            files = data["files"]
            for rel, (size, mtime_ns) in files.items():
                st = os.stat(self.out / rel)
                if (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
                    return None
            present = {f"notices/{p.name}" for p in (self.out / "notices").glob("*.json")}
            if present != {rel for rel in files if rel.startswith("notices/")}:
                return None
            return [FileSummary(**s) for s in data["summaries"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, fp: Optional[str], written: list[Path], summaries: list[FileSummary]) -> str:
        """Keep the record; '' or why it could not be kept (the run has succeeded either way)."""
        if fp is None:
            self.forget()
            return ""
        try:
            files = {}
            for p in written:
                st = os.stat(p)
                files[p.relative_to(self.out).as_posix()] = [st.st_size, st.st_mtime_ns]
            data = {"fingerprint": fp, "out": os.path.realpath(self.out), "files": files,
                    "summaries": [dataclasses.asdict(s) for s in summaries]}
            private_folder(self.path.parent)
            atomic_write(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
            return ""
        except OSError as exc:
            return f"cannot keep the record of this run in {self.path.parent}: {exc.strerror or exc}"

    def forget(self) -> None:
        """Drop the record: the next run writes."""
        try:
            self.path.unlink()
        except OSError:
            pass
