"""Many files: find them, give each a stable id, run each through the pipeline, write the outputs."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Optional

import regex as re

from .pipeline import Notice, ingest_file
from .settings import Settings

# Folders are walked for these; a file named on the command line is always read, whatever its name, since the
# format is decided from the content.
NOTICE_SUFFIXES = {".pdf", ".docx", ".doc", ".wps", ".txt", ".text", ".htm", ".html"}


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


def run(paths: Iterable[str], settings: Optional[Settings] = None,
        on_done: Optional[Callable[[Notice], None]] = None) -> list[Notice]:
    settings = Settings.resolve(settings)
    files = collect(paths)
    notices = []
    for f, nid in zip(files, notice_ids(files)):
        n = ingest_file(f, nid, settings)
        if on_done:
            on_done(n)
        notices.append(n)
    return notices
