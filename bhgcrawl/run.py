"""One run of the spider: its id, its export file, its summary file and the state it holds.

Created once per crawler (`Run.of(crawler)`) by whichever component asks first, normally the
spider: opening the state takes the run lock, so a second run on the same state fails at start-up
(`scrapy crawl` exits non-zero with the message) before it fetches anything.
"""

from __future__ import annotations

import logging
import shutil
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals

from bhgcrawl.state import State

logger = logging.getLogger(__name__)


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


class Run:
    def __init__(self, crawler, use_state: bool = True):
        settings = crawler.settings
        self.started = datetime.now(timezone.utc)
        self.id = self.started.strftime("%Y%m%dT%H%M%SZ")
        self.feeds = bool(settings.getdict("FEEDS"))
        export_dir = Path(settings.get("BHG_EXPORT_DIR") or "exports/bhg")
        self.export_path: Path | None = None
        if not self.feeds:
            self.export_path = export_dir / f"{self.id}.jsonl"
            n = 2
            while self.export_path.exists():  # two runs started within one second
                self.export_path = export_dir / f"{self.id}-{n}.jsonl"
                n += 1
        summary = settings.get("BHG_SUMMARY_PATH")
        self.summary_path = Path(summary) if summary else (
            self.export_path.with_suffix(".json") if self.export_path else None)
        state_path = settings.get("BHG_STATE_PATH")
        self.state: State | None = State(state_path) if (use_state and state_path) else None
        if self.state is not None:
            from bhgcrawl.pipelines.deduplicate import content_hash

            notes = self.state.recover(content_hash)
            for note in notes:
                logger.warning("recovered: %s", note)
            if notes and settings.get("JOBDIR"):
                _discard_job_queue(Path(settings["JOBDIR"]))
            self.state.start_run(self.id, str(self.export_path) if self.export_path else None)
        crawler.signals.connect(self._closed, signal=signals.engine_stopped)
        self._reason = "finished"
        crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)

    @classmethod
    def of(cls, crawler, use_state: bool = True) -> "Run":
        run = getattr(crawler, "_bhg_run", None)
        if run is None:
            run = cls(crawler, use_state)
            crawler._bhg_run = run
        return run

    def _spider_closed(self, spider, reason):
        self._reason = reason

    def _closed(self):
        if self.state is not None:
            self.state.finish_run(self.id, self._reason)
            self.state.close()
            self.state = None
