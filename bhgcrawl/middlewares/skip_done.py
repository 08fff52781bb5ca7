"""An article the state already holds is not fetched again."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

from bhgcrawl.run import Run


class AlreadyDone(IgnoreRequest):
    """The request's article is done: not a failure, nothing to record."""


class SkipDoneMiddleware:
    """Drops an article request whose article the state already holds.

    The spider never schedules a done article, but a queue restored from JOBDIR, or an article
    linked again while its first request waits, can still bring one here.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        meta = request.meta
        if not meta.get("article") or meta.get("refresh"):
            return None
        state = Run.of(self.crawler).state
        if state is not None and state.is_done(meta.get("site_url", request.url)):
            self.crawler.stats.inc_value("bhg/skipped_done")
            raise AlreadyDone(f"already done: {meta.get('site_url')}")
        return None
