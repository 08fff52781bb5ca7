"""The article's pictures: absolute URLs, their captions and the photo credits printed at their end."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from bhgcrawl import byline as bylines
from bhgcrawl.pages import dom
from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.text import clean
from bhgcrawl.urls import absolute, paper_host, safe_url
from bhgcrawl.vocab import CAPTION_CLASS_WORDS, CAPTION_SIBLING_CLASS_WORDS

# Where a lazy-loading theme keeps the real picture, before `src` (a placeholder then).
_SOURCE_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-srcset", "srcset", "src")
_NOT_A_PICTURE = re.compile(r"(logo|icon|blank|spacer|pixel|avatar)[^/]*$", re.I)


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture of the article: its URL, its caption as printed and as the record gives it (without the
    photo credit it ends with), and that credit."""

    url: str
    printed: str | None
    caption: str | None
    credit: str | None

    def record(self) -> dict:
        return {"url": self.url, "caption": self.caption, "credit": self.credit}


def pictures(page: Anatomy) -> list[Picture]:
    if page.container is None:
        return []
    out, seen = [], set()
    for img in page.container.iter("img"):
        if img in page.boilerplate or not page.before_stop(img):
            continue
        src = None
        for attr in _SOURCE_ATTRS:
            value = (img.get(attr) or "").strip()
            if value and not value.startswith("data:"):
                src = value.split(",")[0].split()[0] if "srcset" in attr else value
                break
        url = _image_url(page.url, src)
        if not url or url in seen or _NOT_A_PICTURE.search(url):
            continue
        seen.add(url)
        printed = _image_caption(img)
        caption, credit = bylines.caption_and_credit(printed) if printed else (None, None)
        out.append(Picture(url, printed, caption, credit))
    return out


def caption_like(el, text: str) -> bool:
    """A short italic, small or centred line: how a caption under a picture is set."""
    if len(text) > 300 or text.endswith("./."):
        return False
    styled = "".join(dom.text_of(i) for i in el.iter("em", "i", "small"))
    style = (el.get("style") or "").replace(" ", "").lower()
    return len(styled) >= 0.8 * len(text) or "text-align:center" in style or el.get("align") == "center"


def _image_url(page_url: str, src: str | None) -> str | None:
    if not src:
        return None
    url = absolute(page_url, src)
    if not url or not url.startswith(("http://", "https://")):
        return None
    parts = urlsplit(url)
    host = paper_host(parts.hostname or "")
    if host:
        # Keep the path as printed: older images live under /file//dataimages/ (two slashes).
        url = urlunsplit(("https", host, parts.path, parts.query, ""))
    return safe_url(url)


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
                if child is not img and dom.is_element(child) and dom.class_words(child) & CAPTION_CLASS_WORDS:
                    return _clean_caption(dom.text_of(child))
            own = dom.text_of(anc)
            if own and len(own) <= 300 and anc.tag in ("p", "center") and len(list(anc.iter("img"))) == 1:
                return _clean_caption(own)  # "<p><img><br><i>caption</i></p>"
            sibling = next((x for x in anc.itersiblings() if dom.is_element(x)), None)
            if sibling is not None and sibling.find(".//img") is None:
                text = dom.text_of(sibling)
                if dom.class_words(sibling) & CAPTION_SIBLING_CLASS_WORDS or (text and caption_like(sibling, text)):
                    return _clean_caption(text)
            if anc.tag in ("p", "div", "center"):
                break
    alt = clean(img.get("alt") or img.get("title") or "")
    return _clean_caption(alt) if len(alt) > 15 else None


def _clean_caption(text: str) -> str | None:
    text = re.sub(r"\s*\|+\s*$", "", clean(text)).strip()
    return text or None
