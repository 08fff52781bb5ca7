"""The Wayback Machine, read: its CDX API's query and answers, and the URLs of raw captures.

The CDX server (https://github.com/internetarchive/wayback/blob/master/wayback-cdx-server/README.md) is
asked for the site's domain (`matchType=domain`: `www.` and `en.` included), 200 HTML captures only,
adjacent repeats of one payload collapsed (`collapse=digest`), as JSON, a page of `limit` rows at a time.
The listing is paged with `showResumeKey`/`resumeKey`, never with `page=`: the paged API applies the
filters within each page, so a filtered page can be empty while later ones hold rows. A JSON answer
opens with the field names, and when `limit` rows were written it ends with an empty row and a row
holding the key of the next page. Captures are read raw (`id_`: the bytes as captured, no banner, no
rewritten links) at `/web/<timestamp>id_/<original>`; the archive answers a timestamp it does not hold
with a redirect to the nearest capture, whose URL names the capture actually served.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from bhgcrawl.archives import capture_field, payload_digest
from bhgcrawl.urls import PRIMARY_HOST

FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
# The fields a row must have for a capture to be read and told apart.
NEEDED = ("timestamp", "original", "mimetype", "statuscode", "digest")
_CAPTURE_PATH = re.compile(r"^/web/(\d{14})id_/(.+)$")


@dataclass
class CdxAnswer:
    """What one CDX answer holds: its rows (field name → value), the key of the next page, the rows
    that could not be read, and the problem with the answer as a whole (then nothing else is read)."""

    rows: list[dict] = field(default_factory=list)
    resume_key: str | None = None
    bad_rows: int = 0
    problem: str | None = None


def cdx_url(base: str, window, limit: int, resume_key: str | None = None) -> str:
    """The CDX query of one page of the site's captures in `window` (capture days, both inclusive)."""
    params = [("url", PRIMARY_HOST), ("matchType", "domain")]
    if window.since:
        params.append(("from", window.since.strftime("%Y%m%d")))
    if window.until:
        params.append(("to", window.until.strftime("%Y%m%d")))  # a prefix: the whole day
    params += [("filter", "statuscode:200"), ("filter", "mimetype:text/html"), ("collapse", "digest"),
               ("output", "json"), ("fl", ",".join(FIELDS)), ("limit", str(limit)), ("showResumeKey", "true")]
    if resume_key:
        params.append(("resumeKey", resume_key))  # as the answer wrote it, encoded once more by urlencode
    return f"{base.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def read_cdx(body: bytes) -> CdxAnswer:
    """A CDX JSON answer read: the header row names the fields (their order is the server's), an empty
    row is followed by the resume key; a row of another length than the header is counted, not read.
    An answer that is not the JSON array of rows (cut off, an HTML page of an overloaded server) is
    a `problem`, and its rows are none."""
    try:
        rows = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return CdxAnswer(problem="not_json")
    if not isinstance(rows, list):
        return CdxAnswer(problem="not_json")
    if not rows:
        return CdxAnswer()  # nothing (more) to list
    header = rows[0]
    if not (isinstance(header, list) and all(isinstance(n, str) for n in header) and set(NEEDED) <= set(header)):
        return CdxAnswer(problem="no_header")
    answer = CdxAnswer()
    rest = iter(rows[1:])
    for row in rest:
        if row == []:
            key = next(rest, None)
            if isinstance(key, list) and len(key) == 1 and isinstance(key[0], str) and key[0]:
                answer.resume_key = key[0]
            else:
                answer.problem = "bad_resume_key"
            break
        if not (isinstance(row, list) and len(row) == len(header) and all(isinstance(v, str) for v in row)):
            answer.bad_rows += 1
            continue
        answer.rows.append(dict(zip(header, row)))
    return answer


def capture_url(base: str, timestamp: str, original: str) -> str:
    """Where a capture is read raw: the archive's bytes of the page, without its banner or rewriting."""
    return f"{base.rstrip('/')}/web/{timestamp}id_/{original}"


def served(url: str) -> tuple[str, str] | None:
    """(timestamp, original) of the capture a raw capture URL names (the URL a redirect to the nearest
    capture ended at), or None when it names none."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    match = _CAPTURE_PATH.match(path)
    if not match:
        return None
    # A client or proxy may fold `https://` into `https:/`.
    return match[1], re.sub(r"^(https?:)/+", r"\1//", match[2])


def served_capture(url: str, row: dict, body: bytes) -> dict:
    """The record's `capture` of the capture served at `url` for the CDX `row` asked for: the row's when
    the archive served it, else (a redirect to the nearest capture) the one the URL names, whose digest
    is computed from what it served as the archive computes it."""
    timestamp, original = served(url) or (row["timestamp"], row["original"])
    digest = row["digest"] if timestamp == row["timestamp"] else payload_digest(body)
    return capture_field("wayback", timestamp, original, digest)
