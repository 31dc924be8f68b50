"""Helpers for the hostile-input tests: the command run as a user runs it, in a child process held to a memory
limit (so that a regression fails its test instead of taking the machine's memory), and small files built byte by
byte, each the least that shows one attack."""
from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY = 3 << 30          # the command's address space, beyond which a test fails rather than the machine

NOTICE = "关于做好2025年某区无偿献血工作的通知"


def run_cli(*args, memory: int = MEMORY, timeout: float = 300, env=None) -> subprocess.CompletedProcess:
    """python -m ingest ARGS in a child limited to `memory` bytes of address space (stdout, stderr as text)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    return subprocess.run([sys.executable, "-m", "ingest", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=limit, env=env)


def stderr_lines(proc) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.strip()]


def zip_bytes(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------- XLSX

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx(sheet_xml: bytes, shared: tuple[str, ...] = ("单位", "任务数"), sheet_path: str = "xl/worksheets/sheet1.xml",
         extra: dict = None) -> bytes:
    """A one-sheet workbook whose sheet is `sheet_xml`, at `sheet_path` (the workbook's relationship names it)."""
    target = sheet_path[3:] if sheet_path.startswith("xl/") else "/" + sheet_path
    members = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                               b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
                               b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                               b'ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                       f'package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
                       f'Target="xl/workbook.xml"/></Relationships>'.encode(),
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
                           f'<sheet name="S1" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                                      f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                                      f'Type="{_REL}/worksheet" Target="{target}"/><Relationship Id="rId2" '
                                      f'Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'.encode(),
        "xl/sharedStrings.xml": (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'
                                 + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>").encode(),
        sheet_path: sheet_xml,
    }
    members.update(extra or {})
    return zip_bytes(members)


def sheet(cells: str, after: str = "") -> bytes:
    """A worksheet whose sheetData holds `cells` (rows as XML), then `after` (mergeCells …)."""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>{cells}</sheetData>' \
           f'{after}</worksheet>'.encode()


# a header (shared strings 0 and 1) and two units
TABLE = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
         '<row r="2"><c r="A2" t="inlineStr"><is><t>东山村</t></is></c><c r="B2"><v>12</v></c></row>'
         '<row r="3"><c r="A3" t="inlineStr"><is><t>西山村</t></is></c><c r="B3"><v>30</v></c></row>')


# ------------------------------------------------------------------------------------------------- ODS

_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')


def ods(rows_xml: str) -> bytes:
    """A one-sheet ODS whose table holds `rows_xml`."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}><office:body>'
               f'<office:spreadsheet><table:table table:name="S1">{rows_xml}</table:table></office:spreadsheet>'
               f'</office:body></office:document-content>').encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                                            b'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                                            b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                                            b'</manifest:manifest>')
        z.writestr("content.xml", content)
    return buf.getvalue()


def ods_cell(value, attrs: str = "") -> str:
    if isinstance(value, str):
        return f'<table:table-cell office:value-type="string" {attrs}><text:p>{value}</text:p></table:table-cell>'
    return (f'<table:table-cell office:value-type="float" office:value="{value}" {attrs}><text:p>{value}</text:p>'
            f'</table:table-cell>')


ODS_TABLE = "".join("<table:table-row>" + "".join(ods_cell(v) for v in row) + "</table:table-row>"
                    for row in (("单位", "任务数"), ("东山村", 12), ("西山村", 30)))


def rows_of(out: Path) -> list[tuple[str, str]]:
    """(org, portions) of every row of allocations.csv."""
    import csv
    with open(out / "allocations.csv", encoding="utf-8-sig", newline="") as fh:
        return [(r["org"], r["portions"]) for r in csv.DictReader(fh)]


def env_with_path(bin_dir: Path) -> dict:
    return dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


# ------------------------------------------------------------------------------------------------- OFD

_OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def ofd_text(x: float, y: float, text: str, size: float = 5, delta_x: str = "") -> str:
    """A TextObject of `text` at (x, y) mm, each glyph advancing its width (a full em for CJK, half for digits)
    unless `delta_x` says otherwise."""
    dx = delta_x or " ".join(str(size if ord(ch) > 0x2e80 else size / 2) for ch in text[:-1]) or "0"
    return (f'<ofd:TextObject ID="1" Boundary="{x} {y} 180 {size + 2}" Font="1" Size="{size}"><ofd:TextCode X="0" '
            f'Y="{size}" DeltaX="{dx}">{text}</ofd:TextCode></ofd:TextObject>')


OFD_NOTICE = (ofd_text(20, 20, NOTICE) + ofd_text(20, 40, "序号") + ofd_text(40, 40, "单位") + ofd_text(80, 40, "任务数")
              + ofd_text(20, 50, "1") + ofd_text(40, 50, "东山村") + ofd_text(80, 50, "12")
              + ofd_text(20, 60, "2") + ofd_text(40, 60, "西山村") + ofd_text(80, 60, "30"))


def ofd_page(body: str, before: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {_OFD_NS}>{before}<ofd:Content><ofd:Layer ID="9">'
            f'{body}</ofd:Layer></ofd:Content></ofd:Page>').encode()


def ofd(pages: list[str], parts: dict[str, bytes], templates: str = "") -> bytes:
    """An OFD whose document lists `pages` (BaseLoc of each, under Doc_0/) and holds `parts` (name under Doc_0/:
    bytes)."""
    root = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {_OFD_NS} Version="1.0" DocType="OFD"><ofd:DocBody>'
            f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>').encode()
    document = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {_OFD_NS}><ofd:CommonData><ofd:PageArea>'
                f'<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>{templates}</ofd:CommonData>'
                f'<ofd:Pages>' + "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="{p}"/>' for i, p in enumerate(pages))
                + "</ofd:Pages></ofd:Document>").encode()
    return zip_bytes({"OFD.xml": root, "Doc_0/Document.xml": document,
                      **{f"Doc_0/{name}": data for name, data in parts.items()}})


def random_text(n: int, seed: int = 1) -> str:
    """n characters of 献/血 at random: text that does not compress like a zip bomb."""
    import random
    rng = random.Random(seed)
    return "".join(rng.choice("献血") for _ in range(n))
