-- wrk script of scripts/bench.sh: an organisation admin lists "Organisation tickets" (50 per
-- page) in the orders and with the filters of the list; BENCH_COOKIE is the session. Text search
-- (`q`) is left out: it scans the organisation's subjects (see BENCHMARKS.md).
package.path = "scripts/bench/?.lua;" .. package.path
local report = require("wrk-report")

local lists = {
  "/api/v1/tickets?scope=organisation&limit=50",
  "/api/v1/tickets?scope=organisation&limit=50&status=all",
  "/api/v1/tickets?scope=organisation&limit=50&sort=severity",
  "/api/v1/tickets?scope=organisation&limit=50&severity=critical",
  "/api/v1/tickets?scope=organisation&limit=50&sort=due_first",
}
local counter = 0

init = function()
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
  wrk.headers["X-Requested-With"] = "lantern"
end

request = function()
  counter = counter + 1
  return wrk.format("GET", lists[(counter % #lists) + 1])
end

done = report.done("ticket_list_load", {
  tickets = report.number("BENCH_TICKETS"),
  connections = report.number("BENCH_CONNECTIONS"),
  page_size = 50,
})
