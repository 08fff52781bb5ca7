"""Walk policy: which articles a date window wants, and when a section's walk reads its next page.

Pure, no Scrapy: the spider asks, these answer.

- `Window`: `-a since=… -a until=…` (days, both inclusive, either left open).
- `WalkPolicy`: a walk reads a section's listing page after page; it stops at a page without
  articles of its section, at a page that lists nothing its previous page did not (a listing that
  links to itself), at `BHG_MAX_LISTING_PAGES`, once a backfill's listing is older than `since`, and,
  on a scheduled run, after `BHG_STOP_AFTER_SEEN_PAGES` pages in a row with nothing new.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from bhgcrawl.dates import Timestamp, month_timestamp
from bhgcrawl.platform import API_PATHS
from bhgcrawl.urls import category_of, parse_article_url


@dataclass(frozen=True)
class Window:
    since: date | None = None
    until: date | None = None

    def __bool__(self) -> bool:
        return bool(self.since or self.until)

    @property
    def key(self) -> str | None:
        """The window's name in the state (`2019-01-01..2019-12-31`, `2019-01-01..`), or None."""
        return f"{self.since or ''}..{self.until or ''}" if self else None

    @property
    def label(self) -> str:
        """The window in file names (`-2019-01-01_2019-12-31`, `-since-2019-01-01`,
        `-until-2019-12-31`; empty without one): what `{window}` in a path setting becomes."""
        if self.since and self.until:
            return f"-{self.since}_{self.until}"
        if self.since or self.until:
            return f"-since-{self.since}" if self.since else f"-until-{self.until}"
        return ""

    def contains(self, day: date) -> bool:
        return (not self.since or day >= self.since) and (not self.until or day <= self.until)

    def contains_time(self, iso: str) -> bool:
        """Whether an ISO 8601 time (a record's `published`) falls on a day of the window."""
        return self.contains(datetime.fromisoformat(iso).date())

    def may_contain(self, url: str, listed: Timestamp | None, modified: Timestamp | None = None) -> bool:
        """Whether a listed article may fall in the window: its listing date if one is printed, else
        its URL's month (any day of it); an article last modified before `since` was published before."""
        if not self:
            return True
        if modified is not None and self.since and modified.value.date() < self.since:
            return False
        if listed is not None:
            return self.contains(listed.value.date())
        ref = parse_article_url(url)
        month = month_timestamp(ref.yyyymm) if ref else None
        if month is None:
            return True
        first = month.value.date()
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return (not self.since or last >= self.since) and (not self.until or first <= self.until)


@dataclass
class Listed:
    """What a listing page holds for a walk."""

    wanted: list[tuple[str, str]] = field(default_factory=list)  # (url, category) worth a request
    new_in_section: int = 0  # of `wanted`, those of the walk's own section
    section_urls: set[str] = field(default_factory=set)  # every article of the walk's section it lists
    oldest: date | None = None  # the oldest date among those, printed or the URL's month


@dataclass(frozen=True)
class Verdict:
    """Whether a walk goes on; a stop worth counting names its stat and a warning."""

    go_on: bool
    stat: str | None = None
    warning: str | None = None


_GO_ON = Verdict(True)
_STOP = Verdict(False)


class WalkPolicy:
    def __init__(self, window: Window, full: bool = False, incremental: bool = True, stop_after_seen: int = 1,
                 max_pages: int = 5000, wants=lambda category: True):
        self.window = window
        self.wants = wants  # whether a section is to be crawled (`-a category=`)
        # Walks the state has never seen reach their end (a section new to it, or whose first page
        # failed): walked to their end, not stopped at pages of articles other channels brought.
        self.never_ended: set[str] = set()
        self.full = full
        self.incremental = incremental  # a state says what earlier runs saw
        self.stop_after_seen = stop_after_seen
        self.max_pages = max_pages
        self.pages: dict[str, int] = {}  # per walk: listing pages read in this run
        self.seen_in_a_row: dict[str, int] = {}  # per walk: listing pages in a row with nothing new
        # Per walk, the section's articles on its last page only: a long walk's memory stays flat,
        # and the page cap does the rest.
        self.last_listed: dict[str, set[str]] = {}
        self.pages_read: dict[str, set[bytes]] = {}  # per walk, 8 bytes per page: what each page listed

    def listed(self, articles, walk: str | None, done: set[str], done_before: set[str] | None = None) -> Listed:
        """Which of a listing page's `articles` (`pages.listing.ListedArticle`) the walk wants: those
        of wanted sections the window may hold and the state has not `done`. What is new to the walk is
        what earlier runs had not done (`done_before`): an article this run already fetched through
        another channel (a feed, another section) is still news on this page."""
        out = Listed()
        walk_category = category_of(walk) if walk else None
        for item in articles:
            ref = parse_article_url(item.url)
            if ref is None or not self.wants(ref.category):
                continue
            in_section = walk_category is not None and (ref.category == walk_category
                                                         or ref.category.startswith(walk_category + "/"))
            if in_section:
                out.section_urls.add(item.url)
                month = month_timestamp(ref.yyyymm)
                when = item.published.value.date() if item.published else month.value.date() if month else None
                if when is not None and (out.oldest is None or when < out.oldest):
                    out.oldest = when
            if not self.window.may_contain(item.url, item.published, item.modified):
                continue
            out.new_in_section += in_section and item.url not in (done if done_before is None else done_before)
            if item.url not in done:
                out.wanted.append((item.url, ref.category))
        return out

    def after_page(self, walk: str, section_urls: set[str], new: int, oldest: date | None) -> Verdict:
        """A listing page of `walk` was read: it listed `section_urls` of its section, `new` of them
        not done yet, the oldest dated `oldest`. Is the next page worth a request?"""
        pages = self.pages[walk] = self.pages.get(walk, 0) + 1
        if not section_urls:
            if pages > 1:
                return Verdict(False, "bhg/empty_listing_pages",
                               f"listing page without articles of its section ends the walk of {walk}")
            return _STOP
        read = self.pages_read.setdefault(walk, set())
        digest = hashlib.blake2b("\n".join(sorted(section_urls)).encode(), digest_size=8).digest()
        if section_urls <= self.last_listed.get(walk, set()) or digest in read:
            # Nothing its previous page did not list, or a page it already read (a listing that
            # alternates between two pages): a listing that links to itself forever.
            return Verdict(False, "bhg/listing_traps", f"listing of {walk} repeats itself: walk stopped")
        self.last_listed[walk] = section_urls
        read.add(digest)
        if pages >= self.max_pages:
            return Verdict(False, "bhg/listing_page_cap",
                           f"walk of {walk} stopped at BHG_MAX_LISTING_PAGES={self.max_pages}")
        if self.window:
            since = self.window.since
            return _STOP if (since and oldest is not None and oldest < since) else _GO_ON
        if self.full or not self.incremental or walk in self.never_ended:
            return _GO_ON
        # A scheduled run: pages of nothing new mean the rest was seen by earlier runs.
        if new:
            self.seen_in_a_row[walk] = 0
            return _GO_ON
        self.seen_in_a_row[walk] = self.seen_in_a_row.get(walk, 0) + 1
        return _GO_ON if self.seen_in_a_row[walk] < self.stop_after_seen else _STOP


# A section's path as the site writes them: one to three slugs (`kinh-te/nong-lam-nghiep`, `english/Culture`).
_SECTION_PATH = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,63}(?:/[A-Za-z][A-Za-z0-9-]{0,63}){0,2}")


def _missing_lately(remembered: dict[str, tuple[int, str]], missing_days: int, now: datetime) -> set[str]:
    # As times, not as text: the state writes UTC, `now` is the spider's clock (+07:00).
    lately = now - timedelta(days=missing_days)
    return {url for url, (status, seen) in remembered.items()
            if status in (404, 410) and datetime.fromisoformat(seen) >= lately}


def api_missing(remembered: dict[str, tuple[int, str]], missing_days: int, now: datetime) -> set[str]:
    """The hosts whose listing API answered 404 lately (remembered beside the sections)."""
    return {urlsplit(url).hostname for url in _missing_lately(remembered, missing_days, now)
            if urlsplit(url).path in API_PATHS}


def sections_to_walk(found: list[str], remembered: dict[str, tuple[int, str]], hosts: set[str], wants,
                     cap: int, missing_days: int, now: datetime) -> tuple[list[str], int]:
    """The sections a run walks, and how many more it leaves out for the cap: those found on its pages
    and those earlier runs walked, on the hosts it walks, that look like the site's sections and are
    wanted; not those whose first page answered 404 in the last `missing_days` days."""
    missing = _missing_lately(remembered, missing_days, now)
    walked = [url for url, (status, _seen) in remembered.items() if status == 200]
    out: dict[str, None] = {}
    for url in [*found, *walked]:
        path = category_of(url)
        if (url not in missing and urlsplit(url).hostname in hosts and path and _SECTION_PATH.fullmatch(path)
                and wants(path)):
            out.setdefault(url, None)
    sections = list(out)
    return sections[:cap], max(0, len(sections) - cap)
