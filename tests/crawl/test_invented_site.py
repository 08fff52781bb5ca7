"""A real `scrapy crawl bhg` against the replay server over fixtures/invented-site: the markup invented
before the real platform was known, which the layered reading must keep passing."""

import json
import re
import subprocess
import sys
from collections import Counter
from urllib.parse import urlsplit

import pytest

from bhgcrawl.urls import parse_article_url
from devtools.golden import INVENTED_SITE as SITE
from devtools.golden import SITES, site_pages
from devtools.replay import ReplayServer
from tests.helpers import FIXTURES, ROOT, crawl_env, run_crawl

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess

LISTINGS = [
    "/", "/english", "/english/Culture", "/english/news", "/english/news?page=2", "/kinh-te",
    "/kinh-te/nong-lam-nghiep", "/kinh-te/nong-lam-nghiep?page=2", "/kinh-te/trang-2.html",
    "/kinh-te/trang-3.html", "/media-bhg", "/multimedia", "/multimedia/emagazine", "/multimedia/truyen-hinh",
    "/multimedia/truyen-hinh?page=2", "/thoi-su-chinh-tri", "/thoi-su-chinh-tri/trang-2.html",
    "/thoi-su-chinh-tri/trang-3.html", "/van-hoa", "/van-hoa?page=2", "/ve-bao-ha-giang/thong-tin-toa-soan",
    "/xa-hoi", "/xa-hoi/trang-2.html",
]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("crawl")
    with ReplayServer(SITE) as server:
        result = run_crawl(server.base_url, tmp)
        result.requests = list(server.requests)
    return result


def golden():
    return {r["url"]: r for r in (json.loads(p.read_text("utf-8")) for p in SITES[SITE].glob("*.json"))}


def test_every_fixture_article_exactly_once_and_equal_to_golden(crawl):
    urls = [r["url"] for r in crawl.records]
    assert len(urls) == len(set(urls)) == 41
    expected = golden()
    assert set(urls) == set(expected) == set(site_pages(SITE))
    for record in crawl.records:
        crawled_at = record.pop("crawled_at")
        assert crawled_at.endswith("+00:00")
        assert record == expected[record["url"]]


def test_each_page_fetched_once_and_nothing_else(crawl):
    paths = Counter((host if not host.startswith("127.") else "", path) for _m, path, _s, host in crawl.requests)
    assert all(n == 1 for n in paths.values()), [p for p, n in paths.items() if n > 1]
    article_paths = {("", urlsplit(u).path) for u in site_pages(SITE) if urlsplit(u).hostname == "baohagiang.vn"}
    removed = {("", urlsplit(u).path) for u in json.loads((FIXTURES / "invented-removed.json").read_text())}
    # A first run is a wide one: the RSS feeds the pages link to are read too (the English one is a 404).
    feeds = {("", "/rss/home.rss"), ("en.baohagiang.vn", "/rss/home.rss")}
    expected = article_paths | removed | feeds | {("", p) for p in LISTINGS} | {("", "/robots.txt")} | {
        ("en.baohagiang.vn", "/Society"),
        ("en.baohagiang.vn", "/Society/202305/vocational-training-helps-rural-workers-find-jobs-6e2d0a7")}
    assert set(paths) == expected
    assert len(crawl.requests) == 69


def test_search_print_login_and_external_links_are_never_requested(crawl):
    for _m, path, _s, host in crawl.requests:
        assert not path.startswith(("/tim-kiem", "/print", "/dang-nhap")), path
        assert host.startswith("127.0.0.1") or host == "en.baohagiang.vn"
    assert crawl.stats["robotstxt/request_count"] == 1


def test_removed_article_and_missing_sections_are_counted_not_fatal(crawl):
    assert crawl.summary["finish_reason"] == "finished"
    assert crawl.stats["bhg/fetch_failed/http_404"] == 4  # the removed article, two sections, the English feed
    removed = json.loads((FIXTURES / "invented-removed.json").read_text())
    assert not set(removed) & {r["url"] for r in crawl.records}
    assert "bhg/extraction_failed" not in crawl.stats
    assert crawl.stats["item_scraped_count"] == 41


def test_exports_are_utf8_not_ascii_escaped(crawl, invented, tmp_path):
    """Both exports read as bytes, as a user's tool reads them: the `-O` feed and the run's own
    JSON Lines file hold the UTF-8 of "Lê Hải", in NFC, and no `\\u1ec7`-style escape. (Decoded JSON
    cannot tell the two apart.) Catches FEED_EXPORT_ENCODING unset (Scrapy's feed then escapes) and
    the run's own file written with ensure_ascii."""
    own = run_crawl(invented.base_url, tmp_path, "-a", "category=thoi-su-chinh-tri", feeds=False)
    for path in (crawl.path, own.path):
        raw = path.read_bytes()
        assert b'"authors": ["L\xc3\xaa H\xe1\xba\xa3i"]' in raw, path  # Lê Hải, NFC, in UTF-8
        assert re.search(rb"\\u[0-9a-fA-F]{4}", raw) is None, path
        raw.decode("utf-8")  # nothing else in it either


def test_category_argument_limits_the_crawl(invented, tmp_path):
    result = run_crawl(invented.base_url, tmp_path, "-a", "category=kinh-te")
    cats = Counter(r["category"] for r in result.records)
    assert cats == {"kinh-te": 4, "kinh-te/nong-lam-nghiep": 6}
    fetched = {path for _m, path, _s, _h in invented.requests}
    assert not any(p.startswith(("/xa-hoi", "/van-hoa", "/thoi-su")) for p in fetched)
    # The home page is read too: its menu gives the section's subsections (and, on the platform, their ids).
    assert "/" in fetched
    assert all(parse_article_url("https://baohagiang.vn" + p) or p == "/"
               or p.startswith(("/kinh-te", "/robots.txt", "/rss/"))
               for p in fetched)


def test_scrapy_list_and_contracts(invented, tmp_path):
    env = crawl_env()
    # Everything a run writes goes to the test's own folder, not into the checkout.
    elsewhere = [a for k in ("BHG_EXPORT_DIR", "BHG_FAILURES_PATH", "BHG_FAILED_PAGES_DIR")
                 for a in ("-s", f"{k}={tmp_path / k.lower()}")]
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert listed.stdout.split() == ["bhg"]
    check = subprocess.run([sys.executable, "-m", "scrapy", "check", "bhg", "-s", f"BHG_BASE_URL={invented.base_url}",
                            "-s", "BHG_STATE_PATH=", *elsewhere], cwd=ROOT, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr[-2000:]
    assert "Ran 5 contracts" in check.stderr and check.stderr.rstrip().endswith("OK")
