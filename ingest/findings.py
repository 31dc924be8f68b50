"""A finding is data: a stable kebab-case code, its severity, where it is, the two figures, a message in Chinese.

Checks yield findings; they never raise. The exit code comes from the findings, not from exceptions.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
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
    "value-corrected": "info",             # a reviewer's correction from reviews.toml was applied
    "stale-review": "warning",             # a decision in reviews.toml no longer matches the document
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
    key: str = ""                          # with notice_id, the finding's stable id for reviews.toml (base_key)
    reviewed: bool = False                 # accepted by a reviewer in reviews.toml
    review_reason: str = ""                # the reviewer's reason

    def __post_init__(self):
        if not self.severity:
            self.severity = SEVERITY[self.code]

    def to_dict(self) -> dict:
        # asdict()'s deep copy was a tenth of writing the outputs; the only mutable field is the box list
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), list) else v) for f in _FIELDS}

    def base_key(self) -> str:
        """code/table/row/field, "-" for what the finding has not. With notice_id it names the finding: the same
        finding gets the same key on every run as long as the document says the same thing there. The notice is
        not part of the key, so a notice read under another name (or from a cache) keeps its keys."""
        return "/".join([self.code, self.table_id or "-", str(self.row_no) if self.row_no else "-", self.field or "-"])

    def sort_key(self):
        return (SEVERITY_ORDER[self.severity], self.table_id or "", self.row_no or 0, self.code)


def assign_keys(findings: list[Finding]) -> None:
    """Give each finding of one notice its key: base_key(), with #2, #3 … on the later findings sharing one (in
    the order the checks yield them, which is fixed)."""
    seen: dict[str, int] = {}
    for f in findings:
        base = f.base_key()
        seen[base] = seen.get(base, 0) + 1
        f.key = base if seen[base] == 1 else f"{base}#{seen[base]}"


_FIELDS = fields(Finding)
