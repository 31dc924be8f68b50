"""Allocations written as one sentence rather than a table: after a colon, items "name figure unit" separated by
list separators up to the end of the sentence (各科室名额分配为：综合科2人；财务科2人、后勤科4人……). Each such
list becomes a grid of two columns, placed after its paragraph, for the table stage to read like any other.
"""
from __future__ import annotations

from typing import Iterator, Optional

from parsers.model import Cell, Table

from .records import Paragraph
from .rules import rules


def split(blocks: list) -> list:
    """The blocks with a grid after each paragraph that holds an allocation written as one sentence."""
    out: list = []
    for block in blocks:
        out.append(block)
        if isinstance(block, Paragraph):
            table = sentence_table(block)
            if table is not None:
                out.append(table)
    return out


def sentence_table(para: Paragraph) -> Optional[Table]:
    """The first list of at least [text_tables] sentence_min_items items after a colon of the paragraph that runs
    to the end of its sentence, as a grid; None when there is none. A list after the headline's 其中 is not one."""
    for _, items in _lists(para.text):
        return _grid(items, para)
    return None


def _lists(text: str) -> Iterator[tuple[int, list[tuple[str, str, str]]]]:
    """(where its items start, its items) of each list after a colon of the text, in order; a colon inside a list
    found already starts no other (an item may print one between its name and figure: 甲镇：120人份)."""
    tr = rules().text_tables
    done = 0
    for colon in tr.sentence_list_start.finditer(text):
        if colon.start() < done:
            continue
        lead = text[:colon.start()].rstrip()
        if any(lead.endswith(w) for w in tr.sentence_not_after):
            continue
        items = list_items(text, colon.end())
        if len(items) >= tr.sentence_min_items:
            done = _list_end(text, colon.end(), len(items))
            yield colon.end(), items


def list_items(text: str, pos: int) -> list[tuple[str, str, str]]:
    """(name, figure, unit) of each item from pos to the end of the sentence (separated by a list separator or
    spaces); [] unless the items fill it."""
    tr = rules().text_tables
    items = []
    while True:
        m = tr.sentence_item.match(text, pos)
        if m is None:
            return []
        items.append((m.group("name").strip(), m.group("value"), m.group("unit")))
        pos = spaced = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return items
        if text[pos] in tr.sentence_end:
            # one sentence per unit: the list goes on when the next sentence is an item too
            nxt = tr.sentence_item.match(text, pos + 1)
            if nxt is None or not _item_sentence(text, nxt.end()):
                return items
            pos += 1
            continue
        if text[pos] in tr.sentence_item_separators:
            pos += 1
        elif pos == spaced:                  # items follow each other with a separator or a space between
            return []


def _item_sentence(text: str, end: int) -> bool:
    """Does an item that ends at `end` end its sentence (or the text)?"""
    tr = rules().text_tables
    while end < len(text) and text[end].isspace():
        end += 1
    return end >= len(text) or text[end] in tr.sentence_end


def list_spans(text: str) -> list[tuple[int, int]]:
    """Where sentence_table would read a list in this text: (start, end) of each list, for the headline stage to
    leave its items' figures alone (each unit's share is not the headline)."""
    return [(start, _list_end(text, start, len(items))) for start, items in _lists(text)]


def _list_end(text: str, pos: int, n: int) -> int:
    tr = rules().text_tables
    for _ in range(n):
        m = tr.sentence_item.match(text, pos)
        pos = m.end()
        while pos < len(text) and (text[pos].isspace() or text[pos] in tr.sentence_item_separators
                                   or text[pos] in tr.sentence_end):
            pos += 1
    return pos


def _grid(items: list[tuple[str, str, str]], para: Paragraph) -> Table:
    name_label, value_label = rules().text_tables.sentence_labels[:2]
    header = [name_label, f"{value_label}（{items[0][2]}）"]
    rows = [header] + [[name, value] for name, value, _ in items]
    grid = [[Cell(text=t, row=r, col=c, page=para.page, box=para.box, lines=list(para.lines))
             for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Table(rows=grid, page=para.page, box=para.box, strategy="text-sentence", source_index=para.source_index)
