"""The `bhg` spider: decides what to fetch next. Extraction lives in `bhgcrawl.pages`.

home → categories (from the site's navigation, from article URLs, and the known list) →
every page of each category listing → article pages.
"""

from __future__ import annotations

import hashlib
import json
import traceback
from datetime import datetime, timezone
from pathlib import Path

import scrapy
from scrapy.http import TextResponse

from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.pages.listing import ListingPage
from bhgcrawl.urls import PRIMARY_HOST, BaseUrlMap, canonicalize, category_of, parse_article_url

# Sections seen on real pages (shared/site/NOTES.md); the navigation may not list them all.
KNOWN_CATEGORIES = (
    "thoi-su-chinh-tri", "kinh-te", "kinh-te/nong-lam-nghiep", "xa-hoi", "van-hoa", "media-bhg",
    "multimedia/truyen-hinh", "multimedia/emagazine", "ve-bao-ha-giang/thong-tin-toa-soan",
    "english/news", "english/Culture",
)
HOME = f"https://{PRIMARY_HOST}/"
REQUIRED = ("url", "title", "published")


class BhgSpider(scrapy.Spider):
    name = "bhg"

    def __init__(self, category: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.only = tuple(c.strip().strip("/") for c in (category or "").split(",") if c.strip())

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.urlmap = BaseUrlMap(crawler.settings.get("BHG_BASE_URL") or "")
        spider.failed_dir = crawler.settings.get("BHG_FAILED_PAGES_DIR") or ""
        return spider

    # ---- what to fetch ------------------------------------------------------------------------

    async def start(self):
        if self.only:
            for cat in self.only:
                yield self._listing(f"https://{PRIMARY_HOST}/{cat}")
            return
        yield self._listing(HOME)
        for cat in KNOWN_CATEGORIES:
            yield self._listing(f"https://{PRIMARY_HOST}/{cat}")

    def _wanted_category(self, category: str | None) -> bool:
        if not category:
            return False
        return not self.only or any(category == c or category.startswith(c + "/") for c in self.only)

    def _request(self, site_url: str, callback, **meta) -> scrapy.Request:
        url, headers = self.urlmap.fetch(site_url)
        return scrapy.Request(url, callback=callback, errback=self.on_error, headers=headers,
                              meta={"site_url": site_url, **meta})

    def _listing(self, site_url: str) -> scrapy.Request:
        return self._request(canonicalize(site_url), self.parse_listing)

    def _site_url(self, response) -> str:
        """Where the response really came from, in site terms (after any redirect)."""
        host = response.request.headers.get("Host")
        return self.urlmap.site(response.url, host.decode() if host else None)

    # ---- callbacks ----------------------------------------------------------------------------

    def parse_listing(self, response):
        if not self._is_html(response):
            return
        page = ListingPage(self._site_url(response), response.selector)
        self.crawler.stats.inc_value("bhg/listing_pages")
        for item in page.articles:
            ref = parse_article_url(item.url)
            if ref and self._wanted_category(ref.category):
                yield self._request(item.url, self.parse_article)
        for listing in page.categories:
            if self._wanted_category(category_of(listing)):
                yield self._listing(listing)
        if page.next_page and self._wanted_category(category_of(page.next_page)):
            yield self._listing(page.next_page)

    def parse_article(self, response):
        """Extract one record; a page that cannot be read is logged, counted and kept."""
        if not self._is_html(response):
            return
        site_url = response.meta["site_url"]
        try:
            record = ArticlePage(site_url, response.selector).to_record()
        except Exception as exc:  # noqa: BLE001 - one bad page must never stop the crawl
            self._keep_failed(response, site_url, f"{type(exc).__name__}: {exc}", traceback.format_exc())
            self.crawler.stats.inc_value("bhg/extraction_failed")
            return
        missing = [f for f in REQUIRED if not record.get(f)]
        if missing:
            self._keep_failed(response, site_url, "missing " + ", ".join(missing))
        record["crawled_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.crawler.stats.inc_value("bhg/articles_extracted")
        yield record

    def on_error(self, failure):
        request = failure.request
        status = getattr(getattr(failure.value, "response", None), "status", None)
        reason = f"http_{status}" if status else type(failure.value).__name__
        self.crawler.stats.inc_value(f"bhg/fetch_failed/{reason}")
        self.logger.warning("fetch failed: %s (%s)", request.meta.get("site_url", request.url), reason)

    # ---- helpers ------------------------------------------------------------------------------

    def _is_html(self, response) -> bool:
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if isinstance(response, TextResponse) and ("html" in ctype or not ctype):
            return True
        self.crawler.stats.inc_value("bhg/non_html")
        self.logger.warning("not an HTML page: %s (%s)", response.meta.get("site_url", response.url), ctype)
        return False

    def _keep_failed(self, response, site_url: str, reason: str, detail: str = "") -> None:
        """Save the page and why it failed under BHG_FAILED_PAGES_DIR, named by a hash of its URL
        (never by the URL itself: no path can be smuggled into a file name)."""
        self.logger.error("extraction failed: %s (%s)", site_url, reason)
        self.crawler.stats.inc_value("bhg/failed_pages")
        if not self.failed_dir:
            return
        folder = Path(self.failed_dir)
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha1(site_url.encode()).hexdigest()[:16]
        (folder / f"{name}.html").write_bytes(response.body)
        (folder / f"{name}.json").write_text(json.dumps(
            {"url": site_url, "fetched_url": response.url, "status": response.status, "reason": reason,
             "detail": detail, "time": datetime.now(timezone.utc).isoformat(timespec="seconds")},
            ensure_ascii=False, indent=1), encoding="utf-8")
