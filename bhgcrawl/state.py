"""The crawl's memory: what was emitted, what is still to fetch, how deep each walk got.

An SQLite file (`BHG_STATE_PATH`, default `state/bhg.sqlite3`) is the source of truth for incremental
runs and for resuming a killed backfill: Scrapy's JOBDIR does not survive SIGKILL (its disk queue's
metadata is written only at a clean close), this file does, because every change is committed as
it happens. An article counts as done only once its record reached the export.

One run at a time: an exclusive `flock` on `<state>.lock` is held for the whole run. The kernel
drops it when the process dies, however it dies, so a killed run's lock is taken over at once.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
from contextlib import contextmanager, nullcontext
from pathlib import Path

from bhgcrawl import write_errors
from bhgcrawl.archives.backfills import Backfills
from bhgcrawl.clock import now_utc

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    article_id TEXT,
    category TEXT,
    published TEXT,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
-- Articles found on a listing and not yet exported: rescheduled first by the next run.
CREATE TABLE IF NOT EXISTS frontier (
    url TEXT PRIMARY KEY,
    category TEXT,
    added TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
-- How far a backfill walked each category's listing: the next page still to read.
CREATE TABLE IF NOT EXISTS walks (
    window TEXT NOT NULL,
    listing TEXT NOT NULL,
    next_url TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    updated TEXT NOT NULL,
    PRIMARY KEY (window, listing)
);
-- Article URLs the site answered 404/410 for, or that moved to another page: not asked again.
CREATE TABLE IF NOT EXISTS gone (
    url TEXT PRIMARY KEY,
    status INTEGER,
    seen TEXT NOT NULL
);
-- Sections a run walked (200) or found missing (404): later runs walk the first even when no page
-- links them that day, and ask for the second only now and then.
CREATE TABLE IF NOT EXISTS sections (
    url TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    seen TEXT NOT NULL
);
-- Records written to this run's -o/-O feeds, done only once Scrapy has closed the feeds (it writes
-- them through its own buffers): kept here, not in memory, so a long run's memory stays flat. A
-- killed run's rows are dropped by the next run's recovery: those articles are fetched again.
CREATE TABLE IF NOT EXISTS held (
    url TEXT NOT NULL,
    article_id TEXT,
    category TEXT,
    published TEXT,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    digest TEXT
);
-- A web archive backfill (-a source=wayback|commoncrawl, named by bhgcrawl.archives.backfill_key): the
-- capture its listing chose for each article, saved with the listing's progress (walks) before the next
-- index page is asked for, and read once the listing is done.
CREATE TABLE IF NOT EXISTS captures (
    backfill TEXT NOT NULL,
    url TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    digest TEXT NOT NULL,
    row TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (backfill, url)
);
-- Every capture a backfill's listing found of an article, the chosen one among them: when the chosen copy
-- is no page of the article (not HTML, another page, gone), it is refused and the next best chosen.
CREATE TABLE IF NOT EXISTS candidate_captures (
    backfill TEXT NOT NULL,
    url TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    digest TEXT NOT NULL,
    row TEXT NOT NULL,
    refused INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (backfill, url, timestamp, digest)
);
-- The archives' digests of the copies records were read from: such a capture of the article is never
-- fetched again.
CREATE TABLE IF NOT EXISTS archived (
    url TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (url, digest)
);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    finish_reason TEXT,
    export_path TEXT,
    pid INTEGER
);
"""


# Marks the file as ours (PRAGMA application_id): a foreign SQLite file is never taken for a state.
APPLICATION_ID = 0x42484743  # "BHGC"
_OUR_TABLES = {"articles", "frontier", "walks", "gone", "held", "runs"}


class StateError(RuntimeError):
    """The state cannot be used (damaged, foreign, unwritable, full); the message says what to do."""


class StateLocked(StateError):
    """Another run holds the state."""


class _Connection(sqlite3.Connection):
    """Every SQLite error of a statement becomes a StateError naming the file: a full disk or a
    read-only folder under the state ends the run with one line, not a traceback per request."""

    path: Path

    def execute(self, *args):
        try:
            return super().execute(*args)
        except sqlite3.Error as exc:
            raise _unwritable(self.path, exc, str(exc)) from None

    def executemany(self, *args):
        try:
            return super().executemany(*args)
        except sqlite3.Error as exc:
            raise _unwritable(self.path, exc, str(exc)) from None


def _unwritable(path: Path, exc: BaseException, said: str | None) -> StateError:
    fix = write_errors.fix(exc, "point the run elsewhere with -s BHG_STATE_PATH=...")
    return StateError(f"the state {path} cannot be written ({said}): {fix}")


class State(Backfills):
    def __init__(self, path: str | os.PathLike, on_damage: str = "stop"):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock_file = open(f"{self.path}.lock", "a+")
        except OSError as exc:
            raise _unwritable(self.path, exc, exc.strerror) from None
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_file.seek(0)
            holder = self._lock_file.read().strip() or "unknown"
            self._lock_file.close()
            raise StateLocked(
                f"another bhg run is using the state {self.path} ({holder}); "
                "wait for it to finish or point this run elsewhere with -s BHG_STATE_PATH=...") from None
        try:
            self._lock_file.seek(0)
            self._lock_file.truncate()
            self._lock_file.write(f"pid {os.getpid()} since {now_utc()}")
            self._lock_file.flush()
            damage = self._damage()
            if damage and on_damage == "new":
                self._set_aside(damage)
            elif damage:
                raise StateError(f"the state {self.path} is {damage}; move it away, or start a new state with "
                                 "-s BHG_STATE_ON_DAMAGE=new (the damaged file is kept beside it)")
            self.db = self._open()
            # WAL + NORMAL: a commit survives the process being killed (not a power cut), cheaply.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for statement in filter(str.strip, SCHEMA.split(";")):
                self.db.execute(statement)
            # A state older than archive copies: their digest is kept with the records held for -o/-O.
            if "digest" not in {r[1] for r in self.db.execute("PRAGMA table_info(held)")}:
                self.db.execute("ALTER TABLE held ADD COLUMN digest TEXT")
        except (StateError, OSError) as exc:
            self._lock_file.close()
            if isinstance(exc, StateError):
                raise
            raise _unwritable(self.path, exc, exc.strerror) from None

    def _open(self) -> _Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, factory=_Connection)
        db.path = self.path
        return db

    def _damage(self) -> str | None:
        """What is wrong with an existing state file, or None: 0 bytes, not SQLite, damaged, not ours."""
        if not self.path.exists():
            return None
        if self.path.stat().st_size == 0:
            return "empty (0 bytes)"
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                verdict = db.execute("PRAGMA quick_check").fetchone()[0]
                app = db.execute("PRAGMA application_id").fetchone()[0]
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            return f"damaged ({exc})"
        if verdict != "ok":
            return f"damaged ({verdict})"
        if app not in (0, APPLICATION_ID) or (app == 0 and not _OUR_TABLES <= tables):
            return "not a bhgcrawl state (another program's SQLite file)"
        return None

    def _set_aside(self, damage: str) -> None:
        aside = self.path.with_name(f"{self.path.name}.damaged-{now_utc().replace(':', '')}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                source.rename(f"{aside}{suffix}")
        logger.warning("the state %s was %s: kept as %s, a new state starts", self.path, damage, aside)

    @contextmanager
    def _transaction(self):
        """One transaction: all of it is committed, or none (every statement through `_Connection`)."""
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            try:
                self.db.execute("ROLLBACK")
            except StateError:
                pass  # the first error is the one to report
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()

    # ---- articles -----------------------------------------------------------------------------

    def is_done(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone() is not None

    def done_among(self, urls: list[str]) -> set[str]:
        """Those of `urls` needing no fetch: emitted, or gone from the site."""
        out: set[str] = set()
        for i in range(0, len(urls), 500):
            chunk = urls[i:i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in self.db.execute(
                f"SELECT url FROM articles WHERE url IN ({marks}) UNION SELECT url FROM gone WHERE url IN ({marks})",
                chunk + chunk))
        return out

    def mark_gone(self, url: str, status: int) -> None:
        with self._transaction():
            self.db.execute("INSERT OR REPLACE INTO gone (url, status, seen) VALUES (?, ?, ?)",
                            (url, status, now_utc()))
            self.db.execute("DELETE FROM frontier WHERE url = ?", (url,))

    def article(self, url: str) -> dict | None:
        row = self.db.execute(
            "SELECT url, article_id, published, content_hash, version, first_seen, last_seen FROM articles "
            "WHERE url = ?", (url,)).fetchone()
        if row is None:
            return None
        keys = ("url", "article_id", "published", "content_hash", "version", "first_seen", "last_seen")
        return dict(zip(keys, row))

    def held_among(self, urls: list[str], unless_published_since: str | None = None) -> set[str]:
        """Those of `urls` the state has a record of (what is gone from the site may be in an archive),
        but for those published since `unless_published_since` (a refresh reads them again)."""
        out: set[str] = set()
        for i in range(0, len(urls), 500):
            chunk = urls[i:i + 500]
            out.update(r[0] for r in self.db.execute(
                f"SELECT url FROM articles WHERE url IN ({','.join('?' * len(chunk))})"
                " AND (? IS NULL OR published < ?)", [*chunk, unless_published_since, unless_published_since]))
        return out

    def record_emitted(self, record: dict, content_hash: str) -> None:
        """The record reached the export: the article is done (and no longer pending), and an archive
        copy's capture read."""
        now = now_utc()
        with self._transaction():
            self._archived(record["url"], _digest(record))
            self.db.execute(
                "INSERT INTO articles (url, article_id, category, published, content_hash, version, first_seen,"
                " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
                " content_hash = excluded.content_hash, version = excluded.version,"
                " published = excluded.published, last_seen = excluded.last_seen",
                (record["url"], record.get("article_id"), record.get("category"), record.get("published"),
                 content_hash, record.get("version") or 1, now, now))
            self.db.execute("DELETE FROM frontier WHERE url = ?", (record["url"],))

    def hold(self, record: dict, content_hash: str) -> None:
        """The record went to a feed that is not closed yet: done once `release_held()` says so."""
        self.db.execute(
            "INSERT INTO held (url, article_id, category, published, content_hash, version, digest)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", (record["url"], record.get("article_id"), record.get("category"),
                                              record.get("published"), content_hash, record.get("version") or 1,
                                              _digest(record)))

    def held_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM held").fetchone()[0]

    def release_held(self) -> int:
        """The feeds are closed: every held record is emitted (as `record_emitted`), in one transaction."""
        now = now_utc()
        with self._transaction():
            # `WHERE true`: SQLite's parser needs it between an INSERT's SELECT and its ON CONFLICT.
            cur = self.db.execute(
                "INSERT INTO articles (url, article_id, category, published, content_hash, version, first_seen,"
                " last_seen) SELECT url, article_id, category, published, content_hash, version, ?, ? FROM held"
                " WHERE true ORDER BY rowid ON CONFLICT(url) DO UPDATE SET"
                " content_hash = excluded.content_hash, version = excluded.version,"
                " published = excluded.published, last_seen = excluded.last_seen", (now, now))
            released = cur.rowcount
            self.db.execute("INSERT OR IGNORE INTO archived (url, digest) SELECT url, digest FROM held"
                            " WHERE digest IS NOT NULL")
            self.db.execute("DELETE FROM frontier WHERE url IN (SELECT url FROM held)")
            self.db.execute("DELETE FROM held")
        return released

    def touch(self, url: str, digest: str | None = None) -> None:
        """The article was read again, unchanged (from an archive's copy of that `digest`: now read)."""
        with self._transaction():
            self.db.execute("UPDATE articles SET last_seen = ? WHERE url = ?", (now_utc(), url))
            self._archived(url, digest)

    def _archived(self, url: str, digest: str | None) -> None:
        if digest:
            self.db.execute("INSERT OR IGNORE INTO archived (url, digest) VALUES (?, ?)", (url, digest))

    def published_since(self, since_iso: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT url FROM articles WHERE published >= ? ORDER BY published DESC", (since_iso,))]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    # ---- frontier -----------------------------------------------------------------------------

    def add_pending(self, urls: list[tuple[str, str | None]]) -> None:
        if urls:
            now = now_utc()
            self.db.executemany("INSERT OR IGNORE INTO frontier (url, category, added) VALUES (?, ?, ?)",
                                [(u, c, now) for u, c in urls])

    def pending(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT url FROM frontier ORDER BY added, url")]

    def drop_pending(self, url: str) -> None:
        self.db.execute("DELETE FROM frontier WHERE url = ?", (url,))

    def attempted(self, url: str) -> int:
        """One more attempt at a pending article that gave no record; how many it has had."""
        self.db.execute("INSERT OR IGNORE INTO frontier (url, added) VALUES (?, ?)", (url, now_utc()))
        self.db.execute("UPDATE frontier SET attempts = attempts + 1 WHERE url = ?", (url,))
        return self.db.execute("SELECT attempts FROM frontier WHERE url = ?", (url,)).fetchone()[0]

    # ---- sections -----------------------------------------------------------------------------

    def section_answered(self, url: str, status: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO sections (url, status, seen) VALUES (?, ?, ?)",
                        (url, status, now_utc()))

    def sections(self) -> dict[str, tuple[int, str]]:
        """Section URL → (status its first page last answered, when)."""
        return {url: (status, seen) for url, status, seen in self.db.execute("SELECT url, status, seen FROM sections")}

    # ---- listing walks ------------------------------------------------------------------------

    def walk(self, window: str, listing: str) -> tuple[str | None, bool] | None:
        row = self.db.execute("SELECT next_url, done FROM walks WHERE window = ? AND listing = ?",
                              (window, listing)).fetchone()
        return (row[0], bool(row[1])) if row else None

    def save_walk(self, window: str, listing: str, next_url: str | None, pending: list[tuple[str, str | None]],
                  _in_transaction: bool = False):
        """Atomically: these articles are pending, and the walk of `listing` goes on at `next_url`."""
        now = now_utc()
        with nullcontext() if _in_transaction else self._transaction():
            self.db.executemany("INSERT OR IGNORE INTO frontier (url, category, added) VALUES (?, ?, ?)",
                                [(u, c, now) for u, c in pending])
            self.db.execute(
                "INSERT INTO walks (window, listing, next_url, done, updated) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(window, listing) DO UPDATE SET next_url = excluded.next_url, done = excluded.done,"
                " updated = excluded.updated", (window, listing, next_url, int(next_url is None), now))

    # ---- runs ---------------------------------------------------------------------------------

    def start_run(self, run_id: str, export_path: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO runs (id, started, export_path, pid) VALUES (?, ?, ?, ?)",
                        (run_id, now_utc(), export_path, os.getpid()))

    def finish_run(self, run_id: str, reason: str) -> None:
        self.db.execute("UPDATE runs SET finished = ?, finish_reason = ? WHERE id = ?", (now_utc(), reason, run_id))

    def unfinished_runs(self) -> list[tuple[str, str | None]]:
        """(id, export path) of the runs that started and never finished: killed ones."""
        return self.db.execute("SELECT id, export_path FROM runs WHERE finished IS NULL").fetchall()

    def drop_held(self) -> int:
        """Forget the records a killed run held for its -o/-O feeds (Scrapy's buffers may have lost
        them): they are not done, so the next run fetches them again."""
        return self.db.execute("DELETE FROM held").rowcount


def _digest(record: dict) -> str | None:
    """The archive's digest of the copy a record was read from; None for a live fetch."""
    capture = record.get("capture")
    return capture.get("digest") if isinstance(capture, dict) else None
