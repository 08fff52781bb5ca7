"""NFC and one kind of whitespace in every text field of a record (`record.normalized`)."""

from __future__ import annotations

from itemadapter import ItemAdapter

from bhgcrawl.record import normalized


class NormalizePipeline:
    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        for key in list(adapter.keys()):
            adapter[key] = normalized(adapter[key], key)
        return item
