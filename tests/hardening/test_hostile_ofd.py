"""OFD files that make a few kilobytes cost gigabytes or hours: each is read within bounds, or refused with one
line naming the file and the limit, and the run goes on."""
from __future__ import annotations

from hostile import OFD_NOTICE, ofd, ofd_page, ofd_text, random_text, rows_of, run_cli, stderr_lines


def test_a_glyph_advance_repeated_past_the_text_costs_only_the_text(tmp_path):
    """DeltaX="g 100000 1" 5,000 times on a one-character text: 500 million advances (4 GB) were built for it."""
    body = OFD_NOTICE + ofd_text(20, 80, "献", delta_x="g 100000 1 " * 5000)
    (tmp_path / "deltas.ofd").write_bytes(ofd(["Pages/P0.xml"], {"Pages/P0.xml": ofd_page(body)}))
    proc = run_cli(tmp_path / "deltas.ofd", "--out", tmp_path / "out", "--no-cache")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert ("东山村", "12") in rows_of(tmp_path / "out")


def test_a_template_named_many_times_on_a_page_is_drawn_once(tmp_path):
    """A page naming one 200,000-character template 5,000 times: a billion glyphs (6 GB, then MemoryError)."""
    template = ofd_page("".join(ofd_text(10, 200 + i % 80, random_text(100, seed=i)) for i in range(2000)))
    page = ofd_page(OFD_NOTICE, before='<ofd:Template TemplateID="7"/>' * 5000)
    data = ofd(["Pages/P0.xml"], {"Pages/P0.xml": page, "Tpl.xml": template},
               templates='<ofd:TemplatePage ID="7" BaseLoc="Tpl.xml"/>')
    (tmp_path / "template.ofd").write_bytes(data)
    proc = run_cli(tmp_path / "template.ofd", "--out", tmp_path / "out", "--no-cache", timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert ("东山村", "12") in rows_of(tmp_path / "out")


def test_one_large_part_drawn_on_every_page_counts_against_max_chars(tmp_path):
    """300 pages all naming one 200,000-character content part: a 15 KB file that took 3 s a page (15 minutes);
    every page within --max-pages and --max-chars."""
    big = ofd_page(OFD_NOTICE + "".join(ofd_text(10, 100 + i % 150, random_text(100, seed=i)) for i in range(2000)))
    data = ofd(["Pages/P.xml"] * 300, {"Pages/P.xml": big})
    (tmp_path / "shared.ofd").write_bytes(data)
    proc = run_cli(tmp_path / "shared.ofd", "--out", tmp_path / "out", "--no-cache", timeout=90)
    assert proc.returncode == 3, proc.stderr[-2000:]
    [line] = [x for x in stderr_lines(proc) if "shared.ofd" in x]
    assert "shared.ofd: unreadable: OFD has more than 1000000 characters in its first 5 pages" in line
    assert line.endswith("(--max-chars)")


def test_a_part_of_many_empty_elements_is_refused_before_it_is_parsed(tmp_path):
    """A page part padded with empty elements (<x/>, 4 bytes each; 100 MB of them took gigabytes of tree): 40,000
    of them under --max-chars 2000 (32,000 elements allowed) are refused before parsing, naming the part and the
    flag; the same notice without the padding reads."""
    padded = ofd_page(OFD_NOTICE + "<x/>" * 40_000)
    (tmp_path / "padded.ofd").write_bytes(ofd(["Pages/P0.xml"], {"Pages/P0.xml": padded}))
    (tmp_path / "plain.ofd").write_bytes(ofd(["Pages/P0.xml"], {"Pages/P0.xml": ofd_page(OFD_NOTICE)}))
    proc = run_cli(tmp_path / "padded.ofd", tmp_path / "plain.ofd", "--out", tmp_path / "out", "--no-cache",
                   "--max-chars", "2000")
    assert proc.returncode == 3, proc.stderr[-2000:]
    [line] = [x for x in stderr_lines(proc) if "padded.ofd" in x]
    assert "XML elements in Doc_0/Pages/P0.xml" in line and "(16 per character of --max-chars)" in line
    assert ("东山村", "12") in rows_of(tmp_path / "out")


def test_pages_sharing_one_grid_count_their_crossings_for_the_whole_document(monkeypatch):
    """OFD, hostile class: one ruled page part named by every page (a grid searched again on each, as a PDF's
    shared grid stream is) counts its crossings against rulings.MAX_DOCUMENT_INTERSECTIONS for the whole file;
    the refusal names the page. A 3×3 table of rectangles: 16 crossings a page."""
    import parsers
    from parsers import rulings
    from parsers.model import UnreadableFile
    import pytest
    cells = "".join(f'<ofd:PathObject ID="8" Boundary="{20 + 40 * c} {50 + 10 * r} 40 10"><ofd:AbstractData>'
                    f"M 0 0 L 40 0 L 40 10 L 0 10 C</ofd:AbstractData></ofd:PathObject>"
                    for r in range(3) for c in range(3))
    data = ofd(["Pages/P.xml"] * 5, {"Pages/P.xml": ofd_page(OFD_NOTICE + cells)})
    assert parsers.read_bytes("grids.ofd", data).format == "ofd"
    monkeypatch.setattr(rulings, "MAX_DOCUMENT_INTERSECTIONS", 40)
    with pytest.raises(UnreadableFile, match=r"^OFD document has more than 40 crossings of ruled lines up to page 3"):
        parsers.read_bytes("grids.ofd", data)


def test_distinct_pages_each_within_max_chars_count_against_it_for_the_whole_document(tmp_path):
    """OFD, hostile class (second attacker round): twelve pages of their own, each just under --max-chars, were all
    read (12 times the limit: 40 s, 0.94 GB; 500 pages would take half an hour). As for a PDF, the whole document
    is held to --max-chars, counted as pages are read; the refusal names the page it passed at."""
    pages = {f"Pages/P{i}.xml": ofd_page(OFD_NOTICE + ofd_text(10, 100, random_text(900, seed=i))) for i in range(4)}
    data = ofd(sorted(pages), pages)
    (tmp_path / "many.ofd").write_bytes(data)
    proc = run_cli(tmp_path / "many.ofd", "--out", tmp_path / "out", "--no-cache", "--max-chars", "2500")
    assert proc.returncode == 3, proc.stderr[-2000:]
    [line] = [x for x in stderr_lines(proc) if "many.ofd" in x]
    assert line.endswith("many.ofd: unreadable: OFD has more than 2500 characters in its first 3 pages, over the "
                         "limit for a whole document (--max-chars)"), line
    proc = run_cli(tmp_path / "many.ofd", "--out", tmp_path / "out2", "--no-cache", "--max-chars", "4000")
    assert proc.returncode == 0, proc.stderr[-2000:]
