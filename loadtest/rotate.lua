-- wrk script: rotate through the paths in $LOADTEST_PATHS (one per line), count responses by
-- class, and print a summary with a machine-readable last line for loadtest/run.sh.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("LOADTEST_PATHS")) do
    if line ~= "" then table.insert(paths, line) end
  end
  if #paths == 0 then error("no paths in " .. os.getenv("LOADTEST_PATHS")) end
  -- Each thread starts at a different place in the list.
  index = (id * 7) % #paths
  ok, redirects, client_errors, server_errors = 0, 0, 0, 0
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1
  elseif status >= 400 then client_errors = client_errors + 1
  elseif status >= 300 then redirects = redirects + 1
  else ok = ok + 1 end
end

function done(summary, latency, requests)
  local totals = {ok = 0, redirects = 0, client_errors = 0, server_errors = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write("\n---- load test summary ----\n")
  io.write(string.format("requests:        %d in %.1f s\n", summary.requests, seconds))
  io.write(string.format("requests/s:      %.1f\n", summary.requests / seconds))
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("latency p%d:     %.1f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("latency max:     %.1f ms\n", latency.max / 1000))
  io.write(string.format("2xx: %d  3xx: %d  4xx: %d  5xx: %d\n",
    totals.ok, totals.redirects, totals.client_errors, totals.server_errors))
  io.write(string.format("non-2xx/3xx:     %d\n", totals.client_errors + totals.server_errors))
  io.write(string.format("socket errors:   connect %d, read %d, write %d, timeout %d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format("LOADTEST requests=%d rps=%.1f p50_ms=%.1f p99_ms=%.1f 5xx=%d 4xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, totals.server_errors, totals.client_errors, socket_errors))
end
