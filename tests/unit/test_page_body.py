"""The article's text after the lead and its closing byline (pages.article.body), on pages in the
platform's template and in a plain layout: what is left out (headline, dateline, lead, captions, UI
lines, furniture), and which last lines are the byline."""

import pytest

from bhgcrawl.pages import dom
from bhgcrawl.pages.article import dating
from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.pages.article.body import _is_furniture, read_body
from bhgcrawl.pages.article.lead import NO_LEAD, Lead, find_lead
from bhgcrawl.pages.article.media import pictures

URL = "https://baohagiang.vn/xa-hoi/202401/trao-qua-tet-cho-ho-ngheo-xa-lung-cu-7a1b2c3"
TITLE = "Trao quà Tết cho hộ nghèo xã Lũng Cú"
LEAD_TEXT = ("Sáng 27.1, đoàn công tác của tỉnh đã đến thăm, trao 200 suất quà Tết cho các hộ nghèo của xã Lũng Cú, "
             "huyện Đồng Văn.")
LEAD = f"<p><em><strong>BHG - {LEAD_TEXT}</strong></em></p>"
P1 = "Mỗi suất quà gồm 500.000 đồng tiền mặt, gạo, dầu ăn và bánh kẹo, trị giá tổng cộng hơn 150 triệu đồng."
P2 = ("Phát biểu tại buổi lễ, đồng chí Phó Chủ tịch UBND tỉnh mong bà con vượt khó, phát triển kinh tế, "
      "đón một cái Tết đầm ấm.")
P3 = "Dịp này, đoàn cũng trao 50 chiếc áo ấm cho học sinh Trường Phổ thông dân tộc bán trú xã Lũng Cú./."
BYLINE = "<p style='text-align: right;'><strong>Tin, ảnh: LÊ HẢI</strong></p>"
IMG = "https://baohagiang.vn/file/4028eaa4679b32c401679c0c74382a7e/dataimages/202401/original/img_trao_qua.jpg"
CAPTION = "Lãnh đạo tỉnh trao quà Tết cho hộ nghèo xã Lũng Cú."


def template(inner: str, aside: str = "") -> str:
    """An article in the platform's template, `inner` its body, `aside` the sidebar after it."""
    return (f"<html><head><title>{TITLE} - Báo Hà Giang</title></head><body><h1 class='head_title'>{TITLE}</h1>"
            f"<div id='content' class='content-detail'><div class='td-post-content'>{inner}</div></div>{aside}"
            "</body></html>")


def plain(inner: str) -> str:
    """A page in a layout of no known template: headline, dateline and text in one block."""
    return (f"<html><head><title>{TITLE} - Báo Hà Giang</title></head><body><div class='main'><h1>{TITLE}</h1>"
            f"{inner}</div></body></html>")


def read(html: str) -> tuple[list[str], str | None]:
    """The body as the extractor reads it: the page's own lead and pictures."""
    page = Anatomy(URL, html)
    body = read_body(page, find_lead(page, dating.published(page)), pictures(page))
    return body.paragraphs, body.byline.text if body.byline else None


@pytest.mark.parametrize(("inner", "paragraphs", "byline"), [
    (f"{LEAD}<p>{P1}</p><p>{P2}</p>{BYLINE}", [P1, P2], "Tin, ảnh: LÊ HẢI"),
    # no byline: every paragraph is text
    (f"{LEAD}<p>{P1}</p><p>{P2}</p><p>{P3}</p>", [P1, P2, P3], None),
    # the byline as the last line of the last paragraph, after a <br>; the lines before it stay one paragraph
    (f"{LEAD}<p>{P1}</p><p>{P2}</p><p>{P3}<br>Tin, ảnh: LÊ HẢI</p>", [P1, P2, P3], "Tin, ảnh: LÊ HẢI"),
    (f"{LEAD}<p>{P1}</p><p>{P2}</p><p>{P3}<br>Đồng chí Phó Chủ tịch dặn dò.<br>VĂN TUẤN</p>",
     [P1, P2, f"{P3} Đồng chí Phó Chủ tịch dặn dò."], "VĂN TUẤN"),
    # at most two closing lines are the byline: a name above them is the text's (a signed letter)
    (f"{LEAD}<p>{P1}</p><p>{P2}</p><p>PHẠM HOÀN</p>{BYLINE}<p>Nguồn: Cổng TTĐT tỉnh</p>",
     [P1, P2, "PHẠM HOÀN"], "Tin, ảnh: LÊ HẢI - Nguồn: Cổng TTĐT tỉnh"),
    # share bars, tag rows and link rows after the text are not the byline's lines
    (f"{LEAD}<p>{P1}</p><p>{P2}</p>{BYLINE}<p>Chia sẻ:</p><p><a href='https://facebook.com/sharer'>Facebook</a> "
     "<a href='https://zalo.me/share'>Zalo</a></p>", [P1, P2], "Tin, ảnh: LÊ HẢI"),
    # a line of the UI, one with no words, or the tags, in the text or before the byline, is left out
    (f"<p>Nghe bài viết</p>{LEAD}<p>{P1}</p><p>* * *</p><p>{P2}</p><p>Từ khóa: Tết vì người nghèo, Lũng Cú</p>"
     f"{BYLINE}", [P1, P2], "Tin, ảnh: LÊ HẢI"),
    (f"{LEAD}<p>{P1}</p><p>In bài</p><p>{P2}</p>", [P1, P2], None),
    # a line above the lead (a series' label) is not the text
    (f"<p>Kỳ 2: Những mùa xuân ấm áp nơi địa đầu Tổ quốc</p>{LEAD}<p>{P1}</p><p>{P2}</p>", [P1, P2], None),
])
def test_the_body_and_its_closing_byline(inner, paragraphs, byline):
    """Catches the byline not read (or a third line taken for it), the lines before a <br>-byline lost
    or joined wrongly, furniture left at the end, a UI, tag or empty line kept, a line above the lead
    kept, or the body cut at the first line it leaves out."""
    assert read(template(inner)) == (paragraphs, byline)


def test_a_byline_and_its_source_line_are_one_byline():
    """`Tin, ảnh: LÊ HẢI` then `Nguồn: …` on its own line: one byline with the author and the source.
    Catches the second line dropped, taken alone, or merged the wrong way round."""
    page = Anatomy(URL, template(f"{LEAD}<p>{P1}</p><p>{P2}</p>{BYLINE}<p>Nguồn: Cổng TTĐT tỉnh</p>"))
    body = read_body(page, find_lead(page, None), [])
    assert body.paragraphs == [P1, P2]
    assert (body.byline.authors, body.byline.source) == (["Lê Hải"], "Cổng TTĐT tỉnh")
    assert body.byline.text.startswith("Tin, ảnh: LÊ HẢI")


def test_a_page_without_text_has_an_empty_body():
    """Catches a crash or a byline read from nothing when every block is left out."""
    page = Anatomy(URL, template(f"{LEAD}<p>Nghe bài viết</p>"))
    body = read_body(page, find_lead(page, None), [])
    assert (body.paragraphs, body.byline) == ([], None)


DATED_60 = "Cập nhật lúc 9:01, 28/01/2024 - Ban Biên tập Báo Tuyên Quang"
DATED_61 = "Cập nhật lúc 09:01, 28/01/2024 - Ban Biên tập Báo Tuyên Quang"


@pytest.mark.parametrize(("inner", "paragraphs"), [
    # the headline and the time line above the text, however they are set
    (f"<div class='time'>09:01, 28/01/2024</div><p>{P1}</p><p>Cập nhật lúc 15:30, 28/01/2024</p><p>{P2}</p>",
     [P1, "Cập nhật lúc 15:30, 28/01/2024", P2]),
    (f"<h5>Thứ Bảy, 27/01/2024 09:01</h5><p>{P1}</p><p>{P2}</p>", [P1, P2]),
    # a dated line of up to 60 characters is the dateline; a longer one is the text's first paragraph
    (f"<p>{DATED_60}</p><p>{P1}</p>", [P1]),
    (f"<p>{DATED_61}</p><p>{P1}</p>", [DATED_61, P1]),
])
def test_the_headline_and_dateline_are_not_the_body(inner, paragraphs):
    """Catches the headline or the time line under it kept as text, a dated line inside the text (an
    update) dropped, or the 60-character limit of a dateline moved. (No lead: lines above a lead are
    left out whatever they say.)"""
    page = Anatomy(URL, plain(inner))
    assert read_body(page, NO_LEAD, []).paragraphs == paragraphs


def test_the_dateline_limit_is_60_characters():
    """Guards the table above: its two datelines are 60 and 61 characters long."""
    assert (len(DATED_60), len(DATED_61)) == (60, 61)
    assert dating.line_timestamp(DATED_60) is not None and dating.line_timestamp(DATED_61) is not None


@pytest.mark.parametrize(("inner", "paragraphs"), [
    # a picture's caption printed again as text, with its credit or without, or as the alt of a picture
    # anywhere on the page
    (f"{LEAD}<p>{P1}</p><figure><img src='{IMG}'><figcaption>{CAPTION} Ảnh: CTV</figcaption></figure>"
     f"<p>{CAPTION}</p><p>{P2}</p>", [P1, P2]),
    (f"{LEAD}<p>{P1}</p><figure><img src='{IMG}'><figcaption>{CAPTION} Ảnh: CTV</figcaption></figure>"
     f"<p>{P2}</p><p>{CAPTION} Ảnh: CTV</p><p>{P3}</p>", [P1, P2, P3]),
    (f"{LEAD}<p>{P1}</p><p>Đồng bào Mông xã Lũng Cú đón Tết</p><p>{P2}</p>", [P1, P2]),
    # a picture's table with its caption and credit rows, and a caption set apart after a figure
    (f"{LEAD}<p>{P1}</p><table class='image'><tr><td><img src='{IMG}'></td></tr><tr><td>{CAPTION}</td></tr>"
     f"<tr><td>Ảnh: CTV</td></tr></table><p>{P2}</p>", [P1, P2]),
    (f"{LEAD}<p>{P1}</p><figure><img src='{IMG}'><figcaption>{CAPTION}</figcaption></figure>"
     f"<div class='chuthich'>Ảnh: TTXVN</div><p>{P2}</p>", [P1, P2]),
    # italic lines right after a picture are its caption, one or several; an italic line after text is text
    (f"{LEAD}<p>{P1}</p><figure><img src='{IMG}'></figure><p><em>Toàn cảnh buổi lễ trao quà.</em></p>"
     f"<p><em>Người dân phấn khởi nhận quà.</em></p><p>{P2}</p>", [P1, P2]),
    (f"{LEAD}<p>{P1}</p><figure><img src='{IMG}'></figure><p>{P2}</p><p><em>“Tết này bà con đủ ấm.”</em></p>",
     [P1, P2, "“Tết này bà con đủ ấm.”"]),
    (f"{LEAD}<p><em>“Tết này bà con đủ ấm.”</em></p><p>{P1}</p>", ["“Tết này bà con đủ ấm.”", P1]),
    # after a picture's caption line (plain), or the lead, an italic line is text again
    (f"{LEAD}<figure><img src='{IMG}'><figcaption>{CAPTION}</figcaption></figure><p>{CAPTION}</p>"
     f"<p><em>“Tết này bà con đủ ấm.”</em></p><p>{P1}</p>", ["“Tết này bà con đủ ấm.”", P1]),
    (f"<figure><img src='{IMG}'></figure>{LEAD}<p><em>“Tết này bà con đủ ấm.”</em></p><p>{P1}</p>",
     ["“Tết này bà con đủ ấm.”", P1]),
])
def test_pictures_and_their_captions_are_not_the_body(inner, paragraphs):
    """Catches a caption kept as text (printed again, with or without its credit, as an alt, in a
    picture's table, set apart after a figure, in italics under it), an italic line of the text taken
    for a caption, or the body cut at a picture."""
    aside = ("<div class='sidebar'><img src='/file/dong-bao-mong.jpg' alt='Đồng bào Mông xã Lũng Cú đón Tết'>"
             "</div>")
    assert read(template(inner, aside))[0] == paragraphs


def test_the_lead_element_whole_or_its_first_line():
    """A lead-classed block holding two paragraphs: its first line is the lead, the rest is text, and the
    lead's paragraph, printed with the paper's mark, is not repeated as text. A lead that is the whole
    block leaves it all out. Catches the lead repeated in the body (the mark kept in the comparison),
    the block read as text, or the text inside it dropped with the lead."""
    second = "Đoàn đã đến thăm, tặng quà 20 hộ đặc biệt khó khăn ở các thôn vùng cao của xã."
    html = template(f"<div class='sapo'><p>BHG - {LEAD_TEXT}</p><p>{second}</p></div><p>{P1}</p><p>{P2}</p>")
    assert read(html) == ([second, P1, P2], None)
    page = Anatomy(URL, html)
    sapo = page.root.find(".//div[@class='sapo']")
    assert find_lead(page, None) == Lead(sapo, f"BHG - {LEAD_TEXT}")
    assert read_body(page, Lead(sapo, page.text_of(sapo)), []).paragraphs == [P1, P2]


def test_a_lead_printed_apart_is_not_repeated_as_the_first_paragraph():
    """The description is the lead (no element), and the text opens with it again without the paper's
    mark: the repetition is left out, but not the same words later. Catches the mark not stripped before
    comparing, or the rule applied past the first paragraph (or not at all)."""
    page = Anatomy(URL, template(f"<p>{LEAD_TEXT}</p><p>{P1}</p><p>{LEAD_TEXT}</p>"))
    assert read_body(page, Lead(None, f"BHG - {LEAD_TEXT}"), []).paragraphs == [P1, LEAD_TEXT]
    assert read_body(page, NO_LEAD, []).paragraphs == [LEAD_TEXT, P1, LEAD_TEXT]


def test_a_paragraph_that_is_the_lead_elements_own_block_is_left_out():
    """The lead is the first line of a paragraph (a <br> after it): the paragraph is the lead's. Catches
    the lead's own block read as text."""
    page = Anatomy(URL, template(f"<p>BHG - {LEAD_TEXT}<br>{P1}</p><p>{P2}</p><p>{P3}</p>"))
    lead_p = page.root.find(".//div[@class='td-post-content']/p")
    assert read_body(page, Lead(lead_p, f"BHG - {LEAD_TEXT}"), []).paragraphs == [P2, P3]


def _p(markup: str):
    return dom.parse(f"<html><body>{markup}</body></html>").find(".//body")[0]


MORE = "Hà Giang trao 2.000 suất quà Tết cho hộ nghèo vùng cao, hơn 1 tỷ đồng từ các nhà hảo tâm"  # 89


@pytest.mark.parametrize(("markup", "expected"), [
    # opens as furniture: with a colon, whatever its length up to 150; without one, up to 60 characters
    (f"<p>Xem thêm: {MORE}</p>", True),
    (f"<p>Xem thêm : {MORE}</p>", True),
    (f"<p>Xem thêm: {MORE}, {MORE[:50]}</p>", True),
    (f"<p>Xem thêm: {MORE}, {MORE[:50]}.</p>", False),
    ("<p>Chia sẻ bài viết này với bạn bè qua Facebook, Zalo, Twitter.</p>", True),
    ("<p>Chia sẻ bài viết này với bạn bè qua Facebook, Zalo và Twitter</p>", False),
    # a row of links: two at least, and at least three fifths of the line
    ("<p><a href='/xa-hoi/'>Xã hội</a> | <a href='/kinh-te/'>Kinh tế</a></p>", True),
    ("<p><a href='/xa-hoi/202401/a-4e5f6a7'>Hà Giang trao 2.000 suất quà Tết</a></p>", False),
    ("<p><a href='/xa-hoi/'>Xã hội Hà Giang</a> và <a href='/kinh-te/'>Kinh tế Lào Cai</a> (tháng 12/2024)</p>",
     True),
    ("<p><a href='/xa-hoi/'>Xã hội Hà Giang</a> và <a href='/kinh-te/'>Kinh tế Lào Cai</a> (tháng 12/2024).</p>",
     False),
    (f"<p>{P1} Xem <a href='/xa-hoi/'>Xã hội</a> và <a href='/kinh-te/'>Kinh tế</a>.</p>", False),
    (f"<p>{P1}</p>", False),
    (f"<p>{P1} {P2}</p>", False),
])
def test_is_furniture(markup, expected):
    """Catches the opening words of furniture no longer read (a space before the colon included), the
    150- and 60-character limits moved, a link row no longer taken for furniture, or a paragraph with a
    link or two (or a long one) dropped as furniture."""
    el = _p(markup)
    assert _is_furniture(el, dom.text_of(el)) is expected


def test_the_furniture_lengths_of_the_table_above():
    """Guards the boundaries of the table above: 150/151 characters, 60/61, and links of 30 characters in 50/51."""
    assert [len(dom.text_of(_p(f"<p>Xem thêm: {MORE}, {MORE[:50]}{end}</p>"))) for end in ("", ".")] == [150, 151]
    assert [len(t) for t in ("Chia sẻ bài viết này với bạn bè qua Facebook, Zalo, Twitter.",
                             "Chia sẻ bài viết này với bạn bè qua Facebook, Zalo và Twitter")] == [60, 61]
    link_row = "<a>Xã hội Hà Giang</a> và <a>Kinh tế Lào Cai</a> (tháng 12/2024)"
    assert [len(dom.text_of(_p(f"<p>{link_row}{end}</p>"))) for end in ("", ".")] == [50, 51]
    assert len("Xã hội Hà Giang" + "Kinh tế Lào Cai") == 30
