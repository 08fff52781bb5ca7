"""One record per article: never twice in a run, never again across runs unless its content changed."""

from __future__ import annotations

from datetime import datetime

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from bhgcrawl.dates import SITE_TZ
from bhgcrawl.record import content_hash
from bhgcrawl.run import Run
from bhgcrawl.urls import UrlSet


class Duplicate(DropItem):
    """The article was already emitted by this run."""


class Unchanged(DropItem):
    """The state holds the article with the same content: nothing to emit."""


class DeduplicatePipeline:
    def __init__(self, stats, state=None):
        self.stats = stats
        self.state = state
        self.seen = UrlSet()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, Run.of(crawler).state)

    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        url = adapter["url"]
        if not self.seen.add(url):
            self.stats.inc_value("bhg/dropped/duplicate")
            raise Duplicate(f"duplicate: {url}")
        previous = self.state.article(url) if self.state else None
        if previous is None:
            return item
        capture = adapter.get("capture")
        if previous["content_hash"] == content_hash(adapter.asdict()):
            self.state.touch(url, capture["digest"] if capture else None)
            self.stats.inc_value("bhg/dropped/unchanged")
            raise Unchanged(f"unchanged since {previous['last_seen']}: {url}")
        # A refreshed article whose content changed: a new version, stamped with when it changed; an
        # archive's copy says nothing of when that was, so its `modified` is the page's own.
        adapter["version"] = previous["version"] + 1
        if not adapter.get("modified") and not capture:
            crawled = datetime.fromisoformat(adapter["crawled_at"]).astimezone(SITE_TZ)
            adapter["modified"] = crawled.isoformat(timespec="seconds")
        self.stats.inc_value("bhg/new_versions")
        return item
