"""Confinement: only the site's hosts are ever requested, through `BHG_BASE_URL` when it is set; and on a
run from a web archive, that archive's configured URLs."""

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
        run = Run.of(crawler)
        self.urlmap = run.urlmap
        self.base_netloc = urlsplit(self.urlmap.base).netloc if self.urlmap.base else None
        settings = crawler.settings
        urls = {"wayback": (settings.get("BHG_WAYBACK_URL"),),
                "commoncrawl": (settings.get("BHG_CC_INDEX_URL"), settings.get("BHG_CC_DATA_URL"))}
        # (scheme, host and port) of the archive this run reads: nothing else of the internet.
        self.archive = {_origin(url) for url in urls.get(run.args.archive, ()) if url}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        if self.base_netloc and parts.netloc == self.base_netloc:
            return None
        if _origin(request.url) in self.archive:
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


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:  # a port that is no number
        return ("", "", None)
    return parts.scheme, (parts.hostname or "").lower(), port
