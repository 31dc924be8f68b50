"""normalized/ is what `make ingest` writes for samples/: a fresh run must reproduce it byte for byte."""
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


# The SQLite database is not kept in normalized/: its bytes carry the SQLite library's version, so they differ
# between machines; what it holds is checked against the CSV files in tests/test_sqlite.py.
NOT_KEPT = {"notices.db"}


def _files(folder: Path):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
                  and p.relative_to(folder).as_posix() not in NOT_KEPT)


def test_ingest_reproduces_normalized(tmp_path, result_cache):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "ingest", "samples", "--out", str(out), "--quiet",
                           "--cache-dir", str(result_cache)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    golden = ROOT / "normalized"
    assert (out / "notices.db").is_file()
    assert _files(out) == _files(golden)
    for rel in _files(golden):
        assert (out / rel).read_bytes() == (golden / rel).read_bytes(), f"{rel} differs from normalized/ (run make ingest and review the diff)"
