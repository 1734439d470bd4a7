-- GET /v2/conversations/{id}/messages?items_per_page=50: the newest 50 messages of a random conversation.
dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")
request = function()
   return wrk.format("GET", "/v2/conversations/c-" .. math.random(0, common.conversations - 1)
      .. "/messages?items_per_page=50", common.headers)
end
