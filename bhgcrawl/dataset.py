"""One dataset out of many exports: run files, run folders and whole shards read into one record per article.

Every line of every export file is read once and checked (`record.schema_error`, after `upgraded`);
an index of the best version of each URL (the highest `version`, then the latest `crawled_at`, then
the first one read) is kept in a temporary SQLite file, not in memory, so memory stays flat however
many records there are. The winners are then read back from their files, in `published` order (then
`url`), through the window and sections asked for, and written as JSON Lines, CSV or Parquet.

What could not be read is counted and kept as `file:line: reason` examples: lines that are not JSON
or not a JSON object, records that break the schema, and a last line without its newline that does
not parse (a run killed while writing it: the crawler cuts such a line off too).
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import tempfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bhgcrawl import record as records
from bhgcrawl.arguments import Arguments
from bhgcrawl.walks import Window

FORMATS = ("jsonl", "csv", "parquet")
# The crawler's ledger of failed pages lives beside the exports (BHG_FAILURES_PATH) but holds no records.
FAILURES_LEDGER = "failures.jsonl"
EXAMPLES = 5
PARQUET_HINT = "pip install 'bhgcrawl[parquet]'"
# Fields the record gained after exports were written, each with the value its documentation gives a
# record that predates it: every record before `capture` was a live fetch. Only fields the schema has:
# a default for one it does not have would make every record invalid.
DEFAULTS: dict[str, Any] = {"capture": None}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BATCH = 2000
_OPEN_FILES = 32


class UsageError(Exception):
    """A mistake of the user's (a path, a date, a name), said in one line that names the fix; `prog` is
    the command it is said by, when not the one running."""

    def __init__(self, message: str, prog: str | None = None):
        super().__init__(message)
        self.prog = prog


def upgraded(record: dict) -> dict:
    """`record` with the fields it predates filled with their documented defaults (see `DEFAULTS`), and
    its related items in today's form (`_upgraded_related`)."""
    for name, default in DEFAULTS.items():
        if name not in record:
            record[name] = json.loads(json.dumps(default))  # a fresh copy: defaults may be lists or objects
    related = record.get("related")
    if isinstance(related, list):
        for item in related:
            if isinstance(item, dict) and "published_precision" not in item:
                _upgraded_related(item)
    return record


def _upgraded_related(item: dict) -> None:
    """A related item written before items carried their precision: its `published` was a date-time
    when the item printed a time, else the printed day alone (`2021-03-05`), now that day at 00:00."""
    published = item.get("published")
    if isinstance(published, str) and len(published) == 10:
        item["published"] = f"{published}T00:00:00+07:00"
        item["published_precision"] = "day"
    else:
        item["published_precision"] = "minute" if published is not None else None


def export_files(paths: Iterable[str | Path]) -> list[Path]:
    """The export files named by `paths`: a file as it is, a folder as every `*.jsonl` below it (shards
    copied back keep their own folders), in path order, each once however it was named."""
    found: dict[Path, Path] = {}
    for given in paths:
        path = Path(given)
        if path.is_file():
            found.setdefault(path.resolve(), path)
        elif path.is_dir():
            below = sorted(p for p in path.rglob("*.jsonl") if p.is_file() and p.name != FAILURES_LEDGER)
            if not below:
                raise UsageError(f"no export files (*.jsonl) under {path}: give run files or folders that hold them")
            for p in below:
                found.setdefault(p.resolve(), p)
        else:
            raise UsageError(f"{path} does not exist: give export files (*.jsonl) or folders of them")
    return list(found.values())


@dataclass
class FileStats:
    """What one export file held: a run's own file is named after the run (`<run id>.jsonl`)."""

    path: Path
    records: int = 0
    invalid: int = 0
    half_line: bool = False
    first_crawled_at: str | None = None
    last_crawled_at: str | None = None
    _first: int | None = field(default=None, repr=False)
    _last: int | None = field(default=None, repr=False)

    @property
    def run_id(self) -> str:
        return self.path.stem

    def saw(self, crawled_at: str, key: int) -> None:
        self.records += 1
        if self._first is None or key < self._first:
            self._first, self.first_crawled_at = key, crawled_at
        if self._last is None or key > self._last:
            self._last, self.last_crawled_at = key, crawled_at


@dataclass
class Problems:
    """Lines left out, counted, with the first few as `file:line: reason`."""

    invalid: int = 0
    half_lines: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, where: str, reason: str, half: bool = False) -> None:
        if half:
            self.half_lines += 1
        else:
            self.invalid += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(f"{where}: {reason}")

    @property
    def total(self) -> int:
        return self.invalid + self.half_lines


# Times and days the merge, the window and Parquet's typed columns read as such.
_TIMES = ("published", "modified", "crawled_at", "event_date")


def _problem(value) -> str | None:
    """Why a parsed line is no record, or None."""
    if not isinstance(value, dict):
        return "not a JSON object"
    error = records.schema_error(upgraded(value))
    if error:
        return f"breaks the schema: {error}"
    for name in _TIMES:
        # The schema checks the form only: 2023-02-30 has it.
        try:
            if value[name] is not None:
                datetime.fromisoformat(value[name])
        except ValueError as exc:
            return f"{name} is no real time ({exc})"
    return None


def _instant(iso: str) -> int:
    """Microseconds since the epoch of an ISO 8601 time with its offset: `Z` and `+00:00`, with or
    without fractions, compare as the instants they are."""
    return (datetime.fromisoformat(iso) - _EPOCH) // timedelta(microseconds=1)


class Dataset:
    """The merged dataset of `files`; use as a context manager (the index is a temporary file)."""

    def __init__(self, files: list[Path]):
        self.files = [FileStats(p) for p in files]
        self.problems = Problems()
        self.read = 0  # valid records read
        self._tmp = tempfile.TemporaryDirectory(prefix="bhg-dataset-")
        self._db = sqlite3.connect(Path(self._tmp.name) / "index.sqlite3")
        # A scratch index: nothing to recover after a crash, so no journal; a bounded page cache.
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1024;"
                               "CREATE TABLE best (url TEXT PRIMARY KEY, version INTEGER, crawled INTEGER,"
                               " file INTEGER, offset INTEGER, length INTEGER, published TEXT, category TEXT)")
        self._handles: OrderedDict[int, Any] = OrderedDict()
        self._loaded = False

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for fh in self._handles.values():
            fh.close()
        self._handles.clear()
        self._db.close()
        self._tmp.cleanup()

    @property
    def scratch(self) -> Path:
        """A temporary folder removed with the dataset."""
        return Path(self._tmp.name)

    def load(self) -> Dataset:
        """Read every file into the index of best versions."""
        upsert = ("INSERT INTO best VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
                  " version = excluded.version, crawled = excluded.crawled, file = excluded.file,"
                  " offset = excluded.offset, length = excluded.length, published = excluded.published,"
                  " category = excluded.category"
                  " WHERE excluded.version > best.version"
                  " OR (excluded.version = best.version AND excluded.crawled > best.crawled)")
        batch: list[tuple] = []
        for number, stats in enumerate(self.files):
            for row in self._rows(number, stats):
                batch.append(row)
                if len(batch) >= _BATCH:
                    self._db.executemany(upsert, batch)
                    batch.clear()
        self._db.executemany(upsert, batch)
        self._db.execute("CREATE INDEX in_order ON best (published, url)")
        self._db.commit()
        self._loaded = True
        return self

    def _rows(self, number: int, stats: FileStats) -> Iterator[tuple]:
        offset = 0
        with open(stats.path, "rb") as fh:
            for lineno, line in enumerate(fh, 1):
                start, offset = offset, offset + len(line)
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except ValueError as exc:
                    if not line.endswith(b"\n"):  # only ever the last line
                        stats.half_line = True
                        self.problems.add(f"{stats.path}:{lineno}", "half-written last line (a killed run)", half=True)
                        continue
                    problem = f"not JSON ({exc})"
                else:
                    problem = _problem(value)
                if problem is not None:
                    stats.invalid += 1
                    self.problems.add(f"{stats.path}:{lineno}", problem)
                    continue
                crawled = _instant(value["crawled_at"])
                stats.saw(value["crawled_at"], crawled)
                self.read += 1
                yield (value["url"], value["version"], crawled, number, start, len(line), value["published"],
                       value["category"])

    @property
    def articles(self) -> int:
        return self._db.execute("SELECT count(*) FROM best").fetchone()[0]

    @property
    def superseded(self) -> int:
        """Valid records that lost to a better version of their article."""
        return self.read - self.articles

    def records(self, window: Window = Window(), sections: Iterable[str] = ()) -> Iterator[dict]:
        """The best version of every article published on a day of `window`, in one of `sections` (or
        below it, as `-a category=` means in the crawler), in `published` then `url` order."""
        if not self._loaded:
            self.load()
        wanted = Arguments(categories=tuple(sections))
        rows = self._db.execute("SELECT file, offset, length, published, category FROM best ORDER BY published, url")
        for number, offset, length, published, category in rows:
            if window and not window.contains_time(published):
                continue
            if wanted.categories and not wanted.wants(category):
                continue
            yield upgraded(json.loads(self._line(number, offset, length)))

    def _line(self, number: int, offset: int, length: int) -> bytes:
        fh = self._handles.pop(number, None)
        if fh is None:
            fh = open(self.files[number].path, "rb")
            if len(self._handles) >= _OPEN_FILES:
                self._handles.popitem(last=False)[1].close()
        self._handles[number] = fh
        fh.seek(offset)
        return fh.read(length)


# ---- writing ---------------------------------------------------------------------------------


def format_of(out: Path, given: str | None) -> str:
    """The format asked for, else the one the output's suffix names, else JSON Lines."""
    if given is not None:
        name = given.lower()
        if name not in FORMATS:
            raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {given!r}")
        return name
    suffix = out.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "jsonl"


def fields_of(given: str | None) -> tuple[str, ...]:
    """The fields asked for, in the order given; every field (in the export's order) by default."""
    if given is None:
        return records.FIELDS
    names = tuple(dict.fromkeys(n.strip() for n in given.split(",") if n.strip()))
    unknown = [n for n in names if n not in records.FIELDS]
    if unknown or not names:
        what = f"unknown field {', '.join(unknown)}" if unknown else "no field named"
        raise UsageError(f"--fields: {what}; the fields are {','.join(records.FIELDS)}")
    return names


def write(rows: Iterable[dict], out: Path, fmt: str, fields: tuple[str, ...], scratch: Path) -> int:
    """Write `rows` (records) to `out` in `fmt` with `fields`; the number written. The file appears
    whole or not at all: it is written beside `out` and renamed over it at the end."""
    part = out.with_name(f".{out.name}.part")
    try:
        if fmt == "parquet":
            written = _write_parquet(rows, part, fields, scratch)
        else:
            with open(part, "w", encoding="utf-8", newline="") as fh:
                written = (_write_csv if fmt == "csv" else _write_jsonl)(rows, fh, fields)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    return written


def check_writable(out: Path) -> None:
    """Fail now, before any reading, when `out` cannot be written."""
    part = out.with_name(f".{out.name}.part")
    if out.is_dir():
        raise UsageError(f"-o {out} is a folder: give a file name")
    try:
        with open(part, "w"):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write {out} ({exc.strerror}): choose a writable -o path") from None
    part.unlink()


def _write_jsonl(rows: Iterable[dict], fh, fields: tuple[str, ...]) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps({k: row.get(k) for k in fields}, ensure_ascii=False) + "\n")
        n += 1
    return n


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _write_csv(rows: Iterable[dict], fh, fields: tuple[str, ...]) -> int:
    writer = csv.writer(fh)
    writer.writerow(fields)
    n = 0
    for row in rows:
        writer.writerow([_cell(row.get(k)) for k in fields])
        n += 1
    return n


def duckdb_type(node: dict, defs: dict) -> str:
    """The DuckDB column type of a JSON Schema node of the record schema: times as TIMESTAMPTZ, days as
    DATE, lists and objects as lists and structs; a node that may hold several kinds as VARCHAR."""
    ref = node.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[1]
        if name in ("datetime", "utc_datetime", "site_datetime"):
            return "TIMESTAMPTZ"
        return "DATE" if name == "date" else duckdb_type(defs[name], defs)
    if "oneOf" in node:
        kinds = {duckdb_type(n, defs) for n in node["oneOf"] if n.get("type") != "null"}
        return kinds.pop() if len(kinds) == 1 else "VARCHAR"
    kinds = [t for t in ([node["type"]] if isinstance(node.get("type"), str) else node.get("type", [])) if t != "null"]
    kind = kinds[0] if len(kinds) == 1 else None
    if kind == "integer":
        return "BIGINT"
    if kind == "boolean":
        return "BOOLEAN"
    if kind == "array" and "items" in node:
        return duckdb_type(node["items"], defs) + "[]"
    if kind == "object" and node.get("properties"):
        members = ", ".join(f'"{k}" {duckdb_type(v, defs)}' for k, v in node["properties"].items())
        return f"STRUCT({members})"
    return "VARCHAR"


def parquet_columns(fields: tuple[str, ...]) -> dict[str, str]:
    """Column types from the schema, not from the data: the same columns whatever the records hold."""
    schema = records.schema()
    return {f: duckdb_type(schema["properties"][f], schema["$defs"]) for f in fields}


def require_duckdb():
    try:
        import duckdb
    except ImportError:
        raise UsageError(f"Parquet needs DuckDB, which is not installed: {PARQUET_HINT}") from None
    return duckdb


def _write_parquet(rows: Iterable[dict], part: Path, fields: tuple[str, ...], scratch: Path) -> int:
    duckdb = require_duckdb()
    staged = scratch / "staged.jsonl"
    with open(staged, "w", encoding="utf-8") as fh:
        written = _write_jsonl(rows, fh, fields)
    columns = ", ".join(f"'{k}': '{v}'" for k, v in parquet_columns(fields).items())
    con = duckdb.connect(config={"threads": 1, "memory_limit": "256MB", "temp_directory": str(scratch / "duckdb")})
    try:
        # Small row groups: a row group is held in memory until it is written.
        con.execute(f"COPY (SELECT * FROM read_json('{_sql_text(staged)}', format = 'newline_delimited',"
                    f" columns = {{{columns}}})) TO '{_sql_text(part)}' (FORMAT parquet, ROW_GROUP_SIZE 2000)")
    except duckdb.Error as exc:
        raise UsageError(f"DuckDB could not write the Parquet file: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    staged.unlink()
    return written


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")
