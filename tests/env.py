"""Loaded by pytest before Django (``-p tests.env`` in pyproject.toml): the test environment."""

import os
import secrets

# Tests run with DEBUG off, as production does, with a throwaway key strong enough for the
# deploy check (portal.E002).
os.environ.setdefault("SECRET_KEY", "tests-only-" + secrets.token_urlsafe(50))
# Pages use {% static %}; without a collectstatic run the manifest storage cannot resolve names.
os.environ.setdefault("PLAIN_STATIC", "1")
