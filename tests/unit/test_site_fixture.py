"""The platform copy of the site (fixtures/site/, from fixtures/sitegen/platform.py) holds together:
page_info against the URL and the truth, the successor's template, the first items of a section in its
HTML and all of them in the API, every article reachable, sitemaps and feeds well-formed, the 301s landing.
No crawl here: these are the fixture's own promises, which a crawl against it relies on."""

from __future__ import annotations

import filecmp
import gzip
import json
import re
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from devtools.replay import ReplayServer, resolve
from tests.helpers import FIXTURES, ROOT

SITE = FIXTURES / "site"
SUCC = "baotuyenquang.com.vn"
UNIT = "4028eaa4679b32c401679c0c74382a7e"
TRUTH = {t["url"]: t for t in json.loads((FIXTURES / "site-truth.json").read_text("utf-8"))}
CASES = json.loads((FIXTURES / "site-cases.json").read_text("utf-8"))
ARTICLE = re.compile(r"/(?:19|20)\d\d(?:0[1-9]|1[0-2])/[a-z0-9-]*-(\d{6}|[0-9a-f]{7})$")
HEX32 = re.compile(r"^[0-9A-Fa-f]{32}$")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def host_and_path(file: Path) -> tuple[str, str]:
    rel = file.relative_to(SITE)
    host = "baohagiang.vn"
    if rel.parts[0] == "_hosts":
        host, rel = rel.parts[1], Path(*rel.parts[2:])
    path = "/" + rel.as_posix().removesuffix(".html")
    return host, path.removesuffix("/index") or "/"


def html_files():
    return sorted(p for p in SITE.rglob("*.html") if "_api" not in p.parts)


def article_pages() -> dict[tuple[str, str], Path]:
    return {hp: f for f in html_files() if ARTICLE.search((hp := host_and_path(f))[1])}


def listing_pages() -> dict[tuple[str, str], Path]:
    skip = ("/tim-kiem", "/404")
    return {hp: f for f in html_files() if not ARTICLE.search((hp := host_and_path(f))[1])
            and not hp[1].startswith(skip)}


@cache
def doc(file: Path):
    return lxml_html.fromstring(file.read_text("utf-8"))  # the page's <meta charset> comes late, as on the real one


def text(el) -> str:
    return " ".join(el.text_content().split())


def identity(url: str) -> str:
    """An article's URL in the truth: https, no www, no query or slash; a Hà Giang archive path on the
    successor is the Hà Giang article."""
    parts = urlsplit(url)
    host = (parts.hostname or "baohagiang.vn").removeprefix("www.")
    path = parts.path.rstrip("/")
    month = re.search(r"/(\d{6})/[^/]*$", path)
    if host == SUCC and month and month.group(1) < "202507":
        host = "baohagiang.vn"
    return f"https://{host}{path}"


def page_info(file: Path) -> dict[str, str]:
    return {el.get("id"): el.text_content() for el in doc(file).xpath('//div[@id="page_info"]/div')}


def api_items(cate_id: str, root: Path = SITE) -> list[dict]:
    return json.loads((root / "_api" / f"{cate_id}.json").read_text("utf-8"))["items"]


def test_generator_is_deterministic_and_what_is_committed(tmp_path):
    """The committed fixture is the generator's output, byte for byte, on a second run elsewhere."""
    run = subprocess.run([sys.executable, str(FIXTURES / "sitegen" / "platform.py"), "--out", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for name in ("site-truth.json", "site-cases.json"):
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name
    fresh = sorted(p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*")
                   if p.is_file())
    assert fresh == sorted(p.relative_to(SITE) for p in SITE.rglob("*") if p.is_file())
    _same, mismatch, errors = filecmp.cmpfiles(tmp_path / "site", SITE, [str(p) for p in fresh],
                                               shallow=False)
    assert mismatch == errors == []


def test_every_article_page_has_page_info_of_its_section_and_title():
    mismatches = []
    pages = {hp: f for hp, f in article_pages().items() if hp[0] != SUCC}
    assert len(pages) == 46 - 3 - 4  # all but the successor's own and the four moved away
    for (host, path), file in pages.items():
        truth = TRUTH[f"https://{host}{path}"]
        info = page_info(file)
        section = CASES["sections"].get(truth["category"])
        # The English subdomain is a unit of its own.
        assert (info["site_id"] == UNIT) == (host == "baohagiang.vn") and HEX32.match(info["site_id"])
        if section:
            assert info["cate_id"] == section["cate_id"]
        assert info["cate_url"] == f"/{truth['category']}/"
        assert info["cate_title"] == truth["category_name"]
        assert info["article_title"] == truth["title"] == text(doc(file).xpath("//h1[@class='head_title']")[0])
        aid, url_id = info["article_id"], truth["article_id"]
        assert re.fullmatch(r"[0-9a-f]{32}", aid)
        if url_id.isdigit():
            ok = aid.endswith(url_id) and int(aid) == int(url_id)
        else:
            ok = aid[-7:] == url_id
        if not ok:
            mismatches.append(truth["url"])
    assert mismatches == [u for u, c in CASES["articles"].items() if "page_info_mismatch" in c["cases"]]
    assert len(mismatches) == 1


def test_head_is_the_platforms():
    for (host, path), file in article_pages().items():
        truth = TRUTH[identity(f"https://{host}{path}")]
        page = doc(file)
        paper = "Báo Tuyên Quang" if host == SUCC else "Báo Hà Giang"
        assert text(page.find(".//title")) == f"{truth['title']} - {paper} điện tử"
        assert page.xpath("//meta[@property='og:title']/@content") == [truth["title"]]
        assert page.xpath("//meta[@property='og:url']/@content") == [f"https://{host}{path}/"]
        assert page.xpath("//meta[@property='og:description']/@content") and page.xpath("//meta[@property='og:image']")
        assert not page.xpath("//script[@type='application/ld+json'] | //time"
                              " | //meta[@property='article:published_time']")


def test_menu_items_carry_the_section_ids():
    page = doc(SITE / "index.html")
    items = page.xpath("//ul[@id='main-menu' and contains(@class, 'sm-clean')]//li[@class]")
    ids = {c["cate_id"]: cat for cat, c in CASES["sections"].items()}
    assert len(items) >= 10
    for li in items:
        cat = urlsplit(li.xpath("./a/@href")[0]).path.strip("/")
        assert ids[li.get("class")] == cat


def test_successor_pages_are_read_by_their_template():
    pages = {hp: f for hp, f in article_pages().items() if hp[0] == SUCC}
    assert {identity(f"https://{h}{p}") for h, p in pages} == {u for u, t in TRUTH.items() if t["language"] == "vi"}
    for (host, path), file in pages.items():
        truth, page = TRUTH[identity(f"https://{host}{path}")], doc(file)
        assert not page.xpath("//div[@id='page_info']")
        headings = page.xpath("//h1[contains(@class,'media-heading') and contains(@class,'title5')]")
        assert [text(h) for h in headings] == [truth["title"]]
        label = page.xpath("//div[@class='cate_title_1']/h2/a[contains(@class,'title')]")[0]
        assert text(label) == truth["category_name"]
        assert [c for c in label.get("class").split() if HEX32.match(c)] == [CASES["successor_sections"].get(
            truth["category"], CASES["sections"].get(truth["category"], {}).get("cate_id"))]
        content = page.xpath("//div[contains(@class,'article_content')]//div[@id='content' and @class='content']")[0]
        lead = content.xpath("./p/strong")[0]
        assert text(lead).endswith(truth["lead"])
        if truth["byline"]:
            assert text(content.xpath("./p[@style='text-align: right;']/strong")[-1]) == truth["byline"]


def test_bylines_header_and_closing_as_the_cases_say():
    seen = set()
    for (host, path), file in article_pages().items():
        if host == SUCC:
            continue
        truth = TRUTH[f"https://{host}{path}"]
        cases = CASES["articles"][truth["url"]]["cases"]
        page = doc(file)
        header = [text(s) for s in page.xpath("//div[@class='date_time']/span[contains(@class,'author')]")]
        closing = [text(p) for p in
                   page.xpath("//div[contains(@class,'td-post-content')]/p[@style='text-align: right;']")]
        mode = next((c for c in ("header_author_only", "closing_byline_only", "author_names_in_header", "no_byline")
                     if c in cases), "both")
        seen.add(mode)
        expect = {"header_author_only": ([truth["byline"]], []), "closing_byline_only": ([], [truth["byline"]]),
                  "author_names_in_header": ([", ".join(truth["authors"])], [truth["byline"]]),
                  "no_byline": ([], []), "both": ([truth["byline"]], [truth["byline"]])}[mode]
        assert (header, closing) == expect, truth["url"]
    assert seen == {"header_author_only", "closing_byline_only", "author_names_in_header", "no_byline", "both"}


def test_tags_images_and_publisher_agree_with_the_truth():
    for (host, path), file in article_pages().items():
        truth, page = TRUTH[identity(f"https://{host}{path}")], doc(file)
        assert [text(a) for a in page.xpath("//h4/a[@class='tag']")] == truth["tags"]
        srcs = set(page.xpath("//div[@id='content']//img/@src"))
        assert {i["url"] for i in truth["images"]} <= srcs
        merged = truth["published"] >= "2025-07-01"
        assert truth["publisher"] == ("Báo Tuyên Quang" if merged else "Báo Hà Giang")
    titles = [t["title"] for t in TRUTH.values() if t["title"].startswith("Báo Hà Giang")]
    assert len(titles) == 2
    assert {t["publisher"] for t in TRUTH.values()} == {"Báo Hà Giang", "Báo Tuyên Quang"}


def listed_links(file: Path) -> list[str]:
    links = doc(file).xpath("//div[@id='cate-content']//a[@class='title2' or @class='title3']/@href")
    return [urlsplit(h).path for h in links]


def test_section_html_lists_only_its_first_items_and_the_api_all():
    for cat, section in CASES["sections"].items():
        items = api_items(section["cate_id"])
        assert len(items) == section["items"]
        first = 1 if cat.startswith("ve-bao-ha-giang") else CASES["first_items_in_html"]
        page = SITE / cat / "index.html"
        assert listed_links(page) == [i["pageUrl"] for i in items[:first]], cat
        more = doc(page).xpath("//*[@data-id and @data-start]")
        if len(items) > first:
            assert [(m.get("data-id"), m.get("data-start")) for m in more] == [(section["cate_id"], str(first))]
            hidden = doc(page).xpath("//div[@id='pagination-container']/@style") == ["display: none;"]
            assert hidden != section["paged"]
        if section["paged"]:
            assert listed_links(SITE / cat / "trang-2.html") == [i["pageUrl"] for i in items[first: 2 * first]]
    only_api = [u for u, c in CASES["articles"].items() if "in_no_html_listing" in c["cases"]]
    assert len(only_api) >= 3


def reach() -> dict[str, set[str]]:
    """Article identity -> the channels whose files link to it."""
    found: dict[str, set[str]] = {}

    def add(url, channel):
        if ARTICLE.search(urlsplit(url).path.rstrip("/")):
            found.setdefault(identity(url), set()).add(channel)

    for (host, path), file in listing_pages().items():
        for href in doc(file).xpath("//a/@href"):
            add(urljoin(f"https://{host}{path}/", href), "html")
    for host, root in (("baohagiang.vn", SITE), (SUCC, SITE / "_hosts" / SUCC)):
        for file in (root / "_api").glob("*.json"):
            for item in json.loads(file.read_text("utf-8")).get("items", []):
                add(f"https://{host}{item['pageUrl']}", "api")
        for file in (root / "sitemaps").iterdir():
            data = gzip.decompress(file.read_bytes()) if file.suffix == ".gz" else file.read_bytes()
            for loc in ET.fromstring(data).iter(SM + "loc"):
                add(loc.text, "sitemap")
    for file in (SITE / "rss").glob("*.rss"):
        for link in ET.parse(file).getroot().iter("link"):
            add(link.text, "rss")
    return found


def test_html_api_sitemaps_and_feeds_together_reach_every_article():
    found = reach()
    assert set(TRUTH) <= set(found)
    assert set(CASES["removed"]) <= set(found)
    first_pages = {p for (h, c), f in listing_pages().items() if h == "baohagiang.vn"
                   for p in listed_links(f) if not c.endswith(".html")}
    beyond = [u for u in TRUTH if found[u] & {"sitemap", "rss"} and urlsplit(u).path + "/" not in first_pages]
    assert len(beyond) >= 3  # maps and feeds reach what the sections' first pages do not list
    api_only = [u for u, c in CASES["articles"].items() if "api_only" in c["cases"]]
    assert api_only and all(found[u] == {"api"} for u in api_only)


def test_sitemaps_robots_and_feeds_are_well_formed():
    for root, host in ((SITE, "baohagiang.vn"), (SITE / "_hosts" / SUCC, SUCC)):
        robots = (root / "robots.txt").read_text("utf-8")
        [index_url] = re.findall(r"^Sitemap: (\S+)$", robots, re.M)
        assert urlsplit(index_url).hostname == host
        index = ET.parse(resolve(SITE, urlsplit(index_url).path, host=host)).getroot()
        assert index.tag == SM + "sitemapindex"
        children = [urlsplit(loc.text).path for loc in index.iter(SM + "loc")]
        assert {"/sitemaps/index.cate.xml", "/sitemaps/index.lastest.xml"} <= set(children)
        for child in children:
            file = resolve(SITE, child, host=host)
            data = gzip.decompress(file.read_bytes()) if file.suffix == ".gz" else file.read_bytes()
            urlset = ET.fromstring(data)
            assert urlset.tag == SM + "urlset"
            for url in urlset.iter(SM + "url"):
                assert url.find(SM + "loc").text.startswith(f"https://{host}/")
                assert re.match(r"^\d{4}-\d\d(-\d\dT\d\d:\d\d:\d\d\+07:00)?$", url.find(SM + "lastmod").text)
    assert any(p.suffix == ".gz" for p in (SITE / "sitemaps").iterdir())
    for feed in (SITE / "rss").glob("*.rss"):
        channel = ET.parse(feed).getroot().find("channel")
        items = channel.findall("item")
        assert items and all(i.find("link").text and i.find("guid").text for i in items)
    feeds = {h for f in listing_pages().values() for h in doc(f).xpath("//link[@type='application/rss+xml']/@href")}
    assert len(feeds) >= 8 and all((SITE / h.lstrip("/")).is_file() for h in feeds)


def fetch(url, host=None):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    req = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(req) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type"), err.headers.get("Location") or ""


def test_moved_articles_land_on_the_successor():
    redirects = json.loads((SITE / "_redirects.json").read_text("utf-8"))
    moved = {p: r["location"] for p, r in redirects.items() if r["location"].startswith(f"https://{SUCC}/")}
    assert len(moved) == len(CASES["moved"]) == 4
    with ReplayServer(SITE) as srv:
        for path, location in moved.items():
            assert resolve(SITE, path) is None and resolve(SITE, location.split(SUCC, 1)[1], host=SUCC) is not None
            assert fetch(srv.base_url + path + "/") == (301, "text/html", location)
            status, _ctype, body = fetch(srv.base_url + urlsplit(location).path, host=SUCC)
            assert status == 200 and "media-heading title5" in body
        hop = fetch(srv.base_url + "/bai-viet/785426")[2]  # the old link: two 301s to the successor
        assert fetch(srv.base_url + hop)[2] in moved.values()


def test_listing_api_of_the_platform_site_pages_through_every_section():
    with ReplayServer(SITE) as srv:
        for cat, section in CASES["sections"].items():
            got, first = [], 0
            while True:
                query = urlencode({"scUnitMapId": UNIT, "saArticleCateId": section["cate_id"], "first": first,
                                   "pageSize": 4, "jsonCallback": "jQuery_cb"})
                status, ctype, body = fetch(f"{srv.base_url}/service/api/article/list?{query}")
                assert status == 200 and ctype.startswith("application/javascript")
                page = json.loads(body.removeprefix("jQuery_cb(").removesuffix(");"))["response"]
                if not page:
                    break
                got += page
                first += len(page)
            assert got == api_items(section["cate_id"]), cat
        capped = urlencode({"scUnitMapId": UNIT, "saArticleCateId": CASES["sections"]["kinh-te"]["cate_id"],
                            "first": 0, "pageSize": 500})
        assert len(json.loads(fetch(f"{srv.base_url}/sc_service/api/article/list?{capped}")[2])["response"]) == 10
        both = {("T" in i["publishDate"]) for c in CASES["sections"].values() for i in api_items(c["cate_id"])}
        assert both == {True, False}  # the two publishDate forms
        wrong = urlencode({"scUnitMapId": UNIT, "saArticleCateId": "F" * 32})
        assert "erorr" in json.loads(fetch(f"{srv.base_url}/service/api/article/list?{wrong}")[2])


@pytest.mark.parametrize("key", ["T10", "N3"])
def test_pages_without_a_time(key):
    url = next(u for u, c in CASES["articles"].items() if c["key"] == key)
    file = resolve(SITE, urlsplit(url).path)
    dates = [text(d) for d in doc(file).xpath("//div[@class='date_time']/div[contains(@class,'date')]")]
    assert dates == ([""] if "empty_date_div" in CASES["articles"][url]["cases"] else [])
    assert TRUTH[url]["published_precision"] == "month"
