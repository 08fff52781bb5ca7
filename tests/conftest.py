"""Fixtures shared by the tests; helpers to import are in tests/helpers.py."""

import pytest

from devtools.replay import ReplayServer
from tests.helpers import SITE


@pytest.fixture
def replay():
    with ReplayServer(SITE) as server:
        yield server
