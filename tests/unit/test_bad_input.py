"""Bad input (fixtures/bad/, see its README): every page gives a correct record or empty fields,
never an exception, in bounded memory; hostile links are never taken for the site's pages."""

import json
import re
import subprocess
import sys
import tracemalloc
import unicodedata

import pytest
from lxml import etree
from scrapy.http import HtmlResponse
from w3lib.url import safe_url_string

from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.pages.dom import flatten_deep
from bhgcrawl.pages.listing import ListingPage
from bhgcrawl.text import best_decoding, misdeclared_utf8
from bhgcrawl.urls import absolute, is_crawlable, parse_article_url
from devtools.golden import site_pages
from tests.helpers import FIXTURES, ROOT

BAD = FIXTURES / "bad"
URL = "https://baohagiang.vn/thoi-su-chinh-tri/202103/hop-tieu-ban-thong-tin-tuyen-truyen-va-van-dong-bau-cu-785431"
TITLE = "Họp Tiểu ban thông tin, tuyên truyền và vận động bầu cử"
IMG = "/file/300a06f2d0d0876784ab0c7264237228/032021/hop-tieu-ban_20210305171200.jpg"
LEAD = ("Chiều 5.3, tại Ban Tuyên giáo Tỉnh ủy, Tiểu ban thông tin, tuyên truyền và vận động bầu cử đại biểu "
        "Quốc hội (ĐBQH) khóa XV và đại biểu HĐND các cấp, nhiệm kỳ 2021 – 2026 (Tiểu ban) tổ chức cuộc họp lần thứ 2.")
P1 = ("Theo báo cáo của Tiểu ban, thời gian qua, công tác thông tin, tuyên truyền về cuộc bầu cử đã được các cơ quan "
      "báo chí, hệ thống thông tin cơ sở triển khai sâu rộng với nhiều hình thức phong phú.")
P2 = ("Kết luận buổi họp, đồng chí Vũ Mạnh Hà đề nghị các thành viên Tiểu ban tiếp tục bám sát kế hoạch, đổi mới "
      "nội dung, hình thức tuyên truyền; kịp thời định hướng dư luận, đấu tranh với các thông tin sai trái.")
REFERENCE = {
    "url": URL, "article_id": "785431", "category": "thoi-su-chinh-tri", "category_name": "Thời sự - Chính trị",
    "language": "vi", "publisher": "Báo Hà Giang", "title": TITLE, "published": "2021-03-05T17:12:00+07:00",
    "published_precision": "minute",
    "modified": None, "lead": LEAD, "event_date": "2021-03-05", "body": f"{P1}\n\n{P2}", "byline": "THU PHƯƠNG",
    "authors": ["Thu Phương"], "credits": [{"name": "Thu Phương", "roles": ["text"]}], "source": None,
    "images": [{"url": "https://baohagiang.vn/file/300a06f2d0d0876784ab0c7264237228/032021/hop-tieu-ban_20210305171200.jpg",
                "caption": "Đồng chí Vũ Mạnh Hà phát biểu kết luận buổi họp", "credit": None}],
    "related": [], "tags": ["bầu cử", "tuyên truyền"],
}
# What a page with nothing readable gives: the URL's own facts and its month, nothing else.
NOTHING = {**REFERENCE, "category_name": None, "title": None, "published": "2021-03-01T00:00:00+07:00",
           "published_precision": "month", "lead": None, "event_date": None, "body": "", "byline": None,
           "authors": [], "credits": [], "images": [], "tags": []}


def html(name: str) -> str:
    return (BAD / name).read_text("utf-8")


def record(page: str, url: str = URL) -> dict:
    return ArticlePage(url, page).to_record()


def response(name: str, content_type: str = "text/html") -> HtmlResponse:
    return HtmlResponse(URL, body=(BAD / name).read_bytes(), headers={"Content-Type": content_type})


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)


def test_the_reference_page_gives_the_reference_record():
    assert record(html("reference.html")) == REFERENCE


# ---- nothing to read -----------------------------------------------------------------------------


def test_empty_body():
    assert record("") == NOTHING
    assert record(html("empty.html")) == NOTHING
    assert ArticlePage(URL, response("empty.html").selector).to_record() == NOTHING


def test_binary_served_as_html():
    data = (BAD / "binary.html").read_bytes()
    assert b"\x00" in data
    assert record(data.decode("utf-8", "replace")) == NOTHING
    assert record(data.decode("latin-1")) == NOTHING
    assert ArticlePage(URL, response("binary.html", "text/html; charset=utf-8").selector).to_record() == NOTHING


def test_javascript_only_shell():
    """Its <title> is only the site's name: that is no headline."""
    assert record(html("js-shell.html")) == NOTHING


def test_listing_pages_with_nothing_in_them():
    binary = (BAD / "binary.html").read_bytes().decode("utf-8", "replace")
    for page in ("", binary, html("js-shell.html"), "<html><body><p>Trang 1</p>"):
        listing = ListingPage("https://baohagiang.vn/kinh-te", page)
        assert (listing.articles, listing.categories, listing.next_page) == ([], [], None)


# ---- broken markup ---------------------------------------------------------------------------------


def test_unclosed_tags():
    """The lead's <div><b> is never closed: the article sits inside the lead's element."""
    assert record(html("unclosed-tags.html")) == {**REFERENCE, "tags": []}


def test_unclosed_title_swallowing_the_page():
    assert record(html("unclosed-title.html")) == {**NOTHING, "title": TITLE}


def nested(depth: int) -> str:
    return (f"<html><body><h1>{TITLE}</h1><div class='time'>17:12, 05/03/2021</div>"
            + "<div><font>" * depth + f"<p>{P1}</p><p>{P2}</p>" + "</body></html>")


@pytest.mark.parametrize("depth", [300, 1000])
def test_deeply_nested_markup(depth):
    """Hundreds of unclosed <div><font> nest the text deeper than Python's recursion limit."""
    got = record(nested(depth))
    assert (got["title"], got["published"], got["body"]) == (TITLE, "2021-03-05T17:12:00+07:00", f"{P1}\n\n{P2}")


def test_the_parser_stops_at_2048_open_elements():
    """What libxml2 does, huge_tree or not: a fatal "Excessive depth" error at 2,048 open elements, and
    nothing after it is parsed. `dom.parse` reads that error from the parser's log."""
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    root = etree.fromstring(nested(5000).encode(), parser=parser)
    assert P1 not in "".join(root.itertext()) and TITLE in "".join(root.itertext())
    assert [(e.type_name, e.level_name) for e in parser.error_log] == [("ERR_RESOURCE_LIMIT", "FATAL")]
    assert "Excessive depth in document: 2048" in parser.error_log[0].message


def piled(depth: int) -> str:
    """The text inside `depth` <div>s, each closed."""
    return (f"<html><body><h1>{TITLE}</h1><div class='time'>17:12, 05/03/2021</div>"
            + "<div>" * depth + f"<p>{P1}</p><p>{P2}</p>" + "</div>" * depth
            + "<div class='footer'>Báo Hà Giang - Cơ quan của Đảng bộ tỉnh Hà Giang</div></body></html>")


@pytest.mark.parametrize("depth", [3000, 5000, 100_000])
@pytest.mark.parametrize("page", [nested, piled])
def test_markup_nested_beyond_the_parsers_limit(page, depth):
    """libxml2 stops at 2,048 open elements; the page is read again with its piles of tags cut short.
    (How long it takes is not asserted, on a machine of unknown load: a reading gone quadratic in the
    depth would show as this test taking minutes.)"""
    got = record(page(depth))
    assert (got["title"], got["published"], got["body"], got["lead"]) == (
        TITLE, "2021-03-05T17:12:00+07:00", f"{P1}\n\n{P2}", None)


@pytest.mark.parametrize(("page", "flat"), [
    ("<div><font>" * 3 + "<p>x</p>", "<div><font><p>x</p>"),
    ("<div>" * 5 + "x" + "</div>" * 5 + "<div class=f>y</div>", "<div><div>x</div></div><div class=f>y</div>"),
    # Whitespace continues a pile; text, other tags, comments and scripts end it.
    ("<div>\n <div> <div>x", "<div>\n <div> x"),
    ("<div><div>a<div><div>b<div><p><div><div>c", "<div><div>a<div><div>b<div><p><div><div>c"),
    ("<div><div><!-- --><div><div><script>'<div><div><div>'</script>x",
     "<div><div><!-- --><div><div><script>'<div><div><div>'</script>x"),
    # <br>, <body>, <img>, <ul> are no wrappers; the end tags owed are cut from the next pile of them.
    ("<b><b><b><br><body><img><ul><ul><ul>x</ul></b> </b> </b>", "<b><b><br><body><img><ul><ul><ul>x</ul> </b> </b>"),
    # The first end tags close the innermost elements: those cut.
    ("<span>" * 4 + "x</span>y" + "</span>" * 3, "<span><span>xy</span></span>"),
])
def test_flatten_deep_cuts_piles_of_wrapper_tags(page, flat):
    assert flatten_deep(page, pile=2) == flat


def test_flatten_deep_leaves_a_sound_page_as_it_is():
    page = html("reference.html")
    assert flatten_deep(page) is page and flatten_deep(html("unclosed-tags.html")) == html("unclosed-tags.html")


@pytest.mark.parametrize("closed", [True, False])
def test_the_reference_article_inside_5000_divs(closed):
    """The whole record, structure after the pile included: tags, byline and picture."""
    page = html("reference.html").replace('<div class="article-content">',
                                          '<div class="article-content">' + "<div>" * 5000)
    if closed:
        end = '<p style="text-align: right;">THU PHƯƠNG</p>\n'
        page = page.replace(end + "</div>", end + "</div>" * 5001)
    assert record(page) == REFERENCE


def test_malformed_json_ld():
    assert record(html("malformed-jsonld.html")) == REFERENCE


def test_json_ld_nested_beyond_the_recursion_limit():
    nested = '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>"
    assert record(html("reference.html").replace("</head>", nested + "</head>")) == REFERENCE


def test_giant_json_ld_block():
    """5 MB of JSON-LD (an articleBody of the whole archive, say) is skipped, not parsed."""
    blob = json.dumps({"@type": "NewsArticle", "headline": "Tiêu đề khác", "datePublished": "2021-03-20T08:00:00+07:00",
                       "articleBody": "Chữ " * 1_300_000}, ensure_ascii=False)
    assert len(blob.encode()) > 5_000_000
    page = html("reference.html").replace("</head>", f'<script type="application/ld+json">{blob}</script></head>')
    assert record(page) == REFERENCE


# ---- size --------------------------------------------------------------------------------------------


def test_ten_megabyte_page_of_inline_data_in_bounded_memory():
    """10 MB of inline script, style, base64 picture and comment around the article."""
    base64 = "/9j/4AAQSkZJRgABAQEASABIAAD" * 150_000
    page = html("reference.html").replace(
        "</head>", f"<style>.x{{{'color:red;' * 250_000}}}</style><script>window.__STATE__ = \"{'a' * 3_500_000}\";"
                   f"</script></head>").replace(
        '<div class="article-content">',
        f'<!-- {"cache " * 150_000} --><div class="article-content"><img src="data:image/jpeg;base64,{base64}">')
    assert len(page.encode()) > 10_000_000
    tracemalloc.start()
    try:
        got = record(page)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got == REFERENCE
    assert peak < 200 * 2**20


_BIG_PAGE = """
import json, resource, sys, time
root, para, title, url, count = sys.argv[1:6]
sys.path.insert(0, root)
from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.pages.dom import flatten_deep
page = ("<html><head><title>" + title + " - Báo Hà Giang</title></head><body><h1>" + title + "</h1>"
        "<div class='time'>17:12, 05/03/2021</div><div class='content'>"
        + ("<p>" + para + "</p>\\n") * int(count) + "</div></body></html>")
start = time.perf_counter()
record = ArticlePage(url, page).to_record()
print(json.dumps({"bytes": len(page.encode()), "seconds": time.perf_counter() - start,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "title": record["title"], "published": record["published"],
                  "paragraphs": record["body"].split("\\n\\n")}, ensure_ascii=False))
"""


def test_ten_megabyte_article_body_in_bounded_memory():
    """55,000 paragraphs, all kept, in a process whose peak RSS (lxml's C memory included) stays
    bounded. (Memory grows with the number of elements, ~1-2 KB each: 10 MB of <br> alone
    reaches ~750 MB, which only a download size limit can stop.)"""
    count = 10_000_000 // len(f"<p>{P1}</p>\n".encode()) + 1
    proc = subprocess.run([sys.executable, "-c", _BIG_PAGE, str(ROOT), P1, TITLE, URL, str(count)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["bytes"] > 10_000_000
    assert (out["title"], out["published"]) == (TITLE, "2021-03-05T17:12:00+07:00")
    assert len(out["paragraphs"]) == count and set(out["paragraphs"]) == {P1}
    assert out["rss_mb"] < 400, {k: v for k, v in out.items() if k != "paragraphs"}


# ---- text encodings ------------------------------------------------------------------------------


def decoded(resp: HtmlResponse) -> HtmlResponse:
    """The response as the page-integrity middleware reads it: with the codec `best_decoding` chose."""
    codec = best_decoding(resp.body, resp.encoding)
    assert codec is not None, "undecodable"
    return resp.replace(encoding=codec)


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=windows-1258"])
def test_windows_1258(content_type):
    """The legacy Vietnamese code page writes tones as combining marks; the record is NFC."""
    raw = (BAD / "windows-1258.html").read_bytes()
    assert "Họp".encode() not in raw and b"Ho\xf2p" in raw  # o + combining dot below
    resp = response("windows-1258.html", content_type)
    assert resp.encoding == "cp1258"
    assert best_decoding(resp.body, resp.encoding) == "cp1258"
    got = ArticlePage(URL, resp.selector).to_record()
    assert got == REFERENCE
    assert all(unicodedata.is_normalized("NFC", s) for s in strings(got))
    assert not misdeclared_utf8(resp.body, resp.encoding)


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/html; charset=iso-8859-1"])
def test_windows_1258_declared_otherwise(content_type):
    """The server's header overrides the page's own <meta>: as declared, the text is mojibake."""
    resp = response("windows-1258.html", content_type)
    assert resp.encoding in ("utf-8", "cp1252")
    assert ArticlePage(URL, resp.selector).to_record()["title"] == {
        "utf-8": "Ho\ufffdp Ti\ufffd\ufffdu ban th\ufffdng tin, tuy\ufffdn truy\ufffd\ufffdn v\ufffd v\ufffd\ufffdn "
                 "\ufffd\ufffd\ufffdng b\ufffd\ufffdu c\ufffd\ufffd",
        "cp1252": "Hoòp TiêÒu ban thông tin, tuyên truyêÌn và vâòn ðôòng bâÌu cýÒ"}[resp.encoding]
    assert best_decoding(resp.body, resp.encoding) == "cp1258"
    assert ArticlePage(URL, decoded(resp).selector).to_record() == REFERENCE


@pytest.mark.parametrize(("name", "codec"), [
    ("reference.html", "utf-8"), ("nfd.html", "utf-8"), ("invisible-spaces.html", "utf-8"),
    ("malformed-jsonld.html", "utf-8"), ("unclosed-tags.html", "utf-8"), ("windows-1258.html", "cp1258"),
    ("mislabelled-latin1.html", "utf-8"), ("binary.html", None),
])
@pytest.mark.parametrize("declared", ["utf-8", "cp1252", "iso-8859-1", "cp1258"])
def test_best_decoding_of_every_bad_page(name, codec, declared):
    """Whatever the declaration, the bytes tell: the Vietnamese code page, UTF-8, or nothing valid."""
    assert best_decoding((BAD / name).read_bytes(), declared) == codec


def test_a_page_in_latin1_declared_utf8_is_undecodable():
    """The reference page written in cp1252 (its Vietnamese letters lost to `?`) under UTF-8: no
    reading gives Vietnamese, so the page is marked rather than emitted as `H?p Ti?u ban`."""
    raw = html("reference.html").encode("cp1252", "replace")
    assert b"H?p Ti?u ban" in raw
    resp = HtmlResponse(URL, body=raw, headers={"Content-Type": "text/html; charset=utf-8"})
    assert best_decoding(resp.body, resp.encoding) is None
    assert best_decoding(raw, "iso-8859-1") == "cp1252"  # declared so, the bytes are what was sent


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=iso-8859-1"])
def test_utf8_page_declared_latin1(content_type):
    resp = response("mislabelled-latin1.html", content_type)
    assert resp.encoding == "cp1252"  # what the declaration says (browsers read ISO-8859-1 so)
    as_declared = ArticlePage(URL, resp.selector).to_record()
    assert as_declared["title"].startswith("Há»") and as_declared["title"] != TITLE  # mojibake
    assert misdeclared_utf8(resp.body, resp.encoding)
    assert best_decoding(resp.body, resp.encoding) == "utf-8"
    assert ArticlePage(URL, resp.replace(encoding="utf-8").selector).to_record() == REFERENCE
    assert ArticlePage(URL, decoded(resp).selector).to_record() == REFERENCE


def test_misdeclared_utf8_only_for_utf8_bytes_declared_otherwise():
    utf8 = TITLE.encode("utf-8")
    assert misdeclared_utf8(utf8, "cp1252") and misdeclared_utf8(utf8, "windows-1258") and misdeclared_utf8(utf8, None)
    assert not misdeclared_utf8(utf8, "utf-8") and not misdeclared_utf8(utf8, "UTF8")
    assert not misdeclared_utf8(b"", "cp1252") and not misdeclared_utf8(b"<html>ascii only</html>", "cp1252")
    assert not misdeclared_utf8(TITLE.encode("cp1258", "ignore"), "cp1258")
    assert not misdeclared_utf8((BAD / "binary.html").read_bytes(), "cp1252")


def test_decomposed_vietnamese():
    page = html("nfd.html")
    assert "Họp" not in page and unicodedata.normalize("NFC", page) == html("reference.html")
    got = record(page)
    assert got == REFERENCE
    assert all(unicodedata.is_normalized("NFC", s) for s in strings(got))


@pytest.mark.parametrize("url", sorted(site_pages()))
def test_every_fixture_article_decomposed_gives_the_same_record(url):
    page = site_pages()[url].read_text("utf-8")
    assert record(unicodedata.normalize("NFD", page), url) == record(page, url)


def test_control_characters_in_the_title_and_a_raw_picture_url():
    """ESC, BEL, DEL and C1 controls in <title>, og:title and the headline; a picture's src with a raw
    space and U+0001. Text loses the controls; every URL of the record is a safe one."""
    page = html("reference.html")
    dirty = "Họp\x1b Tiểu ban\x07 thông tin, tuyên truyền\x7f và vận\x9b động bầu cử\x01"
    page = page.replace(TITLE, dirty).replace(IMG, "/file/300a06f2 d0d0\u00018764/hop tieu ban.jpg")
    assert page.count(dirty) == 4 and "\x1b" in page
    got = record(page)
    assert got == {**REFERENCE, "images": [{**REFERENCE["images"][0],
                                            "url": "https://baohagiang.vn/file/300a06f2%20d0d08764/hop%20tieu%20ban.jpg"}]}


def test_the_caption_loses_its_credit_and_stays_out_of_the_body_printed_again():
    """A caption ending with its photo credit, and the same line printed again under the picture."""
    caption = "Đồng chí Vũ Mạnh Hà phát biểu kết luận buổi họp"
    printed = f"{caption} (Ảnh: Nguyễn Hùng)"
    page = html("reference.html").replace(f"<figcaption>{caption}</figcaption></figure>",
                                          f"<figcaption>{printed}</figcaption></figure>\n<p>{printed}</p>")
    assert page.count(printed) == 2
    assert record(page) == {**REFERENCE, "images": [{**REFERENCE["images"][0], "credit": "Nguyễn Hùng"}]}


def test_every_url_of_every_record_is_safe():
    for url, file in site_pages().items():
        got = record(file.read_text("utf-8"), url)
        urls = [got["url"], *(i["url"] for i in got["images"]), *(r["url"] for r in got["related"])]
        assert [u for u in urls if safe_url_string(u) != u] == [], url


def test_invisible_and_non_breaking_spaces_in_the_title():
    page = html("invisible-spaces.html")
    assert all(c in page for c in "\u200b\u200c\u200d\u2060\ufeff\u00a0\u202f\u00ad\u200e")
    assert record(page) == REFERENCE


# ---- missing or implausible metadata -------------------------------------------------------------------


def test_page_without_a_headline():
    assert record(html("no-headline.html")) == {
        **NOTHING, "published": "2021-03-05T17:12:00+07:00", "published_precision": "minute",
        "body": f"{P1}\n\n{P2}", "byline": "THU PHƯƠNG", "authors": ["Thu Phương"],
        "credits": [{"name": "Thu Phương", "roles": ["text"]}]}


@pytest.mark.parametrize("name", ["future-date.html", "pre-1990.html"])
def test_implausible_dates_fall_back_to_the_url_month(name):
    got = record(html(name))
    assert (got["published"], got["published_precision"]) == ("2021-03-01T00:00:00+07:00", "month")
    # The lead's "Chiều 5.3," still dates the event within that month.
    assert got == {**REFERENCE, "published": "2021-03-01T00:00:00+07:00", "published_precision": "month"}


def test_implausible_dates_are_refused_without_a_url_month():
    """Nothing the site printed predates 1990: with no yyyymm in the URL to fall back on, the page
    has no publication time rather than 1989's JSON-LD date or the meta tag's year 1."""
    got = record(html("pre-1990.html"), url="https://baohagiang.vn/thoi-su-chinh-tri/hop-tieu-ban-785431")
    assert (got["title"], got["published"], got["modified"]) == (TITLE, None, None)


# ---- listings -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), [
    ("https://baohagiang.vn/kinh-te", "https://baohagiang.vn/kinh-te/trang-3.html"),
    ("https://baohagiang.vn/kinh-te?page=2", "https://baohagiang.vn/kinh-te/trang-3.html"),
    ("https://baohagiang.vn/kinh-te?page=3", "https://baohagiang.vn/kinh-te?page=4"),
    ("https://baohagiang.vn/kinh-te/trang-3.html", "https://baohagiang.vn/kinh-te?page=4"),
    ("https://baohagiang.vn/kinh-te?page=3&utm_source=trap", "https://baohagiang.vn/kinh-te?page=4"),
    ("https://baohagiang.vn/kinh-te?page=4", None),
    ("https://baohagiang.vn/kinh-te?page=9", None),
])
def test_pagination_trap_never_goes_back_or_stays(url, expected):
    """The same page served at every URL: its next links point at itself, at ?page=1, at page 3
    in two other forms. Following next_page from anywhere must always move forward."""
    from bhgcrawl.pages.listing import page_number

    page = ListingPage(url, html("pagination-trap.html"))
    assert page.next_page == expected
    if expected:
        assert page_number(expected) > page_number(url)
    assert len(page.articles) == 2


def test_following_a_pagination_trap_ends():
    page_html, url, seen = html("pagination-trap.html"), "https://baohagiang.vn/kinh-te", []
    while url and len(seen) < 10:
        seen.append(url)
        url = ListingPage(url, page_html).next_page
    assert url is None and len(seen) == len(set(seen)) == 3


HOSTILE = ["../../etc/passwd", "file:///etc/passwd", "javascript:alert(document.cookie)", "JaVaScRiPt:void(0)",
           "http://127.0.0.1:22/", "http://localhost:8000/admin", "http://baohagiang.vn.evil.com/x/202101/a-123456",
           "//evil.com/kinh-te/202101/a-123456", "http://baohagiang.vn@evil.com/kinh-te/202101/a-123457",
           "https://evil.com/?u=https://baohagiang.vn/kinh-te/202101/a-123458", "ftp://baohagiang.vn/kinh-te/202101/a-123460",
           "data:text/html,<a href=/kinh-te/202101/a-123459>x</a>", "/kinh-te/%2e%2e/%2e%2e/etc/shadow"]


def test_the_fixture_holds_every_hostile_link():
    hrefs = set(re.findall(r'href="([^"]*)"', html("hostile-links.html")))
    assert set(HOSTILE) <= hrefs


@pytest.mark.parametrize("href", HOSTILE)
def test_hostile_link_is_no_article(href):
    assert parse_article_url(href) is None
    url = absolute("https://baohagiang.vn/kinh-te/trang-2.html", href)
    assert url is None or parse_article_url(url) is None


@pytest.mark.parametrize("href", [h for h in HOSTILE if not h.startswith(("../", "/"))])
def test_hostile_link_to_elsewhere_is_not_crawlable(href):
    url = absolute("https://baohagiang.vn/kinh-te/trang-2.html", href)
    assert url is None or not is_crawlable(url)
    assert not is_crawlable(href)


def test_hostile_links_in_a_listing():
    page = ListingPage("https://baohagiang.vn/kinh-te", html("hostile-links.html"))
    assert [a.url for a in page.articles] == [
        "https://baohagiang.vn/kinh-te/202401/phien-cho-hang-viet-ve-xa-tung-vai-5c2d8b7"]
    # The menu's `../../etc/passwd` resolves onto the site (/etc/passwd) but names no section.
    assert page.categories == ["https://baohagiang.vn/kinh-te"]
    assert page.next_page == "https://baohagiang.vn/kinh-te/trang-2.html"  # `../../kinh-te/trang-2.html`


@pytest.mark.parametrize("url", ["https://baohagiang.vn/kinh-te/../../etc/passwd",
                                 "https://baohagiang.vn/kinh-te/%2e%2e/%2e%2e/etc/shadow",
                                 "https://baohagiang.vn/kinh-te/%2E%2E/x"])
def test_dot_segments_are_not_crawlable(url):
    assert not is_crawlable(url)
