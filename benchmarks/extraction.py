"""Benchmark 1, extraction: every fixture article page through our page objects, trafilatura and
newspaper4k, in the same process, the libraries taking turns page by page.

Speed: for each page the median of `repeat` timed calls (after one untimed warm-up pass), then the
median over pages (ms/page) and pages / the sum of the per-page medians (pages/s). Our bounded
caches (class names, short texts, URLs) are put, before each timed call, in the state a crawl
leaves them in: emptied, then filled by extracting the previous page, untimed. So what repeats
from page to page (menus, class names) is cached, and nothing of the page being timed is; the
peers keep whatever they cache, which only favours them.

Accuracy against our golden records (fixtures/expected/) and, as an independent check, against
the generator's truth (fixtures/site-truth.json):
  title       exact (NFC, whitespace collapsed)
  published   the same instant to the minute (a library that gives a date only is read as 00:00
              of that day in +07:00, as are naive datetimes)
  authors     the same list of persons (order ignored, NFC)
  body        token F1 of the article's text (lead + body, as the peers do not separate the
              lead) against the golden lead + body; tokens are casefolded \\w+ runs
"""

from __future__ import annotations

import gc
import json
import re
import sys
import time
import unicodedata
import warnings
from collections import Counter
from datetime import date, datetime, timedelta, timezone

from benchmarks.common import ROOT, median, ratio, table, verdict

SITE_TZ = timezone(timedelta(hours=7))
TARGETS = {"trafilatura": 3.0, "newspaper4k": 10.0}
F1_TARGET = 0.98


# ---- the libraries: (url, html) → {"title", "published", "authors", "text"} ---------------------


def ours():
    from bhgcrawl.pages.article import ArticlePage

    def extract(url, html):
        return ArticlePage(url, html).to_record()

    def fields(r):
        text = "\n\n".join(x for x in (r.get("lead"), r.get("body")) if x)
        return {"title": r.get("title"), "published": r.get("published"), "authors": r.get("authors"), "text": text}

    caches = list({id(f): f for name, module in list(sys.modules.items()) if name.startswith("bhgcrawl")
                   for f in vars(module).values()
                   if hasattr(f, "cache_clear") and getattr(f, "__module__", "").startswith("bhgcrawl")}.values())

    def as_in_a_crawl(previous_url, previous_html):
        for cache in caches:
            cache.cache_clear()
        extract(previous_url, previous_html)

    return extract, fields, as_in_a_crawl


def trafilatura_():
    import trafilatura

    params = {"outputformat": "%Y-%m-%d %H:%M", "original_date": True}  # ask for the time too

    def extract(url, html):
        return trafilatura.bare_extraction(html, url=url, with_metadata=True, date_extraction_params=params)

    def fields(d):
        get = (lambda k: getattr(d, k, None)) if not isinstance(d, dict) else d.get
        author = get("author")
        authors = [a.strip() for a in author.split(";") if a.strip()] if author else []
        return {"title": get("title"), "published": get("date"), "authors": authors, "text": get("text")}

    return extract, fields


def newspaper4k():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "nltk is not installed": only its NLP extras need it
        import newspaper

    config = newspaper.Config()
    config.fetch_images = False  # it would download the top image: a network fetch, not extraction
    config.memoize_articles = False

    def extract(url, html):
        article = newspaper.Article(url, config=config)
        article.download(input_html=html)
        article.parse()
        return article

    def fields(a):
        return {"title": a.title, "published": a.publish_date, "authors": list(a.authors or []), "text": a.text}

    return extract, fields


LIBRARIES = {"bhgcrawl": ours, "trafilatura": trafilatura_, "newspaper4k": newspaper4k}


def available() -> dict:
    out = {}
    for name, factory in LIBRARIES.items():
        try:
            out[name] = factory()
        except ImportError as exc:
            out[name] = exc
    return out


# ---- comparison -------------------------------------------------------------------------------


def _norm(text) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split())


def _minute(value) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        s = value.strip().replace("Z", "+00:00")
        try:
            value = datetime.fromisoformat(s)
        except ValueError:
            try:
                value = datetime.strptime(s, "%Y-%m-%d %H:%M")
            except ValueError:
                return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=SITE_TZ)
    return value.astimezone(SITE_TZ).replace(second=0, microsecond=0)


def tokens(text) -> Counter:
    return Counter(re.findall(r"\w+", unicodedata.normalize("NFC", str(text or "")).casefold()))


def token_f1(reference, candidate) -> float:
    ref, cand = tokens(reference), tokens(candidate)
    if not ref and not cand:
        return 1.0
    overlap = sum((ref & cand).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(cand.values()), overlap / sum(ref.values())
    return 2 * p * r / (p + r)


def compare(expected: dict, got: dict) -> dict:
    """Field by field: `expected` has title/published/authors/text, as has `got`."""
    return {
        "title": _norm(expected["title"]) == _norm(got["title"]),
        "published": _minute(expected["published"]) is not None
        and _minute(expected["published"]) == _minute(got["published"]),
        "authors": sorted(map(_norm, expected["authors"] or [])) == sorted(map(_norm, got["authors"] or [])),
        "body_f1": token_f1(expected["text"], got["text"]),
    }


def golden_fields(record: dict) -> dict:
    text = "\n\n".join(x for x in (record.get("lead"), record.get("body")) if x)
    return {"title": record["title"], "published": record["published"], "authors": record["authors"], "text": text}


def load_pages(limit: int | None = None):
    """[(url, html, golden fields, truth fields or None)] for every fixture article page."""
    from devtools.golden import EXPECTED, site_pages

    truth = {t["url"]: t for t in json.loads((ROOT / "fixtures" / "site-truth.json").read_text("utf-8"))}
    out = []
    for url, file in site_pages().items():
        gold = json.loads((EXPECTED / f"{url.rsplit('-', 1)[1]}.json").read_text("utf-8"))
        t = truth.get(url)
        out.append((url, file.read_text("utf-8"), golden_fields(gold), golden_fields(t) if t else None))
    return out[:limit] if limit else out


def _accuracy(rows: list[dict]) -> dict:
    n = len(rows)
    f1 = [r["body_f1"] for r in rows]
    return {
        "pages": n,
        "title_exact": sum(r["title"] for r in rows) / n,
        "published_minute": sum(r["published"] for r in rows) / n,
        "authors_exact": sum(r["authors"] for r in rows) / n,
        "body_f1_mean": sum(f1) / n,
        "body_f1_min": min(f1),
    }


# ---- the benchmark -----------------------------------------------------------------------------


def run(repeat: int = 7, limit: int | None = None, libraries: list[str] | None = None) -> dict:
    pages = load_pages(limit)
    libs = {k: v for k, v in available().items() if not libraries or k in libraries}
    missing = {k: str(v) for k, v in libs.items() if isinstance(v, Exception)}
    libs = {k: v for k, v in libs.items() if not isinstance(v, Exception)}
    warnings.filterwarnings("ignore", module="newspaper")
    # Warm-up: one untimed pass (imports, lazy tables, caches), which also gives the outputs.
    outputs: dict[str, list] = {k: [] for k in libs}
    first_pass: dict[str, float] = {}
    errors: dict[str, list] = {k: [] for k in libs}
    libs = {name: (lib + (None,))[:3] for name, lib in libs.items()}  # (extract, fields, prepare)
    for name, (extract, fields, _prepare) in libs.items():
        start = time.perf_counter()
        for url, html, _g, _t in pages:
            try:
                outputs[name].append(fields(extract(url, html)))
            except Exception as exc:  # noqa: BLE001 - a peer failing on a page is a result
                errors[name].append(f"{url}: {type(exc).__name__}: {exc}")
                outputs[name].append({"title": None, "published": None, "authors": [], "text": ""})
        first_pass[name] = time.perf_counter() - start
    # Timed rounds: page by page, every library in turn, so drift hits all alike.
    times: dict[str, list[list[float]]] = {k: [[] for _ in pages] for k in libs}
    clock = time.perf_counter
    for _ in range(repeat):
        gc.collect()
        for i, (url, html, _g, _t) in enumerate(pages):
            for name, (extract, _fields, prepare) in libs.items():
                if prepare is not None:
                    prepare(*pages[i - 1][:2])
                start = clock()
                try:
                    extract(url, html)
                except Exception:  # noqa: BLE001
                    pass
                times[name][i].append(clock() - start)
    result = {"pages": len(pages), "repeat": repeat, "libraries": {}, "missing": missing}
    for name in libs:
        per_page = [median(t) for t in times[name]]
        acc_gold = _accuracy([compare(g, o) for (_u, _h, g, _t), o in zip(pages, outputs[name])])
        with_truth = [(t, o) for (_u, _h, _g, t), o in zip(pages, outputs[name]) if t]
        acc_truth = _accuracy([compare(t, o) for t, o in with_truth]) if with_truth else None
        result["libraries"][name] = {
            "median_ms_per_page": median(per_page) * 1000,
            "pages_per_s": len(pages) / sum(per_page),
            "first_pass_s": first_pass[name],
            "accuracy_vs_golden": acc_gold,
            "accuracy_vs_truth": acc_truth,
            "errors": errors[name],
            "per_page_ms": {u: round(t * 1000, 3) for (u, *_), t in zip(pages, per_page)},
        }
    ours_ms = result["libraries"]["bhgcrawl"]["median_ms_per_page"] if "bhgcrawl" in libs else None
    targets = {}
    for peer, factor in TARGETS.items():
        if peer in libs and ours_ms:
            speedup = ratio(result["libraries"][peer]["median_ms_per_page"], ours_ms)
            result["libraries"][peer]["ours_faster_x"] = speedup
            targets[f"{factor:g}x faster than {peer}"] = {"value": speedup, "shown": f"{speedup:.2f}x",
                                                        "met": speedup >= factor}
    if "bhgcrawl" in libs:
        acc = result["libraries"]["bhgcrawl"]["accuracy_vs_golden"]
        exact = acc["title_exact"] == acc["published_minute"] == acc["authors_exact"] == 1.0
        targets["title/published/authors exact on 100% of pages"] = {"value": exact, "met": exact}
        targets[f"body F1 >= {F1_TARGET}"] = {"value": acc["body_f1_min"], "shown": f"min {acc['body_f1_min']:.3f}",
                                               "met": acc["body_f1_min"] >= F1_TARGET}
    result["targets"] = targets
    return result


def render(result: dict) -> str:
    rows = []
    for name, r in result["libraries"].items():
        acc = r["accuracy_vs_golden"]
        rows.append([name, r["median_ms_per_page"], r["pages_per_s"],
                     f"{r['ours_faster_x']:.2f}x" if r.get("ours_faster_x") else "",
                     f"{acc['title_exact']:.0%}", f"{acc['published_minute']:.0%}", f"{acc['authors_exact']:.0%}",
                     f"{acc['body_f1_mean']:.3f} (min {acc['body_f1_min']:.3f})"])
    text = table(["library", "median ms/page", "pages/s", "ours faster", "title exact",
                  "published (minute)", "authors exact", "body token F1"], rows)
    text += (f"\n\n{result['pages']} pages, median of {result['repeat']} timed runs per page; "
             "accuracy against the golden records.")
    ours = result["libraries"].get("bhgcrawl", {}).get("accuracy_vs_truth")
    if ours:
        text += (f"\nbhgcrawl against the generator's truth (site-truth.json): title {ours['title_exact']:.0%}, "
                 f"published {ours['published_minute']:.0%}, authors {ours['authors_exact']:.0%}, "
                 f"body F1 {ours['body_f1_mean']:.3f} (min {ours['body_f1_min']:.3f}).")
    text += "\n\n" + _targets(result)
    if result.get("missing"):
        text += "\nnot installed: " + ", ".join(result["missing"])
    return text


def _targets(result: dict) -> str:
    return "\n".join(f"- {name}: {t.get('shown', _fmt(t['value']))} — {verdict(t['met'])}"
                     for name, t in result["targets"].items())


def _fmt(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)
