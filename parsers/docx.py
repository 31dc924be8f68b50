"""DOCX into the document model, walking the body XML in order so paragraphs and tables keep their sequence.

Merges are read from the XML (w:vMerge, w:gridSpan) rather than python-docx's cell API, which repeats a merged
cell's text in every position it covers and so hides which blanks are real.
"""
from __future__ import annotations

import zipfile

from docx import Document as open_docx
from docx.oxml.ns import qn

from .model import Cell, Document, Line, Paragraph, Table, UnreadableFile


def read(path: str, data: bytes) -> Document:
    import io
    try:
        docx = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(f"not a readable DOCX package: {exc}") from exc
    except Exception as exc:  # lxml raises its own syntax errors for damaged XML
        raise UnreadableFile(f"DOCX XML could not be parsed: {exc.__class__.__name__}: {exc}") from exc
    doc = Document(source_file=path, format="docx")
    p_index = t_index = 0
    for el in docx.element.body.iterchildren():
        if el.tag == qn("w:p"):
            p_index += 1
            text = _paragraph_text(el)
            if text.strip():
                style = _style(el)
                lines = [Line(text=part, source_index=p_index) for part in text.split("\n") if part.strip()]
                doc.blocks.append(Paragraph(lines=lines, style=style))
        elif el.tag == qn("w:tbl"):
            t_index += 1
            doc.blocks.append(_table(el, t_index))
    return doc


def _paragraph_text(p) -> str:
    out = []
    for node in p.iter():
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.tag == qn("w:tab"):
            out.append("\t")
        elif node.tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
    return "".join(out)


def _style(p):
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        st = ppr.find(qn("w:pStyle"))
        if st is not None:
            return st.get(qn("w:val"))
    return None


def _table(tbl, t_index: int) -> Table:
    grid: list[list[Cell]] = []
    for r, tr in enumerate(tbl.iterchildren(qn("w:tr"))):
        row: list[Cell] = []
        col = 0
        for tc in tr.iterchildren(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span, vmerge = 1, None
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = int(gs.get(qn("w:val"), "1"))
                vm = tcpr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val"), "continue")
            paras = [_paragraph_text(p) for p in tc.iterchildren(qn("w:p"))]
            lines = [Line(text=t, source_index=t_index) for t in paras if t.strip()]
            text = "\n".join(line.text for line in lines)
            origin = Cell(text=text, row=r, col=col, colspan=span, lines=lines)
            if vmerge == "continue":
                above = _origin_above(grid, r, col)
                if above is not None:
                    above.rowspan += 1
                    origin = Cell(text="", row=r, col=col, colspan=span, merged_into=(above.row, above.col))
            row.append(origin)
            for extra in range(1, span):   # positions covered by a horizontal span
                row.append(Cell(text="", row=r, col=col + extra, merged_into=(origin.merged_into or (r, col))))
            col += span
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    for r, row in enumerate(grid):
        row.extend(Cell(text="", row=r, col=c) for c in range(len(row), width))
    return Table(rows=grid, strategy="docx", source_index=t_index, merges_known=True)


def _origin_above(grid: list[list[Cell]], r: int, col: int):
    if r == 0 or col >= len(grid[r - 1]):
        return None
    above = grid[r - 1][col]
    if above.merged_into is not None:
        ar, ac = above.merged_into
        return grid[ar][ac]
    return above
