"""ZIP packages (DOCX, XLSX, ODS, OFD): a zip bomb is refused from the sizes the package declares, before anything
is decompressed; an XML part's elements are counted in its bytes before it is parsed.

The declared sizes can be trusted this far: Python's zipfile never returns more than a member's declared size (and
fails its CRC check if the data would go on), so no reader behind this check can unpack more than it allowed.
"""
from __future__ import annotations

import io
import zipfile
from typing import Optional

from .limits import Limits, describe, over
from .model import UnreadableFile

# A part that expands more than this many times over is a zip bomb: office XML deflates some 5 to 30 times,
# a bomb some 1000 times. Parts smaller than RATIO_FLOOR are never refused for their ratio.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
# Elements an XML part may have for each character --max-chars allows. Word writes each run with its properties
# (w:r, w:rPr, w:rFonts, w:b, w:color, w:kern, w:sz, w:szCs, w:lang, w:t …: 8 to 12 elements), and a heavily
# edited Chinese notice has a run for every character, so one element a character refused notices whose text is
# well within --max-chars (a 60,000-character one under --max-chars 100000); 16 covers the fullest run. At the
# default that is 16 million elements, some 2.2 GB of tree: the budget a PDF page has (pdfplumber's 2 KB a
# character, a million characters).
ELEMENTS_PER_CHAR = 16


def check_package(data: bytes, limits: Limits, kind: str) -> list[zipfile.ZipInfo]:
    """The package's members, once its declared sizes pass the bomb ratio and --max-unzipped-bytes. `kind` (DOCX,
    XLSX …) names the format in the refusal."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise UnreadableFile(f"not a readable {kind} package: {describe(exc)}") from exc
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableFile(
                f"{kind} part {info.filename} would expand {info.file_size // max(info.compress_size, 1)} times "
                f"({info.compress_size} bytes to {info.file_size}): a zip bomb, refused "
                f"(compression ratio over {MAX_RATIO})")
    total = sum(info.file_size for info in infos)
    if over(limits.max_unzipped_bytes, total):
        raise UnreadableFile(f"{kind} unpacks to {total} bytes, over the limit of {limits.max_unzipped_bytes} "
                             f"(--max-unzipped-bytes)")
    return infos


def check_elements(xml: bytes, max_chars: Optional[int], kind: str, name: str) -> None:
    """Refuse a part whose elements, counted in its bytes, pass ELEMENTS_PER_CHAR × --max-chars, before it is parsed.

    A parsed tree takes some 140 bytes an element, and an empty element is 6 bytes of XML (and deflates some 100
    times): 100 MB of <w:p/> took 2.3 GB and 38 s before --max-chars could be judged on the text. Every start or
    empty tag begins with a '<' not followed by '/': an upper bound (comments and declarations are counted too)."""
    check_elements_streamed(io.BytesIO(xml), max_chars, kind, name, chunk=max(len(xml), 1))


def check_elements_streamed(fh, max_chars: Optional[int], kind: str, name: str, chunk: int = 1 << 20) -> None:
    """check_elements on a part read from `fh` in chunks of `chunk` bytes (a "</" across a seam counted once), for
    a reader that streams the part rather than holding it whole."""
    if max_chars is None:
        return
    counted = [0, b""]
    while True:
        block = fh.read(chunk)
        if not block:
            break
        count_elements(block, counted)
    refuse_elements(counted[0], max_chars, kind, name)


def count_elements(block: bytes, counted: list) -> None:
    """Add the elements of the next block of a part to counted = [elements so far, the last byte before it]."""
    counted[0] += block.count(b"<") - block.count(b"</") - (counted[1] == b"<" and block[:1] == b"/")
    counted[1] = block[-1:]


def refuse_elements(elements: int, max_chars: Optional[int], kind: str, name: str) -> None:
    """UnreadableFile when a part's `elements` pass ELEMENTS_PER_CHAR × --max-chars."""
    limit = None if max_chars is None else ELEMENTS_PER_CHAR * max_chars
    if over(limit, elements):
        raise UnreadableFile(f"{kind} has {elements} XML elements in {name}, over the limit of {limit} "
                             f"({ELEMENTS_PER_CHAR} per character of --max-chars)")
