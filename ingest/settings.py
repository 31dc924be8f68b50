"""Settings resolved once (pdfplumber's habit): every entry point calls Settings.resolve first."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Optional, Union


@dataclass(frozen=True)
class Settings:
    max_bytes: int = 200 * 1024 * 1024     # larger files are refused, not read
    max_pages: int = 2000                  # a notice with more pages than this is refused

    @classmethod
    def resolve(cls, value: Union[None, dict, "Settings"]) -> "Settings":
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            known = {f.name for f in fields(cls)}
            unknown = set(value) - known
            if unknown:
                raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
            return cls(**{k: v for k, v in value.items() if v is not None})
        raise TypeError(f"settings must be None, a dict or Settings, not {type(value).__name__}")
