import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from devtools.replay import ReplayServer, resolve


@pytest.fixture
def site(tmp_path):
    (tmp_path / "kinh-te").mkdir()
    (tmp_path / "index.html").write_text("<h1>home</h1>", "utf-8")
    (tmp_path / "kinh-te" / "index.html").write_text("page 1", "utf-8")
    (tmp_path / "kinh-te" / "trang-2.html").write_text("page 2", "utf-8")
    (tmp_path / "kinh-te" / "index@page=3.html").write_text("page 3", "utf-8")
    (tmp_path / "kinh-te" / "202401").mkdir()
    (tmp_path / "kinh-te" / "202401" / "mua-0d530c3.html").write_text("bài", "utf-8")
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /tim-kiem\n", "utf-8")
    (tmp_path / "_redirects.json").write_text(json.dumps({"/cu": {"status": 301, "location": "/kinh-te"}}))
    host = tmp_path / "_hosts" / "en.baohagiang.vn" / "Society"
    host.mkdir(parents=True)
    (host / "index.html").write_text("english", "utf-8")
    (tmp_path.parent / "secret.txt").write_text("no", "utf-8")
    return tmp_path


def fetch(url, host=None):
    req = urllib.request.Request(url, headers={"Host": host} if host else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.headers.get("Location") or ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def test_paths_queries_hosts_and_status(site):
    with ReplayServer(site) as srv:
        b = srv.base_url
        assert fetch(b + "/") == (200, "text/html; charset=utf-8", "<h1>home</h1>")
        assert fetch(b + "/kinh-te/")[2] == "page 1"
        assert fetch(b + "/kinh-te/trang-2.html")[2] == "page 2"
        assert fetch(b + "/kinh-te?page=3")[2] == "page 3"
        assert fetch(b + "/kinh-te/202401/mua-0d530c3/")[2] == "bài"
        assert fetch(b + "/robots.txt")[:2] == (200, "text/plain; charset=utf-8")
        assert fetch(b + "/Society", host="en.baohagiang.vn")[2] == "english"
        assert fetch(b + "/Society")[0] == 404
        assert fetch(b + "/cu") == (301, "text/html", "/kinh-te")
        assert fetch(b + "/khong-co")[0] == 404
        assert fetch(b + "/kinh-te?page=9")[0] == 404
        assert [(m, p, s) for m, p, s, _h in srv.requests][:2] == [("GET", "/", 200), ("GET", "/kinh-te/", 200)]
        assert len(srv.requests) == 11


def test_never_serves_outside_its_root(site):
    assert resolve(site, "/../secret.txt") is None
    assert resolve(site, "/%2e%2e/secret.txt") is None
    assert resolve(site, "/_hosts/en.baohagiang.vn/Society") is None


UNIT = "4028eaa4679b32c401679c0c74382a7e"
CATE = "F8E14C52F9643E73E05382FC0367B7F5"


def api_site(root, host=None, n=12, cap=5):
    """A site folder with the listing API: one section of `n` items, newest first, and a page cap."""
    site = root / "_hosts" / host if host else root
    (site / "_api").mkdir(parents=True)
    (site / "_api" / "config.json").write_text(json.dumps({"unit": UNIT, "max_page_size": cap}), "utf-8")
    items = [{"id": f"{i:032x}", "title": f"Bài {i}", "pageUrl": f"/kinh-te/202401/bai-{i}-{i:07x}/",
              "avatar": "", "lead": "", "publishDate": "2024-01-28T09:01:00+07:00", "objectType": "ARTICLE"}
             for i in range(n, 0, -1)]
    (site / "_api" / f"{CATE}.json").write_text(json.dumps({"cate_id": CATE, "items": items}, ensure_ascii=False),
                                                "utf-8")
    return items


def api(base, first=None, size=None, callback=None, cate=CATE, unit=UNIT, host=None,
        path="/service/api/article/list"):
    params = {"scUnitMapId": unit, "saArticleCateId": cate}
    if first is not None:
        params["first"] = first
    if size is not None:
        params["pageSize"] = size
    if callback is not None:
        params["jsonCallback"] = callback
    return fetch(f"{base}{path}?{urlencode(params)}", host=host)


def test_listing_api_slices_caps_and_ends(site):
    items = api_site(site)
    with ReplayServer(site) as srv:
        status, ctype, body = api(srv.base_url, first=0, size=3)
        assert (status, ctype) == (200, "application/json; charset=utf-8")
        assert json.loads(body) == {"response": items[:3]}
        assert json.loads(api(srv.base_url, first=3, size=3)[2])["response"] == items[3:6]
        # The cap (max_page_size 5) holds whatever pageSize asks; a client sees 5 where it asked 50.
        assert json.loads(api(srv.base_url, first=2, size=50)[2])["response"] == items[2:7]
        assert json.loads(api(srv.base_url, first=10, size=5)[2])["response"] == items[10:]
        assert json.loads(api(srv.base_url, first=12, size=5)[2]) == {"response": []}
        assert json.loads(api(srv.base_url, first=999, size=5)[2]) == {"response": []}
        # Defaults: first 0, the configured default page size (10), capped at 5 here.
        assert json.loads(api(srv.base_url)[2])["response"] == items[:5]
        # The newer builds' path answers the same; the id is a hex value, its case does not matter.
        newer = api(srv.base_url, first=1, size=2, cate=CATE.lower(), path="/sc_service/api/article/list/")
        assert json.loads(newer[2])["response"] == items[1:3]


def test_listing_api_jsonp_wrapper(site):
    items = api_site(site)
    with ReplayServer(site) as srv:
        status, ctype, body = api(srv.base_url, first=0, size=2, callback="jQuery3600_1706407260")
        assert (status, ctype) == (200, "application/javascript; charset=utf-8")
        assert body.startswith("jQuery3600_1706407260(") and body.endswith(");")
        assert json.loads(body[len("jQuery3600_1706407260("):-2]) == {"response": items[:2]}
        # Not a name: never echoed into the script; the answer is the error, as plain JSON.
        status, ctype, body = api(srv.base_url, callback="alert(1)//")
        assert ctype == "application/json; charset=utf-8" and "alert" not in body and "erorr" in json.loads(body)


def test_listing_api_errors_are_erorr(site):
    api_site(site)
    with ReplayServer(site) as srv:
        b = srv.base_url
        for answer in (api(b, cate="0" * 32), api(b, cate="../config"), api(b, cate=""), api(b, unit="1" * 32),
                       api(b, first="x"), api(b, first=-1), api(b, size=0)):
            status, _ctype, body = answer
            payload = json.loads(body)
            assert status == 200 and set(payload) == {"erorr"} and payload["erorr"], answer
        status, ctype, body = api(b, cate="0" * 32, callback="cb")
        assert ctype.startswith("application/javascript") and body.startswith("cb({\"erorr\":")


def test_listing_api_only_where_the_served_folder_has_it(site):
    api_site(site, host="baotuyenquang.com.vn", n=3)
    with ReplayServer(site) as srv:
        assert api(srv.base_url)[0] == 404  # the main root has no _api/
        assert len(json.loads(api(srv.base_url, host="baotuyenquang.com.vn")[2])["response"]) == 3
        assert fetch(srv.base_url + "/_redirects.json")[0] == 404
        assert fetch(srv.base_url + "/_hosts/baotuyenquang.com.vn/_api/config.json")[0] == 404


def test_listing_api_under_faults(site):
    items = api_site(site, n=4)
    with ReplayServer(site, faults=1.0, seed=1, fault_classes=["http_503"]) as srv:
        assert api(srv.base_url, first=0, size=2)[0] == 503
        srv.faults = 0.5  # each attempt of the same URL is decided anew: a retry gets through
        for _ in range(40):
            status, _ctype, body = api(srv.base_url, first=0, size=2)
            if status == 200:
                break
        assert json.loads(body) == {"response": items[:2]}
        assert srv.fault_counts["http_503"] >= 1


def test_redirect_rules_belong_to_the_folder_that_serves_the_host(site):
    moved = "/kinh-te/202401/mua-0d530c3"
    (site / "_redirects.json").write_text(json.dumps({
        moved: {"status": 301, "location": f"https://baotuyenquang.com.vn{moved}/"}}))
    succ = site / "_hosts" / "baotuyenquang.com.vn" / "kinh-te" / "202401"
    succ.mkdir(parents=True)
    (succ / "mua-0d530c3.html").write_text("bài ở nhà mới", "utf-8")
    (site / "sitemaps").mkdir()
    (site / "sitemaps" / "a.xml.gz").write_bytes(b"\x1f\x8b")
    with ReplayServer(site) as srv:
        b = srv.base_url
        assert fetch(b + "/kinh-te/202401/mua-0d530c3/")[:2] == (301, "text/html")
        # The old host's rule does not follow the article to the new host: no loop.
        assert fetch(b + "/kinh-te/202401/mua-0d530c3/", host="baotuyenquang.com.vn")[2] == "bài ở nhà mới"
        assert fetch(b + "/sitemaps/a.xml.gz")[1] == "application/gzip"


def test_moved_fault_only_where_the_successor_has_the_page(site):
    with ReplayServer(site, faults=1.0, seed=1, fault_classes=["moved"]) as srv:
        # Falling back to the main root, the successor has the article: moved.
        assert fetch(srv.base_url + "/kinh-te/202401/mua-0d530c3")[0] == 301
        assert fetch(srv.base_url + "/kinh-te/202401/khong-co-1234567")[0] == 404
    (site / "_hosts" / "baotuyenquang.com.vn").mkdir(parents=True)
    with ReplayServer(site, faults=1.0, seed=1, fault_classes=["moved"]) as srv:
        # With its own (empty) folder it has nothing: the article is answered where it is.
        assert fetch(srv.base_url + "/kinh-te/202401/mua-0d530c3")[2] == "bài"
