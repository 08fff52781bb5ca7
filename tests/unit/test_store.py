"""Write before commit: an article is never marked done before its line is durable in the export,
and a line written but not committed is taken in by the next run's recovery, once.

The store pipeline, the run's export file and the state, with a real SQLite file in a temporary folder;
faults are injected between writing a line and committing it, and the other way round.
"""

import json
import sqlite3

import pytest
from scrapy.exceptions import DropItem

from bhgcrawl.exports import ExportFile, recover_tail
from bhgcrawl.pipelines.deduplicate import DeduplicatePipeline, Unchanged
from bhgcrawl.pipelines.store import StorePipeline
from bhgcrawl.record import FIELDS, content_hash
from bhgcrawl.run import Run, recover_killed_runs
from bhgcrawl.state import State
from tests.helpers import crawler_with_run
from tests.helpers import sample_record as record

URL = record()["url"]


@pytest.fixture
def store(tmp_path):
    """A run with its own export (no -o/-O) and a state, as `scrapy crawl bhg` has them; its pipeline open."""
    crawler = crawler_with_run(BHG_STATE_PATH=str(tmp_path / "state.sqlite3"), BHG_EXPORT_DIR=str(tmp_path / "ex"))
    run = Run.of(crawler)
    pipe = StorePipeline.from_crawler(crawler)
    yield pipe, run
    if run.state is not None:
        run.state.close()
    pipe.close_spider()


def lines_on_disk(path) -> list[dict]:
    """What a reader (or the next run, after a kill) finds in the file now, whatever is still buffered."""
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_a_record_is_written_then_committed(store):
    """The plain path: the line in the file (in the export's field order) and the article done."""
    pipe, run = store
    item = record()
    assert pipe.process_item(item) is item
    assert [list(r) for r in lines_on_disk(run.export.path)] == [list(FIELDS)]
    assert lines_on_disk(run.export.path) == [item]
    known = run.state.article(URL)
    assert (known["version"], known["content_hash"]) == (1, content_hash(item))


def test_a_line_that_could_not_be_written_is_never_done(store, monkeypatch):
    """The disk is full while the line is written: the article must stay undone, so the next run
    fetches it again. Catches the state committed before the line is written (an article marked
    done whose record is in no export: lost for good)."""
    pipe, run = store

    def disk_full(record):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(run.export, "append", disk_full)
    with pytest.raises(DropItem, match="not written"):
        pipe.process_item(record())
    assert not run.state.is_done(URL) and run.state.article(URL) is None
    assert not run.export.path.exists()
    # The run ends with one line and exit 5.
    assert run.failure == (5, f"the export {run.export.path} cannot be written (No space left on device): free disk "
                              "space or set -s BHG_EXPORT_DIR= elsewhere; what was not written is fetched again by "
                              "the next run")


def test_a_line_written_but_not_committed_is_taken_in_by_the_next_run_once(store, tmp_path, monkeypatch):
    """The commit fails (the run is killed, the disk errs) after the line was written: the line is
    already on disk, and the next run's recovery records it as emitted, once, so it is neither lost
    nor emitted again. Catches the line still in Python's buffer when the commit is tried (no flush:
    a kill after the commit would lose a line the state holds as done), recovery ignoring the killed
    run's export, and recovery taking it in twice."""
    pipe, run = store
    item = record()
    state = run.state

    def killed(*args):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(state, "record_emitted", killed)
    with pytest.raises(sqlite3.OperationalError):
        pipe.process_item(item)
    assert lines_on_disk(run.export.path) == [item]  # durable before the commit was tried
    assert not state.is_done(URL)
    state.close()  # the run dies here: it never finishes; its lock goes with it
    run.state = None

    state = State(tmp_path / "state.sqlite3")  # the next run, as Run.start opens it
    assert recover_killed_runs(state) == [f"run {run.id} did not finish: 1 exported records taken into the state"]
    known = state.article(URL)
    assert (known["version"], known["content_hash"]) == (1, content_hash(item))
    assert lines_on_disk(run.export.path) == [item]  # taken in, not written again
    assert recover_killed_runs(state) == []  # once: the killed run is finished now
    # And the next fetch of the article emits nothing: it is done, unchanged.
    with pytest.raises(Unchanged):
        DeduplicatePipeline(crawler_stats(), state).process_item(record())
    state.close()


def crawler_stats():
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    return MemoryStatsCollector(get_crawler())


# ---- recovery and versions --------------------------------------------------------------------------


def killed_run_exported(tmp_path, state_version: int, exported: dict) -> tuple[State, dict]:
    """A state holding the article at `state_version`, and a killed run whose export holds `exported`."""
    state = State(tmp_path / "s.sqlite3")
    held = record(version=state_version, body=f"Bản của phiên bản {state_version}.")
    state.record_emitted(held, content_hash(held))
    export = tmp_path / "killed.jsonl"
    export.write_text(json.dumps(exported, ensure_ascii=False) + "\n", "utf-8")
    state.start_run("killed", str(export))
    state.close()
    return State(tmp_path / "s.sqlite3"), held


def test_recovery_takes_a_newer_version_from_the_killed_runs_export(tmp_path):
    """The killed run emitted version 2 of an article the state has at version 1 (a refresh that
    found it changed): the state ends at version 2 with the export's content hash, else the next
    refresh emits version 2 again. Catches `<=`/`>` for `<` and the state's hash kept."""
    newer = record(version=2, body="Đoạn một đã sửa.\n\nĐoạn hai./.")
    state, _held = killed_run_exported(tmp_path, 1, newer)
    assert recover_killed_runs(state) == ["run killed did not finish: 1 exported records taken into the state"]
    known = state.article(URL)
    assert (known["version"], known["content_hash"]) == (2, content_hash(newer))
    state.close()


@pytest.mark.parametrize("exported_version", [1, 2])
def test_recovery_never_overwrites_with_an_older_or_equal_version(tmp_path, exported_version):
    """The state already has version 2 (committed by a later run, or before the kill): a line of
    version 1 or 2 in a killed run's export leaves it as it is. Catches `<=` for `<` (an equal
    version's hash taken) and a version compared the wrong way round."""
    exported = record(version=exported_version, body="Một bản khác.")
    state, held = killed_run_exported(tmp_path, 2, exported)
    assert recover_killed_runs(state) == ["run killed did not finish: 0 exported records taken into the state"]
    known = state.article(URL)
    assert (known["version"], known["content_hash"]) == (2, content_hash(held))
    state.close()


def test_recovery_reads_a_line_without_version_as_version_1(tmp_path):
    """An export written before versions were counted: its lines are version 1."""
    exported = record(body="Một bản khác.")
    del exported["version"]
    state, held = killed_run_exported(tmp_path, 1, exported)
    assert recover_killed_runs(state)[-1] == "run killed did not finish: 0 exported records taken into the state"
    assert state.article(URL)["content_hash"] == content_hash(held)
    state.close()


def test_recovery_of_a_killed_run_whose_export_was_never_created(tmp_path):
    """Killed before its first record: nothing to take in, and the run is finished."""
    state = State(tmp_path / "s.sqlite3")
    state.start_run("killed", str(tmp_path / "never.jsonl"))
    assert recover_killed_runs(state) == ["run killed did not finish: 0 exported records taken into the state"]
    assert state.unfinished_runs() == [] and recover_killed_runs(state) == []
    state.close()


# ---- the export file --------------------------------------------------------------------------------


def test_export_lines_are_in_field_order_flushed_and_counted(tmp_path):
    """Catches a line left in the buffer (a kill loses it although the state was told), the field
    order lost, a missing field left out instead of null, and ASCII escapes."""
    export = ExportFile(tmp_path / "run.jsonl", ("url", "title", "version"))
    assert not export.path.exists()  # made with its first line: a run with nothing new leaves no file
    export.append({"version": 1, "title": "Hà Giang", "extra": "x", "url": "u"})
    export.append({"url": "v"})
    assert export.path.read_bytes() == ('{"url": "u", "title": "Hà Giang", "version": 1}\n'
                                        '{"url": "v", "title": null, "version": null}\n').encode()
    assert export.written == 2
    export.close()
    export.close()  # twice is harmless (the spider's close and the engine's)


def test_an_export_without_fields_writes_the_record_as_it_is(tmp_path):
    """Catches an empty field list taken as "no fields" (empty lines) and ASCII escapes."""
    export = ExportFile(tmp_path / "run.jsonl")
    export.append({"b": 1, "a": "ệ"})
    export.close()
    assert (tmp_path / "run.jsonl").read_bytes() == '{"b": 1, "a": "ệ"}\n'.encode()


def test_a_new_export_never_reuses_an_earlier_runs_file(tmp_path):
    """Two runs started within one second: the second writes its own file, never appends to the first's."""
    first = ExportFile.new(tmp_path, "20261125T045210Z")
    assert first.path == tmp_path / "20261125T045210Z.jsonl"
    first.append({"url": "a"})
    first.close()
    second = ExportFile.new(tmp_path, "20261125T045210Z")
    assert second.path == tmp_path / "20261125T045210Z-2.jsonl"
    second.append({"url": "b"})
    second.close()
    assert ExportFile.new(tmp_path, "20261125T045210Z").path == tmp_path / "20261125T045210Z-3.jsonl"


def test_recover_tail_cuts_only_an_unfinished_last_line(tmp_path):
    """The half line a kill left is cut off the file, whole lines stay; a whole file is left as
    it is. Catches the cut at the wrong byte (a whole record lost, or half a line left for the next run
    to append after) and a file rewritten when nothing was cut."""
    path = tmp_path / "killed.jsonl"
    whole = b'{"url": "a"}\n{"url": "b"}\n'
    path.write_bytes(whole + b'{"url": "c", "ti')
    assert recover_tail(path) == ([{"url": "a"}, {"url": "b"}], 16)
    assert path.read_bytes() == whole
    assert recover_tail(path) == ([{"url": "a"}, {"url": "b"}], 0)  # a whole file is left as it is
    assert path.read_bytes() == whole


def test_recover_tail_skips_a_garbled_whole_line(tmp_path):
    """A line the disk garbled is skipped, the lines after it are still taken in: catches
    recovery stopping (or failing) at the first bad line."""
    path = tmp_path / "killed.jsonl"
    path.write_bytes(b'{"url": "a"}\n\x00\x00garbage\n{"url": "b"}\n')
    assert recover_tail(path) == ([{"url": "a"}, {"url": "b"}], 0)
