"""Shared pieces of the benchmarks: paths, result files, tables, subprocesses, RSS sampling."""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def env(project: bool = True) -> dict[str, str]:
    """The environment of every child process: the project importable, output unbuffered;
    without `project`, no Scrapy project settings either."""
    path = os.environ.get("PYTHONPATH", "")
    out = {**os.environ, "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else ""), "PYTHONUNBUFFERED": "1"}
    if not project:
        out.pop("SCRAPY_SETTINGS_MODULE", None)
        out.pop("SCRAPY_PROJECT", None)
    return out


def machine() -> dict:
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "when": datetime.now(UTC).isoformat(timespec="seconds")}


def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def write_result(out: Path, name: str, result: dict) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return path


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table (it reads as plain text too)."""
    def cell(v) -> str:
        if v is None:
            return "–"
        if isinstance(v, float):
            return f"{v:,.3g}" if abs(v) < 100 else f"{v:,.0f}"
        return str(v)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in cells]
    return "\n".join(lines)


# ---- memory ---------------------------------------------------------------------------------


def _tree_rss_psutil(pid: int) -> int | None:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return None
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _tree_rss_proc(pid: int) -> int | None:
    """The same from /proc (Linux) when psutil is not installed."""
    def children(p: int) -> list[int]:
        out = []
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                out += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
        return out

    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            if p == pid:
                return None
            continue
        todo += children(p)
    return total


if importlib.util.find_spec("psutil") is not None:
    tree_rss = _tree_rss_psutil
    RSS_SAMPLER = "psutil"
else:  # the smoke test runs without the bench extras
    tree_rss = _tree_rss_proc
    RSS_SAMPLER = "/proc"


class RssSampler:
    """Samples the RSS of a process and all its children every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval = pid, interval
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            rss = tree_rss(self.pid)
            if rss:
                self.samples.append(rss)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float | None:
        return max(self.samples) / 2**20 if self.samples else None


def run_measured(cmd: list[str], log: Path, timeout: float, sample_rss: bool = True, cwd: Path = ROOT) -> dict:
    """Run `cmd` in `cwd` (the project root: with the project's settings); wall time, exit code and
    (sampled) peak RSS."""
    with open(log, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env(project=cwd == ROOT), stdout=subprocess.DEVNULL, stderr=err)
        sampler = RssSampler(proc.pid) if sample_rss else None
        try:
            if sampler:
                sampler.__enter__()
            try:
                rc = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                rc = "timeout"
        finally:
            if sampler:
                sampler.__exit__(None, None, None)
        wall = time.perf_counter() - start
    return {"returncode": rc, "wall_s": wall, "peak_rss_mb": sampler.peak_mb if sampler else None,
            "rss_samples": len(sampler.samples) if sampler else 0}


def python() -> str:
    return sys.executable
