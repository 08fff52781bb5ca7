"""Windows and walks (bhgcrawl/walks.py) at each of their edges, and the URL-month window of a page's date.

Every rule is tested on both sides of its edge: a test that only looks at one side passes the
off-by-one mutant of the rule too.
"""

from datetime import date, datetime, timedelta

import pytest

from bhgcrawl.dates import SITE_TZ, Timestamp
from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.pages.article.dating import plausible
from bhgcrawl.pages.listing import ListedArticle
from bhgcrawl.walks import Listed, Verdict, WalkPolicy, Window, api_missing, sections_to_walk

SINCE, UNTIL = date(2024, 1, 10), date(2024, 3, 5)
WINDOW = Window(SINCE, UNTIL)


def at(day: date, hh: int, mm: int) -> str:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=SITE_TZ).isoformat()


def ts(iso: str, precision: str = "minute") -> Timestamp:
    return Timestamp(datetime.fromisoformat(iso), precision)


def url(category: str, yyyymm: str, n: int) -> str:
    return f"https://baohagiang.vn/{category}/{yyyymm}/bai-so-{n}-{n:07x}"


# ---- Window ------------------------------------------------------------------------------------


def test_an_empty_window_is_false_and_has_no_key():
    """No window (no since, no until) holds every day and every URL month; catches an empty window that
    names a state key (a plain run would then save walks as if it were a backfill)."""
    assert not Window()
    assert Window().key is None
    assert Window().contains(date(1990, 1, 1)) and Window().contains(date(2100, 12, 31))
    assert Window().may_contain(url("xa-hoi", "199001", 1), None)


def test_window_keys_name_both_bounds_or_the_open_one():
    """The state keys a backfill's progress by this name: a changed key loses a killed walk's place."""
    assert WINDOW.key == "2024-01-10..2024-03-05"
    assert Window(SINCE).key == "2024-01-10.."
    assert Window(until=UNTIL).key == "..2024-03-05"
    assert bool(Window(SINCE)) and bool(Window(until=UNTIL))


def test_window_labels_name_the_files_of_a_window_and_nothing_without_one():
    """A window's state and exports are named by this label (README "Running on Scrapyd"): a changed
    label starts a window's backfill on a new, empty state."""
    assert WINDOW.label == "-2024-01-10_2024-03-05"
    assert Window(SINCE).label == "-since-2024-01-10"
    assert Window(until=UNTIL).label == "-until-2024-03-05"
    assert Window().label == ""


@pytest.mark.parametrize("day,inside", [
    (SINCE - timedelta(days=1), False), (SINCE, True), (SINCE + timedelta(days=1), True),
    (UNTIL - timedelta(days=1), True), (UNTIL, True), (UNTIL + timedelta(days=1), False),
])
def test_since_and_until_days_are_both_inclusive(day, inside):
    """Catches `>`/`<` for `>=`/`<=` at either bound (the day of an edge left out) and a bound ignored."""
    assert WINDOW.contains(day) is inside
    # The first and last minute of the day, in the site's time (+07:00), as a record's `published`.
    assert WINDOW.contains_time(at(day, 0, 0)) is inside
    assert WINDOW.contains_time(at(day, 23, 59)) is inside


def test_open_bounds_hold_everything_on_their_open_side():
    """Catches a missing bound read as a bound (None compared as the earliest or latest day)."""
    assert Window(SINCE).contains(date(2100, 1, 1)) and not Window(SINCE).contains(SINCE - timedelta(days=1))
    assert Window(until=UNTIL).contains(date(1990, 1, 1)) and not Window(until=UNTIL).contains(
        UNTIL + timedelta(days=1))


def test_a_time_counts_on_its_own_day_in_its_own_offset():
    """00:30 on 10 January in +07:00 is 9 January in UTC: a window read in UTC would lose it."""
    assert WINDOW.contains_time("2024-01-10T00:30:00+07:00")
    assert not WINDOW.contains_time("2024-01-09T23:59:00+07:00")
    assert not WINDOW.contains_time("2024-03-06T00:00:00+07:00")


@pytest.mark.parametrize("yyyymm,possible", [
    ("202312", False),  # the month before since's month
    ("202401", True),   # since's month: its 1st is before since, its 31st inside
    ("202402", True),
    ("202403", True),   # until's month: its 5th is inside
    ("202404", False),  # the month after
])
def test_a_url_month_may_hold_the_window_when_any_of_its_days_does(yyyymm, possible):
    """With no printed date only the URL's month is known: the month that holds `since` (or
    `until`) is taken whole. Catches comparing the month's first day (or last) with both bounds."""
    assert WINDOW.may_contain(url("xa-hoi", yyyymm, 1), None) is possible


def test_a_url_month_against_one_open_bound():
    """Catches `may_contain` requiring both bounds: `since=` alone or `until=` alone."""
    assert Window(SINCE).may_contain(url("xa-hoi", "202401", 1), None)
    assert not Window(SINCE).may_contain(url("xa-hoi", "202312", 1), None)
    assert Window(SINCE).may_contain(url("xa-hoi", "209912", 1), None)
    assert Window(until=UNTIL).may_contain(url("xa-hoi", "202403", 1), None)
    assert not Window(until=UNTIL).may_contain(url("xa-hoi", "202404", 1), None)
    assert Window(until=UNTIL).may_contain(url("xa-hoi", "199001", 1), None)


def test_a_printed_listing_date_decides_over_the_url_month():
    """The listing prints 9 January for an article of URL month 2024-01: the date is believed."""
    article = url("xa-hoi", "202401", 1)
    assert not WINDOW.may_contain(article, ts("2024-01-09T23:59:00+07:00"))
    assert WINDOW.may_contain(article, ts("2024-01-10T00:00:00+07:00"))
    # And a printed date inside the window lets in an article of a URL month outside it.
    assert WINDOW.may_contain(url("xa-hoi", "202312", 1), ts("2024-03-05T23:59:00+07:00"))
    assert not WINDOW.may_contain(url("xa-hoi", "202403", 1), ts("2024-03-06T00:00:00+07:00"))


def test_a_url_without_a_month_is_not_ruled_out():
    """Catches a URL without yyyymm refused: only a known month may rule an article out."""
    assert WINDOW.may_contain("https://baohagiang.vn/xa-hoi/tin-khong-ngay", None)


# ---- WalkPolicy.listed ---------------------------------------------------------------------------


def listed_article(u: str, printed: str | None = None) -> ListedArticle:
    return ListedArticle(u, ts(printed) if printed else None)


def test_listed_counts_the_walks_own_section_and_its_subsections_only():
    """Catches counting other sections' articles as the walk's news (a scheduled walk
    then never stops) and taking `kinh-te-so` for a subsection of `kinh-te`."""
    policy = WalkPolicy(Window())
    own, sub = url("kinh-te", "202401", 1), url("kinh-te/nong-lam-nghiep", "202401", 2)
    other, lookalike = url("xa-hoi", "202401", 3), url("kinh-te-so", "202401", 4)
    out = policy.listed([listed_article(u) for u in (own, sub, other, lookalike)],
                        "https://baohagiang.vn/kinh-te/trang-2.html", done=set())
    # Every article of a wanted section is worth a request; only the walk's own count for it.
    assert out.wanted == [(own, "kinh-te"), (sub, "kinh-te/nong-lam-nghiep"), (other, "xa-hoi"),
                          (lookalike, "kinh-te-so")]
    assert out.new_in_section == 2
    assert out.section_urls == {own, sub}
    assert out.oldest == date(2024, 1, 1)


def test_listed_leaves_done_articles_and_unwanted_sections_out_but_still_counts_them_as_listed():
    """Catches done articles requested again, `-a category=` ignored, and a page of done
    articles read as empty (which would end the walk as a trap or an empty page)."""
    wants = lambda category: category.startswith("kinh-te")  # noqa: E731
    policy = WalkPolicy(Window(), wants=wants)
    done, new = url("kinh-te", "202312", 1), url("kinh-te", "202401", 2)
    unwanted = url("xa-hoi", "201901", 3)
    out = policy.listed([listed_article(u) for u in (done, new, unwanted)], "https://baohagiang.vn/kinh-te",
                        done={done})
    assert out.wanted == [(new, "kinh-te")]
    assert out.new_in_section == 1
    # A done article is still the section's: a page of done articles is no trap, and is dated.
    assert out.section_urls == {done, new}
    assert out.oldest == date(2023, 12, 1)  # the unwanted section's 2019 is not this walk's


def test_listed_oldest_takes_the_printed_date_before_the_url_month():
    """Catches the URL month used where the listing prints a date, and the first date taken
    for the oldest."""
    policy = WalkPolicy(Window())
    a, b = url("xa-hoi", "202401", 1), url("xa-hoi", "202402", 2)
    out = policy.listed([listed_article(a, "2024-01-20T08:00:00+07:00"), listed_article(b)],
                        "https://baohagiang.vn/xa-hoi", done=set())
    assert out.oldest == date(2024, 1, 20)  # printed, not the 1st of the URL month
    out = policy.listed([listed_article(b), listed_article(a, "2024-01-20T08:00:00+07:00")],
                        "https://baohagiang.vn/xa-hoi", done=set())
    assert out.oldest == date(2024, 1, 20)  # the minimum, whichever comes first


def test_listed_outside_the_window_is_not_wanted_but_dates_the_page():
    """Catches articles outside the window requested, and their dates left out of `oldest`
    (a backfill would then walk on past `since`)."""
    policy = WalkPolicy(Window(SINCE))
    old, new = url("xa-hoi", "202312", 1), url("xa-hoi", "202402", 2)
    out = policy.listed([listed_article(old), listed_article(new)], "https://baohagiang.vn/xa-hoi", done=set())
    assert out.wanted == [(new, "xa-hoi")] and out.new_in_section == 1
    assert out.section_urls == {old, new} and out.oldest == date(2023, 12, 1)


def test_listed_without_a_walk_wants_but_counts_nothing():
    """The home page is no section's walk: its articles are fetched, no walk is judged by them.
    Catches a walk counted on the home page."""
    """The home page is no section's walk: its articles are fetched, no walk is judged by them."""
    policy = WalkPolicy(Window())
    a = url("xa-hoi", "202401", 1)
    out = policy.listed([listed_article(a), listed_article("https://baohagiang.vn/xa-hoi")], None, done=set())
    assert out == Listed(wanted=[(a, "xa-hoi")], new_in_section=0, section_urls=set(), oldest=None)


# ---- WalkPolicy.after_page -----------------------------------------------------------------------

WALK = "https://baohagiang.vn/xa-hoi"


def page_urls(*ns: int) -> set[str]:
    return {url("xa-hoi", "202401", n) for n in ns}


def test_a_first_page_without_articles_stops_quietly_a_later_one_with_a_stat():
    """A section listing nothing is no news; a walk that runs into an empty page is worth a warning."""
    policy = WalkPolicy(Window(), incremental=False)
    assert policy.after_page(WALK, set(), 0, None) == Verdict(False)
    policy = WalkPolicy(Window(), incremental=False)
    assert policy.after_page(WALK, page_urls(1), 1, None).go_on
    verdict = policy.after_page(WALK, set(), 0, None)
    assert (verdict.go_on, verdict.stat) == (False, "bhg/empty_listing_pages")
    assert WALK in verdict.warning


@pytest.mark.parametrize("again", [(1, 2), (2,)], ids=["the same page", "part of it"])
def test_a_page_listing_only_what_the_previous_page_listed_is_a_trap(again):
    """Catches a trap test by strict subset (the same page again, the usual trap, walked on)."""
    policy = WalkPolicy(Window(), incremental=False)
    assert policy.after_page(WALK, page_urls(1, 2), 2, None).go_on
    verdict = policy.after_page(WALK, page_urls(*again), 0, None)
    assert (verdict.go_on, verdict.stat) == (False, "bhg/listing_traps")


def test_a_page_with_one_article_the_previous_did_not_list_is_no_trap():
    """Catches a trap judged by any overlap with earlier pages (a listing shifts by an item or two)."""
    policy = WalkPolicy(Window(), incremental=False)
    assert policy.after_page(WALK, page_urls(1, 2), 2, None).go_on
    assert policy.after_page(WALK, page_urls(2, 3), 1, None).go_on
    assert policy.after_page(WALK, page_urls(1, 3), 0, None).go_on  # not a page it has read


def test_a_listing_alternating_between_two_pages_stops_at_the_first_page_read_again():
    """Pagination that alternates between two pages would run to BHG_MAX_LISTING_PAGES: the walk
    stops at the first page whose list it has already read (kept as 8 bytes a page)."""
    policy = WalkPolicy(Window(), incremental=False)
    assert policy.after_page(WALK, page_urls(1, 2), 2, None).go_on
    assert policy.after_page(WALK, page_urls(3, 4), 2, None).go_on
    verdict = policy.after_page(WALK, page_urls(1, 2), 0, None)
    assert (verdict.go_on, verdict.stat) == (False, "bhg/listing_traps")
    assert policy.pages[WALK] == 3


def test_walks_are_judged_apart():
    """Catches one walk's pages counted, or taken as a trap, in another's."""
    policy = WalkPolicy(Window(), incremental=False)
    other = "https://baohagiang.vn/kinh-te"
    assert policy.after_page(WALK, page_urls(1), 1, None).go_on
    assert policy.after_page(other, page_urls(1), 1, None).go_on  # not a trap: another walk's page
    assert policy.pages == {WALK: 1, other: 1}


@pytest.mark.parametrize("cap", [1, 3])
def test_the_page_cap_stops_a_walk_exactly_at_the_cap(cap):
    """BHG_MAX_LISTING_PAGES=N reads N pages: catches `>` for `>=` (N + 1 pages) and a cap ignored."""
    policy = WalkPolicy(Window(), incremental=False, max_pages=cap)
    for n in range(1, cap):
        assert policy.after_page(WALK, page_urls(n), 1, None).go_on, n
    verdict = policy.after_page(WALK, page_urls(cap), 1, None)
    assert (verdict.go_on, verdict.stat) == (False, "bhg/listing_page_cap")
    assert f"BHG_MAX_LISTING_PAGES={cap}" in verdict.warning


@pytest.mark.parametrize("oldest,go_on", [
    (SINCE + timedelta(days=1), True), (SINCE, True), (SINCE - timedelta(days=1), False), (None, True),
])
def test_a_backfill_stops_only_once_its_listing_is_older_than_since(oldest, go_on):
    """A page whose oldest article is of `since` itself may be followed by more of that day."""
    policy = WalkPolicy(WINDOW, stop_after_seen=1)
    verdict = policy.after_page(WALK, page_urls(1), 0, oldest)
    assert verdict == Verdict(go_on)


def test_a_backfill_ignores_pages_of_nothing_new():
    """A backfill walks past what earlier runs emitted: pages of nothing new do not stop it."""
    policy = WalkPolicy(Window(SINCE), stop_after_seen=1)
    for n in range(1, 5):
        assert policy.after_page(WALK, page_urls(n), 0, SINCE + timedelta(days=10 - n)).go_on


def test_a_window_with_only_until_walks_to_the_end():
    """Catches a backfill without `since` stopped by an old listing."""
    policy = WalkPolicy(Window(until=UNTIL), stop_after_seen=1)
    assert policy.after_page(WALK, page_urls(1), 0, date(1990, 1, 1)).go_on


@pytest.mark.parametrize("stop_after", [1, 2, 3])
def test_a_scheduled_run_stops_after_exactly_n_pages_of_nothing_new(stop_after):
    """BHG_STOP_AFTER_SEEN_PAGES=N: the N-th page in a row with nothing new ends the walk, not N-1 or N+1."""
    policy = WalkPolicy(Window(), stop_after_seen=stop_after)
    for n in range(1, stop_after):
        assert policy.after_page(WALK, page_urls(n), 0, None).go_on, n
    assert policy.after_page(WALK, page_urls(stop_after), 0, None) == Verdict(False)


def test_a_page_with_news_starts_the_count_again():
    """Catches the count of pages of nothing new not reset by a page with news."""
    policy = WalkPolicy(Window(), stop_after_seen=2)
    assert policy.after_page(WALK, page_urls(1), 0, None).go_on
    assert policy.after_page(WALK, page_urls(2), 1, None).go_on  # news: the count starts again
    assert policy.after_page(WALK, page_urls(3), 0, None).go_on
    assert not policy.after_page(WALK, page_urls(4), 0, None).go_on
    assert policy.seen_in_a_row == {WALK: 2}


def test_full_and_stateless_runs_never_stop_early():
    """`-a full=1` (and a run without state, which knows nothing done) reads to the end or the cap."""
    for policy in (WalkPolicy(Window(), full=True, stop_after_seen=1, max_pages=50),
                   WalkPolicy(Window(), incremental=False, stop_after_seen=1, max_pages=50)):
        for n in range(1, 50):
            assert policy.after_page(WALK, page_urls(n), 0, None).go_on, n
        assert policy.after_page(WALK, page_urls(50), 0, None).stat == "bhg/listing_page_cap"


# ---- the URL month's window of a page's date (pages/article/dating.py) -------------------------------

ARTICLE = "https://baohagiang.vn/xa-hoi/202403/ha-giang-day-manh-chuyen-doi-so-91fa3c5"
FIRST = datetime(2024, 3, 1, tzinfo=SITE_TZ)


@pytest.mark.parametrize("when,believed", [
    (FIRST - timedelta(days=62, minutes=1), False),
    (FIRST - timedelta(days=62), True),
    (FIRST + timedelta(days=93), True),
    (FIRST + timedelta(days=93, minutes=1), False),
])
def test_a_date_is_believed_from_62_days_before_to_93_days_after_the_url_months_first_day(when, believed):
    """Catches a narrower or wider window and `<` for `<=` at either edge."""
    page = Anatomy(ARTICLE, "<html><body><h1>Hà Giang đẩy mạnh chuyển đổi số</h1></body></html>")
    stamp = Timestamp(when, "minute")
    assert (plausible(page, stamp) == stamp) is believed


def test_without_a_url_month_only_the_sites_years_decide():
    """Catches the URL-month window applied to a page without yyyymm, and the site's first year
    (1990) not applied."""
    page = Anatomy("https://baohagiang.vn/gioi-thieu", "<html><body></body></html>")
    assert plausible(page, ts("2000-01-01T00:00:00+07:00")) == ts("2000-01-01T00:00:00+07:00")
    assert plausible(page, ts("1989-12-31T23:59:00+07:00")) is None
    assert plausible(page, None) is None


# ---- month edges, modified dates and the defaults ---------------------------------------------------


@pytest.mark.parametrize("window,yyyymm,possible", [
    (Window(date(2024, 1, 31)), "202401", True),   # since on the month's last day: that day may hold it
    (Window(date(2024, 2, 1)), "202401", False),   # since on the next month's first day
    (Window(date(2024, 2, 29)), "202402", True),   # a leap February ends on the 29th
    (Window(date(2023, 3, 1)), "202302", False),   # and a common one on the 28th
    (Window(date(2024, 5, 1)), "202404", False),   # a 30-day month
    (Window(date(2024, 4, 30)), "202404", True),
    (Window(until=date(2024, 2, 1)), "202402", True),    # until on the month's first day
    (Window(until=date(2024, 1, 31)), "202402", False),  # until on the previous month's last day
])
def test_a_url_month_is_taken_to_its_first_and_last_day_exactly(window, yyyymm, possible):
    """Catches a month's last day computed a day early or late (the 30th, or the next month's 1st) and
    `>`/`<` for `>=`/`<=` against the bounds: an article of since's or until's day left out, or one
    of the month before since fetched."""
    assert window.may_contain(url("xa-hoi", yyyymm, 1), None) is possible


@pytest.mark.parametrize("modified,possible", [
    ("2024-01-09T23:59:00+07:00", False),  # last modified before since: published before too
    ("2024-01-10T00:00:00+07:00", True),   # on since itself: it may have been published that day
    ("2024-06-01T08:00:00+07:00", True),   # modified later says nothing of when it was published
])
def test_an_article_last_modified_before_since_was_published_before(modified, possible):
    """A sitemap's lastmod bounds the article's age: catches it ignored (a backfill of 2024 fetching a
    sitemap's whole history) and `<=` for `<` (an article modified on since's day itself left out)."""
    article = url("xa-hoi", "202401", 1)
    assert WINDOW.may_contain(article, None, ts(modified)) is possible
    # Only `since` bounds from below: a window open there takes it whatever its lastmod.
    assert Window(until=UNTIL).may_contain(article, None, ts("2020-01-01T00:00:00+07:00"))


def test_the_policys_defaults_are_the_settings_defaults():
    """Catches WalkPolicy's own defaults drifting from BHG_STOP_AFTER_SEEN_PAGES and BHG_MAX_LISTING_PAGES:
    a policy made without them (a tool, a test) would walk otherwise than a run does."""
    from bhgcrawl import settings

    policy = WalkPolicy(Window())
    assert (policy.stop_after_seen, policy.max_pages) == (settings.BHG_STOP_AFTER_SEEN_PAGES,
                                                          settings.BHG_MAX_LISTING_PAGES) == (1, 5000)
    assert (policy.full, policy.incremental) == (False, True)
    assert policy.wants("kinh-te/nong-lam-nghiep")


def test_listed_reads_on_past_links_that_are_no_wanted_article():
    """A listing's first links are often no article (the section's own page, a video of an unwanted
    section): catches the first such link ending the page's reading."""
    policy = WalkPolicy(Window(), wants=lambda category: not category.startswith("multimedia"))
    a = url("xa-hoi", "202401", 1)
    out = policy.listed([listed_article("https://baohagiang.vn/xa-hoi/trang-2.html"),
                         listed_article(url("multimedia/truyen-hinh", "202401", 2)), listed_article(a)],
                        WALK, done=set())
    assert (out.wanted, out.new_in_section, out.section_urls) == ([(a, "xa-hoi")], 1, {a})


def test_listed_judges_the_window_by_the_printed_date_and_the_lastmod():
    """Catches `listed` not passing the listing's printed date or a sitemap's lastmod to the window:
    an article of URL month 2024-01 printed 9 January, or last modified then, is before since=10 January."""
    policy = WalkPolicy(WINDOW)
    printed, lastmod, kept = url("xa-hoi", "202401", 1), url("xa-hoi", "202401", 2), url("xa-hoi", "202401", 3)
    out = policy.listed([listed_article(printed, "2024-01-09T16:20:00+07:00"),
                         ListedArticle(lastmod, None, ts("2024-01-09T16:20:00+07:00")),
                         ListedArticle(kept, None, ts("2024-01-12T07:00:00+07:00"))], WALK, done=set())
    assert out.wanted == [(kept, "xa-hoi")] and out.new_in_section == 1
    assert out.section_urls == {printed, lastmod, kept} and out.oldest == date(2024, 1, 1)


def test_listed_counts_as_new_what_earlier_runs_had_not_done():
    """An article this run fetched through a feed is done (not requested again) but still news to the
    walk: catches `done` read for `done_before` (a scheduled walk then stops at the page of today's news)."""
    policy = WalkPolicy(Window())
    from_feed, from_before, fresh = url("xa-hoi", "202401", 1), url("xa-hoi", "202401", 2), url("xa-hoi", "202401", 3)
    out = policy.listed([listed_article(u) for u in (from_feed, from_before, fresh)], WALK,
                        done={from_feed, from_before}, done_before={from_before})
    assert out.wanted == [(fresh, "xa-hoi")]
    assert out.new_in_section == 2  # from_feed and fresh


def test_listed_a_url_month_before_the_sites_first_year_dates_nothing():
    """A link with a month the site cannot have published in (1989) is not read as a date of the page:
    catches `oldest` taken from an impossible month (or a crash on it), which would end a backfill."""
    policy = WalkPolicy(Window())
    odd, a = url("xa-hoi", "198912", 1), url("xa-hoi", "202402", 2)
    out = policy.listed([listed_article(odd), listed_article(a)], WALK, done=set())
    assert out.section_urls == {odd, a} and out.oldest == date(2024, 2, 1)
    assert policy.listed([listed_article(odd)], WALK, done=set()).oldest is None


def test_a_trap_names_its_walk_and_the_pages_read_are_kept_in_8_bytes_each():
    """Catches the trap's warning lost (the run's log would not say which section looped) and a page's
    memory grown past its 8-byte digest (a walk of BHG_MAX_LISTING_PAGES pages keeps them all)."""
    policy = WalkPolicy(Window(), incremental=False)
    assert policy.after_page(WALK, page_urls(1, 2), 2, None).go_on
    assert policy.after_page(WALK, page_urls(3, 4), 2, None).go_on
    assert policy.after_page(WALK, page_urls(1, 2), 0, None) == Verdict(
        False, "bhg/listing_traps", "listing of https://baohagiang.vn/xa-hoi repeats itself: walk stopped")
    assert sorted(len(d) for d in policy.pages_read[WALK]) == [8, 8]


# ---- which sections a run walks, and the hosts whose listing API is missing ------------------------

# The spider's clock is the site's (+07:00); the state writes when it saw a section in UTC (clock.now_utc).
NOW = datetime(2026, 12, 2, 21, 0, tzinfo=SITE_TZ)  # 14:00 UTC
HOME = "https://baohagiang.vn"
REMEMBERED = {
    f"{HOME}/van-hoa": (200, "2026-06-01T03:00:00+00:00"),        # walked by an earlier run, long ago
    f"{HOME}/quoc-phong": (404, "2026-11-20T02:00:00+00:00"),     # missing 12 days ago
    f"{HOME}/du-lich": (404, "2026-11-02T13:59:59+00:00"),        # missing 30 days and a second ago
    f"{HOME}/the-thao": (410, "2026-11-02T14:00:00+00:00"),       # gone exactly 30 days ago
    f"{HOME}/english/Culture": (500, "2026-12-01T00:00:00+00:00"),  # failed: no walk, not missing
    f"{HOME}/suc-khoe": (301, "2026-12-01T00:00:00+00:00"),
    f"{HOME}/service/api/article/list": (404, "2026-11-30T00:00:00+00:00"),
}
FOUND = [f"{HOME}/kinh-te", f"{HOME}/xa-hoi/", f"{HOME}/kinh-te", f"{HOME}/quoc-phong", f"{HOME}/du-lich",
         f"{HOME}/the-thao", f"{HOME}/multimedia/truyen-hinh", f"{HOME}/xa-hoi/202401/bai-so-1-0000001",
         f"{HOME}/", "https://baotuyenquang.com.vn/kinh-te", "https://example.com/kinh-te",
         f"{HOME}/tags/h%C3%A0-giang", f"{HOME}/kinh-te/nong-lam-nghiep/hop-tac-xa/tin-moi",
         f"{HOME}/kinh-te/nong-lam-nghiep/hop-tac-xa"]


def not_videos(path: str) -> bool:
    return not path.startswith("multimedia")


def test_the_sections_a_run_walks():
    """Found on its pages first, then those earlier runs walked (answered 200), each once: catches a
    section missing in the last 30 days walked again, a missing one never walked again once the 30 days
    are over, a failed or redirected one taken for walked, another host's, an article's or the home
    page's URL walked as a section, a path unlike the site's (percent-escapes, four segments), and
    `-a category=` ignored."""
    sections, left_out = sections_to_walk(FOUND, REMEMBERED, {"baohagiang.vn"}, not_videos, 100, 30, NOW)
    assert sections == [f"{HOME}/kinh-te", f"{HOME}/xa-hoi/", f"{HOME}/du-lich",
                        f"{HOME}/kinh-te/nong-lam-nghiep/hop-tac-xa", f"{HOME}/van-hoa"]
    assert left_out == 0


@pytest.mark.parametrize("cap,sections,left_out", [
    (0, [], 3),
    (2, [f"{HOME}/kinh-te", f"{HOME}/xa-hoi"], 1),
    (3, [f"{HOME}/kinh-te", f"{HOME}/xa-hoi", f"{HOME}/van-hoa"], 0),
    (4, [f"{HOME}/kinh-te", f"{HOME}/xa-hoi", f"{HOME}/van-hoa"], 0),
])
def test_the_section_cap_keeps_the_first_and_counts_the_rest(cap, sections, left_out):
    """BHG_MAX_SECTIONS: catches the cap off by one, the sections found on the page not kept first,
    and a negative count of sections left out when fewer than the cap remain."""
    found = [f"{HOME}/kinh-te", f"{HOME}/xa-hoi"]
    assert sections_to_walk(found, REMEMBERED, {"baohagiang.vn"}, lambda path: True, cap, 30, NOW) == (
        sections, left_out)


def test_a_section_missing_lately_is_judged_in_real_time_not_by_the_text_of_two_offsets():
    """The state writes UTC, the spider's clock is +07:00: a 404 seen at 15:00 UTC 30 days ago is 29 days
    and 23 hours old at 21:00 +07:00 today. Catches the two times compared as text ("15:00" < "21:00"),
    which let a missing section be asked again up to 7 hours early."""
    remembered = {f"{HOME}/quoc-phong": (404, "2026-11-02T15:00:00+00:00")}
    assert sections_to_walk([f"{HOME}/quoc-phong"], remembered, {"baohagiang.vn"}, lambda p: True, 10, 30,
                            NOW) == ([], 0)
    assert api_missing({f"{HOME}/service/api/article/list": (404, "2026-11-02T15:00:00+00:00")}, 30, NOW) == {
        "baohagiang.vn"}


def test_the_hosts_whose_listing_api_answered_404_lately():
    """Catches a section's 404 taken for the API's, an API's 404 older than BHG_MISSING_SECTION_DAYS (or
    a 500) still believed, and the host of the successor site's path (/sc_service/) missed."""
    remembered = {
        **REMEMBERED,
        "https://baotuyenquang.com.vn/sc_service/api/article/list": (404, "2026-11-25T00:00:00+00:00"),
        "https://english.baohagiang.vn/service/api/article/list": (404, "2026-10-01T00:00:00+00:00"),
        "https://www.baohagiang.vn/service/api/article/list": (500, "2026-12-01T00:00:00+00:00"),
    }
    assert api_missing(remembered, 30, NOW) == {"baohagiang.vn", "baotuyenquang.com.vn"}
    assert api_missing(remembered, 1, NOW) == set()
    assert api_missing({}, 30, NOW) == set()
