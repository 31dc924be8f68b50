"""Issue 17: what an attacker or an unlucky user could do, each tried through the command as a user runs it
(in-process: cli.main with the arguments a user types). Each test failed on the code before the fix."""
from __future__ import annotations

import csv
import io
import re
import json
import os
import stat
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ingest import cli, writers

PAYLOAD = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def notice_text(title: str = "关于做好2025年某区无偿献血工作的通知", orgs=("东山村", "西山村"), values=(12, 30),
                total_off: int = 1) -> str:
    """A text notice with one table, its stated total `total_off` more than its rows' sum (1: a total-mismatch)."""
    rows = "\n".join(f"{i}\t{o}\t{v}" for i, (o, v) in enumerate(zip(orgs, values), start=1))
    return f"{title}\n附件\n序号\t单位\t任务数\n{rows}\n合计\t\t{sum(values) + total_off}\n"


def run(capsys, *args) -> tuple[int, str]:
    code = cli.main([str(a) for a in args])
    return code, capsys.readouterr().err


# ------------------------------------------------------------------------------------------ 1. escaping


class Tags(HTMLParser):
    """Every element and attribute of a page, as a browser's parser sees them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_values_from_documents_and_reviews_never_become_markup(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "evil.txt").write_text(notice_text(title=f"关于做好2025年{PAYLOAD}无偿献血工作的通知",
                                              orgs=(f"东山村{PAYLOAD}", "<b>西山村</b>")), encoding="utf-8")
    (src / "reviews.toml").write_text(
        '[[accept]]\nnotice_id = "evil-txt"\ncode = "total-mismatch"\ntable_id = "t1"\n'
        f"reason = '{PAYLOAD}'\n", encoding="utf-8")
    code, err = run(capsys, src, "--out", tmp_path / "out", "--no-cache")
    assert code == 0, err
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    parsed = Tags()
    parsed.feed(html)
    assert "\"><img" not in html and "<script>alert" not in html     # nothing closes an attribute or opens a tag
    assert not any("onerror" in attrs for _, attrs in parsed.tags)
    assert sum(1 for tag, _ in parsed.tags if tag == "script") == 1      # the page's own script only
    assert all(attrs.get("src", "").startswith("data:") for tag, attrs in parsed.tags if tag == "img")
    assert "<b>西山村</b>" not in html and "&lt;b&gt;西山村&lt;/b&gt;" in html
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    outside_code = re.sub(r"(`+) .*? \1|(`+)[^` ][^`]*?\2", "", md)
    assert not re.search(r"(?<!\\)[<>]", outside_code), "a < or > of a value is not escaped in report.md"
    assert "\\<img" in outside_code                                           # shown as text


def test_a_table_id_in_reviews_that_is_not_one_is_refused_naming_the_entry(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(notice_text(), encoding="utf-8")
    (src / "reviews.toml").write_text(
        f'[[accept]]\nnotice_id = "a-txt"\nkey = \'total-mismatch/{PAYLOAD}/1/portions\'\nreason = "x"\n',
        encoding="utf-8")
    code, err = run(capsys, src, "--out", tmp_path / "out", "--no-cache")
    assert code == 2 and "[[accept]] #1" in err and err.count("\n") == 1


# ------------------------------------------------------------------------------------------ 4. long names, partial writes


def test_a_long_file_name_is_read_and_written(tmp_path, capsys):
    name = "关于做好二〇二五年度某某区某某街道无偿献血工作的通知及其附件各单位任务分配表和月份计划表的说明材料共计八十字" * 1
    name = (name * 3)[:78] + ".txt"
    assert 235 <= len(name.encode("utf-8")) <= 255
    (tmp_path / name).write_text(notice_text(), encoding="utf-8")
    code, err = run(capsys, tmp_path / name, "--out", tmp_path / "out", "--no-cache")
    assert code == 0, err
    [json_file] = (tmp_path / "out" / "notices").glob("*.json")
    assert len(json_file.name.encode("utf-8")) <= 255


def test_a_failure_while_writing_leaves_the_last_set_whole(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.txt").write_text(notice_text(), encoding="utf-8")
    out = tmp_path / "out"
    assert run(capsys, tmp_path / "a.txt", "--out", out, "--no-cache")[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (tmp_path / "a.txt").write_text(notice_text(values=(13, 30)), encoding="utf-8")
    real_stage = writers.stage

    def failing(path, data):
        if path.name == "report.html":
            raise OSError(28, "No space left on device")
        return real_stage(path, data)

    monkeypatch.setattr(writers, "stage", failing)
    code, err = run(capsys, tmp_path / "a.txt", "--out", out, "--no-cache")
    assert code == 1 and "No space left" in err
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before                         # nothing of this run, no temporary file


# ------------------------------------------------------------------------------------------ 5. CSV formulas


def test_cells_that_would_be_formulas_are_inert_in_csv_and_true_in_json(tmp_path, capsys):
    """In a Word table (a cell is a cell: the | of the DDE form stays inside it)."""
    from docx import Document
    orgs = ("=1+2", "+A1", "-3+4", "@x", "=cmd|' /C calc'!A0")
    doc = Document()
    doc.add_paragraph("关于做好2025年某区无偿献血工作的通知")
    table = doc.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序号", "单位", "任务数")):
        cell.text = text
    for i, org in enumerate(orgs, start=1):
        for cell, text in zip(table.add_row().cells, (str(i), org, str(i))):
            cell.text = text
    doc.save(tmp_path / "f.docx")
    assert run(capsys, tmp_path / "f.docx", "--out", tmp_path / "out", "--no-cache")[0] == 0
    with open(tmp_path / "out" / "allocations.csv", encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["row_type"] == "item"]
    assert [r["org"] for r in rows] == ["'" + o for o in orgs]
    assert all(r["portions"].isdigit() for r in rows)             # numbers stay numbers
    data = json.loads((tmp_path / "out" / "notices" / "f-docx.json").read_text(encoding="utf-8"))
    assert [r["org"] for r in data["tables"][0]["rows"] if r["row_type"] == "item"] == list(orgs)


# ------------------------------------------------------------------------------------------ 6. stable ids


def test_a_decision_stays_with_its_file_when_files_are_added(tmp_path, capsys):
    root = tmp_path / "in"
    for folder in ("a", "b"):
        (root / folder).mkdir(parents=True)
        (root / folder / "x.txt").write_text(notice_text(), encoding="utf-8")     # both: total-mismatch
    (root / "reviews.toml").write_text('[[accept]]\nnotice_id = "b-x-txt"\ncode = "total-mismatch"\n'
                                       'reason = "checked"\n', encoding="utf-8")
    (root / "a0").mkdir()
    (root / "a0" / "x.txt").write_text(notice_text(values=(5, 6)), encoding="utf-8")
    assert run(capsys, root, "--out", tmp_path / "out", "--no-cache")[0] == 0
    with open(tmp_path / "out" / "anomalies.csv", encoding="utf-8-sig", newline="") as fh:
        mismatch = {r["notice_id"]: r["reviewed"] for r in csv.DictReader(fh) if r["code"] == "total-mismatch"}
    assert mismatch == {"a0-x-txt": "false", "a-x-txt": "false", "b-x-txt": "true"}


# ------------------------------------------------------------------------------------------ 7. reviews values


@pytest.mark.parametrize("entry", [
    '[[correct]]\nnotice_id = "a-txt"\ntable_id = "t1"\nrow_no = 1\nfield = "month_from"\nvalue = 25\nreason = "x"',
    '[[correct]]\nnotice_id = "a-txt"\ntable_id = "t1"\nrow_no = 1\nfield = "month_from"\nvalue = -1\nreason = "x"',
    '[[correct]]\nnotice_id = "a-txt"\ntable_id = "t1"\nrow_no = 1\nvalue = -5\nreason = "x"',
    '[[correct]]\nnotice_id = "a-txt"\ntable_id = "t1"\nrow_no = 1\nvalue = 1000000000000000000000000000000\nreason = "x"',
    '[[accept]]\nnotice_id = "a-txt"\nkey = "seq-gap/t1/²/seq"\nreason = "x"',
    '[[accept]]\nnotice_id = "a-txt"\ncode = "seq-gap"\nrow_no = 0\nreason = "x"',
    '[[correct]]\nnotice_id = "a-txt"\ntable_id = "t1"\norg = "东\\u001b山村"\nvalue = 3\nreason = "x"',
], ids=["month-25", "month-negative", "portions-negative", "portions-huge", "key-superscript", "row-0",
        "org-newline"])
def test_a_value_out_of_range_in_reviews_is_a_usage_error_naming_the_entry(tmp_path, capsys, entry):
    (tmp_path / "a.txt").write_text(notice_text(), encoding="utf-8")
    (tmp_path / "reviews.toml").write_text(entry + "\n", encoding="utf-8")
    code, err = run(capsys, tmp_path / "a.txt", "--out", tmp_path / "out", "--no-cache")
    kind = "accept" if entry.startswith("[[accept") else "correct"
    assert code == 2 and f"[[{kind}]] #1" in err and err.count("\n") == 1, err
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------ 9. smaller


def test_the_cache_folder_is_private_and_one_others_can_write_is_not_used(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(notice_text(), encoding="utf-8")
    cache = tmp_path / "cache" / "deep"
    assert run(capsys, tmp_path / "a.txt", "--out", tmp_path / "out", "--cache-dir", cache)[0] == 0
    for folder in (cache.parent, cache, *[p for p in cache.iterdir() if p.is_dir()]):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    code, err = run(capsys, tmp_path / "a.txt", "--out", tmp_path / "out2", "--cache-dir", shared)
    assert code == 0 and "can be written by other users" in err
    assert not any(shared.rglob("*.pickle"))


def test_a_file_name_cannot_forge_a_line(tmp_path, capsys):
    name = "a.txt\nfake.pdf: unreadable: forged\n\x1b[2J"
    (tmp_path / name).write_text(notice_text(), encoding="utf-8")
    code, err = run(capsys, tmp_path / name, "--out", tmp_path / "out", "--no-cache")
    assert code == 0
    assert not any(line.startswith("fake.pdf") for line in err.splitlines()) and "\x1b" not in err
    assert "\\n" in err


def test_the_output_folder_inside_an_input_folder_is_not_read(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(notice_text(), encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):
        code, err = run(capsys, tmp_path, "--out", out, "--no-cache")
        assert code == 0, err
    with open(out / "notices.csv", encoding="utf-8-sig", newline="") as fh:
        assert [r["notice_id"] for r in csv.DictReader(fh)] == ["a-txt"]


def test_a_name_an_entity_took_away_is_a_finding(tmp_path, capsys):
    """A DOCX whose unit name is an entity reference: the reader resolves no entity (XXE), so the cell comes out
    empty; its figure is not passed without a word."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def cell(text):
        return f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    rows = "".join(f"<w:tr>{cell(a)}{cell(b)}{cell(c)}</w:tr>" for a, b, c in
                   (("序号", "单位", "任务数"), ("1", "东山村", "12"), ("2", "&name;", "30")))
    body = (f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE d [<!ENTITY name "西山村">]>'
            f"<w:document {w}><w:body><w:p><w:r><w:t>关于做好2025年某区无偿献血工作的通知</w:t></w:r></w:p>"
            f"<w:tbl>{rows}</w:tbl><w:sectPr/></w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", body)
    (tmp_path / "e.docx").write_bytes(buf.getvalue())
    code, err = run(capsys, tmp_path / "e.docx", "--out", tmp_path / "out", "--no-cache")
    assert code == 0, err
    with open(tmp_path / "out" / "anomalies.csv", encoding="utf-8-sig", newline="") as fh:
        found = [r for r in csv.DictReader(fh) if r["code"] == "blank-cell" and r["field"] == "org"]
    assert len(found) == 1 and found[0]["row_no"] == "2" and "30" in found[0]["message"]
