"""Smoke test of `make bench` (benchmarks/): every benchmark on a tiny size, so none of them rots.

No timing is asserted here: benchmarks are not tests. Peers that are not installed (trafilatura,
newspaper4k: the `bench` extra) are skipped by the benchmark itself.
"""

from __future__ import annotations

import json

import pytest

from benchmarks import api_walk, extraction, run
from benchmarks.site import API_MAX_PAGE_SIZE, BenchSite
from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.pages.listing import ListingPage

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess


@pytest.fixture(scope="module")
def site():
    return BenchSite(120, page_size=20)


def test_generated_articles_are_varied_copies_that_extract_to_their_own_values(site):
    seen_ids = set()
    for i in (0, 1, 39, 40, 41, 119):
        art = site.art(i)
        status, html, ctype = site.answer(art["path"])
        assert status == 200 and ctype.startswith("text/html")
        record = ArticlePage("https://baohagiang.vn" + art["path"], html).to_record()
        assert record["title"] == art["title"]
        assert record["article_id"] == art["id"]
        if art["published"]:
            assert record["published"].startswith(art["published"].replace(" ", "T"))
        seen_ids.add(record["article_id"])
    assert len(seen_ids) == 6


def test_listings_link_every_article_once_and_paginate(site):
    found, pages = set(), 0
    for cat in ("thoi-su-chinh-tri", "kinh-te/nong-lam-nghiep", "xa-hoi", "van-hoa", "multimedia/truyen-hinh",
                "english/news", "kinh-te"):
        url = f"https://baohagiang.vn/{cat}"
        while url:
            path, _, query = url.removeprefix("https://baohagiang.vn").partition("?")
            status, html, _ = site.answer(path, query)
            assert status == 200, url
            page = ListingPage(url, html)
            found |= {a.url.removeprefix("https://baohagiang.vn") for a in page.articles}
            url, pages = page.next_page, pages + 1
    assert {a.path for a in site.articles} <= found
    assert pages == sum(site.pages(c) for c in ("thoi-su-chinh-tri", "kinh-te/nong-lam-nghiep", "xa-hoi", "van-hoa",
                                                 "multimedia/truyen-hinh", "english/news", "kinh-te"))
    assert site.answer("/robots.txt")[0] == 200
    assert site.answer("/kinh-te/trang-999.html")[0] == 404
    assert site.answer("/no/such/page")[0] == 404


def test_token_f1():
    assert extraction.token_f1("Một hai ba", "một  hai ba") == 1.0
    assert extraction.token_f1("a b c d", "a b") == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert extraction.token_f1("a b", "") == 0.0


def test_every_benchmark_runs_on_a_tiny_size(tmp_path, capsys):
    assert run.main(["--articles", "60", "--small-articles", "30", "--repeat", "1", "--pages", "3",
                     "--calls", "2", "--date-strings", "3", "--records", "60", "--small-records", "30",
                     "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    for name in ("extraction", "dates", "crawl", "memory", "incremental", "dataset", "api", "archives"):
        result = json.loads((tmp_path / f"{name}.json").read_text("utf-8"))
        assert result["benchmark"] == name and result["targets"], name
    assert "### Targets" in printed and (tmp_path / "latest.md").is_file()

    ext = json.loads((tmp_path / "extraction.json").read_text("utf-8"))
    ours = ext["libraries"]["bhgcrawl"]
    assert ours["median_ms_per_page"] > 0 and ours["accuracy_vs_golden"]["pages"] == 3
    crawl = json.loads((tmp_path / "crawl.json").read_text("utf-8"))
    assert {(r["spider"], r["site_articles"]) for r in crawl["runs"]} == {
        ("bhg", 60), ("bare", 60), ("bhg", 30), ("bare", 30)}
    assert all(r["records"] == r["site_articles"] for r in crawl["runs"]), crawl["runs"]
    memory = json.loads((tmp_path / "memory.json").read_text("utf-8"))
    assert memory["bhg_peak_rss_mb"]["60"] > 0
    incremental = json.loads((tmp_path / "incremental.json").read_text("utf-8"))
    assert incremental["first"]["records"] > 0 and incremental["second"]["requests"]["total"] > 0
    exported = json.loads((tmp_path / "dataset.json").read_text("utf-8"))
    assert {(r["records"], r["format"]) for r in exported["runs"]} >= {(60, "jsonl"), (30, "jsonl")}
    assert all(r["complete"] and r["articles"] == r["written"] for r in exported["runs"]), exported["runs"]
    assert exported["peak_rss_mb"]["jsonl"]["60"] > 0 and exported["growth"]["jsonl"] is not None
    backfills = json.loads((tmp_path / "archives.json").read_text("utf-8"))
    assert [r["source"] for r in backfills["runs"]] == ["wayback", "commoncrawl"]
    assert all(r["records"] and r["fetch_requests"] == r["records"]
               and r["requests_per_article"] == pytest.approx(r["floor"]) for r in backfills["runs"]), backfills["runs"]
    assert backfills["year"]["hours"] > 0 and backfills["year"]["cdx_pages"] >= 1
    walks = json.loads((tmp_path / "api.json").read_text("utf-8"))
    assert {r["walk"] for r in walks["runs"]} == {"html", "api"} and walks["complete"], walks["runs"]


def test_the_api_walk_asks_for_every_article_once_and_for_a_section_in_calls_of_100(site):
    """Requests counted, not timed. 1.02 requests/article is the benchmark's target at its thousands of
    articles; on this small site (10 sections) the per-section costs (a first HTML page, the API's empty
    answer that ends the walk) alone are above 0.02 an article, so the walk's shape is what is checked."""
    n = len(site.articles)  # the same generated site, served in the benchmark's own process
    result = api_walk.run(n, site.page_size, progress=lambda *_: None)
    html, api = result["walks"]["html"]["by_kind"], result["walks"]["api"]["by_kind"]
    assert result["complete"] and result["walks"]["html"]["records"] == result["walks"]["api"]["records"] == n
    assert html["article"] == api["article"] == n and html["api"] == 0
    later_pages = sum(site.pages(cat) - 1 for cat in site.listings)
    assert api["listing"] == html["listing"] - later_pages  # each section's first HTML page, no other
    first = site.page_size  # where the first page stops: the API goes on from there
    calls = sum(-(-max(0, len(listed) - first) // API_MAX_PAGE_SIZE) + 1 for listed in site.listings.values() if listed)
    assert 0 < api["api"] <= calls
