"""Loaded by pytest before Django (``-p tests.env`` in pyproject.toml): the test environment."""

import os

# Tests run with DEBUG off, as production does; they only need a throwaway key.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
# Pages use {% static %}; without a collectstatic run the manifest storage cannot resolve names.
os.environ.setdefault("PLAIN_STATIC", "1")
