"""The spider's other ways to articles than a section's HTML pages: the platform's listing API,
sitemaps named in robots.txt, and RSS feeds. Callbacks of `BhgSpider` (a mixin: Scrapy finds and
serialises callbacks as the spider's own methods), each reading its answer with a pure reader
(`bhgcrawl.platform`, `bhgcrawl.pages.feeds`) and handing what it found to the walk (`_listed`).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bhgcrawl import platform
from bhgcrawl.pages.feeds import read_rss, read_sitemap
from bhgcrawl.pages.listing import ListedArticle
from bhgcrawl.urls import is_site_url, parse_article_url


class Channels:
    def parse_api(self, response):
        """A page of the listing API: the section's next items, newest first."""
        walk, query = response.meta["walk"], parse_qs(urlsplit(response.url).query)
        tracked = response.meta.get("tracked", True)
        answer = platform.parse_api(response.text, f"https://{urlsplit(walk).hostname}/")
        if answer.problem:
            yield from self._without_api(response.meta, answer.problem)
            return
        stats = self.crawler.stats
        stats.inc_value("bhg/api/pages")
        listed = [ListedArticle(ref_url, item.published) for item in answer.items
                  if (ref_url := self._site_article(item.url))]
        stats.inc_value("bhg/api/not_article", len(answer.items) - len(listed))
        first = int(query.get("first", ["0"])[0])
        if first == 0 and self.crawl_state is not None:
            self.crawl_state.section_answered(walk, 200)
        if not answer.items:
            yield from self._listed([], walk, None, tracked)  # the section's end
            return
        rows, before = len(answer.items), response.meta.get("api_rows")
        # A page shorter than the one before it is the section's end: the server sent more before, so
        # no cap cut it. (A first page has no such proof: the empty page after it says so.)
        next_url = None if before and rows < before else \
            self._api_url(walk, query["saArticleCateId"][0], first + rows)
        yield from self._listed(listed, walk, next_url, tracked, html_next=response.meta.get("html_next"),
                                api_rows=rows)

    def parse_sitemap(self, response):
        found = read_sitemap(response.body)
        yield from filter(None, (self._feed(url, self.parse_sitemap) for url in found.sitemaps))
        self.crawler.stats.inc_value("bhg/found/sitemap", len(found.articles))
        yield from self._listed(found.articles, None, None)

    def parse_feed(self, response):
        found = read_rss(response.body)
        self.crawler.stats.inc_value("bhg/found/rss", len(found))
        yield from self._listed(found, None, None)

    def _without_api(self, meta: dict, why: str):
        """A host's listing API is not usable: said once, counted, and its sections walked by their HTML
        pages: this walk goes on at the HTML page the API took over from (or its first page)."""
        walk = meta["walk"]
        self.crawler.stats.inc_value(f"bhg/api/{why}")
        host = urlsplit(walk).hostname
        if host not in self.without_api:
            self.without_api.add(host)
            self.crawler.stats.set_value(f"bhg/api/unusable/{host}", why)
            if self.crawl_state is not None:  # remembered like a missing section: not asked again for a while
                self.crawl_state.section_answered(f"https://{host}{platform.API_PATHS[0]}", 404)
            self.logger.warning("the listing API of %s answered %s: its sections are walked through their HTML pages",
                                host, why)
        following = meta.get("html_next") or (walk if walk not in self.scheduled else None)
        if meta.get("tracked", True) and self.crawl_state is not None:
            self.crawl_state.save_walk(self.walk_key, walk, following, [])
        request = self._next(following, walk, meta.get("tracked", True)) if following else None
        if request is not None:
            yield request

    @staticmethod
    def _site_article(url: str) -> str | None:
        ref = parse_article_url(url) if is_site_url(url) else None
        return ref.url if ref else None

