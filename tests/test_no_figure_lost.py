"""No figure lost: every cell with a digit in a table region is in the outputs as a value, a 序号, a name, a
note, a month or a header, or is quoted by an unparsed-content finding. Checked on every sample and on tables
generated with extra unnamed columns."""
from pathlib import Path

import pytest
import regex as re
from hypothesis import given, settings, strategies as st

import parsers
from ingest.cells import cell_text
from ingest.pipeline import document_blocks, ingest_bytes
from ingest.rules import month_number, squeeze
from parsers.model import Table

from conftest import SAMPLES

DIGIT = re.compile(r"\d")


def _source_cells(path: str, data: bytes):
    doc = parsers.read_bytes(path, data)
    blocks, _, _ = document_blocks(doc)
    for t in blocks:
        if isinstance(t, Table):
            for row in t.rows:
                for c in row:
                    text = cell_text(c)
                    if not c.is_covered and DIGIT.search(text):
                        yield text


def _outputs(notice) -> set[str]:
    out: set[str] = set()
    for t in notice.tables:
        out.update(squeeze(h) for h in t.header)
        for r in t.rows:
            out.update(squeeze(x) for x in (r.value_text, r.org_raw, str(r.seq) if r.seq is not None else ""))
            out.update(squeeze(x) for x in r.note.split("；"))
    for f in notice.findings:
        if f.code == "unparsed-content":
            out.update(squeeze(x) for x in f.source_text.split("、"))
            out.add(squeeze(f.source_text))
    return out


def _lost(path: str, data: bytes) -> list[str]:
    notice = ingest_bytes(path, data, "n")
    out = _outputs(notice)
    return [t for t in _source_cells(path, data) if squeeze(t) not in out and not month_number(t)]


# Scans are left to test_scanned, which holds every OCR'd row to its text PDF's row (a stronger check than this,
# and one that does not OCR the pages twice more).
@pytest.mark.parametrize("path", sorted(str(p) for p in SAMPLES.rglob("*")
                                        if p.suffix in {".pdf", ".docx", ".txt"} and p.parent.name != "scanned"))
def test_samples_lose_no_figure(path):
    assert _lost(path, Path(path).read_bytes()) == []


names = st.text(alphabet="东西南北中山湖城镇乡街道区委局办", min_size=2, max_size=6)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(names, st.integers(0, 99999), st.text(alphabet="0123456789年月日号-", max_size=8)),
                     min_size=1, max_size=12),
       extra_header=st.sampled_from(["", "联系电话", "编码"]))
def test_generated_tables_lose_no_figure(rows, extra_header):
    head = "序号\t单位名称\t任务数（人份）" + (f"\t{extra_header}" if extra_header else "")
    lines = ["关于做好2023年东山县无偿献血工作的意见", "", "附件1 任务分解表", "", head]
    for i, (name, value, extra) in enumerate(rows, start=1):
        lines.append(f"{i}\t{name}\t{value}" + (f"\t{extra}" if extra_header else ""))
    lines.append(f"\t合计\t{sum(v for _, v, _ in rows)}")
    data = "\n".join(lines).encode("utf-8")
    assert _lost("gen.txt", data) == []
    notice = ingest_bytes("gen.txt", data, "n")
    assert [r.portions for r in notice.tables[0].items] == [v for _, v, _ in rows]
