"""robots.txt's failures in the log: a network error in one line, any other error with its traceback."""

import logging
import sys

from scrapy.exceptions import DownloadConnectionRefusedError
from scrapy.settings import Settings
from twisted.internet.error import ConnectionLost

from bhgcrawl import settings as bhg_settings
from bhgcrawl.robots import NetworkErrorsInOneLine, one_line_network_errors


def logged(exc: BaseException) -> logging.LogRecord:
    try:
        raise exc
    except type(exc):
        return logging.LogRecord("scrapy.downloadermiddlewares.robotstxt", logging.ERROR, __file__, 1,
                                 "Error downloading %(request)s", ({"request": "<GET https://baohagiang.vn/>"},),
                                 sys.exc_info())


def test_a_site_that_is_down_logs_one_line_and_a_bug_its_traceback():
    """Catches a dead site's robots.txt logged with a traceback (a user takes the outage for a crash),
    and the filter hiding the traceback of an error that is a bug."""
    settings = Settings()
    settings.setmodule(bhg_settings)
    one_line_network_errors(settings)
    one_line_network_errors(settings)  # a second crawler in the process replaces the filter
    [only] = [f for f in logging.getLogger("scrapy.downloadermiddlewares.robotstxt").filters
              if isinstance(f, NetworkErrorsInOneLine)]
    for network in (DownloadConnectionRefusedError("Connection refused"), ConnectionLost()):
        record = logged(network)
        assert only.filter(record) and record.exc_info is None
        assert logging.Formatter().format(record) == "Error downloading <GET https://baohagiang.vn/>"
    bug = logged(KeyError("rp"))
    assert only.filter(bug) and bug.exc_info[0] is KeyError
    assert "Traceback" in logging.Formatter().format(bug)
