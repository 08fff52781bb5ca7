"""The benchmark site: any number of article pages, rendered on the fly from the fixture pages.

No files are written. Every article page is a fixture article page (`fixtures/invented-site/`) used as a
template, with its URL, id, slug, title and timestamps replaced deterministically; listings,
the home page and robots.txt come from the fixture-site generator (`fixtures/sitegen/build.py`),
fed with the generated articles. Article `i` is a copy of template `i % T` (T = the 40 articles of
the main host), its date `copy × 7 h 13 min` before the template's, so each copy keeps its
template's layout generation, URL generation and category.

It is also the platform the real site runs on (shared/site/PLATFORM.md), as far as a section's walk
goes: the home page carries the platform's `page_info` (this site's unit) and menu (every section's
id, in the form of fixtures/site/index.html), and the listing API (devtools/listing_api.py) answers
every section's articles newest first, at most `API_MAX_PAGE_SIZE` a call. The article and listing
pages stay the invented site's, which the crawler reads by its layered reading.

    python -m benchmarks.site serve --articles 20000 [--port 0] [--page-size 20] [--log FILE]

prints `serving <base url> <articles> articles <listing pages> listing pages` once it listens.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import importlib.util
import json
import re
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from devtools.listing_api import API_PATHS, listing_api

ROOT = Path(__file__).resolve().parent.parent
SITEGEN = ROOT / "fixtures" / "sitegen"
FIXTURE_SITE = ROOT / "fixtures" / "invented-site"
PAGE_SIZE = 20
STEP = timedelta(hours=7, minutes=13)  # between two copies of one template
# Not Báo Hà Giang's unit: a crawler that asked the API without reading the page's would be refused.
UNIT = hashlib.md5(b"bhgcrawl benchmark site").hexdigest()
API_MAX_PAGE_SIZE = 100  # what the platform's scripts ask for


def cate_id(cat: str) -> str:
    return hashlib.md5(cat.encode()).hexdigest().upper()


def load_generator():
    """fixtures/sitegen/build.py as a module (it imports its sibling content.py)."""
    if "bhg_sitegen_build" in sys.modules:
        return sys.modules["bhg_sitegen_build"]
    keep = sys.dont_write_bytecode  # build.py turns bytecode off for the whole process
    spec = importlib.util.spec_from_file_location("bhg_sitegen_build", SITEGEN / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bhg_sitegen_build"] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = keep
    return module


@dataclass(frozen=True)
class Template:
    art: dict  # the generator's article dict
    parts: tuple  # literal strings and slot names, alternating as found


@dataclass(frozen=True)
class Generated:
    index: int
    template: int
    copy: int
    when: datetime  # the date the copy is given (also when the template shows none)
    path: str


def _slots(art: dict, gen) -> dict[str, str]:
    """The strings of a page that belong to its article: its path, title and timestamps."""
    title = art["title"]
    slots = {
        art["path"]: "path",
        html.escape(title): "title_attr",
        html.escape(title, quote=False): "title_text",
        json.dumps(title, ensure_ascii=False)[1:-1]: "title_json",
    }
    if art["published"]:
        slots[gen.stamp_new(art)] = "stamp_new"
        slots[gen.stamp_old(art)] = "stamp_old"
        slots[gen.iso(art)] = "iso"
    return slots


def _template(art: dict, text: str, gen) -> Template:
    slots = _slots(art, gen)
    pattern = re.compile("|".join(re.escape(s) for s in sorted(slots, key=len, reverse=True)))
    parts, pos = [], 0
    for m in pattern.finditer(text):
        parts.append(text[pos:m.start()])
        parts.append(slots[m.group(0)])
        pos = m.end()
    parts.append(text[pos:])
    return Template(art, tuple(parts))


class BenchSite:
    """`articles` generated articles with their listings, home page and robots.txt."""

    def __init__(self, articles: int, page_size: int = PAGE_SIZE):
        gen = self.gen = load_generator()
        self.page_size = page_size
        self.templates = []
        for art in gen.ARTS:
            if art["host"] != gen.C.HOST:
                continue  # the English subdomain needs its own host: left out
            text = (FIXTURE_SITE / gen.file_for(art["path"])).read_text("utf-8")
            self.templates.append(_template(art, text, gen))
        self.articles: list[Generated] = []
        self.by_path: dict[str, int] = {}
        n_templates = len(self.templates)
        for i in range(articles):
            t, k = i % n_templates, i // n_templates
            art = self.templates[t].art
            when = gen.pub_dt(art) - STEP * k
            yyyymm = when.strftime("%Y%m")
            slug = art["path"].rsplit("/", 1)[1][: -len(art["id"]) - 1]
            path = f"/{art['cat']}/{yyyymm}/{slug}-{k + 1}-{self._id(i, art)}"
            self.articles.append(Generated(i, t, k, when, path))
            self.by_path[path] = i
        # Category listings, newest first; a section lists its subsections' articles too.
        self.forms = dict(gen.C.LISTINGS)
        self.listings: dict[str, list[int]] = {}
        for cat in gen.C.CATEGORIES:
            members = [g for g in self.articles if self._cat(g) == cat or self._cat(g).startswith(cat + "/")]
            members.sort(key=lambda g: (g.when, g.index), reverse=True)
            self.listings[cat] = [g.index for g in members]
            self.forms.setdefault(cat, "trang")
        self.cates = {cate_id(cat): cat for cat in self.listings}
        newest = sorted(self.articles, key=lambda g: (g.when, g.index), reverse=True)
        self.newest = [g.index for g in newest[:10]]
        # The generator's listing links its sidebar and an "en.baohagiang.vn" box to fixture
        # articles that this site does not have: both are fed this site's articles instead.
        gen.ARTS = []
        self._sidebar = self._render_sidebar()
        gen.sidebar = lambda exclude=None, base="": self._sidebar
        self._home: str | None = None

    @staticmethod
    def _id(i: int, art: dict) -> str:
        if art["gen"] == "numeric":
            return str(300000 + i)
        return f"{(i * 0x9E3779B1 + 0x5BD1E99) % (1 << 28):07x}"  # a bijection on 7 hex digits

    def _cat(self, g: Generated) -> str:
        return self.templates[g.template].art["cat"]

    # ---- the generated article as the generator's dict ------------------------------------

    def art(self, i: int) -> dict:
        g = self.articles[i]
        base = self.templates[g.template].art
        published = g.when.strftime("%Y-%m-%d %H:%M") if base["published"] else None
        return dict(base, key=f"B{i}", path=g.path, id=g.path.rsplit("-", 1)[1], published=published,
                    yyyymm=g.when.strftime("%Y%m"), title=f"{base['title']} ({g.copy + 1})")

    @property
    def listing_pages(self) -> int:
        return sum(self.pages(cat) for cat in self.listings)

    def pages(self, cat: str) -> int:
        return max(1, -(-len(self.listings[cat]) // self.page_size))

    def api_items(self, cate: str) -> _ApiItems | None:
        """The listing API's items of the section `cate` (its id), newest first; None: no such section."""
        cat = self.cates.get(cate.upper())
        return _ApiItems(self, self.listings[cat]) if cat is not None else None

    def api_item(self, i: int) -> dict:
        g, art = self.articles[i], self.art(i)
        digest = hashlib.md5(g.path.encode()).hexdigest()
        return {"id": digest[: 32 - len(art["id"])] + art["id"], "title": art["title"], "pageUrl": g.path,
                "publishDate": g.when.strftime("%Y-%m-%dT%H:%M:%S+07:00"), "objectType": "ARTICLE"}

    # ---- rendering ----------------------------------------------------------------------------

    def render_article(self, i: int) -> str:
        gen = self.gen
        art = self.art(i)
        values = {
            "path": art["path"],
            "title_attr": html.escape(art["title"]),
            "title_text": html.escape(art["title"], quote=False),
            "title_json": json.dumps(art["title"], ensure_ascii=False)[1:-1],
        }
        if art["published"]:
            values.update(stamp_new=gen.stamp_new(art), stamp_old=gen.stamp_old(art), iso=gen.iso(art))
        parts = self.templates[self.articles[i].template].parts
        return "".join(p if n % 2 == 0 else values[p] for n, p in enumerate(parts))

    def render_listing(self, cat: str, n: int) -> str | None:
        pages = self.pages(cat)
        if not 1 <= n <= pages:
            return None
        chunk = self.listings[cat][(n - 1) * self.page_size: n * self.page_size]
        page = self.gen.render_listing(cat, [self.art(i) for i in chunk], n, pages, self.forms[cat])
        # The platform's "Xem thêm" button: where the API goes on from (the page's links, sidebar's
        # included, would not say).
        more = (f'<div class="view-more row20"><a class="btn_more xem-them" href="javascript:void(0);" '
                f'data-start="{n * self.page_size}" data-id="{cate_id(cat)}" data-size="10">Xem thêm</a></div>\n')
        return page.replace("</body>", more + "</body>", 1)

    def _render_sidebar(self) -> str:
        gen = self.gen
        items = "\n".join(
            f'      <li><a href="{a["path"]}">{html.escape(a["title"])}</a>'
            f'<span class="time">{gen.stamp_new(a) if a["published"] else ""}</span></li>'
            for a in (self.art(i) for i in self.newest[:6]))
        return f"""<aside class="col-md-4 sidebar">
{gen.ads("sidebar-top")}  <div class="box box-latest">
    <h3 class="box-title"><span>Tin mới</span></h3>
    <ul class="list-latest">
{items}
    </ul>
  </div>
</aside>
"""

    def render_home(self) -> str:
        if self._home is not None:
            return self._home
        gen = self.gen
        items = "".join(gen.listing_item(self.art(i), n, featured=(n == 0)) for n, i in enumerate(self.newest))
        page = gen.head("Báo Hà Giang - Tin tức, thời sự tỉnh Hà Giang", "Báo Hà Giang điện tử",
                        "Báo Hà Giang, Hà Giang", f'<link rel="canonical" href="{gen.C.HOST}/">')
        page += '<body class="page-home">\n' + self._platform_header() + gen.header()
        page += f"""<div class="container main-content"><div class="row">
<div class="col-md-8 home-content">
<section class="box-featured list-news">
{items}</section>
</div>
{self._sidebar}</div></div>
"""
        self._home = page + gen.footer()
        return self._home

    def _platform_header(self) -> str:
        def item(label: str, path: str, children) -> str:
            sub = "".join(item(child, child_path, ()) for child, child_path in children)
            return (f'<li class="{cate_id(path.strip("/"))}"><a href="{path}/"><span class="bd">{html.escape(label)}'
                    f'</span></a><ul>{sub}</ul></li>')

        menu = "".join(item(*entry) for entry in self.gen.C.MENU)
        return (f'<div id="page_info" style="display: none">\n<div id="site_id">{UNIT}</div>\n</div>\n'
                f'<div class="menutop"><ul id="main-menu" class="sm sm-clean">{menu}</ul></div>\n')

    _TRANG = re.compile(r"^/(?P<cat>.+?)/trang-(?P<n>\d+)\.html$")

    def answer(self, path: str, query: str = "") -> tuple[int, str, str]:
        """(status, body, content type) for `path?query`."""
        if path == "/robots.txt":
            return 200, self.gen.ROBOTS, "text/plain; charset=utf-8"
        if path.rstrip("/") in API_PATHS:
            body, ctype = listing_api(query, UNIT, self.api_items, API_MAX_PAGE_SIZE)
            return 200, body.decode("utf-8"), ctype
        if path in ("", "/") and not query:
            return 200, self.render_home(), "text/html; charset=utf-8"
        stripped = path.rstrip("/")
        i = self.by_path.get(stripped)
        if i is not None and not query:
            return 200, self.render_article(i), "text/html; charset=utf-8"
        cat, n = stripped.strip("/"), 1
        m = self._TRANG.match(stripped)
        if m and self.forms.get(m["cat"]) == "trang":
            cat, n = m["cat"], int(m["n"])
        elif query:
            params = dict(parse_qsl(query))
            if self.forms.get(cat) != "query" or set(params) != {"page"} or not params["page"].isdigit():
                cat = None
            else:
                n = int(params["page"])
        if cat in self.listings:
            body = self.render_listing(cat, n)
            if body is not None:
                return 200, body, "text/html; charset=utf-8"
        return 404, "<html><body><h1>404</h1></body></html>", "text/html; charset=utf-8"


class _ApiItems:
    """A section's API items, made only for the slice a call asks for: a walk costs O(articles), not
    O(articles × calls)."""

    def __init__(self, site: BenchSite, indices: list[int]):
        self.site, self.indices = site, indices

    def __getitem__(self, part: slice) -> list[dict]:
        return [self.site.api_item(i) for i in self.indices[part]]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bhgcrawl-bench/1"

    def do_GET(self):
        parts = urlsplit(self.path)
        status, body, ctype = self.server.site.answer(parts.path, parts.query)
        data = body.encode("utf-8")
        self.server.count(self.path, status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002
        pass


class BenchServer(ThreadingHTTPServer):
    """The benchmark site on 127.0.0.1; `requests` counts what it answered."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site: BenchSite, port: int = 0, log_file: str | None = None):
        super().__init__(("127.0.0.1", port), _Handler)
        self.site = site
        self.requests = 0
        self._lock = threading.Lock()
        self._log = open(log_file, "a", encoding="utf-8") if log_file else None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def count(self, path: str, status: int) -> None:
        with self._lock:
            self.requests += 1
            if self._log:
                self._log.write(f"GET {path} {status}\n")
                self._log.flush()

    def server_close(self):
        super().server_close()
        if self._log:
            self._log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.site", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--articles", type=int, default=20000)
    p.add_argument("--page-size", type=int, default=PAGE_SIZE)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log", help="append one line per request to this file")
    args = parser.parse_args(argv)
    site = BenchSite(args.articles, args.page_size)
    server = BenchServer(site, args.port, args.log)
    print(f"serving {server.base_url} {len(site.articles)} articles {site.listing_pages} listing pages", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
