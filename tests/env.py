"""Loaded by pytest before Django (``-p tests.env`` in pyproject.toml): the test environment."""

import os
import secrets

import pytest

# Tests run with DEBUG off, as production does, with a throwaway key strong enough for the
# deploy check (portal.E002).
os.environ.setdefault("SECRET_KEY", "tests-only-" + secrets.token_urlsafe(50))
# Pages use {% static %}; without a collectstatic run the manifest storage cannot resolve names.
os.environ.setdefault("PLAIN_STATIC", "1")


def pytest_sessionstart(session):
    """The interface's catalogues compiled, as `make test` compiles them, for a bare `pytest`."""
    from portal.management.commands.compile_catalogues import compile_catalogues

    compile_catalogues()


@pytest.fixture(autouse=True)
def english_to_begin_with():
    """Each test starts in English, as each request does at an English address: Django's test
    client leaves the language of the last page it asked for active in the thread, so a test
    after one that read /fr/... would otherwise reverse French addresses."""
    from django.utils import translation

    translation.activate("en")
    yield
