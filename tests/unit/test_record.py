"""The record (bhgcrawl/record.py): its fields, what it must hold, what makes a new version, its
normalisation, the stamps of a fetch and the schema check, with exact values."""

import hashlib
import json
import unicodedata

import pytest

from bhgcrawl import record as records
from bhgcrawl.record import (
    CONTENT_FIELDS,
    FIELDS,
    MEDIA_SECTIONS,
    REQUIRED,
    STAMPS,
    content_hash,
    missing,
    normalized,
    problems,
    schema,
    schema_error,
    stamp,
)
from tests.helpers import sample_record as full_record


def test_the_fields_their_order_and_their_roles():
    """The export's column order, the required three and what makes a version are part of the format:
    a field dropped from CONTENT_FIELDS turns its edits into silent "unchanged" drops."""
    assert FIELDS == (
        "url", "article_id", "category", "category_name", "language", "publisher", "title", "published",
        "published_precision", "modified", "lead", "event_date", "body", "byline", "authors", "credits",
        "source", "images", "related", "tags", "crawled_at", "version", "fetched_url", "capture")
    assert STAMPS == ("crawled_at", "version", "fetched_url", "capture")
    assert REQUIRED == ("url", "title", "published")
    assert CONTENT_FIELDS == ("title", "published", "lead", "body", "byline", "authors", "credits", "source",
                              "images", "tags")
    assert MEDIA_SECTIONS == ("multimedia", "media")


def test_the_schema_names_every_field_and_requires_them_all():
    """Catches a field added to FIELDS (or the schema) but not the other: every record would
    then be dropped as invalid, or carry an unchecked field."""
    s = schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert tuple(s["required"]) == FIELDS
    assert set(s["properties"]) == set(FIELDS)
    assert s["additionalProperties"] is False


# ---- missing, problems ----------------------------------------------------------------------------


@pytest.mark.parametrize("over,lacking", [
    ({}, []),
    ({"title": None}, ["title"]),
    ({"title": ""}, ["title"]),  # an empty headline is no headline
    ({"published": None, "url": ""}, ["url", "published"]),  # in REQUIRED order, not the record's
    ({"url": None, "title": None, "published": None}, ["url", "title", "published"]),
    ({"lead": None, "body": "", "authors": []}, []),  # only the three are required
])
def test_missing_names_the_required_fields_lacking_in_order(over, lacking):
    """Catches an empty string taken for a value, and the order of the first drop reason changed."""
    assert missing(full_record(**over)) == lacking


def test_missing_counts_an_absent_key_as_missing():
    """Catches `record[f]` (a KeyError) or `f in record` for `record.get(f)`."""
    rec = full_record()
    del rec["published"]
    assert missing(rec) == ["published"]


@pytest.mark.parametrize("over,found", [
    ({}, []),
    ({"title": None, "published": None}, ["missing title, published"]),
    ({"title": None, "body": "", "lead": None}, ["missing title"]),  # missing wins: it will be dropped
    ({"body": "", "lead": None}, ["empty_body"]),
    ({"body": "", "lead": "Chỉ có sa-pô."}, []),
    ({"body": "Chỉ có thân bài.", "lead": None}, []),
    ({"body": "", "lead": None, "category": "multimedia/truyen-hinh"}, []),  # a video is what it is
    ({"body": "", "lead": None, "category": "media-bhg"}, []),
    ({"body": "", "lead": None, "category": "xa-hoi/multimedia"}, ["empty_body"]),  # the top section decides
    ({"body": "", "lead": None, "category": None}, ["empty_body"]),
])
def test_problems_of_a_record(over, found):
    """Catches text articles without text not kept for a look, the lead not counted as text,
    and the media sections (`multimedia`, `media-bhg`) taken as text sections."""
    assert problems(full_record(**over)) == found


# ---- content_hash ---------------------------------------------------------------------------------

CHANGES = {
    "title": "Khối giao ước thi đua (cập nhật)",
    "published": "2021-03-05T18:35:00+07:00",
    "lead": "Ngày 5.3, tại Tỉnh đoàn, hội nghị…",
    "body": "Đoạn một.\n\nĐoạn hai đã sửa./.",
    "byline": "Tin, ảnh: LÊ HẢI - Nguồn: TTXVN",
    "authors": ["Lê Hải", "Vương Liều"],
    "credits": [{"name": "Lê Hải", "roles": ["text"]}],
    "source": "TTXVN",
    "images": [{"url": "https://baohagiang.vn/file/a.jpg", "caption": "Ảnh", "credit": None}],
    "tags": ["thi đua"],
}
SAME = {
    "url": "https://baotuyenquang.com.vn/thoi-su-chinh-tri/202103/khoi-giao-uoc-785426",
    "article_id": "785427", "category": "xa-hoi", "category_name": "Xã hội", "language": "en",
    "publisher": "Báo Tuyên Quang",
    "published_precision": "day", "modified": "2021-03-06T08:00:00+07:00", "event_date": "2021-03-04",
    "related": [{"url": "https://baohagiang.vn/xa-hoi/202103/khac-785431", "title": "Khác", "published": None}],
    "crawled_at": "2027-01-01T00:00:00+00:00", "version": 7,
    "fetched_url": "https://baotuyenquang.com.vn/thoi-su-chinh-tri/202103/khoi-giao-uoc-785426",
    # The same article read from an archive's copy is the same content as read from the site.
    "capture": {"archive": "wayback", "timestamp": "2021-03-10T04:05:06+00:00",
                "url": "http://www.baohagiang.vn/thoi-su-chinh-tri/202103/khoi-giao-uoc-785426", "digest": "ABC"},
}


def test_changes_and_sames_cover_every_field():
    """The two lists below cover every field: a field added to FIELDS must be put in one of them."""
    assert set(CHANGES) == set(CONTENT_FIELDS) and set(CHANGES) | set(SAME) == set(FIELDS)


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_an_edit_of_the_articles_content_changes_the_hash(field):
    """A refresh emits a new version exactly when this hash changes: an edit of the body alone must."""
    assert content_hash(full_record(**{field: CHANGES[field]})) != content_hash(full_record())


@pytest.mark.parametrize("field", sorted(SAME))
def test_what_is_not_the_articles_content_leaves_the_hash(field):
    """A new related list, a section label, the fetch's stamps or the version are no new version
    (else every refresh would re-emit every article: its related list moves daily)."""
    assert content_hash(full_record(**{field: SAME[field]})) == content_hash(full_record())


def test_the_hash_is_stable_across_releases():
    """The state keeps this hash from run to run: another way of computing it (key order, ASCII
    escapes, another digest) makes every refreshed article a new version once."""
    rec = full_record()
    assert content_hash(rec) == "123735228162e0c5852b7600e089433f03edc7eaa893eb8620a4cde3d66a861e"
    content = {k: rec[k] for k in CONTENT_FIELDS}
    wanted = hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    assert content_hash(rec) == wanted
    assert content_hash(dict(reversed(list(rec.items())))) == wanted  # the record's key order is no content


def test_a_video_without_text_hashes_as_its_empty_body_did():
    """A video's body was "" before it was null, and the state keeps the hash of the "" one: catches a
    null body hashed as anything but "" (every video in the state re-emitted as a new version once)."""
    video = full_record(category="multimedia/truyen-hinh", title="Bản tin thời sự tối 5/3/2021", body=None)
    content = {**{k: video[k] for k in CONTENT_FIELDS}, "body": ""}
    wanted = hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    assert content_hash(video) == content_hash({**video, "body": ""}) == wanted


def test_an_absent_content_field_hashes_as_null():
    """Catches an absent field left out of the hash (an old state row and a new record would differ)."""
    rec = full_record(source=None)
    del rec["source"]
    assert content_hash(rec) == content_hash(full_record(source=None))
    assert content_hash({}) == content_hash(dict.fromkeys(CONTENT_FIELDS))


# ---- normalized -----------------------------------------------------------------------------------

NFD = unicodedata.normalize("NFD", "Hà Giang")


def test_normalized_strings_are_nfc_with_one_kind_of_space():
    """Catches NFD text or NBSP/zero-width characters left in a record."""
    assert normalized(f"  {NFD}\u00a0\u200b mùa\t\nxuân  ") == "Hà Giang mùa xuân"
    assert unicodedata.is_normalized("NFC", normalized(NFD))


def test_normalized_body_keeps_its_paragraphs_and_drops_empty_ones():
    """Catches the body's paragraph breaks collapsed, empty paragraphs kept, and paragraphs
    kept in other fields."""
    body = f" Một  {NFD}.\n\n\n\n  \n\nHai\u00a0ba.\nvẫn đoạn hai.\n\n"
    assert normalized(body, "body") == "Một Hà Giang.\n\nHai ba. vẫn đoạn hai."
    # Any other field's blank lines are only whitespace.
    assert normalized("Một.\n\nHai.", "lead") == "Một. Hai."


def test_normalized_goes_into_lists_and_objects_and_leaves_other_values():
    """Catches lists (authors) and objects (images, credits) left unnormalised, and numbers,
    None or booleans turned into strings."""
    rec = {"title": f" {NFD} ", "body": "A.\n\n\n\nB.", "version": 2, "modified": None, "flag": True,
           "authors": ["  Lê\u00a0Hải ", NFD],
           "images": [{"url": "https://baohagiang.vn/file/a.jpg", "caption": f" {NFD}\u200b ", "credit": None}],
           "credits": [{"name": " Lê  Hải", "roles": ["text", "photo"]}]}
    assert normalized(rec) == {
        "title": "Hà Giang", "body": "A.\n\nB.", "version": 2, "modified": None, "flag": True,
        "authors": ["Lê Hải", "Hà Giang"],
        "images": [{"url": "https://baohagiang.vn/file/a.jpg", "caption": "Hà Giang", "credit": None}],
        "credits": [{"name": "Lê Hải", "roles": ["text", "photo"]}]}


def test_normalized_list_items_are_plain_strings():
    """Blank lines inside a list's strings are whitespace like any other: only the body has paragraphs."""
    assert normalized(["A.\n\nB.", 3, None]) == ["A. B.", 3, None]


# ---- stamp ----------------------------------------------------------------------------------------


def test_stamp_puts_the_fetchs_marks_on_the_record_itself():
    """Catches a copy returned (the spider yields the stamped dict), a version carried over
    (the deduplicate pipeline counts on from the state, starting at 1), and the fetched URL lost."""
    rec = {"url": "https://baohagiang.vn/xa-hoi/202401/a-1a1a1a1", "version": 5}
    out = stamp(rec, fetched_url="https://baotuyenquang.com.vn/xa-hoi/202401/a-1a1a1a1",
                crawled_at="2026-11-25T04:52:10+00:00")
    assert out is rec
    assert rec == {"url": "https://baohagiang.vn/xa-hoi/202401/a-1a1a1a1", "version": 1,
                   "crawled_at": "2026-11-25T04:52:10+00:00",
                   "fetched_url": "https://baotuyenquang.com.vn/xa-hoi/202401/a-1a1a1a1", "capture": None}
    capture = {"archive": "commoncrawl", "timestamp": "2024-02-21T10:00:00+00:00",
               "url": "https://www.baohagiang.vn/xa-hoi/202401/a-1a1a1a1", "digest": "QWERTY"}
    assert stamp({}, fetched_url="f", capture=capture)["capture"] is capture


def test_stamp_without_a_time_leaves_crawled_at_out():
    """The golden records have no time of fetch: the key is absent, not null."""
    rec = stamp({"url": "u"}, fetched_url="f")
    assert rec == {"url": "u", "version": 1, "fetched_url": "f", "capture": None}
    assert "crawled_at" not in rec


# ---- schema_error ---------------------------------------------------------------------------------


def _capture(**over) -> dict:
    return {"archive": "wayback", "timestamp": "2021-03-10T04:05:06+00:00",
            "url": "http://www.baohagiang.vn:80/thoi-su-chinh-tri/202103/khoi-giao-uoc-785426?utm_source=x",
            "digest": "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", **over}


def test_a_valid_record_has_no_schema_error():
    """Catches a schema that refuses the record the crawl emits: a live fetch's, and an archive copy's."""
    assert schema_error(full_record()) is None
    assert schema_error(full_record(capture=_capture())) is None
    assert schema_error(full_record(capture=_capture(archive="commoncrawl"))) is None


@pytest.mark.parametrize("over,where", [
    ({"published": "05/03/2021 18:34"}, "published"),
    ({"published": "2021-03-05T11:34:00+00:00"}, "published"),  # the site's time is +07:00
    ({"fetched_url": "https://baohagiang.vn/"}, "fetched_url"),  # a redirect to the home page
    ({"url": "https://baohagiang.vn/xa-hoi/202401/a-1a1a1a1?page=2"}, "url"),
    ({"url": "https://evil.example/xa-hoi/202401/a-1a1a1a1"}, "url"),
    ({"version": 0}, "version"),
    ({"language": "fr"}, "language"),
    ({"title": ""}, "title"),
    ({"authors": [""]}, "authors"),
    ({"credits": [{"name": "Lê Hải", "roles": []}]}, "credits"),
    ({"credits": [{"name": "Lê Hải", "roles": ["writer"]}]}, "credits"),
    ({"images": [{"url": "/file/a.jpg", "caption": None, "credit": None}]}, "images"),
    ({"related": [{"url": "https://baohagiang.vn/a/", "title": None, "published": None}]}, "related"),
    ({"event_date": "5.3.2021"}, "event_date"),
    ({"crawled_at": "2026-11-25 04:00"}, "crawled_at"),
    ({"extra": 1}, "extra"),
    ({"capture": {}}, "capture"),
    ({"capture": "wayback"}, "capture"),
    ({"capture": _capture(archive="archive.today")}, "capture"),
    ({"capture": _capture(timestamp="20210310040506")}, "capture"),  # the archives' 14 digits: not ISO
    ({"capture": _capture(timestamp="2021-03-10T11:05:06+07:00")}, "capture"),  # UTC only
    ({"capture": _capture(url="www.baohagiang.vn/x")}, "capture"),
    ({"capture": _capture(digest="")}, "capture"),
    ({"capture": {**_capture(), "row": "…"}}, "capture"),  # exactly the four keys
    ({"capture": {k: v for k, v in _capture().items() if k != "digest"}}, "capture"),
])
def test_schema_error_says_where_the_record_breaks_the_schema(over, where):
    """Each a way a page or a fetch can break the record; catches a keyword the compiled check
    ignores and an error that does not name the field (the drop's log line says it)."""
    error = schema_error(full_record(**over))
    assert error is not None and where in error


def test_schema_error_for_a_record_without_a_field():
    """Catches `required` not checked."""
    rec = full_record()
    del rec["fetched_url"]
    assert "fetched_url" in schema_error(rec)


def test_the_schema_is_read_once_and_compiled_once():
    """Catches the schema compiled per record (a tenth of a crawl's CPU)."""
    assert schema() is schema()
    assert records._compiled_check() is records._compiled_check()
