"""The word lists of rules.toml, loaded once, with the small helpers every stage uses to apply them."""
from __future__ import annotations

import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

import regex as re

_PATH = Path(__file__).with_name("rules.toml")


@lru_cache(maxsize=1)
def rules() -> dict:
    with open(_PATH, "rb") as fh:
        return tomllib.load(fh)


_FULLWIDTH = str.maketrans({"(": "（", ")": "）", "[": "［", "]": "］", ",": "，", ":": "：", ";": "；"})


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC   # traditional → simplified, character by character; lengths are kept
    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """Text in simplified characters, for matching only: outputs keep what the document printed."""
    if not text or text.isascii():
        return text
    out = _t2s().convert(text)
    return out if len(out) == len(text) else text


_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def squeeze(text: str) -> str:
    """A cell or label as a key: simplified, NFKC digits/letters, no whitespace, full-width brackets."""
    t = unicodedata.normalize("NFKC", simplified(text or ""))
    t = _SPACE_RE.sub("", t)
    return t.translate(_FULLWIDTH)


def header_role(text: str) -> str | None:
    key = squeeze(text)
    if not key or re.fullmatch(r"[\d，,.]+", key):
        return None
    for role, words in rules()["header"].items():
        for w in words:
            if w in key and (role != "seq" or key.startswith(w)) and len(key) <= len(w) + 12:
                return role
    return None


def row_kind(text: str) -> str | None:
    """'total' or 'subtotal' when a label is one of the total words (optionally with a unit in brackets)."""
    key = re.sub(r"（[^）]*）$", "", squeeze(text))
    for kind in ("total", "subtotal"):
        if key in rules()["rows"][kind]:
            return kind
    return None


def is_draft_word(text: str) -> str | None:
    text = simplified(text)
    for w in rules()["status"]["draft"]:
        if w in text:
            return w
    return None


@lru_cache(maxsize=1)
def heading_re():
    return re.compile("|".join(rules()["document"]["heading_patterns"]))


@lru_cache(maxsize=1)
def furniture_re():
    return re.compile("|".join(f"(?:{p})" for p in rules()["document"]["page_furniture"]))


_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23; digits pass through."""
    t = squeeze(text)
    if t.isdigit():
        return int(t)
    if not t or any(ch not in _CN_DIGITS and ch != "十" for ch in t):
        return None
    if "十" in t:
        tens, _, ones = t.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return int("".join(str(_CN_DIGITS[ch]) for ch in t))


def month_number(text: str) -> int | None:
    m = re.fullmatch(r"(.+?)月(份)?", squeeze(text))
    if not m:
        return None
    n = cn_number(m.group(1))
    return n if n and 1 <= n <= 12 else None


def unit_factor(unit: str) -> int | None:
    return rules()["units"].get(unit)
