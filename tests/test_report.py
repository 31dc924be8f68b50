"""The review report as a reviewer sees it: report.html opened in headless Chromium, filters clicked with the mouse.

Chromium comes from the distribution (`apt-get install -y chromium`); .ci/run installs it when missing and sets
XIANXUE_REQUIRE_BROWSER=1, so there a missing browser fails the suite instead of skipping these tests.
"""
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES
from headless import Browser, chromium_path


def _need_browser():
    if chromium_path() is None:
        if os.environ.get("XIANXUE_REQUIRE_BROWSER"):
            pytest.fail("chromium is required here (apt-get install -y chromium)")
        pytest.skip("chromium not installed (apt-get install -y chromium)")


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture(scope="module")
def out(tmp_path_factory, result_cache):
    """The samples ingested as `make ingest` does, into a folder of our own."""
    folder = tmp_path_factory.mktemp("report")
    proc = subprocess.run([sys.executable, "-m", "ingest", str(SAMPLES), "--out", str(folder), "--quiet",
                           "--cache-dir", str(result_cache)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return folder


@pytest.fixture(scope="module")
def findings(out):
    formats = {r["notice_id"]: r["format"] for r in read_csv(out / "notices.csv")}
    rows = read_csv(out / "anomalies.csv")
    for r in rows:
        r["format"] = formats[r["notice_id"]]
    assert rows
    return rows


@pytest.fixture(scope="module")
def page(out):
    _need_browser()
    with Browser() as b:
        b.open((out / "report.html").as_uri())
        yield b


ARTICLES = """Array.from(document.querySelectorAll('article.finding')).map(a => ({
  notice: a.dataset.notice, key: a.dataset.key, severity: a.dataset.severity, text: a.textContent,
  visible: a.getClientRects().length > 0,
  img: (i => i ? {ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth, alt: i.alt} : null)(a.querySelector('img.src-img')),
  src: (p => p ? p.textContent : null)(a.querySelector('pre.src-text')),
  extracted: !!a.querySelector('table.row'),
}))"""


def articles(page) -> dict:
    return {(a["notice"], a["key"]): a for a in page.eval(ARTICLES)}


def test_report_html_fetches_nothing(page, out):
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert "<script src" not in html
    urls = page.requests()
    assert urls and all(u.startswith(("file:", "data:")) for u in urls), urls


def test_every_finding_is_on_the_page_with_its_source(page, findings):
    shown = articles(page)
    assert len(shown) == len(findings)
    pictures = texts = 0
    for f in findings:
        a = shown.get((f["notice_id"], f["finding_key"]))
        assert a is not None, f"{f['notice_id']} {f['finding_key']} is not in report.html"
        assert a["severity"] == f["severity"] and f["message"] in a["text"] and f["code"] in a["text"]
        for fig in (f["expected"], f["actual"]):
            assert fig in a["text"]
        if f["format"] == "pdf" and f["page"] and f["box"]:
            # a picture of the printed row, cropped from the rendered page, and it decodes
            assert a["img"] and a["img"]["ok"] and a["img"]["w"] > 100, (f["notice_id"], f["finding_key"])
            pictures += 1
        elif f["source_text"]:
            assert a["img"] is None and a["src"] == f["source_text"], (f["notice_id"], f["finding_key"])
            texts += 1
        if f["table_id"] and f["row_no"]:
            assert a["extracted"], f"{f['finding_key']}: the extracted row is not shown beside the source"
    assert pictures >= 10 and texts >= 20


def test_severity_filter_hides_and_shows(page):
    before = articles(page)
    severities = sorted({a["severity"] for a in before.values()})
    assert {"warning", "info"} <= set(severities)
    assert all(a["visible"] for a in before.values())
    for sev in severities:
        page.click(f"input[data-sev={sev}]")           # untick: that severity disappears, the others stay
        now = articles(page)
        assert not any(a["visible"] for a in now.values() if a["severity"] == sev)
        assert all(a["visible"] for a in now.values() if a["severity"] != sev)
        hidden = sum(1 for a in before.values() if a["severity"] == sev)
        assert page.eval("document.getElementById('shown').textContent") == f"显示 {len(before) - hidden} / {len(before)} 条发现"
        page.click(f"input[data-sev={sev}]")           # tick again: all back
        assert all(a["visible"] for a in articles(page).values())


def test_notice_filter_shows_one_notice(page):
    choose = """(v => {const s = document.getElementById('notice-filter'); s.value = v;
                 s.dispatchEvent(new Event('change', {bubbles: true}));})(%r)"""
    page.eval(choose % "qingpu-2021-pdf")
    now = articles(page)
    assert any(a["visible"] for a in now.values())
    assert all(a["visible"] == (n == "qingpu-2021-pdf") for (n, _), a in now.items())
    sections = page.eval("""Array.from(document.querySelectorAll('section.notice')).map(s =>
                             [s.dataset.noticeBlock, s.getClientRects().length > 0])""")
    assert all(visible == (nid == "qingpu-2021-pdf") for nid, visible in sections)
    page.eval(choose % "")
    assert all(a["visible"] for a in articles(page).values())


def test_extracted_tables_mark_the_flagged_rows(page, findings):
    flagged = page.eval("""Array.from(document.querySelectorAll('details.extracted tr.flagged')).map(r => r.id)""")
    for f in findings:
        if f["table_id"] and f["row_no"]:
            assert f"r-{f['notice_id']}-{f['table_id']}-{f['row_no']}" in flagged
    # following a finding's link to its row opens the collapsed table at that row
    page.click("article.finding[data-key='seq-missing/t1/21/seq'][data-notice='pudong-2024-pdf'] table.row a")
    assert page.eval("document.getElementById('r-pudong-2024-pdf-t1-21').closest('details').open") is True


def test_summary_per_notice(out):
    html = (out / "report.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    for text in (html, md):
        assert "57510" in text and "41200" in text and "15910" in text      # headline and sub-targets
        assert "10118" in text and "1119" in text and "11237" in text       # stated and computed totals
        assert "未审核：错误" in text


def test_report_md_has_every_finding(out, findings):
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "data:image" not in md
    for f in findings:
        assert f"`{f['notice_id']}` `{f['finding_key']}`" in md
        assert f["message"].replace("|", "\\|") in md


def test_keys_are_unique_per_notice(findings):
    keys = [(f["notice_id"], f["finding_key"]) for f in findings]
    assert len(keys) == len(set(keys))


def test_pages_are_rendered_once_and_cropped(tmp_path):
    from parsers.render import PageRenderer, crop_png
    from PIL import Image
    pdf = SAMPLES / "qingpu-2021.pdf"
    with PageRenderer(str(pdf)) as r:
        a = r.crop_png(9, [77.6, 150, 517.6, 194], outline=[407.6, 172, 517.6, 194])
        b = r.crop_png(9, [77.6, 350, 517.6, 436])
        assert r.renders == 1
    for png in (a, b):
        im = Image.open(io.BytesIO(png))
        assert im.format == "PNG" and im.width > 800 and 80 < im.height < 250
    assert crop_png(pdf, 9, [77.6, 150, 517.6, 194], outline=[407.6, 172, 517.6, 194]) == a    # deterministic
    with pytest.raises(ValueError):
        crop_png(pdf, 99, [0, 0, 10, 10])


def test_a_crop_has_the_pixels_of_the_whole_page_converted():
    """A crop converts only its own rectangle of PDFium's BGR rendering: the same pixels as PIL's conversion of
    the whole page, cropped (at an edge, in the middle, and a whole page)."""
    from parsers.render import PageRenderer, rgb
    with PageRenderer(str(SAMPLES / "qingpu-2021.pdf")) as r:
        bitmap = r._bitmap(9)
        assert bitmap.mode == "BGR"
        whole = bitmap.to_pil().convert("RGB")
        w, h = bitmap.width, bitmap.height
        for box in ((0, 0, 37, 11), (150, 300, w - 1, 412), (w - 5, h - 7, w, h), (0, 0, w, h)):
            assert rgb(bitmap, box).tobytes() == whole.crop(box).tobytes(), box
        assert r.page_image(9).tobytes() == whole.tobytes()


def test_ingest_never_imports_a_pdf_library():
    for path in (ROOT / "ingest").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for lib in ("pdfplumber", "pypdfium2", "pdfminer", "docx"):
            assert f"import {lib}" not in text and f"from {lib}" not in text, f"{path.name} imports {lib}"


def test_templates_are_compiled_once_and_kept_beside_them(tmp_path, monkeypatch):
    """The compiled templates are kept (as Python keeps __pycache__); a new environment loads them without
    compiling, and a folder that cannot be written only means compiling in memory."""
    import jinja2
    from ingest import report
    kept = report._CompiledTemplates("html")
    kept.directory = str(tmp_path / "kept")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(report.TEMPLATES)), autoescape=True,
                             bytecode_cache=kept)
    names = ("report.html.j2", "report.css", "report.js")     # the page and what it includes
    first = [env.get_template(name) for name in names]
    assert len(list((tmp_path / "kept").glob("html-*.jinja"))) == len(names)

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")
    again = jinja2.Environment(loader=jinja2.FileSystemLoader(str(report.TEMPLATES)), autoescape=True,
                               bytecode_cache=kept)
    monkeypatch.setattr(again, "compile", no_compiling)
    assert [again.get_template(name).render is not None for name in names] == [True] * len(first)
    (tmp_path / "file").write_text("")
    blocked = report._CompiledTemplates("md")
    blocked.directory = str(tmp_path / "file" / "under-a-file")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(report.TEMPLATES)), bytecode_cache=blocked)
    env.get_template("report.html.j2")         # compiled in memory, nothing raised


def test_listing_values_are_escaped_as_markupsafe_escapes_them():
    """The listing escapes its plain values itself (hundreds of thousands in a large run): the same text as
    markupsafe.escape, on every character it replaces, in any order and repeated, and on numbers."""
    from markupsafe import escape
    from ingest.report import _escaped
    values = ["", "plain 街道", "&amp;", "<a href='x'>\"q\"</a>", "&<>'\"" * 3, "'&#39;'", 0, 1207, -3, "1\n2"]
    for v in values:
        assert _escaped(v) == str(escape(v)), v


def test_table_listing_escapes_as_the_template_did(tmp_path):
    """report.listing builds the listings' rows in Python: byte for byte what the template's loop made, with
    names that are markup (a document's text is untrusted) escaped the same way."""
    import jinja2
    from notice_factory import linjiang
    from ingest import ingest_file, report
    spec = linjiang()
    spec = spec.change(spec.units[0].org, spec.units[0].portions + 7)        # a total-mismatch: rows with links
    hostile = ['<script>alert("x")</script>', "A&B 'q'", "<img src=x onerror=1>"]
    for unit, name in zip(spec.units, hostile):
        unit.org = name
    spec.write(tmp_path / "n.txt")
    n = ingest_file(str(tmp_path / "n.txt"))
    s = report.summarise(n)
    loop = jinja2.Environment(autoescape=True).from_string(
        '{%- for r in rows %}\n<tr id="{{ r.dom_id }}"{% if r.css %} class="{{ r.css }}"{% endif %}>'
        '<td class="num">{{ r.row_no }}</td>{% for text, marked in r.cells %}<td{% if marked %} class=flag{% endif %}>'
        '{{ text }}</td>{% endfor %}<td class="num">{{ r.page }}</td><td>{% for href, code in r.links %}'
        '{{ " " if not loop.first else "" }}<a href="#{{ href }}">{{ code }}</a>{% endfor %}</td></tr>\n{%- endfor %}')
    for t in n.tables:
        assert str(report.listing(t, s)) == loop.render(rows=report.shown_rows(t, s))
    assert any(r.links for t in n.tables for r in report.shown_rows(t, s))       # a row with its finding's link
    shown = "".join(str(report.listing(t, s)) for t in n.tables)
    assert "&lt;script&gt;" in shown and "<script" not in shown and "A&amp;B &#39;q&#39;" in shown


def test_pictures_missing_from_a_notice_are_rendered_by_the_report_alike():
    """A finding whose picture did not come with its notice (one a reviewer's decision or a later check added) has
    it rendered by the report from the file: the same picture the reading stage makes."""
    import dataclasses
    from ingest import ingest_file, report
    n = ingest_file(str(SAMPLES / "pudong-2024.pdf"))
    assert n.pictures
    kept, problems = report.pictures([report.summarise(n)])
    made, problems_made = report.pictures([report.summarise(dataclasses.replace(n, pictures={}))])
    assert kept and made == kept and problems == problems_made == {}


def test_a_source_swapped_for_a_named_pipe_leaves_its_pictures_out_with_why(tmp_path):
    """Input class: a PDF replaced, between reading and writing, by what cannot be read whole (a named pipe): the
    report's missing pictures are left out with the reason, never waited for."""
    import dataclasses
    import os
    import shutil
    from ingest import ingest_file, report
    pdf = tmp_path / "notice.pdf"
    shutil.copy(SAMPLES / "pudong-2024.pdf", pdf)
    n = ingest_file(str(pdf))
    pdf.unlink()
    os.mkfifo(pdf)
    made, problems = report.pictures([report.summarise(dataclasses.replace(n, pictures={}))])
    assert made == {} and "named pipe" in problems[n.notice_id]
