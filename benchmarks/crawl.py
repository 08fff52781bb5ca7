"""Benchmarks 3 and 4, crawl throughput and memory, from the same runs.

The benchmark site (benchmarks/site.py) serves N generated articles from its own process on
127.0.0.1. Against it, in separate processes, one at a time:
  bhg    `scrapy crawl bhg` (our spider, page objects, pipelines, state in a fresh SQLite file)
  bare   `scrapy runspider benchmarks/bare_spider.py` (follows the same listings, yields titles)
both with throttling off and 16 concurrent requests, JSON Lines out, a fresh site process per run.
bhg walks the sections through their HTML pages here (BHG_LISTING_API=False), the pages the bare
spider walks: the same requests for both (its listing API walk is benchmarks/api_walk.py's).
The runs alternate, each round in the order bhg@N, bare@N, bare@n, bhg@n, so the drift of a shared
machine falls on both alike. articles/s = records written / wall time of the crawl process.

Memory: the RSS of the crawl process and its children, sampled every 0.1 s (not Scrapy's 60 s
memusage tick); the peak of the N-article crawl and of the n-article crawl, and the growth
between them.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.common import ROOT, RSS_SAMPLER, env, median, python, ratio, run_measured, table, verdict

COMMON_SETTINGS = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS=16",
                   "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=WARNING"]
THROUGHPUT_TARGET = 0.80
RSS_TARGET_MB = 250.0
GROWTH_TARGET = 0.15
HTML_WALK = ("-s", "BHG_LISTING_API=False")


@contextlib.contextmanager
def serve(articles: int, page_size: int, log: Path):
    """The benchmark site in its own process; yields (base URL, the server's request log)."""
    cmd = [python(), "-m", "benchmarks.site", "serve", "--articles", str(articles), "--page-size", str(page_size),
           "--log", str(log)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env(), stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        if not line.startswith("serving "):
            raise RuntimeError(f"benchmark site did not start: {line!r}")
        yield line.split()[1], log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def command(kind: str, base: str, work: Path, tag: str, settings=()) -> list[str]:
    out = work / f"{tag}.jsonl"
    if kind == "bhg":
        return [python(), "-m", "scrapy", "crawl", "bhg", "-O", str(out), "-s", f"BHG_BASE_URL={base}",
                "-s", f"BHG_STATE_PATH={work / (tag + '.state.sqlite3')}",
                "-s", f"BHG_FAILED_PAGES_DIR={work / (tag + '.failed')}",
                "-s", f"BHG_FAILURES_PATH={work / (tag + '.failures.jsonl')}",
                "-s", f"BHG_SUMMARY_PATH={work / (tag + '.summary.json')}", *COMMON_SETTINGS, *settings]
    return [python(), "-m", "scrapy", "runspider", str(ROOT / "benchmarks" / "bare_spider.py"), "-a", f"base={base}",
            "-O", str(out), *COMMON_SETTINGS]


def crawl_once(kind: str, articles: int, page_size: int, work: Path, tag: str, timeout: float,
               settings=HTML_WALK) -> dict:
    log = work / f"{tag}.requests.log"
    with serve(articles, page_size, log) as (base, _log):
        # The bare spider runs outside the project, so that none of bhgcrawl's settings apply.
        measured = run_measured(command(kind, base, work, tag, settings), work / f"{tag}.stderr.log", timeout,
                                cwd=ROOT if kind == "bhg" else work)
    out = work / f"{tag}.jsonl"
    records = out.read_text("utf-8").count("\n") if out.exists() else 0
    requests = log.read_text("utf-8").count("\n") if log.exists() else 0
    run = {"spider": kind, "site_articles": articles, "records": records, "requests": requests, **measured,
           "articles_per_s": records / measured["wall_s"] if measured["wall_s"] else None,
           "complete": records == articles}
    summary = work / f"{tag}.summary.json"
    if summary.exists():
        stats = json.loads(summary.read_text("utf-8")).get("stats", {})
        run["scrapy_elapsed_s"] = stats.get("elapsed_time_seconds")
        # Not Scrapy's memusage/max: ru_maxrss, which a child started by vfork can inherit from its parent.
    if measured["returncode"] not in (0, 3):  # 3: bhg's coverage alarm, which the mix of templates may ring
        run["stderr_tail"] = (work / f"{tag}.stderr.log").read_text("utf-8", "replace")[-2000:]
    return run


def run(articles: int = 20000, small: int = 5000, rounds: int = 1, page_size: int = 20, bare: bool = True,
        timeout: float = 1800, progress=print) -> tuple[dict, dict]:
    """(throughput result, memory result)."""
    work = Path(tempfile.mkdtemp(prefix="bhg-bench-crawl-"))
    runs: list[dict] = []
    try:
        for r in range(rounds):
            order = [("bhg", articles), ("bare", articles), ("bare", small), ("bhg", small)]
            for kind, n in order:
                if kind == "bare" and not bare:
                    continue
                tag = f"r{r}-{kind}-{n}"
                result = crawl_once(kind, n, page_size, work, tag, timeout)
                runs.append(result)
                progress(f"  crawl {tag}: {result['records']}/{n} records, {result['wall_s']:.1f} s, "
                         f"{result['articles_per_s']:.0f} articles/s, peak RSS {result['peak_rss_mb'] or 0:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _throughput(runs, articles, small), _memory(runs, articles, small)


def _rate(runs, kind, n):
    return median(r["articles_per_s"] for r in runs if r["spider"] == kind and r["site_articles"] == n)


def _throughput(runs: list[dict], articles: int, small: int) -> dict:
    sizes = {}
    for n in dict.fromkeys((articles, small)):
        ours, theirs = _rate(runs, "bhg", n), _rate(runs, "bare", n)
        requests = {name: median(r["requests"] for r in runs if r["spider"] == name and r["site_articles"] == n)
                    for name in ("bhg", "bare")}
        sizes[str(n)] = {"bhg_articles_per_s": ours, "bare_articles_per_s": theirs, "ratio": ratio(ours, theirs),
                         "bhg_requests": requests["bhg"], "bare_requests": requests["bare"]}
    big = sizes[str(articles)]["ratio"]
    complete = all(r["complete"] for r in runs)
    return {"articles": articles, "small": small, "sizes": sizes, "runs": runs, "complete": complete,
            "targets": {f"bhg articles/s >= {THROUGHPUT_TARGET:.0%} of bare ({articles} articles)":
                        {"value": big, "shown": f"{big:.0%}" if big is not None else None,
                         "met": None if big is None else big >= THROUGHPUT_TARGET},
                        "every run wrote every article": {"value": complete, "met": complete}}}


def _memory(runs: list[dict], articles: int, small: int) -> dict:
    def peak(kind, n):
        return max((r["peak_rss_mb"] for r in runs if r["spider"] == kind and r["site_articles"] == n
                    and r["peak_rss_mb"]), default=None)

    big, little = peak("bhg", articles), peak("bhg", small)
    growth = (big / little - 1) if big and little else None
    return {"sampler": RSS_SAMPLER, "interval_s": 0.1, "articles": articles, "small": small,
            "bhg_peak_rss_mb": {str(articles): big, str(small): little},
            "bare_peak_rss_mb": {str(articles): peak("bare", articles), str(small): peak("bare", small)},
            "growth": growth,
            "targets": {f"peak RSS <= {RSS_TARGET_MB:.0f} MB ({articles} articles)":
                        {"value": big, "shown": f"{big:.0f} MB" if big is not None else None,
                         "met": None if big is None else big <= RSS_TARGET_MB},
                        f"growth <= {GROWTH_TARGET:.0%} from {small} to {articles}":
                        {"value": growth, "shown": f"{growth:+.1%}" if growth is not None else None,
                         "met": None if growth is None else growth <= GROWTH_TARGET}}}


def render(throughput: dict, memory: dict, with_throughput: bool = True) -> str:
    rows = []
    for n, s in throughput["sizes"].items():
        rows.append([n, s["bhg_articles_per_s"], s["bare_articles_per_s"],
                     f"{s['ratio']:.0%}" if s["ratio"] else None, s["bhg_requests"], s["bare_requests"],
                     memory["bhg_peak_rss_mb"].get(n), memory["bare_peak_rss_mb"].get(n)])
    text = table(["site articles", "bhg articles/s", "bare articles/s", "bhg / bare", "bhg requests",
                  "bare requests", "bhg peak RSS MB", "bare peak RSS MB"], rows)
    growth = memory["growth"]
    text += (f"\n\nRSS sampled every 0.1 s ({memory['sampler']}); bhg growth {memory['small']} → {memory['articles']} "
             f"articles: {growth:+.1%}" if growth is not None else "")
    targets = {**(throughput["targets"] if with_throughput else {}), **memory["targets"]}
    text += "\n\n" + "\n".join(f"- {name}: {t.get('shown') or _fmt(t['value'])} — {verdict(t['met'])}"
                                for name, t in targets.items())
    return text


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}" if value > 1.5 else f"{value:.1%}"
    return str(value)
