import Dispatch
import HTTP
import Logging
import Synchronization
import _CryptoExtras

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Webhook delivery (issue "Webhooks"). The outbox is written by `Database.append(_:)` in the transaction of each
/// change (Store+Webhooks.swift), so a change that committed always gets its webhooks, across kill -9 and restart.
/// This worker sends them: a Dispatch timer looks for due deliveries on the Clock, each is POSTed by the blocking
/// HTTP `Client` on a queue of its own — never on a server's event loop or with the store's lock held, so a slow or
/// dead receiver never slows the API — signed with the store's RSA key. At most one attempt per URL is in flight and a
/// conversation's webhooks reach a URL in order. A failed attempt is retried after an exponential backoff on the
/// Clock (`X-Retry-Count` counts up); after `--webhook-max-attempts` attempts the delivery is dead.
///
/// `@unchecked Sendable`: `timer` is touched only on `control`; everything else shared is in a `Mutex`.
public final class Webhooks: @unchecked Sendable {
    let store: Store
    let clock: Clock
    let config: Config
    let logger: Logger
    let client: Client
    private let control = DispatchQueue(label: "webhooks")
    private let senders = DispatchQueue(label: "webhooks.send", attributes: .concurrent)
    private var timer: (any DispatchSourceTimer)?
    /// Deliveries being attempted, and the URLs they go to.
    private let inFlight = Mutex<(ids: Set<Int64>, urls: Set<String>)>(([], []))
    /// The parsed signing key and the PEM it was parsed from.
    let signingKey = Mutex<(pem: String, key: _RSA.Signing.PrivateKey)?>(nil)
    private let faultRule = Mutex<FaultRule?>(nil)

    /// Creates the worker for `store`; nothing runs until `start()`.
    public init(store: Store, clock: Clock, config: Config, logger: Logger) {
        self.store = store
        self.clock = clock
        self.config = config
        self.logger = logger
        client = Client(
            configuration: Client.Configuration(
                connectTimeout: config.webhookConnectTimeout, responseTimeout: config.webhookResponseTimeout))
    }

    /// Start-up: `--webhook-url` replaces the stored subscriptions (all four events) and `--webhook-private-key`
    /// replaces the stored signing key. A store without a key gets a new 2048-bit one when `start()` runs (a file
    /// store) or when it is first needed.
    /// - Throws: `WebhookError` for an unreadable key file, `SQLiteError`.
    public func prepare() throws {
        if !config.webhookURLs.isEmpty {
            let subscriptions = config.webhookURLs.map { Subscription(url: $0) }
            try store.write { db in try db.replaceWebhookSubscriptions(subscriptions) }
        }
        try installConfiguredKey()
    }

    /// Sets the fault rule consulted before each attempt (nil: none).
    public func setFaultRule(_ rule: FaultRule?) { faultRule.withLock { $0 = rule } }

    // MARK: - The worker

    /// Starts the periodic tick (every `interval` seconds) that sends due deliveries. A store without a signing key
    /// gets one when it is first needed (the first signed delivery or public key request), not now: a 2048-bit key
    /// takes 50–200 ms of CPU to make, and made in the background at start-up it competed with start-up itself on
    /// one core (up to 90 ms to the first answer instead of 30) or, made later, with whatever ran then.
    public func start(interval: Double = 0.02) {
        control.sync {
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: control)
            source.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(5))
            source.setEventHandler { [self] in tick() }
            timer = source
            source.resume()
        }
    }

    /// Stops the tick; pending deliveries stay in the store (an attempt in flight finishes on its own).
    public func stop() {
        control.sync {
            timer?.cancel()
            timer = nil
        }
    }

    /// On `control`: hands each due delivery whose URL is idle to a sender.
    private func tick() {
        guard timer != nil else { return }
        let due: [Delivery]
        do {
            due = try store.read { db in try db.dueWebhookDeliveries(now: clock.now(), limit: 64) }
        } catch {
            return  // a closed or swapped store: try again on the next tick
        }
        for delivery in due where claim(delivery, url: true) {
            senders.async { [self] in
                attemptIfStillDue(delivery)
                release(delivery, url: true)
                control.async { [self] in tick() }
            }
        }
    }

    private func claim(_ delivery: Delivery, url: Bool) -> Bool {
        inFlight.withLock { state in
            guard !state.ids.contains(delivery.id), !url || !state.urls.contains(delivery.url) else { return false }
            state.ids.insert(delivery.id)
            if url { state.urls.insert(delivery.url) }
            return true
        }
    }

    private func release(_ delivery: Delivery, url: Bool) {
        inFlight.withLock { state in
            state.ids.remove(delivery.id)
            if url { state.urls.remove(delivery.url) }
        }
    }

    /// Claims `delivery` for the caller, waiting while the worker is attempting it.
    private func claimWaiting(_ delivery: Delivery) {
        while !claim(delivery, url: false) { usleep(2_000) }
    }

    // MARK: - Control plane

    /// Sends every delivery due now, in order, before returning (`POST /_emulator/webhooks/flush`), each at most
    /// once; waits for the attempts the worker has in flight. A delivery whose predecessor in its conversation
    /// was delivered by this flush is due now too; a failed one is rescheduled on the Clock.
    /// - Returns: how many attempts were made and how many of them delivered.
    @discardableResult
    public func flush() throws -> (attempted: Int, delivered: Int) {
        var attempted = 0
        var delivered = 0
        var tried = Set<Int64>()
        while true {
            let due = try store.read { db in try db.dueWebhookDeliveries(now: clock.now(), limit: 256) }
                .filter { !tried.contains($0.id) }
            if due.isEmpty { break }
            var progressed = false
            for delivery in due where claim(delivery, url: false) {
                progressed = true
                tried.insert(delivery.id)
                let outcome = attemptIfStillDue(delivery)
                release(delivery, url: false)
                if outcome != nil { attempted += 1 }
                if case .delivered? = outcome { delivered += 1 }
            }
            if !progressed { usleep(2_000) }  // the worker has them in flight
        }
        return (attempted, delivered)
    }

    /// Sends delivery `id` again now, whatever its status and order (`POST …/deliveries/{id}/replay`), with
    /// `X-Retry-Count` the attempts made so far; a failure is retried as any other, while attempts are left.
    /// - Returns: the delivery after the attempt, or nil when there is none with this id.
    public func replay(id: Int64) throws -> Delivery? {
        guard let found = try store.read({ db in try db.webhookDelivery(id: id) }) else { return nil }
        claimWaiting(found)
        defer { release(found, url: false) }
        let now = clock.now()
        let current = try store.write { db -> Delivery? in
            try db.rescheduleWebhookDelivery(id: id, at: now)
            return try db.webhookDelivery(id: id)
        }
        guard let current else { return nil }
        attempt(current)
        return try store.read { db in try db.webhookDelivery(id: id) }
    }

    // MARK: - One attempt

    /// Attempts `delivery` (claimed by the caller) unless another attempt changed it since it was read.
    @discardableResult
    private func attemptIfStillDue(_ delivery: Delivery) -> Outcome? {
        guard let current = try? store.read({ db in try db.webhookDelivery(id: delivery.id) }),
            current.status == .pending, current.attempts == delivery.attempts, current.dueTime <= clock.now()
        else { return nil }
        return attempt(current)
    }

    /// Sends `delivery` once (blocking) and records the outcome.
    @discardableResult
    private func attempt(_ delivery: Delivery) -> Outcome {
        let outcome = send(delivery)
        do {
            try record(outcome, of: delivery)
        } catch {
            logger.debug("webhook delivery \(delivery.id): cannot record the attempt: \(error)")
        }
        return outcome
    }

    private func send(_ delivery: Delivery) -> Outcome {
        if let fault = faultRule.withLock({ $0 })?(delivery) {
            if fault.latencyMillis > 0 { usleep(useconds_t(min(fault.latencyMillis, 600_000)) * 1000) }
            switch fault.action {
            case .drop?:
                return .dropped
            case .respond(let status)?:
                return (200..<300).contains(status)
                    ? .delivered(status: status) : .failed(status: status, error: "HTTP \(status) (fault rule)")
            case nil:
                break
            }
        }
        let body = Array(delivery.body.utf8)
        let signature: String
        do {
            signature = try sign(body)
        } catch {
            return .failed(status: nil, error: "cannot sign: \(error)")
        }
        let headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("X-Freshchat-Signature", signature),
            ("X-Freshchat-Payload-Version", WebhookEvent.payloadVersion), ("X-Retry-Count", String(delivery.attempts)),
            ("User-Agent", "freshchat-emulator/\(Emulator.version)"),
        ])
        do {
            let response = try client.send(.post, delivery.url, headers: headers, body: body)
            if (200..<300).contains(response.status) { return .delivered(status: response.status) }
            return .failed(status: response.status, error: "HTTP \(response.status)")
        } catch {
            return .failed(status: nil, error: error.description)
        }
    }

    private func record(_ outcome: Outcome, of delivery: Delivery) throws {
        let now = clock.now()
        try store.write { db in
            guard let current = try db.webhookDelivery(id: delivery.id), current.status == .pending else { return }
            let attempts = current.attempts + 1
            switch outcome {
            case .delivered(let status):
                try db.recordWebhookAttempt(
                    id: delivery.id, at: now, statusCode: status, error: nil, status: .delivered, due: current.dueTime)
            case .dropped:
                try db.recordWebhookAttempt(
                    id: delivery.id, at: now, statusCode: nil, error: "dropped by a fault rule", status: .dead,
                    due: current.dueTime)
            case .failed(let status, let error):
                let dead = attempts >= config.webhookMaxAttempts
                let due = now + Self.backoffMillis(afterAttempts: attempts, base: config.webhookRetryBase)
                try db.recordWebhookAttempt(
                    id: delivery.id, at: now, statusCode: status, error: error, status: dead ? .dead : .pending,
                    due: dead ? current.dueTime : due)
            }
        }
        logger.debug("webhook delivery \(delivery.id) to \(delivery.url): \(outcome)")
    }
}

/// A webhook setting that cannot be used (an unreadable or invalid key file).
public struct WebhookError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
