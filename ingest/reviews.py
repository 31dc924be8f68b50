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

How a notice gets them (review(), the pipeline's one call; ingest_file with settings.reviews): corrections are
applied to the extracted tables before the checks run (so the checks see the corrected value), each one leaving a
`value-corrected` finding and its original value in Notice.corrections (written as corrected_from /
review_reason); after the checks, accepted findings are marked reviewed. The command line reads files without
decisions (so the cache holds what files say) and then calls apply_all(), which reads a notice with corrections
again with its decisions and marks acceptances on the others. A decision that matches nothing (the document changed), matches more than
one row, or whose pinned figures no longer hold, is not applied and becomes a `stale-review` finding. Nothing is
corrected or accepted silently.

A malformed file (bad TOML, unknown key, missing reason or value) is a ReviewsError: the run stops before reading
anything, since the reviewer must fix it and a half-applied file would mislead.
"""
from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from .findings import SEVERITY, Finding, assign_keys

FILE_NAME = "reviews.toml"

INT_FIELDS = {"portions", "seq", "month_from", "month_to"}
TEXT_FIELDS = {"org", "org_note"}
FIELD_CN = {"portions": "数量", "seq": "序号", "org": "单位名称", "org_note": "单位备注", "month_from": "起始月份",
            "month_to": "结束月份"}
_PEOPLE = {"by", "date", "note"}
_ACCEPT_KEYS = {"key", "notice_id", "code", "table_id", "row_no", "field", "expected", "actual", "reason"} | _PEOPLE
_CORRECT_KEYS = {"notice_id", "table_id", "row_no", "org", "org_note", "month", "field", "value", "was",
                 "reason"} | _PEOPLE


class ReviewsError(ValueError):
    """reviews.toml cannot be used as written; the message names the file and the entry."""


@dataclass(frozen=True)
class Accept:
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
        what = self.key or "/".join(str(x) for x in (self.code, self.table_id, self.row_no, self.field) if x)
        return f"[[accept]] 第{self.index}条（{self.notice_id} {what}）"

    def matches(self, f: Finding) -> bool:
        if self.key:
            return f.key == self.key
        return (f.code == self.code and (not self.table_id or f.table_id == self.table_id)
                and (self.row_no is None or f.row_no == self.row_no) and (not self.field or f.field == self.field))


@dataclass(frozen=True)
class Correct:
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
        where = f"第{self.row_no}行" if self.row_no is not None else f"“{self.org}{self.org_note or ''}”"
        return f"[[correct]] 第{self.index}条（{self.notice_id} {self.table_id} {where} {self.field}）"


@dataclass(frozen=True)
class Reviews:
    path: str
    sha256: str
    accepts: tuple[Accept, ...] = ()
    corrects: tuple[Correct, ...] = ()

    def notice_ids(self) -> set[str]:
        return {a.notice_id for a in self.accepts} | {c.notice_id for c in self.corrects}

    def for_notice(self, notice_id: str) -> tuple[list[Accept], list[Correct]]:
        return ([a for a in self.accepts if a.notice_id == notice_id],
                [c for c in self.corrects if c.notice_id == notice_id])

    def __len__(self) -> int:
        return len(self.accepts) + len(self.corrects)


@dataclass
class AppliedCorrection:
    """A correction that took effect: written to the CSV rows as corrected_from / review_reason."""

    table_id: str
    row_no: int
    field: str
    original: Union[int, str, None]
    value: Union[int, str]
    reason: str


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
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ReviewsError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ReviewsError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ReviewsError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(doc) - {"accept", "correct"}
    if unknown:
        raise ReviewsError(f"{path}: unknown section {', '.join(sorted(unknown))} (use [[accept]] or [[correct]])")
    accepts = tuple(_parse_accept(path, i, e) for i, e in enumerate(_entries(path, doc, "accept"), 1))
    corrects = tuple(_parse_correct(path, i, e) for i, e in enumerate(_entries(path, doc, "correct"), 1))
    return Reviews(path=path, sha256=hashlib.sha256(data).hexdigest(), accepts=accepts, corrects=corrects)


def _entries(path: str, doc: dict, name: str) -> list[dict]:
    entries = doc.get(name, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ReviewsError(f"{path}: {name} must be written as [[{name}]] tables")
    return entries


def _check(path: str, where: str, e: dict, allowed: set[str]) -> None:
    unknown = set(e) - allowed
    if unknown:
        raise ReviewsError(f"{path}: {where}: unknown key {', '.join(sorted(unknown))} "
                           f"(allowed: {', '.join(sorted(allowed))})")
    reason = e.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ReviewsError(f"{path}: {where}: a reason is required (reason = \"…\")")


def _int(path: str, where: str, e: dict, name: str) -> Optional[int]:
    v = e.get(name)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise ReviewsError(f"{path}: {where}: {name} must be a whole number, not {v!r}")
    return v


def _str(path: str, where: str, e: dict, name: str) -> str:
    v = e.get(name, "")
    if not isinstance(v, str):
        raise ReviewsError(f"{path}: {where}: {name} must be text in quotes, not {v!r}")
    return v.strip()


def _parse_accept(path: str, i: int, e: dict) -> Accept:
    where = f"[[accept]] #{i}"
    _check(path, where, e, _ACCEPT_KEYS)
    key = _str(path, where, e, "key")
    fields = dict(notice_id=_str(path, where, e, "notice_id"), code=_str(path, where, e, "code"),
                  table_id=_str(path, where, e, "table_id"), row_no=_int(path, where, e, "row_no"),
                  field=_str(path, where, e, "field"))
    if not fields["notice_id"]:
        raise ReviewsError(f"{path}: {where}: notice_id is required")
    if key:
        given = [k for k in ("code", "table_id", "row_no", "field") if k in e]
        if given:
            raise ReviewsError(f"{path}: {where}: give either key or {', '.join(given)}, not both")
        parts = key.split("#")[0].split("/")
        if len(parts) != 4 or parts[0] not in SEVERITY:
            raise ReviewsError(f"{path}: {where}: key {key!r} is not a finding key "
                               f"(code/table/row/field, as printed in the report)")
        fields["code"] = parts[0]
    elif not fields["code"]:
        raise ReviewsError(f"{path}: {where}: give key, or code (and table_id, row_no, field as needed)")
    elif fields["code"] not in SEVERITY:
        raise ReviewsError(f"{path}: {where}: unknown finding code {fields['code']!r}")
    if fields["code"] == "stale-review":
        raise ReviewsError(f"{path}: {where}: a stale-review finding is resolved by editing the stale decision, "
                           f"not by accepting it")
    return Accept(index=i, reason=e["reason"].strip(), key=key, expected=_int(path, where, e, "expected"),
                  actual=_int(path, where, e, "actual"), **fields)


def _parse_correct(path: str, i: int, e: dict) -> Correct:
    where = f"[[correct]] #{i}"
    _check(path, where, e, _CORRECT_KEYS)
    fld = _str(path, where, e, "field") or "portions"
    if fld not in INT_FIELDS | TEXT_FIELDS:
        raise ReviewsError(f"{path}: {where}: field {fld!r} cannot be corrected "
                           f"(one of {', '.join(sorted(INT_FIELDS | TEXT_FIELDS))})")
    notice_id, table_id = _str(path, where, e, "notice_id"), _str(path, where, e, "table_id")
    if not notice_id or not table_id:
        raise ReviewsError(f"{path}: {where}: notice_id and table_id are required")
    row_no, org = _int(path, where, e, "row_no"), _str(path, where, e, "org")
    if row_no is None and not org:
        raise ReviewsError(f"{path}: {where}: say which row: row_no, or org")
    if "value" not in e:
        raise ReviewsError(f"{path}: {where}: value is required (the right value)")
    value = _int(path, where, e, "value") if fld in INT_FIELDS else _str(path, where, e, "value")
    was = None
    if "was" in e:
        was = _int(path, where, e, "was") if fld in INT_FIELDS else _str(path, where, e, "was")
    org_note = _str(path, where, e, "org_note") if "org_note" in e else None
    return Correct(index=i, notice_id=notice_id, table_id=table_id, value=value, reason=e["reason"].strip(),
                   field=fld, row_no=row_no, org=org, org_note=org_note, month=_int(path, where, e, "month"),
                   was=was)


# --------------------------------------------------------------------------------------------- applying


def review(notice, reviews_path: Union[str, Reviews, None], run_checks: Callable) -> list[Finding]:
    """The notice's findings with its decisions applied: corrections, then the checks, then acceptances.

    Sets Notice.corrections. Every finding gets its notice_id and key (with no decisions too).
    """
    reviews = reviews_path if isinstance(reviews_path, Reviews) else load(reviews_path)
    accepts, corrects = reviews.for_notice(notice.notice_id) if reviews else ([], [])
    extra: list[Finding] = []
    notice.corrections = []
    for c in corrects:
        extra.append(_apply_correction(notice, c))
    findings = run_checks(notice) + extra
    for f in findings:
        f.notice_id = notice.notice_id
    assign_keys(findings)
    return findings + _accept(notice, findings, accepts)


def apply_all(notices: list, reviews: Optional[Reviews], reread: Callable) -> list:
    """Decisions applied to notices that were read without them.

    The batch reads files without decisions, so that what it caches (and shares between files with the same
    bytes) is what each file says, whatever a reviewer has decided since. Here a notice with corrections is read
    again through `reread(notice)` with the decisions (its checks must see the corrected values); on a notice with
    acceptances only, they are marked on the findings it has.
    """
    if not reviews:
        return notices
    out = []
    for n in notices:
        accepts, corrects = reviews.for_notice(n.notice_id)
        if n.readable and corrects:
            n = reread(n)
        elif n.readable and accepts:
            n.findings = n.findings + _accept(n, n.findings, accepts)
            n.findings.sort(key=Finding.sort_key)
        out.append(n)
    return out


def _accept(notice, findings: list[Finding], accepts: list[Accept]) -> list[Finding]:
    """Marks the findings the acceptances name as reviewed; returns a stale-review finding for each that names
    none (or whose pinned figures no longer hold)."""
    stale: list[Finding] = []
    for a in accepts:
        hits = [f for f in findings if f.code != "stale-review" and a.matches(f)]
        if not hits:
            stale.append(_stale_accept(notice, a, "已找不到这条发现：文件可能已修改，或问题已不存在"))
            continue
        moved = [f for f in hits if (a.expected is None or f.expected == a.expected)
                 and (a.actual is None or f.actual == a.actual)]
        if not moved:
            f = hits[0]
            stale.append(_stale_accept(notice, a, f"这条发现的数字已变（现为 应为 {_v(f.expected)}，实为 {_v(f.actual)}；"
                                                  f"决定中记为 应为 {_v(a.expected)}，实为 {_v(a.actual)}）：请重新核对"))
            continue
        for f in moved:
            f.reviewed = True
            f.review_reason = a.reason if not f.review_reason else f"{f.review_reason}；{a.reason}"
    for f in stale:
        f.notice_id = notice.notice_id
    if stale:
        assign_keys(findings + stale)
    return stale


def _v(x) -> str:
    return "—" if x is None else str(x)


def _stale_accept(notice, a: Accept, why: str) -> Finding:
    parts = a.key.split("#")[0].split("/") if a.key else []
    table_id = a.table_id or (parts[1] if parts and parts[1] != "-" else "")
    row_no = a.row_no if a.row_no is not None else (int(parts[2]) if parts and parts[2].isdigit() else None)
    return Finding(code="stale-review", field="accept", table_id=table_id, row_no=row_no,
                   expected=a.expected, actual=a.actual,
                   message=f"审核决定 {a.label} 未能应用：{why}。接受理由：{a.reason}。请核对后更新或删除 reviews.toml 中的这一条")


def _rows(notice, c: Correct):
    table = next((t for t in notice.tables if t.table_id == c.table_id), None)
    if table is None:
        return None, []
    rows = [r for r in table.rows
            if (c.row_no is None or r.row_no == c.row_no)
            and (not c.org or c.org in (r.org, r.org_raw, f"{r.org}{r.org_note}"))
            and (c.org_note is None or r.org_note == c.org_note)
            and (c.month is None or r.month_from == c.month)]
    return table, rows


def _apply_correction(notice, c: Correct) -> Finding:
    table, rows = _rows(notice, c)

    def stale(why: str, row=None) -> Finding:
        loc = {}
        if row is not None:
            loc = dict(page=row.source.page, box=row.source.box.as_list() if row.source.box else None,
                       source_text=row.source.text)
        return Finding(code="stale-review", field="correct", table_id=c.table_id,
                       row_no=row.row_no if row is not None else c.row_no,
                       message=f"审核决定 {c.label} 未能应用：{why}。更正理由：{c.reason}。请核对后更新或删除 reviews.toml 中的这一条",
                       **loc)

    if table is None:
        return stale(f"本文件没有表 {c.table_id}：文件可能已修改")
    if not rows:
        return stale("表中已没有这一行：文件可能已修改")
    if len(rows) > 1:
        return stale(f"与 {len(rows)} 行相符（第 {'、'.join(str(r.row_no) for r in rows)} 行），请用 row_no 指明是哪一行")
    row = rows[0]
    current = getattr(row, c.field)
    if c.was is not None and current != c.was:
        return stale(f"{FIELD_CN[c.field]}现为 {_v(current)}，不是决定中记下的 {c.was}：文件可能已修改", row)
    if current == c.value:
        return stale(f"{FIELD_CN[c.field]}已是 {c.value}，无需更正：可删除这一条", row)
    setattr(row, c.field, c.value)
    if c.field == "seq":
        row.seq_inferred = False
    if c.field in ("org", "org_note"):
        row.org_raw = f"{row.org}{row.org_note}"
        if hasattr(row, "org_normalized"):
            from .rules import simplified
            row.org_normalized = simplified(row.org)
    notice.corrections.append(AppliedCorrection(table_id=c.table_id, row_no=row.row_no, field=c.field,
                                                original=current, value=c.value, reason=c.reason))
    name = row.org_raw or row.org or "（无名称）"
    ints = c.field in INT_FIELDS
    src = row.value_source if c.field == "portions" and row.value_source.box else row.source
    return Finding(code="value-corrected", field=c.field, table_id=c.table_id, row_no=row.row_no,
                   expected=c.value if ints else None, actual=current if ints and current is not None else None,
                   page=src.page, box=src.box.as_list() if src.box else None, source_text=row.source.text,
                   message=(f"{c.table_id} 第{row.row_no}行“{name}”的{FIELD_CN[c.field]}按审核决定由 {_v(current)} "
                            f"改为 {c.value}（理由：{c.reason}）"))


def corrections_by_row(notice) -> dict[tuple[str, int], list[AppliedCorrection]]:
    out: dict[tuple[str, int], list[AppliedCorrection]] = {}
    for c in getattr(notice, "corrections", []) or []:
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
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def accept_snippet(f: Finding) -> str:
    """The [[accept]] entry a reviewer pastes into reviews.toml for this finding."""
    lines = ["[[accept]]", f"notice_id = {_toml_str(f.notice_id)}", f"key = {_toml_str(f.key or f.base_key())}"]
    if f.expected is not None:
        lines.append(f"expected = {f.expected}")
    if f.actual is not None:
        lines.append(f"actual = {f.actual}")
    lines.append('reason = ""')
    return "\n".join(lines)


def correct_snippet(notice_id: str, table_id: str, row, fld: str = "portions") -> str:
    """The [[correct]] entry for a row's field, with the current value as `was` and the value to fill in."""
    current = getattr(row, fld, None)
    lines = ["[[correct]]", f"notice_id = {_toml_str(notice_id)}", f"table_id = {_toml_str(table_id)}",
             f"row_no = {row.row_no}", f"field = {_toml_str(fld)}"]
    if current is not None:
        lines.append(f"was = {current if fld in INT_FIELDS else _toml_str(str(current))}")
    lines += [f"value = {current if current is not None and fld in INT_FIELDS else _toml_str('')}", 'reason = ""']
    return "\n".join(lines)
