"""The item a link belongs to, on a page of many items (a listing entry, a "Cùng chuyên mục" card).

An item is the largest ancestor of its link that holds no link to another article: the title link,
the picture link to the same article, its date and its lead are inside it, the next item is not.
"""

from __future__ import annotations

from bhgcrawl.urls import absolute, parse_article_url


class ItemScopes:
    """The article links under `container` (page order, once per article) and their items."""

    def __init__(self, container, page_url: str):
        self.container = container
        self.links: dict[str, list] = {}  # canonical article URL → its <a> elements, in page order
        self._below: dict = {}  # element → the article URLs linked beneath it (computed once: no quadratic walk)
        for a in container.iter("a"):
            href = absolute(page_url, a.get("href"))
            ref = parse_article_url(href) if href else None
            if ref is None:
                continue
            self.links.setdefault(ref.url, []).append(a)
            for node in (a, *a.iterancestors()):
                self._below.setdefault(node, set()).add(ref.url)
                if node is container:
                    break

    def scope(self, link):
        """The largest ancestor of `link`, up to `container`, that holds no other article's link."""
        scope = link
        if link is self.container:
            return scope
        for anc in link.iterancestors():
            if len(self._below[anc]) > 1:
                break
            scope = anc
            if anc is self.container:
                break
        return scope
