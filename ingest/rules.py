"""rules.toml, loaded once into a checked, typed object with its patterns compiled, and the small helpers every
stage uses to apply it (squeeze, header_role, row_kind, month_number …).

The file is checked at load: a missing or unknown key, a value of the wrong type or a pattern that does not
compile is a RulesError naming the key, so a typo in a synonym list fails the first run rather than silently
matching nothing.
"""
from __future__ import annotations

import string
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Optional

import regex as re

PATH = Path(__file__).with_name("rules.toml")
Pattern = Any        # a compiled pattern of the regex module

ROLES = ("month", "seq", "value", "note", "group", "name")


class RulesError(ValueError):
    """rules.toml cannot be used as written; the message names the key."""


@dataclass(frozen=True)
class HeaderRules:
    """The header words, by the column role (month, seq, value, note, group, name) each gives."""

    roles: tuple[tuple[str, tuple[str, ...]], ...]     # (role, words) in the order they are tried

    def words(self, role: str) -> tuple[str, ...]:
        """The words that give `role`."""
        return dict(self.roles)[role]


@dataclass(frozen=True)
class ColumnRules:
    """Header words of columns whose figures are not the year's targets (last year's, rates, contacts); the shape of
    a cell that is a labelled field (填报单位：…), which names no column."""

    other: tuple[str, ...]
    field: Pattern
    level: tuple[str, ...]          # a header that is, exactly, a level of units (镇, 村, 系统): a name column


@dataclass(frozen=True)
class UnitRules:
    """Count words and what one of each is in portions; the volume words and the default unit size."""

    default: str
    count: dict[str, int]           # count word -> portions it stands for
    ml: tuple[str, ...]             # volume words
    default_ml: int
    stated: tuple[Pattern, ...]          # where a header or a field states the unit (group 1)


@dataclass(frozen=True)
class NumberRules:
    """How figures and Chinese numerals are written: digits, ten, 万, count-word suffixes, months, measure words."""

    digits: dict[str, int]
    ten: str
    wan: str
    wan_value: int
    unit_suffix: Pattern
    month: Pattern
    measure_words: str
    misread_figure: Pattern          # fullmatch: a figure with a letter for a digit (1O0)
    none_marks: tuple[str, ...]      # a value cell marking no target (—, /, 无)
    minimum_before: tuple[str, ...]  # ≥, 不少于 … before a figure that is a minimum
    minimum_after: tuple[str, ...]   # 以上 … after it
    figure_note: Pattern             # fullmatch: a figure then a bracketed note (groups figure, note)


@dataclass(frozen=True)
class DocumentRules:
    """Headings, page furniture, the end of a sentence, closing quotes and the month names."""

    heading: Pattern                # any heading pattern, anchored at the start
    furniture: Pattern              # any page-furniture pattern, for fullmatch
    terminal_punctuation: str
    closing_quotes: str
    months: tuple[str, ...]


@dataclass(frozen=True)
class CleanRules:
    """The patterns of the cleaning stage: spacing, damaged 文号 forms, title and date lines, web furniture."""

    space: Pattern                  # spaces next to a character Chinese typesetting never spaces
    docno_damaged: Pattern
    title_line: Pattern
    title_max_chars: int
    date_line: Pattern
    bracket_line: Pattern
    docno_bare: Pattern             # a line that is only a 文号 whose brackets were lost or half lost
    docno_half: Pattern             # a 文号 in a sentence with one bracket lost
    docno_hao: str
    docno_marks: str                # docno_damaged and docno_half each end with one of these
    web_bullet: Pattern
    web_only: frozenset             # words a tool-bar line is made of
    web_only_separators: Pattern
    web_starts: tuple[str, ...]     # labels that start a metadata, stamp or navigation line
    web_patterns: Pattern           # furniture lines by their shape (index codes, breadcrumbs, time stamps)
    web_panel_starts: tuple[str, ...]


@dataclass(frozen=True)
class NoticeRules:
    """The patterns that read the notice's facts: title, 文号, dates, region, issuer, plan year, headline."""

    title: Pattern                  # a title with 关于, for fullmatch
    title_line: Pattern             # a whole title line: issuer?, title (with 关于 or plain), publication stamp?
    title_max_lines: int
    title_start: str
    cited_title: Pattern            # 《关于…》 not followed by a citation's 文号 (its group 1 must be a title)
    cited_title_words: tuple[str, ...]
    title_year: Pattern
    region: Pattern
    region_before_year: Pattern
    issuer_region: Pattern
    issuer_government: Pattern
    body_year: Pattern
    annex_line: Pattern
    plan_verbs: tuple[str, ...]
    event_day: Pattern
    weekday: Pattern
    weekday_names: tuple[str, ...]
    weekday_sunday: str
    event_words: tuple[str, ...]
    event_words_after: tuple[str, ...]
    deadline_words: tuple[str, ...]
    own_docno: Pattern
    meta_docno: Pattern
    date: Pattern                   # any printed date: groups 1-3 are year, month, day (branch reset)
    printed_word: str
    issuer: Pattern
    stamp: Pattern                  # a publication stamp's label, then the date
    signed_field: Pattern           # a 成文日期 field's label, then the date
    body_marks: str
    unit_ml: Pattern
    headline: tuple[Pattern, ...]   # each: figure (1), 万 (2), count word (3)
    headline_units: tuple[str, ...]
    headline_ml: tuple[str, ...]
    distributive_words: tuple[str, ...]
    whole_words: tuple[str, ...]
    headline_label: str
    subtargets_word: str
    sentence_end: Pattern
    clause_marks: Pattern
    clause_end: Pattern
    subtarget_separator: Pattern
    subtarget: Pattern
    subtarget_prefix: Pattern
    annex_total: Pattern
    annex_label: Pattern
    annex_word: str
    annex_title_max_chars: int
    sentence_stop: str


@dataclass(frozen=True)
class TextTableRules:
    """Tables printed as lines of text, and allocations written as one sentence or as a list of paragraphs."""

    cell_separators: str
    rule_chars: str
    pinyin_debris: Pattern
    seq_cell: Pattern
    name_seq_prefix: Pattern         # a name cell starting with its number (1.甲镇): groups 1 or 2
    max_header_lines: int
    max_header_chars: int
    max_name_pieces: int
    max_stream_cells: int
    sentence_list_start: Pattern
    sentence_item: Pattern
    sentence_item_separators: str
    sentence_end: str
    sentence_min_items: int
    sentence_not_after: tuple[str, ...]
    sentence_labels: tuple[str, ...]
    line_item: Pattern
    line_list_heading_chars: int
    group_seq_cell: Pattern


@dataclass(frozen=True)
class FindingRule:
    """A finding code: its severity and its message template, with a note per situation where it has several."""

    severity: str
    message: str
    notes: dict[str, str]


@dataclass(frozen=True)
class Phrases:
    """Words the findings' messages put together: a nameless row, separators, field names, decisions."""

    no_name: str
    list_separator: str
    plus: str
    field_names: dict[str, str]
    decision: str
    decision_row: str
    decision_org: str
    reasons: dict[str, str]
    weekday_prefix: str
    quote_chars: int
    ocr_doubt: str


@dataclass(frozen=True)
class ReportWords:
    """The review report's words that its code puts together (templates with {value} fields)."""

    title: str
    severities: dict[str, str]
    kinds: dict[str, str]
    formats: dict[str, str]
    unknown_format: str
    checks: dict[str, str]
    row_kinds: dict[str, str]
    where: dict[str, str]
    figures: dict[str, str]
    cell: dict[str, str]
    columns: dict[str, str]
    pictures: dict[str, str]


@dataclass(frozen=True)
class ChangeRules:
    """Year over year: when a unit's move is a finding, when two years are one series, renames, and the words."""

    moved_share: float
    min_shared: float
    renames: tuple[tuple[str, str], ...]     # (old, new) parts of a name, squeezed
    match_names: dict[str, str]
    certainty: dict[str, str]
    status_names: dict[str, str]


@dataclass(frozen=True)
class FileRules:
    """How the files of one notice are told apart: the words an annex file's name carries."""

    annex_words: tuple[str, ...]
    annex_separators: str


@dataclass(frozen=True)
class PeriodRules:
    """Header words and patterns naming the part of the year a column plans for."""

    words: dict[str, tuple[int, int]]
    span: Pattern
    month: Pattern
    year_words: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    """Everything in rules.toml, checked and compiled: what every stage matches and writes."""

    header: HeaderRules
    columns: ColumnRules
    total_words: tuple[str, ...]
    subtotal_words: tuple[str, ...]
    subtotal_named: Pattern
    total_in_cell: Pattern
    part_words: tuple[str, ...]     # a row label starting with one is a part of the row above (其中：…)
    units: UnitRules
    numbers: NumberRules
    draft_words: tuple[str, ...]
    document: DocumentRules
    clean: CleanRules
    notice: NoticeRules
    org_note: Pattern
    text_tables: TextTableRules
    org_suffix: Pattern
    target_label_words: Pattern
    table_title_year: Pattern
    unparsed_cells: int             # unparsed-content cell findings per table at most; the rest are counted in one
    low_confidence: float
    repairs: dict[str, str]
    phrases: Phrases
    findings: dict[str, FindingRule]
    report: ReportWords
    files: FileRules
    periods: PeriodRules
    changes: ChangeRules


# --------------------------------------------------------------------------------------------- loading


class _Section:
    """One table of the TOML file, read key by key: every key must be read, none may be missing."""

    def __init__(self, data: dict, name: str, parts: dict[str, str]):
        if not isinstance(data.get(name), dict):
            raise RulesError(f"rules.toml: [{name}] is missing")
        self.data, self.name, self.parts, self.used = data[name], name, parts, set()

    def _get(self, key: str, kind: type):
        if key not in self.data:
            raise RulesError(f"rules.toml: [{self.name}] {key} is missing")
        self.used.add(key)
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise RulesError(f"rules.toml: [{self.name}] {key} must be {kind.__name__}, not {value!r}")
        return value

    def text(self, key: str) -> str:
        """A text value."""
        return self._get(key, str)

    def number(self, key: str) -> int:
        """A whole-number value."""
        return self._get(key, int)

    def fraction(self, key: str) -> float:
        """A number, whole or not."""
        return self._get(key, float)

    def words(self, key: str) -> tuple[str, ...]:
        """A non-empty list of non-empty words."""
        value = self._get(key, list)
        if not value or not all(isinstance(w, str) and w for w in value):
            raise RulesError(f"rules.toml: [{self.name}] {key} must be a list of words")
        return tuple(value)

    def table(self, key: str, kind: type) -> dict:
        """A table whose values are all of `kind`."""
        value = self._get(key, dict)
        for k, v in value.items():
            if not isinstance(v, kind) or isinstance(v, bool):
                raise RulesError(f"rules.toml: [{self.name}] {key}.{k} must be {kind.__name__}, not {v!r}")
        return dict(value)

    def pattern(self, key: str, flags: int = 0) -> Pattern:
        """A pattern, its {part}s filled in, compiled."""
        return compile_pattern(self.text(key), f"[{self.name}] {key}", self.parts, flags)

    def done(self) -> None:
        """Refuse any key of the section that nothing read (a typo would otherwise be ignored)."""
        unknown = set(self.data) - self.used
        if unknown:
            raise RulesError(f"rules.toml: [{self.name}] unknown key {', '.join(sorted(unknown))}")


_PART = re.compile(r"\{([a-z_]+)\}")


def compile_pattern(text: str, where: str, parts: dict[str, str], flags: int = 0) -> Pattern:
    """A pattern with its {part} references filled in, compiled; a RulesError naming `where` if it is bad."""
    def part(m):
        if m.group(1) not in parts:
            raise RulesError(f"rules.toml: {where}: unknown part {{{m.group(1)}}}")
        return parts[m.group(1)]

    try:
        return re.compile(_PART.sub(part, text), flags)
    except re.error as exc:
        raise RulesError(f"rules.toml: {where}: not a valid pattern ({exc})") from None


def load(path: Path = PATH) -> Rules:
    """Read and check a rules file. Raises RulesError naming the first key that is wrong."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RulesError(f"{path}: cannot be read: {exc}") from None
    known = {"parts", "header", "columns", "rows", "units", "numbers", "status", "document", "clean", "notice", "tables",
             "text_tables", "checks", "ocr", "repairs", "phrases", "findings", "report", "files", "changes", "periods"}
    unknown = set(data) - known
    if unknown:
        raise RulesError(f"rules.toml: unknown section {', '.join(sorted(unknown))}")
    parts_section = _Section(data, "parts", {})
    parts = {k: parts_section.text(k) for k in list(parts_section.data)}
    parts_section.done()
    read = lambda name: _Section(data, name, parts)   # noqa: E731
    rules = Rules(header=_header(read("header")), columns=_columns(read("columns")),
                  **_rows(read("rows")), units=_units(read("units")),
                  numbers=_numbers(read("numbers")), draft_words=_one(read("status"), "words", "draft"),
                  document=_document(read("document")), clean=_clean(read("clean")), notice=_notice(read("notice")),
                  org_note=_one(read("tables"), "pattern", "org_note"),
                  text_tables=_text_tables(read("text_tables")), **_checks(read("checks")),
                  low_confidence=_one(read("ocr"), "fraction", "low_confidence"), repairs=_repairs(read("repairs")),
                  phrases=_phrases(read("phrases")), findings=_findings(data.get("findings")),
                  report=_report(read("report")), files=_files(read("files")), changes=_changes(read("changes")),
                  periods=_periods(read("periods")))
    if not 0 < rules.low_confidence < 1:
        raise RulesError("rules.toml: [ocr] low_confidence must be between 0 and 1")
    return rules


def _one(section: _Section, kind: str, key: str):
    value = getattr(section, kind)(key)
    section.done()
    return value


def _header(s: _Section) -> HeaderRules:
    if set(s.data) != set(ROLES):
        raise RulesError(f"rules.toml: [header] must name the roles {', '.join(ROLES)}")
    roles = tuple((role, s.words(role)) for role in s.data)     # the file's order is the order tried
    s.done()
    return HeaderRules(roles=roles)


def _columns(s: _Section) -> ColumnRules:
    out = ColumnRules(other=s.words("other"), field=s.pattern("field"), level=s.words("level"))
    s.done()
    return out


def _rows(s: _Section) -> dict:
    out = dict(total_words=s.words("total"), subtotal_words=s.words("subtotal"),
               subtotal_named=s.pattern("subtotal_named"), total_in_cell=s.pattern("total_in_cell"),
               part_words=s.words("part_words"))
    s.done()
    return out


def _units(s: _Section) -> UnitRules:
    stated = tuple(compile_pattern(p, f"[units] stated {p!r}", s.parts) for p in s.words("stated"))
    out = UnitRules(default=s.text("default"), count=s.table("count", int), ml=s.words("ml"),
                    default_ml=s.number("default_ml"), stated=stated)
    s.done()
    return out


def _numbers(s: _Section) -> NumberRules:
    out = NumberRules(digits=s.table("digits", int), ten=s.text("ten"), wan=s.text("wan"),
                      wan_value=s.number("wan_value"), unit_suffix=s.pattern("unit_suffix"),
                      month=s.pattern("month"), measure_words=s.text("measure_words"),
                      misread_figure=s.pattern("misread_figure"), none_marks=s.words("none_marks"),
                      minimum_before=s.words("minimum_before"), minimum_after=s.words("minimum_after"),
                      figure_note=s.pattern("figure_note"))
    s.done()
    return out


def _document(s: _Section) -> DocumentRules:
    heading = s.words("heading_patterns")
    furniture = s.words("page_furniture")
    for i, p in enumerate(heading + furniture):
        compile_pattern(p, f"[document] pattern {p!r}", s.parts)
    out = DocumentRules(heading=compile_pattern("|".join(heading), "[document] heading_patterns", s.parts),
                        furniture=compile_pattern("|".join(f"(?:{p})" for p in furniture),
                                                  "[document] page_furniture", s.parts),
                        terminal_punctuation=s.text("terminal_punctuation"),
                        closing_quotes=s.text("closing_quotes"), months=s.words("months"))
    if len(out.months) != 12:
        raise RulesError("rules.toml: [document] months must name the twelve months")
    s.done()
    return out


def _clean(s: _Section) -> CleanRules:
    tight = s.text("tight")
    # the second branch only from the start of a run of spaces: tried from inside one, a long run with no tight
    # character after it costs its square (a + 40,000 spaces + b: 73 s)
    space = compile_pattern(rf"(?<={tight})[ \t\u3000\u00a0]+|(?<![ \t\u3000\u00a0])[ \t\u3000\u00a0]+(?={tight})",
                            "[clean] tight",
                            s.parts)
    web_patterns = s.words("web_patterns")
    for p in web_patterns:
        compile_pattern(p, f"[clean] web_patterns {p!r}", s.parts)
    out = CleanRules(space=space, docno_damaged=s.pattern("docno_damaged"), title_line=s.pattern("title_line"),
                     title_max_chars=s.number("title_max_chars"), date_line=s.pattern("date_line"),
                     bracket_line=s.pattern("bracket_line"), docno_bare=s.pattern("docno_bare"),
                     docno_half=s.pattern("docno_half"), docno_hao=s.text("docno_hao"),
                     docno_marks=s.text("docno_marks"),
                     web_bullet=s.pattern("web_bullet"),
                     web_only=frozenset(s.words("web_only")), web_only_separators=s.pattern("web_only_separators"),
                     web_starts=s.words("web_starts"),
                     web_patterns=compile_pattern("|".join(f"(?:{p})" for p in web_patterns), "[clean] web_patterns",
                                                  s.parts),
                     web_panel_starts=s.words("web_panel_starts"))
    s.done()
    return out


def _notice(s: _Section) -> NoticeRules:
    units, ml = s.words("headline_units"), s.words("headline_ml")
    # the count words as one group, longest first (人份 before 人)
    parts = dict(s.parts, unit="(" + "|".join(re.escape(w) for w in sorted(units + ml, key=len, reverse=True)) + ")")
    title, plain = s.text("title"), s.text("title_plain")
    title_line = compile_pattern(f"(?:(?P<issuer>{s.text('title_issuer')})?(?P<title>{title})|(?P<plain>{plain}))"
                                 f"(?:{s.text('title_stamp')})?",
                                 "[notice] title, title_plain, title_issuer, title_stamp", parts)
    cited = compile_pattern(f"{s.text('cited_title')}(?!{s.text('cited_docno_after')})",
                            "[notice] cited_title, cited_docno_after", parts)
    dates = s.words("dates")
    for d in dates:
        compile_pattern(d, f"[notice] dates {d!r}", parts)
    date = compile_pattern("(?|" + "|".join(f"(?:{d})" for d in dates) + ")", "[notice] dates", parts)
    date_text = date.pattern
    headline = tuple(compile_pattern(h, f"[notice] headline {h!r}", parts) for h in s.words("headline"))
    out = NoticeRules(
        title=compile_pattern(title, "[notice] title", parts), title_line=title_line,
        title_max_lines=s.number("title_max_lines"), title_start=s.text("title_start"), cited_title=cited,
        cited_title_words=s.words("cited_title_words"), title_year=s.pattern("title_year"),
        region=s.pattern("region"), region_before_year=s.pattern("region_before_year"),
        issuer_region=s.pattern("issuer_region"), issuer_government=s.pattern("issuer_government"),
        body_year=s.pattern("body_year"), annex_line=s.pattern("annex_line"), plan_verbs=s.words("plan_verbs"),
        event_day=s.pattern("event_day"),
        weekday=s.pattern("weekday"), weekday_names=s.words("weekday_names"),
        weekday_sunday=s.text("weekday_sunday"), event_words=s.words("event_words"),
        event_words_after=s.words("event_words_after"), deadline_words=s.words("deadline_words"),
        own_docno=s.pattern("own_docno"), meta_docno=s.pattern("meta_docno"), date=date,
        printed_word=s.text("printed_word"), issuer=s.pattern("issuer"),
        stamp=compile_pattern(s.text("stamp") + date_text, "[notice] stamp", parts),
        signed_field=compile_pattern(s.text("signed_field") + date_text, "[notice] signed_field", parts),
        body_marks=s.text("body_marks"), unit_ml=s.pattern("unit_ml"), headline=headline, headline_units=units,
        headline_ml=ml, distributive_words=s.words("distributive_words"),
        whole_words=s.words("whole_words"), headline_label=s.text("headline_label"),
        subtargets_word=s.text("subtargets_word"), sentence_end=s.pattern("sentence_end"),
        clause_marks=s.pattern("clause_marks"), clause_end=s.pattern("clause_end"),
        subtarget_separator=s.pattern("subtarget_separator"),
        subtarget=s.pattern("subtarget"), subtarget_prefix=s.pattern("subtarget_prefix"),
        annex_total=s.pattern("annex_total"), annex_label=s.pattern("annex_label"), annex_word=s.text("annex_word"),
        annex_title_max_chars=s.number("annex_title_max_chars"), sentence_stop=s.text("sentence_stop"))
    if len(out.weekday_names) != 7:
        raise RulesError("rules.toml: [notice] weekday_names must name the seven days, Monday first")
    s.done()
    return out


def _text_tables(s: _Section) -> TextTableRules:
    out = TextTableRules(
        cell_separators=s.text("cell_separators"), rule_chars=s.text("rule_chars"),
        pinyin_debris=s.pattern("pinyin_debris"), seq_cell=s.pattern("seq_cell"), name_seq_prefix=s.pattern("name_seq_prefix"),
        max_header_lines=s.number("max_header_lines"),
        max_header_chars=s.number("max_header_chars"), max_name_pieces=s.number("max_name_pieces"),
        max_stream_cells=s.number("max_stream_cells"), sentence_list_start=s.pattern("sentence_list_start"),
        sentence_item=s.pattern("sentence_item"), sentence_item_separators=s.text("sentence_item_separators"),
        sentence_end=s.text("sentence_end"), sentence_min_items=s.number("sentence_min_items"),
        sentence_not_after=s.words("sentence_not_after"), sentence_labels=s.words("sentence_labels"),
        line_item=s.pattern("line_item"), line_list_heading_chars=s.number("line_list_heading_chars"),
        group_seq_cell=s.pattern("group_seq_cell"))
    if min(out.max_header_lines, out.max_header_chars, out.max_name_pieces, out.max_stream_cells,
           out.sentence_min_items, out.line_list_heading_chars) < 1:
        raise RulesError("rules.toml: [text_tables] limits must be positive")
    s.done()
    return out


def _checks(s: _Section) -> dict:
    out = dict(org_suffix=s.pattern("org_suffix"), target_label_words=s.pattern("target_label_words"),
               table_title_year=s.pattern("title_year"), unparsed_cells=s.number("unparsed_cells"))
    s.done()
    if out["unparsed_cells"] < 1:
        raise RulesError("rules.toml: [checks] unparsed_cells must be at least 1")
    return out


def _repairs(s: _Section) -> dict[str, str]:
    out = {key: s.text(key) for key in list(s.data)}
    s.done()
    return out


def _phrases(s: _Section) -> Phrases:
    out = Phrases(no_name=s.text("no_name"), list_separator=s.text("list_separator"), plus=s.text("plus"),
                  field_names=s.table("field_names", str), decision=_template(s.text("decision"), "decision"),
                  decision_row=_template(s.text("decision_row"), "decision_row"),
                  decision_org=_template(s.text("decision_org"), "decision_org"), reasons=s.table("reasons", str),
                  weekday_prefix=s.text("weekday_prefix"), quote_chars=s.number("quote_chars"),
                  ocr_doubt=_template(s.text("ocr_doubt"), "ocr_doubt"))
    s.done()
    return out


def _report(s: _Section) -> ReportWords:
    tables = {name: s.table(name, str) for name in ("severities", "kinds", "formats", "checks", "row_kinds", "where",
                                                    "figures", "cell", "columns", "pictures")}
    for name, table in tables.items():
        for key, text in table.items():
            _template(text, f"[report] {name}.{key}")
    out = ReportWords(title=s.text("title"), unknown_format=s.text("unknown_format"), **tables)
    s.done()
    return out


def _periods(s: _Section) -> PeriodRules:
    words = {}
    for word, span in s.table("words", list).items():
        if len(span) != 2 or not all(isinstance(m, int) and 1 <= m <= 12 for m in span) or span[0] > span[1]:
            raise RulesError(f"rules.toml: [periods] words.{word} must be [first month, last month]")
        words[word] = (span[0], span[1])
    out = PeriodRules(words=words, span=s.pattern("span"), month=s.pattern("month"), year_words=s.words("year_words"))
    s.done()
    return out


def _files(s: _Section) -> FileRules:
    out = FileRules(annex_words=s.words("annex_words"), annex_separators=s.text("annex_separators"))
    s.done()
    return out


MATCHES = ("name", "rename-rule", "same-place", "same-slot")
STATUSES = ("changed", "new", "dropped", "renamed")


def _changes(s: _Section) -> ChangeRules:
    renames = s._get("renames", list)
    if not all(isinstance(r, list) and len(r) == 2 and all(isinstance(w, str) and w for w in r) and r[0] != r[1]
               for r in renames):
        raise RulesError("rules.toml: [changes] renames must be a list of [old, new] pairs of different words")
    out = ChangeRules(moved_share=s.fraction("moved_share"), min_shared=s.fraction("min_shared"),
                      renames=tuple((squeeze(old), squeeze(new)) for old, new in renames),
                      match_names=s.table("match_names", str), certainty=s.table("certainty", str),
                      status_names=s.table("status_names", str))
    for name, table, keys in (("match_names", out.match_names, MATCHES), ("certainty", out.certainty, MATCHES),
                              ("status_names", out.status_names, STATUSES)):
        if set(table) != set(keys):
            raise RulesError(f"rules.toml: [changes] {name} must name exactly {', '.join(keys)}")
    if set(out.certainty.values()) - {"sure", "likely"}:
        raise RulesError("rules.toml: [changes] certainty must be sure or likely")
    if not (out.moved_share > 0 and 0 < out.min_shared <= 1):
        raise RulesError("rules.toml: [changes] moved_share must be over 0 and min_shared between 0 and 1")
    s.done()
    return out


SEVERITIES = ("error", "warning", "info")


def _findings(data) -> dict[str, FindingRule]:
    if not isinstance(data, dict) or not data:
        raise RulesError("rules.toml: [findings] is missing")
    out = {}
    for code, entry in data.items():
        where = f"[findings.{code}]"
        if not isinstance(entry, dict) or set(entry) - {"severity", "message", "notes"}:
            raise RulesError(f"rules.toml: {where} takes severity, message and notes only")
        if entry.get("severity") not in SEVERITIES:
            raise RulesError(f"rules.toml: {where} severity must be one of {', '.join(SEVERITIES)}")
        notes = entry.get("notes", {})
        if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
            raise RulesError(f"rules.toml: {where} notes must be a table of texts")
        message = _template(entry.get("message"), where)
        if ("{note}" in message) != bool(notes):
            raise RulesError(f"rules.toml: {where} has notes exactly when its message has {{note}}")
        out[code] = FindingRule(severity=entry["severity"], message=message,
                                notes={k: _template(v, f"{where} notes.{k}") for k, v in notes.items()})
    return out


_FORMATTER = string.Formatter()


def _template(text, where: str) -> str:
    """A message template: text with {name} fields only (no format specs, no attribute or item access)."""
    if not isinstance(text, str) or not text:
        raise RulesError(f"rules.toml: {where}: a message template is required")
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in _FORMATTER.parse(text) if name is not None]
    except ValueError as exc:
        raise RulesError(f"rules.toml: {where}: not a valid template ({exc})") from None
    for name, spec, conv in fields:
        if not name.isidentifier() or spec or conv:
            raise RulesError(f"rules.toml: {where}: {{{name}}} must be a plain name")
    return text


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The rules of ingest/rules.toml, loaded and checked on first use."""
    return load()


# --------------------------------------------------------------------------------------------- helpers


_FULLWIDTH = str.maketrans({"(": "（", ")": "）", "[": "［", "]": "］", ",": "，", ":": "：", ";": "；"})


@lru_cache(maxsize=1)
def _t2s() -> dict[int, str]:
    """Traditional → simplified, character by character (OpenCC's character table, the first simplified form of
    each): a str.translate table, so a long text converts at C speed and keeps its length and offsets."""
    table: dict[int, str] = {}
    for line in (files("opencc") / "dictionary" / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0] if simp else ""
        if len(trad) == 1 and len(first) == 1:
            table[ord(trad)] = first
    return table


def simplified(text: str) -> str:
    """Text in simplified characters, for matching only: outputs keep what the document printed."""
    if not text or text.isascii():
        return text
    return text.translate(_t2s())


_SPACE_RE = re.compile(r"\s+")
# Only short texts (names, labels, lines) are worth remembering; a long paragraph is converted once.
_CACHED_LEN = 256


def without_debris(text: str) -> str:
    """Text without the pinyin a web page printed after some characters (社區(qū) → 社區): names as keys."""
    if not text or ("(" not in text and "（" not in text):
        return text
    return rules().text_tables.pinyin_debris.sub("", text)


def normalized_name(text: str) -> str:
    """A name as printed, in simplified characters and without pinyin debris: the key that matches its other
    printings (社區(qū) and 社区)."""
    return simplified(without_debris(text))


def _squeeze(text: str) -> str:
    t = unicodedata.normalize("NFKC", simplified(without_debris(text or "")))
    t = _SPACE_RE.sub("", t)
    return t.translate(_FULLWIDTH)


_squeeze_cached = lru_cache(maxsize=65536)(_squeeze)


def squeeze(text: str) -> str:
    """A cell or label as a key: simplified, NFKC digits/letters, no whitespace, full-width brackets."""
    if text and len(text) > _CACHED_LEN:
        return _squeeze(text)
    return _squeeze_cached(text)


_DIGITS_ONLY = re.compile(r"[\d，,.]+")


def header_role(text: str) -> Optional[str]:
    """The role (seq, name, value, month, note, group) a header cell's text gives its column, or None."""
    key = squeeze(text)
    if not key or _DIGITS_ONLY.fullmatch(key):
        return None
    r = rules()
    if r.columns.field.match(key):
        return None          # 填报单位：某局, 单位：人份: a field and its value above a table, not a column's name
    if any(w in key for w in r.columns.other):
        return "note"        # last year's figures, rates, contacts: notes beside the target, never the target
    if key in r.columns.level:
        return "name"        # 镇 | 村, 系统 | 单位: a level of units, named by one word (matched whole, never inside)
    for role, words in r.header.roles:
        for w in words:
            if w in key and (role != "seq" or key.startswith(w)) and len(key) <= len(w) + 12:
                return role
    return None


def period_of(text: str) -> Optional[tuple[int, int]]:
    """The months (first, last) a header cell says its column plans for: 上半年 (1, 6), 三季度 (7, 9),
    1-3月 (1, 3), 5月 (5, 5); None for any other header."""
    key = squeeze(text)
    p = rules().periods
    for word, span in p.words.items():
        if word in key:
            return span
    m = p.span.match(key)
    if m:
        first, last = cn_number(m.group(1)), cn_number(m.group(2))
        return (first, last) if first and last and 1 <= first <= last <= 12 else None
    m = p.month.match(key)
    if m:
        month = cn_number(m.group(1))
        return (month, month) if month and 1 <= month <= 12 else None
    return None


_TRAILING_BRACKET = re.compile(r"（[^）]*）$")


def row_kind(text: str) -> Optional[str]:
    """'total' or 'subtotal' when a label is one of the total words (optionally with a unit in brackets)."""
    key = _TRAILING_BRACKET.sub("", squeeze(text))
    r = rules()
    if key in r.total_words:
        return "total"
    if key in r.subtotal_words or r.subtotal_named.fullmatch(key):
        return "subtotal"
    return None


def is_draft_word(text: str) -> Optional[str]:
    """The draft word (代拟稿 …) a text contains, if any."""
    text = simplified(text)
    return next((w for w in rules().draft_words if w in text), None)


def heading_re() -> Pattern:
    """The pattern any numbered heading (一、（一）1. 附件 …) matches at the start of a line."""
    return rules().document.heading


def furniture_re() -> Pattern:
    """The pattern a page-furniture line (a page number, 第 2 页 共 7 页) fullmatches."""
    return rules().document.furniture


# Longer than this, a run of digits is not read as a figure (a cell with one is reported): Python refuses to turn
# strings of thousands of digits into numbers, and no count of blood donations has a thousand digits.
MAX_FIGURE_CHARS = 1000


def cn_number(text: str) -> Optional[int]:
    """一 → 1, 十二 → 12, 二十三 → 23; digits pass through; None for anything else, and for a run of more than
    MAX_FIGURE_CHARS digits."""
    t = squeeze(text)
    if len(t) > MAX_FIGURE_CHARS:
        return None
    if t.isdigit():
        return int(t)
    n = rules().numbers
    if not t or any(ch not in n.digits and ch != n.ten for ch in t):
        return None
    if n.ten in t:
        tens, _, ones = t.partition(n.ten)
        if n.ten in ones or len(tens) > 1 or len(ones) > 1:
            return None
        return (n.digits[tens] if tens else 1) * 10 + (n.digits[ones] if ones else 0)
    return int("".join(str(n.digits[ch]) for ch in t))


def month_number(text: str) -> Optional[int]:
    """三月, 3月, 十二月份 → 3, 3, 12; anything else → None."""
    m = rules().numbers.month.fullmatch(squeeze(text))
    if not m:
        return None
    n = cn_number(m.group(1))
    return n if n and 1 <= n <= 12 else None


def month_name(m: Optional[int]) -> str:
    """12 → 十二月; '?' for an unknown month."""
    return rules().document.months[m - 1] if m is not None and 1 <= m <= 12 else "?"


def unit_factor(unit: str) -> Optional[int]:
    """Portions one count word stands for (万人份 → 10000), None for a word that is not a count unit."""
    return rules().units.count.get(unit)
