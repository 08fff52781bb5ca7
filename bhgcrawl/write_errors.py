"""What a user is told to do when a file cannot be written: free disk space only when the disk is full.

A file standing where a folder should be, or a folder without write permission, is fixed by another
path, not by deleting files.
"""

from __future__ import annotations

import errno
import sqlite3

_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def is_full(exc: BaseException) -> bool:
    """The disk (or the user's quota) is full; SQLite says so in words (SQLITE_FULL)."""
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "is full" in str(exc)
    return getattr(exc, "errno", None) in _FULL


def fix(exc: BaseException, elsewhere: str) -> str:
    """`elsewhere` (how to point the run at another path), after "free disk space" if the disk is full."""
    return f"free disk space or {elsewhere}" if is_full(exc) else elsewhere
