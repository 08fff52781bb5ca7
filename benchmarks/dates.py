"""Benchmark 2, dates: `bhgcrawl.dates.parse_timestamp` against `dateparser.parse` (languages vi,
day first, the site's zone) on every date string of the fixtures and of the site notes.

The strings:
  fixtures  every timestamp the saved copies of the site print or carry: elements classed time/date
            (article, listing, related and comment times), <time datetime>, date <meta> tags,
            JSON-LD datePublished/dateModified, RSS pubDate (fixtures/site, variant-site, variants)
  notes     the forms NOTES.md gives (the site notes): timestamps and full dates; and, reported
            apart, the dates without a year that only a lead's context completes and the strings
            NOTES.md says are *not* dates.
"Identical" means the same instant (both read in +07:00), or both finding nothing. Speed is per
call, the best of 3 batches per string; the first-call cost (import and first parse) is measured
in fresh interpreters.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from datetime import datetime, timedelta, timezone

from benchmarks.common import ROOT, env, median, python, table, verdict

SITE_TZ = timezone(timedelta(hours=7))
TARGET_SPEEDUP = 100.0
DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "TIMEZONE": "Asia/Ho_Chi_Minh", "RETURN_AS_TIMEZONE_AWARE": True}

# From the site notes (shared/site/NOTES.md, "Timestamps" and "Dates inside the text").
NOTES_DATED = ["09:01, 28/01/2024", "Thứ Hai, 20/05/2019, 15:43 (GMT+7)", "13.4.1964", "29.1.2024", "13/4/1964"]
NOTES_NO_YEAR = ["Ngày 5.3", "Chiều 26.1", "sáng 4.11", "tối 28.11", "Ngày 29.2", "31.12", "từ ngày 11 – 14.12",
                 "từ ngày 26.1 đến hết ngày 29.1.2024"]
NOTES_NOT_DATES = ["Quảng trường 26.3", "Quảng trưởng 15.5", "1.726,8 ha", "19.280 tấn", "Năm học 2020-2021",
                   "13/19 tiêu chí"]

# The saved copies of the site. fixtures/bad/ (hostile input: empty and binary pages, dates in the
# future and before 1990) tests refusal, not the site's date formats, and is left out.
SITE_COPIES = ("site", "variant-site", "variants")
_DATE_CLASSES = {"time", "date", "datetime", "date-time", "cm-time", "pubdate", "post-date", "news-date",
                 "publish-date", "published", "timestamp"}
_DATE_META = re.compile(r"(published|modified|updated)_time$|^date|pubdate|publishdate|^dc\.date", re.I)


def fixture_strings() -> list[str]:
    """Every distinct date string found in the fixture pages and feeds, in file order."""
    from lxml import etree, html

    found: dict[str, None] = {}

    def add(value):
        value = " ".join((value or "").split())
        if value and any(c.isdigit() for c in value) and len(value) <= 80:
            found.setdefault(value, None)

    files = sorted(f for d in SITE_COPIES for f in (ROOT / "fixtures" / d).rglob("*") if f.suffix in (".html", ".rss"))
    for file in (f for f in files if f.suffix == ".html"):
        try:
            root = html.fromstring(file.read_bytes())
        except (etree.ParserError, ValueError):
            continue
        for el in root.xpath("//*[@class]"):
            if set(el.get("class").lower().split()) & _DATE_CLASSES:
                add(el.text_content())
        for el in root.iter("time"):
            add(el.get("datetime"))
        for el in root.iter("meta"):
            key = el.get("property") or el.get("name") or el.get("itemprop") or ""
            if _DATE_META.search(key):
                add(el.get("content"))
        for script in root.xpath("//script[@type='application/ld+json']"):
            try:
                data = json.loads(script.text_content())
            except ValueError:
                continue
            for obj in data if isinstance(data, list) else [data]:
                if isinstance(obj, dict):
                    for key in ("datePublished", "dateModified", "dateCreated", "uploadDate"):
                        if isinstance(obj.get(key), str):
                            add(obj[key])
    for file in (f for f in files if f.suffix == ".rss"):
        try:
            feed = etree.fromstring(file.read_bytes())
        except etree.XMLSyntaxError:
            continue
        for el in feed.iter("pubDate", "lastBuildDate"):
            add(el.text)
    return list(found)


def _instant(value) -> datetime | None:
    if value is None:
        return None
    value = getattr(value, "value", value)  # our Timestamp
    if value.tzinfo is None:
        value = value.replace(tzinfo=SITE_TZ)
    return value.astimezone(SITE_TZ)


def _per_call(fn, s: str, calls: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(calls):
            fn(s)
        best = min(best, (time.perf_counter() - start) / calls)
    return best


_FIRST_CALL = """
import json, time
t0 = time.perf_counter()
{imp}
t1 = time.perf_counter()
{call}
t2 = time.perf_counter()
{call}
t3 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "first_call_s": t2 - t1, "second_call_s": t3 - t2}}))
"""
FIRST_CALLS = {
    "bhgcrawl": ("from bhgcrawl.dates import parse_timestamp", lambda s: f"parse_timestamp({s!r})"),
    "dateparser": ("import dateparser",
                   lambda s: f"dateparser.parse({s!r}, languages=['vi'], settings={DATEPARSER_SETTINGS!r})"),
}


def first_call(name: str, s: str, runs: int = 3) -> dict:
    imp, call = FIRST_CALLS[name]
    code = _FIRST_CALL.format(imp=imp, call=call(s))
    results = []
    for _ in range(runs):
        out = subprocess.run([python(), "-c", code], cwd=ROOT, env=env(), capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            return {"error": out.stderr[-500:]}
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {k: median(r[k] for r in results) for k in results[0]}


def run(calls: int = 200, limit: int | None = None, first_call_runs: int = 3) -> dict:
    from bhgcrawl.dates import parse_timestamp

    try:
        import dateparser
    except ImportError as exc:  # a core dependency, but keep the smoke test honest
        return {"error": str(exc)}

    def theirs(s):
        return dateparser.parse(s, languages=["vi"], settings=DATEPARSER_SETTINGS)

    def theirs_en(s):
        return dateparser.parse(s, languages=["vi", "en"], settings=DATEPARSER_SETTINGS)

    fixtures = fixture_strings()
    groups = {"fixtures": fixtures, "notes": [s for s in NOTES_DATED if s not in fixtures],
              "notes_no_year": NOTES_NO_YEAR, "notes_not_dates": NOTES_NOT_DATES}
    if limit:
        groups = {k: v[:limit] for k, v in groups.items()}
    slow_calls = max(3, calls // 20)
    result: dict = {"settings": DATEPARSER_SETTINGS, "groups": {}}
    for group, strings in groups.items():
        rows = []
        for s in strings:
            ours_value, their_value = _instant(parse_timestamp(s)), _instant(theirs(s))
            rows.append({
                "string": s,
                "ours": ours_value.isoformat() if ours_value else None,
                "dateparser": their_value.isoformat() if their_value else None,
                "identical": ours_value == their_value,
                "ours_us": _per_call(parse_timestamp, s, calls) * 1e6,
                "dateparser_us": _per_call(theirs, s, slow_calls) * 1e6,
            })
        result["groups"][group] = {
            "strings": len(rows),
            "identical": sum(r["identical"] for r in rows),
            "ours_us_median": median(r["ours_us"] for r in rows),
            "dateparser_us_median": median(r["dateparser_us"] for r in rows),
            "ours_us_total": sum(r["ours_us"] for r in rows),
            "dateparser_us_total": sum(r["dateparser_us"] for r in rows),
            "rows": rows,
        }
    dated = [r for g in ("fixtures", "notes") for r in result["groups"][g]["rows"]]
    speedup = sum(r["dateparser_us"] for r in dated) / sum(r["ours_us"] for r in dated) if dated else None
    result["dated"] = {
        "strings": len(dated),
        "identical": sum(r["identical"] for r in dated),
        "differences": [_why(r, theirs_en) for r in dated if not r["identical"]],
        "ours_us_median": median(r["ours_us"] for r in dated),
        "dateparser_us_median": median(r["dateparser_us"] for r in dated),
        "speedup_total": speedup,
        "speedup_median": median(r["dateparser_us"] / r["ours_us"] for r in dated),
    }
    sample = NOTES_DATED[0]
    result["first_call"] = {name: first_call(name, sample, first_call_runs) for name in FIRST_CALLS}
    result["first_call"]["string"] = sample
    identical = bool(dated) and result["dated"]["identical"] == len(dated)
    result["targets"] = {
        "identical results on every date string": {"value": f"{result['dated']['identical']}/{len(dated)}",
                                                   "met": identical},
        f"ours >= {TARGET_SPEEDUP:g}x faster per call": {"value": speedup, "shown": _fmt(speedup) + " (total), "
                                                         + _fmt(result["dated"]["speedup_median"]) + " (median)",
                                                         "met": speedup is not None and speedup >= TARGET_SPEEDUP},
    }
    return result


def _why(row: dict, theirs_en) -> dict:
    """A difference, with what explains it when something known does."""
    out = {k: row[k] for k in ("string", "ours", "dateparser")}
    with_en = _instant(theirs_en(row["string"]))
    out["dateparser_vi_en"] = with_en.isoformat() if with_en else None
    if row["dateparser"] is None and out["dateparser_vi_en"] == row["ours"]:
        out["why"] = "dateparser with languages=['vi'] reads no English names; with 'en' too it agrees"
    elif row["ours"] is None and row["dateparser"] and int(row["dateparser"][:4]) < 1990:
        out["why"] = ("ours refuses years before 1990 (no timestamp of the site predates it); dateparser "
                      "also applies Asia/Ho_Chi_Minh's historical +08:00 offset")
    return out


def render(result: dict) -> str:
    if "error" in result:
        return f"dates: skipped ({result['error']})"
    rows = []
    labels = {"fixtures": "fixtures", "notes": "NOTES.md dates", "notes_no_year": "NOTES.md, no year (context needed)",
              "notes_not_dates": "NOTES.md, not dates"}
    for group, g in result["groups"].items():
        if not g["strings"]:
            continue
        rows.append([labels[group], g["strings"], f"{g['identical']}/{g['strings']}", g["ours_us_median"],
                     g["dateparser_us_median"],
                     f"{g['dateparser_us_total'] / g['ours_us_total']:.0f}x" if g["ours_us_total"] else ""])
    text = table(["strings", "n", "identical", "ours µs/call (median)", "dateparser µs/call (median)",
                  "ours faster (total)"], rows)
    fc = result["first_call"]
    fc_rows = [[name, fc[name].get("import_s", 0) * 1000, fc[name].get("first_call_s", 0) * 1000,
                fc[name].get("second_call_s", 0) * 1000] for name in FIRST_CALLS if "error" not in fc[name]]
    text += "\n\nFirst call in a fresh interpreter (ms), `" + fc["string"] + "`:\n"
    text += table(["parser", "import", "first call", "second call"], fc_rows)
    diffs = result["dated"]["differences"]
    if diffs:
        groups: dict[str, list] = {}
        for d in diffs:
            groups.setdefault(d.get("why") or "", []).append(d)
        lines = []
        for why, items in groups.items():
            d = items[0]
            more = f" and {len(items) - 1} more like it" if len(items) > 1 else ""
            lines.append(f"- `{d['string']}`{more}: ours {d['ours']}, dateparser {d['dateparser']}"
                         + (f". Why: {why}" if why else ""))
        text += "\n\nDifferences on dated strings:\n" + "\n".join(lines)
    no_year = result["groups"]["notes_no_year"]["rows"] + result["groups"]["notes_not_dates"]["rows"]
    if no_year:
        found = [r for r in no_year if r["ours"] or r["dateparser"]]
        text += (f"\n\nStrings without a full date (not part of the target): {len(no_year) - len(found)} of "
                 f"{len(no_year)} give nothing in both; " + "; ".join(
                     f"`{r['string']}` → ours {r['ours'] or 'none'}, dateparser {r['dateparser'] or 'none'}"
                     for r in found) + ".")
    text += "\n\n" + "\n".join(f"- {name}: {t.get('shown', _fmt(t['value']))} — {verdict(t['met'])}"
                               for name, t in result["targets"].items())
    return text


def _fmt(value) -> str:
    return f"{value:.0f}x" if isinstance(value, float) else str(value)
