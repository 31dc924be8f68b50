"""ZIP packages (DOCX, XLSX, ODS, OFD): a zip bomb is refused from the sizes the package declares, before anything
is decompressed.

The declared sizes can be trusted this far: Python's zipfile never returns more than a member's declared size (and
fails its CRC check if the data would go on), so no reader behind this check can unpack more than it allowed.
"""
from __future__ import annotations

import io
import zipfile

from .limits import Limits, describe, over
from .model import UnreadableFile

# A part that expands more than this many times over is a zip bomb: office XML deflates some 5 to 30 times,
# a bomb some 1000 times. Parts smaller than RATIO_FLOOR are never refused for their ratio.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024


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
