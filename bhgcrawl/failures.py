"""What failed, written down for a person and for the next run.

- The failures ledger (`BHG_FAILURES_PATH`, JSON Lines): one line per page that still failed after
  retries, or whose extraction failed: `{"url", "reason", "status", "attempts", "time", "run"}`.
  Without a state, the next run retries the article URLs listed there first.
- Kept pages (`BHG_FAILED_PAGES_DIR`): what the server sent for a page whose extraction failed,
  `<hash>.html`, and why, `<hash>.json`. Named by a hash of the URL, never by the URL itself, so no
  path can be smuggled into a file name.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from bhgcrawl.clock import now_utc
from bhgcrawl.urls import parse_article_url

logger = logging.getLogger(__name__)


class Failures:
    def __init__(self, ledger: str | Path | None, pages_dir: str | Path | None, run_id: str, count=lambda stat: None):
        self.ledger = Path(ledger) if ledger else None
        self.pages_dir = Path(pages_dir) if pages_dir else None
        self.run_id = run_id
        self._count = count  # counts a stat (the crawler's stats exist only once the crawl starts)

    def keep(self, response, url: str, reason: str, detail: str = "") -> None:
        """A page whose extraction failed: logged, counted, listed in the ledger, and kept."""
        logger.error("page kept for inspection: %s (%s)", url, reason)
        self._count("bhg/failed_pages")
        self.record(url, reason, response.status, response.meta.get("retry_times", 0) + 1)
        self.keep_page(url, response.url, response.status, response.body, reason, detail)

    def record(self, url: str, reason: str, status: int | None, attempts: int) -> None:
        if self.ledger is None:
            return
        self.ledger.parent.mkdir(parents=True, exist_ok=True)
        line = {"url": url, "reason": reason, "status": status, "attempts": attempts, "time": now_utc(),
                "run": self.run_id}
        with open(self.ledger, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    def keep_page(self, url: str, fetched_url: str, status: int, body: bytes, reason: str, detail: str = "") -> None:
        if self.pages_dir is None:
            return
        self.pages_dir.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha1(url.encode()).hexdigest()[:16]
        (self.pages_dir / f"{name}.html").write_bytes(body)
        (self.pages_dir / f"{name}.json").write_text(json.dumps(
            {"url": url, "fetched_url": fetched_url, "status": status, "reason": reason, "detail": detail,
             "time": now_utc()}, ensure_ascii=False, indent=1), encoding="utf-8")

    def articles_failed_before(self) -> list[str]:
        """The article URLs the ledger lists, once each, in order."""
        if self.ledger is None or not self.ledger.exists():
            return []
        urls = []
        for line in self.ledger.read_text("utf-8", errors="replace").splitlines():
            try:
                url = json.loads(line)["url"]
            except (ValueError, KeyError, TypeError):
                continue
            if parse_article_url(url) is not None:
                urls.append(url)
        return list(dict.fromkeys(urls))
