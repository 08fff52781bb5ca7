"""Scrapy settings for bhgcrawl: polite by default, every BHG_* setting documented in README."""

from bhgcrawl import __version__
from bhgcrawl.record import FIELDS

BOT_NAME = "bhgcrawl"
SPIDER_MODULES = ["bhgcrawl.spiders"]
NEWSPIDER_MODULE = "bhgcrawl.spiders"
# Our `crawl` exits non-zero when a layout alarm was raised (bhgcrawl/extensions/coverage.py).
COMMANDS_MODULE = "bhgcrawl.commands"

USER_AGENT = f"bhgcrawl/{__version__} (+https://github.com/bhgcrawl/bhgcrawl)"

# Politeness: a small provincial server.
ROBOTSTXT_OBEY = True
# Protego, as Scrapy's default, also telling the run which sitemaps robots.txt names.
ROBOTSTXT_PARSER = "bhgcrawl.robots.SitemapsInRobots"
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
COOKIES_ENABLED = False
# A page past 16 MiB is no article; past 4 MiB it is logged. Memory grows with a page's elements.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_HANDLERS = {
    "http": "bhgcrawl.handlers.CountedRetriesHTTPHandler",
    "https": "bhgcrawl.handlers.CountedRetriesHTTPHandler",
}
TELNETCONSOLE_ENABLED = False
# A callback yields one record or a listing's few dozen requests, and every pipeline is synchronous:
# nothing gains from processing outputs concurrently, while Scrapy starts this many asyncio workers
# for the output of every response (100 by default; about 5% of a crawl's CPU).
CONCURRENT_ITEMS = 8
# Scrapy's check for `return value` in generator callbacks re-reads and re-parses the callback's
# source for every response (its cache is keyed by the bound method, new for every request): 5% of
# a crawl's CPU. tests/unit/test_spider.py makes the same check once, on every callback of the spider.
WARN_ON_GENERATOR_RETURN_VALUE = False

# Empty: fetch the live site. A base URL (http://127.0.0.1:8000) fetches every site URL from there
# instead (replay server, mirror), while records keep the canonical site URL.
BHG_BASE_URL = ""
# Pages whose extraction failed are saved here for inspection.
BHG_FAILED_PAGES_DIR = "failed"
# The crawl's memory (SQLite): what was emitted, what is pending. Empty: no state, every run is full.
# A relative path (this one, and every path below) is the project folder's, the one with scrapy.cfg
# (under Scrapyd: its working directory). `{window}` (here and in any path below) is the window of
# -a since/until as `-2019-01-01_2019-12-31` (empty without one): each window its own state.
BHG_STATE_PATH = "state/bhg{window}.sqlite3"
# A damaged, truncated, foreign or empty state stops the run ("stop"); "new" sets it aside
# (<state>.damaged-<time>) and starts a new one.
BHG_STATE_ON_DAMAGE = "stop"
# Without -o/-O, each run writes <dir>/<run start, UTC>.jsonl and a <run>.json summary; a window's
# runs in a folder of their own.
BHG_EXPORT_DIR = "exports/bhg{window}"
# A scheduled run stops paging a section after this many listing pages with nothing new.
BHG_STOP_AFTER_SEEN_PAGES = 1
# Longest pause a Retry-After header may ask for, in seconds.
BHG_MAX_RETRY_AFTER = 60
# Pages that still fail after retries are listed here (one JSON line each); the next run retries them first.
BHG_FAILURES_PATH = "exports/failures.jsonl"
# Layout alarm: floors of field coverage overriding bhgcrawl.extensions.coverage.DEFAULT_FLOORS, e.g.
# -s 'BHG_COVERAGE_FLOORS={"authors": 0.5}'. BHG_COVERAGE_ENABLED=False turns the alarm off.
BHG_COVERAGE_ENABLED = True
BHG_COVERAGE_FLOORS = {}
# Walk sections through the platform's listing API when a page shows their id; False: HTML pages only.
BHG_LISTING_API = True
# A run walks at most this many sections (a menu of 50,000 "sections" is no menu): a warning when reached.
BHG_MAX_SECTIONS = 300
# A section whose first page answered 404 is not asked for again for this many days.
BHG_MISSING_SECTION_DAYS = 30
# An article whose page gives no record (no text, undecodable) is tried by this many runs, then given up.
BHG_MAX_ATTEMPTS = 3
# A section's walk never reads more listing pages than this (a listing that links to itself forever).
BHG_MAX_LISTING_PAGES = 5000
# Seconds between progress lines in the log.
BHG_PROGRESS_INTERVAL = 30
# A directory: write every fetched request and response there as gzipped WARC 1.1.
BHG_WARC_DIR = ""
BHG_WARC_MAX_SIZE = 1_000_000_000

# When set, the run's stats and finish reason are written there as JSON at the end of the run.
BHG_SUMMARY_PATH = ""

# The web archives (-a source=wayback|commoncrawl). Each is asked one request at a time, at most *_RATE
# requests a minute (the Wayback Machine's CDX and captures together, Common Crawl's index and data
# together: the spider makes their DOWNLOAD_SLOTS from these). Slow on purpose: both are shared public
# services that answer clients in a hurry with 429/503 and then block them.
BHG_WAYBACK_URL = "https://web.archive.org"
BHG_WAYBACK_RATE = 24
# Rows a CDX answer lists (its `limit`): one page of a Wayback listing.
BHG_WAYBACK_CDX_ROWS = 5000
BHG_CC_INDEX_URL = "https://index.commoncrawl.org"
BHG_CC_DATA_URL = "https://data.commoncrawl.org"
BHG_CC_RATE = 30
# An archive that answers 429 (too many requests) this many times in a row ends the run (exit 4): archives
# block clients that go on.
BHG_ARCHIVE_MAX_429 = 3

EXTENSIONS = {
    # Scrapy's feed exports, whose write errors end the run (exit 5) rather than one traceback per item.
    "scrapy.extensions.feedexport.FeedExporter": None,
    "bhgcrawl.extensions.feeds.CheckedFeedExporter": 0,
    "bhgcrawl.extensions.summary.RunSummary": 500,
    "bhgcrawl.extensions.progress.Progress": 510,
    "bhgcrawl.extensions.coverage.FieldCoverage": 490,
}

DOWNLOADER_MIDDLEWARES = {
    # First of all: only the site's hosts, mapped to BHG_BASE_URL (redirects included).
    "bhgcrawl.middlewares.site_only.SiteOnlyMiddleware": 40,
    # An article the state already has is not fetched again.
    "bhgcrawl.middlewares.skip_done.SkipDoneMiddleware": 50,
    # A web archive's 429/503: its slot waits; repeated 429s stop the run before the archive blocks us.
    "bhgcrawl.middlewares.archive_pace.ArchivePaceMiddleware": 555,
    "bhgcrawl.middlewares.server_faults.ServerFaultsMiddleware": 560,
    "bhgcrawl.middlewares.page_integrity.PageIntegrityMiddleware": 590,
    # Next to the network, so the archive holds what the server sent, retries included.
    "bhgcrawl.warc.WarcCaptureMiddleware": 950,
}

ITEM_PIPELINES = {
    "bhgcrawl.pipelines.normalize.NormalizePipeline": 100,
    "bhgcrawl.pipelines.validate.ValidatePipeline": 200,
    "bhgcrawl.pipelines.deduplicate.DeduplicatePipeline": 300,
    "bhgcrawl.pipelines.store.StorePipeline": 400,
}

FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(FIELDS)  # the record's order (bhgcrawl/record.py)

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
