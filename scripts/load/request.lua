-- wrk script for scripts/bench-load.sh. Environment:
--   COOKIE     the session cookie to send (optional)
--   ORIGIN     the Origin header for POSTs (the same-origin rule)
--   BODY_FILE  a POST body; every @@EMAIL@@ becomes a new address per request
--   TYPE       its Content-Type
--   PAIR_FILE  a second body sent after each first one, to PAIR_PATH, with the
--              same address (the invite dialog: check, then send)
-- Prints one RESULT line that the script reads.

local counter = 0
local threads = {}
local tid = 0

local function read(path)
  if path == nil or path == "" then return nil end
  local f = assert(io.open(path, "r"))
  local text = f:read("*a")
  f:close()
  return text
end

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

local body, pair, pair_path, headers, pending

function init(args)
  body = read(os.getenv("BODY_FILE"))
  pair = read(os.getenv("PAIR_FILE"))
  pair_path = os.getenv("PAIR_PATH")
  headers = { ["Accept"] = "application/json, text/html" }
  local cookie = os.getenv("COOKIE")
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  if body then
    headers["Origin"] = os.getenv("ORIGIN")
    headers["Content-Type"] = os.getenv("TYPE")
  end
  tid = thread_id or 0 -- set by setup() in this thread's state
  math.randomseed(os.time() + tid * 7919)
end

local function address()
  counter = counter + 1
  return string.format("load-%d-%d-%d@load.test", math.random(1, 1000000000), tid, counter)
end

function request()
  if body == nil then
    return wrk.format("GET", nil, headers)
  end
  if pending then
    local email = pending
    pending = nil
    return wrk.format("POST", pair_path, headers, (pair:gsub("@@EMAIL@@", email)))
  end
  local email = address()
  if pair then pending = email end
  return wrk.format("POST", nil, headers, (body:gsub("@@EMAIL@@", email)))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
