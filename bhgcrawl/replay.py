"""Replay server: serves a saved copy of the site (fixtures/site/) on 127.0.0.1.

URL → file rules (the same for every copy of the site):
  /                         → index.html
  /kinh-te  or /kinh-te/    → kinh-te/index.html        (a section)
  /xa-hoi/202112/slug-785426 → xa-hoi/202112/slug-785426.html   (an extensionless page)
  /kinh-te/trang-2.html     → kinh-te/trang-2.html      (a path with an extension, as is)
  /van-hoa?page=2           → van-hoa/index@page=2.html (the query after "@", verbatim)
  _redirects.json           {"/old": {"status": 301, "location": "/new"}}
  _hosts/<host>/            the same rules for another host (Host header), e.g. en.baohagiang.vn
Anything else is a 404 (with 404.html as its body when present).

    python -m bhgcrawl.replay serve [--root fixtures/site] [--port 8000]
    python -m bhgcrawl.replay run -- scrapy crawl bhg -s BHG_BASE_URL={base}
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "site"
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


def resolve(root: Path, path: str, query: str = "", host: str = "") -> Path | None:
    """The file that answers `path?query` on `host`, or None. Never leaves `root`."""
    root = root.resolve()
    host = host.split(":")[0].lower()
    if host.startswith("www."):
        host = host[4:]
    if host not in _LOCAL_HOSTS and host != "baohagiang.vn":
        root = (root / "_hosts" / host).resolve()
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
        if file.is_file() and file.is_relative_to(root) and "_hosts" not in file.relative_to(root).parts[:1]:
            return file
    return None


class ReplayHandler(BaseHTTPRequestHandler):
    server_version = "bhgcrawl-replay/1"
    protocol_version = "HTTP/1.1"

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._answer(head=False)

    def _answer(self, head: bool):
        parts = urlsplit(self.path)
        root: Path = self.server.root
        host = self.headers.get("Host", "")
        redirects = self.server.redirects
        path_key = "/" + unquote(parts.path).strip("/")
        if path_key in redirects:
            rule = redirects[path_key]
            self._send(int(rule.get("status", 301)), b"", "text/html", head, {"Location": rule["location"]})
            return
        file = resolve(root, parts.path, parts.query, host)
        if file is None:
            body_file = root / "404.html"
            body = body_file.read_bytes() if body_file.is_file() else b"<html><body><h1>404</h1></body></html>"
            self._send(404, body, "text/html; charset=utf-8", head)
            return
        ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or file.suffix == ".html":
            ctype = ("text/html" if file.suffix == ".html" else ctype) + "; charset=utf-8"
        self._send(200, file.read_bytes(), ctype, head)

    def _send(self, status: int, body: bytes, ctype: str, head: bool, headers: dict | None = None):
        self.server.log_request_line(self.command, self.path, status, self.headers.get("Host", ""))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the server keeps its own log
        pass


class ReplayServer(ThreadingHTTPServer):
    """The server, startable in a thread: `with ReplayServer(root) as srv: srv.base_url`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path | str = DEFAULT_ROOT, port: int = 0, log_file: str | None = None):
        super().__init__(("127.0.0.1", port), ReplayHandler)
        self.root = Path(root).resolve()
        redirects = self.root / "_redirects.json"
        self.redirects = json.loads(redirects.read_text("utf-8")) if redirects.is_file() else {}
        self.requests: list[tuple[str, str, int, str]] = []
        self._lock = threading.Lock()
        self._log = open(log_file, "a", encoding="utf-8") if log_file else None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def log_request_line(self, method: str, path: str, status: int, host: str) -> None:
        with self._lock:
            self.requests.append((method, path, status, host))
            if self._log:
                self._log.write(f"{method} {path} {status} {host}\n")
                self._log.flush()

    def start(self) -> "ReplayServer":
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._log:
            self._log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bhgcrawl.replay", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("serve", "run"):
        p = sub.add_parser(name)
        p.add_argument("--root", default=str(DEFAULT_ROOT), help="the saved site (default: fixtures/site)")
        p.add_argument("--port", type=int, default=8000 if name == "serve" else 0)
        p.add_argument("--log", help="append one line per request to this file")
        if name == "run":
            p.add_argument("command", nargs=argparse.REMAINDER, help="command; {base} is the server's URL")
    args = parser.parse_args(argv)
    server = ReplayServer(args.root, args.port, args.log)
    if args.cmd == "serve":
        print(f"replaying {server.root} on {server.base_url}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        return 0
    command = [c.replace("{base}", server.base_url) for c in args.command if c != "--"]
    with server:
        return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
