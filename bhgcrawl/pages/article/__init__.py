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

from bhgcrawl import platform
from bhgcrawl.byline import Byline, agrees, merge, parse_byline
from bhgcrawl.dates import Timestamp
from bhgcrawl.pages.article import dating, labels
from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.pages.article.authors import byline_elsewhere
from bhgcrawl.pages.article.body import Body, read_body
from bhgcrawl.pages.article.lead import Lead, find_lead, lead_event_date
from bhgcrawl.pages.article.media import Picture, pictures
from bhgcrawl.pages.article.related import related
from bhgcrawl.record import is_media


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
    def pictures(self) -> list[Picture]:
        return pictures(self.page)

    @cached_property
    def images(self) -> list[dict]:
        return [p.record() for p in self.pictures]

    @cached_property
    def body(self) -> Body:
        return read_body(self.page, self.lead, self.pictures)

    @cached_property
    def header_byline(self) -> Byline | None:
        """The template's author in the header (`div.date_time span.author`)."""
        el = self.page.platform.author
        return parse_byline(self.page.text_of(el)) if el is not None else None

    @cached_property
    def byline(self) -> Byline | None:
        """The closing byline and the header's author are one credit when they agree, both when they
        do not; a page with only one of them has that one; else a byline printed elsewhere."""
        closing, header = self.body.byline, self.header_byline
        if closing is not None and header is not None:
            return closing if agrees(closing, header) else merge(closing, header)
        return closing or header or byline_elsewhere(self.page, self.lead)

    @cached_property
    def tags(self) -> list[str]:
        found = platform.tags(self.page.root)
        return found if found is not None else labels.tags(self.page)

    def layers(self) -> dict[str, str]:
        """Which reading gave the title, the publication time and the authors: `platform` (the CMS's
        own structure, checked), `layered` (the layout-independent reading) or `url` (only the URL's
        month was known). A template change shows as a shift from one to the other."""
        out = {}
        if self.title:
            out["title"] = "platform" if self.page.platform_headline is not None else "layered"
        if self.published is not None:
            out["published"] = ("platform" if dating.platform_published(self.page) is not None
                                else "url" if self.published.precision == "month" else "layered")
        if self.byline is not None and self.byline.authors:
            out["authors"] = "platform" if self.header_byline is not None else "layered"
        return out

    def counts(self) -> list[str]:
        """The stats this page adds to the run: which layer gave each field, what page_info contradicts."""
        return [f"bhg/layer/{field}/{layer}" for field, layer in self.layers().items()] + \
            [f"bhg/platform/{what}_mismatch" for what in self.mismatches()]

    def mismatches(self) -> list[str]:
        """What the platform's hidden page_info says that the page's URL contradicts."""
        info, ref = self.page.page_info, self.page.ref
        return ["article_id"] if info is not None and ref is not None and info.id_matches(ref.article_id) is False \
            else []

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
            "publisher": labels.publisher(self.page, published),
            "title": self.title,
            "published": published.isoformat() if published else None,
            "published_precision": published.precision if published else None,
            "modified": modified.isoformat() if modified else None,
            "lead": self.lead.text,
            "event_date": event.isoformat() if event else None,
            # A video has no text to be empty: null, where a text article without text has "".
            "body": "\n\n".join(self.body.paragraphs) or (None if is_media(ref.category if ref else None) else ""),
            "byline": byline.text if byline else None,
            "authors": list(byline.authors) if byline else [],
            "credits": [dict(c) for c in byline.credits] if byline else [],
            "source": byline.source if byline else None,
            "images": self.images,
            "related": related(self.page),
            "tags": self.tags,
        }
