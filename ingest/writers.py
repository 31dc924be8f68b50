"""CSV, JSON and the data package, each written atomically (temporary file, then rename).

The columns of every CSV are declared once, in SCHEMAS, with their types: the CSV writer and datapackage.json
both read them, so the description never drifts from the files. Output is deterministic: stable order, plain
integers, ISO dates, true/false, UTF-8 with BOM for CSV and ensure_ascii=False for JSON.
"""
from __future__ import annotations

import csv
import filecmp
import io
import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

import orjson

try:
    import fcntl
except ImportError:      # not on Windows
    fcntl = None

from .aside import Aside
from .export import datasette
from .export.changes import YearOverYear, compare
from .export.sqlite import Keep, TableSpec, stage_database, staging_file
from .records import Notice
from .report import report_html, report_md
from .reviews import corrections_by_row
from .rules import heading_re

# name, type (Frictionless), description
SCHEMAS: dict[str, list[tuple[str, str, str]]] = {
    "notices.csv": [
        ("notice_id", "string", "stable id of the notice (from its file name)"),
        ("source_file", "string", "the input file as given"),
        ("source_sha256", "string", "SHA-256 of the input file's bytes"),
        ("format", "string", "pdf, docx or text: decided from the content, not the name"),
        ("title", "string", "the notice's title"),
        ("region", "string", "the district, town or county the notice is for"),
        ("year", "integer", "the year the notice plans for"),
        ("doc_number", "string", "文号, brackets normalised to 〔〕"),
        ("issuer", "string", "the body that signed the notice"),
        ("issued_on", "date", "印发 date, or the signing date when no 印发 date is printed"),
        ("status", "string", "final or draft"),
        ("unit_ml", "integer", "millilitres in one 人份"),
        ("total_target", "integer", "headline target in 人份"),
        ("anomaly_count", "integer", "findings of severity error or warning"),
        ("signed_on", "date", "成文 date (under the issuer's name)"),
        ("encoding", "string", "for text files, the encoding they were decoded with"),
        ("pages", "integer", "page count, for paged formats"),
        ("table_count", "integer", "target tables and monthly plans recognised"),
        ("errors", "integer", "findings of severity error"),
        ("warnings", "integer", "findings of severity warning"),
        ("infos", "integer", "findings of severity info"),
        ("unreadable_reason", "string", "why the file could not be read; empty when it was"),
        ("annex_files", "string", "for a notice in several files: its annex files, read with it (; between them)"),
        ("published_on", "date", "the web page's publication stamp (发布日期 …), never the 成文 date"),
        ("target_unit", "string", "the count word the headline target is printed in (人份, 人次, 只 …)"),
    ],
    "allocations.csv": [
        ("notice_id", "string", ""),
        ("table_id", "string", "t1, t2 … in document order"),
        ("table_title", "string", "the title printed above the table"),
        ("row_no", "integer", "1-based position in the table, side-by-side lists unfolded in 序号 order"),
        ("seq", "integer", "序号 as printed, or inferred (see seq_inferred)"),
        ("seq_inferred", "boolean", "true when the 序号 was missing and inferred from its neighbours"),
        ("org", "string", "the unit's name as printed, after cleaning"),
        ("org_note", "string", "a bracketed part after the name, such as （城区部分）"),
        ("portions", "integer", "the figure in 人份"),
        ("row_type", "string", "item, subtotal or total"),
        ("page", "integer", "1-based page, empty for formats without pages"),
        ("annex", "string", "the annex label above the table (附件1 …)"),
        ("unit", "string", "the count unit the header states"),
        ("value_printed", "string", "the figure's cell as printed"),
        ("merged", "boolean", "a blank of this row was filled from a merged cell"),
        ("list_count", "integer", "how many side-by-side lists the printed table has"),
        ("org_normalized", "string", "org in simplified characters, for matching across notices and years"),
        ("group", "string", "the group (片区 …) the row sits under, where the table has a group column"),
        ("note", "string", "the row's other columns (备注, 献血地点, 献血时间 …), joined with ；"),
        ("corrected_field", "string", "the field(s) a reviewer corrected in reviews.toml (; between several)"),
        ("corrected_from", "string", "the value(s) as extracted, before the reviewer's correction"),
        ("review_reason", "string", "the reviewer's reason for the correction"),
        ("source_file", "string", "the file the row was read from (an annex file, for a notice in several files)"),
    ],
    "monthly_plan.csv": [
        ("notice_id", "string", ""),
        ("table_id", "string", ""),
        ("month_from", "integer", "first month (1–12) of the planned collection"),
        ("month_to", "integer", "last month; differs from month_from where a merged cell spans months"),
        ("org", "string", ""),
        ("org_note", "string", ""),
        ("portions", "integer", ""),
        ("merged", "boolean", "a blank of this row was filled from a merged cell"),
        ("row_no", "integer", "1-based position in the table"),
        ("table_title", "string", ""),
        ("page", "integer", ""),
        ("org_normalized", "string", "org in simplified characters"),
        ("note", "string", "the row's other columns (备注, 献血地点 …), joined with ；"),
        ("corrected_field", "string", "the field(s) a reviewer corrected in reviews.toml (; between several)"),
        ("corrected_from", "string", "the value(s) as extracted, before the reviewer's correction"),
        ("review_reason", "string", "the reviewer's reason for the correction"),
        ("source_file", "string", "the file the row was read from (an annex file, for a notice in several files)"),
    ],
    "anomalies.csv": [
        ("notice_id", "string", ""),
        ("code", "string", "stable kebab-case finding code"),
        ("severity", "string", "error, warning or info"),
        ("table_id", "string", ""),
        ("row_no", "integer", ""),
        ("field", "string", "the field or repair kind concerned"),
        ("expected", "integer", "the figure the document's other figures call for"),
        ("actual", "integer", "the figure found"),
        ("message", "string", "what is wrong, in Chinese"),
        ("page", "integer", ""),
        ("source_text", "string", "the source row or line as text"),
        ("box", "string", "x0 top x1 bottom of the source on its page, in PDF points"),
        ("finding_key", "string", "with notice_id, the finding's stable id: what reviews.toml names to accept it"),
        ("reviewed", "boolean", "true when a reviewer accepted the finding in reviews.toml"),
        ("review_reason", "string", "the reviewer's reason for accepting it"),
    ],
    "changes.csv": [
        ("region", "string", "the region both notices are for"),
        ("org", "string", "the unit's name as printed in the later year (in the earlier, for a unit dropped)"),
        ("year_before", "integer", "the earlier year"),
        ("year_after", "integer", "the later year, year_before + 1"),
        ("portions_before", "integer", "the unit's target in the earlier year, in 人份; empty for a new unit"),
        ("portions_after", "integer", "the unit's target in the later year, in 人份; empty for a unit dropped"),
        ("delta", "integer", "portions_after − portions_before, a unit absent in one year counting as 0 there"),
        ("status", "string", "changed, new, dropped, or renamed (the same unit under another name)"),
        ("notice_id_before", "string", "the notice read for the earlier year"),
        ("notice_id_after", "string", "the notice read for the later year"),
        ("org_note", "string", "the bracketed part of the unit's name, such as （城区部分）"),
        ("org_before", "string", "for a renamed unit, its name in the earlier year"),
        ("match", "string", "how the unit was found in the later year: name, rename-rule, same-place or same-slot"),
        ("certainty", "string", "sure, or likely for a unit found only by its place in the table and its figure"),
    ],
}

# The SQLite database: the tables above (named without .csv) and the notices' text paragraph by paragraph, with
# each table's primary key, the columns naming a notice (references to notices), the columns people filter by
# (indexes) and the columns of a full-text index. SCHEMAS stays the one declaration of columns and types.
DB_ONLY: dict[str, list[tuple[str, str, str]]] = {
    "paragraphs": [
        ("notice_id", "string", ""),
        ("paragraph_no", "integer", "1-based position of the paragraph in the notice's cleaned text"),
        ("heading", "string", "the numbered heading the paragraph is under (itself, for a heading)"),
        ("page", "integer", "1-based page, empty for formats without pages"),
        ("text", "string", "the paragraph's cleaned text"),
    ],
    # what make serve's plugin checks a file against before serving it (the database may hold rows an earlier
    # run's database held, written by anyone: only a file whose bytes are the ones read is served)
    "source_files": [
        ("notice_id", "string", ""),
        ("source_file", "string", "a file read for the notice: its body, or an annex file of its own"),
        ("source_sha256", "string", "SHA-256 of that file's bytes when it was read"),
    ],
}
KEYS = {"notices.csv": ("notice_id",), "allocations.csv": ("notice_id", "table_id", "row_no"),
        "monthly_plan.csv": ("notice_id", "table_id", "row_no"), "anomalies.csv": ("notice_id", "finding_key"),
        "changes.csv": ("region", "year_before", "year_after", "org", "org_note"),
        "paragraphs": ("notice_id", "paragraph_no"), "source_files": ("notice_id", "source_file")}
REFERENCES = {"allocations.csv": ("notice_id",), "monthly_plan.csv": ("notice_id",), "anomalies.csv": ("notice_id",),
              "changes.csv": ("notice_id_before", "notice_id_after"), "paragraphs": ("notice_id",),
              "source_files": ("notice_id",)}
INDEXES = {"notices.csv": (("region",), ("year",), ("region", "year"), ("status",)),
           "allocations.csv": (("org",), ("org_normalized",), ("row_type",)),
           "monthly_plan.csv": (("org",), ("org_normalized",)),
           "anomalies.csv": (("code",), ("severity",)),
           "changes.csv": (("region",), ("org",), ("status",), ("notice_id_before",), ("notice_id_after",))}
SEARCH = {"notices.csv": ("title", "issuer", "doc_number"), "paragraphs": ("heading", "text")}
DATABASE_NAME = "notices.db"


def table_specs() -> list[TableSpec]:
    """The database's tables, from SCHEMAS and the declarations above (rows of a notice an earlier run read are
    kept by its notice_id; changes are worked out again from every notice each time)."""
    specs = []
    for name, cols in [*SCHEMAS.items(), *DB_ONLY.items()]:
        specs.append(TableSpec(name=name.removesuffix(".csv"), columns=tuple(cols), pk=KEYS[name],
                               references=tuple((c, "notices", "notice_id") for c in REFERENCES.get(name, ())),
                               indexes=INDEXES.get(name, ()), search=SEARCH.get(name, ()),
                               notice_column="" if name == "changes.csv" else "notice_id"))
    return specs


def _fmt(v) -> str:
    t = type(v)
    if t is str:          # most cells: first, and by type identity (a million calls on a few hundred notices)
        return v
    if t is int:
        return str(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v == int(v) else repr(v)
    if isinstance(v, (list, tuple)):
        return " ".join(_fmt(x) for x in v)
    return str(v)


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def stage(path: Path, data: bytes) -> Path:
    """`data` written and flushed to a temporary file beside `path`, under a short name (a long output name never
    makes a temporary name over the file system's limit); the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)     # mkstemp makes it 0600; outputs get the mode any new file would
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        _remove(Path(tmp))
        raise
    return Path(tmp)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def atomic_write(path: Path, data: bytes) -> None:
    """One file written whole or not at all (a temporary file, then renamed)."""
    tmp = stage(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise


def _holds(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


LOCK_NAME = ".lock"


class OutputLocked(Exception):
    """Another run is writing into the same output folder."""


@contextmanager
def output_lock(out_dir) -> Iterator[Path]:
    """Hold DIR/.lock (fcntl.flock, without waiting) while a run writes into DIR, so that a second run into the same
    folder is refused at once (OutputLocked) instead of interleaving its files with this one's.

    The lock file is removed on the way out; one left by a killed run is harmless, since the kernel drops a flock
    with its process. Temporary files a killed run left (atomic_write's .NAME.*.tmp) are removed once the lock is
    held, when no other run can be writing them.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    if fcntl is None:            # no flock on this platform: run unlocked
        remove_stale_temps(out)
        yield path
        return
    fd, held = -1, False
    try:
        while not held:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputLocked(f"another run is writing into {out} (it holds {path})") from None
            # The run before may have removed the file between our open and our lock: hold the file that is there.
            try:
                held = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                pass
            if not held:
                os.close(fd)
                fd = -1
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        remove_stale_temps(out)
        yield path
    finally:                     # also on Ctrl-C, which can come at any point in here
        if held:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
        if fd >= 0:
            os.close(fd)


def remove_stale_temps(out: Path) -> None:
    """Temporary files an interrupted run left in the output folder, removed before writing."""
    for tmp in out.rglob(".*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass


# A spreadsheet takes a cell starting with one of these for a formula (OWASP, CSV injection): such text gets a
# leading ' in the CSV files, which spreadsheets show as text; JSON keeps the value as it is.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


_FORMULA_FIRST = frozenset(FORMULA_START)     # each is one character


def inert(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_bytes(name: str, rows: Iterable[dict]) -> bytes:
    """A CSV file of SCHEMAS[name]: UTF-8 with BOM, text cells that would start a formula made inert."""
    columns = [(c, t == "string") for c, t, _ in SCHEMAS[name]]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c for c, _ in columns])
    w.writerows(_csv_row(r, columns) for r in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_row(r: dict, columns: list[tuple[str, bool]]) -> list[str]:
    """One row's cells as text (_fmt), inert where a text cell would start a formula, and a line break inside one
    always written as \n (quoted). The usual cells (text, integers, empty) are formatted here: a large run writes
    millions of them."""
    out = []
    get = r.get
    for c, text in columns:
        v = get(c)
        t = type(v)
        if t is not str:
            v = str(v) if t is int else "" if v is None else _fmt(v)
        if text and v:
            if v[0] in _FORMULA_FIRST:
                v = "'" + v
            if "\r" in v:     # the csv module quotes a cell with \n but not one with a lone \r, which ends a row
                v = v.replace("\r\n", "\n").replace("\r", "\n")
        out.append(v)
    return out


# ------------------------------------------------------------------------------------------- records


def notice_record(n: Notice) -> dict:
    """The notice as a row of notices.csv."""
    f = n.facts
    return dict(notice_id=n.notice_id, source_file=n.source_file, source_sha256=n.source_sha256, format=n.format,
                title=f.title, region=f.region, year=f.year, doc_number=f.doc_number, issuer=f.issuer,
                issued_on=f.issued_on or None, status=f.status if n.readable else "", unit_ml=f.unit_ml,
                total_target=f.total_target, anomaly_count=n.anomaly_count, signed_on=f.signed_on or None,
                encoding=n.encoding, pages=len(n.pages) or None, table_count=len(n.tables),
                errors=n.count("error"), warnings=n.count("warning"), infos=n.count("info"),
                unreadable_reason=n.error, annex_files="; ".join(n.annex_files),
                published_on=f.published_on or None, target_unit=f.target_unit)


def allocation_records(n: Notice) -> list[dict]:
    """The rows of the notice's allocation tables as rows of allocations.csv."""
    out = []
    for t in n.tables:
        if t.kind != "allocation":
            continue
        for r in t.rows:
            out.append(dict(notice_id=n.notice_id, table_id=t.table_id, table_title=t.title, row_no=r.row_no,
                            seq=r.seq, seq_inferred=r.seq_inferred, org=r.org, org_note=r.org_note,
                            portions=r.portions, row_type=r.row_type, page=r.source.page, annex=t.annex,
                            unit=t.unit, value_printed=r.value_text, merged=r.merged, list_count=t.n_lists,
                            org_normalized=r.org_normalized, group=r.group, note=r.note,
                            source_file=t.source_file or n.source_file))
    return _with_corrections(n, out)


def monthly_records(n: Notice) -> list[dict]:
    """The rows of the notice's monthly plans as rows of monthly_plan.csv."""
    out = []
    for t in n.tables:
        if t.kind != "monthly":
            continue
        for r in t.items:
            out.append(dict(notice_id=n.notice_id, table_id=t.table_id, month_from=r.month_from,
                            month_to=r.month_to, org=r.org, org_note=r.org_note, portions=r.portions,
                            merged=r.merged, row_no=r.row_no, table_title=t.title, page=r.source.page,
                            org_normalized=r.org_normalized, note=r.note, source_file=t.source_file or n.source_file))
    return _with_corrections(n, out)


def finding_records(n: Notice) -> list[dict]:
    """The notice's findings as rows of anomalies.csv."""
    return [dict(notice_id=n.notice_id, code=f.code, severity=f.severity, table_id=f.table_id, row_no=f.row_no,
                 field=f.field, expected=f.expected, actual=f.actual, message=f.message, page=f.page,
                 source_text=f.source_text, box=f.box.as_list() if f.box else None, finding_key=f.key or f.base_key(), reviewed=f.reviewed,
                 review_reason=f.review_reason) for f in n.findings]


def _with_corrections(n: Notice, records: list[dict]) -> list[dict]:
    """A row a reviewer corrected keeps what was extracted beside the corrected value (reviews.toml)."""
    fixes = corrections_by_row(n)
    for r in records:
        done = fixes.get((r["table_id"], r["row_no"]))
        if done:
            r["corrected_field"] = "; ".join(c.field for c in done)
            r["corrected_from"] = "; ".join(_fmt(c.original) for c in done)
            r["review_reason"] = "; ".join(c.reason for c in done)
    return records


def sections(n: Notice) -> list[dict]:
    """The cleaned text as sections (split at numbered headings) of paragraphs."""
    out: list[dict] = [{"heading": None, "page": None, "paragraphs": []}]
    for p in n.paragraphs:
        if heading_re().match(p.text) and len(p.text) <= 40:
            out.append({"heading": p.text, "page": p.page, "paragraphs": []})
        else:
            out[-1]["paragraphs"].append({"text": p.text, "page": p.page})
    return [s for s in out if s["heading"] or s["paragraphs"]]


def notice_json(n: Notice) -> dict:
    """The notice as notices/<id>.json: its facts, tables with their rows and sources, findings and text."""
    f = n.facts
    tables = []
    for t in n.tables:
        total = t.total_row
        tables.append(dict(
            table_id=t.table_id, kind=t.kind, title=t.title, annex=t.annex, unit=t.unit, page=t.page,
            strategy=t.strategy, list_count=t.n_lists, header=t.header, source_file=t.source_file or n.source_file,
            stated_total=total.portions if total else None,
            computed_total=sum(r.portions or 0 for r in t.items),
            rows=[dict(row_no=r.row_no, row_type=r.row_type, seq=r.seq, seq_inferred=r.seq_inferred, org=r.org,
                       org_note=r.org_note, org_normalized=r.org_normalized, group=r.group, portions=r.portions, value_printed=r.value_text,
                       month_from=r.month_from, month_to=r.month_to, merged=r.merged, note=r.note,
                       page=r.source.page, box=r.source.box.as_list() if r.source.box else None,
                       source_text=r.source.text) for r in t.rows]))
    return dict(
        notice=notice_record(n),
        targets=[dict(kind=x.kind, label=x.label, portions=x.portions, page=x.page) for x in f.targets],
        tables=tables,
        findings=[{k: v for k, v in fi.to_dict().items()} for fi in n.findings],
        repairs=dict(sorted(n.repairs.items())),
        corrections=[dict(table_id=c.table_id, row_no=c.row_no, field=c.field, corrected_from=c.original,
                          value=c.value, reason=c.reason) for c in n.corrections],
        pages=[dict(number=p.number, width=round(p.width, 1), height=round(p.height, 1)) for p in n.pages],
        text={"sections": sections(n)},
    )


def json_bytes(obj) -> bytes:
    """Indented UTF-8 JSON. orjson writes the same bytes as json.dumps(ensure_ascii=False, indent=2) twenty
    times faster (with an indent, the standard library falls back to its pure-Python encoder, which was half the
    time of writing the outputs); the standard library takes what orjson refuses (an integer over 64 bits)."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS)
    except (orjson.JSONEncodeError, TypeError):
        return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def datapackage() -> dict:
    """datapackage.json: every CSV file with its columns, types and keys."""
    resources = []
    for name, cols in SCHEMAS.items():
        resources.append({
            "name": name.removesuffix(".csv").replace("_", "-"),
            "path": name,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": ",", "header": True},
            "schema": {"fields": [dict(name=c, type=t, **({"description": d} if d else {}),
                                       **({"trueValues": ["true"], "falseValues": ["false"]} if t == "boolean" else {}))
                                  for c, t, d in cols],
                       "missingValues": [""]},
        })
    return {"profile": "tabular-data-package", "name": "xianxue-ingest-output",
            "title": "无偿献血工作意见：目标分解、月份计划与审核发现", "resources": resources}


@dataclass(frozen=True)
class Database:
    """Where the SQLite database goes, and the notices of an earlier run's database there to keep."""

    path: Path
    keep: Optional[Keep] = None


def write_all(notices: list[Notice], out_dir: str, reviews=None, crop_dir: Optional[str] = None,
              years: Optional[YearOverYear] = None, database: Optional[Database] = None,
              aside: bool = False) -> list[Path]:
    """Every output file for `notices`; `reviews` (ingest.reviews.Reviews, optional) lets the report list the
    decisions that named no notice of this run; `years` is the year-over-year comparison (made from `notices`
    alone when not given); `database`, where the SQLite database and its Datasette metadata go (none when not
    given); `aside`, make report.html, report.md and the database in forked copies of this process meanwhile (a
    run given several processes: every notice is seen there without being copied).
    A file that already holds these very bytes is left as it is (and keeps its date): a re-run writes only
    what changed, and tools watching the folder see only that. All files are staged first, then renamed into place
    together: a failure before leaves the last set whole."""
    out = Path(out_dir)
    years = years if years is not None else compare(notices)
    reports = _reports(notices, reviews, crop_dir, years)
    made_aside = {name: Aside(make, fork=aside) for name, make in reports.items()}
    staged: list[tuple[Path, Path]] = []
    db_staged: list[tuple[Path, Path]] = []
    try:
        records = Records.of(notices, years)     # what the CSV files and the database are made of (the reports
                                                 # are not: their copies start before it)
        if database is not None:
            db_tmp = staging_file(database.path)
            db_staged.append((db_tmp, database.path))       # removed with the rest if anything fails
            made_aside["db"] = Aside(_database_maker(database, records, db_tmp), fork=aside)
        files = _data_files(notices, years, records, database)
        _stage_changed(out, files, staged)          # while the copies (if any) make the reports and the database
        if database is not None:
            made_aside["db"].result()
            if _same_file(db_tmp, database.path):
                _remove(db_tmp)
                db_staged.clear()
        for name in reports:
            files[name] = made_aside[name].result()
            _stage_changed(out, {name: files[name]}, staged)
    except BaseException:
        for page in made_aside.values():
            page.cancel()
        for tmp, _ in staged + db_staged:
            _remove(tmp)
        raise
    staged += db_staged
    for tmp, path in staged:
        os.replace(tmp, path)
    # a notice no longer in the input must not linger beside the fresh ones
    for old in (out / "notices").glob("*.json"):
        if f"notices/{old.name}" not in files:
            old.unlink()
    return [out / rel for rel in files] + ([database.path] if database is not None else [])


def _stage_changed(out: Path, files: dict[str, bytes], staged: list[tuple[Path, Path]]) -> None:
    """Each file whose bytes differ from what `out` holds, staged beside it; (temporary, final) added to `staged`
    as each is made, so that a failure removes every one made so far."""
    for rel, data in files.items():
        if not _holds(out / rel, data):
            staged.append((stage(out / rel, data), out / rel))


def _database_maker(database: Database, records: "Records", into: Path):
    """What writes the database into `into` (here, or in a forked copy of this process)."""
    def make() -> bytes:
        stage_database(database.path, table_specs(), records.tables(), database.keep, into=into)
        return b""
    return make


def _same_file(a: Path, b: Path) -> bool:
    try:
        return not b.is_symlink() and b.is_file() and filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


@dataclass
class Records:
    """The rows of every table, made once for the CSV files and the database alike."""

    notices: list[dict]
    allocations: list[dict]
    monthly_plan: list[dict]
    anomalies: list[dict]
    changes: list[dict]
    paragraphs: list[dict]
    source_files: list[dict] = field(default_factory=list)

    @classmethod
    def of(cls, notices: list[Notice], years: YearOverYear) -> "Records":
        """The rows of every output table for these notices and their year-over-year changes."""
        return cls(notices=[notice_record(n) for n in notices],
                   allocations=[r for n in notices for r in allocation_records(n)],
                   monthly_plan=[r for n in notices for r in monthly_records(n)],
                   anomalies=[r for n in notices for r in finding_records(n)],
                   changes=years.records(), paragraphs=[r for n in notices for r in paragraph_records(n)],
                   source_files=[r for n in notices for r in source_file_records(n)])

    def tables(self) -> dict[str, list[dict]]:
        """The rows for the database: as for the CSV files, a list (a finding's box) written as they write it."""
        return dict(notices=self.notices, allocations=self.allocations, monthly_plan=self.monthly_plan,
                    anomalies=[{k: _fmt(v) if isinstance(v, list) else v for k, v in r.items()} for r in self.anomalies],
                    changes=self.changes, paragraphs=self.paragraphs, source_files=self.source_files)


def source_file_records(n: Notice) -> list[dict]:
    """The files read for a notice (its body, its annex files) with the digest of the bytes read."""
    files = {n.source_file: n.source_sha256} if n.source_sha256 else {}
    for t in n.tables:
        if t.source_file and t.source_sha256:
            files.setdefault(t.source_file, t.source_sha256)
    return [dict(notice_id=n.notice_id, source_file=f, source_sha256=sha) for f, sha in files.items()]


def paragraph_records(n: Notice) -> list[dict]:
    """The cleaned text paragraph by paragraph, each with the numbered heading it is under."""
    out, heading = [], None
    for i, p in enumerate(n.paragraphs, 1):
        if heading_re().match(p.text) and len(p.text) <= 40:
            heading = p.text
        out.append(dict(notice_id=n.notice_id, paragraph_no=i, heading=heading, page=p.page, text=p.text))
    return out


def outputs(notices: list[Notice], reviews=None, crop_dir: Optional[str] = None,
            years: Optional[YearOverYear] = None, records: Optional[Records] = None,
            database: Optional[Database] = None) -> dict[str, bytes]:
    """Every output file's path in the output folder and its bytes (the database aside: write_all stages it)."""
    years = years if years is not None else compare(notices)
    files = _data_files(notices, years, records, database)
    for name, make in _reports(notices, reviews, crop_dir, years).items():
        files[name] = make()
    return files


def _reports(notices: list[Notice], reviews, crop_dir: Optional[str], years: YearOverYear) -> dict:
    """report.md's and report.html's bytes, each to be made (here, or in a forked copy of this process)."""
    return {"report.md": lambda: report_md(notices, reviews, years).encode("utf-8"),
            "report.html": lambda: report_html(notices, reviews, crop_dir=Path(crop_dir) if crop_dir else None,
                                               years=years).encode("utf-8")}


def _data_files(notices: list[Notice], years: YearOverYear, records: Optional[Records],
                database: Optional[Database]) -> dict[str, bytes]:
    """The CSV and JSON outputs' paths and bytes."""
    records = records or Records.of(notices, years)
    files = {"notices.csv": csv_bytes("notices.csv", records.notices),
             "allocations.csv": csv_bytes("allocations.csv", records.allocations),
             "monthly_plan.csv": csv_bytes("monthly_plan.csv", records.monthly_plan),
             "anomalies.csv": csv_bytes("anomalies.csv", records.anomalies),
             "changes.csv": csv_bytes("changes.csv", records.changes)}
    for n in notices:
        files[f"notices/{n.notice_id}.json"] = json_bytes(notice_json(n))
    files["datapackage.json"] = json_bytes(datapackage())
    if database is not None:
        files["metadata.json"] = json_bytes(datasette.metadata(table_specs(), database.path.stem))
    return files
