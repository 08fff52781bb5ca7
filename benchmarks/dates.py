"""Benchmark 2, dates: `bhgcrawl.dates.parse_timestamp` against `dateparser.parse` (day first, the
site's zone) on every date string of the fixtures and of the site notes.

The strings:
  fixtures  every timestamp the saved copies of the site print or carry: elements classed time/date
            (article, listing, related and comment times), <time datetime>, date <meta> tags,
            JSON-LD datePublished/dateModified, RSS pubDate (fixtures/site, variant-site, variants)
  notes     the forms NOTES.md gives (the site notes): timestamps and full dates; and, reported
            apart, the dates without a year that only a lead's context completes and the strings
            NOTES.md says are *not* dates.

The reference is `dateparser.parse(s, languages=[lang], settings=DATEPARSER_SETTINGS)` with
lang "vi", except for the strings of RSS files (pubDate, lastBuildDate): those are RFC 822 dates,
English by the RSS 2.0 specification, so lang is "en" there. Which one a string used is decided by
the file it comes from, never by what either parser makes of it, and is reported per string; the
count against "vi" alone is reported too.

"Identical" means both find nothing, or both find a time and
  - the string states its offset: the same instant;
  - it states none: the same local date and time, ours in +07:00 and dateparser's in the
    TIMEZONE setting's zone. The zone is then a setting, which we apply as the fixed +07:00 and
    dateparser through the tz database (+08:00 before 1975, so 13.4.1964 is 1964-04-13T00:00+08:00
    there and 1964-04-13T00:00+07:00 here).
Whether the string states an offset is dateparser's own reading: the same call without
RETURN_AS_TIMEZONE_AWARE returns a naive datetime exactly when it found none (with it, every
result is converted into the TIMEZONE zone, so its tzinfo cannot tell). A string that states one
is always compared by instant, so a wrong reading of its offset never counts as identical.

Speed is per call, the best of 3 batches per string, the reference call against ours; the
first-call cost (import and first parse) is measured in fresh interpreters.
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
# The same without RETURN_AS_TIMEZONE_AWARE: naive exactly when the string states no offset.
OFFSET_PROBE_SETTINGS = {k: v for k, v in DATEPARSER_SETTINGS.items() if k != "RETURN_AS_TIMEZONE_AWARE"}
# RFC 822 dates (RSS pubDate, lastBuildDate) are English by the RSS 2.0 specification.
REFERENCE_LANGUAGE = {"rss": "en", "html": "vi", "notes": "vi"}

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


def fixture_strings() -> dict[str, str]:
    """Every distinct date string found in the fixture pages and feeds, in file order, with where
    it comes from: "rss" (an RSS file) or "html"."""
    from lxml import etree, html

    found: dict[str, str] = {}

    def add(value, source="html"):
        value = " ".join((value or "").split())
        if value and any(c.isdigit() for c in value) and len(value) <= 80:
            found.setdefault(value, source)

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
            add(el.text, "rss")
    return found


def _iso(value) -> str | None:
    return getattr(value, "value", value).isoformat() if value is not None else None


def compare(ours, theirs: datetime | None, offset_stated: bool | None) -> tuple[bool, str]:
    """(identical, how compared) for our Timestamp and dateparser's aware datetime; see the module
    docstring. ``offset_stated``: whether dateparser found an offset in the string, None if it
    found no date (then nothing says the offset is absent: instants are compared)."""
    if ours is None or theirs is None:
        return ours is None and theirs is None, "nothing" if ours is None and theirs is None else "one found nothing"
    ours = ours.value
    if offset_stated is not False:
        return ours == theirs, "instant"
    in_zone = getattr(theirs.tzinfo, "zone", None) == DATEPARSER_SETTINGS["TIMEZONE"]
    same_clock = ours.replace(tzinfo=None) == theirs.replace(tzinfo=None)
    return in_zone and ours.utcoffset() == SITE_TZ.utcoffset(None) and same_clock, "local time"


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

    references = {lang: (lambda s, lang=lang: dateparser.parse(s, languages=[lang], settings=DATEPARSER_SETTINGS))
                  for lang in ("vi", "en")}

    def offset_stated(s: str, lang: str) -> bool | None:
        probe = dateparser.parse(s, languages=[lang], settings=OFFSET_PROBE_SETTINGS)
        return None if probe is None else probe.tzinfo is not None

    fixtures = fixture_strings()
    groups = {"fixtures": list(fixtures.items()),
              "notes": [(s, "notes") for s in NOTES_DATED if s not in fixtures],
              "notes_no_year": [(s, "notes") for s in NOTES_NO_YEAR],
              "notes_not_dates": [(s, "notes") for s in NOTES_NOT_DATES]}
    if limit:
        groups = {k: v[:limit] for k, v in groups.items()}
    slow_calls = max(3, calls // 20)
    result: dict = {"settings": DATEPARSER_SETTINGS, "offset_probe_settings": OFFSET_PROBE_SETTINGS,
                    "reference_language": REFERENCE_LANGUAGE, "groups": {}}
    for group, strings in groups.items():
        rows = []
        for s, source in strings:
            lang = REFERENCE_LANGUAGE[source]
            theirs = references[lang]
            ours_value, their_value = parse_timestamp(s), theirs(s)
            stated = offset_stated(s, lang)
            identical, compared = compare(ours_value, their_value, stated)
            row = {
                "string": s,
                "source": source,
                "reference_language": lang,
                "ours": _iso(ours_value),
                "dateparser": _iso(their_value),
                "offset_stated": stated,
                "compared": compared,
                "identical": identical,
            }
            if lang != "vi":  # kept so that the vi-only count hides nothing
                vi_value = references["vi"](s)
                row["dateparser_vi"] = _iso(vi_value)
                row["identical_vi"] = compare(ours_value, vi_value, offset_stated(s, "vi"))[0]
            else:
                row["identical_vi"] = identical
            row["ours_us"] = _per_call(parse_timestamp, s, calls) * 1e6
            row["dateparser_us"] = _per_call(theirs, s, slow_calls) * 1e6
            rows.append(row)
        result["groups"][group] = {
            "strings": len(rows),
            "identical": sum(r["identical"] for r in rows),
            "identical_vi_only": sum(r["identical_vi"] for r in rows),
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
        "identical_vi_only": sum(r["identical_vi"] for r in dated),
        "reference_languages": {lang: sum(r["reference_language"] == lang for r in dated) for lang in ("vi", "en")},
        "compared": {how: sum(r["compared"] == how for r in dated)
                     for how in sorted({r["compared"] for r in dated})},
        "differences": [_why(r) for r in dated if not r["identical"]],
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


def _why(row: dict) -> dict:
    """A difference, as the text reports it."""
    return {k: row[k] for k in ("string", "reference_language", "ours", "dateparser", "compared")}


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
    dated = result["dated"]
    langs = dated["reference_languages"]
    text += (f"\n\nReference: dateparser languages ['vi'] for {langs['vi']} dated strings, ['en'] for the "
             f"{langs['en']} from RSS files (RFC 822, English by the RSS 2.0 specification); vi only: "
             f"{dated['identical_vi_only']}/{dated['strings']} identical. Identical = same instant when the "
             "string states its offset, same local date and time when it does not (dateparser puts the "
             "TIMEZONE setting's tz-database offset on it, +08:00 before 1975; ours is +07:00); compared: "
             + ", ".join(f"{how} {n}" for how, n in dated["compared"].items()) + ".")
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
            lines.append(f"- `{d['string']}`{more}: ours {d['ours']}, dateparser ({d['reference_language']}) "
                         f"{d['dateparser']}, compared by {d['compared']}" + (f". Why: {why}" if why else ""))
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
