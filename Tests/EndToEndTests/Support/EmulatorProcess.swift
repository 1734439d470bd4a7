import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A failure of the test harness itself (not an assertion about the server).
struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How a child process ended.
enum Termination: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    case stillRunning

    var description: String {
        switch self {
        case .exited(let code): return "exited with status \(code)"
        case .signaled(let signal): return "killed by signal \(signal)"
        case .stillRunning: return "still running"
        }
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Sleeps for `seconds` (blocking).
func pause(_ seconds: Double) {
    usleep(useconds_t(seconds * 1_000_000))
}

/// A fresh directory under the system temp directory, removed with everything in it on deinit.
final class TempDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/freshchat-e2e-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw HarnessError("mkdtemp failed: errno \(errno)")
        }
        path = String(cString: made)
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Where the build put the `freshchat-emulator` executable: next to the test bundle, in the same
/// `.build/<triple>/<configuration>/` directory the tests run from.
enum BuiltProducts {
    static let executableName = "freshchat-emulator"

    /// The directories that may hold the executable, best guess first.
    static var candidateDirectories: [String] {
        var directories: [String] = []
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 {
            let bytes = buffer[0..<n].map { UInt8(bitPattern: $0) }
            directories.append(directoryName(of: String(decoding: bytes, as: UTF8.self)))
        }
        if let first = CommandLine.arguments.first {
            directories.append(directoryName(of: first))
        }
        return directories
    }

    /// The absolute path of the executable.
    /// - Throws: `HarnessError` naming the directories searched when it is not there.
    static func executable() throws -> String {
        let directories = candidateDirectories
        for directory in directories {
            var path = directory + "/" + executableName
            if !path.hasPrefix("/") {
                path = FileManager.default.currentDirectoryPath + "/" + path
            }
            if access(path, X_OK) == 0 { return path }
        }
        throw HarnessError(
            "the \(executableName) executable was not found next to the test bundle (searched: "
                + directories.joined(separator: ", ")
                + "); build it with `swift build` using the same --scratch-path as `swift test`")
    }

    private static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// A child process started with posix_spawn, its stdout and stderr going to one log file.
final class ChildProcess {
    let pid: pid_t
    let logPath: String
    private(set) var termination: Termination = .stillRunning

    /// Spawns `arguments[0]` with the given arguments. The environment is the test process's minus every
    /// `FRESHCHAT_EMULATOR_` variable, plus `environment`.
    init(arguments: [String], environment: [String: String] = [:], logPath: String) throws {
        self.logPath = logPath
        var env: [String] = []
        for (name, value) in ProcessInfo.processInfo.environment where !name.hasPrefix("FRESHCHAT_EMULATOR_") {
            env.append("\(name)=\(value)")
        }
        for (name, value) in environment { env.append("\(name)=\(value)") }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Descriptors of tests running in parallel must not leak into the child (a leaked client socket would stay
        // open after its test closed it). The test's own sockets are SOCK_CLOEXEC; this catches the rest.
        // glibc ≥ 2.34 has posix_spawn_file_actions_addclosefrom_np, which the Glibc module does not import.
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, arguments[0], &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw HarnessError("posix_spawn \(arguments[0]) failed: \(String(cString: strerror(rc)))")
        }
        pid = child
    }

    /// Everything the child wrote to stdout and stderr so far.
    var output: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Reaps the child if it has ended; returns how it ended or `.stillRunning`.
    @discardableResult
    func poll() -> Termination {
        guard termination == .stillRunning else { return termination }
        var status: Int32 = 0
        let rc = waitpid(pid, &status, WNOHANG)
        if rc == pid {
            // WIFEXITED / WEXITSTATUS / WTERMSIG are macros; decode the status word by hand.
            let signal = status & 0x7f
            termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
        }
        return termination
    }

    /// Waits up to `timeout` seconds for the child to end.
    func wait(timeout: Double) -> Termination {
        let deadline = monotonicSeconds() + timeout
        while poll() == .stillRunning && monotonicSeconds() < deadline {
            pause(0.01)
        }
        return termination
    }

    /// Sends `signal` to the child if it is still running.
    func send(signal: Int32) {
        if poll() == .stillRunning { kill(pid, signal) }
    }

    deinit {
        if poll() == .stillRunning {
            kill(pid, SIGKILL)
            _ = wait(timeout: 5)
        }
    }
}

/// A running `freshchat-emulator` on a free port: `--port 0 --port-file … --db … --log-level error`.
final class RunningEmulator {
    let process: ChildProcess
    let port: Int
    private let directory: TempDirectory
    private var clients: [Client] = []

    /// Starts the emulator and waits until it wrote its port file.
    /// - Parameters:
    ///   - arguments: extra command-line arguments (`--token`, `--rate-limit`, …).
    ///   - database: the `--db` value; `:memory:` unless a test restarts on a file.
    ///   - environment: extra environment variables.
    init(_ arguments: [String] = [], database: String = ":memory:", environment: [String: String] = [:]) throws {
        directory = try TempDirectory()
        let portFile = directory.file("port")
        var argv = [try BuiltProducts.executable(), "--port", "0", "--port-file", portFile, "--db", database]
        if !arguments.contains("--log-level") { argv += ["--log-level", "error"] }
        argv += arguments
        process = try ChildProcess(arguments: argv, environment: environment, logPath: directory.file("log"))
        let deadline = monotonicSeconds() + 20
        while true {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), text.hasSuffix("\n"),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                self.port = port
                break
            }
            let state = process.poll()
            if state != .stillRunning {
                throw HarnessError("freshchat-emulator \(state) before listening; output:\n\(process.output)")
            }
            if monotonicSeconds() > deadline {
                throw HarnessError("freshchat-emulator wrote no port file within 20 s; output:\n\(process.output)")
            }
            pause(0.01)
        }
    }

    /// Sends SIGTERM and waits up to `timeout` seconds for the process to end. Like a well-behaved client, the test
    /// first closes the connections it opened with `connect` (a graceful shutdown otherwise waits up to its 1.5 s
    /// deadline for clients to close connections it half-closed; one test covers exactly that).
    func terminate(timeout: Double = 3) -> Termination {
        for client in clients { client.close() }
        clients.removeAll()
        process.send(signal: SIGTERM)
        return process.wait(timeout: timeout)
    }

    /// Sends SIGKILL and reaps the process.
    func killHard() -> Termination {
        process.send(signal: SIGKILL)
        return process.wait(timeout: 5)
    }

    /// Whether the process is still running.
    var isRunning: Bool { process.poll() == .stillRunning }

    /// The number of open file descriptors of the server process (from /proc).
    var openDescriptorCount: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.pid)/fd").count) ?? -1
    }

    /// Opens a new client connection (closed by `terminate`, if still open).
    func connect(timeout: Double = 5, receiveBuffer: Int32? = nil) throws -> Client {
        let client = try Client(port: port, timeout: timeout, receiveBuffer: receiveBuffer)
        clients.append(client)
        return client
    }

    /// Sends one request on a new connection and reads its response.
    func request(_ raw: String) throws -> HTTPResponse {
        let client = try Client(port: port)
        try client.send(raw)
        return try client.readResponse()
    }

    /// `GET path` with optional extra header lines, on a new connection.
    func get(_ path: String, headers: [String] = []) throws -> HTTPResponse {
        try request(RawRequest.get(path, headers: headers))
    }
}

/// Builds raw request heads.
enum RawRequest {
    /// `METHOD target HTTP/1.1` with `Host` and the given header lines, then the empty line.
    static func make(_ method: String, _ target: String, headers: [String] = [], body: String = "") -> String {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for line in headers { text += line + "\r\n" }
        return text + "\r\n" + body
    }

    static func get(_ target: String, headers: [String] = []) -> String {
        make("GET", target, headers: headers)
    }
}
