"""A byline printed elsewhere than at the end of the text (pages/article/authors.py): an author element,
the dateline under the headline, the JSON-LD author; on pages whose body closes with no byline."""

import json

import pytest

from bhgcrawl.pages.article import ArticlePage
from tests.helpers import PLAIN_HEADLINE as HEADLINE
from tests.helpers import PLAIN_P1 as P1
from tests.helpers import PLAIN_P2 as P2
from tests.helpers import PLAIN_URL as URL

NAV = "<nav><ul><li><a href='/xa-hoi'>Xã hội</a></li><li><a href='/kinh-te'>Kinh tế</a></li></ul></nav>"


def page(dateline: str = "<div>15:43, 20/05/2019</div>", after: str = "", head: str = "", above: str = "") -> str:
    """An article without a closing byline: `dateline` between the headline and the text, `after` after
    the article's block, `above` just above the headline, `head` in <head>."""
    return (f"<html><head><title>{HEADLINE} - Báo Hà Giang</title>{head}</head><body>{NAV}<div class='main'>"
            f"<article>{above}<h1>{HEADLINE}</h1>{dateline}<p>{P1}</p><p>{P2}</p></article>{after}</div>"
            "</body></html>")


def byline_of(html: str) -> tuple | None:
    r = ArticlePage(URL, html).to_record()
    return (r["byline"], r["authors"], r["source"]) if r["byline"] is not None else None


def ld_author(author) -> str:
    obj = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE, "author": author}
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


# A team's credit runs long: 120 characters are a byline, 121 are a paragraph, even when the label taken
# off would leave 112. (Labelled "Tác giả:", which the closing-byline reader leaves to this one.)
CREW = ["Lê Hải", "Vương Liều", "Thu Phương", "Nguyễn Hùng", "Hoàng Anh", "Văn Toại", "Bửu Tín", "Minh Huệ", "Đức Tư",
        "Hà Phương"]
CREW_120 = "Tác giả: " + ", ".join([*CREW, "Mai Lan"])
CREW_121 = "Tác giả: " + ", ".join([*CREW, "Kim Tiến"])


@pytest.mark.parametrize("after,expected", [
    ("<div class='author'>Lê Hải</div>", ("Lê Hải", ["Lê Hải"], None)),
    ("<p class='tacgia'>PV</p>", ("PV", [], None)),  # two characters: the shortest byline
    ("<span itemprop='author'>Tác giả: Vương Liều</span>", ("Vương Liều", ["Vương Liều"], None)),
    ("<a rel='author' href='/tac-gia/le-hai'>By Lê Hải</a>", ("By Lê Hải", ["Lê Hải"], None)),
    ("<div class='info'><span class='date'>20/05/2019</span><span class='writer'>Theo TTXVN</span></div>",
     ("Theo TTXVN", [], "TTXVN")),
    (f"<div class='author'>{CREW_120}</div>", (CREW_120[len("Tác giả: "):], [*CREW, "Mai Lan"], None)),
    (f"<div class='author'>{CREW_121}</div>", None),  # a paragraph, not a byline
    ("<div class='author'>Cập nhật</div>", None),
    # In the site's chrome (a sidebar of the paper's columnists) a name is no byline of this article.
    ("<aside class='sidebar'><div class='author'>Lê Hải</div></aside>", None),
], ids=["class", "two-characters", "itemprop-labelled", "rel-by", "writer-source", "120-characters", "121-characters",
        "no-byline", "in-the-chrome"])
def test_an_author_element_gives_the_byline(after, expected):
    """Catches an author element not found by its class, its itemprop or its rel (or only by two at
    once), its "Tác giả:" label kept or the labelled text preferred to the whole, its length bounds
    off by one, and an author element in the chrome believed (or the chrome ending the search)."""
    assert (len(CREW_120), len(CREW_121)) == (120, 121)
    assert byline_of(page(after=after)) == expected


@pytest.mark.parametrize("author,expected", [
    ({"@type": "Person", "name": "Lê Hải"}, ("Lê Hải", ["Lê Hải"], None)),
    ("Thu Phương", ("Thu Phương", ["Thu Phương"], None)),
    ([{"@type": "Person", "name": "Lê Hải"}, {"@type": "Person", "name": "Vương Liều"}],
     ("Lê Hải - Vương Liều", ["Lê Hải", "Vương Liều"], None)),
    (["Thu Phương", {"@type": ["Person"], "name": "Nguyễn Hùng"}],
     ("Thu Phương - Nguyễn Hùng", ["Thu Phương", "Nguyễn Hùng"], None)),
    # The publisher named as an author, a blank name, a name that is no string: no person.
    ([{"@type": "Person", "name": "Lê Hải"}, {"@type": "Organization", "name": "Trung tâm Truyền thông tỉnh"}],
     ("Lê Hải", ["Lê Hải"], None)),
    ({"@type": "Organization", "name": "Báo Hà Giang"}, None),
    ([{"@type": "Person", "name": "Báo Hà Giang"}], None),
    ([{"@type": "Person", "name": "  "}, {"@type": "Person", "name": "Vương Liều"}],
     ("Vương Liều", ["Vương Liều"], None)),
    ([{"@type": "Person", "name": {"@value": "Lê Hải"}}], None),
    ({"@type": "Person"}, None),
])
def test_the_json_ld_author_gives_the_byline(author, expected):
    """Catches a single author object read as a list (its keys taken for names), a list read as one
    author, organisations or the paper's own name taken for persons, blank names kept, and the names
    joined other than by " - "."""
    assert byline_of(page(head=ld_author(author))) == expected


def test_an_author_element_comes_before_the_dateline_and_the_dateline_before_json_ld():
    """Catches the order of the three layers lost: the dateline's byline skipped for the JSON-LD one,
    or the JSON-LD's read although the dateline had one."""
    dateline = "<div>Tin, ảnh: LÊ HẢI | 15:43, 20/05/2019</div>"
    head = ld_author({"@type": "Person", "name": "Vương Liều"})
    assert byline_of(page(dateline=dateline, head=head)) == ("Tin, ảnh: LÊ HẢI", ["Lê Hải"], None)
    assert byline_of(page(dateline=dateline, head=head, after="<div class='author'>Thu Phương</div>")) == (
        "Thu Phương", ["Thu Phương"], None)
    assert byline_of(page(head=head)) == ("Vương Liều", ["Vương Liều"], None)


TOOLBAR = "".join(f"<div>{t}</div>" for t in ("Cỡ chữ", "A-", "A+", "In bài", "Gửi email", "Facebook", "Zalo"))


@pytest.mark.parametrize("dateline,expected", [
    ("<div>LÊ HẢI | 18:34, 20/05/2019 | Lượt xem: 312</div>", ("LÊ HẢI", ["Lê Hải"], None)),
    ("<div>Tin, ảnh: Nguyễn Hùng - 18:34, 20/05/2019</div>", ("Tin, ảnh: Nguyễn Hùng", ["Nguyễn Hùng"], None)),
    ("<div>Theo TTXVN | 18:34, 20/05/2019</div>", ("Theo TTXVN", [], "TTXVN")),
    ("<div>By Lê Hải · 20/05/2019 18:34</div>", ("By Lê Hải", ["Lê Hải"], None)),
    ("<div>Thứ Hai, 20/05/2019 • VĂN TOẠI</div>", ("VĂN TOẠI", ["Văn Toại"], None)),
    ("<div>Cập nhật lúc 18:34, 20/05/2019 - BỬU TÍN</div>", ("BỬU TÍN", ["Bửu Tín"], None)),
    # A place, a section, a name not in capitals, in the dateline: none is believed as a byline.
    ("<div>HÀ GIANG • 18:34, 20/05/2019</div>", None),
    ("<div>Thời sự - Chính trị | 18:34, 20/05/2019</div>", None),
    ("<div>Lê Hải | 18:34, 20/05/2019</div>", None),
    # The dateline on the first line under the headline, or after the toolbar's seven lines.
    ("<div>Bài, ảnh: VƯƠNG LIỀU</div>" + TOOLBAR, ("Bài, ảnh: VƯƠNG LIỀU", ["Vương Liều"], None)),
    (TOOLBAR[:-len("<div>Zalo</div>")] + "<div>Bài, ảnh: VƯƠNG LIỀU</div>",
     ("Bài, ảnh: VƯƠNG LIỀU", ["Vương Liều"], None)),
    (TOOLBAR + "<div>Bài, ảnh: VƯƠNG LIỀU</div>", None),
])
def test_a_byline_printed_with_the_dateline(dateline, expected):
    """Catches the dateline's date and time left in the name, a part between "|", "·" or "•" not tried
    on its own, a labelled byline (Tin, ảnh:, Theo, By) refused, a place, a section or a name in
    ordinary case believed, and the lines under the headline searched one short or one too far."""
    assert byline_of(page(dateline=dateline)) == expected


def test_a_section_name_above_the_headline_is_no_byline():
    """Catches the lines searched from the headline's own line or above it: a section printed in
    capitals above the headline ("XÃ HỘI") reads as a name."""
    assert byline_of(page(above="<div class='kicker'>XÃ HỘI</div>")) is None
    assert byline_of(page(above="<div class='kicker'>XÃ HỘI</div>", dateline="<div>LÊ HẢI | 18:34, 20/05/2019</div>")) \
        == ("LÊ HẢI", ["Lê Hải"], None)


# A line of 120 characters is a dateline; one of 121 is text.
LINE_120 = ("Thứ Hai, 20/05/2019 - 18:34 (GMT+7) | Tin, ảnh: LÊ HẢI | Chuyên mục: Xã hội | Lượt xem: 11.312 | "
            "Bình luận: 12 | Chia sẻ")
LINE_121 = LINE_120.replace("11.312", "111.312")


@pytest.mark.parametrize("line,expected", [
    (LINE_120, ("Tin, ảnh: LÊ HẢI", ["Lê Hải"], None)),
    (LINE_121, None),
])
def test_a_long_line_under_the_headline_is_not_searched(line, expected):
    """Catches the length bound of a dateline off by one: 120 characters searched, 121 not."""
    assert (len(LINE_120), len(LINE_121)) == (120, 121)
    assert byline_of(page(dateline=f"<div>{line}</div>")) == expected


def test_the_search_under_the_headline_stops_at_the_lead():
    """Catches lines past the lead read as the dateline: a photo credit in the text is no byline."""
    lead = "<p><strong>BHG - Sáng 19.5, Hội Chữ thập đỏ tỉnh trao quà cho hộ nghèo xã Lũng Cú.</strong></p>"
    html = page(dateline=f"<div>18:34, 20/05/2019</div>{lead}<p>Ảnh: VƯƠNG LIỀU</p>")
    r = ArticlePage(URL, html).to_record()
    assert r["lead"] == "Sáng 19.5, Hội Chữ thập đỏ tỉnh trao quà cho hộ nghèo xã Lũng Cú."
    assert r["byline"] is None


def test_a_page_without_a_headline_has_no_dateline_byline():
    """Catches the dateline searched without a headline to find it by (from the page's first line)."""
    html = (f"<html><body><div class='main'><div>LÊ HẢI | 18:34, 20/05/2019</div><p>{P1}</p><p>{P2}</p>"
            "</div></body></html>")
    r = ArticlePage(URL, html).to_record()
    assert (r["title"], r["byline"], r["published"]) == (None, None, "2019-05-20T18:34:00+07:00")
