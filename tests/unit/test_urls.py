from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from w3lib.url import safe_url_string

from bhgcrawl.urls import (
    BaseUrlMap,
    absolute,
    canonicalize,
    category_of,
    is_crawlable,
    parse_article_url,
    safe_url,
    site_host,
)


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


# ---- ids: their exact lengths, on both sides ------------------------------------------------------------

@pytest.mark.parametrize(("tail", "article_id"), [
    ("slug-12345", "12345"), ("slug-123456789", "123456789"), ("slug-785426", "785426"),
    ("slug-0d530c3", "0d530c3"), ("slug-abcdef1", "abcdef1"), ("785426", "785426"), ("slug-0d530c3.html", "0d530c3"),
])
def test_article_ids_of_both_generations(tail, article_id):
    ref = parse_article_url(f"https://baohagiang.vn/xa-hoi/202112/{tail}")
    assert ref.article_id == article_id and ref.slug == ("slug" if tail.startswith("slug") else "")


@pytest.mark.parametrize("tail", [
    "slug-1234",  # four digits
    "slug-1234567890",  # ten: never its last nine
    "slug-0d530c",  # six hex
    "slug-0d530c3a",  # eight hex: never its last seven
    "slug785426",  # glued to the slug
    "slug-0D530C3",
])
def test_not_article_ids(tail):
    assert parse_article_url(f"https://baohagiang.vn/xa-hoi/202112/{tail}") is None


# ---- the canonical URL: tracking parameters and query order ---------------------------------------------

@pytest.mark.parametrize("param", ["utm_source", "utm_medium", "utm_campaign", "UTM_Content", "fbclid", "gclid",
                                   "dclid", "msclkid", "zarsrc", "_hsenc", "_hsmi", "mc_cid", "mc_eid", "igshid",
                                   "ref", "refid", "src", "share"])
def test_tracking_parameters_are_dropped(param):
    assert canonicalize(f"https://baohagiang.vn/van-hoa?{param}=x&page=2") == "https://baohagiang.vn/van-hoa?page=2"


def test_the_query_is_sorted_and_keeps_blank_values():
    assert canonicalize("https://baohagiang.vn/tim-kiem?q=ha+giang&page=2&sort=") == \
        "https://baohagiang.vn/tim-kiem?page=2&q=ha+giang&sort="
    assert canonicalize("https://baohagiang.vn/van-hoa?source=rss&page=2") == \
        "https://baohagiang.vn/van-hoa?page=2&source=rss"  # not every parameter is tracking
    assert canonicalize("https://baohagiang.vn/van-hoa?page=2", keep_query=False) == "https://baohagiang.vn/van-hoa"


def test_other_sites_keep_their_urls_but_not_the_fragment():
    assert canonicalize("http://www.vnexpress.net/a/?utm_source=x#top") == "http://www.vnexpress.net/a/?utm_source=x"
    assert canonicalize("https://baohagiang.vn/") == "https://baohagiang.vn/"
    assert canonicalize("https://baohagiang.vn") == "https://baohagiang.vn/"


@pytest.mark.parametrize(("url", "category"), [
    ("https://baohagiang.vn/kinh-te/TRANG-3.HTML", "kinh-te"),
    ("https://baohagiang.vn/kinh-te/page/2", "kinh-te"),
    ("https://baohagiang.vn/kinh-te/p2/", "kinh-te"),
    ("https://baohagiang.vn/van-hoa.html", "van-hoa"),
    ("https://baohagiang.vn/van-hoa.HTM", "van-hoa"),
    ("https://baohagiang.vn/kinh-te/nong-lam-nghiep/", "kinh-te/nong-lam-nghiep"),
    ("https://baohagiang.vn/xa-hoi/202112", None),
    ("https://baohagiang.vn/xa-hoi/202112/", None),
    ("https://baohagiang.vn/xa-hoi/2021125", "xa-hoi/2021125"),
    ("https://vnexpress.net/kinh-te", None),
    ("https://baohagiang.vn/202112/slug-785426", None),  # a month folder at the top: an article's path
])
def test_category_of(url, category):
    assert category_of(url) == category


def test_base_url_map_keeps_other_hosts_and_the_query():
    m = BaseUrlMap("http://127.0.0.1:8123//")
    assert m.base == "http://127.0.0.1:8123"
    assert m.site("http://127.0.0.1:8123/van-hoa/?page=2#x") == "https://baohagiang.vn/van-hoa?page=2"
    # A redirect to the successor site is that site's URL, not the replay server's.
    assert m.site("http://baotuyenquang.com.vn/kinh-te/202401/x-0d530c3/") == \
        "https://baotuyenquang.com.vn/kinh-te/202401/x-0d530c3"
    assert BaseUrlMap().site("http://127.0.0.1:8123/van-hoa") == "http://127.0.0.1:8123/van-hoa"
    assert BaseUrlMap()._base_netloc == ""
    assert BaseUrlMap().fetch("https://en.baohagiang.vn/Society") == ("https://en.baohagiang.vn/Society", {})


def test_base_url_map_reads_the_host_a_request_was_sent_with():
    m = BaseUrlMap("http://127.0.0.1:8123")

    def response(url, host=None):
        return SimpleNamespace(url=url, request=SimpleNamespace(headers={"Host": host} if host else {}))

    assert m.site_of(response("http://127.0.0.1:8123/Society/", b"en.baohagiang.vn")) == \
        "https://en.baohagiang.vn/Society"
    assert m.site_of(response("http://127.0.0.1:8123/van-hoa")) == "https://baohagiang.vn/van-hoa"


# ---- properties: one article, one canonical URL and id ---------------------------------------------------

slugs = st.lists(st.sampled_from(["nguoi", "dan", "ha", "giang", "mua", "vu", "2024", "thi-dua"]), min_size=1,
                 max_size=4).map("-".join)
ids = st.one_of(st.integers(100000, 999999).map(str), st.text("0123456789abcdef", min_size=7, max_size=7))
paths = st.builds(lambda cat, month, slug, aid: (f"/{cat}/{month}/{slug}-{aid}", aid),
                  st.sampled_from(["xa-hoi", "kinh-te/nong-lam-nghiep", "multimedia/truyen-hinh", "van-hoa"]),
                  st.builds(lambda y, m: f"{y}{m:02d}", st.integers(2012, 2025), st.integers(1, 12)), slugs, ids)
tracking = st.lists(st.sampled_from(["utm_source=facebook", "utm_medium=social", "fbclid=IwAR0abc", "gclid=x1",
                                     "utm_campaign=tet"]), max_size=3, unique=True)


@given(paths, st.sampled_from(["http", "https"]), st.sampled_from(["baohagiang.vn", "www.baohagiang.vn",
                                                                     "WWW.BaoHaGiang.vn"]),
       st.booleans(), tracking, st.sampled_from(["", "#binh-luan", "#top"]))
def test_every_variant_of_an_article_url_is_one_article(path_id, scheme, host, slash, params, fragment):
    path, article_id = path_id
    url = f"{scheme}://{host}{path}{'/' if slash else ''}{'?' + '&'.join(params) if params else ''}{fragment}"
    ref = parse_article_url(url)
    assert ref is not None, url
    assert ref.url == f"https://baohagiang.vn{path}" == canonicalize(url, keep_query=False)
    assert ref.article_id == article_id
    assert canonicalize(url) == ref.url  # tracking parameters only: no query left


@given(st.permutations(["page=2", "q=ha+giang", "sort=new"]), tracking)
def test_query_order_and_tracking_never_change_the_canonical_url(query, params):
    url = "http://www.baohagiang.vn/tim-kiem/?" + "&".join([*params, *query])
    assert canonicalize(url) == "https://baohagiang.vn/tim-kiem?page=2&q=ha+giang&sort=new"


@given(st.one_of(paths.map(lambda p: "http://www.baohagiang.vn" + p[0] + "/?utm_source=x&b=2&a=1#c"),
                 st.sampled_from(["https://baohagiang.vn//van-hoa//?page=2", "https://vnexpress.net/a?b=1#x",
                                  "https://en.baohagiang.vn/Society/", "https://baohagiang.vn/tìm kiếm?q=Hà Giang"])))
def test_canonicalize_is_idempotent(url):
    once = canonicalize(url)
    assert canonicalize(once) == once


def test_site_host():
    assert site_host("WWW.BaoHaGiang.vn.") == "baohagiang.vn"
    assert site_host("baohagiang.vn:8080") == "baohagiang.vn"
    assert site_host("en.baohagiang.vn") == "en.baohagiang.vn"
    assert site_host("baotuyenquang.com.vn") == "baotuyenquang.com.vn"
    assert site_host("notbaohagiang.vn") is None
    assert site_host("") is None


def test_an_article_url_never_carries_a_query():
    ref = parse_article_url("https://baohagiang.vn/xa-hoi/202112/nguoi-dan-785426?page=2&b=1")
    assert ref.url == "https://baohagiang.vn/xa-hoi/202112/nguoi-dan-785426"


@pytest.mark.parametrize(("href", "expected"), [
    ("/kinh-te/202401/a-0d530c3", "https://baohagiang.vn/kinh-te/202401/a-0d530c3"),
    ("  b-785426  ", "https://baohagiang.vn/xa-hoi/b-785426"),
    ("#binh-luan", None), ("#", None), ("", None), (None, None), ("   ", None),
    ("javascript:void(0)", None), ("JavaScript:alert(1)", None), ("mailto:toasoan@baohagiang.vn", None),
    ("TEL:0219", None), ("sms:1", None), ("data:text/html,x", None), ("about:blank", None),
    ("http://en.baohagiang.vn/Society", "http://en.baohagiang.vn/Society"),
])
def test_absolute(href, expected):
    assert absolute("https://baohagiang.vn/xa-hoi/", href) == expected
