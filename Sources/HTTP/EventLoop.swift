import CEpoll
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Something registered with an ``EventLoop``: told, on the loop's thread, when its descriptor is ready and, about
/// every `EventLoop.tickInterval`, what time it is (for its timeouts).
protocol EventLoopHandler: AnyObject {
    /// The descriptor is ready: `events` is the epoll mask (`EPOLLIN`, `EPOLLOUT`, `EPOLLERR`, `EPOLLHUP`).
    func ready(_ events: UInt32)
    /// The loop's periodic tick; `now` is ``EventLoop/now()``.
    func tick(_ now: UInt64)
    /// The loop has handled every descriptor of its round (asked for with ``EventLoop/atEndOfRound(_:)``).
    func endOfRound()
}

extension EventLoopHandler {
    func endOfRound() {}
}

/// One thread that waits on an epoll set and runs the handlers of the descriptors that are ready, then the tasks
/// other threads handed it (`execute`), then the handlers' timeouts. A connection lives on one loop for its whole
/// life, so what it does needs no lock and no thread hop: reading, parsing, answering and writing a request happen in
/// one go on the loop's thread (RFC 9112's request/response exchange), the way nginx or SwiftNIO serve.
///
/// Dispatch sources did the same job before and cost a wake-up of Dispatch's manager thread, a hand-off to a worker
/// thread and a re-arm of the descriptor for every request: about half of the CPU a small request took (issue #12).
///
/// `@unchecked Sendable`: `handlers`, `nextToken` and `nextTick` are touched only on the loop's thread (or before it
/// starts); the task list is in a mutex; `epfd`, `wakeFD` and `thread` are set once.
final class EventLoop: @unchecked Sendable {
    /// How often handlers are ticked for their timeouts (timeouts have this much leeway).
    static let tickInterval: UInt64 = 50_000_000

    private struct Tasks {
        var pending: [@Sendable () -> Void] = []
        /// Once set, `execute` drops tasks: the loop has ended and closed its descriptors.
        var stopped = false
        var stopRequested = false
    }

    private let epfd: Int32
    private let wakeFD: Int32
    private let tasks = Mutex(Tasks())
    private var handlers: [UInt64: any EventLoopHandler] = [:]
    private var nextToken: UInt64 = 1
    private var nextTick: UInt64 = 0
    /// The handlers told once this round's ready descriptors are handled (connections send their output then).
    private var roundEnd: [any EventLoopHandler] = []
    /// Work the round's responders left to finish before their answers may leave (``Round/beforeAnswersLeave(_:)``).
    private var settlements: [() -> Bool] = []
    /// The connections that queued answers while `settlements` were pending.
    private var held: [Connection] = []
    private let thread = Mutex<pthread_t?>(nil)
    private let label: String
    /// Signalled once `run` has returned (its descriptors closed, its last log lines written).
    private let ended = DispatchSemaphore(value: 0)

    /// Creates the loop's epoll set and wake-up descriptor; the thread starts with `start()`.
    init(label: String) throws {
        self.label = label
        let epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epfd >= 0 else { throw SocketError(call: "epoll_create1") }
        let wakeFD = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        guard wakeFD >= 0 else {
            let error = SocketError(call: "eventfd")
            Glibc.close(epfd)
            throw error
        }
        self.epfd = epfd
        self.wakeFD = wakeFD
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = 0  // token 0: the wake-up descriptor
        _ = epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFD, &event)
    }

    /// Nanoseconds on the monotonic clock.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Starts the loop's thread.
    func start() {
        let name = String(label.prefix(15))
        let body = ThreadBody { [self] in
            cepoll_set_thread_name(name)
            run()
            ended.signal()
        }
        var id = pthread_t()
        let argument = Unmanaged.passRetained(body).toOpaque()
        let created = pthread_create(
            &id, nil,
            { argument in
                let body = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
                body.run()
                return nil
            }, argument)
        guard created == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(argument).release()
            // No thread: run nothing rather than crash; the server then never answers, which its start-up check sees.
            return
        }
        pthread_detach(id)
        thread.withLock { $0 = id }
    }

    /// Waits up to `timeout` seconds for the loop's thread to end after ``stop()``; returns whether it has. Returns
    /// false at once on the loop's own thread or when the thread never started.
    func waitUntilEnded(timeout: Double) -> Bool {
        guard thread.withLock({ $0 }) != nil, !inLoop else { return false }
        guard ended.wait(timeout: .now() + timeout) == .success else { return false }
        ended.signal()  // for the next caller
        return true
    }

    /// Whether the caller runs on this loop's thread.
    var inLoop: Bool {
        guard let id = thread.withLock({ $0 }) else { return false }
        return pthread_equal(pthread_self(), id) != 0
    }

    /// Runs `task` on the loop's thread, after the ready descriptors it is handling now. Dropped once the loop ended.
    func execute(_ task: @escaping @Sendable () -> Void) {
        let wake = tasks.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.pending.append(task)
            return state.pending.count == 1
        }
        if wake { wakeUp() }
    }

    /// Ends the loop after the tasks queued so far; its descriptors are closed when it has.
    func stop() {
        let wake = tasks.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.stopRequested = true
            return true
        }
        if wake { wakeUp() }
    }

    private func wakeUp() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: - On the loop's thread

    /// Adds `fd` to the epoll set, watched for `events`; returns the token to modify or remove it with.
    func register(_ fd: Int32, events: UInt32, handler: any EventLoopHandler) -> UInt64 {
        let token = nextToken
        nextToken += 1
        handlers[token] = handler
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        _ = epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event)
        return token
    }

    /// Changes what `fd` is watched for (0: nothing but errors and hang-ups).
    func modify(_ fd: Int32, token: UInt64, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        _ = epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &event)
    }

    /// Removes `fd` from the epoll set (before it is closed).
    func deregister(_ fd: Int32, token: UInt64) {
        handlers[token] = nil
        var event = epoll_event()
        _ = epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &event)
    }

    private func run() {
        let capacity = 256
        var events = [epoll_event](repeating: epoll_event(), count: capacity)
        nextTick = Self.now() + Self.tickInterval
        LoopOutput.begin()
        defer { LoopOutput.end() }
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        defer {
            settle()
            pthread_setspecific(Self.currentKey, nil)
        }
        while true {
            // Output held by tasks and ticks (an offloaded answer, a shutdown) goes out before the loop waits; so do
            // the log lines of the round just handled.
            endRound()
            LoopOutput.flush()
            let now = Self.now()
            let timeout = now >= nextTick ? 0 : Int32((nextTick - now + 999_999) / 1_000_000)
            let count = events.withUnsafeMutableBufferPointer {
                epoll_wait(epfd, $0.baseAddress, Int32(capacity), timeout)
            }
            if count > 0 {
                for index in 0..<Int(count) {
                    let token = events[index].data.u64
                    if token == 0 {
                        var value: UInt64 = 0
                        _ = read(wakeFD, &value, 8)
                        continue
                    }
                    // A handler closed by an earlier event of this batch is gone: its event is stale.
                    handlers[token]?.ready(events[index].events)
                }
            }
            endRound()
            if runTasks() {
                endRound()  // the last tasks' output (a shutdown's answers) still goes out
                break
            }
            let after = Self.now()
            if after >= nextTick {
                nextTick = after + Self.tickInterval
                for handler in Array(handlers.values) { handler.tick(after) }
            }
        }
        Glibc.close(wakeFD)
        Glibc.close(epfd)
        handlers = [:]
    }

    /// Calls `handler.endOfRound()` once the ready descriptors of this round are handled, or, asked by a task or a
    /// tick, before the loop waits again. On the loop's thread.
    func atEndOfRound(_ handler: any EventLoopHandler) {
        roundEnd.append(handler)
    }

    private func endRound() {
        settle()
        var index = 0
        while index < roundEnd.count {  // one that asks again is told again
            roundEnd[index].endOfRound()
            index += 1
        }
        roundEnd.removeAll(keepingCapacity: true)
    }

    // MARK: - Answers held for a settlement

    /// The loop whose thread this is (set while `run` runs).
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The loop running on the calling thread, if any.
    static var current: EventLoop? {
        guard let raw = pthread_getspecific(currentKey) else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Whether answers queued now must wait for `settle()`.
    var holdsAnswers: Bool { !settlements.isEmpty }

    /// Adds `settlement`, run by the next `settle()`. On the loop's thread.
    func holdAnswers(until settlement: @escaping () -> Bool) {
        settlements.append(settlement)
    }

    /// `connection` queued an answer while answers are held: it hears how the settlement went.
    func held(_ connection: Connection) {
        held.append(connection)
    }

    /// Runs the pending settlements, then tells each connection that queued answers meanwhile whether they all
    /// succeeded (a failed one has those answers replaced). Called before any connection sends (`Connection.flush`)
    /// and at the end of each round. On the loop's thread.
    func settle() {
        guard !settlements.isEmpty else { return }
        var succeeded = true
        // A settlement may hold answers again (a write made while settling): settle until none is left.
        while !settlements.isEmpty {
            let batch = settlements
            settlements = []
            for settlement in batch where !settlement() { succeeded = false }
        }
        let connections = held
        held = []
        for connection in connections { connection.settled(succeeded) }
    }

    /// Runs the queued tasks; returns true when the loop should end (then nothing more is accepted).
    private func runTasks() -> Bool {
        while true {
            let (batch, stop) = tasks.withLock { state -> ([@Sendable () -> Void], Bool) in
                let batch = state.pending
                state.pending = []
                if batch.isEmpty && state.stopRequested { state.stopped = true }
                return (batch, state.stopped)
            }
            if stop { return true }
            if batch.isEmpty { return false }
            for task in batch { task() }
        }
    }
}

/// A closure handed to a new thread.
private final class ThreadBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

extension EventLoop {
    /// How many loops a server runs by default: one per CPU this process may run on (its affinity mask), at most 8.
    static var defaultCount: Int {
        let cpus = Int(cepoll_cpu_count())
        return cpus > 0 ? min(cpus, 8) : 2
    }
}

/// Work a responder leaves unfinished on an event loop's thread that the answers must wait for: a store's writes
/// committed together at the end of the round, say (one commit for the round's requests instead of one each). The
/// loop runs the settlement before any answer queued since leaves, at the latest when the round's ready descriptors
/// are handled; if it fails, every answer queued since is replaced by a `500 Internal Server Error` and its connection
/// closed (pipelined requests after it are not answered), so no answer claims what did not happen.
public enum Round {
    /// On an event loop's thread: holds the answers queued from now on until `settlement` has run, and returns true.
    /// Elsewhere returns false (nothing is held: finish the work now).
    /// - Parameter settlement: returns whether it succeeded; it runs once, on the same thread.
    public static func beforeAnswersLeave(_ settlement: @escaping () -> Bool) -> Bool {
        guard let loop = EventLoop.current else { return false }
        loop.holdAnswers(until: settlement)
        return true
    }

    /// Whether the calling thread is an event loop's (where ``beforeAnswersLeave(_:)`` holds answers).
    public static var isOnEventLoop: Bool { EventLoop.current != nil }
}
