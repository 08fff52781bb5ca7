"""Replay server: serves a saved copy of the site (fixtures/site/, fixtures/platform-site/…) on 127.0.0.1.

URL → file rules (the same for every copy of the site):
  /                         → index.html
  /kinh-te  or /kinh-te/    → kinh-te/index.html        (a section)
  /xa-hoi/202112/slug-785426 → xa-hoi/202112/slug-785426.html   (an extensionless page)
  /kinh-te/trang-2.html     → kinh-te/trang-2.html      (a path with an extension, as is)
  /van-hoa?page=2           → van-hoa/index@page=2.html (the query after "@", verbatim)
  _redirects.json           {"/old": {"status": 301, "location": "/new"}}: the status rules of the
                            requests that root serves (the location may be on another host)
  _hosts/<host>/            the same rules, its own _redirects.json and _api/ included, for another
                            host (Host header), e.g. en.baohagiang.vn; the successor host
                            baotuyenquang.com.vn falls back to the main root when it has no folder
  /_…                       a first path segment starting with "_" names the server's data
                            (_hosts, _api, _redirects.json): never served as a file
Anything else is a 404 (with 404.html as its body when present).

The platform's listing API (devtools/listing_api.py, at its paths), for a root (or host folder) with `_api/`:
  _api/config.json          {"unit": "<32 hex>", "max_page_size": 50, "default_page_size": 10}
  _api/<CATE ID>.json       {"cate_id", "cate_url", "cate_title", "items": [...]}: the section, newest first
Its errors are answered with status 200 like the platform's. Fault mode applies to it like to any path.

Fault mode (`--faults RATE --seed N`): that share of requests gets a fault instead of the normal
answer. The fault of attempt k (1 for the first request of a path+query, 2 for the next…) is a pure
function of (seed, path+query, k) — `decide()` — so a run is reproducible and a retry of the same
URL can succeed. robots.txt is never faulted. The classes (`FAULT_CLASSES`):
  http_500, http_502       the status with a short HTML body
  http_503, http_429       the status with `Retry-After: 1`
  reset                    the connection is reset (RST) without an answer
  slow                     the normal answer after `--slow-seconds` (default 3 s)
  truncated                Content-Length of the whole body, half the bytes sent, connection closed
  empty                    200 text/html with an empty body
  wrong_type               the normal answer as application/octet-stream or image/jpeg
  redirect_loop            302 to itself with `?loop=N` growing (every `loop=N` request answers a
                           302 to `loop=N+1`), or A→B→A: 302 to `?bounce=1`, which answers a 302
                           back to A (A's next request is its next attempt)
  moved                    (article URLs only, not on the successor host, and only when the successor
                           answers that path) 301 to `https://baotuyenquang.com.vn/<path>`: the
                           successor site, same paths
Served faults are counted by class in `server.fault_counts` and named in the request log
(`GET /path 503 host attempt=1 fault=http_503`; a reset logs status 0).

    python -m devtools.replay serve [--root fixtures/site] [--port 8000] [--faults 0.1 --seed 1]
    python -m devtools.replay run [--faults 0.1 --seed 1] -- scrapy crawl bhg -s BHG_BASE_URL={base}
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mimetypes
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import weakref
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from bhgcrawl.urls import SUCCESSOR_HOST, parse_article_url
from devtools.listing_api import API_PATHS, listing_api

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "site"
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}

FAULT_CLASSES = ("http_500", "http_502", "http_503", "http_429", "reset", "slow", "truncated",
                 "empty", "wrong_type", "redirect_loop", "moved")
WRONG_TYPES = ("application/octet-stream", "image/jpeg")
_ERROR_BODY = "<html><head><title>{0}</title></head><body><h1>{0}</h1></body></html>"
_REASONS = {500: "500 Internal Server Error", 502: "502 Bad Gateway", 503: "503 Service Unavailable",
            429: "429 Too Many Requests"}


@dataclass(frozen=True)
class Fault:
    kind: str  # one of FAULT_CLASSES
    variant: int  # picks among a class's forms (the wrong type, the loop's shape)


def decide(seed: int, target: str, attempt: int, rate: float,
           classes: tuple[str, ...] = FAULT_CLASSES) -> Fault | None:
    """The fault for attempt `attempt` of `target` (path?query), or None: a pure function."""
    if rate <= 0 or not classes:
        return None
    digest = hashlib.sha256(f"{seed}\0{target}\0{attempt}".encode("utf-8", "surrogateescape")).digest()
    if int.from_bytes(digest[:8], "big") / 2**64 >= rate:
        return None
    kind = classes[int.from_bytes(digest[8:12], "big") % len(classes)]
    return Fault(kind, digest[12])


def host_root(root: Path, host: str = "") -> Path:
    """The folder that serves `host`: `root` itself for the main host, else `_hosts/<host>`."""
    root = root.resolve()
    host = host.split(":")[0].lower()
    if host.startswith("www."):
        host = host[4:]
    if host not in _LOCAL_HOSTS and host != "baohagiang.vn":
        own = (root / "_hosts" / host).resolve()
        # The successor site serves the same paths: its own copy when saved, else the main one.
        if own.is_dir() or host != SUCCESSOR_HOST:
            return own
    return root


def resolve(root: Path, path: str, query: str = "", host: str = "") -> Path | None:
    """The file that answers `path?query` on `host`, or None. Never leaves `root`."""
    root = host_root(root, host)
    rel = unquote(path).strip("/")
    candidates = []
    if query:
        candidates.append(f"{rel}/index@{query}.html" if rel else f"index@{query}.html")
    elif not rel:
        candidates.append("index.html")
    else:
        candidates += [rel, f"{rel}.html", f"{rel}/index.html"]
    for name in candidates:
        file = (root / name).resolve()
        if file.is_file() and file.is_relative_to(root) and not file.relative_to(root).parts[0].startswith("_"):
            return file
    return None


_CATE_ID = re.compile(r"[0-9A-Fa-f]{32}")


def api_answer(site: Path, query: str) -> tuple[bytes, str] | None:
    """(body, content type) of the listing API for the site folder `site`, or None when it has no `_api/`."""
    api = site / "_api"
    if not api.is_dir():
        return None
    config_file = api / "config.json"
    config = json.loads(config_file.read_text("utf-8")) if config_file.is_file() else {}

    def items_of(cate: str) -> list | None:
        # The id becomes a file name: only 32 hex, so nothing else under _api/ can be named by it.
        file = api / f"{cate.upper()}.json" if _CATE_ID.fullmatch(cate) else None
        return json.loads(file.read_text("utf-8"))["items"] if file is not None and file.is_file() else None

    return listing_api(query, str(config.get("unit", "")), items_of, int(config.get("max_page_size", 50)),
                       int(config.get("default_page_size", 10)))


def _with_param(path: str, query: str, key: str, value: str | None) -> str:
    """`path?query` with `key` set to `value` (or removed when None)."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != key]
    if value is not None:
        pairs.append((key, value))
    return path + ("?" + urlencode(pairs) if pairs else "")


class ReplayHandler(BaseHTTPRequestHandler):
    server_version = "bhgcrawl-replay/1"
    protocol_version = "HTTP/1.1"

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._answer(head=False)

    def _answer(self, head: bool):
        self._fault: str | None = None
        self._attempt: int | None = None
        server: ReplayServer = self.server
        parts = urlsplit(self.path)
        self._variant = 0
        if server.faults > 0 and self._fault_answer(parts, head):
            return
        status, body, ctype, headers = self._normal(parts)
        if self._fault == "wrong_type":
            ctype = WRONG_TYPES[self._variant % len(WRONG_TYPES)]
        if self._fault == "slow":
            # Logged (and counted) before the wait: the client may give up and the server stop.
            self._log_line(status)
            time.sleep(server.slow_seconds)
        self._send(status, body, ctype, head, headers, truncate=self._fault == "truncated",
                   log=self._fault != "slow")

    def _normal(self, parts) -> tuple[int, bytes, str, dict]:
        root: Path = self.server.root
        host = self.headers.get("Host", "")
        site = host_root(root, host)
        if parts.path.rstrip("/") in API_PATHS:
            answer = api_answer(site, parts.query)
            if answer is not None:
                return 200, answer[0], answer[1], {}
        redirects = self.server.redirects_of(site)
        path_key = "/" + unquote(parts.path).strip("/")
        if path_key in redirects:
            rule = redirects[path_key]
            return int(rule.get("status", 301)), b"", "text/html", {"Location": rule["location"]}
        file = resolve(root, parts.path, parts.query, host)
        if file is None:
            body_file = root / "404.html"
            body = body_file.read_bytes() if body_file.is_file() else b"<html><body><h1>404</h1></body></html>"
            return 404, body, "text/html; charset=utf-8", {}
        ctype, encoding = mimetypes.guess_type(file.name)
        if encoding == "gzip":  # a .xml.gz sitemap is a gzip file, not text sent with Content-Encoding
            ctype = "application/gzip"
        elif file.suffix == ".rss":
            ctype = "application/rss+xml"
        ctype = ctype or "application/octet-stream"
        if ctype.startswith("text/") or file.suffix in (".html", ".rss", ".xml"):
            ctype = ("text/html" if file.suffix == ".html" else ctype) + "; charset=utf-8"
        return 200, file.read_bytes(), ctype, {}

    # ---- fault mode ---------------------------------------------------------------------------

    def _fault_answer(self, parts, head: bool) -> bool:
        """Answer with a fault when one is due; False when the normal answer (perhaps slowed,
        cut or mislabelled: see `self._fault`) is to follow."""
        server: ReplayServer = self.server
        if parts.path.rstrip("/") == "/robots.txt":
            return False
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if "loop" in query:  # inside a self-redirect loop: it never ends
            n = int(query["loop"]) + 1 if query["loop"].isdigit() else 1
            self._fault = "redirect_loop"
            self._send(302, b"", "text/html", head, {"Location": _with_param(parts.path, parts.query, "loop", str(n))})
            return True
        if "bounce" in query:  # B of A→B→A: back to A
            self._fault = "redirect_loop"
            self._send(302, b"", "text/html", head, {"Location": _with_param(parts.path, parts.query, "bounce", None)})
            return True
        host = self.headers.get("Host", "").split(":")[0].lower().removeprefix("www.")
        classes = server.fault_classes
        if (host == SUCCESSOR_HOST or parse_article_url("https://baohagiang.vn" + parts.path) is None
                or resolve(server.root, parts.path, "", SUCCESSOR_HOST) is None):
            # A move to where the page is not would be a loss the site never causes.
            classes = tuple(c for c in classes if c != "moved")
        self._attempt = server.next_attempt(self.path)
        fault = decide(server.seed, self.path, self._attempt, server.faults, classes)
        if fault is None:
            return False
        self._fault, self._variant = fault.kind, fault.variant
        kind = fault.kind
        if kind.startswith("http_"):
            status = int(kind[5:])
            headers = {"Retry-After": "1"} if status in (503, 429) else {}
            body = _ERROR_BODY.format(_REASONS[status]).encode()
            self._send(status, body, "text/html; charset=utf-8", head, headers)
        elif kind == "reset":
            self._log_line(0)
            self.close_connection = True
            server.reset_on_close(self.connection)
        elif kind == "empty":
            self._send(200, b"", "text/html; charset=utf-8", head)
        elif kind == "redirect_loop":
            key, value = ("loop", "1") if fault.variant % 2 == 0 else ("bounce", "1")
            self._send(302, b"", "text/html", head, {"Location": _with_param(parts.path, parts.query, key, value)})
        elif kind == "moved":
            target = parts.path + ("?" + parts.query if parts.query else "")
            self._send(301, b"", "text/html", head, {"Location": f"https://{SUCCESSOR_HOST}{target}"})
        else:  # slow, truncated, wrong_type: the normal answer, altered
            return False
        return True

    def _log_line(self, status: int) -> None:
        self.server.log_request_line(self.command, self.path, status, self.headers.get("Host", ""),
                                     getattr(self, "_attempt", None), getattr(self, "_fault", None))

    def _send(self, status: int, body: bytes, ctype: str, head: bool, headers: dict | None = None,
              truncate: bool = False, log: bool = True):
        if log:
            self._log_line(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if truncate:
            # The whole length announced, half of it sent, then the connection dropped.
            if not head:
                self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        if not head:
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the server keeps its own log
        pass


class ReplayServer(ThreadingHTTPServer):
    """The server, startable in a thread: `with ReplayServer(root) as srv: srv.base_url`.

    `faults` (0–1) with `seed` turns on fault mode (see the module docstring); `fault_classes`
    limits it to some classes, `slow_seconds` is the delay of a `slow` answer.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path | str = DEFAULT_ROOT, port: int = 0, log_file: str | None = None,
                 faults: float = 0.0, seed: int = 0, slow_seconds: float = 3.0,
                 fault_classes: tuple[str, ...] | list[str] | None = None):
        super().__init__(("127.0.0.1", port), ReplayHandler)
        self.root = Path(root).resolve()
        self._redirects: dict[Path, dict] = {}
        self.redirects = self.redirects_of(self.root)
        if not 0 <= faults <= 1:
            raise ValueError(f"faults must be a share between 0 and 1, not {faults}")
        unknown = set(fault_classes or ()) - set(FAULT_CLASSES)
        if unknown:
            raise ValueError(f"unknown fault classes: {sorted(unknown)}; known: {FAULT_CLASSES}")
        self.faults = float(faults)
        self.seed = int(seed)
        self.slow_seconds = float(slow_seconds)
        self.fault_classes = tuple(fault_classes) if fault_classes else FAULT_CLASSES
        self.fault_counts: dict[str, int] = Counter()
        self.attempts: dict[str, int] = Counter()
        self.requests: list[tuple[str, str, int, str]] = []
        # (path, attempt, fault class) of every faulted answer, in order.
        self.faults_served: list[tuple[str, int | None, str]] = []
        self._lock = threading.Lock()
        self._resets: weakref.WeakSet = weakref.WeakSet()
        self._log = open(log_file, "a", encoding="utf-8") if log_file else None
        self._thread: threading.Thread | None = None

    def redirects_of(self, site: Path) -> dict:
        """The `_redirects.json` rules of a served folder (the root or a host's), read once."""
        if site not in self._redirects:
            file = site / "_redirects.json"
            self._redirects[site] = json.loads(file.read_text("utf-8")) if file.is_file() else {}
        return self._redirects[site]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def next_attempt(self, target: str) -> int:
        with self._lock:
            self.attempts[target] += 1
            return self.attempts[target]

    def log_request_line(self, method: str, path: str, status: int, host: str,
                         attempt: int | None = None, fault: str | None = None) -> None:
        with self._lock:
            self.requests.append((method, path, status, host))
            if fault:
                self.fault_counts[fault] += 1
                self.faults_served.append((path, attempt, fault))
            if self._log:
                extra = (f" attempt={attempt}" if attempt else "") + (f" fault={fault}" if fault else "")
                self._log.write(f"{method} {path} {status} {host}{extra}\n")
                self._log.flush()

    def reset_on_close(self, sock) -> None:
        with self._lock:
            self._resets.add(sock)

    def shutdown_request(self, request):
        with self._lock:
            reset = request in self._resets
            self._resets.discard(request)
        if not reset:
            return super().shutdown_request(request)
        # SO_LINGER 0: close() sends RST instead of FIN — the peer sees "connection reset".
        try:
            request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_request(request)

    def handle_error(self, request, client_address):
        # A client that gave up (timeout on a slow answer, a closed connection) is not an error here.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._log:
            if self.faults:
                self._log.write(f"# fault_counts {json.dumps(dict(sorted(self.fault_counts.items())))}\n")
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.replay", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("serve", "run"):
        p = sub.add_parser(name)
        p.add_argument("--root", default=str(DEFAULT_ROOT), help="the saved site (default: fixtures/site)")
        p.add_argument("--port", type=int, default=8000 if name == "serve" else 0)
        p.add_argument("--log", help="append one line per request to this file")
        p.add_argument("--faults", type=float, default=0.0, metavar="RATE",
                       help="share of requests (0-1) answered with a fault (default 0: none)")
        p.add_argument("--seed", type=int, default=0, help="seed of the fault decisions (default 0)")
        p.add_argument("--slow-seconds", type=float, default=3.0, help="delay of a `slow` answer (default 3)")
        p.add_argument("--fault-classes", default="",
                       help="comma-separated subset of: " + ", ".join(FAULT_CLASSES))
        if name == "run":
            p.add_argument("command", nargs=argparse.REMAINDER, help="command; {base} is the server's URL")
    args = parser.parse_args(argv)
    classes = tuple(c.strip() for c in args.fault_classes.split(",") if c.strip()) or None
    try:
        server = ReplayServer(args.root, args.port, args.log, faults=args.faults, seed=args.seed,
                              slow_seconds=args.slow_seconds, fault_classes=classes)
    except ValueError as exc:
        parser.error(str(exc))
    if args.cmd == "serve":
        faults = f" with faults {args.faults:g} (seed {args.seed})" if args.faults else ""
        print(f"replaying {server.root} on {server.base_url}{faults}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            if args.faults:
                print(f"faults served: {json.dumps(dict(sorted(server.fault_counts.items())))}", flush=True)
        return 0
    command = [c.replace("{base}", server.base_url) for c in args.command if c != "--"]
    with server:
        code = subprocess.call(command)
    if args.faults:
        print(f"faults served: {json.dumps(dict(sorted(server.fault_counts.items())))}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
