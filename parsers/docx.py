"""DOCX into the document model, walking the body XML in order so paragraphs and tables keep their sequence.

Merges are read from the XML (w:vMerge, w:gridSpan) rather than python-docx's cell API, which repeats a merged
cell's text in every position it covers and so hides which blanks are real.

Only the main document part is parsed (and, to find it, the package's relationships and content types), found
as python-docx finds it (the package's officeDocument relationship, its content type checked) and parsed with
python-docx's parser settings (blank text dropped, entities never resolved), but without its element classes:
opening the whole package with python-docx parsed every part (styles, numbering, settings, theme …) and made a
Python object of each element, which cost more than the rest of reading a notice.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Optional

from lxml import etree

from .limits import NO_LIMITS, GridBudget, Limits, describe, over
from .package import check_elements, check_package
from .model import Cell, Document, Line, Paragraph, Table, UnreadableFile

# Word tables have at most 63 columns; a larger w:gridSpan is damage (or an attempt to allocate a huge grid).
MAX_SPAN = 63
# The WordprocessingML names we look at, qualified once: qn() on every node was a tenth of reading a DOCX.
_WML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = {name: f"{{{_WML}}}{name}" for name in ("body", "br", "cr", "gridSpan", "p", "pPr", "pStyle", "t", "tab", "tbl",
                                            "tc", "tcPr", "tr", "vMerge", "val")}
# python-docx's parser settings (docx.oxml.parser), without its custom element classes
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def read(path: str, data: bytes, limits: Limits = NO_LIMITS, on_ocr_page=None) -> Document:
    """A DOCX: paragraphs and tables in body order, merges from the XML. Every failure is an UnreadableFile."""
    check_package(data, limits, "DOCX")
    try:
        body = _main_body(data, limits.max_chars)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(f"not a readable DOCX package: {describe(exc)}") from exc
    except Exception as exc:  # lxml raises its own syntax errors for damaged XML
        raise UnreadableFile(f"DOCX XML could not be parsed: {describe(exc)}") from exc
    doc = Document(source_file=path, format="docx")
    try:
        _walk(body, doc)
    except UnreadableFile:
        raise
    except Exception as exc:   # a damaged attribute (a gridSpan that is not a number …)
        raise UnreadableFile(f"DOCX content could not be read: {describe(exc)}") from exc
    n_chars = sum(len(line.text) for p in doc.paragraphs() for line in p.lines) + \
        sum(len(c.text) for t in doc.tables() for row in t.rows for c in row)
    if over(limits.max_chars, n_chars):
        raise UnreadableFile(f"DOCX has {n_chars} characters, over the limit of {limits.max_chars} (--max-chars)")
    return doc


def _main_body(data: bytes, max_chars: Optional[int] = None):
    """The w:body of the package's main document part (None when it has none). Raises KeyError for a missing
    part or relationship, ValueError for a main part that is not a Word document, lxml's errors for bad XML.
    Every part read (the package relationships, the content types, the main part) is parsed by _parse, which
    counts its elements first."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = _parse(z, "_rels/.rels", max_chars)
        targets = [r.get("Target", "") for r in rels.iter(_REL)
                   if r.get("Type") == _OFFICE_DOCUMENT and r.get("TargetMode") != "External"]
        if not targets:
            raise KeyError("no officeDocument relationship in _rels/.rels")
        partname = posixpath.normpath(posixpath.join("/", targets[0]))
        content_type = _content_type(_parse(z, "[Content_Types].xml", max_chars), partname)
        if content_type != _MAIN:
            raise ValueError(f"not a Word document: its main part's content type is {content_type!r}")
        root = _parse(z, partname.lstrip("/"), max_chars)
    return root.find(_W["body"])


def _parse(z: zipfile.ZipFile, name: str, max_chars: Optional[int]):
    """A part of the package parsed, once its elements are counted in its bytes (package.check_elements): 100 MB
    of <x/> in _rels/.rels or [Content_Types].xml cost as much as in the document itself."""
    xml = z.read(name)
    check_elements(xml, max_chars, "DOCX", name)
    return etree.fromstring(xml, _PARSER)


def _content_type(types, partname: str) -> str:
    """A part's content type: its Override, else the Default for its extension (both compared without case)."""
    for o in types.iter(f"{_CT}Override"):
        if o.get("PartName", "").lower() == partname.lower():
            return o.get("ContentType", "")
    ext = partname.rsplit(".", 1)[-1].lower() if "." in partname.rsplit("/", 1)[-1] else ""
    for d in types.iter(f"{_CT}Default"):
        if d.get("Extension", "").lower() == ext:
            return d.get("ContentType", "")
    raise KeyError(f"no content type for {partname}")


def _walk(body, doc: Document) -> None:
    p_index = t_index = 0
    budget = GridBudget("DOCX")
    for el in body.iterchildren():
        if el.tag == _W["p"]:
            p_index += 1
            text = _paragraph_text(el)
            if text.strip():
                style = _style(el)
                lines = [Line(text=part, source_index=p_index) for part in text.split("\n") if part.strip()]
                doc.blocks.append(Paragraph(lines=lines, style=style))
        elif el.tag == _W["tbl"]:
            t_index += 1
            doc.blocks.append(_table(el, t_index, budget))


# The elements of a paragraph that carry its text, asked of lxml by tag: it then skips the rest (run properties,
# bookmarks, proofing marks) in C, without making a Python object of each.
_TEXT_TAGS = (_W["t"], _W["tab"], _W["br"], _W["cr"])
_BREAKS = {_W["tab"]: "\t", _W["br"]: "\n", _W["cr"]: "\n"}


def _paragraph_text(p) -> str:
    t = _W["t"]
    return "".join((node.text or "") if node.tag == t else _BREAKS[node.tag] for node in p.iter(*_TEXT_TAGS))


def _style(p):
    ppr = p.find(_W["pPr"])
    if ppr is not None:
        st = ppr.find(_W["pStyle"])
        if st is not None:
            return st.get(_W["val"])
    return None


def _table(tbl, t_index: int, budget: GridBudget) -> Table:
    """The table's cells as placed (horizontal spans cover positions, vertical merges point at the cell above),
    then every row padded to the widest: refused (budget) before the padding when the grid would pass the
    document's bound on grid cells."""
    grid: list[list[Cell]] = []
    for r, tr in enumerate(tbl.iterchildren(_W["tr"])):
        row: list[Cell] = []
        col = 0
        for tc in tr.iterchildren(_W["tc"]):
            tcpr = tc.find(_W["tcPr"])
            span, vmerge = 1, None
            if tcpr is not None:
                gs = tcpr.find(_W["gridSpan"])
                if gs is not None:
                    span = int(gs.get(_W["val"], "1"))
                    if not 1 <= span <= MAX_SPAN:
                        raise UnreadableFile(f"DOCX table {t_index} row {r + 1} has a cell spanning {span} "
                                             f"columns (Word allows 1 to {MAX_SPAN})")
                vm = tcpr.find(_W["vMerge"])
                if vm is not None:
                    vmerge = vm.get(_W["val"], "continue")
            paras = [_paragraph_text(p) for p in tc.iterchildren(_W["p"])]
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
    budget.add(len(grid), width)
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
