"""What the archive holds: `bhgcrawl report`, one self-contained HTML page and the same numbers as JSON.

From the merged dataset (one record per article, `bhgcrawl.dataset`): articles per month (of
`published`, in the site's +07:00) and per section (the first segment of `category`; every category
path is counted too), the months that are empty or low (`GAP_RULE`), the share of articles dated to
the minute and of those with authors, where the records came from (`live`, or the archive named by
`capture.archive`), and every export file that fed it: its run id (the file's stem), its records, the
first and last `crawled_at`, and the finish reason of the run summary beside it (`<run id>.json`).

The page has its charts as inline SVG and its style inline: no script, no request for anything, so
it reads the same offline, from a mail attachment or years from now.
"""

from __future__ import annotations

import html
import json
import statistics
from collections import Counter
from pathlib import Path

from bhgcrawl import __version__
from bhgcrawl.clock import now_utc
from bhgcrawl.dataset import Dataset, FileStats

AROUND = 3  # months before and after a month that it is judged against
LOW_SHARE = 1 / 3
GAP_RULE = (f"The span runs from the first to the last month with an article. A month of the span is empty when "
            f"it has no article, and low when it has fewer than a third of the median of the months around it "
            f"(up to {AROUND} before and {AROUND} after, within the span, empty ones included). The last month "
            f"may be low only because the crawl has not seen all of it yet.")
_BAR, _LOW, _EMPTY, _INK, _GRID = "#3b6ea8", "#d08b1c", "#c0392b", "#222", "#ddd"


def source_of(record: dict) -> str:
    """`live` for a record of a live fetch (`capture` null or absent), else the archive it came from."""
    capture = record.get("capture")
    return capture["archive"] if capture else "live"


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_rows(counts: dict[str, int]) -> list[dict]:
    """Every month of the span with its articles, the median of the months around it and its flag
    (`none`, `low` or null), as `GAP_RULE` says."""
    if not counts:
        return []
    span = _months(min(counts), max(counts))
    values = [counts.get(m, 0) for m in span]
    rows = []
    for i, (month, n) in enumerate(zip(span, values)):
        around = values[max(0, i - AROUND):i] + values[i + 1:i + 1 + AROUND]
        median = statistics.median(around) if around else None
        flag = "none" if n == 0 else ("low" if median is not None and n < median * LOW_SHARE else None)
        rows.append({"month": month, "articles": n, "median_around": median, "flag": flag})
    return rows


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _ranked(counter: Counter) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _run(stats: FileStats) -> dict:
    summary_path = stats.path.with_suffix(".json")
    summary = None
    if summary_path.is_file():
        try:
            summary = json.loads(summary_path.read_text("utf-8"))
        except (OSError, ValueError):
            summary = None
    if not isinstance(summary, dict):
        summary = None
    return {"run": stats.run_id, "file": str(stats.path), "records": stats.records, "invalid": stats.invalid,
            "half_line": stats.half_line, "first_crawled_at": stats.first_crawled_at,
            "last_crawled_at": stats.last_crawled_at, "summary": str(summary_path) if summary else None,
            "finish_reason": summary.get("finish_reason") if summary else None}


def build(ds: Dataset) -> dict:
    """The report's numbers, from one pass over the merged records."""
    months, sections, categories, sources = Counter(), Counter(), Counter(), Counter()
    total = minute = with_authors = 0
    first = last = None
    for record in ds.records():  # in published order
        total += 1
        published = record["published"]
        first = first or published
        last = published
        months[published[:7]] += 1
        sections[record["category"].split("/")[0]] += 1
        categories[record["category"]] += 1
        minute += record["published_precision"] == "minute"
        with_authors += bool(record["authors"])
        sources[source_of(record)] += 1
    rows = month_rows(months)
    return {
        "title": "Báo Hà Giang: what the archive holds",
        "generated": now_utc(),
        "software": f"bhgcrawl {__version__}",
        "inputs": {"files": len(ds.files), "records": ds.read, "older_versions": ds.superseded,
                   "invalid": ds.problems.invalid, "half_lines": ds.problems.half_lines,
                   "left_out": ds.problems.examples},
        "articles": total,
        "published": {"first": first, "last": last},
        "gap_rule": GAP_RULE,
        "months": rows,
        "gaps": {"none": [r["month"] for r in rows if r["flag"] == "none"],
                 "low": [r["month"] for r in rows if r["flag"] == "low"]},
        "sections": _ranked(sections),
        "categories": _ranked(categories),
        "minute_precision": {"articles": minute, "share": _share(minute, total)},
        "with_authors": {"articles": with_authors, "share": _share(with_authors, total)},
        "sources": _ranked(sources),
        "runs": sorted((_run(stats) for stats in ds.files), key=lambda r: (r["run"], r["file"])),
    }


def write(numbers: dict, page: Path, numbers_path: Path) -> None:
    numbers_path.write_text(json.dumps(numbers, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    page.write_text(render(numbers, numbers_path.name), encoding="utf-8")


# ---- the page ---------------------------------------------------------------------------------


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share:.1%}"


def months_svg(rows: list[dict], width: int = 760, height: int = 220) -> str:
    """Bars per month: low months in amber, empty ones marked red under the axis; a tooltip per bar."""
    left, bottom, top = 44, 34, 12
    n = max(len(rows), 1)
    plot_w, plot_h = width - left - 8, height - bottom - top
    step = plot_w / n
    peak = max((r["articles"] for r in rows), default=0) or 1
    base = top + plot_h
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" role="img" '
             f'aria-label="Articles per month">',
             f'<rect width="{width}" height="{height}" fill="#fff"/>']
    for value in sorted({0, (peak + 1) // 2, peak}):
        y = base - plot_h * value / peak
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" stroke="{_GRID}"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{_INK}">{value}</text>')
    for i, row in enumerate(rows):
        x = left + i * step
        label = f"{row['month']}: {row['articles']} article{'' if row['articles'] == 1 else 's'}"
        if row["flag"] == "none":
            parts.append(f'<rect x="{x:.1f}" y="{base + 2}" width="{max(step - 1, 1):.1f}" height="5" '
                         f'fill="{_EMPTY}"><title>{_e(label)} (empty)</title></rect>')
        else:
            h = plot_h * row["articles"] / peak
            color = _LOW if row["flag"] == "low" else _BAR
            parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{max(step - 1, 1):.1f}" height="{h:.1f}" '
                         f'fill="{color}"><title>{_e(label)}{" (low)" if row["flag"] == "low" else ""}</title></rect>')
        if (i == 0 or row["month"].endswith("-01")) and x + 30 <= width:
            parts.append(f'<text x="{x:.1f}" y="{base + 22}" fill="{_INK}">{row["month"][:4]}</text>')
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 8}" y2="{base}" stroke="{_INK}"/></svg>')
    return "".join(parts)


def sections_svg(sections: dict[str, int], width: int = 760) -> str:
    """One horizontal bar per section, largest first, with its count."""
    label_w, row_h = 180, 22
    height = row_h * max(len(sections), 1) + 8
    peak = max(sections.values(), default=0) or 1
    plot_w = width - label_w - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" role="img" '
             f'aria-label="Articles per section">', f'<rect width="{width}" height="{height}" fill="#fff"/>']
    for i, (name, n) in enumerate(sections.items()):
        y = 4 + i * row_h
        w = max(plot_w * n / peak, 1)
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="{_INK}">{_e(name)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{_BAR}">'
                     f'<title>{_e(name)}: {n}</title></rect>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" fill="{_INK}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e('–' if v is None else v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = """
body { font-family: system-ui, sans-serif; color: #222; max-width: 800px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.9em; }
td, th { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; white-space: nowrap; }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; }
.note { color: #555; font-size: 0.9em; }
"""


def flagged_ranges(rows: list[dict]) -> list[list]:
    """Runs of consecutive months with the same flag: [first, last, months, flag, articles]."""
    out: list[list] = []
    for i, row in enumerate(rows):
        if not row["flag"]:
            continue
        if out and out[-1][3] == row["flag"] and rows[i - 1]["flag"] == row["flag"]:
            out[-1][1], out[-1][2], out[-1][4] = row["month"], out[-1][2] + 1, out[-1][4] + row["articles"]
        else:
            out.append([row["month"], row["month"], 1, row["flag"], row["articles"]])
    return out


def render(numbers: dict, numbers_name: str) -> str:
    inputs, gaps = numbers["inputs"], numbers["gaps"]
    flagged = [[first if first == last else f"{first} … {last}", months, "empty" if flag == "none" else "low", n]
               for first, last, months, flag, n in flagged_ranges(numbers["months"])]
    runs = [[r["run"], r["records"], r["first_crawled_at"], r["last_crawled_at"], r["finish_reason"]]
            for r in numbers["runs"]]
    figures = [["articles", numbers["articles"]],
               ["published", f"{numbers['published']['first'] or '–'} … {numbers['published']['last'] or '–'}"],
               ["dated to the minute", f"{_pct(numbers['minute_precision']['share'])} "
                                       f"({numbers['minute_precision']['articles']})"],
               ["with authors", f"{_pct(numbers['with_authors']['share'])} ({numbers['with_authors']['articles']})"],
               ["sources", ", ".join(f"{k}: {v}" for k, v in numbers["sources"].items()) or "–"],
               ["export files read", inputs["files"]],
               ["records read", inputs["records"]],
               ["older versions merged", inputs["older_versions"]],
               ["left out", f"invalid: {inputs['invalid']}, half-written last lines: {inputs['half_lines']}"]]
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{_e(numbers['title'])}</title><style>{_STYLE}</style></head>
<body>
<h1>{_e(numbers['title'])}</h1>
<p class="note">Made {_e(numbers['generated'])} by {_e(numbers['software'])}; the same numbers are in
{_e(numbers_name)}.</p>
{_table(["", ""], figures)}
<h2>Articles per month</h2>
{months_svg(numbers["months"])}
<p class="legend"><span style="background:{_BAR}"></span>articles<span style="background:{_LOW}"></span>low month
<span style="background:{_EMPTY}"></span>empty month</p>
<p class="note">{_e(numbers['gap_rule'])}</p>
<p>{len(gaps['none'])} empty and {len(gaps['low'])} low months.</p>
{_table(["months", "how many", "flag", "articles"], flagged) if flagged else ""}
<h2>Articles per section</h2>
{sections_svg(numbers["sections"])}
<h2>Categories</h2>
{_table(["category", "articles"], [[k, v] for k, v in numbers["categories"].items()])}
<h2>Runs</h2>
<p class="note">Every export file read: its run id (the file's name), its valid records, when it fetched its
first and last page, and how the run ended (from the run summary beside the file, when there is one).</p>
{_table(["run", "records", "first crawled_at", "last crawled_at", "finish reason"], runs)}
</body>
</html>
"""
