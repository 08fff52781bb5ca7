"""`bhgcrawl`: the archive's commands for analysts and archivists.

    bhgcrawl export [PATH ...] -o OUT [--format jsonl|csv|parquet] [--since DAY] [--until DAY]
                    [--sections kinh-te,xa-hoi] [--fields url,title,...]
    bhgcrawl report [PATH ...] -o report.html
    bhgcrawl pack [WARC PATH ...] -o bhg-2019.wacz [--since DAY] [--until DAY]

PATH: export files (`*.jsonl`), run folders or whole shards (default: exports/bhg). WARC PATH: WARC
files or folders of them (default: warc). A mistake in the arguments (a missing path, a bad date, an
unknown format or field, an output that cannot be written) is said in one line, with exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from bhgcrawl import __version__, dataset
from bhgcrawl.dataset import UsageError
from bhgcrawl.walks import Window

DEFAULT_EXPORTS = Path("exports/bhg")
DEFAULT_WARC = Path("warc")


class _Parser(argparse.ArgumentParser):
    """argparse's usage errors as one line (argparse prints the usage and exits with 2)."""

    def error(self, message):
        raise UsageError(f"{message} (see {self.prog} --help)", prog=self.prog)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"takes a day as YYYY-MM-DD, not {value!r}") from None


def _sections(value: str) -> tuple[str, ...]:
    names = tuple(c.strip().strip("/") for c in value.split(",") if c.strip().strip("/"))
    if not names:
        raise argparse.ArgumentTypeError("names no section (e.g. --sections kinh-te,xa-hoi)")
    return names


def _window(args) -> Window:
    window = Window(args.since, args.until)
    if window.since and window.until and window.since > window.until:
        raise UsageError(f"--since {window.since} is after --until {window.until}: swap them")
    return window


def _files(paths: list[str]) -> list[Path]:
    if not paths and not DEFAULT_EXPORTS.exists():
        raise UsageError(f"no exports at {DEFAULT_EXPORTS} (the crawler's folder): "
                         "give export files or folders as PATH")
    return dataset.export_files(paths or [DEFAULT_EXPORTS])


def _tell(prog: str, ds: dataset.Dataset) -> str:
    """Print the lines left out (the first few); what was read, as a clause of the summary line."""
    problems = ds.problems
    for example in problems.examples:
        print(f"{prog}: left out {example}", file=sys.stderr)
    if problems.total > len(problems.examples):
        print(f"{prog}: … and {problems.total - len(problems.examples)} more left out", file=sys.stderr)
    clause = (f"{_n(ds.read, 'record')} read from {_n(len(ds.files), 'file')}, "
              f"{_n(ds.superseded, 'older version')} merged")
    if problems.invalid:
        clause += f", {_n(problems.invalid, 'invalid record')} left out"
    if problems.half_lines:
        clause += f", {_n(problems.half_lines, 'half-written last line')} skipped"
    return clause


def _n(count: int, thing: str) -> str:
    return f"{count} {thing}{'' if count == 1 else 's'}"


def _export(args) -> int:
    out = Path(args.output)
    fmt = dataset.format_of(out, args.format)
    fields = dataset.fields_of(args.fields)
    window = _window(args)
    if fmt == "parquet":
        dataset.require_duckdb()
    files = _files(args.paths)
    if out.resolve() in {f.resolve() for f in files}:
        raise UsageError(f"-o {out} is one of the inputs: write the export elsewhere")
    dataset.check_writable(out)
    with dataset.Dataset(files) as ds:
        written = dataset.write(ds.records(window, args.sections or ()), out, fmt, fields, ds.scratch)
        clause = _tell(args.prog, ds)
        print(f"{args.prog}: wrote {written} of {ds.articles} articles to {out} ({fmt}); {clause}", file=sys.stderr)
    return 0


def _report(args) -> int:
    from bhgcrawl import report

    out = Path(args.output)
    if out.suffix.lower() == ".json":
        raise UsageError(f"-o names the HTML page (e.g. report.html); its numbers go beside it as .json, not {out}")
    numbers_out = out.with_suffix(".json")
    files = _files(args.paths)
    dataset.check_writable(out)
    dataset.check_writable(numbers_out)
    with dataset.Dataset(files) as ds:
        numbers = report.build(ds)
        report.write(numbers, out, numbers_out)
        clause = _tell(args.prog, ds)
    print(f"{args.prog}: {numbers['articles']} articles, {len(numbers['gaps']['none'])} empty and "
          f"{len(numbers['gaps']['low'])} low months → {out}, {numbers_out}; {clause}", file=sys.stderr)
    return 0


def _pack(args) -> int:
    from bhgcrawl import pack

    out = Path(args.output)
    if out.suffix.lower() != ".wacz":
        raise UsageError(f"-o {out}: a WACZ package's name ends in .wacz")
    window = _window(args)
    pack.require_wacz()
    paths = args.paths
    if not paths and not DEFAULT_WARC.exists():
        raise UsageError(f"no WARC files at {DEFAULT_WARC}: give WARC files or folders of them as WARC PATH")
    warcs = pack.warc_files(paths or [DEFAULT_WARC])
    dataset.check_writable(out)
    result = pack.pack(warcs, out, window)
    print(f"{args.prog}: {result.summary()} → {out}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="bhgcrawl", description="The archive of Báo Hà Giang: exports, reports and WACZ packages.")
    top.add_argument("--version", action="version", version=f"bhgcrawl {__version__}")
    commands = top.add_subparsers(dest="command", metavar="{export,report,pack}")

    export = commands.add_parser("export", help="one dataset (JSON Lines, CSV or Parquet) out of many exports",
                                 description="Merge exports into one record per article (the latest version).")
    export.add_argument("paths", nargs="*", metavar="PATH", help=f"export files or folders (default {DEFAULT_EXPORTS})")
    export.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write")
    export.add_argument("--format", metavar="FORMAT",
                        help="jsonl, csv or parquet (default: from OUT's suffix, else jsonl)")
    export.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="first publication day (inclusive)")
    export.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="last publication day (inclusive)")
    export.add_argument("--sections", type=_sections, metavar="A,B", help="only these sections and their subsections")
    export.add_argument("--fields", metavar="A,B", help="only these fields, in this order")
    export.set_defaults(run=_export)

    report = commands.add_parser("report", help="what the archive holds: one HTML page and its numbers as JSON",
                                 description="Articles per month and section, gaps, date precision, authors, "
                                             "sources and the runs behind them.")
    report.add_argument("paths", nargs="*", metavar="PATH", help=f"export files or folders (default {DEFAULT_EXPORTS})")
    report.add_argument("-o", "--output", required=True, metavar="report.html",
                        help="the page to write; its numbers go beside it as .json")
    report.set_defaults(run=_report)

    pack = commands.add_parser("pack", help="a WACZ package of the crawler's WARC files, for web-archive players",
                               description="Package WARC files as WACZ 1.1.1 with a page list of their articles.")
    pack.add_argument("paths", nargs="*", metavar="WARC PATH", help=f"WARC files or folders (default {DEFAULT_WARC})")
    pack.add_argument("-o", "--output", required=True, metavar="OUT.wacz", help="the package to write")
    pack.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="list articles published from this day")
    pack.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="list articles published until this day")
    pack.set_defaults(run=_pack)
    return top


def main(argv: list[str] | None = None) -> int:
    prog = "bhgcrawl"
    try:
        args = parser().parse_args(argv)
        if args.command is None:
            raise UsageError("choose a command: export, report or pack (see bhgcrawl --help)")
        prog = args.prog = f"bhgcrawl {args.command}"
        return args.run(args)
    except UsageError as exc:
        print(f"{exc.prog or prog}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the disk, not the arguments: full, gone, not allowed
        print(f"{prog}: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
