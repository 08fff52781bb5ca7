import pytest

from bhgcrawl.pages.listing import ListingPage, page_number

ITEMS = """
<div class="list">
  <div class="item"><a href="/kinh-te/202401/mua-vu-xuan-0d530c3"><img src="/file/a.jpg"></a>
    <h3><a href="/kinh-te/202401/mua-vu-xuan-0d530c3?utm_source=facebook">Mùa vụ xuân</a></h3>
    <span class="time">09:01, 28/01/2024</span><p>BHG - Chiều 26.1, …</p></div>
  <div class="item">
    <h3><a href="http://www.baohagiang.vn/kinh-te/nong-lam-nghiep/202401/che-shan-1a2b3c4/">Chè Shan</a></h3>
    <span>15:20, 27/01/2024</span></div>
  <div class="item"><h3><a href="/kinh-te/201905/hop-tac-xa-785426#binh-luan">HTX</a></h3></div>
  <a href="/tim-kiem?q=kinh+te">Tìm kiếm</a> <a href="https://www.facebook.com/baohagiang">Facebook</a>
</div>
"""


def page(url, pager="", head="", nav=""):
    return ListingPage(url, f"<html><head>{head}</head><body><nav>{nav}</nav>{ITEMS}{pager}</body></html>")


def test_articles_once_each_with_listing_dates():
    p = page("https://baohagiang.vn/kinh-te")
    assert [(a.url, a.published.isoformat() if a.published else None) for a in p.articles] == [
        ("https://baohagiang.vn/kinh-te/202401/mua-vu-xuan-0d530c3", "2024-01-28T09:01:00+07:00"),
        ("https://baohagiang.vn/kinh-te/nong-lam-nghiep/202401/che-shan-1a2b3c4", "2024-01-27T15:20:00+07:00"),
        ("https://baohagiang.vn/kinh-te/201905/hop-tac-xa-785426", None),
    ]


def test_categories_from_navigation_and_article_urls():
    nav = '<a href="/">Trang chủ</a><a href="/xa-hoi/">Xã hội</a><a href="/van-hoa">Văn hóa</a>' \
          '<a href="/tim-kiem">Tìm</a><a href="/tag/ha-giang">Tag</a>'
    p = page("https://baohagiang.vn/", nav=nav)
    assert p.categories == ["https://baohagiang.vn/xa-hoi", "https://baohagiang.vn/van-hoa",
                            "https://baohagiang.vn/kinh-te", "https://baohagiang.vn/kinh-te/nong-lam-nghiep"]


def test_next_by_rel_next_in_head():
    p = page("https://baohagiang.vn/van-hoa?page=2", head='<link rel="next" href="/van-hoa?page=3">')
    assert p.next_page == "https://baohagiang.vn/van-hoa?page=3"


def test_next_by_numbered_links():
    pager = '<div class="paging"><a href="/kinh-te">1</a><span>2</span><a href="/kinh-te/trang-3.html">3</a>' \
            '<a href="/kinh-te/trang-4.html">4</a></div>'
    assert page("https://baohagiang.vn/kinh-te/trang-2.html", pager).next_page == \
        "https://baohagiang.vn/kinh-te/trang-3.html"


def test_next_by_its_words():
    pager = '<p><a href="/xa-hoi?page=1">« Trước</a> <a href="/xa-hoi?page=3">Trang sau</a></p>'
    assert page("https://baohagiang.vn/xa-hoi?page=2", pager).next_page == "https://baohagiang.vn/xa-hoi?page=3"
    pager = '<p><a href="/xa-hoi/trang-2.html" title="Sau">»</a></p>'
    assert page("https://baohagiang.vn/xa-hoi", pager).next_page == "https://baohagiang.vn/xa-hoi/trang-2.html"


def test_no_next_on_last_page_or_backwards_or_other_section():
    assert page("https://baohagiang.vn/kinh-te/trang-3.html",
                '<a href="/kinh-te/trang-2.html">2</a><span>3</span>').next_page is None
    assert page("https://baohagiang.vn/kinh-te?page=3", '<link rel="next" href="/kinh-te?page=3">').next_page is None
    assert page("https://baohagiang.vn/kinh-te", '<a href="/xa-hoi/trang-2.html">2</a>').next_page is None


def test_page_numbers():
    assert page_number("https://baohagiang.vn/kinh-te") == 1
    assert page_number("https://baohagiang.vn/kinh-te/trang-12.html") == 12
    assert page_number("https://baohagiang.vn/kinh-te?page=4") == 4
    assert page_number("https://baohagiang.vn/kinh-te/page/5/") == 5


@pytest.mark.parametrize(("url", "number"), [
    ("https://baohagiang.vn/tim-kiem?q=2024&page=3", 3),
    ("https://baohagiang.vn/kinh-te?page=ba", 1),
    ("https://baohagiang.vn/kinh-te?Trang=2", 2),
])
def test_page_number_from_the_query(url, number):
    """Catches a number in another parameter (the year searched for) or a page that is no number read as the
    page, and the parameter's case not ignored."""
    assert page_number(url) == number


HOME = """<html><body>
<header><div class="logo"><a href="/">Báo Hà Giang</a></div><a href="/thoi-su">Thời sự</a></header>
<div class="main-menu"><ul><li><a href="/quoc-phong-an-ninh">Quốc phòng - An ninh</a></li></ul></div>
<div class="list"><ul><li><a href="/kinh-te/202401/mua-vu-xuan-0d530c3">Mùa vụ xuân <span>09:01, 28/01/2024</span></a>
  <a href="/xa-hoi/202401/che-shan-1a2b3c4">Chè Shan</a></li></ul>
<p>Xem thêm chuyên mục <a href="/the-thao">Thể thao</a></p></div>
<link rel="prefetch" href="/van-hoa/202401/le-hoi-1b2c3d4">
</body></html>"""


def test_home_page_sections_and_items_sharing_a_line():
    """Catches a section link outside the menu (in the text) taken for a section, a menu known by its class
    or a <header> missed, two items in one line given one scope (the date of the first lost), and a
    <link> to an article taken for a listed one."""
    p = ListingPage("https://baohagiang.vn/", HOME)
    assert [(a.url, a.published.isoformat() if a.published else None) for a in p.articles] == [
        ("https://baohagiang.vn/kinh-te/202401/mua-vu-xuan-0d530c3", "2024-01-28T09:01:00+07:00"),
        ("https://baohagiang.vn/xa-hoi/202401/che-shan-1a2b3c4", None),
    ]
    assert p.categories == ["https://baohagiang.vn/thoi-su", "https://baohagiang.vn/quoc-phong-an-ninh",
                            "https://baohagiang.vn/kinh-te", "https://baohagiang.vn/xa-hoi"]
