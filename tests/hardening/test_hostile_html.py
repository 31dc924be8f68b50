"""Web pages that lie about their encoding or are built to exhaust memory: each is read as a browser would read it,
or refused with one line naming the file and why, before the work it would cost."""
from __future__ import annotations

import pytest

from hostile import NOTICE, rows_of, run_cli

TABLE = ("<table><tr><td>序号</td><td>单位</td><td>任务数</td></tr><tr><td>1</td><td>东山村</td><td>12</td></tr>"
         "<tr><td>2</td><td>西山村</td><td>30</td></tr><tr><td>合计</td><td></td><td>42</td></tr></table>")


def page(head: str = "") -> str:
    return f"<html><head>{head}</head><body><p>{NOTICE}</p>{TABLE}</body></html>"


@pytest.mark.parametrize("label", ["utf-16", "utf-16le", "unicode_escape", "bz2_codec", "hex", "rot13", "cp037"])
def test_a_declared_charset_no_browser_uses_is_ignored(tmp_path, label):
    """A GBK page declaring a codec Python has and the web does not: UTF-16 (read as such, the page became CJK
    nonsense with no table), EBCDIC, unicode_escape, or a bytes codec (refused as a LookupError)."""
    data = page(f'<meta charset="{label}">').encode("gbk")
    data += b" " * (len(data) % 2)                 # an even length: UTF-16 would decode it
    (tmp_path / "lies.html").write_bytes(data)
    proc = run_cli(tmp_path / "lies.html", "--out", tmp_path / "out", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert rows_of(tmp_path / "out")[:2] == [("东山村", "12"), ("西山村", "30")]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_page_saved_as_utf16_without_a_byte_order_mark_is_read(tmp_path, codec):
    """Refused before as "binary content that is not PDF, DOCX or text"."""
    (tmp_path / "wide.htm").write_bytes(page('<meta charset="utf-16">').encode(codec))
    proc = run_cli(tmp_path / "wide.htm", "--out", tmp_path / "out", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert rows_of(tmp_path / "out")[:2] == [("东山村", "12"), ("西山村", "30")]


def test_a_page_of_millions_of_tags_is_refused_before_it_is_parsed(tmp_path):
    """50 MB of <b>x</b> (well within --max-bytes): 2 GB and 20 s before --max-chars refused it; now refused for
    its tags at once, within a few hundred megabytes."""
    (tmp_path / "tags.html").write_text(f"<html><body><p>{NOTICE}</p>" + "<b>x</b>" * 6_500_000 + "</body></html>",
                                        encoding="utf-8")
    proc = run_cli(tmp_path / "tags.html", "--out", tmp_path / "out", "--no-cache", memory=1 << 30, timeout=60)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "tags.html: unreadable: HTML has 13000" in proc.stderr and "tags, over the limit of 1000000" in proc.stderr
