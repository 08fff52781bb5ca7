"""When the article was published and modified: structured metadata first, then the timestamp line.

A date is believed only if the site can have printed it (`dates.site_time`), and only within two
months of the URL's yyyymm when the URL has one; with none, the URL's month is the date.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bhgcrawl.dates import (
    Timestamp,
    find_timestamp,
    line_date,
    month_timestamp,
    parse_timestamp,
    site_time,
    time_of_day,
)
from bhgcrawl.pages import dom
from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.urls import absolute, parse_article_url
from bhgcrawl.vocab import MODIFIED_META, PUBLISHED_META

_BARE_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")


def line_timestamp(text: str) -> Timestamp | None:
    """A timestamp line: `09:01, 28/01/2024`, `Cập nhật lúc …`, `Thứ Hai, 20/05/2019, 15:43 (GMT+7)`,
    or a short line holding a date (a long line's bare date belongs to its text)."""
    if len(text) > 60:
        return find_timestamp(text)
    ts = line_date(text)
    if ts is not None and ts.precision == "day":
        # "Đăng lúc 9h01 ngày 28/1/2024": the time printed apart from the date.
        t = time_of_day(_BARE_DATE.sub(" ", text))
        if t is not None:
            ts = Timestamp(ts.value.replace(hour=t[0], minute=t[1]), "minute")
    return ts


def plausible(page: Anatomy, ts: Timestamp | None) -> Timestamp | None:
    """`ts` if the site can have printed it and it lies within two months of the URL's yyyymm."""
    ts = site_time(ts)
    if ts is None or page.ref is None:
        return ts
    month = month_timestamp(page.ref.yyyymm)
    if month is None:
        return ts
    low = month.value - timedelta(days=62)
    high = month.value + timedelta(days=93)
    return ts if low <= ts.value <= high else None


def platform_published(page: Anatomy) -> Timestamp | None:
    """The template's printed time (`div.date_time div.date`), believed within the URL's months."""
    el = page.platform.date
    return plausible(page, line_timestamp(page.text_of(el))) if el is not None else None


def published(page: Anatomy) -> Timestamp | None:
    ts = platform_published(page)
    if ts is not None:
        return ts
    for ts in _published_candidates(page):
        ts = plausible(page, ts)
        if ts is not None:
            return ts
    return month_timestamp(page.ref.yyyymm) if page.ref else None


def _published_candidates(page: Anatomy):
    value = page.ld.get("datePublished") or page.ld.get("dateCreated")
    if isinstance(value, str):
        yield parse_timestamp(value)
    for name in PUBLISHED_META:
        for value in page.meta.get(name, ()):
            yield parse_timestamp(value)
    line_ts = _timestamp_line(page)
    for el in page.root.iter("time"):
        if el not in page.boilerplate and el.get("datetime"):
            if line_ts is None or page.before_stop(el):
                yield parse_timestamp(el.get("datetime"))
                break
    yield line_ts


def _timestamp_line(page: Anatomy) -> Timestamp | None:
    """The timestamp printed next to the headline: below it first, then just above it."""
    lines = page.lines
    anchor = page.headline_line
    if anchor is None:
        first = page.paragraphs[0].el if page.paragraphs else None
        anchor = next((i for i, (o, _t) in enumerate(lines) if o is first), None)
        if anchor is None:
            return None
        # Above the first paragraph, then the first short lines themselves (a dateline set as
        # the text's first block), never into the prose.
        ahead = []
        for i in range(anchor, min(anchor + 3, len(lines))):
            if len(lines[i][1]) > 60:
                break
            ahead.append(i)
        directions = [range(anchor - 1, max(anchor - 12, -1), -1), ahead]
    else:
        directions = [range(anchor + 1, min(anchor + 14, len(lines))), range(anchor - 1, max(anchor - 6, -1), -1)]
    for indexes in directions:
        for i in indexes:
            owner, text = lines[i]
            if len(text) > 200:
                break  # prose: a date beyond it belongs to the text, not to the page
            if _links_another_article(page, owner):
                continue  # an item of a list ("Tin mới"): its date is that article's
            ts = line_timestamp(text)
            if ts is not None and plausible(page, ts) is not None:
                return ts
    return None


def _links_another_article(page: Anatomy, owner) -> bool:
    """Whether the line of `owner` (its own text, not that of the blocks inside it) links to another
    article: an item of a list of articles, not the page's dateline."""
    for el in dom.iter_pruned(owner, lambda el: el.tag in dom.BLOCK_TAGS):
        if el.tag == "a":
            ref = parse_article_url(absolute(page.url, el.get("href")) or "")
            if ref is not None and ref.url != page.url:
                return True
    return False


def modified(page: Anatomy, published_ts: Timestamp | None) -> Timestamp | None:
    """The update time the page states, when later than `published_ts`."""
    candidates = [page.ld.get("dateModified")] + [v for name in MODIFIED_META for v in page.meta.get(name, ())]
    for value in candidates:
        if isinstance(value, str):
            ts = site_time(parse_timestamp(value))
            if ts is not None:
                return ts if published_ts is None or ts.value > published_ts.value else None
    return None
