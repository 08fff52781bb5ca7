"""The `bhg` spider: decides what to fetch next, and little else.

home → sections (the menu, article URLs' paths, the known list) → each section's walk, through the
platform's listing API when the section's id is known (`bhgcrawl.platform`) and its HTML pages
otherwise → article pages; on wide runs (no state yet, `-a full=1`, a window) also the sitemaps
robots.txt names and the RSS feeds the pages link to. What is done is known from the state, never
from Scrapy's scheduler, so one walk serves three users: a plain run (cron) stops a section's walk
at the first page of nothing new; `-a since=… -a until=…` walks down to `since` and resumes a killed
walk where it stopped; `-a full=1` walks every page to its end.

Elsewhere: the arguments (`bhgcrawl.arguments`), when a walk goes on (`bhgcrawl.walks`), reading
pages (`bhgcrawl.pages`), the record (`bhgcrawl.record`), what failed (`bhgcrawl.failures`), the run
and its state (`bhgcrawl.run`), re-extraction from WARC files (`bhgcrawl.warc`).
"""

from __future__ import annotations

import traceback
from datetime import datetime, timedelta
from urllib.parse import urlsplit

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
from bhgcrawl.pages.listing import ListedArticle, ListingPage
from bhgcrawl.run import EXIT_WRITE, Run
from bhgcrawl.spiders.channels import Channels
from bhgcrawl.spiders.frontier import Frontier
from bhgcrawl.state import StateError
from bhgcrawl.urls import (
    ENGLISH_HOST,
    KNOWN_SECTIONS,
    PRIMARY_HOST,
    UrlSet,
    canonicalize,
    category_of,
)
from bhgcrawl.walks import WalkPolicy


class BhgSpider(Frontier, Channels, scrapy.Spider):
    name = "bhg"

    def __init__(self, *args, **kwargs):
        given = {k: kwargs.pop(k) for k in list(kwargs) if not k.startswith("_")}
        super().__init__(*args, **kwargs)
        self.args = Arguments.parse(**given)
        self.window = self.args.window
        self.home = f"https://{self.args.site}/"
        self.scheduled = UrlSet()  # every URL requested in this run
        self.section_ids: dict[str, str] = {}  # "host/section path" → the platform's id (menus, page_info)
        self.units: dict[str, str] = {}  # host → its paper's unit on the platform, as its pages say
        # The hosts walked: the site's (and its English edition), or the successor's alone.
        self.hosts = {self.args.site} | ({ENGLISH_HOST} if self.args.site == PRIMARY_HOST else set())
        self.without_api: set[str] = set()  # hosts whose listing API answered something unusable

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.run = Run.start(crawler, spider.args)
        # Not `spider.state`: with JOBDIR, Scrapy's SpiderState extension owns that name.
        spider.crawl_state = spider.run.state
        if not settings.getbool("BHG_LISTING_API"):
            spider.without_api.update(spider.hosts)
        spider.walks = WalkPolicy(spider.window, full=spider.args.full, incremental=spider.crawl_state is not None,
                                  stop_after_seen=settings.getint("BHG_STOP_AFTER_SEEN_PAGES"),
                                  max_pages=settings.getint("BHG_MAX_LISTING_PAGES"), wants=spider.args.wants)
        # Sitemaps and feeds cost requests a run with nothing new must not spend: read on wide runs only.
        spider.wide = bool(spider.crawl_state is None or spider.args.full or spider.window
                           or not spider.crawl_state.count())
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
        if self.args.categories:
            yield from (self._walk(self.home + cat) for cat in self.args.categories)
        elif self.scheduled.add(self.home):  # the sections are walked once the home page shows their ids
            yield self._request(self.home, self.parse_listing, home=True)

    # ---- callbacks ----------------------------------------------------------------------------

    def parse_listing(self, response):
        """The home page or a section's listing page: its articles, sections, feeds and next page.

        @url https://baohagiang.vn/kinh-te
        @returns items 0 0
        @returns requests 3
        """
        if not self._is_html(response):
            return
        page = ListingPage(self.run.urlmap.site_of(response), response.text)
        self.crawler.stats.inc_value("bhg/listing_pages")
        walk = response.meta.get("walk")
        host = urlsplit(page.url).hostname
        self.section_ids.update((f"{host}/{path}", cate) for path, cate in page.section_ids.items())
        if page.page_info is not None and page.page_info.site_id:
            self.units.setdefault(host, page.page_info.site_id)
        sections = list(page.categories)
        if response.meta.get("home"):
            sections += [self.home + cat for cat in KNOWN_SECTIONS if self.args.site == PRIMARY_HOST]
            yield from filter(None, (self._feed(url, self.parse_sitemap) for url in self.run.sitemaps
                                     if urlsplit(url).hostname == self.args.site))
        yield from filter(None, (self._walk(url) for url in sections
                                 if urlsplit(url).hostname in self.hosts and self.args.wants(category_of(url))))
        yield from filter(None, (self._feed(url, self.parse_feed) for url in page.feeds
                                 if urlsplit(url).hostname in self.hosts))
        cate = self._section_id(walk) if walk and host not in self.without_api else None
        if cate:  # the rest of the section is the API's, from where the page stops
            next_url = self._api_url(walk, cate, page.more.get(cate, len(page.articles)))
        else:
            next_url = page.next_page if walk else None
        yield from self._listed(page.articles, walk, next_url)

    def _listed(self, articles: list[ListedArticle], walk: str | None, next_url: str | None):
        """The requests for a listing's new articles, and for the walk's next page if it goes on;
        what the page found is pending before the walk moves on: a killed run resumes from both."""
        stats, state = self.crawler.stats, self.crawl_state
        done = state.done_among([a.url for a in articles]) if state is not None else set()
        listed = self.walks.listed(articles, walk, done, {url for url in done if url not in self.scheduled})
        found = [(url, cat, request) for url, cat in listed.wanted if (request := self._article(url)) is not None]
        if listed.oldest is not None:
            stats.min_value("bhg/oldest_date_reached", listed.oldest.isoformat())
        if next_url:
            verdict = self.walks.after_page(walk, listed.section_urls, listed.new_in_section, listed.oldest)
            if verdict.stat:
                stats.inc_value(verdict.stat)
                self.logger.warning(verdict.warning)
            next_url = next_url if verdict.go_on else None
        if walk and self.window and state is not None:
            state.save_walk(self.window.key, walk, next_url, [(u, c) for u, c, _r in found])
        elif state is not None:
            state.add_pending([(u, c) for u, c, _r in found])
        yield from (r for _u, _c, r in found)
        following = self._next(next_url, walk) if next_url else None
        if following is not None:
            yield following

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
            return
        if isinstance(exc, StateError):  # from a middleware that asked the state
            self.run.fail(self.crawler, EXIT_WRITE, str(exc))
            return
        status = getattr(getattr(exc, "response", None), "status", None)
        site_url = request.meta.get("site_url", request.url)
        # Scrapy's RedirectMiddleware says so only in its message.
        if isinstance(exc, IgnoreRequest) and "redirections" in str(exc):
            # A redirect loop is a fault of the moment: start again from the URL itself, twice.
            self.crawler.stats.inc_value("bhg/faults/redirect_loop")
            tries = request.meta.get("bhg_loop_retries", 0)
            if tries < 2:
                yield self._request(site_url, request.callback, priority=request.priority,
                                    **{k: request.meta[k] for k in ("article", "refresh", "walk", "home")
                                       if k in request.meta}, bhg_loop_retries=tries + 1)
                return
        reason = f"http_{status}" if status else type(exc).__name__
        self.crawler.stats.inc_value(f"bhg/fetch_failed/{reason}")
        self.logger.warning("fetch failed: %s (%s)", site_url, reason)
        self.run.failures.record(site_url, reason, status, request.meta.get("retry_times", 0) + 1)
        if status in (404, 410) and request.meta.get("article") and self.crawl_state is not None:
            self.crawl_state.mark_gone(site_url, status)  # gone for good; anything else is retried next run
        if request.callback == self.parse_api:
            yield from self._without_api(request.meta["walk"], reason)
        elif request.meta.get("home"):  # without the home page's menu, the known sections still get walked
            yield from filter(None, (self._walk(self.home + cat) for cat in KNOWN_SECTIONS))

    # ---- helpers ------------------------------------------------------------------------------

    def _is_html(self, response) -> bool:
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if isinstance(response, TextResponse) and ("html" in ctype or not ctype):
            return True
        self.crawler.stats.inc_value("bhg/non_html")
        self.logger.warning("not an HTML page: %s (%s)", response.meta.get("site_url", response.url), ctype)
        return False
