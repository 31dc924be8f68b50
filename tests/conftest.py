import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import batch  # noqa: E402

SAMPLES = ROOT / "samples"
FORMATS = {"pdf": "pdf", "docx": "docx", "txt": "text"}


@pytest.fixture(scope="session")
def result_cache(tmp_path_factory) -> Path:
    """One result cache for the whole session's runs over samples/. The scanned samples take a minute of OCR;
    whichever run comes first parses them, the later whole-folder runs (CLI, report, golden files) read them
    from here. That the cache gives back what a parse gives is tested in test_batch."""
    return tmp_path_factory.mktemp("result-cache")


@pytest.fixture(scope="session")
def notices(result_cache):
    """Every sample ingested once, keyed by file name (pudong-2024.pdf …)."""
    found = batch.run([str(SAMPLES)], {"cache_dir": str(result_cache)})
    return {Path(n.source_file).name: n for n in found}


def table(notice, table_id):
    return next(t for t in notice.tables if t.table_id == table_id)


def codes(notice, severity=None):
    return [f.code for f in notice.findings if severity is None or f.severity == severity]
