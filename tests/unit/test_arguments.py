"""The spider's arguments (bhgcrawl/arguments.py): each argument's forms, its errors, and `wants`."""

from datetime import UTC, date, datetime

import pytest

from bhgcrawl import arguments
from bhgcrawl.arguments import Arguments
from bhgcrawl.spiders.bhg import BhgSpider
from bhgcrawl.walks import Window


def test_no_arguments_is_a_plain_scheduled_run():
    """Catches an empty `-a x=` read as a value (an empty window, a category "", refresh 0)."""
    args = Arguments.parse()
    assert args == Arguments(categories=(), full=False, window=Window(), refresh_days=None, warc=None)
    assert args == Arguments.parse(category="", full="", since="", until="", refresh_days="", warc=None)


def test_the_names_the_spider_takes_out_of_its_keyword_arguments():
    """Catches an argument the spider would leave to Scrapy's Spider (set as an attribute, never read)."""
    assert Arguments.NAMES == ("category", "full", "since", "until", "refresh_days", "warc", "site", "source",
                               "capture", "crawls")


@pytest.mark.parametrize("name", ["sinse", "foo", "categories", "Since"])
def test_an_unknown_argument_is_refused_naming_the_known_ones(name):
    """Catches a misspelt `-a sinse=2019-01-01` silently running a crawl of the whole site."""
    with pytest.raises(ValueError) as err:
        Arguments.parse(**{name: "2019-01-01"})
    assert str(err.value) == (f"unknown argument -a {name}=; the known ones are: category, full, since, until, "
                              "refresh_days, warc, site, source, capture, crawls")


def test_a_schedulers_own_arguments_are_left_alone():
    """Scrapyd passes `_job` to every spider."""
    assert Arguments.parse(_job="abc123") == Arguments()


# ---- category -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value,categories", [
    ("kinh-te", ("kinh-te",)),
    ("kinh-te,xa-hoi", ("kinh-te", "xa-hoi")),
    (" kinh-te , xa-hoi ", ("kinh-te", "xa-hoi")),
    ("/kinh-te/nong-lam-nghiep/", ("kinh-te/nong-lam-nghiep",)),  # pasted from a URL path
    ("/Xay-dung/", ("Xay-dung",)),  # only slashes and spaces go, the letters as typed (paths are case-sensitive)
    ("kinh-te,,xa-hoi,", ("kinh-te", "xa-hoi")),  # empty entries are nothing
    (" , ", ()),
    (None, ()),
])
def test_category_is_a_comma_separated_list_of_section_paths(value, categories):
    """Catches spaces, slashes and empty entries kept (a section named " xa-hoi" matches nothing)."""
    assert Arguments.parse(category=value).categories == categories


# ---- full -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " yes ", True, 1])
def test_full_is_a_flag_that_says_yes(value):
    """Catches a yes-word dropped, or case and spaces not ignored."""
    assert Arguments.parse(full=value).full is True


@pytest.mark.parametrize("value", [None, "", "0", "false", "no", "off", " NO ", False, 0])
def test_the_no_words_are_no(value):
    """Catches any non-empty value taken for yes (`full=0` would walk everything)."""
    assert Arguments.parse(full=value).full is False


@pytest.mark.parametrize("value", ["2", "y", "full", "nope"])
def test_a_flag_that_is_neither_is_refused(value):
    """Catches a typo taken for no without a word."""
    with pytest.raises(ValueError) as err:
        Arguments.parse(full=value)
    assert str(err.value) == f"-a full= takes 1 or 0 (yes/no, true/false), not {value!r}"


# ---- since, until ---------------------------------------------------------------------------------


def test_since_and_until_are_iso_days():
    """Catches the bounds swapped, spaces not stripped, or one bound lost."""
    args = Arguments.parse(since="2019-01-01", until=" 2019-12-31 ")
    assert args.window == Window(date(2019, 1, 1), date(2019, 12, 31))
    assert Arguments.parse(since="2019-01-01").window == Window(date(2019, 1, 1), None)
    assert Arguments.parse(until="2019-12-31").window == Window(None, date(2019, 12, 31))


def test_a_one_day_window_is_allowed():
    """Catches `since == until` refused (`>=` for `>`)."""
    assert Arguments.parse(since="2024-02-29", until="2024-02-29").window == Window(date(2024, 2, 29),
                                                                                   date(2024, 2, 29))


@pytest.mark.parametrize("name,value", [
    ("since", "01/01/2019"), ("since", "2019-13-01"), ("until", "2019-02-30"), ("until", "yesterday"),
    ("since", "2019"),
])
def test_a_day_in_another_form_is_refused_with_its_name_and_value(name, value):
    """Catches a bad date ignored (a backfill silently turned into a full crawl) or an error
    that does not say which argument."""
    with pytest.raises(ValueError) as err:
        Arguments.parse(**{name: value})
    assert str(err.value) == f"-a {name}= takes a date as YYYY-MM-DD (e.g. 2019-01-31), not {value!r}"


def test_since_after_until_is_refused():
    """Catches an empty window accepted: the crawl would fetch nothing and say nothing."""
    with pytest.raises(ValueError) as err:
        Arguments.parse(since="2020-01-02", until="2020-01-01")
    assert str(err.value) == "-a until=2020-01-01 is before -a since=2020-01-02: swap them"


class _ClockAtHalfPastMidnightInHaGiang(datetime):
    """00:30 on 3 December 2026 in Hà Giang (+07:00), while a server's clock in UTC still says 2 December."""

    @classmethod
    def now(cls, tz=None):
        utc = datetime(2026, 12, 2, 17, 30, tzinfo=UTC)
        return utc.astimezone(tz) if tz else utc.replace(tzinfo=None)


@pytest.mark.parametrize("since,refused", [("2026-12-02", False), ("2026-12-03", False), ("2026-12-04", True)])
def test_since_is_in_the_future_only_after_the_sites_today(monkeypatch, since, refused):
    """A backfill of today (the site's day, not the server's) is allowed: catches today refused (`>=` for
    `>`) and the server's own date taken for the site's, which refuses today's backfill for 7 hours a day."""
    monkeypatch.setattr(arguments, "datetime", _ClockAtHalfPastMidnightInHaGiang)
    if refused:
        with pytest.raises(ValueError) as err:
            Arguments.parse(since=since)
        assert str(err.value) == f"-a since={since} is in the future: give a day that has come"
    else:
        assert Arguments.parse(since=since).window == Window(date.fromisoformat(since))


def test_since_in_the_future_is_refused():
    """Catches a window that can hold nothing yet accepted."""
    with pytest.raises(ValueError) as err:
        Arguments.parse(since="2999-01-01")
    assert str(err.value) == "-a since=2999-01-01 is in the future: give a day that has come"


# ---- refresh_days, warc ---------------------------------------------------------------------------


@pytest.mark.parametrize("value,days", [("7", 7), ("0", 0), (0, 0), (" 30 ", 30), (None, None), ("", None)])
def test_refresh_days_is_a_whole_number(value, days):
    """`refresh_days=0` re-fetches today's articles: 0 is a value, not "no refresh" (also as the int
    `CrawlerProcess.crawl(BhgSpider, refresh_days=0)` passes)."""
    assert Arguments.parse(refresh_days=value).refresh_days == days


@pytest.mark.parametrize("value", ["seven", "1.5", "7d", "-3", "abc"])
def test_refresh_days_that_is_no_number_is_refused(value):
    """Catches a bad number ignored or rounded, with the argument and its form named."""
    with pytest.raises(ValueError) as err:
        Arguments.parse(refresh_days=value)
    assert str(err.value) == f"-a refresh_days= takes a whole number of days (e.g. 7), not {value!r}"


def test_warc_is_kept_as_given(tmp_path, monkeypatch):
    """Catches the path changed (stripped of its slash, made absolute) or dropped."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "warc").mkdir()
    (tmp_path / "bhg-1.warc.gz").write_bytes(b"")
    assert Arguments.parse(warc="warc/").warc == "warc/"
    assert Arguments.parse(warc=str(tmp_path / "bhg-1.warc.gz")).warc == str(tmp_path / "bhg-1.warc.gz")


def test_a_warc_path_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(ValueError) as err:
        Arguments.parse(warc=str(tmp_path / "nonexistent"))
    assert str(err.value) == (f"-a warc={tmp_path / 'nonexistent'}: no such file or folder; give the folder "
                              "BHG_WARC_DIR wrote to")


@pytest.mark.parametrize("value,host", [(None, "baohagiang.vn"), ("baotuyenquang.com.vn", "baotuyenquang.com.vn"),
                                        ("www.baohagiang.vn", "baohagiang.vn")])
def test_site_is_one_of_the_sites_hosts(value, host):
    assert Arguments.parse(site=value).site == host


def test_a_site_that_is_not_ours_is_refused_naming_the_three_hosts():
    """Catches the error not saying which hosts `-a site=` takes (the operator has to guess the successor's)."""
    with pytest.raises(ValueError) as err:
        Arguments.parse(site="example.com")
    assert str(err.value) == ("-a site= takes one of the site's hosts (baohagiang.vn, baotuyenquang.com.vn, "
                              "en.baohagiang.vn), not 'example.com'")


# ---- source, capture, crawls ---------------------------------------------------------------------


def test_a_plain_run_reads_the_site_and_an_archive_source_names_its_archive():
    """Catches the live site no longer the default, and a source kept in another spelling (the spider
    dispatches on it)."""
    args = Arguments.parse()
    assert (args.source, args.archive, args.capture, args.crawls) == ("live", None, "earliest", ())
    assert Arguments.parse(source="live").archive is None
    assert Arguments.parse(source=" Wayback ").archive == "wayback"
    wb = Arguments.parse(source="wayback", capture="latest", since="2015-01-01", until="2015-12-31")
    assert (wb.source, wb.capture, wb.window) == ("wayback", "latest", Window(date(2015, 1, 1), date(2015, 12, 31)))
    cc = Arguments.parse(source="commoncrawl", crawls="CC-MAIN-2024-10, CC-MAIN-2023-50,")
    assert (cc.archive, cc.crawls) == ("commoncrawl", ("CC-MAIN-2024-10", "CC-MAIN-2023-50"))


@pytest.mark.parametrize("given,error", [
    ({"source": "archive.org"}, "-a source= takes live, wayback, commoncrawl, not 'archive.org'"),
    ({"source": "wayback", "capture": "first"}, "-a capture= takes earliest or latest, not 'first'"),
    ({"source": "commoncrawl", "crawls": "2024-10"},
     "-a crawls= takes Common Crawl crawl ids such as CC-MAIN-2024-10, not '2024-10'"),
    ({"source": "commoncrawl", "crawls": "CC-MAIN-2024-10,CC-NEWS-2024-10"},
     "-a crawls= takes Common Crawl crawl ids such as CC-MAIN-2024-10, not 'CC-NEWS-2024-10'"),
    ({"source": "wayback", "crawls": "CC-MAIN-2024-10"},
     "-a crawls= names Common Crawl's crawls: give -a source=commoncrawl with it"),
    ({"crawls": "CC-MAIN-2024-10"}, "-a crawls= names Common Crawl's crawls: give -a source=commoncrawl with it"),
    ({"capture": "latest"},
     "-a capture= chooses among a web archive's captures: give -a source=wayback or commoncrawl"),
    ({"source": "wayback", "full": "1"},
     "-a full= walks the site's listings; -a source=wayback reads every capture its index lists"),
    ({"source": "commoncrawl", "full": "ja"}, "-a full= takes 1 or 0 (yes/no, true/false), not 'ja'"),
    ({"source": "commoncrawl", "site": "baotuyenquang.com.vn"},
     "-a site= is for live runs; the archives are read for baohagiang.vn and its English edition"),
])
def test_archive_arguments_are_refused_in_one_line_naming_the_fix(given, error):
    """Catches a typo of a source read as the live site, a capture choice or crawl list silently ignored
    (a run of another archive than asked), and arguments that mean nothing together accepted."""
    with pytest.raises(ValueError) as err:
        Arguments.parse(**given)
    assert str(err.value) == error and "\n" not in error


def test_an_archive_source_and_warc_re_extraction_are_two_things(tmp_path):
    with pytest.raises(ValueError) as err:
        Arguments.parse(source="commoncrawl", warc=str(tmp_path))
    assert str(err.value) == ("-a warc= re-extracts WARC files, -a source=commoncrawl reads a web archive: "
                              "give one of them")


# ---- wants ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("category,wanted", [
    ("kinh-te", True),
    ("kinh-te/nong-lam-nghiep", True),  # a subsection of a wanted section
    ("xa-hoi", True),
    ("kinh-te-so", False),  # only a prefix of the name, not a subsection
    ("kinh", False),
    ("van-hoa", False),
    ("thoi-su/kinh-te", False),  # a wanted name below another section
    ("", False),
    (None, False),
])
def test_wants_a_listed_section_and_everything_below_it(category, wanted):
    """Catches subsections left out, prefixes taken for sections, and a match anywhere in the path."""
    assert Arguments.parse(category="kinh-te,xa-hoi").wants(category) is wanted


def test_without_categories_every_section_is_wanted_but_no_nameless_one():
    """Catches `-a category=` absent read as "nothing wanted", and a URL without a category
    (the home page) taken for a section."""
    args = Arguments.parse()
    assert args.wants("kinh-te") and args.wants("english/Culture") and args.wants("multimedia/truyen-hinh")
    assert not args.wants("") and not args.wants(None)


def test_the_spider_reads_its_arguments_and_refuses_bad_ones(tmp_path):
    """Catches the spider not passing an argument through to `Arguments.parse`."""
    spider = BhgSpider(category="kinh-te", since="2019-01-01", full="1", refresh_days="3", warc=str(tmp_path))
    assert spider.args == Arguments(("kinh-te",), True, Window(date(2019, 1, 1)), 3, str(tmp_path))
    assert spider.window == Window(date(2019, 1, 1))
    with pytest.raises(ValueError, match="since"):
        BhgSpider(since="2019/01/01")


# ---- preflight of a run from a web archive ------------------------------------------------------------


@pytest.mark.parametrize("over,line", [
    ({"BHG_WAYBACK_RATE": 0}, "-s BHG_WAYBACK_RATE takes requests per minute, a number above 0 (e.g. 24), not 0"),
    ({"BHG_WAYBACK_RATE": "fast"},
     "-s BHG_WAYBACK_RATE takes requests per minute, a number above 0 (e.g. 24), not 'fast'"),
    ({"BHG_WAYBACK_URL": "web.archive.org"},
     "-s BHG_WAYBACK_URL takes the archive's address, http:// or https://, not 'web.archive.org'"),
    ({"BHG_WAYBACK_CDX_ROWS": 0}, "-s BHG_WAYBACK_CDX_ROWS takes a whole number of 1 or more, not 0"),
    ({"BHG_ARCHIVE_MAX_429": "x"}, "-s BHG_ARCHIVE_MAX_429 takes a whole number of 1 or more, not 'x'"),
])
def test_an_archive_runs_settings_are_checked_before_anything_is_asked(tmp_path, over, line):
    """Catches a rate of 0 (a division by zero in the slot, or no pause at all), an address without its
    scheme (every request refused as off-site) and a listing page of no rows accepted."""
    from scrapy.settings import Settings

    from bhgcrawl import preflight
    from tests.helpers import project_settings

    settings = Settings(project_settings(BHG_STATE_PATH=str(tmp_path / "s.sqlite3"),
                                         BHG_EXPORT_DIR=str(tmp_path / "exports"), **over))
    assert preflight.check(settings, {"source": "wayback"}) == (1, line)
    # A live run does not read the archives' settings.
    assert preflight.check(settings, {}) is None
    fine = Settings(project_settings(BHG_STATE_PATH=str(tmp_path / "s.sqlite3"),
                                     BHG_EXPORT_DIR=str(tmp_path / "exports")))
    assert preflight.check(fine, {"source": "wayback"}) is None
    assert preflight.check(fine, {"source": "commoncrawl", "crawls": "CC-MAIN-2024-10"}) is None
