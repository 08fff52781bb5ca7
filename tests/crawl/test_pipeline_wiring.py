"""The item pipelines as the crawl wires them, end to end, and re-extraction from the crawl's WARC files.

A small site whose one section lists eight articles, each testing one thing the pipelines decide:

  A  an ordinary article
  B, C  two articles under one title (a weekly column): both are records
  D  removed, its URL redirected to the home page: not this article, never a record under its URL
  E  an old URL redirected to A's (which the listing also links): not E's article, no record under E;
     A's record once
  F  moved to the successor site (301 to `baotuyenquang.com.vn`): `fetched_url` says so
  G  its first answer cut off mid-page (no `Content-Length`, no `</html>`): retried, the archive
     holds both answers, and only the second is what the run read
  H  a page without any headline: its record lacks the required `title`, so only the validation
     pipeline stands between it and the export

The live run (with WARC capture, its own export, a state) must emit A, B, C, F, G once each. Then
the archive is doubled as an earlier run's capture of the same pages (another WARC-Date), and
`-a warc=` re-extracts the folder: every article is in it twice, so only the deduplication pipeline
keeps each once; the records are the live ones, dated by the archive, not by the re-extraction.

Faults caught: the validation or the deduplication pipeline removed from ITEM_PIPELINES;
deduplication keyed on `fetched_url` (E or A lost) or `title` (B or C lost); `crawled_at` of a
re-extraction taken from the clock; the fetched URL of a redirected article lost on re-extraction;
re-extraction reading a capture its run retried (G's cut-off first answer) instead of the retry's.
"""

import io
import json
import sqlite3

import pytest

from devtools.replay import ReplayHandler, ReplayServer, resolve
from tests.helpers import article_html, run_crawl, write_site

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess

SITE = "https://baohagiang.vn"
SUCCESSOR = "https://baotuyenquang.com.vn"
A = "/xa-hoi/202401/le-hoi-hoa-tam-giac-mach-lan-thu-nhat-1a1a1a1"
B = "/xa-hoi/202401/lich-tiep-cong-dan-2b2b2b2"
C = "/xa-hoi/202402/lich-tiep-cong-dan-3c3c3c3"
D = "/xa-hoi/202401/bai-da-go-4d4d4d4"
E = "/xa-hoi/202312/le-hoi-hoa-tam-giac-mach-5e5e5e5"
F = "/xa-hoi/202401/trao-qua-cho-hoc-sinh-ngheo-6f6f6f6"
F_MOVED = F + ".html"  # the successor site's form of the same path
G = "/xa-hoi/202401/khanh-thanh-truong-mam-non-7a7a7a7"
H = "/xa-hoi/202401/bai-khong-tieu-de-8e8e8e8"
EMITTED = {A: SITE + A, B: SITE + B, C: SITE + C, F: SUCCESSOR + F_MOVED, G: SITE + G}  # → fetched_url
EARLIER = "2020-06-01T02:03:04Z"  # the WARC-Date of the doubled archive's records

HOME = ("<!DOCTYPE html><html><head><title>Báo Hà Giang - Tin tức, thời sự tỉnh Hà Giang</title></head><body>"
        "<nav class='menu'><a href='/'>Trang chủ</a><a href='/xa-hoi'>Xã hội</a></nav>"
        "<div class='hot'><h2><a href='" + A + "'>Lễ hội hoa tam giác mạch lần thứ nhất</a></h2>"
        "<p>BHG - Lễ hội hoa tam giác mạch lần thứ nhất khai mạc tại huyện Đồng Văn, thu hút hàng nghìn "
        "du khách trong và ngoài tỉnh đến tham quan, trải nghiệm.</p></div></body></html>")


def item(path: str, title: str, day: str) -> str:
    return f"<div class='item'><h3><a href='{path}'>{title}</a></h3><span>08:00, {day}</span></div>"


def build_site(root):
    listing = "".join([
        item(A, "Lễ hội hoa tam giác mạch lần thứ nhất", "28/01/2024"),
        item(B, "Lịch tiếp công dân", "22/01/2024"),
        item(C, "Lịch tiếp công dân", "05/02/2024"),
        item(D, "Bài đã gỡ", "20/01/2024"),
        item(E, "Lễ hội hoa tam giác mạch", "30/12/2023"),
        item(F, "Trao quà cho học sinh nghèo", "18/01/2024"),
        item(G, "Khánh thành trường mầm non", "17/01/2024"),
        item(H, "Bài không tiêu đề", "16/01/2024"),
    ])
    write_site(root, {
        "index.html": HOME,
        "xa-hoi/index.html": f"<html><body><h1>Xã hội</h1><div class='list'>{listing}</div></body></html>",
        A.lstrip("/") + ".html": article_html("Lễ hội hoa tam giác mạch lần thứ nhất", "08:00, 28/01/2024"),
        B.lstrip("/") + ".html": article_html("Lịch tiếp công dân", "08:00, 22/01/2024", paragraphs=(
            "Chủ tịch UBND tỉnh tiếp công dân định kỳ vào ngày 25 tháng 1 tại Trụ sở Tiếp công dân tỉnh.",
            "Công dân có nhu cầu đăng ký trước tại Ban Tiếp công dân tỉnh./.")),
        C.lstrip("/") + ".html": article_html("Lịch tiếp công dân", "08:00, 05/02/2024", paragraphs=(
            "Chủ tịch UBND tỉnh tiếp công dân định kỳ vào ngày 26 tháng 2 tại Trụ sở Tiếp công dân tỉnh.",
            "Công dân có nhu cầu đăng ký trước tại Ban Tiếp công dân tỉnh./.")),
        F_MOVED.lstrip("/"): article_html("Trao quà cho học sinh nghèo", "08:00, 18/01/2024"),
        G.lstrip("/") + ".html": article_html("Khánh thành trường mầm non", "08:00, 17/01/2024"),
        H.lstrip("/") + ".html": article_html("Bài không tiêu đề", "08:00, 16/01/2024")
        .replace("<title>Bài không tiêu đề - Báo Hà Giang</title>", "").replace("<h1>Bài không tiêu đề</h1>", ""),
        "_redirects.json": json.dumps({
            D: {"status": 301, "location": "/"},
            E: {"status": 301, "location": A},
            F: {"status": 301, "location": SUCCESSOR + F_MOVED},
        }),
    })
    return root


class CutOnceHandler(ReplayHandler):
    """G's first answer stops before the end of the page and closes the connection (no Content-Length
    to say it was cut): the crawl's page-integrity check retries it."""

    def do_GET(self):
        if self.path == G and not getattr(self.server, "cut_served", False):
            self.server.cut_served = True
            page = resolve(self.server.root, G).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(page[: page.index("Dịp này".encode())])
            self.close_connection = True
            return
        super().do_GET()


def earlier_copy(original, target, when: str, run: str):
    """`original` as an earlier run `run` would have captured the same pages: every record dated
    `when`, the warcinfo naming that run."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    with open(original, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "warcinfo":
                info = dict(line.split(": ", 1) for line in record.content_stream().read().decode().splitlines()
                            if ": " in line)
                record = writer.create_warcinfo_record(target.name, {**info, "isPartOf": run})
            record.rec_headers.replace_header("WARC-Date", when)
            writer.write_record(record)
    target.write_bytes(out.getvalue())


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wiring")
    site = build_site(tmp / "site")
    warc = tmp / "warc"
    server = ReplayServer(site)
    server.RequestHandlerClass = CutOnceHandler
    with server:
        # Files rotated after every capture: G's cut-off answer and its retry land in two files of one run.
        # H's missing title would raise the layout alarm (exit 3): its floor is lowered for this site.
        live = run_crawl(server.base_url, tmp / "live", "-a", "category=xa-hoi", "-s", f"BHG_WARC_DIR={warc}",
                         "-s", "BHG_WARC_MAX_SIZE=1", "-s", 'BHG_COVERAGE_FLOORS={"title": 0.5}', feeds=False)
    earlier = f"bhg-{EARLIER.replace('-', '').replace(':', '')}"
    for n, original in enumerate(sorted(warc.glob("*.warc.gz"))):
        earlier_copy(original, warc / f"{earlier}-{n:05d}.warc.gz", EARLIER, earlier)
    # Not checked here: with the archive doubled and no deduplication, ten records raise the layout
    # alarm (exit 3); the tests below say what went wrong.
    floors = "BHG_COVERAGE_FLOORS={\"title\": 0.5}"
    again = run_crawl("http://127.0.0.1:9", tmp / "re", "-a", f"warc={warc}", "-s", floors,
                      name="rewarc", check=False)
    return live, again


def test_the_live_run_emits_each_article_once_and_refuses_the_invalid_one(runs):
    """Catches the validation pipeline removed (H, without a title, in the export), deduplication
    keyed on `title` (B or C lost: one title), and a redirect away taken for the article (D as the
    home page, E as A's text under E's URL)."""
    live, _again = runs
    assert sorted(r["url"] for r in live.records) == sorted(SITE + p for p in EMITTED)
    assert {r["url"]: r["fetched_url"] for r in live.records} == {SITE + p: f for p, f in EMITTED.items()}
    assert live.stats["bhg/dropped/missing_title"] == 1
    assert "missing title: https://baohagiang.vn" + H in live.log
    assert "bhg/dropped/duplicate" not in live.stats
    assert (live.stats["bhg/moved_away/page"], live.stats["bhg/moved_away/article"]) == (1, 1)  # D, E
    assert live.stats["bhg/faults/unterminated"] == 1 and live.by_url()[SITE + G]["body"].endswith("khen thưởng./.")
    titles = sorted(r["title"] for r in live.records if r["url"] in (SITE + B, SITE + C))
    assert titles == ["Lịch tiếp công dân", "Lịch tiếp công dân"]


def test_the_export_holds_what_was_emitted_and_the_state_knows_it(runs):
    """The run's own export (no -o/-O) is what the state marks done, nothing more: catches the store
    pipeline reached by a dropped item."""
    live, _again = runs
    db = sqlite3.connect(live.path.parent.parent / "state.sqlite3")
    try:
        done = {url for (url,) in db.execute("SELECT url FROM articles")}
    finally:
        db.close()
    assert done == {SITE + p for p in EMITTED}
    assert len(live.path.read_bytes().splitlines()) == len(EMITTED)


def test_reextraction_emits_each_archived_article_once(runs):
    """The folder holds every page twice (two runs' captures): catches the deduplication pipeline
    removed (eleven records) and the validation pipeline removed (H back)."""
    _live, again = runs
    assert sorted(r["url"] for r in again.records) == sorted(SITE + p for p in EMITTED)
    assert again.returncode == 0
    # Every page twice, and E's capture (A's page, behind E's redirect) read as A once more.
    assert again.stats["bhg/dropped/duplicate"] == len(EMITTED) + 1
    assert again.stats["bhg/dropped/missing_title"] == 2


def test_reextraction_gives_the_live_records_dated_by_the_archive(runs):
    """`crawled_at` is the WARC-Date of the response the record was read from (the earlier capture,
    read first: files in name order), not the time of re-extraction; `fetched_url` is where the live
    run was redirected to (A for E, the successor site for F). Catches the clock used for
    `crawled_at`, and the requested URL (or the archive's target) put in the wrong field."""
    live, again = runs
    assert {r["url"]: r["crawled_at"] for r in again.records} == dict.fromkeys(
        (SITE + p for p in EMITTED), "2020-06-01T02:03:04+00:00")
    strip = lambda rs: {r["url"]: {k: v for k, v in r.items() if k != "crawled_at"} for r in rs}  # noqa: E731
    assert strip(again.records) == strip(live.records)
    assert {r["url"]: r["fetched_url"] for r in again.records}[SITE + F] == SUCCESSOR + F_MOVED


def test_the_live_records_are_dated_by_their_fetch(runs):
    """The live run's `crawled_at` is the time of its fetch (UTC, to the second)."""
    live, _again = runs
    assert all(r["crawled_at"].endswith("+00:00") and r["crawled_at"] > "2020-06-02" for r in live.records)
