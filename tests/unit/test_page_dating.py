"""When an article was published and modified (pages/article/dating.py): the timestamp line, the layers
of evidence in their order, the lines searched around the headline, and the update time."""

import json

import pytest

from bhgcrawl.dates import Timestamp, parse_timestamp
from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.pages.article.dating import line_timestamp, modified, platform_published, plausible, published
from tests.helpers import PLAIN_HEADLINE as HEADLINE
from tests.helpers import PLAIN_P1 as P1
from tests.helpers import PLAIN_P2 as P2
from tests.helpers import PLAIN_URL as URL

# A paragraph of more than 200 characters: prose, beyond which a date belongs to the text.
LONG_P = (P1 + " " + P2)


def stamp(text: str | None) -> tuple | None:
    return (text.isoformat(), text.precision) if text is not None else None


def article(dateline: str = "", head: str = "", above: str = "", after: str = "", body: str = "") -> str:
    """An article of the site's older layout: `above` and `dateline` around the headline, `body` (or two
    paragraphs), `after` after the article's block, `head` in <head>."""
    text = body or f"<p>{P1}</p><p>{P2}</p>"
    return (f"<html><head><title>{HEADLINE} - Báo Hà Giang</title>{head}</head><body><div class='main'>"
            f"{above}<h1>{HEADLINE}</h1>{dateline}<div class='content'>{text}</div>{after}</div></body></html>")


def ld(**fields) -> str:
    obj = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE, **fields}
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


def meta(prop: str, content: str) -> str:
    return f'<meta property="{prop}" content="{content}">'


def published_of(html: str, url: str = URL) -> tuple | None:
    return stamp(published(Anatomy(url, html)))


# ---- the timestamp line -----------------------------------------------------------------------------

# 60 characters are a short line, whose bare date dates the page; 61 are text, whose bare date is the text's.
SHORT_60 = "Cập nhật ngày 20/05/2019 bởi Ban biên tập Báo Hà Giang điện tử"[:60]
LONG_61 = "Hội nghị ngày 20/05/2019 tổng kết 5 năm xây dựng nông thôn mới"[:61]


@pytest.mark.parametrize("line,expected", [
    ("15:43, 20/05/2019", ("2019-05-20T15:43:00+07:00", "minute")),
    ("Thứ Hai, 20/05/2019", ("2019-05-20T00:00:00+07:00", "day")),
    ("Đăng lúc 15h43 ngày 20/5/2019", ("2019-05-20T15:43:00+07:00", "minute")),
    ("Đăng lúc 3h43 CH ngày 20/5/2019", ("2019-05-20T15:43:00+07:00", "minute")),
    ("Đăng lúc 8h05 sáng ngày 20/5/2019", ("2019-05-20T08:05:00+07:00", "minute")),
    ("Đăng lúc 25h43 ngày 20/5/2019", ("2019-05-20T00:00:00+07:00", "day")),
    ("Lượt xem: 1.312", None),
    ("Tháng 5/2019", ("2019-05-01T00:00:00+07:00", "month")),
    (SHORT_60, ("2019-05-20T00:00:00+07:00", "day")),
    (LONG_61, None),
    ("Sáng 20/5/2019, tại huyện Đồng Văn, Hội Chữ thập đỏ tỉnh trao quà, cập nhật lúc 15:43, 20/05/2019",
     ("2019-05-20T15:43:00+07:00", "minute")),
])
def test_a_timestamp_line(line, expected):
    """Catches the 60-character bound of a short line off by one (a long line's bare date taken, or a
    short one's refused), a time printed apart from the date not read (or read on a line that has a
    time already, or as the wrong hour or minute), and a long line's timestamp not searched for."""
    assert (len(SHORT_60), len(LONG_61)) == (60, 61)
    assert stamp(line_timestamp(line)) == expected


# ---- the layers, strongest first ----------------------------------------------------------------------

DATELINE = "<div class='time'>15:43, 20/05/2019</div>"
MONTH = ("2019-05-01T00:00:00+07:00", "month")
AT_1543 = ("2019-05-20T15:43:00+07:00", "minute")
TIME_EL = "<p class='meta'>Đăng ngày <time datetime='2019-05-20T09:10:00+07:00'>20/05/2019</time></p>"
SIDEBAR = ("<aside class='sidebar'><h3>Tin mới</h3><ul><li><a href='/xa-hoi/201905/tin-khac-1a2b3c5'>Tin khác</a>"
           "<time datetime='2019-05-22T07:00:00+07:00'>22/05/2019</time></li></ul></aside>")


@pytest.mark.parametrize("head,dateline,expected", [
    (ld(datePublished="2019-05-20T08:00:00+07:00"), DATELINE, ("2019-05-20T08:00:00+07:00", "minute")),
    (ld(dateCreated="2019-05-19T21:30:00+07:00"), DATELINE, ("2019-05-19T21:30:00+07:00", "minute")),
    (ld(datePublished="2019-05-20T08:00:00+07:00", dateCreated="2019-05-19T21:30:00+07:00"), DATELINE,
     ("2019-05-20T08:00:00+07:00", "minute")),
    (ld(datePublished="2026-11-25T10:00:00+07:00", dateCreated="2019-05-19T21:30:00+07:00"), DATELINE,
     ("2019-05-20T15:43:00+07:00", "minute")),  # the CMS's import time: not believed, the rest read on
    (meta("article:published_time", "2019-05-20T08:30:00+07:00"), DATELINE, ("2019-05-20T08:30:00+07:00", "minute")),
    ('<meta name="pubdate" content="2019-05-20">', DATELINE, ("2019-05-20T00:00:00+07:00", "day")),
    ("", TIME_EL + DATELINE, ("2019-05-20T09:10:00+07:00", "minute")),
    ("", DATELINE, ("2019-05-20T15:43:00+07:00", "minute")),
    ("", "", ("2019-05-01T00:00:00+07:00", "month")),
    ("", "<time datetime='2026-11-25T10:00:00+07:00'>25/11/2026</time>" + DATELINE,
     ("2019-05-20T15:43:00+07:00", "minute")),
    # An edit marked in the text, dated by its own `datetime`, is no publication time.
    ("", "<p><ins datetime='2019-05-21T10:00:00+07:00'>Cập nhật</ins></p>" + TIME_EL,
     ("2019-05-20T09:10:00+07:00", "minute")),
])
def test_the_publication_time_by_its_layers(head, dateline, expected):
    """Catches a layer skipped or read in another order: JSON-LD (datePublished before dateCreated),
    <meta>, a <time datetime> element, the timestamp line, the URL's month; an implausible value ending
    the search instead of the next layer being read; an element other than <time> read by its datetime."""
    assert published_of(article(dateline=dateline, head=head)) == expected


def test_a_time_element_of_the_sidebar_is_not_the_articles():
    """Catches <time> elements of the chrome (a list of other articles) read for the article's."""
    body = f"<p>{LONG_P}</p><p>{LONG_P}</p>"  # prose: the timestamp line is not looked for in the sidebar
    assert published_of(article(dateline=DATELINE, after=SIDEBAR, body=body)) == AT_1543
    assert published_of(article(after=SIDEBAR, body=body)) == MONTH


FOOT = ("<h3>Bình luận</h3><p>Chưa có bình luận nào.</p>"
        "<p class='meta'>Ngày đăng: <time datetime='2019-05-20T09:10:00+07:00'>20/05/2019 09:10</time></p>")


def test_a_time_element_past_the_comments_heading_dates_only_a_page_without_a_timestamp_line():
    """Catches a <time> printed at the page's foot, past where the article stops, preferred to the
    timestamp line (or not read when the page has no timestamp line)."""
    body = f"<p>{LONG_P}</p><p>{LONG_P}</p>"
    assert published_of(article(after=FOOT, body=body)) == ("2019-05-20T09:10:00+07:00", "minute")
    assert published_of(article(dateline=DATELINE, after=FOOT, body=body)) == AT_1543


def test_without_an_article_url_nothing_dates_a_page_without_dates():
    """Catches the URL's month asked of a page whose URL names none, and dates read on such a page."""
    assert published_of(article(), url="https://baohagiang.vn/gioi-thieu") is None
    assert published_of(article(dateline=DATELINE), url="https://baohagiang.vn/gioi-thieu") == (
        "2019-05-20T15:43:00+07:00", "minute")


# ---- the lines searched around the headline -----------------------------------------------------------

def filler(n: int) -> str:
    """`n` short lines without a date (a share bar's items)."""
    items = ["Xã hội", "Cỡ chữ", "A-", "A+", "In bài", "Gửi email", "Facebook", "Zalo", "Twitter", "Lưu tin",
             "Bình luận", "Lượt xem: 312", "Chia sẻ", "Thích", "Nghe đọc bài"]
    return "".join(f"<div>{t}</div>" for t in items[:n])


@pytest.mark.parametrize("dateline,above,expected", [
    (DATELINE, "", AT_1543),
    (filler(12) + DATELINE, "", AT_1543),  # the 13th line under the headline
    (filler(13) + DATELINE, "", MONTH),  # the 14th: too far
    ("", DATELINE, AT_1543),  # just above the headline
    ("", DATELINE + filler(1), AT_1543),  # the 2nd line above
    ("", DATELINE + filler(4), AT_1543),  # the 5th line above
    ("", DATELINE + filler(5), MONTH),  # the 6th: too far
    # The line under the headline before the one above it; an implausible date passed over.
    ("<div>10:05, 21/05/2019</div>", DATELINE, ("2019-05-21T10:05:00+07:00", "minute")),
    ("<div>Cập nhật: 10:05, 25/11/2026</div>" + DATELINE, "", AT_1543),
    # Prose (over 200 characters) ends the search downwards, and the search goes on above.
    (f"<p>{LONG_P}</p>" + DATELINE, "", MONTH),
    (f"<p>{LONG_P}</p>", DATELINE, AT_1543),
    (f"<p>{LONG_P[:200]}</p>" + DATELINE, "", AT_1543),
    (f"<p>{LONG_P[:201]}</p>" + DATELINE, "", MONTH),
])
def test_the_timestamp_line_near_the_headline(dateline, above, expected):
    """Catches the lines searched under the headline (13) or above it (5) one short or one too far,
    above before under, the headline's own line or the one under it skipped, an implausible line's
    date taken, prose of 200 characters taken for the end of the dateline area (or of 201 not), and the
    search above the headline dropped after prose."""
    assert len(LONG_P) > 201
    assert published_of(article(dateline=dateline, above=above, body=f"<p>{P1}</p>")) == expected


def test_a_date_in_the_headline_is_not_the_dateline():
    """Catches the search above the headline started from the headline's line (or from the one under
    it): a notice's headline names the day it announces."""
    html = (f"<html><body><div class='main'>{DATELINE}<h1>Lịch tiếp công dân ngày 22/5/2019</h1>"
            f"<div class='content'><p>{P1}</p><p>{P2}</p></div></div></body></html>")
    assert published_of(html) == AT_1543


def test_the_first_line_of_the_page_is_searched_and_the_last_is_not():
    """Catches the search above the headline stopping before the page's first line, or wrapping round to
    its last line (a related item's date at the foot of the page)."""
    related = "<div class='more'><p><a href='/xa-hoi/201905/tin-khac-1a2b3c5'>Tin khác</a> (18/05/2019)</p></div>"
    first = f"<html><body>{DATELINE}<h1>{HEADLINE}</h1><div class='content'><p>{LONG_P}</p></div></body></html>"
    assert published_of(first) == AT_1543
    last = f"<html><body><h1>{HEADLINE}</h1><div class='content'><p>{LONG_P}</p></div>{related}</body></html>"
    assert published_of(last) == MONTH


# A line of 60 characters is still one of the text's first short lines; one of 61 is not.
TOPICS_60 = "Từ khóa: Xã hội, Kinh tế, Văn hóa, Thể thao, Y tế, Pháp luật"
TOPICS_61 = "Chủ đề: Xã hội, Kinh tế, Văn hóa, Thể thao, Giáo dục, Du lịch"


def no_headline(before: str, body: str) -> str:
    return f"<html><body><div class='main'>{before}<div class='content'>{body}</div></div></body></html>"


@pytest.mark.parametrize("before,body,expected", [
    (DATELINE, f"<p>{LONG_P}</p><p>{P2}</p>", AT_1543),
    (DATELINE + filler(1), f"<p>{P1}</p><p>{P2}</p>", AT_1543),  # the 2nd line above the text
    (DATELINE + filler(10), f"<p>{P1}</p><p>{P2}</p>", AT_1543),  # the 11th line above the text
    (DATELINE + filler(11), f"<p>{P1}</p><p>{P2}</p>", MONTH),  # the 12th: too far
    # A dateline set as the text's first block(s): the first short lines, never into the prose.
    ("", f"<p>{DATELINE}</p><p>{P1}</p><p>{P2}</p>", AT_1543),
    ("", f"<p>Tin, ảnh: LÊ HẢI</p><p>Xã hội</p><p>{DATELINE}</p><p>{P1}</p>", AT_1543),
    ("", f"<p>Tin, ảnh: LÊ HẢI</p><p>Xã hội</p><p>Lượt xem: 312</p><p>{DATELINE}</p><p>{P1}</p>", MONTH),
    ("", f"<p>Tin, ảnh: LÊ HẢI</p><p>{'Xã hội, Kinh tế, Văn hóa, Thể thao, Quốc phòng - An ninh, Pháp luật'}</p>"
         f"<p>{DATELINE}</p><p>{P1}</p>", MONTH),
    ("", f"<p>Tin, ảnh: LÊ HẢI</p><p>{TOPICS_60}</p><p>{DATELINE}</p><p>{P1}</p>", AT_1543),
    ("", f"<p>Tin, ảnh: LÊ HẢI</p><p>{TOPICS_61}</p><p>{DATELINE}</p><p>{P1}</p>", MONTH),
    # The page's first line has nothing above it: the search does not wrap round to the page's last line.
    ("", f"<p>{LONG_P}</p><p>{P2}</p><p><a href='/xa-hoi/201905/tin-khac-1a2b3c5'>Tin khác</a> (18/05/2019)</p>",
     MONTH),
])
def test_the_timestamp_line_of_a_page_without_a_headline(before, body, expected):
    """Catches, with no headline, the search not anchored at the first paragraph (at the second, or at
    none), the 11 lines above it one short or one too far, and the first short lines of the text (up to
    three, none after a line over 60 characters) not read or read too far."""
    assert (len(TOPICS_60), len(TOPICS_61)) == (60, 61)
    assert published_of(no_headline(before, body)) == expected


# ---- the template's printed date ----------------------------------------------------------------------

def platform_page(date: str) -> str:
    return (f"<html><head><title>{HEADLINE}</title></head><body><div class='main'><h1 class='head_title'>{HEADLINE}"
            f"</h1><div class='date_time'><span class='author'>LÊ HẢI</span><div class='date'>{date}</div></div>"
            f"<div class='td-post-content'><p>{P1}</p><p>{P2}</p></div></div></body></html>")


@pytest.mark.parametrize("date,expected", [
    ("Thứ Hai, 20/05/2019 15:43", ("2019-05-20T15:43:00+07:00", "minute")),
    ("Thứ Hai, 25/11/2026 10:00", None),  # outside the URL's months
])
def test_the_templates_printed_date(date, expected):
    """Catches the template's date not read, read without the URL-month check, or asked of a page
    without the template."""
    page = Anatomy(URL, platform_page(date))
    assert stamp(platform_published(page)) == expected
    assert platform_published(Anatomy(URL, article(dateline=DATELINE))) is None


def test_the_templates_date_comes_first_and_names_the_layer():
    """Catches the template's date passed over for the layered reading (or the layered one for it)."""
    html = platform_page("Thứ Hai, 20/05/2019 15:43").replace("</head>", ld(datePublished="2019-05-20T08:00:00+07:00")
                                                              + "</head>")
    page = ArticlePage(URL, html)
    assert stamp(page.published) == ("2019-05-20T15:43:00+07:00", "minute")
    assert page.layers()["published"] == "platform"
    assert stamp(published(page.page)) == ("2019-05-20T15:43:00+07:00", "minute")


# ---- the window of the URL's months -------------------------------------------------------------------

def test_plausible_without_a_time_or_a_url_month():
    """Catches no time taken for a time, and the window asked of a URL whose month the site cannot have
    printed (1989: before its first year)."""
    ts = Timestamp(parse_timestamp("2024-01-28T09:01:00+07:00").value, "minute")
    page = Anatomy(URL, article())
    assert plausible(page, None) is None
    assert plausible(page, ts) is None
    odd = Anatomy("https://baohagiang.vn/xa-hoi/198905/trao-qua-cho-ho-ngheo-xa-lung-cu-1a2b3c4", article())
    assert odd.ref is not None and odd.ref.yyyymm == "198905"
    assert plausible(odd, ts) == ts
    assert published(odd) is None


# ---- the update time ----------------------------------------------------------------------------------

PUBLISHED = Timestamp(parse_timestamp("2019-05-20T15:43:00+07:00").value, "minute")


@pytest.mark.parametrize("head,published_ts,expected", [
    (ld(dateModified="2019-05-21T08:00:00+07:00"), PUBLISHED, ("2019-05-21T08:00:00+07:00", "minute")),
    (meta("article:modified_time", "2019-05-21T08:00:00+07:00"), PUBLISHED, ("2019-05-21T08:00:00+07:00", "minute")),
    ('<meta property="og:updated_time" content="2019-05-21T01:00:00Z">', PUBLISHED,
     ("2019-05-21T08:00:00+07:00", "minute")),
    (ld(dateModified="2019-05-20T15:43:00+07:00"), PUBLISHED, None),  # the same time: no update
    (ld(dateModified="2019-05-20T15:00:00+07:00"), PUBLISHED, None),  # before publication
    (ld(dateModified="2019-05-21T08:00:00+07:00"), None, ("2019-05-21T08:00:00+07:00", "minute")),
    # The first readable candidate decides: JSON-LD's before <meta>; one not readable is passed over.
    (ld(dateModified="2019-05-21T08:00:00+07:00") + meta("article:modified_time", "2019-05-22T08:00:00+07:00"),
     PUBLISHED, ("2019-05-21T08:00:00+07:00", "minute")),
    (ld(dateModified="không rõ") + meta("article:modified_time", "2019-05-22T08:00:00+07:00"), PUBLISHED,
     ("2019-05-22T08:00:00+07:00", "minute")),
    (ld(dateModified=20190521) + meta("article:modified_time", "2019-05-22T08:00:00+07:00"), PUBLISHED,
     ("2019-05-22T08:00:00+07:00", "minute")),
    ("", PUBLISHED, None),
])
def test_the_update_time(head, published_ts, expected):
    """Catches an update time not read from JSON-LD or <meta>, not in the site's time, kept when equal to
    or earlier than publication, refused when nothing is published, or a later candidate preferred."""
    assert stamp(modified(Anatomy(URL, article(dateline=DATELINE, head=head)), published_ts)) == expected


# ---- the record and the layers that gave it (pages/article/__init__.py) -------------------------------

@pytest.mark.parametrize("dateline,layers", [
    (DATELINE, {"title": "layered", "published": "layered"}),
    ("", {"title": "layered", "published": "url"}),
    ("<div>LÊ HẢI | 15:43, 20/05/2019</div>", {"title": "layered", "published": "layered", "authors": "layered"}),
])
def test_the_layer_that_gave_the_publication_time_is_counted(dateline, layers):
    """Catches the timestamp line's date counted as the URL's month (or as another layer), and the
    counts of the run not made of the layers."""
    page = ArticlePage(URL, article(dateline=dateline))
    assert page.layers() == layers
    assert page.counts() == [f"bhg/layer/{field}/{layer}" for field, layer in layers.items()]


def test_a_page_outside_the_article_urls_has_an_empty_body_and_no_date():
    """Catches the category asked of a page whose URL names none (a page of the site's own, no text)."""
    html = f"<html><body><h1>Giới thiệu Báo Hà Giang điện tử</h1>{DATELINE}</body></html>"
    r = ArticlePage("https://baohagiang.vn/gioi-thieu", html).to_record()
    assert (r["article_id"], r["category"], r["body"], r["published"]) == (
        None, None, "", "2019-05-20T15:43:00+07:00")


def test_the_headline_at_the_end_of_the_breadcrumb_is_not_the_section():
    """Catches the section's name read without the title: the breadcrumb ends with the headline."""
    crumbs = ("<ul class='breadcrumb'><li><a href='/'>Trang chủ</a></li><li><a href='/xa-hoi'>Xã hội</a></li>"
              f"<li><a href='{URL}'>{HEADLINE}</a></li></ul>")
    r = ArticlePage(URL, article(above=crumbs, dateline=DATELINE)).to_record()
    assert (r["title"], r["category_name"]) == (HEADLINE, "Xã hội")


NEWS_ITEM = "<li><a href='/xa-hoi/201905/khai-mac-hoi-cho-1a2b3c5'>Khai mạc hội chợ</a> (22/05/2019)</li>"


@pytest.mark.parametrize("between,published", [
    # A "Tin mới" list between the headline and the text, no dateline: its item's date is that article's.
    (f"<div><h3>Tin mới</h3><ul>{NEWS_ITEM}</ul></div>", ("2019-05-01T00:00:00+07:00", "month")),
    # The dateline with a link to its section beside it is still the page's.
    ("<div><a href='/xa-hoi'>Xã hội</a> | 09:01, 20/05/2019</div>", ("2019-05-20T09:01:00+07:00", "minute")),
    # The dateline printed in a box that also holds the list: its own line is read, the item's is not.
    (f"<div>09:01, 20/05/2019<ul>{NEWS_ITEM}</ul></div>", ("2019-05-20T09:01:00+07:00", "minute")),
])
def test_an_item_of_a_list_under_the_headline_does_not_date_the_page(between, published):
    """Catches a sidebar item's date ("Khai mạc hội chợ (22/05/2019)") taken for the page's publication on
    a page with no dateline, and the page's own dateline refused for a link beside it or in its box."""
    r = ArticlePage(URL, article(dateline=between)).to_record()
    assert (r["published"], r["published_precision"]) == published
