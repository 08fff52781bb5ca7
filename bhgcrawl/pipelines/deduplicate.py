"""One record per article: never twice in a run, never again across runs unless its content changed."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from bhgcrawl.dates import SITE_TZ
from bhgcrawl.run import Run

# What makes a new version: the article's own content, not its related list or section label.
CONTENT_FIELDS = ("title", "published", "lead", "body", "byline", "authors", "credits", "source", "images", "tags")


def content_hash(record: dict) -> str:
    content = {k: record.get(k) for k in CONTENT_FIELDS}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


class DeduplicatePipeline:
    def __init__(self, stats, run: Run | None = None):
        self.stats = stats
        self.state = run.state if run else None
        self.seen: set[bytes] = set()  # 8-byte digests of URLs: a long run's memory stays small

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, Run.of(crawler))

    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        url = adapter["url"]
        digest = hashlib.blake2b(url.encode(), digest_size=8).digest()
        if digest in self.seen:
            self.stats.inc_value("bhg/dropped/duplicate")
            raise DropItem(f"duplicate: {url}")
        self.seen.add(digest)
        previous = self.state.article(url) if self.state else None
        if previous is None:
            return item
        if previous["content_hash"] == content_hash(adapter.asdict()):
            self.state.touch(url)
            self.stats.inc_value("bhg/dropped/unchanged")
            raise DropItem(f"unchanged since {previous['last_seen']}: {url}")
        # A refreshed article whose content changed: a new version, stamped with when it changed.
        adapter["version"] = previous["version"] + 1
        if not adapter.get("modified"):
            crawled = datetime.fromisoformat(adapter["crawled_at"]).astimezone(SITE_TZ)
            adapter["modified"] = crawled.isoformat(timespec="seconds")
        self.stats.inc_value("bhg/new_versions")
        return item
