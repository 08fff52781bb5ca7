import pytest
from w3lib.url import safe_url_string

from bhgcrawl.urls import BaseUrlMap, canonicalize, category_of, is_crawlable, parse_article_url, safe_url


@pytest.mark.parametrize("raw", [
    "https://baohagiang.vn/xa-hoi/202112/nguoi-dan-785426",
    "http://baohagiang.vn/xa-hoi/202112/nguoi-dan-785426/",
    "http://www.baohagiang.vn/xa-hoi/202112/nguoi-dan-785426",
    "https://WWW.BaoHaGiang.vn/xa-hoi/202112/nguoi-dan-785426/?utm_source=facebook&utm_medium=social",
    "https://baohagiang.vn/xa-hoi/202112/nguoi-dan-785426?fbclid=IwAR0abc#binh-luan",
    "https://baohagiang.vn//xa-hoi/202112/nguoi-dan-785426",
])
def test_one_article_one_canonical_url(raw):
    assert canonicalize(raw, keep_query=False) == "https://baohagiang.vn/xa-hoi/202112/nguoi-dan-785426"
    assert parse_article_url(raw).url == "https://baohagiang.vn/xa-hoi/202112/nguoi-dan-785426"


def test_listing_query_keeps_page_but_not_tracking():
    assert canonicalize("http://www.baohagiang.vn/van-hoa/?utm_campaign=x&page=2#top") == \
        "https://baohagiang.vn/van-hoa?page=2"


def test_both_generations_and_nested_categories():
    old = parse_article_url("https://baohagiang.vn/xa-hoi/202112/slug-co-dau-785426/")
    assert (old.category, old.yyyymm, old.article_id, old.language) == ("xa-hoi", "202112", "785426", "vi")
    new = parse_article_url("https://baohagiang.vn/kinh-te/nong-lam-nghiep/202401/mua-vu-0d530c3")
    assert (new.category, new.yyyymm, new.article_id) == ("kinh-te/nong-lam-nghiep", "202401", "0d530c3")
    tv = parse_article_url("https://baohagiang.vn/multimedia/truyen-hinh/202404/ban-tin-67b4c0c/")
    assert (tv.category, tv.article_id) == ("multimedia/truyen-hinh", "67b4c0c")


def test_english_edition_both_forms():
    path_form = parse_article_url("https://baohagiang.vn/english/news/202301/ha-giang-spring-1a2b3c4")
    assert (path_form.language, path_form.category) == ("en", "english/news")
    host_form = parse_article_url("http://en.baohagiang.vn/Society/202305/market-day-abcdef1/")
    assert host_form.url == "https://en.baohagiang.vn/Society/202305/market-day-abcdef1"
    assert (host_form.language, host_form.category) == ("en", "Society")


@pytest.mark.parametrize("url", [
    "https://baohagiang.vn/kinh-te",                              # a listing
    "https://baohagiang.vn/kinh-te/trang-2.html",                 # its second page
    "https://baohagiang.vn/xa-hoi/202112",                        # a month folder
    "https://baohagiang.vn/file/4028eaa4/032021/anh_20210305183112.jpg",
    "https://baohagiang.vn/tim-kiem/202112/ket-qua-785426",       # search is never an article
    "https://vnexpress.net/xa-hoi/202112/slug-785426",            # another site
    "https://baohagiang.vn/xa-hoi/202113/slug-785426",            # no 13th month
    "https://baohagiang.vn/xa-hoi/202112/slug-ABCDEF1",           # hex ids are lower case
])
def test_not_articles(url):
    assert parse_article_url(url) is None


@pytest.mark.parametrize("url,ok", [
    ("https://baohagiang.vn/kinh-te", True),
    ("https://baohagiang.vn/tim-kiem?q=ha+giang", False),
    ("https://baohagiang.vn/dang-nhap", False),
    ("https://baohagiang.vn/print/785426", False),
    ("https://baohagiang.vn/rss/home.rss", False),
    ("https://www.facebook.com/sharer/sharer.php?u=x", False),
    ("mailto:toasoan@baohagiang.vn", False),
    ("https://baohagiang.vn/file//dataimages/201905/original/anh.jpg", False),
])
def test_crawlable(url, ok):
    assert is_crawlable(url) is ok


def test_category_of_listing_pages():
    assert category_of("https://baohagiang.vn/kinh-te/trang-3.html") == "kinh-te"
    assert category_of("https://baohagiang.vn/kinh-te/nong-lam-nghiep?page=2") == "kinh-te/nong-lam-nghiep"
    assert category_of("https://baohagiang.vn/") is None


def test_base_url_map_round_trip():
    m = BaseUrlMap("http://127.0.0.1:8123/")
    assert m.fetch("https://baohagiang.vn/van-hoa?page=2") == ("http://127.0.0.1:8123/van-hoa?page=2", {})
    assert m.fetch("https://en.baohagiang.vn/Society") == ("http://127.0.0.1:8123/Society",
                                                           {"Host": "en.baohagiang.vn"})
    assert m.site("http://127.0.0.1:8123/xa-hoi/202112/a-785426/") == "https://baohagiang.vn/xa-hoi/202112/a-785426"
    assert m.site("http://127.0.0.1:8123/Society", "en.baohagiang.vn") == "https://en.baohagiang.vn/Society"
    assert BaseUrlMap("").fetch("https://baohagiang.vn/a") == ("https://baohagiang.vn/a", {})


@pytest.mark.parametrize(("raw", "safe"), [
    ("https://baohagiang.vn/file/a b\u0001c.jpg", "https://baohagiang.vn/file/a%20bc.jpg"),
    (" https://baohagiang.vn/file/a\tb\nc.jpg\u0007 ", "https://baohagiang.vn/file/abc.jpg"),
    ("https://cdn.example.com/x\u007fy\u001b.jpg", "https://cdn.example.com/xy.jpg"),
    ("https://baohagiang.vn/a\u0085b\u009fc", "https://baohagiang.vn/abc"),
    ("https://baohagiang.vn/file/ảnh đẹp.jpg?q=ả b", "https://baohagiang.vn/file/%E1%BA%A3nh%20%C4%91%E1%BA%B9p.jpg?q=%E1%BA%A3%20b"),
    ("https://baohagiang.vn/file/a%20b.jpg", "https://baohagiang.vn/file/a%20b.jpg"),
])
def test_safe_url_percent_encodes_as_browsers_do_and_drops_control_characters(raw, safe):
    assert safe_url(raw) == safe
    assert safe_url(safe) == safe == safe_url_string(safe)


def test_canonical_urls_are_safe():
    assert canonicalize("https://baohagiang.vn/kinh-te/202103/x\u0001y-785431") == \
        "https://baohagiang.vn/kinh-te/202103/xy-785431"
    assert parse_article_url("https://baohagiang.vn/kinh-te/202103/x\u0001y-785431\u001b").url == \
        "https://baohagiang.vn/kinh-te/202103/xy-785431"
