"""The spider's own decisions, without a crawl."""

from bhgcrawl.spiders.bhg import BhgSpider
from tests.helpers import crawler_with_run


def test_a_url_is_requested_once_per_run_and_remembered_in_8_bytes():
    spider = crawler_with_run(BhgSpider).spider
    article = "https://baohagiang.vn/xa-hoi/202112/a-785426"
    assert spider._article(article) is not None and spider._article(article) is None
    assert [r.url for r in spider._walk("https://baohagiang.vn/xa-hoi")] == ["https://baohagiang.vn/xa-hoi"]
    assert list(spider._walk("https://baohagiang.vn/xa-hoi/")) == []  # the same section, already walked
    assert spider._article("https://baohagiang.vn/xa-hoi/202112/b-785427") is not None
    assert len(spider.scheduled) == 3 and all(isinstance(k, bytes) and len(k) == 8 for k in spider.scheduled)


def test_no_callback_is_a_generator_returning_a_value():
    """Scrapy's own check of this is off (WARN_ON_GENERATOR_RETURN_VALUE: it re-parses the source
    for every response); a `return value` in a generator callback would silently lose the value."""
    import inspect

    from scrapy.utils.misc import is_generator_with_return_value

    from bhgcrawl.spiders.bhg import BhgSpider

    callbacks = [f for name, f in inspect.getmembers(BhgSpider, inspect.isfunction)
                 if name.startswith(("parse", "start"))]
    generators = [f for f in callbacks if inspect.isgeneratorfunction(f)]
    assert {f.__name__ for f in generators} >= {"parse_article", "parse_listing"}
    assert [f.__name__ for f in generators if is_generator_with_return_value(f)] == []
