"""xianxue-ingest: yearly blood-donation notices into canonical CSV/JSON and a review report.

Library use:  from ingest import ingest_file;  notice = ingest_file("notice.pdf")
"""
from .pipeline import ingest_bytes, ingest_file
from .records import Notice

__all__ = ["Notice", "ingest_bytes", "ingest_file"]
