import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One accepted socket: reads bytes, feeds the `ConnectionStateMachine`, calls the responder and writes
/// what the machine says, all on its own serial queue.
///
/// The Dispatch sources' handlers hold the connection strongly, so it lives until its last source is cancelled
/// (`sourceCancelled` lets go of them), even if the server forgets it first.
///
/// `@unchecked Sendable`: every mutable property is touched only on `queue` (the Dispatch sources'
/// handlers run there; `Server` reaches in only through `queue.async`).
final class Connection: @unchecked Sendable {
    let fd: Int32
    let queue: DispatchQueue
    private let responder: any Responder
    private let limits: HTTPLimits
    private let onClose: @Sendable (Connection) -> Void
    private var machine: ConnectionStateMachine
    private var readSource: (any DispatchSourceRead)?
    private var writeSource: (any DispatchSourceWrite)?
    private var timer: (any DispatchSourceTimer)?
    private var readSuspended = false
    private var writeSuspended = true
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterWrite = false
    private var lingering = false
    private var closed = false
    private var headStart: DispatchTime?
    private var lastActivity = DispatchTime.now()
    private var timerDeadline = DispatchTime.distantFuture
    private var pendingCancels = 0
    private var readBuffer = [UInt8](repeating: 0, count: 16384)
    /// The streamed response being written, if any (then the last response on this connection).
    private var stream: ResponseStream?

    init(
        fd: Int32, queue: DispatchQueue, responder: any Responder, limits: HTTPLimits,
        onClose: @escaping @Sendable (Connection) -> Void
    ) {
        self.fd = fd
        self.queue = queue
        self.responder = responder
        self.limits = limits
        self.onClose = onClose
        self.machine = ConnectionStateMachine(limits: limits)
    }

    /// Installs the sources. Called once, on `queue`.
    func start() {
        let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        read.setEventHandler { [self] in self.readable() }
        read.setCancelHandler { [self] in self.sourceCancelled() }
        readSource = read
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [self] in self.timerFired() }
        timer.setCancelHandler { [self] in self.sourceCancelled() }
        self.timer = timer
        pendingCancels = 2
        schedule(DispatchTime.now() + limits.idleTimeout)
        timer.resume()
        read.resume()
    }

    /// Graceful shutdown: finish the request in flight (a streamed response ends after what it queued), then close.
    /// Called on `queue`.
    func shutdown() {
        guard !closed else { return }
        machine.shutdown()
        if stream != nil { return finishStream() }
        if output.isEmpty && !lingering { drive() }
    }

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
                // Read on to EAGAIN even after a short read: a reset queued behind the data is only seen that way.
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
            lastActivity = DispatchTime.now()
            if headStart == nil && machine.isReadingHead { markHeadStart() }
        }
        drive()
    }

    private func markHeadStart() {
        let start = DispatchTime.now()
        headStart = start
        let deadline = start + limits.headerTimeout
        if deadline < timerDeadline { schedule(deadline) }
    }

    // MARK: - Driving the state machine

    private func drive() {
        if stream != nil { return flush() }
        var full = false
        loop: while !closed {
            if output.count - outputOffset >= 1 << 20 {
                full = true
                break
            }
            switch machine.next() {
            case .dispatch(let request):
                headStart = nil
                let response = responder.respond(to: request)
                switch machine.respond(response, to: request) {
                case .writeAndClose(let bytes):
                    output.append(contentsOf: bytes)
                    closeAfterWrite = true
                    break loop
                case .write(let bytes):
                    output.append(contentsOf: bytes)
                case .stream(let head, let chunked):
                    output.append(contentsOf: head)
                    headStart = nil
                    let started = ResponseStream(
                        connection: self, queue: queue, chunked: chunked, limit: limits.maxStreamBuffer)
                    stream = started
                    response.stream?(started)
                    break loop
                case .close:
                    // A dropped response: earlier pipelined responses still go out, this one never does.
                    if output.count == outputOffset {
                        close()
                        return
                    }
                    closeAfterWrite = true
                    break loop
                default:
                    break
                }
            case .write(let bytes):
                output.append(contentsOf: bytes)
            case .writeAndClose(let bytes):
                output.append(contentsOf: bytes)
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
        if headStart == nil && stream == nil && machine.isReadingHead { markHeadStart() }
        flush()
        // A large pipelined batch stopped at 1 MiB of output; if it all went out, carry on.
        if full && !closed && output.isEmpty && !closeAfterWrite { drive() }
    }

    // MARK: - Streaming

    /// Moves what the stream's producer queued into the output and sends it; drops a client that fell more than
    /// `maxStreamBuffer` bytes behind. Called on `queue` (scheduled by `ResponseStream`).
    func drainStream() {
        guard !closed, let stream else { return }
        let (bytes, finishing, overflowed) = stream.take()
        output.append(contentsOf: bytes)
        if overflowed || output.count - outputOffset > limits.maxStreamBuffer { return close() }
        if finishing { return finishStream() }
        flush()
    }

    /// Ends the stream normally: what it queued, the last chunk (RFC 9112 §7.1: `0 CRLF CRLF`), then close.
    private func finishStream() {
        guard !closed, let stream else { return }
        let (bytes, _, _) = stream.take()
        output.append(contentsOf: bytes)
        if stream.chunked { output.append(contentsOf: Array("0\r\n\r\n".utf8)) }
        self.stream = nil
        stream.end()
        closeAfterWrite = true
        flush()
    }

    // MARK: - Writing

    private func flush() {
        while outputOffset < output.count {
            let n = output.withUnsafeBytes {
                send(fd, $0.baseAddress! + outputOffset, $0.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                outputOffset += n
                lastActivity = DispatchTime.now()
                continue
            }
            let err = errno
            if n < 0 && err == EINTR { continue }
            if n < 0 && (err == EAGAIN || err == EWOULDBLOCK) {
                suspendReading()
                if writeSource == nil {
                    // Created only when a response does not fit the socket buffer: most connections never need it.
                    let write = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
                    write.setEventHandler { [self] in self.writable() }
                    write.setCancelHandler { [self] in self.sourceCancelled() }
                    writeSource = write
                    pendingCancels += 1
                }
                if writeSuspended {
                    writeSuspended = false
                    writeSource?.resume()
                }
                return
            }
            return close()  // EPIPE, ECONNRESET: the peer is gone
        }
        output.removeAll(keepingCapacity: output.count < 1 << 16)
        outputOffset = 0
        if closeAfterWrite { linger() }
    }

    private func writable() {
        guard !closed else { return }
        flush()
        guard !closed, outputOffset == 0, output.isEmpty else { return }
        if !writeSuspended {
            writeSuspended = true
            writeSource?.suspend()
        }
        if !lingering && !closeAfterWrite {
            resumeReading()
            drive()
        }
    }

    private func suspendReading() {
        if !readSuspended {
            readSuspended = true
            readSource?.suspend()
        }
    }

    private func resumeReading() {
        if readSuspended {
            readSuspended = false
            readSource?.resume()
        }
    }

    // MARK: - Closing

    /// After the last response: half-close and drain what the client still sends for a moment, so the
    /// kernel does not reset the connection and destroy the response before the client reads it.
    private func linger() {
        guard !lingering else { return }
        lingering = true
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
        resumeReading()
        schedule(DispatchTime.now() + 2)
    }

    private func timerFired() {
        guard !closed else { return }
        if lingering { return close() }
        let now = DispatchTime.now()
        let deadline: DispatchTime
        let headTimeout: Bool
        if let start = headStart, stream == nil, machine.isReadingHead {
            deadline = start + limits.headerTimeout
            headTimeout = true
        } else {
            deadline = lastActivity + limits.idleTimeout
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

    private func schedule(_ deadline: DispatchTime) {
        timerDeadline = deadline
        timer?.schedule(deadline: deadline, repeating: .never, leeway: .milliseconds(100))
    }

    /// Cancels every source; the descriptor is closed once all of them have let go of it.
    func close() {
        guard !closed else { return }
        closed = true
        if let stream {
            self.stream = nil
            stream.end()
        }
        resumeReading()
        if writeSuspended {
            writeSuspended = false
            writeSource?.resume()
        }
        readSource?.cancel()
        writeSource?.cancel()
        timer?.cancel()
    }

    private func sourceCancelled() {
        pendingCancels -= 1
        guard pendingCancels == 0 else { return }
        Glibc.close(fd)
        readSource = nil
        writeSource = nil
        timer = nil
        onClose(self)
    }
}
