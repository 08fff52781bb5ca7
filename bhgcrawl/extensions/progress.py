"""Progress lines while a run runs: pages, articles, errors, rate, the oldest date reached."""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from bhgcrawl.extensions.summary import archive_figures, error_counts
from bhgcrawl.run import Run

logger = logging.getLogger(__name__)


class Progress:
    """A log line every `BHG_PROGRESS_INTERVAL` seconds and at the end: how far the run has come."""

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.task = None
        self.t0 = time.monotonic()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("BHG_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    def spider_opened(self, spider):
        self.t0 = time.monotonic()
        self.task = task.LoopingCall(self.log)
        self.task.start(self.interval, now=False)

    def spider_closed(self, spider, reason):
        if self.task is not None and self.task.running:
            self.task.stop()
        self.log(final=True)

    def line(self) -> str:
        stats = self.crawler.stats.get_stats()
        minutes = max(time.monotonic() - self.t0, 1e-6) / 60
        articles = stats.get("item_scraped_count", 0)
        errors = sum(error_counts(stats).values())
        text = (f"pages {stats.get('response_received_count', 0)}, articles {articles}, errors {errors}, "
                f"{articles / minutes:.1f} articles/min")
        args = Run.of(self.crawler).args
        since, until = args.window.since, args.window.until
        if args.archive:
            f = archive_figures(stats)
            text += (f", {args.archive}: {f['captures_listed']} captures listed, {f['articles_new']} articles new, "
                     f"{f['fetched']} fetched, {f['skipped_held']} skipped (already held), {f['failed']} failed, "
                     f"captures reached {f['oldest_capture'] or '-'} to {f['newest_capture'] or '-'}")
            if since or until:
                text += f" (capture window {since or '…'} to {until or '…'})"
            return text
        oldest = stats.get("bhg/oldest_date_reached")
        if since or until:
            text += f", oldest date reached {oldest or '-'} (window {since or '…'} to {until or '…'})"
        elif oldest:
            text += f", oldest date reached {oldest}"
        return text

    def log(self, final: bool = False):
        logger.info("%s: %s", "done" if final else "progress", self.line())
