"""Downloader middlewares, one module each.

Order (lower runs first on the way out, last on the way back):
  40  site_only       only the site's hosts, mapped to BHG_BASE_URL; redirects included
  50  skip_done       an article the state already holds is not fetched again
  560 server_faults   counts faults; waits what a 429/503's Retry-After asks before Scrapy's
                      RetryMiddleware (550) retries
  590 page_integrity  an empty or cut-off page is retried; wrong types and charsets mended
  950 bhgcrawl.warc   (WarcCaptureMiddleware) next to the network: the archive holds what the server sent
"""
