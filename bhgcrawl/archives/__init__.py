"""The web archives as a source of pages: what their indexes list, and which capture of an article is read.

Pure: an index row → the capture of an article worth fetching (`listed`), which of two captures of one
article is kept (`better`), whether a failed capture is given up for another (`refuses_the_copy`), the
record's `capture` field (`capture_field`), and the name a backfill's progress is kept under in the state
(`backfill_key`). The archives' own answers are read by
`bhgcrawl.archives.wayback` (the Wayback Machine's CDX API and raw captures) and
`bhgcrawl.archives.commoncrawl` (its index server, and WARC records read by range from its data host).
"""

from __future__ import annotations

import hashlib
import re
from base64 import b32encode
from dataclasses import dataclass, field

from bhgcrawl.urls import is_site_url, parse_article_url

ARCHIVES = ("wayback", "commoncrawl")
# What an index row's timestamp is: 14 digits, UTC (the archives pad nothing in their answers).
_TIMESTAMP = re.compile(r"(19|20)\d{12}")
# Why a row gives no capture to fetch, as counted in `bhg/archive/skipped/<why>`.
NOT_ARTICLE, REVISIT, NOT_HTML, NOT_OK, BAD_ROW, UNWANTED = (
    "not_article", "revisit", "not_html", "not_ok", "bad_row", "unwanted")


@dataclass(frozen=True)
class Capture:
    """One capture of an article, as an archive's index lists it."""

    archive: str  # wayback | commoncrawl
    url: str  # the article's canonical URL: the record's `url`
    timestamp: str  # 14 digits, UTC
    original: str  # the URL as the archive captured it (http:, www., :80 and query included)
    digest: str  # the archive's digest of the payload (base32 SHA-1)
    row: dict = field(default_factory=dict, compare=False)  # the index row itself: provenance, and where to read it


def listed(archive: str, row: dict, wants=lambda category: True) -> tuple[Capture | None, str | None]:
    """(the capture `row` lists, None) when it is a readable capture of an article of a wanted section,
    else (None, why not). `row` holds the Wayback CDX names (`original`, `mimetype`, `statuscode`) or
    Common Crawl's (`url`, `mime`, `status`)."""
    original = row.get("original", row.get("url"))
    timestamp, digest = row.get("timestamp"), row.get("digest")
    status, mime = row.get("statuscode", row.get("status")), row.get("mimetype", row.get("mime"))
    if not all(isinstance(v, str) and v for v in (original, timestamp, digest, status, mime)) \
            or not _TIMESTAMP.fullmatch(timestamp):
        return None, BAD_ROW
    if status == "-" or mime == "warc/revisit":
        # A revisit: the same payload as a capture the index also lists; that one is read, if any.
        return None, REVISIT
    if status != "200":
        return None, NOT_OK
    if not mime.startswith("text/html"):
        return None, NOT_HTML
    ref = parse_article_url(original) if is_site_url(original) else None
    if ref is None:
        return None, NOT_ARTICLE
    if not wants(ref.category):
        return None, UNWANTED
    return Capture(archive, ref.url, timestamp, original, digest, row), None


# Failures of a capture that are the copy's own: the archive answers the same for it every time.
_COPY_FAILURES = frozenset({"not_html", "another_page", "undecodable", "range_not_warc", "range_not_response",
                            "fetch_http_404", "fetch_http_410"})


def refuses_the_copy(why: str) -> bool:
    """Whether a capture that gave no record (`why`, as counted in `bhg/archive/bad/<why>`) is no copy of the
    article's page (an image, another page, a WARC record of something else, gone from the archive): another
    capture of the article is read instead. A failure on the way (a timeout, an overloaded archive, a range
    cut short) is tried again on the same capture."""
    return why in _COPY_FAILURES or why.startswith("record_http_")


def better(timestamp: str, than: str | None, latest: bool = False) -> bool:
    """Whether a capture at `timestamp` is kept over one at `than` (None: none kept yet): the earliest,
    or with `latest` the latest; of two at the same second the first listed stays."""
    if than is None:
        return True
    return timestamp > than if latest else timestamp < than


def iso(timestamp: str) -> str:
    """A 14-digit archive timestamp as ISO 8601 UTC, the form of every time in the record."""
    t = timestamp
    return f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}+00:00"


def capture_field(archive: str, timestamp: str, url: str, digest: str) -> dict:
    """The record's `capture`: which archive, when it captured the page, under which URL, its digest."""
    return {"archive": archive, "timestamp": iso(timestamp), "url": url, "digest": digest}


def payload_digest(payload: bytes) -> str:
    """The archives' digest of a payload: base32 of its SHA-1, as the CDX and WARC records give it."""
    return b32encode(hashlib.sha1(payload).digest()).decode()


def backfill_key(archive: str, window, capture: str, crawls: tuple[str, ...] = ()) -> str:
    """The name the state keeps a backfill under: the archive, the window of capture times, the choice of
    capture and (Common Crawl, when named) the crawls; the same command again is the same backfill, and
    resumes it."""
    since = window.since.isoformat() if window.since else ""
    until = window.until.isoformat() if window.until else ""
    return f"{archive}:{since}..{until}:{capture}" + (f":{','.join(crawls)}" if crawls else "")
