"""The article's pictures (pages.article.media): which <img> of the text are its pictures, their absolute
URLs, and the caption and photo credit printed with each, on pages in the platform's template."""

import pytest

from bhgcrawl.pages import dom
from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.pages.article.media import Picture, caption_like, pictures

URL = "https://baohagiang.vn/xa-hoi/202401/trao-qua-tet-cho-ho-ngheo-xa-lung-cu-7a1b2c3"
TITLE = "Trao quà Tết cho hộ nghèo xã Lũng Cú"
PROSE = ("Sáng 27.1, đoàn công tác của tỉnh đã đến thăm, trao 200 suất quà Tết cho các hộ nghèo của xã Lũng Cú, "
         "huyện Đồng Văn.")
FILE = "https://baohagiang.vn/file/4028eaa4679b32c401679c0c74382a7e/dataimages/202401/original/"
IMG = FILE + "img_trao_qua.jpg"
IMG2 = FILE + "img_nguoi_dan.jpg"
CAPTION = "Lãnh đạo tỉnh trao quà Tết cho hộ nghèo xã Lũng Cú."
CAPTION2 = "Người dân xã Lũng Cú phấn khởi nhận quà Tết."


def page(inner: str, after: str = "") -> Anatomy:
    """An article in the platform's template: `inner` in its body after one paragraph of prose."""
    return Anatomy(URL, f"<html><head><title>{TITLE} - Báo Hà Giang</title></head><body>"
                        f"<h1 class='head_title'>{TITLE}</h1><div id='content' class='content-detail'>"
                        f"<div class='td-post-content'><p>{PROSE}</p>{inner}</div></div>{after}</body></html>")


def found(inner: str, after: str = "") -> list[tuple]:
    return [(p.url, p.printed, p.caption, p.credit) for p in pictures(page(inner, after))]


@pytest.mark.parametrize(("inner", "expected"), [
    # the attribute a lazy-loading theme keeps the picture in wins over `src` (a placeholder then)
    (f"<p><img data-src='{IMG}' src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></p>", [IMG]),
    (f"<p><img data-original='{IMG}' src='{IMG2}'></p>", [IMG]),
    (f"<p><img data-lazy-src='{IMG}' src='{IMG2}'></p>", [IMG]),
    (f"<p><img data-src='' src='{IMG}'></p>", [IMG]),
    (f"<p><img data-src='  ' data-original='data:image/png;base64,iVBORw0KGgo=' src='{IMG}'></p>", [IMG]),
    # a srcset's first candidate, with or without its descriptor
    (f"<p><img srcset='{FILE}img_480.jpg 480w, {FILE}img_960.jpg 960w'></p>", [FILE + "img_480.jpg"]),
    (f"<p><img data-srcset='{FILE}img_480.jpg, {FILE}img_960.jpg 2x' src='{IMG}'></p>", [FILE + "img_480.jpg"]),
    # `src` is one URL: a space or comma in its file name is the name's (encoded), not a srcset's
    (f"<p><img src='{FILE}Le hoi Khau Vai, Meo Vac.jpg'></p>", [FILE + "Le%20hoi%20Khau%20Vai,%20Meo%20Vac.jpg"]),
    # relative and protocol-relative paths; the site's hosts in https, the path's two slashes kept, no fragment
    ("<p><img src='/file/4028eaa4679b32c401679c0c74382a7e/dataimages/202401/original/img_trao_qua.jpg'></p>", [IMG]),
    ("<p><img src='//baohagiang.vn/file/4028eaa4679b32c401679c0c74382a7e/dataimages/202401/original/"
     "img_trao_qua.jpg'></p>", [IMG]),
    ("<p><img src='http://www.baohagiang.vn/file//dataimages/201712/original/images1388904_le_hoi.jpg#zoom'></p>",
     ["https://baohagiang.vn/file//dataimages/201712/original/images1388904_le_hoi.jpg"]),
    (f"<p><img src='{IMG}?width=600&amp;height=-&amp;type=resize'></p>", [IMG + "?width=600&height=-&type=resize"]),
    # another site's picture is kept as it is printed, http included
    ("<p><img src='http://img.youtube.com/vi/dQw4w9WgXcQ/hqdefault.jpg'></p>",
     ["http://img.youtube.com/vi/dQw4w9WgXcQ/hqdefault.jpg"]),
    ("<p><img src='https://media.baotintuc.vn/Upload/2024/01/27/le-trao-qua.jpg'></p>",
     ["https://media.baotintuc.vn/Upload/2024/01/27/le-trao-qua.jpg"]),
    # no picture: no source, a link that is no picture, a scheme no browser fetches a picture by
    ("<p><img alt='Ảnh'></p>", []),
    ("<p><img src='javascript:void(0)'></p>", []),
    ("<p><img src='ftp://baohagiang.vn/file/img_trao_qua.jpg'></p>", []),
    # the theme's logos, icons and spacers are no pictures; a folder so named is
    (f"<p><img src='/common/v1/images/logo-bhg.svg'><img src='/images/icon_zalo.png'></p><p><img src='{IMG}'></p>",
     [IMG]),
    (f"<p><img src='{FILE}icons/img_bieu_tuong.jpg'></p>", [FILE + "icons/img_bieu_tuong.jpg"]),
    # one picture printed twice is one picture; the pictures after it still count
    (f"<p><img src='{IMG}'></p><p><img data-src='{IMG}'></p><p><img src='{IMG2}'></p>", [IMG, IMG2]),
    # a video, its poster frame's source or an embedded player is no picture
    (f"<div class='video'><video src='/file/ban-tin-thoi-su.mp4'><source src='/file/ban-tin-thoi-su.webm'></video>"
     f"<iframe src='https://www.youtube.com/embed/dQw4w9WgXcQ'></iframe></div><p><img src='{IMG}'></p>", [IMG]),
])
def test_picture_urls(inner, expected):
    """Catches a lost lazy-loading attribute or its order, a srcset read as one URL (or a src as a
    srcset), a relative or site URL not made absolute https, a fragment kept, a duplicate or a logo kept,
    or a loop that stops at the first picture it skips."""
    assert [url for url, *_ in found(inner)] == expected


def test_pictures_outside_the_text_are_not_the_articles():
    """A share bar's icon inside the body, and the pictures of the related list after its heading, are
    not the article's. Catches the boilerplate or the stop heading no longer read."""
    inner = (f"<p><img src='{IMG}'></p><div class='social'><img src='/file/share-facebook.jpg'></div>"
             f"<p>{PROSE}</p><h3>Tin cùng chuyên mục</h3><div><img src='{IMG2}'>"
             "<a href='/xa-hoi/202401/ra-quan-dau-xuan-1b2c3d4'>Ra quân đầu xuân</a></div>")
    assert found(inner) == [(IMG, None, None, None)]


def test_a_share_bar_or_the_readers_comments_end_no_picture_search():
    """A picture skipped (a share bar's icon, a reader's picture after the comment button) does not end
    the search: the pictures of the text after a share bar still count. Catches the loop stopping at the
    first picture it skips, or the comment button no longer ending the text."""
    inner = (f"<p><img src='{IMG}'></p><div class='social'><img src='/file/share-facebook.jpg'></div>"
             f"<p><img src='{IMG2}'></p><p>{PROSE}</p><p><a href='#binh-luan'>Bình luận</a></p>"
             f"<p><img src='{FILE}img_ban_doc.jpg'></p>")
    assert [url for url, *_ in found(inner)] == [IMG, IMG2]


def test_a_picture_without_caption_does_not_take_the_next_pictures_line():
    """The centred line after a picture is its caption unless it holds the next picture: then it is that
    one's. Catches the next picture's paragraph read as this one's caption."""
    inner = f"<p><img src='{IMG}'></p><p style='text-align:center'><img src='{IMG2}'><br>{CAPTION2}</p>"
    assert found(inner) == [(IMG, None, None, None), (IMG2, CAPTION2, CAPTION2, None)]


def test_a_page_without_text_has_no_pictures():
    """Catches pictures read from a page whose article block was not found (or none read from one that was)."""
    assert pictures(Anatomy(URL, "<html><body><img src='/file/a.jpg'></body></html>")) == []
    assert pictures(page(f"<p><img src='{IMG}'></p>")) == [Picture(IMG, None, None, None)]


@pytest.mark.parametrize(("inner", "printed", "caption", "credit"), [
    # figcaption, with the photo credit it ends with
    (f"<figure><img src='{IMG}'><figcaption>{CAPTION} Ảnh: CTV</figcaption></figure>",
     f"{CAPTION} Ảnh: CTV", CAPTION, "CTV"),
    # the figcaption, not what else the figure prints; a figure without one: its own text
    (f"<figure><img src='{IMG}'><div class='source'>Ảnh: TTXVN</div><figcaption>{CAPTION}</figcaption></figure>",
     CAPTION, CAPTION, None),
    (f"<figure><img src='{IMG}'><p>{CAPTION}</p></figure>", CAPTION, CAPTION, None),
    (f"<figure><img src='{IMG}' alt='Ruộng bậc thang mùa lúa chín'></figure>", None, None, None),
    # the caption row of the picture's table, the CMS's trailing bar dropped
    (f"<div><table class='image center'><tr><td><img src='{IMG}'></td></tr><tr><td class='desc' "
     f"style='text-align:center'>{CAPTION} |</td></tr><tr><td>Ảnh: CTV</td></tr></table></div>",
     CAPTION, CAPTION, None),
    (f"<table><tr><td><img src='{IMG}' alt='Ruộng bậc thang mùa lúa chín'></td></tr></table>", None, None, None),
    # a caption-classed element beside the picture, not the wrapper's whole text
    (f"<div class='pic'><img src='{IMG}'><div class='tacgia'>Ảnh: CTV</div><div class='caption'>{CAPTION}</div>"
     "</div>", CAPTION, CAPTION, None),
    (f"<table><tr><td><span>Ảnh: TTXVN</span><img src='{IMG}'><div class='chuthich'>{CAPTION}</div></td></tr>"
     "</table>", CAPTION, CAPTION, None),
    # the paragraph the picture is printed in, or the one centred line below it
    (f"<p><img src='{IMG}'><br><em>{CAPTION} (Ảnh: Văn Tuấn)</em></p>",
     f"{CAPTION} (Ảnh: Văn Tuấn)", CAPTION, "Văn Tuấn"),
    (f"<center><img src='{IMG}'><br>{CAPTION}</center>", CAPTION, CAPTION, None),
    (f"<p><img src='{IMG}'></p><p style='text-align: center;'>{CAPTION}</p>", CAPTION, CAPTION, None),
    (f"<p><img src='{IMG}'></p><p class='desc'>{CAPTION}</p>", CAPTION, CAPTION, None),
    (f"<div><a href='{IMG}'><img src='{IMG}'></a><em>{CAPTION}</em></div>", CAPTION, CAPTION, None),
    (f"<div><span><img src='{IMG}'></span><em>{CAPTION}</em></div>", CAPTION, CAPTION, None),
    # a plain paragraph after the picture is the text going on, not its caption: the alt then, if long
    (f"<p><img src='{IMG}' alt='Ruộng bậc thang mùa lúa chín'></p><p>{PROSE}</p>",
     "Ruộng bậc thang mùa lúa chín", "Ruộng bậc thang mùa lúa chín", None),
    (f"<div><img src='{IMG}'><span>{CAPTION}</span></div>", None, None, None),
    (f"<p><img src='{IMG}' title='Cột cờ Lũng Cú, Đồng Văn'></p>", "Cột cờ Lũng Cú, Đồng Văn",
     "Cột cờ Lũng Cú, Đồng Văn", None),
    # an alt of 15 characters or fewer is a file name or a word, no caption
    (f"<p><img src='{IMG}' alt='Ruộng bậc thang'></p>", None, None, None),
    (f"<p><img src='{IMG}' alt='Ruộng bậc thang.'></p>", "Ruộng bậc thang.", "Ruộng bậc thang.", None),
])
def test_the_caption_of_one_picture(inner, printed, caption, credit):
    """Catches a caption taken from the wrong place (the figure's whole text, the table's second row,
    the wrapper's text), a rule of where captions are printed lost, the CMS's "|" left at the end, the
    photo credit not split off, or an alt used whatever its length."""
    assert found(inner) == [(IMG, printed, caption, credit)]


@pytest.mark.parametrize("wrapper", ["p", "div", "center"])
def test_a_picture_without_caption_does_not_take_the_next_pictures(wrapper):
    """The search for a caption stops at the paragraph (or block) that holds the picture. Catches it
    climbing to the article's block, where it finds the caption of another picture."""
    inner = (f"<{wrapper}><img src='{IMG}'></{wrapper}><p>{PROSE}</p>"
             f"<div class='image'><img src='{IMG2}'><span class='caption'>{CAPTION2}</span></div>")
    assert found(inner) == [(IMG, None, None, None), (IMG2, CAPTION2, CAPTION2, None)]


def test_the_own_line_of_a_picture_is_at_most_300_characters():
    """A paragraph holding one picture and up to 300 characters is the picture and its caption; past that
    it is text with a picture in it. Catches the limit moved."""
    line = (CAPTION + " ") * 10
    at_limit, past_limit = line[:300].strip() + "x" * (300 - len(line[:300].strip())), line[:301]
    assert (len(at_limit), len(past_limit)) == (300, 301)
    assert found(f"<p><img src='{IMG}'><br>{at_limit}</p>")[0][1] == at_limit
    assert found(f"<p><img src='{IMG}'><br>{past_limit}</p>")[0][1] is None


def test_two_pictures_in_one_paragraph_do_not_share_its_text():
    """Catches a paragraph of two pictures and a line taken as the caption of each."""
    inner = f"<p><img src='{IMG}' alt='Ảnh'><img src='{IMG2}' alt='Ảnh'><br>{CAPTION}</p>"
    assert found(inner) == [(IMG, None, None, None), (IMG2, None, None, None)]


def test_a_picture_gives_the_records_fields():
    """Catches `Picture.record` dropping or swapping a field (the printed caption is not one)."""
    assert Picture(IMG, f"{CAPTION} Ảnh: CTV", CAPTION, "CTV").record() == {
        "url": IMG, "caption": CAPTION, "credit": "CTV"}


def _el(markup: str):
    return dom.parse(f"<html><body>{markup}</body></html>").find(".//body")[0]


STYLED = "Toàn cảnh hội nghị tổng kết năm 2023"  # 36 characters


@pytest.mark.parametrize(("markup", "text", "expected"), [
    (f"<p><em>{CAPTION}</em></p>", CAPTION, True),
    (f"<p><i>{CAPTION}</i></p>", CAPTION, True),
    (f"<p><small>{CAPTION}</small></p>", CAPTION, True),
    (f"<p>{CAPTION}</p>", CAPTION, False),
    (f"<p style='text-align: center;'>{CAPTION}</p>", CAPTION, True),
    (f"<p style='TEXT-ALIGN: CENTER'>{CAPTION}</p>", CAPTION, True),
    (f"<p style='text-align: justify;'>{CAPTION}</p>", CAPTION, False),
    (f"<p align='center'>{CAPTION}</p>", CAPTION, True),
    (f"<p align='left'>{CAPTION}</p>", CAPTION, False),
    # italic for at least four fifths of the line: 36 of 45 characters is, 36 of 47 is not
    (f"<p><em>{STYLED}</em> Ảnh: CTV</p>", f"{STYLED} Ảnh: CTV", True),
    (f"<p><em>{STYLED}</em> (Ảnh: CTV)</p>", f"{STYLED} (Ảnh: CTV)", False),
    ("<p><em>Toàn cảnh hội nghị</em> tổng kết <em>năm 2023</em></p>", STYLED, False),
    # the closing mark of an article's text, or more than 300 characters, is text however it is set
    (f"<p><em>{CAPTION}./.</em></p>", f"{CAPTION}./.", False),
    ("<p><em>" + "x" * 300 + "</em></p>", "x" * 300, True),
    ("<p><em>" + "x" * 301 + "</em></p>", "x" * 301, False),
])
def test_caption_like(markup, text, expected):
    """Catches the italic, small or centred setting of a caption no longer read (or read in plain
    text), the four-fifths share or the 300-character limit moved, or "./." no longer ending text."""
    assert caption_like(_el(markup), text) is expected
