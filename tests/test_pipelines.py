import unicodedata

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from bhgcrawl.pipelines import DeduplicatePipeline, NormalizePipeline, ValidatePipeline


def record(**over):
    base = {
        "url": "https://baohagiang.vn/thoi-su-chinh-tri/202103/khoi-giao-uoc-785426",
        "article_id": "785426", "category": "thoi-su-chinh-tri", "category_name": "Thời sự - Chính trị",
        "language": "vi", "title": "Khối giao ước thi đua", "published": "2021-03-05T18:34:00+07:00",
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


def test_duplicates_dropped_once_seen(stats):
    pipe = DeduplicatePipeline(stats)
    pipe.process_item(record())
    with pytest.raises(DropItem, match="duplicate"):
        pipe.process_item(record(title="again"))
    assert stats.get_value("bhg/dropped/duplicate") == 1
