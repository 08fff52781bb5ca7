"""Faults on the wire, pages that fail, and the layout alarm: nothing is lost silently."""

import json

import pytest

from devtools.golden import SITES
from devtools.replay import ReplayServer
from tests.helpers import INVENTED_SITE as SITE
from tests.helpers import run_crawl

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess

FAULTY = ["-s", "DOWNLOAD_TIMEOUT=1", "-s", "BHG_MAX_RETRY_AFTER=1"]


def golden():
    return {r["url"]: r for r in (json.loads(p.read_text("utf-8")) for p in SITES[SITE].glob("*.json"))}


@pytest.mark.parametrize("seed", [1, 3])
def test_ten_percent_faults_lose_nothing(tmp_path, seed):
    with ReplayServer(SITE, faults=0.1, seed=seed, slow_seconds=2) as server:
        result = run_crawl(server.base_url, tmp_path, *FAULTY)
        served = dict(server.fault_counts)
    assert sum(served.values()) >= 5
    expected = golden()
    assert sorted(r["url"] for r in result.records) == sorted(expected)
    for record in result.records:
        want = expected[record["url"]]
        assert {k: v for k, v in record.items() if k not in ("crawled_at", "fetched_url")} == \
            {k: v for k, v in want.items() if k != "fetched_url"}
        # A 301 to the successor site is followed; the record keeps the requested URL.
        assert record["fetched_url"] in (record["url"], record["url"].replace("baohagiang.vn", "baotuyenquang.com.vn"))
    stats = result.stats
    # Every class the server served shows up in the stats, under the name the client saw it by.
    seen_as = {"http_500": ["http_500"], "http_502": ["http_502"], "http_503": ["http_503"], "http_429": ["http_429"],
               "truncated": ["truncated"], "empty": ["empty"], "wrong_type": ["wrong_type"],
               "slow": ["timeout"], "reset": ["reset", "timeout"], "moved": ["moved"],
               "redirect_loop": ["redirect_loop", "redirect"]}
    for kind in served:
        if kind == "moved":
            assert stats.get("bhg/redirected_articles", 0) >= 1
        elif kind != "redirect_loop":  # an A→B→A bounce resolves by itself within Scrapy's redirects
            assert any(stats.get(f"bhg/faults/{name}") for name in seen_as[kind]), kind


def test_heavy_faults_still_emit_everything_once(tmp_path):
    with ReplayServer(SITE, faults=0.3, seed=2, slow_seconds=2) as server:
        result = run_crawl(server.base_url, tmp_path, *FAULTY)
    assert sorted(r["url"] for r in result.records) == sorted(golden())
    assert result.stats["bhg/faults/redirect_loop"] >= 1


def test_a_page_failing_for_good_is_listed_and_retried_first_next_run(tmp_path):
    """Every answer a 503: the articles stay pending, listed in failures.jsonl; next run gets them."""
    with ReplayServer(SITE) as server:
        first = run_crawl(server.base_url, tmp_path, "-a", "category=van-hoa", name="first")
    assert not (tmp_path / "failures.jsonl").exists() and len(first.records) == 5
    with ReplayServer(SITE, faults=1.0, seed=1) as server:
        server.fault_classes = ("http_503",)
        second = run_crawl(server.base_url, tmp_path, "-a", "category=xa-hoi", "-s", "RETRY_TIMES=1",
                           "-s", "BHG_MAX_RETRY_AFTER=0", name="second", check=False)
    assert second.records == []
    # A run that read nothing says so: exit 4 and one line.
    assert second.returncode == 4
    assert "bhg: the site could not be crawled: nothing was read (2 × http_503)" in second.log  # home, section
    failures = [json.loads(line) for line in (tmp_path / "failures.jsonl").read_text("utf-8").splitlines()]
    assert {f["reason"] for f in failures} == {"http_503"} and {f["attempts"] for f in failures} == {2}
    assert {f["url"] for f in failures} == {"https://baohagiang.vn/", "https://baohagiang.vn/xa-hoi"}
    with ReplayServer(SITE) as server:
        third = run_crawl(server.base_url, tmp_path, "-a", "category=xa-hoi", name="third")
    assert len(third.records) == 5


def test_layout_alarm_names_fields_and_exits_non_zero(invented, tmp_path):
    result = run_crawl(invented.base_url, tmp_path, "-s", 'BHG_COVERAGE_FLOORS={"authors": 1.0}', check=False)
    assert result.returncode == 3
    assert "layout alarm: authors on 95% of 41 records (floor 100%)" in result.log
    assert result.summary["layout_alarm"] == "authors"
    assert result.summary["coverage"] == {"authors": 0.9512, "body": 0.878, "lead": 1.0, "published": 1.0,
                                          "published_minute": 0.9512, "related": 1.0, "title": 1.0}


def test_no_alarm_on_the_fixture_site(invented, tmp_path):
    result = run_crawl(invented.base_url, tmp_path)
    assert result.returncode == 0 and result.summary["layout_alarm"] is None


def test_a_listing_that_repeats_itself_is_left(tmp_path):
    """Every page of /bay lists the same two articles and links to the next page, forever."""
    site = tmp_path / "site"
    (site / "bay").mkdir(parents=True)
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (site / "index.html").write_text('<html><body><nav><a href="/bay">Bẫy</a></nav></body></html>', "utf-8")
    items = ('<a href="/bay/202401/bai-mot-1a1a1a1">Bài một</a> <a href="/bay/202401/bai-hai-2b2b2b2">Bài hai</a>')
    for n in range(1, 30):
        name = "index.html" if n == 1 else f"trang-{n}.html"
        (site / "bay" / name).write_text(f'<html><body>{items}<a href="/bay/trang-{n + 1}.html">Trang sau</a>'
                                         "</body></html>", "utf-8")
    with ReplayServer(site) as server:
        result = run_crawl(server.base_url, tmp_path, "-a", "category=bay", check=False)
        listing_pages = [p for _m, p, _s, _h in server.requests if p.startswith("/bay") and "/2024" not in p]
    assert listing_pages == ["/bay", "/bay/trang-2.html"]
    assert result.stats["bhg/listing_traps"] == 1


def test_progress_lines_show_the_window(invented, tmp_path):
    result = run_crawl(invented.base_url, tmp_path, "-a", "since=2019-01-01", "-s", "BHG_PROGRESS_INTERVAL=0.2",
                       "-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
    progress = [line for line in result.log.splitlines() if "bhgcrawl.extensions" in line]
    assert any("progress: pages" in line for line in progress)
    done = [line for line in progress if "done: pages" in line]
    assert len(done) == 1 and "oldest date reached 2012-03-01 (window 2019-01-01 to …)" in done[0]
