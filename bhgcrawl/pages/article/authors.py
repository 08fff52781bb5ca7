"""A byline printed elsewhere than at the end of the text: an author element, the dateline, JSON-LD.

For pages whose body ends with no byline (`body.read_body` found none).
"""

from __future__ import annotations

import re

from lxml import etree

from bhgcrawl import byline as bylines
from bhgcrawl.dates import TIME_MARKER
from bhgcrawl.pages import dom
from bhgcrawl.pages.article.anatomy import Anatomy, is_site_name
from bhgcrawl.pages.article.lead import Lead
from bhgcrawl.text import key, keys
from bhgcrawl.vocab import AUTHOR_CLASS_WORDS, PLACES

_PLACE_KEYS = keys(PLACES)
_AUTHOR_LABEL = re.compile(r"^(Tác giả|Author|By)\s*:?\s*", re.I)
# A dateline's date and time (a 12-hour marker and the zone with it), taken out to read what is printed
# beside them: a "CH" left behind would read as a name in capitals.
_TIME_TEXT = rf"\d{{1,2}}[:hg]\d{{2}}(?:\s*{TIME_MARKER})?"
_TIMESTAMP_TEXT = re.compile(
    rf"(Thứ\s+\w+|Chủ\s+nhật)?[\s,]*({_TIME_TEXT}\s*[,\-–]?\s*)?\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}"
    rf"(\s*[,\-–]?\s*{_TIME_TEXT})?(\s*\(?(?:GMT|UTC)\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?\)?)?"
    r"|(Cập nhật|Đăng)( lúc| ngày)?:?", re.I)


def byline_elsewhere(page: Anatomy, lead: Lead) -> bylines.Byline | None:
    for el in page.root.iter(etree.Element):
        if el in page.boilerplate:
            continue
        if dom.class_words(el) & AUTHOR_CLASS_WORDS or el.get("itemprop") == "author" or el.get("rel") == "author":
            text = page.text_of(el)
            if 2 <= len(text) <= 120:
                found = bylines.parse_byline(text) or bylines.parse_byline(_AUTHOR_LABEL.sub("", text))
                if found:
                    return found
    found = _byline_under_headline(page, lead)
    if found is not None:
        return found
    authors = page.ld.get("author")
    names = []
    for a in authors if isinstance(authors, list) else [authors]:
        if isinstance(a, dict) and "person" in dom.ld_types(a) and isinstance(a.get("name"), str):
            names.append(a["name"])
        elif isinstance(a, str):
            names.append(a)
    names = [n for n in names if n.strip() and not is_site_name(n)]
    if names:
        return bylines.parse_byline(" - ".join(names))
    return None


def _byline_under_headline(page: Anatomy, lead: Lead) -> bylines.Byline | None:
    """A byline printed with the dateline, between the headline and the lead:
    `Tin, ảnh: LÊ HẢI`, or `LÊ HẢI | 18:34, 05/03/2021` with the time taken out."""
    anchor = page.headline_line
    if anchor is None:
        return None
    for owner, text in page.lines[anchor + 1:anchor + 8]:
        if owner is lead.el or len(text) > 120:
            break
        rest = _TIMESTAMP_TEXT.sub(" | ", text)
        # The whole line, then each of its "|"-separated parts (a view count may sit beside it).
        for part in [rest, *re.split(r"[|·•]", rest)]:
            part = re.sub(r"^[\s|·•,–—-]+|[\s|·•,–—-]+$", "", part)
            found = bylines.parse_byline(part)
            if found is None or not (found.authors or found.source):
                continue
            # A dateline also carries places and sections ("Hà Giang", "Xã hội"): only a
            # labelled byline (Tin, ảnh: …) or a name in capitals that is no place is believed.
            labelled = ":" in part or part.lower().startswith(("theo ", "by "))
            if labelled or (part.isupper() and key(part) not in _PLACE_KEYS):
                return found
    return None
