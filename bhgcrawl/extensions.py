"""Crawl extensions: the run summary a scheduler or a test reads after a run."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


class RunSummary:
    """Writes the run's stats and finish reason to `BHG_SUMMARY_PATH` (JSON) when the spider closes."""

    def __init__(self, crawler, path: str):
        self.crawler = crawler
        self.path = Path(path)

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("BHG_SUMMARY_PATH")
        if not path:
            raise NotConfigured
        ext = cls(crawler, path)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason):
        stats = {k: _jsonable(v) for k, v in sorted(self.crawler.stats.get_stats().items())}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"finish_reason": reason, "stats": stats}, ensure_ascii=False,
                                        indent=1), encoding="utf-8")
