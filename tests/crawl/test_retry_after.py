"""Retry-After, observed from the server's side: a crawl asked to wait waits, as long as it was asked
up to BHG_MAX_RETRY_AFTER, and then gets the page.

The test's own server (the replay server over a small site, with a handler that answers the first
request of two article pages with a pause) records when each request arrived; the gap between the
refused request and its retry is what the crawl waited.
"""

import math
import threading
import time
from email.utils import formatdate

import pytest

from devtools.replay import ReplayHandler, ReplayServer
from tests.helpers import article_html, run_crawl, write_site

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess

CAP = 3  # BHG_MAX_RETRY_AFTER of the crawl
SECONDS = "/xa-hoi/202401/hoi-nghi-tong-ket-cong-tac-nam-2023-1a1a1a1"  # 429 Retry-After: 120
DATE = "/xa-hoi/202401/ra-quan-trong-cay-dau-xuan-2b2b2b2"  # 503 Retry-After: <an HTTP date 1-2 s ahead>


class PausingHandler(ReplayHandler):
    """The first request of each page in `server.pauses` is refused with its status and Retry-After."""

    def do_GET(self):
        server = self.server
        path = self.path.split("?")[0]
        with server.arrivals_lock:
            server.arrivals.setdefault(path, []).append(time.monotonic())
            first = len(server.arrivals[path]) == 1
        if first and path in server.pauses:
            status, retry_after = server.pauses[path]
            body = b"<html><body>Too busy</body></html>"
            self.send_response(status)
            self.send_header("Retry-After", retry_after())
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def two_seconds_ahead() -> str:
    """An HTTP date (whole seconds) between 1 and 2 seconds from now."""
    return formatdate(math.floor(time.time()) + 2, usegmt=True)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("retry_after")
    items = "".join(f"<h3><a href='{p}'>Bài {i}</a></h3><span>08:00, 2{i}/01/2024</span>"
                    for i, p in enumerate((SECONDS, DATE), 1))
    site = write_site(tmp / "site", {
        "xa-hoi/index.html": f"<html><body><h1>Xã hội</h1>{items}</body></html>",
        SECONDS.lstrip("/") + ".html": article_html("Hội nghị tổng kết công tác năm 2023", "08:00, 21/01/2024"),
        DATE.lstrip("/") + ".html": article_html("Ra quân trồng cây đầu xuân", "08:00, 22/01/2024"),
    })
    server = ReplayServer(site)
    server.RequestHandlerClass = PausingHandler
    server.arrivals, server.arrivals_lock = {}, threading.Lock()
    server.pauses = {SECONDS: (429, lambda: "120"), DATE: (503, two_seconds_ahead)}
    with server:
        # A crawl that waited the full 120 s would outlive this timeout: the test fails, not hangs.
        result = run_crawl(server.base_url, tmp, "-a", "category=xa-hoi", "-s", f"BHG_MAX_RETRY_AFTER={CAP}",
                           timeout=30)
    result.arrivals = server.arrivals
    return result


def gap(crawl, path) -> float:
    first, second = crawl.arrivals[path]  # refused once, then fetched: two requests, no more
    return second - first


def test_a_pause_longer_than_the_cap_is_cut_to_the_cap(crawl):
    """429 with `Retry-After: 120`: the retry comes about BHG_MAX_RETRY_AFTER (3 s) later, and the
    page is got. Catches the cap ignored (a 120 s wait), the pause not taken (an immediate retry),
    and 429 not retried."""
    assert CAP - 0.1 <= gap(crawl, SECONDS) < CAP + 4
    assert "https://baohagiang.vn" + SECONDS in crawl.by_url()
    assert crawl.stats["bhg/faults/http_429"] == 1


def test_a_pause_given_as_an_http_date_is_waited_until_that_date(crawl):
    """503 with `Retry-After: <HTTP date 1-2 s ahead>` (RFC 9110 allows either form): the retry comes
    when asked, not at once and not after the cap. Catches the date form ignored (an immediate retry)
    and a date read as "the longest pause" (the cap)."""
    assert 0.9 <= gap(crawl, DATE) < CAP - 0.3
    assert "https://baohagiang.vn" + DATE in crawl.by_url()
    assert crawl.stats["bhg/faults/http_503"] == 1
