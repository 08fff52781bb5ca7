"""The layout alarm's rule, without a crawl: which runs alarm, by their records."""

import pytest
from scrapy.utils.test import get_crawler

from bhgcrawl.extensions.coverage import FieldCoverage, upper_bound
from bhgcrawl.run import ALARM_STAT
from tests.helpers import project_settings, sample_record


def alarm(records, **floors):
    crawler = get_crawler(settings_dict=project_settings(BHG_COVERAGE_FLOORS=floors))
    coverage = FieldCoverage.from_crawler(crawler)
    for record in records:
        coverage.item_extracted(record)
    coverage.spider_closed(None, "finished")
    return crawler.stats.get_value(ALARM_STAT)


def dated(n: int, timed: int) -> list[dict]:
    return [sample_record(url=f"https://baohagiang.vn/xa-hoi/202401/bai-{i}-{i:07x}",
                          published_precision="minute" if i < timed else "day") for i in range(n)]


def test_the_wilson_bound():
    assert upper_bound(14, 14) == 1.0
    assert round(upper_bound(12, 14), 3) == 0.967
    assert round(upper_bound(0, 14), 3) == 0.279
    assert round(upper_bound(39, 41), 3) == 0.989


@pytest.mark.parametrize(("n", "timed", "alarmed"), [
    (14, 12, None),  # the old pages an outage left: 2 of 14 print no time, as old pages do
    (18, 16, None),
    (14, 0, "published_minute"),  # the timestamp line gone: a layout change
    (14, 7, "published_minute"),
    (100, 80, "published_minute"),  # far enough below 90% on enough records to be no chance
    (100, 88, None),
    (9, 0, None),  # too few records to judge a floor that allows for missing times
])
def test_a_sampled_floor_alarms_only_below_it_beyond_chance(n, timed, alarmed):
    assert alarm(dated(n, timed)) == alarmed


def test_a_title_missing_once_alarms_on_any_run():
    records = dated(3, 3)
    records[1]["title"] = None
    assert alarm(records) == "title"
