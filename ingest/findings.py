"""A finding is data: a stable kebab-case code, its severity, where it is, the two figures, a message in Chinese.

Checks yield findings; they never raise. The exit code comes from the findings, not from exceptions.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

# The one table of codes: adding a check with a new code is one line here.
SEVERITY = {
    "total-mismatch": "error",
    "target-mismatch": "error",
    "seq-missing": "warning",
    "seq-gap": "error",
    "seq-duplicate": "error",
    "blank-cell": "warning",
    "merged-cell": "info",
    "cross-table-mismatch": "warning",
    "cross-table-reconciled": "info",
    "unallocated-remainder": "info",
    "duplicate-org": "warning",
    "year-mismatch": "warning",
    "not-a-number": "error",
    "unparsed-content": "warning",
    "draft": "info",
    "text-repaired": "info",
    "unreadable-file": "error",
    "low-confidence": "warning",
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Finding:
    code: str
    message: str
    table_id: str = ""
    row_no: Optional[int] = None
    field: str = ""
    expected: Optional[int] = None
    actual: Optional[int] = None
    page: Optional[int] = None
    box: Optional[list] = None             # [x0, top, x1, bottom] in PDF points, where the format has them
    source_text: str = ""                  # the source row or line as text, for formats without pages
    notice_id: str = ""
    severity: str = ""

    def __post_init__(self):
        if not self.severity:
            self.severity = SEVERITY[self.code]

    def to_dict(self) -> dict:
        return asdict(self)

    def sort_key(self):
        return (SEVERITY_ORDER[self.severity], self.table_id or "", self.row_no or 0, self.code)
