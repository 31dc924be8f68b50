"""Settings resolved once (pdfplumber's habit): every entry point calls Settings.resolve first."""
from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, fields
from typing import Optional, Union


# The limits the readers enforce (parsers.read_bytes takes them by these names).
LIMITS = ("max_bytes", "max_pages", "max_chars", "max_unzipped_bytes")
# A Dask scheduler's address: a protocol Dask speaks, a host (a name, an IPv4 address, or an IPv6 one in brackets),
# a port (tls:// and wss:// take Dask's own security settings).
SCHEDULER = re.compile(r"(?P<proto>tcp|tls|ws|wss)://(?:\[(?P<ipv6>[^\]]{1,64})\]|(?P<host>[^\[\]/:]{1,253})):"
                       r"(?P<port>[0-9]{1,5})")
HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


@dataclass(frozen=True)
class Settings:
    # limits: a file over any of them is refused with an unreadable-file finding that names the limit and its
    # command-line flag. A real notice is a few pages and some 20,000 characters; the defaults leave room for
    # hundreds of times that while keeping one hostile file within seconds and a few GB of memory (pdfplumber
    # holds about 2 KB per character of a page, so a page is capped at a million characters).
    """Everything a run is set to, resolved once: limits, workers, cache, OCR, reader, strictness, decisions."""
    max_bytes: int = 200 * 1024 * 1024          # file size (--max-bytes)
    max_pages: int = 2000                       # PDF pages, counted before any page is read (--max-pages)
    max_chars: int = 1_000_000                  # characters on one PDF page and in a whole PDF, in a DOCX, in a text file (--max-chars)
    max_unzipped_bytes: int = 500 * 1024 * 1024 # total declared uncompressed size of a DOCX package (--max-unzipped-bytes)
    # running
    jobs: int = 0                               # worker processes; 0 = number of cores
    scheduler: Optional[str] = None             # a Dask scheduler's address (tcp://HOST:PORT): read files there
    cache_dir: Optional[str] = None             # None = no cache
    ocr: str = "auto"                           # auto, always, never
    pdf_reader: str = "pdfium"                  # pdfium, or pdfplumber (the reference reader: slower, same results)
    strict: bool = False                        # exit non-zero when an unreviewed error remains
    reviews: Optional[str] = None               # path of the reviewer's decisions file

    @property
    def limits(self) -> dict:
        """What the readers take (parsers.Limits): the limits, the OCR mode and the PDF reader."""
        return {**{name: getattr(self, name) for name in LIMITS}, "ocr": self.ocr, "pdf_reader": self.pdf_reader}

    @property
    def workers(self) -> int:
        """Worker processes to start: the number given, or one per core."""
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)

    @classmethod
    def resolve(cls, value: Union[None, dict, "Settings"]) -> "Settings":
        """Settings from None (the defaults), a dict of overrides (checked), or Settings."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            known = {f.name for f in fields(cls)}
            unknown = set(value) - known
            if unknown:
                raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
            s = cls(**{k: v for k, v in value.items() if v is not None})
            if s.ocr not in ("auto", "always", "never"):
                raise ValueError(f"ocr must be auto, always or never, not {s.ocr!r}")
            if s.pdf_reader not in ("pdfium", "pdfplumber"):
                raise ValueError(f"pdf_reader must be pdfium or pdfplumber, not {s.pdf_reader!r}")
            if s.scheduler is not None:
                why = scheduler_problem(s.scheduler)
                if why:
                    shown = s.scheduler if len(s.scheduler) <= 80 else s.scheduler[:80] + "…"
                    raise ValueError(f"scheduler must be an address such as tcp://HOST:PORT, not {shown!r} ({why})")
            for name in LIMITS:
                if not isinstance(getattr(s, name), int) or getattr(s, name) < 1:
                    raise ValueError(f"{name} must be a positive whole number, not {getattr(s, name)!r}")
            return s
        raise TypeError(f"settings must be None, a dict or Settings, not {type(value).__name__}")


def scheduler_problem(address: str) -> str:
    """What is wrong with a Dask scheduler's address ('' when nothing): it is passed to Dask, which resolves the
    host and connects, so a value that cannot be an address is refused here, as a usage error, not after a
    connection attempt (a port over 65535, shell syntax, a 10,000-character host, an unclosed bracket)."""
    if not isinstance(address, str):
        return "not text"
    m = SCHEDULER.fullmatch(address)
    if not m:
        return "the form is PROTOCOL://HOST:PORT, the protocol tcp, tls, ws or wss"
    if not 1 <= int(m["port"]) <= 65535:
        return f"port {int(m['port'])} is not between 1 and 65535"
    if m["ipv6"] is not None:
        try:
            ipaddress.IPv6Address(m["ipv6"])
        except ValueError:
            return f"[{m['ipv6']}] is not an IPv6 address"
        return ""
    labels = m["host"].removesuffix(".").split(".")
    if not all(HOST_LABEL.fullmatch(label) for label in labels):
        return "the host is not a host name (letters, digits, hyphens, dots) or an IPv4 address"
    return ""
