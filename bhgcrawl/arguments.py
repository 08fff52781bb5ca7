"""The spider's arguments (`scrapy crawl bhg -a name=value`), typed and checked once.

| argument | type | meaning |
|---|---|---|
| `category` | comma-separated section paths | crawl only these sections and their subsections |
| `since`, `until` | `YYYY-MM-DD` | a backfill window, both days inclusive |
| `full` | flag (`1`, `true`, `yes`, `on`) | walk every listing page to its end |
| `refresh_days` | whole number | also re-fetch the articles published in the last N days |
| `warc` | path | re-extract records from WARC files instead of fetching |
| `site` | host | the host to walk: `baohagiang.vn` (default) or its successor `baotuyenquang.com.vn` |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bhgcrawl.urls import PRIMARY_HOST, SITE_HOSTS, site_host
from bhgcrawl.walks import Window


def _flag(value) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"-a {name}= takes a date as YYYY-MM-DD, not {value!r}") from None


@dataclass(frozen=True)
class Arguments:
    categories: tuple[str, ...] = ()
    full: bool = False
    window: Window = Window()
    refresh_days: int | None = None
    warc: str | None = None
    site: str = PRIMARY_HOST

    NAMES = ("category", "full", "since", "until", "refresh_days", "warc", "site")

    @classmethod
    def parse(cls, category=None, full=None, since=None, until=None, refresh_days=None, warc=None,
              site=None) -> Arguments:
        host = site_host(site or PRIMARY_HOST)
        if host is None:
            raise ValueError(f"-a site= takes one of the site's hosts ({', '.join(sorted(SITE_HOSTS))}), not {site!r}")
        window = Window(_day(since, "since"), _day(until, "until"))
        if window.since and window.until and window.since > window.until:
            raise ValueError("-a since= is after -a until=")
        return cls(
            categories=tuple(c.strip().strip("/") for c in (category or "").split(",") if c.strip()),
            full=_flag(full),
            window=window,
            refresh_days=int(refresh_days) if refresh_days not in (None, "") else None,
            warc=warc,
            site=host,
        )

    def wants(self, category: str | None) -> bool:
        """Whether a section is to be crawled: any, or one of `categories` or below it."""
        if not category:
            return False
        return not self.categories or any(category == c or category.startswith(c + "/") for c in self.categories)
