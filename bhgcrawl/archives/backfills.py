"""The state's part of a web archive backfill: the capture chosen for each article, and what is left to read.

A mixin of `bhgcrawl.state.State` (the same SQLite connection, transactions and StateError): the tables
are in the state's schema (`captures`, and `archived`, the digests of the copies records were read from);
a listing's progress is a walk like a section's, under the backfill's name.
"""

from __future__ import annotations


class Backfills:
    def save_listing(self, backfill: str, listing: str, next_page: str | None, captures: list[tuple], latest: bool):
        """Atomically: the captures (url, timestamp, digest, row JSON) an index page listed, each kept when
        it is the article's earliest (`latest`: latest) so far, and the listing goes on at `next_page` (a
        resume key, a page number; None: it is done)."""
        keep = ">" if latest else "<"
        rows = [(backfill, *c) for c in captures]
        with self._transaction():
            self.db.executemany("INSERT OR IGNORE INTO candidate_captures (backfill, url, timestamp, digest, row)"
                                " VALUES (?, ?, ?, ?, ?)", rows)
            self.db.executemany(
                "INSERT INTO captures (backfill, url, timestamp, digest, row) SELECT ?1, ?2, ?3, ?4, ?5"
                " WHERE NOT EXISTS (SELECT 1 FROM candidate_captures WHERE backfill = ?1 AND url = ?2"
                " AND timestamp = ?3 AND digest = ?4 AND refused)"
                " ON CONFLICT(backfill, url) DO UPDATE SET timestamp = excluded.timestamp, digest = excluded.digest,"
                f" row = excluded.row, attempts = 0 WHERE excluded.timestamp {keep} captures.timestamp", rows)
            self.save_walk(backfill, listing, next_page, [], _in_transaction=True)

    def capture_refused(self, backfill: str, url: str, latest: bool) -> tuple[str, str, str, str] | None:
        """The article's chosen capture is no copy of its page: it is refused for good, and the next best
        of the captures listed (the next earliest; `latest`: the next latest) chosen in its place, and
        returned (url, timestamp, digest, row JSON) to be fetched; None when no other is left (the refused
        one stays chosen, an attempt more, for the next runs to try until they give up)."""
        with self._transaction():
            self.db.execute(
                "UPDATE candidate_captures SET refused = 1 WHERE backfill = ?1 AND url = ?2 AND (timestamp, digest) ="
                " (SELECT timestamp, digest FROM captures WHERE backfill = ?1 AND url = ?2)", (backfill, url))
            order = "DESC" if latest else "ASC"
            found = self.db.execute(
                "SELECT timestamp, digest, row FROM candidate_captures WHERE backfill = ? AND url = ? AND NOT refused"
                f" ORDER BY timestamp {order} LIMIT 1", (backfill, url)).fetchone()
            if found is None:
                self.db.execute("UPDATE captures SET attempts = attempts + 1 WHERE backfill = ? AND url = ?",
                                (backfill, url))
                return None
            self.db.execute("UPDATE captures SET timestamp = ?, digest = ?, row = ?, attempts = 0"
                            " WHERE backfill = ? AND url = ?", (*found, backfill, url))
        return (url, *found)

    def captures_to_fetch(self, backfill: str, after: str, limit: int, max_attempts: int,
                          refresh_since: str | None = None) -> list[tuple[str, str, str, str]]:
        """The next `limit` chosen captures (url, timestamp, digest, row JSON) past the URL `after`, in URL
        order: of articles the state has no record of (or, with `refresh_since`, published since then),
        whose copy was not read before, and that have not had their attempts."""
        return self.db.execute(
            "SELECT c.url, c.timestamp, c.digest, c.row FROM captures c LEFT JOIN articles a ON a.url = c.url"
            " WHERE c.backfill = ? AND c.url > ? AND c.attempts < ?"
            " AND (a.url IS NULL OR (? IS NOT NULL AND a.published >= ?))"
            " AND NOT EXISTS (SELECT 1 FROM archived d WHERE d.url = c.url AND d.digest = c.digest)"
            " ORDER BY c.url LIMIT ?", (backfill, after, max_attempts, refresh_since, refresh_since, limit)).fetchall()

    def capture_attempted(self, backfill: str, url: str) -> int:
        """One more failed attempt at an article's chosen capture; how many it has had."""
        self.db.execute("UPDATE captures SET attempts = attempts + 1 WHERE backfill = ? AND url = ?", (backfill, url))
        row = self.db.execute("SELECT attempts FROM captures WHERE backfill = ? AND url = ?", (backfill, url))
        return (row.fetchone() or (0,))[0]
