"""Download handler: Scrapy's HTTP/1.1 handler with Twisted's silent retry turned off."""

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


class CountedRetriesHTTPHandler(HTTP11DownloadHandler):
    """Twisted's connection pool quietly retries a request whose reused connection was reset, so
    Scrapy never hears of it. Off: every reset reaches RetryMiddleware, is retried there within
    RETRY_TIMES and counted (`bhg/faults/reset`) like every other fault."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._pool.retryAutomatically = False
