"""Required fields, then the record's JSON Schema: an item that fails is dropped with its reason."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

REQUIRED_FIELDS = ("url", "title", "published")


@lru_cache(maxsize=1)
def record_schema() -> dict:
    """The record's JSON Schema, shipped in the package (bhgcrawl/schema/record.schema.json)."""
    return json.loads(resources.files("bhgcrawl.schema").joinpath("record.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def record_validator():
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(record_schema(), format_checker=FormatChecker())


class ValidatePipeline:
    """Drops an item that lacks a required field or breaks the schema, counting why."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        for field in REQUIRED_FIELDS:
            if not adapter.get(field):
                self.stats.inc_value(f"bhg/dropped/missing_{field}")
                raise DropItem(f"missing {field}: {adapter.get('url')}")
        errors = sorted(record_validator().iter_errors(adapter.asdict()), key=lambda e: list(e.path))
        if errors:
            self.stats.inc_value("bhg/dropped/invalid")
            first = errors[0]
            where = "/".join(str(p) for p in first.path) or "(record)"
            raise DropItem(f"invalid record {adapter.get('url')}: {where}: {first.message}")
        return item
