"""Extraction field by field: golden records, the generator's truth, and markup variants, on both saved
sites (the real platform's template, and the markup invented before it was known)."""

import functools
import json

import pytest

from bhgcrawl.pages.article import ArticlePage
from devtools.golden import SITES, article_files, dumps, expected_path, record_for
from tests.helpers import (
    FIXTURES,
    INVENTED_SITE,
    PLAIN_HEADLINE,
    PLAIN_P1,
    PLAIN_P2,
    PLAIN_URL,
    SITE,
    reference_validator,
)

TRUTHS = {SITE: FIXTURES / "site-truth.json", INVENTED_SITE: FIXTURES / "invented-truth.json"}
PAGES = {(root, url): found for root in SITES for url, found in article_files(root).items()}
TRUTH = {(root, t["url"]): t for root, path in TRUTHS.items() for t in json.loads(path.read_text("utf-8"))}
# Fields the site generator knows for certain (fixtures/sitegen writes them beside the pages).
TRUTH_FIELDS = ["title", "published", "published_precision", "lead", "event_date", "body", "byline",
                "authors", "source", "category", "category_name", "language", "tags", "article_id"]
KEYS = sorted(PAGES, key=lambda k: (k[0].name, k[1]))
IDS = [f"{root.name}:{url.rsplit('/', 1)[1]}" for root, url in KEYS]


@functools.cache
def fresh(key: tuple) -> dict:
    """What the extractor makes of a fixture page now (as `make golden` would write it)."""
    file, served = PAGES[key]
    return record_for(key[1], file.read_text("utf-8"), served)


@pytest.mark.parametrize("key", KEYS, ids=IDS)
def test_golden_record_is_current(key):
    """`make golden` regenerates these; a diff here is a change of output to review."""
    record = fresh(key)
    assert dumps(record) == expected_path(record, SITES[key[0]]).read_text("utf-8")


@pytest.mark.parametrize("key", KEYS, ids=IDS)
def test_record_matches_what_the_page_says(key):
    """Against what the site generator knows, not against the extractor's own earlier output."""
    record = fresh(key)
    truth = TRUTH[key]
    for field in TRUTH_FIELDS + (["publisher"] if "publisher" in truth else []):
        assert record[field] == truth[field], field
    assert [r["url"] for r in record["related"]] == truth["related"]
    assert [{"url": i["url"], "caption": i["caption"]} for i in record["images"]] == truth["images"]


def test_every_truth_has_its_page():
    assert set(TRUTH) == set(PAGES) and len(PAGES) == 46 + 41


@pytest.mark.parametrize("key", KEYS, ids=IDS)
def test_fresh_records_follow_the_schema(key):
    """What the extractor gives now, not what is stored: catches an extraction that breaks the
    schema (and `make golden` run over it, which would store the broken records too)."""
    record = {**fresh(key), "crawled_at": "2026-11-25T04:00:00+00:00"}
    assert [e.message for e in reference_validator().iter_errors(record)] == []
    stored = json.loads(expected_path(record, SITES[key[0]]).read_text("utf-8"))
    assert reference_validator().is_valid({**stored, "crawled_at": record["crawled_at"]})


def test_fixtures_cover_the_forms_of_notes():
    """Every form NOTES.md names is read from the fixture pages by the extractor as it is now (not
    merely present in the stored golden files): catches a byline form, a source, a photo credit, a
    precision, an id generation or a language the extractor no longer reads."""
    records = [fresh(key) for key in KEYS]
    assert len(records) == sum(len(list(expected.glob("*.json"))) for expected in SITES.values())
    precisions = {r["published_precision"] for r in records}
    assert precisions == {"minute", "month"}
    assert {len(r["article_id"]) for r in records} == {6, 7}
    assert {r["language"] for r in records} == {"vi", "en"}
    bylines = {r["byline"] for r in records}
    for form in ("Tin, ảnh: LÊ HẢI", "Tin, ảnh: Nguyễn Hùng", "PV", "Theo TTXVN"):
        assert form in bylines
    assert any(r["source"] == "Cổng TTĐT tỉnh" for r in records)
    assert any(i["credit"] == "CTV" for r in records for i in r["images"])


SEED_URL = "https://baohagiang.vn/thoi-su-chinh-tri/202103/khoi-giao-uoc-thi-dua-785426"


def test_unseen_html5_markup_of_the_seed_article():
    """No JSON-LD, no meta dates, class names of another theme: text patterns must carry it."""
    page = ArticlePage(SEED_URL, (FIXTURES / "variants" / "html5-seed.html").read_text("utf-8"))
    r = page.to_record()
    assert r["title"] == ("Khối giao ước thi đua MTTQ và các tổ chức chính trị - xã hội tỉnh triển khai "
                          "công tác thi đua năm 2021")
    assert (r["published"], r["published_precision"]) == ("2021-03-05T18:34:00+07:00", "minute")
    assert r["lead"].startswith("Ngày 5.3, tại Tỉnh đoàn,") and r["lead"].endswith("Khối giao ước thi đua.")
    assert r["event_date"] == "2021-03-05"
    assert r["body"].split("\n\n")[0].startswith("Thực hiện phát động phong trào thi đua")
    assert r["body"].endswith("ký kết giao ước thi đua năm 2021./.")
    assert len(r["body"].split("\n\n")) == 2
    assert (r["byline"], r["authors"]) == ("Tin, ảnh: LÊ HẢI", ["Lê Hải"])
    assert r["credits"] == [{"name": "Lê Hải", "roles": ["text", "photo"]}]
    assert r["category_name"] == "Thời sự - Chính trị"
    assert [i["caption"] for i in r["images"]] == [
        "Các đại biểu Khối giao ước thi đua MTTQ và các tổ chức chính trị - xã hội tỉnh ký kết giao ước thi đua "
        "năm 2021"]
    assert [(x["url"].rsplit("-", 1)[1], x["published"], x["published_precision"]) for x in r["related"]] == [
        ("785421", "2021-03-05T00:00:00+07:00", "day"), ("785418", "2021-03-05T00:00:00+07:00", "day")]
    assert r["tags"] == []


@pytest.mark.parametrize(("category", "body"), [
    ("multimedia/truyen-hinh", None), ("media-bhg", None), ("thoi-su-chinh-tri", ""), ("xa-hoi/media-moi", ""),
])
def test_a_video_without_text_has_a_null_body(category, body):
    html = ("<html><body><h1>Bản tin truyền hình Hà Giang ngày 5.3</h1><div class='time'>17:12, 05/03/2021</div>"
            "<div class='video'><video src='/file/ban-tin.mp4'></video></div></body></html>")
    r = ArticlePage(f"https://baohagiang.vn/{category}/202103/ban-tin-truyen-hinh-67b4c0c", html).to_record()
    assert (r["title"], r["lead"], r["body"]) == ("Bản tin truyền hình Hà Giang ngày 5.3", None, body)


def test_page_without_anything_but_a_url_date():
    html = ("<html><body><div class='x'><h1>Tiêu đề bài viết thử nghiệm</h1>"
            "<p>Đoạn văn thứ nhất, có dấu phẩy, đủ dài để là nội dung chính của bài viết.</p>"
            "<p>Đoạn văn thứ hai, cũng đủ dài, để bộ chấm điểm chọn đúng khối nội dung.</p></div></body></html>")
    r = ArticlePage("https://baohagiang.vn/xa-hoi/201511/tieu-de-654321", html).to_record()
    assert (r["published"], r["published_precision"]) == ("2015-11-01T00:00:00+07:00", "month")
    assert r["title"] == "Tiêu đề bài viết thử nghiệm"
    assert r["byline"] is None and r["authors"] == []


def test_structured_date_outside_the_url_month_is_not_believed():
    html = ("<html><head><meta property='article:published_time' content='2026-11-25T10:00:00+07:00'></head>"
            "<body><h1>Tin về mùa vụ ở Quang Bình</h1><div>14:20, 03/05/2019</div>"
            "<div><p>BHG - Sáng 3.5, tại huyện Quang Bình, nông dân xuống đồng gieo cấy lúa vụ mùa.</p>"
            "<p>Đoạn thân bài, có dấu phẩy, có dấu chấm. Đủ dài để là thân bài của bài viết này.</p></div>"
            "</body></html>")
    r = ArticlePage("https://baohagiang.vn/kinh-te/201905/tin-mua-vu-745001", html).to_record()
    assert r["published"] == "2019-05-03T14:20:00+07:00"
    assert r["event_date"] == "2019-05-03"


def test_unseen_table_layout_with_br_paragraphs():
    """A 2000s-style table page: headline in a <span>, body as text<br><br>text, no metadata."""
    url = "https://baohagiang.vn/xa-hoi/201905/ha-giang-hon-1200-ho-dan-duoc-ho-tro-lam-nha-o-743000"
    r = ArticlePage(url, (FIXTURES / "variants" / "table-br-2019.html").read_text("utf-8")).to_record()
    assert r["title"] == "Hà Giang: Hơn 1.200 hộ dân được hỗ trợ làm nhà ở"
    assert (r["published"], r["published_precision"]) == ("2019-05-20T15:43:00+07:00", "minute")
    assert r["lead"] == ("Ngày 18.5, Ban Chỉ đạo hỗ trợ nhà ở cho hộ nghèo tỉnh tổ chức hội nghị sơ kết công tác "
                         "hỗ trợ làm nhà ở năm 2018 và triển khai nhiệm vụ năm 2019.")
    assert r["event_date"] == "2019-05-18"
    assert r["body"] == (
        "Năm 2018, toàn tỉnh đã hỗ trợ làm mới và sửa chữa nhà ở cho hơn 1.200 hộ nghèo, hộ có hoàn cảnh khó "
        "khăn, với tổng kinh phí trên 36 tỷ đồng, trong đó vốn huy động từ các tổ chức, cá nhân đạt trên 12 tỷ "
        "đồng.\n\nNăm 2019, tỉnh phấn đấu hỗ trợ thêm 1.500 nhà ở cho hộ nghèo; các huyện được giao chỉ tiêu cụ "
        "thể, gắn với trách nhiệm của người đứng đầu cấp ủy, chính quyền.")
    assert (r["byline"], r["authors"]) == ("VĂN TOẠI", ["Văn Toại"])
    assert r["category_name"] == "Xã hội"
    assert [(i["caption"]) for i in r["images"]] == ["Lễ bàn giao nhà cho hộ nghèo tại xã Thái An, huyện Quản Bạ"]
    assert [(x["title"], x["published"], x["published_precision"]) for x in r["related"]] == [
        ("Trao quà cho học sinh nghèo vượt khó", "2019-05-19T00:00:00+07:00", "day"),
        ("Khám bệnh miễn phí cho người dân vùng cao", "2019-05-17T00:00:00+07:00", "day")]


@pytest.mark.parametrize("dateline,byline,authors", [
    ("LÊ HẢI | <span>18:34</span>, <span>05/03/2021</span> | Lượt xem: 312", "LÊ HẢI", ["Lê Hải"]),
    ("<span>18:34</span>, <span>05/03/2021</span></div><p>Bài, ảnh: VƯƠNG LIỀU</p><div>", "Bài, ảnh: VƯƠNG LIỀU",
     ["Vương Liều"]),
    ("HÀ GIANG | <span>18:34</span>, <span>05/03/2021</span>", None, []),
    ("Thời sự - Chính trị | <span>18:34</span>, <span>05/03/2021</span>", None, []),
])
def test_byline_printed_with_the_dateline(dateline, byline, authors):
    html = (FIXTURES / "variants" / "html5-seed.html").read_text("utf-8")
    html = html.replace('<p style="text-align:right"><strong>Tin, ảnh: LÊ HẢI</strong></p>', "")
    html = html.replace("<span>18:34</span>, <span>05/03/2021</span>", dateline)
    r = ArticlePage(SEED_URL, html).to_record()
    assert (r["byline"], r["authors"]) == (byline, authors)
    assert r["published"] == "2021-03-05T18:34:00+07:00"
    assert r["body"].endswith("ký kết giao ước thi đua năm 2021./.")


def test_unmarked_plain_first_paragraph_opening_with_a_date_is_the_lead():
    html = (FIXTURES / "variants" / "html5-seed.html").read_text("utf-8")
    html = html.replace("<p><strong>BHG - Ngày 5.3,", "<p>Ngày 5.3,").replace(
        "Khối giao ước thi đua.</strong></p>", "Khối giao ước thi đua.</p>")
    r = ArticlePage(SEED_URL, html).to_record()
    assert r["lead"].startswith("Ngày 5.3, tại Tỉnh đoàn") and r["event_date"] == "2021-03-05"
    assert r["body"].startswith("Thực hiện phát động phong trào thi đua") and len(r["body"].split("\n\n")) == 2


@pytest.mark.parametrize("line,expected", [
    ("Đăng lúc 9h01 ngày 28/1/2024", ("2024-01-28T09:01:00+07:00", "minute")),
    # The time printed apart from the date, its 12-hour marker read with it, or the time refused.
    ("Đăng lúc 9h01 CH ngày 28/1/2024", ("2024-01-28T21:01:00+07:00", "minute")),
    ("Đăng lúc 9h01 PM ngày 28/1/2024", ("2024-01-28T21:01:00+07:00", "minute")),
    ("Đăng lúc 12h05 SA ngày 28/1/2024", ("2024-01-28T00:05:00+07:00", "minute")),
    ("Đăng lúc 9h01 tối ngày 28/1/2024", ("2024-01-28T21:01:00+07:00", "minute")),
    ("Đăng lúc 15h01 SA ngày 28/1/2024", ("2024-01-28T00:00:00+07:00", "day")),
    ("Đăng lúc 24h01 ngày 28/1/2024", ("2024-01-28T00:00:00+07:00", "day")),
    ("Đăng lúc 9h60 ngày 28/1/2024", ("2024-01-28T00:00:00+07:00", "day")),
    ("Đăng lúc 9h01 Sa Pa ngày 28/1/2024", ("2024-01-28T09:01:00+07:00", "minute")),  # a place, not SA
    ("Ngày 28/01/2024 (09:01)", ("2024-01-28T09:01:00+07:00", "minute")),
    ("Thứ Hai, 28/01/2024", ("2024-01-28T00:00:00+07:00", "day")),
    ("Cập nhật lúc 11:46, 05/03/2021", ("2021-03-05T11:46:00+07:00", "minute")),
    ("Năm 2020, toàn tỉnh có 1.200 hộ được hỗ trợ làm nhà ở, tăng 13/19 tiêu chí so với 28/01/2019", None),
])
def test_dateline_forms(line, expected):
    from bhgcrawl.pages.article.dating import line_timestamp

    ts = line_timestamp(line)
    assert ((ts.isoformat(), ts.precision) if ts else None) == expected


@pytest.mark.parametrize("dateline,byline", [
    ("LÊ HẢI 03:43 CH, 20/05/2019", "LÊ HẢI"),
    ("Tin, ảnh: LÊ HẢI - 03:43 CH 20/05/2019", "Tin, ảnh: LÊ HẢI"),
    ("Thứ Hai, 20/05/2019 - 03:43 CH (GMT+7) - LÊ HẢI", "LÊ HẢI"),
    ("LÊ HẢI | 20/05/2019 03:43 CH (GMT+7)", "LÊ HẢI"),
    ("Thứ Hai, 20/05/2019, 03:43 CH (GMT+7)", None),
])
def test_a_byline_beside_a_12_hour_dateline_is_read_without_the_time(dateline, byline):
    """Catches the dateline's time taken out without its marker: the name then reads "LÊ HẢI 03:43 CH"
    and is refused, or the "CH" left alone stands for a name in capitals."""
    html = (f"<html><body><article><h1>{PLAIN_HEADLINE}</h1><div>{dateline}</div>"
            f"<p>{PLAIN_P1}</p><p>{PLAIN_P2}</p></article></body></html>")
    r = ArticlePage(PLAIN_URL, html).to_record()
    assert (r["byline"], r["authors"], r["published"]) == (
        byline, ["Lê Hải"] if byline else [], "2019-05-20T15:43:00+07:00")


# ---- rules that decide a field: each on a page where the rule alone makes the difference ----------

GIFTS_URL = "https://baohagiang.vn/xa-hoi/202401/trao-qua-tet-cho-ho-ngheo-xa-lung-cu-1a2b3c4"
GIFTS_CAPTION = "Đại diện Hội Chữ thập đỏ tỉnh trao quà cho các hộ nghèo xã Lũng Cú"
GIFTS_P1 = ("Mỗi suất quà gồm gạo, dầu ăn, bánh kẹo và tiền mặt, tổng trị giá trên 100 triệu đồng, được trao tận "
            "tay các hộ.")
GIFTS_P2 = ("Dịp này, đoàn cũng thăm hỏi, động viên các gia đình chính sách, người cao tuổi có hoàn cảnh khó khăn "
            "trên địa bàn xã.")


def gifts_page(picture: str, head: str = "", after: str = "") -> str:
    """A short article of the site's older layout: headline, time line, lead, two paragraphs with a
    picture between them, byline; `after` comes after the article's block."""
    return ("<html><head><title>Trao quà Tết cho hộ nghèo xã Lũng Cú - Báo Hà Giang</title>" + head + "</head>"
            "<body><div class='main'><h1>Trao quà Tết cho hộ nghèo xã Lũng Cú</h1>"
            "<div class='time'>09:01, 28/01/2024</div><div class='content'>"
            "<p><strong>BHG - Sáng 27.1, Hội Chữ thập đỏ tỉnh phối hợp với các nhà hảo tâm trao 200 suất quà Tết "
            "cho hộ nghèo xã Lũng Cú, huyện Đồng Văn.</strong></p>"
            f"<p>{GIFTS_P1}</p>{picture}<p>{GIFTS_P2}</p>"
            "<p style='text-align:right'><strong>Tin, ảnh: LÊ HẢI</strong></p></div>" + after + "</div></body></html>")


def test_a_caption_printed_as_plain_text_under_its_picture_is_not_body():
    """The caption is the picture's alt text, printed under it as an ordinary paragraph (not italic,
    not centred): only its equality with a picture's caption keeps it out of the body. Catches the
    body reader no longer leaving out lines equal to a caption."""
    picture = f'<p><img src="/file/2024/01/trao-qua.jpg" alt="{GIFTS_CAPTION}"></p><p>{GIFTS_CAPTION}</p>'
    r = ArticlePage(GIFTS_URL, gifts_page(picture)).to_record()
    assert r["body"] == f"{GIFTS_P1}\n\n{GIFTS_P2}"
    assert r["images"] == [{"url": "https://baohagiang.vn/file/2024/01/trao-qua.jpg", "caption": GIFTS_CAPTION,
                            "credit": None}]
    assert r["byline"] == "Tin, ảnh: LÊ HẢI"


def test_an_italic_line_under_a_picture_table_is_its_caption_not_body():
    """A picture in a table of its own, its caption an italic line under the table. The picture's
    own caption is not found there, so only the rule "a caption-like line right after a picture is
    a caption" keeps it out of the body. Catches that rule lost (or the picture block not marked)."""
    picture = (f'<table><tr><td><img src="/file/2024/01/trao-qua.jpg"></td></tr></table>'
               f"<p><em>{GIFTS_CAPTION}</em></p>")
    r = ArticlePage(GIFTS_URL, gifts_page(picture)).to_record()
    assert r["body"] == f"{GIFTS_P1}\n\n{GIFTS_P2}"
    assert [i["url"] for i in r["images"]] == ["https://baohagiang.vn/file/2024/01/trao-qua.jpg"]


def test_an_italic_line_that_follows_text_is_body():
    """The other side of the rule above: an italic paragraph with no picture before it is the text's."""
    quote = "Chúng tôi rất vui khi được nhận quà Tết sớm từ các nhà hảo tâm trong tỉnh"
    r = ArticlePage(GIFTS_URL, gifts_page(f"<p><em>{quote}</em></p>")).to_record()
    assert r["body"] == f"{GIFTS_P1}\n\n{quote}\n\n{GIFTS_P2}"


RELATED_BLOCK = (
    "<div class='more'><h3>Cùng chuyên mục</h3>"
    "<ul><li><a href='/xa-hoi/202401/kham-benh-mien-phi-cho-nguoi-dan-vung-cao-2b3c4d5'>Khám bệnh miễn phí cho "
    "người dân vùng cao</a> <span>(27/01/2024)</span></li>"
    "<li><a href='/xa-hoi/202401/trao-nha-dai-doan-ket-3c4d5e6'>Trao nhà đại đoàn kết</a> "
    "<span>(26/01/2024)</span></li></ul>"
    "<h3>Đọc nhiều</h3>"
    "<ul><li><a href='/van-hoa/202312/le-hoi-hoa-tam-giac-mach-4d5e6f7'>Lễ hội hoa tam giác mạch</a></li>"
    "<li><a href='/kinh-te/202401/cam-sanh-bac-quang-5e6f7a8'>Cam sành Bắc Quang</a></li></ul></div>")


def test_the_related_block_ends_at_the_next_heading():
    """"Cùng chuyên mục" and "Đọc nhiều" share one box: the related items are those up to the next
    heading. Catches the region running on past it (the most-read list taken for related items)."""
    r = ArticlePage(GIFTS_URL, gifts_page("", after=RELATED_BLOCK)).to_record()
    assert r["related"] == [
        {"url": "https://baohagiang.vn/xa-hoi/202401/kham-benh-mien-phi-cho-nguoi-dan-vung-cao-2b3c4d5",
         "title": "Khám bệnh miễn phí cho người dân vùng cao", "published": "2024-01-27T00:00:00+07:00",
         "published_precision": "day"},
        {"url": "https://baohagiang.vn/xa-hoi/202401/trao-nha-dai-doan-ket-3c4d5e6",
         "title": "Trao nhà đại đoàn kết", "published": "2024-01-26T00:00:00+07:00", "published_precision": "day"}]
    assert r["body"] == f"{GIFTS_P1}\n\n{GIFTS_P2}"


def ld(published: str, modified: str) -> str:
    return ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Trao quà Tết cho hộ '
            f'nghèo xã Lũng Cú", "datePublished": "{published}", "dateModified": "{modified}"}}</script>')


@pytest.mark.parametrize("modified,expected", [
    ("2024-01-28T08:59:00+07:00", None),  # before publication: a CMS's import time, refused
    ("2024-01-28T09:01:00+07:00", None),  # the same time: no update
    ("2024-01-28T09:02:00+07:00", "2024-01-28T09:02:00+07:00"),
    ("2024-01-29T02:00:00Z", "2024-01-29T09:00:00+07:00"),
])
def test_a_modified_time_is_kept_only_when_later_than_published(modified, expected):
    """The JSON-LD states both times. Catches an update time earlier than publication (or equal to
    it) kept, and a later one refused or not in the site's time."""
    r = ArticlePage(GIFTS_URL, gifts_page("", head=ld("2024-01-28T09:01:00+07:00", modified))).to_record()
    assert r["published"] == "2024-01-28T09:01:00+07:00"
    assert r["modified"] == expected
