"""The replay server's fault mode: deterministic per seed, the rate holds, every class observable
on the wire (urllib and raw sockets), robots.txt never faulted."""

import math
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import urlsplit

import pytest

from bhgcrawl.urls import parse_article_url
from devtools.replay import FAULT_CLASSES, WRONG_TYPES, ReplayServer, decide, resolve
from tests.helpers import INVENTED_SITE as SITE
from tests.helpers import ROOT

ARTICLE = "/thoi-su-chinh-tri/202103/hop-tieu-ban-thong-tin-tuyen-truyen-va-van-dong-bau-cu-785431"
LISTING = "/kinh-te"
TARGETS = [f"/kinh-te/202401/bai-{i:06d}" for i in range(1000)]


def raw_get(server, path, host=None, timeout=3.0):
    """(status, headers, body) read off the socket until the server closes it: sees what a client
    library would hide (a short body, a reset)."""
    with socket.create_connection(server.server_address, timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host or '127.0.0.1'}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def status_of(server, path):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(server.base_url + path, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def served(path):
    """The bytes the site's copy holds for `path?query`."""
    parts = urlsplit(path)
    return resolve(SITE, parts.path, parts.query).read_bytes()


# ---- the decision -----------------------------------------------------------------------------------


def test_decision_is_a_pure_function_of_seed_url_and_attempt():
    first = [decide(7, t, k, 0.3) for t in TARGETS[:200] for k in (1, 2, 3)]
    assert first == [decide(7, t, k, 0.3) for t in TARGETS[:200] for k in (1, 2, 3)]
    assert first != [decide(8, t, k, 0.3) for t in TARGETS[:200] for k in (1, 2, 3)]
    # The attempt counts: a retry is decided afresh, so it can succeed.
    assert [decide(7, t, 1, 0.3) for t in TARGETS] != [decide(7, t, 2, 0.3) for t in TARGETS]


@pytest.mark.parametrize("rate", [0.05, 0.1, 0.3, 0.5])
def test_rate_holds_over_a_thousand_decisions(rate):
    n = sum(decide(1, t, 1, rate) is not None for t in TARGETS)
    assert abs(n - 1000 * rate) <= 4 * math.sqrt(1000 * rate * (1 - rate)), n


def test_retries_fault_independently():
    faulted = [t for t in TARGETS if decide(3, t, 1, 0.3)]
    again = sum(decide(3, t, 2, 0.3) is not None for t in faulted)
    assert abs(again / len(faulted) - 0.3) < 0.1
    assert all(any(decide(3, t, k, 0.3) is None for k in range(2, 12)) for t in faulted)


def test_every_class_is_drawn_about_equally():
    kinds = Counter(f.kind for t in TARGETS for k in (1, 2) if (f := decide(5, t, k, 1.0)))
    assert set(kinds) == set(FAULT_CLASSES)
    assert all(abs(n - 2000 / len(FAULT_CLASSES)) < 80 for n in kinds.values()), kinds


def test_no_faults_at_rate_zero_and_always_at_one():
    assert all(decide(1, t, 1, 0.0) is None for t in TARGETS)
    assert all(decide(1, t, 1, 1.0) is not None for t in TARGETS)
    assert {decide(1, t, 1, 1.0, ("http_503",)).kind for t in TARGETS} == {"http_503"}


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        ReplayServer(SITE, faults=1.5)
    with pytest.raises(ValueError, match="unknown fault classes"):
        ReplayServer(SITE, faults=0.1, fault_classes=("http_999",))


# ---- the server ---------------------------------------------------------------------------------------

PATHS = [ARTICLE, LISTING, "/", "/xa-hoi", "/van-hoa?page=2", "/kinh-te/trang-2.html", "/khong-co",
         "/kinh-te/nong-lam-nghiep/202401/bac-quang-tong-ket-san-xuat-cam-sanh-nien-vu-2023-2024-0d530c3"]


def run_requests(seed, rounds=4):
    outcomes = []
    with ReplayServer(SITE, faults=0.4, seed=seed, slow_seconds=0.05) as server:
        for _ in range(rounds):
            for path in PATHS:
                try:
                    outcomes.append(raw_get(server, path)[0])
                except ConnectionError:
                    outcomes.append("reset")
        return outcomes, list(server.faults_served), dict(server.fault_counts)


def test_server_is_deterministic_per_seed():
    a, b, c = run_requests(11), run_requests(11), run_requests(12)
    assert a == b
    assert a[1] != c[1]
    _outcomes, faults, counts = a
    assert sum(counts.values()) == len(faults) >= 5
    # Exactly what `decide` says, attempt by attempt (loop follow-ups carry no attempt).
    predicted = []
    for k in range(1, 5):
        for path in PATHS:
            article = parse_article_url("https://baohagiang.vn" + urlsplit(path).path) is not None
            classes = FAULT_CLASSES if article else tuple(c for c in FAULT_CLASSES if c != "moved")
            fault = decide(11, path, k, 0.4, classes)
            if fault:
                predicted.append((path, k, fault.kind))
    assert [f for f in faults if f[1] is not None] == predicted


def test_a_retry_of_the_same_url_can_succeed():
    with ReplayServer(SITE, faults=0.5, seed=4, fault_classes=("http_503",)) as server:
        statuses = []
        while not statuses or statuses[-1] != 200:
            statuses.append(status_of(server, ARTICLE)[0])
        first_ok = next(k for k in range(1, 50) if decide(4, ARTICLE, k, 0.5, ("http_503",)) is None)
        assert statuses == [503] * (first_ok - 1) + [200]
        assert server.fault_counts == {"http_503": first_ok - 1}


def test_robots_txt_is_never_faulted():
    with ReplayServer(SITE, faults=1.0, seed=1) as server:
        for _ in range(20):
            status, headers, body = raw_get(server, "/robots.txt")
            assert (status, headers["content-type"]) == (200, "text/plain; charset=utf-8")
            assert body == served("/robots.txt")
        assert server.fault_counts == {}


def test_faults_are_counted_and_logged(tmp_path):
    log = tmp_path / "requests.log"
    with ReplayServer(SITE, faults=1.0, seed=2, fault_classes=("http_502", "empty"), log_file=str(log)) as server:
        for path in PATHS[:4]:
            raw_get(server, path)
        raw_get(server, "/robots.txt")
        counts = dict(server.fault_counts)
    lines = log.read_text().splitlines()
    assert sum(counts.values()) == 4 and set(counts) <= {"http_502", "empty"}
    assert sum(" fault=" in line for line in lines) == 4
    assert lines[0].startswith(f"GET {ARTICLE} ") and " attempt=1 fault=" in lines[0]
    assert lines[4].split()[:3] == ["GET", "/robots.txt", "200"] and "fault=" not in lines[4]
    assert lines[-1].startswith("# fault_counts {")


# ---- every class on the wire ------------------------------------------------------------------------------


def only(kind, **kw):
    return ReplayServer(SITE, faults=1.0, seed=1, fault_classes=(kind,), **kw)


@pytest.mark.parametrize(("kind", "status", "retry_after"), [
    ("http_500", 500, None), ("http_502", 502, None), ("http_503", 503, "1"), ("http_429", 429, "1")])
def test_error_statuses(kind, status, retry_after):
    with only(kind) as server:
        got, headers, body = status_of(server, ARTICLE)
        assert (got, headers.get("Retry-After")) == (status, retry_after)
        assert str(status).encode() in body
        assert server.fault_counts == {kind: 1}


def test_connection_reset():
    with only("reset") as server:
        with pytest.raises(ConnectionResetError):
            raw_get(server, ARTICLE)
        with pytest.raises((ConnectionError, urllib.error.URLError)):
            status_of(server, ARTICLE)
        assert server.fault_counts == {"reset": 2}
        assert server.requests[0][2] == 0  # logged with status 0: nothing was answered


def test_slow_answer_outlasts_a_short_timeout():
    with only("slow", slow_seconds=1.0) as server:
        with pytest.raises(socket.timeout):
            raw_get(server, ARTICLE, timeout=0.3)
        # A lower bound only: the answer is held at least that long (an upper one fails on a loaded machine).
        start = time.perf_counter()
        status, _headers, body = raw_get(server, ARTICLE, timeout=5)
        assert time.perf_counter() - start >= 1.0
        assert (status, body) == (200, served(ARTICLE))
        assert server.fault_counts == {"slow": 2}


def test_truncated_body():
    with only("truncated") as server:
        whole = served(ARTICLE)
        status, headers, body = raw_get(server, ARTICLE)
        assert (status, int(headers["content-length"])) == (200, len(whole))
        assert body == whole[: len(whole) // 2]
        with pytest.raises(Exception, match="IncompleteRead"):
            status_of(server, ARTICLE)


def test_empty_200():
    with only("empty") as server:
        status, headers, body = raw_get(server, ARTICLE)
        assert (status, headers["content-type"], headers["content-length"], body) == (
            200, "text/html; charset=utf-8", "0", b"")


def test_wrong_content_type():
    with only("wrong_type") as server:
        types = set()
        for path in PATHS[:6]:
            status, headers, body = raw_get(server, path)
            assert status == 200 and headers["content-type"] in WRONG_TYPES
            assert body == served(path)
            types.add(headers["content-type"])
        assert types == set(WRONG_TYPES)


def loop_path(odd: bool) -> str:
    return next(p for p in TARGETS if decide(1, p, 1, 1.0, ("redirect_loop",)).variant % 2 == odd)


def test_redirect_loop_growing():
    path = loop_path(odd=False)
    with only("redirect_loop") as server:
        hops = [path]
        for _ in range(5):
            status, headers, _body = raw_get(server, hops[-1])
            assert status == 302
            hops.append(headers["location"])
        assert hops[1:] == [f"{path}?loop={n}" for n in range(1, 6)]
        with pytest.raises(urllib.error.HTTPError, match="redirect"):
            urllib.request.urlopen(server.base_url + path, timeout=5)  # urllib gives up: a loop
        assert server.fault_counts["redirect_loop"] >= 5 + 10


def test_redirect_loop_a_b_a():
    path = loop_path(odd=True)
    with only("redirect_loop") as server:
        status, headers, _ = raw_get(server, path)
        assert (status, headers["location"]) == (302, f"{path}?bounce=1")
        status, headers, _ = raw_get(server, f"{path}?bounce=1")
        assert (status, headers["location"]) == (302, path)
        assert [(p, k) for p, k, _kind in server.faults_served] == [(path, 1), (f"{path}?bounce=1", None)]


def test_article_moved_to_the_successor_host(tmp_path):
    with only("moved") as server:
        status, headers, _ = raw_get(server, ARTICLE)
        assert (status, headers["location"]) == (301, f"https://baotuyenquang.com.vn{ARTICLE}")
        # The successor serves the same paths (the main copy when it has none of its own) and
        # never moves them again.
        status, _headers, body = raw_get(server, ARTICLE, host="baotuyenquang.com.vn")
        assert (status, body) == (200, served(ARTICLE))
        # Only articles move: a listing answers as usual.
        assert raw_get(server, LISTING)[:1] == (200,)
        assert server.fault_counts == {"moved": 1}
    own = tmp_path / "_hosts" / "baotuyenquang.com.vn" / "kinh-te"
    own.mkdir(parents=True)
    (own / "index.html").write_text("báo tuyên quang", "utf-8")
    (tmp_path / "kinh-te").mkdir()
    (tmp_path / "kinh-te" / "index.html").write_text("báo hà giang", "utf-8")
    assert resolve(tmp_path, "/kinh-te", host="baotuyenquang.com.vn").read_text("utf-8") == "báo tuyên quang"
    assert resolve(tmp_path, "/kinh-te").read_text("utf-8") == "báo hà giang"
    assert resolve(SITE, LISTING, host="baotuyenquang.com.vn") == resolve(SITE, LISTING)
    assert resolve(SITE, "/Society", host="en.baohagiang.vn") is not None
    assert resolve(SITE, LISTING, host="evil.example") is None


def test_command_line_run_with_faults():
    probe = ("import sys, urllib.request, urllib.error\n"
             "try: urllib.request.urlopen(sys.argv[1] + '/kinh-te')\n"
             "except urllib.error.HTTPError as e: print(e.code, e.headers['Retry-After'])\n")
    proc = subprocess.run([sys.executable, "-m", "devtools.replay", "run", "--faults", "1", "--seed", "3",
                           "--fault-classes", "http_503", "--", sys.executable, "-c", probe, "{base}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "503 1"
    assert 'faults served: {"http_503": 1}' in proc.stderr
