"""A web archive asked to slow down is slowed down, and one that keeps refusing is left alone.

Requests to an archive go through its own download slot (`request.meta["download_slot"]`: `wayback`
or `commoncrawl`, one request at a time at the archive's rate; see `spiders/archives.py`). Scrapy's
RetryMiddleware retries a 429 or 503 and server_faults makes that one request wait for its
`Retry-After`; but every other request queued in the slot would still go at the usual pace, which is
what an archive blocks clients for. So on a 429 or 503 the whole slot waits: `Retry-After` (capped by
BHG_MAX_RETRY_AFTER) or, when the answer names no pause (Common Crawl's 503s), twice the slot's delay,
which is also doubled for the rest of the run ("slow down"). BHG_ARCHIVE_MAX_429 429s in a row end the
run (exit 4) with one line, and nothing more is sent to that archive.

It acts on `response_downloaded`, as AutoThrottle does: the signal comes before the downloader takes
the slot's next request, so that request already waits.
"""

from __future__ import annotations

import logging
from time import monotonic

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from bhgcrawl.middlewares.server_faults import retry_after
from bhgcrawl.run import EXIT_SITE, Run

logger = logging.getLogger(__name__)

NAMES = {"wayback": "the Wayback Machine", "commoncrawl": "Common Crawl"}


class ArchivePaceMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("BHG_MAX_RETRY_AFTER")
        self.max_429 = crawler.settings.getint("BHG_ARCHIVE_MAX_429")
        self.in_a_row: dict[str, int] = {}
        self.stopped: set[str] = set()
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        archive = request.meta.get("bhg_archive")
        if archive in self.stopped:
            raise IgnoreRequest(f"{NAMES[archive]} asked us to stop: not sent")
        return None

    def response_downloaded(self, response, request, spider=None):
        archive = request.meta.get("bhg_archive")
        if archive is None:
            return
        stats = self.crawler.stats
        if response.status not in (429, 503):
            self.in_a_row[archive] = 0
            return
        stats.inc_value(f"bhg/archive/throttled/http_{response.status}")
        slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot"))
        asked = retry_after(response.headers.get("Retry-After", b"").decode("latin-1"))
        if slot is not None:
            if asked is None:
                slot.delay = min(max(slot.delay, 0.01) * 2, max(self.cap, slot.delay))
            pause = min(asked if asked is not None else slot.delay, self.cap)
            # The slot sends its next request `delay` after `lastseen`: put that `pause` from now.
            slot.lastseen = max(slot.lastseen, monotonic() + pause - slot.delay)
        if response.status == 429:
            self.in_a_row[archive] = self.in_a_row.get(archive, 0) + 1
            if self.in_a_row[archive] >= self.max_429 and archive not in self.stopped:
                self.stopped.add(archive)
                Run.of(self.crawler).fail(
                    self.crawler, EXIT_SITE,
                    f"{NAMES[archive]} answered 429 (too many requests) {self.in_a_row[archive]} times in a row: "
                    f"stopped before it blocks this client; run the same command later (the backfill goes on "
                    f"where it stopped), with a lower BHG_{'WAYBACK' if archive == 'wayback' else 'CC'}_RATE")
