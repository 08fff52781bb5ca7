"""The site's URLs: canonical form, article recognition, and mapping to a replay base.

One article is reachable under several hosts, schemes, trailing slashes and tracking
parameters; everything the spider schedules and every record carries goes through
`canonicalize` first, so one article is fetched and emitted once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

from bhgcrawl.vocab import MERGER_DAY, PAPERS

PRIMARY_HOST = "baohagiang.vn"
ENGLISH_HOST = "en.baohagiang.vn"
SUCCESSOR_HOST = "baotuyenquang.com.vn"
SITE_HOSTS = frozenset({PRIMARY_HOST, ENGLISH_HOST, SUCCESSOR_HOST})
MERGER_MONTH = MERGER_DAY[:4] + MERGER_DAY[5:7]  # yyyymm: articles from then on are the successor's own
# The other papers on the same platform: their pages are read the same way (as pages of their own
# host), never crawled.
SISTER_HOSTS = frozenset(PAPERS) - SITE_HOSTS
# Sections seen on real pages (shared/site/NOTES.md); the navigation may not list them all.
KNOWN_SECTIONS = (
    "thoi-su-chinh-tri", "kinh-te", "kinh-te/nong-lam-nghiep", "xa-hoi", "van-hoa", "media-bhg",
    "multimedia/truyen-hinh", "multimedia/emagazine", "ve-bao-ha-giang/thong-tin-toa-soan",
    "english/news", "english/Culture",
)

# Parameters that only track where a click came from; they never select content.
_TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|zarsrc|_hsenc|_hsmi|mc_[ce]id|igshid|ref|refid|src|share)$",
    re.I,
)

# /<category>[/<subcategory>...]/<yyyymm>/<slug>-<id>: the id is 6+ digits (older generation)
# or 7 lowercase hex (newer). yyyymm is the only date the URL gives.
_ARTICLE_PATH = re.compile(
    r"^/(?P<category>[A-Za-z0-9-]+(?:/[A-Za-z0-9-]+)*)"
    r"/(?P<yyyymm>(?:19|20)\d\d(?:0[1-9]|1[0-2]))"
    # The id is the whole run after the slug's last hyphen (or the whole last segment): never the tail of
    # a longer run ("mua785426", "-1234567890", "-0d530c3a" are no ids).
    r"/(?:(?P<slug>[A-Za-z0-9-]*)-)?(?P<id>\d{5,9}|[0-9a-f]{7})(?:\.html?)?/?$"
)

# Paths that never lead to articles worth a request: search, accounts, print and share views.
_EXCLUDED_PATH = re.compile(
    r"(^|/)(tim-kiem|search|dang-nhap|dang-ky|login|logout|register|print|in-bai|share|"
    r"rss|lien-he|contact|quang-cao|advertis\w*|cdn-cgi|wp-admin|api|file|files|images?|static|"
    r"assets|css|js|fonts?|uploads?)(/|$|\.)",
    re.I,
)
# C0 (tab and newline included), DEL and C1: browsers drop tabs and newlines from a URL and percent-encode
# the rest; none of them is part of an address anyone meant, so a record's URLs hold none.
_URL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_DOT_SEGMENT = re.compile(r"(^|/)(\.|%2e){1,2}(/|$)", re.I)
_NON_PAGE_EXT = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp[34]|m4v|mov|avi|webm|flv|wav|ogg|pdf|docx?|"
    r"xlsx?|pptx?|zip|rar|7z|gz|tar|css|js|json|xml|rss|txt|woff2?|ttf|eot|swf)$",
    re.I,
)


@dataclass(frozen=True)
class ArticleRef:
    """What an article URL says by itself."""

    url: str  # canonical
    category: str
    yyyymm: str
    slug: str
    article_id: str
    language: str


def _bare(host: str) -> str:
    host = (host or "").lower().rstrip(".").split(":")[0]
    return host[4:] if host.startswith("www.") else host


def site_host(host: str) -> str | None:
    """The canonical site host for `host`, or None when it is not one of the site's hosts."""
    host = _bare(host)
    return host if host in SITE_HOSTS else None


def paper_host(host: str) -> str | None:
    """The canonical host of any paper on the platform (the site's, or a sister paper's), or None."""
    host = _bare(host)
    return host if host in SITE_HOSTS or host in SISTER_HOSTS else None


def same_paper(url: str, other: str) -> bool:
    """Whether two URLs are of the same paper: the site's hosts are one paper, a sister host another."""
    a, b = paper_host(urlsplit(url).hostname or ""), paper_host(urlsplit(other).hostname or "")
    return a is not None and b is not None and (a == b or (a in SITE_HOSTS and b in SITE_HOSTS))


def safe_url(url: str) -> str:
    """`url` as a browser sends it: control characters removed, then spaces, non-ASCII and the other
    characters a URL cannot hold percent-encoded (w3lib's `safe_url_string`: `a b` → `a%20b`, `ả` →
    `%E1%BA%A3`); an encoded URL stays as it is."""
    return safe_url_string(_URL_CONTROLS.sub("", url).strip())


def canonicalize(url: str, keep_query: bool = True) -> str:
    """https, no `www.`, no fragment, no trailing slash, no tracking parameters.

    Non-site URLs are returned with only the fragment removed. `keep_query=False` drops the
    whole query (records never carry one).
    """
    parts = urlsplit(_URL_CONTROLS.sub("", url).strip())
    host = paper_host(parts.hostname or "")
    if host is None:
        return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    path = re.sub(r"/{2,}", "/", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = ""
    if keep_query and parts.query:
        kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                if not _TRACKING_PARAMS.match(k)]
        query = urlencode(sorted(kept))
    return safe_url(urlunsplit(("https", host, path, query, "")))


# The caches are put on by assignment rather than by decorator: mutation testing (`make mutation`) leaves
# decorated functions alone, and these are the ones that say what an article URL is.
canonicalize = lru_cache(maxsize=4096)(canonicalize)


def is_site_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and site_host(parts.hostname or "") is not None


def parse_article_url(url: str) -> ArticleRef | None:
    """The article's identity if `url` is an article URL of either generation, on the site or on a
    sister paper of the platform (`is_site_url` tells which), else None. Its `url` is the article's one
    canonical URL: an archive article the successor host serves is Báo Hà Giang's, on baohagiang.vn."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or paper_host(parts.hostname or "") is None:
        return None
    canonical = canonicalize(url, keep_query=False)
    parts = urlsplit(canonical)
    m = _ARTICLE_PATH.match(parts.path)
    if not m or _EXCLUDED_PATH.search(parts.path):
        return None
    category = m["category"]
    language = "en" if parts.hostname == ENGLISH_HOST or category.lower().startswith("english") else "vi"
    if parts.hostname == SUCCESSOR_HOST and m["yyyymm"] < MERGER_MONTH:
        # Báo Hà Giang's archive, served by its successor under the same paths: the same article.
        canonical = urlunsplit(("https", PRIMARY_HOST, parts.path, "", ""))
    return ArticleRef(canonical, category, m["yyyymm"], m["slug"] or "", m["id"], language)


parse_article_url = lru_cache(maxsize=4096)(parse_article_url)  # the same menu and sidebar links on every page


def is_crawlable(url: str) -> bool:
    """A site page the spider may request: on a site host, not search/login/print/share/media,
    no dot segments (`/kinh-te/../../etc/passwd` names no page of the site)."""
    if not is_site_url(url):
        return False
    path = urlsplit(url).path
    return not (_EXCLUDED_PATH.search(path) or _NON_PAGE_EXT.search(path) or _DOT_SEGMENT.search(path))


def category_of(url: str) -> str | None:
    """The category path a listing URL belongs to (`/kinh-te/trang-2.html` → `kinh-te`)."""
    if not is_site_url(url):
        return None
    path = urlsplit(url).path
    path = re.sub(r"/(trang|page|p)[-/]?\d+(\.html?)?/?$", "", path, flags=re.I)
    path = re.sub(r"\.html?$", "", path, flags=re.I).strip("/")
    if not path or re.search(r"/(?:19|20)\d\d(?:0[1-9]|1[0-2])(/|$)", "/" + path):
        return None
    return path


def absolute(base: str, href: str) -> str | None:
    """`href` resolved against `base`; None for javascript:, mailto:, tel: and empty links."""
    href = (href or "").strip()
    if not href or href.startswith("#") or re.match(r"^(javascript|mailto|tel|sms|data|about):", href, re.I):
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None


absolute = lru_cache(maxsize=2048)(absolute)  # links repeat within a page; small, so a long crawl stays flat in memory


class BaseUrlMap:
    """Maps canonical site URLs to the URLs actually fetched (`BHG_BASE_URL`) and back.

    With no base, URLs are fetched as they are. With a base, the path and query of any site
    URL are fetched from the base; a host other than the primary one travels in the `Host`
    header, which is how a mirror or the replay server tells the English subdomain apart.
    """

    def __init__(self, base: str = ""):
        self.base = base.rstrip("/")
        self._base_netloc = urlsplit(self.base).netloc if self.base else ""

    def fetch(self, site_url: str) -> tuple[str, dict[str, str]]:
        """(URL to fetch, extra headers) for a canonical site URL."""
        if not self.base:
            return site_url, {}
        parts = urlsplit(site_url)
        path = parts.path + ("?" + parts.query if parts.query else "")
        headers = {} if parts.hostname == PRIMARY_HOST else {"Host": parts.hostname or PRIMARY_HOST}
        return self.base + path, headers

    def site_of(self, response) -> str:
        """The canonical site URL a response came from (after any redirect): its URL, read with the
        Host header its request was sent with."""
        host = response.request.headers.get("Host")
        return self.site(response.url, host.decode() if host else None)

    def site(self, fetched_url: str, host: str | None = None) -> str:
        """The canonical site URL of a fetched URL (after redirects, say)."""
        parts = urlsplit(fetched_url)
        if self.base and parts.netloc == self._base_netloc:
            fetched_url = urlunsplit(("https", host or PRIMARY_HOST, parts.path, parts.query, ""))
        return canonicalize(fetched_url)


class UrlSet:
    """URLs seen in a run, kept as 8-byte digests: a long run's memory stays small."""

    def __init__(self):
        self._digests: set[bytes] = set()

    @staticmethod
    def _digest(url: str) -> bytes:
        return hashlib.blake2b(url.encode(), digest_size=8).digest()

    def add(self, url: str) -> bool:
        """Remember `url`; True when it is new."""
        digest = self._digest(url)
        if digest in self._digests:
            return False
        self._digests.add(digest)
        return True

    def __contains__(self, url: str) -> bool:
        return self._digest(url) in self._digests

    def __len__(self) -> int:
        return len(self._digests)

    def __iter__(self):
        return iter(self._digests)
