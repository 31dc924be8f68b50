"""Repair extraction damage on the document model: page furniture, spacing, brackets, broken lines.

Works on lines and cells, never on the file. Every repair is counted so the report can say what was changed
(text-repaired findings); nothing is dropped silently.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

import regex as re

from parsers.model import Box, Document, Line, Paragraph, Table

from .rules import furniture_re, heading_re, rules, simplified

_SPACE_DIGIT_RE = re.compile(r"(?<=[\p{Han}])\s+(?=\d)|(?<=\d)\s+(?=[\p{Han}])")


@dataclass
class CleanPara:
    text: str
    page: Optional[int]
    box: Optional[Box]
    lines: list[Line]
    source_index: Optional[int]


@dataclass
class Cleaned:
    blocks: list = field(default_factory=list)          # CleanPara | Table, in reading order
    repairs: Counter = field(default_factory=Counter)   # kind -> count
    repair_pages: dict = field(default_factory=dict)    # kind -> first page it happened on


def normalize_chars(text: str) -> str:
    """Full-width digits and letters to ASCII (NFKC), keeping CJK punctuation as printed."""
    out = []
    for ch in text:
        if "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ" or ch == "\u3000":
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)


def fix_spacing(text: str) -> tuple[str, int]:
    """Drop spaces next to CJK characters and CJK punctuation, where Chinese text never has them."""
    n = 0

    def count(m):
        nonlocal n
        n += 1
        return ""

    text = rules().clean.space.sub(count, text)
    text = _SPACE_DIGIT_RE.sub(count, text)
    return text, n


def fix_docno(text: str) -> tuple[str, int]:
    n = 0

    def repl(m):
        nonlocal n
        new = f"{m.group('org')}〔{m.group('year')}〕{m.group('no')}{m.group('hao')}"
        if new != m.group(0):
            n += 1
        return new

    return rules().clean.docno_damaged.sub(repl, text), n


def line_text(line: Line) -> tuple[str, int]:
    """A line's text with its spaces judged from geometry where the reader kept it.

    Between two words of a PDF line the gap is measured: digits closer than half a character belong to one
    number (an extractor split "12345" into "12 345"); everything else falls to the text rules.
    """
    if not line.words or any(w.box is None for w in line.words):
        return normalize_chars(line.text), 0
    merged = 0
    parts = [line.words[0].text]
    for prev, word in zip(line.words, line.words[1:]):
        gap = word.box.x0 - prev.box.x1
        size = max(prev.size or 10, word.size or 10)
        if prev.text[-1:].isdigit() and word.text[:1].isdigit() and gap < 0.5 * size:
            parts[-1] += word.text
            merged += 1
        else:
            parts.append(word.text)
    return normalize_chars(" ".join(parts)), merged


def is_furniture(line: Line, page_height: Optional[float], lone: bool) -> bool:
    text = line.text.strip()
    if not furniture_re().fullmatch(text):
        return False
    if line.box is not None and page_height:
        return line.box.top > 0.85 * page_height or line.box.bottom < 0.12 * page_height
    return lone   # no geometry: only a number standing alone as its own paragraph


def clean(doc: Document, line_tables) -> Cleaned:
    """line_tables(lines) -> list of (start, end, Table) for tables printed as lines of text (found by header)."""
    out = Cleaned()
    heights = {p.number: p.height for p in doc.pages}

    def note(kind, n, page):
        if n:
            out.repairs[kind] += n
            out.repair_pages.setdefault(kind, page)

    # 1. Page furniture out, the rest as a flat stream of lines with their paragraph boundaries.
    stream: list[tuple[Line, bool]] = []      # (line, starts a new source paragraph)
    items: list = []                           # Table blocks interleaved with line runs

    def flush():
        if stream:
            items.append(list(stream))
            stream.clear()

    for block in doc.blocks:
        if isinstance(block, Table):
            flush()
            items.append(block)
            continue
        lone = len(block.lines) == 1
        for i, line in enumerate(block.lines):
            if is_furniture(line, heights.get(line.page), lone):
                note("page-furniture", 1, line.page)
                continue
            stream.append((line, i == 0))
    flush()

    # 2. Tables printed as lines (found by their header words), then 3. prose repaired and rejoined.
    for item in items:
        if isinstance(item, Table):
            out.blocks.append(item)
            continue
        lines = [ln for ln, _ in item]
        starts = [s for _, s in item]
        pos = 0
        for start, end, table in line_tables(lines):
            out.blocks.extend(_paragraphs(lines[pos:start], starts[pos:start], heights, note))
            out.blocks.append(table)
            pos = end
        out.blocks.extend(_paragraphs(lines[pos:], starts[pos:], heights, note))
    return out


def _paragraphs(lines: list[Line], starts: list[bool], heights, note) -> list[CleanPara]:
    if not lines:
        return []
    right = _right_margins(lines)
    widths = sorted(_width(ln.text) for ln in lines)
    paras: list[CleanPara] = []
    cur: Optional[CleanPara] = None
    prev_line: Optional[Line] = None
    for line, _start in zip(lines, starts):
        text, merged = line_text(line)
        note("split-numbers", merged, line.page)
        text, n_space = fix_spacing(text)
        note("spacing", n_space, line.page)
        text, n_br = fix_docno(text)
        note("brackets", n_br, line.page)
        text = text.strip()
        if not text:
            continue
        if cur is not None and _continues(prev_line, cur.text, text, right, widths, line):
            joined, n_space = fix_spacing(cur.text + " " + text) if _needs_space(cur.text, text) else (cur.text + text, 0)
            cur.text = joined
            cur.lines.append(line)
            if line.box is not None and cur.box is not None and line.page == cur.page:
                cur.box = cur.box.union(line.box)
            note("broken-lines", 1, line.page)
        else:
            cur = CleanPara(text=text, page=line.page, box=line.box, lines=[line], source_index=line.source_index)
            paras.append(cur)
        prev_line = line
    # a 文号 split over a line break is only whole once the lines are joined
    for p in paras:
        p.text, n_br = fix_docno(p.text)
        note("brackets", n_br, p.page)
    return paras


def _needs_space(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()


def _width(text: str) -> float:
    return sum(1.0 if ord(ch) > 0x2E80 else 0.5 for ch in text.strip())


def _right_margins(lines: list[Line]) -> dict:
    """Per page, the right edge that full body lines reach (the most common far-right position)."""
    edges: dict = {}
    for ln in lines:
        if ln.box is not None:
            edges.setdefault(ln.page, []).append(ln.box.x1)
    return {page: sorted(xs)[int(len(xs) * 0.9)] if xs else None for page, xs in edges.items()}


def _continues(prev: Optional[Line], prev_text: str, text: str, right: dict, widths: list[float],
               cur: Optional[Line] = None) -> bool:
    """Does `text` continue the paragraph whose last line was `prev`? Only a line that runs to the margin
    without finishing its sentence is continued; headings, dates and bracketed notes always start afresh."""
    if prev is None or not prev_text:
        return False
    ends = prev_text.rstrip("”’」』\"'")
    cr = rules().clean
    if ends and ends[-1] in rules().document.terminal_punctuation:
        return False
    if heading_re().match(text) or cr.bracket_line.match(text):
        return False
    if cr.date_line.match(text) and len(text) < 20:
        return False
    if cr.title_line.fullmatch(simplified(prev_text)):
        return False
    if prev.box is not None and right.get(prev.page):
        size = max((w.size or 10) for w in prev.words) if prev.words else 10
        if cur is not None and cur.words:
            # a change of type size (a title over its body) always starts a new paragraph
            cur_size = max((w.size or 10) for w in cur.words)
            if abs(cur_size - size) > 0.1 * size:
                return False
        return prev.box.x1 >= right[prev.page] - 2 * size
    # No geometry: a line is "full" when it is as wide as most lines of its run, or clearly long prose.
    last = _width(prev.text)
    typical = widths[int(len(widths) * 0.75)] if widths else 0
    return last >= 20 and (last >= 0.75 * typical or last >= 40)
