#!/usr/bin/env bash
# Checks the searches' rate limit (docs/deploy.md, "Behind nginx with TLS"): fires N searches at
# once and reports how many were answered and how many got 429.
#
# Without LIMIT_REQ_URL: runs the nginx site file exactly as docs/deploy.md gives it in a scratch
# nginx (plain http on a free loopback port instead of TLS, in front of a stub that answers 200
# instead of gunicorn), so the documented lines are what is tested. It fails unless some of the
# searches got 429 with Retry-After, none of the other pages did, and a search goes through again
# once the burst has drained. Skips (exit 0) with a message if nginx is not installed.
# With LIMIT_REQ_URL=https://tip.example.org/search/?q=x: fires the searches at a running site
# and only reports (every search counts against your own address's budget there).
# Env: REQUESTS (60), LIMIT_REQ_URL (none).
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${REQUESTS:-60}

fire() {  # fire URL N: N GETs of URL in one curl (one connection, back to back); prints codes
  local args=()
  for _ in $(seq 1 "$2"); do args+=(-o /dev/null "$1"); done
  curl -s -w '%{http_code}\n' "${args[@]}"
}

report() {  # report LABEL CODES...: "LABEL: 60 requests, 21 answered 200, 39 answered 429"
  local label=$1
  shift
  printf '%s: %s requests, %s\n' "$label" "$#" \
    "$(printf '%s\n' "$@" | sort | uniq -c | awk '{printf "%s%s answered %s", sep, $1, $2; sep=", "}')"
}

if [ -n "${LIMIT_REQ_URL:-}" ]; then
  mapfile -t codes < <(fire "$LIMIT_REQ_URL" "$REQUESTS")
  report "$LIMIT_REQ_URL" "${codes[@]}"
  exit 0
fi

if ! command -v nginx >/dev/null; then
  echo "limit_req: skipped: nginx is not installed (apt-get install nginx-light), so the" \
    "rate limit in docs/deploy.md cannot be run here."
  exit 0
fi

scratch=$(mktemp -d)
nginx_pid=
stop() {
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$scratch"
}
trap stop EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=$(free_port)
http_port=$(free_port)
stub_port=$(free_port)

# The documented site file: the nginx block of docs/deploy.md that holds limit_req_zone.
site=$(awk '/^```nginx$/ {block = ""; inside = 1; next}
            /^```$/ && inside {if (block ~ /limit_req_zone/) {printf "%s", block; exit} inside = 0}
            inside {block = block $0 "\n"}' docs/deploy.md)
[ -n "$site" ] || { echo "limit_req: no nginx block with limit_req_zone in docs/deploy.md" >&2; exit 1; }
# Plain http on loopback instead of TLS, the stub instead of gunicorn.
site=$(printf '%s\n' "$site" | sed \
  -e "s/listen 443 ssl;/listen 127.0.0.1:$port;/" \
  -e "s/listen 80;/listen 127.0.0.1:$http_port;/" \
  -e '/ssl_certificate/d' \
  -e "s/server 127.0.0.1:8000;/server 127.0.0.1:$stub_port;/")

mkdir -p "$scratch/temp"
cat > "$scratch/nginx.conf" <<EOF
worker_processes 1;
pid $scratch/nginx.pid;
error_log $scratch/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $scratch/temp/body;
    proxy_temp_path $scratch/temp/proxy;
    fastcgi_temp_path $scratch/temp/fastcgi;
    uwsgi_temp_path $scratch/temp/uwsgi;
    scgi_temp_path $scratch/temp/scgi;
    server {
        listen 127.0.0.1:$stub_port;
        location / { return 200 "stub\n"; }
    }
$site
}
EOF
chmod -R a+rwX "$scratch"

nginx -t -q -p "$scratch" -e "$scratch/error.log" -c "$scratch/nginx.conf"
nginx -p "$scratch" -e "$scratch/error.log" -c "$scratch/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 50); do curl -s -o /dev/null "$base/healthz" && break; sleep 0.1; done

rate=$(printf '%s\n' "$site" | sed -n 's/.*limit_req_zone.* rate=\([^;]*\);.*/\1/p')
burst=$(printf '%s\n' "$site" | sed -n 's/.*limit_req zone=.* burst=\([0-9]*\).*/\1/p')
burst=${burst:-0}
echo "==> nginx $(nginx -v 2>&1 | sed 's/.*\///') on $base, the site file of docs/deploy.md" \
  "(rate $rate, burst $burst)"

failed=0
mapfile -t search < <(fire "$base/search/?q=extradition" "$REQUESTS")
report "/search/?q=extradition, $REQUESTS at once" "${search[@]}"
limited=$(printf '%s\n' "${search[@]}" | grep -c '^429$' || true)
passed=$(printf '%s\n' "${search[@]}" | grep -c '^200$' || true)
if [ "$limited" -eq 0 ]; then
  echo "FAIL: no search got 429"; failed=1
fi
if [ "$passed" -lt "$burst" ] || [ $((passed + limited)) -ne "$REQUESTS" ]; then
  echo "FAIL: expected at least the burst ($burst) answered 200 and the rest 429"; failed=1
fi

# The tools list shares the searches' budget, spent by now.
headers=$(curl -s -o /dev/null -D - "$base/resources/?q=x" | tr -d '\r')
status=$(printf '%s\n' "$headers" | awk 'NR == 1 {print $2}')
retry=$(printf '%s\n' "$headers" | awk -F': ' 'tolower($1) == "retry-after" {print $2}')
echo "/resources/?q=x next: $status, Retry-After: ${retry:-none}"
if [ "$status" != 429 ] || [ -z "$retry" ]; then
  echo "FAIL: the tools list should answer 429 with Retry-After"; failed=1
fi

mapfile -t others < <(fire "$base/instruments/untoc/" "$REQUESTS")
report "/instruments/untoc/ (not limited), $REQUESTS at once" "${others[@]}"
if printf '%s\n' "${others[@]}" | grep -qv '^200$'; then
  echo "FAIL: a page that is not a search or list was limited"; failed=1
fi

sleep 1
again=$(curl -s -o /dev/null -w '%{http_code}' "$base/search/?q=again")
echo "A search a second later: $again"
[ "$again" = 200 ] || { echo "FAIL: searches stay refused after the burst"; failed=1; }

[ "$failed" -eq 0 ] && echo "limit_req: the documented rate limit works." || exit 1
