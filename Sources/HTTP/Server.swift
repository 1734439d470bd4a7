import CEpoll
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An HTTP/1.1 server on non-blocking POSIX sockets driven by epoll event loops: no thread per connection. Each
/// accepted connection is handed to one loop (round robin) and lives there; the first loop also accepts.
///
/// `@unchecked Sendable`: `listenerToken` and `acceptPaused` are touched only on the first loop's thread; everything
/// else shared is in the `state` mutex; `loops` is set once in `start()` before any thread reads it.
public final class Server: @unchecked Sendable {
    /// Where to listen and which limits apply.
    public struct Configuration: Sendable {
        /// Host to bind: an IPv4 or IPv6 literal or a name (`127.0.0.1`, `::1`, `0.0.0.0`, `localhost`).
        public var host: String
        /// Port to bind; 0 picks a free one (see `Server.port`).
        public var port: Int
        /// Parser, size and time limits.
        public var limits: HTTPLimits
        /// Event loop threads; nil: one per CPU the process may run on, at most 8.
        public var eventLoops: Int?

        /// Creates a configuration.
        public init(
            host: String = "127.0.0.1", port: Int = 8787, limits: HTTPLimits = HTTPLimits(), eventLoops: Int? = nil
        ) {
            self.host = host
            self.port = port
            self.limits = limits
            self.eventLoops = eventLoops
        }
    }

    private struct State {
        var listener: Int32 = -1
        var connections: [ObjectIdentifier: Connection] = [:]
        var stopping = false
        var port = 0
        var nextLoop = 0
    }

    /// The configuration the server was created with.
    public let configuration: Configuration
    private let responder: any Responder
    private let state = Mutex(State())
    private let drained = DispatchSemaphore(value: 0)
    private var loops: [EventLoop] = []
    private var acceptor: Acceptor?
    private var listenerToken: UInt64?
    private var acceptPaused = false

    /// Creates a server; nothing is bound until `start()`.
    public init(configuration: Configuration, responder: any Responder) {
        self.configuration = configuration
        self.responder = responder
    }

    /// The bound port (meaningful after `start()`, also when configured with port 0).
    public var port: Int { state.withLock { $0.port } }

    /// The number of open connections.
    public var connectionCount: Int { state.withLock { $0.connections.count } }

    /// Binds, listens and starts the event loops.
    /// - Throws: `SocketError` when the address cannot be bound or a loop cannot be created.
    public func start() throws {
        signal(SIGPIPE, SIG_IGN)
        Socket.raiseFileLimit()
        let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port)
        let count = max(1, configuration.eventLoops ?? EventLoop.defaultCount)
        do {
            loops = try (0..<count).map { try EventLoop(label: "http.loop.\($0)") }
        } catch {
            Glibc.close(fd)
            throw error
        }
        acceptor = Acceptor(server: self)
        state.withLock {
            $0.listener = fd
            $0.port = port
        }
        for loop in loops { loop.start() }
        loops[0].execute { [self] in resumeAccepting() }
    }

    /// The first loop's handler of the listening socket.
    private final class Acceptor: EventLoopHandler {
        /// Weak: a server dropped without `shutdown()` leaves its loops running, and this must not outlive it as a
        /// dangling reference.
        weak var server: Server?
        /// The listening socket and its registration, for closing it once the server is gone.
        var listener: (fd: Int32, token: UInt64, loop: EventLoop)?
        init(server: Server) { self.server = server }
        func ready(_ events: UInt32) {
            if let server { return server.acceptAll() }
            // The server was dropped without shutdown(): stop listening (level-triggered epoll would report forever).
            guard let (fd, token, loop) = listener else { return }
            listener = nil
            loop.deregister(fd, token: token)
            Glibc.close(fd)
        }
        func tick(_ now: UInt64) {}
    }

    /// Watches the listening socket again (on the first loop).
    private func resumeAccepting() {
        let (listener, stopping) = state.withLock { ($0.listener, $0.stopping) }
        guard listener >= 0, !stopping, let acceptor else { return }
        if let token = listenerToken {
            guard acceptPaused else { return }
            acceptPaused = false
            loops[0].modify(listener, token: token, events: EPOLLIN.rawValue)
        } else {
            let token = loops[0].register(listener, events: EPOLLIN.rawValue, handler: acceptor)
            listenerToken = token
            acceptor.listener = (listener, token, loops[0])
        }
    }

    private func acceptAll() {
        let listener = state.withLock { $0.listener }
        guard listener >= 0 else { return }
        while true {
            let full = state.withLock { $0.connections.count >= configuration.limits.maxConnections }
            if full {
                // Stop watching the listener until a connection closes; new clients wait in the backlog.
                if !acceptPaused, let token = listenerToken {
                    acceptPaused = true
                    loops[0].modify(listener, token: token, events: 0)
                }
                return
            }
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                let err = errno
                if err == EINTR || err == ECONNABORTED { continue }
                return  // EAGAIN: drained; EMFILE and others: try again on the next event
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            guard (try? Socket.setNonBlocking(fd)) != nil else {
                Glibc.close(fd)
                continue
            }
            Socket.setNoDelay(fd)
            let (index, stopping) = state.withLock { s -> (Int, Bool) in
                defer { s.nextLoop = (s.nextLoop + 1) % loops.count }
                return (s.nextLoop, s.stopping)
            }
            let loop = loops[index]
            let connection = Connection(
                fd: fd, loop: loop, responder: responder, limits: configuration.limits,
                onClose: { [weak self] in self?.connectionClosed($0) })
            state.withLock { $0.connections[ObjectIdentifier(connection)] = connection }
            if loop === loops[0] {
                connection.start()
                if stopping { connection.shutdown() }
            } else {
                loop.execute {
                    connection.start()
                    if stopping { connection.shutdown() }
                }
            }
        }
    }

    private func connectionClosed(_ connection: Connection) {
        let (signalDrained, stopping) = state.withLock { s -> (Bool, Bool) in
            s.connections[ObjectIdentifier(connection)] = nil
            return (s.stopping && s.connections.isEmpty, s.stopping)
        }
        if !stopping {
            let first = loops[0]
            if connection.loop === first {
                if acceptPaused { resumeAccepting() }
            } else {
                first.execute { [self] in if acceptPaused { resumeAccepting() } }
            }
        }
        if signalDrained { drained.signal() }
    }

    /// Graceful shutdown: stop accepting, let in-flight requests finish, close idle connections, and wait up
    /// to `timeout` seconds for all connections to close before closing the rest; then the loops end.
    public func shutdown(timeout: Double = 2) {
        let first = state.withLock { s -> Bool in
            defer { s.stopping = true }
            return !s.stopping
        }
        guard first, !loops.isEmpty else { return }
        // Close the listener on its loop, and wait for that, so nothing is accepted once this returns.
        let stopped = DispatchSemaphore(value: 0)
        let closeListener: @Sendable () -> Void = { [self] in
            let listener = state.withLock { s -> Int32 in
                defer { s.listener = -1 }
                return s.listener
            }
            if let token = listenerToken, listener >= 0 { loops[0].deregister(listener, token: token) }
            listenerToken = nil
            acceptor?.listener = nil
            if listener >= 0 { Glibc.close(listener) }
            stopped.signal()
        }
        if loops[0].inLoop {
            closeListener()
        } else {
            loops[0].execute(closeListener)
            _ = stopped.wait(timeout: .now() + 5)
        }
        let connections = state.withLock { Array($0.connections.values) }
        if !connections.isEmpty {
            for connection in connections {
                connection.loop.execute { connection.shutdown() }
            }
            if drained.wait(timeout: .now() + timeout) == .timedOut {
                let remaining = state.withLock { Array($0.connections.values) }
                for connection in remaining {
                    connection.loop.execute { connection.close() }
                }
                _ = drained.wait(timeout: .now() + 0.5)
            }
        }
        for loop in loops { loop.stop() }
        // Let each loop end before returning (the process may exit next): its last round's log lines are written
        // then (LoopOutput).
        for loop in loops { _ = loop.waitUntilEnded(timeout: 1) }
    }
}
