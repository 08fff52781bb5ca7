"""Tests for bhgcrawl.pages.article.related: the "Cùng chuyên mục" items an article page lists, with their
titles and dates."""

from __future__ import annotations

import pytest

from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.pages.article.related import related

URL = "https://baohagiang.vn/xa-hoi/202401/le-ra-quan-dau-xuan-785430"
TITLE = "Lễ ra quân đầu xuân Giáp Thìn 2024"
P1 = "Tại buổi lễ, các đại biểu đã nghe báo cáo tổng kết công tác năm 2023, thảo luận và thống nhất nhiệm vụ năm 2024."
P2 = "Dịp này, nhiều tập thể, cá nhân có thành tích xuất sắc đã được biểu dương, khen thưởng./."
SITE = "https://baohagiang.vn"
A = "/xa-hoi/202401/tet-am-cho-tre-em-vung-cao-785431"
B = "/xa-hoi/202401/trao-qua-tet-cho-ho-ngheo-785432"
C = "/kinh-te/202401/cho-phien-ngay-giap-tet-785433"
A_TITLE, B_TITLE, C_TITLE = "Tết ấm cho trẻ em vùng cao", "Trao quà Tết cho hộ nghèo", "Chợ phiên ngày giáp Tết"
PICTURE = "<img src='/file/dataimages/202401/tet-am.jpg'>"


def page(after: str) -> Anatomy:
    """An article page of the site's layout, `after` its prose."""
    return Anatomy(URL, f"<html><head><meta charset='utf-8'><title>{TITLE} - Báo Hà Giang</title></head><body>"
                        f"<div class='main'><h1>{TITLE}</h1><div class='time'>09:01, 28/01/2024</div>"
                        f"<div class='content'><p>{P1}</p><p>{P2}</p></div>{after}</div></body></html>")


def card(href: str, title: str, when: str = "", picture: bool = True) -> str:
    """A related item: its picture linked, its title linked, its date."""
    linked = f"<a href='{href}'>{PICTURE}</a>" if picture else ""
    return f"<li>{linked}<a href='{href}'>{title}</a><span class='time'>{when}</span></li>"


def box(*cards: str, heading: str = "Tin cùng chuyên mục") -> str:
    return f"<div class='related'><h3>{heading}</h3><ul>{''.join(cards)}</ul></div>"


def item(path: str, title: str | None, published: str | None = None, precision: str | None = None) -> dict:
    return {"url": SITE + path, "title": title, "published": published, "published_precision": precision}


CASES = {
    "cards": (box(card(A, A_TITLE, "08:15, 27/01/2024"), card(B, B_TITLE, "26/01/2024"), card(C, C_TITLE)),
              [item(A, A_TITLE, "2024-01-27T08:15:00+07:00", "minute"),
               item(B, B_TITLE, "2024-01-26T00:00:00+07:00", "day"), item(C, C_TITLE)]),
    "title-only-links": (box(card(A, A_TITLE, "08:15, 27/01/2024", picture=False), card(B, B_TITLE, picture=False)),
                         [item(A, A_TITLE, "2024-01-27T08:15:00+07:00", "minute"), item(B, B_TITLE)]),
    # A picture link alone: its title attribute, else no title.
    "picture-links": (box(f"<li><a href='{A}' title='{A_TITLE}'>{PICTURE}</a></li>",
                          f"<li><a href='{B}'>{PICTURE}</a></li>"), [item(A, A_TITLE), item(B, None)]),
    # The longest of the item's links (a "Xem tiếp" link, the title), the first of two as long.
    "longest-link": (box(f"<li><a href='{A}'>Xem tiếp</a><a href='{A}'>{A_TITLE}</a><a href='{A}'>Xem</a></li>"),
                     [item(A, A_TITLE)]),
    "first-of-equal-links": (box(f"<li><a href='{A}'>{A_TITLE.upper()}</a><a href='{A}'>{A_TITLE}</a></li>"),
                             [item(A, A_TITLE.upper())]),
    # A card made clickable by an href on its <div>: the title is its link's, not the card's whole text.
    "clickable-card": (box(f"<li><div class='item' href='{A}'><a href='{A}'>{A_TITLE}</a>"
                           "<span class='time'>08:15, 27/01/2024</span></div></li>"),
                       [item(A, A_TITLE, "2024-01-27T08:15:00+07:00", "minute")]),
    # Links to no article (the section's listing, a script's) give no title, however long.
    "links-in-the-item": (box(f"<li><a href='{A}'>{A_TITLE}</a> "
                              "<a href='/xa-hoi'>Văn hóa - Xã hội - Đời sống vùng cao</a>"
                              " <a>Xem thêm tin bài cùng chuyên mục Xã hội</a></li>"), [item(A, A_TITLE)]),
    # The page itself, an item twice (under the heading's two lists), another paper's article: left out;
    # the successor's copy of an archive article is the site's.
    "self-link": (box(card(URL, TITLE), card(A, A_TITLE)), [item(A, A_TITLE)]),
    "twice": ("<div class='related'><h3>Tin liên quan</h3>"
              f"<ul>{card(A, A_TITLE)}</ul><ul>{card(A, A_TITLE)}{card(B, B_TITLE)}</ul></div>",
              [item(A, A_TITLE), item(B, B_TITLE)]),
    "other-paper": (box(card("https://baodongnai.com.vn/xa-hoi/202401/tet-sum-vay-785440", "Tết sum vầy"),
                        card(B, B_TITLE)), [item(B, B_TITLE)]),
    "successor-host": (box(card("https://baotuyenquang.com.vn" + A, A_TITLE)), [item(A, A_TITLE)]),
    # Only the related heading's list: not the most-read list, nor a page without the heading.
    "most-read-first": (box(card(C, C_TITLE), heading="Đọc nhiều") + box(card(A, A_TITLE)), [item(A, A_TITLE)]),
    "most-read-only": (box(card(C, C_TITLE), heading="Đọc nhiều"), []),
    "no-heading": (f"<ul>{card(A, A_TITLE)}</ul>", []),
}


@pytest.mark.parametrize(("after", "expected"), CASES.values(), ids=CASES.keys())
def test_related(after, expected):
    """Catches an item missed, repeated or taken from another list (the page itself, another paper's,
    the most-read list), its title taken from the wrong link, or its date's precision lost."""
    assert related(page(after)) == expected
