import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import batch  # noqa: E402

SAMPLES = ROOT / "samples"
FORMATS = {"pdf": "pdf", "docx": "docx", "txt": "text"}


@pytest.fixture(scope="session")
def notices():
    """Every sample ingested once, keyed by file name (pudong-2024.pdf …)."""
    found = batch.run([str(SAMPLES)])
    return {Path(n.source_file).name: n for n in found}


def table(notice, table_id):
    return next(t for t in notice.tables if t.table_id == table_id)


def codes(notice, severity=None):
    return [f.code for f in notice.findings if severity is None or f.severity == severity]
