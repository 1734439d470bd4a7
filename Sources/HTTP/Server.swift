import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An HTTP/1.1 server on non-blocking POSIX sockets driven by Dispatch sources: no thread per connection.
/// Each connection lives on its own serial queue; all of them share one concurrent target queue.
///
/// `@unchecked Sendable`: `acceptSource` and `acceptSuspended` are touched only on `acceptQueue`; everything
/// else shared is in the `state` mutex.
public final class Server: @unchecked Sendable {
    /// Where to listen and which limits apply.
    public struct Configuration: Sendable {
        /// Host to bind: an IPv4 or IPv6 literal or a name (`127.0.0.1`, `::1`, `0.0.0.0`, `localhost`).
        public var host: String
        /// Port to bind; 0 picks a free one (see `Server.port`).
        public var port: Int
        /// Parser, size and time limits.
        public var limits: HTTPLimits

        /// Creates a configuration.
        public init(host: String = "127.0.0.1", port: Int = 8787, limits: HTTPLimits = HTTPLimits()) {
            self.host = host
            self.port = port
            self.limits = limits
        }
    }

    private struct State {
        var listener: Int32 = -1
        var connections: [ObjectIdentifier: Connection] = [:]
        var stopping = false
        var port = 0
    }

    /// The configuration the server was created with.
    public let configuration: Configuration
    private let responder: any Responder
    private let state = Mutex(State())
    private let acceptQueue = DispatchQueue(label: "http.accept")
    private let connectionTarget = DispatchQueue(label: "http.connections", attributes: .concurrent)
    private let drained = DispatchSemaphore(value: 0)
    private var acceptSource: (any DispatchSourceRead)?
    private var acceptSuspended = false

    /// Creates a server; nothing is bound until `start()`.
    public init(configuration: Configuration, responder: any Responder) {
        self.configuration = configuration
        self.responder = responder
    }

    /// The bound port (meaningful after `start()`, also when configured with port 0).
    public var port: Int { state.withLock { $0.port } }

    /// The number of open connections.
    public var connectionCount: Int { state.withLock { $0.connections.count } }

    /// Binds, listens and starts accepting.
    /// - Throws: `SocketError` when the address cannot be bound.
    public func start() throws {
        signal(SIGPIPE, SIG_IGN)
        Socket.raiseFileLimit()
        let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: acceptQueue)
        source.setEventHandler { [self] in acceptAll() }
        source.setCancelHandler { Glibc.close(fd) }
        state.withLock {
            $0.listener = fd
            $0.port = port
        }
        acceptQueue.sync {
            acceptSource = source
            source.resume()
        }
    }

    private func acceptAll() {
        while true {
            let full = state.withLock { $0.connections.count >= configuration.limits.maxConnections }
            if full {
                if !acceptSuspended {
                    acceptSuspended = true
                    acceptSource?.suspend()
                }
                return
            }
            let listener = state.withLock { $0.listener }
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
            let queue = DispatchQueue(label: "http.connection", target: connectionTarget)
            let connection = Connection(
                fd: fd, queue: queue, responder: responder, limits: configuration.limits,
                onClose: { [weak self] in self?.connectionClosed($0) })
            let stopping = state.withLock { s -> Bool in
                s.connections[ObjectIdentifier(connection)] = connection
                return s.stopping
            }
            queue.async {
                connection.start()
                if stopping { connection.shutdown() }
            }
        }
    }

    private func connectionClosed(_ connection: Connection) {
        let (signalDrained, stopping) = state.withLock { s -> (Bool, Bool) in
            s.connections[ObjectIdentifier(connection)] = nil
            return (s.stopping && s.connections.isEmpty, s.stopping)
        }
        if !stopping {
            acceptQueue.async { [self] in
                if acceptSuspended {
                    acceptSuspended = false
                    acceptSource?.resume()
                }
            }
        }
        if signalDrained { drained.signal() }
    }

    /// Graceful shutdown: stop accepting, let in-flight requests finish, close idle connections, and wait up
    /// to `timeout` seconds for all connections to close before closing the rest.
    public func shutdown(timeout: Double = 2) {
        let first = state.withLock { s -> Bool in
            defer { s.stopping = true }
            return !s.stopping
        }
        guard first else { return }
        acceptQueue.sync {
            if acceptSuspended {
                acceptSuspended = false
                acceptSource?.resume()
            }
            acceptSource?.cancel()
            acceptSource = nil
        }
        let connections = state.withLock { Array($0.connections.values) }
        if connections.isEmpty { return }
        for connection in connections {
            connection.queue.async { connection.shutdown() }
        }
        if drained.wait(timeout: .now() + timeout) == .timedOut {
            let remaining = state.withLock { Array($0.connections.values) }
            for connection in remaining {
                connection.queue.async { connection.close() }
            }
            _ = drained.wait(timeout: .now() + 0.5)
        }
    }
}
