"""A listing page (home, category, its later pages) → article links, categories, next page. Pure.

Links are recognised by what their URL says (`urls.parse_article_url`), never by one layout;
the next page by its meaning (rel=next, "Trang sau"/"»", the number after the current page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import parse_qsl, urlsplit

from parsel import Selector

from bhgcrawl import platform
from bhgcrawl.dates import Timestamp, date_in
from bhgcrawl.pages import dom
from bhgcrawl.pages.scope import ItemScopes
from bhgcrawl.urls import absolute, canonicalize, category_of, is_crawlable, is_site_url, parse_article_url
from bhgcrawl.vocab import NAVIGATION_CLASS_WORDS, NEXT_PAGE_TEXTS, NOT_SECTIONS, PAGE_PARAMS

_PAGE_IN_URL = re.compile(r"(?:/trang-|/page/|/p/|/trang/|/p|-p)(\d+)(?:\.html?)?/?$", re.I)
# A `..` segment (also percent-encoded) climbs out of the page's directory: a site's own menu never
# needs one to name a section, a hostile or broken link (`../../etc/passwd`) does.
_CLIMBS = re.compile(r"(?:^|[/\\])(?:\.|%2e){2}(?:[/\\?#]|$)", re.I)
_NOT_CATEGORY = re.compile(rf"(^|/)({'|'.join(map(re.escape, NOT_SECTIONS))})(/|$)", re.I)


@dataclass(frozen=True)
class ListedArticle:
    url: str  # canonical
    published: Timestamp | None  # the date the listing prints beside the link, if any
    modified: Timestamp | None = None  # a sitemap's lastmod: the article is no younger than this


def page_number(url: str) -> int:
    """The page a listing URL shows: 1 unless `trang-N.html`, `/page/N`, `?page=N`…"""
    parts = urlsplit(url)
    m = _PAGE_IN_URL.search(parts.path)
    if m:
        return int(m.group(1))
    for key, value in parse_qsl(parts.query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            return int(value)
    return 1


class ListingPage:
    def __init__(self, url: str, page: str | Selector):
        self.url = canonicalize(url)
        self.root = dom.parse(page)

    @cached_property
    def _links(self) -> list[tuple[object, str]]:
        """(anchor, absolute URL) for every link on the page, in order."""
        out = []
        for a in self.root.iter("a", "link"):
            url = absolute(self.url, a.get("href"))
            if url:
                out.append((a, url))
        return out

    @cached_property
    def articles(self) -> list[ListedArticle]:
        """Every article linked from the page, once, in page order, with its printed date."""
        items = ItemScopes(self.root, self.url)
        return [ListedArticle(url, self._date_near(anchors, items)) for url, anchors in items.links.items()
                if is_site_url(url)]

    @staticmethod
    def _date_near(anchors, items: ItemScopes) -> Timestamp | None:
        """The date printed in the item that holds one of the article's links."""
        for a in anchors:
            ts = date_in(dom.lines_of(items.scope(a)))
            if ts is not None:
                return ts
        return None

    @cached_property
    def feeds(self) -> list[str]:
        """The RSS (or Atom) feeds the page links to with `<link rel="alternate">`."""
        return list(dict.fromkeys(
            url for a, url in self._links if a.tag == "link" and "alternate" in (a.get("rel") or "").lower()
            and (a.get("type") or "").lower() in ("application/rss+xml", "application/atom+xml") and is_site_url(url)))

    @cached_property
    def page_info(self) -> platform.PageInfo | None:
        return platform.page_info(self.root)

    @cached_property
    def section_ids(self) -> dict[str, str]:
        """Section path → the platform's id for it, from the menu and from this page's page_info."""
        ids = platform.menu_sections(self.root, self.url)
        ids.update((k, v) for k, v in platform.labelled_sections(self.root, self.url).items() if k not in ids)
        info = self.page_info
        if info is not None and info.cate_id and info.cate_url:
            ids.setdefault(info.cate_url.strip("/"), info.cate_id)
        return ids

    @cached_property
    def more(self) -> dict[str, int]:
        """Section id → the offset of its "Xem thêm" button: the listing API holds more from there."""
        return dict(platform.more_buttons(self.root))

    @cached_property
    def categories(self) -> list[str]:
        """Listing URLs of the sections this page links to: from its navigation, and from the
        category paths of the articles it links to (so a section missing from the menu is found)."""
        out: dict[str, None] = {}
        for a, url in self._links:
            if a.tag != "a" or not is_crawlable(url) or parse_article_url(url) is not None:
                continue
            if urlsplit(url).query or _CLIMBS.search(a.get("href") or ""):
                continue
            cat = category_of(url)
            if cat and cat.count("/") <= 2 and not _NOT_CATEGORY.search(cat) and _in_navigation(a):
                out.setdefault(_listing_url(url, cat), None)
        for item in self.articles:
            ref = parse_article_url(item.url)
            if ref is not None:
                out.setdefault(_listing_url(item.url, ref.category), None)
        return list(out)

    @cached_property
    def next_page(self) -> str | None:
        """The next page of this listing, or None on the last page."""
        current = page_number(self.url)
        category = category_of(self.url)
        candidates = []
        for a, url in self._links:
            if not is_crawlable(url) or parse_article_url(url) is not None:
                continue
            url = canonicalize(url)
            if category_of(url) != category or url == self.url:
                continue
            number = page_number(url)
            if number <= current:
                continue  # this page again, or back: a pagination trap, even when marked rel=next
            rel = (a.get("rel") or "").lower().split()
            text = dom.text_of(a).lower() if a.tag == "a" else ""
            title = (a.get("title") or a.get("aria-label") or "").strip().lower()
            if "next" in rel:
                candidates.append((0, url))
            elif number == current + 1 and (text in NEXT_PAGE_TEXTS or title in NEXT_PAGE_TEXTS
                                             or "next" in title or "sau" in title):
                candidates.append((1, url))
            elif number == current + 1 and text == str(current + 1):
                candidates.append((2, url))
            elif number == current + 1:
                candidates.append((3, url))
        if not candidates:
            return None
        best = min(candidates)[1]
        return best if page_number(best) > current else None


def _listing_url(url: str, category: str) -> str:
    return canonicalize(f"https://{urlsplit(canonicalize(url)).hostname}/{category}")


def _in_navigation(a) -> bool:
    """A link in a menu, header or nav: where a site lists its sections."""
    for anc in a.iterancestors():
        if anc.tag in ("nav", "header"):
            return True
        if dom.class_words(anc) & NAVIGATION_CLASS_WORDS:
            return True
    return False
