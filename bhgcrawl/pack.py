"""Packages for web archivists: `bhgcrawl pack`, the crawler's WARC files as one WACZ 1.1.1 file.

The package is put together by py-wacz (`wacz create`, Webrecorder's reference implementation, the
`pack` extra): the WARC files under archive/ exactly as the crawler wrote them (stored, not
recompressed, so each sha256 in datapackage.json is that of the crawler's file), a CDXJ index
(indexes/index.cdx.gz with its index.idx), datapackage.json and datapackage-digest.json.

The page list, pages/pages.jsonl, is ours: one entry per archived article page (a 200 HTML response
at an article URL), with `url` as captured (WARC-Target-URI), `ts` when it was fetched (WARC-Date)
and `title` as the extractor reads it from the archived page; a page the extractor cannot read is
listed without a title. With a window (--since/--until) only the articles published on its days are
listed, an article whose date cannot be read is left out (and counted), and only the WARC files that
hold a listed article are packed: whole, since a WARC file cut apart would no longer be the one the
crawler wrote.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scrapy.http import HtmlResponse, Request

from bhgcrawl import __version__
from bhgcrawl.dataset import UsageError
from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.urls import parse_article_url
from bhgcrawl.walks import Window
from bhgcrawl.warc import iter_responses

WACZ_HINT = "pip install 'bhgcrawl[pack]'"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}
_WARC_SUFFIXES = (".warc.gz", ".warc")


def require_wacz() -> None:
    try:
        import wacz.main  # noqa: F401
    except ImportError:
        raise UsageError(f"pack needs py-wacz, which is not installed: {WACZ_HINT}") from None


def warc_files(paths: Iterable[str | Path]) -> list[Path]:
    """The WARC files named by `paths`: a file as it is, a folder as every `*.warc.gz` and `*.warc`
    below it, in path order, each once. Names must differ: the package keeps them under archive/."""
    found: dict[Path, Path] = {}
    for given in paths:
        path = Path(given)
        if path.is_file():
            if not path.name.endswith(_WARC_SUFFIXES):
                raise UsageError(f"{path} is not a WARC file: give *.warc.gz or *.warc files, or folders of them")
            found.setdefault(path.resolve(), path)
        elif path.is_dir():
            below = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(_WARC_SUFFIXES))
            if not below:
                raise UsageError(f"no WARC files (*.warc.gz, *.warc) under {path}: give the crawler's BHG_WARC_DIR")
            for p in below:
                found.setdefault(p.resolve(), p)
        else:
            raise UsageError(f"{path} does not exist: give WARC files or folders of them")
    twice = [name for name, n in Counter(p.name for p in found.values()).items() if n > 1]
    if twice:
        raise UsageError(f"two WARC files are named {twice[0]}: a package holds each name once, give one of them")
    return list(found.values())


@dataclass(frozen=True)
class Page:
    url: str
    ts: str
    title: str | None
    published: str | None

    def line(self) -> str:
        entry = {"id": hashlib.sha256(f"{self.ts} {self.url}".encode()).hexdigest()[:16], "url": self.url,
                 "ts": self.ts}
        if self.title:
            entry["title"] = self.title
        return json.dumps(entry, ensure_ascii=False) + "\n"


def pages_of(path: Path) -> Iterator[Page]:
    """Every archived article page of one WARC file, in the file's order."""
    for _run, requested, target, status, headers, body, when, _id in iter_responses(path):
        if status != 200 or parse_article_url(requested) is None:
            continue
        if b"html" not in (headers.get("Content-Type") or b"").lower():
            continue
        # Read as the crawl read it: Scrapy's choice of encoding, the requested URL as the page's own.
        response = HtmlResponse(target, status=status, headers=headers, body=body, request=Request(target))
        try:
            record = ArticlePage(requested, response.text).to_record()
        except Exception:  # noqa: BLE001 - a page the extractor cannot read is still archived
            record = {}
        yield Page(target, when.replace("+00:00", "Z"), record.get("title"), record.get("published"))


@dataclass
class Result:
    pages: int = 0
    articles: int = 0
    files: int = 0
    warcs: int = 0
    outside: int = 0
    undated: int = 0
    untitled: int = 0

    def summary(self) -> str:
        text = (f"{self.pages} article pages ({self.articles} articles) listed from {self.files} of "
                f"{self.warcs} WARC files")
        left_out = [f"{self.outside} outside the window"] if self.outside else []
        left_out += [f"{self.undated} without a readable date"] if self.undated else []
        text += f"; left out: {', '.join(left_out)}" if left_out else ""
        return text + (f"; {self.untitled} listed without a title" if self.untitled else "")


def pack(warcs: list[Path], out: Path, window: Window = Window()) -> Result:
    """Write the WACZ package of `warcs` to `out` (whole or not at all), listing their articles."""
    require_wacz()
    from wacz.main import main as wacz

    result = Result(warcs=len(warcs))
    kept: list[Path] = []
    urls: set[bytes] = set()  # 8-byte digests: a big archive's article count stays cheap to hold
    first = last = None
    with tempfile.TemporaryDirectory(prefix="bhg-pack-") as tmp:
        pages_path = Path(tmp) / "pages.jsonl"
        with open(pages_path, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(PAGES_HEADER, ensure_ascii=False) + "\n")
            for path in warcs:
                listed = 0
                for page in pages_of(path):
                    if window and page.published is None:
                        result.undated += 1
                        continue
                    if window and not window.contains_time(page.published):
                        result.outside += 1
                        continue
                    fh.write(page.line())
                    listed += 1
                    result.untitled += not page.title
                    urls.add(hashlib.blake2b(page.url.encode(), digest_size=8).digest())
                    first = min(first or page.ts, page.ts)
                    last = max(last or page.ts, page.ts)
                result.pages += listed
                if listed or not window:
                    kept.append(path)
        result.articles, result.files = len(urls), len(kept)
        if not result.pages:
            where = f" published {_window_text(window)}" if window else ""
            raise UsageError(f"no article pages{where} in these WARC files: nothing to pack")
        part = out.with_name(f".{out.name}.part")
        title = "Báo Hà Giang (baohagiang.vn)" + (f", articles published {_window_text(window)}" if window else "")
        desc = (f"{result.pages} article pages of Báo Hà Giang captured from {first} to {last} by bhgcrawl "
                f"{__version__}, in {result.files} WARC files as the crawler wrote them.")
        said = io.StringIO()
        try:
            with contextlib.redirect_stdout(said):
                code = wacz(["create", "-o", str(part), "-p", str(pages_path), "-c", "--title", title, "--desc", desc,
                             *map(str, kept)])
            if code:
                lines = said.getvalue().strip().splitlines()
                raise UsageError(f"wacz create failed: {lines[-1] if lines else f'exit code {code}'}")
            os.replace(part, out)
        finally:
            part.unlink(missing_ok=True)
    return result


def _window_text(window: Window) -> str:
    if window.since and window.until:
        return f"from {window.since} to {window.until}"
    return f"from {window.since}" if window.since else f"until {window.until}"
