"""The run: one run of the spider and what it owns.

What it was asked to do (the spider's arguments), its id (the start time, UTC), the site's URL map
(`BHG_BASE_URL`), its export file and summary path, its failures ledger, and the state it holds.
The spider starts it (`Run.start`, in its `from_crawler`, which Scrapy calls before it builds any
other component); every other component finds it with `Run.of(crawler)`. Opening the state takes
the run lock, so a second run on the same state fails at start-up (`scrapy crawl` exits non-zero
with the message) before it fetches anything, and recovers what a killed run left: its export's
tail and the records it held for -o/-O feeds.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.utils.conf import closest_scrapy_cfg
from scrapy.utils.defer import deferred_from_coro

from bhgcrawl.arguments import Arguments
from bhgcrawl.exports import ExportFile, recover_tail
from bhgcrawl.failures import Failures
from bhgcrawl.record import content_hash
from bhgcrawl.state import State, StateError
from bhgcrawl.urls import BaseUrlMap
from bhgcrawl.walks import Window

logger = logging.getLogger(__name__)

_RUNS: WeakKeyDictionary = WeakKeyDictionary()  # crawler → its Run
# The layout alarm's stat (set by extensions/coverage.py at the close; read for the exit code).
ALARM_STAT = "bhg/coverage_alarm"

# What `scrapy crawl bhg` exits with (README "Exit codes"; cron and systemd read them).
EXIT_OK, EXIT_USAGE, EXIT_LAYOUT, EXIT_SITE, EXIT_WRITE = 0, 1, 3, 4, 5
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGTERM, as a shell reports a run it interrupted
# The run's files; a relative path is the project folder's (the one with scrapy.cfg), not the
# working directory's, so a run started from a subfolder finds the same state. `{window}` in any of
# them is the backfill window's label, so that runs of different windows (Scrapyd jobs sharded by
# year, running at once) keep apart the states they would otherwise fight over.
WINDOW = "{window}"
PATH_SETTINGS = ("BHG_STATE_PATH", "BHG_EXPORT_DIR", "BHG_FAILURES_PATH", "BHG_FAILED_PAGES_DIR", "BHG_WARC_DIR",
                 "BHG_SUMMARY_PATH")


def project_path(value: str | None, window: Window = Window()) -> Path | None:
    """A path setting, `{window}` in it made the window's label, resolved against the project folder
    (Scrapyd's jobs have none: the working directory they were started in); empty: None."""
    if not value:
        return None
    path = Path(value.replace(WINDOW, window.label)).expanduser()
    if path.is_absolute():
        return path
    cfg = closest_scrapy_cfg()
    return (Path(cfg).parent if cfg else Path.cwd()) / path


class Run:
    def __init__(self, settings, args: Arguments, count=lambda stat: None):
        self.args = args
        self.started = datetime.now(UTC)
        self.id = self.started.strftime("%Y%m%dT%H%M%SZ")
        self.urlmap = BaseUrlMap(settings.get("BHG_BASE_URL") or "")
        paths = {name: project_path(settings.get(name), args.window) for name in PATH_SETTINGS}
        self.failures = Failures(paths["BHG_FAILURES_PATH"], paths["BHG_FAILED_PAGES_DIR"], self.id, count)
        self.warc_dir = paths["BHG_WARC_DIR"]
        # With -o/-O Scrapy's FEEDS write the export; otherwise the run writes its own file.
        self.feeds = bool(settings.getdict("FEEDS"))
        export_dir = paths["BHG_EXPORT_DIR"] or Path.cwd()
        self.export: ExportFile | None = None
        if not self.feeds:
            self.export = ExportFile.new(export_dir, self.id, settings.getlist("FEED_EXPORT_FIELDS"))
        # The summary beside the run's export; with -o/-O where the run's export would be.
        self.summary_path = paths["BHG_SUMMARY_PATH"] or (
            self.export.path.with_suffix(".json") if self.export else export_dir / f"{self.id}.json")
        self.finish_reason = "finished"
        self.failure: tuple[int, str] | None = None  # (exit code, one line) once the run cannot do its work
        self.sitemaps: list[str] = []  # named in robots.txt (bhgcrawl.robots)
        state_path = paths["BHG_STATE_PATH"]
        self._scratch: Path | None = None
        if not state_path and args.archive:
            # A backfill from an archive keeps its listing's choices in a state: without one, a state of
            # this run's own (the next run starts the backfill again, as a run without state crawls all).
            self._scratch = Path(tempfile.mkdtemp(prefix="bhg-state-"))
            state_path = self._scratch / "state.sqlite3"
        # Re-extraction from WARC files neither reads nor changes what earlier runs did.
        self.state: State | None = None
        if state_path and not args.warc:
            self.state = State(state_path, on_damage=settings.get("BHG_STATE_ON_DAMAGE"))
            logger.info("state: %s", state_path)
            if self.feeds:
                logger.warning("with -o/-O and a state, the feed holds this run's new and changed records only: "
                               "`bhgcrawl export` merges every run into one file (README, \"The dataset\")")
        if self.state is not None:
            notes = recover_killed_runs(self.state)
            for note in notes:
                logger.warning("recovered: %s", note)
            if notes and settings.get("JOBDIR"):
                _discard_job_queue(Path(settings["JOBDIR"]))
            self.state.start_run(self.id, str(self.export.path) if self.export else None)

    @classmethod
    def start(cls, crawler, args: Arguments | None = None) -> Run:
        """The run of `crawler`, doing what the spider's arguments ask; started once."""
        if crawler in _RUNS:
            raise RuntimeError("this crawler's run has already started")
        run = _RUNS[crawler] = cls(crawler.settings, args or Arguments(), lambda stat: crawler.stats.inc_value(stat))
        crawler.signals.connect(run._spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(run._engine_stopped, signal=signals.engine_stopped)

        def state_failed(failure, **_kw):  # a callback or a pipeline met a state it cannot write
            if isinstance(failure.value, StateError):
                run.fail(crawler, EXIT_WRITE, str(failure.value))

        crawler.signals.connect(state_failed, signal=signals.spider_error, weak=False)
        crawler.signals.connect(state_failed, signal=signals.item_error, weak=False)
        return run

    @staticmethod
    def of(crawler) -> Run:
        try:
            return _RUNS[crawler]
        except KeyError:
            raise RuntimeError("no bhg run has started for this crawler: the bhg spider starts it") from None

    def fail(self, crawler, code: int, line: str) -> None:
        """The run cannot do its work (an export or the state cannot be written…): said once, in one
        line, and the spider closed; the exit code says so."""
        if self.failure is not None:
            return
        self.failure = (code, line)
        logger.error(line)
        try:
            engine = crawler.engine
        except RuntimeError:  # before the crawl started: nothing to close
            return
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="failed"))

    def verdict(self, stats: dict, reason: str) -> tuple[int, str]:
        """(exit code, why the run ended, in one line) from how it went."""
        if self.failure is not None:
            return self.failure
        if reason == "shutdown":
            return EXIT_INTERRUPTED, "interrupted (Ctrl-C or SIGTERM): the next run goes on where this one stopped"
        failed_feeds = sum(v for k, v in stats.items() if k.startswith("feedexport/failed_count/"))
        if failed_feeds:
            return EXIT_WRITE, f"{failed_feeds} feed(s) could not be written: their articles are fetched again next run"
        read = sum(stats.get(k, 0) for k in ("bhg/listing_pages", "bhg/api/pages", "bhg/articles_extracted",
                                             "bhg/warc_responses", "bhg/found/sitemap", "bhg/found/rss",
                                             "bhg/archive/index_pages", "bhg/archive/listings_done_before"))
        failed = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("bhg/fetch_failed/")}
        if not read:
            why = ", ".join(f"{n} × {k}" for k, n in sorted(failed.items())) or "no answer"
            what = {"wayback": "the Wayback Machine", "commoncrawl": "Common Crawl"}.get(self.args.archive, "the site")
            return EXIT_SITE, f"{what} could not be crawled: nothing was read ({why})"
        if not self.args.warc and not self.args.archive \
                and not (stats.get("bhg/listing_pages") or stats.get("bhg/api/pages")):
            return EXIT_SITE, "the site could not be crawled: no listing page could be read (the home page and the " \
                              "sections' first pages failed)"
        if stats.get(ALARM_STAT):
            return EXIT_LAYOUT, f"layout alarm: {stats[ALARM_STAT]} (see the log's ERROR lines)"
        return EXIT_OK, f"finished: {stats.get('item_scraped_count', 0)} records"

    def _spider_closed(self, spider, reason):
        self.finish_reason = reason

    def _engine_stopped(self):
        if self.state is not None:
            if self.failure is None or self.failure[0] != EXIT_WRITE:
                # A run that could not write leaves itself unfinished: the next run's recovery
                # reconciles its export with the state.
                self.state.finish_run(self.id, self.finish_reason)
            self.state.close()
            self.state = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)


def recover_killed_runs(state: State) -> list[str]:
    """Make the exports of killed runs whole and the state agree with them; what was done, as notes.

    A run killed between writing a line and committing it leaves an exported article that the state
    does not know, and perhaps half a line: the half line is cut off, and every complete line is
    recorded as emitted (unless the state has that version or a newer one), so the next run neither
    loses nor repeats it. Records held for a killed run's -o/-O feeds are dropped, not made done.
    """
    notes = []
    dropped = state.drop_held()
    if dropped:
        notes.append(f"{dropped} records of a killed run's -o/-O feeds were never confirmed: fetched again")
    for run_id, export in state.unfinished_runs():
        recorded = 0
        path = Path(export) if export else None
        if path is not None and path.exists():
            records, cut = recover_tail(path)
            if cut:
                notes.append(f"{path}: cut {cut} bytes of an unfinished line")
            for record in records:
                known = state.article(record["url"])
                if known is None or known["version"] < (record.get("version") or 1):
                    state.record_emitted(record, content_hash(record))
                    recorded += 1
        state.finish_run(run_id, "killed (recovered)")
        notes.append(f"run {run_id} did not finish: {recorded} exported records taken into the state")
    return notes


def _discard_job_queue(jobdir: Path) -> None:
    """A killed run leaves JOBDIR's disk queue half written (Scrapy saves its metadata only at a
    clean close, and the queue files themselves may end mid-record); reading it loses requests or
    fails. The state knows what is pending, so the queue and its seen-set are dropped."""
    for name in ("requests.queue", "requests.seen", "spider.state"):
        target = jobdir / name
        if target.is_dir():
            shutil.rmtree(target)
            logger.warning("discarded %s of the killed run: the state has what was pending", target)
        elif target.exists():
            target.unlink()
