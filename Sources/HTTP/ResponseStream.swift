import Dispatch
import Synchronization

/// The writer of a streamed response body (`Response.streaming`): the producer writes pieces as they are made, from
/// any thread, and the connection sends each one as it can. HTTP/1.1 frames every piece as one chunk
/// (`Transfer-Encoding: chunked`, RFC 9112 §7.1); for an HTTP/1.0 client the body is delimited by closing the
/// connection (RFC 9112 §6.3 rule 8). A streamed response is always the last one on its connection.
///
/// A producer that makes a large body on its own thread (a report CSV) calls `waitUntilSent()` before each piece: it
/// then goes only as fast as the client reads and holds one piece at a time. A producer that must never block (the
/// change feed) writes without waiting, and a client that falls too far behind is dropped.
///
/// The stream ends, exactly once, when the producer calls `finish()`, the client hangs up (end of input, reset, a
/// failed write), the client falls more than `HTTPLimits.maxStreamBuffer` bytes behind, the connection times out, or
/// the server shuts down; then every `onClose` handler runs and later writes are refused. Nothing of the stream
/// outlives its connection.
public final class ResponseStream: Sendable {
    /// Starts producing: called once, on the connection's event loop, right after the response head is queued. Acquire
    /// the producer's resources here (not in the route handler: a HEAD request never starts the stream) and release
    /// them in an `onClose` handler.
    public typealias Producer = @Sendable (ResponseStream) -> Void

    private struct State {
        var pending: [UInt8] = []
        var drainScheduled = false
        var finishing = false
        var ended = false
        var overflowed = false
        var handlers: [@Sendable () -> Void] = []
        /// Whether a piece written has not all gone to the socket yet.
        var unsent = false
        /// Producers blocked in `waitUntilSent()`.
        var waiters: [DispatchSemaphore] = []
        /// The connection, until the stream ends (then released, so neither keeps the other).
        var connection: Connection?
        /// Where a detached stream's pieces go (`init(sink:)`).
        var sink: (@Sendable ([UInt8]) -> Void)?
    }

    /// Whether pieces are framed as chunks (HTTP/1.1) rather than sent raw before a close (HTTP/1.0).
    public let chunked: Bool
    private let limit: Int
    /// Runs a closure on the connection's event loop.
    private let execute: @Sendable (@escaping @Sendable () -> Void) -> Void
    private let state: Mutex<State>

    init(
        connection: Connection?, execute: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void, chunked: Bool,
        limit: Int
    ) {
        self.chunked = chunked
        self.limit = limit
        self.execute = execute
        self.state = Mutex(State(connection: connection))
    }

    /// A stream on no connection: each piece is handed to `sink` as written, unframed, until `cancel()` or
    /// `finish()`. For running a producer without a socket (tests).
    public init(sink: @escaping @Sendable ([UInt8]) -> Void) {
        chunked = false
        limit = Int.max
        execute = { DispatchQueue.global().async(execute: $0) }
        state = Mutex(State(sink: sink))
    }

    /// Whether the stream still accepts pieces.
    public var isOpen: Bool { state.withLock { !$0.ended && !$0.finishing } }

    /// Queues `bytes` as the next piece (an empty piece is ignored: it would end a chunked body). Returns false when
    /// the stream has ended (the client is gone): the producer should stop.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        if bytes.isEmpty { return isOpen }
        let (accepted, schedule) = state.withLock { s -> (Bool, Bool) in
            guard !s.ended && !s.finishing && !s.overflowed else { return (false, false) }
            if let sink = s.sink {
                sink(bytes)
                return (true, false)
            }
            if chunked {
                s.pending.append(contentsOf: String(bytes.count, radix: 16).utf8)
                s.pending.append(contentsOf: [13, 10])
                s.pending.append(contentsOf: bytes)
                s.pending.append(contentsOf: [13, 10])
            } else {
                s.pending.append(contentsOf: bytes)
            }
            if s.pending.count > limit {
                // Too far behind: the connection is dropped at the next drain; keep nothing more for it.
                s.overflowed = true
                s.pending = []
            }
            s.unsent = true
            defer { s.drainScheduled = true }
            return (true, !s.drainScheduled)
        }
        if schedule { scheduleDrain() }
        return accepted
    }

    /// Blocks the calling thread until every piece written so far has gone to the socket, or the stream has ended;
    /// returns whether the stream is still open (false: the client is gone, stop producing). Never call it on an event
    /// loop's thread: that thread sends what it would wait for.
    public func waitUntilSent() -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        let waits = state.withLock { s -> Bool in
            guard !s.ended, s.sink == nil, s.unsent else { return false }
            s.waiters.append(semaphore)
            return true
        }
        if waits { semaphore.wait() }
        return isOpen
    }

    /// Queues the UTF-8 bytes of `text` as the next piece.
    @discardableResult
    public func write(_ text: String) -> Bool { write(Array(text.utf8)) }

    /// Ends the body normally once every queued piece is sent (the last chunk, then the connection closes).
    public func finish() {
        let schedule = state.withLock { s -> Bool in
            guard !s.ended && !s.finishing else { return false }
            if s.sink != nil { return false }
            s.finishing = true
            defer { s.drainScheduled = true }
            return !s.drainScheduled
        }
        if schedule { scheduleDrain() }
        if state.withLock({ $0.sink != nil }) { end() }
    }

    /// Ends the stream at once, dropping what is still queued and the connection (no last chunk: the client sees an
    /// incomplete body).
    public func cancel() {
        guard let connection = state.withLock({ $0.connection }) else { return end() }
        execute { connection.close() }
    }

    /// Runs `handler` once when the stream ends, for whatever reason; at once (on the caller's thread) when it
    /// already has.
    public func onClose(_ handler: @escaping @Sendable () -> Void) {
        let ended = state.withLock { s -> Bool in
            if !s.ended { s.handlers.append(handler) }
            return s.ended
        }
        if ended { handler() }
    }

    private func scheduleDrain() {
        execute { [self] in
            let connection = state.withLock { $0.connection }
            connection?.drainStream()
        }
    }

    // MARK: - The connection's side (on its event loop)

    /// Takes what was queued since the last call: the bytes, whether the producer finished, whether it overflowed.
    func take() -> (bytes: [UInt8], finishing: Bool, overflowed: Bool) {
        state.withLock { s in
            s.drainScheduled = false
            defer { s.pending.removeAll(keepingCapacity: s.pending.count < 1 << 16) }
            return (s.pending, s.finishing, s.overflowed)
        }
    }

    /// Called when the connection's output has all gone to the socket: wakes the producers waiting for it, unless
    /// more was written meanwhile (then a drain is on its way).
    func sent() {
        let waiters = state.withLock { s -> [DispatchSemaphore] in
            guard s.pending.isEmpty else { return [] }
            s.unsent = false
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.signal() }
    }

    /// Marks the stream ended, forgets the connection, wakes waiting producers and runs the close handlers.
    func end() {
        let (handlers, waiters) = state.withLock { s -> ([@Sendable () -> Void], [DispatchSemaphore]) in
            guard !s.ended else { return ([], []) }
            s.ended = true
            s.connection = nil
            s.sink = nil
            s.pending = []
            defer {
                s.handlers = []
                s.waiters = []
            }
            return (s.handlers, s.waiters)
        }
        for waiter in waiters { waiter.signal() }
        for handler in handlers { handler() }
    }
}
