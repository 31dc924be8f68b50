"""The records a notice is made of, in one place: what each stage builds and every later stage only reads.

Every record is a frozen dataclass. A stage makes new records (`dataclasses.replace` for a changed copy) and
never changes one an earlier stage made, so running a stage twice gives the same result, and a record handed to
the writers, the cache or a worker's caller is the one the stages built:

    reader ─► parsers.model.Document
    clean ─► Paragraph          tables ─► TargetTable of Row (with RowEvent: what reading the row noticed)
    notice ─► Facts of Target   checks ─► Finding           reviews ─► Correction, corrected rows, accepted findings
    pipeline ─► Notice (all of the above for one file)

Nothing here does any work; the modules named above do.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields, replace
from typing import Literal, Optional, Union

from parsers.model import Box, Line, Note, PageInfo, Table

from .rules import rules

RowType = Literal["item", "subtotal", "total"]
TableKind = Literal["allocation", "monthly"]
Severity = Literal["error", "warning", "info"]
Status = Literal["final", "draft"]
TargetKind = Literal["headline", "sub", "prose"]
YearSource = Literal["title", "body", "annex", "weekday", "notice-date"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the cleaned text: lines rejoined, spacing and brackets repaired."""

    text: str
    page: Optional[int]
    box: Optional[Box]
    lines: tuple[Line, ...]
    source_index: Optional[int]


@dataclass(frozen=True)
class WebFurniture:
    """A line of a web page's furniture taken out of the page text (the 索引号 panel, a 发布日期 stamp, 打印 and
    关闭 …): not part of the notice's text, but kept, since a publication stamp or a 文号 field may be all the page
    says of them."""

    text: str
    page: Optional[int] = None
    source_index: Optional[int] = None


@dataclass(frozen=True)
class Source:
    """Where a figure or a row is: enough for a finding to point at it and for the report to show it."""

    page: Optional[int] = None
    box: Optional[Box] = None
    text: str = ""                  # the source row as text


@dataclass(frozen=True)
class RowEvent:
    """Something reading a row noticed (a blank explained by a merge, a 序号 inferred, a figure that is not a
    number): the row-events check turns each into a finding."""

    code: str
    field: str
    message: str
    expected: Optional[int] = None


@dataclass(frozen=True)
class Row:
    """One row of a target table or monthly plan, as read: side-by-side lists are unfolded into rows."""

    row_no: int
    row_type: RowType
    org: str
    org_raw: str
    org_note: str = ""
    org_normalized: str = ""        # org in simplified characters, for matching across notices
    seq: Optional[int] = None
    seq_inferred: bool = False
    portions: Optional[int] = None
    value_text: str = ""            # the value cell as printed
    month_from: Optional[int] = None
    month_to: Optional[int] = None
    merged: bool = False            # some cell of the row was filled from a merged cell
    note: str = ""
    group: str = ""                 # the group (片区 …) a merged cell in a group column puts the row in
    source: Source = Source()
    value_source: Source = Source()
    events: tuple[RowEvent, ...] = ()
    value_confidence: Optional[float] = None    # OCR confidence of the figure (None: not read by OCR)
    name_confidence: Optional[float] = None     # OCR confidence of the name

    @property
    def name(self) -> str:
        """The name as printed, for messages."""
        return self.org_raw or self.org or rules().phrases.no_name


@dataclass(frozen=True)
class Unparsed:
    """A figure inside a table region that no column took: quoted by an unparsed-content finding."""

    text: str
    page: Optional[int] = None
    box: Optional[Box] = None


@dataclass(frozen=True)
class TargetTable:
    """A target table (allocation) or a monthly plan read from a grid of the document."""

    table_id: str
    kind: TableKind
    title: str
    annex: str
    unit: str
    rows: tuple[Row, ...]
    page: Optional[int]
    strategy: str
    n_lists: int
    has_seq: bool
    header: tuple[str, ...]
    merges_known: bool
    unparsed: tuple[Unparsed, ...] = ()
    unparsed_more: int = 0                 # figures no column took beyond those kept in `unparsed`: only counted
    value_doubt: tuple[str, ...] = ()      # several columns called targets: (the one read, the others)
    # the whole year's column of a grid whose other columns plan parts of the year (1月 … 12月 | 全年)
    year_of_plan: bool = False
    # for a table read from an annex file of the notice (not its body's file): that file
    source_file: str = ""
    source_format: str = ""
    source_sha256: str = ""

    @property
    def items(self) -> list[Row]:
        """The item rows (not subtotals or totals)."""
        return [r for r in self.rows if r.row_type == "item"]

    @property
    def total_row(self) -> Optional[Row]:
        """The last total row that carries a figure, if any."""
        totals = [r for r in self.rows if r.row_type == "total" and r.portions is not None]
        return totals[-1] if totals else None

    @property
    def allocated(self) -> int:
        """What the table allocates: its stated total, else the sum of its items."""
        total = self.total_row
        return total.portions if total is not None else sum(r.portions or 0 for r in self.items)


@dataclass(frozen=True)
class Target:
    """A target the text states: the headline, a sub-target of it, or the total of an annex (prose)."""

    label: str
    portions: int
    kind: TargetKind
    page: Optional[int] = None
    text: str = ""                 # the sentence it was read from
    unit: str = ""                 # the count word printed after the figure (人份, 人次, 只 …)


@dataclass(frozen=True)
class YearClaim:
    """A year the text gives for the notice's plan, and where it says so: its title, a sentence of the body about
    the plan, an annex's title, the weekday printed with a collection day, or the notice's own date for collection
    days printed without a year."""

    year: int
    source: YearSource
    text: str = ""
    page: Optional[int] = None
    planned: bool = False          # the sentence says what is planned (做好…, 开展…): preferred over others


@dataclass(frozen=True)
class EventDay:
    """A collection day the text names (献血时间：2023年3月18日, 定于5月20日（星期六）), as printed."""

    month: int
    day: int
    year: Optional[int] = None      # None when printed without one
    weekday: Optional[int] = None   # as printed: 0 = Monday … 6 = Sunday
    dated: bool = False             # its clause says it is a collection day (献血时间 …), not only a day
    text: str = ""
    page: Optional[int] = None


@dataclass(frozen=True)
class Facts:
    """The notice's own facts, read from its cleaned text."""

    title: str = ""
    region: str = ""
    year: Optional[int] = None
    doc_number: str = ""
    issuer: str = ""
    signed_on: str = ""
    issued_on: str = ""
    status: Status = "final"
    draft_word: str = ""
    draft_page: Optional[int] = None
    unit_ml: Optional[int] = None
    total_target: Optional[int] = None
    targets: tuple[Target, ...] = ()
    prose_totals: tuple[Target, ...] = ()   # label = the annex the figure is said to total
    published_on: str = ""                  # the page's publication stamp (发布日期 …), never the 成文 date
    target_unit: str = ""                   # the count word the headline is printed in (人份, 人次, 只 …)
    headlines: tuple[Target, ...] = ()      # every statement of a headline target, in text order
    year_claims: tuple[YearClaim, ...] = ()
    events: tuple[EventDay, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A finding is data: a stable kebab-case code, its severity, where it is, the two figures, a message in
    Chinese. Checks yield findings; they never raise."""

    code: str
    message: str
    table_id: str = ""
    row_no: Optional[int] = None
    field: str = ""
    expected: Optional[int] = None
    actual: Optional[int] = None
    page: Optional[int] = None
    box: Optional[Box] = None              # where on its page, for formats with pages
    source_text: str = ""                  # the source row or line as text, for formats without pages
    notice_id: str = ""
    severity: Severity = dataclasses.field(kw_only=True)   # (field: a name of this class)
    key: str = ""                          # with notice_id, the finding's stable id for reviews.toml (base_key)
    reviewed: bool = False                 # accepted by a reviewer in reviews.toml
    review_reason: str = ""                # the reviewer's reason

    def to_dict(self) -> dict:
        """The finding as JSON writes it (the box as a list)."""
        out = {f.name: getattr(self, f.name) for f in _FINDING_FIELDS}
        out["box"] = self.box.as_list() if self.box is not None else None
        return out

    def base_key(self) -> str:
        """code/table/row/field, "-" for what the finding has not. With notice_id it names the finding: the same
        finding gets the same key on every run as long as the document says the same thing there. The notice is
        not part of the key, so a notice read under another name (or from a cache) keeps its keys."""
        return "/".join([self.code, self.table_id or "-", str(self.row_no) if self.row_no else "-", self.field or "-"])


_FINDING_FIELDS = fields(Finding)


@dataclass(frozen=True)
class Correction:
    """A reviewer's correction that took effect: the row's value before and after, and why."""

    table_id: str
    row_no: int
    field: str
    original: Union[int, str, None]
    value: Union[int, str]
    reason: str


def path_text(path: str) -> str:
    """A file's path as the outputs hold it: as it is, but for bytes of a name that are not UTF-8 (Python keeps
    them as lone surrogates, which no UTF-8 file, JSON or database can hold), written as \\xff."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class Notice:
    """One input file, read: its facts, tables, cleaned text and findings; or why it could not be read."""

    notice_id: str
    source_file: str
    source_sha256: str
    format: str = ""
    encoding: str = ""
    facts: Facts = Facts()
    tables: tuple[TargetTable, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    pages: tuple[PageInfo, ...] = ()
    repairs: dict[str, int] = field(default_factory=dict)              # repair kind -> how many times
    repair_pages: dict[str, Optional[int]] = field(default_factory=dict)   # repair kind -> first page
    findings: tuple[Finding, ...] = ()
    unrecognised: tuple[Table, ...] = ()   # tables with figures but no header we know
    corrections: tuple[Correction, ...] = ()
    error: str = ""                        # why the file could not be read; empty when it was
    reader_notes: tuple[Note, ...] = ()    # what the readers skipped or did (a hidden sheet, a conversion, OCR)
    annex_files: tuple[str, ...] = ()      # the notice's annexes read from files of their own
    annex_errors: tuple[tuple[str, str], ...] = ()   # (annex file, why it could not be read)
    alone_annex: str = ""                  # an annex file read on its own: no-body, or ambiguous (several bodies)
    # pictures.spec -> PNG of a finding's printed row: renderings kept for the report, not what the notice says (a
    # notice read with a reviewer's decisions applied in the pipeline or after it is the same notice)
    pictures: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    @property
    def readable(self) -> bool:
        """Was the file read?"""
        return not self.error

    def count(self, severity: Severity) -> int:
        """How many findings of one severity."""
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def anomaly_count(self) -> int:
        """Findings of severity error or warning."""
        return self.count("error") + self.count("warning")

    def named(self, notice_id: str, source_file: str) -> "Notice":
        """The same notice under another file's names (the same bytes read under another name, or cached)."""
        return replace(self, notice_id=notice_id, source_file=path_text(source_file),
                       findings=tuple(replace(f, notice_id=notice_id) for f in self.findings))
