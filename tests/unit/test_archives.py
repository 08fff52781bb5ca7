"""The archives' answers read without Scrapy (bhgcrawl/archives/): queries, rows, the capture kept per
article, and bad answers, which are counted and never raise."""

import gzip
import io
import json
import uuid
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bhgcrawl import archives
from bhgcrawl.archives import commoncrawl, wayback
from bhgcrawl.walks import Window

ARTICLE = "https://baohagiang.vn/xa-hoi/202112/phuong-tien-no-luc-xay-dung-nong-thon-moi-798044"


def row(**over) -> dict:
    return {"urlkey": "vn,baohagiang)/xa-hoi/202112/phuong-tien-no-luc-xay-dung-nong-thon-moi-798044",
            "timestamp": "20211205103000", "original": "http://www.baohagiang.vn/xa-hoi/202112/"
            "phuong-tien-no-luc-xay-dung-nong-thon-moi-798044", "mimetype": "text/html", "statuscode": "200",
            "digest": "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", "length": "12345", **over}


# ---- rows → captures ------------------------------------------------------------------------------

def test_a_row_of_an_article_is_a_capture_of_its_canonical_url():
    """Catches the record keyed on the URL as captured (http:, www., :80, a slash, a tracking query): one
    article under five URLs would be five articles."""
    for original in ("http://www.baohagiang.vn:80/xa-hoi/202112/phuong-tien-no-luc-xay-dung-nong-thon-moi-798044",
                     "https://baohagiang.vn/xa-hoi/202112/phuong-tien-no-luc-xay-dung-nong-thon-moi-798044/",
                     "https://baohagiang.vn/xa-hoi/202112/phuong-tien-no-luc-xay-dung-nong-thon-moi-798044"
                     "?utm_source=facebook"):
        capture, why = archives.listed("wayback", row(original=original))
        assert why is None and capture.url == ARTICLE and capture.original == original
        assert (capture.timestamp, capture.digest, capture.archive) == ("20211205103000", row()["digest"], "wayback")
    # Common Crawl's names for the same columns.
    cc = {"url": row()["original"], "timestamp": "20240221101010", "mime": "text/html", "status": "200",
          "digest": "ABC", "filename": "crawl-data/x.warc.gz", "offset": "1", "length": "2"}
    capture, why = archives.listed("commoncrawl", cc)
    assert why is None and capture.url == ARTICLE and capture.row is cc


@pytest.mark.parametrize("over,why", [
    ({"statuscode": "-", "mimetype": "warc/revisit"}, archives.REVISIT),
    ({"mimetype": "warc/revisit"}, archives.REVISIT),
    ({"statuscode": "301"}, archives.NOT_OK),
    ({"mimetype": "image/jpeg"}, archives.NOT_HTML),
    ({"original": "https://baohagiang.vn/xa-hoi"}, archives.NOT_ARTICLE),
    ({"original": "https://example.com/xa-hoi/202112/a-798044"}, archives.NOT_ARTICLE),
    ({"original": "https://baohagiang.vn/tim-kiem/202112/a-798044"}, archives.NOT_ARTICLE),
    ({"timestamp": "2021"}, archives.BAD_ROW),
    ({"timestamp": "2021120510300x"}, archives.BAD_ROW),
    ({"digest": ""}, archives.BAD_ROW),
    ({"digest": None}, archives.BAD_ROW),
    ({"original": 7}, archives.BAD_ROW),
])
def test_rows_that_give_nothing_to_fetch_say_why(over, why):
    """Catches a revisit fetched (the same payload twice), a redirect, an image or a section page taken
    for an article, and a row with a broken column read as a capture."""
    assert archives.listed("wayback", row(**over)) == (None, why)


def test_a_row_of_an_unwanted_section_is_left_out():
    assert archives.listed("wayback", row(), wants=lambda c: c == "kinh-te") == (None, archives.UNWANTED)
    assert archives.listed("wayback", row(), wants=lambda c: c == "xa-hoi")[1] is None


def test_the_earliest_or_the_latest_capture_is_kept_and_ties_keep_the_first():
    assert archives.better("20150101000000", None) and archives.better("20150101000000", None, latest=True)
    assert archives.better("20150101000000", "20160101000000")
    assert not archives.better("20170101000000", "20160101000000")
    assert archives.better("20170101000000", "20160101000000", latest=True)
    assert not archives.better("20160101000000", "20160101000000")
    assert not archives.better("20160101000000", "20160101000000", latest=True)


def test_the_capture_field_and_the_archives_digest():
    assert archives.capture_field("wayback", "20150307021109", "http://www.baohagiang.vn/x", "ABC") == {
        "archive": "wayback", "timestamp": "2015-03-07T02:11:09+00:00", "url": "http://www.baohagiang.vn/x",
        "digest": "ABC"}
    assert archives.payload_digest(b"") == "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"  # SHA-1 of nothing, base32


def test_a_backfill_is_named_by_what_it_reads():
    """The same command again resumes the same backfill; another window, choice or crawl list is another."""
    window = Window(date(2015, 1, 1), date(2015, 12, 31))
    assert archives.backfill_key("wayback", window, "earliest") == "wayback:2015-01-01..2015-12-31:earliest"
    assert archives.backfill_key("wayback", Window(), "latest") == "wayback:..:latest"
    assert archives.backfill_key("commoncrawl", Window(), "earliest", ("CC-MAIN-2024-10", "CC-MAIN-2023-50")) == \
        "commoncrawl:..:earliest:CC-MAIN-2024-10,CC-MAIN-2023-50"


# ---- Wayback ----------------------------------------------------------------------------------------

def test_the_cdx_query_asks_for_the_domains_200_html_captures_of_the_window_by_resume_key():
    """Catches `page=` paging (empty filtered pages), a host instead of the domain (en. lost), revisits
    and non-HTML asked for, the window's last day cut off, and the key sent unencoded."""
    url = wayback.cdx_url("https://web.archive.org/", Window(date(2015, 1, 1), date(2015, 12, 31)), 5000)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "web.archive.org", "/cdx/search/cdx")
    query = parse_qsl(parts.query)
    assert query == [("url", "baohagiang.vn"), ("matchType", "domain"), ("from", "20150101"), ("to", "20151231"),
                     ("filter", "statuscode:200"), ("filter", "mimetype:text/html"), ("collapse", "digest"),
                     ("output", "json"), ("fl", "urlkey,timestamp,original,mimetype,statuscode,digest,length"),
                     ("limit", "5000"), ("showResumeKey", "true")]
    key = "vn%2Cbaohagiang%29%2Fxa-hoi+20211205103001"
    resumed = wayback.cdx_url("https://web.archive.org", Window(), 10, key)
    assert "from" not in dict(parse_qsl(urlsplit(resumed).query)) and "page" not in resumed
    assert dict(parse_qsl(urlsplit(resumed).query))["resumeKey"] == key  # encoded once more, read back as given


def cdx_body(*rows) -> bytes:
    return json.dumps([list(wayback.FIELDS), *rows]).encode()


def test_a_cdx_answer_maps_rows_by_the_header_and_finds_the_resume_key_after_the_empty_row():
    first, second = list(row().values()), list(row(timestamp="20220101000000").values())
    answer = wayback.read_cdx(cdx_body(first, second, [], ["vn%2Cbaohagiang%29%2Fx+20220101000001"]))
    assert answer.rows == [row(), row(timestamp="20220101000000")] and answer.problem is None
    assert answer.resume_key == "vn%2Cbaohagiang%29%2Fx+20220101000001"
    last = wayback.read_cdx(cdx_body(first))
    assert last.rows == [row()] and last.resume_key is None
    assert wayback.read_cdx(b"[]\n").rows == [] and wayback.read_cdx(b"[]").resume_key is None
    # The server's order of the fields is the header's, not ours.
    names = list(reversed(wayback.FIELDS))
    reordered = json.dumps([names, [row()[n] for n in names]]).encode()
    assert wayback.read_cdx(reordered).rows == [row()]


@pytest.mark.parametrize("body,problem", [
    (cdx_body(list(row().values()))[:40], "not_json"),  # cut off
    (b"<!DOCTYPE html><html><body>The Wayback Machine is under heavy load.</body></html>", "not_json"),
    (b"\xff\xfe[", "not_json"),
    (b'{"rows": []}', "not_json"),
    (json.dumps([["timestamp", "original"], ["20211205103000", "x"]]).encode(), "no_header"),
    (json.dumps([list(row().values())]).encode(), "no_header"),  # no header row at all
    (cdx_body(list(row().values()), [], []), "bad_resume_key"),
    (cdx_body(list(row().values()), [], [1]), "bad_resume_key"),
])
def test_an_answer_that_is_not_a_cdx_listing_is_a_problem_not_an_exception(body, problem):
    answer = wayback.read_cdx(body)
    assert answer.problem == problem and answer.resume_key is None


def test_rows_missing_columns_are_counted_and_the_others_read():
    good = list(row().values())
    answer = wayback.read_cdx(cdx_body(good, good[:-2], [1, 2, 3, 4, 5, 6, 7], "x", good))
    assert answer.rows == [row(), row()] and answer.bad_rows == 3 and answer.problem is None


def test_raw_capture_urls_and_the_capture_a_redirect_ended_at():
    url = wayback.capture_url("https://web.archive.org/", "20211205103000", row()["original"])
    assert url == f"https://web.archive.org/web/20211205103000id_/{row()['original']}"
    assert wayback.served(url) == ("20211205103000", row()["original"])
    folded = "https://web.archive.org/web/20211205103000id_/http:/www.baohagiang.vn/x?utm_source=a"
    assert wayback.served(folded) == ("20211205103000", "http://www.baohagiang.vn/x?utm_source=a")
    assert wayback.served("https://web.archive.org/web/20211205103000/http://www.baohagiang.vn/x") is None
    assert wayback.served("https://web.archive.org/cdx/search/cdx?url=x") is None


# ---- Common Crawl -----------------------------------------------------------------------------------

COLLINFO = json.dumps([
    {"id": "CC-MAIN-2025-05", "name": "January 2025 Index", "from": "2025-01-13T00:00:00", "to": "2025-01-25T23:59:59"},
    {"id": "CC-MAIN-2024-10", "name": "February/March 2024 Index", "from": "2024-02-20T00:00:00",
     "to": "2024-03-04T23:59:59"},
    {"id": "CC-NEWS", "name": "not a main crawl"}, "junk",
    {"id": "CC-MAIN-2023-50", "from": "2023-11-28T00:00:00", "to": "2023-12-11T23:59:59"}]).encode()


def test_the_crawls_of_the_window_from_collinfo():
    assert commoncrawl.read_collinfo(COLLINFO, Window()) == ["CC-MAIN-2025-05", "CC-MAIN-2024-10", "CC-MAIN-2023-50"]
    assert commoncrawl.read_collinfo(COLLINFO, Window(date(2024, 3, 1), date(2024, 12, 31))) == ["CC-MAIN-2024-10"]
    assert commoncrawl.read_collinfo(COLLINFO, Window(until=date(2023, 11, 28))) == ["CC-MAIN-2023-50"]
    assert commoncrawl.read_collinfo(b"<html>", Window()) is None
    assert commoncrawl.read_collinfo(b'{"id": 1}', Window()) is None


def test_the_index_query_and_its_page_count():
    url = commoncrawl.index_url("https://index.commoncrawl.org", "CC-MAIN-2024-10", Window(date(2024, 1, 1)))
    parts = urlsplit(url)
    assert parts.path == "/CC-MAIN-2024-10-index"
    assert parse_qsl(parts.query) == [("url", "baohagiang.vn"), ("matchType", "domain"), ("output", "json"),
                                      ("from", "20240101"), ("filter", "=status:200"), ("filter", "=mime:text/html"),
                                      ("showNumPages", "true")]
    page = commoncrawl.index_url("https://index.commoncrawl.org/", "CC-MAIN-2024-10", Window(), page=3)
    assert dict(parse_qsl(urlsplit(page).query))["page"] == "3" and "showNumPages" not in page
    assert commoncrawl.read_num_pages(b'{"pages": 4, "pageSize": 5, "blocks": 17}\n') == 4
    assert commoncrawl.read_num_pages(b"7\n") == 7
    assert [commoncrawl.read_num_pages(b) for b in (b"", b'{"pages": "4"}', b"-1", b"true", b"<html>")] == [None] * 5


def test_index_pages_are_read_line_by_line_and_bad_lines_counted():
    good = {"urlkey": "k", "timestamp": "20240221101010", "url": row()["original"], "mime": "text/html",
            "status": "200", "digest": "D", "length": "1000", "offset": "2000",
            "filename": "crawl-data/CC-MAIN-2024-10/segments/1.0/warc/CC-MAIN-x-00000.warc.gz"}
    lines = [json.dumps(good), "", "{not json", json.dumps([1]), json.dumps({**good, "offset": "-1"}),
             json.dumps({**good, "filename": "https://evil.example/x.warc.gz"}),
             json.dumps({**good, "filename": "crawl-data/../../etc/passwd.warc.gz"}),
             json.dumps({**good, "length": "0"}), json.dumps({k: v for k, v in good.items() if k != "length"}),
             json.dumps(good)]
    rows, bad = commoncrawl.read_index("\n".join(lines).encode())
    assert rows == [good, good] and bad == 7
    assert commoncrawl.located(good) == (good["filename"], 2000, 1000)
    assert commoncrawl.range_header(2000, 1000) == "bytes=2000-2999"
    assert commoncrawl.data_url("https://data.commoncrawl.org/", good["filename"]) == \
        f"https://data.commoncrawl.org/{good['filename']}"


def member(url="https://www.baohagiang.vn/x", payload=b"<html><body>x</body></html>", kind="response") -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.0")
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                          ("Content-Length", str(len(payload)))], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, kind, payload=io.BytesIO(payload), http_headers=headers,
                                                  warc_headers_dict={"WARC-Date": "2024-02-21T10:10:10Z",
                                                                     "WARC-Record-ID": record_id(url, kind)}))
    return out.getvalue()


def record_id(url: str, kind: str) -> str:
    """A fixed id for each record: a random one changes the member's compressed size from call to call,
    hence the parameters below (and pytest-xdist's workers, which must collect the same ids, disagree)."""
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kind + ' ' + url)}>"


def test_a_range_answer_is_one_warc_response_record_read_whole():
    body = member()
    got = commoncrawl.read_member(body, 206, 5000, len(body))
    assert (got.target, got.status, got.payload, got.date) == ("https://www.baohagiang.vn/x", 200,
                                                               b"<html><body>x</body></html>", "2024-02-21T10:10:10Z")
    assert got.member == body and got.record_id.startswith("<urn:uuid:")
    assert dict(got.headers) == {"Content-Type": "text/html; charset=utf-8"}  # its length is the payload's
    # A server that ignored the range sent the whole file: the member is cut out at its offset.
    before = member(url="https://baohagiang.vn/a")
    whole = before + body + member(url="https://baohagiang.vn/b")
    offset = len(before)
    assert commoncrawl.read_member(whole, 200, offset, len(body)).target == "https://www.baohagiang.vn/x"


@pytest.mark.parametrize("body,status,length,problem", [
    (b"<" + bytes(range(1, 200)), 206, 200, "not_warc"),
    (gzip.compress(b"not a warc record at all\r\n\r\n", mtime=0), 206, None, "not_response"),  # warcio reads it as ARC
    (member()[:-10], 206, len(member()), "short"),  # fewer bytes than the row's length
    (member()[:60] + b"\0" * (len(member()) - 60), 206, None, "not_warc"),
    (member(kind="resource"), 206, None, "not_response"),
    (member(), 200, len(member()), "short"),  # "the whole file", smaller than offset + length
], ids=["not gzip", "gzip but not warc", "cut short", "zeros", "a resource record", "whole file too short"])
def test_a_range_answer_that_is_not_one_record_says_why(body, status, length, problem):
    offset = 5000 if status == 200 else 0
    assert commoncrawl.read_member(body, status, offset, length or len(body)) == problem


# ---- what a run from an archive says of itself ------------------------------------------------------

def test_the_progress_line_and_the_summary_say_what_the_backfill_did():
    """Catches an archive run's progress line that says only pages and articles (the archive's own counts
    are what tell a backfill that stalls from one that skips what it holds) and the window called one of
    publication."""
    from scrapy.utils.test import get_crawler

    from bhgcrawl.extensions.progress import Progress
    from bhgcrawl.extensions.summary import archive_figures
    from bhgcrawl.spiders.bhg import BhgSpider
    from tests.helpers import project_settings

    crawler = get_crawler(BhgSpider, project_settings())
    crawler.spider = BhgSpider.from_crawler(crawler, source="wayback", since="2015-01-01", until="2015-12-31")
    stats = crawler.stats
    for name, value in (("captures_listed", 1200), ("articles_new", 400), ("fetched", 350), ("skipped_held", 90),
                        ("failed", 3)):
        stats.set_value(f"bhg/archive/{name}", value)
    stats.min_value("bhg/archive/oldest_capture", "2015-01-03T10:00:00+00:00")
    stats.max_value("bhg/archive/newest_capture", "2015-06-30T23:59:59+00:00")
    line = Progress(crawler, 30).line()
    assert line.endswith(", wayback: 1200 captures listed, 400 articles new, 350 fetched, 90 skipped (already held), "
                         "3 failed, captures reached 2015-01-03T10:00:00+00:00 to 2015-06-30T23:59:59+00:00 "
                         "(capture window 2015-01-01 to 2015-12-31)"), line
    assert archive_figures(stats.get_stats()) == {
        "captures_listed": 1200, "articles_new": 400, "fetched": 350, "skipped_held": 90, "failed": 3,
        "oldest_capture": "2015-01-03T10:00:00+00:00", "newest_capture": "2015-06-30T23:59:59+00:00"}
    assert archive_figures({}) == {"captures_listed": 0, "articles_new": 0, "fetched": 0, "skipped_held": 0,
                                   "failed": 0, "oldest_capture": None, "newest_capture": None}


@pytest.mark.parametrize("why,refused", [
    ("not_html", True), ("another_page", True), ("undecodable", True), ("range_not_warc", True),
    ("range_not_response", True), ("record_http_404", True), ("record_http_302", True),
    ("fetch_http_404", True), ("fetch_http_410", True),
    ("range_short", False), ("fetch_http_503", False), ("fetch_http_429", False), ("fetch_http_500", False),
    ("fetch_DownloadTimeoutError", False), ("fetch_DownloadConnectionRefusedError", False),
])
def test_a_copy_is_refused_for_what_it_is_never_for_how_it_came(why, refused):
    """Catches a timeout or an overloaded archive taken for a bad copy (the earliest capture given up for a
    later one), and an image or another page tried again forever while the article has other captures."""
    assert archives.refuses_the_copy(why) is refused
