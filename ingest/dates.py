"""The dates a notice prints, told apart by where they stand and what their clause says.

- the 成文 date: a date standing alone on its line (maybe after the issuer's name) below the start of the body,
  the signature; the first one is the notice's (an enclosed document may be signed again further down);
- the 印发 date: a date followed by 印发 on the imprint line;
- the publication stamp: a date in the web page's furniture (发布日期 2023-06-01 09:00), a stamp after the title on
  its line, or a date standing alone above the body (a page's header) — never taken for the 成文 date;
- collection days: dates inside sentences (献血时间：2023年3月18日, 定于5月20日（星期六）), with the weekday where
  one is printed; a day printed without its year is kept as such.

Every form is read: 2025年4月18日, 2025.04.18, 2025-4-18, 二〇二〇年三月九日, 20230915日 (rules.toml [notice] dates).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Iterable, Optional

from .records import EventDay, Paragraph, WebFurniture
from .rules import cn_number, rules, simplified


def parse_date(m) -> Optional[datetime.date]:
    """The day a match of the date pattern names (groups 1-3: year, month, day), None when there is no such day."""
    y = int(m.group(1)) if m.group(1).isdigit() else _cn_year(m.group(1))
    mo, d = cn_number(m.group(2)), cn_number(m.group(3))
    if not (y and mo and d):
        return None
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        return None


def _cn_year(text: str) -> Optional[int]:
    """二〇二〇 → 2020: a year in Chinese numerals is read digit by digit."""
    digits = rules().numbers.digits
    if len(text) != 4 or any(ch not in digits for ch in text):
        return None
    return int("".join(str(digits[ch]) for ch in text))


def first_date(text: str) -> tuple[Optional[datetime.date], Optional[object]]:
    """The first date printed in a text that names a real day, and its match."""
    for m in rules().notice.date.finditer(text):
        d = parse_date(m)
        if d is not None:
            return d, m
    return None, None


def weekday_after(text: str, end: int) -> Optional[int]:
    """The weekday printed right after a date, in brackets (（星期二）, (周五)): 0 = Monday … 6 = Sunday."""
    nr = rules().notice
    m = nr.weekday.match(text, end)
    if not m:
        return None
    name = m.group(1)
    return 6 if name == nr.weekday_sunday else nr.weekday_names.index(name)


# How far a quoted sentence may reach on each side of what it quotes (a paragraph may be one long line).
_QUOTE_REACH = 200


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of `text` around [start, end): what a finding quotes (at most _QUOTE_REACH on each side)."""
    stops = rules().notice.sentence_end
    lo, hi = max(0, start - _QUOTE_REACH), min(len(text), end + _QUOTE_REACH)
    left = max((m.end() for m in stops.finditer(text, lo, start)), default=lo)
    right = stops.search(text, end, hi)
    return text[left:right.end() if right else hi].strip()


def is_body(key: str) -> bool:
    """A paragraph of the body: a sentence or a salutation (it ends in a body mark)."""
    return bool(key) and key.rstrip()[-1] in rules().notice.body_marks


@dataclass(frozen=True)
class NoticeDates:
    """The notice's dates, told apart: 成文, 印发, the publication stamp, the issuer above the 成文 date."""

    signed: str = ""
    issued: str = ""
    published: str = ""
    issuer: str = ""


def read_dates(printed: list[str], keys: list[str], web: Iterable[WebFurniture], title_stamp: str) -> NoticeDates:
    """成文, 印发 and publication dates, and the issuer who signs, from the paragraphs (as printed and as
    simplified), the web furniture and a stamp printed after the title."""
    signed = issued = header = issuer = ""
    in_body = False
    for i, t in enumerate(keys):
        d, m = first_date(t)
        if d is None:
            in_body = in_body or is_body(t)
            continue
        before, after = t[:m.start()].strip(), t[m.end():].strip()
        if after.startswith(rules().notice.printed_word):
            issued = issued or d.isoformat()
        elif not after and (not before or _issuer_name(before)):
            if not in_body:
                header = header or d.isoformat()
            elif not signed:
                signed = d.isoformat()
                issuer = printed[i][:m.start()].strip() if before else _issuer_above(printed, keys, i)
        in_body = in_body or is_body(t)
    stamp, signed_field = _furniture_dates(web)
    return NoticeDates(signed=signed or signed_field, issued=issued, published=stamp or title_stamp or header,
                       issuer=issuer)


def _issuer_name(text: str) -> bool:
    return len(text) <= 40 and bool(rules().notice.issuer.search(text)) and not any(
        ch in text for ch in rules().notice.body_marks)


def _issuer_above(printed: list[str], keys: list[str], i: int) -> str:
    """The issuer signs on the line above the date."""
    if i > 0 and _issuer_name(keys[i - 1].strip()):
        return printed[i - 1].strip()
    return ""


def _furniture_dates(web: Iterable[WebFurniture]) -> tuple[str, str]:
    """(publication stamp, 成文日期 field) from the page's furniture: the first of each. One line may hold both (a
    panel's row: 成文日期 | … | 发布日期 | …); the 日期 of 成文日期 is never a stamp."""
    nr = rules().notice
    stamp = signed = ""
    for f in web:
        key = simplified(f.text)
        field = nr.signed_field.search(key)
        d = _match_date(nr.signed_field, field)
        signed = signed or (d or "")
        for m in nr.stamp.finditer(key):
            if d is not None and field.start() <= m.start() < field.end():
                continue
            found = _match_date(nr.stamp, m)
            if found is not None:
                stamp = stamp or found
                break
    return stamp, signed


def _match_date(pattern, m) -> Optional[str]:
    """The date a stamp or field pattern matched (its date is the pattern's last three groups)."""
    if m is None:
        return None
    inner = rules().notice.date.search(m.group(0))
    d = parse_date(inner) if inner else None
    return d.isoformat() if d else None


def collection_days(keys: list[str], paras: list[Paragraph], start: int = 0) -> tuple[EventDay, ...]:
    """Days the body (from paragraph `start` on: the head's dates are stamps) names: every date inside a sentence
    (not a signature, stamp or 印发 line standing alone), with or without its year, with the weekday printed
    after it; `dated` when its clause says it is a collection day."""
    nr = rules().notice
    out: list[EventDay] = []
    for t, p in zip(keys[start:], paras[start:]):
        if _date_line(t):
            continue
        taken: set[int] = set()        # the offsets full dates cover: their month and day are not read again
        for m in nr.date.finditer(t):
            d = parse_date(m)
            if d is not None:
                taken.update(range(m.start(), m.end()))
                out.append(EventDay(month=d.month, day=d.day, year=d.year, weekday=weekday_after(t, m.end()),
                                    dated=_collection_clause(t, m.start(), m.end()),
                                    text=sentence_at(p.text, m.start(), m.end()), page=p.page))
        for m in nr.event_day.finditer(t):
            mo, dd = int(m.group(1)), int(m.group(2))
            if m.start() in taken or not (1 <= mo <= 12 and 1 <= dd <= 31):
                continue
            out.append(EventDay(month=mo, day=dd, weekday=weekday_after(t, m.end()),
                                dated=_collection_clause(t, m.start(), m.end()),
                                text=sentence_at(p.text, m.start(), m.end()), page=p.page))
    return tuple(out)


def _date_line(key: str) -> bool:
    """A date standing alone on its line (a signature, a stamp, an imprint), maybe with the issuer or 印发."""
    d, m = first_date(key)
    if d is None:
        return False
    before, after = key[:m.start()].strip(), key[m.end():].strip()
    return (not after or after.startswith(rules().notice.printed_word)) and (not before or _issuer_name(before))


def _collection_clause(text: str, start: int, end: int) -> bool:
    """Does the date's clause say it is a collection day: 献血时间：…, 定于… before it, or …在…献血 after it (and not
    a deadline: …日前)?"""
    nr = rules().notice
    before = nr.clause_marks.split(text[max(0, start - 30):start].rstrip("：: "))[-1]
    after = nr.clause_end.split(text[end:end + 40])[0]
    if after.lstrip().startswith(nr.deadline_words):
        return False
    return any(w in before for w in nr.event_words) or any(w in after for w in nr.event_words_after)
