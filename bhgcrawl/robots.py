"""robots.txt: Scrapy's own parser (Protego), which also tells the run which sitemaps robots.txt names."""

from scrapy.robotstxt import ProtegoRobotParser

from bhgcrawl.run import Run


class SitemapsInRobots(ProtegoRobotParser):
    """ROBOTSTXT_PARSER: robots.txt is read once per host, before the first request to it is sent, so
    the sitemaps are known by the time the home page is parsed."""

    @classmethod
    def from_crawler(cls, crawler, robotstxt_body: bytes):
        parser = super().from_crawler(crawler, robotstxt_body)
        run = Run.of(crawler)
        run.sitemaps.extend(url for url in parser.rp.sitemaps if url not in run.sitemaps)
        return parser
