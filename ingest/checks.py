"""Every check: a notice's records in, findings out. One registry (CHECKS); a new check is one function and one
line, and its code and message template one entry in rules.toml [findings].

The checks compare figures the document states with each other (items with totals, sub-targets with the
headline, a monthly plan with the targets it schedules); none knows a figure of its own. They only read the
records, so running them twice gives the same findings.
"""
from __future__ import annotations

import datetime
import math
from collections import defaultdict
from typing import Iterator, Optional

from .findings import make
from .notice import target_key
from .planyear import disagreement
from .records import Finding, Notice, Row, TargetTable
from .rules import cn_number, rules


def _at(row: Row, table: TargetTable, value: bool = False) -> dict:
    """Where a row's finding is: the table, the row, its page and box (the value cell's, for a figure)."""
    src = row.value_source if value and row.value_source.box else row.source
    return dict(table_id=table.table_id, row_no=row.row_no, page=src.page, box=src.box, source_text=row.source.text)


def check_row_events(n: Notice) -> Iterator[Finding]:
    """What reading each row noticed: merged and blank cells, figures that are not numbers, inferred 序号."""
    for t in n.tables:
        for row in t.rows:
            for e in row.events:
                yield make(e.code, field=e.field, note_text=e.message, name=row.name, expected=e.expected,
                           actual=row.portions if e.code == "merged-cell" else None,
                           **_at(row, t, value=(e.field == "portions")))


def check_seq(n: Notice) -> Iterator[Finding]:
    """序号 that repeat, skip or go back (a missing one is a row event of the table stage)."""
    for t in n.tables:
        if not t.has_seq:
            continue
        seen: dict[int, Row] = {}
        prev = None
        for row in t.items:
            if row.seq is None:
                continue
            if row.seq in seen:
                yield make("seq-duplicate", field="seq", actual=row.seq, first=seen[row.seq].name, name=row.name,
                           **_at(row, t))
            elif prev is not None and row.seq > prev.seq + 1:
                missing = _missing(prev.seq, row.seq)
                yield make("seq-gap", "skip", field="seq", expected=prev.seq + 1, actual=row.seq, before=prev.seq,
                           missing=missing, **_at(row, t))
            elif prev is not None and row.seq < prev.seq:
                yield make("seq-gap", "back", field="seq", expected=prev.seq + 1, actual=row.seq, before=prev.seq,
                           **_at(row, t))
            seen.setdefault(row.seq, row)
            prev = row


# A gap in the 序号 lists the missing numbers up to this many; a wider one is given as its first and last.
MAX_LISTED_GAP = 20


def _missing(before: int, after: int) -> str:
    """The 序号 missing between two (3, 4, 5), or their range when there are many (a 序号 misread as 1314 would
    otherwise list thousands)."""
    if after - before - 1 <= MAX_LISTED_GAP:
        return ", ".join(str(s) for s in range(before + 1, after))
    return f"{before + 1}–{after - 1}"


def confidence_text(c: float) -> str:
    """Two decimals, rounded down: a confidence under the threshold (0.8996 < 0.90) must not print as it."""
    return f"{math.floor(round(c * 100, 6)) / 100:.2f}"     # round first: 0.57 * 100 is 56.999…


def _doubted(rows) -> str:
    """For a sum that fails on a table read by OCR: the item whose figure OCR was least sure of."""
    scored = [r for r in rows if r.row_type == "item" and r.value_confidence is not None]
    if not scored:
        return ""
    r = min(scored, key=lambda r: r.value_confidence)
    return rules().phrases.ocr_doubt.format_map(dict(row_no=r.row_no, name=r.name, value=r.value_text,
                                                     confidence=confidence_text(r.value_confidence)))


def check_totals(n: Notice) -> Iterator[Finding]:
    """Items against their 小计 and the 合计 of the table. A 小计 sums the items since the last one, or, where the
    table prints each 小计 above its group (the first one before any item), the items under it up to the next; the
    合计 sums the items above it, or every item of the table when it is printed first, above them all (as many
    tables put it under the header)."""
    for t in n.tables:
        subtotals = _subtotal_sums(t.rows)
        running = 0
        seen_item = False
        for i, row in enumerate(t.rows):
            if row.row_type == "item":
                running += row.portions or 0
                seen_item = True
            elif i in subtotals and row.portions != subtotals[i][0]:
                expected, situation = subtotals[i]
                yield make("total-mismatch", situation, field="portions", expected=expected, actual=row.portions,
                           diff=row.portions - expected, name=row.name, doubt=_doubted(t.rows),
                           **_at(row, t, value=True))
            elif row.row_type == "total" and row.portions is not None:
                expected = running if seen_item else sum(r.portions or 0 for r in t.items)
                if row.portions != expected:
                    yield make("total-mismatch", "total", field="portions", expected=expected,
                               actual=row.portions, diff=row.portions - expected, doubt=_doubted(t.rows),
                               **_at(row, t, value=True))


def _subtotal_sums(rows) -> dict[int, tuple[int, str]]:
    """What each 小计 with a figure must equal, by its index, and the situation for its message: the items since the
    previous 小计 ("subtotal"), or, when the first 小计 comes before any item, the items under each up to the next
    小计 or total ("subtotal-above")."""
    subs = [i for i, r in enumerate(rows) if r.row_type == "subtotal" and r.portions is not None]
    if not subs:
        return {}
    above = not any(r.row_type == "item" for r in rows[:subs[0]])
    out = {}
    for k, i in enumerate(subs):
        if above:
            span = []
            for r in rows[i + 1:]:
                if r.row_type != "item":
                    break
                span.append(r)
            out[i] = (sum(r.portions or 0 for r in span), "subtotal-above")
        else:
            start = subs[k - 1] + 1 if k else 0
            out[i] = (sum(r.portions or 0 for r in rows[start:i] if r.row_type == "item"), "subtotal")
    return out


def check_duplicates(n: Notice) -> Iterator[Finding]:
    """A unit named twice in one target table."""
    for t in n.tables:
        if t.kind != "allocation":
            continue
        seen: dict = {}
        for row in t.items:
            key = (row.org, row.org_note)
            if key in seen:
                yield make("duplicate-org", field="org", name=row.name, first_row=seen[key].row_no, **_at(row, t))
            else:
                seen[key] = row


def _sum_text(tables) -> str:
    return rules().phrases.plus.join(f"{t.table_id} {t.allocated}" for t in tables)


def check_targets(n: Notice) -> Iterator[Finding]:
    """The headline against its sub-targets and the tables that allocate it; annex totals the prose states."""
    f = n.facts
    alloc = [t for t in n.tables if t.kind == "allocation"]
    if f.total_target is None:
        yield from _prose_totals(n, alloc)
        return
    subs = [x for x in f.targets if x.kind == "sub"]
    if subs and sum(x.portions for x in subs) != f.total_target:
        yield make("target-mismatch", "subtargets", field="total_target", expected=f.total_target,
                   actual=sum(x.portions for x in subs), page=subs[0].page, source_text=subs[0].text,
                   parts=rules().phrases.plus.join(str(x.portions) for x in subs))
    if subs and alloc:
        yield from _match_subtargets(subs, alloc)
    yield from _prose_totals(n, alloc)
    if not alloc:
        return
    allocated = sum(t.allocated for t in alloc)
    if allocated > f.total_target:
        yield make("target-mismatch", "over", field="total_target", expected=f.total_target, actual=allocated,
                   diff=allocated - f.total_target, tables=_sum_text(alloc))
    elif allocated < f.total_target:
        yield make("unallocated-remainder", field="total_target", expected=f.total_target, actual=allocated,
                   diff=f.total_target - allocated, tables=_sum_text(alloc))


def _prose_totals(n: Notice, alloc: list[TargetTable]) -> Iterator[Finding]:
    """A total the prose states for an annex ("附件1所列各单位合计 1250 人份") against that table."""
    annex_word = rules().notice.annex_word
    for pt in n.facts.prose_totals:
        tables = [t for t in alloc if t.annex == pt.label] or (
            [alloc[0]] if len(alloc) == 1 and pt.label == annex_word else [])
        for t in tables:
            got = t.allocated
            if got != pt.portions:
                yield make("target-mismatch", "prose-stated" if t.total_row is not None else "prose-summed",
                           field="portions", expected=pt.portions, actual=got, table_id=t.table_id, page=pt.page,
                           source_text=pt.text, label=pt.label, diff=got - pt.portions)


def _match_subtargets(subs, alloc: list[TargetTable]) -> Iterator[Finding]:
    """Each sub-target is a row of a table (named alike) or the rest of that table's rows taken together."""
    unmatched = []
    used: set[int] = set()
    for sub in subs:
        key = target_key(sub.label)
        hit = next(((t, row) for t in alloc for row in t.items
                    if key and row.org and (row.org in key or key in row.org) and id(row) not in used), None)
        if hit is None:
            unmatched.append(sub)
            continue
        t, row = hit
        used.add(id(row))
        if row.portions != sub.portions:
            yield make("target-mismatch", "subtarget-row", field="portions", expected=sub.portions,
                       actual=row.portions, label=sub.label, name=row.name, **_at(row, t, value=True))
    if len(unmatched) == 1 and used:
        sub = unmatched[0]
        rest = sum(r.portions or 0 for t in alloc for r in t.items if id(r) not in used)
        if rest != sub.portions:
            yield make("target-mismatch", "subtarget-rest", field="portions", expected=sub.portions, actual=rest,
                       page=sub.page, source_text=sub.text, label=sub.label, diff=rest - sub.portions)


def _stem(name: str) -> str:
    return rules().org_suffix.sub("", name) or name


def _base_table(plan: TargetTable, alloc: list[TargetTable]):
    """The target table whose units the plan names most (None when it names none of any)."""
    def hits(t):
        stems = {_stem(r.org) for r in t.items}
        return sum(1 for r in plan.items if _stem(r.org) in stems)
    base = max(alloc, key=hits)
    return base if hits(base) else None


def check_cross_tables(n: Notice) -> Iterator[Finding]:
    """A monthly plan against the target tables it schedules: per unit, and the pooled rows that explain gaps."""
    alloc = [t for t in n.tables if t.kind == "allocation"]
    for plan in (t for t in n.tables if t.kind == "monthly"):
        base = _base_table(plan, alloc) if alloc else None
        if base is None:
            continue
        by_stem: dict[str, Row] = {_stem(r.org): r for r in base.items}
        planned: dict[str, int] = defaultdict(int)
        pooled: list[Row] = []
        for r in plan.items:
            if _stem(r.org) in by_stem:
                planned[_stem(r.org)] += r.portions or 0
            else:
                pooled.append(r)
        # a pooled row equal to another target table's total schedules that table as a whole
        others = [t for t in alloc if t is not base]
        pooled = [r for r in pooled if not any(r.portions == t.allocated for t in others)]
        yield from _plan_against_units(plan, base, by_stem, planned, pooled)
        plan_total = plan.total_row.portions if plan.total_row else None
        alloc_total = sum(t.allocated for t in alloc)
        if plan_total is not None and plan_total != alloc_total:
            yield make("cross-table-mismatch", "total", field="portions", expected=alloc_total, actual=plan_total,
                       plan_id=plan.table_id, **_at(plan.total_row, plan, value=True))


def _plan_against_units(plan, base, by_stem, planned, pooled) -> Iterator[Finding]:
    diffs = {st: row.portions - planned.get(st, 0) for st, row in by_stem.items()
             if row.portions is not None and row.portions != planned.get(st, 0)}
    shortfall = sum(diffs.values())
    explained = [r for r in pooled if r.portions is not None and r.portions == shortfall and shortfall]
    if diffs and explained:
        r = explained[0]
        detail = rules().phrases.list_separator.join(f"{by_stem[st].org} {d:+d}" for st, d in diffs.items())
        yield make("cross-table-reconciled", field="portions", expected=shortfall, actual=r.portions,
                   plan_id=plan.table_id, base_id=base.table_id, units=len(diffs), detail=detail, name=r.name,
                   **_at(r, plan, value=True))
        return
    for st, d in diffs.items():
        row = by_stem[st]
        yield make("cross-table-mismatch", "unit", field="portions", expected=row.portions,
                   actual=planned.get(st, 0), org=row.org, plan_id=plan.table_id, diff=-d,
                   **_at(row, base, value=True))


def check_years(n: Notice) -> Iterator[Finding]:
    """A table titled for another year than the notice's; a notice signed before the year it plans for."""
    year = n.facts.year
    if not year:
        return
    for t in n.tables:
        m = rules().table_title_year.search(t.title or "")
        titled = cn_number(m.group(1)) if m else None
        if titled and titled != year:
            yield make("year-mismatch", "table-title", field="year", expected=year, actual=titled,
                       table_id=t.table_id, page=t.page, title=t.title)
    signed = n.facts.signed_on or n.facts.issued_on
    if signed and int(signed[:4]) < year:
        yield make("year-mismatch", "signed", field="signed_on", expected=year, actual=int(signed[:4]), date=signed)
    yield from _collection_years(n.facts, year)


def check_year_claims(n: Notice) -> Iterator[Finding]:
    """A body that plans for another year than its title says, or two plan years that nothing settles."""
    found = disagreement(list(n.facts.year_claims))
    if found is None:
        return
    situation, a, b = found
    yield make("year-mismatch", situation, field="year", expected=a.year, actual=b.year, page=b.page,
               source_text=b.text, text=_quote(b.text))


def _collection_years(f, year: int) -> Iterator[Finding]:
    """A collection day printed with another year than the plan's; its weekday, where printed, may say which of
    the two is right (the day of the week fits the plan's year, not the printed one)."""
    seen = set()
    for e in f.events:
        if e.year is None or e.year == year or not e.dated or (e.year, e.month, e.day) in seen:
            continue
        seen.add((e.year, e.month, e.day))
        printed = datetime.date(e.year, e.month, e.day)
        date = printed.isoformat()
        common = dict(field="year", expected=year, actual=e.year, page=e.page, source_text=e.text, date=date,
                      text=_quote(e.text))
        if e.weekday is not None and printed.weekday() != e.weekday and _weekday_in(year, e) == e.weekday:
            yield make("year-mismatch", "event-weekday", weekday=_weekday_name(e.weekday), **common)
        else:
            yield make("year-mismatch", "event", **common)


def _weekday_in(year: int, e) -> Optional[int]:
    try:
        return datetime.date(year, e.month, e.day).weekday()
    except ValueError:
        return None


def _weekday_name(day: int) -> str:
    nr = rules().notice
    return rules().phrases.weekday_prefix + nr.weekday_names[day]


def _quote(text: str) -> str:
    """A sentence quoted in a message: bounded."""
    limit = rules().phrases.quote_chars
    return text if len(text) <= limit else text[:limit] + "…"


def check_headlines(n: Notice) -> Iterator[Finding]:
    """Two statements of the headline target with different figures: the notice does not say which is meant."""
    heads = n.facts.headlines
    if not heads:
        return
    first = heads[0]
    other = next((h for h in heads[1:] if h.portions != first.portions), None)
    if other is not None:
        yield make("headline-ambiguous", field="total_target", expected=first.portions, actual=other.portions,
                   page=other.page, source_text=other.text, unit=first.unit, other_unit=other.unit,
                   text=_quote(first.text), other_text=_quote(other.text))


def check_status(n: Notice) -> Iterator[Finding]:
    """A draft (代拟稿, 征求意见稿 …) is said to be one."""
    if n.facts.status == "draft":
        yield make("draft", field="status", page=n.facts.draft_page, word=n.facts.draft_word)


def check_repairs(n: Notice) -> Iterator[Finding]:
    """Every kind of extraction damage repaired, with a count."""
    for kind, count in sorted(n.repairs.items()):
        yield make("text-repaired", field=kind, actual=count, page=n.repair_pages.get(kind),
                   repair=rules().repairs.get(kind, kind))


def check_confidence(n: Notice) -> Iterator[Finding]:
    """A figure or name read by OCR with low confidence: the value read and the confidence, never silent."""
    limit = rules().low_confidence
    for t in n.tables:
        for row in t.rows:
            for fld, conf, text in (("portions", row.value_confidence, row.value_text),
                                    ("org", row.name_confidence, row.org_raw)):
                if conf is not None and conf < limit and text:
                    yield make("low-confidence", field=fld, actual=row.portions if fld == "portions" else None,
                               text=text, confidence=confidence_text(conf), **_at(row, t, value=(fld == "portions")))


def check_unparsed(n: Notice) -> Iterator[Finding]:
    """No figure lost: every figure in a table region is a value in the outputs or quoted here. A table's first
    [checks] unparsed_cells such figures are quoted one finding each; the rest are counted in one more finding,
    so that a dense grid of figures gives a bounded number of findings, not one per cell."""
    limit = rules().unparsed_cells
    for t in n.tables:
        for u in t.unparsed[:limit]:
            yield make("unparsed-content", "cell", field="cell", table_id=t.table_id, page=u.page, box=u.box,
                       source_text=u.text, text=u.text)
        more = t.unparsed_more + max(0, len(t.unparsed) - limit)
        if more:
            yield make("unparsed-content", "more", field="cell", table_id=t.table_id, page=t.page, actual=more)
    for table in n.unrecognised:
        texts = [c.text.replace("\n", "") for row in table.rows for c in row if any(ch.isdecimal() for ch in c.text)]
        quoted = rules().phrases.list_separator.join(texts[:200])
        yield make("unparsed-content", "table", field="table", page=table.page, box=table.box, source_text=quoted,
                   text=quoted[:300])


def check_columns(n: Notice) -> Iterator[Finding]:
    """A table with several columns its header calls targets, none marked as this year's: which one was read."""
    sep = rules().phrases.list_separator
    for t in n.tables:
        if t.value_doubt:
            yield make("column-ambiguous", field="portions", table_id=t.table_id, page=t.page,
                       chosen=t.value_doubt[0], others=sep.join(t.value_doubt[1:]))


def check_reader_notes(n: Notice) -> Iterator[Finding]:
    """What the readers skipped or did (a hidden or empty sheet, a web page's furniture, a conversion, OCR): said,
    so that nothing is left out without a word."""
    for note in n.reader_notes:
        yield make("reader-note", note.kind, field=note.kind, detail=note.detail, count=note.count)


def check_files(n: Notice) -> Iterator[Finding]:
    """The files of a notice in several files: an annex file that could not be read, an annex file read alone."""
    for path, reason in n.annex_errors:
        yield make("unreadable-file", "annex", field="annex", source_text=path, file=path, reason=reason)
    if n.alone_annex:
        yield make("annex-unassigned", n.alone_annex, field="annex", source_text=n.source_file)


CHECKS = [check_files, check_status, check_row_events, check_seq, check_totals, check_duplicates, check_targets,
          check_cross_tables, check_years, check_year_claims, check_headlines, check_confidence, check_unparsed,
          check_repairs, check_reader_notes, check_columns]


def run_checks(notice: Notice) -> list[Finding]:
    """Every check's findings, in the order of CHECKS (which fixes the order of keys that share a base)."""
    return [f for check in CHECKS for f in check(notice)]
