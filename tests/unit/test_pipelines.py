import unicodedata

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from bhgcrawl.pipelines.deduplicate import DeduplicatePipeline
from bhgcrawl.pipelines.normalize import NormalizePipeline
from bhgcrawl.pipelines.store import StorePipeline
from bhgcrawl.pipelines.validate import ValidatePipeline
from bhgcrawl.run import Run
from tests.helpers import crawler_with_run


def record(**over):
    base = {
        "url": "https://baohagiang.vn/thoi-su-chinh-tri/202103/khoi-giao-uoc-785426",
        "article_id": "785426", "category": "thoi-su-chinh-tri", "category_name": "Thời sự - Chính trị",
        "language": "vi", "publisher": "Báo Hà Giang", "title": "Khối giao ước thi đua",
        "published": "2021-03-05T18:34:00+07:00",
        "published_precision": "minute", "modified": None, "lead": "Ngày 5.3, tại Tỉnh đoàn…",
        "event_date": "2021-03-05", "body": "Đoạn một.\n\nĐoạn hai./.", "byline": "Tin, ảnh: LÊ HẢI",
        "authors": ["Lê Hải"], "credits": [{"name": "Lê Hải", "roles": ["text", "photo"]}], "source": None,
        "images": [], "related": [], "tags": [], "crawled_at": "2026-11-25T04:00:00+00:00", "version": 1,
        "fetched_url": "https://baohagiang.vn/thoi-su-chinh-tri/202103/khoi-giao-uoc-785426",
    }
    base.update(over)
    return base


@pytest.fixture
def stats():
    return MemoryStatsCollector(get_crawler())


def test_normalize_makes_nfc_and_one_space_but_keeps_paragraphs():
    nfd = unicodedata.normalize("NFD", "Hà Giang")
    item = NormalizePipeline().process_item(record(title=f" {nfd}\u00a0 mùa\u200b xuân ",
                                                   body=f"Một  {nfd}.\n\n\n\nHai\u00a0ba."))
    assert item["title"] == "Hà Giang mùa xuân"
    assert unicodedata.is_normalized("NFC", item["title"])
    assert item["body"] == "Một Hà Giang.\n\nHai ba."


@pytest.mark.parametrize("field", ["url", "title", "published"])
def test_missing_required_field_is_dropped_and_counted(stats, field):
    with pytest.raises(DropItem, match=f"missing {field}"):
        ValidatePipeline(stats).process_item(record(**{field: None}))
    assert stats.get_value(f"bhg/dropped/missing_{field}") == 1


def test_schema_violation_is_dropped_with_the_reason(stats):
    with pytest.raises(DropItem, match="published"):
        ValidatePipeline(stats).process_item(record(published="05/03/2021 18:34"))
    assert stats.get_value("bhg/dropped/invalid") == 1
    assert ValidatePipeline(stats).process_item(record())["title"] == "Khối giao ước thi đua"


def test_a_video_without_text_has_a_null_body_and_is_fine(stats):
    """Items of the media sections (record.MEDIA_SECTIONS) have no text to be empty: `body` null, no
    problem to report; a text article without text has "" and is worth a look."""
    from bhgcrawl.record import content_hash, problems

    video = record(url="https://baohagiang.vn/multimedia/truyen-hinh/202404/ban-tin-67b4c0c", article_id="67b4c0c",
                   category="multimedia/truyen-hinh", lead=None, body=None, byline=None, authors=[], credits=[],
                   fetched_url="https://baohagiang.vn/multimedia/truyen-hinh/202404/ban-tin-67b4c0c")
    assert NormalizePipeline().process_item(dict(video))["body"] is None
    assert ValidatePipeline(stats).process_item(dict(video))["body"] is None
    assert problems(video) == [] and problems({**video, "category": "media-bhg"}) == []
    assert problems(record(lead=None, body="")) == ["empty_body"]
    # The same content as the "" of exports written before: a refresh makes no new version of it.
    assert content_hash(video) == content_hash({**video, "body": ""})


def _mutations(rec: dict):
    """The record with one field (or one field of its first list entry) replaced, added or removed."""
    values = [None, "", "x", 0, -1, 1.5, True, [], {}, ["x"], [{}], "2021-03-05", "2021-03-05T18:34:00+07:00",
              "2021-03-05T18:34:00Z", "https://baohagiang.vn/a", "https://baohagiang.vn/a/", "minute", "photo"]
    for key in rec:
        for value in values:
            yield {**rec, key: value}
        if isinstance(rec[key], list) and rec[key] and isinstance(rec[key][0], dict):
            first = rec[key][0]
            for sub in first:
                for value in values:
                    yield {**rec, key: [{**first, sub: value}, *rec[key][1:]]}
                yield {**rec, key: [{k: v for k, v in first.items() if k != sub}, *rec[key][1:]]}
            yield {**rec, key: [{**first, "extra": 1}, *rec[key][1:]]}
        yield {k: v for k, v in rec.items() if k != key}
    yield {**rec, "extra": 1}


def test_compiled_schema_check_agrees_with_jsonschema():
    """fastjsonschema reads drafts 4–7 only: a 2020-12 keyword it ignored would pass bad records."""
    import json

    from bhgcrawl.record import schema_error
    from devtools.golden import EXPECTED
    from tests.helpers import reference_validator

    reference = reference_validator()
    # Golden records that between them fill every list of objects (images, related, credits) and
    # every optional field: each field's every check is reached.
    records, shapes = [], set()
    for path in sorted(EXPECTED.glob("*.json")):
        rec = json.loads(path.read_text("utf-8"))
        shape = frozenset(k for k, v in rec.items() if v not in (None, [], ""))
        if not shape <= set().union(*shapes):
            records.append(rec)
            shapes.add(shape)
    verdicts = []
    for rec in records:
        rec["crawled_at"] = "2026-11-25T04:00:00+00:00"
        for candidate in [rec, *_mutations(rec)]:
            valid = reference.is_valid(candidate)
            assert (schema_error(candidate) is None) == valid, candidate
            verdicts.append(valid)
    assert verdicts.count(False) > len(verdicts) // 2 and verdicts.count(True) > len(records)


def test_duplicates_dropped_once_seen(stats):
    pipe = DeduplicatePipeline(stats)
    pipe.process_item(record())
    with pytest.raises(DropItem, match="duplicate"):
        pipe.process_item(record(title="again"))
    assert stats.get_value("bhg/dropped/duplicate") == 1


def test_store_holds_feed_records_in_the_state_not_in_memory(tmp_path):
    """With -o/-O the records become done when the feeds close; until then the state holds them."""
    crawler = crawler_with_run(BHG_STATE_PATH=str(tmp_path / "s.sqlite3"),
                               FEEDS={str(tmp_path / "out.jsonl"): {"format": "jsonlines"}})
    pipe = StorePipeline.from_crawler(crawler)
    state = Run.of(crawler).state
    pipe.open_spider()
    for n in range(3):
        pipe.process_item(record(url=f"https://baohagiang.vn/xa-hoi/202401/bai-{n}-10000{n}"))
    assert not vars(pipe).get("held") and state.held_count() == 3 and state.count() == 0
    pipe.feeds_closed()
    assert state.held_count() == 0 and state.count() == 3
    pipe.close_spider()
    state.close()
