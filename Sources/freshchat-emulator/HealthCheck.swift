import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `freshchat-emulator --healthcheck`: one `GET /_emulator/health` to the server the same flags and
/// `FRESHCHAT_EMULATOR_*` variables describe, over a plain POSIX socket, for a container `HEALTHCHECK`
/// (the runtime image has no curl). Exit status 0 when the answer is `200`, 1 otherwise.
enum HealthCheck {
    /// Seconds allowed for connecting, sending and receiving.
    static let timeoutSeconds = 3

    /// Probes the server and prints one line: the health body on success, the reason on failure.
    /// - Parameter config: the resolved configuration; its `portFile`, when readable, wins over `port`
    ///   (so `--port 0` works).
    /// - Returns: the process exit status.
    static func run(_ config: Config) -> Int32 {
        let port = boundPort(config)
        guard port > 0 else {
            print("unhealthy: no port to probe (port 0 and no readable port file)")
            return 1
        }
        let host = probeAddress(config.host)
        switch get(host: host, port: port, path: "/_emulator/health") {
        case .success(let response) where response.hasPrefix("HTTP/1.1 200 "):
            let body = response.split(separator: "\r\n\r\n", maxSplits: 1).last.map(String.init) ?? ""
            print(body)
            return 0
        case .success(let response):
            print("unhealthy: \(response.split(separator: "\r\n").first.map(String.init) ?? "empty response")")
            return 1
        case .failure(let reason):
            print("unhealthy: \(host):\(port): \(reason)")
            return 1
        }
    }

    /// The port from the port file when there is one, else the configured port.
    static func boundPort(_ config: Config) -> Int {
        if let path = config.portFile, let file = fopen(path, "r") {
            defer { fclose(file) }
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = fread(&buffer, 1, buffer.count, file)
            if let port = Int(String(decoding: buffer[0..<count], as: UTF8.self).filter(\.isNumber)) { return port }
        }
        return config.port
    }

    /// A wildcard bind address is probed on loopback; any other address as it is.
    static func probeAddress(_ host: String) -> String {
        switch host {
        case "", "0.0.0.0": return "127.0.0.1"
        case "::", "[::]": return "::1"
        default: return host
        }
    }

    /// The failure of one probe step, with errno's text.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ step: String, _ code: Int32 = errno) { description = "\(step): \(String(cString: strerror(code)))" }
    }

    /// Sends `GET path` with `Connection: close` and returns the whole response.
    static func get(host: String, port: Int, path: String) -> Result<String, Failure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let info = result else {
            return .failure(Failure("getaddrinfo: \(String(cString: gai_strerror(rc)))", 0))
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failure(Failure("socket")) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            return .failure(Failure("connect"))
        }
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(authority)\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else {
            return .failure(Failure("send"))
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while response.count < 65536 {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { break }
            guard n > 0 else { return .failure(Failure("recv")) }
            response += buffer[0..<n]
        }
        return .success(String(decoding: response, as: UTF8.self))
    }
}
