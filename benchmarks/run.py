"""`make bench`: speed, memory and accuracy against the peers, in one run.

    python -m benchmarks.run                         # everything, default sizes (~8 min on 2 cores)
    python -m benchmarks.run --only extraction,dates
    python -m benchmarks.run --articles 20000 --small-articles 5000 --rounds 2
    python -m benchmarks.run --only dataset --records 200000 --small-records 20000
    python -m benchmarks.run --only api --articles 5000
    python -m benchmarks.run --only archives --year-articles 7300

Writes benchmarks/results/<name>.json (extraction, dates, crawl, memory, incremental, dataset, api, archives) and
benchmarks/results/latest.md (the printed tables) unless --out says elsewhere. Targets are
reported, never asserted: benchmarks are not tests.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks import common

BENCHMARKS = ("extraction", "dates", "crawl", "memory", "incremental", "dataset", "api", "archives")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(BENCHMARKS),
                        help=f"comma-separated subset of {', '.join(BENCHMARKS)} (crawl and memory share runs)")
    parser.add_argument("--articles", type=int, default=20000,
                        help="articles of the big crawl and of the API walk's (default 20000)")
    parser.add_argument("--small-articles", type=int, default=5000, help="articles of the small crawl (default 5000)")
    parser.add_argument("--rounds", type=int, default=1, help="alternating crawl rounds (default 1; api too)")
    parser.add_argument("--page-size", type=int, default=20, help="listing items per page (default 20)")
    parser.add_argument("--repeat", type=int, default=7, help="timed extraction runs per page (default 7)")
    parser.add_argument("--pages", type=int, default=None, help="only the first N fixture pages (extraction)")
    parser.add_argument("--calls", type=int, default=200, help="timed calls per date string, ours (default 200)")
    parser.add_argument("--date-strings", type=int, default=None, help="only the first N strings of each date group")
    parser.add_argument("--records", type=int, default=200000, help="records of the big export (default 200000)")
    parser.add_argument("--small-records", type=int, default=20000,
                        help="records of the small export (default 20000)")
    parser.add_argument("--year-articles", type=int, default=None,
                        help="articles in a year, for the archives' projection (default 7300: about 20 a day)")
    parser.add_argument("--out", type=Path, default=common.RESULTS,
                        help="where results go (default benchmarks/results)")
    args = parser.parse_args(argv)
    only = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(only) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    sections: list[str] = []
    targets: list[list] = []
    started = time.perf_counter()
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])

    def report(title: str, name: str, result: dict, text: str) -> None:
        result = {"benchmark": name, "command": command.strip(), "machine": common.machine(), **result}
        common.write_result(args.out, name, result)
        section = f"### {title}\n\n{text}\n"
        print(section, flush=True)
        sections.append(section)
        for target, t in result.get("targets", {}).items():
            targets.append([title, target, _value(t.get("shown", t["value"])), common.verdict(t["met"])])

    if "extraction" in only:
        from benchmarks import extraction

        print("extraction …", flush=True)
        result = extraction.run(repeat=args.repeat, limit=args.pages)
        report("1. Extraction", "extraction", result, extraction.render(result))
    if "dates" in only:
        from benchmarks import dates

        print("dates …", flush=True)
        result = dates.run(calls=args.calls, limit=args.date_strings)
        report("2. Dates", "dates", result, dates.render(result))
    if "crawl" in only or "memory" in only:
        from benchmarks import crawl

        print(f"crawl: {args.articles} and {args.small_articles} articles, {args.rounds} round(s) …", flush=True)
        throughput, memory = crawl.run(args.articles, args.small_articles, args.rounds, args.page_size,
                                       bare="crawl" in only)
        text = crawl.render(throughput, memory, with_throughput="crawl" in only)
        if "crawl" in only:
            report("3–4. Crawl throughput and memory", "crawl", throughput, text)
        if "memory" in only:
            common.write_result(args.out, "memory", {"benchmark": "memory", "command": command.strip(),
                                                     "machine": common.machine(), **memory})
            if "crawl" not in only:
                report("4. Memory", "memory", memory, text)
            else:
                targets.extend([["3–4. Crawl throughput and memory", t, _value(v.get("shown", v["value"])),
                                 common.verdict(v["met"])] for t, v in memory["targets"].items()])
    if "incremental" in only:
        from benchmarks import incremental

        print("incremental …", flush=True)
        result = incremental.run()
        report("5. Incremental cost", "incremental", result, incremental.render(result))

    if "dataset" in only:
        from benchmarks import dataset

        print(f"dataset: bhgcrawl export on {args.small_records} and {args.records} records …", flush=True)
        result = dataset.run(args.records, args.small_records)
        report("6. One dataset (bhgcrawl export)", "dataset", result, dataset.render(result))

    if "api" in only:
        from benchmarks import api_walk

        print(f"api: full crawls of {args.articles} articles, HTML walk then API walk, {args.rounds} round(s) …",
              flush=True)
        result = api_walk.run(args.articles, args.page_size, args.rounds)
        report("7. Listing API walk (against the HTML walk)", "api", result, api_walk.render(result))
    if "archives" in only:
        from benchmarks import archives

        print("archives: a backfill from each fake archive …", flush=True)
        result = archives.run(args.year_articles or archives.YEAR_ARTICLES)
        report("8. Backfill from the web archives", "archives", result, archives.render(result))

    summary = common.table(["benchmark", "target", "result", "verdict"], targets)
    elapsed = time.perf_counter() - started
    machine = common.machine()
    footer = (f"`{command.strip()}` — {elapsed / 60:.1f} min, Python {machine['python']}, {machine['cpus']} CPUs, "
              f"{machine['when']}")
    print("### Targets\n\n" + summary + "\n\n" + footer, flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.md").write_text("\n".join(sections) + "\n### Targets\n\n" + summary + "\n\n" + footer + "\n",
                                        encoding="utf-8")
    return 0


def _value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
