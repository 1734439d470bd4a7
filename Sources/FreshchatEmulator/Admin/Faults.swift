import HTTP
import Synchronization

/// The fault rules of one workspace (`/_emulator/faults`), applied to every `/v2` request before auth and the rate
/// limit, in the order they were added. A rule that only adds latency delays the request and lets the next rules
/// and the API run; the first rule that fires with a status or a drop decides the answer.
///
/// A rule with `target: webhooks` applies to webhook delivery attempts instead (issue "Webhooks": "Delivery faults
/// (drop, delay, answer as if 500) go through the fault rules of the control plane"): its `path` matches the path of
/// the receiver's URL and `event` the webhook's action; it delays the attempt, drops the webhook (never sent, dead)
/// or ends the attempt as if the receiver had answered `status` (retried as any failure is).
public final class Faults: Sendable {
    /// What a rule applies to.
    public enum Target: String, Sendable, CaseIterable {
        /// `/v2` requests.
        case api
        /// Webhook delivery attempts.
        case webhooks
    }

    /// What a rule does when it fires.
    public struct Rule: Sendable {
        /// `/v2` requests or webhook deliveries.
        public var target: Target = .api
        /// Webhook rules only: only webhooks of this event (nil: any).
        public var event: WebhookEvent.Action?
        /// Only requests with this method (nil: any).
        public var method: HTTPMethod?
        /// Only requests whose path matches (default `*`: any).
        public var path: PathPattern
        /// Only requests carrying this bearer token (nil: any, or none).
        public var token: String?
        /// Fires on the next `times` matching requests, then never (nil: no limit).
        public var times: Int?
        /// Fires on a matching request with this probability (nil: always).
        public var probability: Double?
        /// The seed of the rule's own random sequence (SplitMix64, as `IDSource`).
        public var seed: UInt64
        /// Answer with this status (4xx or 5xx) and the Freshchat error body.
        public var status: Int?
        /// The body's `status` (default: the status name, e.g. `SERVICE_UNAVAILABLE`).
        public var errorStatus: String?
        /// The body's `message`.
        public var message: String?
        /// `Retry-After` seconds; a 429 without it says the rate-limit window's length.
        public var retryAfter: Int?
        /// Added before answering (wall-clock milliseconds).
        public var latencyMillis: Int
        /// Close the connection without answering.
        public var dropConnection: Bool
    }

    /// What the rules decided for one request.
    public struct Outcome: Sendable {
        /// Total latency of the rules that fired.
        public var latencyMillis = 0
        /// The answer (a fault response, or `Response.dropConnection`), nil when the request goes on to the API.
        public var response: Response?
        /// The last rule that fired.
        public var ruleID: Int?
    }

    private struct Live {
        var id: Int
        var rule: Rule
        var random: IDSource
        var createdTime: Int64
        var matched = 0
        var hits = 0
    }

    private let state = Mutex<(rules: [Live], nextID: Int)>(([], 1))
    /// How many rules add latency: while there are any, requests are answered off the server's event loops.
    private let delayingRules = Atomic<Int>(0)

    /// Creates an empty rule list.
    public init() {}

    /// Adds a rule at the end.
    /// - Returns: the rule as listed.
    public func add(_ rule: Rule, at time: Int64) -> JSONValue {
        state.withLock { state in
            let live = Live(id: state.nextID, rule: rule, random: IDSource(seed: rule.seed), createdTime: time)
            state.nextID += 1
            state.rules.append(live)
            if rule.latencyMillis > 0 { delayingRules.add(1, ordering: .relaxed) }
            return Self.json(live)
        }
    }

    /// Every rule in order, with how often it matched and fired.
    public var json: [JSONValue] { state.withLock { $0.rules.map(Self.json) } }

    /// Removes rule `id`; false when there is none.
    public func remove(id: Int) -> Bool {
        state.withLock { state in
            guard let index = state.rules.firstIndex(where: { $0.id == id }) else { return false }
            let removed = state.rules.remove(at: index)
            if removed.rule.latencyMillis > 0 { delayingRules.subtract(1, ordering: .relaxed) }
            return true
        }
    }

    /// Removes every rule.
    public func removeAll() {
        state.withLock { state in
            state.rules.removeAll()
            delayingRules.store(0, ordering: .relaxed)
        }
    }

    /// Whether some rule adds latency (then a request may sleep in `Controls.handle`).
    public var delaysRequests: Bool { delayingRules.load(ordering: .relaxed) > 0 }

    /// Runs the rules for `request` carrying bearer `token`; `rateLimit` fills a 429's rate-limit headers.
    /// - Parameters:
    ///   - now: the Clock time (epoch ms).
    ///   - rateLimit: the limiter's limit and window length (ms).
    public func evaluate(
        _ request: Request, token: String?, now: Int64, rateLimit: (limit: Int, window: Int64)
    ) -> Outcome {
        state.withLock { state in
            var outcome = Outcome()
            for index in state.rules.indices {
                let rule = state.rules[index].rule
                guard rule.target == .api else { continue }
                if let method = rule.method, method != request.method { continue }
                if let wanted = rule.token, wanted != token { continue }
                if let times = rule.times, state.rules[index].hits >= times { continue }
                guard rule.path.matches(request.path) else { continue }
                state.rules[index].matched += 1
                if let p = rule.probability, p < 1 {
                    let draw = Double(state.rules[index].random.nextBits() >> 11) / Double(1 << 53)
                    guard draw < p else { continue }
                }
                state.rules[index].hits += 1
                outcome.latencyMillis += rule.latencyMillis
                outcome.ruleID = state.rules[index].id
                if rule.dropConnection {
                    outcome.response = .dropConnection
                    return outcome
                }
                if let status = rule.status {
                    outcome.response = Self.response(rule, status: status, now: now, rateLimit: rateLimit)
                    return outcome
                }
            }
            return outcome
        }
    }

    /// Runs the webhook rules for one delivery attempt, in order: latency adds up; the first rule that drops or
    /// answers decides the attempt.
    /// - Returns: nil when no rule fired.
    public func evaluate(_ delivery: Webhooks.Delivery) -> Webhooks.Fault? {
        let path = Self.path(ofURL: delivery.url)
        return state.withLock { state in
            var fault: Webhooks.Fault?
            for index in state.rules.indices {
                let rule = state.rules[index].rule
                guard rule.target == .webhooks else { continue }
                if let event = rule.event, event.rawValue != delivery.action { continue }
                if let times = rule.times, state.rules[index].hits >= times { continue }
                guard rule.path.matches(Substring(path)) else { continue }
                state.rules[index].matched += 1
                if let p = rule.probability, p < 1 {
                    let draw = Double(state.rules[index].random.nextBits() >> 11) / Double(1 << 53)
                    guard draw < p else { continue }
                }
                state.rules[index].hits += 1
                var fired = fault ?? Webhooks.Fault()
                fired.latencyMillis += rule.latencyMillis
                if rule.dropConnection {
                    fired.action = .drop
                } else if let status = rule.status {
                    fired.action = .respond(status: status)
                }
                fault = fired
                if fired.action != nil { break }
            }
            return fault
        }
    }

    /// The path of an `http://host[:port]/path?query` URL (`/` when it has none).
    static func path(ofURL url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        let path = rest[slash...]
        return String(path.prefix { $0 != "?" && $0 != "#" })
    }

    /// The fault's answer: `{"code","status","message"}` (docs L28–52); a 429 carries `Retry-After` and the
    /// rate-limit headers saying the budget is spent (docs L136–141).
    private static func response(_ rule: Rule, status code: Int, now: Int64, rateLimit: (limit: Int, window: Int64))
        -> Response
    {
        let status = HTTPStatus(code: code, reasonPhrase: reasonPhrase(code))
        let message = rule.message ?? "fault injected by the emulator's control plane: \(status)"
        var response = Response.error(status, symbol: rule.errorStatus, message: message)
        let retryAfter = rule.retryAfter ?? (code == 429 ? Int((rateLimit.window + 999) / 1000) : nil)
        if let retryAfter { response.headers.add("Retry-After", String(retryAfter)) }
        if code == 429 {
            let reset = retryAfter ?? 0
            response.headers.add("X-RateLimit-Limit", String(rateLimit.limit))
            response.headers.add("X-RateLimit-Remaining", "0")
            response.headers.add("X-RateLimitReset", String(reset))
            response.headers.add("X-RateLimit-Reset", String((now + 999) / 1000 + Int64(reset)))
        }
        return response
    }

    /// The rule as listed: its settings, `matched` (requests it matched), `hits` (times it fired) and `remaining`.
    private static func json(_ live: Live) -> JSONValue {
        let rule = live.rule
        func optional(_ value: Int?) -> JSONValue { value.map { .integer(Int64($0)) } ?? .null }
        var object: JSONObject = [
            "id": .integer(Int64(live.id)), "target": .string(rule.target.rawValue),
            "method": .optional(rule.method?.rawValue),
            "path": .string(rule.path.description), "token": .optional(rule.token), "times": optional(rule.times),
            "probability": rule.probability.map { .double($0) } ?? .null,
        ]
        if rule.target == .webhooks { object["event"] = .optional(rule.event?.rawValue) }
        if rule.probability != nil { object["seed"] = .string(String(rule.seed)) }
        object["status"] = optional(rule.status)
        object["error_status"] = .optional(rule.errorStatus)
        object["message"] = .optional(rule.message)
        object["retry_after"] = optional(rule.retryAfter)
        object["latency_ms"] = .integer(Int64(rule.latencyMillis))
        object["drop_connection"] = .bool(rule.dropConnection)
        object["matched"] = .integer(Int64(live.matched))
        object["hits"] = .integer(Int64(live.hits))
        object["remaining"] = optional(rule.times.map { max(0, $0 - live.hits) })
        object["created_time"] = .string(Timestamp.format(live.createdTime))
        return .object(object)
    }

    /// RFC 9110 §15 reason phrases of the statuses a fault may answer with.
    static func reasonPhrase(_ code: Int) -> String {
        let phrases: [Int: String] = [
            400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required",
            408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
            413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable",
            417: "Expectation Failed", 421: "Misdirected Request", 422: "Unprocessable Content", 423: "Locked",
            424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required",
            429: "Too Many Requests", 431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
            500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout", 505: "HTTP Version Not Supported", 507: "Insufficient Storage",
            508: "Loop Detected", 511: "Network Authentication Required",
        ]
        return phrases[code] ?? (code < 500 ? "Client Error" : "Server Error")
    }
}
