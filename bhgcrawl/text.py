"""The one text clean-up of bhgcrawl (NFC, one kind of space, nothing invisible, no control character),
comparison keys, and which codec reads a page's bytes as the text they are.

Every reader of text goes through `clean`: pages, dates, bylines and the record's normalisation, so
the same invisible character cannot be dropped by one and kept by another.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

# Zero-width characters, soft hyphens and bidi controls (LRM/RLM and the embeddings, pasted in
# from word processors) carry no text; they break equality and search.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# Control characters (C0, DEL, C1) that str.split() does not take for whitespace: ESC, BEL, NUL… print
# nothing, and a title or a URL holding one is not the text the page shows.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def clean(text: str | None) -> str:
    """NFC, invisible and control characters removed, every run of whitespace (incl. NBSP) one space."""
    if not text:
        return ""
    # Called for every line of every page: skip the work that most text does not need.
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        text = _INVISIBLE.sub("", text)
    text = " ".join(text.split())
    # isprintable() is one pass in C, true of nearly every line once its whitespace is single spaces.
    return text if text.isprintable() else " ".join(CONTROL_CHARACTERS.sub("", text).split())


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


# What a decoding must not produce: the replacement character (bytes the codec could not read) and C1
# controls (0x80–0x9F read as Latin-1: they print nothing in any real text). Searched in the bytes where
# the codec allows it: a regular expression over the decoded text costs ten times more.
_BROKEN = re.compile("[\ufffd\u0080-\u009f]")
_BROKEN_UTF8 = re.compile(rb"\xef\xbf\xbd|\xc2[\x80-\x9f]")
# A UTF-8 sequence of two to four bytes: read with an 8-bit code page, it is mojibake (`á»` for `ọ`).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# The same mojibake stored as UTF-8 (a page encoded twice): a lead byte of Vietnamese or its punctuation
# read as Latin-1 (`Ã`, `Æ`, `á`, `â`), then continuation bytes read as Latin-1 or cp1252 (`»`, `‘`, `€`…),
# each written in UTF-8.
_CONTINUATION = (rb"(?:\xc2[\x80-\xbf]|\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]|\xc6\x92|\xcb[\x86\x9c]"
                 rb"|\xe2\x80[\x93\x94\x98-\x9a\x9c-\x9e\xa0-\xa2\xa6\xb0\xb9\xba]|\xe2\x82\xac|\xe2\x84\xa2)")
_DOUBLE_UTF8 = re.compile(rb"\xc3[\x82-\x86\x8c]" + _CONTINUATION + rb"|\xc3[\xa1\xa2]" + _CONTINUATION + rb"{2}")
# What such a sequence must stand for to be taken for mojibake: a character of a Vietnamese page (Latin
# letters and signs, the marks of NFD Vietnamese, its toned vowels, punctuation, ₫ and €). Chance pairs
# of windows-1258 bytes stand for nothing of the kind: a hook above before `…` (`sở…`) is U+0485.
_PAGE_CHARACTER = re.compile("[\u00a0-\u01b0\u0300-\u0303\u0306\u0309\u031b\u0323\u1ea0-\u1ef9\u2010-\u203a"
                             "\u20ab\u20ac]")
# Letters that Vietnamese writes and no Western code page can: ă đ ơ ư ĩ ũ and the toned vowels of
# Latin Extended Additional (ạ ả ấ … ỹ), or decomposed (NFD, windows-1258) their breve, horn and tone
# marks. A cp1252 reading never holds one; a Vietnamese text always does.
_VIETNAMESE = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9\u0306\u031b\u0300\u0301\u0303\u0309\u0323]")
# windows-1258 writes a tone as a mark after the vowel it sits on (one of the letters it has without a
# tone); a mark after anything else is another code page's letter (cp1252's `ò` is cp1258's dot below).
_STRAY_TONE = re.compile("(?<![aăâeêioôơuưyAĂÂEÊIOÔƠUƯY])[\u0300\u0301\u0303\u0309\u0323]")
# Non-ASCII letters: a text with none (English with a © or a dash) reads the same in every code page.
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
# The readings tried after the declared one: UTF-8, the Vietnamese code page, the Western one (which
# browsers use for ISO-8859-1, as Scrapy does).
_FALLBACKS = ("utf-8", "cp1258", "cp1252")


def _codec(name: str | None) -> str | None:
    """Python's name of an encoding; ISO-8859-1 and ASCII are windows-1252, as browsers (and Scrapy)
    read them: a page declaring Latin-1 means the Windows code page, its quotes and dashes included."""
    try:
        codec = codecs.lookup(name).name if name else None
    except LookupError:
        return None
    return "cp1252" if codec in ("iso8859-1", "ascii") else codec


def same_codec(a: str | None, b: str | None) -> bool:
    """Whether two encoding names name one codec (`windows-1258` and `cp1258`)."""
    return _codec(a) == _codec(b)


def _stands_for_a_page_character(data: bytes) -> bool:
    try:
        return bool(_PAGE_CHARACTER.fullmatch(data.decode("utf-8")))
    except UnicodeDecodeError:  # an overlong form or a surrogate: not UTF-8 after all
        return False


def _holds_utf8(data: bytes) -> bool:
    """Whether 8-bit text holds UTF-8 (`á»` in cp1252 is `ọ`): a UTF-8 page, or a part of one."""
    return any(_stands_for_a_page_character(m.group()) for m in _UTF8_SEQUENCE.finditer(data))


def _encoded_twice(data: bytes) -> bool:
    """Whether UTF-8 text holds mojibake written in UTF-8 again (`Há»p`, a page or a field encoded twice).
    Two sequences at least: one may be a capital before a closing quote (`“NGÃ”`)."""
    found = 0
    for m in _DOUBLE_UTF8.finditer(data):
        original = bytes(ord(c) if c < "\u0100" else c.encode("cp1252")[0] for c in m.group().decode("utf-8"))
        found += _stands_for_a_page_character(original)
        if found == 2:
            return True
    return False


def _reading(body: bytes, codec: str) -> str | None:
    """`body` decoded with `codec` when that is a plausible text: nothing undecodable, no C1 control, no
    UTF-8 read as 8-bit characters (nor a page already stored so, in UTF-8), and for windows-1258, every
    tone mark on a vowel."""
    try:
        text = body.decode(codec)
    except UnicodeDecodeError:
        return None
    if codec == "utf-8":
        if _BROKEN_UTF8.search(body) or _encoded_twice(body):
            return None
    # cp1252 and cp1258 have neither: their undefined bytes fail the decoding.
    elif _holds_utf8(body) or (codec not in ("cp1252", "cp1258") and _BROKEN.search(text)):
        return None
    if codec == "cp1258" and _STRAY_TONE.search(text):
        return None
    return text


def best_decoding(body: bytes, declared: str | None) -> str | None:
    """The codec (Python's name: `utf-8`, `cp1258`, `cp1252`…) that reads `body` as the text it is, among
    the declared one, UTF-8, windows-1258 and cp1252 (the page's own declaration first), or None when
    none does.

    A reading must be plausible (see `_reading`), and the first that shows Vietnamese letters
    (`_VIETNAMESE`) wins: windows-1258 bytes declared UTF-8 are no UTF-8, and in cp1252 they are
    letters no Vietnamese word holds. With Vietnamese in no reading (an English page), the declared
    codec or UTF-8 is believed, and a code page the page did not declare only when the text has no
    non-ASCII letter for it to get wrong (cp1252 then, the Western page). A Vietnamese page that lost
    its letters (`H?p` written in Latin-1), a page of two encodings or one with U+FFFD in its bytes has
    no plausible reading: None, and the page is worth a look.
    """
    if body.isascii():
        return _codec(declared) or "utf-8"
    tried = list(dict.fromkeys(c for c in (_codec(declared), *_FALLBACKS) if c))
    readings = {}
    for codec in tried:
        text = _reading(body, codec)
        if text is not None and _VIETNAMESE.search(text):
            return codec
        readings[codec] = text
    mine = _codec(declared)
    for codec in sorted(tried, key=lambda c: (c != mine, c != "utf-8", c != "cp1252")):
        text = readings[codec]
        if text is not None and (codec in (mine, "utf-8") or not _NON_ASCII_LETTER.search(text)):
            return codec
    return None
