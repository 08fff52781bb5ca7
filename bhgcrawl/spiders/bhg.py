"""The `bhg` spider: decides what to fetch next, and little else.

home → sections (the menu, article URLs' paths, the known list) → each section's walk, through the
platform's listing API when the section's id is known (`bhgcrawl.platform`) and its HTML pages
otherwise → article pages; on wide runs (no state yet, `-a full=1`, a window) also the sitemaps
robots.txt names and the RSS feeds the pages link to. What is done is known from the state, never
from Scrapy's scheduler, so one walk serves three users: a plain run (cron) stops a section's walk
at the first page of nothing new; `-a since=… -a until=…` walks down to `since` and resumes a killed
walk where it stopped; `-a full=1` walks every page to its end.

`-a source=wayback|commoncrawl` reads the articles from a web archive instead (spiders/archives.py).

Elsewhere: the arguments (`bhgcrawl.arguments`), when a walk goes on (`bhgcrawl.walks`), reading
pages (`bhgcrawl.pages`), the record (`bhgcrawl.record`), what failed (`bhgcrawl.failures`), the run
and its state (`bhgcrawl.run`), re-extraction from WARC files (`bhgcrawl.warc`), the web archives'
answers (`bhgcrawl.archives`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import scrapy

from bhgcrawl import warc
from bhgcrawl.arguments import Arguments
from bhgcrawl.dates import SITE_TZ
from bhgcrawl.pages.listing import ListedArticle, ListingPage
from bhgcrawl.run import Run
from bhgcrawl.spiders.archives import Archives
from bhgcrawl.spiders.articles import Articles
from bhgcrawl.spiders.channels import Channels
from bhgcrawl.spiders.frontier import Frontier
from bhgcrawl.urls import (
    ENGLISH_HOST,
    KNOWN_SECTIONS,
    PRIMARY_HOST,
    UrlSet,
    canonicalize,
)
from bhgcrawl.walks import WalkPolicy, api_missing, sections_to_walk


class BhgSpider(Frontier, Channels, Articles, Archives, scrapy.Spider):
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
        self.sections_seen: set[str] = set()  # every section a page of this run named
        self.walked = UrlSet()  # the sections whose walk this run started

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.run = Run.start(crawler, spider.args)
        # Not `spider.state`: with JOBDIR, Scrapy's SpiderState extension owns that name.
        spider.crawl_state = spider.run.state
        spider.missing_days = settings.getint("BHG_MISSING_SECTION_DAYS")
        if not settings.getbool("BHG_LISTING_API"):
            spider.without_api.update(spider.hosts)
        elif spider.crawl_state is not None:  # hosts whose listing API an earlier run found missing
            spider.without_api.update(api_missing(spider.crawl_state.sections(), spider.missing_days,
                                                  datetime.now(SITE_TZ)))
        spider.max_sections = settings.getint("BHG_MAX_SECTIONS")
        spider.max_attempts = settings.getint("BHG_MAX_ATTEMPTS")
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
            starts = warc.reextract(self.args.warc, self.parse_article, self.parse_archived, self.crawler.stats)
        elif self.args.archive:
            starts = self._archive_start()
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
        if self.scheduled.add(self.home):  # the sections are walked once the home page shows their ids
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
        state = self.crawl_state
        if walk == page.url and state is not None:
            state.section_answered(walk, 200)
        found = list(page.categories)
        self.sections_seen.update(found)
        if response.meta.get("home"):
            named = self.args.categories or (KNOWN_SECTIONS if self.args.site == PRIMARY_HOST else ())
            found += [canonicalize(self.home + cat) for cat in named]
            yield from filter(None, (self._feed(url, self.parse_sitemap) for url in self.run.sitemaps
                                     if urlsplit(url).hostname == self.args.site))
        sections, left_out = sections_to_walk(found, state.sections() if state is not None else {}, self.hosts,
                                              self.args.wants, self.max_sections - len(self.walked),
                                              self.missing_days, datetime.now(SITE_TZ))
        if left_out and not self.crawler.stats.get_value("bhg/sections_capped"):
            self.logger.warning("BHG_MAX_SECTIONS=%d reached: %d more sections left out", self.max_sections, left_out)
        if left_out:
            self.crawler.stats.inc_value("bhg/sections_capped", left_out)
        for url in sections:
            yield from filter(None, self._walk(url))
        yield from filter(None, (self._feed(url, self.parse_feed) for url in page.feeds
                                 if urlsplit(url).hostname in self.hosts))
        cate = self._section_id(walk) if walk and host not in self.without_api else None
        html_next = page.next_page if walk else None
        # The rest of the section is the API's, from where the page's "more" button says it stops (its HTML
        # next page kept, should the API fail). Without the button, from the first item: the page's links
        # count sidebars too, and what the API repeats costs a request, not an article.
        next_url = self._api_url(walk, cate, page.more.get(cate, 0)) if cate else html_next
        yield from self._listed(page.articles, walk, next_url, response.meta.get("tracked", True),
                                html_next=html_next if cate else None)

    def _listed(self, articles: list[ListedArticle], walk: str | None, next_url: str | None, tracked: bool = True,
                **meta):
        """The requests for a listing's new articles, and for the walk's next page if it goes on;
        what the page found is pending before the walk moves on: a killed run resumes from both."""
        stats, state = self.crawler.stats, self.crawl_state
        done = state.done_among([a.url for a in articles]) if state is not None else set()
        listed = self.walks.listed(articles, walk, done, {url for url in done if url not in self.scheduled})
        found = [(url, cat, request) for url, cat in listed.wanted if (request := self._article(url)) is not None]
        if listed.oldest is not None:
            stats.min_value("bhg/oldest_date_reached", listed.oldest.isoformat())
        if next_url:
            key = walk if tracked else f"{walk}#news"  # a news walk beside a resumed one: its own policy
            verdict = self.walks.after_page(key, listed.section_urls, listed.new_in_section, listed.oldest)
            if verdict.stat:
                stats.inc_value(verdict.stat)
                self.logger.warning(verdict.warning)
            next_url = next_url if verdict.go_on else None
        if walk and tracked and state is not None:
            state.save_walk(self.walk_key, walk, next_url, [(u, c) for u, c, _r in found])
        elif state is not None:
            state.add_pending([(u, c) for u, c, _r in found])
        yield from (r for _u, _c, r in found)
        following = self._next(next_url, walk, tracked, **meta) if next_url else None
        if following is not None:
            yield following
