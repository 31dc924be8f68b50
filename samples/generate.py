#!/usr/bin/env python3
"""Build the sample notices (PDF and DOCX) from the two seed texts next to this file.

    .venv/bin/python samples/generate.py

Everything printed in the samples (names, figures, dates, wording) is read from the seeds at run time; this file
only decides the layout. Output is byte-identical on every run: reportlab runs with invariant=1 and the DOCX
files get fixed core properties and fixed zip timestamps.

Seeds:
  pudong-2024.txt  text extracted from the published 浦东 PDF: lines broken at the old page width, blank lines
                   between lines, spaces wherever the PDF had a gap (mostly where CJK meets digits), two-page
                   annex table flattened to "序号 名称 数量 序号 名称 数量" lines.
  qingpu-2021.txt  text extracted from the 青浦 Word draft: one line per Word paragraph, tables as tab-separated
                   rows, blank cells where the Word table had merged cells.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
FONT = "WQY"
FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

H1 = re.compile(r"^[一二三四五六七八九十]+、")          # 一、工作目标
H2 = re.compile(r"^（[一二三四五六七八九十]+）")        # （一）政府主导，...
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201f\u2014\u2026]")


# =====================================================================================================
# Seed parsing (all of it lives here)
# =====================================================================================================

@dataclass
class Block:
    """One real paragraph. `gaps` are indexes into `text` where the seed showed a space that is not part of the
    text (the source PDF had a visual gap there); only the PDF uses them, to draw the same gaps again."""

    kind: str                      # salutation, p, h1, h2
    text: str
    gaps: frozenset = frozenset()


@dataclass
class Entry:
    no: str                        # "" where the seed prints no number (row 21, the 合计 line)
    name: str
    value: str


@dataclass
class AnnexPage:
    header: list[tuple[str, ...]]                  # one tuple of printed lines per header cell, 6 cells
    rows: list[tuple[Entry, Entry | None]] = field(default_factory=list)


@dataclass
class Pudong:
    docno: Block
    cover: list[Block]
    issuer: str
    date: Block
    public_note: str
    body: list[Block]
    annex_ref: Block
    cc: str
    printed_by: str
    printed_on: str
    annex_title: Block
    annex_pages: list[AnnexPage]


@dataclass
class Table:
    rows: list[list[str]]                            # rows[0] is the header; "" = blank in the seed
    spans: dict = field(default_factory=dict)        # (row, col) -> (rowspan, colspan) for merged origins

    def covered(self) -> set:
        out = set()
        for (r, c), (rs, cs) in self.spans.items():
            out |= {(r + i, c + j) for i in range(rs) for j in range(cs)} - {(r, c)}
        return out


@dataclass
class Annex:
    label: str                     # 附件 1
    title: str
    table: Table


@dataclass
class Qingpu:
    title: str
    draft_mark: str
    blocks: list[Block]
    annex_list: list[str]          # "附件:1. ...", "2. ...", "3. ..."
    annexes: list[Annex]


def seed_lines(name: str) -> list[str]:
    return (HERE / name).read_text(encoding="utf-8").split("\n")


def drop_extraction_spaces(raw: str) -> tuple[str, frozenset]:
    """Remove the spaces a PDF extractor put where CJK meets something else ("2024 年" -> "2024年") and remember
    where they were. Spaces between two Latin characters are kept."""
    raw = raw.strip()
    out, gaps = "", set()
    for m in re.finditer(r" +|[^ ]+", raw):
        if not m.group().startswith(" "):
            out += m.group()
        elif CJK.match(out[-1]) or CJK.match(raw[m.end()]):
            gaps.add(len(out))
        else:
            out += m.group()
    return out, frozenset(gaps)


def join_pdf_lines(lines: list[str]) -> list[Block]:
    """Join the seed's broken lines into paragraphs.

    The source page held 28 CJK characters a line and indented first lines by two, so a paragraph ends on a line
    that ends a sentence and is shorter than a full line. (Line "…现象的发生。" is full and ends a sentence, but
    the next line is a continuation, not an indented first line: width alone decides that case right.)
    """
    def width(s: str) -> float:
        return sum(0 if c == " " else (0.5 if ord(c) < 128 or c in "„‟" else 1) for c in s)

    blocks, pending = [], []

    def flush():
        if pending:
            text, gaps = drop_extraction_spaces("".join(pending))
            blocks.append(Block("p", text, gaps))
            pending.clear()

    for line in (l.strip() for l in lines):
        if not line:
            continue
        if H1.match(line) or H2.match(line):
            flush()
            text, gaps = drop_extraction_spaces(line)
            blocks.append(Block("h1" if H1.match(line) else "h2", text, gaps))
            continue
        pending.append(line)
        if line[-1] in "。：！？" and width(line) < 27.5:
            flush()
    flush()
    return blocks


# The seed lists the header cells' lines one after another (序, 号, 单位名称, 募集无偿, 献血量(人份), twice);
# these are the line counts of the three cells of each half.
PUDONG_HEADER_CELL_LINES = (2, 1, 2)


def parse_pudong_row(line: str) -> tuple[Entry, Entry | None]:
    toks = line.split()

    def take() -> Entry:
        # [序号] 单位名称 数量 — the number is missing for row 21 and for the 合计 line
        no = toks.pop(0) if toks[0].isdigit() and len(toks) >= 3 and not toks[1].isdigit() else ""
        name, value = toks.pop(0), toks.pop(0)
        assert value.isdigit(), line
        return Entry(no, name, value)

    left = take()
    right = take() if toks else None
    assert not toks, line
    return left, right


def parse_pudong_header(lines: list[str]) -> list[tuple[str, ...]]:
    cells, i = [], 0
    for _ in range(2):
        for n in PUDONG_HEADER_CELL_LINES:
            cells.append(tuple(lines[i:i + n]))
            i += n
    assert i == len(lines) and cells[:3] == cells[3:], lines
    return cells


def parse_pudong() -> Pudong:
    lines = [l.strip() for l in seed_lines("pudong-2024.txt")]
    nonblank = [l for l in lines if l]
    i_date = next(i for i, l in enumerate(nonblank) if re.fullmatch(r"\d{4}\s*年\s*\d+\s*月\s*\d+\s*日", l))
    i_ref = next(i for i, l in enumerate(nonblank) if l.startswith("附件："))

    docno, _ = drop_extraction_spaces(nonblank[0])
    assert "„" in docno and "‟" in docno
    cover = join_pdf_lines(nonblank[1:i_date - 1])
    cover[0].kind = "salutation"
    date, date_gaps = drop_extraction_spaces(nonblank[i_date])
    public_note = nonblank[i_date + 1]
    assert public_note.startswith("(") and "公开" in public_note
    body = join_pdf_lines(nonblank[i_date + 2:i_ref])
    cc = nonblank[i_ref + 1]
    assert cc.startswith("抄送：")
    printed_by, printed_on = re.split(r"\s{2,}", nonblank[i_ref + 2])
    assert printed_on.endswith("印发")
    assert nonblank[i_ref + 3] == nonblank[i_ref]          # the annex repeats the 附件 line as its heading

    # The rest is the annex: a header block starts each page; a lone number is the source PDF's page number.
    pages: list[AnnexPage] = []
    header: list[str] = []
    for line in nonblank[i_ref + 4:]:
        toks = line.split()
        if len(toks) == 1 and toks[0].isdigit():
            continue
        if not any(t.isdigit() for t in toks):
            header.append(line)
            continue
        if header:
            pages.append(AnnexPage(parse_pudong_header(header)))
            header = []
        pages[-1].rows.append(parse_pudong_row(line))
    assert not header and len(pages) == 2

    ref_text, ref_gaps = drop_extraction_spaces(nonblank[i_ref])
    return Pudong(
        docno=Block("p", docno),
        cover=cover,
        issuer=nonblank[i_date - 1],
        date=Block("p", date, date_gaps),
        public_note=public_note,
        body=body,
        annex_ref=Block("p", ref_text, ref_gaps),
        cc=cc,
        printed_by=printed_by,
        printed_on=printed_on,
        annex_title=Block("p", ref_text, ref_gaps),
        annex_pages=pages,
    )


def merges_from_blanks(rows: list[list[str]]) -> dict:
    """Word exports a merged cell as one value and blanks for the cells it covers. A blank in a 合计 row belongs
    to the 合计 label on its left; any other blank belongs to the cell above it."""
    spans: dict = {}
    owner: dict = {}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if r == 0 or text:
                owner[r, c] = (r, c)
                continue
            origin = owner[r, c - 1] if row[0] == "合计" else owner[r - 1, c]
            owner[r, c] = origin
            rs, cs = spans.get(origin, (1, 1))
            spans[origin] = (max(rs, r - origin[0] + 1), max(cs, c - origin[1] + 1))
    return spans


def parse_qingpu() -> Qingpu:
    lines = [l.rstrip(" \r") for l in seed_lines("qingpu-2021.txt")]   # keep trailing tabs: blank cells
    i_list = next(i for i, l in enumerate(lines) if l.lstrip("- ").startswith("附件:"))
    head = [l.strip() for l in lines[:i_list] if l.strip()]
    title, draft_mark = head[0], head[1]
    # Word paragraphs are kept as they are, including the four the draft breaks in mid-sentence (…紧 / 迫性…).
    blocks = [Block("h1" if H1.match(t) else "h2" if H2.match(t) else "p", t) for t in head[2:]]
    blocks[0].kind = "salutation"

    # The annex list is the run of lines with no blank between them; "- " is the extractor's list marker.
    annex_list, i = [], i_list
    while lines[i].strip():
        annex_list.append(lines[i].strip().removeprefix("- "))
        i += 1

    annexes: list[Annex] = []
    for line in lines[i:]:
        if not line.strip():
            continue                                  # including the blank lines inside 附件 2
        if re.fullmatch(r"附件\s*\d+", line.strip()):
            annexes.append(Annex(line.strip(), "", Table([])))
        elif not annexes[-1].title:
            annexes[-1].title = line.strip()
        else:
            annexes[-1].table.rows.append(line.split("\t"))
    for annex in annexes:
        width = len(annex.table.rows[0])
        assert all(len(r) == width for r in annex.table.rows), annex.label
        annex.table.spans = merges_from_blanks(annex.table.rows)
    return Qingpu(title, draft_mark, blocks, annex_list, annexes)


# =====================================================================================================
# PDF layout
# =====================================================================================================

PAGE_W, PAGE_H = A4
MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, PAGE_W - 26 * MM           # the usual 156 mm text block of a government notice
BODY_TOP, BODY_BOTTOM = PAGE_H - 37 * MM, 35 * MM
TABLE_TOP, TABLE_BOTTOM = PAGE_H - 56, 64
PAGE_NO_Y = 42
BODY_SIZE, LEADING = 16, 28
GAP_EM = 0.4                                       # width of a "spacing damage" gap, in em

NO_LINE_START = "。，、；：？！）》”’〉〕】),.%;:‟"
NO_LINE_END = "（《“‘〈〔【(„"


def register_font() -> None:
    font = TTFont(FONT, FONT_FILE, subfontIndex=0)
    # WenQuanYi has no glyph for ‟ (U+201F), which the 浦东 文号 needs literally. Borrow the glyph of “, which
    # looks the same; the text layer still says U+201F.
    face = font.face
    face.charToGlyph[0x201F] = face.charToGlyph[0x201C]
    face.charWidths[0x201F] = face.charWidths[0x201C]
    pdfmetrics.registerFont(font)


def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


class PageWriter:
    """A canvas that keeps a cursor (`y`, the last baseline) and puts the number at the foot of every page."""

    def __init__(self, path: Path, title: str):
        self.c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
        self.c.setTitle(title)
        self.c.setAuthor("")
        self.page = 1
        self.y = BODY_TOP
        self.bottom = BODY_BOTTOM

    def ensure(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def new_page(self, top: float | None = None, bottom: float | None = None) -> None:
        self._number()
        self.c.showPage()
        self.page += 1
        self.y = BODY_TOP if top is None else top
        if bottom is not None:
            self.bottom = bottom

    def skip(self, lines: float = 1) -> None:
        self.y -= lines * LEADING

    def save(self) -> int:
        self._number()
        self.c.save()
        return self.page

    def _number(self) -> None:
        self.c.setFont(FONT, 10.5)
        self.c.drawCentredString(PAGE_W / 2, PAGE_NO_Y, str(self.page))


def run_width(text: str, start: int, end: int, gaps, size: float) -> float:
    extra = sum(1 for g in gaps if start < g < end) * GAP_EM * size
    return text_width(text[start:end], size) + extra


def wrap(text: str, gaps, first_width: float, width: float, size: float) -> list[tuple[int, int]]:
    """Break `text` into (start, end) line spans: Latin/number runs stay whole, closing punctuation may hang
    past the margin rather than start a line, opening punctuation moves down rather than end one."""
    spans, start, avail = [], 0, first_width
    for m in re.finditer(r"[A-Za-z0-9.%]+|.", text):
        i, j = m.span()
        if start < i and run_width(text, start, j, gaps, size) > avail and text[i] not in NO_LINE_START:
            brk = i - 1 if text[i - 1] in NO_LINE_END and i - 1 > start else i
            spans.append((start, brk))
            start, avail = brk, width
    spans.append((start, len(text)))
    return spans


def draw_run(c, x: float, y: float, text: str, start: int, end: int, gaps, size: float) -> None:
    c.setFont(FONT, size)
    inner = [g for g in gaps if start < g < end]
    if not inner:
        c.drawString(x, y, text[start:end])
        return
    # Spacing damage: place glyphs one by one and open a gap of GAP_EM before the marked ones, as the source
    # PDF did; an extractor reads a gap wider than its tolerance as a space that is not in the text.
    for k in range(start, end):
        if k in gaps and k > start:
            x += GAP_EM * size
        c.drawString(x, y, text[k])
        x += text_width(text[k], size)


def draw_paragraph(pw: PageWriter, text: str, gaps=frozenset(), indent: float = 2, align: str = "left",
                   size: float = BODY_SIZE, leading: float = LEADING, right_indent: float = 0,
                   hang: float = 0) -> None:
    """Wrap and draw one paragraph. indent: first line, hang: other lines, right_indent: all lines (in em)."""
    right = RIGHT - right_indent * size
    spans = wrap(text, gaps, right - LEFT - indent * size, right - LEFT - hang * size, size)
    for n, (s, e) in enumerate(spans):
        pw.ensure(leading)
        pw.y -= leading
        w = run_width(text, s, e, gaps, size)
        x = {"left": LEFT + (indent if n == 0 else hang) * size,
             "right": right - w,
             "center": (PAGE_W - w) / 2}[align]
        draw_run(pw.c, x, pw.y, text, s, e, gaps, size)


def draw_block(pw: PageWriter, block: Block, gaps=frozenset()) -> None:
    indent = 0 if block.kind == "salutation" else 2
    draw_paragraph(pw, block.text, gaps, indent=indent)


def draw_cell_text(c, text: str, x: float, top: float, w: float, h: float, size: float) -> None:
    """Centre the cell's lines ("\\n"-separated) horizontally and, as a block, vertically."""
    lines = text.split("\n") if text else []
    ascent, descent = pdfmetrics.getAscentDescent(FONT, size)
    leading = size * 1.25
    block = (len(lines) - 1) * leading
    first = top - h / 2 + block / 2 - (ascent + descent) / 2
    c.setFont(FONT, size)
    for n, line in enumerate(lines):
        c.drawCentredString(x + w / 2, first - n * leading, line)


def draw_table(pw: PageWriter, widths: list[float], table: Table, heights: list[float], size: float) -> int:
    """Draw a ruled table from pw.y down, each cell (merged ones once, over their span) outlined with lines.
    Rows that do not fit go on a new page, without repeating the header. Returns the number of pages used."""
    x0 = (PAGE_W - sum(widths)) / 2
    xs = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
    covered = table.covered()
    cv = pw.c
    pages, r = 1, 0
    while r < len(table.rows):
        # the rows a merged region spans must land on one page
        span = max([table.spans.get((r, c), (1, 1))[0] for c in range(len(widths))] + [1])
        if pw.y - sum(heights[r:r + span]) < pw.bottom:
            pw.new_page(TABLE_TOP)
            pages += 1
        for rr in range(r, r + span):
            top = pw.y - sum(heights[r:rr])
            for c, text in enumerate(table.rows[rr]):
                if (rr, c) in covered:
                    continue
                rs, cs = table.spans.get((rr, c), (1, 1))
                w, h = xs[c + cs] - xs[c], sum(heights[rr:rr + rs])
                cv.setLineWidth(0.75)        # (graphics state resets on a new page)
                cv.line(xs[c], top, xs[c + cs], top)
                cv.line(xs[c], top - h, xs[c + cs], top - h)
                cv.line(xs[c], top, xs[c], top - h)
                cv.line(xs[c + cs], top, xs[c + cs], top - h)
                draw_cell_text(cv, text, xs[c], top, w, h, size)
        pw.y -= sum(heights[r:r + span])
        r += span
    return pages


# ---- 浦东 --------------------------------------------------------------------------------------------

# Spacing damage goes on the paragraphs holding these: the 工作目标 figures, the cited 文件 number, the 6.5%/2.5%
# quotas and the 附件 line. In those paragraphs the lines that carry a gap are drawn glyph by glyph; every other
# line is drawn whole and reads back without spaces. The signing date gets its seed gaps too (build_pudong_pdf).
PUDONG_DAMAGED = ("市政府下达", "„2024‟57", "6.5%", "附件：")
CJK_SPLIT_EVERY = 7     # near those gaps (but not in the 附件 line) also split every 7th pair of CJK ideographs
CJK_SPLIT_NEAR = 10     # ... within this many characters of a seed gap


def damage(block: Block) -> frozenset:
    if not any(marker in block.text for marker in PUDONG_DAMAGED):
        return frozenset()
    if block.text.startswith("附件："):
        return block.gaps          # so the 附件 line reads back exactly as the seed prints it
    text = block.text
    pairs = [k for k in range(1, len(text)) if "\u4e00" <= text[k - 1] <= "\u9fff" and "\u4e00" <= text[k] <= "\u9fff"]
    near = [k for k in pairs if any(abs(k - g) <= CJK_SPLIT_NEAR for g in block.gaps)]
    return block.gaps | frozenset(near[CJK_SPLIT_EVERY - 1::CJK_SPLIT_EVERY])


def pudong_table(page: AnnexPage, header_lines: bool = True) -> Table:
    """One annex page as a 6-column grid: two side-by-side lists (序号 | 单位名称 | 数量, twice)."""
    sep = "\n" if header_lines else ""
    rows = [[sep.join(cell) for cell in page.header]]
    for left, right in page.rows:
        cells = [left.no, left.name, left.value]
        cells += [right.no, right.name, right.value] if right else ["", "", ""]
        rows.append(cells)
    return Table(rows)


def build_pudong_pdf(doc: Pudong, path: Path) -> dict:
    pw = PageWriter(path, doc.docno.text)
    draw_paragraph(pw, doc.docno.text, indent=0, align="center")
    pw.skip()
    for block in doc.cover:
        draw_block(pw, block)
    pw.skip(3)
    draw_paragraph(pw, doc.issuer, indent=0, align="right", right_indent=2)
    draw_paragraph(pw, doc.date.text, doc.date.gaps, indent=0, align="right", right_indent=3)
    pw.skip()
    draw_paragraph(pw, doc.public_note, indent=0)
    for block in doc.body:
        draw_block(pw, block, damage(block))
    pw.skip()
    draw_paragraph(pw, doc.annex_ref.text, damage(doc.annex_ref))

    # 抄送 and 印发 sit at the foot of the last body page, as a notice's 版记 does.
    if pw.y - 3 * LEADING < pw.bottom:
        pw.new_page()
    pw.c.setFont(FONT, 14)
    pw.c.drawString(LEFT, pw.bottom + LEADING, doc.cc)
    pw.c.drawString(LEFT, pw.bottom, doc.printed_by)
    pw.c.drawRightString(RIGHT, pw.bottom, doc.printed_on)

    annex_pages = []
    widths = [30, 152, 78, 30, 152, 78]
    for n, page in enumerate(doc.annex_pages):
        pw.new_page(TABLE_TOP, TABLE_BOTTOM)
        annex_pages.append(pw.page)
        if n == 0:
            pw.y -= 10
            draw_paragraph(pw, doc.annex_title.text, damage(doc.annex_title), indent=0, leading=14, size=14)
            pw.y -= 14
        table = pudong_table(page)
        used = draw_table(pw, widths, table, [34] + [18] * (len(table.rows) - 1), 11)
        assert used == 1, "each annex page of the seed must fit one PDF page"
    return {"pages": pw.save(), "annex_pages": annex_pages}


# ---- 青浦 --------------------------------------------------------------------------------------------

QINGPU_WIDTHS = {"附件 1": [200, 160], "附件 2": [280, 150], "附件 3": [80, 250, 110]}
QINGPU_ROW_H = 22       # small enough that 附件 2 (header + 57 rows) breaks onto exactly one more page


def build_qingpu_pdf(doc: Qingpu, path: Path) -> dict:
    pw = PageWriter(path, doc.title)
    pw.y -= 8
    draw_paragraph(pw, doc.title, indent=0, align="center", size=20, leading=34)
    draw_paragraph(pw, doc.draft_mark, indent=0, align="center")
    pw.skip(0.5)
    for block in doc.blocks:
        draw_block(pw, block)
    pw.skip()
    # 附件:1. …  then 2. / 3. (and any wrapped line) aligned under "1."
    under = 2 + text_width(re.match(r"附件[:：]", doc.annex_list[0]).group(0), BODY_SIZE) / BODY_SIZE
    for n, item in enumerate(doc.annex_list):
        draw_paragraph(pw, item, indent=2 if n == 0 else under, hang=under)

    annex_pages = {}
    for annex in doc.annexes:
        pw.new_page(TABLE_TOP, TABLE_BOTTOM)
        first = pw.page
        draw_paragraph(pw, annex.label, indent=0)
        draw_paragraph(pw, annex.title, indent=0, align="center", size=18, leading=30)
        pw.y -= 14
        rows = annex.table.rows
        draw_table(pw, QINGPU_WIDTHS[annex.label], annex.table, [QINGPU_ROW_H] * len(rows), 12)
        annex_pages[annex.label] = list(range(first, pw.page + 1))
    return {"pages": pw.save(), "annex_pages": annex_pages}


# =====================================================================================================
# DOCX
# =====================================================================================================

FIXED_TIME = dt.datetime(2000, 1, 1)       # same instant reportlab writes into the PDFs with invariant=1


def new_document():
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    doc.styles["Normal"].font.size = Pt(16)
    return doc


def add_paragraph(doc, text: str = "", indent: bool = True, align=None, size=None, bold=False,
                  page_break_before=False):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    if align is not None:
        p.alignment = align
    if page_break_before:
        p.paragraph_format.page_break_before = True
    return p


def set_cell(cell, text: str, size: float = 10.5) -> None:
    cell.text = text
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in p.runs:
        run.font.size = Pt(size)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def add_table(doc, table: Table, size: float = 10.5):
    t = doc.add_table(rows=len(table.rows), cols=len(table.rows[0]))
    t.style = "Table Grid"
    covered = table.covered()
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            if (r, c) not in covered and (r, c) not in table.spans:
                set_cell(t.cell(r, c), text, size)
    for (r, c), (rs, cs) in sorted(table.spans.items()):
        merged = t.cell(r, c).merge(t.cell(r + rs - 1, c + cs - 1))
        set_cell(merged, table.rows[r][c], size)     # merge() concatenates the texts; keep the one value
    return t


def save_docx(doc, path: Path, title: str) -> None:
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = title, "", ""
    cp.comments, cp.subject, cp.keywords, cp.category = "", "", "", ""
    cp.created = cp.modified = FIXED_TIME
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    # python-docx stamps every zip member with the current time; rewrite them with a fixed one.
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))


def build_pudong_docx(doc: Pudong, path: Path) -> None:
    d = new_document()
    add_paragraph(d, doc.docno.text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    for block in doc.cover:
        add_paragraph(d, block.text, indent=block.kind != "salutation")
    add_paragraph(d, doc.issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_paragraph(d, doc.date.text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_paragraph(d, doc.public_note, indent=False)
    for block in doc.body:
        add_paragraph(d, block.text)
    add_paragraph(d, doc.annex_ref.text)
    add_paragraph(d, doc.cc, indent=False, size=14)
    # 印发 line: office on the left, date flush right at a right tab stop, as Word templates do it
    p = add_paragraph(d, f"{doc.printed_by}\t{doc.printed_on}", indent=False, size=14)
    p.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)

    add_paragraph(d, doc.annex_title.text, indent=False, page_break_before=True)
    # One Word table for both annex pages: the second page's header comes back as an ordinary row.
    pages = [pudong_table(page, header_lines=False) for page in doc.annex_pages]
    add_table(d, Table(pages[0].rows + pages[1].rows))
    save_docx(d, path, doc.annex_title.text.removeprefix("附件："))


def build_qingpu_docx(doc: Qingpu, path: Path) -> None:
    d = new_document()
    add_paragraph(d, doc.title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True)
    add_paragraph(d, doc.draft_mark, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    for block in doc.blocks:
        add_paragraph(d, block.text, indent=block.kind != "salutation")
    # the annex list is one paragraph with line breaks; later items hang under "1."
    p = add_paragraph(d, doc.annex_list[0])
    for item in doc.annex_list[1:]:
        run = p.add_run()
        run.add_break()
        run.add_text(item)
    for annex in doc.annexes:
        add_paragraph(d, annex.label, indent=False, page_break_before=True)
        add_paragraph(d, annex.title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=18, bold=True)
        add_table(d, annex.table, size=12)
    save_docx(d, path, doc.title)


# =====================================================================================================

def main() -> None:
    register_font()
    pudong, qingpu = parse_pudong(), parse_qingpu()
    made = {
        "pudong-2024.pdf": build_pudong_pdf(pudong, HERE / "pudong-2024.pdf"),
        "qingpu-2021.pdf": build_qingpu_pdf(qingpu, HERE / "qingpu-2021.pdf"),
    }
    build_pudong_docx(pudong, HERE / "pudong-2024.docx")
    build_qingpu_docx(qingpu, HERE / "qingpu-2021.docx")
    for name, info in made.items():
        print(f"{name}: {info['pages']} pages, annex tables on pages {info['annex_pages']}")
    print("pudong-2024.docx, qingpu-2021.docx written")


if __name__ == "__main__":
    main()
