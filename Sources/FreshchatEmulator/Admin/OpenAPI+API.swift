/// The `/v2` operations of the OpenAPI document, one per route of `API/*.swift`, in the docs' order.
extension OpenAPI {
    /// A `/v2` operation: bearer token, and the 401/429 every one of them can answer.
    private static func api(
        _ method: String, _ path: String, _ tag: String, _ summary: String, query: [Parameter] = [],
        body: JSONValue? = nil, _ responses: [(String, JSONValue)]
    ) -> Operation {
        var all = responses
        all.append(
            ("401", error("No, a malformed, an unknown, an expired or a revoked bearer token (UNAUTHENTICATED)")))
        all.append(("429", error("Rate limit exceeded (TOO_MANY_REQUESTS), with Retry-After")))
        all.append(defaultError)
        return Operation(
            method: method, path: path, tag: tag, summary: summary, query: query, body: body, responses: all,
            security: [["bearer": []]])
    }

    private static let badRequest = ("400", error("A parameter or attribute is missing or invalid (BAD_REQUEST)"))

    private static func notFound(_ what: String) -> (String, JSONValue) { ("404", error("No such \(what)")) }

    /// `page`, `items_per_page`, `sort_order` and `sort_by` (one of `sortFields`).
    private static func pagination(_ sortFields: [String]) -> [Parameter] {
        [
            query("page", integer, "Page number, from 1"),
            query("items_per_page", integer, "Items per page (clamped to the endpoint's maximum)"),
            query("sort_order", oneOf(["asc", "desc"]), "Sort direction"),
            query("sort_by", oneOf(sortFields), "Sort field"),
        ]
    }

    /// `{<key>: [items], "pagination", "links"}`.
    private static func page(_ key: String, _ item: JSONValue) -> JSONValue {
        object([(key, array(item)), ("pagination", ref("Pagination")), ("links", ref("PageLinks"))])
    }

    static var apiOperations: [Operation] {
        accountAndUserOperations + conversationOperations + agentOperations + otherAPIOperations
    }

    private static var accountAndUserOperations: [Operation] {
        [
            api(
                "get", "/v2/accounts/configuration", "Accounts", "Retrieve account information",
                [("200", json("The accounts object", ref("AccountConfiguration")))]),
            api(
                "get", "/v2/users", "Users", "List users by specified criteria (at least one criterion)",
                query: [
                    query("first_name", string, "Exact first name"), query("last_name", string, "Exact last name"),
                    query("email", string, "Exact email"), query("reference_id", string, "Exact reference id"),
                    query("phone_no", string, "Exact phone"),
                    query("created_from", dateTime, "created_time at or after (UTC)"),
                    query("created_to", dateTime, "created_time before (UTC)"),
                    query("updated_from", dateTime, "updated_time at or after (UTC)"),
                    query("updated_to", dateTime, "updated_time before (UTC)"),
                ] + pagination(["email", "first_name", "last_name", "created_time", "updated_time"]),
                [("200", json("A page of users", page("users", ref("User")))), badRequest]),
            api(
                "post", "/v2/users", "Users", "Create a user",
                body: jsonBody(ref("UserInput")),
                [("201", json("The created user", ref("User"))), badRequest]),
            api(
                "post", "/v2/users/fetch", "Users", "Retrieve users by their ids",
                body: jsonBody(object([("ids", array(string))])),
                [("200", json("The users found", object([("users", array(ref("User")))]))), badRequest]),
            api(
                "get", "/v2/users/{user_id}", "Users", "Retrieve a user",
                [("200", json("The user", ref("User"))), notFound("user")]),
            api(
                "put", "/v2/users/{user_id}", "Users", "Update a user (asynchronous)",
                body: jsonBody(ref("UserInput")),
                [
                    ("202", json("Accepted; applied after the async delay", ref("Accepted"))), badRequest,
                    notFound("user"),
                ]),
            api(
                "delete", "/v2/users/{user_id}", "Users", "Delete a user (asynchronous)",
                [("202", json("Accepted; deleted after the async delay", ref("ResourceLink"))), notFound("user")]),
            api(
                "get", "/v2/users/{user_id}/conversations", "Users", "List a user's conversations",
                [
                    (
                        "200",
                        json("Conversation ids, oldest first", object([("conversations", array(ref("IDObject")))]))
                    ),
                    notFound("user"),
                ]),
        ]
    }

    private static var conversationOperations: [Operation] {
        [
            api(
                "post", "/v2/conversations", "Conversations", "Create a conversation (asynchronous)",
                body: jsonBody(ref("ConversationInput")),
                [
                    (
                        "202",
                        json("Accepted: the conversation as it will be, with messages and users", ref("Conversation"))
                    ), badRequest,
                ]),
            api(
                "get", "/v2/conversations/fields", "Conversations", "List all conversation properties",
                [("200", json("The conversation property fields", array(ref("ConversationField"))))]),
            api(
                "get", "/v2/conversations/{conversation_id}", "Conversations", "Retrieve a conversation",
                [("200", json("The conversation", ref("Conversation"))), notFound("conversation")]),
            api(
                "put", "/v2/conversations/{conversation_id}", "Conversations",
                "Update a conversation's status, assignment or properties",
                body: jsonBody(
                    object(
                        [
                            ("status", oneOf(ConversationStatus.allCases.map(\.rawValue))),
                            ("assigned_agent_id", nullable(string)), ("assigned_group_id", nullable(string)),
                            ("properties", anyObject),
                        ], optional: ["status", "assigned_agent_id", "assigned_group_id", "properties"])),
                [("200", json("The updated conversation", ref("Conversation"))), badRequest, notFound("conversation")]),
            api(
                "get", "/v2/conversations/{conversation_id}/messages", "Messages", "List messages in a conversation",
                query: [query("from_time", dateTime, "Only messages created at or after (UTC)")]
                    + pagination(["created_time"]),
                [
                    (
                        "200",
                        json(
                            "A page of messages; link names the next page when there is one",
                            object(
                                [("messages", array(ref("Message"))), ("link", ref("Link"))], optional: ["link"]))
                    ),
                    badRequest, notFound("conversation"),
                ]),
            api(
                "post", "/v2/conversations/{conversation_id}/messages", "Messages", "Send a message",
                body: jsonBody(ref("MessageInput")),
                [("200", json("The sent message", ref("Message"))), badRequest, notFound("conversation")]),
            api(
                "post", "/v2/csat/{conversation_id}", "CSAT", "Submit a CSAT rating for a resolved conversation",
                body: jsonBody(
                    object(
                        [
                            ("issue_resolved", boolean), ("rating", integer), ("additional_feedback", string),
                            ("reopen_conversation", boolean),
                        ], optional: ["rating", "additional_feedback", "reopen_conversation"])),
                [("201", json("The csat object", ref("CSAT"))), badRequest, notFound("conversation")]),
        ]
    }

    private static var agentOperations: [Operation] {
        [
            api(
                "get", "/v2/agents", "Agents", "List all agents",
                query: [
                    query("is_deactivated", oneOf(["true", "false"]), "Deactivated or active agents only"),
                    query("groups", string, "Agents in this group"),
                    query("availability_status", oneOf(["AVAILABLE", "UNAVAILABLE"]), "Availability"),
                ] + pagination(["email", "first_name", "last_name", "created_time"]),
                [("200", json("A page of agents", page("agents", ref("Agent")))), badRequest]),
            api(
                "post", "/v2/agents", "Agents", "Create an agent",
                body: jsonBody(ref("AgentInput")),
                [("201", json("The created agent", ref("Agent"))), badRequest]),
            api(
                "get", "/v2/agents/status", "Agents", "List all agent statuses",
                [("200", json("The statuses", object([("states", array(ref("AgentStatus")))])))]),
            api(
                "get", "/v2/agents/{agent_id}", "Agents", "Retrieve an agent",
                [("200", json("The agent", ref("Agent"))), notFound("agent")]),
            api(
                "put", "/v2/agents/{agent_id}", "Agents", "Update an agent",
                body: jsonBody(ref("AgentInput")),
                [("200", json("The updated agent", ref("Agent"))), badRequest, notFound("agent")]),
            api(
                "patch", "/v2/agents/{agent_id}", "Agents", "Update an agent's status",
                body: jsonBody(object([("agent_status", ref("AgentStatus"))])),
                [
                    (
                        "200",
                        json(
                            "The agent's availability and status",
                            object([
                                ("availability_status", oneOf(["AVAILABLE", "UNAVAILABLE"])),
                                ("agent_status", ref("AgentStatus")),
                            ]))
                    ),
                    badRequest, notFound("agent"),
                ]),
            api(
                "delete", "/v2/agents/{agent_id}", "Agents", "Delete an agent (asynchronous)",
                [("202", json("Accepted; deleted after the async delay", ref("Accepted"))), notFound("agent")]),
            api(
                "get", "/v2/groups", "Groups", "List all groups", query: pagination(["name"]),
                [("200", json("A page of groups", page("groups", ref("Group")))), badRequest]),
            api(
                "get", "/v2/roles", "Roles", "List all roles", query: pagination(["name"]),
                [("200", json("A page of roles", page("roles", ref("Role")))), badRequest]),
        ]
    }

    private static var otherAPIOperations: [Operation] {
        [
            api(
                "get", "/v2/channels", "Channels", "List all channels (topics)",
                query: [query("locale", string, "ISO-639 language code (default: the primary language)")]
                    + pagination(["name"]),
                [("200", json("A page of channels", page("channels", ref("Channel")))), badRequest]),
            api(
                "post", "/v2/images/upload", "Images", "Upload an image",
                body: [
                    "required": true,
                    "content": [
                        "multipart/form-data": [
                            "schema": object(
                                [
                                    ("image", ["type": "string", "contentMediaType": "application/octet-stream"]),
                                    ("type", string),
                                ], optional: ["type"], additional: true)
                        ]
                    ],
                ],
                [
                    ("201", json("The image object", ref("Image"))), badRequest,
                    ("415", error("Content-Type is not multipart/form-data")),
                ]),
            api(
                "post", "/v2/outbound-messages/whatsapp", "Outbound messages", "Send a WhatsApp template message",
                body: jsonBody(ref("OutboundMessageInput")),
                [
                    (
                        "202",
                        json(
                            "Accepted; sent and delivered by jobs",
                            object([("request_id", string), ("request_process_time", string), ("link", ref("Link"))]))
                    ),
                    badRequest,
                ]),
            api(
                "get", "/v2/outbound-messages", "Outbound messages", "List all outbound messages",
                query: [query("request_id", string, "Messages of this request only")] + pagination(["created_on"]),
                [
                    ("200", json("A page of outbound messages", page("outbound_messages", ref("OutboundMessage")))),
                    badRequest,
                ]),
            api(
                "post", "/v2/reports/raw", "Reports", "Extract a raw report (asynchronous)",
                body: jsonBody(
                    object(
                        [
                            ("start", dateTime), ("end", dateTime),
                            ("event", oneOf(Report.Event.allCases.map(\.rawValue))), ("format", oneOf(["csv"])),
                        ], optional: ["format"])),
                [("202", json("Accepted; generated after the async delay", ref("ResourceLink"))), badRequest]),
            api(
                "get", "/v2/reports/raw/{id}", "Reports", "Retrieve a raw report",
                query: [query("status", oneOf(["COMPLETED", "PENDING", "FAILED"]), "Links of this status only")],
                [("200", json("The report and its links", ref("Report"))), badRequest, notFound("report")]),
            api(
                "get", "/v2/metrics/historical", "Metrics", "Retrieve historical metrics",
                query: [
                    query("metric", string, "The metric, e.g. conversation_metrics.created", required: true),
                    query("start", dateTime, "Period start (UTC)", required: true),
                    query("end", dateTime, "Period end, exclusive (UTC)", required: true),
                    query("interval", oneOf(["1m", "5m", "15m", "1h", "1d", "1w", "1mo"]), "Subset length"),
                    query(
                        "aggregator", oneOf(["min", "max", "avg", "median", "p90"]), "Aggregator of an aggregate metric"
                    ),
                    query("x_time", integer, "Minutes, for metrics that take a threshold"),
                    query("group_by", oneOf(["group", "agent", "rating"]), "Per group, agent or rating"),
                    query("filter_by", string, "group_id=…, agent_id=…, comma-separated"),
                ],
                [("200", json("The metric values", ref("HistoricalMetrics"))), badRequest]),
            api(
                "get", "/v2/metrics/instant", "Metrics", "Retrieve instant metrics",
                query: [
                    query("metric", oneOf(MetricInstant.allCases.map(\.rawValue)), "The metric", required: true),
                    query("group_by", oneOf(["group"]), "Per group"),
                    query("filter_by", string, "group_id=…, comma-separated"),
                    query("summary", oneOf(["true", "false"]), "One summary value instead of per-item values"),
                ],
                [("200", json("The metric values", ref("InstantMetrics"))), badRequest]),
            api(
                "get", "/v2/business-hours/within-bh", "Business hours",
                "Verify whether a group is within business hours",
                query: [query("group_id", string, "The group (none: the default answer)")],
                [
                    ("200", json("The verification", object([("with_in_business_hours", boolean)]))), badRequest,
                    notFound("group"),
                ]),
        ]
    }
}
