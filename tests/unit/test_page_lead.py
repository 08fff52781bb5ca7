"""Tests for bhgcrawl.pages.article.lead: which element of an article page is its lead, the lead without
the paper's mark, and the event date the lead opens with."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from lxml import etree

from bhgcrawl.dates import SITE_TZ, Timestamp
from bhgcrawl.pages.article.anatomy import Anatomy
from bhgcrawl.pages.article.lead import Lead, find_lead, lead_event_date

URL = "https://baohagiang.vn/xa-hoi/202401/le-ra-quan-dau-xuan-785430"
TITLE = "Lễ ra quân đầu xuân Giáp Thìn 2024"
PUBLISHED = Timestamp(datetime(2024, 1, 28, 9, 1, tzinfo=SITE_TZ), "minute")
P1 = "Tại buổi lễ, các đại biểu đã nghe báo cáo tổng kết công tác năm 2023, thảo luận và thống nhất nhiệm vụ năm 2024."
P2 = "Dịp này, nhiều tập thể, cá nhân có thành tích xuất sắc đã được biểu dương, khen thưởng./."
PROSE = f"<p>{P1}</p><p>{P2}</p>"
DATED = "Sáng 27.1, lễ ra quân đầu xuân đã diễn ra trang trọng tại thành phố Hà Giang."
MARKED = "BHG - " + DATED
PLAIN = "Lễ ra quân đầu xuân đã diễn ra trang trọng tại thành phố Hà Giang với sự tham dự của đông đảo nhân dân."
RELATED_ITEM = "<a href='/xa-hoi/202401/tet-am-no-cho-tre-em-785431'>Tết ấm no cho trẻ em vùng cao</a>"


def page(content: str, *, head: str = "", before: str = "", top: str = "", after: str = "",
         dateline: str = "<div class='time'>09:01, 28/01/2024</div>", headline: str = f"<h1>{TITLE}</h1>") -> Anatomy:
    """An article page of the site's layout: `before` the headline, `top` between the dateline and the
    `content` block, `after` that block."""
    return Anatomy(URL, f"<html><head><meta charset='utf-8'><title>{TITLE} - Báo Hà Giang</title>{head}</head>"
                        f"<body><div class='main'>{before}{headline}{dateline}{top}"
                        f"<div class='content'>{content}</div>{after}</div></body></html>")


def og(description: str) -> str:
    return f"<meta property='og:description' content='{description}'>"


def box(text: str) -> str:
    return f"<div class='box'><b>{text}</b></div>"


def tools(n: int) -> str:
    """The page's tool bar: `n` one-word lines."""
    return "<ul class='tools'>" + "".join(f"<li>{t}</li>" for t in TOOLS[:n]) + "</ul>"


TOOLS = ["Nghe bài viết", "Cỡ chữ", "A-", "A+", "In bài", "Gửi email", "Lưu", "Chia sẻ", "Facebook", "Zalo",
         "Twitter", "Tweet", "Thích", "Theo dõi", "Bình luận", "Quay lại", "Về đầu trang", "Trở lại", "Print"]
# A first paragraph of exactly 90% bold (90 of 100 characters), and one of less with two bold pieces.
BOLD_90 = "<p><strong>Lễ ra quân đầu xuân Giáp Thìn 2024 đã diễn ra trang trọng tại thành phố Hà Giang sáng nay." \
          "</strong> (Ảnh: TL)</p>"
BOLD_88 = "<p><strong>Lễ ra quân đầu xuân Giáp Thìn 2024</strong> đã diễn ra " \
          "<strong>trang trọng tại thành phố Hà Giang với đông đảo nhân dân</strong></p>"
# A dated first paragraph of 600 characters (the longest a lead so found may be), and of 601.
LONG = (DATED + " " + P1 + " " + P2 + " " + P1 + " " + P2 + " " + P1 + " " + P2)[:599]
LD_DESCRIPTION = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
                  f"\"headline\": \"{TITLE}\", \"description\": \"{PLAIN}\"}}</script>")
INTRO_HEADLINE = f"<h2 class='intro-title'>{TITLE}</h2>"

# (content, the other parts of the page, the lead as printed, the tag of its element)
CASES = {
    # A lead-classed element or the description's itemprop, whatever its text.
    "sapo": (f"<div class='sapo'>{PLAIN}</div>{PROSE}", {}, PLAIN, "div"),
    "sapo-p": (f"<p class='sapo'>{PLAIN}</p>{PROSE}", {}, PLAIN, "p"),
    "sapo-h2": (f"<h2 class='sapo'>{PLAIN}</h2>{PROSE}", {}, PLAIN, "h2"),
    "lead-h3": (f"<h3 class='lead'>{PLAIN}</h3>{PROSE}", {}, PLAIN, "h3"),
    "sapo-strong": (f"<p><strong class='sapo'>{PLAIN}</strong></p>{PROSE}", {}, PLAIN, "strong"),
    "sapo-section": (f"<section class='article-sapo'>{PLAIN}</section>{PROSE}", {}, PLAIN, "section"),
    "itemprop": (f"<div itemprop='description'>{PLAIN}</div>{PROSE}", {}, PLAIN, "div"),
    "sapo-span": (f"<p><span class='lead-text'>{PLAIN}</span></p>{PROSE}", {}, PLAIN, "span"),
    "sapo-20-chars": (f"<div class='sapo'>Mừng Đảng, mừng Xuân</div>{PROSE}", {}, "Mừng Đảng, mừng Xuân", "div"),
    "sapo-19-chars": (f"<div class='sapo'>Mừng Đảng mừng Xuân</div>{PROSE}", {}, None, None),
    # A sapo made of two paragraphs: the first is the lead.
    "sapo-two-lines": (f"<div class='sapo'><p>{PLAIN}</p><p>Ảnh: Hoàng Nam</p></div>{PROSE}", {}, PLAIN, "div"),
    "sapo-three-lines": (f"<div class='sapo'><p>{PLAIN}</p><p>Ảnh: Hoàng Nam</p><p>Video: Thu Phương</p></div>{PROSE}",
                         {}, None, None),
    # An unclosed <b> in the sapo holds the article: its first line is the lead, when it is one.
    "unclosed-sapo": (f"<div class='sapo'><b>{MARKED}<div class='article-content'>{PROSE}</div></b></div>", {},
                      MARKED, "div"),
    "unclosed-sapo-40": ("<div class='sapo'><b>Tiểu ban thông tin, tuyên truyền họp lần"
                         f"<div class='article-content'>{PROSE}</div></b></div>", {},
                         "Tiểu ban thông tin, tuyên truyền họp lần", "div"),
    "unclosed-sapo-39": ("<div class='sapo'><b>Tiểu ban thông tin tuyên truyền họp lần"
                         f"<div class='article-content'>{PROSE}</div></b></div>", {}, None, None),
    # A summary above the headline is a listing's, one after the related heading an item's; a picture's
    # caption classed `desc` is no lead, nor a headline classed `intro-title`.
    "summary-before-headline": (PROSE, {"before": f"<div class='top'><p class='summary'>{PLAIN}</p></div>"},
                                None, None),
    "sapo-after-related": (f"{PROSE}<h3>Tin liên quan</h3><div><p class='sapo'>{PLAIN}</p>{RELATED_ITEM}</div>",
                           {}, None, None),
    "sapo-in-sidebar": (f"<aside><p class='desc'>{PLAIN}</p></aside>{PROSE}", {}, None, None),
    "caption-desc": (f"<figure><img src='/file/le-ra-quan.jpg'><figcaption class='desc'>{PLAIN}</figcaption></figure>"
                     f"{PROSE}", {}, None, None),
    "intro-headline": (PROSE, {"headline": INTRO_HEADLINE}, None, None),
    # Nor the comments' box where the article stops (its heading a button, so not marked as chrome).
    "intro-at-comments": (PROSE, {"after": "<div class='intro'><a href='#binh-luan'>Bình luận</a><br>"
                                           "Hãy là người đầu tiên bình luận bài viết này</div>"}, None, None),
    # The paper's mark: on one of the first three paragraphs, or on a line after the headline.
    "marked-first": (f"<p>{MARKED}</p>{PROSE}", {}, MARKED, "p"),
    "marked-third": (f"<p>{P1}</p><p>{P2}</p><p>BHG - Sáng 27.1, tại Hà Giang.</p><p>{P1}</p>", {},
                     "BHG - Sáng 27.1, tại Hà Giang.", "p"),
    "marked-fourth": (f"<p>{P1}</p><p>{P2}</p><p>{P1}</p><p>BHG - Sáng 27.1, tại Hà Giang.</p>", {}, None, None),
    "marked-box": (PROSE, {"top": box(MARKED)}, MARKED, "div"),
    "marked-box-under-headline": (PROSE, {"dateline": "", "top": box(MARKED)}, MARKED, "div"),
    "marked-box-after-prose": (PROSE, {"after": box(MARKED)}, MARKED, "div"),
    "marked-line-20th": (PROSE, {"top": tools(18) + box(MARKED)}, MARKED, "div"),
    "marked-line-21st": (PROSE, {"top": tools(19) + box(MARKED)}, None, None),
    "marked-line-41": (PROSE, {"top": box("HGĐT- Tiểu ban bầu cử tỉnh họp lần thứ 2.")},
                       "HGĐT- Tiểu ban bầu cử tỉnh họp lần thứ 2.", "div"),
    "marked-line-40": (PROSE, {"top": box("HGĐT- Tiểu ban bầu cử tỉnh họp lần thứ 2")}, None, None),
    "marked-line-above-headline": (PROSE, {"before": "<div class='kicker'>Xã hội</div>" + box(MARKED)}, None, None),
    "marked-line-in-sidebar": (PROSE, {"top": f"<aside><b>{MARKED}</b></aside>"}, None, None),
    "marked-line-after-related": (PROSE, {"after": f"<h3>Tin liên quan</h3><div><b>{MARKED}</b>{RELATED_ITEM}</div>"},
                                  None, None),
    "marked-line-after-related-text": (f"{PROSE}<h3>Tin liên quan</h3><div><p>{MARKED}</p></div>", {}, None, None),
    # The first paragraph, when the page's description names it (mark or not, cut short or not)…
    "og-description": (f"<p>{PLAIN}</p>{PROSE}", {"head": og(PLAIN)}, PLAIN, "p"),
    "og-description-marked": (f"<p>{PLAIN}</p>{PROSE}", {"head": og("HGĐT- " + PLAIN)}, PLAIN, "p"),
    "og-description-cut": (f"<p>{PLAIN}</p>{PROSE}", {"head": og(PLAIN[:62] + "…")}, PLAIN, "p"),
    "og-description-other": (f"<p>{PLAIN}</p>{PROSE}", {"head": og(P2)}, None, None),
    "meta-description": (f"<p>{PLAIN}</p>{PROSE}", {"head": f"<meta name='description' content='{PLAIN}'>"}, PLAIN,
                         "p"),
    "ld-description": (f"<p>{PLAIN}</p>{PROSE}", {"head": LD_DESCRIPTION}, PLAIN, "p"),
    # …when it is printed in bold…
    "bold": (f"<p><strong>{PLAIN}</strong></p><p>{P1}</p>", {}, PLAIN, "p"),
    "bold-b": (f"<p><b>{PLAIN}</b></p><p>{P1}</p>", {}, PLAIN, "p"),
    "bold-90": (f"{BOLD_90}<p>{P1}</p>", {}, "Lễ ra quân đầu xuân Giáp Thìn 2024 đã diễn ra trang trọng tại "
                "thành phố Hà Giang sáng nay. (Ảnh: TL)", "p"),
    "bold-88": (f"{BOLD_88}<p>{P1}</p>", {}, None, None),
    "bold-alone": (f"<p><strong>{PLAIN}</strong></p>", {}, None, None),
    "bold-half": (f"<p><strong>Lễ ra quân đầu xuân</strong> đã diễn ra trang trọng tại thành phố Hà Giang.</p>{PROSE}",
                  {}, None, None),
    # …or when it opens with the event's date.
    "dated": (f"<p>{DATED}</p><p>{P1}</p>", {}, DATED, "p"),
    "dated-600": (f"<p>{LONG}.</p><p>{P1}</p>", {}, LONG + ".", "p"),
    "dated-601": (f"<p>{LONG}..</p><p>{P1}</p>", {}, None, None),
    "dated-alone": (f"<p>{DATED}</p>", {}, None, None),
    "undated": (f"<p>{PLAIN}</p>{PROSE}", {}, None, None),
}


@pytest.mark.parametrize(("content", "parts", "printed", "tag"), CASES.values(), ids=CASES.keys())
def test_find_lead(content, parts, printed, tag):
    """Catches a lead taken from the wrong element (a listing's summary, a related item's, the sidebar's,
    a paragraph that is no lead) or a lead missed, and a limit (20, 40 characters, 3 paragraphs) moved."""
    lead = find_lead(page(content, **parts), PUBLISHED)
    assert (lead.printed, getattr(lead.el, "tag", None)) == (printed, tag)


def test_a_page_given_as_its_content_element():
    """Catches the search for a lead-classed element skipping the first elements of a page that has no
    headline: an element given as the page (a block cut from one) may be the sapo's parent."""
    root = etree.fromstring(f"<div class='content'><div class='sapo'>{PLAIN}</div>{PROSE}</div>")
    lead = find_lead(Anatomy(URL, root), PUBLISHED)
    assert (lead.printed, lead.el) == (PLAIN, root[0])


@pytest.mark.parametrize(("printed", "text"), [
    (MARKED, DATED),
    ("  HGĐT- " + DATED + " ", DATED),
    ("(BHG) - " + DATED, DATED),
    ("Báo Hà Giang: " + DATED, DATED),
    ("BHG - ", None),
    (None, None),
])
def test_lead_text(printed, text):
    """Catches the paper's mark or the edge spaces kept in the lead, or a lead that is only the mark given as ""."""
    assert Lead(None, printed).text == text


def month(year: int, mo: int) -> Timestamp:
    return Timestamp(datetime(year, mo, 1, tzinfo=SITE_TZ), "month")


@pytest.mark.parametrize(("lead", "published", "expected"), [
    (DATED, PUBLISHED, date(2024, 1, 27)),
    ("Ngày 28.1, Ban Thường vụ Tỉnh ủy tổ chức hội nghị.", Timestamp(datetime(2024, 1, 1, tzinfo=SITE_TZ), "day"),
     date(2023, 1, 28)),
    # Only the month is known: the article may be from its last day (plus a week for announcements).
    ("Ngày 28.1, Ban Thường vụ Tỉnh ủy tổ chức hội nghị.", month(2024, 1), date(2024, 1, 28)),
    ("Ngày 7.2, Ban Thường vụ Tỉnh ủy tổ chức hội nghị.", month(2024, 1), date(2024, 2, 7)),
    ("Ngày 8.2, Ban Thường vụ Tỉnh ủy tổ chức hội nghị.", month(2024, 1), date(2023, 2, 8)),
    ("Ngày 29.2, Ban Thường vụ Tỉnh ủy tổ chức hội nghị.", month(2024, 2), date(2024, 2, 29)),
    ("Sáng 31.12, toàn tỉnh đón giao thừa.", month(2023, 12), date(2023, 12, 31)),
    ("Sáng 8.1, toàn tỉnh ra quân đầu năm.", month(2023, 12), date(2023, 1, 8)),
    (PLAIN, PUBLISHED, None),
    ("", PUBLISHED, None),
    (None, PUBLISHED, None),
    (DATED, None, None),
])
def test_lead_event_date(lead, published, expected):
    """Catches a month-precision date taken as its first day (a lead of the 28th read as last year's) or as
    a later day than its last, and a missing lead or date not giving None."""
    assert lead_event_date(lead, published) == expected
