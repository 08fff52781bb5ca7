"""`bhgcrawl export`: exports, folders and shards merged into one record per article, filtered and written."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bhgcrawl import cli, dataset
from bhgcrawl.record import FIELDS, schema_error
from tests.helpers import crawl_env, golden, variant, write_export

SCRIPT = Path(sys.executable).parent / "bhgcrawl"  # the console script `make venv` installs


@pytest.fixture
def archive(tmp_path, monkeypatch) -> Path:
    """Three run files: the crawler's own folder, and two shards copied back (one nested deeper).

    0d530c3: version 2 in node2 beats a later-crawled version 1 in node3.
    5c2d8b7: same version; node2's crawl is the later instant (01:00Z) although node3's time string
             (09:00+09:00, 00:00Z) sorts after it.
    785426:  same version and instant in node3: the first one read (exports/bhg) stays.
    node2 also holds a line that is no JSON, one that breaks the schema and a half-written last line;
    node3 holds the failures ledger, which is no export.
    """
    g = golden()
    write_export(tmp_path / "exports/bhg/20260101T000000Z.jsonl", list(g.values()))
    half = json.dumps(g["785399"], ensure_ascii=False)[:80]
    write_export(tmp_path / "shards/node2/exports/bhg/20260102T000000Z.jsonl", [
        variant(g["0d530c3"], version=2, title="Bắc Quang tổng kết (sửa)",
                crawled_at="2026-01-02T00:00:00+00:00"),
        variant(g["5c2d8b7"], title="Phiên chợ (node2)", crawled_at="2026-01-01T01:00:00+00:00"),
        "{oops\n",
        variant(g["785402"], published="2021-03-05 10:20"),
    ], tail=half)
    write_export(tmp_path / "shards/node3/20260103T000000Z.jsonl", [
        variant(g["0d530c3"], title="Bắc Quang (node3)", crawled_at="2026-01-03T00:00:00Z"),
        variant(g["5c2d8b7"], title="Phiên chợ (node3)", crawled_at="2026-01-01T09:00:00+09:00"),
        variant(g["785426"], title="Khối giao ước (node3)", crawled_at="2026-01-01T00:00:00Z"),
    ])
    ledger = ['{"url": "https://baohagiang.vn/x", "reason": "timeout"}\n']
    write_export(tmp_path / "shards/node3/failures.jsonl", ledger)
    write_export(tmp_path / "ledger/failures.jsonl", ledger)  # a folder with nothing but the ledger
    monkeypatch.chdir(tmp_path)
    return tmp_path


def export(*args: str) -> int:
    return cli.main(["export", *args])


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_the_console_script_merges_shards_into_one_record_per_article(archive):
    proc = subprocess.run([str(SCRIPT), "export", "exports/bhg", "shards", "-o", "all.jsonl"], cwd=archive,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    said = proc.stderr.splitlines()
    node2 = "shards/node2/exports/bhg/20260102T000000Z.jsonl"
    assert said[0].startswith(f"bhgcrawl export: left out {node2}:3: not JSON (")
    assert said[1].startswith(f"bhgcrawl export: left out {node2}:4: breaks the schema: data.published must match")
    assert said[2] == f"bhgcrawl export: left out {node2}:5: half-written last line (a killed run)"
    assert said[3] == ("bhgcrawl export: wrote 41 of 41 articles to all.jsonl (jsonl); 46 records read from 3 files, "
                       "5 older versions merged, 2 invalid records left out, 1 half-written last line skipped")
    assert len(said) == 4

    raw = (archive / "all.jsonl").read_bytes()
    assert "Hà Giang".encode() in raw and b"\\u" not in raw  # UTF-8, never ASCII-escaped
    records = lines(archive / "all.jsonl")
    assert len(records) == 41 and len({r["url"] for r in records}) == 41
    assert all(tuple(r) == FIELDS for r in records)
    assert [(r["published"], r["url"]) for r in records] == sorted((r["published"], r["url"]) for r in records)
    by_id = {r["article_id"]: r for r in records}
    assert (by_id["0d530c3"]["version"], by_id["0d530c3"]["title"]) == (2, "Bắc Quang tổng kết (sửa)")
    assert by_id["5c2d8b7"]["title"] == "Phiên chợ (node2)"
    assert by_id["785426"]["title"] == golden()["785426"]["title"]
    assert by_id["785402"] == golden()["785402"]  # its broken copy was left out, the good one kept


def test_window_takes_both_edge_days_in_the_sites_zone(archive, capsys):
    g = golden()
    write_export(archive / "late/20260104T000000Z.jsonl", [
        # 00:30 in Hà Giang is still 31 January in UTC: the day is the site's.
        variant(g["f28b6e0"], published="2024-02-01T00:30:00+07:00", crawled_at="2026-01-04T00:00:00+00:00"),
    ])
    assert export("exports/bhg", "late", "-o", "w.jsonl", "--since", "2023-12-15", "--until", "2024-01-28") == 0
    assert [r["article_id"] for r in lines(archive / "w.jsonl")] == ["c6d0e17", "8c7a5d1", "5c2d8b7", "0d530c3"]
    assert export("exports/bhg", "late", "-o", "w.jsonl", "--since", "2023-12-16", "--until", "2024-01-27") == 0
    assert [r["article_id"] for r in lines(archive / "w.jsonl")] == ["8c7a5d1", "5c2d8b7"]
    assert export("exports/bhg", "late", "-o", "w.jsonl", "--since", "2024-02-01", "--until", "2024-02-01") == 0
    assert [r["article_id"] for r in lines(archive / "w.jsonl")] == ["f28b6e0"]
    assert export("exports/bhg", "-o", "w.jsonl", "--since", "2025-01-08") == 0
    assert [r["article_id"] for r in lines(archive / "w.jsonl")] == ["7f3b9d2"]
    assert "wrote 1 of 41 articles" in capsys.readouterr().err


def test_sections_include_their_subsections_and_nothing_that_only_starts_alike(archive):
    g = golden()
    lookalike = variant(g["5c2d8b7"], url="https://baohagiang.vn/kinh-te-so/202401/phien-cho-so-5c2d8b8",
                        article_id="5c2d8b8", category="kinh-te-so")
    write_export(archive / "more/20260105T000000Z.jsonl", [lookalike])
    assert export("exports/bhg", "more", "-o", "s.jsonl", "--sections", "kinh-te") == 0
    got = lines(archive / "s.jsonl")
    assert len(got) == 10 and {r["category"] for r in got} == {"kinh-te", "kinh-te/nong-lam-nghiep"}
    assert export("exports/bhg", "more", "-o", "s.jsonl", "--sections", "/kinh-te/nong-lam-nghiep/, xa-hoi") == 0
    assert sorted({r["category"] for r in lines(archive / "s.jsonl")}) == ["kinh-te/nong-lam-nghiep", "xa-hoi"]
    assert len(lines(archive / "s.jsonl")) == 11


def test_fields_are_a_subset_in_the_order_given(archive):
    assert export("exports/bhg", "-o", "f.jsonl", "--fields", "title,url,version") == 0
    first = lines(archive / "f.jsonl")[0]
    assert list(first) == ["title", "url", "version"]
    assert first == {"title": "Triển khai sản xuất vụ Xuân năm 2012", "version": 1, "url": golden()["587321"]["url"]}
    assert export("exports/bhg", "-o", "f.csv", "--fields", "url,authors") == 0
    assert (archive / "f.csv").read_text("utf-8").splitlines()[0] == "url,authors"


def test_csv_has_every_field_as_a_column_lists_and_objects_as_json(archive):
    assert export("exports/bhg", "shards", "-o", "all.csv") == 0
    with open(archive / "all.csv", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, row)) for row in reader]
    assert tuple(header) == FIELDS and len(rows) == 41
    row = next(r for r in rows if r["article_id"] == "785426")
    g = golden()["785426"]
    assert row["authors"] == '["Lê Hải"]'
    assert json.loads(row["credits"]) == [{"name": "Lê Hải", "roles": ["text", "photo"]}]
    assert json.loads(row["related"]) == g["related"] and json.loads(row["tags"]) == g["tags"]
    assert row["body"] == g["body"] and "\n\n" in row["body"]
    assert (row["modified"], row["source"], row["version"], row["published"]) == ("", "", "1", g["published"])


def test_parquet_has_the_schemas_column_types_even_when_empty(archive):
    duckdb = pytest.importorskip("duckdb", reason="Parquet is written by DuckDB (the parquet extra)")
    assert export("exports/bhg", "shards", "-o", "all.parquet") == 0
    assert export("exports/bhg", "-o", "none.parquet", "--since", "2030-01-01") == 0
    con = duckdb.connect()
    types = {}
    for name in ("all", "none"):
        described = con.execute(f"DESCRIBE SELECT * FROM '{name}.parquet'").fetchall()
        types[name] = {row[0]: row[1] for row in described}
    assert types["all"] == types["none"]
    assert list(types["all"]) == list(FIELDS)
    assert {k: types["all"][k] for k in ("published", "modified", "crawled_at", "event_date", "version", "authors",
                                         "credits", "images", "related", "title")} == {
        "published": "TIMESTAMP WITH TIME ZONE", "modified": "TIMESTAMP WITH TIME ZONE",
        "crawled_at": "TIMESTAMP WITH TIME ZONE", "event_date": "DATE", "version": "BIGINT", "authors": "VARCHAR[]",
        "credits": 'STRUCT("name" VARCHAR, roles VARCHAR[])[]',
        "images": "STRUCT(url VARCHAR, caption VARCHAR, credit VARCHAR)[]",
        "related": "STRUCT(url VARCHAR, title VARCHAR, published TIMESTAMP WITH TIME ZONE, "
                   "published_precision VARCHAR)[]",
        "title": "VARCHAR"}
    con.execute("SET TimeZone = 'UTC'")
    assert con.execute("SELECT count(*) FROM 'none.parquet'").fetchone() == (0,)
    row = con.execute("SELECT version, title, strftime(published, '%Y-%m-%dT%H:%M'), authors, event_date::VARCHAR "
                      "FROM 'all.parquet' WHERE article_id = '0d530c3'").fetchone()
    # 09:01 at +07:00 is 02:01 UTC: Parquet holds the instant.
    event_date = golden()["0d530c3"]["event_date"]
    assert row == (2, "Bắc Quang tổng kết (sửa)", "2024-01-28T02:01", ["Nguyễn Hùng"], event_date)
    assert con.execute("SELECT count(*) FROM 'all.parquet'").fetchone() == (41,)


def test_parquet_without_duckdb_names_the_extra(archive, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now fails
    assert export("exports/bhg", "-o", "all.parquet") == 1
    assert capsys.readouterr().err == ("bhgcrawl export: Parquet needs DuckDB, which is not installed: "
                                       "pip install 'bhgcrawl[parquet]'\n")
    assert not (archive / "all.parquet").exists()


@pytest.mark.parametrize(("args", "said"), [
    (["exports/bhg", "-o", "x.jsonl", "--since", "2019-13-01"],
     "argument --since: takes a day as YYYY-MM-DD, not '2019-13-01' (see bhgcrawl export --help)"),
    (["exports/bhg", "-o", "x.jsonl", "--since", "2020-01-01", "--until", "2019-12-31"],
     "--since 2020-01-01 is after --until 2019-12-31: swap them"),
    (["exports/bhg", "-o", "x.jsonl", "--format", "xml"], "--format must be one of jsonl, csv, parquet, not 'xml'"),
    (["exports/bhg", "-o", "x.jsonl", "--fields", "url,headline"],
     f"--fields: unknown field headline; the fields are {','.join(FIELDS)}"),
    (["nowhere", "-o", "x.jsonl"], "nowhere does not exist: give export files (*.jsonl) or folders of them"),
    (["ledger", "-o", "x.jsonl"], "no export files (*.jsonl) under ledger: give run files or folders that hold them"),
    (["exports/bhg", "-o", "missing/x.jsonl"],
     "cannot write missing/x.jsonl (No such file or directory): choose a writable -o path"),
    (["exports/bhg", "-o", "exports"], "-o exports is a folder: give a file name"),
    (["exports/bhg", "-o", "exports/bhg/20260101T000000Z.jsonl"],
     "-o exports/bhg/20260101T000000Z.jsonl is one of the inputs: write the export elsewhere"),
    (["exports/bhg"], "the following arguments are required: -o/--output (see bhgcrawl export --help)"),
    (["exports/bhg", "-o", "x.jsonl", "--sections", ","],
     "argument --sections: names no section (e.g. --sections kinh-te,xa-hoi) (see bhgcrawl export --help)"),
])
def test_a_mistake_is_one_line_and_exit_code_1(archive, capsys, args, said):
    code = export(*args)
    err = capsys.readouterr().err
    assert (code, err) == (1, f"bhgcrawl export: {said}\n")
    assert not (archive / "x.jsonl").exists()


def test_a_mistake_in_a_real_process_is_one_line_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bhgcrawl.cli", "export", "-o", "x.jsonl"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env=crawl_env())
    assert (proc.returncode, proc.stderr) == (1, "bhgcrawl export: no exports at exports/bhg (the crawler's folder): "
                                                 "give export files or folders as PATH\n")
    assert cli.main([]) == 1


def test_the_crawlers_folder_is_the_default(archive):
    assert export("-o", "default.jsonl") == 0
    assert len(lines(archive / "default.jsonl")) == 41


def test_records_exported_before_capture_are_live_fetches(tmp_path):
    """Exports written before `capture` joined the record: every one of them was a live fetch, so they
    read as `capture: null` and pass the schema. Catches the default missing (every old record then
    left out as invalid) and a default put on records that have the field (an archive copy losing its
    provenance)."""
    g = golden()
    assert all(dataset.upgraded(dict(r)) == r for r in g.values())  # today's records: nothing to fill
    old = {k: v for k, v in g["785426"].items() if k != "capture"}
    assert schema_error(old) is not None and schema_error(dataset.upgraded(dict(old))) is None
    archived = {**g["0d530c3"], "capture": {"archive": "wayback", "timestamp": "2024-02-01T03:04:05+00:00",
                                            "url": "http://www.baohagiang.vn/x", "digest": "ABCD"}}
    write_export(tmp_path / "old.jsonl", [old, archived])
    with dataset.Dataset([tmp_path / "old.jsonl"]) as ds:
        got = {r["article_id"]: r for r in ds.records()}
    assert ds.problems.total == 0
    assert got == {"785426": {**old, "capture": None}, "0d530c3": archived}


def test_upgraded_fills_what_a_record_predates_before_it_is_checked(tmp_path, monkeypatch):
    g = golden()
    # The seam at work, with a field the schema has: a record written before it gets its default.
    old = {k: v for k, v in g["785426"].items() if k != "tags"}
    assert schema_error(old) is not None
    monkeypatch.setattr(dataset, "DEFAULTS", {"tags": []})
    write_export(tmp_path / "old.jsonl", [old])
    with dataset.Dataset([tmp_path / "old.jsonl"]) as ds:
        got = list(ds.records())
    assert ds.problems.total == 0 and got == [{**old, "tags": []}]


def test_related_items_of_records_written_before_their_precision_are_upgraded(tmp_path):
    """Older exports printed a related item's day alone (`2021-03-05`) and had no `published_precision`."""
    g = golden()["785426"]
    assert {(x["published"], x["published_precision"]) for x in g["related"]} == {("2021-03-05T00:00:00+07:00", "day")}
    old = {**g, "related": [{"url": g["related"][0]["url"], "title": "Một", "published": "2021-03-05"},
                            {"url": g["related"][1]["url"], "title": "Hai", "published": "2021-03-04T16:10:00+07:00"},
                            {"url": g["related"][1]["url"] + "0", "title": None, "published": None}]}
    assert schema_error(old) is not None
    write_export(tmp_path / "old.jsonl", [old])
    with dataset.Dataset([tmp_path / "old.jsonl"]) as ds:
        got = list(ds.records())
    assert ds.problems.total == 0 and [r["related"] for r in got] == [[
        {"url": g["related"][0]["url"], "title": "Một", "published": "2021-03-05T00:00:00+07:00",
         "published_precision": "day"},
        {"url": g["related"][1]["url"], "title": "Hai", "published": "2021-03-04T16:10:00+07:00",
         "published_precision": "minute"},
        {"url": g["related"][1]["url"] + "0", "title": None, "published": None, "published_precision": None}]]
    assert schema_error(got[0]) is None


def test_a_time_of_the_right_form_that_never_was_is_left_out(tmp_path, capsys):
    g = golden()
    write_export(tmp_path / "x.jsonl", [variant(g["785426"], published="2021-02-30T10:00:00+07:00"),
                                        variant(g["785431"], event_date="2021-13-05"), g["785418"]])
    assert export(str(tmp_path / "x.jsonl"), "-o", str(tmp_path / "out.jsonl")) == 0
    assert [r["article_id"] for r in lines(tmp_path / "out.jsonl")] == ["785418"]
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"bhgcrawl export: left out {tmp_path / 'x.jsonl'}:1: published is no real time "
                      "(day is out of range for month)")
    assert err[1].startswith(f"bhgcrawl export: left out {tmp_path / 'x.jsonl'}:2: event_date is no real time (")
