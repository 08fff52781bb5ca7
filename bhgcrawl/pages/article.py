"""An article page → the fields of one record. Pure: no Scrapy, no network.

Every field is layered, strongest evidence first, because the live markup is unknown and will
change: structured metadata (JSON-LD, <meta>, <link rel=canonical>), then the page's own
structure judged by meaning (the headline, the text block with the most prose, headings such as
"Cùng chuyên mục"), then text patterns near a known anchor (the timestamp line under the
headline, the byline as the last short body line). A layer's answer is checked against the URL
where the URL knows something (its yyyymm) before it is believed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from functools import cached_property, lru_cache
from urllib.parse import urlsplit, urlunsplit

from lxml import etree
from parsel import Selector

from bhgcrawl import byline as bylines
from bhgcrawl.dates import (
    Timestamp,
    date_in,
    event_date,
    find_timestamp,
    line_date,
    month_timestamp,
    parse_timestamp,
    site_time,
)
from bhgcrawl.pages import dom
from bhgcrawl.text import clean, search_key
from bhgcrawl.urls import absolute, canonicalize, is_site_url, parse_article_url, site_host

ARTICLE_LD_TYPES = {"newsarticle", "article", "reportagenews", "blogposting", "analysisnewsarticle",
                    "videoobject", "webpage", "opinionnewsarticle", "backgroundnewsarticle"}
# The paper's mark before the lead: HGĐT- (2012–2014), BHG - / BHG- (2016 on).
LEAD_MARK = re.compile(r"^\s*(?:\(?\s*(?:BHG|HGĐT|HGDT|BÁO HÀ GIANG)\s*\)?\s*[-–—:]+\s*)", re.I)
_LEAD_WORDS = {"sapo", "lead", "summary", "description", "desc", "chapeau", "excerpt", "intro",
               "tomtat", "abstract", "teaser", "standfirst"}
_AUTHOR_WORDS = {"author", "authors", "byline", "tacgia", "writer", "reporter", "nguoiviet"}
_CAPTION_WORDS = {"caption", "figcaption", "imgcaption", "chuthich", "image", "img", "photo", "pic",
                  "desc", "note", "expnoedit", "picture"}
_TAG_WORDS = {"tag", "tags", "tukhoa", "keyword", "keywords", "topic", "topics"}
_SITE_NAME = re.compile(r"\s*[-|–—:]\s*(Báo Hà Giang|Bao Ha Giang|baohagiang\.vn|BHG|Báo Tuyên Quang)[^-|–—]*$", re.I)


def _key(text: str) -> str:
    """Comparison key that ignores case, tone placement and punctuation."""
    # Menu items, headings and labels repeat on every page and are short; titles and paragraphs
    # are each seen once, and caching them would only fill the cache.
    return _short_key(text) if len(text) <= 40 else _key_of(text)


def _key_of(text: str) -> str:
    return _NOT_WORD.sub(" ", search_key(text)).strip()


_NOT_WORD = re.compile(r"[^\w\u0300-\u036f]+")
_short_key = lru_cache(maxsize=4096)(_key_of)


# Headings after which nothing is the article's own text.
_STOP_HEADINGS = {_key(x) for x in (
    "Ý kiến bạn đọc", "Bình luận", "Gửi bình luận", "Viết bình luận", "Ý kiến", "Cùng chuyên mục",
    "Tin cùng chuyên mục", "Bài cùng chuyên mục", "Tin liên quan", "Bài liên quan", "Các tin khác",
    "Tin khác", "Các bài khác", "Đọc nhiều", "Tin đọc nhiều", "Xem nhiều", "Tin mới", "Tin mới nhất",
    "Có thể bạn quan tâm", "Xem thêm", "Related news", "Related articles", "Related", "Comments",
    "Other news", "Most read", "Your comment", "Reader comments", "Tin tức khác",
)}
_RELATED_HEADINGS = {_key(x) for x in (
    "Cùng chuyên mục", "Tin cùng chuyên mục", "Bài cùng chuyên mục", "Tin liên quan", "Bài liên quan",
    "Các tin khác", "Tin khác", "Các bài khác", "Tin tức khác", "Related news", "Related articles",
    "Related", "Other news", "Same category", "Xem thêm",
)}
_SECTION_HEADINGS = _STOP_HEADINGS | _RELATED_HEADINGS
_UI_LINES = {_key(x) for x in (
    "Chia sẻ", "Share", "Tweet", "In bài", "In bài viết", "Gửi bài", "Gửi email", "Lưu", "Bình luận",
    "Quay lại", "Về đầu trang", "Trở lại", "Print", "Email", "Facebook", "Zalo", "Twitter", "Like",
    "Thích", "Xem thêm", "Nghe bài viết", "Cỡ chữ", "A-", "A+", "A", "Theo dõi", "Báo Hà Giang",
)}
_MARKUP = re.compile(r"<[a-zA-Z/!][^<>]*>")
# Places a dateline may name in capitals, which a bare-name byline must not be taken for.
_PLACES = {_key(x) for x in (
    "Hà Giang", "Tuyên Quang", "Hà Nội", "Đồng Văn", "Mèo Vạc", "Quản Bạ", "Yên Minh", "Hoàng Su Phì",
    "Xín Mần", "Bắc Quang", "Quang Bình", "Vị Xuyên", "Bắc Mê", "Việt Nam", "TP Hà Giang",
)}
# A dateline's date and time, taken out to read what is printed beside them.
_TIMESTAMP_TEXT = re.compile(
    r"(Thứ\s+\w+|Chủ\s+nhật)?[\s,]*(\d{1,2}[:hg]\d{2}\s*,?\s*)?\d{1,2}[/.-]\d{1,2}[/.-]\d{4}"
    r"(\s*,?\s*\d{1,2}[:hg]\d{2})?(\s*\(?GMT\s*\+\s*7\)?)?|(Cập nhật|Đăng)( lúc| ngày)?:?", re.I)
_TAG_LABEL = re.compile(r"^\s*(Từ khóa|Từ khoá|Tags?|Keywords?|Chủ đề)\s*:\s*", re.I)


def _strip_site_name(title: str) -> str:
    return _SITE_NAME.sub("", title).strip()


def _first(values) -> str | None:
    for v in values or ():
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


class ArticlePage:
    """Fields of one article page. `url` is the canonical site URL of the page."""

    def __init__(self, url: str, page: str | Selector):
        self.url = canonicalize(url, keep_query=False)
        self.ref = parse_article_url(self.url)
        self.root = dom.parse(page)
        dom.split_br_runs(self.root)
        self._memo: dict = {}  # element → its lines; the tree does not change after this point
        self._spans: dict = {}  # block element → its slice of `lines`, filled by the page walk

    def _lines(self, el) -> list[str]:
        lines = self._memo.get(el)
        if lines is None:
            span = self._spans.get(el) if self.lines else None
            if span is not None:  # a block of the page walk: its lines are a slice of the page's
                lines = [text for _owner, text in self.lines[span[0]:span[1]]]
            else:
                lines = dom.lines_of(el)
            self._memo[el] = lines
        return lines

    def _text(self, el) -> str:
        return " ".join(self._lines(el))

    # ---- structure ------------------------------------------------------------------------

    @cached_property
    def ld(self) -> dict:
        """The page's JSON-LD article object, or {}."""
        for obj in dom.json_ld_objects(self.root):
            if dom.ld_types(obj) & ARTICLE_LD_TYPES and (obj.get("headline") or obj.get("name")):
                return obj
        return {}

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        return dom.meta_values(self.root)

    @cached_property
    def order(self) -> dict:
        return dom.doc_order(self.root)

    @cached_property
    def chrome(self) -> set:
        """Navigation, sidebars, ads… as their tags and class names say."""
        return dom.boilerplate_elements(self.root)

    @cached_property
    def boilerplate(self) -> set:
        """`chrome`, plus every region a heading names as comments, related or most-read items,
        whatever its class names: "Cùng chuyên mục" cards can hold more prose than a short article."""
        marked = set(self.chrome)
        headline = self.headline_el
        for owner, text, key in self.section_headings:
            if key not in _STOP_HEADINGS or owner in marked:
                continue
            link = owner.find(".//a")
            if link is not None and self._text(link) == text:
                continue  # a link labelled "Bình luận" is a button, not a section's heading
            for region in [owner, *_block_after_heading(owner)]:
                if headline is not None and (region is headline or headline in set(region.iter())):
                    continue
                marked.update(e for e in region.iter() if dom.is_element(e))
        return marked

    @cached_property
    def lines(self) -> list[tuple[object, str]]:
        return dom.doc_lines(self.root, self._spans)

    @cached_property
    def section_headings(self) -> list[tuple[object, str, str]]:
        """(block, text, key) of the lines that name a section: comments, related, most read…"""
        return [(owner, text, key) for owner, text in self.lines
                if len(text) < 60 and (key := _key(text)) in _SECTION_HEADINGS]

    @cached_property
    def headline_el(self):
        """The visible headline: the <h1> (or heading) whose text matches the structured title."""
        wanted = [_key(t) for t in self._structured_titles() if t]
        headings = [h for h in self.root.iter("h1", "h2") if h not in self.chrome or h.tag == "h1"]
        texts = [(h, self._text(h)) for h in headings]
        for h, text in texts:
            if text and any(_key(text) == w for w in wanted):
                return h
        h1s = [(h, t) for h, t in texts if h.tag == "h1" and len(t) > 10 and not _SITE_NAME.match(" - " + t)]
        if wanted:
            for h, text in h1s:
                if any(w.startswith(_key(text)) or _key(text).startswith(w) for w in wanted):
                    return h
        in_content = [h for h, _ in h1s if h not in self.chrome]
        if in_content or h1s:
            return (in_content or [h for h, _ in h1s])[0]
        # A theme that prints the headline in a styled <div>: the element whose whole text is it.
        if wanted:
            for el in self.root.iter("div", "p", "span", "td", "h3", "h4", "strong", "header"):
                if el in self.chrome or any(a.tag == "a" for a in el.iterancestors()):
                    continue
                if len(el) <= 3 and _key(self._text(el)) in wanted:
                    return el
        return None

    def _structured_titles(self) -> list[str]:
        out = []
        title_el = self.root.find(".//title")
        for value in (self.ld.get("headline"), _first(self.meta.get("og:title")),
                      _first(self.meta.get("twitter:title")), title_el.text if title_el is not None else None):
            if isinstance(value, str) and value.strip():
                text = _strip_site_name(clean(value))
                # Only the site's name (a script-rendered shell) or markup (an unclosed <title>
                # swallowed the page) is no headline.
                if text and not _SITE_NAME.match(" - " + text) and not _MARKUP.search(text):
                    out.append(text)
        return out

    @cached_property
    def headline_line(self) -> int | None:
        el = self.headline_el
        if el is None:
            return None
        inside = set(el.iter())
        ancestors = set(el.iterancestors())
        title_key = _key(self._text(el))
        for i, (owner, text) in enumerate(self.lines):
            # An inline headline (<span class="title">) shares its line's block with other text.
            if owner in inside or (owner in ancestors and _key(text).startswith(title_key)):
                return i
        return None

    @cached_property
    def container(self):
        """The element holding the article's prose: the block whose paragraphs carry most text.

        Paragraphs of 40 characters or more decide (date lines and labels are shorter); a page
        with no such paragraph (a video with one line under it) is located by its short ones.
        """
        candidates = []
        for el in self.root.iter("p", "div", "td", "section", "article", "blockquote", "li"):
            if el in self.boilerplate or (el.tag != "p" and el.tag != "blockquote" and dom.has_block_child(el)):
                continue
            text = self._text(el)
            if len(text) < 10:
                continue
            link_len = sum(len(self._text(a)) for a in el.iter("a"))
            if link_len <= 0.5 * len(text):
                candidates.append((el, text))
        for minimum in (40, 10):
            scores: dict = defaultdict(float)
            for el, text in candidates:
                if len(text) < minimum:
                    continue
                # Readability's measure: many sentences beat one long block (a lead, a caption).
                weight = 1 + text.count(",") + min(len(text) / 100, 3)
                parent = el.getparent()
                if parent is not None:
                    scores[parent] += weight
                    grand = parent.getparent()
                    if grand is not None:
                        scores[grand] += weight / 2
            if scores:
                return max(scores, key=lambda e: (scores[e], -self.order.get(e, 0)))
        return None

    @cached_property
    def stop_position(self) -> int:
        """Document position of the first comments/related heading after the prose starts."""
        start = self.order.get(self.container, 0) if self.container is not None else 0
        for owner, _line, key in self.section_headings:
            pos = self.order.get(owner, 0)
            if pos > start and key in _STOP_HEADINGS and owner is not self.container:
                return pos
        return len(self.order) + 1

    # ---- blocks of the article ----------------------------------------------------------------

    @cached_property
    def blocks(self) -> list[dict]:
        """The container's units in order: {"el", "text", "kind": "p"|"figure"|"heading"}."""
        if self.container is None:
            return []
        out = []
        for el in dom.iter_text_blocks(self.container):
            if el in self.boilerplate and el is not self.container:
                continue
            if self.order.get(el, 0) >= self.stop_position:
                break
            has_img = el.tag == "img" or el.find(".//img") is not None
            text = self._text(el) if el.tag != "img" else ""
            if has_img and (el.tag in ("figure", "table", "img") or len(text) < 300
                            or dom.class_words(el) & _CAPTION_WORDS):
                out.append({"el": el, "text": text, "kind": "figure"})
            elif el.tag in ("figure", "figcaption") or (dom.class_words(el) & {"caption", "figcaption", "chuthich", "imgcaption"}):
                out.append({"el": el, "text": text, "kind": "caption"})
            elif text:
                kind = "heading" if el.tag in dom.HEADING_TAGS else "p"
                out.append({"el": el, "text": text, "kind": kind})
        return out

    # ---- fields -------------------------------------------------------------------------------

    @cached_property
    def title(self) -> str | None:
        if self.headline_el is not None:
            text = self._text(self.headline_el)
            if text:
                return text
        for t in self._structured_titles():
            if t:
                return t
        return None

    def _plausible(self, ts: Timestamp | None) -> Timestamp | None:
        """A date is believed only if the site can have printed it (site_time), and only within two
        months of the URL's yyyymm when the URL has one."""
        ts = site_time(ts)
        if ts is None or self.ref is None:
            return ts
        month = month_timestamp(self.ref.yyyymm)
        if month is None:
            return ts
        low = month.value - timedelta(days=62)
        high = month.value + timedelta(days=93)
        return ts if low <= ts.value <= high else None

    @cached_property
    def published_ts(self) -> Timestamp | None:
        for ts in self._published_candidates():
            ts = self._plausible(ts)
            if ts is not None:
                return ts
        return month_timestamp(self.ref.yyyymm) if self.ref else None

    def _published_candidates(self):
        value = self.ld.get("datePublished") or self.ld.get("dateCreated")
        if isinstance(value, str):
            yield parse_timestamp(value)
        for key in ("article:published_time", "og:published_time", "datepublished", "pubdate",
                    "publishdate", "publish-date", "date", "dc.date", "dc.date.issued",
                    "sailthru.date", "article.published", "published_time"):
            for value in self.meta.get(key, ()):
                yield parse_timestamp(value)
        line_ts = self._timestamp_line()
        for el in self.root.iter("time"):
            if el not in self.boilerplate and el.get("datetime"):
                if line_ts is None or self.order.get(el, 0) < self.stop_position:
                    yield parse_timestamp(el.get("datetime"))
                    break
        yield line_ts

    def _timestamp_line(self) -> Timestamp | None:
        """The timestamp printed next to the headline: below it first, then just above it."""
        anchor = self.headline_line
        if anchor is None:
            first = next((b["el"] for b in self.blocks if b["kind"] == "p"), None)
            anchor = next((i for i, (o, _t) in enumerate(self.lines) if o is first), None)
            if anchor is None:
                return None
            # Above the first paragraph, then the first short lines themselves (a dateline set as
            # the text's first block), never into the prose.
            ahead = []
            for i in range(anchor, min(anchor + 3, len(self.lines))):
                if len(self.lines[i][1]) > 60:
                    break
                ahead.append(i)
            directions = [range(anchor - 1, max(anchor - 12, -1), -1), ahead]
        else:
            directions = [range(anchor + 1, min(anchor + 14, len(self.lines))),
                          range(anchor - 1, max(anchor - 6, -1), -1)]
        for lines in directions:
            for i in lines:
                text = self.lines[i][1]
                if len(text) > 200:
                    break  # prose: a date beyond it belongs to the text, not to the page
                ts = _line_timestamp(text)
                if ts is not None and self._plausible(ts) is not None:
                    return ts
        return None

    @cached_property
    def modified_ts(self) -> Timestamp | None:
        candidates = [self.ld.get("dateModified")] + list(self.meta.get("article:modified_time", ())) + \
            list(self.meta.get("og:updated_time", ())) + list(self.meta.get("datemodified", ()))
        for value in candidates:
            if isinstance(value, str):
                ts = site_time(parse_timestamp(value))
                if ts is not None:
                    pub = self.published_ts
                    if pub is None or ts.value != pub.value:
                        return ts if pub is None or ts.value > pub.value else None
                    return None
        return None

    @cached_property
    def _lead_block(self) -> tuple[object | None, str | None]:
        """(element, text) of the lead: a lead-classed element, the marked paragraph, or the
        first paragraph when the page's description or its bold face says it is the lead."""
        start = self.order.get(self.headline_el, -1) if self.headline_el is not None else -1
        for el in self.root.iter("p", "div", "h2", "h3", "span", "strong", "section"):
            pos = self.order.get(el, 0)
            if pos <= start or pos >= self.stop_position or el in self.boilerplate:
                continue
            if dom.class_words(el) & _LEAD_WORDS or el.get("itemprop") == "description":
                text = self._text(el)
                if len(text) >= 20 and (not dom.has_block_child(el) or len(self._lines(el)) <= 2):
                    if not any(d.tag in dom.BLOCK_TAGS for d in el.iterdescendants()):
                        return el, text
                    # An unclosed tag (`<div class="sapo"><b>…` never closed) put the article
                    # inside the lead's element: the lead is its first line only.
                    first = self._lines(el)[0]
                    if len(first) >= 40:
                        return el, first
        paragraphs = [b for b in self.blocks if b["kind"] == "p"]
        # The marked paragraph (BHG - …) anywhere before the prose ends.
        for b in paragraphs[:3]:
            if LEAD_MARK.match(b["text"]):
                return b["el"], b["text"]
        for owner, text in self.lines[(self.headline_line or 0) + 1:][:20]:
            if LEAD_MARK.match(text) and len(text) > 40 and owner not in self.boilerplate:
                if self.order.get(owner, 0) < self.stop_position:
                    return owner, text
        if paragraphs:
            first = paragraphs[0]
            description = _first([self.ld.get("description")]) or _first(self.meta.get("og:description")) \
                or _first(self.meta.get("description"))
            bold = "".join(self._text(b) for b in first["el"].iter("strong", "b"))
            if description and _key(first["text"])[:60] == _key(LEAD_MARK.sub("", clean(description)))[:60]:
                return first["el"], first["text"]
            if len(bold) >= 0.9 * len(first["text"]) and len(paragraphs) > 1:
                return first["el"], first["text"]
            # News style: a first paragraph that opens with the event's date ("Chiều 26.1, …") is the lead.
            published = self.published_ts
            if len(paragraphs) > 1 and len(first["text"]) <= 600 and published is not None \
                    and event_date(first["text"], published.value) is not None:
                return first["el"], first["text"]
        return None, None

    @cached_property
    def lead(self) -> str | None:
        _el, text = self._lead_block
        if not text:
            return None
        return LEAD_MARK.sub("", text).strip() or None

    @cached_property
    def _body_and_byline(self) -> tuple[list[str], bylines.Byline | None]:
        lead_el, lead_text = self._lead_block
        lead_key = _key(LEAD_MARK.sub("", lead_text or ""))
        captions = {_key(c) for c in (img["caption"] for img in self.images) if c}
        captions |= {_key(img.get("alt") or "") for img in self.root.iter("img") if img.get("alt")}
        captions.discard("")
        lead_pos = self.order.get(lead_el, -1) if lead_el is not None else -1
        # Text inside the lead's element is the lead's, unless the lead is only its first line.
        lead_whole = lead_el is not None and self._text(lead_el) == lead_text
        in_lead = set(lead_el.iter()) if lead_whole else set()
        paras: list[tuple[object, str]] = []
        prev_kind = None
        for b in self.blocks:
            el, text, kind = b["el"], b["text"], b["kind"]
            if kind in ("figure", "caption"):
                prev_kind = "figure"
                continue
            if el is self.headline_el or (not paras and kind in ("p", "heading") and len(text) <= 60
                                          and _line_timestamp(text) is not None):
                continue  # the headline and the dateline above the text are never its body
            if lead_el is not None and (el is lead_el or self.order.get(el, 0) < lead_pos or el in in_lead):
                prev_kind = kind
                continue
            k = _key(text)
            if not k or k in _UI_LINES or _TAG_LABEL.match(text) or k in captions or (lead_key and k == lead_key and not paras):
                prev_kind = kind
                continue
            if prev_kind == "figure" and _caption_like(el, text):
                prev_kind = "figure"
                continue
            prev_kind = kind
            paras.append((el, text))
        # Share bars, tag lists and "print" links after the text are the page's, not the article's.
        while paras and _is_furniture(*paras[-1]):
            paras.pop()
        found = None
        # The byline is the last short body line, sometimes after a <br> in the last paragraph,
        # sometimes followed by a source line ("Nguồn: …").
        for _ in range(2):
            if not paras:
                break
            el, text = paras[-1]
            lines = self._lines(el)
            candidate = bylines.parse_byline(lines[-1]) if lines else None
            if candidate is None:
                break
            found = candidate if found is None else _merge_bylines(candidate, found)
            if len(lines) > 1:
                paras[-1] = (el, clean(" ".join(lines[:-1])))
                break
            paras.pop()
        if found is None:
            found = self._byline_elsewhere()
        return [t for _e, t in paras], found

    def _byline_elsewhere(self) -> bylines.Byline | None:
        """An author element or structured author, for pages that print no byline in the body."""
        for el in self.root.iter(etree.Element):
            if el in self.boilerplate:
                continue
            if dom.class_words(el) & _AUTHOR_WORDS or el.get("itemprop") == "author" or el.get("rel") == "author":
                text = self._text(el)
                if 2 <= len(text) <= 120:
                    found = bylines.parse_byline(text) or bylines.parse_byline(
                        re.sub(r"^(Tác giả|Author|By)\s*:?\s*", "", text, flags=re.I))
                    if found:
                        return found
        found = self._byline_under_headline()
        if found is not None:
            return found
        authors = self.ld.get("author")
        names = []
        for a in authors if isinstance(authors, list) else [authors]:
            if isinstance(a, dict) and "person" in dom.ld_types(a) and isinstance(a.get("name"), str):
                names.append(a["name"])
            elif isinstance(a, str):
                names.append(a)
        names = [n for n in names if n.strip() and not _SITE_NAME.match(" - " + n)]
        if names:
            return bylines.parse_byline(" - ".join(names))
        return None

    def _byline_under_headline(self) -> bylines.Byline | None:
        """A byline printed with the dateline, between the headline and the lead:
        `Tin, ảnh: LÊ HẢI`, or `LÊ HẢI | 18:34, 05/03/2021` with the time taken out."""
        anchor = self.headline_line
        if anchor is None:
            return None
        lead_el = self._lead_block[0]
        for owner, text in self.lines[anchor + 1:anchor + 8]:
            if owner is lead_el or len(text) > 120:
                break
            rest = _TIMESTAMP_TEXT.sub(" | ", text)
            # The whole line, then each of its "|"-separated parts (a view count may sit beside it).
            for part in [rest, *re.split(r"[|·•]", rest)]:
                part = re.sub(r"^[\s|·•,–—-]+|[\s|·•,–—-]+$", "", part)
                found = bylines.parse_byline(part) if part else None
                if found is None or not (found.authors or found.source):
                    continue
                # A dateline also carries places and sections ("Hà Giang", "Xã hội"): only a
                # labelled byline (Tin, ảnh: …) or a name in capitals that is no place is believed.
                labelled = ":" in part or part.lower().startswith(("theo ", "by "))
                if labelled or (part.isupper() and _key(part) not in _PLACES):
                    return found
        return None

    @property
    def body(self) -> str:
        return "\n\n".join(self._body_and_byline[0])

    @property
    def byline(self) -> bylines.Byline | None:
        return self._body_and_byline[1]

    @cached_property
    def images(self) -> list[dict]:
        if self.container is None:
            return []
        out, seen = [], set()
        for img in self.container.iter("img"):
            if img in self.boilerplate or self.order.get(img, 0) >= self.stop_position:
                continue
            src = None
            for attr in ("data-src", "data-original", "data-lazy-src", "data-srcset", "srcset", "src"):
                value = (img.get(attr) or "").strip()
                if value and not value.startswith("data:"):
                    src = value.split(",")[0].split()[0] if "srcset" in attr else value
                    break
            url = _image_url(self.url, src)
            if not url or url in seen or re.search(r"(logo|icon|blank|spacer|pixel|avatar)[^/]*$", url, re.I):
                continue
            seen.add(url)
            caption = _image_caption(img)
            out.append({"url": url, "caption": caption,
                        "credit": bylines.caption_credit(caption) if caption else None})
        return out

    @cached_property
    def related(self) -> list[dict]:
        heading = next((owner for owner, _line, key in self.section_headings if key in _RELATED_HEADINGS), None)
        if heading is None:
            return []
        block = _block_after_heading(heading)
        items, seen = [], {self.url}
        for region in block:
            for a in region.iter("a"):
                url = absolute(self.url, a.get("href"))
                ref = parse_article_url(url) if url else None
                if ref is None or ref.url in seen:
                    continue
                seen.add(ref.url)
                scope = _item_scope(a, region, ref.url, self.url)
                title = _link_title(scope, ref.url, self.url) or clean(a.get("title"))
                ts = date_in(self._lines(scope))
                when = (ts.isoformat() if ts.precision == "minute" else ts.value.date().isoformat()) if ts else None
                items.append({"url": ref.url, "title": title or None, "published": when})
        return items

    @cached_property
    def category_name(self) -> str | None:
        category = self.ref.category if self.ref else None
        # The breadcrumb's last section (not the headline), then a link to the category listing.
        for el in self.root.iter(etree.Element):
            words = dom.class_words(el)
            if "breadcrumb" in words or "breadcrumbs" in words or "BreadcrumbList" in (el.get("itemtype") or ""):
                names = [self._text(a) for a in el.iter("a") if self._text(a)]
                names = [n for n in names if _key(n) not in {"trang chu", "home", "trang chủ"} and
                         (self.title is None or _key(n) != _key(self.title))]
                if names:
                    return names[-1]
        if category:
            best = None
            for a in self.root.iter("a"):
                href = absolute(self.url, a.get("href"))
                if not href or not is_site_url(href):
                    continue
                path = urlsplit(canonicalize(href, keep_query=False)).path.strip("/")
                text = self._text(a)
                if path.lower() == category.lower() and 0 < len(text) <= 50:
                    best = best or text
                    if a not in self.boilerplate:
                        return text
            if best:
                return best
        for value in (self.ld.get("articleSection"), _first(self.meta.get("article:section"))):
            if isinstance(value, list):
                value = value[-1] if value else None
            if isinstance(value, str) and value.strip():
                return clean(value)
        return None

    @cached_property
    def region(self):
        """The smallest element holding both the headline and the prose: the article itself."""
        if self.container is None:
            return self.headline_el
        if self.headline_el is None:
            return self.container
        ancestors = set(self.container.iterancestors()) | {self.container}
        for el in [self.headline_el, *self.headline_el.iterancestors()]:
            if el in ancestors:
                return el
        return self.container

    @cached_property
    def tags(self) -> list[str]:
        """The article's own tag list ("Từ khóa: …", rel=tag links); a site-wide tag cloud is not."""
        region = self.region
        if region is None:
            return []
        tags: list[str] = []
        for el in dom.iter_pruned(region, _is_sidebar):
            if el.tag == "a" and "tag" in (el.get("rel") or "").split():
                tags.append(self._text(el))
            elif not tags and el.tag != "a" and dom.class_words(el) & _TAG_WORDS and el.find(".//a") is not None:
                tags.extend(self._text(a) for a in el.iter("a"))
        if not tags:
            inside = set(region.iter())
            for owner, text in self.lines:
                if owner in inside and _TAG_LABEL.match(text):
                    links = [self._text(a) for a in owner.iter("a")]
                    tags = links or re.split(r"\s*[,;]\s*", _TAG_LABEL.sub("", text))
                    break
        out, seen = [], set()
        for t in tags:
            t = _TAG_LABEL.sub("", t).strip(" ,;#")
            if t and _key(t) not in seen and len(t) <= 80:
                seen.add(_key(t))
                out.append(t)
        return out

    @cached_property
    def language(self) -> str:
        if self.ref is not None:
            return self.ref.language
        lang = (self.root.get("lang") or "").lower()
        return "en" if lang.startswith("en") else "vi"

    # ---- the record ---------------------------------------------------------------------------

    def to_record(self) -> dict:
        """The record's fields (without `crawled_at`, which the crawl adds)."""
        ref = self.ref
        published = self.published_ts
        lead = self.lead
        body, found = self._body_and_byline
        event = None
        if lead and published is not None:
            reference = published.value
            if published.precision == "month":
                # Only the month is known: the article may be from its last day.
                reference = (reference + timedelta(days=32)).replace(day=1) - timedelta(seconds=1)
            day = event_date(lead, reference)
            event = day.isoformat() if day else None
        modified = self.modified_ts
        return {
            "url": self.url,
            "article_id": ref.article_id if ref else None,
            "category": ref.category if ref else None,
            "category_name": self.category_name,
            "language": self.language,
            "title": self.title,
            "published": published.isoformat() if published else None,
            "published_precision": published.precision if published else None,
            "modified": modified.isoformat() if modified else None,
            "lead": lead,
            "event_date": event,
            "body": "\n\n".join(body),
            "byline": found.text if found else None,
            "authors": list(found.authors) if found else [],
            "credits": [dict(c) for c in found.credits] if found else [],
            "source": found.source if found else None,
            "images": self.images,
            "related": self.related,
            "tags": self.tags,
        }


_FURNITURE_START = re.compile(
    r"^(Từ khóa|Từ khoá|Tags?|Keywords?|Chủ đề|Chia sẻ|Share|In bài|Gửi bài|Bình luận|Theo dõi|Xem thêm)\b", re.I)


def _is_furniture(el, text: str) -> bool:
    """A short trailing line that is page furniture: tag lists, share bars, link rows."""
    if len(text) > 150:
        return False
    m = _FURNITURE_START.match(text)
    if m and (text[m.end():].lstrip().startswith(":") or len(text) <= 60):
        return True
    link_text = sum(len(dom.text_of(a)) for a in el.iter("a"))
    return link_text >= 0.6 * len(text) and len(list(el.iter("a"))) >= 2


def _line_timestamp(text: str) -> Timestamp | None:
    """A timestamp line: `09:01, 28/01/2024`, `Cập nhật lúc …`, `Thứ Hai, 20/05/2019, 15:43 (GMT+7)`,
    or a short line holding a date (a long line's bare date belongs to its text)."""
    if len(text) > 60:
        return find_timestamp(text)
    ts = line_date(text)
    if ts is not None and ts.precision == "day":
        # "Đăng lúc 9h01 ngày 28/1/2024": the time printed apart from the date.
        t = _LOOSE_TIME.search(_BARE_DATE.sub(" ", text))
        if t is not None and int(t["h"]) < 24 and int(t["m"]) < 60:
            ts = Timestamp(ts.value.replace(hour=int(t["h"]), minute=int(t["m"])), "minute")
    return ts


_BARE_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_LOOSE_TIME = re.compile(r"(?<![\d/.])(?P<h>\d{1,2})\s*[:hg]\s*(?P<m>\d{2})(?![\d/.])")


_SIDEBAR_WORDS = frozenset({"sidebar", "side", "aside", "widget", "col-right", "right", "colright"})


def _is_sidebar(el) -> bool:
    return el.tag == "aside" or bool(dom.class_words(el) & _SIDEBAR_WORDS)


def _merge_bylines(first: bylines.Byline, second: bylines.Byline) -> bylines.Byline:
    """`Tin, ảnh: LÊ HẢI` followed by `Nguồn: …` on its own line: one byline."""
    return bylines.Byline(
        text=f"{first.text} - {second.text}",
        authors=list(dict.fromkeys(list(first.authors) + list(second.authors))),
        credits=list(first.credits) + [c for c in second.credits if c not in first.credits],
        source=first.source or second.source,
    )


def _image_url(page_url: str, src: str | None) -> str | None:
    if not src:
        return None
    url = absolute(page_url, src)
    if not url or not url.startswith(("http://", "https://")):
        return None
    parts = urlsplit(url)
    host = site_host(parts.hostname or "")
    if host:
        # Keep the path as printed: older images live under /file//dataimages/ (two slashes).
        url = urlunsplit(("https", host, parts.path, parts.query, ""))
    return url


def _image_caption(img) -> str | None:
    """figcaption (or the figure's own text), the caption row of the image's table, a
    caption-classed element beside it, or the short italic/centred line right after it."""
    for anc in img.iterancestors():
        if anc.tag == "figure":
            cap = anc.find(".//figcaption")
            text = dom.text_of(cap if cap is not None else anc)
            return _clean_caption(text) if text else None
        if anc.tag == "table":
            lines = dom.lines_of(anc)
            return _clean_caption(lines[0]) if lines else None
        if anc.tag in ("p", "div", "td", "span", "a", "center"):
            for child in anc.iter():
                if child is not img and dom.is_element(child) and \
                        dom.class_words(child) & {"caption", "figcaption", "chuthich", "imgcaption"}:
                    return _clean_caption(dom.text_of(child))
            own = dom.text_of(anc)
            if own and len(own) <= 300 and anc.tag in ("p", "center") and len(list(anc.iter("img"))) == 1:
                return _clean_caption(own)  # "<p><img><br><i>caption</i></p>"
            sibling = next((x for x in anc.itersiblings() if dom.is_element(x)), None)
            if sibling is not None and sibling.find(".//img") is None:
                text = dom.text_of(sibling)
                if dom.class_words(sibling) & {"caption", "figcaption", "chuthich", "imgcaption", "desc"} or \
                        (text and _caption_like(sibling, text)):
                    return _clean_caption(text)
            if anc.tag in ("p", "div", "center"):
                break
    alt = clean(img.get("alt") or img.get("title") or "")
    return _clean_caption(alt) if len(alt) > 15 else None


def _caption_like(el, text: str) -> bool:
    """A short italic, small or centred line: how a caption under a picture is set."""
    if len(text) > 300 or text.endswith("./."):
        return False
    styled = "".join(dom.text_of(i) for i in el.iter("em", "i", "small"))
    style = (el.get("style") or "").replace(" ", "").lower()
    return len(styled) >= 0.8 * len(text) or "text-align:center" in style or el.get("align") == "center"


def _clean_caption(text: str) -> str | None:
    text = re.sub(r"\s*\|+\s*$", "", clean(text)).strip()
    return text or None


def _block_after_heading(heading) -> list:
    """The regions that hold a heading's list: its parent, or the siblings up to the next heading."""
    parent = heading.getparent()
    while parent is not None:
        siblings = [c for c in parent if dom.is_element(c)]
        links_outside = any(True for c in siblings if c is not heading for _a in c.iter("a"))
        if links_outside:
            region, started = [], False
            for c in siblings:
                if c is heading or heading in set(c.iter()):
                    started = True
                    continue
                if started:
                    if c.tag in dom.HEADING_TAGS and c.find(".//a") is None:
                        break  # the next block's title
                    region.append(c)
            return region
        heading, parent = parent, parent.getparent()
    return []


def _item_scope(link, region, url: str, page_url: str):
    """The largest ancestor of `link` inside `region` that holds no other article's link."""
    scope = link
    for anc in link.iterancestors():
        if anc is region.getparent():
            break
        urls = set()
        for a in anc.iter("a"):
            href = absolute(page_url, a.get("href"))
            ref = parse_article_url(href) if href else None
            if ref is not None:
                urls.add(ref.url)
        if urls - {url}:
            break
        scope = anc
        if anc is region:
            break
    return scope


def _link_title(scope, url: str, page_url: str) -> str | None:
    """The longest text among the links to `url` (an image link and a title link share a URL)."""
    best = ""
    for a in scope.iter("a"):
        href = absolute(page_url, a.get("href"))
        ref = parse_article_url(href) if href else None
        if ref is not None and ref.url == url:
            text = dom.text_of(a) or clean(a.get("title"))
            if len(text) > len(best):
                best = text
    return best or None
