"""`scrapy crawl`, checked before it starts (`bhgcrawl.preflight`) and exiting with the run's verdict.

Exit codes (README "Exit codes"): 0 the run did its work; 1 usage or configuration error; 3 layout
alarm; 4 the site could not be crawled; 5 output or state could not be written; 130 interrupted.
"""

import sys

from scrapy.commands.crawl import Command as ScrapyCrawl

from bhgcrawl import preflight
from bhgcrawl.run import EXIT_USAGE


class Command(ScrapyCrawl):
    def run(self, args, opts):
        if len(args) != 1:
            return super().run(args, opts)  # Scrapy's own usage errors
        problem = preflight.check(self.settings, opts.spargs)
        if problem is not None:
            code, line = problem
            print(f"bhg: {line}", file=sys.stderr)
            self.exitcode = code
            return None
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        verdict = crawler.stats.get_value("bhg/exit_code") if crawler.stats else None
        if self.crawler_process.bootstrap_failed:
            self.exitcode = EXIT_USAGE
        elif verdict is not None:
            self.exitcode = verdict
            if verdict:
                print(f"bhg: {crawler.stats.get_value('bhg/outcome')}", file=sys.stderr)
        return None
