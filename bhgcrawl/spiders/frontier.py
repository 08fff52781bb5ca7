"""The spider's frontier: how it asks for pages, and what it does when one fails (a mixin of `BhgSpider`).

One request per URL per run (`scheduled`: what was done before is the state's business, not the
scheduler's), mapped to `BHG_BASE_URL`. A section's walk goes through the listing API when the
section's id is known, else through its HTML pages. Every walk keeps its progress in the state (the
next page, before it is asked for), a scheduled run's under the window "" and a backfill's under its
own: a killed run's walk goes on where it stopped, a failed listing page is the next run's first,
and a section is caught up only once a walk reached its end or a page of nothing new.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest

from bhgcrawl import platform
from bhgcrawl.middlewares.skip_done import AlreadyDone
from bhgcrawl.run import EXIT_USAGE, EXIT_WRITE
from bhgcrawl.state import StateError
from bhgcrawl.urls import KNOWN_SECTIONS, PRIMARY_HOST, SUCCESSOR_HOST, canonicalize, category_of

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

    @property
    def walk_key(self) -> str:
        """Under which name the state keeps this run's walks: the window's, "" for a scheduled run."""
        return self.window.key or ""

    def _walk(self, section_url: str):
        """The requests that walk a section: where its last walk stopped (a backfill of the same window,
        or a scheduled run killed mid-walk), and on a scheduled run page 1 for what is new."""
        walk = canonicalize(section_url)
        if not self.walked.add(walk):
            return  # a section is walked once a run, however many pages name it
        saved = self.crawl_state.walk(self.walk_key, walk) if self.crawl_state is not None and not self.args.full \
            else None
        if saved is not None and saved[1] and self.window:
            self.crawler.stats.inc_value("bhg/walks_already_done")
            return
        if saved is None and self.crawl_state is not None:
            self.walks.never_ended.add(walk)
        resume = saved[0] if saved is not None else None
        if resume and urlsplit(resume).path in platform.API_PATHS and urlsplit(walk).hostname in self.without_api:
            resume = walk  # the walk stopped in a listing API known since to be missing: its HTML pages
        if resume:
            self.crawler.stats.inc_value("bhg/walks_resumed")
            yield self._next(resume, walk)
            if self.window:
                return
        # A wide run reads the section's first HTML page too (it links what the API does not: other
        # hosts' sections, an English subdomain); a scheduled run asks the API alone, one request.
        cate = self._section_id(walk) if urlsplit(walk).hostname not in self.without_api else None
        first = self._api_url(walk, cate, 0) if cate and not self.wide else walk
        # Beside a resumed walk, page 1's walk is for news only: the resumed one keeps the progress.
        yield self._next(first, walk, tracked=not resume)

    def _next(self, url: str, walk: str, tracked: bool = True, **meta) -> scrapy.Request | None:
        """A page of a walk, by what its URL is: a listing API call or an HTML listing page."""
        if not self.scheduled.add(url):
            return None
        callback = self.parse_api if urlsplit(url).path in platform.API_PATHS else self.parse_listing
        return self._request(url, callback, walk=walk, tracked=tracked, **meta)

    def _feed(self, url: str, callback) -> scrapy.Request | None:
        return self._request(url, callback) if self.wide and self.scheduled.add(url) else None

    def _section_id(self, walk: str) -> str | None:
        return self.section_ids.get(f"{urlsplit(walk).hostname}/{category_of(walk) or ''}")

    def _api_url(self, walk: str, cate: str, first: int) -> str:
        host = urlsplit(walk).hostname
        unit = self.units.get(host) or self.units.get(PRIMARY_HOST) or platform.BHG_UNIT
        return canonicalize(platform.api_url(f"https://{host}/", unit, cate, first))

    def on_error(self, failure):
        """A request that failed for good (Scrapy's retries are behind it): counted, logged, and
        listed in BHG_FAILURES_PATH; an article stays pending in the state, a walk's page is where the
        walk resumes next run."""
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
                                    **{k: request.meta[k] for k in ("article", "refresh", "walk", "tracked", "home")
                                       if k in request.meta}, bhg_loop_retries=tries + 1)
                return
        reason = f"http_{status}" if status else type(exc).__name__
        self.crawler.stats.inc_value(f"bhg/fetch_failed/{reason}")
        self.logger.warning("fetch failed: %s (%s)", site_url, reason)
        self.run.failures.record(site_url, reason, status, request.meta.get("retry_times", 0) + 1)
        state = self.crawl_state
        if status in (404, 410) and request.meta.get("article") and state is not None:
            state.mark_gone(site_url, status)  # gone for good; anything else is retried next run
        if request.callback == self.parse_api:
            yield from self._without_api(request.meta, reason)
        elif request.meta.get("home"):  # without the home page's menu, the known sections still get walked
            for cat in self.args.categories or (KNOWN_SECTIONS if self.args.site == PRIMARY_HOST else ()):
                yield from filter(None, self._walk(self.home + cat))
        elif site_url == request.meta.get("walk") and status in (404, 410):
            yield from self._missing_section(site_url, status)

    def _missing_section(self, section: str, status: int):
        """A section whose first page is not there: remembered (not asked again for a while); a section
        the user asked for by name that does not exist ends the run, naming the ones that do."""
        if self.crawl_state is not None:
            self.crawl_state.section_answered(section, status)
        category = category_of(section)
        if category in self.args.categories:
            known = sorted({category_of(url) or "" for url in self.sections_seen} - {category, ""})
            self.run.fail(self.crawler, EXIT_USAGE, f"-a category={category}: no such section; known: "
                                                    f"{', '.join(known) or '(none listed)'}")
        yield from ()
