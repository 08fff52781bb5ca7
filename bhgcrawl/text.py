"""The one text clean-up of bhgcrawl (NFC, one kind of space, nothing invisible) and comparison keys.

Every reader of text goes through `clean`: pages, dates, bylines and the record's normalisation, so
the same invisible character cannot be dropped by one and kept by another.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width characters, soft hyphens and bidi controls (LRM/RLM and the embeddings, pasted in
# from word processors) carry no text; they break equality and search.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None) -> str:
    """NFC, invisible characters removed, every run of whitespace (incl. NBSP) one space."""
    if not text:
        return ""
    # Called for every line of every page: skip the work that most text does not need.
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


# Old-style and new-style tone placement (hoà/hòa, khoẻ/khỏe, thuỷ/thủy) differ only in the
# diphthongs oa, oe and uy: which of the two vowels carries the mark. The key puts it on the second.
_TONED = {"o": "òóỏõọ", "u": "ùúủũụ", "a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ"}
_TONE_ON_SECOND = {
    _TONED[first][tone] + second: first + _TONED[second][tone]
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"))
    for tone in range(5)
}
_TONE_ON_FIRST = re.compile("|".join(_TONE_ON_SECOND))


def search_key(text: str) -> str:
    """A comparison key: casefolded NFC, so `Hoà` and `Hòa`, `LÊ` and `Lê` compare equal."""
    return _TONE_ON_FIRST.sub(lambda m: _TONE_ON_SECOND[m.group()], clean(text).casefold())


_NOT_WORD = re.compile(r"[^\w\u0300-\u036f]+")


def _key_of(text: str) -> str:
    return _NOT_WORD.sub(" ", search_key(text)).strip()


# Menu items, headings and labels repeat on every page and are short; titles and paragraphs are each
# seen once, and caching them would only fill the cache.
_short_key = lru_cache(maxsize=4096)(_key_of)


def key(text: str) -> str:
    """A comparison key that ignores case, tone placement and punctuation: `Cùng chuyên mục:` and
    `CÙNG CHUYÊN MỤC` give the same key."""
    return _short_key(text) if len(text) <= 40 else _key_of(text)


def keys(words) -> frozenset[str]:
    """The keys of a word list (see `bhgcrawl.vocab`)."""
    return frozenset(key(w) for w in words)


def misdeclared_utf8(body: bytes, declared: str | None) -> bool:
    """True when a page declares another encoding (`iso-8859-1`, `windows-1258`…) but its bytes
    are UTF-8: valid UTF-8 with multi-byte sequences. Text in a legacy 8-bit encoding is
    practically never valid UTF-8, and Vietnamese cannot be written in Latin-1 at all, so the
    bytes are the better witness; decode with UTF-8 (`response.replace(encoding="utf-8")`)."""
    if not body or body.isascii() or (declared or "").strip().lower().replace("_", "-") in ("utf-8", "utf8"):
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
