"""The fake Wayback Machine and Common Crawl (devtools/archives.py), over real HTTP on 127.0.0.1.

Expectations are computed from the fakes' capture plans (`.captures`), never hard-coded lists.
"""

import gzip
import io
import json
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import datetime
from urllib.parse import unquote_plus, urlencode

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from devtools.archives import CC_FIELDS, CRAWLS, UPDATE_SENTENCE, WAYBACK_FIELDS, FakeCommonCrawl, FakeWayback, surt
from tests.helpers import INVENTED_SITE as SITE
from tests.helpers import ROOT


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(NoRedirect)


def get(url, headers=None):
    """(status, headers, body) of a GET, redirects not followed."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=5) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def cdx(server, **params):
    status, headers, body = get(f"{server.base_url}/cdx/search/cdx?{urlencode(params, doseq=True)}")
    assert status == 200, body
    return json.loads(body) if params.get("output") == "json" else body.decode()


def rows_of(captures):
    return [[c[name] for name in WAYBACK_FIELDS] for c in captures]


def collapsed(captures, name):
    """The reference collapse: drop a row whose field equals the previous kept row's."""
    out = []
    for c in captures:
        if not out or out[-1][name] != c[name]:
            out.append(c)
    return out


@pytest.fixture(scope="module")
def wayback():
    with FakeWayback(SITE) as server:
        yield server


@pytest.fixture(scope="module")
def commoncrawl():
    with FakeCommonCrawl(SITE) as server:
        yield server


def article(server, predicate):
    return next(c for c in server.captures if c["kind"] == "article" and predicate(c))


# ---- Wayback CDX ----------------------------------------------------------------------------------

def test_json_answer_starts_with_the_field_names_then_rows_of_strings(wayback):
    target = article(wayback, lambda c: c["original"].startswith("http://www.") and ":80" not in c["original"])
    rows = cdx(wayback, url=target["site_url"], output="json")
    assert rows[0] == list(WAYBACK_FIELDS)
    assert rows[1:] == rows_of(c for c in wayback.captures if c["urlkey"] == surt(target["site_url"]))
    assert all(isinstance(v, str) for row in rows[1:] for v in row)
    assert cdx(wayback, url="baohagiang.vn/khong-co-bai-nay", output="json") == []


def test_urlkeys_are_surts():
    assert surt("http://www.baohagiang.vn:80/xa-hoi/202112/a-798044") == "vn,baohagiang)/xa-hoi/202112/a-798044"
    assert surt("https://en.baohagiang.vn/Society/") == "vn,baohagiang,en)/society/"
    assert surt("baohagiang.vn/van-hoa?b=2&a=1") == "vn,baohagiang)/van-hoa?a=1&b=2"


def test_match_types_and_wildcards(wayback):
    everything = cdx(wayback, url="baohagiang.vn", matchType="domain", output="json")[1:]
    assert everything == rows_of(wayback.captures)
    assert cdx(wayback, url="*.baohagiang.vn", output="json")[1:] == everything
    originals = {row[2].split("/")[2] for row in everything}
    assert {"www.baohagiang.vn", "www.baohagiang.vn:80", "baohagiang.vn", "en.baohagiang.vn"} <= originals
    host = cdx(wayback, url="www.baohagiang.vn", matchType="host", output="json")[1:]
    assert host == rows_of(c for c in wayback.captures if c["urlkey"].startswith("vn,baohagiang)/"))
    assert not any("en.baohagiang.vn" in row[2] for row in host)
    prefix = cdx(wayback, url="baohagiang.vn/xa-hoi/", matchType="prefix", output="json")[1:]
    assert prefix == cdx(wayback, url="baohagiang.vn/xa-hoi/*", output="json")[1:]
    assert prefix == rows_of(c for c in wayback.captures if c["urlkey"].startswith("vn,baohagiang)/xa-hoi/"))
    # The trailing-slash and tracking-parameter captures have urlkeys of their own.
    variants = [c for c in wayback.captures if c["original"].endswith("/") or "utm_source" in c["original"]]
    assert variants and all(c["urlkey"] != surt(c["site_url"]) for c in variants if c["kind"] == "article")


def test_resume_key_pages_through_every_row_exactly_once_in_order(wayback):
    # The key skips the rest of its urlkey's second: the plan must never hold two such rows, on either site
    # (the main one keeps the successor's copies of old articles too: captured at the successor's host).
    assert len({(c["urlkey"], c["timestamp"]) for c in wayback.captures}) == len(wayback.captures)
    with FakeWayback(ROOT / "fixtures" / "site") as main:
        assert len({(c["urlkey"], c["timestamp"]) for c in main.captures}) == len(main.captures)
        copies = [c for c in main.captures if c["original"].split("/")[2] == "baotuyenquang.com.vn"
                  and c["site_url"].startswith("https://baohagiang.vn/")]
        assert copies and all(c["urlkey"].startswith("vn,com,baotuyenquang)") for c in copies)
    seen, key, answers = [], None, 0
    while True:
        params = {"url": "baohagiang.vn", "matchType": "domain", "output": "json", "limit": 7, "showResumeKey": "true"}
        rows = cdx(wayback, **params, **({"resumeKey": key} if key else {}))
        answers += 1
        if rows == []:
            break
        assert rows[0] == list(WAYBACK_FIELDS)
        if rows[-2] != []:  # no resume key: the last answer
            seen += rows[1:]
            break
        assert len(rows[-1]) == 1 and len(rows) == 7 + 3
        seen += rows[1:-2]
        key = rows[-1][0]
        assert unquote_plus(key).startswith(rows[-3][0] + " ")
    assert seen == rows_of(wayback.captures)
    assert answers == -(-len(wayback.captures) // 7) + (len(wayback.captures) % 7 == 0)


def test_resume_key_in_plain_text_and_sent_encoded_once_more(wayback):
    text = cdx(wayback, url="baohagiang.vn", matchType="domain", limit=3, showResumeKey="true")
    lines = text.split("\n")
    assert [line.split(" ") for line in lines[:3]] == rows_of(wayback.captures[:3])
    assert lines[3] == "" and lines[4] and lines[5:] == [""]
    # Raw (as the README pastes it) or encoded by a client: the same rows follow.
    raw = get(f"{wayback.base_url}/cdx/search/cdx?url=baohagiang.vn&matchType=domain&limit=3&resumeKey={lines[4]}")[2]
    encoded = cdx(wayback, url="baohagiang.vn", matchType="domain", limit=3, resumeKey=lines[4])
    assert raw.decode() == encoded
    assert [line.split(" ") for line in encoded.splitlines()] == rows_of(wayback.captures[3:6])


def test_collapse_digest_drops_adjacent_duplicates_only(wayback):
    rows = cdx(wayback, url="baohagiang.vn", matchType="domain", collapse="digest", output="json")[1:]
    assert rows == rows_of(collapsed(wayback.captures, "digest"))
    changed = [c for c in wayback.captures if c["site_url"] == article(wayback, lambda c: c["changed"])["site_url"]]
    assert len(changed) == 3 and len({c["digest"] for c in changed}) == 2
    kept = cdx(wayback, url=changed[0]["site_url"], collapse="digest", output="json")[1:]
    assert [row[1] for row in kept] == [changed[0]["timestamp"], changed[1]["timestamp"]]
    by_hour = cdx(wayback, url="baohagiang.vn", matchType="domain", collapse="timestamp:4", output="json")[1:]
    assert by_hour == rows_of(collapsed([c | {"year": c["timestamp"][:4]} for c in wayback.captures], "year"))


def test_revisits_are_listed_and_a_status_filter_drops_them(wayback):
    rows = cdx(wayback, url="baohagiang.vn", matchType="domain", output="json")[1:]
    revisits = [row for row in rows if row[3] == "warc/revisit"]
    assert revisits and all(row[4] == "-" for row in revisits)
    ok = cdx(wayback, url="baohagiang.vn", matchType="domain", filter="statuscode:200", output="json")[1:]
    assert ok == [row for row in rows if row[4] == "200"]
    others = cdx(wayback, url="baohagiang.vn", matchType="domain", filter="!statuscode:200", output="json")[1:]
    assert sorted(others + ok) == sorted(rows) and {row[4] for row in others} == {"-", "301", "404"}


def test_filters_are_whole_value_regexes_anded(wayback):
    rows = rows_of(wayback.captures)
    both = cdx(wayback, url="baohagiang.vn", matchType="domain", output="json",
               filter=["statuscode:200", "!mimetype:text/html"])[1:]
    assert both == [r for r in rows if r[4] == "200" and r[3] != "text/html"]
    assert {r[3] for r in both} == {"image/jpeg", "application/rss+xml"}
    assert cdx(wayback, url="baohagiang.vn", matchType="domain", filter="statuscode:20", output="json") == []
    assert cdx(wayback, url="baohagiang.vn", matchType="domain", filter="original:.*utm_source=.*",
               output="json")[1:] == [r for r in rows if "utm_source=" in r[2]]
    assert cdx(wayback, url="baohagiang.vn", matchType="domain", filter="~original:utm_source",
               output="json")[1:] == [r for r in rows if "utm_source" in r[2]]
    assert get(f"{wayback.base_url}/cdx/search/cdx?url=baohagiang.vn&filter=digest:(")[0] == 400


def test_from_and_to_are_inclusive_timestamp_prefixes(wayback):
    rows = rows_of(wayback.captures)
    in_2021 = cdx(wayback, url="baohagiang.vn", matchType="domain", output="json", **{"from": "2021", "to": "2021"})
    assert in_2021[1:] == [r for r in rows if r[1].startswith("2021")] and len(in_2021) > 2
    span = cdx(wayback, url="baohagiang.vn", matchType="domain", output="json", **{"from": "202103", "to": "20210306"})
    assert span[1:] == [r for r in rows if "202103" <= r[1] and (r[1] <= "20210306" or r[1].startswith("20210306"))]


def test_fl_limit_offset_and_plain_text(wayback):
    rows = cdx(wayback, url="baohagiang.vn", matchType="domain", fl="timestamp,statuscode", limit=4, offset=2,
               output="json")
    assert rows == [["timestamp", "statuscode"]] + [[c["timestamp"], c["statuscode"]] for c in wayback.captures[2:6]]
    last = cdx(wayback, url="baohagiang.vn", matchType="domain", limit=-2, output="json")[1:]
    assert last == rows_of(wayback.captures[-2:])
    text = cdx(wayback, url="baohagiang.vn", matchType="domain")
    assert [line.split(" ") for line in text.splitlines()] == rows_of(wayback.captures)
    assert get(f"{wayback.base_url}/cdx/search/cdx?output=json")[0] == 400


def test_paged_api_and_its_empty_filtered_pages(wayback):
    status, headers, body = get(f"{wayback.base_url}/cdx/search/cdx?url=baohagiang.vn&matchType=domain"
                                "&showNumPages=true")
    pages = int(body)
    assert status == 200 and pages > 3 and headers["X-CDX-Num-Pages"] == str(pages)
    walked = [row for page in range(pages)
              for row in cdx(wayback, url="baohagiang.vn", matchType="domain", page=page, output="json")[1:]]
    assert walked == rows_of(wayback.captures)
    images = [cdx(wayback, url="baohagiang.vn", matchType="domain", page=page, filter="mimetype:image/jpeg",
                  output="json") for page in range(pages)]
    # The quirk: a filtered page can be empty although later pages hold matches.
    first_hit = next(i for i, page in enumerate(images) if page)
    assert first_hit > 0 and images[0] == []
    assert [row for page in images for row in page[1:]] == [r for r in walked if r[3] == "image/jpeg"]
    assert cdx(wayback, url="baohagiang.vn", matchType="domain", page=pages, output="json") == []


def test_gzip_when_the_client_accepts_it(wayback):
    status, headers, body = get(f"{wayback.base_url}/cdx/search/cdx?url=baohagiang.vn&output=json",
                                {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(body))[0] == list(WAYBACK_FIELDS)
    _status, headers, _body = get(f"{wayback.base_url}/cdx/search/cdx?url=baohagiang.vn&gzip=false",
                                  {"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in headers


# ---- Wayback replay -------------------------------------------------------------------------------

def test_exact_capture_is_served_raw_with_memento_headers(wayback):
    capture = article(wayback, lambda c: not c["changed"] and c["statuscode"] == "200")
    status, headers, body = get(f"{wayback.base_url}/web/{capture['timestamp']}id_/{capture['original']}")
    saved = (ROOT / capture["saved_file"]).read_bytes()
    assert (status, headers["Content-Type"], body) == (200, "text/html; charset=utf-8", saved)
    assert headers["Memento-Datetime"].endswith(" GMT") and headers["X-Archive-Src"].endswith(".warc.gz")
    assert f'<{capture["original"]}>; rel="original"' in headers["Link"]
    assert headers["X-Archive-Orig-Content-Length"] == str(len(saved))
    # http/https and www do not matter: the lookup is by urlkey.
    other = "https://" + capture["original"].split("://", 1)[1].replace("www.", "").replace(":80", "")
    assert get(f"{wayback.base_url}/web/{capture['timestamp']}id_/{other}")[2] == saved


def test_other_timestamps_redirect_to_the_nearest_capture(wayback):
    capture = article(wayback, lambda c: c["timestamp"][8:] != "000000")
    siblings = [c for c in wayback.captures if c["urlkey"] == capture["urlkey"]]
    near = capture["timestamp"][:8] + "000000"
    status, headers, _body = get(f"{wayback.base_url}/web/{near}id_/{capture['site_url']}")
    assert status == 302
    assert headers["Location"] == f"{wayback.base_url}/web/{capture['timestamp']}id_/{capture['original']}"
    status, headers, _body = get(f"{wayback.base_url}/web/2099id_/{capture['site_url']}")
    assert status == 302 and f"/web/{siblings[-1]['timestamp']}id_/" in headers["Location"]


def test_revisits_changes_redirects_misses_and_images(wayback):
    def replay(c, mode="id_"):
        return get(f"{wayback.base_url}/web/{c['timestamp']}{mode}/{c['original']}")

    revisit = next(c for c in wayback.captures if c["mimetype"] == "warc/revisit")
    original = next(c for c in wayback.captures if c["urlkey"] == revisit["urlkey"]
                    and c["timestamp"] == revisit["revisit_of"])
    assert replay(revisit)[::2] == (200, replay(original)[2])
    changed = [c for c in wayback.captures if c["changed"]]
    assert UPDATE_SENTENCE.encode() in replay(changed[0])[2]
    assert replay(changed[0])[2] == wayback.payload(changed[0]) != (ROOT / changed[0]["saved_file"]).read_bytes()
    moved = next(c for c in wayback.captures if c["statuscode"] == "301")
    status, headers, _body = replay(moved)
    assert status == 301
    assert headers["Location"] == f"{wayback.base_url}/web/{moved['timestamp']}id_/{moved['location']}"
    assert headers["X-Archive-Orig-Location"] == moved["location"]
    missing = next(c for c in wayback.captures if c["statuscode"] == "404")
    assert replay(missing)[0] == 404 and "Memento-Datetime" in replay(missing)[1]
    image = next(c for c in wayback.captures if c["mimetype"] == "image/jpeg")
    status, headers, body = replay(image)
    assert (status, headers["Content-Type"], body[:3]) == (200, "image/jpeg", b"\xff\xd8\xff")
    status, headers, _body = get(f"{wayback.base_url}/web/2020id_/https://baohagiang.vn/khong-co-bai-nay")
    assert status == 404 and "Memento-Datetime" not in headers
    status, _headers, body = replay(original, mode="")
    assert status == 200 and b"BEGIN WAYBACK TOOLBAR INSERT" in body


# ---- Wayback politeness and faults ----------------------------------------------------------------

def test_429_once_with_retry_after_then_200():
    with FakeWayback(SITE, retry_after_once=1) as server:
        url = f"{server.base_url}/cdx/search/cdx?url=baohagiang.vn&output=json"
        status, headers, _body = get(url)
        assert (status, headers["Retry-After"]) == (429, "1")
        assert get(url)[0] == 200
        assert [r.status for r in server.requests] == [429, 200]
        assert server.statuses[429] == 1 and server.counts["cdx"] == 2 and server.faults["retry_after_once"] == 1
        assert server.requests[0].time <= server.requests[1].time


def test_always_429_throttle_nth_and_503():
    with FakeWayback(SITE, always_429=True) as server:
        assert {get(f"{server.base_url}/web/2021id_/https://baohagiang.vn/")[0] for _ in range(3)} == {429}
        assert server.counts["capture"] == 3 and server.statuses[429] == 3
    with FakeWayback(SITE, throttle_nth=(2,), unavailable=1, retry_after=7) as server:
        url = f"{server.base_url}/cdx/search/cdx?url=baohagiang.vn"
        answers = [get(url) for _ in range(4)]
        assert [a[0] for a in answers] == [503, 429, 200, 200]
        assert answers[0][1]["Retry-After"] == answers[1][1]["Retry-After"] == "7"


def test_cdx_faults():
    with FakeWayback(SITE, truncated_json=1, missing_columns=1, not_json=1) as server:
        url = f"{server.base_url}/cdx/search/cdx?url=baohagiang.vn&matchType=domain&output=json"
        status, headers, body = get(url)
        assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8") and body.startswith(b"<!DOCTYPE")
        status, _headers, body = get(url)
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)
        rows = json.loads(get(url)[2])
        assert len(rows[2]) == len(WAYBACK_FIELDS) - 2 and all(len(r) == len(WAYBACK_FIELDS) for r in rows[3:])
        assert json.loads(get(url)[2]) == [list(WAYBACK_FIELDS)] + rows_of(server.captures)
        assert server.faults == {"not_json": 1, "truncated_json": 1, "missing_columns": 1}


def test_the_changed_article_reads_with_the_update_in_its_body_on_both_sites():
    """The changed capture is the article edited, not bytes after `</html>`: its record's body gains the
    sentence and nothing else changes, in the invented markup and in the platform's."""
    from devtools.golden import golden, record_for
    from tests.helpers import FIXTURES
    from tests.helpers import SITE as MAIN_SITE

    for root, expected in ((SITE, FIXTURES / "expected-invented"), (MAIN_SITE, FIXTURES / "expected")):
        with FakeWayback(root) as server:
            changed = next(c for c in server.captures if c["changed"])
            before = golden(expected)[changed["site_url"]]
            after = record_for(changed["site_url"], server.payload(changed).decode("utf-8"), before["fetched_url"])
        assert {k for k in after if after[k] != before[k]} == {"body"}, root
        paragraphs = after["body"].split("\n\n")
        assert UPDATE_SENTENCE in paragraphs and [p for p in paragraphs if p != UPDATE_SENTENCE] == \
            before["body"].split("\n\n"), root


def test_cdx_skew_lists_captures_a_second_early_and_the_replay_redirects_to_them():
    with FakeWayback(SITE, cdx_skew=2) as server:
        skewed = [c for c in server.captures if "listed_timestamp" in c]
        assert len(skewed) == 2 and all(c["kind"] == "article" and c["statuscode"] == "200" for c in skewed)
        rows = cdx(server, url="baohagiang.vn", matchType="domain", output="json")[1:]
        assert rows == [[c.get("listed_timestamp", c["timestamp"]) if n == "timestamp" else c[n]
                         for n in WAYBACK_FIELDS] for c in server.captures]
        assert rows == cdx(server, url="baohagiang.vn", matchType="domain", output="json")[1:]  # every answer
        for capture in skewed:
            held, listed = (datetime.strptime(capture[k], "%Y%m%d%H%M%S") for k in ("timestamp", "listed_timestamp"))
            assert (held - listed).total_seconds() == 1
            status, headers, _body = get(f"{server.base_url}/web/{capture['listed_timestamp']}id_/"
                                         f"{capture['original']}")
            assert (status, headers["Location"]) == (
                302, f"{server.base_url}/web/{capture['timestamp']}id_/{capture['original']}")


def test_capture_not_html_fault():
    with FakeWayback(SITE, capture_not_html=True) as server:
        capture = article(server, lambda c: c["statuscode"] == "200")
        for _ in range(2):
            status, headers, body = get(f"{server.base_url}/web/{capture['timestamp']}id_/{capture['original']}")
            assert (status, headers["Content-Type"], body[:2]) == (200, "image/jpeg", b"\xff\xd8")
        assert server.faults["capture_not_html"] == 2


# ---- Common Crawl ---------------------------------------------------------------------------------

def index(server, crawl, **params):
    return get(f"{server.base_url}/{crawl}-index?{urlencode(params, doseq=True)}")


def ndjson(body):
    return [json.loads(line) for line in body.decode().splitlines()]


def public(row):
    return {k: row[k] for k in CC_FIELDS if k in row}


def test_collinfo_lists_the_crawls(commoncrawl):
    status, _headers, body = get(f"{commoncrawl.base_url}/collinfo.json")
    crawls = json.loads(body)
    assert status == 200 and [c["id"] for c in crawls] == [c[0] for c in CRAWLS]
    assert all(c["cdx-api"] == f"{commoncrawl.base_url}/{c['id']}-index" and c["name"] for c in crawls)


def test_index_pages_walk_every_row_and_no_page_means_page_0(commoncrawl):
    crawl = CRAWLS[1][0]
    expected = [public(c) for c in commoncrawl.captures if c["crawl"] == crawl]
    status, _h, body = index(commoncrawl, crawl, url="baohagiang.vn", matchType="domain", showNumPages="true")
    info = json.loads(body)
    assert status == 200 and info["pageSize"] == 2 and info["pages"] == -(-info["blocks"] // 2) > 2
    pages = [ndjson(index(commoncrawl, crawl, url="baohagiang.vn", matchType="domain", output="json", page=k)[2])
             for k in range(info["pages"])]
    assert [row for page in pages for row in page] == expected
    assert ndjson(index(commoncrawl, crawl, url="*.baohagiang.vn", output="json")[2]) == pages[0]
    status, _h, body = index(commoncrawl, crawl, url="baohagiang.vn", matchType="domain", page=info["pages"])
    assert status == 400 and "invalid" in json.loads(body)["message"]
    assert list(expected[0]) == [k for k in CC_FIELDS if k in expected[0]]
    assert {"languages", "encoding"} <= set(next(r for r in expected if r["mime"] == "text/html"
                                                and r["status"] == "200"))


def test_index_filters_and_no_captures(commoncrawl):
    crawl = CRAWLS[0][0]
    rows = [public(c) for c in commoncrawl.captures if c["crawl"] == crawl]

    def walk(*filters):
        info = json.loads(index(commoncrawl, crawl, url="baohagiang.vn", matchType="domain", showNumPages="true")[2])
        out = []
        for k in range(info["pages"]):
            status, _h, body = index(commoncrawl, crawl, url="baohagiang.vn", matchType="domain", output="json",
                                     page=k, filter=list(filters))
            out += ndjson(body) if status == 200 else []
        return out

    assert walk("=status:200") == [r for r in rows if r["status"] == "200"]
    assert walk("!=status:200") == [r for r in rows if r["status"] != "200"]
    assert {r["status"] for r in walk("!=status:200")} == {"301", "404"}
    assert walk("~url:https://baohagiang.vn/english") == [r for r in rows if r["url"].startswith(
        "https://baohagiang.vn/english")]
    assert walk("statuscode:30") == [r for r in rows if "30" in r["status"]]
    assert walk("=status:200", "!mime:html") == [r for r in rows if r["status"] == "200" and "html" not in r["mime"]]
    status, _h, body = index(commoncrawl, crawl, url="baohagiang.vn/khong-co", output="json")
    assert status == 404 and json.loads(body) == {"message": "No Captures found for: baohagiang.vn/khong-co"}
    redirect = next(r for r in rows if r["status"] == "301")
    assert redirect["redirect"].startswith("https://baohagiang.vn/") and "/crawldiagnostics/" in redirect["filename"]


def test_range_request_gives_one_gzip_member_holding_one_response_record(commoncrawl):
    row = next(c for c in commoncrawl.captures if c["kind"] == "article" and c["status"] == "200")
    first, length = int(row["offset"]), int(row["length"])
    status, headers, body = get(f"{commoncrawl.base_url}/{row['filename']}",
                                {"Range": f"bytes={first}-{first + length - 1}"})
    assert status == 206 and len(body) == length
    assert headers["Content-Range"].startswith(f"bytes {first}-{first + length - 1}/")
    assert len(gzip.decompress(body)) > length  # one whole member
    records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.http_headers.get_statuscode(),
                r.content_stream().read()) for r in ArchiveIterator(io.BytesIO(body))]
    assert records == [("response", row["url"], "200", (ROOT / row["saved_file"]).read_bytes())]
    whole = get(f"{commoncrawl.base_url}/{row['filename']}")
    assert whole[0] == 200 and whole[2][first:first + length] == body
    size = len(whole[2])
    assert get(f"{commoncrawl.base_url}/{row['filename']}", {"Range": f"bytes={size}-"})[0] == 416
    assert get(f"{commoncrawl.base_url}/crawl-data/nothing.warc.gz")[0] == 404


def test_common_crawl_faults():
    with FakeCommonCrawl(SITE, index_503=1, garbage_range=1, ignore_range=1) as server:
        for crawl, *_rest in CRAWLS:
            status, headers, _body = index(server, crawl, url="baohagiang.vn", output="json")
            assert status == 503 and "Retry-After" not in headers
            assert index(server, crawl, url="baohagiang.vn", output="json")[0] == 200
        assert server.faults["index_503"] == len(CRAWLS) and server.counts["index"] == 2 * len(CRAWLS)
        row = server.captures[0]
        first, length = int(row["offset"]), int(row["length"])
        ranged = {"Range": f"bytes={first}-{first + length - 1}"}
        status, _headers, body = get(f"{server.base_url}/{row['filename']}", ranged)
        assert status == 200 and len(body) > length  # Range ignored: the whole file
        status, _headers, body = get(f"{server.base_url}/{row['filename']}", ranged)
        assert status == 206 and len(body) == length
        with pytest.raises(ArchiveLoadFailed):
            list(ArchiveIterator(io.BytesIO(body)))
        assert get(f"{server.base_url}/{row['filename']}", ranged)[2][:2] == b"\x1f\x8b"
        assert server.faults["garbage_range"] == 1 and server.faults["ignore_range"] == 1


def test_command_line_serves_until_stopped():
    proc = subprocess.Popen([sys.executable, "-m", "devtools.archives", "wayback", "--root", str(SITE),
                             "--fault", "retry_after_once=1"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().split(" on ", 1)[1].split()[0]
        assert get(f"{base}/cdx/search/cdx?url=baohagiang.vn")[0] == 429
        assert get(f"{base}/cdx/search/cdx?url=baohagiang.vn")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=5)
