"""Development tools for measuring the portal at scale: not an app, never installed. Run from the
repository, on a scratch database (docs/search.md):

    DATABASE_URL=sqlite:///.bench/search.sqlite3 python -m bench search --tools 100000
    python -m bench synthetic-tools 1000 [--delete]
"""
