/// The `/_emulator` operations of the OpenAPI document: the control plane (`Admin/*.swift`) and the app's own
/// `/_emulator` routes (health, served files, presence).
extension OpenAPI {
    /// A control-plane operation: no token, or the admin token with `--admin-token`; `?workspace=` when `workspace`.
    private static func admin(
        _ method: String, _ path: String, _ tag: String, _ summary: String, query: [Parameter] = [],
        body: JSONValue? = nil, workspace: Bool = true, _ responses: [(String, JSONValue)]
    ) -> Operation {
        var all = responses
        all.append(("401", error("--admin-token is set and the request does not carry it")))
        all.append(defaultError)
        let workspaceParameter = OpenAPI.query(
            "workspace", string, "The workspace (a bearer token with --workspaces); default: the shared one")
        return Operation(
            method: method, path: path, tag: tag, summary: summary,
            query: workspace ? [workspaceParameter] + query : query, body: body, responses: all,
            security: [[:], ["adminToken": []]])
    }

    private static let badRequest = ("400", error("An invalid body or parameter (BAD_REQUEST)"))
    private static let noContent = ("204", empty("Done"))
    private static let ok = object([("status", oneOf(["ok"]))])

    /// A file of the demo page (no token: a browser opening a page cannot send one).
    private static func page(_ path: String, _ summary: String, _ type: String) -> Operation {
        Operation(
            method: "get", path: path, tag: "Demo page", summary: summary,
            responses: [("200", ["description": "The file", "content": [type: ["schema": string]]]), defaultError],
            security: [[:]])
    }

    /// A file behind a link (no token: the URL is the credential).
    private static func file(_ path: String, _ summary: String, _ type: String) -> Operation {
        Operation(
            method: "get", path: path, tag: "Files", summary: summary,
            responses: [
                ("200", ["description": "The file", "content": [type: ["schema": string]]]),
                ("404", error("No file at this URL")), ("410", error("The link expired")), defaultError,
            ],
            security: [[:]])
    }

    static var controlPlaneOperations: [Operation] {
        stateOperations + controlOperations + webhookOperations + appOperations
    }

    private static var stateOperations: [Operation] {
        [
            admin(
                "get", "/_emulator/openapi.json", "Control plane", "This OpenAPI document", workspace: false,
                [("200", json("The OpenAPI 3.1 document", anyObject))]),
            admin(
                "post", "/_emulator/reset", "Control plane", "Back to the seeded (or, with seed false, empty) state",
                body: jsonBody(object([("seed", boolean)], optional: ["seed"]), required: false),
                [("200", json("Reset", object([("status", oneOf(["ok"])), ("seed", boolean)]))), badRequest]),
            admin(
                "get", "/_emulator/state", "Control plane", "Export every table, the EventLog, jobs and the clock",
                [("200", json("The state document", ref("StateDocument")))]),
            admin(
                "put", "/_emulator/state", "Control plane", "Replace the state with a document",
                body: jsonBody(ref("StateDocument")),
                [("200", json("Imported", ok)), badRequest]),
            admin(
                "post", "/_emulator/snapshots", "Control plane", "Save a named snapshot of the store",
                body: jsonBody(object([("name", string)])),
                [("201", json("The snapshot", ref("Snapshot"))), badRequest]),
            admin(
                "get", "/_emulator/snapshots", "Control plane", "List the snapshots",
                [("200", json("The snapshots by name", object([("snapshots", array(ref("Snapshot")))])))]),
            admin(
                "post", "/_emulator/snapshots/{name}/restore", "Control plane", "Restore a snapshot",
                [("200", json("The snapshot restored", ref("Snapshot"))), ("404", error("No such snapshot"))]),
            admin(
                "delete", "/_emulator/snapshots/{name}", "Control plane", "Delete a snapshot",
                [noContent, ("404", error("No such snapshot"))]),
            admin(
                "get", "/_emulator/clock", "Clock and jobs", "Read the clock",
                [("200", json("The clock", ref("Clock")))]),
            admin(
                "put", "/_emulator/clock", "Clock and jobs", "Set or freeze the clock; runs the jobs that fall due",
                body: jsonBody(object([("now", dateTime), ("frozen", boolean)], optional: ["now", "frozen"])),
                [("200", json("The clock", ref("Clock"))), badRequest]),
            admin(
                "post", "/_emulator/clock/advance", "Clock and jobs", "Advance the clock; runs the jobs that fall due",
                body: jsonBody(object([("seconds", ["type": "number", "minimum": 0])])),
                [
                    (
                        "200",
                        json(
                            "The clock and how many jobs ran",
                            object([("now", dateTime), ("frozen", boolean), ("jobs_run", integer)]))
                    ),
                    badRequest,
                ]),
            admin(
                "get", "/_emulator/jobs", "Clock and jobs", "Pending asynchronous (202) work, in due order",
                [("200", json("The jobs", object([("jobs", array(ref("Job")))])))]),
            admin(
                "post", "/_emulator/jobs/run", "Clock and jobs", "Finish all pending work now",
                [("200", json("How many jobs ran", object([("jobs_run", integer)])))]),
        ]
    }

    private static var controlOperations: [Operation] {
        [
            admin(
                "get", "/_emulator/requests", "Journal and coverage", "The request journal, oldest first",
                query: [
                    query("method", string, "Only this method"),
                    query("path", string, "Only paths matching this pattern (* and {param})"),
                    query("status", string, "Only this status (404) or class (4xx)"),
                    query("since", dateTime, "Only requests at or after"),
                ],
                [("200", json("The entries", object([("requests", array(ref("JournalEntry")))]))), badRequest]),
            admin("delete", "/_emulator/requests", "Journal and coverage", "Empty the journal", [noContent]),
            admin(
                "get", "/_emulator/coverage", "Journal and coverage", "Requests and statuses per /v2 route",
                [("200", json("The coverage report", ref("Coverage")))]),
            admin("delete", "/_emulator/coverage", "Journal and coverage", "Zero the coverage counters", [noContent]),
            admin(
                "get", "/_emulator/events", "Live events",
                "Server-Sent Events of every committed change (conversation.created, conversation.updated, "
                    + "message.created, delivery.updated, user.created, user.updated, reset); resumes after "
                    + "Last-Event-ID",
                query: [
                    query("conversation_id", string, "Only this conversation's events (and reset)"),
                    query("last_event_id", string, "Resume after this event id (as the Last-Event-ID header)"),
                    query("admin_token", string, "The admin token, for a browser's EventSource (no headers)"),
                ],
                [
                    (
                        "200",
                        [
                            "description": "The stream: `id`, `event` and one-line JSON `data` per change",
                            "content": ["text/event-stream": ["schema": string]],
                        ]
                    ),
                    badRequest,
                ]),
            admin(
                "get", "/_emulator/faults", "Faults", "The fault rules in the order they apply",
                [("200", json("The rules", object([("faults", array(ref("FaultRule")))])))]),
            admin(
                "post", "/_emulator/faults", "Faults", "Add a fault rule",
                body: jsonBody(ref("FaultRuleInput")),
                [("201", json("The rule", ref("FaultRule"))), badRequest]),
            admin("delete", "/_emulator/faults", "Faults", "Remove every fault rule", [noContent]),
            admin(
                "delete", "/_emulator/faults/{id}", "Faults", "Remove a fault rule",
                [noContent, ("404", error("No such rule (FAULT_NOT_FOUND)"))]),
            admin(
                "get", "/_emulator/rate-limit", "Rate limit", "The rate limit",
                [("200", json("The setting", ref("RateLimit")))]),
            admin(
                "put", "/_emulator/rate-limit", "Rate limit", "Change the rate limit",
                body: jsonBody(
                    object(
                        [("limit", integer), ("window_seconds", number)], optional: ["limit", "window_seconds"])),
                [("200", json("The new setting", ref("RateLimit"))), badRequest]),
            admin(
                "get", "/_emulator/tokens", "Tokens", "Every workspace's registered and revoked tokens",
                [("200", json("The tokens", object([("tokens", array(ref("Token")))])))]),
            admin(
                "post", "/_emulator/tokens", "Tokens", "Register a bearer token, optionally expiring",
                body: jsonBody(object([("token", string), ("expires_at", dateTime)], optional: ["expires_at"])),
                [
                    ("201", json("Registered", ref("Token"))), ("200", json("Replaced an entry", ref("Token"))),
                    badRequest,
                ]),
            admin(
                "delete", "/_emulator/tokens/{token}", "Tokens", "Revoke a token (401 from now on)", [noContent]),
            admin(
                "get", "/_emulator/conversations", "Control plane",
                "Every conversation, most recently updated first (the demo page's list; /v2 lists only per user)",
                query: [
                    query("status", oneOf(ConversationStatus.allCases.map(\.rawValue)), "Only this status"),
                    query("limit", ["type": "integer", "minimum": 1, "maximum": 500], "At most this many (100)"),
                ],
                [
                    (
                        "200",
                        json("The conversations", object([("conversations", array(ref("ConversationSummary")))]))
                    ),
                    badRequest,
                ]),
            admin(
                "post", "/_emulator/fixtures", "Control plane",
                "Add seed-shaped resources, users and conversations",
                body: jsonBody(ref("FixturesInput")),
                [("201", json("The ids added, by kind", object([("added", anyObject)]))), badRequest]),
        ]
    }

    private static var webhookOperations: [Operation] {
        let subscriptions = object([("urls", array(string)), ("events", array(string))])
        return [
            admin(
                "get", "/_emulator/webhooks", "Webhooks", "The webhook subscriptions",
                [("200", json("The subscriptions", subscriptions))]),
            admin(
                "put", "/_emulator/webhooks", "Webhooks", "Replace the webhook subscriptions",
                body: jsonBody(object([("urls", array(string)), ("events", array(string))], optional: ["events"])),
                [("200", json("The subscriptions", subscriptions)), badRequest]),
            admin(
                "get", "/_emulator/webhooks/public-key", "Webhooks", "The RSA public key that verifies signatures",
                query: [query("format", oneOf(["freshchat", "spki"]), "PEM flavour (default freshchat)")],
                [
                    ("200", ["description": "The PEM", "content": ["application/x-pem-file": ["schema": string]]]),
                    badRequest,
                ]),
            admin(
                "get", "/_emulator/webhooks/deliveries", "Webhooks", "Webhook deliveries, in creation order",
                query: [
                    query("status", oneOf(["pending", "delivered", "dead"]), "Only this status"),
                    query("event", string, "Only this event (action)"),
                    query("conversation_id", string, "Only this conversation's"),
                ],
                [("200", json("The deliveries", object([("deliveries", array(ref("Delivery")))]))), badRequest]),
            admin(
                "get", "/_emulator/webhooks/deliveries/{id}", "Webhooks", "One delivery",
                [("200", json("The delivery", ref("Delivery"))), ("404", error("No such delivery"))]),
            admin(
                "post", "/_emulator/webhooks/deliveries/{id}/replay", "Webhooks", "Send a delivery again now",
                [("200", json("The delivery after the attempt", ref("Delivery"))), ("404", error("No such delivery"))]),
            admin(
                "post", "/_emulator/webhooks/flush", "Webhooks", "Send everything due now",
                [("200", json("Attempts made", object([("attempted", integer), ("delivered", integer)])))]),
        ]
    }

    /// Routes of the app under `/_emulator` (no `?workspace=`: with `--workspaces` the bearer token picks it).
    private static var appOperations: [Operation] {
        [
            Operation(
                method: "get", path: "/_emulator/health", tag: "Control plane", summary: "Readiness (no token)",
                responses: [
                    (
                        "200",
                        json(
                            "Ready",
                            object([("status", oneOf(["ok"])), ("version", string), ("uptime_seconds", integer)]))
                    ),
                    defaultError,
                ],
                security: [[:]]),
            admin(
                "put", "/_emulator/agents/{agent_id}/presence", "Control plane",
                "Log an agent in or out, on or off IntelliAssign",
                body: jsonBody(
                    object(
                        [("online", boolean), ("intelliassign_active", boolean)],
                        optional: ["online", "intelliassign_active"])),
                workspace: false,
                [
                    (
                        "200",
                        json(
                            "The agent's presence",
                            object([
                                ("id", string), ("online", boolean), ("intelliassign_active", boolean),
                                ("availability_status", string), ("agent_status", ref("AgentStatus")),
                            ]))
                    ),
                    badRequest, ("404", error("No such agent")),
                ]),
            page(
                "/_emulator/ui", "The demo page: chat widget and agent console (?token= picks the API token)",
                "text/html"),
            page("/_emulator/ui/app.js", "The demo page's script", "text/javascript"),
            page("/_emulator/ui/app.css", "The demo page's style sheet", "text/css"),
            file("/_emulator/files/{token}/{name}", "An uploaded image (the upload's url)", "image/*"),
            file("/_emulator/files/{token}/thumbnail/{name}", "An uploaded image's thumbnail", "image/*"),
            file("/_emulator/reports/{token}/{name}", "A report extract as CSV (a report link)", "text/csv"),
        ]
    }
}
