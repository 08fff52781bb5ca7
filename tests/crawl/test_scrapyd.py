"""The project on a real Scrapyd: deployed with `scrapyd-deploy` through scrapy.cfg's target (its URL
and credentials from the environment), a backfill sharded by year as two jobs that run at once on one
node, each in its window's own state and export folder, and their shards merged by `bhgcrawl export`
into every article of both years, once.

Scrapyd (from the test extra) listens on 127.0.0.1 with basic auth, in folders of the test's own; its
jobs run in its working directory, where the relative default paths land, as on a real node. The
egg is built from a copy of the project, since `setup.py bdist_egg` writes build/ and *.egg-info
beside it.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from devtools.golden import golden
from devtools.replay import ReplayServer
from tests.helpers import FAST, ROOT, SITE

pytestmark = [pytest.mark.crawl, pytest.mark.scrapyd]

BIN = Path(sys.executable).parent  # the venv's console scripts: scrapyd, scrapyd-deploy, bhgcrawl
USER, PASSWORD = "bhg", "s3cret-for-the-test"
YEARS = (2023, 2024)  # 13 and 7 golden articles of the site's hosts
# Only what a deploy reads: the package and its metadata (pyproject's readme is README.md).
PROJECT_FILES = ("bhgcrawl", "pyproject.toml", "setup.py", "scrapy.cfg", "README.md")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Node:
    """A Scrapyd server of the test's own, and its JSON API."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = folder / "scrapyd.out"
        folder.mkdir()
        # items_dir empty, as Scrapyd ships it: each job writes its own export in its window's folder
        # (a feed per job instead would hold only its new records, and jobs_to_keep deletes old feeds).
        (folder / "scrapyd.conf").write_text(f"""[scrapyd]
bind_address = 127.0.0.1
http_port = {self.port}
username = {USER}
password = {PASSWORD}
eggs_dir = {folder / 'eggs'}
logs_dir = {folder / 'logs'}
dbs_dir = {folder / 'dbs'}
items_dir =
jobs_to_keep = 5
max_proc = 2
poll_interval = 0.2
""", encoding="utf-8")

    def start(self) -> Node:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")}
        with open(self.log, "wb") as out:
            # A session of its own: the jobs it spawns are stopped with it, whatever the test's end.
            self.proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=self.folder, env=env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while True:
            try:
                if self.get("daemonstatus.json")["status"] == "ok":
                    return self
            except (OSError, ValueError):
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"scrapyd did not start:\n{self.tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def tail(self) -> str:
        return self.log.read_text("utf-8", errors="replace")[-4000:] if self.log.exists() else ""

    def request(self, endpoint: str, data: list[tuple[str, str]] | None = None, auth: bool = True) -> dict:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.url + endpoint, data=body)
        if auth:
            req.add_header("Authorization", "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
        with urllib.request.urlopen(req, timeout=10) as answer:
            return json.loads(answer.read())

    def get(self, endpoint: str, **query) -> dict:
        return self.request(f"{endpoint}?{urllib.parse.urlencode(query)}" if query else endpoint)


@pytest.fixture
def node(tmp_path):
    node = Node(tmp_path / "node")
    try:
        yield node.start()
    finally:
        node.stop()


def deploy(project: Path, node: Node) -> subprocess.CompletedProcess:
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / name)
    env = {**os.environ, "SCRAPYD_URL": node.url, "SCRAPYD_USERNAME": USER, "SCRAPYD_PASSWORD": PASSWORD}
    return subprocess.run([str(BIN / "scrapyd-deploy"), "-v", "test-1"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=60)


def year_job(node: Node, year: int, base_url: str) -> str:
    settings = [f"BHG_BASE_URL={base_url}", *FAST[1::2]]  # FAST is -s NAME=VALUE pairs
    answer = node.request("schedule.json", [
        ("project", "bhgcrawl"), ("spider", "bhg"), ("since", f"{year}-01-01"), ("until", f"{year}-12-31"),
        *(("setting", s) for s in settings)])
    assert answer["status"] == "ok", answer
    return answer["jobid"]


def wait_finished(node: Node, jobs: list[str], timeout: float = 60) -> dict[str, dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        finished = {j["id"]: j for j in node.get("listjobs.json", project="bhgcrawl")["finished"]}
        if set(jobs) <= set(finished):
            return finished
        time.sleep(0.3)
    raise AssertionError(f"jobs not finished in {timeout} s:\n{node.tail()}")


def test_two_year_jobs_on_one_scrapyd_node_give_every_article_of_both_years_once(node, tmp_path):
    with pytest.raises(urllib.error.HTTPError) as refused:
        node.request("listprojects.json", auth=False)
    assert refused.value.code == 401

    deployed = deploy(tmp_path / "project", node)
    assert deployed.returncode == 0, deployed.stderr
    answer = json.loads(deployed.stdout)
    assert (answer["status"], answer["project"], answer["version"], answer["spiders"]) == \
        ("ok", "bhgcrawl", "test-1", 1), answer
    assert node.get("listspiders.json", project="bhgcrawl")["spiders"] == ["bhg"]

    site_articles = {u: r for u, r in golden().items() if urlsplit(u).hostname != "baotuyenquang.com.vn"}
    expected = {u for u, r in site_articles.items() if int(r["published"][:4]) in YEARS}
    assert len(expected) == 20

    with ReplayServer(SITE) as server:
        jobs = [year_job(node, year, server.base_url) for year in YEARS]
        finished = wait_finished(node, jobs)

    logs = {job: (node.folder / "logs/bhgcrawl/bhg" / f"{job}.log").read_text("utf-8") for job in jobs}
    for job, year in zip(jobs, YEARS):
        window = f"{year}-01-01_{year}-12-31"
        # The defaults, relative to Scrapyd's working directory: the window's own state and exports.
        assert f"state: {node.folder / 'state' / f'bhg-{window}.sqlite3'}" in logs[job], logs[job][-3000:]
        assert "finished: " in logs[job] and " ERROR: " not in logs[job], logs[job][-3000:]
        assert list((node.folder / "exports" / f"bhg-{window}").glob("*.jsonl")), logs[job][-3000:]
    # Side by side, not one after the other: neither waited for the other's state.
    (a_start, a_end), (b_start, b_end) = (
        (datetime.fromisoformat(finished[j]["start_time"]), datetime.fromisoformat(finished[j]["end_time"]))
        for j in jobs)
    assert b_start < a_end and a_start < b_end, [finished[j] for j in jobs]

    # The shards, collected in one place as from several nodes, merged into one dataset.
    shards = tmp_path / "shards"
    for year in YEARS:
        shutil.copytree(node.folder / "exports" / f"bhg-{year}-01-01_{year}-12-31",
                        shards / "node" / f"bhg-{year}-01-01_{year}-12-31")
    merged = tmp_path / "all.jsonl"
    proc = subprocess.run([str(BIN / "bhgcrawl"), "export", str(shards), "-o", str(merged)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    urls = [json.loads(line)["url"] for line in merged.read_text("utf-8").splitlines()]
    assert sorted(urls) == sorted(expected)
    assert len(urls) == len(set(urls)) == 20
