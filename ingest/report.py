"""The review report, report.md and report.html, from the same summary so they never say different things.

report.html is one self-contained file (inline CSS and script, pictures as data: URIs, no fonts or anything else
fetched) that a reviewer opens from disk: a summary per notice, then every open finding with where it is, its two
figures, the source (for a PDF, the printed row cropped from the rendered page with the cell outlined; for other
formats, the source row as text) beside the row as extracted, and the reviews.toml entry that records a decision
on it. Accepted findings sit in a separate part, 已审核. Filters by severity and by notice run in the page.
report.md says the same in text, without the pictures and without the full extracted tables.

Both are Jinja2 templates (ingest/templates). Escaping is done by construction, never at a call site: report.html
is rendered with autoescaping, so every value from a document or a reviews file is escaped wherever it lands (text,
attribute, id, href); report.md with a finalize step that escapes every value for Markdown (code spans are made
by a filter that cannot be broken out of). The words the helpers here put together are in rules.toml [report].

Pictures come with the notices (ingest.pictures, rendered while each PDF was read); the few missing are rendered
here by the same ingest.pictures.rendered (each page once). ingest itself never imports a PDF library.
"""
from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import jinja2
from markupsafe import Markup
import regex as re

from .cache import private_folder
from .export.changes import YearOverYear
from .findings import SEVERITY_ORDER
from .pictures import region, rendered, spec
from .pipeline import read_file
from .records import Finding, Notice, Row, TargetTable
from .reviews import accept_snippet, correct_snippet, corrections_by_row, orphans
from .rules import month_name, rules
from .settings import Settings

# A source PDF reopened for the pictures of its findings is read up to the default --max-bytes: a file swapped for
# a larger one (or a device) since it was read is not read without end; its pictures are then left out, with why.
MAX_SOURCE_BYTES = Settings.max_bytes

TEMPLATES = Path(__file__).with_name("templates")


# ------------------------------------------------------------------------------------------ the summary


@dataclass
class TableSummary:
    """A table with its stated total beside the sum of its items."""

    table: TargetTable
    stated: Optional[int]
    computed: int

    @property
    def check(self) -> str:
        """none (no total stated), match or mismatch."""
        return "none" if self.stated is None else ("match" if self.stated == self.computed else "mismatch")


@dataclass
class NoticeSummary:
    """What the report shows of one notice: its tables' sums, its findings open and reviewed, the rows they flag."""

    notice: Notice
    tables: list[TableSummary]
    open: list[Finding]                     # findings nobody has accepted
    reviewed: list[Finding]                 # accepted in reviews.toml
    rows: dict = field(default_factory=dict)        # (table_id, row_no) -> (TargetTable, Row)
    flagged: dict = field(default_factory=dict)     # (table_id, row_no) -> [Finding]
    fixes: dict = field(default_factory=dict)       # (table_id, row_no) -> [Correction]

    def count(self, severity: str, reviewed: bool = False) -> int:
        """Findings of this severity, open (default) or accepted by a reviewer."""
        return sum(1 for f in (self.reviewed if reviewed else self.open) if f.severity == severity)


def summarise(n: Notice) -> NoticeSummary:
    """The notice as the report shows it."""
    tables = [TableSummary(t, t.total_row.portions if t.total_row else None, sum(r.portions or 0 for r in t.items))
              for t in n.tables]
    s = NoticeSummary(n, tables, [f for f in n.findings if not f.reviewed], [f for f in n.findings if f.reviewed])
    s.rows = {(t.table_id, r.row_no): (t, r) for t in n.tables for r in t.rows}
    for f in n.findings:
        if f.table_id and f.row_no:
            s.flagged.setdefault((f.table_id, f.row_no), []).append(f)
    s.fixes = corrections_by_row(n)
    return s


# ------------------------------------------------------------------------------------------ what the templates show


def _words():
    return rules().report


def _fill(template: str, **values) -> str:
    return template.format_map(values)


def key(f: Finding) -> str:
    """The finding's key as reviews.toml names it."""
    return f.key or f.base_key()


def label(t: TargetTable) -> str:
    """附件1 各街镇目标分解表: a table's annex and title."""
    return " ".join(x for x in (t.annex, t.title) if x)


def where(f: Finding, s: Optional[NoticeSummary] = None) -> str:
    """Where a finding is, in words: 表 t1（附件1 …），第 21 行，第 3 页."""
    w = _words().where
    parts = []
    if f.table_id:
        t = next((x.table for x in s.tables if x.table.table_id == f.table_id), None) if s else None
        text = label(t) if t else ""
        parts.append(_fill(w["table_label"], table_id=f.table_id, label=text) if text
                     else _fill(w["table"], table_id=f.table_id))
    if f.row_no:
        parts.append(_fill(w["row"], row_no=f.row_no))
    if f.page:
        parts.append(_fill(w["page"], page=f.page))
    return w["joiner"].join(parts) or w["whole"]


def figures(f: Finding) -> str:
    """The finding's two figures in words ('' when it has none)."""
    w = _words().figures
    if f.expected is None and f.actual is None:
        return ""
    if f.expected is None:
        return _fill(w["actual"], actual=f.actual)
    if f.actual is None:
        return _fill(w["expected"], expected=f.expected)
    return _fill(w["both"], expected=f.expected, actual=f.actual)


def months(r: Row) -> str:
    """The months a row covers, as the report words them (一月, or 一月至三月)."""
    if r.month_from and r.month_to and r.month_to != r.month_from:
        return _fill(_words().cell["months"], first=month_name(r.month_from), last=month_name(r.month_to))
    return month_name(r.month_from) if r.month_from else ""


def columns(t: TargetTable) -> list[tuple[str, str]]:
    """(field, header) of the extracted row as shown beside the source."""
    names = _words().columns
    fields = ("month_from", "org", "org_note", "portions") if t.kind == "monthly" else ("seq", "org", "org_note",
                                                                                        "portions")
    return [(f, names[f]) for f in fields]


def cell(t: TargetTable, r: Row, fld: str, s: NoticeSummary) -> str:
    """A field of an extracted row as text: inferred and corrected values say so."""
    return _cell(r, fld, s.fixes.get((t.table_id, r.row_no)), _words().cell)


def _cell(r: Row, fld: str, fixes: Optional[list], w: dict) -> str:
    """cell(), given the row's corrections and the words for them (a listing takes them once a row)."""
    if fld == "month_from":
        text = months(r)
    elif fld == "seq":
        text = "" if r.seq is None else f"{r.seq}" + (w["inferred"] if r.seq_inferred else "")
    else:
        v = getattr(r, fld)
        text = "" if v is None else str(v)
    for c in fixes or ():
        if c.field == fld or (fld == "month_from" and c.field == "month_to"):
            text += _fill(w["corrected"], original="" if c.original is None else c.original)
    return text


def row_cells(t: TargetTable, r: Row, s: NoticeSummary) -> list[str]:
    """The row's cells in the table's columns, as the report shows them."""
    return [cell(t, r, fld, s) for fld, _ in columns(t)]


def row_of(f: Finding, s: NoticeSummary):
    """(table, row) a finding is on, or None."""
    return s.rows.get((f.table_id, f.row_no)) if f.table_id else None


def flag_fields(f: Finding) -> set[str]:
    """The columns a finding marks in its row (a month finding marks the month column)."""
    return {"month": {"month_from"}, "month_from": {"month_from"}, "month_to": {"month_from"}}.get(f.field, {f.field})


def flag_union(fs: list[Finding]) -> set[str]:
    """The columns any of these findings marks."""
    return set().union(*(flag_fields(f) for f in fs)) if fs else set()


def row_class(r: Row, fs: list[Finding]) -> str:
    """The CSS classes of a row: flagged, its worst severity, and its type when not an item."""
    if not fs:                      # most rows
        return (r.row_type or "") if r.row_type != "item" else ""
    worst = min((f.severity for f in fs), key=SEVERITY_ORDER.get, default="")
    return " ".join(x for x in ("flagged" if fs else "", worst, r.row_type if r.row_type != "item" else "") if x)


def flagged_count(t: TargetTable, s: NoticeSummary) -> int:
    """How many of the table's rows a finding points at."""
    return sum(1 for r in t.rows if (t.table_id, r.row_no) in s.flagged)


@dataclass(frozen=True)
class ShownRow:
    """A row of a table's "extracted" listing, with what the report shows of it worked out here rather than in
    the template (a report of many notices has tens of thousands of such rows): the values are plain text, which
    the template escapes."""

    dom_id: str
    css: str
    row_no: int
    cells: tuple[tuple[str, bool], ...]     # (text, marked by a finding) in the table's columns
    page: str
    links: tuple[tuple[str, str], ...]      # (the finding's element id, its code)


def shown_rows(t: TargetTable, s: NoticeSummary) -> list[ShownRow]:
    """The table's rows as its listing in the report shows them."""
    fields = [fld for fld, _ in columns(t)]
    nid = s.notice.notice_id
    words = _words().cell
    table_part = dom_id("r", nid, t.table_id)        # a row's id is this and its number, which dom_id leaves as is
    out = []
    for r in t.rows:
        at = (t.table_id, r.row_no)
        fs = s.flagged.get(at, [])
        flag = flag_union(fs)
        fixes = s.fixes.get(at)
        row_id = f"{table_part}-{r.row_no}" if type(r.row_no) is int else dom_id("r", nid, t.table_id, r.row_no)
        out.append(ShownRow(dom_id=row_id, css=row_class(r, fs), row_no=r.row_no,
                            cells=tuple((_cell(r, fld, fixes, words), fld in flag) for fld in fields),
                            page="" if r.source.page is None else str(r.source.page),
                            links=tuple((dom_id("f", nid, key(f)), f.code) for f in fs)))
    return out


def listing(t: TargetTable, s: NoticeSummary) -> Markup:
    """The rows of a table's listing in report.html, each `\n<tr>…</tr>`, every value escaped as the template's
    autoescaping escapes it. Made here rather than by a template loop: a report of a few hundred notices lists
    tens of thousands of rows, and the loop was a third of the time the report took."""
    parts = []
    for r in shown_rows(t, s):
        css = f' class="{_escaped(r.css)}"' if r.css else ""
        cells = "".join(f"<td class=flag>{_escaped(text)}</td>" if marked else f"<td>{_escaped(text)}</td>"
                        for text, marked in r.cells)
        links = " ".join(f'<a href="#{_escaped(href)}">{_escaped(code)}</a>' for href, code in r.links)
        parts.append(f'\n<tr id="{_escaped(r.dom_id)}"{css}><td class="num">{_escaped(r.row_no)}</td>{cells}'
                     f'<td class="num">{_escaped(r.page)}</td><td>{links}</td></tr>')
    return Markup("".join(parts))


def _escaped(value) -> str:
    """markupsafe.escape() of a plain value (text or a number: what a listing holds, never markup), as a str: the
    same five replacements, without making a Markup of each of the hundreds of thousands of cells of a large run."""
    text = value if type(value) is str else str(value)
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace(
        '"', "&#34;")


def is_cell(f: Finding, hit) -> bool:
    """Is the framed region a cell (not the whole row)?"""
    row_box = hit[1].source.box if hit and hit[1].source.box else None
    return bool(row_box and f.box != row_box)


def snippets(f: Finding, hit, n: Notice) -> list[str]:
    """The reviews.toml entries a reviewer copies for this finding."""
    out = [accept_snippet(f)]
    if hit and hit[0].kind in ("allocation", "monthly"):
        fld = f.field if f.field in rules().phrases.field_names else ("month_from" if f.field == "month"
                                                                      else "portions")
        out.append(correct_snippet(n.notice_id, hit[0].table_id, hit[1], fld))
    return out


_ID_UNSAFE = re.compile(r"[^\w-]")


def dom_id(*parts) -> str:
    """An element id from parts (a key holds / and #): the same parts give the same id."""
    return _ID_UNSAFE.sub("_", "-".join(str(p) for p in parts))


def _totals(summaries: list[NoticeSummary]) -> dict:
    return dict(error=sum(s.count("error") for s in summaries), warning=sum(s.count("warning") for s in summaries),
                info=sum(s.count("info") for s in summaries), reviewed=sum(len(s.reviewed) for s in summaries))


# The size of a unit's chart of its target by year, in CSS pixels, and the margin inside it.
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 28, 4


def spark(years: tuple[int, ...], values: tuple) -> Optional[dict]:
    """A unit's target by year as a small line chart: the points of an inline SVG polyline, each year's dot with
    its figure (for its tooltip). None when the unit has no figure."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if not known:
        return None
    lo, hi = min(v for _, v in known), max(v for _, v in known)
    inner_w, inner_h = SPARK_WIDTH - 2 * SPARK_PAD, SPARK_HEIGHT - 2 * SPARK_PAD

    def x(i: int) -> float:
        return round(SPARK_PAD + (inner_w * i / (len(years) - 1) if len(years) > 1 else inner_w / 2), 1)

    def y(v: int) -> float:
        share = (v - lo) / (hi - lo) if hi > lo else 0.5
        return round(SPARK_HEIGHT - SPARK_PAD - inner_h * share, 1)

    dots = [dict(x=x(i), y=y(v), year=years[i], value=v) for i, v in known]
    return dict(width=SPARK_WIDTH, height=SPARK_HEIGHT, points=" ".join(f"{d['x']},{d['y']}" for d in dots),
                dots=dots)


def _context(notices: list[Notice], reviews, years: Optional[YearOverYear] = None) -> dict:
    summaries = [summarise(n) for n in notices]
    w = _words()
    return dict(title=w.title, notices=notices, summaries=summaries, reviews=reviews, totals=_totals(summaries),
                years=years or YearOverYear(),
                reviewed_any=any(s.reviewed for s in summaries), orphans=orphans(reviews, notices),
                severities=sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.get),
                severity_counts={sev: sum(1 for n in notices for f in n.findings if f.severity == sev)
                                 for sev in SEVERITY_ORDER})


_HELPERS = dict(key=key, label=label, where=where, figures=figures, columns=columns, cell=cell, row_cells=row_cells,
                row_of=row_of, flag_fields=flag_fields, flag_union=flag_union, row_class=row_class,
                flagged_count=flagged_count, listing=listing, is_cell=is_cell, snippets=snippets, dom_id=dom_id,
                severity_name=lambda sev: _words().severities[sev], kind_name=lambda k: _words().kinds.get(k, k),
                check_name=lambda c: _words().checks[c], row_kind_name=lambda k: _words().row_kinds.get(k, k),
                format_name=lambda fmt: _words().formats.get(fmt, fmt or _words().unknown_format),
                spark=spark, status_name=lambda s: rules().changes.status_names[s],
                match_name=lambda m: rules().changes.match_names.get(m, ""))


# ------------------------------------------------------------------------------------------ pictures


def _crop_path(crop_dir: Optional[Path], name: str) -> Optional[Path]:
    """Where a crop rendered here is kept between runs, under its name (ingest.pictures.spec), so a re-run of an
    unchanged folder renders nothing."""
    if crop_dir is None:
        return None
    return crop_dir / (name + ".png")


def _source_of(f: Finding, s: NoticeSummary) -> tuple[str, str, str]:
    """(file, format, SHA-256) a finding's page is in: an annex file's, for a table read from one."""
    t = next((x.table for x in s.tables if x.table.table_id == f.table_id), None) if f.table_id else None
    if t is not None and t.source_file:
        return t.source_file, t.source_format, t.source_sha256
    n = s.notice
    return n.source_file, n.format, n.source_sha256


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def pictures(summaries: list[NoticeSummary], crop_dir: Optional[Path] = None) -> tuple[dict, dict]:
    """PNG data: URIs of the source of every PDF finding with a page and box, keyed (notice_id, key); and, per
    notice, why there are none where they were due (the file changed or could not be rendered)."""
    out: dict[tuple[str, str], str] = {}
    problems: dict[str, str] = {}
    for s in summaries:
        by_file: dict[tuple[str, str], list[Finding]] = {}
        for f in s.notice.findings:
            if f.page and f.box:
                path, fmt, sha = _source_of(f, s)
                if fmt == "pdf":
                    by_file.setdefault((path, sha), []).append(f)
        for (path, sha), due in by_file.items():
            problem = _pictures_of_file(s, path, sha, due, crop_dir, out)
            if problem:
                problems[s.notice.notice_id] = problem
    return out, problems


def _pictures_of_file(s: NoticeSummary, path: str, sha: str, due: list[Finding], crop_dir: Optional[Path],
                      out: dict) -> str:
    """The crops of one PDF's findings into `out`, from the kept crops where it can; '' or why there are none."""
    nid = s.notice.notice_id
    left = []
    for f in due:
        name = _spec(f, s, sha)
        png = s.notice.pictures.get(name)
        kept = _crop_path(crop_dir, name) if png is None and sha else None
        if png is None and kept is not None and kept.is_file():
            png = kept.read_bytes()
        if png is not None:
            out[(nid, key(f))] = _data_uri(png)
        else:
            left.append(f)
    if not left:
        return ""
    data, why = read_file(path, MAX_SOURCE_BYTES)       # a regular file only, and bounded: it may have changed
    if data is None:
        return _fill(_words().pictures["reopen"], why=why)
    if sha and hashlib.sha256(data).hexdigest() != sha:
        return _words().pictures["changed"]
    try:
        for f, name, png in rendered(data, sha, left, s.rows):
            kept = _crop_path(crop_dir, name) if sha else None
            if kept is not None:
                _keep(kept, png)
            out[(nid, key(f))] = _data_uri(png)
    except Exception as exc:       # a picture is a help, not the finding: the report goes out without it
        return _fill(_words().pictures["render"], why=f"{exc.__class__.__name__}: {exc}")
    return ""


def _spec(f: Finding, s: NoticeSummary, sha: str) -> str:
    return spec(sha, f.page, region(f, s.rows), f.box.as_list())


def _keep(path: Path, png: bytes) -> None:
    try:
        private_folder(path.parent)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(png)
        os.replace(tmp, path)
    except OSError:
        pass   # a crop not kept is only rendered again next time



# ------------------------------------------------------------------------------------------ rendering


class MdSafe(str):
    """Markdown made here (a code span, a rendered part of the report): written as it is."""


# Characters that start Markdown or HTML markup anywhere in a line; each is written with a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>&|~#!])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# Control characters are shown as \x1b …: a document's ESC sequences would retitle or clear the terminal report.md
# is printed in
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Any character one of the three above changes: most values have none, and are written as they are at once.
_MD_CHANGED = re.compile("|".join(p.pattern for p in (_MD_SPECIAL, _LINE_BREAKS, _CONTROLS)))
_BACKTICKS = re.compile(r"`+")


def _shown(text: str, backslash: str) -> str:
    return _CONTROLS.sub(lambda m: f"{backslash}x{ord(m.group()):02x}", text)


def md_escape(value) -> str:
    """A value as Markdown text that shows as it is: markup characters escaped, line breaks made spaces."""
    if isinstance(value, MdSafe):
        return value
    if value is None:
        return ""
    text = str(value)
    if not _MD_CHANGED.search(text):
        return text
    return _shown(_MD_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", text)), "\\\\")


def md_code(value) -> MdSafe:
    """A value as a Markdown code span (shown literally, markup and all): the fence is longer than any run of
    backticks inside it."""
    text = _shown(_LINE_BREAKS.sub(" ", "" if value is None else str(value)), "\\").strip() or " "
    fence = "`" * (max((len(m) for m in _BACKTICKS.findall(text)), default=0) + 1) if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MdSafe(f"{fence}{pad}{text}{pad}{fence}")


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """The templates compiled once and kept beside them, as Python keeps its bytecode in __pycache__: compiling
    both took a tenth of a second of every run. Jinja2 checks each entry against the template's source and its own
    version; the entries' names carry a digest of this module (where the environments' options are set), so a
    change to either compiles afresh. Where the folder cannot be written, templates are compiled in memory."""

    def __init__(self, kind: str):
        digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
        super().__init__(str(TEMPLATES / "__pycache__"), f"{kind}-{digest}-%s.jinja")

    def load_bytecode(self, bucket) -> None:
        """The compiled template, if one is kept (none when the folder cannot be read)."""
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        """Keep the compiled template, if the folder can be written."""
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@lru_cache(maxsize=None)
def _env(kind: str) -> jinja2.Environment:
    """The Jinja2 environment for report.html (autoescaping) or report.md (Markdown escaping on every value)."""
    loader = jinja2.FileSystemLoader(str(TEMPLATES))
    compiled = _CompiledTemplates(kind)
    if kind == "html":
        env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                 keep_trailing_newline=True, bytecode_cache=compiled)
    else:
        env = jinja2.Environment(loader=loader, autoescape=False, finalize=md_escape, trim_blocks=True,
                                 lstrip_blocks=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                                 bytecode_cache=compiled)
        env.filters["code"] = md_code
        env.filters["raw"] = MdSafe        # for the template's own macros, whose values were escaped already
    env.globals.update(_HELPERS)
    return env


def report_md(notices: list[Notice], reviews=None, years: Optional[YearOverYear] = None) -> str:
    """report.md: per notice, its figures and each finding with where it is, and the changes of each region's units
    between consecutive years, as Markdown."""
    return _env("md").get_template("report.md.j2").render(**_context(notices, reviews, years))


def report_html(notices: list[Notice], reviews=None, with_pictures: bool = True,
                crop_dir: Optional[Path] = None, years: Optional[YearOverYear] = None) -> str:
    """report.html: the self-contained review page (pictures of PDF sources unless with_pictures is False), with a
    section per region read in consecutive years: its units' changes and a chart of each unit's target by year."""
    context = _context(notices, reviews, years)
    pics, problems = pictures(context["summaries"], crop_dir) if with_pictures else ({}, {})
    return _env("html").get_template("report.html.j2").render(pics=pics, problems=problems, **context)
