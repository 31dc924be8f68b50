"""Legacy Word files (.doc, .wps) and the LibreOffice that converts them: a converter that leaves a process behind,
or none at all. The file's name never reaches the converter's command line."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import parsers
from parsers import legacy

from hostile import ROOT, env_with_path, rows_of, run_cli, stderr_lines

DOC = ROOT / "samples" / "qingpu-2021.doc"
DOCX = ROOT / "samples" / "qingpu-2021.docx"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"      # a zombie has ended
    except FileNotFoundError:
        return False


def test_a_process_the_converter_leaves_behind_neither_holds_the_file_nor_outlives_it(tmp_path, monkeypatch):
    """A soffice that converts, then leaves a process holding its stderr open: the conversion waited for the pipe
    until the time limit, was reported as failed, and the process kept running."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").write_text(
        f"#!{sys.executable}\nimport os, sys, shutil, time\nargs = sys.argv[1:]\n"
        f"open({str(tmp_path / 'argv')!r}, 'w').write(repr(args))\n"
        f"outdir = args[args.index('--outdir') + 1]\nos.makedirs(outdir, exist_ok=True)\n"
        f"shutil.copy({str(DOCX)!r}, os.path.join(outdir, 'source.docx'))\n"
        f"if os.fork() == 0:\n    open({str(tmp_path / 'pid')!r}, 'w').write(str(os.getpid()))\n"
        f"    time.sleep(60)\n    os._exit(0)\n")
    (bin_dir / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", env_with_path(bin_dir)["PATH"])
    monkeypatch.setattr(legacy, "CONVERT_TIMEOUT", 30)
    started = time.monotonic()
    doc = parsers.read_bytes("-x\n'\"$(touch PWNED);.doc", DOC.read_bytes())
    assert time.monotonic() - started < 15 and doc.format == "doc" and any(True for _ in doc.tables())
    pid = int((tmp_path / "pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)
    args = eval((tmp_path / "argv").read_text())
    assert Path(args[-1]).name == "source.doc" and not any("PWNED" in a for a in args)


def test_without_libreoffice_a_legacy_file_is_named_and_the_run_goes_on(tmp_path):
    """The README's promise ("save it as DOCX") when soffice is not installed."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("python3",):
        os.symlink(sys.executable, bin_dir / tool)
    env = dict(os.environ, PATH=str(bin_dir))
    proc = run_cli(DOC, DOCX, "--out", tmp_path / "out", "--no-cache", "--jobs", "1", env=env)
    assert proc.returncode == 3, proc.stderr
    [line] = [x for x in stderr_lines(proc) if "qingpu-2021.doc:" in x]
    assert "unreadable: legacy Word .doc/.wps (OLE) file: open it in Word or WPS and save it as DOCX" in line
    assert "install LibreOffice" in line
    assert any(org for org, _ in rows_of(tmp_path / "out"))           # the DOCX was read
