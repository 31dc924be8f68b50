"""What one cell says: its text as one line, the figure in it, a unit's name and note, the unit a header states.

Shared by the two ways tables are found (grids from the readers, tables printed as lines of text) and by the
stage that reads grids into rows.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Optional, Union

import regex as re

from parsers.model import Cell

from .clean import fix_spacing, normalize_chars
from .rules import MAX_FIGURE_CHARS, rules, squeeze, unit_factor, without_debris

NUM_RE = re.compile(r"^[-+]?\d[\d,，]*(\.\d+)?$")          # a token that looks like a figure
# A figure read exactly: digits, commas only between groups of three, an optional decimal part.
_EXACT_RE = re.compile(r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_SPACES = re.compile(r"\s+")
_DECIMAL_RE = re.compile(r"\d+(\.\d+)?")
_LINE_BREAK_RE = re.compile(r"\s*\n\s*")
_ASCII_PARENS = str.maketrans({"(": "（", ")": "）"})


def cell_text(cell: Cell) -> str:
    """A cell's text as one line: a header split over lines ("序" / "号") rejoined, CJK spacing removed, and no
    cell separator left at its ends (a pipe inside a tab-separated cell, `东山村 |`)."""
    text = cell.text or ""
    return _one_line(text) if len(text) <= _CACHED_LEN else _one_line.__wrapped__(text)


# Cell texts repeat (figures, names, header words) and each is read several times by the table stage: the short
# ones are remembered.
_CACHED_LEN = 256


@lru_cache(maxsize=65536)
def _one_line(text: str) -> str:
    text = normalize_chars(text)
    text = _LINE_BREAK_RE.sub(" ", text).strip()
    if text and (text[0] in rules().text_tables.cell_separators or text[-1] in rules().text_tables.cell_separators):
        text = text.strip(rules().text_tables.cell_separators + " \t")
    text, _ = fix_spacing(text)
    return text.translate(_ASCII_PARENS)


def looks_like_figure(text: str) -> bool:
    """A cell that holds a figure, read or not (a row with one is not a header): 120, 1,200, 12,5, 3.2万, and
    a figure with a letter for a digit (1O0, rules.toml [numbers] misread_figure)."""
    n = rules().numbers
    t = n.unit_suffix.sub("", squeeze(text))
    if t.endswith(n.wan):
        t = t[:-len(n.wan)]
    return bool(t) and (bool(NUM_RE.match(t)) or bool(n.misread_figure.fullmatch(t)))


def parse_number(text: str) -> Optional[Fraction]:
    """The figure a cell prints, exactly: 120, 1,200, 3.2万 (32000), 120人份, 12.5 (25/2). None for anything
    else (12,5 and 1,2,3 are not thousands groups; ①② and ²5 are not digits): the caller says so."""
    text = text or ""
    return _parse_number(text) if len(text) <= _CACHED_LEN else _parse_number.__wrapped__(text)


# Figures repeat (a table's cells, the same cell read by several checks): the short ones are remembered. A
# Fraction is immutable, so one object may serve every cell that prints the same text.
@lru_cache(maxsize=65536)
def _parse_number(text: str) -> Optional[Fraction]:
    n = rules().numbers
    t = _SPACES.sub("", normalize_chars(text or "")).replace("．", ".").replace("，", ",")
    t = n.unit_suffix.sub("", t)
    scale = 1
    if t.endswith(n.wan):
        t, scale = t[:-len(n.wan)], n.wan_value
    if len(t) > MAX_FIGURE_CHARS or not _EXACT_RE.fullmatch(t):
        return None
    digits = t.replace(",", "")
    value = Fraction(int(digits)) if digits.isascii() and digits.isdigit() else Fraction(digits)
    return value * scale if scale != 1 else value


def value_reading(text: str) -> tuple[str, str, bool]:
    """What a value cell prints, as (the figure's text, a note printed after it, marks none): 120（含机关） →
    ("120", "含机关", False); ≥120 and 120以上 → ("120", "", False); — or / or 无 → ("", "", True). Anything else
    is returned whole, for parse_number to read or refuse (rules.toml [numbers] none_marks, minimum_*, figure_note)."""
    n = rules().numbers
    key = squeeze(text or "")
    if key in n.none_marks:
        return "", "", True
    figure, note = key, ""
    m = n.figure_note.fullmatch(key)
    if m and parse_number(_without_minimum(m.group("figure"))) is not None:
        figure, note = m.group("figure"), m.group("note")
    bare = _without_minimum(figure)
    if bare != figure and parse_number(bare) is not None:
        figure = bare
    return (figure if (note or figure != key) else text), note, False


def _without_minimum(text: str) -> str:
    """A figure without the words that make it a minimum (≥120, 120以上)."""
    n = rules().numbers
    for w in n.minimum_before:
        if text.startswith(w):
            text = text[len(w):]
            break
    for w in n.minimum_after:
        if text.endswith(w):
            text = text[:-len(w)]
            break
    return text


def seq_number(text: str) -> Optional[int]:
    """The number a 序号 cell prints: 1, 1., 1、, (1) → 1; None for anything else."""
    m = rules().text_tables.seq_cell.fullmatch(_SPACES.sub("", normalize_chars(text or "")))
    return int(m.group(1)) if m else None


def whole(value: Union[Fraction, int, None]) -> Optional[int]:
    """The value as an integer when it is one exactly; None otherwise."""
    if value is None or Fraction(value).denominator != 1:
        return None
    return int(value)


def is_figure(token: str) -> bool:
    """A token that is a figure (digits, with separators or a decimal part, or a figure with 万)."""
    wan = rules().numbers.wan
    return bool(NUM_RE.match(token)) or (token.endswith(wan) and bool(_DECIMAL_RE.fullmatch(token[:-len(wan)])))


def split_org(name: str) -> tuple[str, str]:
    """区教育局（城区部分） -> (区教育局, （城区部分）): a trailing bracketed part is a note, not the name."""
    m = rules().org_note.fullmatch(name)
    # a trailing bracket of pinyin debris (社區（qū）) is part of the printed name, not a note
    if m and m.group(1) and without_debris(name) != m.group(1):
        return m.group(1), m.group(2)
    return name, ""


def is_unit_word(text: str) -> bool:
    """Is this a count word (人份, 万人份, 人次 …) or a volume word (毫升, ml)?"""
    key = squeeze(text)
    return unit_factor(key) is not None or key in rules().units.ml


def bracketed_unit(text: str) -> Optional[str]:
    """The count or volume unit a header cell or a field states (任务数（人份）, 任务数（单位：毫升）, 任务数/毫升,
    单位：毫升 → 人份, 毫升, 毫升, 毫升: the forms [units] stated lists), if any."""
    key = squeeze(text)
    for pattern in rules().units.stated:
        for m in pattern.finditer(key):
            if is_unit_word(m.group(1)):
                return m.group(1)
    return None


def header_unit(texts: list[str]) -> str:
    """The count unit a header states (人份, 万人份, 毫升 …: in brackets, after a slash, as a 单位： field), the first
    of the texts that states one; the default unit when none does."""
    for t in texts:
        unit = bracketed_unit(t)
        if unit is not None:
            return unit
    return rules().units.default


def unit_scale(unit: str, unit_ml: Optional[int]) -> Fraction:
    """Portions per printed unit, exactly: 10000 for 万人份, 1/200 for 毫升 when one 人份 is 200 mL."""
    if unit in rules().units.ml:
        return Fraction(1, unit_ml or rules().units.default_ml)
    return Fraction(unit_factor(unit) or 1)
