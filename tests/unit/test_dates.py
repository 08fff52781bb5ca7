"""Tests for bhgcrawl.dates: site timestamps and URL months (event dates in leads: test_event_dates.py)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhgcrawl import dates
from bhgcrawl.dates import (
    SITE_TZ,
    Timestamp,
    date_in,
    find_timestamp,
    line_date,
    month_timestamp,
    parse_timestamp,
    site_time,
)


def iso(ts: Timestamp | None) -> tuple[str, str] | None:
    return None if ts is None else (ts.isoformat(), ts.precision)


def test_site_tz_is_fixed_plus_seven() -> None:
    assert SITE_TZ.utcoffset(None) == timedelta(hours=7)


def test_timestamp_value_is_in_site_tz() -> None:
    ts = parse_timestamp("2024-01-28T02:01:00Z")
    assert ts is not None
    assert ts.value == datetime(2024, 1, 28, 9, 1, tzinfo=SITE_TZ)
    assert ts.value.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Newer layout, listings and related items.
        ("09:01, 28/01/2024", ("2024-01-28T09:01:00+07:00", "minute")),
        ("9:01 28/01/2024", ("2024-01-28T09:01:00+07:00", "minute")),
        ("28/01/2024 09:01", ("2024-01-28T09:01:00+07:00", "minute")),
        ("28/01/2024, 09:01", ("2024-01-28T09:01:00+07:00", "minute")),
        ("18:34, 05/03/2021", ("2021-03-05T18:34:00+07:00", "minute")),
        ("  09:01,\u00a028/01/2024 \n", ("2024-01-28T09:01:00+07:00", "minute")),
        # Older layout with weekday and zone.
        ("Thứ Hai, 20/05/2019, 15:43 (GMT+7)", ("2019-05-20T15:43:00+07:00", "minute")),
        ("Thứ Bảy, 18/05/2019, 08:00 (GMT+7)", ("2019-05-18T08:00:00+07:00", "minute")),
        ("Thứ Tư, 15/05/2019, 23:59", ("2019-05-15T23:59:00+07:00", "minute")),
        ("Chủ nhật, 19/05/2019, 07:05 GMT+07:00", ("2019-05-19T07:05:00+07:00", "minute")),
        ("Chủ Nhật, 19/05/2019, 07:05 (GMT+7)", ("2019-05-19T07:05:00+07:00", "minute")),
        ("thứ năm, 16/05/2019, 10:30 (gmt+7)", ("2019-05-16T10:30:00+07:00", "minute")),
        # A stated zone other than +7 is converted, not ignored.
        ("Thứ Hai, 20/05/2019, 15:43 (GMT+0)", ("2019-05-20T22:43:00+07:00", "minute")),
        # Date only.
        ("28/01/2024", ("2024-01-28T00:00:00+07:00", "day")),
        ("28-01-2024", ("2024-01-28T00:00:00+07:00", "day")),
        ("5/3/2021", ("2021-03-05T00:00:00+07:00", "day")),
        # ISO 8601, all converted to +07:00.
        ("2024-01-28T09:01:00+07:00", ("2024-01-28T09:01:00+07:00", "minute")),
        ("2024-01-28T02:01:00Z", ("2024-01-28T09:01:00+07:00", "minute")),
        ("2024-01-28T09:01:00+0700", ("2024-01-28T09:01:00+07:00", "minute")),
        ("2024-01-28T03:01:00+01:00", ("2024-01-28T09:01:00+07:00", "minute")),
        ("2024-01-28T09:01:30.123456+07:00", ("2024-01-28T09:01:30+07:00", "minute")),
        ("2024-01-28T09:01:00", ("2024-01-28T09:01:00+07:00", "minute")),
        ("2024-01-28 09:01", ("2024-01-28T09:01:00+07:00", "minute")),
        ("2024-01-27T20:30:00Z", ("2024-01-28T03:30:00+07:00", "minute")),
        ("2024-01-28", ("2024-01-28T00:00:00+07:00", "day")),
        # Fast-path extras.
        ("9h01, 28/01/2024", ("2024-01-28T09:01:00+07:00", "minute")),
        ("28/01/2024 09:01 PM", ("2024-01-28T21:01:00+07:00", "minute")),
        ("28/01/2024 12:05 AM", ("2024-01-28T00:05:00+07:00", "minute")),
    ],
)
def test_parse_timestamp_fast_forms(text: str, expected: tuple[str, str]) -> None:
    assert iso(parse_timestamp(text)) == expected


def test_seconds_are_kept_but_precision_is_minute() -> None:
    ts = parse_timestamp("2024-01-28T09:01:42+07:00")
    assert ts is not None
    assert ts.value.second == 42
    assert ts.precision == "minute"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("January 28, 2024 09:01", ("2024-01-28T09:01:00+07:00", "minute")),
        ("Jan 28, 2024, 9:01 pm", ("2024-01-28T21:01:00+07:00", "minute")),
        ("28 January 2024", ("2024-01-28T00:00:00+07:00", "day")),
        ("ngày 28 tháng 1 năm 2024", ("2024-01-28T00:00:00+07:00", "day")),
        ("28.01.2024 09:01", ("2024-01-28T09:01:00+07:00", "minute")),
        # Month-only strings keep month precision and start at day 1.
        ("tháng 1/2024", ("2024-01-01T00:00:00+07:00", "month")),
    ],
)
def test_parse_timestamp_fallback(text: str, expected: tuple[str, str]) -> None:
    assert iso(parse_timestamp(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "31/02/2024",
        "31/02/2024 09:01",
        "2023-02-29",
        "28/13/2024",
        "24:01, 28/01/2024",
        "09:61, 28/01/2024",
        "31/12/1899",  # before MIN_YEAR
        "1899-12-31T23:59:00+07:00",
        "28/01/2101",
        "2024",  # a year alone is not a timestamp
        "hôm qua",  # no digit: never handed to dateparser
        "2 giờ trước",  # relative to the crawl, not to the page
        "1706407260",  # not a Unix timestamp either
        "Lượt xem: 120",
        "x" * 75 + " 28/01/2024 09:01",  # too long for a timestamp string
    ],
)
def test_parse_timestamp_rejects(text: str) -> None:
    assert parse_timestamp(text) is None


def test_year_bounds_are_inclusive() -> None:
    assert iso(parse_timestamp("01/01/1900")) == ("1900-01-01T00:00:00+07:00", "day")
    assert iso(parse_timestamp("01/01/1990")) == ("1990-01-01T00:00:00+07:00", "day")
    assert iso(parse_timestamp("31/12/2100 23:59")) == ("2100-12-31T23:59:00+07:00", "minute")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A date named in a text is read whatever its year; before 1975 still in the fixed +07:00
        # (the tz database has +08:00 then): it is a calendar date, not an instant of the site.
        ("13.4.1964", ("1964-04-13T00:00:00+07:00", "day")),
        ("13/4/1964", ("1964-04-13T00:00:00+07:00", "day")),
        ("28/01/1989 09:01", ("1989-01-28T09:01:00+07:00", "minute")),
        ("1989-12-31T23:59:00+07:00", ("1989-12-31T23:59:00+07:00", "minute")),
        ("1964-04-13T00:00:00+08:00", ("1964-04-12T23:00:00+07:00", "minute")),
        # The dateparser fallback reads an unstated offset the same way.
        ("ngày 13 tháng 4 năm 1964", ("1964-04-13T00:00:00+07:00", "day")),
        ("13 April 1964 08:30", ("1964-04-13T08:30:00+07:00", "minute")),
    ],
)
def test_parse_timestamp_reads_dates_before_the_site(text: str, expected: tuple[str, str]) -> None:
    assert iso(parse_timestamp(text)) == expected


def test_site_time_refuses_what_predates_the_site() -> None:
    assert site_time(parse_timestamp("13.4.1964")) is None
    assert site_time(parse_timestamp("31/12/1989 23:59")) is None
    assert iso(site_time(parse_timestamp("01/01/1990"))) == ("1990-01-01T00:00:00+07:00", "day")
    assert site_time(None) is None


def test_printed_lines_only_give_the_sites_times() -> None:
    # find_timestamp skips an older timestamp and goes on to the next one.
    assert find_timestamp("00:00, 01/01/1970") is None
    assert iso(find_timestamp("00:00, 01/01/1970 rồi 09:01, 28/01/2024")) == (
        "2024-01-28T09:01:00+07:00", "minute")
    assert line_date("13.4.1964") is None
    assert line_date("(13/04/1964)") is None
    assert date_in(["13/04/1964", "Thứ Hai, 20/05/2019, 15:43 (GMT+7)"]) == parse_timestamp("20/05/2019 15:43")


def test_ascii_fast_path_still_drops_invisible_characters() -> None:
    assert iso(parse_timestamp("\u200b09:01, 28/01/2024\ufeff")) == ("2024-01-28T09:01:00+07:00", "minute")
    assert iso(parse_timestamp("09:01,  28/01/2024")) == ("2024-01-28T09:01:00+07:00", "minute")


def test_nfd_input_is_accepted() -> None:
    text = unicodedata.normalize("NFD", "Chủ nhật, 19/05/2019, 07:05 (GMT+7)")
    assert iso(parse_timestamp(text)) == ("2019-05-19T07:05:00+07:00", "minute")


def test_fast_path_does_not_import_dateparser() -> None:
    root = Path(__file__).resolve().parents[1]
    code = (
        "import sys; from bhgcrawl.dates import parse_timestamp, find_timestamp;"
        "assert parse_timestamp('Thứ Hai, 20/05/2019, 15:43 (GMT+7)') is not None;"
        "assert parse_timestamp('2024-01-28') is not None;"
        "assert find_timestamp('x 09:01, 28/01/2024 y') is not None;"
        "print('dateparser' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cập nhật: 09:01, 28/01/2024 | Lượt xem: 120", "2024-01-28T09:01:00+07:00"),
        ("Đăng lúc 28/01/2024 09:01 bởi BHG", "2024-01-28T09:01:00+07:00"),
        (
            "Báo Hà Giang - Thứ Hai, 20/05/2019, 15:43 (GMT+7) - In bài",
            "2019-05-20T15:43:00+07:00",
        ),
        ("Thứ Hai, 20/05/2019, 15:43 (GMT+7)", "2019-05-20T15:43:00+07:00"),
        # The first valid one wins; an impossible date before it is skipped.
        ("31/02/2024 10:00 rồi 09:01, 28/01/2024", "2024-01-28T09:01:00+07:00"),
        ("18:34, 05/03/2021 và 10:00, 06/03/2021", "2021-03-05T18:34:00+07:00"),
    ],
)
def test_find_timestamp(text: str, expected: str) -> None:
    ts = find_timestamp(text)
    assert ts is not None
    assert (ts.isoformat(), ts.precision) == (expected, "minute")


@pytest.mark.parametrize(
    "text",
    [
        "05/03/2021",  # a bare date has no time
        "Cập nhật: 28/01/2024 | Lượt xem: 120",
        "January 28, 2024 09:01",  # never dateparser
        "Mã số 128/01/2024 09:01",  # glued to other digits
        "Lượt xem: 120",
        "",
    ],
)
def test_find_timestamp_rejects(text: str) -> None:
    assert find_timestamp(text) is None


@pytest.mark.parametrize(
    ("yyyymm", "expected"),
    [
        ("202112", "2021-12-01T00:00:00+07:00"),
        ("201203", "2012-03-01T00:00:00+07:00"),
        (" 202401 ", "2024-01-01T00:00:00+07:00"),
    ],
)
def test_month_timestamp(yyyymm: str, expected: str) -> None:
    assert iso(month_timestamp(yyyymm)) == (expected, "month")


@pytest.mark.parametrize("yyyymm", ["202113", "202100", "198912", "20211", "2021-12", "abcdef", ""])
def test_month_timestamp_rejects(yyyymm: str) -> None:
    assert month_timestamp(yyyymm) is None


def test_rss_pubdate_fast_path_and_no_year_is_no_date():
    from bhgcrawl.dates import parse_timestamp

    assert parse_timestamp("Wed, 08 Jan 2025 10:45:00 +0700").isoformat() == "2025-01-08T10:45:00+07:00"
    assert parse_timestamp("08 Jan 2025 03:45:00 GMT").isoformat() == "2025-01-08T10:45:00+07:00"
    # Without a year any answer would be the crawl's year: none is given.
    assert parse_timestamp("Ngày 5.3") is None
    assert parse_timestamp("sáng 26 tháng 1") is None


# ---- the fallback's cheap refusal -------------------------------------------------------------------

LABELLED = "Cập nhật lúc 08:30, 01/03/2012"


def test_a_labelled_timestamp_is_refused_without_calling_dateparser(monkeypatch) -> None:
    def no_dateparser():
        raise AssertionError("dateparser called")

    monkeypatch.setattr(dates, "_date_data_parser", no_dateparser)
    # parse_timestamp reads strings that are wholly a timestamp; "cập" is no word of dateparser's
    # vi or en data, so dateparser would find nothing either.
    assert parse_timestamp(LABELLED) is None
    # The article's readers of printed lines find the timestamp inside the label.
    assert iso(find_timestamp(LABELLED)) == ("2012-03-01T08:30:00+07:00", "minute")
    assert iso(line_date(LABELLED)) == ("2012-03-01T08:30:00+07:00", "minute")


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        (LABELLED, True),
        ("Đăng ngày 28/01/2024", True),
        ("Lượt xem 2024", True),
        ("28 January 2024 lúc 09:01", True),  # no language knows both words
        ("ngày 28 tháng 1 năm 2024", False),
        ("Thứ Hai, 20/05/2019, 15:43 (GMT+7)", False),
        ("lúc 09:01 ngày 28/01/2024", False),
        ("January 28, 2024 09:01", False),
        ("Wed, 08 Jan 2025 10:45:00 +0700", False),
        ("28 Jan 2024 09:01 ICT", False),  # zone names dateparser strips first
        ("Published on: 28/01/2024", False),  # dateparser drops what comes before "on:"
        ("28/01/2024", False),  # no word at all
        ("hôm nay 28/01/2024 09:01", False),  # relative words are dateparser's words too
        ("today, January 28, 2024", False),
    ],
)
def test_the_refusal_mirrors_dateparser(text: str, refused: bool) -> None:
    assert dates._dateparser_refuses(text) is refused
    if refused:  # never refuses what dateparser would read
        assert dates._date_data_parser().get_date_data(text).date_obj is None


def test_the_benchmarks_identical_never_excuses_a_wrong_offset() -> None:
    """benchmarks/dates.py: a string that states its offset is compared by instant; one that does
    not by local time, and only against dateparser's reading in the TIMEZONE setting's zone."""
    import pytz

    from benchmarks.dates import compare

    zone = pytz.timezone("Asia/Ho_Chi_Minh")
    theirs = zone.localize(datetime(1964, 4, 13))  # the tz database's +08:00
    assert theirs.utcoffset() == timedelta(hours=8)
    ours = parse_timestamp("13.4.1964")
    assert compare(ours, theirs, offset_stated=False) == (True, "local time")
    # Had the string stated +08:00, reading it as +07:00 is a different instant.
    assert compare(ours, theirs, offset_stated=True) == (False, "instant")
    assert compare(ours, theirs, offset_stated=None) == (False, "instant")
    # Local time only counts in the setting's zone, not in some other offset.
    other = datetime(1964, 4, 13, tzinfo=timezone(timedelta(hours=8)))
    assert compare(ours, other, offset_stated=False) == (False, "local time")
    assert compare(parse_timestamp("2024-01-28T09:01:00+08:00"), zone.localize(datetime(2024, 1, 28, 9, 1)),
                   offset_stated=True) == (False, "instant")
    assert compare(None, None, offset_stated=None) == (True, "nothing")
    assert compare(ours, None, offset_stated=None) == (False, "one found nothing")


# ---- a 12-hour marker or a part of the day after the time: read, or the time refused ---------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # SA (sáng) and CH (chiều) are the Vietnamese AM and PM.
        ("28/01/2024 09:01 CH", "2024-01-28T21:01:00+07:00"),
        ("28/01/2024 09:01 SA", "2024-01-28T09:01:00+07:00"),
        ("28/01/2024 12:05 SA", "2024-01-28T00:05:00+07:00"),
        ("28/01/2024 12:30 CH", "2024-01-28T12:30:00+07:00"),
        ("28/01/2024 09:01CH", "2024-01-28T21:01:00+07:00"),
        ("09:01 CH, 28/01/2024", "2024-01-28T21:01:00+07:00"),
        ("Thứ Hai, 20/05/2019, 03:43 CH (GMT+7)", "2019-05-20T15:43:00+07:00"),
        ("Thứ Hai, 20/05/2019, 03:43 SA (GMT+7)", "2019-05-20T03:43:00+07:00"),
        ("28/01/2024 09:01 PM", "2024-01-28T21:01:00+07:00"),
        ("28/01/2024 09:01 p.m.", "2024-01-28T21:01:00+07:00"),
        ("28/01/2024 11:59 AM", "2024-01-28T11:59:00+07:00"),
        ("28/01/2024 12:00 PM", "2024-01-28T12:00:00+07:00"),
        # A 24-hour time may repeat the afternoon's marker.
        ("28/01/2024 15:43 CH", "2024-01-28T15:43:00+07:00"),
        ("28/01/2024 23:59 PM", "2024-01-28T23:59:00+07:00"),
        # The parts of the day, each the hours it names.
        ("28/01/2024 09:01 sáng", "2024-01-28T09:01:00+07:00"),
        ("28/01/2024 11:30 Sáng", "2024-01-28T11:30:00+07:00"),
        ("28/01/2024 11:00 trưa", "2024-01-28T11:00:00+07:00"),
        ("28/01/2024 12:00 trưa", "2024-01-28T12:00:00+07:00"),
        ("28/01/2024 1:00 trưa", "2024-01-28T13:00:00+07:00"),
        ("28/01/2024 13:00 trưa", "2024-01-28T13:00:00+07:00"),
        ("28/01/2024 12:30 chiều", "2024-01-28T12:30:00+07:00"),
        ("28/01/2024 3:43 chiều", "2024-01-28T15:43:00+07:00"),
        ("28/01/2024 15:43 chiều", "2024-01-28T15:43:00+07:00"),
        ("28/01/2024 6:00 chiều", "2024-01-28T18:00:00+07:00"),
        ("28/01/2024 18:30 CHIỀU", "2024-01-28T18:30:00+07:00"),
        ("28/01/2024 6:00 tối", "2024-01-28T18:00:00+07:00"),
        ("28/01/2024 9:01 tối", "2024-01-28T21:01:00+07:00"),
        ("28/01/2024 11:00 tối", "2024-01-28T23:00:00+07:00"),
        ("28/01/2024 21:01 tối", "2024-01-28T21:01:00+07:00"),
        ("28/01/2024 7:00 đêm", "2024-01-28T19:00:00+07:00"),
        ("28/01/2024 11:00 đêm", "2024-01-28T23:00:00+07:00"),
        ("28/01/2024 12:00 đêm", "2024-01-28T00:00:00+07:00"),
        ("28/01/2024 0:30 đêm", "2024-01-28T00:30:00+07:00"),
        ("28/01/2024 4:00 đêm", "2024-01-28T04:00:00+07:00"),
    ],
)
def test_a_marker_after_the_time_is_read_by_every_reader(text: str, expected: str) -> None:
    # The page's timestamp line, a listing's date and a whole meta string read it alike.
    assert iso(find_timestamp(text)) == (expected, "minute")
    assert iso(line_date(text)) == (expected, "minute")
    assert iso(find_timestamp(f"Cập nhật: {text} | Lượt xem: 120")) == (expected, "minute")
    assert iso(parse_timestamp(text)) == (expected, "minute")


@pytest.mark.parametrize(
    "text",
    [
        # A word that only begins like a marker, a place, a sentence going on.
        "28/01/2024 21:01 Sa Pa",
        "28/01/2024 21:01 sau đó",
        "28/01/2024 21:01 CHIẾN SĨ",
        "28/01/2024 21:01 amen",
    ],
)
def test_a_word_that_only_begins_like_a_marker_is_none(text: str) -> None:
    assert iso(find_timestamp(text)) == ("2024-01-28T21:01:00+07:00", "minute")
    assert iso(line_date(text)) == ("2024-01-28T21:01:00+07:00", "minute")


@pytest.mark.parametrize(
    "text",
    [
        # A marker the hour cannot have: the time is refused, never read without it.
        "28/01/2024 15:43 SA",
        "28/01/2024 13:00 AM",
        "28/01/2024 00:30 CH",
        "28/01/2024 00:30 PM",
        "28/01/2024 12:00 sáng",  # neither 12:00 nor 00:00 is "morning" on its 24-hour reading
        "28/01/2024 10:00 trưa",
        "28/01/2024 2:00 trưa",
        "28/01/2024 9:01 chiều",
        "28/01/2024 7:00 chiều",
        "28/01/2024 19:00 chiều",
        "28/01/2024 5:00 tối",
        "28/01/2024 12:00 tối",
        "28/01/2024 5:00 đêm",
        "28/01/2024 18:00 đêm",
        "Thứ Hai, 20/05/2019, 13:43 SA (GMT+7)",
    ],
)
def test_a_marker_the_hour_cannot_have_refuses_the_time(text: str) -> None:
    assert find_timestamp(text) is None
    assert find_timestamp(f"Cập nhật: {text} | Lượt xem: 120") is None
    assert parse_timestamp(text) is None
    # line_date still finds the day the line prints, without a time.
    day = re.search(r"\d\d/\d\d/\d{4}", text).group()
    assert line_date(text) == parse_timestamp(day) and line_date(text).precision == "day"


# ---- zones, the fast paths on their own, the fallback's edges ----------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A negative offset is behind UTC: 15:43 at GMT-5 is 20:43 UTC, 03:43 the next day in Hà Giang.
        ("Thứ Hai, 20/05/2019, 15:43 (GMT-5)", "2019-05-21T03:43:00+07:00"),
        ("Thứ Hai, 20/05/2019, 15:43 GMT-05:30", "2019-05-21T04:13:00+07:00"),
        ("Thứ Hai, 20/05/2019, 15:43 (UTC-0330)", "2019-05-21T02:13:00+07:00"),
        ("Thứ Hai, 20/05/2019, 15:43 (GMT+5:30)", "2019-05-20T17:13:00+07:00"),
        ("Thứ Hai, 20/05/2019, 15:43 (UTC+8)", "2019-05-20T14:43:00+07:00"),
        ("Thứ Hai, 20/05/2019, 15:43 (GMT)", "2019-05-20T15:43:00+07:00"),
        ("2019-05-20T15:43:00-05:00", "2019-05-21T03:43:00+07:00"),
        ("2019-05-20T15:43:00-0330", "2019-05-21T02:13:00+07:00"),
        ("2019-05-20T15:43:00+05:30", "2019-05-20T17:13:00+07:00"),
        ("2019-05-20T15:43:00+0545", "2019-05-20T16:58:00+07:00"),
        ("2019-05-20T15:43:00+05", "2019-05-20T17:43:00+07:00"),
        ("2019-05-20T15:43:00-03", "2019-05-21T01:43:00+07:00"),
        ("2019-05-20T08:43:00z", "2019-05-20T15:43:00+07:00"),
        ("2019-05-20 08:43:59Z", "2019-05-20T15:43:59+07:00"),
    ],
)
def test_stated_offsets_of_either_sign(text: str, expected: str) -> None:
    assert iso(parse_timestamp(text)) == (expected, "minute")


@pytest.fixture
def local_time_in_tokyo(monkeypatch):
    """The machine's local zone set to +09:00: a time read in the local zone instead of a stated one shows."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_stated_utc_is_utc_whatever_the_machines_zone(local_time_in_tokyo) -> None:
    assert iso(parse_timestamp("2024-01-28T02:01:00Z")) == ("2024-01-28T09:01:00+07:00", "minute")
    assert iso(parse_timestamp("Wed, 08 Jan 2025 03:45:00 GMT")) == ("2025-01-08T10:45:00+07:00", "minute")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:01, 28/01/2024", ("2024-01-28T09:01:00+07:00", "minute")),
        ("Thứ Hai, 20/05/2019, 15:43 (GMT+7)", ("2019-05-20T15:43:00+07:00", "minute")),
        ("28/01/2024 09:01 CH", ("2024-01-28T21:01:00+07:00", "minute")),
        ("2024-01-28T09:01:00+07:00", ("2024-01-28T09:01:00+07:00", "minute")),
        ("2024-01-28", ("2024-01-28T00:00:00+07:00", "day")),
        ("28/01/2024", ("2024-01-28T00:00:00+07:00", "day")),
        ("Thứ Hai, 29/01/2024", ("2024-01-29T00:00:00+07:00", "day")),
        ("Wed, 08 Jan 2025 10:45:00 +0700", ("2025-01-08T10:45:00+07:00", "minute")),
        ("08 Jan 2025 03:45 GMT", ("2025-01-08T10:45:00+07:00", "minute")),
    ],
)
def test_the_sites_forms_never_reach_dateparser(monkeypatch, text: str, expected: tuple[str, str]) -> None:
    def no_fallback(text: str):
        raise AssertionError(f"dateparser fallback reached with {text!r}")

    monkeypatch.setattr(dates, "_fallback", no_fallback)
    assert iso(parse_timestamp(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wed, 31 Feb 2025 10:45:00 +0700",  # an RSS date that is no date
        "09:01:60, 28/01/2024",
        "28/01/2024 23:59:60",
        "2024-01-28T24:00:00+07:00",
        "2024-01-28T09:60:00+07:00",
        "2024-01-28T09:01:60+07:00",
        "28/01/2024 24:00",
        "28/01/2024 09:60",
    ],
)
def test_impossible_times_are_refused(text: str) -> None:
    assert parse_timestamp(text) is None


def test_seconds_at_the_edge_are_kept() -> None:
    assert iso(parse_timestamp("28/01/2024 23:59:59")) == ("2024-01-28T23:59:59+07:00", "minute")
    assert iso(parse_timestamp("2024-01-28T23:59:59+07:00")) == ("2024-01-28T23:59:59+07:00", "minute")


def test_the_fallback_reads_up_to_eighty_characters() -> None:
    # dateparser reads words it knows ("the", "on") before a date; a string past 80 characters is prose.
    eighty = "the " + "on " * 18 + "January 28, 2024 09:01"
    assert len(eighty) == 80
    assert iso(parse_timestamp(eighty)) == ("2024-01-28T09:01:00+07:00", "minute")
    assert parse_timestamp("on " + eighty) is None


def test_the_fallback_converts_a_stated_offset_by_its_own_reading() -> None:
    # dateparser converts to Asia/Ho_Chi_Minh, whose tz database offset in 1964 is +08:00; the instant stays.
    assert iso(parse_timestamp("13 April 1964 08:30 +0900")) == ("1964-04-13T06:30:00+07:00", "minute")
    assert iso(parse_timestamp("January 28, 2024 09:01 -0500")) == ("2024-01-28T21:01:00+07:00", "minute")


def test_rename_suffixes_every_group_and_back_reference() -> None:
    assert dates._rename(r"(?P<d>\d)(?P<sep>[/.])(?P=sep)(?P<y>\d{4})", "2") == (
        r"(?P<d2>\d)(?P<sep2>[/.])(?P=sep2)(?P<y2>\d{4})")
    assert dates._rename("no group", "1") == "no group"


# ---- any instant the site can print reads back to itself -------------------------------------------------

_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
# The site's instants, to the minute, 1990-2100 in its own zone.
instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31, 23, 59)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=SITE_TZ))
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).filter(lambda m: m % 15 == 0)


@given(instants)
def test_the_newer_layout_reads_back_to_its_instant(instant: datetime) -> None:
    text = instant.strftime("%H:%M, %d/%m/%Y")
    for reader in (parse_timestamp, find_timestamp, line_date):
        ts = reader(text)
        assert ts is not None and ts.value == instant and ts.precision == "minute", (reader, text)
    assert find_timestamp(f"Cập nhật: {text} | Lượt xem: 120").value == instant


@given(instants)
def test_the_older_layout_reads_back_to_its_instant(instant: datetime) -> None:
    text = f"{_WEEKDAYS[instant.weekday()]}, {instant:%d/%m/%Y, %H:%M} (GMT+7)"
    for reader in (parse_timestamp, find_timestamp, line_date):
        ts = reader(text)
        assert ts is not None and ts.value == instant and ts.precision == "minute", (reader, text)


@given(instants)
def test_a_twelve_hour_time_reads_back_to_its_instant(instant: datetime) -> None:
    hour = instant.hour % 12 or 12
    for am, pm in (("AM", "PM"), ("SA", "CH")):
        text = f"{instant:%d/%m/%Y} {hour:02d}:{instant:%M} {am if instant.hour < 12 else pm}"
        assert parse_timestamp(text).value == instant, text
        assert find_timestamp(text) == parse_timestamp(text), text


@given(instants, offsets)
def test_iso_with_any_offset_reads_back_to_its_instant(instant: datetime, minutes: int) -> None:
    zone = timezone(timedelta(minutes=minutes))
    for text in (instant.astimezone(zone).isoformat(), instant.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S%z")):
        ts = parse_timestamp(text)
        assert ts is not None and ts.value == instant and ts.value.utcoffset() == timedelta(hours=7), text
    assert parse_timestamp(instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")).value == instant


@given(instants, offsets)
def test_the_older_layout_with_any_stated_zone_reads_back(instant: datetime, minutes: int) -> None:
    local = instant.astimezone(timezone(timedelta(minutes=minutes)))
    sign = "-" if minutes < 0 else "+"
    zone = f"GMT{sign}{abs(minutes) // 60}" + (f":{abs(minutes) % 60:02d}" if minutes % 60 else "")
    text = f"{_WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y, %H:%M} ({zone})"
    assert parse_timestamp(text).value == instant, text


def test_line_date_reads_a_short_line_whole_and_a_long_one_only_for_site_forms() -> None:
    # A short line that is wholly a timestamp of another form: ISO, or dateparser's.
    assert iso(line_date("2024-01-28T09:01:00+07:00")) == ("2024-01-28T09:01:00+07:00", "minute")
    forty = "on on on on on on January 28, 2024 09:01"
    assert len(forty) == 40
    assert iso(line_date(forty)) == ("2024-01-28T09:01:00+07:00", "minute")
    # Past 40 characters a line is text: dateparser would read this one, the line gives no date.
    assert iso(parse_timestamp("the " + forty[3:])) == ("2024-01-28T09:01:00+07:00", "minute")
    assert line_date("the " + forty[3:]) is None


def test_an_rss_date_past_the_last_year_is_none() -> None:
    assert parse_timestamp("Fri, 01 Jan 2101 10:45:00 +0700") is None
    assert iso(parse_timestamp("Fri, 31 Dec 2100 10:45:00 +0700")) == ("2100-12-31T10:45:00+07:00", "minute")
