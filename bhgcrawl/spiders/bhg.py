"""The `bhg` spider: decides what to fetch next. Extraction lives in `bhgcrawl.pages`.

home → sections (from the site's navigation, from article URLs, and the known list) → the pages
of each section's listing → article pages. What is already done is known from the state
(`bhgcrawl.state`), never from Scrapy's scheduler, so the same walk serves three users:

- a plain run (cron) stops paging a section at the first listing page with nothing new;
- `-a since=… -a until=…` (archivists) walks down to `since`, fetches only articles in the window,
  and resumes a killed walk where it stopped;
- `-a full=1` walks every listing page to its end, fetching whatever the state does not have.
"""

from __future__ import annotations

import hashlib
import json
import traceback
from datetime import date, datetime, timedelta
from pathlib import Path

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse

from bhgcrawl.dates import SITE_TZ, month_timestamp
from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.pages.listing import ListingPage
from bhgcrawl.run import Run
from bhgcrawl.state import now_utc
from bhgcrawl.urls import PRIMARY_HOST, BaseUrlMap, canonicalize, category_of, parse_article_url

# Sections seen on real pages (shared/site/NOTES.md); the navigation may not list them all.
KNOWN_CATEGORIES = (
    "thoi-su-chinh-tri", "kinh-te", "kinh-te/nong-lam-nghiep", "xa-hoi", "van-hoa", "media-bhg",
    "multimedia/truyen-hinh", "multimedia/emagazine", "ve-bao-ha-giang/thong-tin-toa-soan",
    "english/news", "english/Culture",
)
HOME = f"https://{PRIMARY_HOST}/"
REQUIRED = ("url", "title", "published")
ARTICLE_PRIORITY = 10  # finish what was found before walking further: the frontier stays small


def _digest(url: str) -> bytes:
    """8 bytes standing for a URL in `scheduled`: a long run's memory stays small."""
    return hashlib.blake2b(url.encode(), digest_size=8).digest()


def _flag(value) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"-a {name}= takes a date as YYYY-MM-DD, not {value!r}") from None


class BhgSpider(scrapy.Spider):
    name = "bhg"

    def __init__(self, category: str | None = None, full=None, since: str | None = None,
                 until: str | None = None, refresh_days=None, warc: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.only = tuple(c.strip().strip("/") for c in (category or "").split(",") if c.strip())
        self.full = _flag(full)
        self.since = _day(since, "since")
        self.until = _day(until, "until")
        if self.since and self.until and self.since > self.until:
            raise ValueError("-a since= is after -a until=")
        self.refresh_days = int(refresh_days) if refresh_days not in (None, "") else None
        self.warc = warc
        self.window = f"{self.since or ''}..{self.until or ''}" if (self.since or self.until) else None
        self.scheduled: set[bytes] = set()  # _digest() of every URL requested in this run
        self.seen_pages: dict[str, int] = {}  # per walk: listing pages in a row with nothing new
        self.walk_pages: dict[str, int] = {}  # per walk: listing pages read in this run
        self.last_listed: dict[str, set[str]] = {}  # per walk: the section's articles on its last page

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.urlmap = BaseUrlMap(settings.get("BHG_BASE_URL") or "")
        spider.failed_dir = settings.get("BHG_FAILED_PAGES_DIR") or ""
        spider.stop_after_seen = settings.getint("BHG_STOP_AFTER_SEEN_PAGES", 1)
        spider.failures_path = settings.get("BHG_FAILURES_PATH") or ""
        spider.max_listing_pages = settings.getint("BHG_MAX_LISTING_PAGES", 5000)
        spider.run = Run.of(crawler, use_state=not spider.warc)
        # Not `spider.state`: with JOBDIR, Scrapy's SpiderState extension owns that name.
        spider.crawl_state = spider.run.state
        return spider

    # ---- what to fetch ------------------------------------------------------------------------

    async def start(self):
        if self.warc:
            for item in self._from_warc():
                yield item
            return
        for request in self._start_requests():
            if request is not None:  # None: already scheduled, or a walk already done
                yield request

    def _start_requests(self):
        """What was left over first (pending or failed articles), refreshes, then the walks."""
        if self.crawl_state is None:
            yield from (self._article(url) for url in self._failed_last_time())
        else:
            pending = self.crawl_state.pending()
            self.crawler.stats.set_value("bhg/resumed_pending", len(pending))
            yield from (self._article(url) for url in pending)
            if self.refresh_days is not None:
                since = (datetime.now(SITE_TZ) - timedelta(days=self.refresh_days)).isoformat(timespec="seconds")
                yield from (self._article(url, refresh=True) for url in self.crawl_state.published_since(since))
        if not self.only:
            yield self._listing(HOME)
        for cat in self.only or KNOWN_CATEGORIES:
            yield self._listing(f"https://{PRIMARY_HOST}/{cat}", walk=True)

    def _wanted_category(self, category: str | None) -> bool:
        if not category:
            return False
        return not self.only or any(category == c or category.startswith(c + "/") for c in self.only)

    def _request(self, site_url: str, callback, priority: int = 0, **meta) -> scrapy.Request:
        url, headers = self.urlmap.fetch(site_url)
        # dont_filter: what was fetched is the state's business, not the scheduler's (see module doc).
        return scrapy.Request(url, callback=callback, errback=self.on_error, headers=headers, dont_filter=True,
                              priority=priority, meta={"site_url": site_url, **meta})

    def _article(self, url: str, refresh: bool = False) -> scrapy.Request | None:
        key = _digest(url)
        if key in self.scheduled:
            return None
        self.scheduled.add(key)
        return self._request(url, self.parse_article, priority=ARTICLE_PRIORITY, article=True, refresh=refresh)

    def _listing(self, site_url: str, walk: bool = False, walk_key: str | None = None) -> scrapy.Request | None:
        """A listing page; `walk` starts walking a section at page 1 (or where a killed backfill
        of the same window stopped)."""
        site_url = canonicalize(site_url)
        if walk:
            walk_key = site_url
            if self.window and self.crawl_state is not None and not self.full:
                saved = self.crawl_state.walk(self.window, walk_key)
                if saved is not None:
                    next_url, done = saved
                    if done:
                        self.crawler.stats.inc_value("bhg/walks_already_done")
                        return None
                    site_url = next_url or site_url
        key = _digest(site_url)
        if key in self.scheduled:
            return None
        self.scheduled.add(key)
        return self._request(site_url, self.parse_listing, walk=walk_key)

    def _site_url(self, response) -> str:
        """Where the response really came from, in site terms (after any redirect)."""
        host = response.request.headers.get("Host")
        return self.urlmap.site(response.url, host.decode() if host else None)

    def _in_window(self, url: str, published) -> bool:
        """Listing date if printed, else the URL's month: may the article fall in the window?"""
        if not self.window:
            return True
        if published is not None:
            day = published.value.date()
            return (not self.since or day >= self.since) and (not self.until or day <= self.until)
        ref = parse_article_url(url)
        month = month_timestamp(ref.yyyymm) if ref else None
        if month is None:
            return True
        first = month.value.date()
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return (not self.since or last >= self.since) and (not self.until or first <= self.until)

    # ---- callbacks ----------------------------------------------------------------------------

    def parse_listing(self, response):
        """A listing page: its new articles, the sections it links to, and its next page.

        @url https://baohagiang.vn/kinh-te
        @returns items 0 0
        @returns requests 3
        """
        if not self._is_html(response):
            return
        page = ListingPage(self._site_url(response), response.text)
        stats = self.crawler.stats
        stats.inc_value("bhg/listing_pages")
        walk = response.meta.get("walk")
        walk_category = category_of(walk) if walk else None
        urls = [a.url for a in page.articles]
        done = self.crawl_state.done_among(urls) if self.crawl_state is not None else set()
        found, new_in_section, section_urls, oldest = [], 0, set(), None
        requests = []
        for item in page.articles:
            ref = parse_article_url(item.url)
            if ref is None or not self._wanted_category(ref.category):
                continue
            in_section = walk_category is not None and (ref.category == walk_category
                                                         or ref.category.startswith(walk_category + "/"))
            when = item.published.value.date() if item.published else month_timestamp(ref.yyyymm).value.date()
            if in_section:
                section_urls.add(item.url)
                oldest = when if oldest is None or when < oldest else oldest
            if item.url in done or not self._in_window(item.url, item.published):
                continue
            new_in_section += in_section
            request = self._article(item.url)
            if request is not None:
                found.append((item.url, ref.category))
                requests.append(request)
        if oldest is not None:
            stats.min_value("bhg/oldest_date_reached", oldest.isoformat())
        for listing in page.categories:
            if self._wanted_category(category_of(listing)):
                request = self._listing(listing, walk=True)
                if request is not None:
                    requests.append(request)
        next_url = page.next_page if walk else None
        if next_url and not self._keep_walking(walk, section_urls, new_in_section, oldest):
            next_url = None
        # What this page found is pending before the walk moves on: a killed run resumes from both.
        if walk and self.window and self.crawl_state is not None:
            self.crawl_state.save_walk(self.window, walk, next_url, found)
        elif self.crawl_state is not None:
            self.crawl_state.add_pending(found)
        yield from requests
        if next_url:
            request = self._listing(next_url, walk_key=walk)
            if request is not None:
                yield request

    def _keep_walking(self, walk: str, section_urls: set[str], new: int, oldest: date | None) -> bool:
        """Whether the section's next listing page is worth a request."""
        stats = self.crawler.stats
        pages = self.walk_pages[walk] = self.walk_pages.get(walk, 0) + 1
        if not section_urls:
            if pages > 1:
                stats.inc_value("bhg/empty_listing_pages")
                self.logger.warning("listing page without articles of its section ends the walk of %s", walk)
            return False
        if section_urls <= self.last_listed.get(walk, set()):
            # Nothing its previous page did not list: a listing that links to itself forever.
            # (Only the last page is kept: a long walk's memory stays flat; the page cap does the rest.)
            stats.inc_value("bhg/listing_traps")
            self.logger.warning("listing of %s repeats itself: walk stopped", walk)
            return False
        self.last_listed[walk] = section_urls
        if pages >= self.max_listing_pages:
            stats.inc_value("bhg/listing_page_cap")
            self.logger.warning("walk of %s stopped at BHG_MAX_LISTING_PAGES=%d", walk, self.max_listing_pages)
            return False
        if self.window:
            return not (self.since and oldest is not None and oldest < self.since)
        if self.full or self.crawl_state is None:
            return True
        # A scheduled run: pages of nothing new mean the rest was seen by earlier runs.
        if new:
            self.seen_pages[walk] = 0
            return True
        self.seen_pages[walk] = self.seen_pages.get(walk, 0) + 1
        return self.seen_pages[walk] < self.stop_after_seen

    def parse_article(self, response, crawled_at: str | None = None):
        """Extract one record; a page that cannot be read is logged, counted and kept.

        @url https://baohagiang.vn/kinh-te/nong-lam-nghiep/202401/bac-quang-tong-ket-san-xuat-cam-sanh-nien-vu-2023-2024-0d530c3
        @returns items 1 1
        @returns requests 0 0
        @scrapes url article_id category title published lead body byline authors
        """
        if not self._is_html(response):
            return
        site_url = response.meta.get("site_url") or self._site_url(response)
        try:
            record = ArticlePage(site_url, response.text).to_record()
        except Exception as exc:  # noqa: BLE001 - one bad page must never stop the crawl
            self._keep_failed(response, site_url, f"{type(exc).__name__}: {exc}", traceback.format_exc())
            self.crawler.stats.inc_value("bhg/extraction_failed")
            return
        missing = [f for f in REQUIRED if not record.get(f)]
        if missing:
            self._keep_failed(response, site_url, "missing " + ", ".join(missing))
        elif not (record["body"] or record["lead"] or (record["category"] or "").startswith(("multimedia", "media"))):
            # Emitted (title and date are real), but a text article without text is worth a look.
            self.crawler.stats.inc_value("bhg/empty_body")
            self._keep_failed(response, site_url, "empty_body")
        if response.meta.get("bhg_unterminated"):
            self._keep_failed(response, site_url, "unterminated")
        if not missing and self.window and not self._published_in_window(record["published"]):
            self.crawler.stats.inc_value("bhg/outside_window")
            if self.crawl_state is not None:
                self.crawl_state.drop_pending(site_url)
            return
        record["crawled_at"] = crawled_at or now_utc()
        record["version"] = 1  # the deduplicate pipeline counts on from the state's version
        record["fetched_url"] = canonicalize(self._site_url(response), keep_query=False)
        if record["fetched_url"] != record["url"]:
            self.crawler.stats.inc_value("bhg/redirected_articles")
        self.crawler.stats.inc_value("bhg/articles_extracted")
        yield record

    def _published_in_window(self, published: str) -> bool:
        day = datetime.fromisoformat(published).date()
        return (not self.since or day >= self.since) and (not self.until or day <= self.until)

    def on_error(self, failure):
        """A request that failed for good (Scrapy's retries are behind it): counted, logged, and
        listed in BHG_FAILURES_PATH; an article stays pending in the state for the next run."""
        request = failure.request
        status = getattr(getattr(failure.value, "response", None), "status", None)
        site_url = request.meta.get("site_url", request.url)
        if isinstance(failure.value, IgnoreRequest) and "redirections" in str(failure.value):
            # A redirect loop is a fault of the moment: start again from the URL itself, twice.
            self.crawler.stats.inc_value("bhg/faults/redirect_loop")
            tries = request.meta.get("bhg_loop_retries", 0)
            if tries < 2:
                retry = self._request(site_url, request.callback, priority=request.priority,
                                      **{k: request.meta[k] for k in ("article", "refresh", "walk")
                                         if k in request.meta}, bhg_loop_retries=tries + 1)
                return retry
        if isinstance(failure.value, IgnoreRequest) and "already done" in str(failure.value):
            return None
        reason = f"http_{status}" if status else type(failure.value).__name__
        self.crawler.stats.inc_value(f"bhg/fetch_failed/{reason}")
        self.logger.warning("fetch failed: %s (%s)", site_url, reason)
        self._record_failure(site_url, reason, status, request.meta.get("retry_times", 0) + 1)
        if status in (404, 410) and request.meta.get("article") and self.crawl_state is not None:
            self.crawl_state.mark_gone(site_url, status)  # gone for good; anything else is retried next run
        return None

    def _record_failure(self, url: str, reason: str, status: int | None, attempts: int) -> None:
        if not self.failures_path:
            return
        path = Path(self.failures_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"url": url, "reason": reason, "status": status, "attempts": attempts,
                "time": now_utc(), "run": self.run.id}
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    def _failed_last_time(self) -> list[str]:
        """Article URLs listed in the failures file: retried first when there is no state."""
        path = Path(self.failures_path) if self.failures_path else None
        if path is None or not path.exists():
            return []
        urls = []
        for line in path.read_text("utf-8", errors="replace").splitlines():
            try:
                url = json.loads(line)["url"]
            except (ValueError, KeyError, TypeError):
                continue
            if parse_article_url(url) is not None:
                urls.append(url)
        return list(dict.fromkeys(urls))

    # ---- archive re-extraction ----------------------------------------------------------------

    def _from_warc(self):
        from bhgcrawl.warc import iter_responses

        for site_url, target, status, headers, body, warc_date in iter_responses(self.warc):
            if status != 200 or parse_article_url(site_url) is None:
                continue
            self.crawler.stats.inc_value("bhg/warc_responses")
            response = HtmlResponse(target, status=status, headers=headers, body=body,
                                    request=scrapy.Request(target, meta={"site_url": site_url}))
            yield from self.parse_article(response, crawled_at=warc_date)

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
        self.logger.error("page kept for inspection: %s (%s)", site_url, reason)
        self.crawler.stats.inc_value("bhg/failed_pages")
        self._record_failure(site_url, reason, response.status, response.meta.get("retry_times", 0) + 1)
        if not self.failed_dir:
            return
        folder = Path(self.failed_dir)
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha1(site_url.encode()).hexdigest()[:16]
        (folder / f"{name}.html").write_bytes(response.body)
        (folder / f"{name}.json").write_text(json.dumps(
            {"url": site_url, "fetched_url": response.url, "status": response.status, "reason": reason,
             "detail": detail, "time": now_utc()},
            ensure_ascii=False, indent=1), encoding="utf-8")
