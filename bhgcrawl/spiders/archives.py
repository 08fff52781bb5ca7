"""The spider's web archive sources (a mixin of `BhgSpider`): `-a source=wayback` and `-a source=commoncrawl`.

A backfill from an archive goes in two steps, both resumable from the state. Its listings (the Wayback
Machine's CDX pages; the index pages of each Common Crawl crawl) choose one capture per article, the
earliest or with `-a capture=latest` the latest, saved with each listing's progress before its next
page is asked for. Once every listing is done, the chosen captures of the articles the state has no
record of (from any source) are fetched, a batch at a time whenever the run falls idle, and read as the
site's pages are (`Articles._extracted`) with their provenance in the record's `capture`. The window
(`since`/`until`) is of capture times: the archive's `from`/`to`.

Every request to an archive goes through the archive's own download slot, one at a time at its rate
(DOWNLOAD_SLOTS, made here from BHG_WAYBACK_RATE and BHG_CC_RATE); 429s and 503s are
middlewares/archive_pace.py's. The pure reading of the answers is bhgcrawl.archives'.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse
from scrapy.settings import SETTINGS_PRIORITIES

from bhgcrawl.archives import backfill_key, commoncrawl, iso, listed, refuses_the_copy, wayback
from bhgcrawl.dates import SITE_TZ
from bhgcrawl.middlewares.archive_pace import NAMES
from bhgcrawl.middlewares.page_integrity import decoded
from bhgcrawl.middlewares.skip_done import AlreadyDone
from bhgcrawl.run import EXIT_SITE, EXIT_WRITE
from bhgcrawl.state import StateError
from bhgcrawl.urls import UrlSet, canonicalize, parse_article_url

BATCH = 50  # captures scheduled at a time: the frontier stays small however large the backfill
BAD_ANSWER_RETRIES = 2  # an index page that is no listing (cut off, an overload page) is asked again this often


class Archives:
    @classmethod
    def update_settings(cls, settings):
        """One request at a time to each archive, at its rate: a download slot of its own (requests name
        it in `download_slot`), unless DOWNLOAD_SLOTS already has one of that name."""
        super().update_settings(settings)
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        for archive, per_minute in (("wayback", settings.getfloat("BHG_WAYBACK_RATE")),
                                    ("commoncrawl", settings.getfloat("BHG_CC_RATE"))):
            if per_minute > 0:  # preflight refuses anything else before a crawl starts
                slots.setdefault(archive, {"concurrency": 1, "delay": 60 / per_minute, "jitter": 0})
        priority = max(settings.getpriority("DOWNLOAD_SLOTS") or 0, SETTINGS_PRIORITIES["spider"])
        settings.set("DOWNLOAD_SLOTS", slots, priority=priority)

    # ---- the listings -------------------------------------------------------------------------

    def _archive_start(self):
        """The first requests of a backfill: where each listing stopped, or its first page."""
        settings = self.crawler.settings
        self.crawler.signals.connect(self._archive_idle, signal=signals.spider_idle)
        self.listings_open: set[str] = set()
        self.listed = UrlSet()  # the articles this run's listings named
        self.fetch_after = ""  # the URL of the last chosen capture scheduled: they go in URL order
        self.backfill: str | None = None  # its name in the state, once the crawls to list are known
        self.refresh_since = None  # with -a refresh_days: held articles published since then are read again
        if self.args.refresh_days is not None:
            since = datetime.now(SITE_TZ) - timedelta(days=self.args.refresh_days)
            self.refresh_since = since.isoformat(timespec="seconds")
        if self.args.archive == "wayback":
            self.archive_base = settings.get("BHG_WAYBACK_URL")
            self.backfill = backfill_key("wayback", self.window, self.args.capture)
            yield from self._listings({"cdx": self._cdx_url()})
        else:
            self.archive_base = settings.get("BHG_CC_INDEX_URL")
            self.data_base = settings.get("BHG_CC_DATA_URL")
            if self.args.crawls:
                yield from self._crawls(list(self.args.crawls), named=True)
            else:
                yield self._archive_request(commoncrawl.collinfo_url(self.archive_base), self.parse_collinfo,
                                            listing="collinfo")

    def _listings(self, first_pages: dict[str, str]):
        """For each listing not done yet, its next page: where the state says it stopped, else its first.
        The state keeps where, not a URL (the archive's address or page size may differ next time): the
        Wayback resume key, or the number of Common Crawl's next index page (whose count is asked again)."""
        for listing, first in first_pages.items():
            saved = self.crawl_state.walk(self.backfill, listing)
            if saved is not None and saved[1]:
                self.crawler.stats.inc_value("bhg/archive/listings_done_before")
                continue
            self.listings_open.add(listing)
            resume = saved[0] if saved is not None else None
            if resume:
                self.crawler.stats.inc_value("bhg/archive/listings_resumed")
            if self.args.archive == "wayback":
                yield self._listing_request(self._cdx_url(resume) if resume else first, listing)
            else:
                yield self._listing_request(first, listing, bhg_resume=resume)

    def _cdx_url(self, resume_key: str | None = None) -> str:
        return wayback.cdx_url(self.archive_base, self.window, self.crawler.settings.getint("BHG_WAYBACK_CDX_ROWS"),
                               resume_key)

    def _listing_request(self, url: str, listing: str, retries: int = 0, **meta) -> scrapy.Request:
        if self.args.archive == "wayback":
            callback = self.parse_cdx
        else:
            callback = self.parse_num_pages if "showNumPages=" in url else self.parse_index
        # A page its filters empty answers 404 on Common Crawl, as a URL it never crawled.
        return self._archive_request(url, callback, listing=listing, bhg_bad_answers=retries,
                                     handle_httpstatus_list=[404] if callback == self.parse_index else [], **meta)

    def _archive_request(self, url: str, callback, **meta) -> scrapy.Request:
        # dont_obey_robotstxt: an archive's API is documented for programs; robots.txt is about its pages.
        return scrapy.Request(url, callback=callback, errback=self.on_archive_error, dont_filter=True, meta={
            "bhg_archive": self.args.archive, "download_slot": self.args.archive, "dont_obey_robotstxt": True,
            "autothrottle_dont_adjust_delay": True, **meta})

    def parse_collinfo(self, response):
        crawls = commoncrawl.read_collinfo(response.body, self.window)
        if crawls is None:
            yield from self._bad_listing_answer(response, "collinfo_not_json")
            return
        self.crawler.stats.inc_value("bhg/archive/index_pages")
        if not crawls:
            self.logger.warning("Common Crawl lists no crawl of the window %s: nothing to read",
                                self.window.key or "(none)")
        yield from self._crawls(crawls, named=False)

    def _crawls(self, crawls: list[str], named: bool):
        """The listings of these crawls. A backfill of every crawl of the window is one backfill however many
        Common Crawl adds later (a crawl is a listing of its own: a new one is listed, the others are done);
        one of crawls named with -a crawls= is that list's."""
        self.crawler.stats.set_value("bhg/archive/crawls", ",".join(crawls))
        self.backfill = backfill_key("commoncrawl", self.window, self.args.capture, tuple(crawls) if named else ())
        yield from self._listings({crawl: commoncrawl.index_url(self.archive_base, crawl, self.window)
                                   for crawl in crawls})

    def parse_num_pages(self, response):
        """A crawl's page count: its listing starts at page 0, or goes on at the page it stopped at."""
        pages = commoncrawl.read_num_pages(response.body)
        if pages is None:
            yield from self._bad_listing_answer(response, "num_pages_not_json")
            return
        listing, resume = response.meta["listing"], response.meta.get("bhg_resume")
        self.crawler.stats.inc_value("bhg/archive/index_pages")
        page = int(resume) if resume and resume.isdigit() else 0
        if not resume or page >= pages:
            self._save_listing(listing, str(page) if page < pages else None, [])
        if page < pages:
            yield self._listing_request(commoncrawl.index_url(self.archive_base, listing, self.window, page), listing,
                                        bhg_page=page, bhg_pages=pages)

    def parse_cdx(self, response):
        answer = wayback.read_cdx(response.body)
        if answer.problem:
            yield from self._bad_listing_answer(response, f"cdx_{answer.problem}")
            return
        self.crawler.stats.inc_value("bhg/archive/index_pages")
        self.crawler.stats.inc_value("bhg/archive/bad/cdx_row", answer.bad_rows)
        self._save_listing("cdx", answer.resume_key, answer.rows)
        if answer.resume_key:
            yield self._listing_request(self._cdx_url(answer.resume_key), "cdx")

    def parse_index(self, response):
        """A page of a crawl's index (a 404: a page its filters emptied)."""
        listing, page, pages = response.meta["listing"], response.meta["bhg_page"], response.meta["bhg_pages"]
        rows, bad = commoncrawl.read_index(response.body) if response.status == 200 else ([], 0)
        self.crawler.stats.inc_value("bhg/archive/index_pages")
        self.crawler.stats.inc_value("bhg/archive/bad/index_row", bad)
        more = page + 1 < pages
        self._save_listing(listing, str(page + 1) if more else None, rows)
        if more:
            yield self._listing_request(commoncrawl.index_url(self.archive_base, listing, self.window, page + 1),
                                        listing, bhg_page=page + 1, bhg_pages=pages)

    def _save_listing(self, listing: str, next_page: str | None, rows: list[dict]):
        """An index page read: its captures of articles the state lacks (or that a refresh reads again)
        kept with where the listing goes on (None: it is done), in one transaction; counted."""
        stats = self.crawler.stats
        stats.inc_value("bhg/archive/captures_listed", len(rows))
        captures = []
        for row in rows:
            capture, why = listed(self.args.archive, row, self.args.wants)
            if capture is None:
                stats.inc_value(f"bhg/archive/skipped/{why}")
            else:
                captures.append(capture)
        held = self.crawl_state.held_among(list({c.url for c in captures}), self.refresh_since)
        for url in {c.url for c in captures}:
            if self.listed.add(url):
                stats.inc_value("bhg/archive/skipped_held" if url in held else "bhg/archive/articles_new")
        kept = [(c.url, c.timestamp, c.digest, json.dumps(c.row, ensure_ascii=False)) for c in captures
                if c.url not in held]
        self.crawl_state.save_listing(self.backfill, listing, next_page, kept, self.args.capture == "latest")
        if next_page is None:
            self.listings_open.discard(listing)

    def _bad_listing_answer(self, response, what: str):
        """An index answer that is no listing: counted, and asked again a few times (the listing cannot go
        on without it); then the backfill stops there, to go on at the next run."""
        self.crawler.stats.inc_value(f"bhg/archive/bad/{what}")
        retries = response.meta.get("bhg_bad_answers", 0)
        listing = response.meta["listing"]
        if retries < BAD_ANSWER_RETRIES:
            yield self._listing_request(response.url, listing, retries + 1, **{
                k: response.meta[k] for k in ("bhg_page", "bhg_pages", "bhg_resume") if k in response.meta})
            return
        self._listing_failed(listing, f"{what} {retries + 1} times")

    def _listing_failed(self, listing: str, why: str):
        self.run.fail(self.crawler, EXIT_SITE, f"{NAMES[self.args.archive]} could not be listed ({listing}: {why}): "
                                               "run the same command again, the backfill goes on where it stopped")

    # ---- the captures -------------------------------------------------------------------------

    def _archive_idle(self, spider=None):
        """Every listing done: the next batch of chosen captures to fetch, while there are any."""
        if self.listings_open or self.run.failure is not None or self.backfill is None:
            return
        requests = list(self._capture_batch())
        if requests:
            for request in requests:
                self.crawler.engine.crawl(request)
            raise DontCloseSpider

    def _capture_batch(self):
        rows = self.crawl_state.captures_to_fetch(self.backfill, self.fetch_after, BATCH, self.max_attempts,
                                                  self.refresh_since)
        for url, timestamp, _digest, row_json in rows:
            self.fetch_after = url
            if self.scheduled.add(url):
                yield self._capture_request(url, timestamp, json.loads(row_json))

    def _capture_request(self, url: str, timestamp: str, row: dict) -> scrapy.Request:
        meta = {"site_url": url, "article": True, "refresh": self.refresh_since is not None, "bhg_row": row}
        if self.args.archive == "wayback":
            target = wayback.capture_url(self.archive_base, timestamp, row["original"])
            return self._archive_request(target, self.parse_capture, bhg_kind="capture", **meta)
        filename, offset, length = commoncrawl.located(row)
        # A server that ignores the range sends the whole file: cut off past a record's size.
        request = self._archive_request(commoncrawl.data_url(self.data_base, filename), self.parse_record,
                                        bhg_kind="record", **meta, download_maxsize=length + 1024 * 1024)
        request.headers["Range"] = commoncrawl.range_header(offset, length)
        return request

    def parse_capture(self, response):
        """A Wayback capture, read raw; the capture it is may be another than asked (the nearest)."""
        capture = wayback.served_capture(response.url, response.meta["bhg_row"], response.body)
        if capture["timestamp"] != iso(response.meta["bhg_row"]["timestamp"]):
            self.crawler.stats.inc_value("bhg/archive/redirected")
        yield from self.parse_archived(response, capture)

    def parse_record(self, response):
        """A Common Crawl WARC record, read by range: its HTTP answer is the page."""
        row = response.meta["bhg_row"]
        _filename, offset, length = commoncrawl.located(row)
        got = commoncrawl.read_member(response.body, response.status, offset, length)
        if isinstance(got, str):
            self._capture_failed(response.meta["site_url"], f"range_{got}")
            return
        if got.status != 200:
            self._capture_failed(response.meta["site_url"], f"record_http_{got.status}")
            return
        page = HtmlResponse(got.target or row["url"], status=200, headers=got.headers, body=got.payload,
                            request=response.request)
        if response.status == 200:
            self.crawler.stats.inc_value("bhg/archive/range_ignored")
        yield from self.parse_archived(decoded(page, response.request, self.crawler.stats),
                                       commoncrawl.capture_of(row, got))

    def parse_archived(self, response, capture: dict, crawled_at: str | None = None):
        """An archive's copy of an article page → its record, `capture` its provenance (also for copies
        re-extracted from the crawl's own WARC files, which name it)."""
        stats, site_url = self.crawler.stats, response.meta["site_url"]
        stats.inc_value("bhg/archive/fetched")
        stats.min_value("bhg/archive/oldest_capture", capture["timestamp"])
        stats.max_value("bhg/archive/newest_capture", capture["timestamp"])
        if not isinstance(response, HtmlResponse):
            self._capture_failed(site_url, "not_html")
            return
        fetched_url = canonicalize(capture["url"], keep_query=False)
        got = parse_article_url(fetched_url)
        if got is None or got.url != site_url:
            self._capture_failed(site_url, "another_page")
            return
        if response.meta.get("bhg_undecodable"):
            self.run.failures.keep(response, site_url, "undecodable")
            self._capture_failed(site_url, "undecodable")
            return
        yield from self._extracted(response, site_url, fetched_url, crawled_at, capture)

    def _capture_failed(self, site_url: str, why: str) -> None:
        """A capture that gave no record: counted. A copy that is no page of the article (refuses_the_copy)
        is given up for the article's next best capture, fetched now; any other failure, or a copy with
        no other capture listed, is tried again by the next runs until it has had BHG_MAX_ATTEMPTS."""
        stats = self.crawler.stats
        stats.inc_value("bhg/archive/failed")
        stats.inc_value(f"bhg/archive/bad/{why}")
        self.logger.warning("%s: the archive's copy gave no record (%s)", site_url, why)
        if self.crawl_state is None or getattr(self, "backfill", None) is None:  # None: re-extraction
            return
        if refuses_the_copy(why):
            instead = self.crawl_state.capture_refused(self.backfill, site_url, self.args.capture == "latest")
            if instead is not None:
                stats.inc_value("bhg/archive/next_capture")
                url, timestamp, _digest, row_json = instead
                self.crawler.engine.crawl(self._capture_request(url, timestamp, json.loads(row_json)))
            return
        self.crawl_state.capture_attempted(self.backfill, site_url)

    def on_archive_error(self, failure):
        """A request to an archive that failed for good (Scrapy's retries are behind it)."""
        request, exc = failure.request, failure.value
        if isinstance(exc, AlreadyDone) or self.run.failure is not None:
            return
        if isinstance(exc, StateError):
            self.run.fail(self.crawler, EXIT_WRITE, str(exc))
            return
        status = getattr(getattr(exc, "response", None), "status", None)
        reason = f"http_{status}" if status else type(exc).__name__
        self.crawler.stats.inc_value(f"bhg/fetch_failed/{reason}")
        site_url = request.meta.get("site_url")
        self.run.failures.record(site_url or request.url, reason, status, request.meta.get("retry_times", 0) + 1)
        if site_url is not None:
            self._capture_failed(site_url, f"fetch_{reason}")
        else:
            self._listing_failed(request.meta.get("listing", "?"), reason)

