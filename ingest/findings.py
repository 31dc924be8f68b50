"""Findings are made here, from their code's entry in rules.toml: its severity and its one message template.

A check names the code, the situation (`note`) where the code has several, where the finding is and the values
the message needs; the message is the template filled in. Values are substituted into a template, never used as
one, so a brace in a unit's name is printed as it is.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Optional

from parsers.model import Box

from .records import Finding
from .rules import rules

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def severity(code: str) -> str:
    """The severity of a finding code (KeyError for a code rules.toml does not list)."""
    return rules().findings[code].severity


def known_codes() -> set[str]:
    """Every finding code rules.toml lists."""
    return set(rules().findings)


def note(code: str, situation: str, **values) -> str:
    """The note of `code` for one situation, filled in: what a row event carries until its check reports it."""
    return rules().findings[code].notes[situation].format_map(values)


def make(code: str, situation: Optional[str] = None, *, table_id: str = "", row_no: Optional[int] = None,
         field: str = "", expected: Optional[int] = None, actual: Optional[int] = None, page: Optional[int] = None,
         box: Optional[Box] = None, source_text: str = "", note_text: Optional[str] = None, **values) -> Finding:
    """A finding of `code`, its message from the code's template. `situation` picks the note where the code has
    several; `note_text` gives a note already filled in (a row event's). Other keywords are template values."""
    rule = rules().findings[code]
    fill = dict(table_id=table_id, row_no=row_no, expected=expected, actual=actual, **values)
    if situation is not None:
        fill["note"] = rule.notes[situation].format_map(fill)
    elif note_text is not None:
        fill["note"] = note_text
    return Finding(code=code, message=rule.message.format_map(fill), severity=rule.severity, table_id=table_id,
                   row_no=row_no, field=field, expected=expected, actual=actual, page=page, box=box,
                   source_text=source_text)


def sort_key(f: Finding):
    """Findings in the order the outputs list them: by severity, table, row, code."""
    return (SEVERITY_ORDER[f.severity], f.table_id or "", f.row_no or 0, f.code)


def with_keys(findings: Iterable[Finding], notice_id: str, after: Iterable[Finding] = ()) -> list[Finding]:
    """The findings of one notice bound to it, each with its key: base_key(), with #2, #3 … on the later
    findings sharing one (in the order given, which the checks keep fixed), numbered on from the notice's findings
    `after` whose keys are given already."""
    seen: dict[str, int] = {}
    for f in after:
        seen[f.base_key()] = seen.get(f.base_key(), 0) + 1
    out = []
    for f in findings:
        base = f.base_key()
        seen[base] = seen.get(base, 0) + 1
        out.append(replace(f, notice_id=notice_id, key=base if seen[base] == 1 else f"{base}#{seen[base]}"))
    return out
