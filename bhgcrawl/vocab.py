"""The vocabulary the readers of pages know: headings, UI lines, class words, places, marks, byline words.

Data only, written once. Readers key these words with `text.key` (case, tone placement and punctuation
ignored) or casefold them as they need; patterns that are only a word list with punctuation around it
are built here beside their words.
"""

from __future__ import annotations

import re


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# ---- the paper ---------------------------------------------------------------------------------

# The paper's mark before the lead: HGĐT- (2012–2014), BHG - / BHG- (2016 on).
LEAD_MARKS = ("BHG", "HGĐT", "HGDT", "BÁO HÀ GIANG")
LEAD_MARK = re.compile(rf"^\s*(?:\(?\s*(?:{_alternatives(LEAD_MARKS)})\s*\)?\s*[-–—:]+\s*)", re.I)
# The papers of the platform by host, and the merger that made Báo Hà Giang's site Báo Tuyên Quang's.
PAPERS = {
    "baohagiang.vn": "Báo Hà Giang", "en.baohagiang.vn": "Báo Hà Giang", "baotuyenquang.com.vn": "Báo Tuyên Quang",
    "baodongnai.com.vn": "Báo Đồng Nai", "baothainguyen.vn": "Báo Thái Nguyên", "baokhanhhoa.vn": "Báo Khánh Hòa",
    "baodaklak.vn": "Báo Đắk Lắk",
}
HA_GIANG = "Báo Hà Giang"
MERGER_DAY = "2025-07-01"  # from this day on the paper is Báo Tuyên Quang's
# Names a <title> or og:title ends with (" - Báo Hà Giang điện tử"); alone they are no headline, but a
# title that opens with one and goes on ("Báo Hà Giang kỷ niệm 50 năm thành lập") is a title.
SITE_NAMES = (*sorted(set(PAPERS.values())), "Bao Ha Giang", "baohagiang.vn", "BHG", "Ha Giang Newspaper")
_NAME_TAIL = r"(?:\s+(?:điện tử|online|điện tử online))?"
SITE_NAME_SUFFIX = re.compile(rf"\s*[-|–—:]\s*({_alternatives(SITE_NAMES)}){_NAME_TAIL}\s*$", re.I)
SITE_NAME_ONLY = re.compile(rf"^\s*({_alternatives(SITE_NAMES)}){_NAME_TAIL}\s*$", re.I)

# Places a dateline may name in capitals, which a bare-name byline must not be taken for.
PLACES = (
    "Hà Giang", "Tuyên Quang", "Hà Nội", "Đồng Văn", "Mèo Vạc", "Quản Bạ", "Yên Minh", "Hoàng Su Phì",
    "Xín Mần", "Bắc Quang", "Quang Bình", "Vị Xuyên", "Bắc Mê", "Việt Nam", "TP Hà Giang",
)

# ---- headings that end the article's own text -------------------------------------------------

COMMENT_HEADINGS = (
    "Ý kiến bạn đọc", "Bình luận", "Gửi bình luận", "Viết bình luận", "Ý kiến", "Comments", "Your comment",
    "Reader comments",
)
RELATED_HEADINGS = (
    "Cùng chuyên mục", "Tin cùng chuyên mục", "Bài cùng chuyên mục", "Tin liên quan", "Bài liên quan",
    "Các tin khác", "Tin khác", "Các bài khác", "Tin tức khác", "Related news", "Related articles",
    "Related", "Other news", "Same category", "Xem thêm",
)
OTHER_LIST_HEADINGS = (
    "Đọc nhiều", "Tin đọc nhiều", "Xem nhiều", "Tin mới", "Tin mới nhất", "Có thể bạn quan tâm", "Most read",
)
# After any of these nothing is the article's own text.
STOP_HEADINGS = COMMENT_HEADINGS + RELATED_HEADINGS + OTHER_LIST_HEADINGS
# Breadcrumb entries that name no section.
HOME_LINKS = ("Trang chủ", "Trang chu", "Home")

# Short lines of page furniture inside the article's block.
UI_LINES = (
    "Chia sẻ", "Share", "Tweet", "In bài", "In bài viết", "Gửi bài", "Gửi email", "Lưu", "Bình luận",
    "Quay lại", "Về đầu trang", "Trở lại", "Print", "Email", "Facebook", "Zalo", "Twitter", "Like",
    "Thích", "Xem thêm", "Nghe bài viết", "Cỡ chữ", "A-", "A+", "A", "Theo dõi", "Báo Hà Giang",
)
TAG_LABELS = ("Từ khóa", "Từ khoá", "Tags", "Tag", "Keywords", "Keyword", "Chủ đề")
TAG_LABEL = re.compile(rf"^\s*({_alternatives(TAG_LABELS)})\s*:\s*", re.I)
# A trailing line opening so is furniture (tag lists, share bars), not the article's.
FURNITURE_OPENINGS = TAG_LABELS + ("Chia sẻ", "Share", "In bài", "Gửi bài", "Bình luận", "Theo dõi", "Xem thêm")
FURNITURE_START = re.compile(rf"^({_alternatives(FURNITURE_OPENINGS)})\b", re.I)

# ---- class and id words (see pages.dom.class_words) ----------------------------------------------

# Regions that are never the article's own text.
BOILERPLATE_CLASS_WORDS = frozenset({
    "menu", "nav", "navbar", "navigation", "footer", "sidebar", "side", "widget", "banner", "ads",
    "ad", "adv", "advert", "advertisement", "quangcao", "qc", "share", "social", "sharing",
    "comment", "comments", "binhluan", "related", "lienquan", "cungchuyenmuc", "othernews",
    "tinkhac", "breadcrumb", "breadcrumbs", "docnhieu", "mostread", "mostview", "popular", "hot",
    "tag", "tags", "tukhoa", "keywords", "popup", "modal", "cookie", "login", "search", "toolbar",
    "print", "rating", "vote", "subscribe", "newsletter", "copyright", "topbar", "header",
    "logo", "pagination", "paging", "phantrang",
})
# A class token that also names content (`article-header`) is the article's own.
CONTENT_CLASS_WORDS = frozenset({"content", "detail", "body", "article", "entry", "main", "post", "story", "text"})
# `has-sidebar`, `no-ads`: a state of the page, not a region.
STATE_CLASS_WORDS = frozenset({"has", "with", "no", "show", "hide", "is", "not"})
SIDEBAR_CLASS_WORDS = frozenset({"sidebar", "side", "aside", "widget", "col-right", "right", "colright"})
NAVIGATION_CLASS_WORDS = frozenset({
    "menu", "nav", "navbar", "navigation", "mainmenu", "megamenu", "submenu", "dropdown", "categories",
    "category", "chuyenmuc", "danhmuc",
})
LEAD_CLASS_WORDS = frozenset({"sapo", "lead", "summary", "description", "desc", "chapeau", "excerpt", "intro",
                              "tomtat", "abstract", "teaser", "standfirst"})
AUTHOR_CLASS_WORDS = frozenset({"author", "authors", "byline", "tacgia", "writer", "reporter", "nguoiviet"})
TAG_CLASS_WORDS = frozenset({"tag", "tags", "tukhoa", "keyword", "keywords", "topic", "topics"})
# An element so named is a picture's caption.
CAPTION_CLASS_WORDS = frozenset({"caption", "figcaption", "chuthich", "imgcaption"})
# A sibling so named after a picture holds its caption.
CAPTION_SIBLING_CLASS_WORDS = CAPTION_CLASS_WORDS | {"desc"}
# A block so named that holds a picture is a figure, whatever its length.
FIGURE_CLASS_WORDS = CAPTION_CLASS_WORDS | {"image", "img", "photo", "pic", "desc", "note", "expnoedit", "picture"}

# ---- structured metadata ------------------------------------------------------------------------

ARTICLE_LD_TYPES = frozenset({"newsarticle", "article", "reportagenews", "blogposting", "analysisnewsarticle",
                              "videoobject", "webpage", "opinionnewsarticle", "backgroundnewsarticle"})
PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                  "publish-date", "date", "dc.date", "dc.date.issued", "sailthru.date", "article.published",
                  "published_time")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified")

# ---- listings -----------------------------------------------------------------------------------

NEXT_PAGE_TEXTS = frozenset({
    "sau", "trang sau", "tiếp", "tiếp theo", "xem tiếp", "next", "next page", "»", "›", ">", ">>", "sau »",
    "sau ›", "trang tiếp", "trang kế", "kế tiếp", "more", "older", "cũ hơn", "tin cũ hơn", "xem thêm",
})
PAGE_PARAMS = ("page", "p", "trang", "pg", "pageindex", "paged", "start")
# Sections that list other things than articles (tag clouds grow without end).
NOT_SECTIONS = ("tag", "tags", "tu-khoa", "keyword", "tac-gia", "author", "video-clip-tag", "event", "su-kien-tag")

# ---- bylines ------------------------------------------------------------------------------------

# Label words -> role. Both tone placements of "họa"/"hoạ" are printed.
ROLE_WORDS: dict[str, str] = {
    "tin": "text", "bài": "text", "bài viết": "text", "nội dung": "text", "story": "text", "stories": "text",
    "text": "text", "article": "text", "report": "text", "written": "text", "words": "text",
    "ảnh": "photo", "hình": "photo", "hình ảnh": "photo", "photo": "photo", "photos": "photo",
    "photograph": "photo", "photographs": "photo", "photography": "photo", "pictures": "photo",
    "video": "video", "videos": "video", "clip": "video", "quay phim": "video", "camera": "video",
    "đồ họa": "graphics", "đồ hoạ": "graphics", "thiết kế": "graphics", "graphics": "graphics",
    "graphic": "graphics", "infographic": "graphics", "design": "graphics",
    "thực hiện": "production", "production": "production", "produced": "production",
    "dịch": "translation", "biên dịch": "translation", "người dịch": "translation", "lược dịch": "translation",
    "translation": "translation", "translated": "translation", "translator": "translation",
}
# Staff and contributor markers: a credit, but not a person.
NOT_PERSONS = frozenset({
    "pv", "nhóm pv", "pv bhg", "nhóm pv bhg", "phóng viên", "nhóm phóng viên", "ctv", "nhóm ctv",
    "cộng tác viên", "bhg", "bhg tv", "bhgtv", "btv", "bbt", "ban biên tập", "nhóm tác giả", "reporter",
    "reporters", "staff", "minh họa", "minh hoạ", "tư liệu", "sưu tầm", "st", "tl", "internet",
})
# Bracketed notes after a name that say how, not from where: "(tổng hợp)", "(CTV)".
IGNORED_NOTES = NOT_PERSONS | {"tổng hợp", "th", "lược dịch", "dịch", "biên dịch"}
# Photo credits that name no one: "Ảnh: minh họa".
NO_CREDIT = frozenset({"minh họa", "minh hoạ", "tư liệu", "sưu tầm", "st", "tl"})
# Outlets that may stand alone on a line ("TTXVN").
KNOWN_OUTLETS = frozenset({"ttxvn", "vna", "vov", "vtv", "vtc", "vietnamplus", "vietnam+", "ttxvn/vna"})
# A name part beginning so is an organisation, not a person: "Ảnh: Báo Nhân Dân".
OUTLET_PREFIXES = (
    "báo ", "cổng ", "đài ", "tạp chí ", "trung tâm ", "thông tấn", "truyền hình", "kênh ", "trang ", "ban ",
    "sở ", "bộ ", "ubnd", "văn phòng ", "công an ", "hội ",
)
# Page furniture that is short and capitalised like a name.
BYLINE_FURNITURE = frozenset({
    "tin liên quan", "bài liên quan", "tin khác", "tin mới", "tin mới nhất", "tin nổi bật", "xem thêm",
    "xem nhiều", "đọc thêm", "chia sẻ", "bình luận", "gửi bình luận", "ý kiến bạn đọc", "cùng chuyên mục",
    "đọc nhiều", "tin đọc nhiều", "từ khóa", "từ khoá", "in bài", "gửi bài", "bản in", "quay lại",
    "về đầu trang", "đầu trang", "related news", "other news", "read more", "share", "comments",
})
