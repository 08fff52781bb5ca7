"""Tests for bhgcrawl.byline: bylines, person names and caption credits."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhgcrawl.byline import Byline, caption_and_credit, caption_credit, parse_byline, person_name

TP = ["text", "photo"]


def credit(name: str, *roles: str) -> dict:
    return {"name": name, "roles": list(roles)}


def parsed(line: str) -> tuple[list[str], list[dict], str | None]:
    b = parse_byline(line)
    assert b is not None, line
    return b.authors, b.credits, b.source


@pytest.mark.parametrize(
    ("line", "authors", "credits", "source"),
    [
        ("Tin, ảnh: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", *TP)], None),
        ("Tin, ảnh: Nguyễn Hùng", ["Nguyễn Hùng"], [credit("Nguyễn Hùng", *TP)], None),
        ("Bài, ảnh: VƯƠNG LIỀU", ["Vương Liều"], [credit("Vương Liều", *TP)], None),
        ("Bài và ảnh: THU PHƯƠNG", ["Thu Phương"], [credit("Thu Phương", *TP)], None),
        ("Tin,ảnh:LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", *TP)], None),
        (
            "Bài: LÊ HẢI - Ảnh: ĐỨC HẢI",
            ["Lê Hải", "Đức Hải"],
            [credit("Lê Hải", "text"), credit("Đức Hải", "photo")],
            None,
        ),
        (
            "Tin: BIÊN LUẬN - Ảnh: ĐỨC HẢI",
            ["Biên Luận", "Đức Hải"],
            [credit("Biên Luận", "text"), credit("Đức Hải", "photo")],
            None,
        ),
        (
            "Bài: LÊ HẢI, ảnh: ĐỨC HẢI",
            ["Lê Hải", "Đức Hải"],
            [credit("Lê Hải", "text"), credit("Đức Hải", "photo")],
            None,
        ),
        # Two names share the roles of their label.
        (
            "Bài, ảnh: LÊ HẢI - ĐỨC HẢI",
            ["Lê Hải", "Đức Hải"],
            [credit("Lê Hải", *TP), credit("Đức Hải", *TP)],
            None,
        ),
        (
            "Bài, ảnh: LÊ HẢI, ĐỨC HẢI",
            ["Lê Hải", "Đức Hải"],
            [credit("Lê Hải", *TP), credit("Đức Hải", *TP)],
            None,
        ),
        (
            "Tin, ảnh: Lê Hải và Đức Hải",
            ["Lê Hải", "Đức Hải"],
            [credit("Lê Hải", *TP), credit("Đức Hải", *TP)],
            None,
        ),
        # Bare names.
        ("THU PHƯƠNG", ["Thu Phương"], [credit("Thu Phương", "text")], None),
        (
            "LÊ HẢI - ĐỨC HẢI",
            ["Lê Hải", "Đức Hải"],
            [credit("Lê Hải", "text"), credit("Đức Hải", "text")],
            None,
        ),
        ("Lê Hải", ["Lê Hải"], [credit("Lê Hải", "text")], None),
        ("HOÀNG THỊ KIM OANH", ["Hoàng Thị Kim Oanh"], [credit("Hoàng Thị Kim Oanh", "text")], None),
        # Staff markers: a byline without persons.
        ("PV", [], [], None),
        ("Nhóm PV", [], [], None),
        ("Tin, ảnh: PV", [], [], None),
        ("CTV", [], [], None),
        ("BHG", [], [], None),
        ("BTV", [], [], None),
        ("Tin: PV - Ảnh: CTV", [], [], None),
        # Sources.
        ("Theo TTXVN", [], [], "TTXVN"),
        ("Theo TTXVN.", [], [], "TTXVN"),
        ("Theo TTXVN./.", [], [], "TTXVN"),
        ("(Theo TTXVN)", [], [], "TTXVN"),
        ("Theo Báo Nhân Dân", [], [], "Báo Nhân Dân"),
        ("Nguồn: Cổng TTĐT tỉnh", [], [], "Cổng TTĐT tỉnh"),
        ("Nguồn: baochinhphu.vn", [], [], "baochinhphu.vn"),
        ("Ảnh: TTXVN", [], [], "TTXVN"),
        ("LÊ HẢI (TTXVN)", ["Lê Hải"], [credit("Lê Hải", "text")], "TTXVN"),
        ("Thu Phương/TTXVN", ["Thu Phương"], [credit("Thu Phương", "text")], "TTXVN"),
        (
            "Tin, ảnh: LÊ HẢI - Nguồn: Cổng TTĐT tỉnh",
            ["Lê Hải"],
            [credit("Lê Hải", *TP)],
            "Cổng TTĐT tỉnh",
        ),
        ("Tin, ảnh: LÊ HẢI - Theo TTXVN", ["Lê Hải"], [credit("Lê Hải", *TP)], "TTXVN"),
        # Bracketed notes that are not outlets.
        ("Tin, ảnh: LÊ HẢI (tổng hợp)", ["Lê Hải"], [credit("Lê Hải", *TP)], None),
        ("LÊ HẢI (CTV)", ["Lê Hải"], [credit("Lê Hải", "text")], None),
        # Other roles.
        ("Video: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "video")], None),
        ("Clip: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "video")], None),
        ("Đồ họa: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "graphics")], None),
        ("Đồ hoạ: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "graphics")], None),
        ("Thực hiện: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "production")], None),
        ("Ảnh: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "photo")], None),
        (
            "Thực hiện: LÊ HẢI - Đồ họa: ĐỨC HẢI - Video: PV",
            ["Lê Hải", "Đức Hải"],
            [credit("Lê Hải", "production"), credit("Đức Hải", "graphics")],
            None,
        ),
        # One person under several labels: one credit, roles in the fixed order.
        ("Ảnh: LÊ HẢI - Bài: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", *TP)], None),
        (
            "Video: Lê Hải - Bài: LÊ HẢI - Dịch: Lê Hải",
            ["Lê Hải"],
            [credit("Lê Hải", "text", "video", "translation")],
            None,
        ),
        # A credit we keep no role for does not spoil the line.
        ("Nội dung: LÊ HẢI - Biên tập: ĐỨC HẢI", ["Lê Hải"], [credit("Lê Hải", "text")], None),
        # English edition.
        ("By Le Hai", ["Le Hai"], [credit("Le Hai", "text")], None),
        ("Story and photos: LE HAI", ["Le Hai"], [credit("Le Hai", *TP)], None),
        (
            "Story: LE HAI - Photos: DUC HAI",
            ["Le Hai", "Duc Hai"],
            [credit("Le Hai", "text"), credit("Duc Hai", "photo")],
            None,
        ),
        ("Translated by Thu Phuong", ["Thu Phuong"], [credit("Thu Phuong", "translation")], None),
        ("Story and photos by LE HAI", ["Le Hai"], [credit("Le Hai", *TP)], None),
        ("Source: VNA", [], [], "VNA"),
    ],
)
def test_parse_byline(
    line: str, authors: list[str], credits: list[dict], source: str | None
) -> None:
    assert parsed(line) == (authors, credits, source)


def test_byline_text_is_collapsed_nfc() -> None:
    line = unicodedata.normalize("NFD", "  Tin,  ảnh:\u00a0LÊ   HẢI \n")
    b = parse_byline(line)
    assert b == Byline(
        text="Tin, ảnh: LÊ HẢI",
        authors=["Lê Hải"],
        credits=[credit("Lê Hải", *TP)],
        source=None,
    )
    assert unicodedata.is_normalized("NFC", b.authors[0])


def test_byline_keeps_terminal_dot_of_source_in_text() -> None:
    b = parse_byline("Theo TTXVN.")
    assert b is not None and b.text == "Theo TTXVN."


@pytest.mark.parametrize(
    "line",
    [
        "Tại hội nghị, các đại biểu đã thống nhất nội dung phát động phong trào thi đua và ký "
        "kết giao ước thi đua năm 2021./.",
        "Ý kiến bạn đọc",
        "Cùng chuyên mục",
        "Các đại biểu ký kết giao ước thi đua năm 2021",
        "Chia sẻ",
        "Đọc nhiều",
        "Hà Giang, ngày 5 tháng 3",
        "Tin liên quan",
        "TIN LIÊN QUAN",
        "",
        "   ",
        # Sentence endings.
        "Tin, ảnh: LÊ HẢI.",
        "LÊ HẢI!",
        "Ai là tác giả?",
        "Lê Hải…",
        # Digits.
        "LÊ HẢI 2021",
        "Bài 1: Những con đường mới",
        "Theo Quyết định số 123/QĐ-UBND",
        # "Theo" opening a sentence.
        "Theo đó, các đơn vị triển khai",
        "Theo Chủ tịch UBND tỉnh, năm nay",
        # A label followed by prose.
        "Nội dung: các đại biểu thảo luận",
        "Ảnh: đoàn công tác thăm mô hình",
        # Bare lines that are not names.
        "Tags",
        "Chính trị xã hội",
        "Thông Tin Tuyên Truyền Về Công Tác Bầu Cử",  # title case, too many words
        "Lễ Hội Văn Hóa Các Dân Tộc Tỉnh",
        # Length.
        "X" * 121,
        "Tin, ảnh: " + "LÊ HẢI - " * 12 + "ĐỨC HẢI",
        # Only a role we keep nothing for.
        "Biên tập: LÊ HẢI",
    ],
)
def test_parse_byline_rejects(line: str) -> None:
    assert parse_byline(line) is None


def test_title_case_bare_names_are_bounded() -> None:
    # Title case may be any short heading, so it counts only up to 4 words and 30 characters.
    assert parse_byline("Hoàng Thị Kim Oanh") is not None
    assert parse_byline("Hoàng Thị Kim Oanh Anh") is None
    assert parse_byline("Nguyễn Thị Phương Thảo Trang") is None
    # Capitals may run to 6 words.
    assert parse_byline("NGUYỄN THỊ PHƯƠNG THẢO TRANG") is not None
    assert parse_byline("NGUYỄN THỊ PHƯƠNG THẢO TRANG ANH HÀ") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("LÊ HẢI", "Lê Hải"),
        ("nguyễn văn a", "Nguyễn Văn A"),
        ("ĐỨC HẢI", "Đức Hải"),
        ("HOÀNG SU PHÌ", "Hoàng Su Phì"),
        ("Nguyễn Hùng", "Nguyễn Hùng"),
        ("McDonald Trần", "McDonald Trần"),
        ("H'HEN NIÊ", "H'Hen Niê"),
        ("LÒ VĂN PẰN-PHỚI", "Lò Văn Pằn-Phới"),
        ("  LÊ   HẢI ", "Lê Hải"),
        ("ƯNG HOÀNG PHÚC", "Ưng Hoàng Phúc"),
    ],
)
def test_person_name(raw: str, expected: str) -> None:
    assert person_name(raw) == expected


def test_person_name_nfd_in_nfc_out() -> None:
    out = person_name(unicodedata.normalize("NFD", "HOÀNG SU PHÌ ĐỨC"))
    assert out == unicodedata.normalize("NFC", "Hoàng Su Phì Đức")
    assert unicodedata.is_normalized("NFC", out)


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Các đại biểu ký kết giao ước thi đua (Ảnh CTV)", "CTV"),
        ("Các đại biểu ký kết giao ước thi đua (Ảnh CTV) |", "CTV"),
        ("Đại biểu dự hội nghị. Ảnh: Nguyễn Hùng", "Nguyễn Hùng"),
        ("Toàn cảnh hội nghị (Ảnh: TTXVN)", "TTXVN"),
        ("Toàn cảnh hội nghị. (Ảnh: ĐỨC HẢI)", "Đức Hải"),
        ("Ruộng bậc thang - Ảnh: LÊ HẢI", "Lê Hải"),
        ("Ảnh: Nguyễn Hùng", "Nguyễn Hùng"),
        ("Đoàn công tác (Ảnh: Lê Hải - TTXVN)", "Lê Hải - TTXVN"),
        ("Mùa hoa (Ảnh do CTV cung cấp)", "CTV"),
        ("Delegates at the meeting (Photo: VNA)", "VNA"),
        ("Lễ hội (Ảnh: Báo Nhân Dân)", "Báo Nhân Dân"),
    ],
)
def test_caption_credit(caption: str, expected: str) -> None:
    assert caption_credit(caption) == expected


@pytest.mark.parametrize(
    "caption",
    [
        "Các đại biểu ký kết giao ước thi đua năm 2021",
        "Toàn cảnh hội nghị (Ảnh minh họa)",
        "Toàn cảnh hội nghị (Ảnh: minh họa)",
        "Ảnh: Đồng chí Vàng Seo Cón phát biểu tại hội nghị",
        "Ảnh: Đồng chí Cón phát biểu",
        "Đại biểu chụp ảnh lưu niệm",
        "Đại biểu tham quan (ảnh tư liệu)",
        "",
    ],
)
def test_caption_credit_rejects(caption: str) -> None:
    assert caption_credit(caption) is None
    assert caption_and_credit(caption) == (caption or None, None)  # the caption stays as printed


@pytest.mark.parametrize(
    ("printed", "caption", "credit"),
    [
        ("Các đại biểu ký kết giao ước thi đua (Ảnh CTV)", "Các đại biểu ký kết giao ước thi đua", "CTV"),
        ("Các đại biểu ký kết giao ước thi đua (Ảnh CTV) |", "Các đại biểu ký kết giao ước thi đua", "CTV"),
        ("Đại biểu dự hội nghị. Ảnh: Nguyễn Hùng", "Đại biểu dự hội nghị.", "Nguyễn Hùng"),
        ("Toàn cảnh hội nghị (Ảnh: TTXVN)", "Toàn cảnh hội nghị", "TTXVN"),
        ("Toàn cảnh hội nghị. (Ảnh: ĐỨC HẢI)", "Toàn cảnh hội nghị.", "Đức Hải"),
        ("Toàn cảnh hội nghị (Ảnh: TTXVN).", "Toàn cảnh hội nghị.", "TTXVN"),
        ("Ruộng bậc thang - Ảnh: LÊ HẢI", "Ruộng bậc thang", "Lê Hải"),
        ("Mùa hoa tam giác mạch, Ảnh: Văn Long", "Mùa hoa tam giác mạch", "Văn Long"),
        ("Đoàn công tác (Ảnh: Lê Hải - TTXVN)", "Đoàn công tác", "Lê Hải - TTXVN"),
        ("Mùa hoa (Ảnh do CTV cung cấp)", "Mùa hoa", "CTV"),
        ("Delegates at the meeting (Photo: VNA)", "Delegates at the meeting", "VNA"),
        ("Hội nghị (ảnh tư liệu) (Ảnh: Văn Long)", "Hội nghị (ảnh tư liệu)", "Văn Long"),
        # Nothing but the credit: no caption left.
        ("Ảnh: Nguyễn Hùng", None, "Nguyễn Hùng"),
        ("(Ảnh CTV)", None, "CTV"),
        # A credit before more text is read, and the caption goes on as printed.
        ("(Ảnh: TTXVN) Toàn cảnh hội nghị", "(Ảnh: TTXVN) Toàn cảnh hội nghị", "TTXVN"),
    ],
)
def test_caption_and_credit_take_the_credit_off_the_end(printed: str, caption: str | None, credit: str) -> None:
    assert caption_and_credit(printed) == (caption, credit)
    assert caption_credit(printed) == credit


# ---- an outlet or office is a source, never a person ----------------------------------------------------

@pytest.mark.parametrize(
    ("line", "authors", "credits", "source"),
    [
        # Capitalised like a name, an office all the same: the label's role does not make it a person.
        ("Ảnh: Báo Nhân Dân", [], [], "Báo Nhân Dân"),
        ("Ảnh: Sở Y Tế", [], [], "Sở Y Tế"),
        ("Ảnh: SỞ Y TẾ", [], [], "SỞ Y TẾ"),
        ("Video: Đài Truyền Hình Việt Nam", [], [], "Đài Truyền Hình Việt Nam"),
        ("Ảnh: Trang Thông Tin Điện Tử Tỉnh", [], [], "Trang Thông Tin Điện Tử Tỉnh"),
        ("Ảnh: Hội Nông Dân Tỉnh", [], [], "Hội Nông Dân Tỉnh"),
        ("Video: Đài Truyền Hình", [], [], "Đài Truyền Hình"),
        ("Ảnh: Trang Tin Tỉnh", [], [], "Trang Tin Tỉnh"),
        ("Tin, ảnh: Trung Tâm Y Tế Huyện", [], [], "Trung Tâm Y Tế Huyện"),
        ("Tin: LÊ HẢI - Ảnh: Báo Nhân Dân", ["Lê Hải"], [credit("Lê Hải", "text")], "Báo Nhân Dân"),
        # Written as Vietnamese writes offices (only the first word capitalised): a source already.
        ("Theo Báo Nhân Dân", [], [], "Báo Nhân Dân"),
        ("Nguồn: Sở Y tế", [], [], "Sở Y tế"),
        ("Ảnh: Cổng TTĐT tỉnh", [], [], "Cổng TTĐT tỉnh"),
        ("Tin, ảnh: Trung tâm Y tế huyện", [], [], "Trung tâm Y tế huyện"),
        # A bare line in a byline's own shape (capitals) that names an outlet.
        ("BÁO NHÂN DÂN", [], [], "BÁO NHÂN DÂN"),
        ("LÊ HẢI - Báo Nhân Dân", ["Lê Hải"], [credit("Lê Hải", "text")], "Báo Nhân Dân"),
        # "Đài" and "Trang" are given names too: two such words are a person.
        ("Ảnh: ĐÀI TRANG", ["Đài Trang"], [credit("Đài Trang", "photo")], None),
        ("Tin: TRANG ANH", ["Trang Anh"], [credit("Trang Anh", "text")], None),
        ("TRANG ANH", ["Trang Anh"], [credit("Trang Anh", "text")], None),
    ],
)
def test_an_office_in_a_byline_is_a_source(
    line: str, authors: list[str], credits: list[dict], source: str | None
) -> None:
    assert parsed(line) == (authors, credits, source)


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        # An office keeps its printed capitals; a person's name gets Vietnamese capitalisation.
        ("Lễ hội (Ảnh: SỞ Y TẾ)", "SỞ Y TẾ"),
        ("Lễ hội. Ảnh: BÁO NHÂN DÂN", "BÁO NHÂN DÂN"),
        ("Lễ hội (Ảnh: ĐÀI TRANG)", "Đài Trang"),
    ],
)
def test_caption_credit_of_an_office_is_kept_as_printed(caption: str, expected: str) -> None:
    assert caption_credit(caption) == expected


# ---- the role table, every entry (written out here: a word dropped from vocab fails its test) -----------

ROLES = [
    ("Tin", "text"), ("Bài", "text"), ("Bài viết", "text"), ("Nội dung", "text"), ("Story", "text"),
    ("Stories", "text"), ("Text", "text"), ("Article", "text"), ("Report", "text"), ("Written", "text"),
    ("Words", "text"),
    ("Ảnh", "photo"), ("Hình", "photo"), ("Hình ảnh", "photo"), ("Photo", "photo"), ("Photos", "photo"),
    ("Photograph", "photo"), ("Photographs", "photo"), ("Photography", "photo"), ("Pictures", "photo"),
    ("Video", "video"), ("Videos", "video"), ("Clip", "video"), ("Quay phim", "video"), ("Camera", "video"),
    ("Đồ họa", "graphics"), ("Đồ hoạ", "graphics"), ("Thiết kế", "graphics"), ("Graphics", "graphics"),
    ("Graphic", "graphics"), ("Infographic", "graphics"), ("Design", "graphics"),
    ("Thực hiện", "production"), ("Production", "production"), ("Produced", "production"),
    ("Dịch", "translation"), ("Biên dịch", "translation"), ("Người dịch", "translation"),
    ("Lược dịch", "translation"), ("Translation", "translation"), ("Translated", "translation"),
    ("Translator", "translation"),
]


@pytest.mark.parametrize(("label", "role"), ROLES)
def test_every_role_word(label: str, role: str) -> None:
    assert parsed(f"{label}: LÊ HẢI") == (["Lê Hải"], [credit("Lê Hải", role)], None)
    # Any case, any run of spaces inside the label, and beside another role.
    assert parsed(f"{label.upper().replace(' ', '  ')}: LÊ HẢI") == (["Lê Hải"], [credit("Lê Hải", role)], None)
    roles = sorted({role, "photo"}, key=["text", "photo", "video", "graphics", "production", "translation"].index)
    assert parsed(f"{label} và ảnh: LÊ HẢI") == (["Lê Hải"], [credit("Lê Hải", *roles)], None)


def test_the_role_table_is_all_the_roles() -> None:
    from bhgcrawl.vocab import ROLE_WORDS

    assert {w.casefold(): r for w, r in ROLES} == ROLE_WORDS


def test_role_alternation_is_longest_first_with_any_spaces() -> None:
    from bhgcrawl.byline import _alt

    assert _alt(["bài", "quay phim", "bài viết"]) == r"quay\s+phim|bài\s+viết|bài"


@pytest.mark.parametrize(
    ("line", "authors", "credits", "source"),
    [
        ("Bài VÀ ảnh: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", *TP)], None),
        ("Story AND photos: LE HAI", ["Le Hai"], [credit("Le Hai", *TP)], None),
        ("Bài, tin: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "text")], None),  # one role once
        ("Tin, ảnh: XUÂN HÒA", ["Xuân Hòa"], [credit("Xuân Hòa", *TP)], None),
        ("Theo XINHUA", [], [], "XINHUA"),
        ("Theo VTV1", [], [], "VTV1"),  # digits inside a name
        ("Nguồn: baohagiang.vn/kinh-te", [], [], "baohagiang.vn/kinh-te"),
        # An agency acronym: one word in capitals, 2 to 12 letters.
        ("Ảnh: QĐND", [], [], "QĐND"),
        ("Ảnh: AB", [], [], "AB"),
        ("Ảnh: ABCDEFGHIJKL", [], [], "ABCDEFGHIJKL"),
        # Bracketed sources and notes after a name.
        ("LÊ HẢI (tổng hợp) (TTXVN)", ["Lê Hải"], [credit("Lê Hải", "text")], "TTXVN"),
        ("LÊ HẢI (baochinhphu.vn)", ["Lê Hải"], [credit("Lê Hải", "text")], "baochinhphu.vn"),
        ("• (Theo TTXVN) •", [], [], "TTXVN"),
        # "Theo" not after a separator is a part of its own.
        ("Tin: LÊ HẢI và theo TTXVN", ["Lê Hải"], [credit("Lê Hải", "text")], "TTXVN"),
        ("Tin: LÊ HẢI và theo Báo Nhân Dân", ["Lê Hải"], [credit("Lê Hải", "text")], "Báo Nhân Dân"),
        # A source first does not end the line; an empty credit neither.
        ("Nguồn: TTXVN - Ảnh: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "photo")], "TTXVN"),
        ("Video: - Ảnh: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "photo")], None),
        # Six words in capitals are still a name.
        ("Tin: NGUYỄN THỊ PHƯƠNG THẢO TRANG ANH", ["Nguyễn Thị Phương Thảo Trang Anh"],
         [credit("Nguyễn Thị Phương Thảo Trang Anh", "text")], None),
        ("Theo Báo Điện Tử Đảng Cộng Sản Việt Nam", [], [], "Báo Điện Tử Đảng Cộng Sản Việt Nam"),
        ("According to VNA", [], [], "VNA"),
        ("LÊ HẢI - Theo TTXVN", ["Lê Hải"], [credit("Lê Hải", "text")], "TTXVN"),
        ("LÊ HẢI - Ảnh: ĐỨC HẢI, THU PHƯƠNG", ["Lê Hải", "Đức Hải", "Thu Phương"],
         [credit("Lê Hải", "text"), credit("Đức Hải", "photo"), credit("Thu Phương", "photo")], None),
        ("Nguồn: TTXVN. - Ảnh: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "photo")], "TTXVN"),
        ("Nguồn: TTXVN, ảnh: LÊ HẢI", ["Lê Hải"], [credit("Lê Hải", "photo")], "TTXVN"),
        # Title case on a bare line: up to 30 characters.
        ("Nghiêng Nghiêng Nghiêng Nguyệt", ["Nghiêng Nghiêng Nghiêng Nguyệt"],
         [credit("Nghiêng Nghiêng Nghiêng Nguyệt", "text")], None),
    ],
)
def test_parse_byline_more(line: str, authors: list[str], credits: list[dict], source: str | None) -> None:
    assert parsed(line) == (authors, credits, source)


@pytest.mark.parametrize(
    "line",
    [
        "Ảnh: X",  # one letter is no acronym
        "Ảnh: ABCDEFGHIJKLM",  # thirteen is a word
        "Ảnh: Tvhg",  # not in capitals, no known outlet
        "Clip: VTV HG",  # no vowel: units, not a person
        "Tin, ảnh:",
        "Nguồn: «Nhân Dân»",
        "Nguồn: " + "A" * 81,
        "Theo Báo Điện Tử Đảng Cộng Sản Việt Nam Hôm",  # nine words after a bare "Theo": a sentence
        "Theo Báo Nhân Dân: hôm nay",
        "According to reports, the province",
        "Tin: LÊ HẢI và theo đó",
        "Nghiêng Nghiêng Nghiêng Nghiêng",  # 31 characters of title case: a heading
    ],
)
def test_parse_byline_refuses_more(line: str) -> None:
    assert parse_byline(line) is None


def test_a_source_of_eighty_characters_is_kept() -> None:
    src = "A" * 80
    assert parsed(f"Nguồn: {src}") == ([], [], src)


def test_a_line_of_120_characters_is_read() -> None:
    names = ["LÊ HẢI", "ĐỨC HẢI", "THU PHƯƠNG", "MINH HƯƠNG", "HỒNG NHUNG", "KIM TIẾN", "VĂN TOẠI", "THANH HIỀN",
             "NGỌC THU", "LÊ HÀ"]
    line = "Tin, ảnh: " + " - ".join(names)
    assert len(line) == 119
    assert parsed(line + "N")[0][-1] == "Lê Hàn"
    assert parse_byline(line + "NH") is None  # 121 characters: a sentence, not a byline


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Đại biểu dự hội nghị. Ảnh: Nguyễn Hùng |", "Nguyễn Hùng"),
        ("Đại biểu dự hội nghị (Ảnh: Nguyễn Thị Phương Thảo Anh)", "Nguyễn Thị Phương Thảo Anh"),
        ("Ruộng bậc thang. Ảnh: LÊ HẢI.", "Lê Hải"),
        ("Lễ hội (Ảnh: XUÂN HÒA)", "Xuân Hòa"),
        # Up to 60 characters.
        ("Lễ hội (Ảnh: Nghiêm Trương Phượng Huỳnh Nguyễn Nguyễn/BAOHAGIANGVN/VNPLUS)",
         "Nghiêm Trương Phượng Huỳnh Nguyễn Nguyễn/BAOHAGIANGVN/VNPLUS"),
        # Up to 8 words.
        ("Lễ hội (Ảnh: Nguyễn Thị Kim Oanh - Lê Văn Hải)", "Nguyễn Thị Kim Oanh - Lê Văn Hải"),
    ],
)
def test_caption_credit_more(caption: str, expected: str) -> None:
    assert caption_credit(caption) == expected


@pytest.mark.parametrize(
    "caption",
    [
        "Ruộng bậc thang (Ảnh: Lê Hải Lê Hải Lê Hải Lê Hải Lê)",  # nine words: a description
        "Ruộng bậc thang (Ảnh: lê hải)",
        "Ruộng bậc thang (Ảnh: ctv)",  # a credit opens with a capital
        "Lễ hội (Ảnh: Nguyễn Thị Kim Oanh - Hoàng Lê Văn Hải)",  # nine words
        "Lễ hội (Ảnh: Nghiêm Trương Phượng Huỳnh Nguyễn Nguyễn/BAOHAGIANGVN/VNPLUSS)",  # 61 characters
    ],
)
def test_caption_credit_refuses_more(caption: str) -> None:
    assert caption_credit(caption) is None


def test_person_name_recapitalises_each_word_on_its_own() -> None:
    assert person_name("Nguyễn văn HÙNG") == "Nguyễn Văn Hùng"


# ---- a name survives re-capitalising ---------------------------------------------------------------------

SYLLABLES = ["nguyễn", "lê", "hoàng", "thị", "văn", "đức", "hải", "phương", "thảo", "ưng", "h'hen", "niê",
             "pằn-phới", "vương", "liều", "ngọc", "thu", "kiên", "hòa", "thuỷ"]
names = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=5).map(" ".join)


@given(names)
def test_person_name_is_idempotent_and_ignores_the_printed_case(name: str) -> None:
    once = person_name(name)
    assert person_name(once) == once
    assert person_name(name.upper()) == person_name(name.lower()) == once
    assert person_name(name.title()) == once
    assert all(w[0].isupper() for w in once.split())


@pytest.mark.parametrize(
    ("line", "authors", "credits", "source"),
    [
        # An agency in brackets after a name, with or without its label.
        ("LÊ HẢI (Theo TTXVN)", ["Lê Hải"], [credit("Lê Hải", "text")], "TTXVN"),
        ("THU PHƯƠNG (theo VOV)", ["Thu Phương"], [credit("Thu Phương", "text")], "VOV"),
        ("Ảnh: LÊ HẢI (Nguồn: TTXVN)", ["Lê Hải"], [credit("Lê Hải", "photo")], "TTXVN"),
        ("Tin, ảnh: LÊ HẢI (Theo Báo Nhân Dân)", ["Lê Hải"], [credit("Lê Hải", *TP)], "Báo Nhân Dân"),
        ("By LE HAI (Source: VNA)", ["Le Hai"], [credit("Le Hai", "text")], "VNA"),
        # A whole byline in brackets, labels and all.
        ("(Tin, ảnh: LÊ HẢI)", ["Lê Hải"], [credit("Lê Hải", *TP)], None),
        ("• (Ảnh: LÊ HẢI) •", ["Lê Hải"], [credit("Lê Hải", "photo")], None),
    ],
)
def test_a_bracketed_source_after_a_name(
    line: str, authors: list[str], credits: list[dict], source: str | None
) -> None:
    assert parsed(line) == (authors, credits, source)
