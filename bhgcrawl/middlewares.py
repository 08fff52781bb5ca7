"""Downloader middlewares: confinement, skipping what is done, and the faults of a small server.

Order (lower runs first on the way out, last on the way back):
  40  SiteOnlyMiddleware     only the site's hosts, mapped to BHG_BASE_URL; redirects included
  50  SkipDoneMiddleware     an article the state already holds is not fetched again
  560 ServerFaultsMiddleware counts faults; waits what a 429/503's Retry-After asks before
                             Scrapy's RetryMiddleware (550) retries
  590 PageIntegrityMiddleware  an empty or cut-off page is retried; wrong types and charsets mended
"""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse

from bhgcrawl.text import misdeclared_utf8
from bhgcrawl.urls import BaseUrlMap, site_host


def _run_state(crawler):
    run = getattr(crawler, "_bhg_run", None)
    return run.state if run else None


class SiteOnlyMiddleware:
    """Every request goes to one of the site's hosts (or the successor's, for redirects), fetched
    from `BHG_BASE_URL` when it is set; anything else is refused and counted.

    The spider maps the URLs it schedules itself; this catches the ones Scrapy makes on its own,
    redirects above all (a 301 from baohagiang.vn to baotuyenquang.com.vn must reach the mirror,
    not the internet), and any link that should never have been followed.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.urlmap = BaseUrlMap(crawler.settings.get("BHG_BASE_URL") or "")
        self.base_netloc = urlsplit(self.urlmap.base).netloc if self.urlmap.base else None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        if self.base_netloc and parts.netloc == self.base_netloc:
            return None
        host = site_host(parts.hostname or "")
        if host is None or parts.scheme not in ("http", "https"):
            self.crawler.stats.inc_value("bhg/offsite_refused")
            raise IgnoreRequest(f"not a site URL: {request.url}")
        if not self.urlmap.base:
            return None
        url, headers = self.urlmap.fetch(request.url)
        mapped = request.replace(url=url)
        mapped.headers.pop("Host", None)
        for key, value in headers.items():
            mapped.headers[key] = value
        return mapped


class SkipDoneMiddleware:
    """Drops an article request whose article the state already holds.

    The spider never schedules a done article, but a queue restored from JOBDIR, or an article
    linked again while its first request waits, can still bring one here.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        meta = request.meta
        if not meta.get("article") or meta.get("refresh"):
            return None
        state = _run_state(self.crawler)
        if state is not None and state.is_done(meta.get("site_url", request.url)):
            self.crawler.stats.inc_value("bhg/skipped_done")
            raise IgnoreRequest(f"already done: {meta.get('site_url')}")
        return None


class ServerFaultsMiddleware:
    """Counts what went wrong on the wire (`bhg/faults/<class>`), retried or not, and honours
    `Retry-After` (seconds, capped by BHG_MAX_RETRY_AFTER) on 429 and 503 before Scrapy's
    RetryMiddleware retries: a server that asks for a pause gets one."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("BHG_MAX_RETRY_AFTER", 60)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_response(self, request, response, spider=None):
        if response.status == 429 or response.status >= 500:
            self.crawler.stats.inc_value(f"bhg/faults/http_{response.status}")
            value = response.headers.get("Retry-After", b"").decode("latin-1").strip()
            if response.status in (429, 503) and value.isdigit():
                await asyncio.sleep(min(float(value), self.cap))
        return response

    def process_exception(self, request, exception, spider=None):
        self.crawler.stats.inc_value(f"bhg/faults/{fault_class(exception)}")
        return None


def fault_class(exception) -> str:
    """A name for what broke a download: timeout, truncated, reset, or the exception's name."""
    name = type(exception).__name__
    text = f"{name} {exception!r}"
    if "Timeout" in name or "TimedOut" in name:
        return "timeout"
    if "DataLoss" in text or "PotentialDataLoss" in text:
        return "truncated"
    if any(x in text for x in ("ConnectionLost", "ConnectionDone", "ConnectionReset", "ConnectionAborted",
                               "ResponseNeverReceived", "ResponseFailed")):
        return "reset"
    return name


_END_OF_HTML = re.compile(rb"</(html|body)\s*>", re.I)
# What may stand before <html>: a BOM, an XML declaration, comments, whitespace.
_PROLOGUE = re.compile(rb"^(\xef\xbb\xbf|\s+|<\?xml[^>]*>|<!--.*?-->)*", re.S)


def looks_like_html(body: bytes) -> bool:
    head = _PROLOGUE.sub(b"", body[:4096], count=1)[:64].lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


class PageIntegrityMiddleware:
    """What reaches the spider is a whole HTML page, decoded right:

    - an empty page is retried;
    - a page that ends before `</html>` with no Content-Length to vouch for it (a connection dropped
      mid-body; a short body *with* a Content-Length is already a download error) is retried, and
      when retries run out it is parsed after all and listed as `unterminated` in the failures;
    - a complete page under a wrong Content-Type is read as the HTML it is (its own <meta> decides
      the charset);
    - a page declaring a legacy charset whose bytes are UTF-8 is decoded as UTF-8.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        if response.status != 200 or request.method != "GET" or not request.meta.get("site_url"):
            return response
        stats = self.crawler.stats
        body = response.body
        is_html = looks_like_html(body)
        if not body.strip():
            return self._retry(request, "empty")
        if is_html and not _END_OF_HTML.search(body[-4096:]) and not response.headers.get("Content-Length") \
                and not request.meta.get("bhg_accept_unterminated"):
            retry = get_retry_request(request, spider=self.crawler.spider, reason="unterminated page")
            stats.inc_value("bhg/faults/unterminated")
            if retry is not None:
                return retry
            request.meta["bhg_unterminated"] = True  # parsed after all; the spider lists it
        ctype = response.headers.get("Content-Type", b"").lower()
        if is_html and (not isinstance(response, TextResponse) or (ctype and b"html" not in ctype)):
            stats.inc_value("bhg/faults/wrong_type")
            headers = response.headers.to_unicode_dict()
            headers["Content-Type"] = "text/html"
            response = HtmlResponse(response.url, status=response.status, body=body, request=request,
                                    headers=headers)
        if isinstance(response, TextResponse) and misdeclared_utf8(body, response.encoding):
            stats.inc_value("bhg/faults/misdeclared_charset")
            response = response.replace(encoding="utf-8")
        return response

    def _retry(self, request, reason: str):
        self.crawler.stats.inc_value(f"bhg/faults/{reason}")
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"{reason} page")
        if retry is not None:
            return retry
        raise IgnoreRequest(f"{reason} page after retries: {request.meta.get('site_url')}")
