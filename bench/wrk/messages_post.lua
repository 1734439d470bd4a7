-- POST /v2/conversations/{id}/messages: a new user message (its own text) in a random conversation, from that
-- conversation's user.
dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")
local n = 0
request = function()
   n = n + 1
   local c = math.random(0, common.conversations - 1)
   local body = '{"actor_type":"user","actor_id":"u-' .. common.user_of(c)
      .. '","message_type":"normal","message_parts":[{"text":{"content":"Benchmark message ' .. common.nonce
      .. '-' .. n .. '"}}]}'
   return wrk.format("POST", "/v2/conversations/c-" .. c .. "/messages", common.headers, body)
end
