"""Local fakes of the Wayback Machine and of Common Crawl, built from a saved copy of the site.

Test tooling for the archive backfill: each fake is a server on 127.0.0.1 that answers as the real
service does, its documented quirks included, from the saved site (default fixtures/site). Nothing
is random and nothing reads the clock: the same root gives the same captures, digests, offsets and
resume keys. The capture plan is data (`fake.captures`, a list of dicts in index order), so a test
computes what to expect instead of hard-coding it.

    with FakeWayback() as wb: wb.base_url, wb.captures, wb.requests
    with FakeCommonCrawl() as cc: cc.base_url, cc.crawls, cc.captures, cc.requests
    python -m devtools.archives wayback|commoncrawl [--root fixtures/site] [--port N] [--fault name=value ...]

FakeWayback: one server for the CDX API and the captures
--------------------------------------------------------
`GET /cdx/search/cdx` follows the CDX server's README
(https://github.com/internetarchive/wayback/blob/master/wayback-cdx-server/README.md) and, where the
README is vague or out of date, its code (wayback-cdx-server: CDXServer.java, FieldRegexFilter.java,
CollapseFieldFilter.java, JsonWriter.java):
  url, matchType   exact (default), prefix, host, domain (the host and every subdomain); `*.host` and
                   a trailing `*` set domain and prefix. Rows are keyed by SURT (`vn,baohagiang)/xa-hoi/…`:
                   host reversed, `www.` and default ports dropped, lower case, query sorted; a trailing
                   slash is kept, so `/x` and `/x/` are two urlkeys) and sorted bytewise by CDX line.
  from, to         1–14 digit timestamps compared as prefixes: from=2021 keeps 2021…, to=2021 keeps
                   all of 2021.
  filter           [!]field:regex, repeatable (ANDed); the regex must match the whole value, `!`
                   negates; `~` first means "contains" instead of a regex. A field unknown by name or
                   index, or none at all, matches against the whole space-separated line.
  collapse         field or field:N, on ADJACENT rows as the filters leave them: a row is dropped when
                   its field (its first N characters) equals the previous kept row's. It looks at the
                   field only, across urlkeys (two urlkeys side by side with one digest collapse too).
  fl, output=json  the fields and their order; JSON is an array whose FIRST ROW holds the field names,
                   then one array of strings per row; no rows at all is `[]`. Without output=json:
                   plain text, one space-separated line per row.
  limit, offset    the first N (or with -N the last N) rows; offset skips raw rows before any filter.
  showResumeKey    when `limit` rows were written (even if none is left: then resuming gives `[]`), an
  resumeKey        EMPTY row then a row holding the key (text: an empty line, then the key). The key is
                   the URL-encoded `<urlkey> <timestamp of the last row, last digit + 1>` as the server's
                   code builds it (the README shows an older `…!` form); resumeKey=<key>, raw or
                   URL-encoded once more, gives the rows after it, each exactly once (the key skips
                   rows of the same urlkey and second: the plan never has two).
  page, pageSize   the paged (ZipNum) API: the index is cut into blocks of `block_lines` rows,
  showNumPages     `page_size` blocks make a page (pageSize may lower it). showNumPages=true answers the
                   page count, a bare number; every paged answer carries X-CDX-Num-Pages. A page holds
                   the rows of its blocks and only then are from/to, filters and collapse applied, so a
                   filtered page can be EMPTY while later pages hold matches (the real quirk, see
                   https://github.com/internetarchive/wayback/issues/141): clients must not stop there.
  gzip             the answer is gzipped (Content-Encoding) when the client accepts gzip, unless gzip=false.
A missing url or a bad parameter answers 400 with a one-line message, as the server's printError.

`GET /web/<timestamp>id_/<original>` serves a capture raw (pywb's modifiers:
https://github.com/webrecorder/pywb/blob/main/docs/manual/rewriter.rst; Memento headers: RFC 7089):
  - the capture is looked up by urlkey (so http/https, `www.` and `:80` do not matter); a 14-digit
    timestamp equal to a capture's is that capture: its original status and bytes, the original
    Content-Type, `Memento-Datetime`, `Link` (original, timemap, memento), `X-Archive-Src` (its WARC)
    and `X-Archive-Orig-*` (the original's Server, Date, Content-Length);
  - any other timestamp answers 302 to the nearest capture, `/web/<its timestamp>id_/<its original>`,
    ties going to the earlier one; a partial timestamp is padded down (2021 → 20210101000000, as
    pywb pads; the Wayback Machine's own padding is not documented);
  - a revisit row replays the payload it refers to (same digest) with that capture's status and type;
  - a 3xx capture answers its status with Location rewritten into the archive
    (`/web/<timestamp>id_/<target>`, so a client following it lands on the target's nearest
    capture) and the target itself in X-Archive-Orig-Location (inferred: not documented);
  - a URL never captured answers 404 (no Memento headers).
`GET /web/<timestamp>/<original>` (no modifier) is the same with a toolbar banner inserted after
`<body>` of HTML captures, as replay in a browser shows them.

Capture plan (`FakeWayback.captures`, one dict per CDX row: the CDX fields plus `site_url` (canonical),
`kind`, `saved_file`, `content_type`, `http_status` (the status a replay answers), `location`,
`changed`, `revisit_of`). Pages are the replay server's URL → file rules read backwards:
  - every article: a first capture a few days into its URL's yyyymm (`http://www.baohagiang.vn:80/…`
    before 2015, then `http://www.…` or `https://…`; en.baohagiang.vn has no www), then by its
    position i in URL order: i%4 == 0 a later capture with the SAME digest (collapse=digest drops it),
    1 a later revisit row (mimetype warc/revisit, statuscode `-`), 2 a later capture of `…/` (its own
    urlkey), 3 a later capture of `…?utm_source=facebook` (its own urlkey);
  - the last older-generation (numeric id) article changes: its second capture has a DIFFERENT digest
    (`UPDATE_SENTENCE` added to the body as a paragraph of its own), its third repeats the changed page;
  - a page saved under `_hosts/<host>/` whose canonical URL is another host's (Báo Hà Giang's articles as
    the successor serves them) is captured at `<host>`, where it was served, when the site's own copy is
    saved too (two copies of one article are never one urlkey's two rows of one second: the resume key
    would skip one); when it is the article's only copy (the article moved there by 301), at the site;
  - each host's home page three times (2019, 2023 same digest, then a revisit), every other saved page once
    (sections, listings, the search page, the RSS feed); robots.txt is not captured;
  - two images (image/jpeg), a 301 per rule of `_redirects.json` and a 404 of `MISSING_PATH`.
digest = base32 SHA-1 of the payload; length = the size of the capture's gzipped WARC record.

Common Crawl: FakeCommonCrawl, the index server and the data host in one
----------------------------------------------------------------------
The index follows index.commoncrawl.org: pywb's CDX server API
(https://pywb.readthedocs.io/en/latest/manual/cdxserver_api.html, pywb's cdxops.py and zipnum.py) over
a ZipNum index, announced in https://commoncrawl.org/blog/announcing-the-common-crawl-index.
  GET /collinfo.json   the crawls, newest first: `id`, `name`, `timegate`, `cdx-api`, `from`, `to`.
  GET /<crawl>-index   url + matchType (or wildcards) as above; from/to padded to 14 digits (to=2024 →
                       20241231235959); filter `[!][=|~]field:expr`, repeatable: no modifier "contains",
                       `=` exact, `~` a regex matching the START of the value (re.match), `!` negates
                       (`filter==status:200`, `filter=!~mime:image/.*`); statuscode/mimetype/original
                       are aliases of status/mime/url; fl, limit. output=json gives NDJSON, one object a
                       line with urlkey, timestamp, url, mime, mime-detected, status, digest, length,
                       offset, filename, then languages and encoding (200 rows) or redirect (3xx rows);
                       without output=json, cdxj lines `<urlkey> <timestamp> {json}`.
                       Pages: showNumPages=true gives {"pages": N, "pageSize": P, "blocks": B}; page=k
                       (0 ≤ k < N) one page of `page_size` blocks of `block_lines` rows, filters applied
                       within it; WITHOUT page= only page 0 is read (ZipNum enforces the page size), so
                       a client must ask the page count and walk the pages. No captures answers 404
                       {"message": "No Captures found for: <url>"}, as index.commoncrawl.org does; so does
                       a page the filters empty (inferred); a page out of range 400
                       {"message": "Page k invalid: …"} (zipnum.py's message).
  GET /crawl-data/<crawl>/segments/<segment>/{warc,crawldiagnostics}/<name>.warc.gz
                       WARC files built on startup in memory with warcio, one gzip member per record
                       (WARC 1.0 record-at-a-time compression): a warcinfo record, then for each capture
                       a request record and the `response` record (HTTP headers + the saved page bytes);
                       200s in warc/, the 301 and the 404 in crawldiagnostics/. A row's offset/length are
                       exactly its response member. `Range: bytes=a-b` (also `a-`, `-n`) answers 206
                       with Content-Range, as data.commoncrawl.org does; no or several ranges 200 with
                       the whole file; past the end 416.
Capture plan (`FakeCommonCrawl.captures`: the index rows plus `crawl`, `site_url`, `kind`,
`saved_file`): three crawls (`CRAWLS`); each holds the home page, about two thirds of the articles
published before it and half of the other pages (chosen by a hash of crawl and URL), a 301 per
redirect rule and a 404 of MISSING_PATH, at times inside the crawl's window.

Politeness and faults, constructor switches (N = the first N requests / answers; True = all)
------------------------------------------------------------------------------------------
Both:   retry_after_once=N  429 with Retry-After to the first N requests (then normal answers)
        throttle_nth=(k, …) 429 to the k-th requests (1 = the first to arrive)
        always_429=True     every request 429: a client must give up, not hammer
        unavailable=N       503 with Retry-After to the next N requests
        retry_after=S       the Retry-After value in seconds; None: no header (Common Crawl's default,
                            whose 503s say nothing of when to retry; Wayback's is 1)
Wayback: truncated_json=N   CDX answers cut in half (a valid HTTP answer whose body does not parse)
        missing_columns=N   CDX answers whose second row lacks its last two columns
        not_json=N          CDX answers that are an HTML page, 200 text/html
        capture_not_html=N  replays of HTML captures answer image/jpeg bytes
        image_at=(ts, …)    the captures of these timestamps answer image/jpeg bytes every time (a
                            copy that is an image, though the CDX says text/html)
        cdx_skew=N          the first N article captures (HTML, 200, in index order) are listed one second
                            earlier than the replay holds them, as when the CDX and the replay read indexes
                            of different ages: a raw replay of the listed time answers 302 to the capture.
                            Fixed for the fake's life (every answer lists the same times); such rows carry
                            `listed_timestamp` in `.captures`
Common Crawl: index_503=N   the first N index requests OF EACH CRAWL answer 503
        garbage_range=N     Range answers of bytes that are no gzip member, no WARC record
        ignore_range=N      Range requests answered 200 with the whole file
Every request is logged in `.requests` (method, path, query, status, monotonic arrival time, kind,
fault) and counted in `.counts` (by kind: cdx, capture, collinfo, index, data, other), `.statuses`
and `.faults`, so a test can count requests and measure the rate a client keeps.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import hashlib
import io
import json
import math
import re
import sys
import threading
import time
import uuid
from base64 import b32encode
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qsl, quote_plus, unquote_plus, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import (
    PAD_14_DOWN,
    PAD_14_UP,
    pad_timestamp,
    timestamp_to_http_date,
    timestamp_to_iso_date,
    timestamp_to_sec,
)
from warcio.warcwriter import WARCWriter

from bhgcrawl.urls import PRIMARY_HOST, canonicalize, parse_article_url
from devtools.replay import DEFAULT_ROOT

WAYBACK_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
CC_FIELDS = ("urlkey", "timestamp", "url", "mime", "mime-detected", "status", "digest", "length", "offset",
             "filename", "languages", "encoding", "redirect")
# pywb's CDX_ALT_FIELDS: Wayback-style names accepted by the Common Crawl index.
CC_ALIASES = {"statuscode": "status", "mimetype": "mime", "original": "url"}
# (id, name, first day, days): the crawl windows, newest first as collinfo.json lists them.
CRAWLS = (("CC-MAIN-2025-05", "January 2025 Index", "20250113", 13),
          ("CC-MAIN-2024-10", "February/March 2024 Index", "20240220", 14),
          ("CC-MAIN-2023-50", "November/December 2023 Index", "20231128", 14))
UPDATE_SENTENCE = "(Bài viết được cập nhật, bổ sung thông tin mới.)"
# The article the fixture sites removed (site-cases.json "removed"): the archives saw it answer 404.
MISSING_PATH = "/xa-hoi/201811/trao-tang-xe-dap-cho-hoc-sinh-ngheo-vuot-kho-712345"
UNIT = "4028eaa4679b32c401679c0c74382a7e"  # the paper's folder on the platform's file host
IMAGE_PATHS = (f"/file/{UNIT}/012024/phien-cho-tung-vai_20240128090100.jpg",
               f"/file/{UNIT}/dataimages/201402/original/le-hoi-long-tong.jpg")
HTML_TYPE = "text/html; charset=utf-8"
_TYPES = {".html": HTML_TYPE, ".rss": "application/rss+xml", ".xml": "application/xml"}
# A 1×1 grey baseline JPEG (JFIF, one-code Huffman tables); a COM segment after SOI tells images apart.
_JPEG_HEAD = bytes.fromhex("ffd8")
_JPEG_BODY = bytes.fromhex(
    "ffe000104a46494600010100000100010000"
    "ffdb004300" + "01" * 64
    + "ffc0000b080001000101011100"
    + "ffc400140000" + "01" + "00" * 15 + "00"
    + "ffc400141001" + "00" * 15 + "00"
    + "ffda0008010100003f00" + "3f" + "ffd9")
_NGINX_BODY = ("<html>\r\n<head><title>{0}</title></head>\r\n<body>\r\n<center><h1>{0}</h1></center>\r\n"
               "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
_BANNER = ('\n<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n<div id="wm-ipp-base" style="display:block">Wayback Machine '
           '(local fake): {original} captured {timestamp}</div>\n<!-- END WAYBACK TOOLBAR INSERT -->\n')
_CC_SERVER_IP = "203.0.113.10"  # a documentation address (RFC 5737): nothing is ever fetched from it


# ---- keys, digests, times -------------------------------------------------------------------------

def surt(url: str) -> str:
    """The SURT urlkey of `url` as the archives' indexes key it (`vn,baohagiang)/xa-hoi/…`)."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    host = re.sub(r"^www\d*\.", "", (parts.hostname or "").lower().rstrip("."))
    key = ",".join(reversed(host.split(".")))
    port = parts.port
    if port and port != {"http": 80, "https": 443}.get(parts.scheme):
        key += f":{port}"
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    return (key + ")" + (parts.path or "/") + ("?" + query if query else "")).lower()


def _host_key(url: str) -> str:
    """The SURT of `url`'s host alone (`vn,baohagiang`)."""
    return surt(url).split(")", 1)[0]


def digest(payload: bytes) -> str:
    """The archives' content digest: base32 SHA-1 of the payload."""
    return b32encode(hashlib.sha1(payload).digest()).decode()


def _hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\0".join(parts).encode()).digest()[:8], "big")


def _stamp(when: datetime) -> str:
    return when.strftime("%Y%m%d%H%M%S")


def _month_stamp(yyyymm: str, months_later: int, seed: str) -> str:
    """A capture time `months_later` months after yyyymm, a few days into the month, hour by hash."""
    month = int(yyyymm[:4]) * 12 + int(yyyymm[4:6]) - 1 + months_later
    h = _hash(seed, str(months_later))
    return (f"{month // 12:04d}{month % 12 + 1:02d}{2 + h % 6:02d}"
            f"{h // 6 % 24:02d}{h // 144 % 60:02d}{h // 8640 % 60:02d}")


def _inc_last_char(text: str) -> str:
    return text[:-1] + chr(ord(text[-1]) + 1)


def _record_id(*seed: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ' '.join(seed))}>"


# ---- the saved site -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SavedPage:
    url: str  # canonical site URL, as the crawler emits it
    file: Path
    kind: str  # article, page (home, sections, listings, search) or feed
    served_by: str = ""  # the host whose copy this is, when not the URL's: the successor's of an old article

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + ("?" + parts.query if parts.query else "")

    @property
    def host(self) -> str:
        """The host the archives captured the page at: the one that served this copy."""
        return self.served_by or urlsplit(self.url).hostname or PRIMARY_HOST

    @property
    def content_type(self) -> str:
        # Fixed, not mimetypes': its answers depend on the machine's mime.types.
        return _TYPES.get(self.file.suffix, "application/octet-stream")


def saved_pages(root: Path = DEFAULT_ROOT) -> list[SavedPage]:
    """Every page of a saved site an archive would hold, in URL order: the replay server's
    URL → file rules (devtools.replay.resolve) read backwards. robots.txt and `_*` files are not pages."""
    pages = []
    for file in sorted(Path(root).rglob("*")):
        rel = file.relative_to(root)
        if not file.is_file() or rel.name.startswith("_") or rel.name == "robots.txt":
            continue
        host = PRIMARY_HOST
        if rel.parts[0] == "_hosts":
            host, rel = rel.parts[1], Path(*rel.parts[2:])
        path = _page_path(host, rel)
        article = parse_article_url(f"https://{host}{path}")
        kind = "article" if article else "feed" if file.suffix in (".rss", ".xml") else "page"
        url = article.url if article else f"https://{host}{path}"
        pages.append(SavedPage(url, file, kind, host if urlsplit(url).hostname != host else ""))
    # A copy another host serves (Báo Hà Giang's articles on the successor, same paths) is captured there
    # when the site's own copy is saved too; the only copy of an article that has since moved (a 301 to
    # the successor) was captured at the site, before it moved.
    own = {p.url for p in pages if not p.served_by}
    pages = [p if not p.served_by or p.url in own else SavedPage(p.url, p.file, p.kind) for p in pages]
    return sorted(pages, key=lambda p: (p.url, p.served_by))


def _page_path(host: str, rel: Path) -> str:
    folder = "" if rel.parent == Path(".") else "/" + rel.parent.as_posix()
    if rel.name == "index.html":
        return folder or "/"
    if rel.name.startswith("index@") and rel.suffix == ".html":
        return f"{folder}?{rel.stem[len('index@'):]}"
    bare = f"{folder}/{rel.stem}"
    if rel.suffix == ".html" and parse_article_url(f"https://{host}{bare}"):
        return bare
    return f"{folder}/{rel.name}"


def _redirect_rules(root: Path) -> dict[str, str]:
    """Old path → new path of the saved site's permanent redirects."""
    rules = Path(root) / "_redirects.json"
    if not rules.is_file():
        return {}
    return {old: rule["location"] for old, rule in sorted(json.loads(rules.read_text("utf-8")).items())
            if int(rule.get("status", 301)) == 301}


def _changed(html: bytes) -> bytes:
    """The page as it was after an edit: one sentence added as a paragraph after the first paragraph of the
    article's container (`id="content-detail"` in the invented markup, where that is the body's first;
    `class="content-detail …"` in the platform's, where it is the lead)."""
    text = html.decode("utf-8")
    body = text.find("content-detail")
    end = text.find("</p>", body) if body >= 0 else -1
    cut = end + len("</p>") if end >= 0 else len(text)
    return (text[:cut] + f'\n<p style="text-align: justify;">{UPDATE_SENTENCE}</p>' + text[cut:]).encode("utf-8")


def _jpeg(name: str) -> bytes:
    comment = name.encode()
    return _JPEG_HEAD + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + _JPEG_BODY


def _status_body(status: int) -> bytes:
    return _NGINX_BODY.format(f"{status} {HTTPStatus(status).phrase}").encode()


# ---- WARC records ---------------------------------------------------------------------------------

def _http_headers(status: int, ctype: str, payload: bytes, date: str, location: str | None) -> StatusAndHeaders:
    headers = [("Server", "nginx"), ("Date", date), ("Content-Type", ctype), ("Content-Length", str(len(payload)))]
    if location:
        headers.append(("Location", location))
    return StatusAndHeaders(f"{status} {HTTPStatus(status).phrase}", headers, protocol="HTTP/1.1")


def _response_record(writer: WARCWriter, url: str, ts: str, status: int, ctype: str, payload: bytes,
                     location: str | None = None, extra: dict | None = None):
    headers = _http_headers(status, ctype, payload, timestamp_to_http_date(ts), location)
    warc_headers = {"WARC-Record-ID": _record_id("response", url, ts), "WARC-Date": timestamp_to_iso_date(ts),
                    **(extra or {})}
    return writer.create_warc_record(url, "response", payload=io.BytesIO(payload), length=len(payload),
                                     http_headers=headers, warc_headers_dict=warc_headers)


def _revisit_record(writer: WARCWriter, url: str, ts: str, original_ts: str, payload: bytes, ctype: str):
    headers = _http_headers(200, ctype, payload, timestamp_to_http_date(ts), None)
    warc_headers = {"WARC-Record-ID": _record_id("revisit", url, ts), "WARC-Date": timestamp_to_iso_date(ts)}
    return writer.create_revisit_record(url, "sha1:" + digest(payload), url, timestamp_to_iso_date(original_ts),
                                        http_headers=headers, warc_headers_dict=warc_headers)


def _member(record_of: Callable[[WARCWriter], object]) -> bytes:
    """One record as one gzip member, the way web archives store them."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.0")
    writer.write_record(record_of(writer))
    return out.getvalue()


# ---- the index both archives search ---------------------------------------------------------------

class _Index:
    """Rows sorted bytewise by their index line, as a CDX/ZipNum index is, cut into blocks of
    `block_lines` rows for the paged API."""

    def __init__(self, rows: list[dict], line: Callable[[dict], str], block_lines: int):
        pairs = sorted(((line(row), row) for row in rows), key=lambda pair: pair[0])
        self.lines = [text for text, _row in pairs]
        self.rows = [row for _text, row in pairs]
        self.block_lines = block_lines

    def span(self, url: str, match_type: str) -> tuple[int, int]:
        """The rows [lo, hi) a url and matchType select: one contiguous key range, as on the server."""
        if match_type == "exact":
            start, end = surt(url) + " ", surt(url) + "!"
        elif match_type == "prefix":
            start = surt(url)
            end = _inc_last_char(start)
        elif match_type == "host":
            start = _host_key(url) + ")/"
            end = _inc_last_char(start)
        else:  # domain: the host, then its subdomains (`vn,baohagiang,en)`) right after it
            start = _host_key(url)
            end = start + "-"
        return bisect.bisect_left(self.lines, start), bisect.bisect_left(self.lines, end)

    def pages(self, lo: int, hi: int, page_size: int) -> tuple[int, int, int]:
        """(pages, blocks, first block) of the range: the blocks it touches, `page_size` a page."""
        first = lo // self.block_lines
        last = (max(hi, lo + 1) - 1) // self.block_lines
        blocks = last - first + 1
        return math.ceil(blocks / page_size), blocks, first

    def page_span(self, lo: int, hi: int, first_block: int, page: int, page_size: int) -> tuple[int, int]:
        start = (first_block + page * page_size) * self.block_lines
        return max(lo, start), min(hi, start + page_size * self.block_lines)


def _match_type(url: str, match_type: str | None) -> tuple[str, str]:
    """(url, matchType) with the wildcard shortcuts applied when no matchType is given."""
    if match_type:
        return url, match_type
    if url.startswith("*."):
        return url[2:], "domain"
    if url.endswith("*"):
        return url[:-1], "prefix"
    return url, "exact"


class _BadRequest(ValueError):
    pass


def _int(params: dict, name: str, default: int) -> int:
    try:
        return int(params.get(name, default))
    except ValueError:
        raise _BadRequest(f"{name} must be a number, not {params[name]!r}") from None


def _regex(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise _BadRequest(f"bad regex {pattern!r}: {exc}") from None


def _wayback_filter(spec: str, line: Callable[[dict], str]) -> Callable[[dict], bool]:
    """FieldRegexFilter: [~][!]field:regex, a whole-value regex (`~`: contains), `!` negates."""
    contains = spec.startswith("~")
    spec = spec[1:] if contains else spec
    invert = spec.startswith("!")
    spec = spec[1:] if invert else spec
    name, sep, pattern = spec.partition(":")
    if not sep:
        name, pattern = "", name
    column = WAYBACK_FIELDS[int(name)] if name.isdigit() and int(name) < len(WAYBACK_FIELDS) else name
    value: Callable[[dict], str] = (lambda row: row[column]) if column in WAYBACK_FIELDS else line
    if contains:
        return lambda row: (pattern in value(row)) != invert
    regex = _regex(pattern)
    return lambda row: (regex.fullmatch(value(row)) is not None) != invert


def _cc_filter(spec: str, line: Callable[[dict], str]) -> Callable[[dict], bool]:
    """pywb's CDXFilter: [!][=|~]field:expr; contains by default, `=` exact, `~` re.match."""
    invert = spec.startswith("!")
    spec = spec[1:] if invert else spec
    mode = spec[:1] if spec[:1] in ("=", "~") else ""
    spec = spec[1:] if mode else spec
    name, sep, expr = spec.partition(":")
    if not sep:
        name, expr = "", name
    name = CC_ALIASES.get(name, name)
    value: Callable[[dict], str] = (lambda row: str(row.get(name, ""))) if name else line
    if mode == "=":
        return lambda row: (value(row) == expr) != invert
    if mode == "~":
        regex = _regex(expr)
        return lambda row: (regex.match(value(row)) is not None) != invert
    return lambda row: (expr in value(row)) != invert


class _Collapser:
    """CollapseFieldFilter: a row is a duplicate when a collapse field (its first N characters)
    equals that field in the previous row that got this far."""

    def __init__(self, specs: list[str]):
        self._fields = []
        for spec in specs:
            name, _sep, size = spec.partition(":")
            if name not in WAYBACK_FIELDS:
                raise _BadRequest(f"cannot collapse on {name!r}")
            self._fields.append((name, int(size) if size.isdigit() else 0))
        self._previous: dict[int, str] = {}

    def keep(self, row: dict) -> bool:
        for i, (name, size) in enumerate(self._fields):
            value = row[name][:size] if 0 < size <= len(row[name]) else row[name]
            if self._previous.get(i) == value:
                return False
            self._previous[i] = value
        return True


# ---- the servers ----------------------------------------------------------------------------------

class Logged(NamedTuple):
    method: str
    path: str
    query: str
    status: int
    time: float  # time.monotonic() when the request arrived
    kind: str
    fault: str | None


@dataclass
class _Answer:
    status: int
    body: bytes = b""
    ctype: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None


class _Budget:
    """How many answers a fault switch spoils: True all of them, N the first N, 0 or False none."""

    def __init__(self, value: bool | int):
        self.left = math.inf if value is True else int(value)

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


class _Handler(BaseHTTPRequestHandler):
    server_version = "bhgcrawl-fake-archive/1"
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self._serve(head=False)

    def do_HEAD(self):
        self._serve(head=True)

    def _serve(self, head: bool):
        answer = self.server.answer(self.command, self.path, self.headers)
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.ctype)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(answer.body)

    def log_message(self, format, *args):  # noqa: A002 - the server keeps its own log
        pass


class _FakeArchive(ThreadingHTTPServer):
    """What both fakes share: a thread, a request log, the politeness switches."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int = 0, *, retry_after_once: int = 0, throttle_nth: Iterable[int] = (),
                 always_429: bool = False,
                 unavailable: int = 0, retry_after: int | None = 1):
        super().__init__(("127.0.0.1", port), _Handler)
        self.requests: list[Logged] = []
        self.counts: Counter = Counter()
        self.statuses: Counter = Counter()
        self.faults: Counter = Counter()
        self.retry_after = retry_after
        self._first_429 = _Budget(retry_after_once)
        self._throttle_nth = frozenset(throttle_nth)
        self._always_429 = always_429
        self._unavailable = _Budget(unavailable)
        self._arrived = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def take(self, budget: _Budget) -> bool:
        with self._lock:
            return budget.take()

    def answer(self, method: str, target: str, headers) -> _Answer:
        arrival = time.monotonic()
        parts = urlsplit(target)
        kind = self.kind_of(parts.path)
        with self._lock:
            self._arrived += 1
            number = self._arrived
        answer = self._politeness(number) or self.route(target, kind, headers)
        with self._lock:
            self.requests.append(Logged(method, parts.path, parts.query, answer.status, arrival, kind, answer.fault))
            self.counts[kind] += 1
            self.statuses[answer.status] += 1
            if answer.fault:
                self.faults[answer.fault] += 1
        return answer

    def _politeness(self, number: int) -> _Answer | None:
        if self._always_429:
            return self.slow_down(429, "always_429")
        if number in self._throttle_nth:
            return self.slow_down(429, "throttle_nth")
        if self.take(self._first_429):
            return self.slow_down(429, "retry_after_once")
        if self.take(self._unavailable):
            return self.slow_down(503, "unavailable")
        return None

    def slow_down(self, status: int, fault: str) -> _Answer:
        headers = {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}
        return _Answer(status, _status_body(status), "text/html", headers, fault)

    def kind_of(self, path: str) -> str:
        raise NotImplementedError

    def route(self, target: str, kind: str, headers) -> _Answer:
        raise NotImplementedError

    def handle_error(self, request, client_address):
        # A client that hung up is not the fake's error.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def start(self):
        # A short poll: stopping waits for it, and tests start many fakes.
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# ---- Wayback --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _WaybackPlan:
    captures: tuple[dict, ...]
    payloads: dict[str, bytes]  # digest → payload: a revisit shares its original's


def _wayback_line(row: dict) -> str:
    return " ".join(row[name] for name in WAYBACK_FIELDS)


def _original(page: SavedPage, index: int) -> str:
    """The URL a first capture was made under: before 2015 with `:80`, as old captures were
    written; then every other one under `http://www.`; en.baohagiang.vn has no www."""
    article = parse_article_url(page.url)
    if page.host != PRIMARY_HOST:
        return f"{'http' if index % 2 else 'https'}://{page.host}{page.path}"
    if article and article.yyyymm < "201500":
        return f"http://www.{page.host}:80{page.path}"
    return f"http://www.{page.host}{page.path}" if index % 2 else f"https://{page.host}{page.path}"


@lru_cache(maxsize=4)
def _wayback_plan(root: Path) -> _WaybackPlan:
    pages = saved_pages(root)
    articles = [p for p in pages if p.kind == "article"]
    numeric = [p for p in articles if parse_article_url(p.url).article_id.isdigit() and not p.served_by]
    changed = (numeric or articles or [None])[-1]
    builder = _CaptureBuilder()
    for i, page in enumerate(articles):
        _article_captures(builder, i, page, page is changed)
    for i, page in enumerate(p for p in pages if p.kind != "article"):
        if page.path == "/":
            builder.page(page, _original(page, 1), "20190615081230")
            builder.page(page, _original(page, 0), "20230110064501")
            builder.revisit(page, _original(page, 0), "20250320101010", "20230110064501")
        else:
            builder.page(page, _original(page, i), _month_stamp("202401", _hash(page.url) % 12, page.url))
    for path, ts in zip(IMAGE_PATHS, ("20240128103000", "20140305090000")):
        url = f"https://{PRIMARY_HOST}{path}"
        builder.add(url, url, ts, "image", _jpeg(path), "image/jpeg")
    for old, new in _redirect_rules(root).items():
        builder.add(f"https://{PRIMARY_HOST}{old}", f"http://{PRIMARY_HOST}{old}", _month_stamp("202104", 0, old),
                    "redirect", _status_body(301), "text/html", status=301, location=f"https://{PRIMARY_HOST}{new}")
    missing = f"https://{PRIMARY_HOST}{MISSING_PATH}"
    builder.add(missing, missing, _month_stamp("202006", 0, missing), "missing", _status_body(404), "text/html",
                status=404)
    return _WaybackPlan(tuple(sorted(builder.captures, key=_wayback_line)), builder.payloads)


def _article_captures(builder: _CaptureBuilder, i: int, page: SavedPage, changed: bool) -> None:
    yyyymm = parse_article_url(page.url).yyyymm
    first = _month_stamp(yyyymm, 0, page.url)
    builder.page(page, _original(page, i), first)
    later = "https://" + page.host + page.path
    if changed:
        html = _changed(page.file.read_bytes())
        builder.page(page, later, _month_stamp(yyyymm, 6, page.url), payload=html)
        builder.page(page, later, _month_stamp(yyyymm, 12, page.url), payload=html)
    elif i % 4 == 0:
        builder.page(page, later, _month_stamp(yyyymm, 7, page.url))
    elif i % 4 == 1:
        builder.revisit(page, later, _month_stamp(yyyymm, 13, page.url), first)
    elif i % 4 == 2:
        builder.page(page, later + "/", _month_stamp(yyyymm, 5, page.url))
    else:
        builder.page(page, later + "?utm_source=facebook", _month_stamp(yyyymm, 3, page.url))


class _CaptureBuilder:
    """Collects CDX rows and payloads; a row's length is the size of its gzipped WARC record."""

    def __init__(self):
        self.captures: list[dict] = []
        self.payloads: dict[str, bytes] = {}

    def page(self, page: SavedPage, original: str, ts: str, payload: bytes | None = None) -> None:
        """A capture of a saved page; `payload` when the page had changed since (not the saved bytes)."""
        body = page.file.read_bytes() if payload is None else payload
        self.add(page.url, original, ts, page.kind, body, page.content_type, saved_file=str(page.file),
                 changed=payload is not None)

    def add(self, site_url: str, original: str, ts: str, kind: str, payload: bytes, ctype: str, *,
            status: int = 200, location: str | None = None, saved_file: str | None = None,
            changed: bool = False) -> None:
        length = len(_member(lambda w: _response_record(w, original, ts, status, ctype, payload, location)))
        self._row(site_url, original, ts, kind, payload, ctype, str(status), length, status=status,
                  location=location, saved_file=saved_file, changed=changed)

    def revisit(self, page: SavedPage, original: str, ts: str, original_ts: str) -> None:
        payload = page.file.read_bytes()
        length = len(_member(lambda w: _revisit_record(w, original, ts, original_ts, payload, page.content_type)))
        self._row(page.url, original, ts, page.kind, payload, page.content_type, "-", length,
                  mimetype="warc/revisit", saved_file=str(page.file), revisit_of=original_ts)

    def _row(self, site_url, original, ts, kind, payload, ctype, statuscode, length, *, status=200, location=None,
             saved_file=None, changed=False, mimetype=None, revisit_of=None) -> None:
        sha = digest(payload)
        self.payloads[sha] = payload
        self.captures.append({
            "urlkey": surt(original), "timestamp": ts, "original": original,
            "mimetype": mimetype or ctype.split(";")[0], "statuscode": statuscode, "digest": sha,
            "length": str(length), "site_url": canonicalize(site_url), "kind": kind, "saved_file": saved_file,
            "content_type": ctype, "http_status": status, "location": location, "changed": changed,
            "revisit_of": revisit_of})


@dataclass
class _Listing:
    """What a CDX query answers, before it is written out."""

    names: list[str]
    values: list[list[str]] = field(default_factory=list)
    resume: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    num_pages: int | None = None  # a showNumPages answer

    def render(self, as_json: bool) -> tuple[bytes, str]:
        """JsonWriter / PlainTextWriter: JSON opens with the field names (only when a row follows),
        the resume key comes after an empty row (text: an empty line)."""
        if self.num_pages is not None:
            return f"{self.num_pages}\n".encode(), "text/plain; charset=UTF-8"
        if not as_json:
            text = "".join(" ".join(v) + "\n" for v in self.values) + (f"\n{self.resume}\n" if self.resume else "")
            return text.encode(), "text/plain; charset=UTF-8"
        if not self.values:
            return b"[]\n", "application/json"
        lines = [json.dumps(self.names, separators=(",", ":"))] + [json.dumps(v) for v in self.values]
        if self.resume:
            lines += ["[]", json.dumps([self.resume])]
        return ("[" + ",\n".join(lines) + "]\n").encode(), "application/json"


_REPLAY = re.compile(r"^/web/(\d{1,14})(id_)?/(.+)$")


class FakeWayback(_FakeArchive):
    """The Wayback Machine's CDX API and captures, from a saved site (see the module docstring).

    `block_lines` and `page_size` shape the paged API; the fault switches are keyword arguments.
    """

    def __init__(self, root: Path | str = DEFAULT_ROOT, port: int = 0, *, block_lines: int = 5, page_size: int = 3,
                 truncated_json: bool | int = 0, missing_columns: bool | int = 0, not_json: bool | int = 0,
                 capture_not_html: bool | int = 0, image_at: Iterable[str] = (), cdx_skew: int = 0,
                 **politeness):
        super().__init__(port, **politeness)
        self.root = Path(root).resolve()
        plan = _wayback_plan(self.root)
        self._payloads = plan.payloads
        self.captures = [dict(row) for row in plan.captures]
        self._index = _Index(self.captures, _wayback_line, block_lines)
        self._by_urlkey: dict[str, list[dict]] = {}
        for row in self._index.rows:
            self._by_urlkey.setdefault(row["urlkey"], []).append(row)
        self.page_size = page_size
        self._truncated = _Budget(truncated_json)
        self._missing_columns = _Budget(missing_columns)
        self._not_json = _Budget(not_json)
        self._not_html = _Budget(capture_not_html)
        self._image_at = frozenset(image_at)
        skewed = [row for row in self._index.rows if row["kind"] == "article" and row["statuscode"] == "200"
                  and row["mimetype"] == "text/html"][:cdx_skew]
        for row in skewed:
            earlier = datetime.strptime(row["timestamp"], "%Y%m%d%H%M%S") - timedelta(seconds=1)
            row["listed_timestamp"] = _stamp(earlier)

    def payload(self, capture: dict) -> bytes:
        """The bytes a raw replay of `capture` serves (a revisit's are those it refers to)."""
        return self._payloads[capture["digest"]]

    def kind_of(self, path: str) -> str:
        if path == "/cdx/search/cdx":
            return "cdx"
        return "capture" if path.startswith("/web/") else "other"

    def route(self, target: str, kind: str, headers) -> _Answer:
        if kind == "cdx":
            return self._cdx(urlsplit(target).query, headers)
        match = _REPLAY.match(target)
        if not match:
            return _Answer(404, _status_body(404), "text/html")
        return self._replay(match[1], bool(match[2]), match[3])

    # ---- CDX ----

    def _cdx(self, query: str, headers) -> _Answer:
        pairs = parse_qsl(query, keep_blank_values=True)
        params = dict(pairs)
        try:
            listing = self._listing(params, [v for k, v in pairs if k == "filter" and v],
                                    [v for k, v in pairs if k == "collapse" and v])
        except _BadRequest as exc:
            return _Answer(400, f"{exc}\n".encode())
        # One fault an answer, the first switch with some budget left.
        faults = [("not_json", self._not_json), ("truncated_json", self._truncated)]
        faults += [("missing_columns", self._missing_columns)] if len(listing.values) > 1 else []
        fault = next((name for name, budget in faults if self.take(budget)), None)
        if fault == "not_json":
            return _Answer(200, b"<!DOCTYPE html><html><head><title>Wayback Machine</title></head><body><p>"
                                b"The Wayback Machine is under heavy load. Please try again.</p></body></html>",
                           "text/html; charset=utf-8", fault=fault)
        if fault == "missing_columns":
            listing.values[1] = listing.values[1][:-2]
        body, ctype = listing.render(params.get("output") == "json")
        if fault == "truncated_json":
            body = body[: len(body) // 2]
        accept = headers.get("Accept-Encoding", "")
        if params.get("gzip") == "true" or (params.get("gzip") != "false" and "gzip" in accept):
            body, listing.headers["Content-Encoding"] = gzip.compress(body, mtime=0), "gzip"
        return _Answer(200, body, ctype, listing.headers, fault)

    def _listing(self, params: dict, filters: list[str], collapses: list[str]) -> _Listing:
        if not params.get("url"):
            raise _BadRequest("url parameter is required")
        url, match_type = _match_type(params["url"], params.get("matchType"))
        if match_type not in ("exact", "prefix", "host", "domain"):
            raise _BadRequest(f"Invalid matchType: {match_type}")
        names = [n for n in params.get("fl", "").split(",") if n] or list(WAYBACK_FIELDS)
        if set(names) - set(WAYBACK_FIELDS):
            raise _BadRequest(f"Invalid field in fl: {params['fl']}")
        lo, hi = self._index.span(url, match_type)
        listing = _Listing(names)
        page = _int(params, "page", -1)
        if page >= 0 or params.get("showNumPages") == "true":
            size = _int(params, "pageSize", self.page_size)
            size = self.page_size if not 0 < size <= self.page_size else size
            count, _blocks, first = self._index.pages(lo, hi, size)
            listing.headers["X-CDX-Num-Pages"] = str(count)
            if params.get("showNumPages") == "true":
                listing.num_pages = count
                return listing
            lo, hi = self._index.page_span(lo, hi, first, page, size) if page < count else (lo, lo)
        rows, listing.resume = self._select(params, lo, hi, filters, collapses)
        listing.values = [[row.get("listed_timestamp", row[n]) if n == "timestamp" else row[n] for n in names]
                          for row in rows]
        return listing

    def _select(self, params: dict, lo: int, hi: int, filters: list[str],
                collapses: list[str]) -> tuple[list[dict], str | None]:
        """The rows the query writes and the resume key, in CDXServer.writeCdxResponse's order:
        resume key, offset, from/to, filters, collapse, limit."""
        key = params.get("resumeKey", "")
        if key:
            lo = max(lo, bisect.bisect_left(self._index.lines, unquote_plus(key)))
        offset, limit = _int(params, "offset", 0), _int(params, "limit", 0)
        start, end = params.get("from", ""), params.get("to", "")
        tests = [_wayback_filter(spec, _wayback_line) for spec in filters]
        collapser = _Collapser(collapses)
        rows: list[dict] = []
        for row in self._index.rows[lo:hi]:
            if offset > 0:
                offset -= 1
                continue
            ts = row["timestamp"]
            if (start and ts < start) or (end and ts > end and not ts.startswith(end)):
                continue
            if all(test(row) for test in tests) and collapser.keep(row):
                rows.append(row)
                if 0 < limit <= len(rows):
                    break
        if limit < 0:
            return rows[limit:], None
        resume = None
        if params.get("showResumeKey") == "true" and 0 < limit <= len(rows):
            resume = quote_plus(f"{rows[-1]['urlkey']} {_inc_last_char(rows[-1]['timestamp'])}")
        return rows, resume

    # ---- replay ----

    def _replay(self, ts: str, raw: bool, original: str) -> _Answer:
        # A client or proxy may have folded `https://` into `https:/`.
        url = re.sub(r"^(https?:)/+", r"\1//", original)
        captures = self._by_urlkey.get(surt(url))
        if not captures:
            return _Answer(404, b"<html><body><p>The Wayback Machine has not archived that URL.</p></body></html>",
                           "text/html; charset=utf-8")
        # warcio clamps impossible dates (month 99) as the archive does: every digit string is a time.
        wanted = timestamp_to_sec(pad_timestamp(ts, PAD_14_DOWN))
        nearest = min(captures, key=lambda c: (abs(timestamp_to_sec(c["timestamp"]) - wanted), c["timestamp"]))
        mode = "id_" if raw else ""
        if nearest["timestamp"] != ts:
            location = f"{self.base_url}/web/{nearest['timestamp']}{mode}/{nearest['original']}"
            return _Answer(302, b"", "text/plain; charset=utf-8", {"Location": location})
        return self._memento(nearest, raw)

    def _memento(self, capture: dict, raw: bool) -> _Answer:
        ts, original = capture["timestamp"], capture["original"]
        body, ctype, fault = self.payload(capture), capture["content_type"], None
        mode = "id_" if raw else ""
        headers = {
            "Memento-Datetime": timestamp_to_http_date(ts),
            "Link": (f'<{original}>; rel="original", <{self.base_url}/web/timemap/link/{original}>; rel="timemap"; '
                     f'type="application/link-format", <{self.base_url}/web/{ts}{mode}/{original}>; rel="memento"; '
                     f'datetime="{timestamp_to_http_date(ts)}"'),
            "X-Archive-Src": f"BHG-FAKE-{ts[:6]}/BHG-FAKE-{ts}-00000.warc.gz",
            "X-Archive-Orig-Server": "nginx",
            "X-Archive-Orig-Date": timestamp_to_http_date(ts),
            "X-Archive-Orig-Content-Length": str(len(body)),
        }
        if capture["location"]:
            headers["Location"] = f"{self.base_url}/web/{ts}{mode}/{capture['location']}"
            headers["X-Archive-Orig-Location"] = capture["location"]
        if ctype.startswith("text/html") and raw and (ts in self._image_at or self.take(self._not_html)):
            body, ctype, fault = _jpeg(original), "image/jpeg", "capture_not_html"
        elif ctype.startswith("text/html") and not raw:
            body = re.sub(rb"(<body[^>]*>)", lambda m: m[1] + _BANNER.format(original=original, timestamp=ts).encode(),
                          body, count=1)
        return _Answer(capture["http_status"], body, ctype, headers, fault)


# ---- Common Crawl ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _CommonCrawlPlan:
    captures: tuple[dict, ...]
    files: dict[str, bytes]  # crawl-data/… path → the WARC file


def _cc_line(row: dict) -> str:
    rest = {k: row[k] for k in CC_FIELDS[2:] if k in row}
    return f"{row['urlkey']} {row['timestamp']} {json.dumps(rest)}"


def _language(page_url: str) -> str:
    parts = urlsplit(page_url)
    return "eng" if parts.hostname == "en.baohagiang.vn" or parts.path.startswith("/english") else "vie"


@dataclass(frozen=True)
class _Fetch:
    """One fetch of a crawl: what its response record holds."""

    site_url: str
    url: str  # as fetched
    timestamp: str
    status: int
    payload: bytes
    content_type: str
    kind: str
    location: str | None = None
    page: SavedPage | None = None


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S")


def _crawl_window(start: str, days: int) -> tuple[datetime, datetime]:
    begin = datetime.strptime(start, "%Y%m%d").replace(tzinfo=UTC)
    return begin, begin + timedelta(days=days, seconds=-1)


def _in_crawl(crawl: str, start: str, page: SavedPage) -> bool:
    """The home page always; two thirds of the articles published before the crawl; half the rest."""
    article = parse_article_url(page.url)
    if article:
        return article.yyyymm < start[:6] and _hash(crawl, "pick", page.url) % 3 != 0
    return page.path == "/" or _hash(crawl, "pick", page.url) % 2 == 0


def _crawl_fetches(crawl: str, start: str, days: int, pages: list[SavedPage], root: Path) -> list[_Fetch]:
    begin, end = _crawl_window(start, days)
    span = int((end - begin).total_seconds())

    def when(url: str) -> str:
        return _stamp(begin + timedelta(seconds=_hash(crawl, url) % span))

    fetches = []
    for page in (p for p in pages if _in_crawl(crawl, start, p)):
        # Links to www. pages exist; the crawler fetches them as found.
        www = "www." if page.host == PRIMARY_HOST and _hash(crawl, "www", page.url) % 5 == 0 else ""
        fetches.append(_Fetch(page.url, f"https://{www}{page.host}{page.path}", when(page.url), 200,
                              page.file.read_bytes(), page.content_type, page.kind, page=page))
    for old, new in _redirect_rules(root).items():
        url = f"https://{PRIMARY_HOST}{old}"
        fetches.append(_Fetch(url, url, when(url), 301, _status_body(301), "text/html", "redirect",
                              location=f"https://{PRIMARY_HOST}{new}"))
    missing = f"https://{PRIMARY_HOST}{MISSING_PATH}"
    fetches.append(_Fetch(missing, missing, when(missing), 404, _status_body(404), "text/html", "missing"))
    return fetches


@lru_cache(maxsize=4)
def _common_crawl_plan(root: Path) -> _CommonCrawlPlan:
    pages = saved_pages(root)
    captures: list[dict] = []
    files: dict[str, bytes] = {}
    for crawl, _name, start, days in CRAWLS:
        segment = f"{int(_crawl_window(start, days)[0].timestamp() * 1000)}.0"
        fetches = _crawl_fetches(crawl, start, days, pages, root)
        ok = [f for f in fetches if f.status == 200]
        stem = f"CC-MAIN-{start}000000-{start}030000"
        groups = {f"warc/{stem}-00000.warc.gz": ok[0::2], f"warc/{stem}-00001.warc.gz": ok[1::2],
                  f"crawldiagnostics/{stem}-00002.warc.gz": [f for f in fetches if f.status != 200]}
        for name, group in groups.items():
            path = f"crawl-data/{crawl}/segments/{segment}/{name}"
            files[path] = _warc_file(crawl, path, start, group, captures)
    return _CommonCrawlPlan(tuple(captures), files)


def _warc_file(crawl: str, path: str, start: str, fetches: list[_Fetch], captures: list[dict]) -> bytes:
    """A WARC file of one gzip member per record (warcinfo, then request + response per fetch);
    appends each response's index row to `captures`."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.0")
    info_id = _record_id("warcinfo", path)
    info = (f"software: bhgcrawl devtools.archives (a local fake of Common Crawl)\r\nisPartOf: {crawl}\r\n"
            f"format: WARC File Format 1.0\r\noperator: nobody; test data only\r\n").encode()
    writer.write_record(writer.create_warc_record(
        "", "warcinfo", payload=io.BytesIO(info), length=len(info), warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Record-ID": info_id, "WARC-Date": timestamp_to_iso_date(start + "000000"),
                           "WARC-Filename": path.rsplit("/", 1)[1]}))
    for fetch in fetches:
        request_id = _record_id("request", fetch.url, fetch.timestamp)
        writer.write_record(_request_record(writer, fetch, request_id, info_id))
        offset = out.tell()
        mime = fetch.content_type.split(";")[0]
        writer.write_record(_response_record(
            writer, fetch.url, fetch.timestamp, fetch.status, fetch.content_type, fetch.payload, fetch.location,
            {"WARC-Warcinfo-ID": info_id, "WARC-Concurrent-To": request_id, "WARC-IP-Address": _CC_SERVER_IP,
             "WARC-Identified-Payload-Type": mime}))
        row = {"urlkey": surt(fetch.url), "timestamp": fetch.timestamp, "url": fetch.url, "mime": mime,
               "mime-detected": mime, "status": str(fetch.status), "digest": digest(fetch.payload),
               "length": str(out.tell() - offset), "offset": str(offset), "filename": path}
        if fetch.status == 200 and fetch.content_type == HTML_TYPE:
            row |= {"languages": _language(fetch.site_url), "encoding": "UTF-8"}
        if fetch.location:
            row["redirect"] = fetch.location
        captures.append(row | {"crawl": crawl, "site_url": canonicalize(fetch.site_url), "kind": fetch.kind,
                               "saved_file": str(fetch.page.file) if fetch.page else None})
    return out.getvalue()


def _request_record(writer: WARCWriter, fetch: _Fetch, record_id: str, info_id: str):
    parts = urlsplit(fetch.url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    headers = StatusAndHeaders(f"GET {target} HTTP/1.1", [
        ("Host", parts.netloc), ("User-Agent", "CCBot/2.0 (https://commoncrawl.org/faq/)"),
        ("Accept", "text/html,*/*;q=0.8")], is_http_request=True)
    return writer.create_warc_record(fetch.url, "request", payload=io.BytesIO(b""), length=0, http_headers=headers,
                                     warc_headers_dict={"WARC-Record-ID": record_id,
                                                        "WARC-Date": timestamp_to_iso_date(fetch.timestamp),
                                                        "WARC-Warcinfo-ID": info_id, "WARC-IP-Address": _CC_SERVER_IP})


_CRAWL_INDEX = re.compile(r"^/(CC-MAIN-\d{4}-\d{2})-index$")


class FakeCommonCrawl(_FakeArchive):
    """Common Crawl's index server (index.commoncrawl.org) and data host (data.commoncrawl.org) in one
    server, from a saved site (see the module docstring)."""

    def __init__(self, root: Path | str = DEFAULT_ROOT, port: int = 0, *, block_lines: int = 3, page_size: int = 2,
                 index_503: int = 0, garbage_range: bool | int = 0, ignore_range: bool | int = 0, **politeness):
        politeness.setdefault("retry_after", None)  # index.commoncrawl.org's 503s say nothing of when to retry
        super().__init__(port, **politeness)
        self.root = Path(root).resolve()
        plan = _common_crawl_plan(self.root)
        self._files = plan.files
        rows = [dict(row) for row in plan.captures]
        self._indexes = {crawl: _Index([r for r in rows if r["crawl"] == crawl], _cc_line, block_lines)
                         for crawl, *_rest in CRAWLS}
        self.captures = [row for index in self._indexes.values() for row in index.rows]
        self.crawls = [{"id": crawl, "name": name, "from": _iso(begin), "to": _iso(end)}
                       for crawl, name, start, days in CRAWLS for begin, end in [_crawl_window(start, days)]]
        self.page_size = page_size
        self._index_503 = {crawl: _Budget(index_503) for crawl, *_rest in CRAWLS}
        self._garbage = _Budget(garbage_range)
        self._ignore_range = _Budget(ignore_range)

    def kind_of(self, path: str) -> str:
        if path == "/collinfo.json":
            return "collinfo"
        if _CRAWL_INDEX.match(path):
            return "index"
        return "data" if path.startswith("/crawl-data/") else "other"

    def route(self, target: str, kind: str, headers) -> _Answer:
        parts = urlsplit(target)
        if kind == "collinfo":
            body = [c | {"timegate": f"{self.base_url}/{c['id']}/", "cdx-api": f"{self.base_url}/{c['id']}-index"}
                    for c in self.crawls]
            return _Answer(200, json.dumps(body, indent=1).encode(), "application/json")
        if kind == "index" and _CRAWL_INDEX.match(parts.path)[1] in self._indexes:
            return self._index_answer(_CRAWL_INDEX.match(parts.path)[1], parts.query)
        if kind == "data":
            return self._data(parts.path.lstrip("/"), headers.get("Range"))
        return _Answer(404, _status_body(404), "text/html")

    # ---- index ----

    def _index_answer(self, crawl: str, query: str) -> _Answer:
        if self.take(self._index_503[crawl]):
            return self.slow_down(503, "index_503")
        pairs = parse_qsl(query, keep_blank_values=True)
        params = dict(pairs)
        try:
            return self._index_rows(crawl, params, [v for k, v in pairs if k == "filter" and v])
        except _BadRequest as exc:
            return _Answer(400, json.dumps({"message": str(exc)}).encode(), "application/json")

    def _index_rows(self, crawl: str, params: dict, filters: list[str]) -> _Answer:
        if not params.get("url"):
            raise _BadRequest('The "url" param is required')
        url, match_type = _match_type(params["url"], params.get("matchType"))
        if match_type not in ("exact", "prefix", "host", "domain"):
            raise _BadRequest(f"Invalid matchType: {match_type}")
        index = self._indexes[crawl]
        lo, hi = index.span(url, match_type)
        size = _int(params, "pageSize", self.page_size)
        if size <= 0:
            raise _BadRequest(f"Invalid pageSize: {size}")
        count, blocks, first = index.pages(lo, hi, size) if hi > lo else (0, 0, 0)
        json_out = params.get("output") == "json"
        ctype = "text/x-ndjson" if json_out else "text/x-cdxj"
        if params.get("showNumPages") == "true":
            info = {"pages": count, "pageSize": size, "blocks": blocks}
            return _Answer(200, json.dumps(info).encode() + b"\n", ctype)
        not_found = _Answer(404, json.dumps({"message": f"No Captures found for: {params['url']}"}).encode(),
                            "application/json")
        if not count:
            return not_found
        page = _int(params, "page", 0)
        if not 0 <= page < count:
            raise _BadRequest(f"Page {page} invalid: First Page is 0, Last Page is {count - 1}")
        lo, hi = index.page_span(lo, hi, first, page, size)
        rows = self._filtered(index.rows[lo:hi], params, filters)
        if not rows:
            return not_found
        names = [n for n in params.get("fl", "").split(",") if n in CC_FIELDS] or CC_FIELDS
        lines = [json.dumps({k: row[k] for k in names if k in row}) if json_out else _cc_line(row) for row in rows]
        return _Answer(200, ("\n".join(lines) + "\n").encode(), ctype)

    @staticmethod
    def _filtered(rows: list[dict], params: dict, filters: list[str]) -> list[dict]:
        """pywb's process_cdx order: filters, then from/to, then limit."""
        tests = [_cc_filter(spec, _cc_line) for spec in filters]
        start = pad_timestamp(params["from"], PAD_14_DOWN) if params.get("from") else ""
        end = pad_timestamp(params["to"], PAD_14_UP) if params.get("to") else ""
        kept = [row for row in rows if all(test(row) for test in tests)
                and not (start and row["timestamp"] < start) and not (end and row["timestamp"] > end)]
        limit = _int(params, "limit", 0)
        return kept[:limit] if limit > 0 else kept

    # ---- data ----

    def _data(self, path: str, range_header: str | None) -> _Answer:
        blob = self._files.get(path)
        if blob is None:
            return _Answer(404, b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                                b"<Message>The specified key does not exist.</Message></Error>", "application/xml")
        whole = _Answer(200, blob, "application/octet-stream", {"Accept-Ranges": "bytes"})
        wanted = _byte_range(range_header, len(blob)) if range_header else None
        if wanted is None:
            return whole
        if self.take(self._ignore_range):
            whole.fault = "ignore_range"
            return whole
        if wanted == "unsatisfiable":
            return _Answer(416, b"", "application/xml", {"Content-Range": f"bytes */{len(blob)}"})
        first, last = wanted
        body, fault = blob[first:last + 1], None
        if self.take(self._garbage):
            body, fault = _garbage(path, first, len(body)), "garbage_range"
        return _Answer(206, body, "application/octet-stream",
                       {"Accept-Ranges": "bytes", "Content-Range": f"bytes {first}-{last}/{len(blob)}"}, fault)


def _byte_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(first, last) of a single `bytes=` range, "unsatisfiable", or None to answer the whole file
    (no range, several, or one that does not parse: RFC 9110 lets a server ignore those)."""
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header)
    if not match or not (match[1] or match[2]):
        return None
    if not match[1]:
        return (max(0, size - int(match[2])), size - 1) if int(match[2]) else "unsatisfiable"
    first = int(match[1])
    last = min(int(match[2]), size - 1) if match[2] else size - 1
    if first >= size:
        return "unsatisfiable"
    return (first, last) if first <= last else None


def _garbage(path: str, offset: int, length: int) -> bytes:
    """Bytes that look like data and are neither gzip nor WARC (never 0x1f 0x8b first)."""
    out = b""
    while len(out) < length:
        out += hashlib.sha256(f"{path}:{offset}:{len(out)}".encode()).digest()
    return (b"<" + out[1:length]) if length else b""


# ---- command line ---------------------------------------------------------------------------------

def _fault_value(text: str):
    name, _sep, value = text.partition("=")
    if value.lower() in ("true", "false"):
        return name, value.lower() == "true"
    if name == "throttle_nth":
        return name, tuple(int(v) for v in value.split(",") if v)
    return name, int(value) if value else True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.archives", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", choices=("wayback", "commoncrawl"))
    parser.add_argument("--root", default=str(DEFAULT_ROOT), help="the saved site (default: fixtures/site)")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    parser.add_argument("--fault", action="append", default=[], metavar="NAME=VALUE",
                        help="a fault switch, e.g. retry_after_once=2, always_429=true, throttle_nth=3,5")
    args = parser.parse_args(argv)
    cls = FakeWayback if args.archive == "wayback" else FakeCommonCrawl
    try:
        server = cls(args.root, args.port, **dict(_fault_value(f) for f in args.fault))
    except (TypeError, ValueError) as exc:
        parser.error(str(exc))
    print(f"{args.archive} fake of {server.root} on {server.base_url} ({len(server.captures)} captures)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
