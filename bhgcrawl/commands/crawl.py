"""`scrapy crawl`, exiting non-zero when the run raised a layout alarm (bhgcrawl.coverage)."""

from scrapy.commands.crawl import Command as ScrapyCrawl

from bhgcrawl import coverage


class Command(ScrapyCrawl):
    def run(self, args, opts):
        super().run(args, opts)
        if coverage.alarms and not self.exitcode:
            self.exitcode = coverage.EXIT_CODE
