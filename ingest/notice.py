"""The notice's own facts, read from its cleaned text: title, region, year, 文号, issuer, dates, status, headline.

Every value comes from the document. Where a notice cites other notices (their titles in 《》 and their 文号 in
brackets after them), the citations are told apart from the notice's own by where they stand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import regex as re

from .clean import CleanPara
from .rules import cn_number, is_draft_word, rules, simplified

# digits run together by a damaged extraction: 20240312
_DATE_RUN = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")


@dataclass
class Target:
    label: str
    portions: int
    kind: str                      # headline or sub
    page: Optional[int] = None
    text: str = ""                 # the sentence it was read from


@dataclass
class NoticeFacts:
    title: str = ""
    region: str = ""
    year: Optional[int] = None
    doc_number: str = ""
    issuer: str = ""
    signed_on: str = ""
    issued_on: str = ""
    status: str = "final"
    draft_word: str = ""
    draft_page: Optional[int] = None
    unit_ml: Optional[int] = None
    total_target: Optional[int] = None
    targets: list[Target] = field(default_factory=list)
    prose_totals: list[Target] = field(default_factory=list)   # label = the annex the figure is said to total


def _date(m) -> Optional[str]:
    y = cn_number(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
    mo = cn_number(m.group(2))
    d = cn_number(m.group(3))
    if not (y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def read_notice(paras: list[CleanPara]) -> NoticeFacts:
    """Facts of the notice. Patterns match a simplified copy of each paragraph; values are sliced from the
    printed text at the same offsets, so a notice in traditional characters keeps its own characters."""
    f = NoticeFacts()
    printed = [p.text for p in paras]
    texts = [simplified(t) for t in printed]
    head = texts[:12]

    # status: a draft says so near the top, usually in brackets under the title
    for p in paras[:12]:
        w = is_draft_word(p.text)
        if w and len(p.text) <= 40:
            f.status, f.draft_word, f.draft_page = "draft", w, p.page
            break

    # title: a line of its own that is a title; else the first 《关于…》 not followed by a citation's 文号
    key_title = ""
    nr = rules().notice
    for t, pt in zip(texts[:15], printed[:15]):
        m = nr.title.search(t)
        if m and len(t) <= len(m.group(0)) + 6:
            key_title, f.title = m.group(0), pt[m.start():m.end()]
            break
    if not f.title:
        for t, pt in zip(texts[:20], printed[:20]):
            for m in nr.cited_title.finditer(t):
                if not any(w in m.group(1) for w in nr.cited_title_words):
                    key_title, f.title = m.group(1), pt[m.start(1):m.end(1)]
                    break
            if f.title:
                break
    if key_title:
        y = nr.title_year.search(key_title)
        f.year = int(y.group(1)) if y else None
        r = nr.region.search(key_title)
        if r:
            f.region = f.title[r.start("region"):r.end("region")]

    # 文号: the notice's own stands on a line of its own; cited ones sit inside sentences
    for t, pt in zip(head, printed):
        m = nr.own_docno.fullmatch(t.strip())
        if m:
            f.doc_number = pt.strip()
            break

    # dates: 成文 under the issuer's name; 印发 on the imprint line at the end
    for i, t in enumerate(texts):
        m = nr.date.search(t)
        d = _date(m) if m else None
        if not d:
            m = _DATE_RUN.search(t)
            if not m or not (len(t) <= 20 or t[m.end():].strip().startswith(nr.printed_word)):
                continue
            d = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
        rest = t[m.end():].strip()
        if rest.startswith(nr.printed_word):
            f.issued_on = d
            continue
        if len(t) <= 20 and not f.signed_on:
            f.signed_on = d
            # the issuer signs on the line above the date
            if i > 0 and len(texts[i - 1]) <= 40 and nr.issuer.search(texts[i - 1]):
                f.issuer = printed[i - 1]
    if not f.issued_on:
        f.issued_on = f.signed_on

    # unit size: 每人份 200 毫升
    for t in texts:
        m = nr.unit_ml.search(t)
        if m:
            f.unit_ml = int(m.group(1))
            break

    _headline(f, paras, texts)
    _prose_totals(f, paras, texts)
    return f


def _prose_totals(f: NoticeFacts, paras: list[CleanPara], texts: list[str]):
    """A figure the prose says an annex adds up to ("附件1所列各单位合计 1250 人份"): the table must match it."""
    nr = rules().notice
    for p, t in zip(paras, texts):
        for m in nr.annex_total.finditer(t):
            f.prose_totals.append(Target(label=re.sub(r"\s", "", m.group(1)), portions=_portions(m.group(2), m.group(3)),
                                         kind="prose", page=p.page, text=p.text))


def _headline(f: NoticeFacts, paras: list[CleanPara], texts: list[str]):
    """The headline target (总量 …) and the sub-targets the same sentence splits it into (其中 …)."""
    nr = rules().notice
    for p, t in zip(paras, texts):
        m = nr.headline.search(t)
        if not m:
            continue
        f.total_target = _portions(m.group(1), m.group(2))
        f.targets.append(Target(label=nr.headline_label, portions=f.total_target, kind="headline", page=p.page,
                                text=p.text))
        rest = t[m.end():]
        k = rest.find(nr.subtargets_word)
        if k >= 0:
            sentence = nr.sentence_end.split(rest[k + len(nr.subtargets_word):])[0]
            for part in nr.subtarget_separator.split(sentence):
                sm = nr.subtarget.search(part.strip())
                if sm and sm.group(1):
                    label = nr.subtarget_prefix.sub("", sm.group(1)).strip()
                    f.targets.append(Target(label=label, portions=_portions(sm.group(2), sm.group(3)),
                                            kind="sub", page=p.page, text=p.text))
        break


def _portions(num: str, wan: Optional[str]) -> int:
    v = float(num) * (10000 if wan else 1)
    return int(round(v))


def target_key(label: str) -> str:
    """A sub-target label without the words every label carries, for matching it to a table row."""
    key = rules().target_label_words.sub("", label)
    return key.strip("，、 ")
