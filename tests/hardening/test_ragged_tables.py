"""Ragged tables: one row W cells wide over H rows of two. The file is W + H cells long, but a reader that pads
every row to the widest builds W × H cells: 4000 × 4000 cost 30-54 s and 4.4 GB from 3 to 76 KB of input. Each
reader now counts the grid its tables would make (rows × widest row, summed over the document) before it builds
it, and refuses the file with one line naming the bound when that passes it.

The bound is patched small here so that a file of a few thousand cells shows the attack quickly; the same file
under the real bound is read."""
from __future__ import annotations

import pytest

from hostile import zip_bytes
from parsers import UnreadableFile, limits, read_bytes, sheet_measure

W, H = 60, 60            # a 60 × 60 grid (3,600 cells) from 120 cells of text
SMALL = 1000             # the bound while a test shows the refusal


def tab_text(w: int = W, h: int = H) -> bytes:
    return ("标题\n" + "\t".join(["x"] * w) + "\n" + "\tb\n" * h).encode()


def pipe_text(w: int = W, h: int = H) -> bytes:
    return ("|" + "|".join(["x"] * w) + "|\n" + "|a|b|\n" * h).encode()


def csv_text(w: int = W, h: int = H) -> bytes:
    return ("x" + "," * w + "\n" + "a,b\n" * h).encode()


def html_page(w: int = W, h: int = H) -> bytes:
    return ("<html><body><p>标题</p><table><tr>" + "<td>1" * w + "</tr>" + "<tr><td>1<td>2" * h
            + "</table></body></html>").encode()


def docx_file(w: int = W, h: int = H) -> bytes:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    tc = "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
    body = f"<w:tbl><w:tr>{tc * w}</w:tr>" + f"<w:tr>{tc}{tc}</w:tr>" * h + "</w:tbl>"
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>'
           f"<w:p><w:r><w:t>标题</w:t></w:r></w:p>{body}</w:body></w:document>")
    ct = ('<?xml version="1.0" encoding="UTF-8"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>')
    return zip_bytes({"[Content_Types].xml": ct, "_rels/.rels": rels, "word/document.xml": doc})


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(UnreadableFile) as info:
        read_bytes(name, data)
    message = str(info.value)
    assert "\n" not in message
    return message


def widest_table(name: str, data: bytes) -> tuple[int, int]:
    doc = read_bytes(name, data)
    return max(((len(t.rows), len(t.rows[0])) for t in doc.tables()), key=lambda s: s[0] * s[1])


def test_a_ragged_tab_table_is_refused_before_its_grid_is_built(monkeypatch):
    """Hostile class: a tab-separated text table, one line of W tabs over H lines of one tab."""
    assert widest_table("wide.txt", tab_text()) == (H + 1, W)
    monkeypatch.setattr(limits, "MAX_GRID_CELLS", SMALL)
    assert refusal("wide.txt", tab_text()) == (
        f"text table 1 is {H + 1} rows × {W} columns once its rows are padded to the widest, over the limit of "
        f"{SMALL} cells for a document's tables in all: refused (ragged rows built to exhaust memory?)")


def test_the_grid_bound_is_summed_over_a_documents_tables(monkeypatch):
    """Hostile class: many ragged tables, each under the bound, together over it."""
    data = b"\n\n".join([tab_text(20, 20)] * 3)    # three grids of 21 × 20 = 420 cells
    monkeypatch.setattr(limits, "MAX_GRID_CELLS", SMALL)
    assert refusal("three.txt", data).startswith("text table 3 is 21 rows × 20 columns")


def test_a_ragged_pipe_table_is_refused_before_its_grid_is_built(monkeypatch):
    """Hostile class: a pipe table (| a | b |), one row of W cells over H rows of two."""
    assert widest_table("wide.txt", pipe_text()) == (H + 1, W)
    monkeypatch.setattr(limits, "MAX_GRID_CELLS", SMALL)
    assert refusal("wide.txt", pipe_text()).startswith(
        f"text table 1 is {H + 1} rows × {W} columns once its rows are padded to the widest, over the limit of "
        f"{SMALL} cells")


def test_a_ragged_csv_is_refused_before_its_rows_are_padded(monkeypatch):
    """Hostile class: comma-separated values (a .csv, or a website's .xls), one row of W commas over H rows of
    two fields; bounded as a sheet is, by the workbook's cell bound."""
    assert widest_table("wide.csv", csv_text()) == (H, 2)    # the title row a paragraph, the empty columns dropped
    monkeypatch.setattr(sheet_measure, "MAX_WORKBOOK_CELLS", SMALL)
    assert refusal("wide.csv", csv_text()) == (
        f"CSV is {H + 1} rows × {W + 1} columns once its rows are padded to the widest, over the limit of "
        f"{SMALL} cells for a workbook's sheets in all: refused (ragged rows built to exhaust memory?)")


def test_a_ragged_html_table_is_refused_before_its_grid_is_built(monkeypatch):
    """Hostile class: an HTML table, one <tr> of W cells over H of two. The span bound counted only the cells
    placed (W + 2H), not the padding."""
    assert widest_table("wide.html", html_page()) == (H + 1, W)
    monkeypatch.setattr(limits, "MAX_GRID_CELLS", SMALL)
    assert refusal("wide.html", html_page()) == (
        f"HTML table 1 is {H + 1} rows × {W} columns once its rows are padded to the widest, over the limit of "
        f"{SMALL} cells for a document's tables in all: refused (ragged rows built to exhaust memory?)")


def test_html_spans_are_still_held_to_the_same_bound(monkeypatch):
    """Hostile class: a few rowspan/colspan cells covering a huge grid (the bound the HTML reader had already)."""
    monkeypatch.setattr(limits, "MAX_GRID_CELLS", SMALL)
    page = (b'<html><body><p>x</p><table><tr><td rowspan="20" colspan="100">1</td><td>2</td></tr>' + b"<tr><td>2</td></tr>" * 19
            + b"</table></body></html>")
    assert refusal("span.html", page).startswith(f"HTML table 1 spans more than {SMALL} cells")


def test_a_ragged_docx_table_is_refused_before_its_grid_is_built(monkeypatch):
    """Hostile class: a DOCX table, one <w:tr> of W cells over H of two (a 3 KB file made 16 million cells)."""
    assert widest_table("wide.docx", docx_file()) == (H + 1, W)
    monkeypatch.setattr(limits, "MAX_GRID_CELLS", SMALL)
    assert refusal("wide.docx", docx_file()) == (
        f"DOCX table 1 is {H + 1} rows × {W} columns once its rows are padded to the widest, over the limit of "
        f"{SMALL} cells for a document's tables in all: refused (ragged rows built to exhaust memory?)")
