"""The headline target however the prose phrases it, with its count word, and the sub-targets it is split into.

Phrasings (rules.toml [notice] headline): a word for the target then the figure (总量为 12000 人份, 献血任务数为 …只,
下达献血人数为 …人), the figure then the target (以 …人份的指标任务作分配, 全年 …人次的献血任务), the figure after
参加无偿献血 (动员…参加无偿献血 …人次以上). A figure whose clause speaks of each unit (每…, 各…) is not the headline.
Every statement is kept: when two give different figures the notice is ambiguous, and the checks say so.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Optional

from .cells import parse_number, whole
from .records import Paragraph, Target
from .rules import rules
from .sentencelists import list_spans

# How far back a figure's clause is looked for (a paragraph may be one long line).
_CLAUSE_REACH = 80


def portions(num: str, wan: Optional[str]) -> Optional[int]:
    """A figure of the prose, exactly (3.2万 → 32000, 2,350 → 2350), read as a table cell's figure is
    (cells.parse_number); None when it is not a whole number, or no figure (a run of thousands of digits)."""
    return whole(parse_number(num + (rules().numbers.wan if wan else "")))


def _value(num: str, wan: Optional[str], unit: str, unit_ml: Optional[int]) -> Optional[int]:
    """The figure in the count it is printed in; a volume (毫升) in portions of the notice's unit size."""
    if unit in rules().notice.headline_ml:
        ml = portions(num, wan)
        size = unit_ml or rules().units.default_ml
        return whole(Fraction(ml, size)) if ml is not None else None
    return portions(num, wan)


def _distributive(text: str, start: int) -> bool:
    """Does the clause before a figure speak of each unit (每…, 各…), with no word of the whole (全…, 总…) after
    that?"""
    nr = rules().notice
    clause = nr.clause_marks.split(text[max(0, start - _CLAUSE_REACH):start])[-1]
    at = max((clause.rfind(w) for w in nr.distributive_words), default=-1)
    return at >= 0 and not any(w in clause[at:] for w in nr.whole_words)


def statements(paras: list[Paragraph], keys: list[str],
               unit_ml: Optional[int]) -> list[tuple[Target, int, int]]:
    """Every headline statement, in text order, with its paragraph's index and the offset of its end there."""
    nr = rules().notice
    out: list[tuple[Target, int, int]] = []
    for i, (p, t) in enumerate(zip(paras, keys)):
        found: dict[int, tuple[Target, int, int]] = {}
        lists = list_spans(t)           # a list of units' shares in the sentence: no figure of it is the headline
        for pattern in nr.headline:
            for m in pattern.finditer(t):
                if m.start(1) in found or _distributive(t, m.start(1)) or any(a <= m.start(1) < b for a, b in lists):
                    continue
                v = _value(m.group(1), m.group(2), m.group(3), unit_ml)
                if v is None:
                    continue
                unit = m.group(3) if m.group(3) not in nr.headline_ml else rules().units.default
                found[m.start(1)] = (Target(label=nr.headline_label, portions=v, kind="headline", page=p.page,
                                            text=p.text, unit=unit), i, m.end())
        out.extend(found[k] for k in sorted(found))
    return out


def read_headline(paras: list[Paragraph], keys: list[str],
                  unit_ml: Optional[int]) -> tuple[Optional[int], tuple[Target, ...], tuple[Target, ...]]:
    """(headline, the headline and its sub-targets, every headline statement outside the sub-target sentence)."""
    found = statements(paras, keys, unit_ml)
    if not found:
        return None, (), ()
    first, at, end = found[0]
    subs, (a, b) = _subtargets(first, keys[at], end)
    others = [t for t, i, e in found[1:] if not (i == at and a <= e <= b)]
    return first.portions, (first, *subs), (first, *others)


def _subtargets(head: Target, key: str, end: int) -> tuple[list[Target], tuple[int, int]]:
    """The sub-targets the headline's sentence lists after 其中, and the span of that list in the key."""
    nr = rules().notice
    rest = key[end:]
    k = rest.find(nr.subtargets_word)
    if k < 0:
        return [], (0, -1)
    start = end + k + len(nr.subtargets_word)
    sentence = nr.sentence_end.split(key[start:])[0]
    out = []
    for part in nr.subtarget_separator.split(sentence):
        sm = nr.subtarget.search(part.strip())
        if sm and sm.group(1) and portions(sm.group(2), sm.group(3)) is not None:
            label = nr.subtarget_prefix.sub("", sm.group(1)).strip()
            out.append(Target(label=label, portions=portions(sm.group(2), sm.group(3)), kind="sub", page=head.page,
                              text=head.text, unit=head.unit))
    return out, (start, start + len(sentence))
