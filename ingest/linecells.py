"""The cells a line of text holds, whatever separates them: pipes or box-drawing verticals (`3 | 东山村 | 12 |`),
tabs, or runs of spaces and the gaps a PDF leaves between words. Each cell knows its kind (a whole number that may
be a 序号, a figure, a blank, or text) and whether a separator states its edges, which is what lets a blank
between two pipes count as a blank cell while a space never does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import regex as re

from parsers.model import Box, Line, PageInfo

from .cells import looks_like_figure, seq_number
from .clean import is_furniture, normalize_chars
from .rules import furniture_re, rules


# A figure or a 序号 as printed starts with one of these.
_NUMBER_STARTS = frozenset("0123456789０１２３４５６７８９+-(（")
# A page number is centred across its page: within this share of the page's width from the middle.
CENTRED = 0.1


@dataclass(frozen=True)
class Tok:
    """One cell of a line: its text as printed (stripped), its box where the reader kept one, its line, and
    whether a separator states its edges (`stated`: a pipe, a box-drawing vertical or a tab)."""

    text: str
    box: Optional[Box]
    line: Line
    stated: bool = False
    kind: str = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "kind", kind(self.text))     # read many times by the readings by kind


def kind(text: str) -> str:
    """blank, int (digits only: a 序号 or a figure), seq (a 序号 as 1. 1、 (1)), figure (1,200 · 3.2万 · 20人), or
    text."""
    if not text:
        return "blank"
    if text.isascii() and text.isdigit():
        return "int"
    if text[0] not in _NUMBER_STARTS and not rules().numbers.misread_figure.fullmatch(text):
        return "text"
    if looks_like_figure(text):
        return "figure"
    return "seq" if seq_number(text) is not None else "text"


def is_number(text: str) -> bool:
    """Is this cell text a figure (a whole number or a figure with its unit)?"""
    return kind(text) in ("int", "figure")


@lru_cache(maxsize=1)
def _patterns():
    tr = rules().text_tables
    seps = re.escape(tr.cell_separators)
    rule_chars = re.escape(tr.rule_chars)
    return (re.compile(f"[{seps}\\t]"), re.compile(f"^[\\s{seps}{rule_chars}]*[{rule_chars}][\\s{seps}{rule_chars}]*$"),
            re.compile(f"^\\s*[{seps}]"), re.compile(f"[{seps}]\\s*$"))


def _stated(text: str, line: Line) -> list[Tok]:
    """Cells between separators. A leading or trailing separator opens or closes the row; a piece drawn only
    with ruling characters is a ruling, not a cell."""
    split, rule, leading, trailing = _patterns()
    if len(text.strip()) == 1 and split.match(text.strip()):
        return [Tok("", line.box, line, True)]        # "|" alone: a blank cell closed by its pipe
    parts = split.split(text)
    if split.search(text):
        if leading.match(text):
            parts = parts[1:]
        if trailing.search(text):
            parts = parts[:-1]
    return [Tok(p.strip(), line.box, line, True) for p in parts if not (len(p.strip()) > 1 and rule.match(p))]


def is_rule(line: Line) -> bool:
    """A line drawn only with ruling characters (├──┼──┤, |---|---|)."""
    return bool(_patterns()[1].match(line.text)) and bool(line.text.strip())


def line_tokens(line: Line) -> list[Tok]:
    """The cells of a line. Separators (pipes, box verticals, tabs) state cells, blanks included; without them,
    a line splits at its spaces (or at the gaps between a PDF's words), and a number followed by a measure word
    stays with the name before it ("全区 10 个街镇" is one name)."""
    text = normalize_chars(line.text)
    if is_rule(line):
        return []
    if _patterns()[0].search(text):
        return _stated(text, line)
    if line.words and all(w.box is not None for w in line.words):
        toks = [(normalize_chars(w.text).strip(), w.box) for w in line.words]
        toks = [(t, b) for t, b in toks if t]
    else:
        toks = [(t, None) for t in text.split()]
    return _with_measure_words(toks, line)


def _with_measure_words(toks: list[tuple[str, Optional[Box]]], line: Line) -> list[Tok]:
    measure = rules().numbers.measure_words
    out: list[Tok] = []
    for text, box in toks:
        if (out and out[-1].text.isdigit() and text[:1] in measure and len(out) >= 2
                and not out[-2].text.isdigit()):
            number = out.pop()
            name = out.pop()
            out.append(Tok(name.text + number.text + text, name.box, line))
            continue
        out.append(Tok(text, box, line))
    return out


def furniture_in_table(line: Line, page: Optional[PageInfo], figures_are_cells: bool) -> bool:
    """A page number or the like between the rows of a table. Where the reader kept geometry, by where it stands:
    at the top or foot of its page (and, where a figure alone on a line may be a cell, centred across the page).
    Otherwise by its form alone, and a bare figure only where figures cannot be cells alone on a line (a table
    read one row per line)."""
    if line.box is not None and page is not None and page.height:
        if not is_furniture(line, page.height, False):
            return False
        centre = (line.box.x0 + line.box.x1) / 2
        return not figures_are_cells or abs(centre - page.width / 2) < CENTRED * page.width
    text = line.text.strip()
    if not furniture_re().fullmatch(text):
        return False
    return not (figures_are_cells and is_number(text))
