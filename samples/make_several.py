#!/usr/bin/env python3
"""Each real notice as a notice in several files, as offices publish them: the body as a Word file named by its
title, and its annex tables as a workbook of their own beside it, in a folder per notice:

    samples/several-files/qingpu-2021/关于做好2021年青浦区无偿献血工作的意见.docx   (the body: the DOCX sample
    samples/several-files/qingpu-2021/附件 各街镇任务分配表和月份计划表.xlsx          with its tables taken out)

Read together (batch.group: an annex file named 附件… beside one body file), they must give what the one-file
notice gives (tests/test_several_files.py). Run after generate.py and make_formats.py; byte-identical each run.
"""
from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_formats import fixed_zip  # noqa: E402

OUT = HERE / "several-files"
# (body file, annex file) as an office would name them
NAMES = {"pudong-2024": ("关于做好2024年浦东新区无偿献血工作的意见.docx", "附件 各单位献血任务分配表.xlsx"),
         "qingpu-2021": ("关于做好2021年青浦区无偿献血工作的意见（代拟稿）.docx", "附件 各街镇任务分配表和月份计划表.xlsx")}


def body_only(docx: Path) -> bytes:
    """The DOCX without its tables: the body of the notice as its own file."""
    doc = Document(str(docx))
    body = doc.element.body
    for tbl in list(body.iterchildren("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl")):
        body.remove(tbl)
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue())


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    for stem, (body, annex) in NAMES.items():
        folder = OUT / stem
        folder.mkdir(parents=True)
        (folder / body).write_bytes(body_only(HERE / f"{stem}.docx"))
        shutil.copyfile(HERE / f"{stem}-annex.xlsx", folder / annex)
    print(f"notices in several files written to {OUT}")


if __name__ == "__main__":
    main()
