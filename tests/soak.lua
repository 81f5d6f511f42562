-- wrk script for the soak test: GET / and POST /jobs in turn, counting answers.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent, accepted, failed = 0, 0, 0
end

function request()
  sent = sent + 1
  if sent % 2 == 0 then
    local headers = { ["Content-Type"] = "application/json" }
    return wrk.format("POST", "/jobs", headers, '{"n": 1000}')
  end
  return wrk.format("GET", "/")
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  elseif status >= 500 then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local total_accepted, total_failed = 0, 0
  for _, thread in ipairs(threads) do
    total_accepted = total_accepted + thread:get("accepted")
    total_failed = total_failed + thread:get("failed")
  end
  io.write(string.format("accepted=%d server_errors=%d\n", total_accepted, total_failed))
end
