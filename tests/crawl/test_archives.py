"""Backfills from the web archives: `scrapy crawl bhg -a source=wayback|commoncrawl` against the local fakes
of the Wayback Machine and Common Crawl (devtools/archives.py), over the main copy of the site.

What each test expects is computed from the fakes' capture plans (`.captures`) and the golden records,
never written out by hand. Most runs use a high rate (the fakes answer at once); the rate itself is
measured in one test at 120 requests a minute.
"""

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl

import pytest
from warcio.archiveiterator import ArchiveIterator

from bhgcrawl.archives import iso
from bhgcrawl.urls import parse_article_url
from devtools.archives import UPDATE_SENTENCE, FakeCommonCrawl, FakeWayback
from devtools.golden import golden, record_for
from devtools.replay import ReplayServer
from tests.helpers import FAST, ROOT, SITE, crawl_env, run_crawl

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess

NOWHERE = "http://127.0.0.1:9"  # BHG_BASE_URL of archive runs: the live site is never asked
PROVENANCE = {"crawled_at", "fetched_url", "capture"}  # what an archive's copy may differ in from a live fetch
WB_ROWS = 20  # CDX rows per answer in these tests: several pages, several resume keys


def site_golden() -> dict[str, dict]:
    """The golden records of the site's hosts: what the archives hold of Báo Hà Giang (the successor's own
    articles, published on baotuyenquang.com.vn after the merger, are another paper's)."""
    return {url: r for url, r in golden().items() if "baohagiang.vn" in url}


def wayback(fake, tmp_path, *args, rate=6000, rows=WB_ROWS, **kw):
    return run_crawl(NOWHERE, tmp_path, "-a", "source=wayback", "-s", f"BHG_WAYBACK_URL={fake.base_url}",
                     "-s", f"BHG_WAYBACK_RATE={rate}", "-s", f"BHG_WAYBACK_CDX_ROWS={rows}", *args, **kw)


def commoncrawl(fake, tmp_path, *args, rate=6000, **kw):
    return run_crawl(NOWHERE, tmp_path, "-a", "source=commoncrawl", "-s", f"BHG_CC_INDEX_URL={fake.base_url}",
                     "-s", f"BHG_CC_DATA_URL={fake.base_url}", "-s", f"BHG_CC_RATE={rate}", *args, **kw)


def in_domain(capture: dict) -> bool:
    return capture["urlkey"].startswith(("vn,baohagiang)", "vn,baohagiang,"))


def cdx_listing(fake: FakeWayback, since: str = "", until: str = "", rows: int = WB_ROWS) -> list[dict]:
    """What the crawl's CDX queries list, computed from the plan: the domain's 200 HTML captures of the
    window in index order, adjacent repeats of one digest collapsed within each answer of `rows` rows
    (a new answer starts collapsing afresh)."""
    out, page = [], []
    for c in fake.captures:
        if not (in_domain(c) and c["statuscode"] == "200" and c["mimetype"] == "text/html"):
            continue
        if (since and c["timestamp"] < since) or (until and c["timestamp"][:len(until)] > until):
            continue
        if page and page[-1]["digest"] == c["digest"]:
            continue
        page.append(c)
        if len(page) == rows:
            out, page = out + page, []
    return out + page


def cdx_pages(listing: list[dict], rows: int = WB_ROWS) -> int:
    """Answers a listing takes: full ones, then the rest (or, after a full last one, an empty answer)."""
    return len(listing) // rows + 1


def chosen(rows: list[dict], latest: bool = False) -> dict[str, dict]:
    """The capture each article's record must come from: its earliest (or latest) listed capture."""
    best: dict[str, dict] = {}
    for row in rows:
        ref = parse_article_url(row.get("original") or row["url"])
        if ref is None:
            continue
        old = best.get(ref.url)
        if old is None or (row["timestamp"] > old["timestamp"] if latest else row["timestamp"] < old["timestamp"]):
            best[ref.url] = row
    return best


def assert_golden_but_provenance(records: list[dict], expected: dict[str, dict]) -> None:
    assert Counter(r["url"] for r in records) == Counter(set(expected))  # every article once
    for record in records:
        want = expected[record["url"]]
        assert {k for k in record if record[k] != want.get(k)} <= PROVENANCE, record["url"]
        assert record["fetched_url"] == parse_article_url(record["capture"]["url"]).url


def query(logged) -> dict:
    return parse_qs(logged.query)


# ---- the Wayback Machine ---------------------------------------------------------------------------

def test_the_wayback_machine_gives_the_golden_records_each_from_its_earliest_capture(tmp_path):
    """The whole archive, paged by resume key: each article of the site's hosts once, its record the
    golden record but for provenance, read from its earliest capture; one raw capture request per
    article and nothing else. Catches a page of the listing lost or read twice (a resume key not sent
    or sent wrong), a later capture or a revisit read, a capture fetched twice (two URL variants of one
    article), and a record whose extraction differs from a live fetch's."""
    with FakeWayback(SITE) as fake:
        result = wayback(fake, tmp_path)
        log = list(fake.requests)
    listing = cdx_listing(fake)
    expected = chosen(listing)
    assert set(expected) == set(site_golden())
    assert_golden_but_provenance(result.records, site_golden())
    for record in result.records:
        row = expected[record["url"]]
        assert record["capture"] == {"archive": "wayback", "timestamp": iso(row["timestamp"]),
                                     "url": row["original"], "digest": row["digest"]}
    cdx = [r for r in log if r.kind == "cdx"]
    assert len(cdx) == cdx_pages(listing)
    first = query(cdx[0])
    assert first == {"url": ["baohagiang.vn"], "matchType": ["domain"], "filter": ["statuscode:200",
                     "mimetype:text/html"], "collapse": ["digest"], "output": ["json"],
                     "fl": ["urlkey,timestamp,original,mimetype,statuscode,digest,length"], "limit": [str(WB_ROWS)],
                     "showResumeKey": ["true"]}
    keys = [query(r).get("resumeKey", [None])[0] for r in cdx]
    assert keys[0] is None and None not in keys[1:] and len(set(keys)) == len(keys)
    assert not any("page" in query(r) for r in cdx)
    # Every listing page before any capture, then one raw capture each, at the listed time.
    assert [r.kind for r in log] == ["cdx"] * len(cdx) + ["capture"] * len(expected)
    assert sorted(r.path for r in log if r.kind == "capture") == sorted(
        f"/web/{row['timestamp']}id_/{row['original']}" for row in expected.values())
    revisits = {(c["timestamp"], c["original"]) for c in fake.captures if c["statuscode"] == "-"}
    fetched = {tuple(r.path.removeprefix("/web/").split("id_/", 1)) for r in log if r.kind == "capture"}
    assert revisits and not fetched & revisits
    stats = result.stats
    assert (stats["bhg/archive/captures_listed"], stats["bhg/archive/articles_new"], stats["bhg/archive/fetched"],
            stats.get("bhg/archive/skipped_held", 0), stats.get("bhg/archive/failed", 0)) == (
        len(listing), len(expected), len(expected), 0, 0)
    times = sorted(iso(row["timestamp"]) for row in expected.values())
    assert (stats["bhg/archive/oldest_capture"], stats["bhg/archive/newest_capture"]) == (times[0], times[-1])
    assert result.summary["source"] == "wayback" and result.summary["archive"]["fetched"] == len(expected)
    assert result.summary["exit_code"] == 0


def test_the_window_is_the_archives_from_and_to(tmp_path):
    """`-a since/until` are the capture times the CDX lists (`from`/`to`), the last day whole; an article
    is read from its earliest capture inside the window, whenever it was published. Catches the window
    applied to publication (the articles published earlier, captured in the window, dropped) and the
    last day cut off."""
    with FakeWayback(SITE) as fake:
        result = wayback(fake, tmp_path, "-a", "since=2021-01-01", "-a", "until=2022-12-31")
        cdx = [r for r in fake.requests if r.kind == "cdx"]
    expected = chosen(cdx_listing(fake, "20210101", "20221231"))
    assert len(expected) >= 5
    assert {r["url"]: r["capture"]["timestamp"] for r in result.records} == {
        url: iso(row["timestamp"]) for url, row in expected.items()}
    assert any(r["published"] < "2021" for r in result.records)
    assert {(query(r)["from"][0], query(r)["to"][0]) for r in cdx} == {("20210101", "20221231")}


def test_latest_reads_the_changed_copy_and_a_refresh_makes_it_a_new_version(tmp_path):
    """First the earliest captures, then with `-a capture=latest -a refresh_days=…` on the same state: only
    the article whose later capture has another payload is fetched again (every other latest capture is
    a copy already read: the same digest, not fetched twice), and it is emitted as version 2 whose body
    gained the update's paragraph, `modified` as the page says (it prints none). Catches revisits and
    same-digest captures refetched, a changed copy dropped as unchanged, and the live refresh's
    crawl-time `modified` put on an archive's copy."""
    with FakeWayback(SITE) as fake:
        first = wayback(fake, tmp_path, name="earliest")
        fake.requests.clear()
        again = wayback(fake, tmp_path, "-a", "capture=latest", "-a", "refresh_days=100000", name="latest")
        log = list(fake.requests)
    latest = chosen(cdx_listing(fake), latest=True)
    changed = next(c for c in fake.captures if c["changed"])
    assert len(first.records) == len(site_golden())
    assert [r.kind for r in log].count("capture") == 1
    [record] = again.records
    assert record["url"] == changed["site_url"]
    before = first.by_url()[record["url"]]
    assert {k for k in record if record[k] != before[k]} == {"body", "version", "crawled_at", "capture"}
    assert (record["version"], record["modified"]) == (2, before["modified"]) and before["modified"] is None
    paragraphs = record["body"].split("\n\n")
    assert UPDATE_SENTENCE in paragraphs and [p for p in paragraphs if p != UPDATE_SENTENCE] == \
        before["body"].split("\n\n")
    row = latest[record["url"]]
    assert record["capture"] == {"archive": "wayback", "timestamp": iso(row["timestamp"]), "url": row["original"],
                                 "digest": row["digest"]} and row["digest"] != before["capture"]["digest"]
    # What extraction makes of that capture, exactly.
    expected = record_for(record["url"], fake.payload(row).decode("utf-8"), record["fetched_url"])
    assert {k: v for k, v in record.items() if k not in PROVENANCE | {"version"}} == \
        {k: v for k, v in expected.items() if k not in PROVENANCE | {"version"}}


def test_what_the_state_holds_from_a_live_run_is_not_fetched_again(tmp_path):
    """A live crawl, then a backfill from the Wayback Machine on the same state: the archive is listed,
    every article is already held (one article, one record, whatever the source), nothing is fetched;
    the same backfill again asks nothing at all, and is done (exit 0)."""
    with ReplayServer(SITE) as replay:
        live = run_crawl(replay.base_url, tmp_path, name="live")
    with FakeWayback(SITE) as fake:
        backfill = wayback(fake, tmp_path, name="backfill")
        kinds = Counter(r.kind for r in fake.requests)
        fake.requests.clear()
        again = wayback(fake, tmp_path, name="again")
        asked_again = len(fake.requests)
    assert {r["url"] for r in live.records} >= set(site_golden()) and backfill.records == [] == again.records
    assert kinds == {"cdx": cdx_pages(cdx_listing(fake))}
    assert backfill.stats["bhg/archive/skipped_held"] == len(site_golden())
    assert backfill.stats.get("bhg/archive/articles_new", 0) == 0
    assert asked_again == 0 and again.summary["exit_code"] == 0
    assert again.stats["bhg/archive/listings_done_before"] == 1


def test_a_killed_backfill_resumes_its_listing_and_emits_every_article_once(tmp_path):
    """SIGKILL in the middle of the CDX listing, again in the middle of the captures, then the same command
    to its end: every article exactly once across the three runs' exports. The listing resumes at the
    resume key saved before the next page was asked for: the second run starts with a key, and no page
    is read more than twice (the one being asked when the kill came)."""
    state, exports = tmp_path / "state.sqlite3", tmp_path / "exports"
    with FakeWayback(SITE) as fake:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "bhg", "-a", "source=wayback",
               "-s", f"BHG_WAYBACK_URL={fake.base_url}", "-s", "BHG_WAYBACK_RATE=900", "-s", "BHG_WAYBACK_CDX_ROWS=5",
               "-s", f"BHG_BASE_URL={NOWHERE}", "-s", f"BHG_STATE_PATH={state}", "-s", f"BHG_EXPORT_DIR={exports}",
               *FAST, "-s", f"BHG_FAILURES_PATH={tmp_path / 'failures.jsonl'}",
               "-s", f"BHG_FAILED_PAGES_DIR={tmp_path / 'failed'}"]
        env = crawl_env()

        def lines() -> int:
            return sum(len(p.read_bytes().splitlines()) for p in exports.glob("*.jsonl")) if exports.exists() else 0

        def kill_when(ready, what: str):
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not ready():
                time.sleep(0.02)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            assert ready(), f"the kill must land {what}"

        pages = cdx_pages(cdx_listing(fake, rows=5), rows=5)
        kill_when(lambda: fake.counts["cdx"] >= 4, "mid-listing")
        assert fake.counts["cdx"] < pages and lines() == 0
        first_run = len(fake.requests)
        kill_when(lambda: lines() >= 8, "mid-captures")
        assert lines() < len(site_golden())
        resumed = [r for r in fake.requests[first_run:] if r.kind == "cdx"]
        last = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert last.returncode == 0, last.stderr[-3000:]
    assert "resumeKey" in query(resumed[0])
    asked = Counter(r.query for r in fake.requests if r.kind == "cdx")
    assert len(asked) == pages and max(asked.values()) <= 2
    records = [json.loads(line) for p in sorted(exports.glob("*.jsonl")) for line in p.read_text("utf-8").splitlines()]
    assert Counter(r["url"] for r in records) == Counter(set(site_golden()))
    captures = Counter(r.path for r in fake.requests if r.kind == "capture")
    assert max(captures.values()) <= 2 and "did not finish" in last.stderr


def test_bad_cdx_answers_are_counted_and_the_listing_goes_on(tmp_path):
    """The first CDX answer is an overloaded server's HTML page, then JSON cut off in the middle: both are
    counted and the page asked again; the third answer lacks two columns in one row, which is counted
    and left out. Catches a crash, a listing that stops at a bad answer, and a broken row read."""
    with FakeWayback(SITE, not_json=1, truncated_json=1, missing_columns=1) as fake:
        result = wayback(fake, tmp_path)
        cdx = [r for r in fake.requests if r.kind == "cdx"]
    listing = cdx_listing(fake)
    lost = listing[1]  # the row the third answer cut
    expected = chosen(listing[:1] + listing[2:])
    assert result.returncode == 0 and fake.faults == {"not_json": 1, "truncated_json": 1, "missing_columns": 1}
    assert cdx[0].query == cdx[1].query == cdx[2].query  # the same page, asked again
    assert result.stats["bhg/archive/bad/cdx_not_json"] == 2 and result.stats["bhg/archive/bad/cdx_row"] == 1
    assert {r["url"]: r["capture"]["timestamp"] for r in result.records} == {
        url: iso(row["timestamp"]) for url, row in expected.items()}
    assert result.stats["bhg/archive/captures_listed"] == len(listing) - 1
    assert lost["timestamp"] not in {r["capture"]["timestamp"] for r in result.records}


def test_a_429_is_waited_for_by_every_request_to_the_archive(tmp_path):
    """A 429 with Retry-After: 1 to the first request (the CDX listing) and to a capture in the middle:
    after each, the archive hears nothing for a second (the whole slot waits, not only the retried
    request), then the run goes on and reads everything. Catches the pause skipped, and the other
    captures queued behind the refused one sent at the usual pace."""
    with FakeWayback(SITE, retry_after_once=1, throttle_nth=(12,)) as fake:
        result = wayback(fake, tmp_path)
        log = list(fake.requests)
    refused = [i for i, r in enumerate(log) if r.status == 429]
    assert [log[i].kind for i in refused] == ["cdx", "capture"]
    for i in refused:
        assert log[i + 1].time - log[i].time >= 0.9  # Retry-After: 1, less the arrivals' jitter
    assert log[1].query == log[0].query  # the refused page, asked again
    assert len(result.records) == len(site_golden()) and result.stats["bhg/archive/throttled/http_429"] == 2


def test_repeated_429s_stop_the_run_with_exit_4_and_one_line(tmp_path):
    """An archive that answers nothing but 429: three in a row (each waited for), then the run stops,
    exit 4, with one line saying why and what to do; the archive hears no fourth request."""
    with FakeWayback(SITE, always_429=True) as fake:
        result = wayback(fake, tmp_path, check=False)
        asked = len(fake.requests)
    assert result.returncode == 4 and asked == 3
    said = [line for line in result.log.splitlines() if line.startswith("bhg: ")]
    assert said == ["bhg: the Wayback Machine answered 429 (too many requests) 3 times in a row: stopped before it "
                    "blocks this client; run the same command later (the backfill goes on where it stopped), with a "
                    "lower BHG_WAYBACK_RATE"]
    assert "Traceback" not in result.log


def test_a_capture_that_is_not_html_is_counted_and_read_by_the_next_run(tmp_path):
    """One raw capture answers JPEG bytes: counted as a bad answer, no record, the run goes on (exit 0);
    the next run, the listing being done, asks no CDX page and fetches only that capture."""
    with FakeWayback(SITE, capture_not_html=1) as fake:
        first = wayback(fake, tmp_path, name="first")
        fake.requests.clear()
        second = wayback(fake, tmp_path, name="second")
        log = list(fake.requests)
    assert first.returncode == 0 and len(first.records) == len(site_golden()) - 1
    assert first.stats["bhg/archive/bad/not_html"] == 1 and first.stats["bhg/archive/failed"] == 1
    assert [r.kind for r in log] == ["capture"] and [r["url"] for r in second.records] == \
        sorted(set(site_golden()) - set(first.by_url()))


def test_a_copy_that_is_no_page_is_given_up_for_the_articles_next_capture(tmp_path):
    """The earliest capture of the article captured twice is an image every time it is asked for: it is
    refused and the next capture, the changed copy, read in the same run, the record's `capture` that
    one; the next run asks for nothing more. An article with one capture only, an image too, gives no
    record and is asked for again by the next run (one copy more). Catches an article lost for good
    behind a bad earliest copy while the archive holds a good one, and a refused copy asked for again."""
    with FakeWayback(SITE) as plan:
        listing = cdx_listing(plan)
        captures = plan.captures
    listed = Counter(ref.url for ref in map(parse_article_url, (r["original"] for r in listing)) if ref)
    changed = next(c for c in captures if c["changed"])["site_url"]
    rows = [r for r in listing if getattr(parse_article_url(r["original"]), "url", None) == changed]
    assert len(rows) == 2 and rows[0]["timestamp"] < rows[1]["timestamp"]
    single = next(url for url in sorted(listed) if listed[url] == 1)
    lonely = chosen(listing)[single]
    with FakeWayback(SITE, image_at=(rows[0]["timestamp"], lonely["timestamp"])) as fake:
        first = wayback(fake, tmp_path, name="first")
        asked = [r.path for r in fake.requests if r.kind == "capture"]
        fake.requests.clear()
        second = wayback(fake, tmp_path, name="second")
        again = [r.path for r in fake.requests]
    assert first.returncode == 0 and second.returncode == 0
    assert first.stats["bhg/archive/bad/not_html"] == 2 and first.stats["bhg/archive/next_capture"] == 1
    assert sum(rows[0]["timestamp"] in p for p in asked) == 1 and sum(rows[1]["timestamp"] in p for p in asked) == 1
    record = first.by_url()[changed]
    assert record["capture"] == {"archive": "wayback", "timestamp": iso(rows[1]["timestamp"]),
                                 "url": rows[1]["original"], "digest": rows[1]["digest"]}
    assert UPDATE_SENTENCE in record["body"].split("\n\n")
    assert sorted(first.by_url()) == sorted(set(site_golden()) - {single})
    assert again == [f"/web/{lonely['timestamp']}id_/{lonely['original']}"] and second.records == []


def test_a_redirect_to_the_nearest_capture_records_the_capture_served(tmp_path):
    """The CDX lists captures a second before the replay holds them: the replay redirects to the nearest
    capture, the crawl follows, and the record's `capture` is the one served (its time, its URL), with the
    archive's digest of what was served. Catches the asked-for time recorded instead."""
    with FakeWayback(SITE, cdx_skew=6) as fake:
        result = wayback(fake, tmp_path)
        statuses = Counter(r.status for r in fake.requests if r.kind == "capture")
    skewed = {url: c for url, c in chosen(cdx_listing(fake)).items() if "listed_timestamp" in c}
    assert len(skewed) >= 2 and statuses[302] == len(skewed) == result.stats["bhg/archive/redirected"]
    for url, c in skewed.items():
        assert result.by_url()[url]["capture"] == {"archive": "wayback", "timestamp": iso(c["timestamp"]),
                                                   "url": c["original"], "digest": c["digest"]}
    assert_golden_but_provenance(result.records, site_golden())


def test_requests_to_the_archive_keep_its_rate_one_at_a_time(tmp_path):
    """BHG_WAYBACK_RATE=120: never two requests to the archive within half a second of each other, CDX
    pages and captures alike (measured on the fake's log: arrival times)."""
    with FakeWayback(SITE) as fake:
        result = wayback(fake, tmp_path, "-a", "since=2016-01-01", "-a", "until=2019-12-31", rate=120, rows=3)
        log = list(fake.requests)
    listing = cdx_listing(fake, "20160101", "20191231", rows=3)
    assert len(log) == cdx_pages(listing, rows=3) + len(chosen(listing)) and len(result.records) == len(chosen(listing))
    gaps = [b.time - a.time for a, b in zip(log, log[1:])]
    # Arrival times carry the machine's jitter (an earlier request that arrived late shortens the gap
    # after it): 0.1 s of it allowed; without the slot's delay the gaps are a few milliseconds.
    assert min(gaps) >= 0.5 - 0.1, gaps


def test_archive_copies_are_kept_as_answered_with_their_provenance_and_re_extracted(tmp_path):
    """With BHG_WARC_DIR the archive's answers are kept as they came (the raw captures under the archive's
    URLs), each page followed by a metadata record naming the original URL, the capture time and the CDX
    row; `-a warc=` gives the same records back, their `capture` the archive's. Catches the provenance
    lost on re-extraction (a copy re-read as a live fetch) and a capture written under the site's URL."""
    warc = tmp_path / "warc"
    with FakeWayback(SITE) as fake:
        live = wayback(fake, tmp_path, "-s", f"BHG_WARC_DIR={warc}", name="archive")
    files = sorted(warc.glob("*.warc.gz"))
    check = subprocess.run([sys.executable, "-c", "from warcio.cli import main; main()", "check", *map(str, files)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    responses, metadata = {}, []
    for path in files:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    responses[record.rec_headers.get_header("WARC-Record-ID")] = \
                        record.rec_headers.get_header("WARC-Target-URI")
                elif record.rec_type == "metadata":
                    fields = dict(line.split(": ", 1) for line in record.content_stream().read().decode().splitlines())
                    metadata.append((record.rec_headers.get_header("WARC-Refers-To"), fields))
    assert len(metadata) == len(live.records)
    by_url = live.by_url()
    for refers_to, fields in metadata:
        assert responses[refers_to].startswith(f"{fake.base_url}/web/")  # what really happened
        capture = by_url[fields["site-url"]]["capture"]
        assert (fields["original-url"], fields["capture-time"], fields["digest"]) == (
            capture["url"], capture["timestamp"], capture["digest"])
        row = json.loads(fields["index-row"])
        assert (row["original"], iso(row["timestamp"])) == (capture["url"], capture["timestamp"])
    (tmp_path / "re").mkdir()
    again = run_crawl(NOWHERE, tmp_path / "re", "-a", f"warc={warc}", name="rewarc")
    strip = lambda rs: {r["url"]: {k: v for k, v in r.items() if k != "crawled_at"} for r in rs}  # noqa: E731
    assert strip(again.records) == strip(live.records)


# ---- Common Crawl -----------------------------------------------------------------------------------

def cc_listing(fake: FakeCommonCrawl, crawls=None) -> list[dict]:
    return [c for c in fake.captures if (crawls is None or c["crawl"] in crawls) and in_domain(c)
            and c["status"] == "200" and c["mime"] == "text/html"]


def test_common_crawl_gives_the_golden_records_one_range_request_each(tmp_path):
    """Every crawl collinfo.json lists, each walked by its page count then page by page (a page its filters
    empty answers 404 and the walk goes on); one Range request a chosen capture, answered 206, the
    record read as one WARC record; each article once, from its earliest capture across the crawls."""
    with FakeCommonCrawl(SITE) as fake:
        result = commoncrawl(fake, tmp_path)
        log = list(fake.requests)
    expected = chosen(cc_listing(fake))
    assert_golden_but_provenance(result.records, {u: site_golden()[u] for u in expected})
    for record in result.records:
        row = expected[record["url"]]
        assert record["capture"] == {"archive": "commoncrawl", "timestamp": iso(row["timestamp"]),
                                     "url": row["url"], "digest": row["digest"]}
    kinds = Counter(r.kind for r in log)
    assert log[0].kind == "collinfo" and kinds["data"] == len(expected) == len(result.records)
    assert {r.status for r in log if r.kind == "data"} == {206}
    assert sorted(r.path.lstrip("/") for r in log if r.kind == "data") == sorted(
        row["filename"] for row in expected.values())
    index = [dict(parse_qsl(r.query)) for r in log if r.kind == "index"]
    counts = [q for q in index if q.get("showNumPages") == "true"]
    assert len(counts) == 3 and all(q["matchType"] == "domain" and q["output"] == "json" for q in index)
    assert all(parse_qs(r.query)["filter"] == ["=status:200", "=mime:text/html"] for r in log if r.kind == "index")
    assert 404 in {r.status for r in log if r.kind == "index"}  # an emptied page: the walk went past it
    assert result.stats["bhg/archive/fetched"] == len(expected) and result.summary["exit_code"] == 0


def test_the_crawls_asked_for_a_503_that_slows_down_and_bad_ranges_counted(tmp_path):
    """`-a crawls=` reads that crawl alone (no collinfo.json). Its index answers 503 once (without
    Retry-After, as Common Crawl's do): the crawl slows down, every later request at least twice the
    delay apart. One Range answer is bytes that are no WARC record (counted, no record, no crash), one
    is the whole file, ignoring the range (its record cut out and read)."""
    crawl = "CC-MAIN-2024-10"
    with FakeCommonCrawl(SITE, index_503=1, garbage_range=1, ignore_range=1) as fake:
        # One crawl holds too few articles for the layout alarm's floors: it is not what is tested here.
        result = commoncrawl(fake, tmp_path, "-a", f"crawls={crawl}", "-s", "BHG_COVERAGE_ENABLED=False", rate=600)
        log = [r for r in fake.requests if not r.path.startswith(("/CC-MAIN-2025", "/CC-MAIN-2023"))]
    assert {r.kind for r in log} == {"index", "data"}
    assert [r.status for r in log[:2]] == [503, 200]
    gaps = [b.time - a.time for a, b in zip(log[1:], log[2:])]
    assert min(gaps) >= 0.1 * 2 - 0.05, gaps  # 0.1 s at 600 a minute, doubled by the 503 (jitter allowed)
    expected = chosen(cc_listing(fake, {crawl}))
    assert len(result.records) == len(expected) - 1
    assert result.stats["bhg/archive/bad/range_not_warc"] == 1 and result.stats["bhg/archive/range_ignored"] == 1
    assert result.stats["bhg/archive/throttled/http_503"] == 1 and result.returncode == 0


def test_a_killed_common_crawl_listing_goes_on_at_the_page_it_stopped_at(tmp_path):
    """SIGKILL in the middle of the crawls' index pages, then the same command: a crawl listed whole is
    not asked again; a crawl listed in part asks its page count again and goes on at the page after the
    last one saved (the one being asked when the kill came at the earliest), never from page 0; every
    article is emitted once."""
    exports = tmp_path / "exports"
    with FakeCommonCrawl(SITE) as fake:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "bhg", "-a", "source=commoncrawl",
               "-s", f"BHG_CC_INDEX_URL={fake.base_url}", "-s", f"BHG_CC_DATA_URL={fake.base_url}",
               "-s", "BHG_CC_RATE=900", "-s", f"BHG_BASE_URL={NOWHERE}", "-s", f"BHG_STATE_PATH={tmp_path / 's'}",
               "-s", f"BHG_EXPORT_DIR={exports}", *FAST, "-s", f"BHG_FAILURES_PATH={tmp_path / 'failures.jsonl'}",
               "-s", f"BHG_FAILED_PAGES_DIR={tmp_path / 'failed'}"]
        env = crawl_env()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and fake.counts["index"] < 14:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        first = list(fake.requests)
        assert fake.counts["index"] >= 14 and fake.counts["data"] == 0, "the kill must land mid-listing"
        again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr[-3000:]
        second = fake.requests[len(first):]
        counts = {crawl["id"]: json.loads(_get(f"{fake.base_url}/{crawl['id']}-index?url=baohagiang.vn&matchType="
                                               f"domain&output=json&filter==status:200&filter==mime:text/html"
                                               f"&showNumPages=true")[1])["pages"] for crawl in fake.crawls}

    def asked(log) -> dict[str, list]:
        out: dict[str, list] = {}
        for r in log:
            if r.kind == "index":
                page = dict(parse_qsl(r.query)).get("page")
                out.setdefault(r.path.strip("/").removesuffix("-index"), []).append(
                    "count" if page is None else int(page))
        return out

    before, after = asked(first), asked(second)
    assert len(before) >= 2 and any(after.values())
    for crawl, pages in counts.items():
        last = max((p for p in before.get(crawl, []) if p != "count"), default=-1)
        if crawl not in after:
            assert last == pages - 1, crawl  # listed whole before the kill
            continue
        assert after[crawl][0] == "count" and after[crawl][1] in (max(last, 0), last + 1), (crawl, last, after)
        assert after[crawl][1:] == list(range(after[crawl][1], pages)), crawl
    records = [json.loads(line) for p in sorted(exports.glob("*.jsonl")) for line in p.read_text("utf-8").splitlines()]
    assert Counter(r["url"] for r in records) == Counter(set(chosen(cc_listing(fake))))


def test_common_crawl_records_are_kept_verbatim_with_their_provenance(tmp_path):
    """With BHG_WARC_DIR, each record Common Crawl served is in the crawl's WARC files byte for byte (its
    gzip member), followed by a metadata record; `-a warc=` reads the same records back."""
    warc = tmp_path / "warc"
    crawl = "CC-MAIN-2023-50"
    with FakeCommonCrawl(SITE) as fake:
        live = commoncrawl(fake, tmp_path, "-a", f"crawls={crawl}", "-s", f"BHG_WARC_DIR={warc}",
                           "-s", "BHG_COVERAGE_ENABLED=False", name="cc")
        members = []
        for row in chosen(cc_listing(fake, {crawl})).values():
            status, body = _get(f"{fake.base_url}/{row['filename']}")
            members.append(body[int(row["offset"]):int(row["offset"]) + int(row["length"])])
    written = b"".join(p.read_bytes() for p in sorted(warc.glob("*.warc.gz")))
    assert members and all(member in written for member in members)
    (tmp_path / "re").mkdir()
    again = run_crawl(NOWHERE, tmp_path / "re", "-a", f"warc={warc}", "-s", "BHG_COVERAGE_ENABLED=False",
                      name="rewarc")
    strip = lambda rs: {r["url"]: {k: v for k, v in r.items() if k != "crawled_at"} for r in rs}  # noqa: E731
    assert strip(again.records) == strip(live.records) and len(live.records) == len(members)


def _get(url: str) -> tuple[int, bytes]:
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.status, answer.read()


def test_the_state_of_an_archive_run_without_bhg_state_path_is_its_own(tmp_path):
    """Without a state (BHG_STATE_PATH empty) a backfill still chooses one capture per article, in a state
    of its own that goes when the run ends."""
    with FakeWayback(SITE) as fake:
        result = wayback(fake, tmp_path, "-s", "BHG_STATE_PATH=", "-a", "since=2023-01-01")
    assert result.records and len(result.records) == len({r["url"] for r in result.records})
    assert not Path(tmp_path / "state.sqlite3").exists()
