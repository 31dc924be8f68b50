"""The notice's own facts, read from its cleaned text: title, region, year, 文号, issuer, dates, status, headline.

Every value comes from the document, wherever it states it: the head of the notice (the lines above the
salutation or first sentence: 文号, issuer, title, maybe broken over lines), the body, the signature, and the web
page's furniture taken out of the text (a 发布日期 stamp, a 文号 field). Where a notice cites other notices (their
titles in 《》 and their 文号 in brackets after them), the citations are told apart from the notice's own by where
they stand. Patterns match a simplified copy of each paragraph; values are sliced from the printed text at the
same offsets, so a notice in traditional characters keeps its own characters.

Dates: ingest/dates.py; the plan year: ingest/planyear.py; the headline: ingest/headline.py.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Optional

import regex as re

from . import planyear
from .cells import parse_number, whole
from .dates import collection_days, first_date, is_body, read_dates
from .headline import portions, read_headline
from .records import Facts, Paragraph, Target, WebFurniture
from .rules import is_draft_word, rules, simplified

_SPACES = re.compile(r"\s")
# How far from the top the status, title and 文号 are looked for (paragraphs).
HEAD_PARAGRAPHS = 12
TITLE_PARAGRAPHS = 15
CITED_TITLE_PARAGRAPHS = 20


@dataclass(frozen=True)
class _Text:
    """The paragraphs as printed, and as simplified for matching (same lengths, same offsets)."""

    paras: list[Paragraph]
    printed: list[str]
    keys: list[str]


@dataclass(frozen=True)
class _Title:
    """The title as printed and as matched, the issuer printed before it on its line, a stamp printed after it."""

    printed: str = ""
    key: str = ""
    issuer: str = ""
    stamp: str = ""


def read_notice(paras: list[Paragraph], web: Iterable[WebFurniture] = ()) -> Facts:
    """Facts of the notice, from its cleaned paragraphs and the web-page furniture taken out of its text."""
    web = tuple(web)
    printed = [p.text for p in paras]
    text = _Text(list(paras), printed, [simplified(t) for t in printed])
    title = _title(text)
    dates = read_dates(text.printed, text.keys, web, title.stamp)
    unit_ml = _unit_ml(text)
    total, targets, headlines = read_headline(text.paras, text.keys, unit_ml)
    if len({h.portions for h in headlines}) > 1:
        total, targets = None, ()     # two headline figures: a finding says so (checks), no guess is made
    events = collection_days(text.keys, text.paras, _head(text))
    claims = planyear.year_claims(title.key, text.keys, text.paras)
    year = planyear.resolve(claims)
    if year is None and not claims:
        claims = planyear.day_claims(events, text.keys + [simplified(f.text) for f in web],
                                     dates.signed or dates.published)
        year = planyear.resolve(claims)
    issuer = dates.issuer or title.issuer
    return Facts(title=title.printed, year=year, region=_region(title.key, title.printed, issuer),
                 doc_number=_doc_number(text, web), issuer=issuer, signed_on=dates.signed,
                 issued_on=dates.issued or dates.signed, **_status(text), unit_ml=unit_ml, total_target=total,
                 targets=targets, prose_totals=_prose_totals(text), published_on=dates.published,
                 target_unit=targets[0].unit if targets else "", headlines=headlines, year_claims=tuple(claims),
                 events=events)


def _status(text: _Text) -> dict:
    """A draft says so near the top, usually in brackets under the title."""
    for p in text.paras[:HEAD_PARAGRAPHS]:
        w = is_draft_word(p.text) if len(p.text) <= 40 else None
        if w:
            return dict(status="draft", draft_word=w, draft_page=p.page)
    return {}


def _head(text: _Text) -> int:
    """How many paragraphs the head has: those above the first sentence or salutation (at most HEAD_PARAGRAPHS)."""
    for i, t in enumerate(text.keys[:HEAD_PARAGRAPHS]):
        if is_body(t):
            return i
    return min(len(text.keys), HEAD_PARAGRAPHS)


def _title(text: _Text) -> _Title:
    """A title standing on its own line among the first paragraphs, or broken over up to title_max_lines short
    lines of the head (one line tried before two, two before three); else the first 《关于…》 not followed by a
    citation's 文号 (a notice that 印发 another document names it so)."""
    nr = rules().notice
    head = _head(text)
    first = min(len(text.keys), TITLE_PARAGRAPHS)
    for n in range(1, nr.title_max_lines + 1):
        for i in range(first if n == 1 else head - n + 1):
            key = "".join(k.strip() for k in text.keys[i:i + n])
            if len(key) > rules().clean.title_max_chars:
                continue
            m = nr.title_line.fullmatch(key)
            if m and (m.group("plain") is None or i < head) and not _title_tail(text, i, head):
                found = _title_of(m, "".join(p.strip() for p in text.printed[i:i + n]))
                if not found.issuer and i > 0 and _issuer_line(text.keys[i - 1]):
                    found = replace(found, issuer=text.printed[i - 1].strip())
                return found
    for t, pt in zip(text.keys[:CITED_TITLE_PARAGRAPHS], text.printed[:CITED_TITLE_PARAGRAPHS]):
        for m in nr.cited_title.finditer(t):
            if nr.title.fullmatch(m.group(1)) and not any(w in m.group(1) for w in nr.cited_title_words):
                return _Title(printed=pt[m.start(1):m.end(1)], key=m.group(1))
    return _Title()


def _title_tail(text: _Text, i: int, head: int) -> bool:
    """Is line i the end of a title broken over lines (the line above starts it with 关于 and is not one)? Then
    the title is the lines joined, never the tail alone."""
    if not 0 < i < head:
        return False
    above = text.keys[i - 1].strip()
    return above.startswith(rules().notice.title_start) and not rules().notice.title_line.fullmatch(above)


def _issuer_line(key: str) -> bool:
    """A short line naming a body (…人民政府办公室) above the title."""
    k = key.strip()
    return 0 < len(k) <= 40 and not is_body(k) and bool(rules().notice.issuer.search(k))


def _title_of(m, printed: str) -> _Title:
    group = "title" if m.group("title") is not None else "plain"
    stamp = ""
    if m.group("stamp"):
        d, _ = first_date(m.group("stamp"))
        stamp = d.isoformat() if d else ""
    return _Title(printed=printed[m.start(group):m.end(group)], key=m.group(group),
                  issuer=printed[m.start("issuer"):m.end("issuer")] if m.group("issuer") else "", stamp=stamp)


def _region(key_title: str, title: str, issuer: str) -> str:
    """The region the title names (after its year, or before it); else, for a government, the last place in its
    name (…市…区…镇人民政府 → …镇)."""
    nr = rules().notice
    for pattern in (nr.region, nr.region_before_year):
        r = pattern.search(key_title) if key_title else None
        if r:
            return title[r.start("region"):r.end("region")]
    key = simplified(issuer)
    if not nr.issuer_government.search(key):
        return ""
    blanked = nr.issuer_government.sub(lambda m: " " * len(m.group(0)), key)    # offsets kept
    places = [m for m in nr.issuer_region.finditer(blanked) if len(m.group(0)) >= 2]
    return issuer[places[-1].start():places[-1].end()] if places else ""


def _doc_number(text: _Text, web: tuple[WebFurniture, ...]) -> str:
    """The notice's own 文号 stands on a line of its own in the head (maybe in round brackets), or in a 文号 field
    of the page's metadata; cited ones sit inside sentences."""
    nr = rules().notice
    for t, pt in zip(text.keys[:HEAD_PARAGRAPHS], text.printed):
        m = nr.own_docno.fullmatch(t.strip())
        if m:
            lead = len(t) - len(t.lstrip())
            return pt[lead + m.start("no"):lead + m.end("no")]
    for f in web:
        m = nr.meta_docno.search(simplified(f.text))
        if m:
            return f.text[m.start("no"):m.end("no")]
    return ""


def _unit_ml(text: _Text) -> Optional[int]:
    """每人份 200 毫升, 每只200毫升: millilitres in one unit of the target."""
    for t in text.keys:
        m = rules().notice.unit_ml.search(t)
        ml = whole(parse_number(m.group(2))) if m else None     # read as a cell's figure is: no thousand digits
        if ml is not None:
            return ml
    return None


def _prose_totals(text: _Text) -> tuple[Target, ...]:
    """A figure the prose says an annex adds up to ("附件1所列各单位合计 1250 人份"): the table must match it."""
    nr = rules().notice
    found = ((p, m, portions(m.group(2), m.group(3))) for p, t in zip(text.paras, text.keys)
             for m in nr.annex_total.finditer(t))
    return tuple(Target(label=_SPACES.sub("", m.group(1)), portions=v, kind="prose", page=p.page, text=p.text)
                 for p, m, v in found if v is not None)


def target_key(label: str) -> str:
    """A sub-target label without the words every label carries, for matching it to a table row."""
    return rules().target_label_words.sub("", label).strip("，、 ")
