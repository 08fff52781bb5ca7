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
from datetime import UTC, datetime
from pathlib import Path
from weakref import WeakKeyDictionary

from scrapy import signals

from bhgcrawl.arguments import Arguments
from bhgcrawl.exports import ExportFile, recover_tail
from bhgcrawl.failures import Failures
from bhgcrawl.record import content_hash
from bhgcrawl.state import State
from bhgcrawl.urls import BaseUrlMap

logger = logging.getLogger(__name__)

_RUNS: WeakKeyDictionary = WeakKeyDictionary()  # crawler → its Run


class Run:
    def __init__(self, settings, args: Arguments, count=lambda stat: None):
        self.args = args
        self.started = datetime.now(UTC)
        self.id = self.started.strftime("%Y%m%dT%H%M%SZ")
        self.urlmap = BaseUrlMap(settings.get("BHG_BASE_URL") or "")
        self.failures = Failures(settings.get("BHG_FAILURES_PATH"), settings.get("BHG_FAILED_PAGES_DIR"), self.id,
                                 count)
        # With -o/-O Scrapy's FEEDS write the export; otherwise the run writes its own file.
        self.feeds = bool(settings.getdict("FEEDS"))
        self.export: ExportFile | None = None
        if not self.feeds:
            self.export = ExportFile.new(Path(settings.get("BHG_EXPORT_DIR")), self.id,
                                         settings.getlist("FEED_EXPORT_FIELDS"))
        summary = settings.get("BHG_SUMMARY_PATH")
        self.summary_path = Path(summary) if summary else (
            self.export.path.with_suffix(".json") if self.export else None)
        self.finish_reason = "finished"
        self.sitemaps: list[str] = []  # named in robots.txt (bhgcrawl.robots)
        state_path = settings.get("BHG_STATE_PATH")
        # Re-extraction from WARC files neither reads nor changes what earlier runs did.
        self.state: State | None = State(state_path) if (state_path and not args.warc) else None
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
        return run

    @staticmethod
    def of(crawler) -> Run:
        try:
            return _RUNS[crawler]
        except KeyError:
            raise RuntimeError("no bhg run has started for this crawler: the bhg spider starts it") from None

    def _spider_closed(self, spider, reason):
        self.finish_reason = reason

    def _engine_stopped(self):
        if self.state is not None:
            self.state.finish_run(self.id, self.finish_reason)
            self.state.close()
            self.state = None


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
