"""The spider's article pages (a mixin of `BhgSpider`): a page → its record, or why it gave none.

A record is emitted only when it is this article's: a page the URL redirected to that is not the
same article (by id) is recorded as moved and never emitted under the old URL; a target that is
another article is read as that article, under its own URL. A page that cannot be decoded, or a
text article without any text, is kept for inspection and left pending (given up after
`BHG_MAX_ATTEMPTS` runs), never marked done.
"""

from __future__ import annotations

import traceback

from scrapy.http import TextResponse

from bhgcrawl import record as records
from bhgcrawl.clock import now_utc
from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.urls import canonicalize, parse_article_url


class Articles:
    def parse_article(self, response, crawled_at: str | None = None):
        """Extract one record; a page that cannot be read is logged, counted and kept.

        @url https://baohagiang.vn/kinh-te/nong-lam-nghiep/202401/bac-quang-tong-ket-san-xuat-cam-sanh-nien-vu-2023-2024-0d530c3
        @returns items 1 1
        @returns requests 0 0
        @scrapes url article_id category title published lead body byline authors
        """
        if not self._is_html(response):
            return
        site_url = response.meta.get("site_url") or self.run.urlmap.site_of(response)
        fetched_url = canonicalize(self.run.urlmap.site_of(response), keep_query=False)
        asked, got = parse_article_url(site_url), parse_article_url(fetched_url)
        if asked is not None and (got is None or got.article_id != asked.article_id):
            yield from self._moved_away(response, site_url, got, crawled_at)
            return
        if response.meta.get("bhg_undecodable"):
            self._no_record(response, site_url, "undecodable")
            return
        yield from self._extracted(response, site_url, fetched_url, crawled_at)

    def _extracted(self, response, site_url: str, fetched_url: str, crawled_at, capture: dict | None = None):
        """The record of an article page (the site's, or an archive's copy: `capture`), or why none."""
        try:
            page = ArticlePage(site_url, response.text)
            record, counts = page.to_record(), page.counts()
        except Exception as exc:  # noqa: BLE001 - one bad page must never stop the crawl
            self.run.failures.keep(response, site_url, f"{type(exc).__name__}: {exc}", traceback.format_exc())
            self.crawler.stats.inc_value("bhg/extraction_failed")
            if capture is not None:
                self._capture_failed(site_url, "extraction_failed")
            return
        yield from self._record_of(response, site_url, fetched_url, record, counts, crawled_at, capture)

    def _record_of(self, response, site_url: str, fetched_url: str, record: dict, counts: list[str], crawled_at,
                   capture: dict | None = None):
        stats = self.crawler.stats
        for stat in counts:
            stats.inc_value(stat)
        problems = records.problems(record)
        if "empty_body" in problems:
            if capture is not None:  # the next run tries the archive again; the site's frontier is not its
                self.run.failures.keep(response, site_url, "empty_body")
                self._capture_failed(site_url, "empty_body")
            else:
                self._no_record(response, site_url, "empty_body")
            return
        for reason in problems + (["unterminated"] if response.meta.get("bhg_unterminated") else []):
            self.run.failures.keep(response, site_url, reason)
        # An archive's window is of capture times (its index's from/to), not of publication.
        if not records.missing(record) and self.window and capture is None \
                and not self.window.contains_time(record["published"]):
            stats.inc_value("bhg/outside_window")
            if self.crawl_state is not None:
                self.crawl_state.drop_pending(site_url)
            return
        records.stamp(record, crawled_at=crawled_at or now_utc(), fetched_url=fetched_url, capture=capture)
        if fetched_url != record["url"]:
            stats.inc_value("bhg/redirected_articles")
        stats.inc_value("bhg/articles_extracted")
        yield record

    def _moved_away(self, response, site_url: str, target, crawled_at: str | None = None):
        """The URL answered with another page than its article: recorded as moved, never emitted under
        it; an article it moved to is read as itself."""
        kind = "article" if target is not None else "page"
        self.crawler.stats.inc_value(f"bhg/moved_away/{kind}")
        self.logger.warning("%s redirects to another %s (%s): not this article", site_url, kind, response.url)
        self.run.failures.record(site_url, f"moved_to_{kind}", 301, response.meta.get("retry_times", 0) + 1)
        if self.crawl_state is not None:
            self.crawl_state.mark_gone(site_url, 301)
        if target is not None and self.scheduled.add(target.url):
            try:
                page = ArticlePage(target.url, response.text)
                record, counts = page.to_record(), page.counts()
            except Exception as exc:  # noqa: BLE001 - one bad page must never stop the crawl
                self.run.failures.keep(response, target.url, f"{type(exc).__name__}: {exc}", traceback.format_exc())
                return
            yield from self._record_of(response, target.url, target.url, record, counts, crawled_at)

    def _no_record(self, response, site_url: str, reason: str) -> None:
        """A page that gives no record of a real article: kept, counted, and the article left pending
        for the next run, until it has had its attempts."""
        self.crawler.stats.inc_value(f"bhg/no_record/{reason}")
        self.run.failures.keep(response, site_url, reason)
        if self.crawl_state is not None and self.crawl_state.attempted(site_url) >= self.max_attempts:
            self.logger.error("%s gave no record in %d runs (%s): given up", site_url, self.max_attempts, reason)
            self.crawl_state.mark_gone(site_url, response.status)

    def _is_html(self, response) -> bool:
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if isinstance(response, TextResponse) and ("html" in ctype or not ctype):
            return True
        self.crawler.stats.inc_value("bhg/non_html")
        self.logger.warning("not an HTML page: %s (%s)", response.meta.get("site_url", response.url), ctype)
        return False
