-- wrk script of scripts/bench.sh: cycles through a few realistic full-text queries.
package.path = "scripts/bench/?.lua;" .. package.path
local report = require("wrk-report")

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

done = report.done("kb_search_load", {
  articles = report.number("BENCH_ARTICLES"),
  connections = report.number("BENCH_CONNECTIONS"),
  queries = #queries,
})
