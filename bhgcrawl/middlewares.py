"""Downloader middlewares of the bhg spider."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


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
        run = getattr(self.crawler, "_bhg_run", None)
        state = run.state if run else None
        if state is not None and state.is_done(meta.get("site_url", request.url)):
            self.crawler.stats.inc_value("bhg/skipped_done")
            raise IgnoreRequest(f"already done: {meta.get('site_url')}")
        return None
