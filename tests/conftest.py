"""Fixtures shared by the tests; helpers to import are in tests/helpers.py."""

import pytest

from devtools.replay import ReplayServer
from tests.helpers import INVENTED_SITE, SITE


@pytest.fixture
def replay():
    """The replay server over the main copy of the site (the real platform's template)."""
    with ReplayServer(SITE) as server:
        yield server


@pytest.fixture
def invented():
    """The replay server over the copy in the markup invented before the platform was known."""
    with ReplayServer(INVENTED_SITE) as server:
        yield server
