"""An article page → the fields of one record. Pure: no Scrapy, no network.

Every field is layered, strongest evidence first, because the live markup is unknown and will
change: structured metadata (JSON-LD, <meta>), then the page's own structure judged by meaning
(`anatomy`: the headline, the block with the most prose, headings such as "Cùng chuyên mục"), then
text patterns near a known anchor (the timestamp line under the headline, the byline as the last
short body line). A layer's answer is checked against the URL where the URL knows something (its
yyyymm) before it is believed.

    anatomy   the page's structure: lines, chrome, headline, container, where the text stops, blocks
    dating    published, modified          lead      the lead and its event date
    media     images and captions          body      the text and its closing byline
    authors   a byline printed elsewhere   related   the "Cùng chuyên mục" items
    labels    section name, tags, language
"""

from __future__ import annotations

from functools import cached_property

from parsel import Selector

from bhgcrawl.byline import Byline
from bhgcrawl.dates import Timestamp
from bhgcrawl.pages.article import dating, labels
from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.pages.article.authors import byline_elsewhere
from bhgcrawl.pages.article.body import Body, read_body
from bhgcrawl.pages.article.lead import Lead, find_lead, lead_event_date
from bhgcrawl.pages.article.media import images
from bhgcrawl.pages.article.related import related


class ArticlePage:
    """The fields of one article page; `url` is the canonical site URL of the page."""

    def __init__(self, url: str, page: str | Selector):
        self.page = Anatomy(url, page)
        self.url = self.page.url

    @cached_property
    def title(self) -> str | None:
        headline = self.page.headline
        text = self.page.text_of(headline) if headline is not None else ""
        return text or next(iter(self.page.structured_titles), None)

    @cached_property
    def published(self) -> Timestamp | None:
        return dating.published(self.page)

    @cached_property
    def modified(self) -> Timestamp | None:
        return dating.modified(self.page, self.published)

    @cached_property
    def lead(self) -> Lead:
        return find_lead(self.page, self.published)

    @cached_property
    def images(self) -> list[dict]:
        return images(self.page)

    @cached_property
    def body(self) -> Body:
        return read_body(self.page, self.lead, self.images)

    @cached_property
    def byline(self) -> Byline | None:
        return self.body.byline or byline_elsewhere(self.page, self.lead)

    def to_record(self) -> dict:
        """The record's fields (without the stamps of a fetch: `record.stamp` adds those)."""
        ref, published, modified, byline = self.page.ref, self.published, self.modified, self.byline
        event = lead_event_date(self.lead.text, published)
        return {
            "url": self.url,
            "article_id": ref.article_id if ref else None,
            "category": ref.category if ref else None,
            "category_name": labels.category_name(self.page, self.title),
            "language": labels.language(self.page),
            "title": self.title,
            "published": published.isoformat() if published else None,
            "published_precision": published.precision if published else None,
            "modified": modified.isoformat() if modified else None,
            "lead": self.lead.text,
            "event_date": event.isoformat() if event else None,
            "body": "\n\n".join(self.body.paragraphs),
            "byline": byline.text if byline else None,
            "authors": list(byline.authors) if byline else [],
            "credits": [dict(c) for c in byline.credits] if byline else [],
            "source": byline.source if byline else None,
            "images": self.images,
            "related": related(self.page),
            "tags": labels.tags(self.page),
        }
