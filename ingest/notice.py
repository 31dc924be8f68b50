"""The notice's own facts, read from its cleaned text: title, region, year, 文号, issuer, dates, status, headline.

Every value comes from the document. Where a notice cites other notices (their titles in 《》 and their 文号 in
brackets after them), the citations are told apart from the notice's own by where they stand. Patterns match a
simplified copy of each paragraph; values are sliced from the printed text at the same offsets, so a notice in
traditional characters keeps its own characters.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Optional

import regex as re

from .cells import whole
from .records import Facts, Paragraph, Target
from .rules import cn_number, is_draft_word, rules, simplified

# digits run together by a damaged extraction: 20240312
_DATE_RUN = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
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


def read_notice(paras: list[Paragraph]) -> Facts:
    """Facts of the notice, from its cleaned paragraphs."""
    printed = [p.text for p in paras]
    text = _Text(list(paras), printed, [simplified(t) for t in printed])
    title, key_title = _title(text)
    signed, issued, issuer = _dates(text)
    total, targets = _headline(text)
    return Facts(title=title, **_year_region(title, key_title), doc_number=_doc_number(text), issuer=issuer,
                 signed_on=signed, issued_on=issued or signed, **_status(text), unit_ml=_unit_ml(text),
                 total_target=total, targets=targets, prose_totals=_prose_totals(text))


def _status(text: _Text) -> dict:
    """A draft says so near the top, usually in brackets under the title."""
    for p in text.paras[:HEAD_PARAGRAPHS]:
        w = is_draft_word(p.text) if len(p.text) <= 40 else None
        if w:
            return dict(status="draft", draft_word=w, draft_page=p.page)
    return {}


def _title(text: _Text) -> tuple[str, str]:
    """(title as printed, title as matched): a line of its own that is a title; else the first 《关于…》 not
    followed by a citation's 文号."""
    nr = rules().notice
    for t, pt in zip(text.keys[:TITLE_PARAGRAPHS], text.printed[:TITLE_PARAGRAPHS]):
        m = nr.title.search(t)
        if m and len(t) <= len(m.group(0)) + 6:
            return pt[m.start():m.end()], m.group(0)
    for t, pt in zip(text.keys[:CITED_TITLE_PARAGRAPHS], text.printed[:CITED_TITLE_PARAGRAPHS]):
        for m in nr.cited_title.finditer(t):
            if not any(w in m.group(1) for w in nr.cited_title_words):
                return pt[m.start(1):m.end(1)], m.group(1)
    return "", ""


def _year_region(title: str, key_title: str) -> dict:
    if not key_title:
        return {}
    nr = rules().notice
    y = nr.title_year.search(key_title)
    r = nr.region.search(key_title)
    return dict(year=int(y.group(1)) if y else None,
                region=title[r.start("region"):r.end("region")] if r else "")


def _doc_number(text: _Text) -> str:
    """The notice's own 文号 stands on a line of its own; cited ones sit inside sentences."""
    for t, pt in zip(text.keys[:HEAD_PARAGRAPHS], text.printed):
        if rules().notice.own_docno.fullmatch(t.strip()):
            return pt.strip()
    return ""


def _date(m) -> Optional[str]:
    y = cn_number(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
    mo = cn_number(m.group(2))
    d = cn_number(m.group(3))
    if not (y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _dates(text: _Text) -> tuple[str, str, str]:
    """(成文 date, 印发 date, issuer): 成文 under the issuer's name; 印发 on the imprint line at the end."""
    nr = rules().notice
    signed = issued = issuer = ""
    for i, t in enumerate(text.keys):
        m = nr.date.search(t)
        d = _date(m) if m else None
        if not d:
            m = _DATE_RUN.search(t)
            if not m or not (len(t) <= 20 or t[m.end():].strip().startswith(nr.printed_word)):
                continue
            d = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
        if t[m.end():].strip().startswith(nr.printed_word):
            issued = d
            continue
        if len(t) <= 20 and not signed:
            signed = d
            # the issuer signs on the line above the date
            if i > 0 and len(text.keys[i - 1]) <= 40 and nr.issuer.search(text.keys[i - 1]):
                issuer = text.printed[i - 1]
    return signed, issued, issuer


def _unit_ml(text: _Text) -> Optional[int]:
    """每人份 200 毫升: millilitres in one 人份."""
    for t in text.keys:
        m = rules().notice.unit_ml.search(t)
        if m:
            return int(m.group(1))
    return None


def _prose_totals(text: _Text) -> tuple[Target, ...]:
    """A figure the prose says an annex adds up to ("附件1所列各单位合计 1250 人份"): the table must match it."""
    nr = rules().notice
    found = ((p, m, _portions(m.group(2), m.group(3))) for p, t in zip(text.paras, text.keys)
             for m in nr.annex_total.finditer(t))
    return tuple(Target(label=_SPACES.sub("", m.group(1)), portions=v, kind="prose", page=p.page, text=p.text)
                 for p, m, v in found if v is not None)


def _headline(text: _Text) -> tuple[Optional[int], tuple[Target, ...]]:
    """The headline target (总量 …) and the sub-targets the same sentence splits it into (其中 …)."""
    nr = rules().notice
    for p, t in zip(text.paras, text.keys):
        m = nr.headline.search(t)
        if not m:
            continue
        total = _portions(m.group(1), m.group(2))
        if total is None:
            continue
        targets = [Target(label=nr.headline_label, portions=total, kind="headline", page=p.page, text=p.text)]
        rest = t[m.end():]
        k = rest.find(nr.subtargets_word)
        if k >= 0:
            sentence = nr.sentence_end.split(rest[k + len(nr.subtargets_word):])[0]
            for part in nr.subtarget_separator.split(sentence):
                sm = nr.subtarget.search(part.strip())
                if sm and sm.group(1) and _portions(sm.group(2), sm.group(3)) is not None:
                    label = nr.subtarget_prefix.sub("", sm.group(1)).strip()
                    targets.append(Target(label=label, portions=_portions(sm.group(2), sm.group(3)), kind="sub",
                                          page=p.page, text=p.text))
        return total, tuple(targets)
    return None, ()


def _portions(num: str, wan: Optional[str]) -> Optional[int]:
    """A figure of the prose, exactly (3.2万 → 32000); None when it is not a whole number of portions."""
    return whole(Fraction(num) * (rules().numbers.wan_value if wan else 1))


def target_key(label: str) -> str:
    """A sub-target label without the words every label carries, for matching it to a table row."""
    return rules().target_label_words.sub("", label).strip("，、 ")
