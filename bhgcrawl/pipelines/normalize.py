"""NFC and one kind of whitespace in every text field of a record."""

from __future__ import annotations

from itemadapter import ItemAdapter

from bhgcrawl.text import clean


def normalize_value(value, key: str = ""):
    """NFC and one kind of whitespace everywhere; the body keeps its blank-line paragraph breaks."""
    if isinstance(value, str):
        if key == "body":
            return "\n\n".join(p for p in (clean(x) for x in value.split("\n\n")) if p)
        return clean(value)
    if isinstance(value, list):
        return [normalize_value(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize_value(v, k) for k, v in value.items()}
    return value


class NormalizePipeline:
    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        for key in list(adapter.keys()):
            adapter[key] = normalize_value(adapter[key], key)
        return item
