"""`bhgcrawl pack`: the crawler's WARC files as a WACZ that `wacz validate` and `warcio check` accept."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from bhgcrawl import cli
from devtools.replay import ReplayServer
from tests.helpers import INVENTED_SITE as SITE
from tests.helpers import run_crawl

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess makes the WARC files

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """A crawl of the fixture site that kept its WARC files (small ones: several files); its records."""
    tmp = tmp_path_factory.mktemp("pack")
    with ReplayServer(SITE) as server:
        result = run_crawl(server.base_url, tmp, "-s", f"BHG_WARC_DIR={tmp / 'warc'}", "-s", "BHG_WARC_MAX_SIZE=200000")
    assert len(result.records) == 41 and len(list((tmp / "warc").glob("*.warc.gz"))) > 1
    return tmp, result.records


def pack(*args: str) -> int:
    return cli.main(["pack", *args])


def validate(path: Path) -> None:
    proc = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Validation succeeded" in proc.stdout, proc.stdout + proc.stderr


def pages(package: zipfile.ZipFile) -> tuple[dict, list[dict]]:
    header, *entries = (json.loads(line) for line in package.read("pages/pages.jsonl").decode("utf-8").splitlines())
    return header, entries


def indexed(package: zipfile.ZipFile) -> set[tuple[str, str]]:
    """(url, 14-digit timestamp) of every capture in the package's CDXJ index."""
    out = set()
    for line in gzip.decompress(package.read("indexes/index.cdx.gz")).decode("utf-8").splitlines():
        _key, ts, fields = line.split(" ", 2)
        out.add((json.loads(fields)["url"], ts))
    return out


def test_pack_holds_the_warc_files_as_written_and_lists_every_article(crawled, tmp_path, capsys):
    work, records = crawled
    warcs = sorted((work / "warc").glob("*.warc.gz"))
    out = tmp_path / "bhg.wacz"
    assert pack(str(work / "warc"), "-o", str(out)) == 0
    assert capsys.readouterr().err == (f"bhgcrawl pack: 41 article pages (41 articles) listed from {len(warcs)} of "
                                       f"{len(warcs)} WARC files → {out}\n")
    validate(out)
    with zipfile.ZipFile(out) as package:
        names = set(package.namelist())
        assert names == {"pages/pages.jsonl", "indexes/index.cdx.gz", "indexes/index.idx", "datapackage.json",
                         "datapackage-digest.json", *(f"archive/{p.name}" for p in warcs)}
        for p in warcs:  # unchanged, and stored: a player reads them by range
            info = package.getinfo(f"archive/{p.name}")
            assert info.compress_type == zipfile.ZIP_STORED
            assert hashlib.sha256(package.read(info)).digest() == hashlib.sha256(p.read_bytes()).digest()
        datapackage = json.loads(package.read("datapackage.json"))
        assert datapackage["wacz_version"] == "1.1.1" and datapackage["title"] == "Báo Hà Giang (baohagiang.vn)"
        raw = package.read("pages/pages.jsonl")
        assert "Hà Giang".encode() in raw and b"\\u" not in raw
        header, entries = pages(package)
        captures = indexed(package)
    assert header == {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}
    titles = {r["fetched_url"]: r["title"] for r in records}
    assert {e["url"]: e["title"] for e in entries} == titles
    assert len({e["id"] for e in entries}) == 41
    for e in entries:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["ts"]), e
        assert (e["url"], re.sub(r"\D", "", e["ts"])) in captures  # a player finds each page at its time

    extracted = tmp_path / "extracted"
    with zipfile.ZipFile(out) as package:
        package.extractall(extracted, [n for n in names if n.startswith("archive/")])
    check = subprocess.run([str(BIN / "warcio"), "check", *map(str, sorted((extracted / "archive").iterdir()))],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


def test_window_lists_the_articles_of_its_days_and_packs_only_their_files(crawled, tmp_path, capsys):
    work, records = crawled
    out = tmp_path / "bhg-2024-01.wacz"
    assert pack(str(work / "warc"), "-o", str(out), "--since", "2023-12-15", "--until", "2024-01-28") == 0
    said = capsys.readouterr().err
    assert re.fullmatch(r"bhgcrawl pack: 4 article pages \(4 articles\) listed from \d of \d WARC files; "
                        rf"left out: 37 outside the window → {re.escape(str(out))}\n", said), said
    validate(out)
    window = {r["fetched_url"] for r in records
              if date(2023, 12, 15) <= date.fromisoformat(r["published"][:10]) <= date(2024, 1, 28)}
    with zipfile.ZipFile(out) as package:
        _header, entries = pages(package)
        captures = indexed(package)
        packed = {n for n in package.namelist() if n.startswith("archive/")}
        title = json.loads(package.read("datapackage.json"))["title"]
    assert {e["url"] for e in entries} == window and len(window) == 4  # both edge days are in
    assert all((e["url"], re.sub(r"\D", "", e["ts"])) in captures for e in entries)
    assert 0 < len(packed) <= len(list((work / "warc").glob("*.warc.gz")))
    assert title == "Báo Hà Giang (baohagiang.vn), articles published from 2023-12-15 to 2024-01-28"


def test_pack_mistakes_are_one_line(crawled, tmp_path, capsys, monkeypatch):
    work, _records = crawled
    warc = sorted((work / "warc").glob("*.warc.gz"))[0]
    twin = tmp_path / "twin"
    twin.mkdir()
    shutil.copy(warc, twin / warc.name)
    (tmp_path / "notes.txt").write_text("x")
    cases = [
        ([str(work / "warc"), "-o", "x.wacz", "--since", "2030-01-01"],
         "no article pages published from 2030-01-01 in these WARC files: nothing to pack"),
        ([str(tmp_path / "nowhere"), "-o", "x.wacz"], f"{tmp_path / 'nowhere'} does not exist: give WARC files or "
                                                       "folders of them"),
        ([str(tmp_path / "notes.txt"), "-o", "x.wacz"], f"{tmp_path / 'notes.txt'} is not a WARC file: give *.warc.gz "
                                                         "or *.warc files, or folders of them"),
        ([str(work / "warc"), str(twin), "-o", "x.wacz"],
         f"two WARC files are named {warc.name}: a package holds each name once, give one of them"),
        ([str(work / "warc"), "-o", "x.zip"], "-o x.zip: a WACZ package's name ends in .wacz"),
        ([str(work / "warc"), "-o", "x.wacz", "--until", "2019-02-30"],
         "argument --until: takes a day as YYYY-MM-DD, not '2019-02-30' (see bhgcrawl pack --help)"),
    ]
    monkeypatch.chdir(tmp_path)
    for args, said in cases:
        assert (pack(*args), capsys.readouterr().err) == (1, f"bhgcrawl pack: {said}\n")
    assert pack("-o", "x.wacz") == 1
    assert capsys.readouterr().err == ("bhgcrawl pack: no WARC files at warc: give WARC files or folders of them as "
                                       "WARC PATH\n")
    monkeypatch.setitem(sys.modules, "wacz.main", None)  # import wacz.main now fails
    assert pack(str(work / "warc"), "-o", "x.wacz") == 1
    assert capsys.readouterr().err == ("bhgcrawl pack: pack needs py-wacz, which is not installed: "
                                       "pip install 'bhgcrawl[pack]'\n")
    assert not list(tmp_path.glob("*.wacz"))
