-- Shared by the bench/wrk/*.lua scripts that bench/all runs: the bearer token, the data set's shape (from the
-- environment, as bench/populate made it) and the done() reporter of bench/report.lua.
--
--   BENCH_USERS, BENCH_CONVERSATIONS, BENCH_AGENTS   how many u-<i>, c-<i>, a-<i> the store holds
--   BENCH_NONCE                                      makes written ids and emails unique across runs
--   BENCH_OFFSET, BENCH_SPAN                         the conversations a PUT run cycles through
local dir = os.getenv("BENCH_WRK_DIR") or "bench/wrk"
dofile(dir .. "/../report.lua")

common = {}
common.users = tonumber(os.getenv("BENCH_USERS") or "1000")
common.conversations = tonumber(os.getenv("BENCH_CONVERSATIONS") or "1000")
common.agents = tonumber(os.getenv("BENCH_AGENTS") or "200")
common.nonce = os.getenv("BENCH_NONCE") or tostring(os.time())
common.offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
common.span = tonumber(os.getenv("BENCH_SPAN") or "200")
common.headers = { ["Authorization"] = "Bearer bench", ["Content-Type"] = "application/json" }
math.randomseed(tonumber(os.getenv("BENCH_SEED") or "7"))

-- The user of conversation c (bench/populate: u-<c*5 mod users>).
function common.user_of(c)
   return (c * 5) % common.users
end
