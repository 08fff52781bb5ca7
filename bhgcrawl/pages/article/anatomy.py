"""The anatomy of an article page, judged by meaning rather than by one layout's class names.

One walk of the page gives its text lines; on them stand the page's chrome (navigation, sidebars…),
the regions that headings name as comments or related items, the headline, the block whose
paragraphs carry the prose (the container), where the article's own text stops, and the container's
typed blocks. Every field reader (the other modules of this package) reads these, never the raw tree.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from lxml import etree
from parsel import Selector

from bhgcrawl import platform
from bhgcrawl.pages import dom
from bhgcrawl.text import clean, key, keys
from bhgcrawl.urls import canonicalize, parse_article_url
from bhgcrawl.vocab import (
    ARTICLE_LD_TYPES,
    CAPTION_CLASS_WORDS,
    FIGURE_CLASS_WORDS,
    RELATED_HEADINGS,
    SITE_NAME_ONLY,
    SITE_NAME_SUFFIX,
    STOP_HEADINGS,
)

STOP_KEYS = keys(STOP_HEADINGS)
RELATED_KEYS = keys(RELATED_HEADINGS)
_SECTION_KEYS = STOP_KEYS | RELATED_KEYS
_MARKUP = re.compile(r"<[a-zA-Z/!][^<>]*>")


def is_site_name(text: str) -> bool:
    """Whether a text is only a paper's name (a script-rendered shell's <title>), no headline."""
    return bool(SITE_NAME_ONLY.match(text))


def first_text(values) -> str | None:
    for v in values or ():
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of the article's container, in document order."""

    el: object
    text: str
    kind: str  # "p" | "heading" | "figure" | "caption"


class Anatomy:
    """The structure of one article page. `url` is the canonical site URL of the page."""

    def __init__(self, url: str, page: str | Selector):
        self.ref = parse_article_url(url)
        self.url = self.ref.url if self.ref else canonicalize(url, keep_query=False)
        self.root = dom.parse(page)
        dom.split_br_runs(self.root)
        self._memo: dict = {}  # element → its lines; the tree does not change after this point

    # ---- text ---------------------------------------------------------------------------------

    @cached_property
    def _walk(self) -> tuple[list[tuple[object, str]], dict]:
        """The page's lines (each with its block element) and every block's slice of them."""
        spans: dict = {}
        return dom.doc_lines(self.root, spans), spans

    @property
    def lines(self) -> list[tuple[object, str]]:
        return self._walk[0]

    def lines_of(self, el) -> list[str]:
        """An element's lines: a slice of the page walk when it is a block of it, read once."""
        lines = self._memo.get(el)
        if lines is None:
            page_lines, spans = self._walk
            span = spans.get(el)
            if span is not None:
                lines = [text for _owner, text in page_lines[span[0]:span[1]]]
            else:
                lines = dom.lines_of(el)
            self._memo[el] = lines
        return lines

    def text_of(self, el) -> str:
        return " ".join(self.lines_of(el))

    # ---- metadata -----------------------------------------------------------------------------

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
    def structured_titles(self) -> list[str]:
        """The titles the page's metadata names: JSON-LD, og:, twitter:, <title>, less the site's name."""
        out = []
        title_el = self.root.find(".//title")
        for value in (self.ld.get("headline"), first_text(self.meta.get("og:title")),
                      first_text(self.meta.get("twitter:title")), title_el.text if title_el is not None else None):
            if isinstance(value, str) and value.strip():
                # An unclosed <title> swallows the page: its title is what precedes the markup.
                text = SITE_NAME_SUFFIX.sub("", _MARKUP.split(clean(value), 1)[0]).strip()
                # A paper's name alone (a script-rendered shell) is no headline.
                if text and not is_site_name(text):
                    out.append(text)
        return out

    # ---- the page's chrome ------------------------------------------------------------------------

    @cached_property
    def order(self) -> dict:
        return dom.doc_order(self.root)

    @cached_property
    def chrome(self) -> set:
        """Navigation, sidebars, ads… as their tags and class names say, and what the platform's
        template says is not the article's text."""
        marked = dom.boilerplate_elements(self.root)
        for box in self.platform.not_body:
            marked.update(box.iter(etree.Element))
        return marked

    @cached_property
    def section_headings(self) -> list[tuple[object, str, str]]:
        """(block, text, key) of the lines that name a section: comments, related, most read…"""
        return [(owner, text, k) for owner, text in self.lines
                if len(text) < 60 and (k := key(text)) in _SECTION_KEYS]

    @cached_property
    def boilerplate(self) -> set:
        """`chrome`, plus every region a heading names as comments, related or most-read items,
        whatever its class names: "Cùng chuyên mục" cards can hold more prose than a short article."""
        marked = set(self.chrome)
        headline = self.headline
        for owner, text, k in self.section_headings:
            if k not in STOP_KEYS or owner in marked:
                continue
            link = owner.find(".//a")
            if link is not None and self.text_of(link) == text:
                continue  # a link labelled "Bình luận" is a button, not a section's heading
            for region in [owner, *block_after_heading(owner)]:
                if headline is not None and (region is headline or headline in set(region.iter())):
                    continue
                marked.update(e for e in region.iter() if dom.is_element(e))
        return marked

    # ---- the platform's own structure, checked -------------------------------------------------

    @cached_property
    def platform(self) -> platform.Template:
        return platform.template(self.root)

    @cached_property
    def page_info(self) -> platform.PageInfo | None:
        return platform.page_info(self.root)

    @cached_property
    def platform_headline(self):
        """The template's headline (`h1.head_title`), believed when the page's metadata names the same
        title (og:title, <title>, page_info's article_title)."""
        el = self.platform.headline
        if el is None:
            return None
        witnesses = [*self.structured_titles, self.page_info.article_title if self.page_info else None]
        text = self.text_of(el)
        k = key(text)
        return el if k and not is_site_name(text) and k in {key(w) for w in witnesses if w} else None

    @cached_property
    def platform_content(self):
        """The template's body (`div.td-post-content`), believed when it holds prose."""
        el = self.platform.content
        if el is None or el in self.chrome:
            return None
        return el if any(len(t) >= 40 for t in self.lines_of(el)) else None

    # ---- regions ------------------------------------------------------------------------------

    @cached_property
    def headline(self):
        """The visible headline: the platform's, else the <h1> (or heading) whose text matches the
        structured title."""
        if self.platform_headline is not None:
            return self.platform_headline
        wanted = [key(t) for t in self.structured_titles if t]
        headings = [h for h in self.root.iter("h1", "h2") if h not in self.chrome or h.tag == "h1"]
        texts = [(h, self.text_of(h)) for h in headings]
        for h, text in texts:
            if text and any(key(text) == w for w in wanted):
                return h
        h1s = [(h, t) for h, t in texts if h.tag == "h1" and len(t) > 10 and not is_site_name(t)]
        if wanted:
            for h, text in h1s:
                if any(w.startswith(key(text)) or key(text).startswith(w) for w in wanted):
                    return h
        in_content = [h for h, _ in h1s if h not in self.chrome]
        if in_content or h1s:
            return (in_content or [h for h, _ in h1s])[0]
        # A theme that prints the headline in a styled <div>: the element whose whole text is it.
        if wanted:
            for el in self.root.iter("div", "p", "span", "td", "h3", "h4", "strong", "header"):
                if el in self.chrome or any(a.tag == "a" for a in el.iterancestors()):
                    continue
                if len(el) <= 3 and key(self.text_of(el)) in wanted:
                    return el
        return None

    @cached_property
    def headline_line(self) -> int | None:
        """The index in `lines` of the headline's line."""
        el = self.headline
        if el is None:
            return None
        inside = set(el.iter())
        ancestors = set(el.iterancestors())
        title_key = key(self.text_of(el))
        for i, (owner, text) in enumerate(self.lines):
            # An inline headline (<span class="title">) shares its line's block with other text.
            if owner in inside or (owner in ancestors and key(text).startswith(title_key)):
                return i
        return None

    @cached_property
    def container(self):
        """The element holding the article's prose: the platform's body, else the block whose
        paragraphs carry most text.

        Paragraphs of 40 characters or more decide (date lines and labels are shorter); a page
        with no such paragraph (a video with one line under it) is located by its short ones.
        """
        if self.platform_content is not None:
            return self.platform_content
        candidates = []
        for el in self.root.iter("p", "div", "td", "section", "article", "blockquote", "li"):
            if el in self.boilerplate or (el.tag != "p" and el.tag != "blockquote" and dom.has_block_child(el)):
                continue
            text = self.text_of(el)
            if len(text) < 10:
                continue
            link_len = sum(len(self.text_of(a)) for a in el.iter("a"))
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
        for owner, _line, k in self.section_headings:
            pos = self.order.get(owner, 0)
            if pos > start and k in STOP_KEYS and owner is not self.container:
                return pos
        return len(self.order) + 1

    def before_stop(self, el) -> bool:
        return self.order[el] < self.stop_position

    @cached_property
    def region(self):
        """The smallest element holding both the headline and the prose: the article itself."""
        if self.container is None:
            return self.headline
        if self.headline is None:
            return self.container
        ancestors = set(self.container.iterancestors()) | {self.container}
        for el in [self.headline, *self.headline.iterancestors()]:
            if el in ancestors:
                return el
        return self.container

    # ---- the container's blocks -----------------------------------------------------------------

    @cached_property
    def blocks(self) -> list[Block]:
        """The container's units in order, up to where the article's own text stops."""
        if self.container is None:
            return []
        out = []
        for el in dom.iter_text_blocks(self.container):
            if el in self.boilerplate and el is not self.container:
                continue
            if not self.before_stop(el):
                break
            has_img = el.tag == "img" or el.find(".//img") is not None
            text = self.text_of(el) if el.tag != "img" else ""
            words = dom.class_words(el)
            if has_img and (el.tag in ("figure", "table", "img") or len(text) < 300 or words & FIGURE_CLASS_WORDS):
                out.append(Block(el, text, "figure"))
            elif el.tag in ("figure", "figcaption") or words & CAPTION_CLASS_WORDS:
                out.append(Block(el, text, "caption"))
            elif text:
                out.append(Block(el, text, "heading" if el.tag in dom.HEADING_TAGS else "p"))
        return out

    @cached_property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "p"]


def block_after_heading(heading) -> list:
    """The regions that hold a heading's list: its parent, or the siblings up to the next heading."""
    parent = heading.getparent()
    while parent is not None:
        siblings = [c for c in parent if dom.is_element(c)]
        links_outside = any(True for c in siblings if c is not heading for _a in c.iter("a"))
        if links_outside:
            region, started = [], False
            for c in siblings:
                if c is heading:  # `heading` is always a child of `parent`, climbing or not
                    started = True
                    continue
                if started:
                    if c.tag in dom.HEADING_TAGS and c.find(".//a") is None:
                        break  # the next block's title
                    region.append(c)
            return region
        heading, parent = parent, parent.getparent()
    return []
