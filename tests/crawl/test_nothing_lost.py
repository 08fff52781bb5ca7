"""Nothing lost, nothing silent (issue 11), from outside: a real `scrapy crawl bhg` in a subprocess.

A run that is interrupted, killed, or meets a page that fails goes on, next run, where it stopped,
and both runs together emit every article exactly once. A run that cannot do its work says so in
one `bhg: ` line with its exit code (bhgcrawl/commands/crawl.py), never a traceback, and one that
cannot even start (a mistake in its arguments or settings, a state it cannot use, a folder it
cannot write) stops before its first request.
"""

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from bhgcrawl.state import State
from bhgcrawl.urls import parse_article_url
from devtools.golden import SITES
from devtools.replay import ReplayHandler, ReplayServer
from tests.helpers import FAST, FIXTURES, ROOT, crawl_command, crawl_env, run_crawl, write_site
from tests.helpers import INVENTED_SITE as SITE

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess

# Listed on /xa-hoi/trang-2.html alone (no other page, sitemap or feed of the invented site links it).
ONLY_ON_PAGE_2 = "https://baohagiang.vn/xa-hoi/202009/ha-giang-tung-bung-khai-giang-nam-hoc-moi-767214"
STATE_FIX = "move it away, or start a new state with -s BHG_STATE_ON_DAMAGE=new (the damaged file is kept beside it)"


def all_urls() -> set[str]:
    """The invented site's 41 articles (its golden records)."""
    return {json.loads(p.read_text("utf-8"))["url"] for p in SITES[SITE].glob("*.json")}


def bhg_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("bhg: ")]


def exported(exports: Path) -> list[dict]:
    """Every line of every run's own export, in run order; each must be a whole record."""
    return [json.loads(line) for p in sorted(exports.glob("*.jsonl")) for line in p.read_text("utf-8").splitlines()]


def paths(server) -> list[str]:
    return [p for _m, p, _s, _h in server.requests]


class HoldingHandler(ReplayHandler):
    """The first request of `server.hold` is answered only once `server.release` is set: the test
    signals the run while that page is in flight, so the run never reads it."""

    def do_GET(self):
        server = self.server
        if self.path == server.hold and not server.arrived.is_set():
            server.arrived.set()
            server.release.wait(60)
        super().do_GET()


def interrupted_run(tmp_path: Path, sig: int):
    """A plain run over the invented site, sent `sig` while page 2 of /xa-hoi is in flight (page 1
    and its articles read: the walk of /xa-hoi is half done), then a plain run on the same state.
    Returns (the first run's exit code, its stderr, the second run, what the second run requested)."""
    server = ReplayServer(SITE)
    server.RequestHandlerClass = HoldingHandler
    server.hold, server.arrived, server.release = "/xa-hoi/trang-2.html", threading.Event(), threading.Event()
    with server:
        # Ctrl-C lets the requests in flight finish: the held page gives up after DOWNLOAD_TIMEOUT.
        first = crawl_command(server.base_url, tmp_path, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                              "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0")
        proc = subprocess.Popen(first, cwd=ROOT, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        try:
            assert server.arrived.wait(60), "the run never asked for page 2 of /xa-hoi"
            time.sleep(1)  # some records written: a kill with nothing done yet is a fresh start
            proc.send_signal(sig)
            _out, err = proc.communicate(timeout=60)
        finally:
            server.release.set()
            if proc.poll() is None:
                proc.kill()
        deadline = time.monotonic() + 10  # the held page, answered to no one, is logged late: not the next run's
        while server.hold not in paths(server) and time.monotonic() < deadline:
            time.sleep(0.05)
        server.requests.clear()
        second = run_crawl(server.base_url, tmp_path, feeds=False, name="second", check=False)
        asked = paths(server)
    return proc.returncode, err, second, asked


# ---- interrupted and killed runs -----------------------------------------------------------------


def test_ctrl_c_exits_130_and_the_next_plain_run_emits_the_rest_exactly_once(tmp_path):
    """SIGINT mid-walk: exit 130 and one line saying so; the next plain run fetches what the first
    left and goes on with the walk it left half done. Catches the old loss (33 of 41 after one
    Ctrl-C: a scheduled run's walks not kept, so the next run stopped at page 1 of /xa-hoi, nothing
    new there, and never read page 2), a record emitted twice, and Ctrl-C reported as success."""
    code, err, second, asked = interrupted_run(tmp_path, signal.SIGINT)
    assert code == 130
    assert bhg_lines(err) == ["bhg: interrupted (Ctrl-C or SIGTERM): the next run goes on where this one stopped"]
    assert "Traceback" not in err
    first = [r["url"] for r in exported(tmp_path / "exports") if r["url"] not in second.by_url()]
    assert ONLY_ON_PAGE_2 not in first and len(first) < 41
    assert asked.count("/xa-hoi/trang-2.html") == 1 and ONLY_ON_PAGE_2 in second.by_url()
    assert second.returncode == 0  # the leftover's old pages raise no false layout alarm
    assert Counter(r["url"] for r in exported(tmp_path / "exports")) == Counter(all_urls())


def test_sigkill_mid_walk_then_a_plain_run_emits_every_article_exactly_once(tmp_path):
    """SIGKILL (no clean close, perhaps half a line in the export) mid-walk: the next plain run
    recovers the killed run's export, resumes the walk, and both exports hold every article once.
    Catches a record lost between export and state, one emitted twice, a half line left in the
    export, and the walk's progress lost with the process."""
    code, _err, second, asked = interrupted_run(tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert re.search(r"recovered: run \d{8}T\d{6}Z did not finish: \d+ exported records taken into the state",
                     second.log)
    assert asked.count("/xa-hoi/trang-2.html") == 1 and ONLY_ON_PAGE_2 in second.by_url()
    assert second.returncode == 0  # the leftover's old pages raise no false layout alarm
    assert Counter(r["url"] for r in exported(tmp_path / "exports")) == Counter(all_urls())


# ---- a state that cannot be used -----------------------------------------------------------------


def garbage_over_a_page(path: Path) -> None:
    state = State(path)
    state.add_pending([(f"https://baohagiang.vn/xa-hoi/202401/bai-{i}-{i:07x}", "xa-hoi") for i in range(200)])
    state.close()
    with open(path, "r+b") as fh:  # page 2 of 4 KiB: the first table's
        fh.seek(4096)
        fh.write(b"\xde\xad\xbe\xef" * 1024)


def empty(path: Path) -> None:
    path.write_bytes(b"")


def foreign(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    db.execute("INSERT INTO notes (text) VALUES ('ghi chú')")
    db.commit()
    db.close()


DAMAGE = {"garbage": (garbage_over_a_page, "damaged ("), "empty": (empty, "empty (0 bytes)"),
          "foreign": (foreign, "not a bhgcrawl state (another program's SQLite file)")}


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_state_that_cannot_be_used_stops_the_run_at_once(invented, tmp_path, kind):
    """Garbage over a page of the file, a 0-byte file, another program's SQLite file: exit 5, one
    line naming the file and the two ways out, no request, the file left as it was. Catches a
    damaged state read as an empty one (a full re-crawl, every article emitted again), another
    program's database written into, and a traceback instead of the line."""
    make, said = DAMAGE[kind]
    state = tmp_path / "state.sqlite3"
    make(state)
    before = state.read_bytes()
    result = run_crawl(invented.base_url, tmp_path, check=False)
    assert result.returncode == 5
    [line] = bhg_lines(result.log)
    assert line.startswith(f"bhg: the state {state} is {said}") and line.endswith(STATE_FIX)
    assert "Traceback" not in result.log
    assert invented.requests == []
    assert state.read_bytes() == before


@pytest.mark.parametrize("kind", DAMAGE)
def test_state_on_damage_new_keeps_the_damaged_file_and_starts_a_new_state(invented, tmp_path, kind):
    """`-s BHG_STATE_ON_DAMAGE=new`: the damaged file is kept beside (`<state>.damaged-<time>`, its
    bytes as they were), a new state starts and the run does its work. Catches the damaged file
    deleted or overwritten, and the setting ignored (exit 5)."""
    make, said = DAMAGE[kind]
    state = tmp_path / "state.sqlite3"
    make(state)
    before = state.read_bytes()
    result = run_crawl(invented.base_url, tmp_path, "-a", "category=van-hoa", "-s", "BHG_STATE_ON_DAMAGE=new")
    assert len(result.records) == 5
    [aside] = [p for p in tmp_path.glob("state.sqlite3.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == before
    assert f"the state {state} was {said}" in result.log and f"kept as {aside}, a new state starts" in result.log
    db = sqlite3.connect(state)
    try:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    finally:
        db.close()


# ---- mistakes in the arguments and settings ------------------------------------------------------

ARGUMENTS = "category, full, since, until, refresh_days, warc, site, source, capture, crawls"
MISTAKES = {
    "sinse": (["-a", "sinse=2019-01-01"], f"unknown argument -a sinse=; the known ones are: {ARGUMENTS}"),
    "foo": (["-a", "foo=1"], f"unknown argument -a foo=; the known ones are: {ARGUMENTS}"),
    "BHG_FOO": (["-s", "BHG_FOO=1"],
                "unknown setting BHG_FOO; the known ones are: BHG_ARCHIVE_MAX_429, BHG_BASE_URL, "),
    "floor key": (["-s", 'BHG_COVERAGE_FLOORS={"titel": 0.5}'],
                  "-s BHG_COVERAGE_FLOORS: titel is not a field of the layout alarm with a share 0–1; the fields "
                  "are: authors, body, lead, published, published_minute, related, title"),
    "since": (["-a", "since=garbage"], "-a since= takes a date as YYYY-MM-DD (e.g. 2019-01-31), not 'garbage'"),
    "until before since": (["-a", "since=2020-01-02", "-a", "until=2020-01-01"],
                           "-a until=2020-01-01 is before -a since=2020-01-02: swap them"),
    "since in the future": (["-a", "since=2999-01-01"],
                            "-a since=2999-01-01 is in the future: give a day that has come"),
    "refresh_days": (["-a", "refresh_days=abc"], "-a refresh_days= takes a whole number of days (e.g. 7), not 'abc'"),
    "on damage": (["-s", "BHG_STATE_ON_DAMAGE=delete"], "-s BHG_STATE_ON_DAMAGE takes stop (the default) or new"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_is_one_line_exit_1_and_no_request(invented, tmp_path, mistake):
    """Catches a misspelt argument or setting silently doing nothing (a whole-site crawl instead of
    a backfill), a bad value read as no value, and a traceback instead of the line naming the fix."""
    args, said = MISTAKES[mistake]
    result = run_crawl(invented.base_url, tmp_path, *args, check=False)
    assert result.returncode == 1
    [line] = bhg_lines(result.log)
    assert line.startswith(f"bhg: {said}")
    if mistake == "BHG_FOO":
        assert "BHG_STATE_PATH" in line and "BHG_MAX_SECTIONS" in line
    else:
        assert line == f"bhg: {said}"
    assert "Traceback" not in result.log
    assert invented.requests == []
    assert not (tmp_path / "state.sqlite3").exists()


def test_a_warc_folder_that_is_not_there_is_a_mistake(tmp_path):
    """`-a warc=` naming nothing: exit 1 (the user's mistake, not the site's 4), one line."""
    missing = tmp_path / "nonexistent"
    result = run_crawl("http://127.0.0.1:9", tmp_path, "-a", f"warc={missing}", check=False)
    assert result.returncode == 1
    assert bhg_lines(result.log) == [f"bhg: -a warc={missing}: no such file or folder; give the folder "
                                     "BHG_WARC_DIR wrote to"]
    assert "Traceback" not in result.log


def test_a_category_that_does_not_exist_ends_the_run_naming_the_known_ones(invented, tmp_path):
    """`-a category=nonexistent`: the home page is read (its menu names the sections), the section
    answers 404, and the run ends with exit 1 and the sections there are. Catches a run that
    finishes with 0 records and exit 0, as if the section had nothing new."""
    result = run_crawl(invented.base_url, tmp_path, "-a", "category=nonexistent", check=False)
    assert result.returncode == 1
    assert bhg_lines(result.log) == [
        "bhg: -a category=nonexistent: no such section; known: english, english/news, kinh-te, "
        "kinh-te/nong-lam-nghiep, multimedia, multimedia/emagazine, multimedia/truyen-hinh, thoi-su-chinh-tri, "
        "van-hoa, ve-bao-ha-giang/thong-tin-toa-soan, xa-hoi"]
    asked = paths(invented)
    assert asked.index("/") < asked.index("/nonexistent") and asked.count("/nonexistent") == 1
    assert result.records == []


# ---- folders that cannot be written --------------------------------------------------------------


def test_a_state_folder_that_cannot_be_made_is_exit_5(invented, tmp_path):
    """A file where the state's folder should be: exit 5, one line naming the state and a fix that
    fixes it (another path: freeing disk space would not), no request."""
    (tmp_path / "blocker").write_text("not a folder")
    state = tmp_path / "blocker" / "state.sqlite3"
    result = run_crawl(invented.base_url, tmp_path, "-s", f"BHG_STATE_PATH={state}", check=False)
    assert result.returncode == 5
    assert bhg_lines(result.log) == [f"bhg: the state {state} cannot be written (File exists): point the "
                                     "run elsewhere with -s BHG_STATE_PATH=..."]
    assert "Traceback" not in result.log and invented.requests == []


def test_an_export_folder_that_cannot_be_made_is_exit_5(invented, tmp_path):
    (tmp_path / "blocker").write_text("not a folder")
    folder = tmp_path / "blocker" / "exports"
    result = run_crawl(invented.base_url, tmp_path, "-s", f"BHG_EXPORT_DIR={folder}", feeds=False, check=False)
    assert result.returncode == 5
    assert bhg_lines(result.log) == [f"bhg: {folder} cannot be written (Not a directory): set -s BHG_EXPORT_DIR= "
                                     "to a writable folder"]
    assert "Traceback" not in result.log and invented.requests == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
@pytest.mark.parametrize("setting", ["BHG_STATE_PATH", "BHG_EXPORT_DIR"])
def test_a_read_only_folder_is_exit_5(invented, tmp_path, setting):
    """A folder without write permission, for the state or the export: exit 5, one line, no request."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        target = folder / ("state.sqlite3" if setting == "BHG_STATE_PATH" else "exports")
        result = run_crawl(invented.base_url, tmp_path, "-s", f"{setting}={target}", feeds=False, check=False)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 5
    [line] = bhg_lines(result.log)
    assert str(target) in line and "cannot be written" in line and f"-s {setting}=" in line
    assert "Traceback" not in result.log and invented.requests == []


# ---- relative paths ------------------------------------------------------------------------------


def test_a_run_from_a_subfolder_uses_the_project_folders_state(invented, tmp_path):
    """The default, relative paths are the project folder's (the one with scrapy.cfg), wherever the
    run starts: a second run from a subfolder finds the first's state and export folder. Catches
    paths taken from the working directory (a second, empty state: every article again). The
    project is a copy of scrapy.cfg in tmp_path, so nothing is written into the checkout."""
    project = tmp_path / "project"
    sub = project / "logs" / "old"
    sub.mkdir(parents=True)
    shutil.copy(ROOT / "scrapy.cfg", project)
    cmd = [sys.executable, "-m", "scrapy", "crawl", "bhg", "-s", f"BHG_BASE_URL={invented.base_url}",
           "-a", "category=van-hoa", *FAST]
    runs = [subprocess.run(cmd, cwd=cwd, env=crawl_env(), capture_output=True, text=True, timeout=120)
            for cwd in (project, sub)]
    for run in runs:
        assert run.returncode == 0, run.stderr[-3000:]
    states = [re.findall(r"\[bhgcrawl\.run\] INFO: state: (.+)", run.stderr) for run in runs]
    assert states == [[str(project / "state" / "bhg.sqlite3")]] * 2
    [export] = (project / "exports" / "bhg").glob("*.jsonl")  # the second run had nothing new
    assert len(export.read_text("utf-8").splitlines()) == 5
    assert list(sub.iterdir()) == []


# ---- pages that fail -----------------------------------------------------------------------------


class FailingHandler(ReplayHandler):
    """While `server.failing` holds a path, that path answers 500 (every retry too)."""

    def do_GET(self):
        if self.path in self.server.failing:
            self._send(500, b"<html><body><h1>500</h1></body></html>", "text/html; charset=utf-8", head=False)
            return
        super().do_GET()


def test_a_listing_page_that_failed_is_where_the_next_plain_run_goes_on(tmp_path):
    """/xa-hoi/trang-2.html answers 500 through every retry of the first run: that run says what
    failed (its summary's errors, the failures ledger); the next plain run reads that page and
    fetches the articles only it lists. Catches the walk restarted at page 1 (nothing new there:
    the page's articles lost for good) and a failure left out of the summary."""
    server = ReplayServer(SITE)
    server.RequestHandlerClass = FailingHandler
    server.failing = {"/xa-hoi/trang-2.html"}
    with server:
        first = run_crawl(server.base_url, tmp_path, feeds=False, name="first")
        assert paths(server).count("/xa-hoi/trang-2.html") == 4  # RETRY_TIMES=3
        server.failing = set()
        server.requests.clear()
        second = run_crawl(server.base_url, tmp_path, feeds=False, name="second")
        assert paths(server).count("/xa-hoi/trang-2.html") == 1
    # The 404s are the invented site's own: two known sections and the English feed it does not have.
    assert first.summary["exit_code"] == 0
    assert first.summary["errors"] == {"bhg/fetch_failed/http_500": 1, "bhg/fetch_failed/http_404": 3}
    ledger = [json.loads(line) for line in (tmp_path / "failures.jsonl").read_text("utf-8").splitlines()]
    [failure] = [f for f in ledger if f["reason"] != "http_404"]
    assert (failure["url"], failure["reason"], failure["attempts"]) == (
        "https://baohagiang.vn/xa-hoi/trang-2.html", "http_500", 4)
    missed = all_urls() - {r["url"] for r in first.records}
    assert missed == {ONLY_ON_PAGE_2}
    assert {r["url"] for r in second.records} == missed
    assert Counter(r["url"] for r in exported(tmp_path / "exports")) == Counter(all_urls())


def test_a_first_page_that_failed_is_not_taken_for_nothing_new(tmp_path):
    """/thoi-su-chinh-tri (page 1) answers 500 through every retry of the first run, which still gets
    the four articles it lists from the home page and the feed; the next plain run must read pages 2
    and 3 (six articles only they list). Today it reads page 1, finds nothing new and stops: 35 of 41."""
    server = ReplayServer(SITE)
    server.RequestHandlerClass = FailingHandler
    server.failing = {"/thoi-su-chinh-tri"}
    with server:
        run_crawl(server.base_url, tmp_path, feeds=False, name="first")
        server.failing = set()
        run_crawl(server.base_url, tmp_path, feeds=False, name="second")
    assert Counter(r["url"] for r in exported(tmp_path / "exports")) == Counter(all_urls())


def test_a_dead_server_is_exit_4_and_the_run_after_the_outage_raises_no_alarm(tmp_path):
    """Connection refused on every request: exit 4 and one line naming what failed, no traceback
    (Scrapy logs robots.txt's failure with one unless told not to). The next run,
    on the same state with the site back, gets all 41 articles with exit 0: catches an outage that
    leaves the state believing the site empty, and a false layout alarm (exit 3) after it."""
    dead = run_crawl("http://127.0.0.1:9", tmp_path, "-s", "RETRY_TIMES=0", name="dead", check=False)
    assert dead.returncode == 4
    # robots.txt, then the home page and the 11 known sections its failure hands the walk to.
    assert bhg_lines(dead.log) == ["bhg: the site could not be crawled: nothing was read "
                                   "(12 × DownloadConnectionRefusedError)"]
    assert "Traceback" not in dead.log
    with ReplayServer(SITE) as server:
        back = run_crawl(server.base_url, tmp_path, name="back")
    assert back.returncode == 0 and back.summary["layout_alarm"] is None
    assert {r["url"] for r in back.records} == all_urls()


class ArticleOutageHandler(ReplayHandler):
    """While `server.outage`, every article page answers 503 (listings still answer)."""

    def do_GET(self):
        if self.server.outage and parse_article_url("https://baohagiang.vn" + self.path.split("?")[0]):
            self._send(503, b"<html><body><h1>503</h1></body></html>", "text/html; charset=utf-8", head=False)
            return
        super().do_GET()


def test_articles_that_failed_in_an_outage_are_fetched_by_the_next_run_without_alarm(tmp_path):
    """Every article page 503 (a 503 storm behind working listings): the articles stay pending, and
    the next run gets all 41, exit 0, no layout alarm. Catches failed articles taken for done (lost),
    and coverage judged on an outage."""
    server = ReplayServer(SITE)
    server.RequestHandlerClass = ArticleOutageHandler
    server.outage = True
    with server:
        storm = run_crawl(server.base_url, tmp_path, "-s", "RETRY_TIMES=1", name="storm", check=False)
        server.outage = False
        back = run_crawl(server.base_url, tmp_path, name="back")
    assert storm.records == [] and storm.summary["layout_alarm"] is None
    assert storm.stats["bhg/fetch_failed/http_503"] >= 41
    assert back.returncode == 0 and back.summary["layout_alarm"] is None
    assert {r["url"] for r in back.records} == all_urls()
    assert back.stats["bhg/resumed_pending"] >= 41


class OldArticlesOutageHandler(ReplayHandler):
    """While `server.outage`, the article pages of before 2022 answer 503."""

    def do_GET(self):
        ref = parse_article_url("https://baohagiang.vn" + self.path.split("?")[0])
        if self.server.outage and ref is not None and ref.yyyymm < "202201":
            self._send(503, b"<html><body><h1>503</h1></body></html>", "text/html; charset=utf-8", head=False)
            return
        super().do_GET()


def test_the_run_after_an_outage_of_old_pages_raises_no_layout_alarm(tmp_path):
    """The 18 articles of before 2022 answer 503 in the first run; the next run fetches just those,
    two of which (2013, 2016) print a day and no time, as on the live site: exit 0, no alarm."""
    server = ReplayServer(SITE)
    server.RequestHandlerClass = OldArticlesOutageHandler
    server.outage = True
    with server:
        first = run_crawl(server.base_url, tmp_path, "-s", "RETRY_TIMES=0", name="outage")
        server.outage = False
        back = run_crawl(server.base_url, tmp_path, name="back", check=False)
    assert len(first.records) == 23 and len(back.records) == 18
    assert back.returncode == 0 and back.summary["layout_alarm"] is None


# ---- a menu of 50,000 sections -------------------------------------------------------------------


def test_a_menu_of_50000_sections_is_capped(tmp_path):
    """A home page whose menu links 50,000 section-like paths (none of them there): the run walks
    BHG_MAX_SECTIONS of them, says so once, and makes exactly robots.txt + home + 300 requests.
    Catches an unbounded walk (50,000 requests to a small server) and a silent cap."""
    odd = "".join(f"<a href='{p}'>Lạ</a>" for p in ("/mot/hai/ba/bon", "/2024", "/_hosts/x", "/muc%20la"))
    menu = "".join(f"<a href='/muc-{i}'>Mục {i}</a>" for i in range(50_000))
    home = f"<html><body><nav class='menu'>{odd}{menu}</nav></body></html>"
    site = write_site(tmp_path / "site", {"index.html": home})
    with ReplayServer(site) as server:
        result = run_crawl(server.base_url, tmp_path, check=False)
        asked = Counter(paths(server))
    assert asked == Counter(["/robots.txt", "/", *(f"/muc-{i}" for i in range(300))])
    # 50,000 from the menu and the 11 known sections, 300 walked.
    warnings = re.findall(r"WARNING: (BHG_MAX_SECTIONS=.*)", result.log)
    assert warnings == ["BHG_MAX_SECTIONS=300 reached: 49711 more sections left out"]
    assert result.stats["bhg/sections_capped"] == 49711


# ---- pages in the wrong encoding -----------------------------------------------------------------

ARTICLE = "/thoi-su-chinh-tri/202103/hop-tieu-ban-thong-tin-tuyen-truyen-va-van-dong-bau-cu-"
CP1258 = ARTICLE + "785431"  # in windows-1258, served as UTF-8
UTF8 = ARTICLE + "785432"  # in UTF-8, served as windows-1258
LATIN1 = ARTICLE + "785433"  # in UTF-8, served as ISO-8859-1
LOST = ARTICLE + "785434"  # its letters lost to "?" (cp1252), served as UTF-8: no reading gives Vietnamese
TITLE = "Họp Tiểu ban thông tin, tuyên truyền và vận động bầu cử"


class DeclaringHandler(ReplayHandler):
    """Each path of `server.declared` is sent with that Content-Type, whatever its bytes are."""

    def _send(self, status, body, ctype, head, headers=None, truncate=False, log=True):
        ctype = self.server.declared.get(self.path, ctype)
        super()._send(status, body, ctype, head, headers, truncate, log)


def test_pages_declared_in_the_wrong_encoding_give_the_right_text(tmp_path):
    """A windows-1258 page sent as UTF-8, a UTF-8 page sent as windows-1258 and as ISO-8859-1: each
    record's title, lead and body are the Vietnamese text, NFC. A page no codec reads (letters lost
    to "?"): no record, the page kept in BHG_FAILED_PAGES_DIR, the article pending for the next run.
    Catches the declaration trusted over the bytes (mojibake records) and an undecodable page
    emitted as `H?p Ti?u ban` or marked done."""
    bad = FIXTURES / "bad"
    reference = (bad / "reference.html").read_text("utf-8")
    listing = "".join(f"<h3><a href='{p}'>{TITLE}</a></h3>" for p in (CP1258, UTF8, LATIN1, LOST))
    site = write_site(tmp_path / "site", {"thoi-su-chinh-tri/index.html": f"<html><body>{listing}</body></html>"})
    (site / CP1258.lstrip("/")).parent.mkdir(parents=True)
    (site / (CP1258.lstrip("/") + ".html")).write_bytes((bad / "windows-1258.html").read_bytes())
    (site / (UTF8.lstrip("/") + ".html")).write_bytes((bad / "mislabelled-latin1.html").read_bytes())
    (site / (LATIN1.lstrip("/") + ".html")).write_bytes((bad / "mislabelled-latin1.html").read_bytes())
    (site / (LOST.lstrip("/") + ".html")).write_bytes(reference.encode("cp1252", "replace"))
    server = ReplayServer(site)
    server.RequestHandlerClass = DeclaringHandler
    server.declared = {UTF8: "text/html; charset=windows-1258", LATIN1: "text/html; charset=iso-8859-1"}
    with server:
        result = run_crawl(server.base_url, tmp_path, "-a", "category=thoi-su-chinh-tri")
    by_url = result.by_url()
    assert sorted(by_url) == sorted(f"https://baohagiang.vn{p}" for p in (CP1258, UTF8, LATIN1))
    for record in by_url.values():
        assert record["title"] == TITLE
        assert record["lead"].startswith("Chiều 5.3, tại Ban Tuyên giáo Tỉnh ủy, Tiểu ban thông tin")
        assert "công tác thông tin, tuyên truyền về cuộc bầu cử" in record["body"]
        assert all(unicodedata.is_normalized("NFC", record[k]) for k in ("title", "lead", "body"))
    assert result.stats["bhg/no_record/undecodable"] == 1
    [kept] = (tmp_path / "failed").glob("*.json")
    assert {k: v for k, v in json.loads(kept.read_text("utf-8")).items() if k in ("url", "reason")} == {
        "url": f"https://baohagiang.vn{LOST}", "reason": "undecodable"}
    assert kept.with_suffix(".html").read_bytes() == (site / (LOST.lstrip("/") + ".html")).read_bytes()
    db = sqlite3.connect(tmp_path / "state.sqlite3")
    try:
        assert db.execute("SELECT url, attempts FROM frontier").fetchall() == [(f"https://baohagiang.vn{LOST}", 1)]
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    finally:
        db.close()
