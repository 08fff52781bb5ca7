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

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bhgcrawl.dates import SITE_TZ
from bhgcrawl.urls import PRIMARY_HOST, SITE_HOSTS, site_host
from bhgcrawl.walks import Window


def _flag(value, name: str) -> bool:
    text = str(value or "").strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"-a {name}= takes 1 or 0 (yes/no, true/false), not {value!r}")


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"-a {name}= takes a date as YYYY-MM-DD (e.g. 2019-01-31), not {value!r}") from None


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
    def parse(cls, **given) -> Arguments:
        """The arguments from their text; a ValueError names the argument and the form it takes.
        Names starting with `_` are a scheduler's own (Scrapyd's `_job`) and left alone."""
        unknown = sorted(k for k in given if k not in cls.NAMES and not k.startswith("_"))
        if unknown:
            raise ValueError(f"unknown argument -a {unknown[0]}=; the known ones are: {', '.join(cls.NAMES)}")
        site = given.get("site")
        host = site_host(site or PRIMARY_HOST)
        if host is None:
            raise ValueError(f"-a site= takes one of the site's hosts ({', '.join(sorted(SITE_HOSTS))}), not {site!r}")
        window = Window(_day(given.get("since"), "since"), _day(given.get("until"), "until"))
        if window.since and window.until and window.since > window.until:
            raise ValueError(f"-a until={window.until} is before -a since={window.since}: swap them")
        if window.since and window.since > datetime.now(SITE_TZ).date():
            raise ValueError(f"-a since={window.since} is in the future: give a day that has come")
        days = given.get("refresh_days")
        if days not in (None, "") and not re.fullmatch(r"\s*\d{1,6}\s*", str(days)):
            raise ValueError(f"-a refresh_days= takes a whole number of days (e.g. 7), not {days!r}")
        warc = given.get("warc") or None
        if warc is not None and not Path(warc).exists():
            raise ValueError(f"-a warc={warc}: no such file or folder; give the folder BHG_WARC_DIR wrote to")
        return cls(
            categories=tuple(c.strip().strip("/") for c in (given.get("category") or "").split(",") if c.strip()),
            full=_flag(given.get("full"), "full"),
            window=window,
            refresh_days=int(days) if days not in (None, "") else None,
            warc=warc,
            site=host,
        )

    def wants(self, category: str | None) -> bool:
        """Whether a section is to be crawled: any, or one of `categories` or below it."""
        if not category:
            return False
        return not self.categories or any(category == c or category.startswith(c + "/") for c in self.categories)
