"""Benchmark 6, one dataset out of many exports: `bhgcrawl export` on 20,000 and 200,000 records.

The records are the 41 golden records (fixtures/expected/) with new URLs, ids, titles and dates,
written as ten run files laid out as two shards copied back (`shard-a/exports/bhg/<run>.jsonl`,
`shard-b/…`). One record in ten is an article of an earlier line again, as version 2, so the merge has
versions to decide between. `bhgcrawl export` runs on them in its own process, as JSON Lines and (when
DuckDB is installed) as Parquet, with its RSS (and its children's) sampled every 0.1 s. The export
keeps its index of best versions in a SQLite file, so its memory should not grow with the records.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.common import ROOT, RSS_SAMPLER, python, run_measured, table, verdict

GROWTH_TARGET = 0.15
FILES = 10
REPEAT_EVERY = 10  # one record in this many is a version 2 of an earlier article
_SITE_ZONE = timezone(timedelta(hours=7))
_FIRST = datetime(2015, 1, 1, 6, 0, tzinfo=_SITE_ZONE)
_STEP = timedelta(minutes=37)


def _templates() -> list[dict]:
    paths = sorted((ROOT / "fixtures" / "expected").glob("*.json"))
    return [json.loads(p.read_text("utf-8")) for p in paths]


def _record(templates: list[dict], i: int, version: int, crawled_at: str) -> dict:
    record = dict(templates[i % len(templates)])
    host = urlsplit(record["url"]).netloc
    published = _FIRST + i * _STEP
    article_id = f"{i:07x}"
    record.update(
        url=f"https://{host}/{record['category']}/{published:%Y%m}/ban-tin-so-{i}-{article_id}",
        article_id=article_id, title=f"{record['title']} ({i})", published=published.isoformat(),
        published_precision="minute", modified=None, version=version, crawled_at=crawled_at)
    record["fetched_url"] = record["url"]
    return record


def generate(folder: Path, records: int) -> int:
    """Write `records` records in FILES run files below `folder`; the number of articles among them."""
    templates = _templates()
    articles = written = 0
    per_file = -(-records // FILES)
    for f in range(FILES):
        run = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=f)
        path = folder / ("shard-a" if f % 2 == 0 else "shard-b") / "exports" / "bhg" / f"{run:%Y%m%dT%H%M%SZ}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            for j in range(min(per_file, records - written)):
                crawled_at = (run + timedelta(seconds=j)).isoformat(timespec="seconds")
                if written % REPEAT_EVERY == REPEAT_EVERY - 1 and articles:
                    record = _record(templates, (written * 7919) % articles, 2, crawled_at)
                else:
                    record = _record(templates, articles, 1, crawled_at)
                    articles += 1
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    return articles


def _written(out: Path, fmt: str) -> int:
    if not out.exists():
        return 0
    if fmt == "parquet":
        import duckdb

        return duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
    with open(out, "rb") as fh:
        return sum(1 for _ in fh)


def export_once(folder: Path, work: Path, fmt: str, timeout: float) -> dict:
    out = work / f"out.{fmt}"
    cmd = [python(), "-m", "bhgcrawl.cli", "export", str(folder), "-o", str(out), "--format", fmt]
    measured = run_measured(cmd, work / f"export-{fmt}.stderr.log", timeout)
    written = _written(out, fmt)
    out.unlink(missing_ok=True)
    return {**measured, "format": fmt, "written": written}


def run(records: int = 200000, small: int = 20000, timeout: float = 1800, progress=print) -> dict:
    formats = ["jsonl"] + (["parquet"] if importlib.util.find_spec("duckdb") else [])
    runs = []
    for n in dict.fromkeys((small, records)):
        work = Path(tempfile.mkdtemp(prefix="bhg-bench-dataset-"))
        try:
            articles = generate(work / "in", n)
            for fmt in formats:
                result = {"records": n, "articles": articles, **export_once(work / "in", work, fmt, timeout)}
                result["complete"] = result["returncode"] == 0 and result["written"] == articles
                result["records_per_s"] = n / result["wall_s"] if result["wall_s"] else None
                runs.append(result)
                progress(f"  export {n} records → {fmt}: {result['written']}/{articles} articles, "
                         f"{result['wall_s']:.1f} s, peak RSS {result['peak_rss_mb'] or 0:.0f} MB")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return _result(runs, records, small, formats)


def _result(runs: list[dict], records: int, small: int, formats: list[str]) -> dict:
    def peak(fmt, n):
        return next((r["peak_rss_mb"] for r in runs if r["format"] == fmt and r["records"] == n), None)

    growth = {}
    for fmt in formats:
        big, little = peak(fmt, records), peak(fmt, small)
        growth[fmt] = big / little - 1 if big and little else None
    complete = all(r["complete"] for r in runs)
    targets = {f"peak RSS growth <= {GROWTH_TARGET:.0%} from {small} to {records} records ({fmt})":
               {"value": g, "shown": f"{g:+.1%}" if g is not None else None,
                "met": None if g is None else g <= GROWTH_TARGET}
               for fmt, g in growth.items()}
    targets["every export wrote every article"] = {"value": complete, "shown": "yes" if complete else "no",
                                                   "met": complete}
    return {"sampler": RSS_SAMPLER, "interval_s": 0.1, "records": records, "small": small, "formats": formats,
            "peak_rss_mb": {fmt: {str(n): peak(fmt, n) for n in (small, records)} for fmt in formats},
            "growth": growth, "runs": runs, "targets": targets}


def render(result: dict) -> str:
    rows = [[r["records"], r["articles"], r["format"], r["wall_s"], r["records_per_s"], r["peak_rss_mb"]]
            for r in result["runs"]]
    text = table(["records", "articles", "format", "wall s", "records/s", "peak RSS MB"], rows)
    growth = ", ".join(f"{fmt} {g:+.1%}" for fmt, g in result["growth"].items() if g is not None)
    text += (f"\n\nRSS of `bhgcrawl export` sampled every 0.1 s ({result['sampler']}); growth {result['small']} → "
             f"{result['records']} records: {growth or '–'}")
    text += "\n\n" + "\n".join(f"- {name}: {t['shown'] or '–'} — {verdict(t['met'])}"
                               for name, t in result["targets"].items())
    return text
