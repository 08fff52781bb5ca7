"""Timestamps as printed by Báo Hà Giang (dates inside an article's text: `bhgcrawl.event_dates`).

Pure functions, no Scrapy. Every result is in the site's zone (fixed UTC+07:00).
The site always writes dates day-first; see /work/shared/site/NOTES.md.

The parsers read any valid calendar date of MIN_YEAR..MAX_YEAR (a text may name 13.4.1964);
whether a date can be a time the site published (SITE_FIRST_YEAR on) is `site_time`, which the
readers of printed lines (find_timestamp, line_date, date_in, month_timestamp) apply themselves
and callers of parse_timestamp apply when they choose a publication time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from bhgcrawl.text import clean

__all__ = [
    "PRECISIONS",
    "SITE_TZ",
    "TIME_MARKER",
    "Timestamp",
    "date_in",
    "find_timestamp",
    "line_date",
    "month_timestamp",
    "parse_timestamp",
    "site_time",
    "time_of_day",
]

# Asia/Ho_Chi_Minh has been +07:00 without DST since 1975, so a fixed offset is exact for every
# time the site prints and needs no tz database. An older date named in a text (13.4.1964) is read
# in +07:00 too, as a calendar date: the tz database would give the South's +08:00 of 1959-1975.
SITE_TZ = timezone(timedelta(hours=7), "+07:00")

MIN_YEAR = 1900
MAX_YEAR = 2100
# No timestamp of the site predates this year (see site_time).
SITE_FIRST_YEAR = 1990
# Longer strings are sentences, not timestamps; dateparser would find something in them anyway.
_FALLBACK_MAX_LEN = 80

PRECISIONS = ("minute", "day", "month")


@dataclass(frozen=True)
class Timestamp:
    """A point in time in SITE_TZ and how much of it the page actually stated."""

    value: datetime
    precision: str  # "minute" | "day" | "month"

    def isoformat(self) -> str:
        """ISO 8601 with seconds and offset, e.g. ``2024-01-28T09:01:00+07:00``."""
        return self.value.isoformat(timespec="seconds")


# --- shared pieces -----------------------------------------------------------------

_WEEKDAY = r"(?:th[ứu]\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|ch[ủu]\s*nh[ậa]t|cn)"
# After the time, a 12-hour marker (AM/PM; SA/CH, the Vietnamese ones, in capitals: "Sa Pa" is a place) or
# the part of the day: read (see _MARKER_HOURS), or the time is refused; never left aside.
_MARKER = r"(?:[ap]\.?m\.?|(?-i:SA|CH)|sáng|trưa|chiều|tối|đêm)(?!\w)"
TIME_MARKER = _MARKER  # for readers that take a printed time out of a line (pages.article.authors)
_TIME = rf"(?P<hh>\d{{1,2}})\s*[:hg]\s*(?P<mi>\d{{2}})(?::(?P<ss>\d{{2}}))?(?:\s*(?P<ampm>{_MARKER}))?"
# The day-first date; the separator must repeat so "28/01-2024" is not taken.
_DATE = r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})"
_ZONE = (
    r"(?:\(?\s*(?:GMT|UTC)\s*(?:(?P<zsign>[+-])\s*(?P<zh>\d{1,2})(?::?(?P<zm>\d{2}))?)?\s*\)?)"
)

_TIME_DATE = rf"{_TIME}\s*[,\-–|]?\s*{_DATE}"
_DATE_TIME = rf"{_DATE}\s*[,\-–|]?\s*(?:lúc\s+)?{_TIME}"


def _rename(pattern: str, suffix: str) -> str:
    """Suffix every named group (and back-reference) so alternatives can share one regex."""
    pattern = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}{suffix}>", pattern)
    return re.sub(r"\(\?P=(\w+)\)", lambda m: f"(?P={m.group(1)}{suffix})", pattern)


# Site forms with a time: "09:01, 28/01/2024", "28/01/2024 09:01",
# "Thứ Hai, 20/05/2019, 15:43 (GMT+7)".
_SITE_FORMS = [rf"(?:{_WEEKDAY}\s*,?\s*)?{form}(?:\s*{_ZONE})?" for form in (_TIME_DATE, _DATE_TIME)]
# One regex per form, so a match's groups are read by plain names.
_SITE_FULL_RES = [re.compile(form, re.IGNORECASE) for form in _SITE_FORMS]
# In running text a timestamp must not be glued to other digits ("128/01/2024"); one alternation
# finds the leftmost of either form, whose text _SITE_FULL_RES then reads.
_SITE_SEARCH_RE = re.compile(
    rf"(?<![\d:/.])(?:{_rename(_SITE_FORMS[0], '1')}|{_rename(_SITE_FORMS[1], '2')})(?![\d/])",
    re.IGNORECASE,
)
# The site's most common form, "09:01, 28/01/2024", read without the general regex.
_COMMON_RE = re.compile(r"(\d\d):(\d\d), (\d\d)/(\d\d)/(\d{4})")

_DATE_ONLY_RE = re.compile(rf"(?:{_WEEKDAY}\s*,?\s*)?{_DATE}", re.IGNORECASE)

_ISO_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<hh>\d{2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)

def _offset(minutes: int) -> timezone:
    # The site's own offset is nearly every one stated: no new tzinfo, and no conversion in _make.
    return SITE_TZ if minutes == 420 else timezone(timedelta(minutes=minutes))


def _make(
    y: int,
    mo: int,
    d: int,
    hh: int = 0,
    mi: int = 0,
    ss: int = 0,
    tz: timezone = SITE_TZ,
) -> datetime | None:
    """A datetime converted to SITE_TZ, or None if invalid or outside MIN_YEAR..MAX_YEAR."""
    try:
        value = datetime(y, mo, d, hh, mi, ss, tzinfo=tz)
        if tz is not SITE_TZ:
            value = value.astimezone(SITE_TZ)
    except (ValueError, OverflowError):
        return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return value


# The hours of the 24-hour clock (first, last; across midnight when first > last) a marker names.
_MARKER_HOURS = {
    "am": (0, 11), "sa": (0, 11), "pm": (12, 23), "ch": (12, 23),
    "sáng": (1, 11), "trưa": (11, 13), "chiều": (12, 18), "tối": (18, 23), "đêm": (19, 4),
}


def _hour(hh: int, marker: str | None) -> int | None:
    """The hour on the 24-hour clock (one past 23 is left to datetime to refuse). After a marker, the
    printed hour if the marker's hours hold it ("15:43 chiều"), else its 12-hour reading that they hold
    ("03:43 CH" 15:43, "12:05 SA" 00:05, "12:00 đêm" 00:00); None when neither does ("15:43 SA")."""
    if marker is None:
        return hh
    first, last = _MARKER_HOURS[marker.lower().replace(".", "")]
    readings = [hh, hh % 12, hh % 12 + 12] if 1 <= hh <= 12 else [hh]
    for h in readings:
        if (first <= h <= last) if first <= last else (h >= first or h <= last):
            return h
    return None


def _site_match(s: str) -> re.Match[str] | None:
    """The match of a cleaned string that is wholly a site form with a time."""
    m = _COMMON_RE.fullmatch(s)
    if m:
        return m
    for regex in _SITE_FULL_RES:
        m = regex.fullmatch(s)
        if m:
            return m
    return None


def _from_site_match(m: re.Match[str]) -> Timestamp | None:
    if m.re is _COMMON_RE:
        hh, mi, d, mo, y = map(int, m.groups())
        value = _make(y, mo, d, hh, mi)  # "24:01" or "09:61" is no datetime: None
        return Timestamp(value, "minute") if value else None
    hh, mi, ss, ampm, d, mo, y, zsign, zh, zm = m.group("hh", "mi", "ss", "ampm", "d", "m", "y",
                                                        "zsign", "zh", "zm")
    hour = _hour(int(hh), ampm)
    if hour is None:
        return None
    tz = SITE_TZ  # "(GMT+7)" without digits, or no zone at all: the site's own zone
    if zsign is not None:
        minutes = int(zh) * 60 + int(zm or 0)
        tz = _offset(-minutes if zsign == "-" else minutes)
    # An hour, minute or second out of range is no datetime: _make gives None.
    value = _make(int(y), int(mo), int(d), hour, int(mi), int(ss or 0), tz)
    return Timestamp(value, "minute") if value else None


def _from_iso_match(m: re.Match[str]) -> Timestamp | None:
    y, mo, d, hh, mi, ss, z = m.group("y", "m", "d", "hh", "mi", "ss", "z")
    if hh is None:
        value = _make(int(y), int(mo), int(d))
        return Timestamp(value, "day") if value else None
    tz = SITE_TZ
    if z and z.upper() == "Z":
        tz = UTC
    elif z:
        digits = z[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
        tz = _offset(-minutes if z[0] == "-" else minutes)
    # Fractional seconds are dropped: no page states time that finely, and it keeps values comparable.
    value = _make(int(y), int(mo), int(d), int(hh), int(mi), int(ss or 0), tz)
    return Timestamp(value, "minute") if value else None


# --- dateparser fallback ----------------------------------------------------------

_parser: Any = None
_FALLBACK_LANGUAGES = ["vi", "en"]


def _date_data_parser() -> Any:
    """The shared DateDataParser, built on first use because importing dateparser is slow."""
    global _parser
    if _parser is None:
        from dateparser.date import DateDataParser

        _parser = DateDataParser(
            languages=_FALLBACK_LANGUAGES,
            settings={
                "DATE_ORDER": "DMY",
                "TIMEZONE": "Asia/Ho_Chi_Minh",
                # Not RETURN_AS_TIMEZONE_AWARE: a string that states no offset then comes back
                # naive and is read in SITE_TZ, as the fast path does, rather than in the tz
                # database's +08:00 of 1959-1975 (one that states one comes back converted).
                "PREFER_DATES_FROM": "past",
                # Tells "held a time" apart from a bare date without re-parsing the string.
                "RETURN_TIME_AS_PERIOD": True,
                # A month-only string must not borrow today's day of month.
                "PREFER_DAY_OF_MONTH": "first",
                # Relative forms ("2 giờ trước") depend on when we crawl, and bare digit runs
                # would be read as Unix timestamps: neither is a date the page states.
                "PARSERS": ["custom-formats", "absolute-time"],
            },
        )
    return _parser


_PERIOD_PRECISION = {"time": "minute", "day": "day", "month": "month"}


_YEAR_RE = re.compile(r"(?<!\d)(19|20|21)\d\d(?!\d)")
_WORD_RE = re.compile(r"[^\W\d_]+")
_known_words: list[frozenset[str]] = []
_sanitize: Any = None


def _dateparser_words() -> list[frozenset[str]]:
    """Per language of the fallback, every word dateparser may know: those of its locale data
    (dictionary, relative forms, simplifications), its own tokens and the zone names it strips
    first. Loaded on the fallback's first use, from the installed dateparser."""
    global _sanitize
    if not _known_words:
        import importlib

        from dateparser.conf import settings
        from dateparser.date import sanitize_date
        from dateparser.languages.dictionary import PARSER_KNOWN_TOKENS
        from dateparser.timezones import timezone_info_list

        def strings(x: Any) -> Any:
            if isinstance(x, str):
                yield x
            elif isinstance(x, dict):
                for key, value in x.items():
                    yield key
                    yield from strings(value)
            elif isinstance(x, (list, tuple)):
                for value in x:
                    yield from strings(value)

        common = [*PARSER_KNOWN_TOKENS, *settings.SKIP_TOKENS,
                  *(name for info in timezone_info_list for name, _ in info["timezones"])]
        for language in _FALLBACK_LANGUAGES:
            info = importlib.import_module(f"dateparser.data.date_translation_data.{language}").info
            # The top-level keys ("january", "name") are names of the entries, not words of the
            # language; nested keys are relative forms and simplification patterns.
            texts = [*strings(list(info.values())), *common]
            _known_words.append(frozenset(w for t in texts for w in _words(t)))
        _sanitize = sanitize_date  # what dateparser does to a string before looking at its words
    return _known_words


def _words(text: str) -> list[str]:
    """The words of ``text`` as dateparser compares them: lower case, without accents (NFKD
    and no combining marks, its NORMALIZE setting); "đ" stays."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return _WORD_RE.findall(text)


def _dateparser_refuses(text: str) -> bool:
    """True when dateparser would surely find nothing because no language of the fallback knows
    every word (its Locale.is_applicable: "Cập nhật lúc 08:30, 01/03/2012" has "cập"), which it
    takes ~300 µs to decide. The vocabulary is a superset of each language's dictionary, so an
    unsure case is left to dateparser."""
    known = _dateparser_words()
    words = set(_words(_sanitize(text)))
    return bool(words) and not any(words <= k for k in known)


def _fallback(text: str) -> Timestamp | None:
    # Without a year dateparser fills in the current one: the result would depend on the crawl's day.
    if len(text) > _FALLBACK_MAX_LEN or not _YEAR_RE.search(text) or _dateparser_refuses(text):
        return None
    try:
        data = _date_data_parser().get_date_data(text)
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd input; a miss is all we need
        return None
    precision = _PERIOD_PRECISION.get(data.period)
    if data.date_obj is None or precision is None:
        return None
    found: datetime = data.date_obj
    if found.tzinfo is None:
        found = found.replace(tzinfo=SITE_TZ)
    value = _make(
        found.year,
        found.month,
        found.day,
        found.hour,
        found.minute,
        found.second,
        # dateparser's own reading in TIMEZONE (+08:00 before 1975), converted by _make to SITE_TZ.
        timezone(found.utcoffset()),
    )
    if value is None:
        return None
    if precision != "minute":
        value = value.replace(hour=0, minute=0, second=0)
    if precision == "month":
        value = value.replace(day=1)
    return Timestamp(value, precision)


# --- public API -------------------------------------------------------------------


def parse_timestamp(text: str) -> Timestamp | None:
    """Parse a string that is wholly a timestamp (meta content, ``datetime=``, date line)."""
    s = clean(text)
    if not s:
        return None
    m = _site_match(s)
    if m:
        return _from_site_match(m)
    m = _ISO_RE.fullmatch(s)
    if m:
        return _from_iso_match(m)
    m = _DATE_ONLY_RE.fullmatch(s)
    if m:
        value = _make(int(m["y"]), int(m["m"]), int(m["d"]))
        return Timestamp(value, "day") if value else None
    if _RFC822_RE.match(s):  # RSS pubDate: "Wed, 08 Jan 2025 10:45:00 +0700"
        try:
            found = parsedate_to_datetime(s)
        except (TypeError, ValueError):
            found = None
        if found is not None:
            value = _make(found.year, found.month, found.day, found.hour, found.minute, found.second,
                          found.tzinfo or SITE_TZ)
            return Timestamp(value, "minute") if value else None
    return _fallback(s)


_RFC822_RE = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")


def site_time(ts: Timestamp | None) -> Timestamp | None:
    """``ts`` if it can be a time the site published (SITE_FIRST_YEAR..MAX_YEAR), else None.
    The parsers read older dates (a text may name 13.4.1964); a caller choosing a publication
    time applies this."""
    return ts if ts is not None and ts.value.year >= SITE_FIRST_YEAR else None


# Every form read in printed lines has a four-digit year: a (cleaned) line without one is passed
# over before any of the longer patterns is tried on it (most lines of a page hold no date).
_FOUR_DIGITS_RE = re.compile(r"\d{4}")
# What every site form holds, found far faster than the forms themselves in a long line.
_DMY_HINT_RE = re.compile(r"\d[/.-]\d{1,2}[/.-]\d{4}")


def find_timestamp(text: str) -> Timestamp | None:
    """The first site-format timestamp with a time inside a longer line that can be a time of the
    site (site_time: a dateline's time, so an older one is skipped, not returned); never
    dateparser."""
    return _find_in_clean(clean(text))


def _find_in_clean(s: str) -> Timestamp | None:
    if not _DMY_HINT_RE.search(s):
        return None
    for found in _SITE_SEARCH_RE.finditer(s):
        m = _site_match(found.group())
        ts = site_time(_from_site_match(m)) if m else None
        if ts:
            return ts
    return None


_YYYYMM_RE = re.compile(r"(\d{4})(\d{2})")


def month_timestamp(yyyymm: str) -> Timestamp | None:
    """The month a ``/<yyyymm>/`` URL segment names, at its first day, precision "month"."""
    m = _YYYYMM_RE.fullmatch(yyyymm.strip())
    if not m:
        return None
    value = _make(int(m[1]), int(m[2]), 1)
    return site_time(Timestamp(value, "month")) if value else None


_BARE_DATE_RE = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])")


def line_date(line: str) -> Timestamp | None:
    """The date a printed line holds: a site timestamp anywhere in it (`09:01, 28/01/2024`), the
    whole of a short line, or a bare `(19/05/2019)` beside other text. Only a date that can be
    the site's (site_time): these lines date articles."""
    line = clean(line)
    if not _FOUR_DIGITS_RE.search(line):
        return None
    ts = _find_in_clean(line) or (site_time(parse_timestamp(line)) if len(line) <= 40 else None)
    if ts is None:
        m = _BARE_DATE_RE.search(line)
        ts = site_time(parse_timestamp(m.group(0))) if m else None
    return ts


# A time printed on its own, its 12-hour marker with it: "9h01", "9h01 CH", "21:01".
_TIME_OF_DAY_RE = re.compile(
    rf"(?<![\d/.])(?P<hh>\d{{1,2}})\s*[:hg]\s*(?P<mi>\d{{2}})(?![\d/.])(?:\s*(?P<ampm>{_MARKER}))?", re.I)


def time_of_day(text: str) -> tuple[int, int] | None:
    """The first time printed in `text` (from which its date is gone: "Đăng lúc 9h01 CH ngày"), as hour
    and minute of the 24-hour clock, a marker after it read as _hour does; None without one or when it
    cannot be a time ("25h01", "15h01 SA")."""
    m = _TIME_OF_DAY_RE.search(clean(text))
    if m is None:
        return None
    hour = _hour(int(m["hh"]), m["ampm"])
    if hour is None or hour > 23 or int(m["mi"]) > 59:
        return None
    return hour, int(m["mi"])


def date_in(lines: list[str]) -> Timestamp | None:
    """The first date printed among an item's lines (a listing entry, a related item)."""
    return next((ts for ts in map(line_date, lines) if ts is not None), None)
