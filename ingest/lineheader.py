"""The header of a table printed as lines of text: its column roles, its labels, and, on a page with geometry, where
each side-by-side list begins.

A header is found by its words (rules.toml [header]), whatever separates them: cells between pipes, one cell per
line (`单 位 |` / `任务数(人) |` / …), words broken over lines ("序" / "号" / "单位名称" / "募集无偿" / "献血量(人份)"),
or header words at the start of a line that goes on with the data (a table flattened into one line).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex as re

from parsers.model import Line

from .cells import bracketed_unit, header_unit
from .linecells import Tok, line_tokens
from .rules import header_role, rules, squeeze

_BRACKETED = re.compile(r"（[^）]*）")
_DIGIT = re.compile(r"\d")
# A first line is a header's when header words cover at least this share of it (or it starts with one).
FIRST_LINE_COVER = 0.5
# A header's words cover at least this share of its text.
HEADER_COVER = 0.4


@dataclass(frozen=True)
class Header:
    """A header found in lines: its column roles (None for a column no header word names) and labels, the line
    after it, the cells left on its last line (a table flattened into one line has its data there), and the x
    positions where each side-by-side list after the first begins (None without geometry)."""

    roles: list[Optional[str]]
    labels: list[str]
    end: int
    rest: Optional[list[Tok]] = None
    bounds: Optional[list[float]] = None


@lru_cache(maxsize=1)
def _header_words() -> tuple[tuple[str, str], ...]:
    """Every header word with its role, longest first: the roles' words, and the words of columns that are not the
    year's target (人口, 上年 …: notes), so such a column is a column of the header (words of one character, such
    as 率, only inside a longer header cell)."""
    words = [(w, role) for role, ws in rules().header.roles for w in ws]
    words += [(w, "note") for w in rules().columns.other if len(w) > 1]
    return tuple(sorted(words, key=lambda x: -len(x[0])))


def _masked(text: str) -> str:
    """A header's text with its bracketed parts blanked (NULs, so offsets stay those of the text): 任务数（人份）
    states a unit, not a column. A name word in brackets right after a place word that is no header word itself
    (镇（街道）, 村（社区）) is an alternative name: only its brackets are blanked. A header word written with its
    brackets (县（区）) is kept whole."""
    if "（" not in text:        # what _BRACKETED and the bracketed header words start with: most lines are passed
        return text
    out = list(text)
    last = 0
    kept = {k for m in _bracketed_words().finditer(text) for k in range(m.start(), m.end())}
    for m in _BRACKETED.finditer(text):
        before = text[last:m.start()]
        if m.start() in kept:               # part of a header word written with brackets: 县（区）
            last = m.end()
            continue
        if before and header_role(m.group(0)[1:-1]) == "name" \
                and not any(before.endswith(w) for w, _ in _header_words()):
            out[m.start()] = out[m.end() - 1] = "\0"
        else:
            out[m.start():m.end()] = "\0" * (m.end() - m.start())
        last = m.end()
    return "".join(out)


@lru_cache(maxsize=1)
def _bracketed_words():
    """A pattern for the header words written with brackets (县（区）, 县（市、区）), longest first."""
    words = [w for w, _ in _header_words() if _BRACKETED.search(w)]
    return re.compile("|".join(re.escape(w) for w in words) or "(?!)")


def _bare(text: str) -> str:
    """A header's text without what _masked blanks."""
    return _masked(text).replace("\0", "")


@lru_cache(maxsize=1)
def _header_pattern():
    words = _header_words()
    return re.compile("|".join(re.escape(w) for w, _ in words)), dict(words)


@lru_cache(maxsize=1)
def _starts():
    """A pattern for a text starting with a header word, and every start of a header word ("序" of "序号")."""
    words = [w for w, _ in _header_words()]
    return re.compile("|".join(re.escape(w) for w in words)), {w[:k] for w in words for k in range(1, len(w) + 1)}


@lru_cache(maxsize=1)
def _ends() -> set[str]:
    return {w[k:] for w, _ in _header_words() for k in range(len(w))}


def _header_piece(text: str) -> bool:
    """Can this line be part of a header broken over lines: it holds a header word, or is the start or the end of
    one ("募集无偿" / "献血量(人份)", "序" / "号")?"""
    bare = _bare(text)
    pattern, _ = _header_pattern()
    return bool(pattern.search(bare)) or bare in _starts()[1] or bare in _ends()


def _covered(text: str) -> int:
    pattern, _ = _header_pattern()
    return sum(len(m.group(0)) for m in pattern.finditer(_masked(text)))


def split_roles(roles: list[Optional[str]]) -> list[list[Optional[str]]]:
    """Side-by-side lists: a role already in the current list starts the next one (unnamed columns never do)."""
    groups: list[list[Optional[str]]] = []
    for role in roles:
        if not groups or (role is not None and role != "note" and role in groups[-1]):
            # unnamed columns just before the new list's first named one are its own (a 序号 column left blank)
            lead: list[Optional[str]] = []
            while groups and groups[-1] and groups[-1][-1] is None and len(groups[-1]) > 1:
                lead.insert(0, groups[-1].pop())
            groups.append(lead)
        groups[-1].append(role)
    return groups


def _usable(roles: list[Optional[str]]) -> bool:
    return "name" in roles and bool({"value", "month"} & set(roles))


def _header_from_text(text: str) -> Optional[tuple[list[str], list[str]]]:
    """Column roles and printed labels from a header's text, however it was broken over lines. A target column's
    label gets the unit its own words state (任务数（人份）), else the first the header states."""
    pattern, lookup = _header_pattern()
    masked = _masked(text)
    found = [(m.group(0), lookup[m.group(0)], m.start()) for m in pattern.finditer(masked)]
    roles = [r for _, r, _ in found]
    covered = sum(len(w) for w, _, _ in found)
    if not _usable(roles) or covered < HEADER_COVER * max(len(masked.replace("\0", "")), 1):
        return None
    labels = []
    for k, (w, role, start) in enumerate(found):
        start = 0 if k == 0 else start             # what precedes the first word is its column's (镇（街道）)
        end = found[k + 1][2] if k + 1 < len(found) else len(masked)
        label = masked[start:end].replace("\0", "")
        if role == "value":
            label = f"{label}（{bracketed_unit(text[start:end]) or header_unit([text])}）"
        labels.append(label)
    return roles, labels


def _may_start(first: str) -> bool:
    """Could a header start with this line? It starts with a header word (or is the start of one, "序" of a split
    "序号"), or header words cover most of it ("献血单位 任务数(人)")."""
    if not first:
        return False
    starts, prefixes = _starts()
    if first in prefixes or starts.match(first):
        return True
    if len(first) > rules().text_tables.max_header_chars:
        return False
    bare = _bare(first)
    return bool(bare) and _covered(first) >= FIRST_LINE_COVER * len(bare)


def _flattened_header(line: Line, i: int) -> Optional[Header]:
    """Header words as the first tokens of a line, the data after them on the same line."""
    toks = line_tokens(line)
    k = 0
    while k < len(toks) and header_role(toks[k].text) and not _DIGIT.search(toks[k].text):
        k += 1
    got = _header_from_text("".join(squeeze(t.text) for t in toks[:k])) if k >= 2 else None
    if got is None:
        return None
    return Header(got[0], got[1], i + 1, toks[k:])


def _no_figures(text: str) -> bool:
    return not _DIGIT.search(_BRACKETED.sub("", text))


def _stated_header(lines: list[Line], i: int) -> Optional[Header]:
    """A header whose cells separators state (`单位 | 任务数 |`, or one such cell per line): one column per cell.
    Lines are taken while they hold no figures and each of their cells is named by a header word (the first line
    may hold an unnamed one: 志愿者队伍); two lines of as many cells each are one header printed over two lines."""
    tr = rules().text_tables
    rows: list[list[Tok]] = []
    j = i
    while j < len(lines) and j - i < tr.max_header_lines:
        toks = line_tokens(lines[j])
        if not toks or not all(t.stated for t in toks) or not all(_no_figures(squeeze(t.text)) for t in toks):
            break
        named = [t for t in toks if t.text and header_role(t.text)]
        if not named or (rows and len(named) < len([t for t in toks if t.text])):
            break
        rows.append(toks)
        j += 1
    if not rows:
        return None
    if len(rows) == 2 and len(rows[0]) == len(rows[1]) > 1:
        labels = [a.text + b.text for a, b in zip(*rows)]
    else:
        labels = [t.text for row in rows for t in row]
    roles = [header_role(lab) if lab else None for lab in labels]
    return Header(roles, labels, j) if _usable(roles) else None


def header_at(lines: list[Line], i: int) -> Optional[Header]:
    """A header printed as lines starting at line i.

    The header may be broken anywhere ("序" / "号" / "单位名称" / "募集无偿" / "献血量(人份)"): lines are taken while
    they carry no figures, and the header ends at the last line that adds to the header words found."""
    first = squeeze(lines[i].text)
    if not _may_start(_strip_separators(first)):
        return None
    toks = line_tokens(lines[i])
    if toks and all(t.stated for t in toks):
        return _stated_header(lines, i)
    if not _no_figures(first):
        return _flattened_header(lines[i], i)
    got = _text_header(lines, i)
    if got is None:
        return None
    roles, labels, cut = got
    if cut - i > 1:
        by_x = _header_by_x(lines[i:cut])
        if by_x is not None:
            return Header(by_x[0], by_x[1], cut, None, by_x[2])
    return Header(roles, labels, cut, None, group_bounds(lines[i:cut], roles))


def _strip_separators(text: str) -> str:
    return text.translate(_separator_table())


@lru_cache(maxsize=1)
def _separator_table() -> dict:
    return {ord(ch): None for ch in rules().text_tables.cell_separators + "\t"}


# A header's lines end after this many lines in a row that add nothing to the header words found.
MAX_IDLE_LINES = 3


def _text_header(lines: list[Line], i: int) -> Optional[tuple[list[str], list[str], int]]:
    """A header whose words may be broken over lines anywhere: lines are taken while they hold no figures, and the
    header ends at the last line that adds to the header words found."""
    text, j, cut, best, cut_text, idle = "", i, i, 0, "", 0
    tr = rules().text_tables
    while j < len(lines) and j - i < tr.max_header_lines and idle < MAX_IDLE_LINES:
        t = squeeze(lines[j].text)
        if not _no_figures(t) or len(t) > tr.max_header_chars or not _header_piece(t):
            break
        text += t
        j += 1
        cov = _covered(text)
        idle = 0 if cov > best else idle + 1
        if cov > best:
            best, cut, cut_text = cov, j, text
    if cut == i:
        return None
    got = _header_from_text(cut_text)
    return (got[0], got[1], cut) if got is not None else None


# --------------------------------------------------------------------------------------------- geometry


def _word_marks(line: Line) -> list[tuple[float, float, str]]:
    """(x0, x1, role) of each header word printed on a line with geometry; x from the characters' share of their
    word's box (a header cell "单 位" may be two words, "序号单位名称" one)."""
    chars: list[tuple[str, float, float]] = []
    for w in line.words:
        t = squeeze(w.text)
        step = (w.box.x1 - w.box.x0) / max(len(t), 1)
        chars.extend((ch, w.box.x0 + k * step, w.box.x0 + (k + 1) * step) for k, ch in enumerate(t))
    text = "".join(c for c, _, _ in chars)
    masked = _BRACKETED.sub(lambda m: "\0" * len(m.group(0)), text)
    pattern, lookup = _header_pattern()
    return [(chars[m.start()][1], chars[m.end() - 1][2], lookup[m.group(0)]) for m in pattern.finditer(masked)]


def group_bounds(lines: list[Line], roles: list[Optional[str]]) -> Optional[list[float]]:
    """Where each side-by-side list after the first begins (x), from where the header prints its words: halfway
    between the last header word of a list and the first of the next. None without geometry, or when the words
    seen do not make as many lists as the header's roles."""
    n_groups = len(split_roles(roles))
    if n_groups < 2 or not all(ln.words and all(w.box is not None for w in ln.words) for ln in lines):
        return None
    columns: list[list] = []             # [x0, x1, role] per column, words printed one above the other merged
    for x0, x1, role in sorted(m for ln in lines for m in _word_marks(ln)):
        if columns and x0 < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
            continue
        columns.append([x0, x1, role])
    groups = split_roles([c[2] for c in columns])
    if len(groups) != n_groups:
        return None
    bounds, k = [], 0
    for g in groups[:-1]:
        k += len(g)
        bounds.append((columns[k - 1][1] + columns[k][0]) / 2)
    return bounds


# Words of a header line closer than this many character sizes are one header cell when only together they make
# a header word ("单 位").
CELL_GAP = 1.5


def _header_by_x(lines: list[Line]) -> Optional[tuple[list[Optional[str]], list[str], Optional[list[float]]]]:
    """A header printed over several lines on a page with geometry, each line holding a piece of every column
    (序 单位 无偿献血 / 号 名称 任务数（人份））: columns are the pieces stacked one above the other, read top to
    bottom. (roles, labels, where each list after the first begins), or None."""
    if not all(ln.words and all(w.box is not None for w in ln.words) for ln in lines):
        return None
    pieces = []                                 # (x0, x1, line number, text)
    for k, ln in enumerate(lines):
        for w in sorted(ln.words, key=lambda w: w.box.x0):
            last = pieces[-1] if pieces and pieces[-1][2] == k else None
            if (last is not None and w.box.x0 - last[1] < CELL_GAP * (w.size or 10)
                    and header_role(last[3]) is None and header_role(last[3] + w.text) is not None):
                pieces[-1] = (last[0], w.box.x1, k, last[3] + w.text)
            else:
                pieces.append((w.box.x0, w.box.x1, k, w.text))
    columns: list[list] = []                    # [x0, x1, [(line number, text)]]
    for x0, x1, k, text in sorted(pieces):
        if columns and x0 < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
            columns[-1][2].append((k, text))
        else:
            columns.append([x0, x1, [(k, text)]])
    labels = ["".join(t for _, t in sorted(c[2])) for c in columns]
    roles = [header_role(lab) for lab in labels]
    if not _usable(roles):
        return None
    groups = split_roles(roles)
    bounds, k = [], 0
    for g in groups[:-1]:
        k += len(g)
        bounds.append((columns[k - 1][1] + columns[k][0]) / 2)
    return roles, labels, bounds or None
