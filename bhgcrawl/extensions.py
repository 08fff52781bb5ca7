"""Crawl extensions: the run summary a scheduler reads after a run, and progress while it runs."""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from bhgcrawl.run import Run
from bhgcrawl.state import now_utc

logger = logging.getLogger(__name__)


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime) else value


def error_counts(stats: dict) -> dict[str, int]:
    return {k: v for k, v in stats.items()
            if k.startswith(("bhg/fetch_failed/", "bhg/extraction_failed", "bhg/dropped/missing",
                             "bhg/dropped/invalid", "bhg/non_html"))}


class RunSummary:
    """Writes `<export>.json` (or `BHG_SUMMARY_PATH`): counts, finish reason, window, errors, stats."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        run = Run.of(self.crawler)
        if run.summary_path is None:
            return
        stats = {k: _jsonable(v) for k, v in sorted(self.crawler.stats.get_stats().items())}
        summary = {
            "run": run.id,
            "started": run.started.isoformat(timespec="seconds"),
            "finished": now_utc(),
            "finish_reason": reason,
            "export": str(run.export_path) if run.export_path else None,
            "window": {"since": str(getattr(spider, "since", None) or "") or None,
                       "until": str(getattr(spider, "until", None) or "") or None},
            "articles": stats.get("item_scraped_count", 0),
            "pages": stats.get("response_received_count", 0),
            "dropped": {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("bhg/dropped/")},
            "errors": error_counts(stats),
            "coverage": {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("bhg/coverage/")},
            "layout_alarm": stats.get("bhg/coverage_alarm"),
            "stats": stats,
        }
        run.summary_path.parent.mkdir(parents=True, exist_ok=True)
        run.summary_path.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


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
        interval = crawler.settings.getfloat("BHG_PROGRESS_INTERVAL", 30)
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    def spider_opened(self, spider):
        self.t0 = time.monotonic()
        self.task = task.LoopingCall(self.log, spider)
        self.task.start(self.interval, now=False)

    def spider_closed(self, spider, reason):
        if self.task is not None and self.task.running:
            self.task.stop()
        self.log(spider, final=True)

    def line(self, spider) -> str:
        stats = self.crawler.stats.get_stats()
        minutes = max(time.monotonic() - self.t0, 1e-6) / 60
        articles = stats.get("item_scraped_count", 0)
        errors = sum(error_counts(stats).values())
        text = (f"pages {stats.get('response_received_count', 0)}, articles {articles}, errors {errors}, "
                f"{articles / minutes:.1f} articles/min")
        oldest = stats.get("bhg/oldest_date_reached")
        since, until = getattr(spider, "since", None), getattr(spider, "until", None)
        if since or until:
            text += f", oldest date reached {oldest or '-'} (window {since or '…'} to {until or '…'})"
        elif oldest:
            text += f", oldest date reached {oldest}"
        return text

    def log(self, spider, final: bool = False):
        logger.info("%s: %s", "done" if final else "progress", self.line(spider))
