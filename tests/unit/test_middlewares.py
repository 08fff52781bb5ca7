"""The downloader middlewares, one by one: page integrity, confinement to the site's hosts."""

import time

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response

from bhgcrawl.middlewares.page_integrity import PageIntegrityMiddleware
from bhgcrawl.middlewares.site_only import SiteOnlyMiddleware
from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.spiders.bhg import BhgSpider
from tests.helpers import FIXTURES, crawler_with_run


def test_cut_or_empty_pages_are_retried_and_wrong_types_and_charsets_mended():
    crawler = crawler_with_run(BhgSpider)
    mw = PageIntegrityMiddleware(crawler)
    request = Request("http://127.0.0.1:1/xa-hoi/202112/a-785426", meta={"site_url": "https://baohagiang.vn/x"})
    whole = "<!DOCTYPE html><html><body><p>Đủ cả trang</p></body></html>".encode()
    cut = whole[: len(whole) // 2]
    assert mw.process_response(request, HtmlResponse(request.url, body=whole), None).body == whole
    # Cut off with nothing to vouch for its length: retried; a Content-Length vouches for it.
    retry = mw.process_response(request, HtmlResponse(request.url, body=cut), None)
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    vouched = HtmlResponse(request.url, body=cut, headers={"Content-Length": str(len(cut))})
    assert mw.process_response(request, vouched, None) is vouched
    # Out of retries: parsed after all, and marked so the spider lists it as a failure.
    exhausted = request.replace(meta={**request.meta, "retry_times": 3})
    assert mw.process_response(exhausted, HtmlResponse(request.url, body=cut), None).body == cut
    assert exhausted.meta["bhg_unterminated"] is True
    assert isinstance(mw.process_response(request, HtmlResponse(request.url, body=b" "), None), Request)
    with pytest.raises(IgnoreRequest, match="empty page after retries"):
        mw.process_response(exhausted, HtmlResponse(request.url, body=b""), None)
    # A page behind a BOM and a comment, served as octet-stream: HTML, decoded by its own <meta>.
    legacy = b"\xef\xbb\xbf<!-- cms -->" + whole
    sniffed = mw.process_response(request, Response(request.url, body=legacy,
                                                   headers={"Content-Type": "application/octet-stream"}), None)
    assert isinstance(sniffed, HtmlResponse) and "Đủ cả trang" in sniffed.text
    # UTF-8 bytes declared ISO-8859-1 are read as UTF-8.
    latin = HtmlResponse(request.url, body=whole, headers={"Content-Type": "text/html; charset=iso-8859-1"})
    assert "Đủ cả trang" in mw.process_response(request, latin, None).text
    assert crawler.stats.get_value("bhg/faults/unterminated") == 2
    assert crawler.stats.get_value("bhg/faults/misdeclared_charset") == 1
    assert crawler.stats.get_value("bhg/faults/wrong_type") == 1


def test_windows_1258_declared_utf8_is_read_as_windows_1258_and_what_nothing_reads_is_marked():
    crawler = crawler_with_run(BhgSpider)
    mw = PageIntegrityMiddleware(crawler)
    url = "https://baohagiang.vn/thoi-su-chinh-tri/202103/hop-tieu-ban-thong-tin-tuyen-truyen-va-van-dong-bau-cu-785431"
    request = Request("http://127.0.0.1:1/x", meta={"site_url": url})
    utf8 = {"Content-Type": "text/html; charset=utf-8"}
    legacy = (FIXTURES / "bad" / "windows-1258.html").read_bytes()
    mended = mw.process_response(request, HtmlResponse(request.url, body=legacy, headers=utf8), None)
    assert mended.encoding == "cp1258" and "bhg_undecodable" not in request.meta
    title = ArticlePage(url, mended.text).to_record()["title"]
    assert title == "Họp Tiểu ban thông tin, tuyên truyền và vận động bầu cử"
    # Vietnamese written in cp1252 (its letters lost to `?`) under UTF-8: passed on as declared, marked.
    lossy = (FIXTURES / "bad" / "reference.html").read_text("utf-8").encode("cp1252", "replace")
    sent = HtmlResponse(request.url, body=lossy, headers=utf8)
    assert mw.process_response(request, sent, None) is sent
    assert request.meta["bhg_undecodable"] is True
    # A page that reads right as declared is left alone.
    fine = Request("http://127.0.0.1:1/y", meta={"site_url": url})
    page = HtmlResponse(fine.url, body=(FIXTURES / "bad" / "reference.html").read_bytes(), headers=utf8)
    assert mw.process_response(fine, page, None) is page and "bhg_undecodable" not in fine.meta
    assert crawler.stats.get_value("bhg/faults/misdeclared_charset") == 1
    assert crawler.stats.get_value("bhg/faults/undecodable") == 1


@pytest.mark.parametrize("url", [
    "https://evil.example/xa-hoi/202112/a-785426", "http://baohagiang.vn.evil.com/x", "ftp://baohagiang.vn/x",
    "http://127.0.0.1:22/", "file:///etc/passwd",
])
def test_only_the_sites_hosts_are_ever_requested(url):
    crawler = crawler_with_run(BhgSpider, BHG_BASE_URL="http://127.0.0.1:8123")
    mw = SiteOnlyMiddleware(crawler)
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request(url), None)


def test_redirect_to_the_successor_reaches_the_mirror_with_its_host():
    crawler = crawler_with_run(BhgSpider, BHG_BASE_URL="http://127.0.0.1:8123")
    mw = SiteOnlyMiddleware(crawler)
    mapped = mw.process_request(Request("https://baotuyenquang.com.vn/xa-hoi/202112/a-785426"), None)
    assert mapped.url == "http://127.0.0.1:8123/xa-hoi/202112/a-785426"
    assert mapped.headers["Host"] == b"baotuyenquang.com.vn"
    assert mw.process_request(mapped, None) is None
    live = SiteOnlyMiddleware(crawler_with_run(BhgSpider))
    assert live.process_request(Request("https://www.baohagiang.vn/kinh-te"), None) is None


def test_retry_after_in_seconds_or_as_an_http_date():
    """RFC 9110's two forms of Retry-After. Catches the date form unread (a server's asked-for pause
    skipped), a passed date read as a negative pause, and garbage read as a pause."""
    from email.utils import formatdate

    from bhgcrawl.middlewares.server_faults import retry_after

    assert retry_after("120") == 120.0 and retry_after(" 7 ") == 7.0 and retry_after("0") == 0.0
    ahead = retry_after(formatdate(time.time() + 30, usegmt=True))
    assert 28 <= ahead <= 30
    assert retry_after(formatdate(time.time() + 30, localtime=True)) == pytest.approx(ahead, abs=1.5)
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert [retry_after(v) for v in ("", "soon", "-5", "1.5", "Wed, 99 Foo 2015")] == [None] * 5


@pytest.mark.parametrize("value", ["²", "١٢", "٣", "１２", "-1", "+5", "1e9", "1_000", "0x10", "", "   ", "12 s",
                                   "Wed, 21 Oct 99999 07:28:00 GMT"])
def test_odd_retry_after_values_are_no_pause(value):
    """Only ASCII digits are delay-seconds (RFC 9110). Catches a `str.isdigit()` check: it takes the
    superscript "²" (then float() raises and the answer is lost to a ValueError instead of retried)
    and the Arabic-Indic "١٢" or full-width "１２" (then read as a 12 s pause the server never asked for)."""
    from bhgcrawl.middlewares.server_faults import retry_after

    assert retry_after(value) is None


def test_a_huge_retry_after_is_read_and_left_to_the_cap():
    """A pause longer than any cap is still a pause (the middleware caps it at BHG_MAX_RETRY_AFTER),
    not an error; a date long past is no pause."""
    from bhgcrawl.middlewares.server_faults import retry_after

    assert retry_after("99999999999999999999") == 1e20
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
