"""The layout-independent reading of a page's tree (bhgcrawl/pages/dom.py), function by function, on
the markup of the paper's pages: what is text, what is boilerplate, which blocks are the body's units."""

import json

import pytest
from lxml import etree
from parsel import Selector

from bhgcrawl.pages import dom

TITLE = "Hà Giang: Mùa vụ xuân trên cao nguyên đá"
P1 = "BHG - Chiều 26.1, đồng chí Nguyễn Văn Sơn, Bí thư Tỉnh ủy làm việc tại huyện Đồng Văn."
P2 = "Năm 2024, toàn huyện gieo trồng được 5.800 ha ngô, đạt 102% kế hoạch."


def body(html: str):
    """The <body> of a page holding `html`."""
    return dom.parse(f"<html><body>{html}</body></html>").find("body")


def first(root, tag: str):
    return next(root.iter(tag))


# ---- parse --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "markup"), [
    ("", "<html/>"),
    ("  \n\x00 ", "<html/>"),
    # Only a comment: libxml2 gives no root at all.
    ("<!-- Báo Hà Giang điện tử -->", "<html/>"),
    (f"<h1>{TITLE}</h1>", f"<html><body><h1>{TITLE}</h1></body></html>"),
    # NUL bytes stop libxml2 where they stand: the text after one would be lost.
    (f"<p>Hà\x00 Giang</p><p>{P2}</p>", f"<html><body><p>Hà Giang</p><p>{P2}</p></body></html>"),
])
def test_parse_text(page, markup):
    """Catches an empty page, a page of only a comment or one holding NUL bytes read as no tree or cut short."""
    assert etree.tostring(dom.parse(page), encoding=str) == markup


def test_parse_takes_a_selector_or_an_element_as_it_is():
    """Catches a Selector's tree parsed again (its elements would no longer be the ones the caller holds)."""
    sel = Selector(text=f"<p>{P1}</p>")
    assert dom.parse(sel) is sel.root
    assert dom.parse(sel.root) is sel.root


@pytest.mark.parametrize("depth", [2100, 3000])
def test_parse_a_page_nested_beyond_the_parsers_limit(depth):
    """Catches the depth error of libxml2 not read from its log (the text after 2,048 open tags lost), and a
    sound page parsed a second time."""
    page = f"<h1>{TITLE}</h1>" + "<div>" * depth + f"<p>{P1}</p>" + "</div>" * depth + f"<p>{P2}</p>"
    root = dom.parse(page)
    assert dom.lines_of(root.find("body")) == [TITLE, P1, P2]
    assert sum(1 for _ in root.iter("div")) == dom.MAX_PILE
    assert not dom._too_deep()
    dom.parse("<div>" * 2047 + P1)
    assert not dom._too_deep()


def test_parse_reads_only_the_depth_error_as_too_deep():
    """Catches any parser message naming "depth" (a stray `</depth>` end tag) taken for the depth limit: the
    page's 70 piled <div>s would be cut to 64."""
    root = dom.parse("<div>" * 70 + f"<p>{P1}</p></depth>" + "</div>" * 70)
    assert sum(1 for _ in root.iter("div")) == 70


# ---- flatten_deep -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "flat"), [
    # The default pile is 64 tags: a 64-high pile stays, one more tag is cut.
    ("<div>" * 64 + P1 + "</div>" * 64, "<div>" * 64 + P1 + "</div>" * 64),
    ("<div>" * 65 + P1 + "</div>" * 65, "<div>" * 64 + P1 + "</div>" * 64),
    ("<font>" * 70 + P1, "<font>" * 64 + P1),
])
def test_flatten_deep_default_pile(page, flat):
    """Catches a pile cut at another height than MAX_PILE."""
    assert dom.flatten_deep(page) == flat


@pytest.mark.parametrize(("page", "flat"), [
    # Tag names in any case are one name: the end tags owed are found whatever their case.
    ("<DIV><Div><div>" + P1 + "</div></DIV></div>", "<DIV><Div>" + P1 + "</DIV></div>"),
    # Owed end tags by name: a pile closing a <font> and a <div> drops only what was cut of each.
    ("<div><font><div><font>" + P1 + "</font></div></font></div>", "<div><font>" + P1 + "</font></div>"),
    # A pile of end tags stops at text: the end tags after it are not the pile's.
    ("<div><div><div>" + P1 + "</div></div>" + P2 + "</div>", "<div><div>" + P1 + "</div>" + P2 + "</div>"),
    # End tags then opening tags: two piles, each read as its kind.
    ("<b><b><b>a</b></b></b><b><b><b>c", "<b><b>a</b></b><b><b>c"),
    ("<span><span>a</span></span><span><span><span>c", "<span><span>a</span></span><span><span>c"),
    # The text of a title or textarea holds no tags: its <div>s are text, not a pile.
    ("<title><div><div><div></title><textarea><div><div><div></textarea>x",
     "<title><div><div><div></title><textarea><div><div><div></textarea>x"),
    # Empty wrappers piled up (spacers): the end tags right after the opening ones are a pile of their own.
    ("<div><div><div></div></div></div>" + P1, "<div><div></div></div>" + P1),
    # Owed end tags counted: two <div>s cut, two of their end tags dropped.
    ("<div>" * 4 + P1 + "</div>" * 4, "<div><div>" + P1 + "</div></div>"),
    # A comment or a script ends a pile; the piles after it are cut too.
    ("<!-- top --><div><div><div>" + P1, "<!-- top --><div><div>" + P1),
    # An end tag for nothing cut is kept.
    ("<div>" + P1 + "</div></div></div>", "<div>" + P1 + "</div></div></div>"),
])
def test_flatten_deep_piles(page, flat):
    """Catches the kinds of tag in a pile confused, a pile going on across text, and end tags dropped
    that closed nothing cut."""
    assert dom.flatten_deep(page, pile=2) == flat


# ---- class words and boilerplate --------------------------------------------------------------------


@pytest.mark.parametrize(("attrs", "words"), [
    ('class="box-binh-luan"', {"box", "binh", "luan", "boxbinh", "binhluan", "boxbinhluan"}),
    ('class="Tin_Lien_Quan  col-right"', {"tin", "lien", "quan", "tinlien", "lienquan", "tinlienquan", "col", "right",
                                          "colright"}),
    # Runs of at most four parts, and the whole.
    ('class="a-b-c-d-e"', {"a", "b", "c", "d", "e", "ab", "bc", "cd", "de", "abc", "bcd", "cde", "abcd", "bcde",
                           "abcde"}),
    ('id="comment_list"', {"comment", "list", "commentlist"}),
    ('class="sapo" id="TinKhac"', {"sapo", "tinkhac"}),
    ('class="" id="main"', {"main"}),
    ("", set()),
])
def test_class_words(attrs, words):
    """Catches the id left out, a class split wrongly, and the words not lower-cased."""
    assert dom.class_words(first(body(f"<div {attrs}>{P1}</div>"), "div")) == words


@pytest.mark.parametrize(("html", "boilerplate"), [
    ("<nav><a href='/'>Trang chủ</a></nav>", True),
    ("<footer>Báo Hà Giang - Cơ quan của Đảng bộ tỉnh</footer>", True),
    ("<aside>Đọc nhiều</aside>", True),
    ("<header><div class='logo'>Báo Hà Giang</div></header>", True),
    # <header> inside <article> holds the headline.
    (f"<article><header><h1>{TITLE}</h1></header></article>", False),
    ("<div class='binh-luan'>Bình luận</div>", True),
    # The site's prefix before the word: "binhluan" and "lienquan" are in the lists, "boxbinhluan" is not.
    ("<div class='box-binh-luan'>Bình luận</div>", True),
    ("<div class='box-tin-lien-quan'>Tin liên quan</div>", True),
    ("<div class='box_lienquan'>Tin liên quan</div>", True),
    ("<div id='Related-News'>Tin khác</div>", True),
    ("<div class='social-share'>Chia sẻ</div>", True),
    ("<ul class='breadcrumbs'><li>Kinh tế</li></ul>", True),
    # A token that also names content is the article's.
    ("<div class='article-header'><h1>x</h1></div>", False),
    ("<div class='detail-share-content'>x</div>", False),
    # A state of the page is no region.
    ("<body class='has-sidebar'>x</body>", False),
    ("<div class='no-ads'>x</div>", False),
    ("<div class='page-wrap has-sidebar'>x</div>", False),
    ("<div class='wrapper banner-top'>x</div>", True),
    ("<div class='content'>x</div>", False),
    ("<div class='-'>x</div>", False),
    ("<p>x</p>", False),
])
def test_is_boilerplate(html, boilerplate):
    """Catches boilerplate judged by the whole class string instead of per token, a content or state word
    ignored, and the headline's <header> taken for the site's banner."""
    el = dom.parse(html).find("body")
    el = el if html.startswith("<body") else el[0]
    if el.tag == "article":
        el = el[0]
    assert dom.is_boilerplate(el) is boilerplate


def test_boilerplate_elements_are_every_element_inside_a_region():
    """Catches a region's descendants left out, the text around them taken in, or a comment marked."""
    root = body(f"<div class='main'><h1>{TITLE}</h1><div class='tin-khac'><ul><li><a href='/a'>Tin khác</a></li>"
                f"</ul><!-- hết --></div><p>{P1}</p></div>")
    assert sorted(el.tag for el in dom.boilerplate_elements(root)) == ["a", "div", "li", "ul"]
    assert dom.boilerplate_elements(body(f"<p>{P1}</p>")) == set()


# ---- text ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("html", "lines"), [
    (f"<p>  {P1}\n </p>", [P1]),
    ("<p>Ho\u0300a Bình</p>", ["Hòa Bình"]),
    ("<p> </p>", []),
    ("<script>var x = 1;</script>", []),
    (f"<div>{P1}<br>{P2}</div>", [P1, P2]),
    (f"<div><b>Đồng Văn</b> - {P1}<script>ga('send')</script><p>{P2}</p></div>", [f"Đồng Văn - {P1}", P2]),
    (f"<div>{P1}<!-- quảng cáo --> tiếp</div>", [f"{P1} tiếp"]),
])
def test_lines_of(html, lines):
    """Catches scripts read as text, lines not split at <br> and blocks, and the text not cleaned."""
    el = body(html)[0]
    assert dom.lines_of(el) == lines
    assert dom.text_of(el) == " ".join(lines)


def test_lines_of_a_comment_or_a_script_is_nothing():
    """Catches the text of a comment or of a script without children read as visible text."""
    root = body(f"<!-- {P1} --><script>var title = '{TITLE}';</script>")
    assert [dom.lines_of(node) for node in root] == [[], []]


def test_text_of_joins_lines_with_one_space():
    """Catches lines joined with anything but one space."""
    assert dom.text_of(body(f"<div><p>{P1}</p><p>{P2}</p></div>")[0]) == f"{P1} {P2}"


def test_doc_lines_owners_and_spans():
    """Catches a line given to the wrong block (after a <br>, after a nested block ends), the root's tail
    read, and a block's span of lines off by one."""
    root = body(f"<div class='content'><h1>{TITLE}</h1>Đồng Văn<br>{P1}<p>{P2}<br>Lũng Cú</p>"
                f"<ul><li>Ngô</li><li>Lúa</li></ul><?php echo 1 ?>Hết</div>đuôi")
    div = root[0]
    spans: dict = {}
    lines = dom.doc_lines(div, spans)
    h1, p, ul = div.find("h1"), div.find("p"), div.find("ul")
    li1, li2 = ul
    assert lines == [(h1, TITLE), (div, "Đồng Văn"), (div, P1), (p, P2), (p, "Lũng Cú"), (li1, "Ngô"), (li2, "Lúa"),
                     (div, "Hết")]
    assert spans == {div: (0, 8), h1: (0, 1), p: (3, 5), ul: (5, 7), li1: (5, 6), li2: (6, 7)}
    assert dom.doc_lines(div) == lines
    assert dom.doc_lines(first(root, "li")) == [(li1, "Ngô")]


def test_doc_lines_under_an_inline_root():
    """Catches the lines of a link or <span> (no block of its own) lost, or given to a block inside it: the
    title link of a listing item that wraps its picture's caption."""
    a = first(body("<a href='/kinh-te/202401/mua-vu-xuan-0d530c3'><b>Mùa vụ</b> xuân</a>"), "a")
    assert dom.doc_lines(a) == [(a, "Mùa vụ xuân")]
    assert dom.lines_of(a) == ["Mùa vụ xuân"]
    span = first(body(f"<span><div>Ảnh: Thu Phương</div>{TITLE}</span>"), "span")
    assert dom.doc_lines(span) == [(span[0], "Ảnh: Thu Phương"), (span, TITLE)]


def test_doc_lines_of_a_skipped_element_or_a_comment_is_empty():
    """Catches the text of a <script> or <form> root read."""
    root = body(f"<form><label>Tìm kiếm</label></form><!-- {P1} -->")
    assert [dom.doc_lines(node) for node in root] == [[], []]


def test_doc_order():
    """Catches comments counted as elements or the order reversed."""
    root = body(f"<div><h1>{TITLE}</h1><!-- x --><p>{P1}</p></div>")
    order = dom.doc_order(root)
    assert [(el.tag, i) for el, i in order.items()] == [("body", 0), ("div", 1), ("h1", 2), ("p", 3)]


# ---- walking and text blocks --------------------------------------------------------------------------


def test_iter_pruned():
    """Catches a pruned element's subtree walked, the root pruned, or end events walked twice."""
    root = body(f"<div class='content'><p>{P1}</p><div class='share'><a>Facebook</a></div><p>{P2}</p></div>")
    div = root[0]
    assert [el.tag for el in dom.iter_pruned(div, dom.is_boilerplate)] == ["div", "p", "p"]
    share = div[1]
    assert [el.tag for el in dom.iter_pruned(share, dom.is_boilerplate)] == ["div", "a"]


@pytest.mark.parametrize(("html", "blocks"), [
    # Blocks inside blocks: the innermost are the units.
    (f"<div><div><p>{P1}</p><p>{P2}</p></div></div>", ["p", "p"]),
    # After a nested block ends, the walk goes on with its parent's next children.
    (f"<div><div><p>{P1}</p></div><p>{P2}</p></div>", ["p", "p"]),
    # A <p> is one unit even when an inline tag in it holds blocks.
    (f"<div><p><span><div>{P1}</div><div>{P2}</div></span></p></div>", ["p"]),
    # A <figure>, a <table>, a <p> are each one unit even when they hold blocks.
    ("<div><figure><img src='/a.jpg'><figcaption>Ảnh: Thu Phương</figcaption></figure>"
     "<table><tr><td>Ngô</td></tr></table><p><span>x</span></p></div>", ["figure", "table", "p"]),
    # A picture on its own is a unit; inline tags and scripts are not.
    (f"<div><img src='/b.jpg'><span>{P1}</span><script>x</script><!-- y --></div>", ["img"]),
    # An unclosed <span> around the paragraphs after it: its blocks are the units.
    (f"<div><span><div>{P1}</div><div>{P2}</div></span></div>", ["div", "div"]),
    (f"<div><font><i><p>{P1}</p></i></font><p>{P2}</p></div>", ["p", "p"]),
    # A block holding only inline text is one unit, whatever its inline tags hold.
    (f"<div><div><b><i>{P1}</i></b></div></div>", ["div"]),
    # A script or a comment before the text is passed over, not the end of the walk.
    (f"<div><script>ga('send', 'pageview');</script><!-- quảng cáo --><p>{P1}</p></div>", ["p"]),
    # A <select>'s options are no text.
    ("<div><select><option><p>Chọn</p></option></select></div>", []),
])
def test_iter_text_blocks(html, blocks):
    """Catches figures and tables split into their parts, blocks inside inline tags missed, and pictures
    or skipped tags taken wrongly."""
    assert [el.tag for el in dom.iter_text_blocks(body(html)[0])] == blocks


@pytest.mark.parametrize(("html", "has_block", "wraps"), [
    (f"<div><p>{P1}</p></div>", True, False),
    (f"<div>{P1}<br>{P2}</div>", False, False),
    (f"<div><b><i>{P1}</i></b></div>", False, False),
    (f"<div><span><div>{P1}</div></span></div>", False, True),
    (f"<div><b><!-- x --><i>{P1}</i></b></div>", False, False),
    ("<div><form><div>Tìm kiếm</div></form></div>", False, False),
    (f"<font><div>{P1}</div></font>", True, True),
])
def test_has_block_child_and_wraps_blocks(html, has_block, wraps):
    """Catches a <br> or inline child counted as a block, and an inline tag holding no block (or a
    skipped tag holding one) taken for an unclosed wrapper."""
    el = body(html)[0]
    assert (dom.has_block_child(el), dom._wraps_blocks(el)) == (has_block, wraps)


def test_wraps_blocks_of_an_inline_element_itself():
    """Catches an inline element judged by its children instead of by itself."""
    font = first(body(f"<div><font><i>Đồng Văn</i><div>{P1}</div></font></div>"), "font")
    assert dom._wraps_blocks(font) is True
    assert dom._wraps_blocks(first(body(f"<span><i>{P1}</i></span>"), "span")) is False


# ---- structured metadata ------------------------------------------------------------------------------

ARTICLE_LD = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
              "datePublished": "2024-01-28T09:01:00+07:00"}


def ld_page(*scripts: str) -> str:
    return "<html><head>" + "".join(scripts) + "</head><body></body></html>"


@pytest.mark.parametrize(("scripts", "objects"), [
    ([f'<script type="application/ld+json">{json.dumps(ARTICLE_LD, ensure_ascii=False)}</script>'], [ARTICLE_LD]),
    # The type attribute is read without regard to case or surrounding spaces; other scripts are not JSON-LD.
    (["<script>window.dataLayer = [];</script>",
      f'<script type=" Application/LD+JSON ">{json.dumps(ARTICLE_LD)}</script>',
      f'<script type="application/json">{json.dumps({"headline": "khác"})}</script>',
      f'<script>{json.dumps({"headline": "khác"})}</script>'], [ARTICLE_LD]),
    # Only scripts carry it: the same type on another element is text of the page.
    (['<div type="application/ld+json">{"@type": "NewsArticle"}</div>'], []),
    # A newline inside a string read as it is by the first reading (the second would drop the ", ]" in the text).
    (['<script type="application/ld+json">{"description": "Các xã: Lũng Cú, Ma Lé, ]\nvà Sà Phìn"}</script>'],
     [{"description": "Các xã: Lũng Cú, Ma Lé, ]\nvà Sà Phìn"}]),
    # @graph flattened in order, lists of objects too, non-objects left out.
    (['<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle"}]}</script>',
      '<script type="application/ld+json">[{"@type": "Organization"}, 7, "x", [{"@type": "Person"}]]</script>'],
     [{"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle"}]}, {"@type": "WebPage"}, {"@type": "NewsArticle"},
      {"@type": "Organization"}, {"@type": "Person"}]),
    # @graph that is no list is left as it is.
    (['<script type="application/ld+json">{"@graph": {"@type": "WebPage"}}</script>'],
     [{"@graph": {"@type": "WebPage"}}]),
    # A tab or a newline inside a string (strict JSON refuses them) is what CMSs write.
    (['<script type="application/ld+json">{"headline": "Mùa vụ\txuân\ntrên cao nguyên"}</script>'],
     [{"headline": "Mùa vụ\txuân\ntrên cao nguyên"}]),
    # A trailing comma, an HTML comment around the JSON: read after cleaning.
    (['<script type="application/ld+json"><!-- {"@type": "NewsArticle", "headline": "Chè Shan",} --></script>'],
     [{"@type": "NewsArticle", "headline": "Chè Shan"}]),
    (['<script type="application/ld+json">{"keywords": ["chè", "Hà Giang",], "headline": "Chè\tShan",};'
      '</script>'], [{"keywords": ["chè", "Hà Giang"], "headline": "Chè\tShan"}]),
    # Empty, broken beyond repair, or nested deeper than the recursion limit: skipped.
    (['<script type="application/ld+json">  </script>', '<script type="application/ld+json">{"headline": </script>',
      '<script type="application/ld+json">' + "[" * 50_000 + "]" * 50_000 + "</script>",
      '<script type="application/ld+json">' + "[" * 50_000 + "]" * 50_000 + ",]</script>",
      '<script type="application/ld+json">{"@type": "Person"}</script>'], [{"@type": "Person"}]),
])
def test_json_ld_objects(scripts, objects):
    """Catches JSON-LD blocks missed for the case of their type, @graph or lists not flattened (or out of
    order), CMS control characters and trailing commas refused, and one broken block stopping the rest."""
    assert dom.json_ld_objects(dom.parse(ld_page(*scripts))) == objects


@pytest.mark.parametrize(("size", "read"), [(2_000_000, True), (2_000_001, False)])
def test_json_ld_objects_size_limit(size, read):
    """Catches the 2,000,000-character bound of a JSON-LD block moved."""
    start = '{"@type": "NewsArticle", "articleBody": "'
    raw = start + "c" * (size - len(start) - 2) + '"}'
    assert len(raw) == size
    got = dom.json_ld_objects(dom.parse(ld_page(f'<script type="application/ld+json">{raw}</script>')))
    assert [o["@type"] for o in got] == (["NewsArticle"] if read else [])


@pytest.mark.parametrize(("obj", "types"), [
    ({"@type": "NewsArticle"}, {"newsarticle"}),
    ({"@type": ["NewsArticle", "Article", None, ""]}, {"newsarticle", "article"}),
    ({"@type": None}, set()),
    ({"headline": TITLE}, set()),
])
def test_ld_types(obj, types):
    """Catches a list of types read as one type, the types not lower-cased, or empty ones kept."""
    assert dom.ld_types(obj) == types


def test_meta_values():
    """Catches <meta> keys not lower-cased or stripped, property/name/itemprop in the wrong order, values
    of one key not all kept in page order, and metas without a key or a content kept."""
    root = dom.parse(
        '<html><head><meta property="og:title" content="Mùa vụ xuân">'
        '<meta name="Description" content=" BHG - Chiều 26.1 ">'
        '<meta itemprop="datePublished" content="2024-01-28T09:01:00+07:00"><meta name="keywords">'
        '<meta property="OG:Title " name="title" content="Lần hai"><meta content="không tên">'
        '<meta name=" " content="x">'
        '<meta property="" name="author" content="Thu Phương"><meta name="robots" content="">'
        '<meta name="twitter:card" itemprop="image" content="summary"></head>'
        '<body><span itemprop="author" content="Minh Anh">Minh Anh</span></body></html>')
    assert dom.meta_values(root) == {
        "og:title": ["Mùa vụ xuân", "Lần hai"], "description": [" BHG - Chiều 26.1 "],
        "datepublished": ["2024-01-28T09:01:00+07:00"], "author": ["Thu Phương"], "robots": [""],
        "twitter:card": ["summary"]}


# ---- <br> runs ----------------------------------------------------------------------------------------


def rendered(el) -> str:
    return etree.tostring(el, encoding=str, with_tail=False)


@pytest.mark.parametrize(("html", "after"), [
    # Two <br>s in a row end a paragraph; one is a line break inside it.
    (f"<div>{P1}<br><br>{P2}<br>Đồng Văn</div>", f"<div><p>{P1}</p><p>{P2}<br/>Đồng Văn</p></div>"),
    (f"<td><b>Đồng Văn</b> - {P1}<br> <br>\n<i>{P2}</i> hết</td>",
     f"<td><p><b>Đồng Văn</b> - {P1}</p><p><i>{P2}</i> hết</p></td>"),
    (f"<section><br><br>{P1}<br><br><br><br>{P2}<br><br></section>",
     f"<section><p>{P1}</p><p>{P2}</p></section>"),
    (f"<article>{P1}<br><br><img src='/a.jpg'>Ảnh: Thu Phương</article>",
     f'<article><p>{P1}</p><p><img src="/a.jpg"/>Ảnh: Thu Phương</p></article>'),
    (f"<blockquote>{P1}<br><br>{P2}</blockquote>", f"<blockquote><p>{P1}</p><p>{P2}</p></blockquote>"),
    # Left alone: one <br>, a block that has block children, a tag that holds no such runs, one run only.
    (f"<div>{P1}<br>{P2}</div>", f"<div>{P1}<br/>{P2}</div>"),
    (f"<div>{P1}<br><br>{P2}<p>Hết</p></div>", f"<div>{P1}<br/><br/>{P2}<p>Hết</p></div>"),
    (f"<li>{P1}<br><br>{P2}</li>", f"<li>{P1}<br/><br/>{P2}</li>"),
    (f"<p>{P1}<br><br>{P2}</p>", f"<p>{P1}<br/><br/>{P2}</p>"),
    (f"<div>{P1}<br><br></div>", f"<div>{P1}<br/><br/></div>"),
    (f"<div><!-- a --><br><br>{P1}</div>", f"<div><p><!-- a --></p><p>{P1}</p></div>"),
    # A paragraph of lines after two others; single <br>s before a double one.
    (f"<div>{P1}<br><br>{P2}<br><br>Đồng Văn<br>Lũng Cú</div>",
     f"<div><p>{P1}</p><p>{P2}</p><p>Đồng Văn<br/>Lũng Cú</p></div>"),
    (f"<div>{P1}<br>{P2}<br>Đồng Văn<br><br>Lũng Cú</div>",
     f"<div><p>{P1}<br/>{P2}<br/>Đồng Văn</p><p>Lũng Cú</p></div>"),
])
def test_split_br_runs(html, after):
    """Catches a single <br> taken for a paragraph break, text or tags lost or moved between paragraphs,
    empty paragraphs made, and blocks with block children (or other tags) rewritten."""
    root = body(html)
    dom.split_br_runs(root)
    assert rendered(root[0]) == after


def test_split_br_runs_goes_on_after_a_block_it_leaves_alone():
    """Catches the blocks after one left alone (a single <br>, block children, one run only) not rewritten,
    and empty text left in the rewritten block before its first paragraph or after a paragraph's tags."""
    root = body(f"<div>{P1}<br>{P2}</div><div>{P1}<br><br><p>x</p></div><div>{P1}<br><br></div>"
                f"<div> <b>{TITLE}</b><br><br><i>{P2}</i></div>")
    dom.split_br_runs(root)
    assert [rendered(div) for div in root] == [
        f"<div>{P1}<br/>{P2}</div>", f"<div>{P1}<br/><br/><p>x</p></div>", f"<div>{P1}<br/><br/></div>",
        f"<div><p><b>{TITLE}</b></p><p><i>{P2}</i></p></div>"]
    last = root[3]
    assert (last.text, last[0][0].tail, last[1][0].tail) == (None, None, None)


def test_split_br_runs_keeps_the_tail_after_the_block():
    """Catches the text after the rewritten block lost or moved into its last paragraph."""
    root = body(f"<div>{P1}<br><br>{P2}</div>Nguồn: BHG")
    dom.split_br_runs(root)
    assert etree.tostring(root, encoding=str) == f"<body><div><p>{P1}</p><p>{P2}</p></div>Nguồn: BHG</body>"
