"""Confinement: only the site's hosts are ever requested, through `BHG_BASE_URL` when it is set."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from bhgcrawl.run import Run
from bhgcrawl.urls import site_host


class SiteOnlyMiddleware:
    """Every request goes to one of the site's hosts (or the successor's, for redirects), fetched
    from `BHG_BASE_URL` when it is set; anything else is refused and counted.

    The spider maps the URLs it schedules itself; this catches the ones Scrapy makes on its own,
    redirects above all (a 301 from baohagiang.vn to baotuyenquang.com.vn must reach the mirror,
    not the internet), and any link that should never have been followed.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.urlmap = Run.of(crawler).urlmap
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
