# The TIP Cooperation Portal. `make run` serves it; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Fixtures in the order their natural keys need them.
FIXTURES := source documents organizations mechanisms instruments guidance resources
# Participation (fixtures/participation/PROVENANCE.md), read after the participants and their
# groups (fixtures/countries.json, which names participants) are loaded.
PARTICIPATION := $(addprefix fixtures/participation/,untoc.csv tip_protocol.csv memberships.csv)

.PHONY: run test lint format install messages migrate fixtures superuser editor editors js clean
.PHONY: collectstatic serve loadtest
.PHONY: bench bench-search

# Production server (docs/deploy.md). `make serve` needs SECRET_KEY; it serves 127.0.0.1:$(PORT)
# for a proxy in front. Workers: WEB_CONCURRENCY, else 2 x cores + 1, at most 9.
WEB_CONCURRENCY ?= $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$((2 * n + 1 > 9 ? 9 : 2 * n + 1)))
GUNICORN_THREADS ?= 2
GUNICORN_ARGS ?=
# Load test (loadtest/run.sh): seconds and open connections.
DURATION ?= 20
CONNECTIONS ?= 32

# The venv is rebuilt when pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

# axe-core for the browser tests' accessibility checks, from the npm registry.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

js: node_modules/.installed

migrate: install messages
	DEBUG=1 $(BIN)/python manage.py migrate --no-input

# The interface's translations (locale/*/LC_MESSAGES/django.po) compiled to .mo with Babel
# (those that changed): `make run`, `make test` and `make serve` need no gettext tools.
messages: install
	DEBUG=1 $(BIN)/python manage.py compile_catalogues --verbosity 0

# Idempotent: natural keys make a second load update rows instead of duplicating them. Loading
# records no history; record_history then gives each record its first version (only once).
fixtures: migrate
	DEBUG=1 $(BIN)/python manage.py loaddata $(FIXTURES)
	DEBUG=1 $(BIN)/python manage.py load_participants
	DEBUG=1 $(BIN)/python manage.py loaddata countries
	DEBUG=1 $(BIN)/python manage.py import_participation $(PARTICIPATION)
	DEBUG=1 $(BIN)/python manage.py record_history

# The Editor group with exactly its permissions (idempotent).
editors: migrate
	DEBUG=1 $(BIN)/python manage.py setup_editor_group

# `make editor name=alice`: alice becomes an editor (created if new; asks for a password).
editor: editors
	@test -n "$(name)" || { echo "Usage: make editor name=USERNAME"; exit 2; }
	DEBUG=1 $(BIN)/python manage.py setup_editor_group --add-user "$(name)"

run: fixtures editors
	@echo "Serving the portal at http://127.0.0.1:$(PORT)/ (admin at /admin/; 'make superuser' creates a login)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

superuser: migrate
	DEBUG=1 $(BIN)/python manage.py createsuperuser

test: install messages
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory js; fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 .pytest_cache .ruff_cache

# Hashed, compressed static files in staticfiles/ (WhiteNoise serves them, immutable). The lock
# lets several `make serve` start at once in one folder.
collectstatic: install
	flock $(VENV)/.collectstatic.lock $(BIN)/python manage.py collectstatic --no-input --verbosity 0

# It refuses to start on a deploy check error (a weak SECRET_KEY among them). Gunicorn trusts no
# client's X-Forwarded-Ssl/-Protocol/-Proto (--forwarded-allow-ips empty): Django reads
# X-Forwarded-Proto itself, and only with BEHIND_TLS_PROXY=1.
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: install messages
	$(BIN)/python manage.py check --deploy --fail-level ERROR
	$(MAKE) --no-print-directory collectstatic
	$(BIN)/python manage.py migrate --no-input
	@echo "gunicorn: $(WEB_CONCURRENCY) workers x $(GUNICORN_THREADS) threads on 127.0.0.1:$(PORT)"
	exec $(BIN)/gunicorn portal.wsgi --bind 127.0.0.1:$(PORT) --forwarded-allow-ips "" \
		--workers $(WEB_CONCURRENCY) --worker-class gthread --threads $(GUNICORN_THREADS) \
		--timeout 30 --graceful-timeout 20 --max-requests 5000 --max-requests-jitter 500 \
		$(GUNICORN_ARGS)

# Serves a scratch copy (fixtures loaded) on a free port, drives it with wrk, stops it.
loadtest: install
	DURATION=$(DURATION) CONNECTIONS=$(CONNECTIONS) FIXTURES="$(FIXTURES)" loadtest/run.sh

# Measures run on scratch databases (SQLite in .bench/; with DATABASE_URL set, also PostgreSQL,
# in a database named after it plus _$(2)), made and indexed on first use: `python -m bench $(1)`
# on each. `bench` holds BENCH_TOOLS synthetic tools beside the fixtures, `fixtures` none.
BENCH_TOOLS ?= 100000
define bench_both
	@mkdir -p .bench
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/.bench/$(2).sqlite3 $(BIN)/python -m bench $(1)
	@if [ -n "$$DATABASE_URL" ]; then \
		bench_url=$$($(BIN)/python -c 'import os; u, s, q = os.environ["DATABASE_URL"].partition("?"); print(u.rstrip("/") + "_$(2)" + s + q)'); \
		echo "PostgreSQL scratch database: $${bench_url##*/}"; \
		DEBUG=1 DATABASE_URL="$$bench_url" $(BIN)/python -m bench $(1); \
	fi
endef

# Every public page type (docs/performance.md): median and p95 server time and queries, at
# fixture scale and at BENCH_TOOLS tools, and a CSV export of every tool with its peak memory.
# Then one wrk run each of a static file, /healthz, a cached and an uncached page through
# `make serve` on the fixtures, as ratios to the static file (bench/serve.py; the cached page
# needs Redis).
bench: install
	$(call bench_both,pages --tools 0 --skip-export,fixtures)
	$(call bench_both,pages --tools $(BENCH_TOOLS),bench)
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/.bench/fixtures.sqlite3 $(BIN)/python -m bench serve

# Search (docs/search.md): fixed searches beside an icontains scan.
bench-search: install
	$(call bench_both,search --tools $(BENCH_TOOLS),bench)
