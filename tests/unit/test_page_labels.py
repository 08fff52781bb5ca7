"""Tests for bhgcrawl.pages.article.labels: the section's name, the tags, the language and the publisher that
an article page names."""

from __future__ import annotations

from datetime import datetime

import pytest

from bhgcrawl.dates import SITE_TZ, Timestamp
from bhgcrawl.pages.article import labels
from bhgcrawl.pages.article.anatomy import Anatomy

URL = "https://baohagiang.vn/xa-hoi/202401/le-ra-quan-dau-xuan-785430"
TITLE = "Lễ ra quân đầu xuân Giáp Thìn 2024"
P1 = "Tại buổi lễ, các đại biểu đã nghe báo cáo tổng kết công tác năm 2023, thảo luận và thống nhất nhiệm vụ năm 2024."
P2 = ("Dịp này, nhiều tập thể, cá nhân có thành tích xuất sắc đã được biểu dương, khen thưởng (xem thêm: "
      "<a href='/xa-hoi/202401/tet-am-cho-tre-em-vung-cao-785431'>Tết ấm cho trẻ em vùng cao</a>)./.")


def page(content: str = "", *, head: str = "", before: str = "", after: str = "", url: str = URL,
         title: str = f"{TITLE} - Báo Hà Giang", html: str = "<html>") -> Anatomy:
    """An article page of the site's layout: `before` the article, `content` after its prose, `after` it."""
    return Anatomy(url, f"{html}<head><meta charset='utf-8'><title>{title}</title>{head}</head><body>{before}"
                        f"<div class='main'><h1>{TITLE}</h1><div class='time'>09:01, 28/01/2024</div>"
                        f"<div class='content'><p>{P1}</p><p>{P2}</p>{content}</div>{after}</div></body></html>")


def crumbs(*names: str, attrs: str = "class='breadcrumb'") -> str:
    links = "".join(f"<li><a href='/{i}'>{n}</a></li>" for i, n in enumerate(names))
    return f"<ol {attrs}>{links}</ol>"


SECTION_50 = "Xây dựng Đảng - Chính quyền - Mặt trận - Đoàn thể."
CUT_CRUMBS = ("<div class='breadcrumb'><a href='/'>Trang chủ</a><span>»</span><a href='/xa-hoi'>Xã hội</a>"
              "<span>»</span><span>Lễ ra quân đầu xuân…</span></div>")
MENU = "<ul class='menu'><li><a href='/kinh-te'>KINH TẾ</a></li><li><a href='/xa-hoi'>XÃ HỘI</a></li></ul>"
SECTION_LD = "<script type='application/ld+json'>{{\"@type\": \"NewsArticle\", \"headline\": \"" + TITLE + \
             "\", \"articleSection\": {}}}</script>"

# (the page, the title given, the section's name)
CATEGORIES = {
    "breadcrumb": (page(before=crumbs("Trang chủ", "Xã hội") + MENU), TITLE, "Xã hội"),
    "breadcrumbs": (page(before=crumbs("Trang chu", "Xã hội", attrs="class='breadcrumbs'") + MENU), TITLE, "Xã hội"),
    "breadcrumb-list": (page(before=crumbs("Home", "Xã hội", TITLE, attrs="itemtype='https://schema.org/BreadcrumbList'")
                             + MENU), TITLE, "Xã hội"),
    "breadcrumb-headline-without-title": (page(before=crumbs("Trang chủ", "Xã hội", TITLE)), None, TITLE),
    # A breadcrumb ending with the headline cut short, unlinked.
    "breadcrumb-ending-unlinked": (page(before=CUT_CRUMBS), TITLE, "Xã hội"),
    "breadcrumb-home-only": (page(before=crumbs("Trang chủ") + MENU), TITLE, "XÃ HỘI"),
    # The link to the category's listing, the article's own before the menu's…
    "menu-link": (page(before=MENU), TITLE, "XÃ HỘI"),
    "menu-and-label": (page("<p><a href='https://baohagiang.vn/xa-hoi/'>Xã hội</a> · 28/01/2024</p>", before=MENU),
                       TITLE, "Xã hội"),
    "first-menu-link": (page(before=MENU, after="<footer><a href='/Xa-Hoi?page=1'>Xã hội - Đời sống</a></footer>"),
                        TITLE, "XÃ HỘI"),
    "uppercase-path": (page(before="<nav><a href='/XA-HOI'>Xã hội</a></nav>"), TITLE, "Xã hội"),
    # …not a picture link, a label over 50 characters, a script link or another paper's section.
    "link-50-chars": (page(f"<p><a href='/xa-hoi'>{SECTION_50}</a></p>"), TITLE, SECTION_50),
    "link-51-chars": (page(f"<p><a href='/xa-hoi'>{SECTION_50}.</a></p>"), TITLE, None),
    "image-link": (page("<p><a href='/xa-hoi'><img src='/logo.png'></a></p>"), TITLE, None),
    "script-link": (page("<p><a href='javascript:void(0)'>Xã hội</a><a href=''>Xã hội</a></p>"), TITLE, None),
    "other-paper": (page("<p><a href='https://baodongnai.com.vn/xa-hoi'>Xã hội</a></p>"), TITLE, None),
    "other-paper-first": (page(before="<p><a href='https://baodongnai.com.vn/xa-hoi'>Xã hội Đồng Nai</a>"
                                      "<a href='javascript:void(0)'>Xã hội</a></p>" + MENU), TITLE, "XÃ HỘI"),
    "not-a-link": (page("<p><span class='cat' href='/xa-hoi'>Xã hội</span></p>"), TITLE, None),
    "no-article-url": (page(before=MENU, url="https://baohagiang.vn/xa-hoi/le-ra-quan.html"), TITLE, None),
    # The metadata's section last.
    "ld-section": (page(head=SECTION_LD.format('"Xã  hội\\n"')), TITLE, "Xã hội"),
    "ld-sections": (page(head=SECTION_LD.format('["Tin tức", "Xã hội", "Giáo dục"]')), TITLE, "Giáo dục"),
    "ld-no-sections": (page(head=SECTION_LD.format("[]") + "<meta property='article:section' content='Đời sống'>"),
                       TITLE, "Đời sống"),
    "ld-blank-section": (page(head=SECTION_LD.format('" "') + "<meta property='article:section' content='Đời sống'>"),
                         TITLE, "Đời sống"),
    "ld-number": (page(head=SECTION_LD.format("7")), TITLE, None),
    "nothing": (page(), TITLE, None),
}


@pytest.mark.parametrize(("anatomy", "title", "expected"), CATEGORIES.values(), ids=CATEGORIES.keys())
def test_category_name(anatomy, title, expected):
    """Catches a section name taken from the home link, the headline, the menu over the article's own label,
    a link that is not the category's (another paper's, too long, a picture), or metadata misread."""
    assert labels.category_name(anatomy, title) == expected


TAG_80 = "Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn 2021 - 2025 ở Hà"
TAG_LINKS = "<a rel='tag' href='/tags/tet'>Tết Nguyên đán</a><a rel='nofollow tag' href='/tags/hg'>Hà Giang</a>"
TAGS = {
    "rel-tag": (page(f"<div>{TAG_LINKS}</div>"), ["Tết Nguyên đán", "Hà Giang"]),
    "tag-box-unlabelled": (page("<div class='tags'><a href='/tags/tet'>Tết Nguyên đán</a>"
                                "<a href='/tags/hg'>Hà Giang</a><a href='/tags/xd'>Xây dựng nông thôn mới</a></div>"),
                           ["Tết Nguyên đán", "Hà Giang", "Xây dựng nông thôn mới"]),
    "tag-box-label-linked": (page("<div class='tags'><a href='/tags'>Từ khóa:</a><a href='/tags/tet'>Tết Nguyên đán</a>"
                                  "</div>"), ["Tết Nguyên đán"]),
    "tag-box": (page("<div class='tags'><span>Từ khóa:</span><a href='/tags/tet'>Tết Nguyên đán</a>"
                     "<a href='/tags/hg'>#Hà Giang</a></div>"), ["Tết Nguyên đán", "Hà Giang"]),
    "rel-tag-then-box": (page(f"<div>{TAG_LINKS}</div><div class='keywords'><a href='/k/a'>Xuân</a></div>"),
                         ["Tết Nguyên đán", "Hà Giang"]),
    "box-without-links": (page("<div class='tags'>Tết Nguyên đán</div>"), []),
    "tag-cloud-in-sidebar": (page(after="<aside><div class='tags'><a href='/tags/tet'>Tết</a></div></aside>"), []),
    "tag-cloud-in-widget": (page(after=f"<div class='widget'>{TAG_LINKS}</div>"), []),
    "label-line": (page("<p>Từ khóa: Tết Nguyên đán, Hà Giang; lễ ra quân,</p>"),
                   ["Tết Nguyên đán", "Hà Giang", "lễ ra quân"]),
    "label-line-links": (page("<p>Tags: <a href='/t/1'>Tết Nguyên đán</a> <a href='/t/2'>Hà Giang</a></p>"),
                         ["Tết Nguyên đán", "Hà Giang"]),
    "label-line-outside-article": (Anatomy(URL, f"<html><body><div class='main'><h1>{TITLE}</h1><div class='content'>"
                                                f"<p>{P1}</p><p>{P2}</p></div></div>"
                                                "<div class='x'><p>Từ khóa: Tết, Xuân</p></div></body></html>"), []),
    "repeated": (page(f"<div>{TAG_LINKS}<a rel='tag' href='/tags/hg2'>HÀ GIANG</a><a rel='tag' href='/t'> </a></div>"),
                 ["Tết Nguyên đán", "Hà Giang"]),
    "length": (page(f"<div><a rel='tag' href='/t/1'>{TAG_80}.</a><a rel='tag' href='/t/2'>{TAG_80}</a></div>"),
               [TAG_80]),
    "no-article": (Anatomy(URL, "<html><body></body></html>"), []),
}


@pytest.mark.parametrize(("anatomy", "expected"), TAGS.values(), ids=TAGS.keys())
def test_tags(anatomy, expected):
    """Catches a site-wide tag cloud taken for the article's tags, the tag label or a `#` kept, a tag
    repeated in other case, an over-long one kept, or a tag list missed."""
    assert labels.tags(anatomy) == expected


@pytest.mark.parametrize(("url", "html", "expected"), [
    ("https://en.baohagiang.vn/society/202401/spring-festival-785430", "<html lang='vi'>", "en"),
    ("https://baohagiang.vn/english/202401/spring-festival-785430", "<html>", "en"),
    (URL, "<html lang='en'>", "vi"),
    ("https://baohagiang.vn/tim-kiem.html", "<html lang='en-US'>", "en"),
    ("https://baohagiang.vn/tim-kiem.html", "<html lang='EN'>", "en"),
    ("https://baohagiang.vn/tim-kiem.html", "<html lang='vi-VN'>", "vi"),
    ("https://baohagiang.vn/tim-kiem.html", "<html>", "vi"),
])
def test_language(url, html, expected):
    """Catches the URL's language overridden by the page's `lang`, or an English `lang` not read where the
    URL names no language."""
    assert labels.language(page(url=url, html=html)) == expected


def at(*args) -> Timestamp:
    return Timestamp(datetime(*args, tzinfo=SITE_TZ), "minute")


SUCCESSOR = "https://baotuyenquang.com.vn/xa-hoi/202507/le-ra-quan-dau-xuan-785430"
DONGNAI = "https://baodongnai.com.vn/xa-hoi/202401/le-ra-quan-dau-xuan-785430"
TUYEN_QUANG_NAME = "<meta property='og:site_name' content='Báo Tuyên Quang'>"


@pytest.mark.parametrize(("url", "head", "title", "published", "expected"), [
    # Before the merger the site's hosts are Báo Hà Giang's, whatever the page names.
    (URL, TUYEN_QUANG_NAME, "x", at(2025, 6, 30, 23, 59), "Báo Hà Giang"),
    (URL, TUYEN_QUANG_NAME, "x", at(2025, 7, 1, 0, 0), "Báo Tuyên Quang"),
    (URL, TUYEN_QUANG_NAME, "x", None, "Báo Tuyên Quang"),
    (SUCCESSOR, "", f"{TITLE} - Báo Tuyên Quang điện tử", at(2025, 7, 2, 8, 0), "Báo Tuyên Quang"),
    (SUCCESSOR, "", TITLE, at(2025, 7, 2, 8, 0), "Báo Tuyên Quang"),
    # A sister paper: the name it prints, the <title>'s ending, or its host's paper.
    (DONGNAI, "<meta property='og:site_name' content='BÁO ĐỒNG NAI'>", TITLE, at(2024, 1, 28, 9, 1), "Báo Đồng Nai"),
    (DONGNAI, "", f"{TITLE} | Báo Khánh Hòa", at(2024, 1, 28, 9, 1), "Báo Khánh Hòa"),
    (DONGNAI, "<meta property='og:site_name' content='Đồng Nai Online'>", f"{TITLE} | Báo Khánh Hòa",
     at(2024, 1, 28, 9, 1), "Báo Đồng Nai"),
    (DONGNAI, "", "", at(2024, 1, 28, 9, 1), "Báo Đồng Nai"),
    (DONGNAI, "", None, at(2024, 1, 28, 9, 1), "Báo Đồng Nai"),
    ("https://tintuc.example.vn/xa-hoi/202401/le-ra-quan-785430", "", TITLE, at(2024, 1, 28, 9, 1), None),
])
def test_publisher(url, head, title, published, expected):
    """Catches the merger day misplaced (the last day before it is Báo Hà Giang's), the printed name
    not read or read without regard to the paper list, or a host's paper not used as the fallback."""
    # No title given: a page without a <title> element.
    anatomy = (page(url=url, head=head, title=title) if title is not None
               else Anatomy(url, f"<html><body><h1>{TITLE}</h1><p>{P1}</p></body></html>"))
    assert labels.publisher(anatomy, published) == expected
