-- wrk script for `ladder http`: an optional POST body (LADDER_WRK_BODY), optional pipelining
-- (LADDER_WRK_PIPELINE requests per write, as TechEmpower does for plaintext), and a done() hook
-- that prints the run as one JSON line prefixed "LADDER_JSON ".
local body = os.getenv("LADDER_WRK_BODY")
local depth = tonumber(os.getenv("LADDER_WRK_PIPELINE") or "1") or 1

if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

local batch = nil
if depth > 1 then
  init = function(args)
    local one = wrk.format()
    batch = string.rep(one, depth)
  end
  request = function()
    return batch
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LADDER_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"mean":%.3f,"max":%d,"stdev":%.3f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max, latency.stdev))
end
