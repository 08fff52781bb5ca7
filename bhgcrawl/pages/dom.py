"""Layout-independent reading of an HTML tree: structured metadata, boilerplate, text blocks.

The site's real markup is unknown and will change, so nothing here depends on one class name:
elements are judged by tag, by the words in their class/id, and by their text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

from bhgcrawl.text import clean
from bhgcrawl.vocab import BOILERPLATE_CLASS_WORDS, CONTENT_CLASS_WORDS, STATE_CLASS_WORDS

SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "form", "button", "select", "option",
    "input", "textarea", "iframe", "object", "embed", "video", "audio", "canvas", "map", "head",
    "label",
})
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "blockquote", "pre",
    "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "address", "center",
    "details", "summary", "caption",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Regions that are never the article's own text.
BOILERPLATE_TAGS = frozenset({"nav", "footer", "aside", "header"})
_WORD_SPLIT = re.compile(r"[\s_\-]+")


# Plain lxml elements: lxml.html's element classes are looked up in Python for every element a
# walk touches, and nothing here uses their extra methods.
_PARSER = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)


def parse(page) -> etree._Element:
    """The element tree of a page: HTML text, a parsel Selector or an lxml element (used as is).

    libxml2 stops at 2,048 open elements even with huge_tree (256 without), with a fatal "Excessive
    depth" error: `<div>`/`<font>` piled up or left unclosed deeper than that lose the article's text and
    the rest of the page. Such a page is parsed again with every pile of them cut to `MAX_PILE` tags
    (`flatten_deep`). A Selector or element comes parsed already, so only text gets this second chance.
    """
    if not isinstance(page, str):
        return getattr(page, "root", page)
    # As parsel does it: NUL bytes stop libxml2, and an empty document has no root.
    text = page.strip().replace("\x00", "")
    root = _parse_text(text)
    if _too_deep():  # the parser's own word, read from its log: nothing to compute on a sound page
        root = _parse_text(flatten_deep(text))
    return root


def _parse_text(text: str) -> etree._Element:
    root = etree.fromstring(text.encode("utf-8") or b"<html/>", parser=_PARSER)
    return root if root is not None else etree.fromstring(b"<html/>", parser=_PARSER)


def _too_deep() -> bool:
    return any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT and "depth" in e.message for e in _PARSER.error_log)


# More tags opened in a row than any real layout piles up (a pile deeper than this has nothing to say
# about the page's structure that its first tags do not).
MAX_PILE = 64
# The tags a CMS piles up, or leaves unclosed, around text; libxml2 nests each inside the last.
_WRAPPERS = "div|font|span|b|i|u|em|strong|small|big|center|section|article|blockquote"
# A wrapper tag, or what holds none: a comment, the text of a script, style, textarea or title.
_WRAPPER_TAG = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|textarea|title)\b.*?(?:</\1\s*>|\Z)"
                          rf"|<(/?)({_WRAPPERS})\b[^>]*>", re.S | re.I)


def flatten_deep(page: str, pile: int = MAX_PILE) -> str:
    """The page with every pile of wrapper tags (`_WRAPPERS` opened one right after the other, nothing
    but whitespace between) cut to its first `pile` tags; its text and the rest of its markup unchanged.
    A pile of end tags (the page closing what it piled up) loses as many of each name as the piles of
    opening tags lost, so what follows is nested as before.
    """
    cuts: list[tuple[int, int]] = []
    pending: dict[str, int] = {}  # end tags owed by the piles cut, by name
    run: list = []  # the pile being read: matches of one kind, nothing but whitespace between

    def close_run():
        if run and run[0].group(2):  # end tags: drop those that closed what was cut
            for m in run:
                name = m.group(3).lower()
                if pending.get(name):
                    pending[name] -= 1
                    cuts.append(m.span())
        else:
            for m in run[pile:]:
                name = m.group(3).lower()
                pending[name] = pending.get(name, 0) + 1
                cuts.append(m.span())
        run.clear()

    for m in _WRAPPER_TAG.finditer(page):
        if m.group(3) is None:  # a comment or a script's text: no pile goes on across it
            close_run()
            continue
        if run and (bool(m.group(2)) != bool(run[0].group(2)) or page[run[-1].end():m.start()].strip()):
            close_run()
        run.append(m)
    close_run()
    if not cuts:
        return page
    out, last = [], 0
    for start, end in cuts:
        out.append(page[last:start])
        last = end
    out.append(page[last:])
    return "".join(out)


def is_element(node) -> bool:
    return isinstance(node.tag, str)


def _names(el) -> str:
    """An element's class and id, as one string ("" for most elements, which have neither)."""
    cls, id_ = el.get("class"), el.get("id")
    return cls or "" if id_ is None else f"{cls or ''} {id_}"


_NO_WORDS: frozenset[str] = frozenset()


def class_words(el) -> frozenset[str]:
    """The words of an element's class and id (see _token_words)."""
    names = _names(el)
    return _words_of(names) if names else _NO_WORDS


@lru_cache(maxsize=8192)  # a site uses a few hundred class names, on every page
def _words_of(raw: str) -> frozenset[str]:
    words = set()
    for token in raw.lower().split():
        words |= _token_words(token)
    return frozenset(words)


def _token_words(token: str) -> set[str]:
    """A class name's parts and the runs of up to four of them written together, and the whole:
    `box-binh-luan` is box, binh, luan, boxbinh, binhluan and boxbinhluan (the word lists hold
    `binhluan`, not the site's prefix). Four: a hostile page's class of a thousand parts stays cheap."""
    parts = [p for p in _WORD_SPLIT.split(token) if p]
    runs = {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, min(i + 4, len(parts)) + 1)}
    return runs | {"".join(parts)}


def _token_is_boilerplate(token: str) -> bool:
    parts = [p for p in _WORD_SPLIT.split(token) if p]
    if not parts or parts[0] in STATE_CLASS_WORDS:
        return False  # has-sidebar, no-ads: a state of the page, not a region
    words = _token_words(token)
    return bool(words & BOILERPLATE_CLASS_WORDS) and not words & CONTENT_CLASS_WORDS


def is_boilerplate(el) -> bool:
    """Navigation, sidebars, ads, comments, related lists, share bars: not article text.

    Judged per class token, so `detail-header` or `content-share-wrap` … see `_token_is_boilerplate`:
    a token that also names content (`article-header`) is the article's own.
    """
    if el.tag in BOILERPLATE_TAGS:
        # <header> inside <article> holds the headline, not the site's banner.
        return not (el.tag == "header" and any(a.tag == "article" for a in el.iterancestors()))
    names = _names(el)
    return bool(names) and _names_are_boilerplate(names)


@lru_cache(maxsize=8192)  # a site uses a few hundred class names, on every page
def _names_are_boilerplate(raw: str) -> bool:
    return any(_token_is_boilerplate(t) for t in raw.lower().split())


def boilerplate_elements(root) -> set:
    """Every element inside a boilerplate region, computed in one pass."""
    marked: set = set()
    walker = etree.iterwalk(root, events=("start",))
    for _event, el in walker:
        if is_boilerplate(el):
            marked.update(el.iter(etree.Element))
            walker.skip_subtree()
    return marked


def text_of(el) -> str:
    """Visible text of an element (scripts and styles left out), whitespace collapsed."""
    return " ".join(lines_of(el))


def lines_of(el) -> list[str]:
    """Text of an element split at <br> and block boundaries."""
    if len(el) == 0:  # text only (most links, headings, paragraphs): no walk needed
        text = clean(el.text) if is_element(el) and el.tag not in SKIP_TAGS else ""
        return [text] if text else []
    return [text for _owner, text in doc_lines(el)]


def iter_pruned(root, prune) -> Iterator:
    """The elements under `root` (itself first) in document order, without the subtrees of the
    elements below it for which `prune(el)` is true."""
    walker = etree.iterwalk(root, events=("start",))
    for _event, el in walker:
        if el is not root and prune(el):
            walker.skip_subtree()
        else:
            yield el


def has_block_child(el) -> bool:
    return any(is_element(c) and c.tag in BLOCK_TAGS for c in el)


def _wraps_blocks(el) -> bool:
    """An inline child (`<b>`, `<font>`, `<span>`) holding block elements: what an unclosed inline
    tag makes of the paragraphs after it."""
    return any(is_element(c) and c.tag not in BLOCK_TAGS and c.tag not in SKIP_TAGS
               and any(is_element(d) and d.tag in BLOCK_TAGS for d in c.iterdescendants())
               for c in (el if el.tag in BLOCK_TAGS else [el]))


def iter_text_blocks(el) -> Iterator:
    """The smallest block elements under `el` that hold text or an image, in document order.

    A block whose children are all inline is one unit; text directly inside a block that also has
    block children is yielded as the parent itself when it is substantial (old CMS pages put body
    text straight into a <div> between <br>s).
    """
    stack = [iter(el)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if not is_element(child) or child.tag in SKIP_TAGS:
            continue
        if child.tag in BLOCK_TAGS and child.tag not in ("figure", "table", "p") and (
                has_block_child(child) or _wraps_blocks(child)):
            stack.append(iter(child))
        elif child.tag in BLOCK_TAGS or child.tag == "img":
            yield child
        elif _wraps_blocks(child):
            stack.append(iter(child))  # an unclosed <b>/<font> around the paragraphs that follow


def json_ld_objects(root) -> list[dict]:
    """Every JSON-LD object on the page, @graph flattened; malformed blocks are skipped."""
    out: list[dict] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw, strict=False)
        except RecursionError:
            continue  # nested deeper than any real metadata: hostile or broken
        except ValueError:
            # Some CMSs leave a trailing comma or an HTML comment around the JSON.
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw.strip("<!->; \n")), strict=False)
            except (ValueError, RecursionError):
                continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                out.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))
    return out


def ld_types(obj: dict) -> set[str]:
    t = obj.get("@type")
    types = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in types if x}


def meta_values(root) -> dict[str, list[str]]:
    """<meta> contents keyed by lower-cased name/property/itemprop, in page order."""
    out: dict[str, list[str]] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = m.get("content")
        if key and content is not None:
            out.setdefault(key, []).append(content)
    return out


def doc_order(root) -> dict:
    """Position of every element in document order, for before/after comparisons."""
    return {el: i for i, el in enumerate(root.iter(etree.Element))}


def doc_lines(root, spans: dict | None = None) -> list[tuple[object, str]]:
    """The visible text under `root` as lines (split at blocks and <br>), each with its block
    element; `root`'s own tail is not included. Given `spans`, it maps every block element walked
    to the (start, end) slice of the lines that are its own `doc_lines`.

    Text patterns (the timestamp line under the headline, say) are searched over these lines
    near a known anchor, never over the whole text. lxml's iterwalk does the walk in C, without
    recursion (unclosed tags can nest thousands deep).
    """
    lines: list[tuple[object, str]] = []
    if not is_element(root) or root.tag in SKIP_TAGS:
        return lines
    # A line's text pieces; whitespace before its first word is left out, so most of the layout's
    # indentation never reaches clean().
    buf: list[str] = []
    owner = root
    blocks = [root]  # the enclosing block elements, innermost last
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        tag = node.tag
        if tag.__class__ is not str:  # a comment or processing instruction: only its tail shows
            piece = node.tail
        elif event == "start":
            if tag in BLOCK_TAGS or tag == "br":
                if buf:  # the line ends (written out three times: a call here costs 2% of a page)
                    text = clean("".join(buf))
                    if text:
                        lines.append((owner, text))
                    buf.clear()
                if tag == "br":
                    owner = blocks[-1]
                    continue
                owner = node
                blocks.append(node)
                if spans is not None:
                    spans[node] = len(lines)
            elif tag in SKIP_TAGS:
                walker.skip_subtree()
                continue
            piece = node.text
        else:
            if tag in BLOCK_TAGS:
                if buf:
                    text = clean("".join(buf))
                    if text:
                        lines.append((owner, text))
                    buf.clear()
                # Every block's start pushed it (root's too, on top of the first entry): its end is the top.
                blocks.pop()
                owner = blocks[-1]
                if spans is not None:
                    spans[node] = (spans[node], len(lines))
            piece = node.tail if node is not root else None
        if piece and (buf or not piece.isspace()):
            buf.append(piece)
    if buf:
        text = clean("".join(buf))
        if text:
            lines.append((owner, text))
    return lines


_BR_RUN_TAGS = frozenset({"div", "td", "section", "article", "blockquote"})


def split_br_runs(root) -> None:
    """Give text set as `text<br><br>text` (older CMS pages) the paragraphs it shows: every run
    between two consecutive <br> inside a block without block children becomes a <p>."""
    br_children: dict = {}  # found from the <br>s: most pages have few, and most blocks none
    for br in root.iter("br"):
        parent = br.getparent()
        if parent is not None and parent.tag in _BR_RUN_TAGS:
            br_children[parent] = br_children.get(parent, 0) + 1
    for el, count in br_children.items():
        if count < 2 or has_block_child(el):
            continue
        items: list[tuple[str, object]] = [("text", el.text)] if el.text else []
        for child in el:
            items.append(("node", child))
            if child.tail:
                items.append(("text", child.tail))
        runs: list[list] = [[]]
        pending_br = None
        for kind, value in items:
            if kind == "node" and is_element(value) and value.tag == "br":
                if pending_br is not None:
                    runs.append([])
                    pending_br = None
                else:
                    pending_br = value
                continue
            if kind == "text" and not value.strip():
                continue
            if pending_br is not None:
                runs[-1].append(("node", pending_br))
                pending_br = None
            runs[-1].append((kind, value))
        runs = [r for r in runs if r]
        if len(runs) < 2:
            continue
        for child in list(el):
            el.remove(child)
        el.text = None
        for run in runs:
            p = el.makeelement("p", {})
            el.append(p)
            last = None
            for kind, value in run:
                if kind == "text":
                    if last is None:
                        p.text = (p.text or "") + value
                    else:
                        last.tail = (last.tail or "") + value
                else:
                    value.tail = None
                    p.append(value)
                    last = value
