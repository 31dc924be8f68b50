"""One file through every stage: read → clean → tables → notice → checks. Library entry point: ingest_file()."""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from typing import Optional

import regex as re

import parsers
from parsers.model import OcrProgress, PageInfo, Table, UnreadableFile

from .checks import run_checks
from .clean import CleanPara, clean
from .findings import Finding
from .notice import NoticeFacts, read_notice
from .reviews import review
from .rules import rules
from .settings import Settings
from .tables import ParsedTable, find_line_tables, parse_table, stack_contiguous


log = logging.getLogger("ingest")


@dataclass
class Notice:
    notice_id: str
    source_file: str
    source_sha256: str
    format: str = ""
    encoding: str = ""
    facts: NoticeFacts = field(default_factory=NoticeFacts)
    tables: list[ParsedTable] = field(default_factory=list)
    paragraphs: list[CleanPara] = field(default_factory=list)
    pages: list[PageInfo] = field(default_factory=list)
    repairs: dict = field(default_factory=dict)
    repair_pages: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    unrecognised: list[Table] = field(default_factory=list)   # tables with figures but no header we know
    corrections: list = field(default_factory=list)   # reviews.AppliedCorrection: values a reviewer corrected
    error: str = ""                      # why the file could not be read; empty when it was

    @property
    def readable(self) -> bool:
        return not self.error

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def anomaly_count(self) -> int:
        return self.count("error") + self.count("warning")


def ingest_bytes(path: str, data: bytes, notice_id: str, settings: Optional[Settings] = None,
                 on_ocr_page: Optional[OcrProgress] = None) -> Notice:
    """One file's bytes through every stage. on_ocr_page(done, total) hears of each page OCR reads (the slow
    step), for a progress line."""
    settings = Settings.resolve(settings)
    notice = Notice(notice_id=notice_id, source_file=path, source_sha256=hashlib.sha256(data).hexdigest())
    try:
        doc = parsers.read_bytes(path, data, on_ocr_page, **settings.limits)   # every limit, named with its flag on refusal
    except UnreadableFile as exc:
        notice.error, notice.format = str(exc), getattr(exc, "format", "")
        notice.findings.append(Finding(code="unreadable-file", message=f"文件无法读取：{exc}", notice_id=notice_id))
        return notice
    notice.format, notice.encoding, notice.pages = doc.format, doc.encoding or "", doc.pages
    try:
        _stages(notice, doc, settings)
    except Exception as exc:   # a bug of ours on this file: reported for this file, the batch goes on
        log.debug("%s: internal error", path, exc_info=exc)
        reason = f"internal error while processing it ({exc.__class__.__name__}: {str(exc)[:200]}); please report it"
        fresh = Notice(notice_id=notice_id, source_file=path, source_sha256=notice.source_sha256,
                       format=notice.format, error=reason)
        fresh.findings.append(Finding(code="unreadable-file", message=f"文件无法处理：{reason}", notice_id=notice_id))
        return fresh
    for f in notice.findings:
        f.notice_id = notice_id
    notice.findings.sort(key=Finding.sort_key)
    return notice


def _stages(notice: Notice, doc, settings: Settings) -> None:
    cleaned = clean(doc, find_line_tables)
    notice.repairs, notice.repair_pages = dict(cleaned.repairs), dict(cleaned.repair_pages)
    blocks = stack_contiguous(cleaned.blocks)
    notice.paragraphs = [b for b in blocks if isinstance(b, CleanPara)]
    notice.facts = read_notice(notice.paragraphs)
    notice.tables, notice.unrecognised = _tables(blocks, notice.facts.unit_ml)
    notice.findings = review(notice, settings.reviews, run_checks)   # corrections, checks, acceptances


def ingest_file(path: str, notice_id: Optional[str] = None, settings: Optional[Settings] = None,
                on_ocr_page: Optional[OcrProgress] = None) -> Notice:
    nid = notice_id or re.sub(r"[^\w.-]+", "-", path.rsplit("/", 1)[-1]).strip("-")
    settings = Settings.resolve(settings)
    error = ""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size     # refuse a huge file before reading it into memory
            if size > settings.max_bytes:
                error = f"file is {size} bytes, over the limit of {settings.max_bytes} (--max-bytes)"
            else:
                data = fh.read(settings.max_bytes + 1)   # bounded: st_size is 0 for pipes and special files
    except OSError as exc:
        error = f"cannot open: {exc.strerror or exc}"
    if error:
        notice = Notice(notice_id=nid, source_file=path, source_sha256="", error=error)
        notice.findings.append(Finding(code="unreadable-file", message=f"文件无法读取：{error}", notice_id=nid))
        return notice
    return ingest_bytes(path, data, nid, settings, on_ocr_page)


def _tables(blocks: list, unit_ml: Optional[int]) -> tuple[list[ParsedTable], list[Table]]:
    """Recognised tables in document order, each titled by the short lines just above it; and the tables
    that hold figures but whose header names no column we know (reported, never silently dropped)."""
    out: list[ParsedTable] = []
    unknown: list[Table] = []
    before: list[CleanPara] = []
    for block in blocks:
        if isinstance(block, CleanPara):
            before.append(block)
            continue
        if not isinstance(block, Table):
            continue
        title, annex = _title(before[-3:])
        parsed = parse_table(block, f"t{len(out) + 1}", title, annex, unit_ml)
        if parsed is not None:
            out.append(parsed)
        elif any(re.search(r"\d", c.text) for row in block.rows for c in row):
            unknown.append(block)
        before = []
    return out, unknown


def _title(paras: list[CleanPara]) -> tuple[str, str]:
    title, annex = "", ""
    for p in reversed(paras):
        text = p.text.strip()
        if len(text) > 60 or text.endswith("。"):
            break
        m = rules().notice.annex_label.match(text)
        if m:
            annex = rules().notice.annex_word + (m.group(1) or "")
            if m.group(2) and not title:
                title = m.group(2)
            break
        if not title:
            title = text
    return title, annex
