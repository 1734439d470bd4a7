-- GET /v2/users/{id}: a random user of the store each time.
dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")
request = function()
   return wrk.format("GET", "/v2/users/u-" .. math.random(0, common.users - 1), common.headers)
end
