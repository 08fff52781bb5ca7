"""Every pagination form the listing reader claims, reached only through pagination, in a real crawl.

One small site, one section per form: page 1 of each section lists one article and links to its
page 2 in that form; page 2 lists the only link to a second article. One `scrapy crawl` walks them
all; an article of page 2 in the export proves that form was followed (the next page found by
`pages/listing.py`, its page number read by `page_number`, and the section kept by
`urls.category_of`, which must strip the page part for the link to count as the same listing).

Each section of FORMS names the fault it catches: break its form, and its page-2 article is missing.
"""

from collections import Counter

import pytest

from devtools.replay import ReplayServer
from tests.helpers import article_html, run_crawl, write_site

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess

# section → (page 2 as linked, the file the replay server answers it with, page 1's pager)
FORMS = {
    # Offset pagination (`?start=20`): its number is not page 1 + 1, so only rel=next leads there.
    # Catches rel=next ignored (in <head> <link>).
    "rel-next": ("/rel-next?start=20", "rel-next/index@start=20.html",
                 '<link rel="next" href="/rel-next?start=20">'),
    # Plain page numbers "1 2 3": the link whose text is the next number. Catches `?trang=N` unread
    # (PAGE_PARAMS) and a page number taken for the current page.
    "so-trang": ("/so-trang?trang=2", "so-trang/index@trang=2.html",
                 '<div class="paging"><span>1</span> <a href="/so-trang?trang=2">2</a> '
                 '<a href="/so-trang?trang=3">3</a></div>'),
    # Catches `page` dropped from PAGE_PARAMS.
    "page-param": ("/page-param?page=2", "page-param/index@page=2.html",
                   '<a href="/page-param?page=2">Các tin trước</a>'),
    # Catches `p` dropped from PAGE_PARAMS.
    "p-param": ("/p-param?p=2", "p-param/index@p=2.html", '<a href="/p-param?p=2">Các tin trước</a>'),
    # Catches `/trang/N` unread by page_number or left in the category by category_of.
    "trang-slash": ("/trang-slash/trang/2", "trang-slash/trang/2.html",
                    '<a href="/trang-slash/trang/2">Các tin trước</a>'),
    # Catches `trang-N.html` unread or left in the category (the site's own form).
    "trang-dash": ("/trang-dash/trang-2.html", "trang-dash/trang-2.html",
                   '<a href="/trang-dash/trang-2.html">Các tin trước</a>'),
    # Catches `/page/N` unread or left in the category.
    "page-slash": ("/page-slash/page/2", "page-slash/page/2.html",
                   '<a href="/page-slash/page/2">Các tin trước</a>'),
    # The link texts. A link to the next page number of the same listing is followed whatever its
    # text; the text only ranks it first among several (see pages/listing.py), so these sections
    # hold a pager made of the word alone, in forms the sections above do not use: they catch
    # `/p/N`, `/pN` and `?pageindex=N` unread or left in the category.
    "chu-sau": ("/chu-sau/p/2", "chu-sau/p/2.html", '<a href="/chu-sau/p/2">Sau</a>'),
    "chu-raquo": ("/chu-raquo/p2", "chu-raquo/p2.html", '<a href="/chu-raquo/p2" title="Trang sau">»</a>'),
    "chu-trang-sau": ("/chu-trang-sau?pageindex=2", "chu-trang-sau/index@pageindex=2.html",
                      '<p><a href="/chu-trang-sau">« Trang trước</a> '
                      '<a href="/chu-trang-sau?pageindex=2">Trang sau</a></p>'),
}


def article_path(section: str, page: int) -> str:
    n = sorted(FORMS).index(section) * 2 + page
    return f"/{section}/202401/bai-trang-{page}-cua-{section}-{n:07x}"


def listing(section: str, page: int, head: str = "", pager: str = "") -> str:
    title = f"Bài ở trang {page} của mục {section}"
    item = (f'<div class="item"><h3><a href="{article_path(section, page)}">{title}</a></h3>'
            f"<span>08:00, {20 - page:02d}/01/2024</span></div>")
    return f"<html><head>{head}</head><body><h1>{section}</h1><div class='list'>{item}</div>{pager}</body></html>"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pagination")
    files = {}
    for section, (_linked, page2_file, pager) in FORMS.items():
        head, pager = (pager, "") if pager.startswith("<link") else ("", pager)
        files[f"{section}/index.html"] = listing(section, 1, head, pager)
        files[page2_file] = listing(section, 2)
        for page in (1, 2):
            files[article_path(section, page).lstrip("/") + ".html"] = article_html(
                f"Bài ở trang {page} của mục {section}", when=f"08:00, {20 - page:02d}/01/2024")
    site = write_site(tmp / "site", files)
    with ReplayServer(site) as server:
        result = run_crawl(server.base_url, tmp, "-a", f"category={','.join(FORMS)}")
        result.requests = [path for _m, path, _s, _h in server.requests]
    return result


@pytest.mark.parametrize("section", sorted(FORMS))
def test_the_article_only_page_2_lists_is_crawled(crawl, section):
    """See FORMS for the fault each section catches."""
    urls = {r["url"] for r in crawl.records}
    assert f"https://baohagiang.vn{article_path(section, 1)}" in urls
    assert f"https://baohagiang.vn{article_path(section, 2)}" in urls, f"page 2 of /{section} not reached"


def test_each_page_2_is_requested_once_and_nothing_beyond(crawl):
    """Catches a link to page 3 (`so-trang` shows one) taken for the next page of page 1, a page read
    twice, and a walk going past its last page."""
    listings = Counter(p for p in crawl.requests if "/2024" not in p and p != "/robots.txt")
    pages = {"/": 1} | {f"/{s}": 1 for s in FORMS} | {linked: 1 for linked, _f, _p in FORMS.values()}
    assert listings == Counter(pages)
    # The one 404 is the home page, which this site has none of (a category run reads it for the menu).
    assert len(crawl.records) == 2 * len(FORMS) and crawl.stats.get("bhg/fetch_failed/http_404") == 1
