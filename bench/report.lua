-- wrk reporter for bench/run: after the normal wrk output, prints exactly one machine-readable line
--
--   BENCH rps=<req/s> p50_ms=<ms> p99_ms=<ms> errors=<n> requests=<n> connect=<n> read=<n> write=<n> status=<n> timeout=<n>
--
-- errors = connect + read + write + status + timeout. wrk counts a response with a status > 399 in
-- summary.errors.status; bench/run checks the 200 with curl before loading, so every non-2xx under load
-- shows up here as an error.
--
-- Only done() is defined: a request()/response() hook would make wrk run Lua per request and slow the
-- load generator itself down.

done = function(summary, latency, requests)
   local e = summary.errors
   local errors = e.connect + e.read + e.write + e.status + e.timeout
   local seconds = summary.duration / 1e6
   local rps = 0
   if seconds > 0 then rps = summary.requests / seconds end
   io.write(string.format(
      "BENCH rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d requests=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
      rps, latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.requests,
      e.connect, e.read, e.write, e.status, e.timeout))
end
