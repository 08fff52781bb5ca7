"""The one cleaner and the text keys: what compares equal, what does not, and that every reader of
text (dates, bylines, the page) answers the same whatever invisible characters a page carries."""

import unicodedata
from datetime import date

import pytest
from lxml import html

from bhgcrawl import text as texts
from bhgcrawl.byline import caption_credit, parse_byline, person_name
from bhgcrawl.dates import find_timestamp, line_date, parse_timestamp
from bhgcrawl.event_dates import event_date
from bhgcrawl.pages.article import ArticlePage
from bhgcrawl.text import best_decoding, clean, search_key
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


# Every C0 and C1 control character and DEL, less the ones str.split() takes for whitespace.
CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7f, 0xa0)] if not chr(c).isspace()]


def test_the_controls_are_all_c0_and_c1_but_whitespace():
    assert len(CONTROLS) == 65 - 10 and "\x1b" in CONTROLS and "\x07" in CONTROLS and "\x7f" in CONTROLS
    assert all(unicodedata.category(c) == "Cc" for c in CONTROLS)


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("text", ["Họp Tiểu ban thông tin", "09:01, 28/01/2024", "Tin, anh: LE HAI"])
def test_clean_drops_control_characters(char, text):
    assert clean(text.replace(" ", char + " ") + char) == text
    assert clean(char + text.replace(" ", " " + char + " ")) == text


@pytest.mark.parametrize("char", "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85")
def test_control_characters_that_are_whitespace_are_spaces(char):
    assert clean(f"Họp{char}Tiểu{char}{char}ban") == "Họp Tiểu ban"
    assert clean(f"Hop{char}Tieu{char}{char}ban") == "Hop Tieu ban"


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


# ---- which codec reads a page's bytes as the text they are ----------------------------------------

VIETNAMESE = "Họp Tiểu ban thông tin, tuyên truyền và vận động bầu cử ở Hà Giang: Đồng Văn, Mèo Vạc"
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese software writes it: the letters it has, the tone as a combining mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = next(c for c in decomposed if c in _TONES)
            out += unicodedata.normalize("NFC", decomposed.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return out


def test_the_synthetic_windows_1258_is_no_utf8_and_its_tones_combine():
    raw = cp1258(VIETNAMESE)
    assert b"Ho\xf2p" in raw and raw.decode("cp1258") != VIETNAMESE
    assert unicodedata.normalize("NFC", raw.decode("cp1258")) == VIETNAMESE
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


@pytest.mark.parametrize("declared", ["utf-8", "UTF8", "cp1252", "iso-8859-1", "windows-1258", "cp1258", None,
                                      "x-nonsense"])
def test_utf8_bytes_are_read_as_utf8_whatever_the_declaration(declared):
    assert best_decoding(VIETNAMESE.encode(), declared) == "utf-8"
    assert best_decoding(unicodedata.normalize("NFD", VIETNAMESE).encode(), declared) == "utf-8"


# Byte pairs of windows-1258 that are UTF-8 by chance: a hook above or a grave before `…` or `”`.
CHANCE = VIETNAMESE + " “Nguyễn Văn Cừ”, cơ sở… của cả”"


def test_windows_1258_holds_utf8_sequences_by_chance():
    raw = cp1258(CHANCE)
    assert b"\xcc\x94" in raw and b"\xd2\x85" in raw  # U+0314 and U+0485 in UTF-8


@pytest.mark.parametrize("text", [VIETNAMESE, CHANCE])
@pytest.mark.parametrize(("declared", "expected"), [
    ("utf-8", "cp1258"), ("cp1252", "cp1258"), ("iso-8859-1", "cp1258"), (None, "cp1258"),
    ("windows-1258", "cp1258"), ("cp1258", "cp1258"),
])
def test_windows_1258_bytes_are_read_as_windows_1258_whatever_the_declaration(text, declared, expected):
    assert best_decoding(cp1258(text), declared) == expected


@pytest.mark.parametrize("declared", ["utf-8", "cp1252"])
def test_a_capital_before_a_closing_quote_is_no_mojibake(declared):
    """`Ã”` is what `Ô` looks like encoded twice, and also “NGÃ” (the junction) in capitals."""
    assert best_decoding(("“NGÃ” BA " + VIETNAMESE).encode(), declared) == "utf-8"


def test_the_declaration_decides_what_reads_the_same_in_every_codec():
    """In Python's names; ISO-8859-1 is windows-1252, as browsers and Scrapy read it."""
    assert best_decoding(b"<html><p>ASCII only</p></html>", "cp1252") == "cp1252"
    assert best_decoding(b"<html><p>ASCII only</p></html>", "ISO-8859-1") == "cp1252"
    assert best_decoding(b"<html><p>ASCII only</p></html>", None) == "utf-8"
    assert best_decoding(b"", "windows-1258") == "cp1258"


@pytest.mark.parametrize(("body", "declared", "expected"), [
    # An English page: no Vietnamese in any reading, so the bytes' declaration (or UTF-8) is believed.
    ("English, café © 2024 – Hà Giang".encode(), "utf-8", "utf-8"),
    ("English, café © 2024 – Hà Giang".encode(), "cp1252", "utf-8"),  # `cafÃ©` in cp1252
    ("English, café © 2024 – news".encode("cp1252"), "iso-8859-1", "cp1252"),  # its dash is cp1252's
    # Not declared and nothing a code page could get wrong (a © and a dash): the Western one.
    ("English © 2024 – news".encode("cp1252"), "utf-8", "cp1252"),
    # cp1252 bytes read as windows-1258 put `ò` on the `H` as a dot below: no such letter, so not cp1258.
    ("São Tomé, Hòn".encode("cp1252"), "cp1252", "cp1252"),
])
def test_pages_without_vietnamese(body, declared, expected):
    assert best_decoding(body, declared) == expected


@pytest.mark.parametrize(("body", "declared"), [
    # Vietnamese written in cp1252, its letters lost to `?`, declared UTF-8: nothing reads it right.
    (VIETNAMESE.encode("cp1252", "replace"), "utf-8"),
    (VIETNAMESE.encode("cp1252", "replace"), None),
    # Western text with letters in cp1252 declared UTF-8: cp1258 and cp1252 could each be right.
    ("Café Müller".encode("cp1252"), "utf-8"),
    # Encoded twice: UTF-8 read as cp1252 (or Latin-1), then written in UTF-8 again (`Há»p`).
    (VIETNAMESE.encode().decode("cp1252", "replace").encode(), "utf-8"),
    (VIETNAMESE.encode().decode("latin-1").encode(), "utf-8"),
    # Only the title encoded twice, in a page otherwise right.
    (f"<title>{VIETNAMESE.encode().decode('cp1252', 'replace')}</title><p>{VIETNAMESE}</p>".encode(), "utf-8"),
    # U+FFFD or a C1 control already in the bytes: the letters were lost before the page was sent.
    (VIETNAMESE.replace("ọ", "\ufffd").encode(), "utf-8"),
    (VIETNAMESE.replace("“", "").replace("ở", "\u0093").encode(), "utf-8"),
    # A UTF-8 template around a windows-1258 article: two encodings in one page.
    ("<title>Báo Hà Giang</title>".encode() + cp1258(VIETNAMESE), "utf-8"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x81\x8d\x90", "utf-8"),
])
def test_no_reading_is_valid_vietnamese(body, declared):
    assert best_decoding(body, declared) is None


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


# ---- readings of a page's bytes: a code page of another language, C1 controls, UTF-8 encoded twice -----

HOP = "Họp mặt đầu xuân"  # ọ is E1 BB 8D in UTF-8: read as Latin-1, its last byte is the C1 control U+008D


def twice(text: str) -> bytes:
    """UTF-8 read as Latin-1 and written in UTF-8 again: mojibake stored as UTF-8 (`Há»\x8dp`)."""
    return text.encode("utf-8").decode("latin-1").encode("utf-8")


@pytest.mark.parametrize("body,declared,codec", [
    # A page in another language's code page, as declared: believed (no reading shows Vietnamese).
    ("Привет, мир".encode("cp1251"), "windows-1251", "cp1251"),
    # The declared code page reads a C1 control (0x8F in Latin-2): no reading is plausible.
    (b"Gi\x8fa Hanoi", "iso-8859-2", None),
    # UTF-8 encoded twice: neither UTF-8 nor a code page reads it as the text it is.
    (twice(HOP), "utf-8", None),
    (HOP.encode("utf-8"), "utf-8", "utf-8"),
    # E0 80 80 looks like a UTF-8 sequence but is an overlong form, no character: cp1252's "à€€" stands.
    (b"Prix: 5 \xe0\x80\x80 le lot", "windows-1252", "cp1252"),
])
def test_the_reading_of_a_page(body, declared, codec):
    """Catches the declared codec left out of the readings tried, a reading with C1 controls believed for
    a code page other than cp1252/cp1258, and a page encoded twice read as UTF-8."""
    assert texts.best_decoding(body, declared) == codec


def test_utf8_encoded_twice_is_two_sequences_that_stand_for_page_characters():
    """Catches one chance sequence taken for a page encoded twice (`“NGÃ”`: a capital before a closing
    quote), a continuation byte of the C1 range (U+008D) that cannot be mapped back, and the count lost."""
    assert texts._encoded_twice(twice(HOP))
    assert not texts._encoded_twice(twice("ọ") + " là một chữ".encode())
    assert not texts._encoded_twice("“NGÃ” là một chữ".encode())


@pytest.mark.parametrize("a,b,same", [
    ("ascii", "windows-1252", True), ("ISO-8859-1", "cp1252", True), ("latin_1", "windows-1252", True),
    ("windows-1258", "cp1258", True), ("utf8", "UTF-8", True), ("windows-1258", "cp1252", False),
    ("no-such-codec", "utf-8", False),
])
def test_codec_names(a, b, same):
    """Catches ASCII or Latin-1 read as themselves (a browser, and Scrapy, read them as windows-1252)."""
    assert texts.same_codec(a, b) is same
