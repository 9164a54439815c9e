#!/usr/bin/env bash
# `make loadtest`: serve a scratch copy of the portal (fixtures loaded) with `make serve` on a free
# loopback port, collect a mix of its pages, filters and searches (loadtest/crawl.py), drive them
# with wrk for DURATION seconds over CONNECTIONS connections (loadtest/rotate.lua), print the
# figures and stop the server. Exits non-zero on any 5xx response or socket error.
# Traffic goes to 127.0.0.1 only. Env: DURATION (20), CONNECTIONS (32), THREADS (2),
# LOADTEST_TIMEOUT (10, seconds before a request counts as a timeout), LOADTEST_DATABASE_URL
# (default: a scratch SQLite file), REDIS_URL (optional: turns the page cache on).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
FIXTURES=${FIXTURES:-source documents organizations mechanisms instruments guidance resources}
PY=.venv/bin/python

command -v wrk >/dev/null || { echo "loadtest: wrk is missing (apt-get install wrk)" >&2; exit 2; }

scratch=$(mktemp -d)
server_pid=
stop() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap stop EXIT

port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 PORT="$port"
export SECRET_KEY=${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}
export DATABASE_URL=${LOADTEST_DATABASE_URL:-sqlite:///$scratch/db.sqlite3}

echo "==> Scratch database with the fixtures"
$PY manage.py migrate --no-input --verbosity 0
files=()
for name in $FIXTURES; do [ -f "fixtures/$name.json" ] && files+=("fixtures/$name.json"); done
if [ ${#files[@]} -gt 0 ]; then
  $PY manage.py loaddata "${files[@]}"
  # The participants, their groups and the participation data, as `make fixtures` loads them.
  $PY manage.py load_participants
  $PY manage.py loaddata fixtures/countries.json
  $PY manage.py import_participation fixtures/participation/*.csv >/dev/null
fi

echo "==> make serve on 127.0.0.1:$port"
setsid make --no-print-directory serve PORT="$port" >"$scratch/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/server.log"; echo "loadtest: server died" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" || { tail -50 "$scratch/server.log"; exit 1; }
grep -m1 '^gunicorn:' "$scratch/server.log" || true

echo "==> Collecting paths"
$PY loadtest/crawl.py "http://127.0.0.1:$port" --max-pages "${LOADTEST_PAGES:-150}" >"$scratch/paths.txt"
echo "$(wc -l <"$scratch/paths.txt") paths, e.g.:"
shuf -n 8 --random-source=<(yes) "$scratch/paths.txt" | sed 's/^/  /'

echo "==> wrk: ${DURATION}s, $CONNECTIONS connections, $THREADS threads"
LOADTEST_PATHS="$scratch/paths.txt" wrk --threads "$THREADS" --connections "$CONNECTIONS" \
  --duration "${DURATION}s" --timeout "${LOADTEST_TIMEOUT:-10}s" --latency \
  --script loadtest/rotate.lua "http://127.0.0.1:$port" | tee "$scratch/wrk.txt"

summary=$(grep '^LOADTEST ' "$scratch/wrk.txt") || { echo "loadtest: no summary from wrk" >&2; exit 1; }
value() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$summary"; }
if [ "$(value requests)" -eq 0 ] || [ "$(value 5xx)" -ne 0 ] || [ "$(value socket_errors)" -ne 0 ]; then
  echo "loadtest: FAILED ($summary)" >&2
  echo "---- server log (last 40 lines) ----" >&2
  tail -40 "$scratch/server.log" >&2
  exit 1
fi
echo "loadtest: passed (no 5xx, no socket errors)"
