-- GET /v2/agents?items_per_page=50: the first page (sorted by email).
dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")
request = function()
   return wrk.format("GET", "/v2/agents?items_per_page=50", common.headers)
end
