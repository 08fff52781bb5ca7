"""The one cleaner and the text keys: what compares equal, what does not, and that every reader of
text (dates, bylines, the page) answers the same whatever invisible characters a page carries."""

import unicodedata
from datetime import date

import pytest
from lxml import html

from bhgcrawl.byline import caption_credit, parse_byline, person_name
from bhgcrawl.dates import find_timestamp, line_date, parse_timestamp
from bhgcrawl.event_dates import event_date
from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.text import clean, search_key
from tests.helpers import FIXTURES


@pytest.mark.parametrize(("a", "b"), [
    ("Hoà Bình", "Hòa Bình"), ("khoẻ mạnh", "khỏe mạnh"), ("Thuỷ điện", "Thủy điện"), ("Quý", "Qúy"),
    ("LÊ HẢI", "Lê Hải"), ("HOẠ SĨ", "họa sĩ"), ("Ho\u0300a", "Hòa"),
])
def test_tone_placement_and_case_compare_equal(a, b):
    assert search_key(a) == search_key(b)


@pytest.mark.parametrize(("a", "b"), [("hòa", "hóa"), ("hoà", "hoa"), ("Lê", "Le"), ("thủy", "thụy")])
def test_different_tones_stay_different(a, b):
    assert search_key(a) != search_key(b)


def test_key_is_nfc_with_the_mark_on_the_second_vowel():
    assert search_key("  HÒA\u00a0Bình ") == "hoà bình"


# ---- the invisible characters of fixtures/bad/, through every entry point that reads text ----------

BAD = FIXTURES / "bad"


def _invisible_characters() -> list[str]:
    """Every invisible or non-breaking character the bad-input pages hold (formats and spaces)."""
    found = set()
    for page in BAD.glob("*.html"):
        text = page.read_bytes().decode("utf-8", errors="ignore")
        found.update(c for c in text if c != " " and unicodedata.category(c) in ("Cf", "Zs"))
    return sorted(found)


INVISIBLE = _invisible_characters()


def smeared(text: str, char: str) -> str:
    """`text` with `char` where a page would carry it: a space-like one instead of every space, a
    zero-width one after every character."""
    return text.replace(" ", char) if char.isspace() else "".join(c + char for c in text)


def test_the_bad_pages_hold_the_invisible_characters():
    assert set(INVISIBLE) >= set("\u200b\u200c\u200d\u200e\u2060\ufeff\u00a0\u202f\u00ad")


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("text", ["Họp Tiểu ban thông tin", "Tin, ảnh: LÊ HẢI", "09:01, 28/01/2024"])
def test_clean_drops_or_spaces_them(char, text):
    assert clean(smeared(text, char)) == text


DATES = ["09:01, 28/01/2024", "Thứ Hai, 20/05/2019, 15:43 (GMT+7)", "2024-01-28T09:01:00+07:00", "28/01/2024",
         "Cập nhật lúc 08:30, 01/03/2012", "Wed, 08 Jan 2025 10:45:00 +0700"]


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_dates_read_the_same(char):
    for text in DATES:
        assert parse_timestamp(smeared(text, char)) == parse_timestamp(text), text
        assert find_timestamp(smeared(text, char)) == find_timestamp(text), text
        assert line_date(smeared(text, char)) == line_date(text), text
    lead = "Chiều 26.1, tại Hội trường UBND tỉnh, đã diễn ra hội nghị."
    published = parse_timestamp("09:01, 28/01/2024").value
    assert event_date(smeared(lead, char), published) == event_date(lead, published) == date(2024, 1, 26)


BYLINES = ["Tin, ảnh: LÊ HẢI", "Bài, ảnh: Nguyễn Hùng - Theo TTXVN", "Tin: Thu Phương - Ảnh: Văn Long", "PV"]


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_bylines_read_the_same(char):
    for line in BYLINES:
        assert parse_byline(smeared(line, char)) == parse_byline(line), line
    assert parse_byline(smeared("Tin, ảnh: LÊ HẢI", char)).authors == ["Lê Hải"]
    caption = "Đồng chí Vũ Mạnh Hà phát biểu (Ảnh: Nguyễn Hùng)"
    assert caption_credit(smeared(caption, char)) == caption_credit(caption) == "Nguyễn Hùng"
    assert person_name(smeared("LÊ THỊ HẢI", char)) == "Lê Thị Hải"


def _smear_page(page: str, char: str) -> str:
    """The page with `char` smeared over every text node (never inside tags or attributes)."""
    root = html.fromstring(page)
    for el in root.iter():
        if el.tag in ("script", "style") or not isinstance(el.tag, str):
            continue
        if el.text:
            el.text = smeared(el.text, char)
        if el.tail:
            el.tail = smeared(el.tail, char)
    return html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_the_page_reads_the_same(char):
    url = "https://baohagiang.vn/thoi-su-chinh-tri/202103/hop-tieu-ban-thong-tin-tuyen-truyen-va-van-dong-bau-cu-785431"
    page = (BAD / "reference.html").read_text("utf-8")
    expected = ArticlePage(url, page).to_record()
    assert expected["title"] and expected["authors"] and expected["published_precision"] == "minute"
    assert ArticlePage(url, _smear_page(page, char)).to_record() == expected


# ---- keys, word lists and the encoding witness --------------------------------------------------------------

def test_key_ignores_case_tone_placement_and_punctuation_at_any_length():
    from bhgcrawl.text import key, keys

    assert key("Cùng chuyên mục:") == key("CÙNG CHUYÊN MỤC") == "cùng chuyên mục"
    long = "Hoà Bình – Thuỷ điện, " * 3  # past the cached length
    assert len(long) > 40
    assert key(long) == key(long.upper().replace("Hoà", "Hòa")) == " ".join(["hoà bình thuỷ điện"] * 3)
    assert keys(["Tin liên quan", "TIN LIÊN QUAN", "Bài liên quan"]) == frozenset({"tin liên quan", "bài liên quan"})
    assert keys([]) == frozenset()


@pytest.mark.parametrize(("body", "declared", "expected"), [
    ("Hà Giang".encode(), "iso-8859-1", True),
    ("Hà Giang".encode(), "windows-1258", True),
    ("Hà Giang".encode(), None, True),
    ("Hà Giang".encode(), "UTF-8", False),
    ("Hà Giang".encode(), " utf_8 ", False),
    ("Hà Giang".encode(), "utf8", False),
    ("Hà Giang".encode("cp1258"), "windows-1258", False),  # not valid UTF-8: the declaration stands
    (b"Ha Giang", "iso-8859-1", False),  # ASCII reads the same either way
    (b"", "iso-8859-1", False),
])
def test_misdeclared_utf8(body, declared, expected):
    from bhgcrawl.text import misdeclared_utf8

    assert misdeclared_utf8(body, declared) is expected
