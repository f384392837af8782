-- wrk -s place_order.lua <url> -- <tokens file> <body file> <run id>
-- POST /api/v1/orders, each request as the next customer, with its own Idempotency-Key.
local tokens = {}
local body = nil
local run = "run"
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
  end
  local f = assert(io.open(args[2], "r"))
  body = f:read("*a")
  f:close()
  run = args[3] or run
end

function request()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1],
    ["Idempotency-Key"] = run .. "-" .. counter,
  }
  return wrk.format("POST", "/api/v1/orders", headers, body)
end
