"""Field coverage of a run and the layout-change alarm.

The site will change its markup without notice; when it does, records keep coming but fields go
empty. At the end of every run the share of records with each field is put in the stats
(`bhg/coverage/<field>`, 0..1) and the run summary; when a field falls below its floor an ERROR
names the fields with example URLs and `scrapy crawl` exits non-zero (3: the stat `bhg/coverage_alarm`,
read by bhgcrawl/commands/crawl.py), so the owner of a cron job
learns that the layout changed.

Coverage counts every record the spider extracted, including those the validate pipeline then
dropped for a missing title or date, so a vanished headline cannot hide by being dropped.
"""

from __future__ import annotations

import logging
import math

from scrapy import signals
from scrapy.exceptions import NotConfigured

from bhgcrawl.pipelines.deduplicate import Duplicate, Unchanged
from bhgcrawl.run import ALARM_STAT

logger = logging.getLogger(__name__)

FIELDS = ("title", "published_minute", "lead", "body", "authors", "related")
# Floors: (share, fewest records before the floor is judged). A missing title is a fault on any
# run; a timestamp or a byline can be legitimately absent (old pages, agency items), so those are
# judged on runs large enough to tell. 0.9, not 1.0, for timestamps: some older pages print none,
# while a layout change drops the share to about nothing.
DEFAULT_FLOORS = {"title": (1.0, 1), "published": (1.0, 1), "published_minute": (0.9, 10),
                  "authors": (0.8, 10)}
# A floor judged on a sample (fewest records > 1) alarms only when the share is below it beyond
# chance: the upper bound of the share's 99% Wilson interval. A run of the old pages an outage left
# (2 of 14 with no time) is no layout change; a layout change (0 of 14) is.
Z = 2.326


def upper_bound(hits: int, n: int, z: float = Z) -> float:
    """The upper end of the Wilson score interval of the share hits/n."""
    share, z2 = hits / n, z * z
    return (share + z2 / (2 * n) + z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))) / (1 + z2 / n)


def has(record: dict, field: str) -> bool:
    if field == "published_minute":
        return bool(record.get("published")) and record.get("published_precision") == "minute"
    if field == "authors":
        # A byline that names no person ("PV", "Theo TTXVN") was read right: nothing is missing.
        return bool(record.get("authors") or record.get("byline") or record.get("source"))
    return bool(record.get(field))


class FieldCoverage:
    def __init__(self, crawler, floors: dict):
        self.crawler = crawler
        self.floors = floors
        self.counts = dict.fromkeys(set(FIELDS) | set(floors), 0)
        self.missing: dict[str, list[str]] = {f: [] for f in self.counts}
        self.total = 0
        crawler.signals.connect(self.item_extracted, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("BHG_COVERAGE_ENABLED"):
            raise NotConfigured
        floors = dict(DEFAULT_FLOORS)
        for field, share in crawler.settings.getdict("BHG_COVERAGE_FLOORS").items():
            floors[field] = (float(share), floors.get(field, (0, 10))[1])
        return cls(crawler, floors)

    def item_extracted(self, item, response=None, spider=None):
        self._count(dict(item))

    def item_dropped(self, item, response=None, exception=None, spider=None):
        # Duplicates and unchanged articles were counted when first extracted; invalid ones count.
        if not isinstance(exception, (Duplicate, Unchanged)):
            self._count(dict(item))

    def _count(self, record: dict) -> None:
        self.total += 1
        for field in self.counts:
            if has(record, field):
                self.counts[field] += 1
            elif len(self.missing[field]) < 5:
                self.missing[field].append(record.get("url") or "?")

    def coverage(self) -> dict[str, float]:
        return {f: round(self.counts[f] / self.total, 4) for f in sorted(self.counts)} if self.total else {}

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats
        shares = self.coverage()
        for field, share in shares.items():
            stats.set_value(f"bhg/coverage/{field}", share)
        low = [f for f, (floor, least) in self.floors.items()
               if self.total >= least and shares.get(f, 1.0) < floor
               and (least <= 1 or upper_bound(self.counts[f], self.total) < floor)]
        for field in low:
            message = (f"layout alarm: {field} on {shares[field]:.0%} of {self.total} records "
                       f"(floor {self.floors[field][0]:.0%}); e.g. {', '.join(self.missing[field])}")
            logger.error(message)
        if low:
            stats.set_value(ALARM_STAT, ", ".join(low))
