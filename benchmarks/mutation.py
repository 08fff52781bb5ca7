"""`make mutation`: mutmut over the pure modules with the unit tests, and the score of each module.

    python -m benchmarks.mutation                  a fresh run (mutants/ rebuilt), then the scores
    python -m benchmarks.mutation --incremental    keep mutants/: mutmut re-runs only what changed
    python -m benchmarks.mutation --report         no run: the scores of the last run in mutants/

mutmut does the work (configuration: `[tool.mutmut]` in pyproject.toml); this script reads what it left
in `mutants/<module>.meta` and writes, per module, total / killed / timeout / survived / no tests /
equivalent to `benchmarks/results/mutation.json`, and the same as a table to
`benchmarks/results/mutation.md`.

score = (killed + timeout) / (total - equivalent). A timeout is a mutant the tests caught looping; a
mutant no test reaches ("no tests") counts as not caught. Equivalent mutants are those listed, with the
reason, in tests/equivalent_mutants.md: no input tells them apart from the code, so no test can kill them.
A listed mutant that was killed, or that no longer exists, is reported as stale rather than counted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
RESULTS = ROOT / "benchmarks" / "results"
EQUIVALENT_LIST = ROOT / "tests" / "equivalent_mutants.md"
# The score every module of `[tool.mutmut] only_mutate` is held to.
TARGET = 0.90

# mutmut's exit codes of a mutant's test run (mutmut/stats.py), in the classes reported here.
_STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no_tests", 33: "no_tests", 36: "timeout",
           24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout", 34: "skipped", None: "not_checked"}
_MUTANT_ID = re.compile(r"`(bhgcrawl\.[^`\s]+__mutmut_\d+)`")


def configured_modules() -> list[str]:
    """The files `[tool.mutmut] only_mutate` names, globs expanded, as paths from the repository root."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    found: list[str] = []
    for pattern in config["only_mutate"]:
        for path in sorted(ROOT.glob(pattern)):
            rel = path.relative_to(ROOT).as_posix()
            if rel not in found:
                found.append(rel)
    return found


def equivalent_ids(path: Path = EQUIVALENT_LIST) -> set[str]:
    """The mutant ids written in backquotes in the list of equivalent mutants."""
    return set(_MUTANT_ID.findall(path.read_text("utf-8"))) if path.exists() else set()


def module_scores(module: str, exit_codes: dict[str, int | None], equivalent: set[str]) -> dict:
    statuses = {name: _STATUS.get(code, "suspicious") for name, code in exit_codes.items()}
    counts = dict.fromkeys(("killed", "timeout", "survived", "no_tests", "suspicious", "skipped", "not_checked"), 0)
    for status in statuses.values():
        counts[status] += 1
    undetected = {n for n, s in statuses.items() if s in ("survived", "no_tests")}
    listed = {n for n in equivalent if n in statuses}
    equivalent_here = listed & undetected
    total = len(statuses)
    caught = counts["killed"] + counts["timeout"]
    denominator = total - len(equivalent_here)
    return {
        "module": module,
        "total": total,
        **counts,
        "equivalent": len(equivalent_here),
        "score": round(caught / denominator, 4) if denominator else None,
        # Listed as equivalent but caught by a test: the list is out of date.
        "stale_equivalent": sorted(listed - equivalent_here),
        "survivors": sorted(undetected - equivalent_here),
    }


def read_results(modules: list[str]) -> tuple[list[dict], list[str]]:
    """The scores of each module from mutmut's files, and the listed equivalent mutants that do not exist."""
    equivalent = equivalent_ids()
    rows, names = [], set()
    for module in modules:
        meta = MUTANTS / (module + ".meta")
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"] if meta.exists() else {}
        names.update(codes)
        rows.append(module_scores(module, codes, equivalent))
    return rows, sorted(equivalent - names)


def table(rows: list[dict]) -> str:
    head = ("module", "total", "killed", "timeout", "survived", "no tests", "equivalent", "score")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        score = "n/a" if r["score"] is None else f"{r['score']:.1%}"
        lines.append(f"| {r['module']} | {r['total']} | {r['killed']} | {r['timeout']} | {r['survived']} | "
                     f"{r['no_tests']} | {r['equivalent']} | {score} |")
    return "\n".join(lines)


def run_mutmut(max_children: int, incremental: bool) -> float:
    """mutmut run with its progress in mutants/mutmut-run.log; returns the wall time in seconds."""
    if not incremental and MUTANTS.exists():
        shutil.rmtree(MUTANTS)
    MUTANTS.mkdir(exist_ok=True)
    log = MUTANTS / "mutmut-run.log"
    mutmut = Path(sys.executable).with_name("mutmut")
    print(f"mutmut run --max-children {max_children} (progress in {log.relative_to(ROOT)})", flush=True)
    start = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.run([str(mutmut), "run", "--max-children", str(max_children)], cwd=ROOT,
                              stdout=out, stderr=subprocess.STDOUT,
                              # One set and dict order in every run: the same code gives the same score.
                              env={**os.environ, "PYTHONHASHSEED": "0"})
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        tail = log.read_text("utf-8", errors="replace")[-3000:]
        raise SystemExit(f"mutmut run failed ({proc.returncode}); end of {log}:\n{tail}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-children", type=int, default=2, help="mutmut worker processes (default 2)")
    parser.add_argument("--incremental", action="store_true", help="keep mutants/ from the last run")
    parser.add_argument("--report", action="store_true", help="no run, only the scores of the last one")
    args = parser.parse_args(argv)

    modules = configured_modules()
    elapsed = None if args.report else run_mutmut(args.max_children, args.incremental)
    rows, missing = read_results(modules)
    text = table(rows)
    print(text)
    for r in rows:
        if r["stale_equivalent"]:
            print(f"{r['module']}: listed as equivalent but killed: {', '.join(r['stale_equivalent'])}")
    if missing:
        print(f"listed as equivalent but no such mutant: {', '.join(missing)}")
    missed = [r["module"] for r in rows if (r["score"] or 0) < TARGET]
    print(f"target {TARGET:.0%} in every module: " + (f"not met in {', '.join(missed)}" if missed else "met"))

    if args.report and elapsed is None and (RESULTS / "mutation.json").exists():
        elapsed = json.loads((RESULTS / "mutation.json").read_text("utf-8")).get("seconds")
    import mutmut

    summary = {
        "tool": f"mutmut {mutmut.__version__}",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "max_children": args.max_children,
        "seconds": None if elapsed is None else round(elapsed, 1),
        "score": "(killed + timeout) / (total - equivalent)",
        "target": {"score": TARGET, "modules": modules},
        "equivalent_listed_but_missing": missing,
        "modules": {r["module"]: {k: v for k, v in r.items() if k != "module"} for r in rows},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "mutation.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", "utf-8")
    minutes = "" if elapsed is None else f", {elapsed / 60:.1f} min"
    (RESULTS / "mutation.md").write_text(
        f"Mutation score per module ({summary['tool']}, {args.max_children} workers{minutes}; "
        f"score = {summary['score']}):\n\n{text}\n", "utf-8")
    print(f"wrote {(RESULTS / 'mutation.json').relative_to(ROOT)} and {(RESULTS / 'mutation.md').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
