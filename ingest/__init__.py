"""xianxue-ingest: yearly blood-donation notices into canonical CSV/JSON and a review report.

Library use:
    from ingest import ingest_file;   notice = ingest_file("notice.pdf")        # one file, nothing written
    from ingest import ingest_paths;  result = ingest_paths(["folder"], "out")  # a whole run, outputs written
"""
from .pipeline import ingest_bytes, ingest_file
from .records import Notice

__all__ = ["Notice", "ingest_bytes", "ingest_file", "ingest_paths"]


def __getattr__(name: str):
    # ingest_paths brings the writers and the report (Jinja2): loaded when asked for, so that reading files
    # (in a worker, or through ingest_file) never loads what only writing needs.
    if name == "ingest_paths":
        from .job import ingest_paths
        return ingest_paths
    raise AttributeError(f"module 'ingest' has no attribute {name!r}")
