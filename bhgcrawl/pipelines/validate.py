"""Required fields, then the record's JSON Schema: an item that fails is dropped with its reason."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from bhgcrawl import record as records


class ValidatePipeline:
    """Drops an item that lacks a required field or breaks the schema, counting why."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        record = item if isinstance(item, dict) else ItemAdapter(item).asdict()
        for field in records.missing(record)[:1]:
            self.stats.inc_value(f"bhg/dropped/missing_{field}")
            raise DropItem(f"missing {field}: {record.get('url')}")
        error = records.schema_error(record)
        if error:
            self.stats.inc_value("bhg/dropped/invalid")
            raise DropItem(f"invalid record {record.get('url')}: {error}")
        return item
