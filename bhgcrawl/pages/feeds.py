"""Sitemaps and RSS feeds → article URLs with a date hint. Pure.

Sitemaps (named in robots.txt): a sitemap index lists sitemaps, a `urlset` lists pages with their
`lastmod`; either may be gzipped. RSS feeds (linked from the pages' `<link rel="alternate">`) list items
with their `pubDate`. Both are extra channels besides the section listings: they reach articles a
section's first HTML page no longer prints. Read with Scrapy's own sitemap parser and lxml, never
with entities resolved (no XML bomb gets expanded).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from bhgcrawl.dates import Timestamp, parse_timestamp, site_time
from bhgcrawl.pages.listing import ListedArticle
from bhgcrawl.urls import is_site_url, parse_article_url

# A sitemap is at most 50 MB uncompressed (sitemaps.org); what inflates beyond that is refused.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class SitemapFile:
    sitemaps: list[str]  # child sitemaps of an index
    articles: list[ListedArticle]  # article pages of a urlset, with their lastmod


def _hint(value) -> Timestamp | None:
    return site_time(parse_timestamp(value)) if isinstance(value, str) else None


def read_sitemap(body: bytes) -> SitemapFile:
    """A sitemap or sitemap index, gzipped or not; a broken or empty one lists nothing."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
        except (OSError, EOFError, ValueError):
            return SitemapFile([], [])
    try:
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, StopIteration, ValueError):
        return SitemapFile([], [])
    locs = [(entry.get("loc", "").strip(), entry.get("lastmod")) for entry in sitemap]
    if sitemap.type == "sitemapindex":
        return SitemapFile([loc for loc, _ in locs if is_site_url(loc)], [])
    return SitemapFile([], _articles(locs, modified=True))


def read_rss(body: bytes) -> list[ListedArticle]:
    """The articles an RSS 2.0 (or Atom) feed lists, with their publication dates."""
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    found = []
    for item in root.iter("item", "{http://www.w3.org/2005/Atom}entry"):
        link = item.findtext("link") or next((el.get("href") for el in item.iter("{http://www.w3.org/2005/Atom}link")),
                                              None)
        when = item.findtext("pubDate") or item.findtext("{http://www.w3.org/2005/Atom}published")
        found.append(((link or "").strip(), when))
    return _articles(found)


def _articles(pairs, modified: bool = False) -> list[ListedArticle]:
    """Site article URLs once each, dated (RSS: published) or hinted (sitemaps: last modified)."""
    out, seen = [], set()
    for url, when in pairs:
        ref = parse_article_url(url) if is_site_url(url) else None
        if ref is None or ref.url in seen:
            continue
        seen.add(ref.url)
        out.append(ListedArticle(ref.url, None, _hint(when)) if modified else ListedArticle(ref.url, _hint(when)))
    return out
