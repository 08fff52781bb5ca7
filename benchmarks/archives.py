"""Benchmark 7, backfill from the web archives: requests per recovered article, and what a year costs.

`scrapy crawl bhg -a source=wayback`, then `-a source=commoncrawl`, against the local fakes of the
archives over fixtures/site (devtools/archives.py, in this process's threads: they only answer and
count), each with a fresh state. Every request a fake answers is classed from its log: listing pages
(Wayback CDX answers; Common Crawl's collinfo.json, page counts and index pages) and fetches (raw
captures, redirects to the nearest capture included; Range requests). Requests per recovered article
are all of a run's requests over its records; the floor is 1.0 (one fetch per article) plus the listing
pages' share (pages over records): both are reported, and the target is to stay at that floor (no
fetch twice, no capture of an article that is not read).

The fakes answer at once, so the runs go at a high BHG_*_RATE: the wall time of a backfill is the
archive's politeness, not our speed. A year from the Wayback Machine at the default BHG_WAYBACK_RATE is
computed from the measured counts instead: the CDX rows the listing gave per article and the fetches
per article, for a year of `year_articles` articles (an assumption, `--year-articles`), with the
default BHG_WAYBACK_CDX_ROWS rows a page.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.common import ROOT, env, python, table, verdict

YEAR_ARTICLES = 7300  # about 20 articles a day: an assumption for the projection, not a measurement
FAST = ["-s", "LOG_LEVEL=WARNING", "-s", "BHG_PROGRESS_INTERVAL=0"]
LISTING = {"cdx", "collinfo", "index"}


def _crawl(source: str, fake, work: Path, timeout: float) -> dict:
    out = work / f"{source}.jsonl"
    urls = (["-s", f"BHG_WAYBACK_URL={fake.base_url}", "-s", "BHG_WAYBACK_RATE=6000"] if source == "wayback" else
            ["-s", f"BHG_CC_INDEX_URL={fake.base_url}", "-s", f"BHG_CC_DATA_URL={fake.base_url}",
             "-s", "BHG_CC_RATE=6000"])
    summary = work / f"{source}.summary.json"
    cmd = [python(), "-m", "scrapy", "crawl", "bhg", "-a", f"source={source}", "-O", str(out),
           "-s", "BHG_BASE_URL=http://127.0.0.1:9", "-s", f"BHG_STATE_PATH={work / f'{source}.sqlite3'}",
           "-s", f"BHG_SUMMARY_PATH={summary}", "-s", f"BHG_FAILED_PAGES_DIR={work / 'failed'}",
           "-s", f"BHG_FAILURES_PATH={work / 'failures.jsonl'}", *urls, *FAST]
    proc = subprocess.run(cmd, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=timeout)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()] if out.exists() else []
    stats = json.loads(summary.read_text("utf-8"))["stats"] if summary.exists() else {}
    kinds = Counter(r.kind for r in fake.requests)
    listing = sum(n for kind, n in kinds.items() if kind in LISTING)
    fetches = sum(n for kind, n in kinds.items() if kind not in LISTING)
    n = len(records)
    return {"source": source, "returncode": proc.returncode, "records": n, "requests": dict(kinds),
            "listing_requests": listing, "fetch_requests": fetches,
            "rows_listed": stats.get("bhg/archive/captures_listed"),
            "requests_per_article": (listing + fetches) / n if n else None,
            "listing_share": listing / n if n else None, "fetches_per_article": fetches / n if n else None,
            "floor": 1 + listing / n if n else None,
            "stderr_tail": proc.stderr[-1500:] if proc.returncode not in (0, 3) else ""}


def run(year_articles: int = YEAR_ARTICLES, timeout: float = 600) -> dict:
    from bhgcrawl import settings
    from devtools.archives import FakeCommonCrawl, FakeWayback

    work = Path(tempfile.mkdtemp(prefix="bhg-bench-archives-"))
    runs = []
    try:
        for source, fake_cls in (("wayback", FakeWayback), ("commoncrawl", FakeCommonCrawl)):
            with fake_cls(ROOT / "fixtures" / "site") as fake:
                runs.append(_crawl(source, fake, work, timeout))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    wayback = runs[0]
    year = _year(wayback, year_articles, settings.BHG_WAYBACK_RATE, settings.BHG_WAYBACK_CDX_ROWS)
    at_floor = all(r["records"] and r["fetch_requests"] == r["records"] for r in runs)
    return {
        "runs": runs, "year": year,
        "targets": {
            "requests per recovered article == 1.0 + the listing pages' share (one fetch per article)": {
                "value": at_floor, "met": at_floor,
                "shown": ", ".join(f"{r['source']} {r['requests_per_article']:.3f} (floor {r['floor']:.3f})"
                                   for r in runs if r["records"])},
            "every run recovered articles and exited 0": {
                "value": all(r["records"] and r["returncode"] == 0 for r in runs),
                "met": all(r["records"] and r["returncode"] == 0 for r in runs)},
        },
    }


def _year(measured: dict, articles: int, rate: float, rows_per_page: int) -> dict:
    """A year of the Wayback Machine at `rate` requests a minute, from what one backfill measured."""
    if not measured["records"]:
        return {}
    rows = (measured["rows_listed"] or 0) / measured["records"] * articles
    pages = math.floor(rows / rows_per_page) + 1
    requests = pages + articles * measured["fetches_per_article"]
    minutes = requests / rate
    return {"articles": articles, "rows_per_article": (measured["rows_listed"] or 0) / measured["records"],
            "cdx_rows": round(rows), "cdx_pages": pages, "rows_per_page": rows_per_page, "requests": round(requests),
            "requests_per_article": requests / articles, "rate_per_minute": rate, "hours": minutes / 60}


def render(result: dict) -> str:
    rows = [[r["source"], r["records"], r["listing_requests"], r["fetch_requests"], r["requests_per_article"],
             r["listing_share"], r["floor"]] for r in result["runs"]]
    text = table(["source", "articles recovered", "listing requests", "fetches", "requests/article",
                  "listing share", "floor (1 + share)"], rows)
    text += ("\n\nThe fakes' index pages are small on purpose (Common Crawl's: 2 blocks of 3 rows, so that paging is "
             "exercised; the real ZipNum pages hold thousands of rows), which inflates the listing share of a "
             "site this small; the fetches per article are what a real backfill pays.")
    year = result["year"]
    if year:
        text += (f"\n\nA year from the Wayback Machine at the default rate ({year['rate_per_minute']} requests/min), "
                 f"for {year['articles']:,} articles (assumed): {year['rows_per_article']:.2f} CDX rows per article "
                 f"as measured → {year['cdx_rows']:,} rows, {year['cdx_pages']} CDX pages of {year['rows_per_page']:,}"
                 f" rows, {year['requests']:,} requests ({year['requests_per_article']:.4f} per article): "
                 f"{year['hours']:.1f} hours.")
    text += "\n\n" + "\n".join(f"- {name}: {t.get('shown', t['value'])} — {verdict(t['met'])}"
                               for name, t in result["targets"].items())
    return text


if __name__ == "__main__":
    res = run()
    print(render(res))
