"""The year a notice plans for, from what the text says of the plan, never from a cited document or a stamp alone.

In order, the first that gives a year decides:
1. the title (关于做好2024年…的通知);
2. the body's sentences about the plan (现就做好2024年度无偿献血工作…, 我镇2024年度献血任务为…), titles in
   《》 (cited documents) left out; where they name two years, those that say what is planned (做好, 开展 …) win;
3. an annex's title (附件：2024年度…无偿献血任务分配表);
4. collection days printed without their year but with a weekday (5月3日（周五）): the one year, of those the
   text names anywhere, in which that day is that weekday;
5. collection days printed without their year, and the notice's own date (成文, else the page's publication
   stamp): the year that puts the days nearest to it.

Collection days printed with their year are never a source: they are checked against the year found (a finding
when they disagree). Where one source names two years and nothing settles it, the year stays empty and the
claims say why (a year-mismatch finding).
"""
from __future__ import annotations

import datetime
from typing import Optional

import regex as re

from .records import EventDay, Paragraph, YearClaim
from .dates import sentence_at
from .rules import cn_number, rules

_CITED = re.compile(r"《[^《》]*》")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def year_claims(title_key: str, keys: list[str], paras: list[Paragraph]) -> list[YearClaim]:
    """Every year the title, the body's plan sentences and the annexes' titles give, in text order."""
    nr = rules().notice
    out: list[YearClaim] = []
    m = nr.title_year.search(title_key) if title_key else None
    if m:
        out.append(YearClaim(year=cn_number(m.group(1)), source="title", text=title_key))
    for t, p in zip(keys, paras):
        source = "annex" if _annex_line(t) else "body"
        text = _CITED.sub(lambda c: "《" * len(c.group(0)), t)     # citations blanked (offsets kept), never read
        for m in nr.body_year.finditer(text):
            planned = any(v in text[max(0, m.start() - 8):m.end()] for v in nr.plan_verbs)
            out.append(YearClaim(year=cn_number(m.group(1)), source=source, text=sentence_at(p.text, m.start(), m.end()),
                                 page=p.page, planned=planned))
    return out


def _annex_line(key: str) -> bool:
    """An annex label (附件：…) or a table's title (…安排表) above a table."""
    return bool(rules().notice.annex_line.search(key.strip()))


def resolve(claims: list[YearClaim]) -> Optional[int]:
    """The plan year the claims settle, or None (none, or two years that nothing tells apart)."""
    for source in ("title", "body", "annex", "weekday", "notice-date"):
        found = [c for c in claims if c.source == source]
        if not found:
            continue
        years = {c.year for c in found}
        if len(years) > 1:
            years = {c.year for c in found if c.planned} or years
        return years.pop() if len(years) == 1 else None
    return None


def disagreement(claims: list[YearClaim]) -> Optional[tuple[str, YearClaim, YearClaim]]:
    """Where the claims disagree, for a finding: ("body", title, body claim) when a sentence of the body on what is
    planned names another year than the title (the year stays the title's); ("ambiguous", a, b) when the source
    that decides names two years that nothing settles (the year stays empty)."""
    title = next((c for c in claims if c.source == "title"), None)
    if title is not None:
        other = next((c for c in claims if c.source == "body" and c.planned and c.year != title.year), None)
        return ("body", title, other) if other else None
    for source in ("body", "annex", "weekday", "notice-date"):
        found = [c for c in claims if c.source == source]
        if not found:
            continue
        if len({c.year for c in found}) > 1 and len({c.year for c in found if c.planned}) != 1:
            first = found[0]
            return "ambiguous", first, next(c for c in found if c.year != first.year)
        return None
    return None


def day_claims(events: tuple[EventDay, ...], all_text: list[str], notice_date: str) -> list[YearClaim]:
    """Claims from days printed without their year: by their weekday (any such day), else, for collection days, by
    the notice's date (成文, else the page's publication stamp)."""
    undated = [e for e in events if e.year is None]
    if not undated:
        return []
    by_weekday = _weekday_year(undated, all_text)
    if by_weekday is not None:
        e = next(e for e in undated if e.weekday is not None)
        return [YearClaim(year=by_weekday, source="weekday", text=e.text, page=e.page)]
    collection = [e for e in undated if e.dated]
    if notice_date and collection:
        near = _nearest_year(collection, datetime.date.fromisoformat(notice_date))
        if near is not None:
            return [YearClaim(year=near, source="notice-date", text=collection[0].text, page=collection[0].page)]
    return []


def _weekday_year(days: list[EventDay], all_text: list[str]) -> Optional[int]:
    """The one year, of those the text names, in which every day printed with a weekday falls on it."""
    with_weekday = [e for e in days if e.weekday is not None]
    if not with_weekday:
        return None
    candidates = {int(y) for t in all_text for y in _ANY_YEAR.findall(t)}
    fits = {y for y in candidates if all(_weekday(y, e) == e.weekday for e in with_weekday)}
    return fits.pop() if len(fits) == 1 else None


def _weekday(year: int, e: EventDay) -> Optional[int]:
    try:
        return datetime.date(year, e.month, e.day).weekday()
    except ValueError:
        return None


def _nearest_year(days: list[EventDay], when: datetime.date) -> Optional[int]:
    """The year that puts each day nearest to the notice's date (a notice of December may set days in January);
    None when the days disagree."""
    years = set()
    for e in days:
        options = []
        for y in (when.year - 1, when.year, when.year + 1):
            try:
                options.append((abs((datetime.date(y, e.month, e.day) - when).days), y))
            except ValueError:
                continue
        if options:
            years.add(min(options)[1])
    return years.pop() if len(years) == 1 else None
