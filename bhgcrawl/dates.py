"""Timestamps and event dates as printed by Báo Hà Giang.

Pure functions, no Scrapy. Every result is in the site's zone (fixed UTC+07:00).
The site always writes dates day-first; see /work/shared/site/NOTES.md.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

__all__ = [
    "SITE_TZ",
    "PRECISIONS",
    "Timestamp",
    "parse_timestamp",
    "find_timestamp",
    "month_timestamp",
    "event_date",
]

# Asia/Ho_Chi_Minh has had no DST since 1975, so a fixed offset is exact and needs no tz database.
SITE_TZ = timezone(timedelta(hours=7), "+07:00")

MIN_YEAR = 1990
MAX_YEAR = 2100
# Longer strings are sentences, not timestamps; dateparser would find something in them anyway.
_FALLBACK_MAX_LEN = 80
# An announcement may name a date shortly after publication ("Sáng 5.3" in an article of 1.3).
_ANNOUNCE_DAYS = 7

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
_TIME = r"(?P<hh>\d{1,2})\s*[:hg]\s*(?P<mi>\d{2})(?::(?P<ss>\d{2}))?(?:\s*(?P<ampm>[ap]\.?m\.?))?"
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
_SITE_BODY = (
    rf"(?:{_WEEKDAY}\s*,?\s*)?"
    rf"(?:{_rename(_TIME_DATE, '1')}|{_rename(_DATE_TIME, '2')})"
    rf"(?:\s*{_rename(_ZONE, '')})?"
)
_SITE_FULL_RE = re.compile(rf"{_SITE_BODY}", re.IGNORECASE)
# In running text a timestamp must not be glued to other digits ("128/01/2024").
_SITE_SEARCH_RE = re.compile(rf"(?<![\d:/.])(?:{_SITE_BODY})(?![\d/])", re.IGNORECASE)

_DATE_ONLY_RE = re.compile(rf"(?:{_WEEKDAY}\s*,?\s*)?{_DATE}", re.IGNORECASE)

_ISO_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<hh>\d{2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"), None)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return " ".join(text.split())


def _group(m: re.Match[str], name: str) -> str | None:
    """The first of ``name``, ``name1``, ``name2`` that took part in the match."""
    for key in (name, name + "1", name + "2"):
        if key in m.re.groupindex and m.group(key) is not None:
            return m.group(key)
    return None


def _make(
    y: int,
    mo: int,
    d: int,
    hh: int = 0,
    mi: int = 0,
    ss: int = 0,
    tz: timezone = SITE_TZ,
) -> datetime | None:
    """A datetime converted to SITE_TZ, or None if invalid or outside the plausible years."""
    try:
        value = datetime(y, mo, d, hh, mi, ss, tzinfo=tz).astimezone(SITE_TZ)
    except (ValueError, OverflowError):
        return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return value


def _hour(hh: int, ampm: str | None) -> int | None:
    if ampm is None:
        return hh if hh <= 23 else None
    if not 1 <= hh <= 12:
        return None
    pm = ampm.lower().startswith("p")
    return (hh % 12) + (12 if pm else 0)


def _zone(m: re.Match[str]) -> timezone:
    sign = _group(m, "zsign")
    if sign is None:
        # "(GMT+7)" without digits or no zone at all: the site's own zone.
        return SITE_TZ
    minutes = int(_group(m, "zh") or 0) * 60 + int(_group(m, "zm") or 0)
    return timezone(timedelta(minutes=-minutes if sign == "-" else minutes))


def _from_site_match(m: re.Match[str]) -> Timestamp | None:
    hour = _hour(int(_group(m, "hh") or 0), _group(m, "ampm"))
    minute = int(_group(m, "mi") or 0)
    second = int(_group(m, "ss") or 0)
    if hour is None or minute > 59 or second > 59:
        return None
    value = _make(
        int(_group(m, "y") or 0),
        int(_group(m, "m") or 0),
        int(_group(m, "d") or 0),
        hour,
        minute,
        second,
        _zone(m),
    )
    return Timestamp(value, "minute") if value else None


def _from_iso_match(m: re.Match[str]) -> Timestamp | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if m["hh"] is None:
        value = _make(y, mo, d)
        return Timestamp(value, "day") if value else None
    hh, mi, ss = int(m["hh"]), int(m["mi"]), int(m["ss"] or 0)
    if hh > 23 or mi > 59 or ss > 59:
        return None
    tz = SITE_TZ
    z = m["z"]
    if z and z.upper() == "Z":
        tz = timezone.utc
    elif z:
        digits = z[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
        tz = timezone(timedelta(minutes=-minutes if z[0] == "-" else minutes))
    # Fractional seconds are dropped: no page states time that finely, and it keeps values comparable.
    value = _make(y, mo, d, hh, mi, ss, tz)
    return Timestamp(value, "minute") if value else None


# --- dateparser fallback ----------------------------------------------------------

_parser: Any = None


def _date_data_parser() -> Any:
    """The shared DateDataParser, built on first use because importing dateparser is slow."""
    global _parser
    if _parser is None:
        from dateparser.date import DateDataParser

        _parser = DateDataParser(
            languages=["vi", "en"],
            settings={
                "DATE_ORDER": "DMY",
                "TIMEZONE": "Asia/Ho_Chi_Minh",
                "RETURN_AS_TIMEZONE_AWARE": True,
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


def _fallback(text: str) -> Timestamp | None:
    # Without a year dateparser fills in the current one: the result would depend on the crawl's day.
    if len(text) > _FALLBACK_MAX_LEN or not _YEAR_RE.search(text):
        return None
    try:
        data = _date_data_parser().get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input; a miss is all we need
        return None
    precision = _PERIOD_PRECISION.get(data.period or "")
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
        timezone(found.utcoffset() or timedelta(0)),
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
    s = _clean(text)
    if not s:
        return None
    m = _SITE_FULL_RE.fullmatch(s)
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


def find_timestamp(text: str) -> Timestamp | None:
    """The first site-format timestamp with a time inside a longer line; never dateparser."""
    s = _clean(text)
    for m in _SITE_SEARCH_RE.finditer(s):
        found = _from_site_match(m)
        if found:
            return found
    return None


_YYYYMM_RE = re.compile(r"(\d{4})(\d{2})")


def month_timestamp(yyyymm: str) -> Timestamp | None:
    """The month a ``/<yyyymm>/`` URL segment names, at its first day, precision "month"."""
    m = _YYYYMM_RE.fullmatch(yyyymm.strip())
    if not m:
        return None
    value = _make(int(m[1]), int(m[2]), 1)
    return Timestamp(value, "month") if value else None


# --- event dates in leads ---------------------------------------------------------

# Words that may come before the date at the opening of a lead: time of day, "ngày", and
# "Trong 2 ngày"-style spans. "Năm" is left out on purpose: "Năm học 2020-2021" is no date.
_LEAD_WORD = (
    r"(?:rạng|sáng|sớm|trưa|chiều|tối|đêm|khuya|ngày|hôm|nay|qua|mai|trong|từ|vào|suốt|"
    r"các|những|hai|ba|bốn|hết|cuối|đầu|\d{1,2}(?=\s+ngày))"
)
_DMY = r"\d{1,2}(?:[./]\d{1,2}(?:[./]\d{4})?)?"
_RANGE_SEP = r"(?:–|—|-|,|và|&|đến|tới|(?:đến|tới)\s+hết)(?:\s+(?:ngày|hết\s+ngày))?"
_VI_LEAD_RE = re.compile(
    rf"(?P<words>(?:{_LEAD_WORD}\s+){{0,5}})\(?\s*"
    rf"(?P<body>{_DMY}(?:\s*{_RANGE_SEP}\s*{_DMY})*)"
    rf"(?P<after>\s*\)?\s*(?:[,;:]|\s|$))",
    re.IGNORECASE,
)
_DMY_TOKEN_RE = re.compile(r"(\d{1,2})(?:[./](\d{1,2})(?:[./](\d{4}))?)?")
# "Ngày 5 tháng 3 năm 2024, ..." is the formal spelling of the same thing.
_VI_WORDS_RE = re.compile(
    rf"(?:{_LEAD_WORD}\s+){{0,5}}(?P<d>\d{{1,2}})\s+tháng\s+(?P<m>\d{{1,2}})"
    rf"(?:\s*(?:năm|[./,])\s*(?P<y>\d{{4}}))?(?=[\s,;:)]|$)",
    re.IGNORECASE,
)

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_EN_LEAD_RE = re.compile(
    r"on\s+(?:the\s+(?:early\s+|late\s+)?(?:morning|afternoon|evening|night|noon)\s+of\s+)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:(?P<mon1>{_MONTH_NAMES})\.?\s+(?P<d1>\d{{1,2}}){_ORD}"
    rf"|(?:the\s+)?(?P<d2>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<mon2>{_MONTH_NAMES})\.?)"
    rf"(?:\s*(?:-|–|and|to)\s*\d{{1,2}}{_ORD})?"
    r"(?:,?\s+(?P<y>\d{4}))?(?=[\s,.;:]|$)",
    re.IGNORECASE,
)
_MARK_RE = re.compile(r"(?:BHG|HGĐT)\s*[-–—]\s*")


def _published_date(published: datetime | date) -> date:
    if isinstance(published, datetime):
        if published.tzinfo is not None:
            published = published.astimezone(SITE_TZ)
        return published.date()
    return published


def _with_year(day: int, month: int, year: int | None, published: date) -> date | None:
    if year is not None:
        try:
            return date(year, month, day) if year <= MAX_YEAR else None
        except ValueError:
            return None
    # The latest reading not after publication (plus a few days for announcements).
    limit = published + timedelta(days=_ANNOUNCE_DAYS)
    for y in (published.year + 1, published.year, published.year - 1):
        try:
            candidate = date(y, month, day)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    return None


def _vi_event(lead: str, published: date) -> date | None:
    m = _VI_LEAD_RE.match(lead)
    if m:
        # Without an introducing word only the house form "26.1, ..." counts: a bare
        # "10/12 huyện" opening a lead is a count, not a date.
        if not m["words"].strip() and not m["after"].strip().startswith((",", ")")):
            return _vi_words_event(lead, published)
        tokens = _DMY_TOKEN_RE.findall(m["body"])
        first_day = int(tokens[0][0])
        # A bare first day ("11 – 14.12", "5 và 6.3") takes the month of the next dated token;
        # a missing year comes from the first token that has one ("26.1 đến hết ngày 29.1.2024").
        with_month = next((i for i, t in enumerate(tokens) if t[1]), None)
        if with_month is None:
            return _vi_words_event(lead, published)
        month = int(tokens[with_month][1])
        with_year = next((t for t in tokens[with_month:] if t[2]), None)
        year = None
        if with_year is not None:
            year = int(with_year[2])
            end = (int(with_year[1]), int(with_year[0]))
            if (month, first_day) > end:
                year -= 1  # "28.12 đến 3.1.2024": the range crosses new year
        return _with_year(first_day, month, year, published)
    return _vi_words_event(lead, published)


def _vi_words_event(lead: str, published: date) -> date | None:
    m = _VI_WORDS_RE.match(lead)
    if not m:
        return None
    return _with_year(int(m["d"]), int(m["m"]), int(m["y"]) if m["y"] else None, published)


def _en_event(lead: str, published: date) -> date | None:
    m = _EN_LEAD_RE.match(lead)
    if not m:
        return None
    day = int(m["d1"] or m["d2"])
    month = _MONTHS[(m["mon1"] or m["mon2"]).lower()]
    return _with_year(day, month, int(m["y"]) if m["y"] else None, published)


def event_date(lead: str, published: datetime | date) -> date | None:
    """The date a lead opens with ("Chiều 26.1, ...", "On January 5, ..."), year inferred."""
    s = _clean(lead)
    s = _MARK_RE.sub("", s, count=1) if _MARK_RE.match(s) else s
    if not s:
        return None
    pub = _published_date(published)
    return _vi_event(s, pub) or _en_event(s, pub)


_BARE_DATE_RE = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])")


def line_date(line: str) -> Timestamp | None:
    """The date a printed line holds: a site timestamp anywhere in it (`09:01, 28/01/2024`), the
    whole of a short line, or a bare `(19/05/2019)` beside other text."""
    ts = find_timestamp(line) or (parse_timestamp(line) if len(line) <= 40 else None)
    if ts is None:
        m = _BARE_DATE_RE.search(line)
        ts = parse_timestamp(m.group(0)) if m else None
    return ts


def date_in(lines: list[str]) -> Timestamp | None:
    """The first date printed among an item's lines (a listing entry, a related item)."""
    return next((ts for ts in map(line_date, lines) if ts is not None), None)
