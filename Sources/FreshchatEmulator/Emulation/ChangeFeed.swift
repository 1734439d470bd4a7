import Synchronization

/// A workspace's change feed (issue #11): every committed change the demo page cares about, as an event with an id
/// that only grows, in commit order, kept in a bounded ring for clients that reconnect (`GET /_emulator/events` with
/// `Last-Event-ID`), and handed to every live subscriber as it is published.
public final class ChangeFeed: Sendable {
    /// One event, ready to be sent as Server-Sent Events.
    public struct Event: Sendable, Equatable {
        /// Its id: 1, 2, 3… for the life of the process.
        public let id: Int64
        /// `conversation.created`, `conversation.updated`, `message.created`, `delivery.updated`, `user.created`,
        /// `user.updated`, or `reset` (the state was replaced: reload everything through the API).
        public let name: String
        /// The data: one line of JSON.
        public let data: String
        /// The conversation it concerns (conversations, messages, deliveries), for `?conversation_id=`.
        public let conversationID: String?

        /// The event as an SSE frame (WHATWG HTML §9.2.6): `id`, `event`, `data` lines and a blank line.
        public var frame: String { "id: \(id)\nevent: \(name)\ndata: \(data)\n\n" }
    }

    /// An event before it has an id.
    public struct Draft: Sendable, Equatable {
        public let name: String
        public let data: String
        public let conversationID: String?

        public init(name: String, data: String, conversationID: String? = nil) {
            self.name = name
            self.data = data
            self.conversationID = conversationID
        }

        /// `reset`: the state was replaced wholesale (reset, snapshot restore, import, a bulk load).
        public static let reset = Draft(name: "reset", data: "{}")
    }

    /// What a subscriber gets first.
    public enum Start: Sendable, Equatable {
        /// Live only (no `Last-Event-ID`), or every event after the id was still in the ring and has been replayed.
        case resumed
        /// The id is older than the ring (events were lost) or newer than any event (another process): the subscriber
        /// was sent a `reset` carrying the latest id and should reload through the API.
        case reset
    }

    private struct Subscriber {
        let sink: @Sendable (Event) -> Void
    }

    private struct State {
        var ring: [Event] = []
        /// Where the oldest event is in `ring` once it is full.
        var start = 0
        var lastID: Int64 = 0
        var subscribers: [Int: Subscriber] = [:]
        var nextToken = 0

        /// The events in id order.
        var ordered: ArraySlice<Event> { ArraySlice(ring[start...] + ring[..<start]) }
    }

    /// How many events the ring keeps.
    public let capacity: Int
    private let state = Mutex(State())

    /// Creates an empty feed that keeps the last `capacity` events.
    public init(capacity: Int = 10_000) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// The id of the latest event (0 before the first).
    public var lastID: Int64 { state.withLock { $0.lastID } }

    /// How many live subscribers there are.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Gives the drafts the next ids, keeps them and hands them to every subscriber, in order. Call in commit order.
    public func publish(_ drafts: [Draft]) {
        guard !drafts.isEmpty else { return }
        state.withLock { s in
            for draft in drafts {
                s.lastID += 1
                let event = Event(
                    id: s.lastID, name: draft.name, data: draft.data, conversationID: draft.conversationID)
                if s.ring.count < capacity {
                    s.ring.append(event)
                } else {
                    s.ring[s.start] = event
                    s.start = (s.start + 1) % capacity
                }
                for subscriber in s.subscribers.values { subscriber.sink(event) }
            }
        }
    }

    /// Subscribes `sink` to every event published from now on, after first replaying, through the same sink, every
    /// event after `lastEventID` (nil: none) — or, when those are no longer all in the ring or their frames would
    /// take more than `replayLimit` bytes, one `reset` with the latest id. Replay and subscription happen under one
    /// lock, so nothing is missed or sent twice. `sink` runs under the feed's lock: it must be quick and must not
    /// call back into the feed.
    /// - Returns: the token for `unsubscribe` and how the subscription started.
    public func subscribe(
        after lastEventID: Int64?, replayLimit: Int = .max, _ sink: @escaping @Sendable (Event) -> Void
    ) -> (token: Int, start: Start) {
        state.withLock { s in
            var start = Start.resumed
            if let after = lastEventID {
                let oldest = s.ring.isEmpty ? s.lastID + 1 : s.ring[s.start].id
                let missed = s.ordered.filter { $0.id > after }
                if after > s.lastID || after < oldest - 1
                    || missed.reduce(0, { $0 + $1.frame.utf8.count }) > replayLimit
                {
                    start = .reset
                    sink(Event(id: s.lastID, name: Draft.reset.name, data: Draft.reset.data, conversationID: nil))
                } else {
                    for event in missed { sink(event) }
                }
            }
            let token = s.nextToken
            s.nextToken += 1
            s.subscribers[token] = Subscriber(sink: sink)
            return (token, start)
        }
    }

    /// Stops handing events to the subscriber with `token`.
    public func unsubscribe(_ token: Int) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: token) }
    }

    /// The events still in the ring, oldest first.
    public var events: [Event] { state.withLock { Array($0.ordered) } }
}
