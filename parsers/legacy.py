"""Legacy Word .doc and WPS files (OLE compound files): converted to DOCX by LibreOffice, then read as DOCX.

Only when `soffice` is on the PATH; otherwise, or when the conversion fails or takes too long, the file is refused
with the advice to save it as DOCX. The conversion runs in a private temporary folder with its own LibreOffice
profile, so two conversions (or a LibreOffice the user has open) never hand work to each other.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from . import docx
from .limits import NO_LIMITS, Limits
from .model import Document, Note, UnreadableFile

CONVERT_TIMEOUT = 120   # seconds for one conversion
SAVE_AS_DOCX = "legacy Word .doc/.wps (OLE) file: open it in Word or WPS and save it as DOCX"


def read(path: str, data: bytes, limits: Limits = NO_LIMITS, on_ocr_page=None) -> Document:
    """A .doc or .wps file: converted to DOCX by LibreOffice, then read as DOCX."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise UnreadableFile(f"{SAVE_AS_DOCX} (or install LibreOffice, so that soffice converts it)")
    converted = convert(soffice, data, Path(path).suffix.lower() if Path(path).suffix.lower() in (".doc", ".wps")
                        else ".doc")
    doc = docx.read(path, converted, limits)
    doc.format = "doc"
    doc.notes.append(Note("converted", "LibreOffice"))
    return doc


def convert(soffice: str, data: bytes, suffix: str = ".doc") -> bytes:
    """The DOCX LibreOffice makes of `data`, in a private temporary folder and profile, within CONVERT_TIMEOUT.

    LibreOffice runs in a session of its own, ended whole once its first process is done: a process it left
    behind (a helper, or a stalled soffice.bin) is not left running, writing into a folder about to be removed.
    Its stderr goes to a file, not a pipe, so that such a process holding it open cannot hold the conversion
    until the time limit."""
    with tempfile.TemporaryDirectory(prefix="xianxue-doc-") as tmp:
        src, out = Path(tmp) / f"source{suffix}", Path(tmp) / "out"
        src.write_bytes(data)
        cmd = [soffice, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(out), str(src)]
        with open(Path(tmp) / "stderr", "w+b") as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                    start_new_session=True)
            try:
                proc.wait(timeout=CONVERT_TIMEOUT)
            except subprocess.TimeoutExpired:
                raise UnreadableFile(f"{SAVE_AS_DOCX}: LibreOffice did not convert it within {CONVERT_TIMEOUT} s") \
                    from None
            finally:
                _end_session(proc)
            err.seek(0)
            why = err.read(65536).decode("utf-8", "replace").strip().splitlines()
        result = out / "source.docx"
        if proc.returncode != 0 or not result.is_file():
            detail = why[-1][:200] if why else f"exit status {proc.returncode}"
            raise UnreadableFile(f"{SAVE_AS_DOCX}: LibreOffice could not convert it ({detail})")
        return result.read_bytes()


def _end_session(proc: subprocess.Popen) -> None:
    """Every process of the conversion's session killed (its first one reaped): what is still running is stalled
    or left behind."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
