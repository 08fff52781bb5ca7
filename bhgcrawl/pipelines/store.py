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
from scrapy.exceptions import DropItem

from bhgcrawl import write_errors
from bhgcrawl.record import content_hash
from bhgcrawl.run import EXIT_WRITE, Run
from bhgcrawl.state import StateError


class StorePipeline:
    def __init__(self, crawler, run: Run):
        self.crawler = crawler
        self.run = run
        self.export = run.export
        self.state = run.state
        crawler.signals.connect(self.feeds_closed, signal=signals.feed_exporter_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, Run.of(crawler))

    def process_item(self, item, spider=None):
        record = item if isinstance(item, dict) else ItemAdapter(item).asdict()
        try:
            if self.export is not None:
                self.export.append(record)
                if self.state is not None:
                    self.state.record_emitted(record, content_hash(record))
            elif self.state is not None:
                self.state.hold(record, content_hash(record))
        except OSError as exc:
            self.run.fail(self.crawler, EXIT_WRITE, f"the export {self.export.path} cannot be written "
                          f"({exc.strerror}): {write_errors.fix(exc, 'set -s BHG_EXPORT_DIR= elsewhere')}; what was "
                          "not written is fetched again by the next run")
            raise DropItem(f"not written: {record.get('url')}") from None
        except StateError as exc:
            self.run.fail(self.crawler, EXIT_WRITE, str(exc))
            raise DropItem(f"not recorded: {record.get('url')}") from None
        return item

    def feeds_closed(self):
        """The feeds are closed: their records are done, unless one of them failed (Scrapy counts a
        failed store in `feedexport/failed_count/*`) or the run already failed to write."""
        failed = any(k.startswith("feedexport/failed_count/") for k in self.crawler.stats.get_stats())
        if self.state is not None and not failed and self.run.failure is None:
            self.state.release_held()

    def close_spider(self, spider=None):
        if self.export is not None:
            self.export.close()
