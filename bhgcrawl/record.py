"""The record: one JSON object per article, its fields in order, what it must hold, what makes a new
version, its schema and the stamps a fetch puts on it.

Everything that knows the record's shape reads it from here: the page objects fill `FIELDS` less
`STAMPS`, the pipelines normalise, check and hash with the functions below, the export writes `FIELDS`
in order, and the state keeps `content_hash()` to tell a changed article from an unchanged one.
The JSON Schema ships beside the package code (bhgcrawl/schema/record.schema.json) for any
Draft 2020-12 validator; the crawl uses it compiled by fastjsonschema.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources

import fastjsonschema

from bhgcrawl.text import clean

# The export's field order (FEED_EXPORT_FIELDS and the run's own JSON Lines file).
FIELDS = (
    "url", "article_id", "category", "category_name", "language", "publisher", "title",
    "published", "published_precision", "modified", "lead", "event_date", "body",
    "byline", "authors", "credits", "source", "images", "related", "tags", "crawled_at", "version", "fetched_url",
    "capture",
)
# Put on by the crawl, not read from the page.
STAMPS = ("crawled_at", "version", "fetched_url", "capture")
# A record's `capture` holds exactly these (bhgcrawl.archives.capture_field); null for a live fetch.
CAPTURE_KEYS = ("archive", "timestamp", "url", "digest")
# A record without one of these is no article record: dropped (and its page kept for a look).
REQUIRED = ("url", "title", "published")
# Sections whose items are videos: a record without text is what they are, and its `body` is null.
MEDIA_SECTIONS = ("multimedia", "media")
# What makes a new version: the article's own content, not its related list or section label.
CONTENT_FIELDS = ("title", "published", "lead", "body", "byline", "authors", "credits", "source", "images", "tags")


def is_media(category: str | None) -> bool:
    """Whether a category path is one of the media sections (`multimedia/truyen-hinh`, `media-bhg`)."""
    return (category or "").startswith(MEDIA_SECTIONS)


def missing(record: dict) -> list[str]:
    """The required fields `record` lacks, in `REQUIRED` order."""
    return [f for f in REQUIRED if not record.get(f)]


def problems(record: dict) -> list[str]:
    """Why a record's page is worth a look: required fields missing (the record will be dropped), or
    a text article without text (emitted: its title and date are real)."""
    lacking = missing(record)
    if lacking:
        return ["missing " + ", ".join(lacking)]
    if not (record["body"] or record["lead"] or is_media(record["category"])):
        return ["empty_body"]
    return []


def content_hash(record: dict) -> str:
    content = {k: record.get(k) for k in CONTENT_FIELDS}
    # No text is one content whether written "" or null (a video's body was "" before it was null).
    content["body"] = content["body"] or ""
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def normalized(value, key: str = ""):
    """NFC and one kind of whitespace everywhere; the body keeps its blank-line paragraph breaks."""
    if isinstance(value, str):
        if key == "body":
            return "\n\n".join(p for p in (clean(x) for x in value.split("\n\n")) if p)
        return clean(value)
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: normalized(v, k) for k, v in value.items()}
    return value


def stamp(record: dict, *, fetched_url: str, crawled_at: str | None = None, capture: dict | None = None) -> dict:
    """Put the crawl's stamps on a page's fields: when it was fetched (left out when None: the golden
    records have no time), version 1 (the deduplicate pipeline counts on from the state's version),
    where it was fetched from, and which web archive's capture it was read from (None: the site itself)."""
    if crawled_at is not None:
        record["crawled_at"] = crawled_at
    record["version"] = 1
    record["fetched_url"] = fetched_url
    record["capture"] = capture
    return record


@lru_cache(maxsize=1)
def schema() -> dict:
    """The record's JSON Schema, shipped in the package (bhgcrawl/schema/record.schema.json)."""
    return json.loads(resources.files("bhgcrawl.schema").joinpath("record.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _compiled_check():
    """The schema compiled to Python code by fastjsonschema: about a tenth of the cost per record of
    jsonschema's interpreter, which took a tenth of a crawl's CPU. fastjsonschema knows drafts 4–7,
    so the schema keeps to the keywords 2020-12 shares with draft 7; the tests hold jsonschema's
    Draft 2020-12 validator to the same verdicts on every golden record and its mutations."""
    return fastjsonschema.compile(schema())


def schema_error(record: dict) -> str | None:
    """Where and how `record` breaks the schema (the first violation), or None."""
    try:
        _compiled_check()(record)
    except fastjsonschema.JsonSchemaValueException as exc:
        return exc.message
    return None
