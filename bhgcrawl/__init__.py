"""bhgcrawl: the crawler and archive of Báo Hà Giang (baohagiang.vn)."""

__version__ = "0.1.0"
