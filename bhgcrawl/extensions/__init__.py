"""Crawl extensions, one module each: the run summary, progress lines, field coverage and the layout alarm."""
