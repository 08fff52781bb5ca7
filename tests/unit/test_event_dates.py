"""Tests for bhgcrawl.event_dates: the date a lead opens with, its year taken from the article's date."""

from __future__ import annotations

import time
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bhgcrawl.dates import SITE_TZ
from bhgcrawl.event_dates import _ANNOUNCE_DAYS, event_date


@pytest.mark.parametrize(
    ("lead", "published", "expected"),
    [
        ("Ngày 5.3, tại Tỉnh đoàn, Khối giao ước thi đua", date(2021, 3, 5), date(2021, 3, 5)),
        ("Chiều 26.1, đoàn công tác", date(2024, 1, 28), date(2024, 1, 26)),
        ("sáng 4.11, UBND tỉnh", date(2020, 11, 4), date(2020, 11, 4)),
        ("tối 28.11 tại", date(2020, 11, 29), date(2020, 11, 28)),
        ("Trưa 3.2, x", date(2024, 2, 3), date(2024, 2, 3)),
        ("Đêm 9.5 y", date(2024, 5, 10), date(2024, 5, 9)),
        ("Rạng sáng 12.7, z", date(2024, 7, 12), date(2024, 7, 12)),
        ("Sáng sớm 12.7, z", date(2024, 7, 12), date(2024, 7, 12)),
        ("Chiều tối 12.7, z", date(2024, 7, 12), date(2024, 7, 12)),
        ("Sáng nay 12.7, z", date(2024, 7, 12), date(2024, 7, 12)),
        ("Sáng nay (12.7), z", date(2024, 7, 12), date(2024, 7, 12)),
        ("Trong ngày 12.7, z", date(2024, 7, 13), date(2024, 7, 12)),
        ("TỪ NGÀY 1.7, z", date(2024, 7, 13), date(2024, 7, 1)),
        # Year closest before publication: across new year.
        ("31.12, toàn tỉnh", date(2025, 1, 8), date(2024, 12, 31)),
        ("Sáng 31.12, x", date(2021, 1, 4), date(2020, 12, 31)),
        # Announcements a few days ahead stay in the publication year, or the next.
        ("Ngày 10.3, sẽ diễn ra", date(2024, 3, 5), date(2024, 3, 10)),
        ("Ngày 3.1, sẽ diễn ra", date(2024, 12, 30), date(2025, 1, 3)),
        # More than a week ahead means last year.
        ("Ngày 20.3, x", date(2024, 3, 5), date(2023, 3, 20)),
        # Leap day.
        ("Ngày 29.2, x", date(2012, 3, 1), date(2012, 2, 29)),
        # Explicit years, dots or slashes.
        ("Ngày 13.4.1964, x", date(2024, 4, 13), date(1964, 4, 13)),
        ("Ngày 13/4/1964, x", date(2024, 4, 13), date(1964, 4, 13)),
        ("Chiều 26/1, x", date(2024, 1, 28), date(2024, 1, 26)),
        ("Ngày 29.1.2024, x", date(2024, 2, 2), date(2024, 1, 29)),
        # Ranges: the first day.
        ("Từ ngày 11 – 14.12, Hội", date(2023, 12, 15), date(2023, 12, 11)),
        ("Từ ngày 26.1 đến hết ngày 29.1.2024, x", date(2024, 1, 20), date(2024, 1, 26)),
        ("Từ ngày 28.12 đến hết ngày 3.1.2024, x", date(2024, 1, 5), date(2023, 12, 28)),
        ("Trong 2 ngày 5 và 6.3, x", date(2024, 3, 7), date(2024, 3, 5)),
        ("Trong hai ngày 5 – 6.3, x", date(2024, 3, 7), date(2024, 3, 5)),
        # A bare opening date in house style, followed by a comma.
        ("26.1, các đơn vị", date(2024, 1, 28), date(2024, 1, 26)),
        # The paper's mark is tolerated if the caller left it in.
        ("BHG - Sáng 5.3, đồng chí", date(2021, 3, 5), date(2021, 3, 5)),
        # Formal spelling.
        ("Ngày 5 tháng 3 năm 2023, x", date(2024, 3, 5), date(2023, 3, 5)),
        ("Sáng 5 tháng 3, x", date(2024, 3, 5), date(2024, 3, 5)),
        # A datetime publication, including one given in another zone.
        ("Chiều 26.1, x", datetime(2024, 1, 28, 9, 1, tzinfo=SITE_TZ), date(2024, 1, 26)),
        (
            "Ngày 1.1, x",
            datetime(2023, 12, 31, 20, 0, tzinfo=UTC),  # 1 Jan 03:00 in Hà Giang
            date(2024, 1, 1),
        ),
        # NFD input.
        (unicodedata.normalize("NFD", "Chiều 26.1, x"), date(2024, 1, 28), date(2024, 1, 26)),
    ],
)
def test_event_date(lead: str, published: date | datetime, expected: date) -> None:
    assert event_date(lead, published) == expected


@pytest.mark.parametrize(
    ("lead", "published", "expected"),
    [
        ("On January 5, the provincial People's Committee", date(2024, 1, 8), date(2024, 1, 5)),
        ("On the morning of March 5, delegates", date(2024, 3, 6), date(2024, 3, 5)),
        ("On the afternoon of December 31, x", date(2025, 1, 2), date(2024, 12, 31)),
        ("On 5 March, x", date(2024, 3, 6), date(2024, 3, 5)),
        ("On March 5, 2023, x", date(2024, 3, 6), date(2023, 3, 5)),
        ("On Jan. 5, x", date(2024, 1, 8), date(2024, 1, 5)),
        ("On Tuesday, March 5, x", date(2024, 3, 6), date(2024, 3, 5)),
    ],
)
def test_event_date_english(lead: str, published: date, expected: date) -> None:
    assert event_date(lead, published) == expected


@pytest.mark.parametrize(
    "lead",
    [
        "Quảng trường 26.3, thành phố Hà Giang",
        "Quảng trưởng 15.5 rực rỡ",
        "1.726,8 ha rừng được trồng mới",
        "19.280 tấn ngô",
        "Năm học 2020-2021, toàn tỉnh",
        "13/19 tiêu chí đã đạt",
        "10/12 huyện, thành phố đã hoàn thành",  # a count opening a lead, not a date
        "Tại Tỉnh đoàn, ngày 5.3, hội nghị",  # not at the opening
        "Hội nghị diễn ra sáng 5.3",
        "Ngày 31.2, x",  # impossible date
        "Ngày 5.13, x",
        "Ngày 15, tại",
        "Ngày hội văn hóa",
        "On the occasion of Tet, x",
        "",
    ],
)
def test_event_date_rejects(lead: str) -> None:
    assert event_date(lead, date(2024, 3, 6)) is None


def test_event_date_leap_day_needs_a_leap_year_in_reach() -> None:
    # 2023 and 2022 have no 29.2; 2024 is more than a week ahead of 2023-03-01.
    assert event_date("Ngày 29.2, x", date(2023, 3, 1)) is None
    assert event_date("Ngày 29.2, x", date(2024, 2, 25)) == date(2024, 2, 29)


def test_an_announcement_reaches_exactly_a_week_past_publication() -> None:
    assert _ANNOUNCE_DAYS == 7
    published = date(2024, 3, 5)
    # The last day of the window is this year's; the day after it, last year's.
    assert event_date("Ngày 12.3, sẽ khai mạc", published) == date(2024, 3, 12)
    assert event_date("Ngày 13.3, đã khai mạc", published) == date(2023, 3, 13)
    # Across new year: the window reaches into the next year's first week.
    assert event_date("Sáng 6.1, x", date(2024, 12, 30)) == date(2025, 1, 6)
    assert event_date("Sáng 7.1, x", date(2024, 12, 30)) == date(2024, 1, 7)


@pytest.fixture
def local_time_is_utc(monkeypatch):
    """The machine's local zone set to UTC, so that reading a time in the local zone instead of the site's
    gives another day (the tests hold on any machine; here they also tell the two readings apart)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_publication_day_is_the_sites_day(local_time_is_utc) -> None:
    # 20:00 UTC on 5.3 is 03:00 on 6.3 in Hà Giang: the window reaches 13.3.
    assert event_date("Ngày 13.3, x", datetime(2024, 3, 5, 20, 0, tzinfo=UTC)) == date(2024, 3, 13)
    assert event_date("Ngày 13.3, x", datetime(2024, 3, 6, 3, 0, tzinfo=SITE_TZ)) == date(2024, 3, 13)
    assert event_date("Ngày 13.3, x", datetime(2024, 3, 5, 23, 0, tzinfo=timezone(timedelta(hours=-5)))) == (
        date(2024, 3, 13))
    # A naive datetime is taken as the site's own wall time, never converted.
    assert event_date("Ngày 13.3, x", datetime(2024, 3, 5, 20, 0)) == date(2023, 3, 13)
    assert event_date("Ngày 13.3, x", datetime(2024, 3, 6, 3, 0)) == date(2024, 3, 13)


def test_a_stated_year_is_kept_up_to_the_last_year_read() -> None:
    assert event_date("Ngày 5.3.2100, x", date(2024, 3, 6)) == date(2100, 3, 5)
    assert event_date("Ngày 5.3.2101, x", date(2024, 3, 6)) is None
    assert event_date("Ngày 31.12.1900, x", date(2024, 3, 6)) == date(1900, 12, 31)


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # The date in brackets at the very opening, house style otherwise.
        ("(26.1) Các đơn vị đã hoàn thành", date(2024, 1, 26)),
        ("(26.1), các đơn vị", date(2024, 1, 26)),
        # The formal spelling without an introducing word, and without a year.
        ("26 tháng 1, các đơn vị", date(2024, 1, 26)),
        ("Sáng 26 tháng 1 năm 2023, x", date(2023, 1, 26)),
        ("Ngày 26 tháng 1/2023, x", date(2023, 1, 26)),
        # A bare day before words that are no date: the formal reading still gets its chance.
        ("Sáng 26 tháng 1, x", date(2024, 1, 26)),
        # The paper's mark only once, then the date.
        ("HGĐT- Chiều 26.1, x", date(2024, 1, 26)),
        ("BHG- Chiều 26.1, x", date(2024, 1, 26)),
        ("(BHG) - Chiều 26.1, x", date(2024, 1, 26)),
    ],
)
def test_event_date_openings(lead: str, expected: date) -> None:
    assert event_date(lead, date(2024, 1, 28)) == expected


@pytest.mark.parametrize(
    "lead",
    [
        "26.1 các đơn vị",  # a bare date needs its comma
        "10/12 huyện hoàn thành",
        "BHG - BHG - Chiều 26.1, x",  # one mark is the paper's; a second is text
        "BHG",
        "   ",
    ],
)
def test_event_date_openings_refused(lead: str) -> None:
    assert event_date(lead, date(2024, 1, 28)) is None
