-- Copied unchanged from ../shared/bench/askbot/rotate_paths.lua (the Askbot reference
-- benchmark) so bench/ is self-contained and both benchmarks drive wrk alike.
-- wrk script: rotate GET requests over the URL paths listed (one per line)
-- in the file named by env WRK_PATHS (default: paths.txt). Each wrk thread
-- starts at a different offset. Optional env WRK_COOKIE adds a Cookie header
-- (e.g. "sessionid=..." for a logged-in run). done() prints one JSON line.
local paths = {}
local fname = os.getenv("WRK_PATHS") or "paths.txt"
local f = assert(io.open(fname, "r"), "cannot open " .. fname)
for line in f:lines() do
  if #line > 0 then paths[#paths + 1] = line end
end
f:close()

local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = (tid or 0) * 7919
  local cookie = os.getenv("WRK_COOKIE")
  if cookie and #cookie > 0 then wrk.headers["Cookie"] = cookie end
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_s": %.2f, "rps": %.2f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "non2xx": %d, "sock_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
