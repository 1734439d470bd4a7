/// `components/schemas` of the OpenAPI document: the shapes the model encoders (`Model/*.swift` `json`) and the
/// handlers write. A member is required when the encoder always writes it.
extension OpenAPI {
    /// The members of a conversation object (`Conversation.json`).
    static let conversationMembers: [(String, JSONValue)] = [
        ("conversation_id", string), ("channel_id", string), ("assigned_org_agent_id", string),
        ("assigned_agent_id", string), ("assigned_org_group_id", string), ("assigned_group_id", string),
        ("messages", array(ref("Message"))), ("app_id", string),
        ("status", oneOf(ConversationStatus.allCases.map(\.rawValue))), ("skill_id", integer),
        ("properties", anyObject), ("users", array(ref("IDObject"))), ("created_time", dateTime),
        ("updated_time", dateTime),
    ]

    /// The members a conversation object has only sometimes.
    static let conversationOptionalMembers = [
        "assigned_org_agent_id", "assigned_agent_id", "assigned_org_group_id", "assigned_group_id", "messages", "users",
    ]

    static var schemas: JSONObject {
        var all = JSONObject()
        for (name, schema) in commonSchemas + resourceSchemas + controlPlaneSchemas { all[name] = schema }
        // Inputs are read leniently; message parts are kept exactly as sent, so any member may come back.
        for (name, schema) in inputSchemas { all[name] = opened(schema) }
        all["MessagePart"] = all["MessagePart"].map(opened)
        return all
    }

    private static var commonSchemas: [(String, JSONValue)] {
        [
            (
                "Error",
                object(
                    [("code", integer), ("status", string), ("message", string)],
                    description: "Every error: HTTP code, Freshchat status (BAD_REQUEST, USER_NOT_FOUND, …), message")
            ),
            (
                "Accepted",
                object([("code", ["const": 202]), ("status", ["const": "ACCEPTED"]), ("message", string)])
            ),
            ("Link", object([("href", string), ("rel", string), ("type", string)], optional: ["type"])),
            (
                "ResourceLink",
                object([("id", string), ("link", ref("Link"))], description: "A 202: the resource and where to look")
            ),
            ("IDObject", object([("id", string)])),
            (
                "Pagination",
                object([
                    ("total_items", integer), ("total_pages", integer), ("current_page", integer),
                    ("items_per_page", integer),
                ])
            ),
            (
                "PageLinks",
                object(
                    [
                        ("next_page", ref("Link")), ("prev_page", ref("Link")), ("first_page", ref("Link")),
                        ("last_page", ref("Link")),
                    ], optional: ["next_page", "prev_page"])
            ),
            ("Avatar", object([("url", string)], optional: ["url"])),
        ]
    }

    private static var resourceSchemas: [(String, JSONValue)] {
        [
            (
                "AccountConfiguration",
                object(
                    [
                        ("organisation_id", integer), ("organisation_domain", string), ("account_id", integer),
                        ("account_domain", string), ("app_id", string), ("bundle_id", integer),
                        ("bundle_type", string), ("plan_type", string), ("datacenter", string),
                    ], optional: ["organisation_id", "account_id", "bundle_id"], additional: true,
                    description: "The account document of the seed (account.json)")
            ),
            (
                "User",
                object(
                    [
                        ("id", string), ("created_time", dateTime), ("updated_time", dateTime),
                        ("avatar", ref("Avatar")),
                        ("email", string), ("first_name", string), ("last_name", string), ("login_status", boolean),
                        ("org_contact_id", string), ("phone", string),
                        ("properties", array(object([("name", string), ("value", string)], optional: ["value"]))),
                        ("reference_id", string), ("restore_id", string),
                    ],
                    optional: [
                        "email", "first_name", "last_name", "org_contact_id", "phone", "reference_id", "restore_id",
                    ])
            ),
            (
                "Conversation",
                object(
                    conversationMembers, optional: conversationOptionalMembers,
                    description: "messages and users appear only in the create (202) response")
            ),
            (
                "ConversationSummary",
                object(
                    conversationMembers.filter { $0.0 != "messages" } + [("last_message", nullable(ref("Message")))],
                    optional: conversationOptionalMembers.filter { $0 != "users" },
                    description: "A conversation as GET /v2/conversations/{id} answers it, with its users and its"
                        + " newest message (GET /_emulator/conversations)")
            ),
            (
                "MessagePart",
                object(
                    [
                        ("text", object([("content", string)])), ("image", object([("url", string)])),
                        ("file", anyObject), ("video", anyObject), ("url_button", anyObject),
                        ("quick_reply_button", anyObject), ("collection", anyObject), ("template_content", anyObject),
                        ("callback", anyObject), ("reference", anyObject), ("quick_reply_dropdown", anyObject),
                    ],
                    optional: [
                        "text", "image", "file", "video", "url_button", "quick_reply_button", "collection",
                        "template_content", "callback", "reference", "quick_reply_dropdown",
                    ],
                    additional: true,
                    description: "One part of a message, kept exactly as sent: text, image, file, … (docs L868)")
            ),
            (
                "Message",
                object(
                    [
                        ("message_parts", array(ref("MessagePart"))), ("reply_parts", array(ref("MessagePart"))),
                        ("app_id", string), ("actor_id", string), ("org_actor_id", string), ("id", string),
                        ("channel_id", string), ("conversation_id", string), ("interaction_id", string),
                        ("message_type", oneOf(Message.MessageType.allCases.map(\.rawValue))),
                        ("actor_type", oneOf(Message.ActorType.allCases.map(\.rawValue))), ("created_time", dateTime),
                        ("user_id", string), ("meta_data", anyObject),
                        ("in_reply_to", object([("message_id", string)])),
                        ("restrictResponse", boolean), ("botsPrivateNote", boolean),
                    ], optional: ["reply_parts", "actor_id", "org_actor_id", "user_id", "meta_data", "in_reply_to"])
            ),
            ("AgentStatus", object([("id", string), ("name", string)], optional: ["id"])),
            (
                "Agent",
                object([
                    ("id", string), ("created_time", dateTime), ("agent_capacity", integer),
                    ("agent_status", ref("AgentStatus")),
                    ("availability_status", oneOf(["AVAILABLE", "UNAVAILABLE"])), ("avatar", ref("Avatar")),
                    ("biography", string), ("email", string), ("first_name", string),
                    ("freshid_group_ids", array(string)), ("freshid_uuid", string), ("groups", array(string)),
                    ("is_deactivated", boolean), ("is_deleted", boolean), ("last_name", string),
                    ("license_type", string), ("locale", string), ("login_status", boolean),
                    ("org_contact_id", string), ("phone", string), ("role_id", string), ("role_name", string),
                    ("routing_type", string), ("scope", string), ("skill_id", string),
                    ("social_profiles", array(object([("type", string), ("id", string)]))), ("timezone", string),
                ])
            ),
            (
                "Group",
                object(
                    [
                        ("id", string), ("name", string), ("description", string), ("routing_type", string),
                        ("routing_logic", string),
                    ], optional: ["description"])
            ),
            (
                "Role",
                object(
                    [("id", string), ("name", string), ("is_custom_role", boolean), ("description", string)],
                    optional: ["description"])
            ),
            (
                "Channel",
                object(
                    [
                        ("id", string), ("icon", anyObject), ("updated_time", dateTime), ("enabled", boolean),
                        ("public", boolean), ("name", string), ("tags", array(string)), ("welcome_message", anyValue),
                        ("locale", string),
                    ], optional: ["updated_time", "welcome_message", "locale"],
                    description: "A topic; locale only when the request names one")
            ),
            (
                "ConversationField",
                object(
                    [
                        ("id", string), ("name", string), ("label", string), ("type", string), ("custom", boolean),
                        ("editable", boolean), ("position", integer), ("required", boolean),
                        ("choices", array(object([("id", string), ("value", string)]))), ("default_value", anyValue),
                    ], optional: ["editable", "position", "required", "choices", "default_value"], additional: true,
                    description: "A field of the seed's conversation_properties.json, as stored")
            ),
            (
                "CSAT",
                object(
                    [
                        ("csat_response_id", integer), ("created", integer), ("additional_feedback", string),
                        ("rating", integer), ("interaction_id", string), ("conversation_id", string),
                        ("issue_resolved", boolean), ("csat_attributer_id", integer), ("app_id", integer),
                        ("reopen_conversation", boolean),
                    ], optional: ["additional_feedback", "rating", "csat_attributer_id"])
            ),
            (
                "Image",
                object([
                    ("id", string), ("content_type", string), ("height", integer), ("name", string),
                    (
                        "thumbnail",
                        object([("url", string), ("content_type", string), ("width", integer), ("height", integer)])
                    ),
                    ("url", string), ("width", integer),
                ])
            ),
            (
                "OutboundMessage",
                object(
                    [
                        ("message_id", string), ("from", object([("phone_number", string)])), ("provider", string),
                        ("to", object([("phone_number", string)])), ("data", object([("message_template", anyObject)])),
                        ("request_id", string), ("status", oneOf(OutboundMessage.Status.allCases.map(\.rawValue))),
                        ("created_on", integer), ("failure_code", string), ("failure_reason", string),
                    ], optional: ["failure_code", "failure_reason"])
            ),
            (
                "Report",
                object([
                    ("id", string), ("status", oneOf(Report.Status.allCases.map(\.rawValue))), ("interval", string),
                    (
                        "links",
                        array(
                            object(
                                [
                                    ("link", object([("rel", string), ("href", string)])), ("from_date", dateTime),
                                    ("to_date", dateTime), ("status", string),
                                ], optional: ["link"]))
                    ),
                ])
            ),
            ("MetricFilter", object([("key", string), ("value", string)])),
            (
                "HistoricalMetrics",
                object([
                    ("metrics", array(string)), ("start", dateTime), ("end", dateTime),
                    ("filters", object([("metric_filters", array(ref("MetricFilter")))])), ("aggregator", string),
                    ("interval", string),
                    (
                        "data",
                        array(
                            object([
                                ("groupings", array(ref("MetricFilter"))),
                                (
                                    "series",
                                    array(
                                        object([
                                            ("start", dateTime), ("end", dateTime),
                                            ("values", array(object([("key", string), ("value", string)]))),
                                        ]))
                                ),
                            ]))
                    ),
                ])
            ),
            (
                "InstantMetrics",
                object([
                    ("metric", string), ("filters", object([("metric_filters", array(ref("MetricFilter")))])),
                    (
                        "data",
                        array(
                            object([
                                ("groupings", array(ref("MetricFilter"))),
                                (
                                    "values",
                                    array(
                                        object([
                                            ("key", string), ("resources", array(ref("IDObject"))), ("count", integer),
                                        ]))
                                ),
                            ]))
                    ),
                ])
            ),
        ]
    }

    private static var inputSchemas: [(String, JSONValue)] {
        [
            (
                "UserInput",
                object(
                    [
                        ("avatar", ref("Avatar")), ("email", string), ("first_name", string), ("last_name", string),
                        ("org_contact_id", string), ("phone", string),
                        ("properties", array(object([("name", string), ("value", string)], optional: ["value"]))),
                        ("reference_id", string),
                    ],
                    optional: [
                        "avatar", "email", "first_name", "last_name", "org_contact_id", "phone", "properties",
                        "reference_id",
                    ])
            ),
            (
                "ConversationInput",
                object(
                    [
                        ("channel_id", string), ("status", string), ("assigned_agent_id", string),
                        ("assigned_group_id", string), ("messages", array(ref("MessageInput"))),
                        ("properties", anyObject), ("users", array(ref("IDObject"))),
                    ], optional: ["status", "assigned_agent_id", "assigned_group_id", "properties"])
            ),
            (
                "MessageInput",
                object(
                    [
                        ("message_parts", array(ref("MessagePart"))), ("reply_parts", array(ref("MessagePart"))),
                        ("actor_type", oneOf(Message.ActorType.allCases.map(\.rawValue))), ("actor_id", string),
                        ("message_type", oneOf(Message.MessageType.allCases.map(\.rawValue))), ("user_id", string),
                        ("meta_data", anyObject), ("in_reply_to", object([("message_id", string)])),
                        ("restrictResponse", boolean), ("botsPrivateNote", boolean),
                    ],
                    optional: [
                        "reply_parts", "actor_id", "message_type", "user_id", "meta_data", "in_reply_to",
                        "restrictResponse", "botsPrivateNote",
                    ])
            ),
            (
                "AgentInput",
                object(
                    [
                        ("avatar", ref("Avatar")), ("availability_status", oneOf(["AVAILABLE", "UNAVAILABLE"])),
                        ("biography", string), ("email", string), ("first_name", string), ("groups", array(string)),
                        ("last_name", string), ("license_type", string), ("locale", string),
                        ("org_contact_id", string), ("phone", string), ("role_id", string), ("skill_id", string),
                        ("social_profiles", array(object([("type", string), ("id", string)]))), ("timezone", string),
                    ],
                    optional: [
                        "avatar", "availability_status", "biography", "email", "first_name", "groups", "last_name",
                        "license_type", "locale", "org_contact_id", "phone", "role_id", "skill_id", "social_profiles",
                        "timezone",
                    ])
            ),
            (
                "OutboundMessageInput",
                object([
                    ("from", object([("phone_number", string)])), ("provider", string),
                    ("to", array(object([("phone_number", string)]))),
                    ("data", object([("message_template", anyObject)])),
                ])
            ),
        ]
    }

    private static var controlPlaneSchemas: [(String, JSONValue)] {
        [
            (
                "StateDocument", ["type": "object", "description": "Every table, the EventLog, jobs and the clock"]
            ),
            ("Snapshot", object([("name", string), ("created_time", dateTime), ("size_bytes", integer)])),
            ("Clock", object([("now", dateTime), ("frozen", boolean)])),
            ("Job", object([("id", string), ("kind", string), ("due_time", dateTime), ("subject", anyValue)])),
            (
                "JournalEntry",
                object(
                    [
                        ("id", integer), ("time", dateTime), ("workspace", string), ("method", string),
                        ("path", string), ("query", anyObject), ("route", nullable(string)), ("headers", anyObject),
                        ("body", string), ("body_base64", string), ("body_size", integer),
                        ("body_truncated", boolean), ("status", nullable(integer)), ("connection_dropped", boolean),
                        ("response_headers", anyObject), ("response_body", string),
                        ("response_body_base64", string), ("response_body_size", integer),
                        ("response_body_truncated", boolean), ("duration_ms", number), ("fault_id", nullable(integer)),
                    ], optional: ["body", "body_base64", "response_body", "response_body_base64"],
                    description: "A body that is not UTF-8 is given as <key>_base64")
            ),
            (
                "Coverage",
                object([
                    (
                        "routes",
                        array(
                            object([
                                ("method", string), ("path", string), ("requests", integer),
                                ("statuses", ["type": "object", "additionalProperties": integer]),
                            ]))
                    ),
                    ("never_exercised", array(object([("method", string), ("path", string)]))),
                    ("exercised", integer), ("total", integer), ("unmatched_requests", integer),
                ])
            ),
            (
                "FaultRuleInput",
                object(
                    [
                        ("target", oneOf(Faults.Target.allCases.map(\.rawValue))), ("method", string),
                        ("path", string), ("token", string), ("event", string), ("times", integer),
                        ("probability", number), ("seed", integer), ("status", integer), ("error_status", string),
                        ("message", string), ("retry_after", integer), ("latency_ms", integer),
                        ("drop_connection", boolean),
                    ],
                    optional: [
                        "target", "method", "path", "token", "event", "times", "probability", "seed", "status",
                        "error_status", "message", "retry_after", "latency_ms", "drop_connection",
                    ], additional: true)
            ),
            (
                "FaultRule",
                object(
                    [
                        ("id", integer), ("target", oneOf(Faults.Target.allCases.map(\.rawValue))),
                        ("method", nullable(string)), ("path", string), ("token", nullable(string)),
                        ("times", nullable(integer)), ("probability", nullable(number)),
                        ("event", nullable(string)), ("seed", string), ("status", nullable(integer)),
                        ("error_status", nullable(string)), ("message", nullable(string)),
                        ("retry_after", nullable(integer)), ("latency_ms", integer), ("drop_connection", boolean),
                        ("matched", integer), ("hits", integer), ("remaining", nullable(integer)),
                        ("created_time", dateTime),
                    ], optional: ["event", "seed"])
            ),
            ("RateLimit", object([("limit", integer), ("window_seconds", number)])),
            (
                "Token",
                object(
                    [
                        ("token", string), ("expires_at", nullable(dateTime)),
                        ("status", oneOf(["active", "expired", "revoked", "unknown"])), ("workspace", string),
                    ], optional: ["workspace"])
            ),
            (
                "FixturesInput",
                object(
                    [("users", anyValue), ("conversations", anyValue)], optional: ["users", "conversations"],
                    additional: true,
                    description: "Seed-shaped lists (agents, groups, channels, …), users and conversations")
            ),
            (
                "Delivery",
                object([
                    ("id", integer), ("event", string), ("event_id", integer), ("conversation_id", string),
                    ("target", string), ("status", oneOf(["pending", "delivered", "dead"])), ("attempts", integer),
                    ("next_attempt_time", nullable(dateTime)), ("last_attempt_time", nullable(dateTime)),
                    ("last_status_code", nullable(integer)), ("last_error", nullable(string)),
                    ("created_time", nullable(dateTime)), ("delivered_time", nullable(dateTime)), ("body", anyValue),
                ])
            ),
        ]
    }
}
