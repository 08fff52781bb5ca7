"""`bhgcrawl report`: the numbers of a small built archive, exactly, and a page that needs no network."""

from __future__ import annotations

import json
import re

import pytest

from bhgcrawl import cli, report
from tests.helpers import golden, variant, write_export

# Articles per month of 2023, January to August: March is empty, May far below its neighbours.
PER_MONTH = [6, 6, 0, 6, 1, 6, 6, 6]
CATEGORIES = ["thoi-su-chinh-tri", "kinh-te", "kinh-te/nong-lam-nghiep", "xa-hoi"]


def article(i: int, month: int, first_run: bool) -> dict:
    """Article `i`: its category by i % 4, dated to the day only when i % 5 == 0, without authors when i % 3 == 0."""
    article_id = f"{0xa000000 + i:07x}"
    category = CATEGORIES[i % 4]
    day = 1 + i % 28
    published = f"2023-{month:02d}-{day:02d}T" + ("00:00:00" if i % 5 == 0 else "08:30:00") + "+07:00"
    url = f"https://baohagiang.vn/{category}/2023{month:02d}/bai-so-{i}-{article_id}"
    crawled = f"2023-{'09' if first_run else '10'}-01T00:{i:02d}:00+00:00"
    return variant(golden()["785426"], url=url, fetched_url=url, article_id=article_id, category=category,
                   published=published, published_precision="day" if i % 5 == 0 else "minute",
                   authors=[] if i % 3 == 0 else ["Lê Hải"], crawled_at=crawled)


@pytest.fixture
def built(tmp_path, monkeypatch):
    """Two runs: the first (with its summary) holds articles 0–19, the second 20–36, a version 2 of
    article 3 that now credits an author, and a half-written last line."""
    records, i = [], 0
    for month, n in enumerate(PER_MONTH, 1):
        for _ in range(n):
            records.append(article(i, month, first_run=i < 20))
            i += 1
    first, second = records[:20], records[20:]
    write_export(tmp_path / "exports/bhg/20230901T000000Z.jsonl", first)
    (tmp_path / "exports/bhg/20230901T000000Z.json").write_text(
        json.dumps({"run": "20230901T000000Z", "finish_reason": "finished", "articles": 20}), encoding="utf-8")
    changed = variant(records[3], version=2, authors=["Vàng Seo Cón"], crawled_at="2023-10-01T01:00:00+00:00")
    write_export(tmp_path / "exports/bhg/20231001T000000Z.jsonl", [*second, changed], tail='{"url": "https://bao')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_report_numbers_of_a_small_archive(built, capsys):
    assert cli.main(["report", "-o", "report.html"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "bhgcrawl report: left out exports/bhg/20231001T000000Z.jsonl:19: half-written last line (a killed run)",
        "bhgcrawl report: 37 articles, 1 empty and 1 low months → report.html, report.json; 38 records read from "
        "2 files, 1 older version merged, 1 half-written last line skipped"]
    numbers = json.loads((built / "report.json").read_text("utf-8"))
    assert numbers["articles"] == 37
    assert numbers["published"] == {"first": "2023-01-01T00:00:00+07:00", "last": "2023-08-09T08:30:00+07:00"}
    assert [(m["month"], m["articles"], m["median_around"], m["flag"]) for m in numbers["months"]] == [
        ("2023-01", 6, 6, None), ("2023-02", 6, 3.5, None), ("2023-03", 0, 6, "none"), ("2023-04", 6, 6, None),
        ("2023-05", 1, 6, "low"), ("2023-06", 6, 6, None), ("2023-07", 6, 6.0, None), ("2023-08", 6, 6, None)]
    assert numbers["gaps"] == {"none": ["2023-03"], "low": ["2023-05"]}
    assert numbers["gap_rule"] == report.GAP_RULE
    assert numbers["sections"] == {"kinh-te": 18, "thoi-su-chinh-tri": 10, "xa-hoi": 9}
    assert numbers["categories"] == {"thoi-su-chinh-tri": 10, "kinh-te": 9, "kinh-te/nong-lam-nghiep": 9, "xa-hoi": 9}
    # Dated to the day: i = 0, 5, …, 35 (8 articles); no authors: i = 0, 3, …, 36 (13) less article 3's version 2.
    assert numbers["minute_precision"] == {"articles": 29, "share": 0.7838}
    assert numbers["with_authors"] == {"articles": 25, "share": 0.6757}
    assert numbers["sources"] == {"live": 37}
    assert numbers["inputs"] == {"files": 2, "records": 38, "older_versions": 1, "invalid": 0, "half_lines": 1,
                                 "left_out": ["exports/bhg/20231001T000000Z.jsonl:19: half-written last line "
                                              "(a killed run)"]}
    assert numbers["runs"] == [
        {"run": "20230901T000000Z", "file": "exports/bhg/20230901T000000Z.jsonl", "records": 20, "invalid": 0,
         "half_line": False, "first_crawled_at": "2023-09-01T00:00:00+00:00",
         "last_crawled_at": "2023-09-01T00:19:00+00:00", "summary": "exports/bhg/20230901T000000Z.json",
         "finish_reason": "finished"},
        {"run": "20231001T000000Z", "file": "exports/bhg/20231001T000000Z.jsonl", "records": 18, "invalid": 0,
         "half_line": True, "first_crawled_at": "2023-10-01T00:20:00+00:00",
         "last_crawled_at": "2023-10-01T01:00:00+00:00", "summary": None, "finish_reason": None}]


def test_the_page_is_self_contained_and_shows_the_numbers(built):
    assert cli.main(["report", "exports", "-o", "report.html"]) == 0
    page = (built / "report.html").read_text("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"<script|<link|@import|url\(", page, re.I)
    assert page.count("<svg") == 2 and "<title>2023-03: 0 articles (empty)</title>" in page
    assert "<title>2023-05: 1 article (low)</title>" in page and "<title>kinh-te: 18</title>" in page
    assert "1 empty and 1 low months." in page and "Báo Hà Giang" in page
    assert report.GAP_RULE.split(".")[0] in page
    assert "20230901T000000Z" in page and "finished" in page


def test_month_rule_at_the_edges_of_the_span():
    rows = report.month_rows({"2023-11": 9, "2024-02": 3, "2024-03": 2})
    assert [(r["month"], r["articles"], r["flag"]) for r in rows] == [
        ("2023-11", 9, None), ("2023-12", 0, "none"), ("2024-01", 0, "none"), ("2024-02", 3, None),
        ("2024-03", 2, None)]
    assert [r["median_around"] for r in rows] == [0, 2.5, 2.5, 1, 0]
    assert report.month_rows({}) == [] and report.month_rows({"2024-01": 1})[0]["median_around"] is None


def test_sources_are_live_or_the_capturing_archive():
    assert report.source_of({}) == "live"
    assert report.source_of({"capture": None}) == "live"
    assert report.source_of({"capture": {"archive": "wayback", "timestamp": "20190101000000",
                                         "url": "http://web.archive.org/…", "digest": "sha1:X"}}) == "wayback"


def test_report_mistakes_are_one_line(built, capsys):
    assert cli.main(["report", "-o", "report.json"]) == 1
    assert capsys.readouterr().err == ("bhgcrawl report: -o names the HTML page (e.g. report.html); its numbers go "
                                       "beside it as .json, not report.json\n")
    assert cli.main(["report", "nowhere", "-o", "r.html"]) == 1
    assert capsys.readouterr().err == ("bhgcrawl report: nowhere does not exist: give export files (*.jsonl) or "
                                       "folders of them\n")
