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


# ---- web archive runs: confinement, the archives' slots, 429s and 503s ------------------------------

def archive_crawler(source: str, **settings):
    """A crawler whose spider reads `source`, built as `scrapy crawl bhg -a source=…` builds it."""
    from scrapy.utils.test import get_crawler

    from tests.helpers import project_settings

    crawler = get_crawler(BhgSpider, project_settings(**settings))
    crawler.spider = BhgSpider.from_crawler(crawler, source=source)
    return crawler


ARCHIVES = {"BHG_WAYBACK_URL": "http://127.0.0.1:8701", "BHG_CC_INDEX_URL": "http://127.0.0.1:8702/",
            "BHG_CC_DATA_URL": "https://data.example:8443"}


@pytest.mark.parametrize("source,allowed", [
    ("wayback", ["http://127.0.0.1:8701/cdx/search/cdx?url=baohagiang.vn",
                 "http://127.0.0.1:8701/web/20150101000000id_/http://www.baohagiang.vn/x"]),
    ("commoncrawl", ["http://127.0.0.1:8702/collinfo.json", "http://127.0.0.1:8702/CC-MAIN-2024-10-index?url=x",
                     "https://data.example:8443/crawl-data/CC-MAIN-2024-10/x.warc.gz"]),
])
def test_an_archive_run_may_ask_its_archive_and_nothing_else(source, allowed):
    """Catches the archive refused (nothing could be read), an archive URL mapped to BHG_BASE_URL as if it
    were the site's, and confinement opened to more than the configured origins: another port, another
    scheme, the other archive, or an archive on a live run."""
    crawler = archive_crawler(source, BHG_BASE_URL="http://127.0.0.1:8123", **ARCHIVES)
    mw = SiteOnlyMiddleware(crawler)
    for url in allowed:
        assert mw.process_request(Request(url), None) is None, url
    other = [u for s, urls in (("wayback", ["http://127.0.0.1:8701/cdx"]),
                               ("commoncrawl", ["http://127.0.0.1:8702/collinfo.json"])) if s != source for u in urls]
    for url in other + ["http://127.0.0.1:8703/cdx", "https://127.0.0.1:8701/cdx", "https://web.archive.org/cdx",
                        "http://data.example:8443/x", "http://127.0.0.1:22/"]:
        with pytest.raises(IgnoreRequest):
            mw.process_request(Request(url), None)
    live = SiteOnlyMiddleware(crawler_with_run(BhgSpider, BHG_BASE_URL="http://127.0.0.1:8123", **ARCHIVES))
    with pytest.raises(IgnoreRequest):
        live.process_request(Request(allowed[0]), None)


def test_each_archive_has_a_download_slot_of_one_request_at_its_rate():
    """Scrapy's DOWNLOAD_SLOTS (concurrency, delay, jitter per slot; Scrapy 2.19's Downloader reads it when it
    makes a slot): the spider writes one per archive from BHG_WAYBACK_RATE and BHG_CC_RATE, unless the user
    gave that slot. Catches a random jitter (a delay of 0.5–1.5× breaks the rate), a second concurrent
    request, and the user's own DOWNLOAD_SLOTS overwritten."""
    from scrapy.core.downloader import Downloader

    crawler = archive_crawler("wayback", BHG_WAYBACK_RATE=24, BHG_CC_RATE=30,
                              DOWNLOAD_SLOTS={"commoncrawl": {"concurrency": 1, "delay": 9}})
    slots = crawler.settings.getdict("DOWNLOAD_SLOTS")
    assert slots == {"wayback": {"concurrency": 1, "delay": 2.5, "jitter": 0},
                     "commoncrawl": {"concurrency": 1, "delay": 9}}
    downloader = Downloader(crawler)
    downloader._start_slot_gc = lambda: None  # a looping call, which needs a running reactor
    try:
        key, slot = downloader._get_slot(Request("http://127.0.0.1:1/x", meta={"download_slot": "wayback"}))
        assert (key, slot.concurrency, slot.delay, slot.jitter, slot.download_delay()) == ("wayback", 1, 2.5, 0, 2.5)
    finally:
        downloader.close()


class _Engine:
    """What the pace middleware and `Run.fail` see of the engine: the downloader's slots, no open spider."""

    def __init__(self, slots):
        from types import SimpleNamespace

        self.downloader = SimpleNamespace(slots=slots)
        self.spider = None


def test_a_429_or_503_holds_the_archives_slot_and_repeated_429s_end_the_run():
    """Catches the pause applied to the refused request alone (the queued ones go on at the usual pace), a
    Retry-After ignored or not capped, a 503 without Retry-After not slowing the archive down, and a client
    that goes on after three 429s in a row (exit 4, and nothing more is sent)."""
    from time import monotonic

    from scrapy.core.downloader import Slot

    from bhgcrawl.middlewares.archive_pace import ArchivePaceMiddleware
    from bhgcrawl.run import Run

    crawler = archive_crawler("commoncrawl", BHG_MAX_RETRY_AFTER=10, BHG_ARCHIVE_MAX_429=3)
    slot = Slot(1, 0.5, 0)
    crawler.engine = _Engine({"commoncrawl": slot})
    mw = ArchivePaceMiddleware(crawler)
    request = Request("http://127.0.0.1:1/x", meta={"bhg_archive": "commoncrawl", "download_slot": "commoncrawl"})

    def answer(status, **headers):
        mw.response_downloaded(Response(request.url, status=status, headers=headers), request)
        return slot.lastseen + slot.delay - monotonic()  # how long until the slot sends again

    assert answer(200) < 0.5
    assert 1.9 < answer(429, **{"Retry-After": "2"}) <= 2.0 and slot.delay == 0.5
    assert 9.9 < answer(503, **{"Retry-After": "3600"}) <= 10  # capped by BHG_MAX_RETRY_AFTER
    slot.lastseen = 0
    assert 0.9 < answer(503) <= 1.0 and slot.delay == 1.0  # no Retry-After: twice the delay, for good
    assert mw.process_request(request) is None and Run.of(crawler).failure is None
    slot.lastseen = 0
    answer(429, **{"Retry-After": "0"})
    answer(200)  # not in a row
    answer(429, **{"Retry-After": "0"})
    answer(429, **{"Retry-After": "0"})
    assert Run.of(crawler).failure is None
    answer(429, **{"Retry-After": "0"})
    code, line = Run.of(crawler).failure
    assert code == 4 and line.startswith("Common Crawl answered 429 (too many requests) 3 times in a row") \
        and "BHG_CC_RATE" in line
    with pytest.raises(IgnoreRequest):
        mw.process_request(request)
    assert mw.process_request(Request("http://127.0.0.1:1/y")) is None  # not the archive's
    assert crawler.stats.get_value("bhg/archive/throttled/http_429") == 5
    assert crawler.stats.get_value("bhg/archive/throttled/http_503") == 2
