-- wrk script of scripts/bench.sh: full-text searches that are all different (so none is
-- answered from the result cache): every request combines three words of a support vocabulary,
-- the first of them sometimes with a typo, in an order no other request uses. Requests carry a
-- visit id as the app sends them, a new visit every four searches, so search analytics record
-- them as they would in production.
package.path = "scripts/bench/?.lua;" .. package.path
local report = require("wrk-report")

local words = {
  "backup", "restore", "sync", "upload", "slow", "failed", "stalled", "missing", "files",
  "sign", "certificate", "proxy", "memory", "quota", "scheduled", "license", "ldap", "sso",
  "bandwidth", "deduplication", "cache", "retention", "port", "permission", "disk", "space",
  "upgrade", "log", "timeout", "duplicate", "device", "encryption", "key", "firewall",
  "service", "account", "clock", "antivirus", "agent", "console", "vault", "client", "mobile",
  "portal", "gateway", "sftp", "ftps", "audit", "windows", "macos", "ubuntu", "debian",
  "android", "network", "error", "install", "configure", "monitor", "migrate", "recover",
  "reset", "identity", "provider", "attribute",
}
local typos = { "bakcup", "restor", "sycn", "certifcate", "permision", "dedupliction" }

local thread_count = 0
setup = function(thread)
  thread:set("offset", thread_count * 1000003)
  thread_count = thread_count + 1
end

local counter = 0
request = function()
  counter = counter + 1
  local n = counter + (offset or 0)
  local a = words[(n % #words) + 1]
  local b = words[(math.floor(n / #words) % #words) + 1]
  local c = words[(math.floor(n / (#words * #words)) % #words) + 1]
  if n % 7 == 0 then
    a = typos[(n % #typos) + 1]
  end
  local headers = { ["Lantern-Visit"] = string.format("%032x", math.floor(n / 4)) }
  return wrk.format("GET", "/api/v1/kb/search?q=" .. a .. "%20" .. b .. "%20" .. c, headers)
end

done = report.done("kb_search_distinct_load", {
  articles = report.number("BENCH_ARTICLES"),
  connections = report.number("BENCH_CONNECTIONS"),
})
