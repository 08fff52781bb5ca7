"""The CMS Báo Hà Giang runs on, read by its own structure (see shared/site/PLATFORM.md). Pure.

A multi-tenant CMS serving many provincial papers: each paper a unit with a 32-hex id, each section a
32-hex `cate_id`. What it prints, and what this module reads of it:

- `div#page_info` (hidden): `site_id`, `cate_id`, `cate_url`, `cate_title`, `article_title`,
  `article_id` (32 hex; its last 7 characters are the URL's id);
- the article template: `h1.head_title`, `div.date_time` (`span.author`, `div.date`), the body
  `div#content.content-detail > div.td-post-content` opening with the lead `<p><em><strong>…`, the
  byline as a right-aligned last paragraph, tags `div.txt_tag` + `h4 > a.tag`; and the successor's
  (baotuyenquang.com.vn): `h1.media-heading.title5`, `div.article_content div.content#content`,
  `div.date`, `ul.social`, `div.bd02`;
- the menu `ul#main-menu > li.<cate id> > a[href]`: every section's id;
- the listing API `/service/api/article/list?scUnitMapId=…&saArticleCateId=…&first=…&pageSize=…`
  (JSONP), which holds what a section's HTML no longer prints.

Nothing here is believed blindly: the page objects check these answers against what else the page
says (og:title, the URL's id and month, the printed date) and fall back to the layered reading.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import etree

from bhgcrawl.dates import Timestamp, parse_timestamp, site_time
from bhgcrawl.text import clean

# Báo Hà Giang's unit: the `/file/<unit>/…` folder of its pictures, the `site_id` of its pages.
BHG_UNIT = "4028eaa4679b32c401679c0c74382a7e"
API_PATHS = ("/service/api/article/list", "/sc_service/api/article/list")
# What the platform's scripts ask for; the API may cap it (the answer then holds fewer items).
API_PAGE_SIZE = 100
_HEX32 = re.compile(r"^[0-9A-Fa-f]{32}$")
_CALLBACK = re.compile(r"^\s*[A-Za-z_$][\w$]*\s*\(")


# Boxes of the templates that are never the article's text (see `Template.not_body`).
_NOT_BODY = frozenset({"social", "bd02", "feedback_comment1", "box_support"})


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _find(root, tag: str, *classes: str, id_: str | None = None):
    """The first `tag` element below `root` carrying every class of `classes` (and the id)."""
    wanted = set(classes)
    for el in root.iter(tag):
        if wanted <= _classes(el) and (id_ is None or el.get("id") == id_):
            return el
    return None


def text_of(el) -> str:
    return clean(" ".join(el.itertext())) if el is not None else ""


# ---- the article page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageInfo:
    site_id: str | None = None
    cate_id: str | None = None
    cate_url: str | None = None
    cate_title: str | None = None
    article_title: str | None = None
    article_id: str | None = None

    def id_matches(self, url_id: str) -> bool | None:
        """Whether `article_id` ends with the URL's id (None when either is missing)."""
        if not self.article_id or not url_id:
            return None
        return self.article_id[-len(url_id):].lower() == url_id.lower()


def page_info(root) -> PageInfo | None:
    box = next((el for el in root.iter("div") if el.get("id") == "page_info"), None)
    if box is None:
        return None
    values = {child.get("id"): clean(child.text) or None for child in box if isinstance(child.tag, str)}
    return PageInfo(**{k: values.get(k) for k in PageInfo.__dataclass_fields__})


@dataclass(frozen=True)
class Template:
    """The elements the platform's article template puts where it always does (or None)."""

    headline: object = None
    date: object = None  # the element whose text is the timestamp
    author: object = None  # the header's author
    content: object = None  # the body: lead, paragraphs, pictures, closing byline
    related: object = None  # the "Cùng chuyên mục" block
    # What the template puts in or beside the body that is not the article's text: the hidden
    # page_info, the successor's headline/date/share bar/tag box inside its body, the tag box and the
    # comment shell after the body.
    not_body: tuple = ()


def template(root) -> Template:
    # (lxml elements are falsy when childless: never `a or b` between elements)
    headline = _find(root, "h1", "head_title")
    if headline is None:
        headline = _find(root, "h1", "media-heading", "title5")
    date_time = _find(root, "div", "date_time")
    date = _find(date_time, "div", "date") if date_time is not None else None
    author = _find(date_time, "span", "author") if date_time is not None else None
    content = None
    detail = _find(root, "div", "content-detail", id_="content")
    if detail is not None:
        content = _find(detail, "div", "td-post-content")
    if content is None:
        article = _find(root, "div", "article_content")
        content = _find(article, "div", "content", id_="content") if article is not None else None
        if content is not None and date is None:
            date = _find(root, "div", "date")
    related, not_body = None, []
    for box in root.iter("div", "ul", "h1"):
        classes = _classes(box)
        if related is None and "bg_grey2" in classes:
            label = _find(box, "a", "title")
            if label is not None and clean(label.text).casefold() == "cùng chuyên mục":
                related = box
        if box.get("id") == "page_info" or classes & _NOT_BODY or (box.tag == "h1" and "media-heading" in classes):
            not_body.append(box)
        elif box.tag == "div" and "txt_tag" in classes:
            not_body.append(box)
            not_body += [h for h in box.itersiblings() if isinstance(h.tag, str) and h.tag == "h4"]
    if content is not None and date is not None and _inside(date, content):
        not_body.append(date)
    return Template(headline, date, author, content, related, tuple(not_body))


def _inside(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def tags(root) -> list[str] | None:
    """The tags after `div.txt_tag` ("Từ khóa:"): the `a.tag` of the `h4` that follow it; None when the
    page has no tag box (an empty box is an article without tags)."""
    box = _find(root, "div", "txt_tag")
    if box is None:
        return None
    found = []
    for sibling in box.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag != "h4":
            break
        found += [text_of(a) for a in sibling.iter("a") if "tag" in _classes(a)]
    return [t for t in found if t]


# ---- sections and the listing API ---------------------------------------------------------------


def menu_sections(root, page_url: str) -> dict[str, str]:
    """Section path (`kinh-te/nong-nghiep`) → its cate id, from the menu's `<li class="<cate id>">`."""
    menu = next((el for el in root.iter("ul") if el.get("id") == "main-menu"), None)
    out: dict[str, str] = {}
    if menu is None:
        return out
    for li in menu.iter("li"):
        cate = next((c for c in _classes(li) if _HEX32.match(c)), None)
        link = next((a for a in li if isinstance(a.tag, str) and a.tag == "a"), None)
        if cate and link is not None and link.get("href"):
            path = urlsplit(urljoin(page_url, link.get("href"))).path.strip("/")
            if path:
                out.setdefault(path, cate)
    return out


def labelled_sections(root, page_url: str) -> dict[str, str]:
    """Section path → id from the section labels (`div.cate_title_1 … a.title.<cate id>`): how the
    successor's pages, which have no page_info, name a section's id."""
    out: dict[str, str] = {}
    for box in root.iter("div"):
        if "cate_title_1" not in _classes(box):
            continue
        for a in box.iter("a"):
            cate = next((c for c in _classes(a) if _HEX32.match(c)), None)
            path = urlsplit(urljoin(page_url, a.get("href") or "")).path.strip("/")
            if cate and path:
                out.setdefault(path, cate)
    return out


def more_buttons(root) -> list[tuple[str, int]]:
    """(cate id, offset) of every "Xem thêm" button: the API holds more of that section from there."""
    out = []
    for el in root.iter(etree.Element):
        cate, start = el.get("data-id"), el.get("data-start")
        if cate and _HEX32.match(cate) and start is not None and start.strip().isdigit():
            out.append((cate, int(start)))
    return out


def api_url(base: str, unit: str, cate: str, first: int, size: int = API_PAGE_SIZE,
            path: str = API_PATHS[0]) -> str:
    """The listing API's URL for `size` items of a section from offset `first` (plain JSON: no callback)."""
    query = urlencode({"scUnitMapId": unit, "saArticleCateId": cate, "first": first, "pageSize": size})
    return urljoin(base, path) + "?" + query


@dataclass(frozen=True)
class ApiItem:
    url: str  # as the API gives it (a site path), resolved against the site
    title: str | None
    published: Timestamp | None
    id: str | None


@dataclass(frozen=True)
class ApiAnswer:
    items: list[ApiItem]
    problem: str | None = None  # why the answer is not a list of items: "invalid_json", "error", "callback"…


def parse_api(text: str, site_url: str) -> ApiAnswer:
    """The listing API's answer: `name({"response": [...]})` or the bare JSON. The wrapper is taken off
    only when it is a plain callback name around the JSON, never evaluated; an `erorr` (sic) answer,
    broken JSON, or items that are not objects are a problem, not a crash."""
    body = (text or "").strip()
    if not body.startswith(("{", "[")):
        m = _CALLBACK.match(body)
        body = body[m.end():].rstrip().removesuffix(";").rstrip().removesuffix(")") if m else ""
        if not body.lstrip().startswith(("{", "[")):
            return ApiAnswer([], "callback")  # not `name(<json>)`: nothing of it is read
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return ApiAnswer([], "invalid_json")
    if isinstance(data, dict) and ("erorr" in data or "error" in data) and "response" not in data:
        return ApiAnswer([], "error")
    rows = data.get("response") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        return ApiAnswer([], "invalid_json")
    items = []
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("pageUrl"), str):
            continue
        title = row.get("title") if isinstance(row.get("title"), str) else None
        published = row.get("publishDate")
        items.append(ApiItem(urljoin(site_url, row["pageUrl"].strip()), clean(title) or None,
                             api_date(published) if isinstance(published, str) else None,
                             str(row["id"]) if row.get("id") is not None else None))
    return ApiAnswer(items)


def api_date(value: str) -> Timestamp | None:
    """`publishDate` in either of its forms: `2012-10-23T16:22:21+07:00` (newer) or
    `2012-10-24 15:47:04.694` (older, the site's local time)."""
    return site_time(parse_timestamp(value))
