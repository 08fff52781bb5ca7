"""The anatomy of an article page (pages.article.anatomy): the page's URL and id, its lines, where the
article's text stops, and the region a section heading ("Tin cùng chuyên mục") names."""

import pytest

from bhgcrawl.pages import dom
from bhgcrawl.pages.article.anatomy import Anatomy, block_after_heading, first_text, is_site_name

URL = "https://baohagiang.vn/xa-hoi/202401/trao-qua-tet-cho-ho-ngheo-xa-lung-cu-7a1b2c3"
TITLE = "Trao quà Tết cho hộ nghèo xã Lũng Cú"
P1 = ("Sáng 27.1, đoàn công tác của tỉnh đã đến thăm, trao 200 suất quà Tết cho các hộ nghèo của xã Lũng Cú, "
      "huyện Đồng Văn.")
P2 = "Mỗi suất quà gồm 500.000 đồng tiền mặt, gạo, dầu ăn và bánh kẹo, trị giá tổng cộng hơn 150 triệu đồng./."


def template(inner: str, after: str = "") -> str:
    """An article in the platform's template, `inner` its body."""
    return (f"<html><head><title>{TITLE} - Báo Hà Giang</title></head><body><h1 class='head_title'>{TITLE}</h1>"
            f"<div id='content' class='content-detail'><div class='td-post-content'>{inner}</div></div>{after}"
            "</body></html>")


@pytest.mark.parametrize(("url", "canonical", "article_id"), [
    (URL, URL, "7a1b2c3"),
    # the successor's host serves the archive: the article is Báo Hà Giang's, at its own URL
    ("https://baotuyenquang.com.vn/xa-hoi/202401/trao-qua-tet-cho-ho-ngheo-xa-lung-cu-7a1b2c3/", URL, "7a1b2c3"),
    # a page that is no article: its canonical URL, without the query
    ("https://www.baohagiang.vn/tim-kiem/?key=dân vận khéo#ket-qua", "https://baohagiang.vn/tim-kiem", None),
])
def test_the_page_url_and_its_article(url, canonical, article_id):
    """Catches the article's reference not read from the URL, the canonical URL of another host kept, or
    the query of a page that is no article kept in its URL."""
    page = Anatomy(url, template(f"<p>{P1}</p>"))
    assert page.url == canonical
    assert (page.ref.article_id if page.ref else None) == article_id


@pytest.mark.parametrize(("text", "expected"), [
    ("Báo Hà Giang", True), ("Báo Hà Giang điện tử", True), ("baohagiang.vn", True), ("Báo Tuyên Quang", True),
    ("Báo Hà Giang - Trao quà Tết cho hộ nghèo", False), (TITLE, False), ("", False),
])
def test_is_site_name(text, expected):
    """A script-rendered shell's <title> is the paper's name alone. Catches that check always true or
    false, or matching a headline that merely names the paper."""
    assert is_site_name(text) is expected


@pytest.mark.parametrize(("values", "expected"), [
    (None, None), ([], None), (["", "  "], None),
    ([None, 2024, "", "  Trao quà Tết cho hộ nghèo  ", "Báo Hà Giang"], "Trao quà Tết cho hộ nghèo"),
])
def test_first_text(values, expected):
    """The first non-blank string of metadata values (og:title given twice, a JSON-LD number). Catches
    a blank or non-string value taken (or crashing the reader), or no value read at all."""
    assert first_text(values) == expected


def test_the_lines_and_text_of_an_element():
    """An element's lines, read from the page's one walk, split at <br> and blocks; an element that is
    no block of the walk (a link) is read on its own. Catches a wrong slice of the walk, lines of another
    element, or the text joined other than by one space."""
    page = Anatomy(URL, template(f"<p>{P1}</p><div><p>{P2}</p><p>Xem thêm: <a href='/xa-hoi/'>Hỗ trợ "
                                 "hộ nghèo</a></p></div><p>Tin, ảnh: LÊ HẢI<br>Nguồn: Cổng TTĐT tỉnh</p>"))
    body = page.root.find(".//div[@class='td-post-content']")
    first, box, last = body
    link = box.find(".//a")
    assert page.lines_of(first) == [P1]
    assert page.lines_of(box) == [P2, "Xem thêm: Hỗ trợ hộ nghèo"]
    assert page.lines_of(link) == ["Hỗ trợ hộ nghèo"]
    assert page.lines_of(last) == ["Tin, ảnh: LÊ HẢI", "Nguồn: Cổng TTĐT tỉnh"]
    assert page.text_of(last) == "Tin, ảnh: LÊ HẢI Nguồn: Cổng TTĐT tỉnh"
    assert page.text_of(box) == f"{P2} Xem thêm: Hỗ trợ hộ nghèo"
    assert page.lines_of(last) == ["Tin, ảnh: LÊ HẢI", "Nguồn: Cổng TTĐT tỉnh"]  # read again: the same


def test_text_set_between_brs_is_split_into_paragraphs():
    """An older page's `text<br><br>text`: the anatomy makes it paragraphs. Catches the split not done."""
    page = Anatomy(URL, "<html><body><h1>" + TITLE + "</h1><div class='noidung'>" + P1 + "<br><br>" + P2 +
                   "</div></body></html>")
    assert [b.text for b in page.blocks] == [P1, P2]


def test_the_text_stops_at_a_comment_button():
    """A "Bình luận" link is a button, not a section's heading to drop, but the article's text stops
    there: what follows is the readers'. Catches the stop moved onto or past that line."""
    comment = "Tôi rất xúc động khi đọc bài viết này, cảm ơn đoàn công tác đã về với bà con vùng cao."
    page = Anatomy(URL, template(f"<p>{P1}</p><p>{P2}</p><p><a href='#binh-luan'>Bình luận</a></p>"
                                 f"<p>{comment}</p>"))
    first, second, button, reader = page.root.find(".//div[@class='td-post-content']")
    assert [b.text for b in page.blocks] == [P1, P2]
    assert [page.before_stop(el) for el in (first, second, button, reader)] == [True, True, False, False]


def _names(region) -> list[str]:
    return [f"{el.tag}.{el.get('class')}" for el in region]


RELATED = ("<h3>Tin cùng chuyên mục</h3><ul class='a'><li><a href='/xa-hoi/202401/ra-quan-dau-xuan-1b2c3d4'>"
           "Ra quân đầu xuân</a></li></ul><div class='clear'></div><ul class='b'><li>"
           "<a href='/xa-hoi/202401/tet-am-vung-cao-2c3d4e5'>Tết ấm vùng cao</a></li></ul>")


@pytest.mark.parametrize(("markup", "expected"), [
    # the siblings after the heading, past a link-less spacer, up to the next block's title
    (f"<div class='col-8'><div class='detail'><p>{P1}</p></div>{RELATED}<h3>Tin xem nhiều</h3>"
     "<ul class='c'><li><a href='/kinh-te/202401/x-3d4e5f6'>Giá lúa tăng</a></li></ul></div>",
     ["ul.a", "div.clear", "ul.b"]),
    # items titled in headings of their own, linked: the list goes on through them
    ("<div class='box'><h2>Tin liên quan</h2><h3 class='i1'><a href='/xa-hoi/202401/a-4e5f6a7'>Ra quân đầu xuân"
     "</a></h3><h3 class='i2'><a href='/xa-hoi/202401/b-5f6a7b8'>Tết ấm vùng cao</a></h3><h2>Xem nhiều</h2>"
     "<h3 class='i3'><a href='/xa-hoi/202401/c-6a7b8c9'>Giá lúa tăng</a></h3></div>", ["h3.i1", "h3.i2"]),
    # a heading wrapped in its own box: the box's siblings
    ("<div class='col-8'><div class='title'><h3>Tin cùng chuyên mục</h3></div><div class='list'>"
     "<a href='/xa-hoi/202401/a-4e5f6a7'>Ra quân đầu xuân</a><a href='/xa-hoi/202401/b-5f6a7b8'>Tết ấm vùng cao</a>"
     "</div></div>", ["div.list"]),
    # nothing linked anywhere around it: no list
    (f"<div class='detail'><p>{P1}</p><h3>Bình luận</h3><p class='empty'>Chưa có bình luận nào.</p></div>", []),
])
def test_the_region_after_a_section_heading(markup, expected):
    """Catches the region taken from before the heading, cut at a spacer or at an item's linked title,
    run past the next block's title, not looked for above the heading's own box, or found where
    nothing links."""
    root = dom.parse(f"<html><body>{markup}</body></html>")
    heading = next(h for h in root.iter("h2", "h3") if h.text in ("Tin cùng chuyên mục", "Tin liên quan",
                                                                  "Bình luận"))
    assert _names(block_after_heading(heading)) == expected
