"""Benchmark 5, incremental cost: the requests of a second run that has nothing new to find.

Two `scrapy crawl bhg` runs with the same `BHG_STATE_PATH` against the replay server over
fixtures/site (in this process's thread; it only counts). Every request the server answers is
classed (robots.txt, home, first page of a section, later listing page, article, other) from its
path and Host. The target for the second run is robots + home + one listing page per category,
where the categories are those whose first listing page the first run requested.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.common import ROOT, env, python, table, verdict

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "-s", "LOG_LEVEL=WARNING"]


def classify(path: str, host: str) -> tuple[str, str | None]:
    """(kind, category) of one request the replay server answered."""
    from bhgcrawl.pages.listing import page_number
    from bhgcrawl.urls import category_of, parse_article_url

    host = (host or "").split(":")[0].lower()
    site_host = "baohagiang.vn" if host in ("", "127.0.0.1", "localhost") else host
    url = f"https://{site_host}{path}"
    if path.split("?")[0] == "/robots.txt":
        return "robots", None
    if path.split("?")[0] in ("", "/"):
        return ("home", None) if site_host == "baohagiang.vn" else ("listing_first", site_host + "/")
    if parse_article_url(url) is not None:
        return "article", None
    category = category_of(url)
    if category is None:
        return "other", None
    return ("listing_first" if page_number(url) == 1 else "listing_later"), f"{site_host}/{category}"


def _crawl(base: str, work: Path, state: Path, tag: str, timeout: float) -> dict:
    out = work / f"{tag}.jsonl"
    cmd = [python(), "-m", "scrapy", "crawl", "bhg", "-O", str(out), "-s", f"BHG_BASE_URL={base}",
           "-s", f"BHG_STATE_PATH={state}", "-s", f"BHG_FAILED_PAGES_DIR={work / 'failed'}",
           "-s", f"BHG_FAILURES_PATH={work / 'failures.jsonl'}", *FAST]
    proc = subprocess.run(cmd, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=timeout)
    records = out.read_text("utf-8").count("\n") if out.exists() else 0
    return {"returncode": proc.returncode, "records": records,
            "stderr_tail": proc.stderr[-1500:] if proc.returncode not in (0, 3) else ""}


def _count(requests) -> dict:
    kinds, categories = Counter(), set()
    listing_first = Counter()
    for req in requests:
        kind, category = classify(req[1], req[3] if len(req) > 3 else "")
        kinds[kind] += 1
        if kind == "listing_first":
            categories.add(category)
            listing_first[category] += 1
    return {"total": len(requests), "by_kind": dict(kinds), "categories": sorted(categories),
            "repeated_first_pages": {c: n for c, n in listing_first.items() if n > 1}}


def run(timeout: float = 600) -> dict:
    from devtools.replay import ReplayServer

    work = Path(tempfile.mkdtemp(prefix="bhg-bench-incr-"))
    state = work / "state.sqlite3"
    runs = []
    try:
        with ReplayServer(ROOT / "fixtures" / "site") as server:
            for tag in ("first", "second"):
                before = len(server.requests)
                result = _crawl(server.base_url, work, state, tag, timeout)
                result["requests"] = _count(list(server.requests)[before:])
                runs.append(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    first, second = runs
    categories = len(first["requests"]["categories"])
    target = 1 + 1 + categories  # robots.txt + home + one listing page per category
    got = second["requests"]["total"]
    return {
        "first": first, "second": second, "categories": categories, "expected_second_run_requests": target,
        "state_kept": second["records"] < first["records"] or got < first["requests"]["total"],
        "targets": {"second run requests == robots + home + one listing page per category":
                    {"value": f"{got} (expected {target})", "met": got == target}},
    }


def render(result: dict) -> str:
    kinds = ["robots", "home", "listing_first", "listing_later", "article", "other"]
    rows = []
    for name in ("first", "second"):
        r = result[name]
        by = r["requests"]["by_kind"]
        rows.append([f"{name} run", r["requests"]["total"], *(by.get(k, 0) for k in kinds), r["records"]])
    text = table(["run", "requests", "robots.txt", "home", "section page 1", "later listing pages", "articles",
                  "other", "records"], rows)
    text += (f"\n\n{result['categories']} categories (first listing pages requested by the first run); "
             f"expected for the second run: 1 + 1 + {result['categories']} = {result['expected_second_run_requests']}.")
    if not result["state_kept"]:
        text += "\nThe second run did as much as the first: no incremental state is in effect."
    text += "\n\n" + "\n".join(f"- {n}: {t['value']} — {verdict(t['met'])}" for n, t in result["targets"].items())
    return text


if __name__ == "__main__":
    res = run()
    print(render(res))
    print(json.dumps(res, indent=1, default=str)[:3000])
