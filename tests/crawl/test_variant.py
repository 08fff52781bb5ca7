"""The whole crawl on a redesign of the site it was not written against (fixtures/variant-site):
other class names, headline in a <div>, dates above the title or split across spans, other
pagination forms (/page/N, /pN, ?p=N, "Xem thêm"), related cards with their own leads."""

import json

import pytest

from devtools.replay import ReplayServer
from tests.helpers import FIXTURES, run_crawl

pytestmark = pytest.mark.crawl  # a real `scrapy crawl` in a subprocess

FIELDS = ["title", "published", "published_precision", "lead", "event_date", "body", "byline", "authors",
          "source", "category", "category_name", "language", "tags"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    with ReplayServer(FIXTURES / "variant-site") as server:
        return run_crawl(server.base_url, tmp_path_factory.mktemp("variant"))


def test_every_article_of_the_redesign_is_found_once(crawl):
    truth = json.loads((FIXTURES / "variant-truth.json").read_text("utf-8"))
    assert sorted(r["url"] for r in crawl.records) == sorted(t["url"] for t in truth)


@pytest.mark.parametrize("field", FIELDS)
def test_fields_of_the_redesign(crawl, field):
    truth = {t["url"]: t for t in json.loads((FIXTURES / "variant-truth.json").read_text("utf-8"))}
    wrong = [(r["url"], r[field], truth[r["url"]][field]) for r in crawl.records if r[field] != truth[r["url"]][field]]
    assert wrong == []


def test_images_and_related_of_the_redesign(crawl):
    truth = {t["url"]: t for t in json.loads((FIXTURES / "variant-truth.json").read_text("utf-8"))}
    for r in crawl.records:
        assert [{"url": i["url"], "caption": i["caption"]} for i in r["images"]] == truth[r["url"]]["images"]
        assert [x["url"] for x in r["related"]] == truth[r["url"]]["related"]
