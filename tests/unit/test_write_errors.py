"""The fix a user is told when a file cannot be written."""

import errno
import os
import sqlite3

import pytest

from bhgcrawl import write_errors


@pytest.mark.parametrize("exc,full", [
    (OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), True),
    (OSError(errno.EDQUOT, os.strerror(errno.EDQUOT)), True),
    (OSError(errno.EFBIG, os.strerror(errno.EFBIG)), True),
    (FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST)), False),  # a file where the folder should be
    (NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)), False),
    (PermissionError(errno.EACCES, os.strerror(errno.EACCES)), False),
    (OSError(errno.EROFS, os.strerror(errno.EROFS)), False),
    (sqlite3.OperationalError("database or disk is full"), True),
    (sqlite3.OperationalError("attempt to write a readonly database"), False),
    (sqlite3.OperationalError("unable to open database file"), False),
])
def test_free_disk_space_is_said_only_when_the_disk_is_full(exc, full):
    """Catches "free disk space" said of a folder blocked by a file or without write permission (the
    user deletes files and the next run fails the same way) and not said when the disk is full."""
    said = write_errors.fix(exc, "point the run elsewhere with -s BHG_STATE_PATH=...")
    assert said == ("free disk space or " if full else "") + "point the run elsewhere with -s BHG_STATE_PATH=..."


def test_a_full_disk_under_sqlite_is_told_by_its_error_code():
    """Catches SQLite's SQLITE_FULL missed when its message is in other words (a localised build)."""
    exc = sqlite3.OperationalError("disque plein")
    exc.sqlite_errorcode = sqlite3.SQLITE_FULL
    assert write_errors.is_full(exc)
