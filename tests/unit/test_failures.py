"""The failures ledger and the pages kept for inspection."""

import json

from scrapy import Request
from scrapy.http import HtmlResponse

from bhgcrawl.spiders.bhg import BhgSpider
from tests.helpers import crawler_with_run


def test_saved_pages_are_named_by_hash_never_by_url(tmp_path):
    crawler = crawler_with_run(BhgSpider, BHG_FAILED_PAGES_DIR=str(tmp_path / "failed"),
                               BHG_FAILURES_PATH=str(tmp_path / "failures.jsonl"))
    spider = crawler.spider
    hostile = "https://baohagiang.vn/../../etc/passwd/202101/x-123456?a=/../../root"
    response = HtmlResponse("http://127.0.0.1:1/x", body=b"<html></html>", request=Request(
        "http://127.0.0.1:1/x", meta={"site_url": hostile}))
    spider.run.failures.keep(response, hostile, "missing title")
    saved = sorted(p.name for p in (tmp_path / "failed").iterdir())
    assert len(saved) == 2 and all(len(name.split(".")[0]) == 16 for name in saved)
    assert [json.loads(line)["url"] for line in (tmp_path / "failures.jsonl").read_text().splitlines()] == [hostile]
