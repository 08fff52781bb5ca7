"""Store: append each record to the run's own JSON Lines file, then mark it done in the state.

Without `-o/-O` every run writes `exports/bhg/<run start>.jsonl`, one flushed line per record, and
commits the article to the state right after its line: a killed run loses at most the line being
written (cut off by the next run's recovery) and never marks an unexported article as done.
With `-o/-O` Scrapy's FEEDS writes the export through its own buffers, so the articles are marked
done only once the feeds are closed; a killed run then re-emits them next time rather than lose them.
Until then they wait in the state's `held` table, not in memory: a long run's memory stays flat.
"""

from __future__ import annotations

import json
import os

from itemadapter import ItemAdapter
from scrapy import signals

from bhgcrawl.pipelines.deduplicate import content_hash
from bhgcrawl.run import Run


class StorePipeline:
    def __init__(self, crawler, run: Run):
        self.run = run
        self.fields = crawler.settings.getlist("FEED_EXPORT_FIELDS")
        self.file = None
        self.written = 0
        crawler.signals.connect(self.feeds_closed, signal=signals.feed_exporter_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Run.of(crawler))

    def open_spider(self, spider=None):
        if self.run.export_path is not None:
            self.run.export_path.parent.mkdir(parents=True, exist_ok=True)
            self.file = open(self.run.export_path, "a", encoding="utf-8")

    def process_item(self, item, spider=None):
        record = item if isinstance(item, dict) else ItemAdapter(item).asdict()
        if self.file is not None:
            ordered = {k: record.get(k) for k in self.fields} if self.fields else record
            self.file.write(json.dumps(ordered, ensure_ascii=False) + "\n")
            self.file.flush()
            self.written += 1
            if self.run.state is not None:
                self.run.state.record_emitted(record, content_hash(record))
        elif self.run.state is not None:
            self.run.state.hold(record, content_hash(record))
        return item

    def feeds_closed(self):
        if self.run.state is not None:
            self.run.state.release_held()

    def close_spider(self, spider=None):
        if self.file is not None:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            self.file = None
