"""The spider's arguments (bhgcrawl/arguments.py): each argument's forms, its errors, and `wants`."""

from datetime import date

import pytest

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
    assert Arguments.NAMES == ("category", "full", "since", "until", "refresh_days", "warc")


# ---- category -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value,categories", [
    ("kinh-te", ("kinh-te",)),
    ("kinh-te,xa-hoi", ("kinh-te", "xa-hoi")),
    (" kinh-te , xa-hoi ", ("kinh-te", "xa-hoi")),
    ("/kinh-te/nong-lam-nghiep/", ("kinh-te/nong-lam-nghiep",)),  # pasted from a URL path
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


@pytest.mark.parametrize("value", [None, "", "0", "false", "no", "off", "2", "y", "full", False, 0])
def test_anything_else_is_no(value):
    """Catches any non-empty value taken for yes (`full=0` would walk everything)."""
    assert Arguments.parse(full=value).full is False


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
    assert str(err.value) == f"-a {name}= takes a date as YYYY-MM-DD, not {value!r}"


def test_since_after_until_is_refused():
    """Catches an empty window accepted: the crawl would fetch nothing and say nothing."""
    with pytest.raises(ValueError, match=r"^-a since= is after -a until=$"):
        Arguments.parse(since="2020-01-02", until="2020-01-01")


# ---- refresh_days, warc ---------------------------------------------------------------------------


@pytest.mark.parametrize("value,days", [("7", 7), ("0", 0), (0, 0), (" 30 ", 30), (None, None), ("", None)])
def test_refresh_days_is_a_whole_number(value, days):
    """`refresh_days=0` re-fetches today's articles: 0 is a value, not "no refresh" (also as the int
    `CrawlerProcess.crawl(BhgSpider, refresh_days=0)` passes)."""
    assert Arguments.parse(refresh_days=value).refresh_days == days


@pytest.mark.parametrize("value", ["seven", "1.5", "7d"])
def test_refresh_days_that_is_no_number_is_refused(value):
    """Catches a bad number ignored or rounded."""
    with pytest.raises(ValueError):
        Arguments.parse(refresh_days=value)


def test_warc_is_kept_as_given():
    """Catches the path changed (stripped of its slash, made absolute) or dropped."""
    assert Arguments.parse(warc="warc/").warc == "warc/"
    assert Arguments.parse(warc="/srv/archive/bhg-1.warc.gz").warc == "/srv/archive/bhg-1.warc.gz"


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


def test_the_spider_reads_its_arguments_and_refuses_bad_ones():
    """Catches the spider not passing an argument through to `Arguments.parse`."""
    spider = BhgSpider(category="kinh-te", since="2019-01-01", full="1", refresh_days="3", warc="w")
    assert spider.args == Arguments(("kinh-te",), True, Window(date(2019, 1, 1)), 3, "w")
    assert spider.window == Window(date(2019, 1, 1))
    with pytest.raises(ValueError, match="since"):
        BhgSpider(since="2019/01/01")
