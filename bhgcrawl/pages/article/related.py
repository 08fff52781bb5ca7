"""The "Cùng chuyên mục" items: other articles the page lists under a related heading, with their dates
(a date-time, and how much of it the item printed: `minute`, or `day` at 00:00)."""

from __future__ import annotations

from bhgcrawl.dates import date_in
from bhgcrawl.pages import dom
from bhgcrawl.pages.article.anatomy import RELATED_KEYS, Anatomy, block_after_heading
from bhgcrawl.pages.scope import ItemScopes
from bhgcrawl.text import clean
from bhgcrawl.urls import absolute, parse_article_url, same_paper


def related(page: Anatomy) -> list[dict]:
    heading = next((owner for owner, _line, k in page.section_headings if k in RELATED_KEYS), None)
    if heading is None:
        return []
    items, seen = [], {page.url}
    for region in block_after_heading(heading):
        scopes = ItemScopes(region, page.url)
        for url, links in scopes.links.items():
            if url in seen or not same_paper(url, page.url):
                continue
            seen.add(url)
            scope = scopes.scope(links[0])
            # Always a date-time, as the record's own `published`: a day printed alone is its midnight.
            ts = date_in(page.lines_of(scope))
            items.append({"url": url, "title": _link_title(scope, url, page.url),
                          "published": ts.isoformat() if ts else None,
                          "published_precision": ts.precision if ts else None})
    return items


def _link_title(scope, url: str, page_url: str) -> str | None:
    """The longest text among the links to `url` (an image link and a title link share a URL), a link
    without text read by its `title`."""
    best = ""
    for a in scope.iter("a"):
        href = absolute(page_url, a.get("href"))
        ref = parse_article_url(href) if href else None
        if ref is not None and ref.url == url:
            text = dom.text_of(a) or clean(a.get("title"))
            if len(text) > len(best):
                best = text
    return best or None
