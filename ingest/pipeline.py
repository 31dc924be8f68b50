"""One file through every stage, in a straight line: read → clean → tables → notice → review (corrections,
checks, acceptances) → pictures of the findings' printed rows (PDF). Library entry points: ingest_file() and
ingest_bytes(); review() applies a reviewer's decisions to a notice already read.
"""
from __future__ import annotations

import hashlib
import logging
import os
import stat
from dataclasses import replace
from typing import Optional

import regex as re

import parsers
from parsers.model import Document, OcrProgress, Table, UnreadableFile

from . import clean, linelists, linetables, reviews, sentencelists
from .checks import run_checks
from .findings import make, sort_key, with_keys
from .notice import read_notice
from .pictures import with_pictures
from .records import Notice, Paragraph, TargetTable, WebFurniture, path_text
from .rules import rules, squeeze
from .settings import Settings
from .tables import header_span, read_tables, stack_contiguous, without_restated

log = logging.getLogger("ingest")


def ingest_file(path: str, notice_id: Optional[str] = None, settings: Optional[Settings] = None,
                on_ocr_page: Optional[OcrProgress] = None) -> Notice:
    """One file through every stage. The file is read once, bounded by settings.max_bytes; a file that cannot be
    opened or read is a Notice with `error` set and an unreadable-file finding, never an exception."""
    nid = notice_id or re.sub(r"[^\w.-]+", "-", path.rsplit("/", 1)[-1]).strip("-")
    settings = Settings.resolve(settings)
    data, error = read_file(path, settings.max_bytes)
    if data is None:
        return unreadable(nid, path, "", error)
    return ingest_bytes(path, data, nid, settings, on_ocr_page)


def read_file(path: str, max_bytes: int) -> tuple[Optional[bytes], str]:
    """A file's bytes, read once and bounded by `max_bytes`; or None and why not (the unreadable-file reason).
    A batch on a cluster reads its files with this on the client, so a refused file says what a local run says."""
    try:
        with open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size     # refuse a huge file before reading it into memory
            if size > max_bytes:
                return None, f"file is {size} bytes, over the limit of {max_bytes} (--max-bytes)"
            return fh.read(max_bytes + 1), ""       # bounded: st_size is 0 for files of /proc
    except NotRegular as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"cannot open: {exc.strerror or exc}"


class NotRegular(OSError):
    """A path that is not a regular file (nor a link to one): a named pipe, socket or device."""


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def open_regular(path: str):
    """A regular file (or a symbolic link to one) opened for reading in binary. Anything else raises NotRegular
    without being read: opening a named pipe waits for a writer for ever, a device such as /dev/zero never ends.
    The kind is checked before the open and again on what was opened (a name swapped in between); the open itself
    never waits (O_NONBLOCK, which a regular file ignores)."""
    def refuse(mode: int) -> NotRegular:
        kind = next((name for test, name in _KINDS if test(mode)), "not a file")
        return NotRegular(f"not a regular file but {kind}: not read")

    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise refuse(mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                 | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise refuse(mode)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def ingest_bytes(path: str, data: bytes, notice_id: str, settings: Optional[Settings] = None,
                 on_ocr_page: Optional[OcrProgress] = None) -> Notice:
    """One file's bytes through every stage. on_ocr_page(done, total) hears of each page OCR reads (the slow
    step), for a progress line. A bug of ours on this file is its unreadable-file finding; the batch goes on."""
    settings = Settings.resolve(settings)
    sha = hashlib.sha256(data).hexdigest()
    try:
        doc = parsers.read_bytes(path, data, on_ocr_page, **settings.limits)   # every limit, named with its flag
    except UnreadableFile as exc:
        return unreadable(notice_id, path, sha, str(exc), getattr(exc, "format", ""))
    try:
        decisions = reviews.load(settings.reviews) if settings.reviews else None
        return with_pictures(review(read_document(doc, notice_id, path, sha), decisions), data)
    except Exception as exc:   # a bug of ours on this file: reported for this file, the batch goes on
        log.debug("%s: internal error", path, exc_info=exc)
        reason = f"internal error while processing it ({exc.__class__.__name__}: {str(exc)[:200]}); please report it"
        return unreadable(notice_id, path, sha, reason, doc.format, situation="internal")


def unreadable(notice_id: str, path: str, sha: str, reason: str, fmt: str = "",
               situation: str = "unreadable") -> Notice:
    """A notice for a file that could not be read (or processed): why, as its error and its one finding."""
    finding = make("unreadable-file", situation, reason=reason)
    return Notice(notice_id=notice_id, source_file=path_text(path), source_sha256=sha, format=fmt, error=reason,
                  findings=tuple(with_keys([finding], notice_id)))


def read_document(doc: Document, notice_id: str, path: str, sha: str) -> Notice:
    """The stages after the reader, up to the checks: the notice as its file says it, without findings."""
    blocks, web, repairs = document_blocks(doc)
    paras = [b for b in blocks if isinstance(b, Paragraph)]
    facts = read_notice(paras, web)
    tables, unknown = _tables(blocks, facts.unit_ml)
    tables = without_restated(tables)
    return Notice(notice_id=notice_id, source_file=path_text(path), source_sha256=sha, format=doc.format,
                  encoding=doc.encoding or "", facts=facts, tables=tuple(tables), paragraphs=tuple(paras),
                  pages=tuple(doc.pages), reader_notes=tuple(doc.notes), repairs=dict(repairs.counts),
                  repair_pages=dict(repairs.first_page), unrecognised=tuple(unknown))


def document_blocks(doc: Document) -> tuple[list, tuple[WebFurniture, ...], clean.Repairs]:
    """The document as cleaned paragraphs and grids (the readers' tables, the tables printed as lines, tables
    continued over a page joined, allocations written as a list of paragraphs or as one sentence), in reading
    order; the web-page furniture taken out of its text; the repairs made."""
    runs, furniture, web = clean.strip_furniture(linetables.split_blocks(doc))
    blocks, repaired = clean.paragraphs(runs, doc.pages)
    pages = {p.number: p for p in doc.pages}
    return _reread(stack_contiguous(sentencelists.split(linelists.split(blocks))), pages), web, furniture + repaired


def combine(body: Notice, annexes: list[Notice]) -> Notice:
    """A notice in several files as one: the body's facts and text, its tables, then each annex file's tables
    (numbered on, each remembering its file, labelled 附件N from the file's name where the table has no label);
    the checks then compare the headline in the body with the annexes' totals as within one file."""
    tables = list(body.tables)
    unknown = list(body.unrecognised)
    repairs = dict(body.repairs)
    for a in annexes:
        if not a.readable:
            continue
        label = _annex_label(a.source_file)
        for t in a.tables:
            tables.append(replace(t, table_id=f"t{len(tables) + 1}", annex=t.annex or label,
                                  source_file=a.source_file, source_format=a.format, source_sha256=a.source_sha256))
        unknown += a.unrecognised
        for kind, n in a.repairs.items():
            repairs[kind] = repairs.get(kind, 0) + n
    tables = without_restated(tables)
    notes = body.reader_notes + tuple(note for a in annexes for note in a.reader_notes)
    pictures = dict(body.pictures)
    for a in annexes:
        pictures.update(a.pictures)
    return replace(body, tables=tuple(tables), unrecognised=tuple(unknown), repairs=repairs, reader_notes=notes,
                   pictures=pictures,
                   annex_files=tuple(a.source_file for a in annexes),
                   annex_errors=tuple((a.source_file, a.error) for a in annexes if not a.readable))


def _annex_label(path: str) -> str:
    """附件2 from a file named 附件2 各单位名额.xlsx or 关于…的通知-附件2.pdf; '' when the name gives no number."""
    nr = rules().notice
    stem = os.path.basename(path).rsplit(".", 1)[0]
    for word in rules().files.annex_words:
        k = stem.find(word)
        if k >= 0:
            m = nr.annex_label.match(nr.annex_word + stem[k + len(word):].lstrip())
            if m and m.group(1):
                return nr.annex_word + m.group(1)
    return ""


def _reread(blocks: list, pages: dict) -> list:
    """Grids whose rulings do not part their rows or columns replaced by the tables their printed lines hold, where
    they hold one: a grid in which no header is found (ruled only between its rows: every row one cell), or one
    with a cell holding figures on several lines (rows no ruling parts: the body one row of tall cells); without
    geometry to read the lines again, such a row is split line by line where its cells allow."""
    out: list = []
    for block in blocks:
        packed = isinstance(block, Table) and linetables.packs_rows(block)
        unparted = isinstance(block, Table) and (packed or header_span(block) is None)
        again = linetables.reread_grid(block, pages) if unparted else []
        if not again and packed:
            again = [t for t in [linetables.unpack_rows(block)] if t is not None]
        out.extend(again or [block])
    return out


def review(notice: Notice, decisions: Optional[reviews.Reviews]) -> Notice:
    """The notice's findings with the reviewer's decisions (None: without any): the corrections made on new
    rows, the checks run on them, the findings the acceptances name marked reviewed. Readable notices only."""
    if not notice.readable:
        return notice
    accepts, corrects = decisions.for_notice(notice.notice_id) if decisions else ([], [])
    accepts = [a for a in accepts if a.code not in reviews.RUN_CODES]      # (applied when those are made)
    tables, corrections, decided = reviews.correct(notice.tables, corrects)
    corrected = replace(notice, tables=tables, corrections=corrections)
    found = with_keys(run_checks(corrected) + decided, notice.notice_id)
    found = with_keys(reviews.accept(found, accepts), notice.notice_id)
    return replace(corrected, findings=tuple(sorted(found, key=sort_key)))


def _tables(blocks: list, unit_ml: Optional[int]) -> tuple[list[TargetTable], list[Table]]:
    """Recognised tables in document order, each titled by the short lines just above it; and the tables
    that hold figures but whose header names no column we know (reported, never silently dropped)."""
    out: list[TargetTable] = []
    unknown: list[Table] = []
    before: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            before.append(block)
            continue
        title, annex = _title(before[-3:])
        parsed = read_tables(block, len(out) + 1, title, annex, unit_ml, _fields(before[-3:]))
        if parsed:
            out += parsed
        elif any(ch.isdecimal() for row in block.rows for c in row for ch in c.text):
            unknown.append(block)
        before = []
    return out, unknown


def _fields(paras: list[Paragraph]) -> tuple[str, ...]:
    """The labelled fields among the short lines just above a table (单位：毫升, 填报单位：某局), nearest first: one may
    state the unit the table's figures count in."""
    nr = rules().notice
    out = []
    for p in reversed(paras):
        text = p.text.strip()
        if len(text) > nr.annex_title_max_chars or text.endswith(nr.sentence_stop) or nr.annex_label.match(text):
            break
        if rules().columns.field.match(squeeze(text)) and not text.startswith(rules().files.annex_words):
            out.append(text)
    return tuple(out)


def _title(paras: list[Paragraph]) -> tuple[str, str]:
    """(title, annex label) from the short lines above a table: 附件2 / 各街镇目标分解表 (a labelled field such as
    单位：人份 between them and the table is passed over)."""
    nr = rules().notice
    title, annex = "", ""
    for p in reversed(paras):
        text = p.text.strip()
        if len(text) > nr.annex_title_max_chars or text.endswith(nr.sentence_stop):
            break
        m = nr.annex_label.match(text)
        if m:
            annex = nr.annex_word + (m.group(1) or "")
            if m.group(2) and not title:
                title = m.group(2)
            break
        if rules().columns.field.match(squeeze(text)) and not text.startswith(rules().files.annex_words):
            continue        # 单位：人份, 填报单位：某局: a field printed above the table, not its title (附表：… is)
        if not title:
            title = text
    return title, annex
