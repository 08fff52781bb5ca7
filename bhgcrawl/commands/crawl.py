"""`scrapy crawl`, exiting non-zero when the run raised a layout alarm (bhgcrawl.extensions.coverage)."""

from scrapy.commands.crawl import Command as ScrapyCrawl

from bhgcrawl.extensions.coverage import ALARM_STAT, EXIT_CODE


class Command(ScrapyCrawl):
    def run(self, args, opts):
        if len(args) != 1:
            return super().run(args, opts)  # Scrapy's own usage errors
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats.get_value(ALARM_STAT):
            self.exitcode = EXIT_CODE
