"""The article's text after the lead, and the byline printed as its last short line.

Paragraphs and subheadings of the container, in order, without the headline, the dateline above the
text, the lead, captions, UI lines, tag lists and share bars; the byline is the last short line,
sometimes after a <br> in the last paragraph, sometimes followed by a source line ("Nguồn: …").
"""

from __future__ import annotations

from dataclasses import dataclass

from bhgcrawl import byline as bylines
from bhgcrawl.pages import dom
from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.pages.article.dating import line_timestamp
from bhgcrawl.pages.article.lead import Lead
from bhgcrawl.pages.article.media import Picture, caption_like
from bhgcrawl.text import clean, key, keys
from bhgcrawl.vocab import FURNITURE_START, LEAD_MARK, TAG_LABEL, UI_LINES

_UI_KEYS = keys(UI_LINES)


@dataclass(frozen=True)
class Body:
    paragraphs: list[str]
    byline: bylines.Byline | None  # the closing byline, if the text ends with one


def read_body(page: Anatomy, lead: Lead, pictures: list[Picture]) -> Body:
    lead_key = key(LEAD_MARK.sub("", lead.printed or ""))
    # A caption line is printed with its credit; the record's caption has it no more.
    captions = {key(c) for p in pictures for c in (p.printed, p.caption) if c}
    captions |= {key(img.get("alt")) for img in page.root.iter("img") if img.get("alt")}
    lead_el = lead.el
    lead_pos = page.order[lead_el] if lead_el is not None else -1
    # Text inside the lead's element is the lead's, unless the lead is only its first line.
    lead_whole = lead_el is not None and page.text_of(lead_el) == lead.printed
    in_lead = set(lead_el.iter()) if lead_whole else set()
    paras: list[tuple[object, str]] = []
    prev_kind = None
    for b in page.blocks:
        el, text, kind = b.el, b.text, b.kind
        if kind in ("figure", "caption"):
            prev_kind = "figure"
            continue
        if el is page.headline or (not paras and kind in ("p", "heading") and len(text) <= 60
                                   and line_timestamp(text) is not None):
            continue  # the headline and the dateline above the text are never its body
        if lead_el is not None and (el is lead_el or page.order[el] < lead_pos or el in in_lead):
            prev_kind = kind
            continue
        k = key(text)
        # The lead printed again as the text's first paragraph, with the paper's mark or without.
        repeats_lead = lead_key and key(LEAD_MARK.sub("", text)) == lead_key and not paras
        if not k or k in _UI_KEYS or TAG_LABEL.match(text) or k in captions or repeats_lead:
            prev_kind = kind
            continue
        if prev_kind == "figure" and caption_like(el, text):
            prev_kind = "figure"
            continue
        prev_kind = kind
        paras.append((el, text))
    # Share bars, tag lists and "print" links after the text are the page's, not the article's.
    while paras and _is_furniture(*paras[-1]):
        paras.pop()
    found = None
    for _ in range(2):
        if not paras:
            break
        el, text = paras[-1]
        lines = page.lines_of(el)
        candidate = bylines.parse_byline(lines[-1])  # a paragraph has text: at least one line
        if candidate is None:
            break
        found = candidate if found is None else bylines.merge(candidate, found)
        if len(lines) > 1:
            paras[-1] = (el, clean(" ".join(lines[:-1])))
            break
        paras.pop()
    return Body([t for _e, t in paras], found)


def _is_furniture(el, text: str) -> bool:
    """A short trailing line that is page furniture: tag lists, share bars, link rows."""
    if len(text) > 150:
        return False
    m = FURNITURE_START.match(text)
    if m and (text[m.end():].lstrip().startswith(":") or len(text) <= 60):
        return True
    link_text = sum(len(dom.text_of(a)) for a in el.iter("a"))
    return link_text >= 0.6 * len(text) and len(list(el.iter("a"))) >= 2
