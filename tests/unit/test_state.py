import json

import pytest

from bhgcrawl.record import content_hash
from bhgcrawl.run import recover_killed_runs
from bhgcrawl.state import State, StateLocked


def rec(n, version=1):
    return {"url": f"https://baohagiang.vn/xa-hoi/202401/bai-{n}-10000{n}", "article_id": f"10000{n}",
            "category": "xa-hoi", "published": "2024-01-0{n}T08:00:00+07:00", "title": f"Bài {n}", "version": version}


def test_recovery_cuts_the_half_line_and_takes_exported_records(tmp_path):
    export = tmp_path / "run1.jsonl"
    state = State(tmp_path / "s.sqlite3")
    state.start_run("run1", str(export))
    state.record_emitted(rec(1), content_hash(rec(1)))
    # Killed after writing record 2 but before committing it, in the middle of record 3.
    export.write_text(json.dumps(rec(1)) + "\n" + json.dumps(rec(2)) + "\n" + json.dumps(rec(3))[:25], "utf-8")
    state.close()

    state = State(tmp_path / "s.sqlite3")
    notes = recover_killed_runs(state)
    assert notes == [f"{export}: cut 25 bytes of an unfinished line",
                     "run run1 did not finish: 1 exported records taken into the state"]
    assert export.read_text("utf-8").splitlines() == [json.dumps(rec(1)), json.dumps(rec(2))]
    assert state.is_done(rec(2)["url"]) and not state.is_done(rec(3)["url"])
    assert recover_killed_runs(state) == []  # once
    state.close()


def test_frontier_walks_and_gone(tmp_path):
    state = State(tmp_path / "s.sqlite3")
    state.save_walk("2019..", "https://baohagiang.vn/xa-hoi", "https://baohagiang.vn/xa-hoi/trang-2.html",
                    [(rec(1)["url"], "xa-hoi"), (rec(2)["url"], "xa-hoi")])
    assert state.walk("2019..", "https://baohagiang.vn/xa-hoi") == ("https://baohagiang.vn/xa-hoi/trang-2.html", False)
    assert state.pending() == [rec(1)["url"], rec(2)["url"]]
    state.record_emitted(rec(1), "h")
    state.mark_gone(rec(2)["url"], 404)
    assert state.pending() == []
    assert state.done_among([rec(1)["url"], rec(2)["url"], rec(3)["url"]]) == {rec(1)["url"], rec(2)["url"]}
    state.save_walk("2019..", "https://baohagiang.vn/xa-hoi", None, [])
    assert state.walk("2019..", "https://baohagiang.vn/xa-hoi") == (None, True)
    state.close()


def test_one_holder_at_a_time(tmp_path):
    first = State(tmp_path / "s.sqlite3")
    with pytest.raises(StateLocked, match="another bhg run is using the state"):
        State(tmp_path / "s.sqlite3")
    first.close()
    State(tmp_path / "s.sqlite3").close()


def test_held_feed_records_are_done_only_once_released(tmp_path):
    """-o/-O: records wait in the state (not in memory) until the feeds are closed; a killed run's
    held records are dropped by recovery, so the next run fetches them again."""
    state = State(tmp_path / "s.sqlite3")
    state.add_pending([(rec(1)["url"], "xa-hoi"), (rec(2)["url"], "xa-hoi")])
    state.record_emitted(rec(3), "old")
    state.hold(rec(1), "h1")
    state.hold(rec(3, version=2), "h3")
    assert state.held_count() == 2
    assert not state.is_done(rec(1)["url"]) and state.article(rec(3)["url"])["version"] == 1
    assert state.release_held() == 2
    assert state.held_count() == 0
    assert state.is_done(rec(1)["url"]) and state.pending() == [rec(2)["url"]]
    assert state.article(rec(1)["url"])["content_hash"] == "h1"
    assert (state.article(rec(3)["url"])["version"], state.article(rec(3)["url"])["content_hash"]) == (2, "h3")
    state.start_run("run1", None)
    state.hold(rec(2), "h2")
    state.close()  # killed before its feeds were closed

    state = State(tmp_path / "s.sqlite3")
    assert recover_killed_runs(state) == [
        "1 records of a killed run's -o/-O feeds were never confirmed: fetched again",
        "run run1 did not finish: 0 exported records taken into the state"]
    assert state.held_count() == 0 and not state.is_done(rec(2)["url"]) and state.pending() == [rec(2)["url"]]
    state.close()


# ---- web archive backfills ------------------------------------------------------------------------

def capture(url, timestamp, digest="D1"):
    return (url, timestamp, digest, json.dumps({"timestamp": timestamp, "digest": digest}))


def archived(n, digest, version=1):
    return {**rec(n, version), "capture": {"archive": "wayback", "timestamp": "2024-01-05T00:00:00+00:00",
                                           "url": rec(n)["url"], "digest": digest}}


def test_a_listing_keeps_each_articles_earliest_or_latest_capture_with_its_progress(tmp_path):
    """Rows of one article come on several pages (its `/` and `?utm_source` variants are urlkeys of their
    own); catches the last row seen kept instead of the earliest, and the progress saved apart from the
    rows (a kill between the two loses rows or reads a page twice into a different choice)."""
    state = State(tmp_path / "s.sqlite3")
    a, b = rec(1)["url"], rec(2)["url"]
    state.save_listing("wb", "cdx", "page-2", [capture(a, "20240105000000", "A"), capture(b, "20240301000000")],
                       latest=False)
    assert state.walk("wb", "cdx") == ("page-2", False)
    state.save_listing("wb", "cdx", None, [capture(a, "20240103000000", "A0"), capture(a, "20240107000000", "A2"),
                                           capture(b, "20240301000000", "B-later-same-second")], latest=False)
    assert state.walk("wb", "cdx") == (None, True)
    chosen = state.captures_to_fetch("wb", "", 10, max_attempts=3)
    assert [(u, t, d) for u, t, d, _row in chosen] == [(a, "20240103000000", "A0"), (b, "20240301000000", "D1")]
    assert json.loads(chosen[0][3]) == {"timestamp": "20240103000000", "digest": "A0"}
    state.save_listing("wb-latest", "cdx", None, [capture(a, "20240105000000"), capture(a, "20240107000000", "A2"),
                                                  capture(a, "20240103000000")], latest=True)
    assert [c[:3] for c in state.captures_to_fetch("wb-latest", "", 10, 3)] == [(a, "20240107000000", "A2")]
    # Paged by URL, for a frontier that stays small.
    assert [c[0] for c in state.captures_to_fetch("wb", a, 10, 3)] == [b]
    assert [c[0] for c in state.captures_to_fetch("wb", "", 1, 3)] == [a]
    state.close()


def test_a_refused_copy_gives_way_to_the_next_best_capture_and_never_comes_back(tmp_path):
    """Catches a refused capture chosen again by a listing read again, the next best taken in the wrong
    order (the latest for an earliest backfill), its attempts not started afresh, and an article with no
    other capture given up at once instead of tried by the next runs."""
    state = State(tmp_path / "s.sqlite3")
    a, b = rec(1)["url"], rec(2)["url"]
    rows = [capture(a, "20240105000000", "A1"), capture(a, "20240301000000", "A3"),
            capture(a, "20240201000000", "A2"), capture(b, "20240105000000", "B1")]
    state.save_listing("wb", "cdx", None, rows, latest=False)
    state.capture_attempted("wb", a)
    assert state.capture_refused("wb", a, latest=False)[:3] == (a, "20240201000000", "A2")
    state.save_listing("wb", "cdx", None, rows, latest=False)  # the same index pages again
    assert [c[:3] for c in state.captures_to_fetch("wb", "", 10, 1)] == [(a, "20240201000000", "A2"),
                                                                       (b, "20240105000000", "B1")]
    assert state.capture_refused("wb", a, latest=False)[:3] == (a, "20240301000000", "A3")
    assert state.capture_refused("wb", a, latest=False) is None  # none left: A3 stays, an attempt more
    assert [c[:3] for c in state.captures_to_fetch("wb", "", 10, 2)] == [(a, "20240301000000", "A3"),
                                                                       (b, "20240105000000", "B1")]
    assert [c[0] for c in state.captures_to_fetch("wb", "", 10, 1)] == [b]
    # A latest backfill falls back to the next latest; a backfill's refusals are its own.
    state.save_listing("wb-latest", "cdx", None, rows, latest=True)
    assert state.capture_refused("wb-latest", a, latest=True)[:3] == (a, "20240201000000", "A2")
    state.close()


def test_what_is_held_or_was_read_or_had_its_attempts_is_not_fetched(tmp_path):
    """Catches an article the state holds (from any source) fetched again, a refresh refetching the copy it
    read before (same digest: a revisit), and a capture that keeps failing tried forever."""
    state = State(tmp_path / "s.sqlite3")
    urls = [rec(n)["url"] for n in (1, 2, 3, 4)]
    state.save_listing("wb", "cdx", None, [capture(u, "20240105000000", f"D{i}") for i, u in enumerate(urls)], False)
    state.record_emitted(rec(1), "h1")  # a live fetch
    state.record_emitted(archived(2, "D1"), "h2")  # read from the archive's copy D1
    state.hold(archived(3, "OTHER"), "h3")  # written to an -O feed not closed yet: not held, still to fetch
    left = [c[0] for c in state.captures_to_fetch("wb", "", 10, max_attempts=2)]
    assert left == [urls[2], urls[3]]
    assert state.held_among(urls) == {urls[0], urls[1]}
    # A refresh of what was published since: held articles again, but not the copy already read.
    refresh = [c[0] for c in state.captures_to_fetch("wb", "", 10, 2, refresh_since="2024-01-01")]
    assert refresh == [urls[0], urls[2], urls[3]]
    assert state.capture_attempted("wb", urls[3]) == 1 and state.capture_attempted("wb", urls[3]) == 2
    assert [c[0] for c in state.captures_to_fetch("wb", "", 10, 2)] == [urls[2]]
    assert state.capture_attempted("wb", "https://baohagiang.vn/not-listed") == 0
    state.release_held()
    assert state.captures_to_fetch("wb", "", 10, 2) == []
    # The feed's record brought its digest along: that copy is read.
    assert [c[0] for c in state.captures_to_fetch("wb", "", 10, 2, refresh_since="2024-01-01")] == [urls[0], urls[2]]
    state.touch(urls[0], "D0")  # read again, unchanged
    assert [c[0] for c in state.captures_to_fetch("wb", "", 10, 2, refresh_since="2024-01-01")] == [urls[2]]
    state.close()


def test_a_state_from_before_archive_copies_gets_its_held_digest_column(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    State(path).close()
    db = sqlite3.connect(path)
    db.execute("DROP TABLE held")
    db.execute("CREATE TABLE held (url TEXT NOT NULL, article_id TEXT, category TEXT, published TEXT,"
               " content_hash TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1)")
    db.commit()
    db.close()
    state = State(path)
    state.hold(archived(1, "D"), "h")
    assert state.release_held() == 1
    state.close()
