-- PUT /v2/conversations/{id}: the assign/resolve cycle. Request n works on conversation offset + n mod span and takes
-- it one step further: resolve, reopen, assign to an agent (assigned → resolved → new → assigned). A conversation is
-- visited again only after `span` other requests, so its previous step has long been answered (at most c requests
-- are in flight). bench/all gives each run a range of conversations still `assigned`.
dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")
local n = 0
local first = true
request = function()
   -- wrk calls request() once before the run to check the script and does not send that request: answer it with a
   -- read, so the cycle's counter only counts requests that are sent.
   if first then
      first = false
      return wrk.format("GET", "/v2/conversations/c-" .. common.offset, common.headers)
   end
   local c = common.offset + (n % common.span)
   local step = math.floor(n / common.span) % 3
   n = n + 1
   local body
   if step == 0 then
      body = '{"status":"resolved"}'
   elseif step == 1 then
      body = '{"status":"reopened"}'
   else
      body = '{"status":"assigned","assigned_agent_id":"a-' .. ((c + n) % common.agents) .. '"}'
   end
   return wrk.format("PUT", "/v2/conversations/c-" .. c, common.headers, body)
end
