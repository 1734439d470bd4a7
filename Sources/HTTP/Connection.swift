import CEpoll
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One accepted socket: reads bytes, feeds the `ConnectionStateMachine`, calls the responder and writes what the
/// machine says, all on its event loop's thread. A request the responder says may block (`Responder.mayBlock`) is
/// answered on a Dispatch queue of the connection's own instead, and the connection waits for that answer before it
/// reads the next request.
///
/// The loop holds the connection while it is registered; `close()` deregisters it and closes the descriptor.
///
/// `@unchecked Sendable`: every mutable property is touched only on `loop`'s thread (`Server`, the response stream and
/// an offloaded request reach in only through `loop.execute`).
final class Connection: EventLoopHandler, @unchecked Sendable {
    let fd: Int32
    let loop: EventLoop
    private let responder: any Responder
    private let limits: HTTPLimits
    private let onClose: @Sendable (Connection) -> Void
    private var machine: ConnectionStateMachine
    private var token: UInt64 = 0
    /// What epoll watches the socket for now.
    private var interest: UInt32 = 0
    private var readSuspended = false
    private var writeSuspended = true
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterWrite = false
    private var lingering = false
    private var closed = false
    /// Whether the loop will flush the output at the end of its round.
    private var flushPending = false
    /// A request answered off the loop (`Responder.mayBlock`) whose response has not come back yet.
    private var awaitingResponse = false
    /// Where offloaded requests are answered: a serial queue of the connection's own, which Dispatch gives a thread at
    /// once (an overcommitting queue). The global concurrent queue would not: its width is the CPU count, so on one
    /// CPU an offloaded request waited seconds whenever one of its workers was blocked.
    private lazy var offloadQueue = DispatchQueue(label: "http.offload")
    private var headStart: UInt64?
    private var lastActivity = EventLoop.now()
    private var timerDeadline = UInt64.max
    private var readBuffer = [UInt8](repeating: 0, count: 16384)
    /// The streamed response being written, if any (then the last response on this connection).
    private var stream: ResponseStream?
    /// Where the answers queued while the loop holds answers (`EventLoop.holdsAnswers`) begin in `output`: they wait
    /// for the loop's settlement, and are replaced if it fails (`settled(_:)`).
    private var heldFrom: Int?

    init(
        fd: Int32, loop: EventLoop, responder: any Responder, limits: HTTPLimits,
        onClose: @escaping @Sendable (Connection) -> Void
    ) {
        self.fd = fd
        self.loop = loop
        self.responder = responder
        self.limits = limits
        self.onClose = onClose
        self.machine = ConnectionStateMachine(limits: limits)
    }

    /// Registers with the loop. Called once, on the loop's thread.
    func start() {
        interest = EPOLLIN.rawValue
        token = loop.register(fd, events: interest, handler: self)
        schedule(EventLoop.now() + Self.nanoseconds(limits.idleTimeout))
    }

    /// Graceful shutdown: finish the request in flight (a streamed response ends after what it queued), then close.
    /// Called on the loop's thread.
    func shutdown() {
        guard !closed else { return }
        machine.shutdown()
        if stream != nil { return finishStream() }
        // A connection lingering after its last response waits at most 200 ms more for the client's end (not the
        // 2 s of `linger()`): enough for a response already sent to be read, without holding up the exit.
        if lingering { return schedule(min(timerDeadline, EventLoop.now() + 200_000_000)) }
        if output.isEmpty { drive() }
    }

    // MARK: - Events

    func ready(_ events: UInt32) {
        let failed = events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        if !writeSuspended && (events & EPOLLOUT.rawValue != 0 || failed) { writable() }
        guard !closed else { return }
        if !readSuspended && (events & EPOLLIN.rawValue != 0 || failed) {
            readable()
        } else if failed && writeSuspended && readSuspended {
            // Hung up while nothing was being waited for: level-triggered epoll would report it forever.
            close()
        }
    }

    func tick(_ now: UInt64) {
        if now >= timerDeadline { timerFired(now) }
    }

    static func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1_000_000_000) }

    // MARK: - Reading

    private func readable() {
        guard !closed else { return }
        var gotBytes = false
        while true {
            let n = readBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                gotBytes = true
                // While streaming no further request is processed: what the client sends is discarded.
                if !lingering && stream == nil { machine.received(readBuffer[0..<n]) }
                // A short read emptied the socket's queue: the next recv would only answer EAGAIN (a system call per
                // request). What arrives later, or a reset or end of input queued behind the data, is reported by the
                // next epoll_wait: the descriptor is level-triggered (EventLoop), EPOLLERR and EPOLLHUP always.
                if n < readBuffer.count { break }
                continue
            }
            if n == 0 {
                // A streaming client that closes its side has hung up.
                if lingering || stream != nil { return close() }
                machine.receivedEndOfInput()
                // Stop polling a socket at EOF; the machine closes once buffered requests are answered.
                suspendReading()
                break
            }
            let err = errno
            if err == EINTR { continue }
            if err == EAGAIN || err == EWOULDBLOCK { break }
            return close()  // ECONNRESET and friends: the peer is gone
        }
        if lingering || stream != nil { return }
        if gotBytes {
            lastActivity = EventLoop.now()
            if headStart == nil && machine.isReadingHead { markHeadStart() }
        }
        drive()
    }

    private func markHeadStart() {
        let start = EventLoop.now()
        headStart = start
        let deadline = start + Self.nanoseconds(limits.headerTimeout)
        if deadline < timerDeadline { schedule(deadline) }
    }

    // MARK: - Driving the state machine

    private func drive() {
        if stream != nil { return flush() }
        var full = false
        loop: while !closed && !awaitingResponse {
            if output.count - outputOffset >= 1 << 20 {
                full = true
                break
            }
            switch machine.next() {
            case .dispatch(let request):
                headStart = nil
                if responder.mayBlock(request) {
                    offload(request)
                    break loop
                }
                guard deliver(responder.respond(to: request), to: request) else { break loop }
            case .write(let bytes):
                enqueue(bytes)
            case .writeAndClose(let bytes):
                enqueue(bytes)
                closeAfterWrite = true
                break loop
            case .close:
                // Nothing left to say (idle at shutdown, or the peer finished): close at once when no response is
                // pending; lingering only protects a response that was just written.
                if output.count == outputOffset {
                    close()
                    return
                }
                closeAfterWrite = true
                break loop
            case .needMore, .stream:
                // `.stream` only answers `respond(_:to:)`.
                break loop
            }
        }
        if closed { return }
        if headStart == nil && stream == nil && machine.isReadingHead { markHeadStart() }
        guard full else { return flushAtEndOfRound() }
        flush()
        // A large pipelined batch stopped at 1 MiB of output; if it all went out, carry on.
        if !closed && output.isEmpty && !closeAfterWrite { drive() }
    }

    /// Sends the output once the loop has handled every descriptor of this round (`EventLoop.endOfRound`), not at
    /// once. The first answer of a round wakes the client, which then reads while the rest go out, so later sends
    /// find it awake: waking an idle client's CPU was a sixth of a small request's CPU at c=64 (`perf`:
    /// `_raw_spin_unlock_irqrestore` under `sock_def_readable`). A round with one request sends just as soon.
    private func flushAtEndOfRound() {
        guard !flushPending else { return }
        flushPending = true
        loop.atEndOfRound(self)
    }

    /// The loop's round is over: what `flushAtEndOfRound` held goes out.
    func endOfRound() {
        flushPending = false
        guard !closed else { return }
        flush()
    }

    /// Queues `response` to `request` as the machine says; returns whether the next pipelined request may be read.
    private func deliver(_ response: Response, to request: Request) -> Bool {
        switch machine.respond(response, to: request) {
        case .writeAndClose(let bytes):
            enqueue(bytes)
            closeAfterWrite = true
            return false
        case .write(let bytes):
            enqueue(bytes)
            return true
        case .stream(let head, let chunked):
            enqueue(head)
            headStart = nil
            let loop = self.loop
            let started = ResponseStream(
                connection: self, execute: { loop.execute($0) }, chunked: chunked, limit: limits.maxStreamBuffer)
            stream = started
            response.stream?(started)
            return false
        case .close:
            // A dropped response: earlier pipelined responses still go out, this one never does.
            if output.count == outputOffset {
                close()
                return false
            }
            closeAfterWrite = true
            return false
        default:
            return true
        }
    }

    /// Answers `request` on `offloadQueue`, so a responder that sleeps or waits on the network (fault latency, a
    /// webhook flush) holds up only this connection, not the loop's others.
    private func offload(_ request: Request) {
        awaitingResponse = true
        let responder = self.responder
        offloadQueue.async { [self] in
            let response = responder.respond(to: request)
            loop.execute { [self] in answered(response, to: request) }
        }
    }

    /// The offloaded `request`'s `response` is back: send it and go on with the next request.
    private func answered(_ response: Response, to request: Request) {
        awaitingResponse = false
        guard !closed else { return }
        lastActivity = EventLoop.now()
        if deliver(response, to: request) {
            drive()
        } else if !closed {
            flush()
        }
    }

    // MARK: - Streaming

    /// Moves what the stream's producer queued into the output and sends it; drops a client that fell more than
    /// `maxStreamBuffer` bytes behind. Called on the loop's thread (scheduled by `ResponseStream`).
    func drainStream() {
        guard !closed, let stream else { return }
        let (bytes, finishing, overflowed) = stream.take()
        enqueue(bytes)
        if overflowed || output.count - outputOffset > limits.maxStreamBuffer { return close() }
        if finishing { return finishStream() }
        flush()
    }

    /// Ends the stream normally: what it queued, the last chunk (RFC 9112 §7.1: `0 CRLF CRLF`), then close.
    private func finishStream() {
        guard !closed, let stream else { return }
        let (bytes, _, _) = stream.take()
        enqueue(bytes)
        if stream.chunked { output.append(contentsOf: Array("0\r\n\r\n".utf8)) }
        self.stream = nil
        stream.end()
        closeAfterWrite = true
        flush()
    }

    // MARK: - Writing

    /// Queues `bytes` for sending: taken as they are when nothing else is queued (a large answer, a report CSV say, is
    /// not copied once more), appended otherwise.
    private func enqueue(_ bytes: [UInt8]) {
        if heldFrom == nil && loop.holdsAnswers {
            heldFrom = output.count
            loop.held(self)
        }
        if output.isEmpty {
            output = bytes
            outputOffset = 0
        } else {
            output.append(contentsOf: bytes)
        }
    }

    private func flush() {
        // Nothing leaves before the work its answers depend on is settled (`Round.beforeAnswersLeave`).
        loop.settle()
        guard !closed else { return }
        while outputOffset < output.count {
            let n = output.withUnsafeBytes {
                send(fd, $0.baseAddress! + outputOffset, $0.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                outputOffset += n
                lastActivity = EventLoop.now()
                continue
            }
            let err = errno
            if n < 0 && err == EINTR { continue }
            if n < 0 && (err == EAGAIN || err == EWOULDBLOCK) {
                // Wait for room in the socket buffer; read nothing more until the output is out.
                readSuspended = true
                writeSuspended = false
                updateInterest()
                return
            }
            return close()  // EPIPE, ECONNRESET: the peer is gone
        }
        let large = output.count >= 1 << 20
        output.removeAll(keepingCapacity: output.count < 1 << 16)
        outputOffset = 0
        // A producer waiting for its pieces to go out may make the next one.
        stream?.sent()
        // What made a large answer (a long page, say) is free by now: hand it back to the OS rather than keep the
        // peak.
        if large { _ = malloc_trim(0) }
        if closeAfterWrite { linger() }
    }

    /// The loop's settlement has run: the answers held since `heldFrom` may go, or, when it failed, are replaced by
    /// one `500` and the connection closes after it (the requests they answered, and any pipelined after them, are
    /// not answered: the client sees them fail).
    func settled(_ succeeded: Bool) {
        guard let start = heldFrom else { return }
        heldFrom = nil
        guard !succeeded, !closed else { return }
        output.removeSubrange(max(start, outputOffset)...)
        if let stream {
            self.stream = nil
            stream.end()
        }
        var response = Response.error(
            .internalServerError, message: "the change could not be saved to the store; it was not made")
        response.headers.add("Connection", "close")
        output.append(contentsOf: ConnectionStateMachine.encode(response, method: .get, close: true))
        closeAfterWrite = true
        machine.shutdown()
    }

    private func writable() {
        guard !closed else { return }
        flush()
        guard !closed, outputOffset == 0, output.isEmpty else { return }
        writeSuspended = true
        if !lingering && !closeAfterWrite {
            readSuspended = false
            updateInterest()
            drive()
        } else {
            updateInterest()
        }
    }

    private func suspendReading() {
        guard !readSuspended else { return }
        readSuspended = true
        updateInterest()
    }

    private func resumeReading() {
        guard readSuspended else { return }
        readSuspended = false
        updateInterest()
    }

    /// Tells epoll what the connection waits for now.
    private func updateInterest() {
        guard !closed else { return }
        let wanted = (readSuspended ? 0 : EPOLLIN.rawValue) | (writeSuspended ? 0 : EPOLLOUT.rawValue)
        guard wanted != interest else { return }
        interest = wanted
        loop.modify(fd, token: token, events: wanted)
    }

    // MARK: - Closing

    /// After the last response: half-close and drain what the client still sends for a moment, so the
    /// kernel does not reset the connection and destroy the response before the client reads it.
    private func linger() {
        guard !lingering else { return }
        lingering = true
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
        resumeReading()
        schedule(EventLoop.now() + 2_000_000_000)
    }

    private func timerFired(_ now: UInt64) {
        guard !closed else { return }
        if lingering { return close() }
        if awaitingResponse {
            // The responder is still working on an offloaded request: the connection is not idle.
            return schedule(now + Self.nanoseconds(limits.idleTimeout))
        }
        let deadline: UInt64
        let headTimeout: Bool
        if let start = headStart, stream == nil, machine.isReadingHead {
            deadline = start + Self.nanoseconds(limits.headerTimeout)
            headTimeout = true
        } else {
            deadline = lastActivity + Self.nanoseconds(limits.idleTimeout)
            headTimeout = false
        }
        if now < deadline { return schedule(deadline) }
        if headTimeout && output.isEmpty {
            var response = Response.error(.requestTimeout, message: "request head not received in time")
            response.headers.add("Connection", "close")
            output = ConnectionStateMachine.encode(response, method: .get, close: true)
            outputOffset = 0
            closeAfterWrite = true
            machine.shutdown()
            return flush()
        }
        close()
    }

    private func schedule(_ deadline: UInt64) {
        timerDeadline = deadline
    }

    /// Ends the stream, if any, deregisters from the loop and closes the descriptor. Called on the loop's thread.
    func close() {
        guard !closed else { return }
        closed = true
        if let stream {
            self.stream = nil
            stream.end()
        }
        loop.deregister(fd, token: token)
        Glibc.close(fd)
        onClose(self)
    }
}
