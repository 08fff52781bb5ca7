"""What `scrapy crawl bhg` checks before it fetches anything, so that a user's mistake gets one line
naming the fix and exit 1, and an output or state that cannot be written gets one line and exit 5,
never a traceback.

- the arguments (`-a`): known names and well-formed values (`bhgcrawl.arguments`);
- the settings: every `BHG_*` name and every key of `BHG_COVERAGE_FLOORS` is a known one (a typo
  would silently do nothing); on a run from a web archive, its URLs and rates;
- the state: it opens (not locked by another run, not damaged or foreign) and can be written;
- the outputs: the export folder, the feeds of `-o/-O`, the WARC folder can be written.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from bhgcrawl import settings as defaults
from bhgcrawl.arguments import Arguments
from bhgcrawl.extensions.coverage import DEFAULT_FLOORS, FIELDS
from bhgcrawl.run import EXIT_USAGE, EXIT_WRITE, project_path
from bhgcrawl.state import State, StateError, StateLocked

KNOWN_SETTINGS = frozenset(name for name in dir(defaults) if name.startswith("BHG_"))
COVERAGE_FIELDS = frozenset(FIELDS) | frozenset(DEFAULT_FLOORS)


def check(settings, spider_args: dict) -> tuple[int, str] | None:
    """(exit code, one line) of the first thing that keeps the run from starting, or None."""
    try:
        args = Arguments.parse(**spider_args)
    except ValueError as exc:
        return EXIT_USAGE, str(exc)
    unknown = sorted(k for k in settings.attributes if k.startswith("BHG_") and k not in KNOWN_SETTINGS)
    if unknown:
        return EXIT_USAGE, (f"unknown setting {unknown[0]}; the known ones are: {', '.join(sorted(KNOWN_SETTINGS))}")
    floors = settings.get("BHG_COVERAGE_FLOORS")
    try:
        floors = settings.getdict("BHG_COVERAGE_FLOORS")
        bad = sorted(set(floors) - COVERAGE_FIELDS)
        shares = [float(v) for v in floors.values()]
    except (ValueError, TypeError):
        return EXIT_USAGE, ("-s BHG_COVERAGE_FLOORS takes a JSON object of shares, e.g. "
                            f"'{{\"authors\": 0.7}}', not {floors!r}")
    if bad or any(not 0 <= s <= 1 for s in shares):
        return EXIT_USAGE, (f"-s BHG_COVERAGE_FLOORS: {bad[0] if bad else 'a share'} is not a field of the layout "
                            f"alarm with a share 0–1; the fields are: {', '.join(sorted(COVERAGE_FIELDS))}")
    if settings.get("BHG_STATE_ON_DAMAGE") not in ("stop", "new"):
        return EXIT_USAGE, "-s BHG_STATE_ON_DAMAGE takes stop (the default) or new"
    problem = _archive_settings(settings, args.archive) if args.archive else None
    return (EXIT_USAGE, problem) if problem else _writable(settings, args)


ARCHIVE_SETTINGS = {"wayback": ("BHG_WAYBACK_URL", "BHG_WAYBACK_RATE"),
                    "commoncrawl": ("BHG_CC_INDEX_URL", "BHG_CC_DATA_URL", "BHG_CC_RATE")}


def _archive_settings(settings, archive: str) -> str | None:
    """What is wrong with the settings of the archive a run reads, in one line, or None."""
    for name in ARCHIVE_SETTINGS[archive]:
        value = settings.get(name)
        if name.endswith("_RATE"):
            try:
                ok = settings.getfloat(name) > 0
            except ValueError:
                ok = False
            if not ok:
                return f"-s {name} takes requests per minute, a number above 0 (e.g. 24), not {value!r}"
        else:
            parts = urlsplit(str(value or ""))
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return f"-s {name} takes the archive's address, http:// or https://, not {value!r}"
    for name in ("BHG_WAYBACK_CDX_ROWS", "BHG_ARCHIVE_MAX_429"):
        try:
            ok = settings.getint(name) >= 1
        except ValueError:
            ok = False
        if not ok:
            return f"-s {name} takes a whole number of 1 or more, not {settings.get(name)!r}"
    return None


def _writable(settings, args: Arguments) -> tuple[int, str] | None:
    state = project_path(settings.get("BHG_STATE_PATH"), args.window)
    if state is not None and not args.warc:
        try:
            State(state, on_damage=settings.get("BHG_STATE_ON_DAMAGE")).close()
        except StateLocked as exc:
            return EXIT_USAGE, str(exc)
        except StateError as exc:
            return EXIT_WRITE, str(exc)
    folders = [(name, project_path(settings.get(name), args.window)) for name in ("BHG_EXPORT_DIR", "BHG_WARC_DIR")]
    for name, folder in folders:
        problem = folder is not None and _cannot_write_in(folder)
        if problem:
            return EXIT_WRITE, f"{folder} cannot be written ({problem}): set -s {name}= to a writable folder"
    for uri in settings.getdict("FEEDS"):
        path = _local_path(str(uri))
        problem = path is not None and _cannot_write_in(path.parent)
        if problem:
            return EXIT_WRITE, f"the feed {uri} cannot be written ({problem}): give -o/-O a writable path"
    return None


def _local_path(uri: str) -> Path | None:
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return Path(parts.path)
    return Path(uri) if not parts.scheme or len(parts.scheme) == 1 else None  # C:\ is a path too


def _cannot_write_in(folder: Path) -> str | None:
    """Why files cannot be made in `folder` (made if missing), or None."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    if not os.access(folder, os.W_OK | os.X_OK):
        return "permission denied"
    return None
