"""Development tools for measuring the portal at scale: not an app, never installed. Run from the
repository, on a scratch database (docs/search.md, docs/performance.md):

    DATABASE_URL=sqlite:///.bench/bench.sqlite3 python -m bench search --tools 100000
    DATABASE_URL=sqlite:///.bench/bench.sqlite3 python -m bench pages --tools 100000
    python -m bench synthetic-tools 1000 [--delete]
"""
