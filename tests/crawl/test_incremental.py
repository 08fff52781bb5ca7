"""Scheduled runs, backfill windows, resume after SIGKILL, overlap, refresh: against the replay server."""

import json
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bhgcrawl.state import State, StateLocked
from devtools.golden import SITES
from devtools.replay import ReplayServer
from tests.helpers import FAST, ROOT, crawl_env, run_crawl
from tests.helpers import INVENTED_SITE as SITE

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess

# The sections a run visits: the home page's menu, the known list of NOTES.md, subsections, and the
# English subdomain's section found from its article's URL.
SECTIONS = {
    "/english", "/english/Culture", "/english/news", "/kinh-te", "/kinh-te/nong-lam-nghiep", "/media-bhg",
    "/multimedia", "/multimedia/emagazine", "/multimedia/truyen-hinh", "/thoi-su-chinh-tri", "/van-hoa",
    "/ve-bao-ha-giang/thong-tin-toa-soan", "/xa-hoi", "en.baohagiang.vn/Society",
}
# Two of the known sections are not on the site (404): remembered, and not asked for by the next runs.
MISSING = {"/english/Culture", "/media-bhg"}
NEW_ARTICLES = [f"/xa-hoi/202611/bai-moi-so-{i}-{i}aa0b0{i}" for i in (1, 2, 3)]


def golden():
    return {r["url"]: r for r in (json.loads(p.read_text("utf-8")) for p in SITES[SITE].glob("*.json"))}


def requested(server):
    return Counter((f"{h}{p}" if not h.startswith("127.") else p) for _m, p, _s, h in server.requests)


def add_three_articles(site: Path):
    """Three new articles on page 1 of /xa-hoi, made from an existing page with new ids and titles."""
    template = (site / "xa-hoi/202312/hoi-thi-dieu-duong-gioi-nganh-y-te-nam-2023-c6d0e17.html").read_text("utf-8")
    links = []
    for i, path in enumerate(NEW_ARTICLES, 1):
        page = template.replace("Hội thi Điều dưỡng giỏi ngành Y tế năm 2023", f"Bài mới số {i} của tháng 11")
        page = page.replace("/xa-hoi/202312/hoi-thi-dieu-duong-gioi-nganh-y-te-nam-2023-c6d0e17", path)
        page = page.replace("/12/2023", "/11/2026")
        target = site / (path.lstrip("/") + ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, "utf-8")
        links.append(f'<h3><a href="{path}">Bài mới số {i} của tháng 11</a></h3><span>08:00, 2{i}/11/2026</span>')
    listing = site / "xa-hoi/index.html"
    html = listing.read_text("utf-8")
    listing.write_text(html.replace("<h1", "<div class='moi'>" + "".join(links) + "</div><h1", 1), "utf-8")


@pytest.fixture
def site_copy(tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(SITE, copy)
    return copy


def test_scheduled_runs_fetch_only_what_is_new(site_copy, tmp_path):
    with ReplayServer(site_copy) as server:
        first = run_crawl(server.base_url, tmp_path, feeds=False, name="first")
        assert len(first.records) == 41 == len({r["url"] for r in first.records})
        assert Path(first.summary["export"]).exists() and first.summary["articles"] == 41
        assert MISSING <= set(requested(server))  # asked once, answered 404

        server.requests.clear()
        second = run_crawl(server.base_url, tmp_path, feeds=False, name="second")
        assert second.records == []
        # Nothing new: robots.txt, the home page and the first listing page of each section.
        assert requested(server) == Counter({"/robots.txt": 1, "/": 1, **dict.fromkeys(SECTIONS - MISSING, 1)})

        add_three_articles(site_copy)
        server.requests.clear()
        third = run_crawl(server.base_url, tmp_path, feeds=False, name="third")
        assert sorted(r["url"] for r in third.records) == sorted(f"https://baohagiang.vn{p}" for p in NEW_ARTICLES)
        assert [r["title"] for r in sorted(third.records, key=lambda r: r["url"])] == [
            "Bài mới số 1 của tháng 11", "Bài mới số 2 của tháng 11", "Bài mới số 3 của tháng 11"]
        # The page that had news is followed by one more page of /xa-hoi, which has none.
        assert requested(server) == Counter({"/robots.txt": 1, "/": 1, **dict.fromkeys(SECTIONS - MISSING, 1),
                                             "/xa-hoi/trang-2.html": 1, **dict.fromkeys(NEW_ARTICLES, 1)})
        # The run with nothing new wrote its summary but no empty export file.
        exports = sorted((tmp_path / "exports").glob("*.jsonl"))
        assert len(exports) == 2 and len(list((tmp_path / "exports").glob("*.json"))) == 3
        assert second.summary["export"] is None and second.summary["exit_code"] == 0


def test_full_run_walks_everything_but_emits_no_duplicate(invented, tmp_path):
    run_crawl(invented.base_url, tmp_path, name="first")
    invented.requests.clear()
    again = run_crawl(invented.base_url, tmp_path, "-a", "full=1", name="full")
    assert again.records == []
    paths = requested(invented)
    assert paths["/kinh-te/trang-3.html"] == 1 and paths["/thoi-su-chinh-tri/trang-3.html"] == 1


def test_backfill_window_fetches_only_that_window(invented, tmp_path):
    result = run_crawl(invented.base_url, tmp_path, "-a", "since=2019-01-01", "-a", "until=2021-03-04")
    expected = {u for u, r in golden().items()
                if date(2019, 1, 1) <= date.fromisoformat(r["published"][:10]) <= date(2021, 3, 4)}
    assert len(expected) >= 5
    assert {r["url"] for r in result.records} == expected
    articles = [p for p in requested(invented) if p.count("/") >= 3 and not p.startswith("en.")]
    assert all(p.split("/")[-2][:4] in ("2019", "2020", "2021") for p in articles), articles
    assert result.summary["window"] == {"since": "2019-01-01", "until": "2021-03-04"}


def test_backfill_stops_paging_once_past_since(invented, tmp_path):
    """Page 1 of thoi-su-chinh-tri (and of kinh-te) lists nothing older than 2021-02-01, its page 2
    reaches back before it: page 2 is read, page 3 is not. Catches a backfill that never stops
    (page 3 read) and one that stops too soon (page 2 not read, its window articles lost)."""
    result = run_crawl(invented.base_url, tmp_path, "-a", "since=2021-02-01")
    paths = requested(invented)
    for section in ("thoi-su-chinh-tri", "kinh-te"):
        assert paths[f"/{section}/trang-2.html"] == 1, section
        assert f"/{section}/trang-3.html" not in paths, section
    expected = {u for u, r in golden().items() if r["published"][:10] >= "2021-02-01"}
    assert {r["url"] for r in result.records} == expected


def test_killed_backfill_resumes_exactly_once(tmp_path):
    """SIGKILL mid-run, then the same command again: every article once across both exports."""
    state, jobdir, exports = tmp_path / "state.sqlite3", tmp_path / "job", tmp_path / "exports"
    with ReplayServer(SITE) as server:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "bhg", "-a", "since=2010-01-01",
               "-s", f"BHG_BASE_URL={server.base_url}", "-s", f"BHG_STATE_PATH={state}",
               "-s", f"BHG_EXPORT_DIR={exports}", "-s", f"JOBDIR={jobdir}", *FAST,
               "-s", f"BHG_FAILURES_PATH={tmp_path / 'failures.jsonl'}",
               "-s", f"BHG_FAILED_PAGES_DIR={tmp_path / 'failed'}",
               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.1",
               "-s", "RANDOMIZE_DOWNLOAD_DELAY=False"]
        env = crawl_env()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            lines = sum(len(p.read_bytes().splitlines()) for p in exports.glob("*.jsonl")) if exports.exists() else 0
            if lines >= 8:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        first = [line for p in exports.glob("*.jsonl") for line in p.read_bytes().splitlines()]
        assert 8 <= len(first) < 41, "the kill must land mid-run"
        second = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr[-3000:]
    lines = [line for p in sorted(exports.glob("*.jsonl")) for line in p.read_text("utf-8").splitlines()]
    records = [json.loads(line) for line in lines]  # every line whole
    assert Counter(r["url"] for r in records) == Counter(set(golden()))
    assert "did not finish" in second.stderr


def test_second_run_on_the_same_state_exits_with_a_message(invented, tmp_path):
    holder = State(tmp_path / "state.sqlite3")
    try:
        result = run_crawl(invented.base_url, tmp_path, check=False)
    finally:
        holder.close()
    assert result.returncode != 0
    assert "another bhg run is using the state" in result.log
    assert invented.requests == []


def test_lock_of_a_killed_run_is_taken_over(invented, tmp_path):
    state = tmp_path / "state.sqlite3"
    code = (f"from bhgcrawl.state import State; s = State({str(state)!r}); import time; "
            "print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env=crawl_env())
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(StateLocked):
        State(state)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    result = run_crawl(invented.base_url, tmp_path)
    assert len(result.records) == 41


def test_refresh_emits_a_new_version_only_when_content_changed(site_copy, tmp_path):
    """One article's body is edited (one word of its second paragraph; title, lead and tags as they
    were): a refresh emits it as version 2 with `modified` set and drops the 40 others as unchanged.
    Catches `body` left out of the content hash (the edit then dropped as unchanged too), a
    refresh that re-emits everything, and the version not counted on."""
    url = "https://baohagiang.vn/xa-hoi/202403/ha-giang-day-manh-chuyen-doi-so-trong-kham-chua-benh-91fa3c5"
    with ReplayServer(site_copy) as server:
        first = run_crawl(server.base_url, tmp_path, name="first")
        page = site_copy / "xa-hoi/202403/ha-giang-day-manh-chuyen-doi-so-trong-kham-chua-benh-91fa3c5.html"
        html = page.read_text("utf-8")
        assert html.count("quý III năm 2024") == 1
        page.write_text(html.replace("quý III năm 2024", "quý IV năm 2024"), "utf-8")
        again = run_crawl(server.base_url, tmp_path, "-a", "refresh_days=100000", name="refresh")
    assert [r["url"] for r in again.records] == [url]
    before, record = first.by_url()[url], again.records[0]
    changed = {k for k in record if record[k] != before[k]}
    # crawled_at is to the second: the refresh may fetch the page within the second the first run did.
    assert changed - {"crawled_at"} == {"body", "version", "modified"}
    assert "quý IV năm 2024" in record["body"] and "quý III năm 2024" in before["body"]
    assert record["version"] == 2 and record["modified"] is not None
    assert again.stats["bhg/dropped/unchanged"] == 40


def test_warc_capture_is_valid_and_replays_the_same_records(invented, tmp_path):
    warc = tmp_path / "warc"
    live = run_crawl(invented.base_url, tmp_path, "-s", f"BHG_WARC_DIR={warc}", "-s", "BHG_WARC_MAX_SIZE=200000",
                     name="live")
    files = sorted(warc.glob("*.warc.gz"))
    assert len(files) > 1  # rotated
    check = subprocess.run([sys.executable, "-c", "from warcio.cli import main; main()", "check", *map(str, files)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    requests_seen = len(invented.requests)
    (tmp_path / "re").mkdir()
    again = run_crawl("http://127.0.0.1:9", tmp_path / "re", "-a", f"warc={warc}", name="rewarc")
    assert len(invented.requests) == requests_seen  # the archive, not the network
    strip = lambda rs: {r["url"]: {k: v for k, v in r.items() if k != "crawled_at"} for r in rs}  # noqa: E731
    assert strip(again.records) == strip(live.records)
    assert len(again.records) == 41
