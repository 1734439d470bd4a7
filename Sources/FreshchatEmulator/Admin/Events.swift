import Dispatch
import HTTP

/// `GET /_emulator/events` (issue #11): the workspace's change feed as Server-Sent Events (WHATWG HTML §9.2), so a
/// page updates without polling. Takes `?workspace=`, `?conversation_id=` (only that conversation's events, plus
/// `reset`) and `Last-Event-ID` (header, or `?last_event_id=`) to resume.
struct EventsAPI {
    let host: EmulatorHost
    /// Seconds between heartbeat comments (`:` lines), which keep the stream past the idle timeout and proxies
    /// (15, or half the idle timeout when that is shorter).
    var heartbeatSeconds: Double = 15

    func register(on router: Router) {
        router.add(.get, "/_emulator/events", events)
    }

    /// Whether `request` is for the event stream and names the admin token as `?admin_token=`: a browser's
    /// EventSource cannot send an Authorization header.
    static func carriesInQuery(_ token: String, _ request: Request) -> Bool {
        request.query["admin_token"] == token && request.path.drop { $0 == "/" } == "_emulator/events"
    }

    /// The first bytes of every stream: reconnect after 2 s (the field `retry`, WHATWG HTML §9.2.6).
    static let preamble = "retry: 2000\n\n"
    /// The most bytes of events replayed after `Last-Event-ID`: half the default `HTTPLimits.maxStreamBuffer`.
    static let replayLimit = HTTPLimits().maxStreamBuffer / 2

    /// A comment line: ignored by EventSource, but bytes on the wire.
    static let heartbeat = ":\n\n"

    /// The id to resume after: `Last-Event-ID` (what EventSource sends on reconnecting) or `?last_event_id=`.
    static func lastEventID(_ request: Request) throws(APIError) -> Int64? {
        let header = request.headers["Last-Event-ID"]?.trimmingASCIIWhitespace()
        guard let text = header.map(String.init) ?? request.query["last_event_id"], !text.isEmpty else { return nil }
        guard let id = Int64(text), id >= 0 else {
            throw .badRequest(
                "Last-Event-ID (or last_event_id) must be an event id (a non-negative integer), not '\(text)'")
        }
        return id
    }

    /// `GET /_emulator/events` → `text/event-stream`: `retry: 2000`, the events after `Last-Event-ID` (or a `reset`
    /// when they are no longer all kept), then every event as it is committed, and a heartbeat comment every 15 s.
    func events(_ request: Request) throws -> Response {
        let feed = try host.workspace(for: request).emulator.store.feed
        let lastEventID = try Self.lastEventID(request)
        let conversationID = request.query["conversation_id"]
        let interval = heartbeatSeconds
        let headers: HTTPHeaders = [
            "Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no",
        ]
        return .streaming(headers: headers) { stream in
            stream.write(Self.preamble)
            // A replay larger than half the stream buffer would get the client dropped, again at every reconnection:
            // past that the client gets a reset and reloads through the API.
            let (token, _) = feed.subscribe(after: lastEventID, replayLimit: Self.replayLimit) { event in
                if let conversationID, event.name != ChangeFeed.Draft.reset.name,
                    event.conversationID != conversationID
                {
                    return
                }
                stream.write(event.frame)
            }
            let timer = Heartbeat(every: interval) { stream.write(Self.heartbeat) }
            stream.onClose {
                feed.unsubscribe(token)
                timer.cancel()
            }
        }
    }
}

/// A repeating timer on a global queue, cancelled by its owner.
///
/// `@unchecked Sendable`: the Dispatch source is thread-safe; it is only resumed here and cancelled in `cancel()`.
final class Heartbeat: @unchecked Sendable {
    private let source: any DispatchSourceTimer

    init(every seconds: Double, _ beat: @escaping @Sendable () -> Void) {
        source = DispatchSource.makeTimerSource(queue: .global())
        source.schedule(
            deadline: .now() + seconds, repeating: .milliseconds(Int(seconds * 1000)), leeway: .milliseconds(100))
        source.setEventHandler(handler: beat)
        source.resume()
    }

    func cancel() { source.cancel() }
}
