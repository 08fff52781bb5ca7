"""What the page says the article is filed under: its section's name, its tags, its language."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from bhgcrawl.dates import Timestamp
from bhgcrawl.pages import dom
from bhgcrawl.pages.article.anatomy import Anatomy, first_text
from bhgcrawl.text import clean, key, keys
from bhgcrawl.urls import SITE_HOSTS, absolute, canonicalize, same_paper
from bhgcrawl.vocab import (
    HA_GIANG,
    HOME_LINKS,
    MERGER_DAY,
    PAPERS,
    SIDEBAR_CLASS_WORDS,
    SITE_NAME_SUFFIX,
    TAG_CLASS_WORDS,
    TAG_LABEL,
)

_HOME_KEYS = keys(HOME_LINKS)


def category_name(page: Anatomy, title: str | None) -> str | None:
    """The breadcrumb's last section (not the headline), a link to the category listing, or metadata."""
    category = page.ref.category if page.ref else None
    for el in page.root.iter(etree.Element):
        words = dom.class_words(el)
        if "breadcrumb" in words or "breadcrumbs" in words or "BreadcrumbList" in (el.get("itemtype") or ""):
            names = [page.text_of(a) for a in el.iter("a") if page.text_of(a)]
            names = [n for n in names if key(n) not in _HOME_KEYS and (title is None or key(n) != key(title))]
            if names:
                return names[-1]
    if category:
        best = None
        for a in page.root.iter("a"):
            href = absolute(page.url, a.get("href"))
            if not href or not same_paper(href, page.url):
                continue
            path = urlsplit(canonicalize(href, keep_query=False)).path.strip("/")
            text = page.text_of(a)
            if path.lower() == category.lower() and 0 < len(text) <= 50:
                best = best or text
                if a not in page.boilerplate:
                    return text
        if best:
            return best
    for value in (page.ld.get("articleSection"), first_text(page.meta.get("article:section"))):
        if isinstance(value, list):
            value = value[-1] if value else None
        if isinstance(value, str) and value.strip():
            return clean(value)
    return None


def tags(page: Anatomy) -> list[str]:
    """The article's own tag list ("Từ khóa: …", rel=tag links); a site-wide tag cloud is not."""
    region = page.region
    if region is None:
        return []
    found: list[str] = []
    for el in dom.iter_pruned(region, _is_sidebar):
        if el.tag == "a" and "tag" in (el.get("rel") or "").split():
            found.append(page.text_of(el))
        elif not found and el.tag != "a" and dom.class_words(el) & TAG_CLASS_WORDS and el.find(".//a") is not None:
            found.extend(page.text_of(a) for a in el.iter("a"))
    if not found:
        inside = set(region.iter())
        for owner, text in page.lines:
            if owner in inside and TAG_LABEL.match(text):
                links = [page.text_of(a) for a in owner.iter("a")]
                found = links or re.split(r"\s*[,;]\s*", TAG_LABEL.sub("", text))
                break
    out, seen = [], set()
    for t in found:
        t = TAG_LABEL.sub("", t).strip(" ,;#")
        if t and key(t) not in seen and len(t) <= 80:
            seen.add(key(t))
            out.append(t)
    return out


def language(page: Anatomy) -> str:
    if page.ref is not None:
        return page.ref.language
    lang = (page.root.get("lang") or "").lower()
    return "en" if lang.startswith("en") else "vi"


def publisher(page: Anatomy, published: Timestamp | None) -> str | None:
    """The paper that published the article: Báo Hà Giang for what its hosts (the successor's too)
    published before the merger, otherwise the paper the page names (og:site_name, the <title>'s
    ending) or its host's paper."""
    host = urlsplit(page.url).hostname or ""
    if host in SITE_HOSTS and published is not None and published.value.date().isoformat() < MERGER_DAY:
        return HA_GIANG
    named = first_text(page.meta.get("og:site_name"))
    if not named:
        title = page.root.find(".//title")
        m = SITE_NAME_SUFFIX.search(clean(title.text)) if title is not None and title.text else None
        named = m.group(1) if m else None
    paper = next((p for p in set(PAPERS.values()) if named and key(p) == key(named)), None)
    return paper or PAPERS.get(host)


def _is_sidebar(el) -> bool:
    return el.tag == "aside" or bool(dom.class_words(el) & SIDEBAR_CLASS_WORDS)
