"""What went wrong on the wire, counted; a server that asks for a pause (Retry-After) gets one."""

from __future__ import annotations

import asyncio


class ServerFaultsMiddleware:
    """Counts what went wrong on the wire (`bhg/faults/<class>`), retried or not, and honours
    `Retry-After` (seconds, capped by BHG_MAX_RETRY_AFTER) on 429 and 503 before Scrapy's
    RetryMiddleware retries: a server that asks for a pause gets one."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("BHG_MAX_RETRY_AFTER")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_response(self, request, response, spider=None):
        if response.status == 429 or response.status >= 500:
            self.crawler.stats.inc_value(f"bhg/faults/http_{response.status}")
            value = response.headers.get("Retry-After", b"").decode("latin-1").strip()
            if response.status in (429, 503) and value.isdigit():
                await asyncio.sleep(min(float(value), self.cap))
        return response

    def process_exception(self, request, exception, spider=None):
        self.crawler.stats.inc_value(f"bhg/faults/{fault_class(exception)}")
        return None


def fault_class(exception) -> str:
    """A name for what broke a download: timeout, truncated, reset, or the exception's name."""
    name = type(exception).__name__
    text = f"{name} {exception!r}"
    if "Timeout" in name or "TimedOut" in name:
        return "timeout"
    if "DataLoss" in text or "PotentialDataLoss" in text:
        return "truncated"
    if any(x in text for x in ("ConnectionLost", "ConnectionDone", "ConnectionReset", "ConnectionAborted",
                               "ResponseNeverReceived", "ResponseFailed")):
        return "reset"
    return name
