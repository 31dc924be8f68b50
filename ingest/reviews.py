"""A reviewer's decisions, kept in one hand-edited file (reviews.toml), applied on every run.

Two kinds of decision:

    [[accept]]                      # this finding has been looked at and is fine as it is
    notice_id = "pudong-2024-pdf"
    key = "seq-missing/t1/21/seq"   # copied from the report (or anomalies.csv: notice_id, finding_key)
    expected = 21                   # optional: the figures as the reviewer saw them (expected / actual);
                                    # if they change, the decision is stale and not applied
    reason = "原件此行确无序号，推定的 21 正确"
    # instead of key: code and any of table_id, row_no, field (all given must match; may match several findings)

    [[correct]]                     # the value extracted is wrong; use this one
    notice_id = "qingpu-2021-pdf"
    table_id = "t1"
    row_no = 3                      # or org = "朱家角镇" (and org_note / month to tell rows apart)
    field = "portions"              # default; also seq, org, org_note, month_from, month_to
    value = 1222
    was = 1220                      # optional: the value the reviewer saw; if the document now says
                                    # something else, the decision is stale and not applied
    reason = "OCR 把 1222 读成 1220，已与原件核对"

Optional on both: by, date, note (kept for people, not used).

How a notice gets them (the pipeline's review stage): correct() makes the corrected rows before the checks run
(so the checks see the corrected value; the rows as extracted are kept), each decision leaving a `value-corrected`
finding and its original value in Notice.corrections (written as corrected_from / review_reason); after the
checks, accept() marks the findings it names as reviewed. Files are read without decisions (so the cache holds
what files say) and the decisions are applied to the notices read. A decision that matches nothing (the document
changed), matches more than one row, or whose pinned figures no longer hold, is not applied and becomes a
`stale-review` finding. Nothing is corrected or accepted silently.

A malformed file (bad TOML, unknown key, missing reason or value) is a ReviewsError: the run stops before reading
anything, since the reviewer must fix it and a half-applied file would mislead.
"""
from __future__ import annotations

import hashlib
import json
import os
import reprlib
import tomllib

import regex as re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable, Optional, Union

from .findings import known_codes, make
from .records import Correction, Finding, Notice, Row, TargetTable
from .rules import normalized_name, rules

FILE_NAME = "reviews.toml"

INT_FIELDS = {"portions", "seq", "month_from", "month_to"}
TEXT_FIELDS = {"org", "org_note"}
_PEOPLE = {"by", "date", "note"}
# Codes of findings made once every notice of the run is read, across notices (year over year): their acceptances
# are applied when those findings are made (export.changes.with_findings), not with the notice's own checks.
RUN_CODES = frozenset({"year-change"})
_ACCEPT_KEYS = {"key", "notice_id", "code", "table_id", "row_no", "field", "expected", "actual", "reason"} | _PEOPLE
_CORRECT_KEYS = {"notice_id", "table_id", "row_no", "org", "org_note", "month", "field", "value", "was",
                 "reason"} | _PEOPLE


class ReviewsError(ValueError):
    """reviews.toml cannot be used as written; the message names the file and the entry."""


@dataclass(frozen=True)
class Accept:
    """An [[accept]] decision: the finding (by key, or by code and place) a reviewer checked, and why."""

    index: int                              # 1-based position among the [[accept]] entries
    reason: str
    key: str = ""
    notice_id: str = ""
    code: str = ""
    table_id: str = ""
    row_no: Optional[int] = None
    field: str = ""
    expected: Optional[int] = None
    actual: Optional[int] = None

    @property
    def label(self) -> str:
        """How the decision is named in messages: [[accept]] 第N条（notice key）."""
        what = self.key or "/".join(str(x) for x in (self.code, self.table_id, self.row_no, self.field) if x)
        return rules().phrases.decision.format_map(dict(kind="accept", index=self.index,
                                                        what=f"{self.notice_id} {what}"))

    def matches(self, f: Finding) -> bool:
        """Does this decision name the finding?"""
        if self.key:
            return f.key == self.key
        return (f.code == self.code and (not self.table_id or f.table_id == self.table_id)
                and (self.row_no is None or f.row_no == self.row_no) and (not self.field or f.field == self.field))


@dataclass(frozen=True)
class Correct:
    """A [[correct]] decision: a row (by number, or by unit), a field, the right value, and why."""

    index: int
    notice_id: str
    table_id: str
    value: Union[int, str]
    reason: str
    field: str = "portions"
    row_no: Optional[int] = None
    org: str = ""
    org_note: Optional[str] = None
    month: Optional[int] = None
    was: Union[int, str, None] = None

    @property
    def label(self) -> str:
        """How the decision is named in messages: [[correct]] 第N条（notice table row field）."""
        p = rules().phrases
        where = (p.decision_row.format_map(dict(row_no=self.row_no)) if self.row_no is not None
                 else p.decision_org.format_map(dict(org=f"{self.org}{self.org_note or ''}")))
        return p.decision.format_map(dict(kind="correct", index=self.index,
                                          what=f"{self.notice_id} {self.table_id} {where} {self.field}"))


@dataclass(frozen=True)
class Reviews:
    """Every decision of one reviews.toml, with the file's path and hash."""

    path: str
    sha256: str
    accepts: tuple[Accept, ...] = ()
    corrects: tuple[Correct, ...] = ()

    def notice_ids(self) -> set[str]:
        """The notices the decisions name."""
        return {a.notice_id for a in self.accepts} | {c.notice_id for c in self.corrects}

    def for_notice(self, notice_id: str) -> tuple[list[Accept], list[Correct]]:
        """The acceptances and corrections that name one notice, in the file's order."""
        accepts, corrects = self._by_notice
        return list(accepts.get(notice_id, ())), list(corrects.get(notice_id, ()))

    @cached_property
    def _by_notice(self) -> tuple[dict[str, list[Accept]], dict[str, list[Correct]]]:
        """The decisions by notice, made once (not gone through again for every notice of the run)."""
        accepts: dict[str, list[Accept]] = {}
        corrects: dict[str, list[Correct]] = {}
        for a in self.accepts:
            accepts.setdefault(a.notice_id, []).append(a)
        for c in self.corrects:
            corrects.setdefault(c.notice_id, []).append(c)
        return accepts, corrects

    def __len__(self) -> int:
        return len(self.accepts) + len(self.corrects)


# --------------------------------------------------------------------------------------------- loading


def find(paths: Iterable[str]) -> Optional[str]:
    """reviews.toml in the first input folder (the folder itself, or the folder of the first file), if there."""
    for p in paths:
        folder = Path(p) if os.path.isdir(p) else Path(p).parent
        candidate = folder / FILE_NAME
        return str(candidate) if candidate.is_file() else None
    return None


def load(path: Union[str, Path, None]) -> Optional[Reviews]:
    """The decisions in `path` (None when path is None). Raises ReviewsError when the file cannot be used."""
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ReviewsError(f"{path}: cannot read: {exc.strerror}") from None
    return _load(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int, _size: int) -> Reviews:
    from .pipeline import open_regular       # here: pipeline imports this module
    try:
        with open_regular(path) as fh:           # a named pipe would wait for a writer for ever
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReviewsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ReviewsError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ReviewsError(f"{path}: not UTF-8 text") from None
    except RecursionError:      # tomllib reads arrays and inline tables within each other by recursion
        raise ReviewsError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None
    except ValueError as exc:   # TOMLDecodeError; or a number of more digits than int() converts
        raise ReviewsError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(doc) - {"accept", "correct"}
    if unknown:
        raise ReviewsError(f"{path}: unknown section {_names(unknown)} (use [[accept]] or [[correct]])")
    accepts = tuple(_parse_accept(path, i, e) for i, e in enumerate(_entries(path, doc, "accept"), 1))
    corrects = tuple(_parse_correct(path, i, e) for i, e in enumerate(_entries(path, doc, "correct"), 1))
    return Reviews(path=path, sha256=hashlib.sha256(data).hexdigest(), accepts=accepts, corrects=corrects)


def _entries(path: str, doc: dict, name: str) -> list[dict]:
    entries = doc.get(name, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ReviewsError(f"{path}: {name} must be written as [[{name}]] tables")
    return entries


# What each value may be: decisions come from a hand-edited, shared file, so every value is checked at load and a
# value out of range is refused naming its entry, never carried into the outputs or the report.
_ID = re.compile(r"[\w.-]{1,200}")
_TABLE_ID = re.compile(r"[\w-]{1,64}")
_FIELD = re.compile(r"[\w-]{0,64}")
_KEY = re.compile(r"(?P<code>[a-z-]{1,64})/(?P<table>[\w-]{1,64})/(?P<row>[0-9]{1,7}|-)/(?P<field>[\w-]{1,64})"
                  r"(?:#[0-9]{1,6})?")
_CONTROL = re.compile(r"[\p{Cc}\p{Zl}\p{Zp}]")
RANGES = {"row_no": (1, 10 ** 6), "month": (1, 12), "month_from": (1, 12), "month_to": (1, 12), "seq": (1, 10 ** 6),
          "portions": (0, 10 ** 12), "expected": (-10 ** 15, 10 ** 15), "actual": (-10 ** 15, 10 ** 15)}
MAX_TEXT = 2000
MAX_FILE_BYTES = 64 * 1024 * 1024


SHOWN = 60      # characters of a value from the file that an error message echoes


def shown(v) -> str:
    """A value from the file as an error message echoes it: quoted as Python writes it (a control character as
    \\n, \\x1b, \\u202e), at most SHOWN characters of a text and a few levels and items of a list or table, a
    longer text cut with an ellipsis and its length; a number of any size."""
    if isinstance(v, str):
        return repr(v[:SHOWN]) + (f"… ({len(v)} characters)" if len(v) > SHOWN else "")
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10 ** SHOWN:
        return f"a number of about {int(v.bit_length() * 0.30103) + 1} digits"
    return _REPR.repr(v)


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, SHOWN, SHOWN


def _names(names) -> str:
    """Names from the file (unknown keys or sections), each as shown(), at most five of them."""
    names = sorted(names)
    return ", ".join(shown(n) for n in names[:5]) + (f" … ({len(names)} in all)" if len(names) > 5 else "")


class _Entry:
    """One [[accept]] or [[correct]] table, read value by value: each of the right type and in its range."""

    def __init__(self, path: str, where: str, e: dict, allowed: set[str]):
        self.path, self.where, self.e = path, where, e
        unknown = set(e) - allowed
        if unknown:
            self.fail(f"unknown key {_names(unknown)} (allowed: {', '.join(sorted(allowed))})")
        for name in _PEOPLE & set(e):
            self.text(name, multiline=True)
        self.reason = self.text("reason", multiline=True)
        if not self.reason:
            self.fail("a reason is required (reason = \"…\")")

    def fail(self, why: str):
        """Stop: this entry cannot be used, and why."""
        raise ReviewsError(f"{self.path}: {self.where}: {why}")

    def int(self, name: str, bounds: Optional[tuple[int, int]] = None) -> Optional[int]:
        """A whole number in its range (RANGES, or `bounds`), or None when not given."""
        v = self.e.get(name)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(f"{name} must be a whole number, not {shown(v)}")
        lo, hi = bounds or RANGES[name]
        if not lo <= v <= hi:
            self.fail(f"{name} = {shown(v)} is out of range ({lo} to {hi})")
        return v

    def text(self, name: str, pattern=None, multiline: bool = False) -> str:
        """A text value, stripped, bounded, of the given pattern, without control characters unless multiline."""
        v = self.e.get(name, "")
        if name in _PEOPLE and not isinstance(v, (str, dict, list)):
            v = str(v)       # by, date, note: kept for people; a TOML date is fine
        if not isinstance(v, str):
            self.fail(f"{name} must be text in quotes, not {shown(v)}")
        v = v.strip()
        if len(v) > MAX_TEXT:
            self.fail(f"{name} is longer than {MAX_TEXT} characters")
        if not multiline and _CONTROL.search(v):
            self.fail(f"{name} holds a line break or control character")
        if pattern is not None and v and not pattern.fullmatch(v):
            self.fail(f"{name} {shown(v)} is not of the form it is written in the report")
        return v

    def value(self, name: str, fld: str):
        """A corrected value (value, was) of a field: a whole number in the field's range, or text."""
        return self.int(name, RANGES[fld]) if fld in INT_FIELDS else self.text(name)


def _parse_accept(path: str, i: int, e: dict) -> Accept:
    r = _Entry(path, f"[[accept]] #{i}", e, _ACCEPT_KEYS)
    key = r.text("key")
    fields = dict(notice_id=r.text("notice_id", _ID), code=r.text("code"), table_id=r.text("table_id", _TABLE_ID),
                  row_no=r.int("row_no"), field=r.text("field", _FIELD))
    if not fields["notice_id"]:
        r.fail("notice_id is required")
    if key:
        given = [k for k in ("code", "table_id", "row_no", "field") if k in e]
        if given:
            r.fail(f"give either key or {', '.join(given)}, not both")
        m = _KEY.fullmatch(key)
        if not m or m.group("code") not in known_codes():
            r.fail(f"key {shown(key)} is not a finding key (code/table/row/field, as printed in the report)")
        fields["code"] = m.group("code")
    elif not fields["code"]:
        r.fail("give key, or code (and table_id, row_no, field as needed)")
    elif fields["code"] not in known_codes():
        r.fail(f"unknown finding code {shown(fields['code'])}")
    if fields["code"] == "stale-review":
        r.fail("a stale-review finding is resolved by editing the stale decision, not by accepting it")
    return Accept(index=i, reason=r.reason, key=key, expected=r.int("expected"), actual=r.int("actual"), **fields)


def _parse_correct(path: str, i: int, e: dict) -> Correct:
    r = _Entry(path, f"[[correct]] #{i}", e, _CORRECT_KEYS)
    fld = r.text("field") or "portions"
    if fld not in INT_FIELDS | TEXT_FIELDS:
        r.fail(f"field {shown(fld)} cannot be corrected (one of {', '.join(sorted(INT_FIELDS | TEXT_FIELDS))})")
    notice_id, table_id = r.text("notice_id", _ID), r.text("table_id", _TABLE_ID)
    if not notice_id or not table_id:
        r.fail("notice_id and table_id are required")
    row_no, org = r.int("row_no"), r.text("org")
    if row_no is None and not org:
        r.fail("say which row: row_no, or org")
    if "value" not in e:
        r.fail("value is required (the right value)")
    value = r.value("value", fld)
    if fld == "org" and not value:
        r.fail("value must name the unit")
    was = r.value("was", fld) if "was" in e else None
    org_note = r.text("org_note") if "org_note" in e else None
    return Correct(index=i, notice_id=notice_id, table_id=table_id, value=value, reason=r.reason, field=fld,
                   row_no=row_no, org=org, org_note=org_note, month=r.int("month"), was=was)


# --------------------------------------------------------------------------------------------- applying


def correct(tables: tuple[TargetTable, ...], corrects: list[Correct]
            ) -> tuple[tuple[TargetTable, ...], tuple[Correction, ...], list[Finding]]:
    """The tables with the reviewer's corrections made (new rows; the extracted ones are left as they are), the
    corrections that took effect, and a finding for each decision: value-corrected, or stale-review."""
    done: list[Correction] = []
    out: list[Finding] = []
    for c in corrects:
        tables, made, finding = _apply_correction(tables, c)
        if made is not None:
            done.append(made)
        out.append(finding)
    return tables, tuple(done), out


def accept(findings: list[Finding], accepts: list[Accept]) -> list[Finding]:
    """The findings with those the acceptances name marked reviewed, and a stale-review finding after them for
    each acceptance that names none (or whose pinned figures no longer hold). Each acceptance looks its findings up
    in an index (_Named), so the work grows with findings plus acceptances plus what they name, not their product."""
    out = list(findings)
    named = _Named(out)
    reasons: dict[int, list[str]] = {}           # finding -> the reasons of the acceptances applied to it, in order
    stale: list[Finding] = []
    for a in accepts:
        hits = named.hits(a)
        if not hits:
            stale.append(_stale(a, "accept-gone", table_id=a.table_id or _key_part(a, 1),
                                row_no=a.row_no if a.row_no is not None else _key_row(a),
                                expected=a.expected, actual=a.actual))
            continue
        moved = [i for i in hits if (a.expected is None or out[i].expected == a.expected)
                 and (a.actual is None or out[i].actual == a.actual)]
        if not moved:
            f = out[hits[0]]
            stale.append(_stale(a, "accept-moved", table_id=a.table_id or _key_part(a, 1),
                                row_no=a.row_no if a.row_no is not None else _key_row(a), expected=a.expected,
                                actual=a.actual, now_expected=_v(f.expected), now_actual=_v(f.actual),
                                was_expected=_v(a.expected), was_actual=_v(a.actual)))
            continue
        for i in moved:
            reasons.setdefault(i, []).append(a.reason)
    for i, given in reasons.items():
        f = out[i]
        out[i] = replace(f, reviewed=True, review_reason="；".join([f.review_reason, *given] if f.review_reason
                                                                  else given))
    return out + stale


class _Named:
    """The findings an acceptance may name (all but stale-review), indexed by what it names them by: the key, or
    the code with those of table_id, row_no and field it gives. One index per such combination, made the first time
    an acceptance uses it; each holds the findings' positions in order. Finds what Accept.matches finds."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        self.indexes: dict[tuple[str, ...], dict[tuple, list[int]]] = {}

    def hits(self, a: Accept) -> list[int]:
        """The positions of the findings `a` names, in order."""
        if a.key:
            by: tuple[str, ...] = ("key",)
        else:
            by = ("code", *(name for name, given in (("table_id", a.table_id), ("row_no", a.row_no is not None),
                                                     ("field", a.field)) if given))
        index = self.indexes.get(by)
        if index is None:
            index = self.indexes[by] = {}
            for i, f in enumerate(self.findings):
                if f.code != "stale-review":
                    index.setdefault(tuple(getattr(f, name) for name in by), []).append(i)
        return index.get(tuple(getattr(a, name) for name in by), [])


def _v(x) -> str:
    return "—" if x is None else str(x)


def _key_part(a: Accept, k: int) -> str:
    parts = a.key.split("#")[0].split("/") if a.key else []
    return parts[k] if parts and parts[k] != "-" else ""


def _key_row(a: Accept) -> Optional[int]:
    part = _key_part(a, 2)
    return int(part) if part.isascii() and part.isdigit() else None


def _stale(decision: Union[Accept, Correct], situation: str, **where) -> Finding:
    kind = "accept" if isinstance(decision, Accept) else "correct"
    return make("stale-review", situation, field=kind, decision=decision.label, reason=decision.reason,
                reason_label=rules().phrases.reasons[kind], **where)


def _rows(tables: tuple[TargetTable, ...], c: Correct) -> tuple[Optional[TargetTable], list[Row]]:
    table = next((t for t in tables if t.table_id == c.table_id), None)
    if table is None:
        return None, []
    rows = [r for r in table.rows
            if (c.row_no is None or r.row_no == c.row_no)
            and (not c.org or c.org in (r.org, r.org_raw, f"{r.org}{r.org_note}"))
            and (c.org_note is None or r.org_note == c.org_note)
            and (c.month is None or r.month_from == c.month)]
    return table, rows


def printed_value(row: Row, fld: str):
    """A row's field as the document gives it: an inferred 序号 is not printed (None)."""
    return None if fld == "seq" and row.seq_inferred else getattr(row, fld)


def _corrected_row(row: Row, fld: str, value) -> Row:
    new = replace(row, **{fld: value})
    if fld == "seq":
        new = replace(new, seq_inferred=False, events=tuple(e for e in row.events if e.code != "seq-missing"))
    if fld in ("org", "org_note"):
        new = replace(new, org_raw=f"{new.org}{new.org_note}", org_normalized=normalized_name(new.org))
    return new


def _apply_correction(tables: tuple[TargetTable, ...], c: Correct):
    """(tables, the correction made or None, its finding)."""
    table, rows = _rows(tables, c)
    field_name = rules().phrases.field_names[c.field]
    if table is None:
        return tables, None, _stale(c, "no-table", table_id=c.table_id, row_no=c.row_no)
    if not rows:
        return tables, None, _stale(c, "no-row", table_id=c.table_id, row_no=c.row_no)
    if len(rows) > 1:
        return tables, None, _stale(c, "many-rows", table_id=c.table_id, row_no=c.row_no, count=len(rows),
                                    rows=rules().phrases.list_separator.join(str(r.row_no) for r in rows))
    row = rows[0]
    current = printed_value(row, c.field)
    at = dict(table_id=c.table_id, row_no=row.row_no, page=row.source.page, box=row.source.box,
              source_text=row.source.text)
    if c.was is not None and current != c.was:
        return tables, None, _stale(c, "was-changed", field_name=field_name, current=_v(current), was=c.was, **at)
    if current == c.value:
        return tables, None, _stale(c, "already", field_name=field_name, value=c.value, **at)
    new = _corrected_row(row, c.field, c.value)
    new_table = replace(table, rows=tuple(new if r is row else r for r in table.rows))
    tables = tuple(new_table if t is table else t for t in tables)
    ints = c.field in INT_FIELDS
    src = row.value_source if c.field == "portions" and row.value_source.box else row.source
    finding = make("value-corrected", field=c.field, table_id=c.table_id, row_no=row.row_no,
                   expected=c.value if ints else None, actual=current if ints and current is not None else None,
                   page=src.page, box=src.box, source_text=row.source.text, name=new.name, field_name=field_name,
                   before=_v(current), after=c.value, reason=c.reason)
    return tables, Correction(table_id=c.table_id, row_no=row.row_no, field=c.field, original=current,
                              value=c.value, reason=c.reason), finding


def corrections_by_row(notice: Notice) -> dict[tuple[str, int], list[Correction]]:
    """The corrections made on a notice, by (table, row)."""
    out: dict[tuple[str, int], list[Correction]] = {}
    for c in notice.corrections:
        out.setdefault((c.table_id, c.row_no), []).append(c)
    return out


def orphans(reviews: Optional[Reviews], notices) -> list[Union[Accept, Correct]]:
    """Decisions naming a notice that this run did not read (or could not): nothing was applied for them."""
    if not reviews:
        return []
    read = {n.notice_id for n in notices if n.readable}
    return [d for d in (*reviews.accepts, *reviews.corrects) if d.notice_id not in read]


# --------------------------------------------------------------------------------------------- snippets


def _toml_str(s: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's): quotes, backslashes and control characters escaped."""
    return json.dumps(s, ensure_ascii=False)


def accept_snippet(f: Finding) -> str:
    """The [[accept]] entry a reviewer pastes into reviews.toml for this finding."""
    lines = ["[[accept]]", f"notice_id = {_toml_str(f.notice_id)}", f"key = {_toml_str(f.key or f.base_key())}"]
    if f.expected is not None:
        lines.append(f"expected = {f.expected}")
    if f.actual is not None:
        lines.append(f"actual = {f.actual}")
    lines.append('reason = ""')
    return "\n".join(lines)


def correct_snippet(notice_id: str, table_id: str, row: Row, fld: str = "portions") -> str:
    """The [[correct]] entry for a row's field: the value as printed as `was` (an inferred 序号 was not printed),
    and the value as read (inferred or printed) to edit into the right one."""
    printed, current = printed_value(row, fld), getattr(row, fld, None)
    lines = ["[[correct]]", f"notice_id = {_toml_str(notice_id)}", f"table_id = {_toml_str(table_id)}",
             f"row_no = {row.row_no}", f"field = {_toml_str(fld)}"]
    if printed is not None:
        lines.append(f"was = {printed if fld in INT_FIELDS else _toml_str(str(printed))}")
    lines += [f"value = {current if current is not None and fld in INT_FIELDS else _toml_str('')}", 'reason = ""']
    return "\n".join(lines)
