"""The end of a run: its verdict (the exit code and why, in one line) and the summary a scheduler
reads after it, `<export>.json` (or `BHG_SUMMARY_PATH`)."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from scrapy import signals

from bhgcrawl.clock import now_utc
from bhgcrawl.run import Run

logger = logging.getLogger(__name__)


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime) else value


# What a run from a web archive did (stats `bhg/archive/<name>`), in the summary and the progress lines.
ARCHIVE_FIGURES = ("captures_listed", "articles_new", "fetched", "skipped_held", "failed", "oldest_capture",
                   "newest_capture")


def archive_figures(stats: dict) -> dict:
    return {name: stats.get(f"bhg/archive/{name}", None if name.endswith("_capture") else 0)
            for name in ARCHIVE_FIGURES}


def error_counts(stats: dict) -> dict[str, int]:
    return {k: v for k, v in stats.items()
            if k.startswith(("bhg/fetch_failed/", "bhg/extraction_failed", "bhg/dropped/missing",
                             "bhg/dropped/invalid", "bhg/non_html"))}


class RunSummary:
    """Writes `<export>.json` (or `BHG_SUMMARY_PATH`): counts, finish reason, window, errors, stats."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        run = Run.of(self.crawler)
        code, line = run.verdict(self.crawler.stats.get_stats(), reason)
        self.crawler.stats.set_value("bhg/exit_code", code)
        self.crawler.stats.set_value("bhg/outcome", line)
        (logger.error if code else logger.info)("bhg run %s: %s (exit %d)", run.id, line, code)
        stats = {k: _jsonable(v) for k, v in sorted(self.crawler.stats.get_stats().items())}
        window = run.args.window
        summary = {
            "run": run.id,
            "started": run.started.isoformat(timespec="seconds"),
            "finished": now_utc(),
            "finish_reason": reason,
            "exit_code": code,
            "outcome": line,
            "export": str(run.export.path) if run.export and run.export.written else None,
            "window": {"since": str(window.since) if window.since else None,
                       "until": str(window.until) if window.until else None},
            "articles": stats.get("item_scraped_count", 0),
            "pages": stats.get("response_received_count", 0),
            "dropped": {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("bhg/dropped/")},
            "errors": error_counts(stats),
            "coverage": {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("bhg/coverage/")},
            "layout_alarm": stats.get("bhg/coverage_alarm"),
            "source": run.args.source,
            "archive": archive_figures(stats) if run.args.archive else None,
            "stats": stats,
        }
        try:
            run.summary_path.parent.mkdir(parents=True, exist_ok=True)
            run.summary_path.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:
            logger.error("the run summary %s could not be written (%s)", run.summary_path, exc.strerror)
