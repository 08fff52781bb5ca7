"""Text keys: what compares equal and what does not."""

import pytest

from bhgcrawl.text import search_key


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
