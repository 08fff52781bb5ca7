"""Test helpers: paths, a real `scrapy crawl` against a replay server, the reference validator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SITE = FIXTURES / "site"  # the main copy of the site, in the real platform's template
# A plain article page's URL, headline and two paragraphs, for the page tests that build their own page.
PLAIN_URL = "https://baohagiang.vn/xa-hoi/201905/trao-qua-cho-ho-ngheo-xa-lung-cu-1a2b3c4"
PLAIN_HEADLINE = "Trao quà cho hộ nghèo xã Lũng Cú"
PLAIN_P1 = ("Mỗi suất quà gồm gạo, dầu ăn, bánh kẹo và tiền mặt, tổng trị giá trên 100 triệu đồng, được trao tận "
            "tay các hộ nghèo trên địa bàn xã.")
PLAIN_P2 = ("Dịp này, đoàn cũng thăm hỏi, động viên các gia đình chính sách, người cao tuổi có hoàn cảnh khó khăn "
            "trên địa bàn xã Lũng Cú, huyện Đồng Văn.")
# ../shared beside the checkout; under `make mutation` the tests run from mutants/, one level deeper.
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "site").is_dir()), ROOT.parent / "shared")
INVENTED_SITE = FIXTURES / "invented-site"  # markup invented before the platform was known: a variant
# Fast and deterministic against 127.0.0.1; politeness settings are tested on their own.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO",
        "-s", "BHG_PROGRESS_INTERVAL=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def reference_validator():
    """jsonschema's Draft 2020-12 validator of the record schema: the reference the crawl's
    compiled check (bhgcrawl.record.schema_error) is held to."""
    from jsonschema import Draft202012Validator

    from bhgcrawl.record import schema

    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


def sample_record(**over) -> dict:
    """A complete, valid record (the seed article, body shortened), with `over` replacing fields."""
    base = {
        "url": "https://baohagiang.vn/thoi-su-chinh-tri/202103/khoi-giao-uoc-785426",
        "article_id": "785426", "category": "thoi-su-chinh-tri", "category_name": "Thời sự - Chính trị",
        "language": "vi", "publisher": "Báo Hà Giang", "title": "Khối giao ước thi đua",
        "published": "2021-03-05T18:34:00+07:00", "published_precision": "minute", "modified": None,
        "lead": "Ngày 5.3, tại Tỉnh đoàn…",
        "event_date": "2021-03-05", "body": "Đoạn một.\n\nĐoạn hai./.", "byline": "Tin, ảnh: LÊ HẢI",
        "authors": ["Lê Hải"], "credits": [{"name": "Lê Hải", "roles": ["text", "photo"]}], "source": None,
        "images": [], "related": [], "tags": [], "crawled_at": "2026-11-25T04:00:00+00:00", "version": 1,
        "fetched_url": "https://baohagiang.vn/thoi-su-chinh-tri/202103/khoi-giao-uoc-785426", "capture": None,
    }
    base.update(over)
    return base


def article_html(title: str, when: str = "09:01, 28/01/2024", lead: str | None = None,
                 paragraphs: tuple[str, ...] = (), byline: str = "Tin, ảnh: LÊ HẢI") -> str:
    """An article page of the site's layout, small: headline, time line, lead, paragraphs, byline."""
    lead = lead or f"BHG - Sáng 27.1, {title.lower()} đã được tổ chức trang trọng tại thành phố Hà Giang."
    paragraphs = paragraphs or (
        f"Tại buổi lễ, các đại biểu đã nghe báo cáo về {title.lower()}, thảo luận và thống nhất nhiệm vụ năm tới.",
        "Dịp này, nhiều tập thể, cá nhân có thành tích xuất sắc đã được biểu dương, khen thưởng./.")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} - Báo Hà Giang</title></head>"
            f"<body><div class='main'><h1>{title}</h1><div class='time'>{when}</div><div class='content'>"
            f"<p><strong>{lead}</strong></p>{body}<p style='text-align:right'><strong>{byline}</strong></p>"
            "</div></div></body></html>")


def write_site(root: Path, files: dict[str, str]) -> Path:
    """A saved site for the replay server (its URL → file rules): `files` maps file paths to their
    text; robots.txt allows everything unless given."""
    files = {"robots.txt": "User-agent: *\nAllow: /\n", **files}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


class CrawlResult:
    def __init__(self, records, summary, log):
        self.records = records
        self.summary = summary
        self.stats = summary.get("stats", {})
        self.log = log

    def by_url(self):
        return {r["url"]: r for r in self.records}


def crawl_command(base_url: str, tmp_path: Path, *args: str, state: Path | None = None) -> list[str]:
    """The `scrapy crawl bhg` of `run_crawl` (every file under `tmp_path`, no -O), for a test that
    starts it itself (to signal it): run with cwd=ROOT and `crawl_env()`."""
    return [sys.executable, "-m", "scrapy", "crawl", "bhg", "-s", f"BHG_BASE_URL={base_url}",
            "-s", f"BHG_FAILED_PAGES_DIR={tmp_path / 'failed'}",
            "-s", f"BHG_FAILURES_PATH={tmp_path / 'failures.jsonl'}",
            "-s", f"BHG_STATE_PATH={state or tmp_path / 'state.sqlite3'}",
            "-s", f"BHG_EXPORT_DIR={tmp_path / 'exports'}", *FAST, *args]


def crawl_env() -> dict[str, str]:
    """A child process's environment: this checkout's code, and never mutmut's MUTANT_UNDER_TEST (a child
    that inherits it looks for mutmut's configuration where it runs, and fails `make mutation`)."""
    env = {k: v for k, v in os.environ.items() if k != "MUTANT_UNDER_TEST"}
    return {**env, "PYTHONPATH": str(ROOT)}


def run_crawl(base_url: str, tmp_path: Path, *args: str, name: str = "crawl", feeds: bool = True,
              state: Path | None = None, check: bool = True, timeout: float = 240) -> CrawlResult:
    """`scrapy crawl bhg` in a subprocess against `base_url`; returns its records, stats and log.

    With `feeds` the records go to `-O <name>.jsonl`; without, to the run's own file under
    `<tmp>/exports` (the default export); `result.path` is the file. The state is
    `<tmp>/state.sqlite3` unless given.
    """
    out = tmp_path / f"{name}.jsonl"
    summary = tmp_path / f"{name}.summary.json"
    export_dir = tmp_path / "exports"
    cmd = crawl_command(base_url, tmp_path, *args, state=state)
    if feeds:
        cmd += ["-O", str(out), "-s", f"BHG_SUMMARY_PATH={summary}"]
    before = set(export_dir.glob("*.json*")) if export_dir.exists() else set()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=crawl_env())
    if check and proc.returncode != 0:
        raise AssertionError(f"crawl failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    if not feeds:
        # The run's own summary beside its export (a run with nothing new leaves the summary alone).
        new = sorted(set(export_dir.glob("*.json")) - before) if export_dir.exists() else []
        summary = new[-1] if new else summary
        out = summary.with_suffix(".jsonl")
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()] if out.exists() else []
    result = CrawlResult(records, json.loads(summary.read_text("utf-8")) if summary.exists() else {}, proc.stderr)
    result.returncode = proc.returncode
    result.path = out
    return result


def project_settings(**overrides) -> dict:
    """The project's settings (bhgcrawl/settings.py, where every default is written once), without a
    state and with the ledger and exports nowhere, then `overrides`: for components built in a test."""
    from bhgcrawl import settings as project

    values = {k: getattr(project, k) for k in dir(project) if k.isupper()}
    values.update(BHG_STATE_PATH="", BHG_FAILURES_PATH="", BHG_FAILED_PAGES_DIR="", BHG_WARC_DIR="")
    values.update(overrides)
    return values


def crawler_with_run(spidercls=None, **settings):
    """A crawler with the project's settings and its run started, as `scrapy crawl` has them before
    the first request; with `spidercls`, its spider built as Scrapy builds it (the spider starts the run)."""
    from scrapy.utils.test import get_crawler

    from bhgcrawl.run import Run

    crawler = get_crawler(spidercls, project_settings(**settings))
    if spidercls is not None:
        crawler.spider = spidercls.from_crawler(crawler)
    else:
        Run.start(crawler)
    return crawler


# ---- export files built by hand (bhgcrawl export and report) ----------------------------------

CRAWLED = "2026-01-01T00:00:00+00:00"


def golden() -> dict[str, dict]:
    """The golden records of the invented site by article id, stamped as a crawl stamps them."""
    out = {}
    for path in sorted((FIXTURES / "expected-invented").glob("*.json")):
        record = json.loads(path.read_text("utf-8"))
        record["crawled_at"] = CRAWLED
        out[record["article_id"]] = record
    return out


def variant(record: dict, **changes) -> dict:
    return {**record, **changes}


def write_export(path: Path, records: list[dict], tail: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) + "\n")
        fh.write(tail)
    return path
