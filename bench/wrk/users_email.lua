-- GET /v2/users?email=: a random user's email each time (an index lookup, one match).
dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")
request = function()
   return wrk.format("GET", "/v2/users?email=user" .. math.random(0, common.users - 1) .. "%40bench.example",
      common.headers)
end
