"""Store: append each record to the run's own JSON Lines file, then mark it done in the state.

Without `-o/-O` the record's line is written and flushed (`bhgcrawl.exports`) before the article is
committed to the state: a killed run loses at most the line being written (cut off by the next
run's recovery) and never marks an unexported article as done. With `-o/-O` Scrapy's FEEDS write
the export through their own buffers, so the articles are marked done only once the feeds are
closed; a killed run then re-emits them next time rather than lose them. Until then they wait in
the state's `held` table, not in memory: a long run's memory stays flat.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy import signals

from bhgcrawl.record import content_hash
from bhgcrawl.run import Run


class StorePipeline:
    def __init__(self, crawler, run: Run):
        self.export = run.export
        self.state = run.state
        crawler.signals.connect(self.feeds_closed, signal=signals.feed_exporter_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Run.of(crawler))

    def open_spider(self, spider=None):
        if self.export is not None:
            self.export.open()

    def process_item(self, item, spider=None):
        record = item if isinstance(item, dict) else ItemAdapter(item).asdict()
        if self.export is not None:
            self.export.append(record)
            if self.state is not None:
                self.state.record_emitted(record, content_hash(record))
        elif self.state is not None:
            self.state.hold(record, content_hash(record))
        return item

    def feeds_closed(self):
        if self.state is not None:
            self.state.release_held()

    def close_spider(self, spider=None):
        if self.export is not None:
            self.export.close()
