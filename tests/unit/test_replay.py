import json
import urllib.error
import urllib.request

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
            return r.status, r.headers.get("Content-Type"), r.read().decode()
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
