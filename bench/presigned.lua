-- wrk script: replay pre-signed requests from a file, stop after a fixed count.
--
--   wrk -t T -c C -d 600s -s bench/presigned.lua URL -- FILE T QUOTA MARKER
--
-- FILE holds one request per line, tab-separated: path, "Name: value" headers, body.
-- Thread n sends lines n, n+T, n+2T, ... (wrapping round when QUOTA asks for more).
-- After QUOTA responses a thread appends a line to MARKER and stops; the caller sends
-- wrk SIGINT once every thread has, which makes wrk print its summary at once instead
-- of sleeping out -d. Wall-clock times come from clock_gettime through LuaJIT's FFI,
-- since wrk's own duration would include that wait.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } rc_timespec;
  int clock_gettime(int clock, rc_timespec *ts);
]]
local timespec = ffi.new("rc_timespec")

local function now()
  ffi.C.clock_gettime(0, timespec) -- CLOCK_REALTIME: comparable across threads
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) / 1e9
end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in string.gmatch(line, "[^\t]+") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  local path, total, marker_path = args[1], tonumber(args[2]), args[4]
  quota = tonumber(args[3])
  marker = marker_path
  requests, position, answered = {}, 0, 0
  accepted, duplicate, unauthorised, limited, other = 0, 0, 0, 0, 0
  first_sent, last_answered = 0, 0
  local n = 0
  for line in io.lines(path) do
    if n % total == id then
      local fields = split(line)
      local headers = {}
      for i = 2, #fields - 1 do
        local name, value = string.match(fields[i], "^([^:]+): (.*)$")
        headers[name] = value
      end
      table.insert(requests, wrk.format("POST", fields[1], headers, fields[#fields]))
    end
    n = n + 1
  end
end

function request()
  if first_sent == 0 then
    first_sent = now()
  end
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  answered = answered + 1
  last_answered = now()
  if status == 200 then
    if string.find(body, '"duplicate"', 1, true) then
      duplicate = duplicate + 1
    else
      accepted = accepted + 1
    end
  elseif status == 401 then
    unauthorised = unauthorised + 1
  elseif status == 429 then
    limited = limited + 1
  else
    other = other + 1
  end
  if answered == quota then
    local file = io.open(marker, "a")
    file:write(id, "\n")
    file:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests_done)
  local totals = {accepted = 0, duplicate = 0, unauthorised = 0, limited = 0, other = 0}
  local started, finished = math.huge, 0
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
    local sent = thread:get("first_sent")
    if sent > 0 and sent < started then started = sent end
    finished = math.max(finished, thread:get("last_answered"))
  end
  local parts = {}
  for name, count in pairs(totals) do
    table.insert(parts, string.format('"%s": %d', name, count))
  end
  for _, p in ipairs({50, 95, 99}) do
    table.insert(parts, string.format('"p%d_us": %d', p, latency:percentile(p)))
  end
  table.insert(parts, string.format('"max_us": %d', latency.max))
  table.insert(parts, string.format('"started": %.6f, "finished": %.6f', started, finished))
  table.insert(parts, string.format(
    '"socket_errors": %d', summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
  io.write("WRK_RESULT {", table.concat(parts, ", "), "}\n")
end
