"""What reaches the spider is a whole HTML page, decoded right."""

from __future__ import annotations

import re

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse

from bhgcrawl.text import best_decoding, same_codec

_END_OF_HTML = re.compile(rb"</(html|body)\s*>", re.I)
# What may stand before <html>: a BOM, an XML declaration, comments, whitespace.
_PROLOGUE = re.compile(rb"^(\xef\xbb\xbf|\s+|<\?xml[^>]*>|<!--.*?-->)*", re.S)


def looks_like_html(body: bytes) -> bool:
    head = _PROLOGUE.sub(b"", body[:4096], count=1)[:64].lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


class PageIntegrityMiddleware:
    """What reaches the spider is a whole HTML page, decoded right:

    - an empty page is retried;
    - a page that ends before `</html>` with no Content-Length to vouch for it (a connection dropped
      mid-body; a short body *with* a Content-Length is already a download error) is retried, and
      when retries run out it is parsed after all and listed as `unterminated` in the failures;
    - a complete page under a wrong Content-Type is read as the HTML it is (its own <meta> decides
      the charset);
    - a page is decoded with the codec that reads it as the text it is (`text.best_decoding`: the
      declared one, UTF-8, windows-1258 or cp1252): UTF-8 bytes under a legacy declaration, and
      windows-1258 bytes declared UTF-8, are both read right (`bhg/faults/misdeclared_charset`);
    - a page that no codec reads as valid text (letters lost to `?`, two encodings in one page, U+FFFD
      already in the bytes, binary) is passed on as declared but marked `request.meta["bhg_undecodable"]
      = True` (`bhg/faults/undecodable`): its record would be mojibake, so the spider keeps the page
      for inspection and leaves the article pending instead of emitting it.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        if response.status != 200 or request.method != "GET" or not request.meta.get("site_url"):
            return response
        stats = self.crawler.stats
        body = response.body
        is_html = looks_like_html(body)
        if not body.strip():
            return self._retry(request, "empty")
        if is_html and not _END_OF_HTML.search(body[-4096:]) and not response.headers.get("Content-Length") \
                and not request.meta.get("bhg_accept_unterminated"):
            retry = get_retry_request(request, spider=self.crawler.spider, reason="unterminated page")
            stats.inc_value("bhg/faults/unterminated")
            if retry is not None:
                return retry
            request.meta["bhg_unterminated"] = True  # parsed after all; the spider lists it
        return decoded(response, request, stats)

    def _retry(self, request, reason: str):
        self.crawler.stats.inc_value(f"bhg/faults/{reason}")
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"{reason} page")
        if retry is not None:
            return retry
        raise IgnoreRequest(f"{reason} page after retries: {request.meta.get('site_url')}")


def decoded(response, request, stats):
    """`response` read as what it is: a complete HTML page under a wrong type as HTML, text in the codec
    its bytes call for, and a page no codec reads marked `bhg_undecodable` in `request.meta` (also for
    pages that did not come over the wire: a web archive's WARC record)."""
    body = response.body
    ctype = response.headers.get("Content-Type", b"").lower()
    if looks_like_html(body) and (not isinstance(response, TextResponse) or (ctype and b"html" not in ctype)):
        stats.inc_value("bhg/faults/wrong_type")
        headers = response.headers.to_unicode_dict()
        headers["Content-Type"] = "text/html"
        response = HtmlResponse(response.url, status=response.status, body=body, request=request, headers=headers)
    if isinstance(response, TextResponse):
        codec = best_decoding(body, response.encoding)
        if codec is None:
            stats.inc_value("bhg/faults/undecodable")
            request.meta["bhg_undecodable"] = True
        elif not same_codec(codec, response.encoding):
            stats.inc_value("bhg/faults/misdeclared_charset")
            response = response.replace(encoding=codec)
    return response
