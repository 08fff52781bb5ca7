"""The spider's arguments (`scrapy crawl bhg -a name=value`), typed and checked once.

| argument | type | meaning |
|---|---|---|
| `category` | comma-separated section paths | crawl only these sections and their subsections |
| `since`, `until` | `YYYY-MM-DD` | a backfill window, both days inclusive |
| `full` | flag (`1`, `true`, `yes`, `on`) | walk every listing page to its end |
| `refresh_days` | whole number | also re-fetch the articles published in the last N days |
| `warc` | path | re-extract records from WARC files instead of fetching |
| `site` | host | the host to walk: `baohagiang.vn` (default) or its successor `baotuyenquang.com.vn` |
| `source` | `live`, `wayback` or `commoncrawl` | where pages come from: the site (default) or a web archive |
| `capture` | `earliest` or `latest` | with an archive source, which capture of an article is read (default earliest) |
| `crawls` | comma-separated crawl ids | with `source=commoncrawl`, only these crawls (`CC-MAIN-2024-10`) |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bhgcrawl.dates import SITE_TZ
from bhgcrawl.urls import PRIMARY_HOST, SITE_HOSTS, site_host
from bhgcrawl.walks import Window

SOURCES = ("live", "wayback", "commoncrawl")
CAPTURES = ("earliest", "latest")
_CRAWL_ID = re.compile(r"CC-MAIN-\d{4}-\d{2}")


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
    source: str = "live"
    capture: str = "earliest"
    crawls: tuple[str, ...] = ()

    NAMES = ("category", "full", "since", "until", "refresh_days", "warc", "site", "source", "capture", "crawls")

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
        source, capture, crawls = _archive_arguments(given, warc, host)
        return cls(
            categories=tuple(c.strip().strip("/") for c in (given.get("category") or "").split(",") if c.strip()),
            full=_flag(given.get("full"), "full"),
            window=window,
            refresh_days=int(days) if days not in (None, "") else None,
            warc=warc,
            site=host,
            source=source,
            capture=capture,
            crawls=crawls,
        )

    @property
    def archive(self) -> str | None:
        """The web archive the pages come from (`wayback`, `commoncrawl`), or None: the site itself."""
        return None if self.source == "live" else self.source

    def wants(self, category: str | None) -> bool:
        """Whether a section is to be crawled: any, or one of `categories` or below it."""
        if not category:
            return False
        return not self.categories or any(category == c or category.startswith(c + "/") for c in self.categories)


def _archive_arguments(given: dict, warc: str | None, host: str) -> tuple[str, str, tuple[str, ...]]:
    """(source, capture, crawls), each checked, and with the arguments they cannot go with."""
    source = str(given.get("source") or "live").strip().lower()
    if source not in SOURCES:
        raise ValueError(f"-a source= takes {', '.join(SOURCES)}, not {given.get('source')!r}")
    capture = str(given.get("capture") or "earliest").strip().lower()
    if capture not in CAPTURES:
        raise ValueError(f"-a capture= takes earliest or latest, not {given.get('capture')!r}")
    crawls = tuple(c.strip() for c in str(given.get("crawls") or "").split(",") if c.strip())
    bad = next((c for c in crawls if not _CRAWL_ID.fullmatch(c)), None)
    if bad is not None:
        raise ValueError(f"-a crawls= takes Common Crawl crawl ids such as CC-MAIN-2024-10, not {bad!r}")
    if crawls and source != "commoncrawl":
        raise ValueError("-a crawls= names Common Crawl's crawls: give -a source=commoncrawl with it")
    if given.get("capture") and source == "live":
        raise ValueError("-a capture= chooses among a web archive's captures: give -a source=wayback or commoncrawl")
    if source != "live" and warc:
        raise ValueError(f"-a warc= re-extracts WARC files, -a source={source} reads a web archive: give one of them")
    if source != "live" and _flag(given.get("full"), "full"):
        raise ValueError(f"-a full= walks the site's listings; -a source={source} reads every capture its index lists")
    if source != "live" and host != PRIMARY_HOST:
        raise ValueError(f"-a site= is for live runs; the archives are read for {PRIMARY_HOST} and its English edition")
    return source, capture, crawls
