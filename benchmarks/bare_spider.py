"""The baseline of the crawl benchmark: what a user would write by hand for this site.

A plain `scrapy.Spider` that knows the markup: home → the menu's sections → each section's
listing pages (the "next" link) → the article pages linked from the list, and yields only the
headline. No page objects, no dates, no pipelines. It fetches the same listing and article pages
as `bhg` on the benchmark site (benchmarks/site.py).

    cd /tmp && python -m scrapy runspider /path/to/benchmarks/bare_spider.py -a base=http://127.0.0.1:8000 -O out.jsonl

Run it outside the project directory: inside, Scrapy would load bhgcrawl's settings (its
pipelines, middlewares and URL mapping), and the baseline would not be bare. Its settings are
Scrapy's defaults plus `custom_settings` below (what bhgcrawl also sets that a user would too).
"""

from __future__ import annotations

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "FEED_EXPORT_ENCODING": "utf-8",
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "USER_AGENT": "bare-benchmark-spider",
    }

    def __init__(self, base: str = "http://127.0.0.1:8000", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base.rstrip("/")

    async def start(self):
        yield scrapy.Request(self.base + "/", callback=self.parse_home)

    def parse_home(self, response):
        for href in response.css("nav .menu-top a::attr(href)").getall():
            if href.strip("/"):
                yield response.follow(href, callback=self.parse_listing)

    def parse_listing(self, response):
        for href in response.css(".list-news .news-title a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_article)
        following = response.css(".pagination a[rel=next]::attr(href), .pagination li.next a::attr(href)").get()
        if following:
            yield response.follow(following, callback=self.parse_listing)

    def parse_article(self, response):
        title = response.css("h1.article-title::text, h2.title-detail::text").get()
        yield {"url": response.url, "title": title.strip() if title else None}
