-- Shared by the wrk scripts of scripts/bench.sh: prints wrk's summary as one `BENCH_JSON` line
-- `{"<part>":{...}}`, with the fields of `extra` (numbers) first.
local M = {}

function M.done(part, extra)
  return function(summary, latency, requests)
    local errors = summary.errors
    local seconds = summary.duration / 1e6
    local fields = {}
    for key, value in pairs(extra) do
      table.insert(fields, string.format('"%s":%d', key, value))
    end
    table.sort(fields)
    table.insert(fields, string.format(
      '"requests":%d,"duration_s":%.2f,"requests_per_s":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,'
        .. '"max_ms":%.3f,"errors":%d,"non_2xx":%d',
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      errors.connect + errors.read + errors.write + errors.timeout + errors.status, errors.status))
    io.write(string.format('BENCH_JSON {"%s":{%s}}\n', part, table.concat(fields, ",")))
  end
end

-- An environment variable as a number (0 when unset).
function M.number(name)
  return tonumber(os.getenv(name) or 0)
end

return M
