"""What went wrong on the wire, counted; a server that asks for a pause (Retry-After) gets one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


class ServerFaultsMiddleware:
    """Counts what went wrong on the wire (`bhg/faults/<class>`), retried or not, and honours
    `Retry-After` (seconds or an HTTP date, capped by BHG_MAX_RETRY_AFTER) on 429 and 503 before
    Scrapy's RetryMiddleware retries: a server that asks for a pause gets one."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("BHG_MAX_RETRY_AFTER")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_response(self, request, response, spider=None):
        if response.status == 429 or response.status >= 500:
            self.crawler.stats.inc_value(f"bhg/faults/http_{response.status}")
            pause = retry_after(response.headers.get("Retry-After", b"").decode("latin-1"))
            if response.status in (429, 503) and pause is not None:
                await asyncio.sleep(min(pause, self.cap))
        return response

    def process_exception(self, request, exception, spider=None):
        self.crawler.stats.inc_value(f"bhg/faults/{fault_class(exception)}")
        return None


def retry_after(value: str) -> float | None:
    """The seconds a `Retry-After` value asks for: a number of seconds, or an HTTP date (RFC 9110),
    0 when that date has passed; None when it is neither."""
    value = value.strip()
    # ASCII digits only (RFC 9110's delay-seconds): str.isdigit() also takes "²", which float()
    # refuses, and "١٢", which it reads as 12.
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, origin unknown
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


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
