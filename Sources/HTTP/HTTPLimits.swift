/// Size and time limits of the HTTP floor. Every limit has a documented default and a test at its edge.
public struct HTTPLimits: Sendable, Equatable {
    /// The longest request-target accepted, in octets; longer → 414 (RFC 9112 §3: "It is RECOMMENDED that all
    /// HTTP senders and recipients support, at a minimum, request-line lengths of 8000 octets").
    /// Default: 8192.
    public var maxRequestTarget: Int
    /// The largest header section (all field lines together, request line excluded), in octets; larger → 431.
    /// Default: 65,536 (64 KiB).
    public var maxHeaderBytes: Int
    /// The largest request content, in octets; larger → 413, decided from Content-Length before the body is
    /// read. Default: 33,554,432 (32 MiB).
    public var maxBody: Int
    /// Seconds a client may take to send a complete request head once it started one (slowloris). Default: 10.
    public var headerTimeout: Double
    /// Seconds an idle keep-alive connection (or a stalled body) stays open. Default: 60.
    public var idleTimeout: Double
    /// The most connections open at once; beyond that new ones wait in the listen backlog. Default: 4096.
    public var maxConnections: Int
    /// The most bytes of a streamed response (`Response.streaming`) waiting for a slow client; a client further
    /// behind is dropped (the stream ends). Default: 1,048,576 (1 MiB).
    public var maxStreamBuffer: Int

    /// Creates limits; every argument defaults to the documented default.
    public init(
        maxRequestTarget: Int = 8192, maxHeaderBytes: Int = 65536, maxBody: Int = 32 * 1024 * 1024,
        headerTimeout: Double = 10, idleTimeout: Double = 60, maxConnections: Int = 4096,
        maxStreamBuffer: Int = 1 << 20
    ) {
        self.maxRequestTarget = maxRequestTarget
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBody = maxBody
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.maxStreamBuffer = maxStreamBuffer
    }
}
