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
