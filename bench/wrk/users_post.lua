-- POST /v2/users: a new user each time, with its own email and reference_id.
dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")
local n = 0
request = function()
   n = n + 1
   local id = common.nonce .. "-" .. n
   local body = '{"email":"w' .. id .. '@bench.example","first_name":"Writer","last_name":"' .. n
      .. '","reference_id":"w-' .. id .. '","phone":"555' .. n .. '"}'
   return wrk.format("POST", "/v2/users", common.headers, body)
end
