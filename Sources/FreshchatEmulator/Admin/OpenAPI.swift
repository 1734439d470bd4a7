import HTTP

/// `GET /_emulator/openapi.json`: the OpenAPI 3.1 document of every route the emulator serves — the `/v2` API and the
/// `/_emulator` control plane — with the request and response schemas the handlers really use. A test walks the route
/// tables against it, and `.ci/openapi-check` validates it and checks the end-to-end suite's recorded responses
/// against its schemas.
struct OpenAPIRoute {
    func register(on router: Router) {
        router.add(.get, "/_emulator/openapi.json", serve)
    }

    /// → 200 with the document (no bearer token; the admin token with `--admin-token`).
    func serve(_ request: Request) throws -> Response {
        .json(OpenAPI.documentBytes)
    }
}

/// The OpenAPI document, built from the operations of `OpenAPI+API.swift` and `OpenAPI+ControlPlane.swift` and the
/// shared schemas of `OpenAPI+Schemas.swift`.
public enum OpenAPI {
    /// The document.
    public static let document: JSONValue = build()
    /// The document as served.
    static let documentBytes: [UInt8] = document.bytes

    /// Every documented operation as `(method, path template)`, in document order (methods upper-case).
    public static var operations: [(method: String, path: String)] {
        apiOperations.map { ($0.method.uppercased(), $0.path) }
            + controlPlaneOperations.map { ($0.method.uppercased(), $0.path) }
    }

    private static func build() -> JSONValue {
        var paths = JSONObject()
        for operation in apiOperations + controlPlaneOperations {
            var item = paths[operation.path]?.objectValue ?? JSONObject()
            item[operation.method] = operation.json
            paths[operation.path] = .object(item)
        }
        var securitySchemes = JSONObject()
        securitySchemes["bearer"] = [
            "type": "http", "scheme": "bearer",
            "description": "Freshchat API key: Authorization: Bearer <token> (any token unless --token is set)",
        ]
        securitySchemes["adminToken"] = [
            "type": "http", "scheme": "bearer",
            "description": "Only when the emulator runs with --admin-token: Authorization: Bearer <admin-token>",
        ]
        var components = JSONObject()
        components["securitySchemes"] = .object(securitySchemes)
        components["schemas"] = .object(schemas)
        var document = JSONObject()
        document["openapi"] = "3.1.0"
        document["info"] = [
            "title": "Freshchat emulator", "version": .string(Emulator.version),
            "description": """
            A local, stateful emulator of the Freshchat REST API v2 (/v2) and its control plane (/_emulator). \
            Every error answers {"code", "status", "message"}.
            """,
        ]
        document["servers"] = [["url": "/", "description": "the emulator itself"]]
        document["tags"] = .array(tags.map { ["name": .string($0)] })
        document["paths"] = .object(paths)
        document["components"] = .object(components)
        return .object(document)
    }

    private static var tags: [String] {
        var seen: [String] = []
        for operation in apiOperations + controlPlaneOperations where !seen.contains(operation.tag) {
            seen.append(operation.tag)
        }
        return seen
    }
}

// MARK: - Building blocks

extension OpenAPI {
    /// One operation (path + method) of the document.
    struct Operation {
        /// `get`, `post`, … (lower-case, as OpenAPI keys them).
        var method: String
        /// The path template, `{name}` for a path parameter (the router's pattern).
        var path: String
        var tag: String
        var summary: String
        /// Query parameters the handler reads.
        var query: [Parameter] = []
        /// The request body (a Request Body Object), if the handler reads one.
        var body: JSONValue?
        /// Status (or `default`) → Response Object.
        var responses: [(String, JSONValue)]
        /// Security requirements; nil means none.
        var security: JSONValue?

        var json: JSONValue {
            var object = JSONObject()
            object["tags"] = [.string(tag)]
            object["summary"] = .string(summary)
            object["operationId"] = .string(operationID)
            var parameters: [JSONValue] = pathParameters.map { name in
                ["name": .string(name), "in": "path", "required": true, "schema": OpenAPI.string]
            }
            parameters += query.map(\.json)
            if !parameters.isEmpty { object["parameters"] = .array(parameters) }
            if let body { object["requestBody"] = body }
            object["responses"] = .object(JSONObject(responses))
            if let security { object["security"] = security }
            return .object(object)
        }

        /// The names between braces in `path`.
        var pathParameters: [String] {
            path.split(separator: "/").compactMap { segment in
                segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
            }
        }

        /// `get_v2_users_user_id`.
        var operationID: String {
            let words = path.split { !$0.isLetter && !$0.isNumber }.map(String.init)
            return ([method] + words).joined(separator: "_")
        }
    }

    /// A query parameter.
    struct Parameter {
        var name: String
        var schema: JSONValue
        var description: String
        var required = false

        var json: JSONValue {
            [
                "name": .string(name), "in": "query", "required": .bool(required),
                "description": .string(description), "schema": schema,
            ]
        }
    }

    static func query(_ name: String, _ schema: JSONValue = string, _ description: String, required: Bool = false)
        -> Parameter
    {
        Parameter(name: name, schema: schema, description: description, required: required)
    }

    // MARK: Schemas

    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let number: JSONValue = ["type": "number"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    /// Any JSON object.
    static let anyObject: JSONValue = ["type": "object"]
    /// Any JSON value.
    static let anyValue: JSONValue = [:]

    /// `#/components/schemas/<name>`.
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    /// An array of `items`.
    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    /// A string with one of `values`.
    static func oneOf(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map { .string($0) })]
    }

    /// `schema` or null.
    static func nullable(_ schema: JSONValue) -> JSONValue { ["anyOf": [schema, ["type": "null"]]] }

    /// An object with `properties` in order; `required` lists the members always present (default: all of them
    /// but those in `optional`). Closed (`additionalProperties: false`) unless `additional`: a response member the
    /// document does not name fails `.ci/openapi-check`. Request bodies are opened again (`jsonBody`, `opened`):
    /// the handlers ignore members they do not read.
    static func object(
        _ properties: [(String, JSONValue)], optional: [String] = [], additional: Bool = false,
        description: String? = nil
    ) -> JSONValue {
        var object: JSONObject = ["type": "object"]
        if let description { object["description"] = .string(description) }
        object["properties"] = .object(JSONObject(properties))
        let required = properties.map(\.0).filter { !optional.contains($0) }
        if !required.isEmpty { object["required"] = .array(required.map { .string($0) }) }
        if !additional { object["additionalProperties"] = false }
        return .object(object)
    }

    // MARK: Bodies and responses

    /// A required JSON request body (its inline objects opened: unknown members are ignored).
    static func jsonBody(_ schema: JSONValue, required: Bool = true) -> JSONValue {
        ["required": .bool(required), "content": ["application/json": ["schema": opened(schema)]]]
    }

    /// `schema` without any `additionalProperties: false`, at any depth (a `$ref` is left as it is).
    static func opened(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(let object):
            var copy = JSONObject()
            for (key, value) in object.pairs where !(key == "additionalProperties" && value == false) {
                copy[key] = opened(value)
            }
            return .object(copy)
        case .array(let items): return .array(items.map(opened))
        default: return schema
        }
    }

    /// A JSON response.
    static func json(_ description: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    /// A response without content.
    static func empty(_ description: String) -> JSONValue { ["description": .string(description)] }

    /// A response with the error body.
    static func error(_ description: String) -> JSONValue { json(description, ref("Error")) }

    /// The error responses every operation can give: a fault rule's or the HTTP layer's status, with the error body.
    static let defaultError: (String, JSONValue) = (
        "default", error("Any other error (a fault rule, a malformed request): the error body")
    )
}
