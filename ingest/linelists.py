"""Allocations written as a list of short paragraphs, one item each, rather than a table:

    具体分配如下：                      各学院名额分配如下：           二、任务分配
    1.县教育局 120人份                  文学院：42人                   1．甲社区完成无偿献血40人份；
    2.县人民医院 150人份                外国语学院：40人               2．乙村完成无偿献血36人份；
    …                                   …                              …
    合计 2860人份

A run of at least [text_tables] sentence_min_items paragraphs that each are one item ([text_tables] line_item: a
序号, a name, a colon or the words saying what it is to do, a figure and its unit), right after a paragraph that
announces it (ending in a colon, or a short heading), becomes a grid (序号 where every item has one, the name, the
figure) in place of those paragraphs, for the table stage to read like any other table; a last item named by a
total word is its total. Like the lines of a table printed as text, the paragraphs are the table's, not prose: the
notice stage does not read each item's share as another headline.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from parsers.model import Cell, Table

from .records import Paragraph
from .rules import cn_number, heading_re, row_kind, rules


@dataclass(frozen=True)
class _Item:
    seq: str
    name: str
    value: str
    unit: str
    para: Paragraph


def split(blocks: list) -> list:
    """The blocks with each list of item paragraphs replaced by its grid."""
    out: list = []
    i = 0
    titled = False           # the block before was a heading that announces (附件): a short title under it does too
    while i < len(blocks):
        block = blocks[i]
        out.append(block)
        i += 1
        under_heading, titled = titled, False
        if not isinstance(block, Paragraph):
            continue
        if not (_announces(block.text) or (under_heading and _short_title(block.text))):
            continue
        titled = bool(heading_re().match(block.text.strip()))
        items = _run(blocks, i)
        if sum(1 for it in items if not row_kind(it.name)) >= rules().text_tables.sentence_min_items:
            out.append(_grid(items))
            i += len(items)
    return out


def _announces(text: str) -> bool:
    """Does this paragraph announce a list: it ends in a colon (…分配如下：), or is a short heading (二、任务分配)?"""
    tr = rules().text_tables
    text = text.strip()
    if text and tr.sentence_list_start.fullmatch(text[-1]):
        return True
    return len(text) <= tr.line_list_heading_chars and bool(heading_re().match(text)) \
        and not any(ch in rules().document.terminal_punctuation for ch in text)


def _short_title(text: str) -> bool:
    """A line short enough to be a title (各乡镇任务分配) with no sentence punctuation: under an announcing heading
    (附件 / 各乡镇（街道）任务 / 一、甲镇：120人份 …) it announces the list in the heading's place."""
    text = text.strip()
    return 0 < len(text) <= rules().text_tables.line_list_heading_chars \
        and not any(ch in rules().document.terminal_punctuation for ch in text)


def _item(para: Paragraph) -> Optional[_Item]:
    m = rules().text_tables.line_item.match(para.text.strip())
    if m is None:
        return None
    return _Item(seq=_seq(m.group("seq") or ""), name=m.group("name").strip(), value=m.group("value"),
                 unit=m.group("unit"), para=para)


def _seq(number: str) -> str:
    """An item's 序号 (its number as printed, in digits or Chinese numerals) in digits; "" for none."""
    n = cn_number(number) if number else None
    return str(n) if n is not None else ""


def _run(blocks: list, i: int) -> list[_Item]:
    """The item paragraphs from block i on, up to the first that is not one or a total (which ends the list)."""
    items: list[_Item] = []
    while i < len(blocks) and isinstance(blocks[i], Paragraph):
        item = _item(blocks[i])
        if item is None:
            break
        items.append(item)
        i += 1
        if row_kind(item.name):
            break
    return items


def _grid(items: list[_Item]) -> Table:
    tr = rules().text_tables
    name_label, value_label = tr.sentence_labels[:2]
    entries = [it for it in items if not row_kind(it.name)]
    numbered = all(it.seq for it in entries)
    seq_label = dict(rules().header.roles)["seq"][0]
    header = ([seq_label] if numbered else []) + [name_label, f"{value_label}（{entries[0].unit}）"]
    rows = [(None, header)] + [(it.para, ([it.seq] if numbered else []) + [it.name, it.value]) for it in items]
    first = items[0].para
    grid = [[Cell(text=t, row=r, col=c, page=(p or first).page, box=(p or first).box, lines=list((p or first).lines))
             for c, t in enumerate(texts)] for r, (p, texts) in enumerate(rows)]
    return Table(rows=grid, page=first.page, box=first.box, strategy="text-list", source_index=first.source_index)
