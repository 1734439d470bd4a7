import Dispatch
import FreshchatEmulator
import HTTP
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Start-up and shutdown around the library: open the store, listen, write the port file, and on
/// SIGINT/SIGTERM stop accepting → finish in-flight requests → close the store → exit 0.
final class Runner: Sendable {
    let config: Config
    let logger: Logger
    let emulator: Emulator
    let host: EmulatorHost
    let server: Server

    init(config: Config, logger: Logger) throws {
        self.config = config
        self.logger = logger
        emulator = try Emulator.open(config: config, logger: logger)
        host = EmulatorHost(emulator: emulator)
        if let file = config.importFile {
            try host.primary.importState(try JSONParser.parse(try FileIO.read(file)))
            logger.info("imported state from \(file)")
        }
        server = Server(
            configuration: Server.Configuration(host: config.host, port: config.port, limits: config.httpLimits),
            responder: host)
    }

    func start() throws {
        try server.start()
        host.startJobs()
        let port = server.port
        if let portFile = config.portFile {
            guard let file = fopen(portFile, "w") else {
                throw SocketError(call: "open port file \(portFile)", errno: errno)
            }
            fputs("\(port)\n", file)
            fclose(file)
        }
        let hostPart = config.host.contains(":") ? "[\(config.host)]" : config.host
        logger.info("freshchat-emulator \(Emulator.version) listening; base URL http://\(hostPart):\(port)/v2")
        if config.tokens.isEmpty {
            logger.notice("no --token configured: any non-empty bearer token is accepted")
        }
        logger.info("store: \(config.databasePath)")
    }

    /// Installs the SIGINT/SIGTERM handlers that shut down and exit 0. Called before `start()`, so a signal
    /// that arrives as soon as the port file exists is already handled.
    func installSignalHandlers() -> [any DispatchSourceSignal] {
        let signalQueue = DispatchQueue(label: "signals")
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: signalQueue)
            source.setEventHandler { [self] in
                logger.info("signal \(sig): shutting down")
                server.shutdown(timeout: 1.5)
                host.stopJobs()
                if let file = config.exportOnExit {
                    do {
                        try FileIO.write(file, try host.primary.exportState().serialized())
                        logger.info("exported state to \(file)")
                    } catch {
                        logger.error("cannot export state to \(file): \(error)")
                    }
                }
                emulator.store.close()
                exit(0)
            }
            source.resume()
            sources.append(source)
        }
        return sources
    }
}
