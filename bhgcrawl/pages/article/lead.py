"""The lead: the paragraph that opens the article, without the paper's mark, and the event date it names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bhgcrawl.dates import Timestamp
from bhgcrawl.event_dates import event_date
from bhgcrawl.pages import dom
from bhgcrawl.pages.article.anatomy import Anatomy, first_text
from bhgcrawl.text import clean, key
from bhgcrawl.vocab import LEAD_CLASS_WORDS, LEAD_MARK


@dataclass(frozen=True)
class Lead:
    el: object | None
    printed: str | None  # as the page prints it, the paper's mark included

    @property
    def text(self) -> str | None:
        """The lead without the paper's mark (`BHG - `, `HGĐT- `)."""
        return (LEAD_MARK.sub("", self.printed).strip() or None) if self.printed else None


NO_LEAD = Lead(None, None)


def find_lead(page: Anatomy, published: Timestamp | None) -> Lead:
    """A lead-classed element, the marked paragraph, or the first paragraph when the page's
    description, its bold face or its opening date says it is the lead."""
    start = page.order.get(page.headline, -1) if page.headline is not None else -1
    for el in page.root.iter("p", "div", "h2", "h3", "span", "strong", "section"):
        pos = page.order.get(el, 0)
        if pos <= start or pos >= page.stop_position or el in page.boilerplate:
            continue
        if dom.class_words(el) & LEAD_CLASS_WORDS or el.get("itemprop") == "description":
            text = page.text_of(el)
            if len(text) >= 20 and (not dom.has_block_child(el) or len(page.lines_of(el)) <= 2):
                if not any(d.tag in dom.BLOCK_TAGS for d in el.iterdescendants()):
                    return Lead(el, text)
                # An unclosed tag (`<div class="sapo"><b>…` never closed) put the article
                # inside the lead's element: the lead is its first line only.
                first = page.lines_of(el)[0]
                if len(first) >= 40:
                    return Lead(el, first)
    paragraphs = page.paragraphs
    # The marked paragraph (BHG - …) anywhere before the prose ends.
    for b in paragraphs[:3]:
        if LEAD_MARK.match(b.text):
            return Lead(b.el, b.text)
    for owner, text in page.lines[(page.headline_line or 0) + 1:][:20]:
        if LEAD_MARK.match(text) and len(text) > 40 and owner not in page.boilerplate and page.before_stop(owner):
            return Lead(owner, text)
    if paragraphs:
        first = paragraphs[0]
        description = first_text([page.ld.get("description")]) or first_text(page.meta.get("og:description")) \
            or first_text(page.meta.get("description"))
        bold = "".join(page.text_of(b) for b in first.el.iter("strong", "b"))
        if description and key(first.text)[:60] == key(LEAD_MARK.sub("", clean(description)))[:60]:
            return Lead(first.el, first.text)
        if len(bold) >= 0.9 * len(first.text) and len(paragraphs) > 1:
            return Lead(first.el, first.text)
        # News style: a first paragraph that opens with the event's date ("Chiều 26.1, …") is the lead.
        if len(paragraphs) > 1 and len(first.text) <= 600 and published is not None \
                and event_date(first.text, published.value) is not None:
            return Lead(first.el, first.text)
    return NO_LEAD


def lead_event_date(lead: str | None, published: Timestamp | None) -> date | None:
    """The date the lead opens with ("Chiều 26.1, …"), its year from the article's date."""
    if not lead or published is None:
        return None
    reference = published.value
    if published.precision == "month":
        # Only the month is known: the article may be from its last day.
        reference = (reference + timedelta(days=32)).replace(day=1) - timedelta(seconds=1)
    return event_date(lead, reference)
