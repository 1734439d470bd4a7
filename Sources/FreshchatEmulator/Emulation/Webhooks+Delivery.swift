import SQLite

extension Webhooks {
    /// A URL and the events it receives.
    public struct Subscription: Sendable, Equatable {
        /// An `http://` URL.
        public var url: String
        /// The events sent to it, in the order given.
        public var actions: [WebhookEvent.Action]

        /// Creates a subscription (default: all four events).
        public init(url: String, actions: [WebhookEvent.Action] = WebhookEvent.Action.allCases) {
            self.url = url
            self.actions = actions
        }
    }

    /// One webhook on its way to one URL, and the log of its attempts.
    public struct Delivery: Sendable, Equatable {
        /// `pending` (due at `dueTime`), `delivered` (a 2xx answer) or `dead` (no attempts left, or dropped).
        public enum Status: String, Sendable, CaseIterable {
            case pending, delivered, dead
        }

        public var id: Int64
        public var eventID: Int64
        public var url: String
        public var conversationID: String
        public var action: String
        public var status: Status
        /// Attempts made so far; the next one is sent with `X-Retry-Count: attempts`.
        public var attempts: Int
        /// When the next attempt is due (epoch ms, Clock time); meaningful while pending.
        public var dueTime: Int64
        public var createdTime: Int64
        public var lastAttemptTime: Int64?
        public var lastStatusCode: Int?
        public var lastError: String?
        public var deliveredTime: Int64?
        /// The exact body sent and signed.
        public var body: String

        /// Reads a row of `Database.deliveryColumns`.
        init(row: Row) throws {
            id = try row.int64("id")
            eventID = try row.int64("event_id")
            url = try row.string("url")
            conversationID = try row.string("conversation_id")
            action = try row.string("action")
            status = Status(rawValue: try row.string("status")) ?? .pending
            attempts = try row.int("attempts")
            dueTime = try row.int64("due_time")
            createdTime = try row.int64("created_time")
            lastAttemptTime = try row.optionalInt64("last_attempt_time")
            lastStatusCode = try row.optionalInt("last_status_code")
            lastError = try row.optionalString("last_error")
            deliveredTime = try row.optionalInt64("delivered_time")
            body = try row.string("body")
        }

        /// The delivery as `GET /_emulator/webhooks/deliveries` lists it; `body` is the sent JSON as an object.
        public var json: JSONValue {
            let time = { (millis: Int64?) in millis.map { JSONValue.string(Timestamp.format($0)) } ?? .null }
            return [
                "id": .integer(id), "event": .string(action), "event_id": .integer(eventID),
                "conversation_id": .string(conversationID), "target": .string(url), "status": .string(status.rawValue),
                "attempts": .integer(Int64(attempts)), "next_attempt_time": time(status == .pending ? dueTime : nil),
                "last_attempt_time": time(lastAttemptTime),
                "last_status_code": lastStatusCode.map { .integer(Int64($0)) } ?? .null,
                "last_error": .optional(lastError), "created_time": time(createdTime),
                "delivered_time": time(deliveredTime), "body": (try? JSONParser.parse(body)) ?? .string(body),
            ]
        }
    }

    /// How one attempt ended.
    public enum Outcome: Sendable, Equatable {
        /// The receiver answered 2xx.
        case delivered(status: Int)
        /// A non-2xx answer (its status) or no answer (timeout, refused, …), described by `error`.
        case failed(status: Int?, error: String)
        /// A fault rule dropped the webhook: never sent, not retried.
        case dropped
    }

    /// What a fault rule of the control plane does to one attempt (issue "Webhooks": "Delivery faults (drop, delay,
    /// answer as if 500) go through the fault rules of the control plane").
    public struct Fault: Sendable, Equatable {
        /// What happens instead of sending.
        public enum Action: Sendable, Equatable {
            /// The webhook is not sent and the delivery is dead.
            case drop
            /// The webhook is not sent; the attempt ends as if the receiver answered this status.
            case respond(status: Int)
        }

        /// The attempt waits this many milliseconds (real time, off the request path, at most ten minutes) first.
        public var latencyMillis: Int
        /// Nil: the webhook is sent (after the latency).
        public var action: Action?

        /// Creates a fault.
        public init(latencyMillis: Int = 0, action: Action? = nil) {
            self.latencyMillis = latencyMillis
            self.action = action
        }

        /// Drops the webhook.
        public static let drop = Fault(action: .drop)
        /// Answers as if the receiver said `status`.
        public static func respond(status: Int) -> Fault { Fault(action: .respond(status: status)) }
        /// Waits, then sends.
        public static func delay(milliseconds: Int) -> Fault { Fault(latencyMillis: milliseconds) }
    }

    /// The fault rule consulted before each attempt: the delivery about to be attempted → a fault, or nil.
    public typealias FaultRule = @Sendable (Delivery) -> Fault?

    /// The delay before the attempt after `attempts` failed ones: `retryBase · 2^(attempts−1)`, at most one hour.
    static func backoffMillis(afterAttempts attempts: Int, base: Double) -> Int64 {
        let exponent = Double(max(0, min(attempts - 1, 30)))
        return Int64(min(base * pow2(exponent), 3600) * 1000)
    }

    private static func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
