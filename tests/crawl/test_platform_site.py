"""A real `scrapy crawl bhg` against the replay server over fixtures/site: the site in its real
platform's template, with the platform's listing API, sitemaps, RSS feeds, the English host and the
successor host that holds the moved archive.

The replay answers every host's robots.txt with the root's (requests reach it as 127.0.0.1): one
robots.txt a run, where the live site has one per host.
"""

import json
import shutil
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest

from bhgcrawl.urls import parse_article_url
from devtools.golden import golden
from devtools.replay import ReplayHandler, ReplayServer
from tests.helpers import FIXTURES, SITE, run_crawl

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess

CASES = json.loads((FIXTURES / "site-cases.json").read_text("utf-8"))
SUCCESSOR = "baotuyenquang.com.vn"
XA_HOI = CASES["sections"]["xa-hoi"]["cate_id"]
XA_HOI_URLS = sorted(u for u in CASES["articles"] if u.startswith("https://baohagiang.vn/xa-hoi/"))
B2 = next(u for u, a in CASES["articles"].items() if a["key"] == "B2")


def kind(path: str, host: str) -> tuple[str, str]:
    """(host, what the request was for)."""
    host = "baohagiang.vn" if host.startswith("127.") else host
    if urlsplit(path).path in ("/service/api/article/list", "/sc_service/api/article/list"):
        return host, "api"
    if path == "/robots.txt":
        return host, "robots"
    if path.startswith(("/rss/", "/sitemaps/")):
        return host, path.split("/")[1]
    return host, "article" if parse_article_url("https://baohagiang.vn" + urlsplit(path).path) else "listing"


def without_time(records):
    return {r["url"]: {k: v for k, v in r.items() if k != "crawled_at"} for r in records}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A first (wide) run, then a run with nothing new on the same state; their requests."""
    tmp = tmp_path_factory.mktemp("platform")
    with ReplayServer(SITE) as server:
        first = run_crawl(server.base_url, tmp, name="first")
        first.requests, server.requests[:] = list(server.requests), []
        again = run_crawl(server.base_url, tmp, name="again")
        again.requests = list(server.requests)
    return first, again


def test_a_first_run_emits_every_article_of_its_hosts_once_as_its_golden_record(runs):
    first, _again = runs
    expected = {u: r for u, r in golden().items() if urlsplit(u).hostname != SUCCESSOR}
    assert len(expected) == 43
    assert [r["url"] for r in first.records if r["url"] not in expected] == []
    assert len(first.records) == len({r["url"] for r in first.records}) == 43
    assert without_time(first.records) == expected
    # The archive moved to the successor is read there and kept under its own identity.
    moved = {r["url"]: r["fetched_url"] for r in first.records if r["fetched_url"] != r["url"]}
    assert moved == {u: target.rstrip("/") for u, target in CASES["moved"].items()}
    assert B2 in expected  # listed by the API alone
    assert first.returncode == 0 and first.stats["bhg/exit_code"] == 0


def test_a_first_run_fetches_each_page_once_and_lists_through_the_api(runs):
    first, _again = runs
    asked = Counter((host, path) for _m, path, _s, host in first.requests)
    assert [page for page, n in asked.items() if n > 1] == []
    kinds = Counter(kind(path, host) for _m, path, _s, host in first.requests)
    assert kinds == {
        ("baohagiang.vn", "robots"): 1,
        # The home page, the 11 sections its menu and pages name, the 2 the menu names that answer 404.
        ("baohagiang.vn", "listing"): 14,
        # Each section from where its first HTML page stops, to the API's empty page.
        ("baohagiang.vn", "api"): 15,
        ("baohagiang.vn", "rss"): 10,
        ("baohagiang.vn", "sitemaps"): 4,
        # 38 articles, the 4 moved ones' redirects, the removed one (404); the moved ones where they are.
        ("baohagiang.vn", "article"): 43, (SUCCESSOR, "article"): 4,
        ("en.baohagiang.vn", "listing"): 1, ("en.baohagiang.vn", "article"): 1,
        ("en.baohagiang.vn", "api"): 1,  # 404: that host has no listing API, its sections are read as HTML
    }
    assert len(first.requests) == 94
    # No HTML page 2: the API took over every section from its first page.
    assert not [path for _m, path, _s, _h in first.requests if "trang-2" in path or "page=2" in path]
    assert first.stats["bhg/api/unusable/en.baohagiang.vn"] == "http_404"


def test_a_run_with_nothing_new_asks_each_section_once_and_not_the_missing_api(runs):
    """Nothing new: robots.txt, the home page, one request a section (its API's first page, or its HTML
    page where there is no API), no article; the English host's API, missing last run, is not asked."""
    _first, again = runs
    assert again.records == [] and again.returncode == 0
    kinds = Counter(kind(path, host) for _m, path, _s, host in again.requests)
    assert kinds == {("baohagiang.vn", "robots"): 1, ("baohagiang.vn", "listing"): 2,
                     ("baohagiang.vn", "api"): 10, ("en.baohagiang.vn", "listing"): 1}
    firsts = {dict(parse_qsl(urlsplit(p).query))["first"] for _m, p, _s, _h in again.requests if "/api/" in p}
    assert firsts == {"0"}


def test_the_successor_site_gives_its_own_articles_and_the_moved_archive(tmp_path, replay):
    result = run_crawl(replay.base_url, tmp_path, "-a", f"site={SUCCESSOR}")
    expected = {u: r for u, r in golden().items()
                if urlsplit(u).hostname == SUCCESSOR or u in CASES["moved"]}
    assert len(expected) == 7
    assert without_time(result.records) == expected
    assert {host for _m, _p, _s, host in replay.requests} <= {SUCCESSOR, urlsplit(replay.base_url).netloc}


# ---- a listing API that misbehaves ------------------------------------------------------------------

class BadApi(ReplayHandler):
    """The Xã hội section's API answers `self.server.bad_answer` (the other sections' are as saved)."""

    def _normal(self, parts):
        query = dict(parse_qsl(parts.query))
        if "/api/" in parts.path and query.get("saArticleCateId") == XA_HOI:
            answer = self.server.bad_answer
            return (200, answer(query) if callable(answer) else answer.encode(),
                    "application/javascript; charset=utf-8", {})
        return super()._normal(parts)


def serve(root, bad_answer=None) -> ReplayServer:
    server = ReplayServer(root)
    if bad_answer is not None:
        server.RequestHandlerClass = BadApi
        server.bad_answer = bad_answer
    return server


def api_requests(requests) -> list[dict]:
    return [dict(parse_qsl(urlsplit(p).query)) for _m, p, _s, _h in requests if "/api/" in p]


@pytest.mark.parametrize(("answer", "problem"), [
    ('jsonCallback({"response": [{"pageUrl": "/xa-hoi/2', "invalid_json"),
    ('alert(document.cookie);jsonCallback({"response": []});', "callback"),
    ('{"erorr": "Không tìm thấy chuyên mục (saArticleCateId)"}', "error"),
    ("<html><body>Bảo trì hệ thống</body></html>", "callback"),
])
def test_an_unusable_api_answer_hands_the_walk_to_the_html_pages_and_is_remembered(tmp_path, answer, problem):
    """A category run lists through the API alone; when the API answers what cannot be read, the
    section is walked through its HTML pages (every article still found), the problem is said and
    counted, and the next run does not ask that API again."""
    with serve(SITE, answer) as server:
        broken = run_crawl(server.base_url, tmp_path, "-a", "category=xa-hoi", name="broken")
        first_requests, server.requests[:] = list(server.requests), []
        later = run_crawl(server.base_url, tmp_path, "-a", "category=xa-hoi", name="later")
        later_requests = list(server.requests)
    assert sorted(r["url"] for r in broken.records) == XA_HOI_URLS
    assert broken.stats[f"bhg/api/{problem}"] == 1
    assert broken.stats["bhg/api/unusable/baohagiang.vn"] == problem
    assert "the listing API of baohagiang.vn answered " + problem in broken.log
    assert broken.returncode == 0
    assert len(api_requests(first_requests)) == 1
    assert [p for _m, p, _s, _h in first_requests if p.startswith("/xa-hoi") and "/20" not in p] == ["/xa-hoi"]
    assert later.records == [] and api_requests(later_requests) == []
    assert [p for _m, p, _s, _h in later_requests if p.startswith("/xa-hoi")] == ["/xa-hoi"]


def test_an_api_that_ignores_first_is_a_walk_that_stops_where_it_repeats(tmp_path):
    """Every page of the answer is the same: the walk (from where the section's first HTML page stops)
    reads it twice, sees the page it has read, and stops."""
    items = json.loads((SITE / "_api" / f"{XA_HOI}.json").read_text("utf-8"))["items"]
    same = json.dumps({"response": items[4:]}, ensure_ascii=False).encode()  # one not on the HTML page
    with serve(SITE, lambda _query: same) as server:
        result = run_crawl(server.base_url, tmp_path, "-a", "category=xa-hoi")
        asked = api_requests(server.requests)
    assert [q["first"] for q in asked] == ["5", "7"]
    assert sorted(r["url"] for r in result.records) == XA_HOI_URLS
    assert result.stats["bhg/listing_traps"] == 1
    assert result.returncode == 0


def test_a_page_size_the_server_caps_is_paged_by_what_it_sent(tmp_path):
    """The API sends 2 items however many are asked: the walk goes on from what it was sent, to the
    section's end (10 articles, the first 5 on its HTML page), which a page shorter than the one
    before it shows."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    config = root / "_api" / "config.json"
    config.write_text(json.dumps({**json.loads(config.read_text("utf-8")), "max_page_size": 2}), "utf-8")
    with serve(root) as server:
        result = run_crawl(server.base_url, tmp_path, "-a", "category=thoi-su-chinh-tri")
        asked = api_requests(server.requests)
    # The page of 1 after pages of 2 is the end: no empty page asked for.
    assert [(q["first"], q["pageSize"]) for q in asked] == [("5", "100"), ("7", "100"), ("9", "100")]
    assert sorted(r["url"] for r in result.records) == sorted(
        u for u in CASES["articles"] if u.startswith("https://baohagiang.vn/thoi-su-chinh-tri/"))


def test_api_items_elsewhere_are_never_requested(tmp_path):
    """An item whose pageUrl is on another host, or no article's URL, is left out; the rest are read."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    listing = root / "_api" / f"{XA_HOI}.json"
    data = json.loads(listing.read_text("utf-8"))
    data["items"][1:1] = [
        {**data["items"][0], "pageUrl": "https://evil.example/xa-hoi/202403/bai-viet-1a2b3c4"},
        {**data["items"][0], "pageUrl": "javascript:alert(1)"},
        {**data["items"][0], "pageUrl": "/tim-kiem/?q=1"},
    ]
    listing.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with serve(root) as server:
        result = run_crawl(server.base_url, tmp_path, "-a", "category=xa-hoi")
        paths = [p for _m, p, _s, _h in server.requests]
    assert sorted(r["url"] for r in result.records) == XA_HOI_URLS
    assert not [p for p in paths if "bai-viet" in p or "tim-kiem" in p or "javascript" in p]
    assert {host for _m, _p, _s, host in server.requests} == {urlsplit(server.base_url).netloc, SUCCESSOR}
