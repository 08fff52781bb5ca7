"""Benchmark 7, the listing API walk: requests per article and articles/s of a full crawl whose
sections are walked through the platform's listing API, against the same crawl walked through the
sections' HTML pages (the baseline), on the same generated site in the same run.

The benchmark site (benchmarks/site.py) serves N articles from its own process on 127.0.0.1, a fresh
process per crawl: listing pages of `page_size` articles, and the listing API at most
API_MAX_PAGE_SIZE articles a call. Two `scrapy crawl bhg` runs, each from an empty state (a first,
wide run), alternating per round:
  html   -s BHG_LISTING_API=False: every section's HTML pages (?page=N / trang-N.html), to their end
  api    the default: a section's first HTML page, then the API from where that page stops
Every request the site answered is counted from its log and classed (article, listing page, API
call, other: robots.txt, the home page, sitemaps); articles/s = records written / wall time of the
crawl process, as in the crawl benchmark.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.common import median, ratio, table, verdict
from benchmarks.crawl import HTML_WALK, crawl_once
from benchmarks.site import API_MAX_PAGE_SIZE
from devtools.listing_api import API_PATHS

WALKS = {"html": HTML_WALK, "api": ()}
BASELINE = "html"
REQUESTS_PER_ARTICLE_TARGET = 1.02


def classify(path: str) -> str:
    """article, listing (a section's HTML page), api (a listing API call) or other (robots.txt, the home
    page, feeds, sitemaps) for one request the site answered."""
    from bhgcrawl.urls import category_of, parse_article_url

    bare = path.split("?")[0]
    if bare.rstrip("/") in API_PATHS:
        return "api"
    url = "https://baohagiang.vn" + path
    if parse_article_url(url) is not None:
        return "article"
    if bare in ("", "/", "/robots.txt") or bare.startswith(("/rss/", "/sitemap")) or category_of(url) is None:
        return "other"
    return "listing"


def _requests(log: Path) -> Counter:
    kinds = Counter()
    if log.exists():
        for line in log.read_text("utf-8").splitlines():
            kinds[classify(line.split(" ")[1])] += 1
    return kinds


def run(articles: int = 5000, page_size: int = 20, rounds: int = 1, timeout: float = 1800,
        progress=print) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bhg-bench-api-"))
    runs: list[dict] = []
    try:
        for r in range(rounds):
            order = list(WALKS) if r % 2 == 0 else list(reversed(WALKS))
            for walk in order:
                tag = f"r{r}-{walk}"
                result = crawl_once("bhg", articles, page_size, work, tag, timeout, settings=WALKS[walk])
                result["walk"] = walk
                result["by_kind"] = dict(_requests(work / f"{tag}.requests.log"))
                result["requests_per_article"] = result["requests"] / articles if articles else None
                runs.append(result)
                progress(f"  {walk} walk {tag}: {result['records']}/{articles} records, {result['requests']} requests "
                         f"({result['requests_per_article']:.3f}/article), {result['wall_s']:.1f} s, "
                         f"{result['articles_per_s']:.0f} articles/s")
                if not result["complete"]:
                    progress(f"  !!! the {walk} walk wrote {result['records']} of the site's {articles} articles")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summarise(runs, articles, page_size)


def summarise(runs: list[dict], articles: int, page_size: int) -> dict:
    walks = {}
    for walk in WALKS:
        mine = [r for r in runs if r["walk"] == walk]
        kinds = {k: median(r["by_kind"].get(k, 0) for r in mine) for k in ("article", "listing", "api", "other")}
        walks[walk] = {"records": min((r["records"] for r in mine), default=0),
                       "requests": median(r["requests"] for r in mine),
                       "requests_per_article": median(r["requests_per_article"] for r in mine),
                       "articles_per_s": median(r["articles_per_s"] for r in mine), "by_kind": kinds}
    base = walks[BASELINE]
    for w in walks.values():
        w["requests_ratio"] = ratio(w["requests"], base["requests"])
        w["speed_ratio"] = ratio(w["articles_per_s"], base["articles_per_s"])
    cost = walks["api"]["requests_per_article"]
    complete = bool(runs) and all(r["complete"] for r in runs)
    return {"articles": articles, "page_size": page_size, "api_max_page_size": API_MAX_PAGE_SIZE,
            "baseline": BASELINE, "walks": walks, "runs": runs, "complete": complete,
            "targets": {f"API walk requests/article <= {REQUESTS_PER_ARTICLE_TARGET} ({articles} articles)":
                        {"value": cost, "shown": f"{cost:.4f}" if cost is not None else None,
                         "met": None if cost is None else cost <= REQUESTS_PER_ARTICLE_TARGET},
                        "both walks wrote every article": {"value": complete, "met": complete}}}


def render(result: dict) -> str:
    rows = []
    for name, w in result["walks"].items():
        k = w["by_kind"]
        rows.append([name + (" (baseline)" if name == result["baseline"] else ""), w["records"], w["requests"],
                     f"{w['requests_per_article']:.3f}" if w["requests_per_article"] else None,
                     k["article"], k["listing"], k["api"], k["other"], w["articles_per_s"],
                     f"{w['requests_ratio']:.3f}" if w["requests_ratio"] else None,
                     f"{w['speed_ratio']:.2f}" if w["speed_ratio"] else None])
    text = table(["walk", "records", "requests", "requests/article", "articles", "listing pages", "API calls",
                  "other", "articles/s", "requests vs html", "articles/s vs html"], rows)
    text += (f"\n\n{result['articles']} site articles, listing pages of {result['page_size']}, the API at most "
             f"{result['api_max_page_size']} a call; a first (wide) run each, from an empty state.")
    if not result["complete"]:
        text += "\n\n**A walk did not write every article of the site: its figures are not comparable.**"
    text += "\n\n" + "\n".join(f"- {name}: {t.get('shown') or t['value']} — {verdict(t['met'])}"
                                for name, t in result["targets"].items())
    return text
