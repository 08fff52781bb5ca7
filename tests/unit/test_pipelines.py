import unicodedata

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from bhgcrawl.pipelines.deduplicate import DeduplicatePipeline, Duplicate, Unchanged
from bhgcrawl.pipelines.normalize import NormalizePipeline
from bhgcrawl.pipelines.store import StorePipeline
from bhgcrawl.pipelines.validate import ValidatePipeline
from bhgcrawl.run import Run
from tests.helpers import crawler_with_run
from tests.helpers import sample_record as record


@pytest.fixture
def stats():
    return MemoryStatsCollector(get_crawler())


def test_normalize_makes_nfc_and_one_space_but_keeps_paragraphs():
    nfd = unicodedata.normalize("NFD", "Hà Giang")
    item = NormalizePipeline().process_item(record(title=f" {nfd}\u00a0 mùa\u200b xuân ",
                                                   body=f"Một  {nfd}.\n\n\n\nHai\u00a0ba."))
    assert item["title"] == "Hà Giang mùa xuân"
    assert unicodedata.is_normalized("NFC", item["title"])
    assert item["body"] == "Một Hà Giang.\n\nHai ba."


@pytest.mark.parametrize("field", ["url", "title", "published"])
def test_missing_required_field_is_dropped_and_counted(stats, field):
    with pytest.raises(DropItem, match=f"missing {field}"):
        ValidatePipeline(stats).process_item(record(**{field: None}))
    assert stats.get_value(f"bhg/dropped/missing_{field}") == 1


def test_schema_violation_is_dropped_with_the_reason(stats):
    with pytest.raises(DropItem, match="published"):
        ValidatePipeline(stats).process_item(record(published="05/03/2021 18:34"))
    assert stats.get_value("bhg/dropped/invalid") == 1
    assert ValidatePipeline(stats).process_item(record())["title"] == "Khối giao ước thi đua"


def test_a_video_without_text_has_a_null_body_and_is_fine(stats):
    """Items of the media sections (record.MEDIA_SECTIONS) have no text to be empty: `body` null, no
    problem to report; a text article without text has "" and is worth a look."""
    from bhgcrawl.record import content_hash, problems

    video = record(url="https://baohagiang.vn/multimedia/truyen-hinh/202404/ban-tin-67b4c0c", article_id="67b4c0c",
                   category="multimedia/truyen-hinh", lead=None, body=None, byline=None, authors=[], credits=[],
                   fetched_url="https://baohagiang.vn/multimedia/truyen-hinh/202404/ban-tin-67b4c0c")
    assert NormalizePipeline().process_item(dict(video))["body"] is None
    assert ValidatePipeline(stats).process_item(dict(video))["body"] is None
    assert problems(video) == [] and problems({**video, "category": "media-bhg"}) == []
    assert problems(record(lead=None, body="")) == ["empty_body"]
    # The same content as the "" of exports written before: a refresh makes no new version of it.
    assert content_hash(video) == content_hash({**video, "body": ""})


def _mutations(rec: dict):
    """The record with one field (or one field of its first list entry) replaced, added or removed."""
    values = [None, "", "x", 0, -1, 1.5, True, [], {}, ["x"], [{}], "2021-03-05", "2021-03-05T18:34:00+07:00",
              "2021-03-05T18:34:00Z", "https://baohagiang.vn/a", "https://baohagiang.vn/a/", "minute", "photo"]
    for key in rec:
        for value in values:
            yield {**rec, key: value}
        if isinstance(rec[key], list) and rec[key] and isinstance(rec[key][0], dict):
            first = rec[key][0]
            for sub in first:
                for value in values:
                    yield {**rec, key: [{**first, sub: value}, *rec[key][1:]]}
                yield {**rec, key: [{k: v for k, v in first.items() if k != sub}, *rec[key][1:]]}
            yield {**rec, key: [{**first, "extra": 1}, *rec[key][1:]]}
        yield {k: v for k, v in rec.items() if k != key}
    yield {**rec, "extra": 1}


def test_compiled_schema_check_agrees_with_jsonschema():
    """fastjsonschema reads drafts 4–7 only: a 2020-12 keyword it ignored would pass bad records."""
    import json

    from bhgcrawl.record import schema_error
    from devtools.golden import EXPECTED
    from tests.helpers import reference_validator

    reference = reference_validator()
    # Golden records that between them fill every list of objects (images, related, credits) and
    # every optional field: each field's every check is reached.
    records, shapes = [], set()
    for path in sorted(EXPECTED.glob("*.json")):
        rec = json.loads(path.read_text("utf-8"))
        shape = frozenset(k for k, v in rec.items() if v not in (None, [], ""))
        if not shape <= set().union(*shapes):
            records.append(rec)
            shapes.add(shape)
    verdicts = []
    for rec in records:
        rec["crawled_at"] = "2026-11-25T04:00:00+00:00"
        for candidate in [rec, *_mutations(rec)]:
            valid = reference.is_valid(candidate)
            assert (schema_error(candidate) is None) == valid, candidate
            verdicts.append(valid)
    assert verdicts.count(False) > len(verdicts) // 2 and verdicts.count(True) > len(records)


def test_duplicates_dropped_once_seen(stats):
    """One article (one `url`) is emitted once per run, whatever it was fetched from and however its
    page read the second time: the second item differs in `fetched_url` (it came by the successor
    site) and `title`. Catches deduplication keyed on `fetched_url`, `title` or the whole record."""
    pipe = DeduplicatePipeline(stats)
    first = record()
    assert pipe.process_item(first) is first
    again = record(title="again", fetched_url=first["url"].replace("baohagiang.vn", "baotuyenquang.com.vn"))
    with pytest.raises(Duplicate, match=f"duplicate: {first['url']}"):
        pipe.process_item(again)
    assert stats.get_value("bhg/dropped/duplicate") == 1


def test_other_articles_are_no_duplicates_whatever_they_share(stats):
    """Two articles with one title (a weekly column), or one fetched from where the other was (an
    old URL redirected to the new one): each its own record. Catches deduplication keyed on
    `title` or `fetched_url`."""
    pipe = DeduplicatePipeline(stats)
    first = record()
    same_title = record(url=first["url"].replace("785426", "785427"), article_id="785427")
    moved_here = record(url=first["url"].replace("785426", "785428"), article_id="785428",
                        title="Another", fetched_url=first["url"])
    for item in (first, same_title, moved_here):
        assert pipe.process_item(item) is item
    assert stats.get_value("bhg/dropped/duplicate") is None


@pytest.fixture
def state(tmp_path):
    from bhgcrawl.state import State

    state = State(tmp_path / "s.sqlite3")
    yield state
    state.close()


def test_an_unchanged_article_is_dropped_and_its_sighting_recorded(stats, state):
    """A refresh fetched an article whose content the state has: nothing to emit, `last_seen` moves.
    Catches the state not asked (every refresh re-emitting everything) and the hash compared wrong."""
    from bhgcrawl.record import content_hash

    old = record()
    state.record_emitted(old, content_hash(old))
    state.db.execute("UPDATE articles SET last_seen = '2020-01-01T00:00:00+00:00'")
    pipe = DeduplicatePipeline(stats, state)
    # The related list and the fetch's stamps are no content.
    again = record(related=[{"url": "https://baohagiang.vn/xa-hoi/202103/khac-785431", "title": "Khác",
                             "published": None}], crawled_at="2026-11-26T00:00:00+00:00")
    with pytest.raises(Unchanged, match="unchanged since 2020-01-01T00:00:00"):
        pipe.process_item(again)
    assert stats.get_value("bhg/dropped/unchanged") == 1
    assert state.article(old["url"])["last_seen"] > "2020-01-01T00:00:00+00:00"


def test_a_changed_article_is_a_new_version_stamped_with_when_it_changed(stats, state):
    """Only the body was edited: version 3 after the state's 2, `modified` the crawl time in the
    site's time. Catches the body left out of the content hash, the version not counted on from
    the state's, and `modified` left empty or in UTC."""
    from bhgcrawl.record import content_hash

    old = record(version=2)
    state.record_emitted(old, content_hash(old))
    pipe = DeduplicatePipeline(stats, state)
    edited = record(body="Đoạn một đã sửa.\n\nĐoạn hai./.", crawled_at="2026-11-25T04:52:10+00:00")
    out = pipe.process_item(edited)
    assert (out["version"], out["modified"]) == (3, "2026-11-25T11:52:10+07:00")
    assert stats.get_value("bhg/new_versions") == 1
    # A page that states its own update time keeps it.
    pipe = DeduplicatePipeline(stats, state)
    stated = record(body="Sửa lần nữa.", modified="2026-11-24T08:00:00+07:00")
    assert pipe.process_item(stated)["modified"] == "2026-11-24T08:00:00+07:00"


def test_an_archives_changed_copy_is_a_new_version_with_modified_as_the_page_says(stats, state):
    """An archive's copy whose content differs from what the state holds (read live, or from another
    capture) is a new version; the fetch time says nothing of when the article changed, so `modified`
    is the page's own, null when it prints none. An unchanged copy is dropped and its digest read.
    Catches the live refresh's crawl-time stamp put on archive copies, and the digest of an unchanged
    copy forgotten (fetched again by every refresh)."""
    from bhgcrawl.record import content_hash

    old = record()
    state.record_emitted(old, content_hash(old))
    capture = {"archive": "wayback", "timestamp": "2021-09-01T00:00:00+00:00", "url": old["url"], "digest": "NEW"}
    pipe = DeduplicatePipeline(stats, state)
    out = pipe.process_item(record(body="Đoạn một đã sửa./.", capture=capture, crawled_at="2026-11-25T04:52:10+00:00"))
    assert (out["version"], out["modified"]) == (2, None)
    same = {**capture, "digest": "SAME"}
    with pytest.raises(Unchanged):
        DeduplicatePipeline(stats, state).process_item(record(capture=same))
    state.save_listing("wb", "cdx", None, [(old["url"], "20210901000000", "SAME", "{}")], latest=False)
    assert state.captures_to_fetch("wb", "", 10, 3, refresh_since="2000-01-01") == []


def test_store_holds_feed_records_in_the_state_not_in_memory(tmp_path):
    """With -o/-O the records become done when the feeds close; until then the state holds them."""
    crawler = crawler_with_run(BHG_STATE_PATH=str(tmp_path / "s.sqlite3"),
                               FEEDS={str(tmp_path / "out.jsonl"): {"format": "jsonlines"}})
    pipe = StorePipeline.from_crawler(crawler)
    state = Run.of(crawler).state
    for n in range(3):
        pipe.process_item(record(url=f"https://baohagiang.vn/xa-hoi/202401/bai-{n}-10000{n}"))
    assert not vars(pipe).get("held") and state.held_count() == 3 and state.count() == 0
    pipe.feeds_closed()
    assert state.held_count() == 0 and state.count() == 3
    pipe.close_spider()
    state.close()
