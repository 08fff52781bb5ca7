"""Dates inside an article's text: the day a lead opens with ("Chiều 26.1, …", "On January 5, …").

House style leaves out the year (`Ngày 5.3`, `sáng 4.11`): it comes from the article's own date,
the latest reading not after publication (plus a few days for announcements), so `31.12` in an
article of 08/01/2025 is 2024-12-31. Ranges (`từ ngày 11 – 14.12`) give their first day. Text that
only looks like a date (`Quảng trường 26.3`, `Năm học 2020-2021`, `10/12 huyện`) is not one.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bhgcrawl.dates import MAX_YEAR, SITE_TZ
from bhgcrawl.text import clean
from bhgcrawl.vocab import LEAD_MARK

# An announcement may name a date shortly after publication ("Sáng 5.3" in an article of 1.3).
_ANNOUNCE_DAYS = 7

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
    if not m:
        # Whatever opening _VI_WORDS_RE reads ("Sáng 5 tháng 3"), _VI_LEAD_RE reads too: none, no date.
        return None
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
    s = LEAD_MARK.sub("", clean(lead))  # anchored at the start: one mark at most
    if not s:
        return None
    pub = _published_date(published)
    return _vi_event(s, pub) or _en_event(s, pub)
