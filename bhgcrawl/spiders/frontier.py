"""The spider's frontier: how it asks for pages (a mixin of `BhgSpider`).

One request per URL per run (`scheduled`: what was done before is the state's business, not the
scheduler's), mapped to `BHG_BASE_URL`; a section's walk through the listing API when the section's id
is known, else through its HTML pages, resumed where a killed backfill of the same window stopped.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy

from bhgcrawl import platform
from bhgcrawl.urls import PRIMARY_HOST, SUCCESSOR_HOST, canonicalize, category_of

ARTICLE_PRIORITY = 10  # finish what was found before walking further: the frontier stays small


class Frontier:
    def _request(self, site_url: str, callback, priority: int = 0, **meta) -> scrapy.Request:
        url, headers = self.run.urlmap.fetch(site_url)
        # dont_filter: what was fetched is the state's business, not the scheduler's (see module doc).
        return scrapy.Request(url, callback=callback, errback=self.on_error, headers=headers, dont_filter=True,
                              priority=priority, meta={"site_url": site_url, **meta})

    def _article(self, url: str, refresh: bool = False) -> scrapy.Request | None:
        if not self.scheduled.add(url):
            return None
        if self.args.site == SUCCESSOR_HOST and urlsplit(url).hostname == PRIMARY_HOST:
            url = url.replace(PRIMARY_HOST, SUCCESSOR_HOST, 1)  # the archive, from the host being walked
        return self._request(url, self.parse_article, priority=ARTICLE_PRIORITY, article=True, refresh=refresh)

    def _walk(self, section_url: str) -> scrapy.Request | None:
        """Start walking a section: through the listing API when its id is known, else its HTML pages
        (whose walk goes on through the API once a page shows the section's id); a backfill of the same
        window goes on where a killed run's walk stopped."""
        walk = canonicalize(section_url)
        saved = self.crawl_state.walk(self.window.key, walk) \
            if self.window and self.crawl_state is not None and not self.args.full else None
        if saved is not None and saved[1]:
            self.crawler.stats.inc_value("bhg/walks_already_done")
            return None
        if saved is not None and saved[0]:
            return self._next(saved[0], walk)
        # A wide run reads the section's first HTML page too (it links what the API does not: other
        # hosts' sections, an English subdomain); a scheduled run asks the API alone, one request.
        cate = self._section_id(walk) if urlsplit(walk).hostname not in self.without_api else None
        return self._next(self._api_url(walk, cate, 0) if cate and not self.wide else walk, walk)

    def _next(self, url: str, walk: str) -> scrapy.Request | None:
        """A page of a walk, by what its URL is: a listing API call or an HTML listing page."""
        if not self.scheduled.add(url):
            return None
        callback = self.parse_api if urlsplit(url).path in platform.API_PATHS else self.parse_listing
        return self._request(url, callback, walk=walk)

    def _feed(self, url: str, callback) -> scrapy.Request | None:
        return self._request(url, callback) if self.wide and self.scheduled.add(url) else None

    def _section_id(self, walk: str) -> str | None:
        return self.section_ids.get(f"{urlsplit(walk).hostname}/{category_of(walk) or ''}")

    def _api_url(self, walk: str, cate: str, first: int) -> str:
        host = urlsplit(walk).hostname
        unit = self.units.get(host) or self.units.get(PRIMARY_HOST) or platform.BHG_UNIT
        return canonicalize(platform.api_url(f"https://{host}/", unit, cate, first))

