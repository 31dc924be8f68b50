"""Repair extraction damage on the document model: page furniture, spacing, brackets, broken lines.

Works on lines and cells, never on the file. Every repair is counted so the report can say what was changed
(text-repaired findings); nothing is dropped silently. Each step is linear in the text: a paragraph is built
from its lines once, and the spacing between two joined lines is judged at the join only.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional, Union

import regex as re

from parsers.model import Box, Document, Line, PageInfo, Table

from .records import Paragraph, WebFurniture
from .rules import furniture_re, heading_re, rules, simplified, squeeze

_SPACE_DIGIT_RE = re.compile(r"(?<=[\p{Han}])\s+(?=\d)|(?<=\d)\s+(?=[\p{Han}])")
_FOUR_DIGITS = re.compile(r"\d{4}")


@dataclass(frozen=True)
class LineRun:
    """Lines of text between two tables of the document, in reading order (page furniture removed)."""

    lines: tuple[Line, ...]


@dataclass
class Repairs:
    """How many repairs of each kind were made, and the first page each was made on."""

    counts: Counter = field(default_factory=Counter)
    first_page: dict = field(default_factory=dict)

    def note(self, kind: str, n: int, page: Optional[int]) -> None:
        """Count n repairs of a kind, and remember the first page it happened on."""
        if n:
            self.counts[kind] += n
            self.first_page.setdefault(kind, page)

    def __add__(self, other: "Repairs") -> "Repairs":
        out = Repairs(self.counts + other.counts, dict(self.first_page))
        for kind, page in other.first_page.items():
            out.first_page.setdefault(kind, page)
        return out


# Full-width digits and letters and the ideographic space, each to its NFKC form; nothing else is touched.
_FULL_WIDTH = {ord(ch): unicodedata.normalize("NFKC", ch)
               for lo, hi in (("０", "９"), ("Ａ", "Ｚ"), ("ａ", "ｚ"), ("\u3000", "\u3000"))
               for ch in map(chr, range(ord(lo), ord(hi) + 1))}


def normalize_chars(text: str) -> str:
    """Full-width digits and letters to ASCII (NFKC), keeping CJK punctuation as printed."""
    return text.translate(_FULL_WIDTH)


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
    """A 文号 with damaged brackets („2024‟, [2024], 【2024】, (2024), one bracket lost) rewritten with 〔〕, and how
    many were. A line that is only a 文号 may have lost both brackets (某政发202312号): see fix_docno_line."""
    n = 0

    def repl(m):
        nonlocal n
        year = m.group("year") or m.groupdict().get("year2")
        new = f"{m.group('org')}〔{year}〕{m.group('no')}{m.group('hao')}"
        if new != m.group(0):
            n += 1
        return new

    cr = rules().clean
    # every 文号 form here has its year and its 号: most lines and cells are passed at once
    if not _FOUR_DIGITS.search(text) or not any(mark in text for mark in cr.docno_marks):
        return text, 0
    text = cr.docno_damaged.sub(repl, text)
    return cr.docno_half.sub(repl, text), n


def fix_docno_line(text: str) -> tuple[str, int]:
    """A line that is only a 文号 (maybe in round brackets, or after a 文号 label) whose brackets were lost or half
    lost: 某政发202312号, 某政发2019﹞88 → 某政发〔2023〕12号, 某政发〔2019〕88号. A bracket or 号 must be left, so
    that a name followed by figures is not taken for one."""
    if not _FOUR_DIGITS.search(text):
        return text, 0
    m = rules().clean.docno_bare.match(text.strip())
    if not m or not (m.group("open") or m.group("close") or m.group("hao")):
        return text, 0
    hao = m.group("hao") or rules().clean.docno_hao
    new = f"{m.group('lead')}{m.group('org')}〔{m.group('year')}〕{m.group('no')}{hao}{m.group('tail')}"
    return new, int(new != text.strip())


# A furniture label is looked for in a line's first characters; a longer line than this is never furniture by its
# shape or its words (a metadata line of many fields is known by its first label).
_WEB_LABEL_CHARS = 40
_WEB_LINE_CHARS = 120


def web_furniture(text: str) -> bool:
    """Is a line of page text web-page furniture: a tool bar (【打印】【关闭】, 字号 大 中 小), a metadata or stamp
    line (索引号…, 发布日期…), navigation (首页 > …, 上一篇), an index code? A single short word alone (无, 大) is not
    enough: a table printed one cell per line has such cells."""
    cr = rules().clean
    raw = cr.web_bullet.sub("", text, count=1)
    if squeeze(raw[:_WEB_LABEL_CHARS]).startswith(cr.web_starts):
        return True
    if len(raw) > _WEB_LINE_CHARS:      # furniture is short; a long line is read for its label only
        return False
    if cr.web_patterns.match(simplified(raw.strip())):
        return True
    words = [w for w in (squeeze(p) for p in cr.web_only_separators.split(raw)) if w]
    return bool(words) and all(w in cr.web_only for w in words) and (len(words) > 1 or len(words[0]) > 1)


def web_panel(table: Table) -> Optional[list[str]]:
    """A table that is a page's metadata panel (索引号 | … | 发布日期 | …): its rows as text, else None."""
    first = next((c.text for row in table.rows for c in row if c.text and c.text.strip()), "")
    if not squeeze(first).startswith(rules().clean.web_panel_starts):
        return None
    return [" | ".join(c.text.strip() for c in row if c.text and c.text.strip()) for row in table.rows]


def _furniture_record(text: str, page: Optional[int], source_index: Optional[int]) -> WebFurniture:
    text, _ = fix_docno(normalize_chars(rules().clean.web_bullet.sub("", text)).strip())
    return WebFurniture(text=text, page=page, source_index=source_index)


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
    """A page number or similar, where the page puts it (top or bottom), or standing alone without geometry."""
    text = line.text.strip()
    if not furniture_re().fullmatch(text):
        return False
    if line.box is not None and page_height:
        return line.box.top > 0.85 * page_height or line.box.bottom < 0.12 * page_height
    return lone   # no geometry: only a number standing alone as its own paragraph


def strip_furniture(doc: Document) -> tuple[list[Union[Table, LineRun]], Repairs, tuple[WebFurniture, ...]]:
    """The document as tables and runs of lines between them, page furniture removed; and the web-page furniture
    taken out of it (metadata panels, stamps, tool bars), kept apart for the notice stage."""
    heights = {p.number: p.height for p in doc.pages}
    repairs = Repairs()
    items: list[Union[Table, LineRun]] = []
    web: list[WebFurniture] = []
    run: list[Line] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            panel = web_panel(block)
            if panel is not None:
                repairs.note("web-furniture", 1, block.page)
                web.extend(_furniture_record(t, block.page, block.source_index) for t in panel)
                continue
            if run:
                items.append(LineRun(tuple(run)))
                run = []
            items.append(block)
            continue
        lone = len(block.lines) == 1
        for line in block.lines:
            if is_furniture(line, heights.get(line.page), lone):
                repairs.note("page-furniture", 1, line.page)
            elif web_furniture(line.text):
                repairs.note("web-furniture", 1, line.page)
                web.append(_furniture_record(line.text, line.page, line.source_index))
            else:
                run.append(line)
    if run:
        items.append(LineRun(tuple(run)))
    return items, repairs, tuple(web)


def paragraphs(items: list, pages: list[PageInfo]) -> tuple[list[Union[Table, Paragraph]], Repairs]:
    """Each run of lines as paragraphs (lines rejoined, spacing and brackets repaired); tables pass through."""
    repairs = Repairs()
    out: list = []
    for item in items:
        if isinstance(item, LineRun):
            out.extend(_paragraphs(list(item.lines), repairs))
        else:
            out.append(item)
    return out, repairs


class _Building:
    """A paragraph while its lines are joined: its text kept as parts, joined once at the end."""

    def __init__(self, text: str, line: Line):
        self.parts, self.length, self.lines = [text], len(text), [line]
        self.page, self.box, self.source_index = line.page, line.box, line.source_index

    def add(self, text: str, line: Line) -> None:
        """Join a line to the paragraph (a space only between two Latin letters or digits)."""
        if _needs_space(self.parts[-1], text):
            self.parts.append(" ")
        self.parts.append(text)
        self.length += len(text)
        self.lines.append(line)
        if line.box is not None and self.box is not None and line.page == self.page:
            self.box = self.box.union(line.box)

    def short_text(self) -> Optional[str]:
        """The text so far, while it is short enough to be a title."""
        return "".join(self.parts) if self.length <= rules().clean.title_max_chars else None

    def last_char(self) -> str:
        """The last character before any closing quotes."""
        quotes = rules().document.closing_quotes
        for part in reversed(self.parts):
            stripped = part.rstrip(quotes)
            if stripped:
                return stripped[-1]
        return ""

    def done(self, repairs: Repairs) -> Paragraph:
        # a 文号 split over a line break is only whole once the lines are joined
        """The paragraph, its text joined once, a 文号 broken over a line break repaired."""
        text, n_br = fix_docno("".join(self.parts))
        repairs.note("brackets", n_br, self.page)
        return Paragraph(text=text, page=self.page, box=self.box, lines=tuple(self.lines),
                         source_index=self.source_index)


def _repaired(line: Line, repairs: Repairs) -> str:
    text, merged = line_text(line)
    repairs.note("split-numbers", merged, line.page)
    text, n_space = fix_spacing(text)
    repairs.note("spacing", n_space, line.page)
    text, n_br = fix_docno(text)
    repairs.note("brackets", n_br, line.page)
    text, n_line = fix_docno_line(text)
    repairs.note("brackets", n_line, line.page)
    return text.strip()


def _paragraphs(lines: list[Line], repairs: Repairs) -> list[Paragraph]:
    if not lines:
        return []
    layout = _Layout(_right_margins(lines), sorted(_width(ln.text) for ln in lines))
    built: list[_Building] = []
    prev_line: Optional[Line] = None
    for line in lines:
        text = _repaired(line, repairs)
        if not text:
            continue
        if built and _continues(prev_line, built[-1], text, layout, line):
            built[-1].add(text, line)
            repairs.note("broken-lines", 1, line.page)
        else:
            built.append(_Building(text, line))
        prev_line = line
    return [b.done(repairs) for b in built]


def _needs_space(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()


_NARROW = re.compile("[\x00-\u2e80]+")    # characters printed half as wide as a CJK one


def _width(text: str) -> float:
    """A line's printed width in CJK characters: one for each CJK character, half for anything else."""
    text = text.strip()
    wide = len(_NARROW.sub("", text))
    return 0.5 * len(text) + 0.5 * wide


def _right_margins(lines: list[Line]) -> dict:
    """Per page, the right edge that full body lines reach (the most common far-right position)."""
    edges: dict = {}
    for ln in lines:
        if ln.box is not None:
            edges.setdefault(ln.page, []).append(ln.box.x1)
    return {page: sorted(xs)[int(len(xs) * 0.9)] if xs else None for page, xs in edges.items()}


@dataclass(frozen=True)
class _Layout:
    """What a run of lines looks like: the right margin per page, and the widths of its lines (sorted)."""

    right: dict
    widths: list[float]


def _starts_afresh(text: str) -> bool:
    """Headings, signature dates and bracketed notes always start a new paragraph."""
    cr = rules().clean
    return bool(heading_re().match(text) or cr.bracket_line.match(text)
                or (cr.date_line.match(text) and len(text) < 20))


def _continues(prev: Optional[Line], para: _Building, text: str, layout: _Layout, cur: Line) -> bool:
    """Does `text` continue the paragraph whose last line was `prev`? Only a line that runs to the margin
    without finishing its sentence is continued; headings, dates and bracketed notes always start afresh."""
    if prev is None:
        return False
    last = para.last_char()
    if last and last in rules().document.terminal_punctuation:
        return False
    if _starts_afresh(text):
        return False
    short = para.short_text()
    if short is not None:
        key = simplified(short)
        if rules().clean.title_line.fullmatch(key) or rules().notice.title_line.fullmatch(key):
            return False
    if prev.box is not None and layout.right.get(prev.page):
        size = max((w.size or 10) for w in prev.words) if prev.words else 10
        if cur.words:
            # a change of type size (a title over its body) always starts a new paragraph
            cur_size = max((w.size or 10) for w in cur.words)
            if abs(cur_size - size) > 0.1 * size:
                return False
        return prev.box.x1 >= layout.right[prev.page] - 2 * size
    # No geometry: a line is "full" when it is as wide as most lines of its run, or clearly long prose.
    width = _width(prev.text)
    widths = layout.widths
    typical = widths[int(len(widths) * 0.75)] if widths else 0
    return width >= 20 and (width >= 0.75 * typical or width >= 40)
