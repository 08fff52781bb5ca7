"""Common Crawl, read: the crawl list, each crawl's index, and one WARC record read by range.

The index server (index.commoncrawl.org, pywb's CDX server over a ZipNum index:
https://pywb.readthedocs.io/en/latest/manual/cdxserver_api.html) lists its crawls in `collinfo.json`
and answers `<crawl>-index?url=…&matchType=domain&output=json` with one JSON object a line. ZipNum
enforces a page size, so a listing is walked by `showNumPages=true` then `page=0…N-1`; filters apply
within a page, and a page they empty answers 404 "No Captures found" like a URL never crawled. A row's
`filename`, `offset` and `length` locate its capture on the data host (data.commoncrawl.org): one
gzip member holding one WARC `response` record, read with a single HTTP Range request.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from bhgcrawl.archives import capture_field
from bhgcrawl.urls import PRIMARY_HOST

# What a row needs besides a capture's fields: where its record lies.
WHERE = ("filename", "offset", "length")
_FILENAME = re.compile(r"crawl-data/[A-Za-z0-9._/-]+\.warc(\.gz)?")
_CRAWL_ID = re.compile(r"CC-MAIN-\d{4}-\d{2}")
# Headers of the archived answer about its transfer, not the page: the payload is read decoded.
_HTTP_DROP = {"content-encoding", "transfer-encoding", "content-length"}


def collinfo_url(base: str) -> str:
    return f"{base.rstrip('/')}/collinfo.json"


def read_collinfo(body: bytes, window) -> list[str] | None:
    """The ids of the crawls `collinfo.json` lists whose days meet `window`, in its order (newest
    first); None when the answer is not such a list."""
    try:
        crawls = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(crawls, list):
        return None
    out = []
    for crawl in crawls:
        crawl_id = crawl.get("id") if isinstance(crawl, dict) else None
        if not (isinstance(crawl_id, str) and _CRAWL_ID.fullmatch(crawl_id)):
            continue
        first, last = _day(crawl.get("from")), _day(crawl.get("to"))
        if (window.until and first and first > window.until) or (window.since and last and last < window.since):
            continue
        out.append(crawl_id)
    return out


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def index_url(base: str, crawl: str, window, page: int | None = None) -> str:
    """A crawl's index query for the site's 200 HTML captures in `window`: its page count (page None),
    or one page."""
    params = [("url", PRIMARY_HOST), ("matchType", "domain"), ("output", "json")]
    if window.since:
        params.append(("from", window.since.strftime("%Y%m%d")))
    if window.until:
        params.append(("to", window.until.strftime("%Y%m%d")))  # padded to the day's last second
    params += [("filter", "=status:200"), ("filter", "=mime:text/html")]
    params += [("showNumPages", "true")] if page is None else [("page", str(page))]
    return f"{base.rstrip('/')}/{crawl}-index?{urlencode(params)}"


def read_num_pages(body: bytes) -> int | None:
    """The page count of a `showNumPages=true` answer (`{"pages": N, …}`, or a bare number), or None."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    pages = value.get("pages") if isinstance(value, dict) else value
    return pages if isinstance(pages, int) and not isinstance(pages, bool) and pages >= 0 else None


def read_index(body: bytes) -> tuple[list[dict], int]:
    """(rows, lines that could not be read) of an index page: one JSON object a line, each with where its
    record lies; a line that is not one, or names no readable place, is counted."""
    rows, bad = [], 0
    for line in body.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            bad += 1
            continue
        if not isinstance(row, dict) or located(row) is None:
            bad += 1
            continue
        rows.append(row)
    return rows, bad


def located(row: dict) -> tuple[str, int, int] | None:
    """(filename, offset, length) of a row's record, or None: a path on the data host only (never a URL
    or a way out of it), whole numbers, and a length a record can have."""
    filename, offset, length = (row.get(k) for k in WHERE)
    if not (isinstance(filename, str) and _FILENAME.fullmatch(filename) and ".." not in filename):
        return None
    try:
        offset, length = int(offset), int(length)
    except (TypeError, ValueError):
        return None
    return (filename, offset, length) if offset >= 0 and 0 < length <= 64 * 1024 * 1024 else None


def data_url(base: str, filename: str) -> str:
    return f"{base.rstrip('/')}/{filename}"


def range_header(offset: int, length: int) -> str:
    return f"bytes={offset}-{offset + length - 1}"


@dataclass
class WarcCapture:
    """The one WARC `response` record a range held: the URL it captured, when, its id, the HTTP answer."""

    target: str
    date: str | None
    record_id: str | None
    status: int
    headers: list[tuple[str, str]]
    payload: bytes
    member: bytes  # the gzip member as read: kept verbatim in the crawl's own WARC files


def read_member(body: bytes, status: int, offset: int, length: int) -> WarcCapture | str:
    """The record a Range answer holds, or why there is none (`not_warc`, `not_response`, `short`). A 200
    is a server that ignored the range and sent the whole file: the member is cut out of it."""
    if status == 200:
        if len(body) < offset + length:
            return "short"
        body = body[offset:offset + length]
    elif len(body) != length:
        return "short"
    from warcio.archiveiterator import ArchiveIterator

    try:
        record = next(iter(ArchiveIterator(io.BytesIO(body))), None)
        if record is None or record.rec_type != "response" or record.http_headers is None:
            return "not_response"
        payload = record.content_stream().read()
        code = int(record.http_headers.get_statuscode() or 0)
    except Exception:  # noqa: BLE001 - bytes that are no WARC record make warcio raise anything at all
        return "not_warc"
    headers = [(k, v) for k, v in record.http_headers.headers if k.lower() not in _HTTP_DROP]
    return WarcCapture(record.rec_headers.get_header("WARC-Target-URI") or "",
                       record.rec_headers.get_header("WARC-Date"), record.rec_headers.get_header("WARC-Record-ID"),
                       code, headers, payload, body)


def capture_of(row: dict, record: WarcCapture) -> dict:
    """The record's `capture` of a row's WARC record: the crawl's time and digest, the URL it fetched."""
    return capture_field("commoncrawl", row["timestamp"], record.target or row["url"], row["digest"])
