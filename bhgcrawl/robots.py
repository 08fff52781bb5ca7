"""robots.txt: Scrapy's own parser (Protego), which also tells the run which sitemaps robots.txt names,
and keeps a site that is down from filling the log with tracebacks."""

from __future__ import annotations

import logging

from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.misc import load_object

from bhgcrawl.run import Run

_MIDDLEWARE_LOG = "scrapy.downloadermiddlewares.robotstxt"


class SitemapsInRobots(ProtegoRobotParser):
    """ROBOTSTXT_PARSER: robots.txt is read once per host, before the first request to it is sent, so
    the sitemaps are known by the time the home page is parsed."""

    @classmethod
    def from_crawler(cls, crawler, robotstxt_body: bytes):
        # The middleware builds one parser of an empty body when it starts, before any robots.txt is
        # asked for: the filter is in place by the time one fails.
        one_line_network_errors(crawler.settings)
        parser = super().from_crawler(crawler, robotstxt_body)
        run = Run.of(crawler)
        run.sitemaps.extend(url for url in parser.rp.sitemaps if url not in run.sitemaps)
        return parser


class NetworkErrorsInOneLine(logging.Filter):
    """Scrapy's robots.txt middleware logs a failed download of robots.txt with its traceback. A site
    that is down is no bug in the code: the line stays, the traceback of a network error goes (the run
    ends with its own line saying what failed); any other error keeps its traceback."""

    def __init__(self, network: tuple[type[BaseException], ...]):
        super().__init__()
        self.network = network

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], self.network):
            record.exc_info = record.exc_text = None
        return True


def one_line_network_errors(settings) -> None:
    """The errors Scrapy retries (RETRY_EXCEPTIONS) are the network's: one filter on the middleware's
    log, replaced, not added again, by each crawler of the process."""
    network = tuple(load_object(e) if isinstance(e, str) else e for e in settings.getlist("RETRY_EXCEPTIONS"))
    log = logging.getLogger(_MIDDLEWARE_LOG)
    for old in [f for f in log.filters if isinstance(f, NetworkErrorsInOneLine)]:
        log.removeFilter(old)
    log.addFilter(NetworkErrorsInOneLine(network))
