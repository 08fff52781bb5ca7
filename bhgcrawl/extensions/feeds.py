"""Scrapy's feed exports (`-o/-O`), whose write errors end the run instead of logging a traceback per item.

A full disk or a path that cannot be written under a feed: Scrapy's FeedExporter logs the error of
every item and the run goes on, exit 0, while the state would mark the articles done. Here the first
such error is counted as a failed feed (so the held records are not released: the next run fetches
them again), said in one line, and the run ends with exit 5.
"""

from __future__ import annotations

from scrapy.extensions.feedexport import FeedExporter

from bhgcrawl import write_errors
from bhgcrawl.run import EXIT_WRITE, Run


class CheckedFeedExporter(FeedExporter):
    failed = False

    def item_scraped(self, item, spider):
        if self.failed:
            return
        try:
            super().item_scraped(item, spider)
        except OSError as exc:
            self.failed = True
            self.crawler.stats.inc_value("feedexport/failed_count/write_error")
            Run.of(self.crawler).fail(self.crawler, EXIT_WRITE, f"a feed cannot be written ({exc.strerror}): "
                                      f"{write_errors.fix(exc, 'give -o/-O a writable path')}; its articles are "
                                      "fetched again by the next run")

    async def _close_slot(self, slot, spider) -> None:
        if not self.failed:
            return await super()._close_slot(slot, spider)
        try:  # already said in one line; storing what is left can only fail again
            slot.file.close()
        except (OSError, AttributeError):
            pass
        return None
