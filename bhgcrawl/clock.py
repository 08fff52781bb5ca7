"""The one clock of a run: crawl, failure, state and summary times all read it."""

from datetime import UTC, datetime


def now_utc() -> str:
    """Now, ISO 8601 UTC to the second: `2026-11-25T04:52:10+00:00`."""
    return datetime.now(UTC).isoformat(timespec="seconds")
