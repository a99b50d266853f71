-- wrk script of scripts/bench.sh: cycles through a few realistic full-text queries and prints the
-- figures as one `BENCH_JSON` line (with BENCH_ARTICLES and BENCH_CONNECTIONS from the environment).
local queries = {
  "restore%20backup%20failed",
  "sign%20in%20problem",
  "upgrade%20agent%20linux",
  "collect%20logs",
  "certificate%20expired",
}
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/kb/search?q=" .. queries[(counter % #queries) + 1])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"kb_search_load":{"articles":%d,"connections":%d,"queries":%d,"requests":%d,'
      .. '"duration_s":%.2f,"requests_per_s":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,'
      .. '"errors":%d,"non_2xx":%d}}\n',
    tonumber(os.getenv("BENCH_ARTICLES") or 0), tonumber(os.getenv("BENCH_CONNECTIONS") or 0),
    #queries, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.connect + errors.read + errors.write + errors.timeout + errors.status, errors.status))
end
