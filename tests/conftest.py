"""Fixtures shared by the tests; helpers to import are in tests/helpers.py."""

import os
import sys

import pytest
from hypothesis import HealthCheck, settings

from devtools.replay import ReplayServer
from tests.helpers import INVENTED_SITE, SITE

# Property tests run the same examples on every machine (derandomize: CI cannot flake on a new draw),
# few enough to stay fast, with no example database written into the work tree.
settings.register_profile("bhg", derandomize=True, max_examples=60, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("bhg")


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


@pytest.fixture(autouse=True)
def _cold_caches_under_mutation_testing():
    """Under `make mutation` (mutmut sets MUTANT_UNDER_TEST) every test starts with the package's caches
    empty. An answer cached by an earlier test, or by an import during collection, would skip the function:
    the map of which tests reach which function would miss the test, and a mutant would meet the original's
    cached answer instead of its own."""
    if "MUTANT_UNDER_TEST" in os.environ:
        for name, module in list(sys.modules.items()):
            if name.startswith("bhgcrawl"):
                for value in list(vars(module).values()):
                    if callable(getattr(value, "cache_clear", None)):
                        value.cache_clear()
        dates = sys.modules.get("bhgcrawl.dates")
        if dates is not None:  # built on first use (dateparser is slow to load)
            dates._parser = None
            dates._known_words.clear()
    yield
