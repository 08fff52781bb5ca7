"""Archive capture and replay: WARC 1.1 out (`-s BHG_WARC_DIR=warc/`), records back in (`-a warc=warc/`).

Every request and response the crawl makes is written, redirects and errors included, to gzipped
WARC files rotated at `BHG_WARC_MAX_SIZE`, each opening with a `warcinfo` record that names the
crawler, its version and the run's settings. Records name the canonical site URL (not a replay
server's address) and carry the URL the record was requested as in `BHG-Requested-URL`, so
re-extracting an archive gives the same records as the live run.

Bodies are stored as Scrapy received them, i.e. already decoded: the `Content-Encoding` and
`Transfer-Encoding` headers are dropped and `Content-Length` set to the stored length, so the
record is a valid HTTP message of what is in it.

A run from a web archive keeps what happened too: the archive's answers (a Wayback capture under its
archive URL, redirects to the nearest capture included), and a Common Crawl record read by range
verbatim, its gzip member as Common Crawl stores it. Each archived page read is followed by a
`metadata` record (`application/warc-fields`, `WARC-Refers-To` its response record) naming the
archive, the capture's time, original URL and digest, the article's site URL and the index row;
re-extraction reads the record's `capture` back from it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.http.headers import Headers

from bhgcrawl import __version__
from bhgcrawl.archives import commoncrawl, wayback
from bhgcrawl.run import Run
from bhgcrawl.urls import is_site_url, parse_article_url

_DROP_HEADERS = {b"content-encoding", b"transfer-encoding", b"content-length"}
# Settings worth knowing when reading an archive years later.
_RECORDED_SETTINGS = ("USER_AGENT", "ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS_PER_DOMAIN",
                      "DOWNLOAD_DELAY", "BHG_BASE_URL", "BHG_WARC_MAX_SIZE")


class WarcFiles:
    """Gzipped WARC 1.1 files `<prefix>-00000.warc.gz`, `-00001`, … rotated past `max_size` bytes."""

    def __init__(self, folder: str | Path, prefix: str, max_size: int, info: dict):
        from warcio.warcwriter import WARCWriter

        self._writer_cls = WARCWriter
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = re.sub(r"[^A-Za-z0-9._-]", "_", prefix)  # never a path from outside
        self.max_size = max_size
        self.info = info
        self.index = 0
        self.fh = None
        self.writer = None
        self.paths: list[Path] = []

    def _open(self):
        path = self.folder / f"{self.prefix}-{self.index:05d}.warc.gz"
        self.index += 1
        self.paths.append(path)
        self.fh = open(path, "wb")
        self.writer = self._writer_cls(self.fh, gzip=True, warc_version="1.1")
        self.writer.write_record(self.writer.create_warcinfo_record(path.name, self.info))

    def write(self, records_of, verbatim: bytes = b"") -> None:
        """`records_of(writer)` returns the records to write together (a request and its response), after
        `verbatim`: a record another archive wrote, one gzip member as it is (members simply follow)."""
        if self.fh is None:
            self._open()
        self.fh.write(verbatim)
        for record in records_of(self.writer):
            self.writer.write_record(record)
        self.fh.flush()
        if self.fh.tell() >= self.max_size:
            self.close()

    def close(self):
        if self.fh is not None:
            self.fh.close()
            self.fh = None


class WarcCaptureMiddleware:
    """Downloader middleware writing each request/response pair when `BHG_WARC_DIR` is set."""

    def __init__(self, crawler, folder: str):
        settings = crawler.settings
        run = Run.of(crawler)
        self.crawler = crawler
        self.urlmap = run.urlmap
        info = {
            "software": f"bhgcrawl/{__version__} (Scrapy)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "isPartOf": f"bhg-{run.id}",
            "settings": json.dumps({k: settings.get(k) for k in _RECORDED_SETTINGS}, ensure_ascii=False,
                                   default=str),
        }
        self.files = WarcFiles(folder, info["isPartOf"], settings.getint("BHG_WARC_MAX_SIZE"), info)
        crawler.signals.connect(self.files.close, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        folder = crawler.settings.get("BHG_WARC_DIR")
        if not folder:
            raise NotConfigured
        return cls(crawler, folder)

    def process_response(self, request, response, spider=None):
        from warcio.statusandheaders import StatusAndHeaders

        kind = request.meta.get("bhg_kind")  # a web archive's capture or record (spiders/archives.py)
        if kind == "record" and self._verbatim(request, response):
            return response
        provenance = None
        if kind == "capture" and response.status == 200:
            row = request.meta["bhg_row"]
            capture = wayback.served_capture(response.url, row, response.body)
            provenance = _provenance(capture, request.meta["site_url"], row)
        host = request.headers.get("Host")
        target = self.urlmap.site(response.url, host.decode() if host else None)
        requested = request.meta.get("site_url") or target
        parts = urlsplit(request.url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in request.headers.items() for v in vs]
        if not any(k.lower() == "host" for k, _ in req_headers):
            req_headers.insert(0, ("Host", urlsplit(target).netloc))
        resp_headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items()
                        for v in vs if k.lower() not in _DROP_HEADERS]
        resp_headers.append(("Content-Length", str(len(response.body))))
        reason = _REASONS.get(response.status, "")
        warc_headers = {"BHG-Requested-URL": requested}

        def records(writer):
            req = writer.create_warc_record(
                target, "request", payload=io.BytesIO(request.body or b""),
                http_headers=StatusAndHeaders(f"{request.method} {path} HTTP/1.1", req_headers,
                                              is_http_request=True))
            resp = writer.create_warc_record(
                target, "response", payload=io.BytesIO(response.body), warc_headers_dict=warc_headers,
                http_headers=StatusAndHeaders(f"{response.status} {reason}".strip(), resp_headers,
                                              protocol="HTTP/1.1"))
            req.rec_headers.add_header("WARC-Concurrent-To", resp.rec_headers.get_header("WARC-Record-ID"))
            if provenance is None:
                return [resp, req]
            return [resp, req, _metadata(writer, target, resp.rec_headers.get_header("WARC-Record-ID"), provenance)]

        self.files.write(records)
        self.crawler.stats.inc_value("bhg/warc_records", 3 if provenance else 2)
        return response

    def _verbatim(self, request, response) -> bool:
        """A Common Crawl record read by range, kept as Common Crawl wrote it, with its metadata; False
        when the answer holds no such record (it is then kept as the answer it was)."""
        row = request.meta["bhg_row"]
        where = commoncrawl.located(row)
        if response.status not in (200, 206) or where is None:
            return False
        got = commoncrawl.read_member(response.body, response.status, where[1], where[2])
        if isinstance(got, str):
            return False
        fields = _provenance(commoncrawl.capture_of(row, got), request.meta["site_url"], row)
        self.files.write(lambda writer: [_metadata(writer, got.target, got.record_id, fields)], verbatim=got.member)
        self.crawler.stats.inc_value("bhg/warc_records", 2)
        return True


def _provenance(capture: dict, site_url: str, row: dict) -> dict[str, str]:
    """The fields of an archived page's metadata record: the record's `capture`, the article, the row."""
    return {"archive": capture["archive"], "capture-time": capture["timestamp"], "original-url": capture["url"],
            "digest": capture["digest"], "site-url": site_url, "index-row": json.dumps(row, ensure_ascii=False)}


def _metadata(writer, target: str, refers_to: str | None, fields: dict[str, str]):
    payload = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode("utf-8")
    return writer.create_warc_record(target, "metadata", payload=io.BytesIO(payload), length=len(payload),
                                     warc_content_type="application/warc-fields",
                                     warc_headers_dict={"WARC-Refers-To": refers_to} if refers_to else None)


def reextract(folder: str | Path, parse_article, parse_archived, stats) -> Iterator:
    """The records `parse_article(response, crawled_at=…)` makes of every archived article page,
    each dated by its WARC record: no network, no state; of a web archive's copy (a response record a
    metadata record refers to), `parse_archived(response, capture, crawled_at=…)`'s, dated by when the
    crawl read it and with the archive's capture.

    A page a run fetched more than once (an answer cut off and retried, a 5xx, a redirect) has
    several captures in that run's files, the archive holding what the server sent; the run read
    the last of them, so only that one is re-extracted. Captures of other runs stay (the crawl's
    deduplication keeps the first record of an article)."""
    described: dict[str, dict] = {}
    last = {_capture_key(run, url): n
            for n, (run, url, *_rest) in enumerate(iter_responses(folder, bodies=False, metadata=described))}
    for n, (run, site_url, target, status, headers, body, warc_date, record_id) in enumerate(iter_responses(folder)):
        fields = described.get(record_id or "")
        if last[_capture_key(run, site_url)] != n or status != 200:
            continue
        if fields is None and (parse_article_url(site_url) is None or not is_site_url(target)):
            continue  # not a page of the site: an archive's index answer, a Range answer that held no record
        stats.inc_value("bhg/warc_responses")
        site_url = fields["site-url"] if fields else site_url
        response = HtmlResponse(target, status=status, headers=headers, body=body,
                                request=Request(target, meta={"site_url": site_url}))
        if fields is None:
            yield from parse_article(response, crawled_at=warc_date)
        else:
            capture = {"archive": fields["archive"], "timestamp": fields["capture-time"],
                       "url": fields["original-url"], "digest": fields["digest"]}
            yield from parse_archived(response, capture, crawled_at=fields["read-at"])


def _capture_key(run: str, url: str) -> bytes:
    """8 bytes standing for a run's captures of one URL: a large archive's index stays small."""
    return hashlib.blake2b(f"{run}\0{url}".encode(), digest_size=8).digest()


def iter_responses(folder: str | Path, bodies: bool = True, metadata: dict | None = None) \
        -> Iterator[tuple[str, str, str, int, Headers, bytes, str, str]]:
    """(run, requested site URL, fetched site URL, status, headers, body, fetch time UTC, record id) of
    every response record, in order. The run is the `isPartOf` of the file's warcinfo record (the file's
    name without one); without `bodies` the body is not read (b""). `metadata`, when given, is filled
    with the fields of every metadata record (and `read-at`, its time) by the record it refers to."""
    from warcio.archiveiterator import ArchiveIterator

    root = Path(folder)
    files = sorted(root.glob("*.warc.gz")) + sorted(root.glob("*.warc")) if root.is_dir() else [root]
    for path in files:
        run = path.name
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "warcinfo":
                    run = _part_of(record.content_stream().read()) or run
                    continue
                if record.rec_type == "metadata" and metadata is not None:
                    refers_to = record.rec_headers.get_header("WARC-Refers-To")
                    if refers_to:
                        fields = _fields(record.content_stream().read())
                        metadata[refers_to] = {**fields, "read-at": _utc(record.rec_headers.get_header("WARC-Date"))}
                    continue
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                target = record.rec_headers.get_header("WARC-Target-URI")
                url = record.rec_headers.get_header("BHG-Requested-URL") or target
                status = int(record.http_headers.get_statuscode() or 0)
                headers = Headers([(k, v) for k, v in record.http_headers.headers])
                body = record.content_stream().read() if bodies else b""
                when = _utc(record.rec_headers.get_header("WARC-Date"))
                yield run, url, target, status, headers, body, when, record.rec_headers.get_header("WARC-Record-ID")


def _utc(warc_date: str | None) -> str | None:
    if not warc_date:
        return None
    return datetime.fromisoformat(warc_date.replace("Z", "+00:00")).astimezone(UTC).isoformat(timespec="seconds")


def _fields(payload: bytes) -> dict[str, str]:
    """The `name: value` lines of a warcinfo or metadata record's payload."""
    out = {}
    for line in payload.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip() and name.strip() not in out:
            out[name.strip()] = value.strip()
    return out


def _part_of(info: bytes) -> str | None:
    """The `isPartOf` field of a warcinfo record's payload."""
    return _fields(info).get("isPartOf") or None


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
            307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 403: "Forbidden",
            404: "Not Found", 410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
