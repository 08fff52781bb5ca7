"""The `bhg` spider: decides what to fetch next, and little else.

home → sections (from the site's navigation, from article URLs, and the known list) → the pages
of each section's listing → article pages. What is already done is known from the state
(`bhgcrawl.state`), never from Scrapy's scheduler, so the same walk serves three users:

- a plain run (cron) stops paging a section at the first listing page with nothing new;
- `-a since=… -a until=…` (archivists) walks down to `since`, fetches only articles in the window,
  and resumes a killed walk where it stopped;
- `-a full=1` walks every listing page to its end, fetching whatever the state does not have.

Elsewhere: the arguments (`bhgcrawl.arguments`), when a walk goes on (`bhgcrawl.walks`), reading
pages (`bhgcrawl.pages`), the record (`bhgcrawl.record`), what failed (`bhgcrawl.failures`), the run
and its state (`bhgcrawl.run`), re-extraction from WARC files (`bhgcrawl.warc`).
"""

from __future__ import annotations

import traceback
from datetime import datetime, timedelta

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse

from bhgcrawl import record as records
from bhgcrawl import warc
from bhgcrawl.arguments import Arguments
from bhgcrawl.clock import now_utc
from bhgcrawl.dates import SITE_TZ
from bhgcrawl.middlewares.skip_done import AlreadyDone
from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.pages.listing import ListingPage
from bhgcrawl.run import Run
from bhgcrawl.urls import KNOWN_SECTIONS, PRIMARY_HOST, UrlSet, canonicalize, category_of
from bhgcrawl.walks import WalkPolicy

HOME = f"https://{PRIMARY_HOST}/"
ARTICLE_PRIORITY = 10  # finish what was found before walking further: the frontier stays small


class BhgSpider(scrapy.Spider):
    name = "bhg"

    def __init__(self, *args, **kwargs):
        known = {k: kwargs.pop(k) for k in Arguments.NAMES if k in kwargs}
        super().__init__(*args, **kwargs)
        self.args = Arguments.parse(**known)
        self.window = self.args.window
        self.scheduled = UrlSet()  # every URL requested in this run

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.run = Run.start(crawler, spider.args)
        # Not `spider.state`: with JOBDIR, Scrapy's SpiderState extension owns that name.
        spider.crawl_state = spider.run.state
        spider.walks = WalkPolicy(spider.window, full=spider.args.full, incremental=spider.crawl_state is not None,
                                  stop_after_seen=settings.getint("BHG_STOP_AFTER_SEEN_PAGES"),
                                  max_pages=settings.getint("BHG_MAX_LISTING_PAGES"), wants=spider.args.wants)
        return spider

    # ---- what to fetch ------------------------------------------------------------------------

    async def start(self):
        if self.args.warc:
            starts = warc.reextract(self.args.warc, self.parse_article, self.crawler.stats)
        else:
            starts = self._start_requests()
        for output in starts:
            if output is not None:  # None: already scheduled, or a walk already done
                yield output

    def _start_requests(self):
        """What was left over first (pending or failed articles), refreshes, then the walks."""
        if self.crawl_state is None:
            yield from (self._article(url) for url in self.run.failures.articles_failed_before())
        else:
            pending = self.crawl_state.pending()
            self.crawler.stats.set_value("bhg/resumed_pending", len(pending))
            yield from (self._article(url) for url in pending)
            if self.args.refresh_days is not None:
                since = datetime.now(SITE_TZ) - timedelta(days=self.args.refresh_days)
                for url in self.crawl_state.published_since(since.isoformat(timespec="seconds")):
                    yield self._article(url, refresh=True)
        if not self.args.categories:
            yield self._listing(HOME)
        for cat in self.args.categories or KNOWN_SECTIONS:
            yield self._listing(f"https://{PRIMARY_HOST}/{cat}", walk=True)

    def _request(self, site_url: str, callback, priority: int = 0, **meta) -> scrapy.Request:
        url, headers = self.run.urlmap.fetch(site_url)
        # dont_filter: what was fetched is the state's business, not the scheduler's (see module doc).
        return scrapy.Request(url, callback=callback, errback=self.on_error, headers=headers, dont_filter=True,
                              priority=priority, meta={"site_url": site_url, **meta})

    def _article(self, url: str, refresh: bool = False) -> scrapy.Request | None:
        if not self.scheduled.add(url):
            return None
        return self._request(url, self.parse_article, priority=ARTICLE_PRIORITY, article=True, refresh=refresh)

    def _listing(self, site_url: str, walk: bool = False, walk_key: str | None = None) -> scrapy.Request | None:
        """A listing page; `walk` starts walking a section at page 1 (or where a killed backfill
        of the same window stopped)."""
        site_url = canonicalize(site_url)
        if walk:
            walk_key = site_url
            saved = self.crawl_state.walk(self.window.key, walk_key) \
                if self.window and self.crawl_state is not None and not self.args.full else None
            if saved is not None:
                next_url, done = saved
                if done:
                    self.crawler.stats.inc_value("bhg/walks_already_done")
                    return None
                site_url = next_url or site_url
        if not self.scheduled.add(site_url):
            return None
        return self._request(site_url, self.parse_listing, walk=walk_key)

    # ---- callbacks ----------------------------------------------------------------------------

    def parse_listing(self, response):
        """A listing page: its new articles, the sections it links to, and its next page.

        @url https://baohagiang.vn/kinh-te
        @returns items 0 0
        @returns requests 3
        """
        if not self._is_html(response):
            return
        page = ListingPage(self.run.urlmap.site_of(response), response.text)
        stats = self.crawler.stats
        stats.inc_value("bhg/listing_pages")
        walk = response.meta.get("walk")
        done = self.crawl_state.done_among([a.url for a in page.articles]) if self.crawl_state is not None else set()
        listed = self.walks.listed(page.articles, walk, done)
        found, requests = [], []
        for url, category in listed.wanted:
            request = self._article(url)
            if request is not None:
                found.append((url, category))
                requests.append(request)
        if listed.oldest is not None:
            stats.min_value("bhg/oldest_date_reached", listed.oldest.isoformat())
        for listing in page.categories:
            if self.args.wants(category_of(listing)):
                requests.append(self._listing(listing, walk=True))
        next_url = page.next_page if walk else None
        if next_url:
            verdict = self.walks.after_page(walk, listed.section_urls, listed.new_in_section, listed.oldest)
            if verdict.stat:
                stats.inc_value(verdict.stat)
                self.logger.warning(verdict.warning)
            next_url = next_url if verdict.go_on else None
        # What this page found is pending before the walk moves on: a killed run resumes from both.
        if walk and self.window and self.crawl_state is not None:
            self.crawl_state.save_walk(self.window.key, walk, next_url, found)
        elif self.crawl_state is not None:
            self.crawl_state.add_pending(found)
        yield from (r for r in requests if r is not None)
        if next_url:
            request = self._listing(next_url, walk_key=walk)
            if request is not None:
                yield request

    def parse_article(self, response, crawled_at: str | None = None):
        """Extract one record; a page that cannot be read is logged, counted and kept.

        @url https://baohagiang.vn/kinh-te/nong-lam-nghiep/202401/bac-quang-tong-ket-san-xuat-cam-sanh-nien-vu-2023-2024-0d530c3
        @returns items 1 1
        @returns requests 0 0
        @scrapes url article_id category title published lead body byline authors
        """
        if not self._is_html(response):
            return
        stats = self.crawler.stats
        site_url = response.meta.get("site_url") or self.run.urlmap.site_of(response)
        try:
            page = ArticlePage(site_url, response.text)
            record, counts = page.to_record(), page.counts()
        except Exception as exc:  # noqa: BLE001 - one bad page must never stop the crawl
            self.run.failures.keep(response, site_url, f"{type(exc).__name__}: {exc}", traceback.format_exc())
            stats.inc_value("bhg/extraction_failed")
            return
        for stat in counts:
            stats.inc_value(stat)
        for reason in records.problems(record) + (["unterminated"] if response.meta.get("bhg_unterminated") else []):
            if reason == "empty_body":  # emitted (title and date are real), but worth a look
                stats.inc_value("bhg/empty_body")
            self.run.failures.keep(response, site_url, reason)
        if not records.missing(record) and self.window and not self.window.contains_time(record["published"]):
            stats.inc_value("bhg/outside_window")
            if self.crawl_state is not None:
                self.crawl_state.drop_pending(site_url)
            return
        fetched_url = canonicalize(self.run.urlmap.site_of(response), keep_query=False)
        records.stamp(record, crawled_at=crawled_at or now_utc(), fetched_url=fetched_url)
        if fetched_url != record["url"]:
            stats.inc_value("bhg/redirected_articles")
        stats.inc_value("bhg/articles_extracted")
        yield record

    def on_error(self, failure):
        """A request that failed for good (Scrapy's retries are behind it): counted, logged, and
        listed in BHG_FAILURES_PATH; an article stays pending in the state for the next run."""
        request, exc = failure.request, failure.value
        if isinstance(exc, AlreadyDone):
            return None
        status = getattr(getattr(exc, "response", None), "status", None)
        site_url = request.meta.get("site_url", request.url)
        # Scrapy's RedirectMiddleware says so only in its message.
        if isinstance(exc, IgnoreRequest) and "redirections" in str(exc):
            # A redirect loop is a fault of the moment: start again from the URL itself, twice.
            self.crawler.stats.inc_value("bhg/faults/redirect_loop")
            tries = request.meta.get("bhg_loop_retries", 0)
            if tries < 2:
                return self._request(site_url, request.callback, priority=request.priority,
                                     **{k: request.meta[k] for k in ("article", "refresh", "walk")
                                        if k in request.meta}, bhg_loop_retries=tries + 1)
        reason = f"http_{status}" if status else type(exc).__name__
        self.crawler.stats.inc_value(f"bhg/fetch_failed/{reason}")
        self.logger.warning("fetch failed: %s (%s)", site_url, reason)
        self.run.failures.record(site_url, reason, status, request.meta.get("retry_times", 0) + 1)
        if status in (404, 410) and request.meta.get("article") and self.crawl_state is not None:
            self.crawl_state.mark_gone(site_url, status)  # gone for good; anything else is retried next run
        return None

    # ---- helpers ------------------------------------------------------------------------------

    def _is_html(self, response) -> bool:
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if isinstance(response, TextResponse) and ("html" in ctype or not ctype):
            return True
        self.crawler.stats.inc_value("bhg/non_html")
        self.logger.warning("not an HTML page: %s (%s)", response.meta.get("site_url", response.url), ctype)
        return False
