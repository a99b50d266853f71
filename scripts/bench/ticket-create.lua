-- wrk script of scripts/bench.sh: a contact files tickets through POST /api/v1/tickets, each
-- with its own Idempotency-Key as the app sends; BENCH_COOKIE is the session.
package.path = "scripts/bench/?.lua;" .. package.path
local report = require("wrk-report")

local thread_counter = 0

setup = function(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
end

local sequence = 0
local body = [[{"product":"harbor-backup","component":"","version":"8.2.1","case_type":"question",
"subject":"Restore one file","description":"How do I restore a single file from last night without restoring the share?",
"steps_to_reproduce":"","expected_result":"","actual_result":"","severity":"minor","operating_system":"",
"computer_id":"","username":"","recent_changes":"","integrations":"","attachments":[],
"contact":{"name":"Alice Andersen","email":"alice@northwind.example","phone":"","preferred_channel":""},"cc":[]}]]

init = function()
  wrk.body = body
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
  wrk.headers["X-Requested-With"] = "lantern"
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  sequence = sequence + 1
  wrk.headers["Idempotency-Key"] = string.format("bench-%d-%d-%d", os.time(), thread_id, sequence)
  return wrk.format("POST", "/api/v1/tickets")
end

done = report.done("ticket_create_load", {
  connections = report.number("BENCH_CONNECTIONS"),
})
