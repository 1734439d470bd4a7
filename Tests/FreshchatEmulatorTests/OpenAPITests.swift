import HTTP
import Testing

@testable import FreshchatEmulator

/// `GET /_emulator/openapi.json` (issue "The emulator's control plane"): the document lists exactly the routes the
/// host serves, is OpenAPI 3.1, and every `$ref` resolves.
@Suite struct OpenAPITests {
    typealias Harness = ControlPlaneTests.Harness

    /// The served document, parsed.
    static func served(_ h: Harness, token: String? = nil) throws -> (code: Int, json: JSONValue) {
        let response = h.send(.get, "/_emulator/openapi.json", token: token)
        return (response.code, response.json)
    }

    @Test func document_ListsEveryRouteOfTheHost_AndNothingElse() throws {
        let h = try Harness()
        let (code, document) = try Self.served(h)
        #expect(code == 200)
        let paths = try #require(document["paths"]?.objectValue)
        var documented = Set<String>()
        for (path, item) in paths.pairs {
            for method in item.objectValue?.keys ?? [] { documented.insert("\(method.uppercased()) \(path)") }
        }
        let routed = Set(h.host.routes.map { "\($0.method.rawValue) \($0.pattern)" })
        #expect(routed.count > 60, "the route table looks empty: \(routed.count) routes")
        for route in routed.subtracting(documented).sorted() {
            Issue.record("routed but not in openapi.json: \(route)")
        }
        for route in documented.subtracting(routed).sorted() {
            Issue.record("in openapi.json but not routed: \(route)")
        }
        // Both halves are there: the /v2 API and the control plane.
        #expect(documented.contains("GET /v2/users/{user_id}"))
        #expect(documented.contains("POST /_emulator/reset"))
        #expect(documented.contains("GET /_emulator/openapi.json"))
    }

    @Test func document_IsOpenAPI31_WithInfoServersAndBearerSecurity() throws {
        let h = try Harness()
        let (_, document) = try Self.served(h)
        #expect(document["openapi"] == "3.1.0")
        #expect(document["info"]?["title"]?.stringValue?.isEmpty == false)
        #expect(document["info"]?["version"]?.stringValue == Emulator.version)
        #expect(document["servers"]?.arrayValue?.first?["url"] == "/")
        #expect(document["components"]?["securitySchemes"]?["bearer"]?["scheme"] == "bearer")
        let users = document["paths"]?["/v2/users/{user_id}"]?["get"]
        #expect(users?["security"] == [["bearer": []]])
        #expect(users?["parameters"]?.arrayValue?.first?["in"] == "path")
        #expect(
            users?["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["$ref"]
                == "#/components/schemas/User")
    }

    @Test func document_EveryRefResolves_AndEveryOperationHasResponses() throws {
        let document = OpenAPI.document
        var refs: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let object):
                for (key, member) in object.pairs {
                    if key == "$ref", let ref = member.stringValue { refs.append(ref) } else { collect(member) }
                }
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(document)
        #expect(refs.count > 50)
        for ref in Set(refs).sorted() {
            #expect(ref.hasPrefix("#/"), "\(ref) is not a local reference")
            var node: JSONValue? = document
            for token in ref.dropFirst(2).split(separator: "/") {
                node = node?[Self.unescape(token)]
            }
            #expect(node?.objectValue != nil, "\(ref) does not resolve")
        }
        for (path, item) in document["paths"]?.objectValue?.pairs ?? [] {
            for (method, operation) in item.objectValue?.pairs ?? [] {
                #expect(operation["summary"]?.stringValue?.isEmpty == false, "\(method) \(path) has no summary")
                #expect((operation["responses"]?.objectValue?.keys.count ?? 0) >= 2, "\(method) \(path)")
                let declared = Set(
                    (operation["parameters"]?.arrayValue ?? []).filter { $0["in"] == "path" }.compactMap {
                        $0["name"]?.stringValue
                    })
                let templated = Set(
                    path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
                #expect(declared == templated, "\(method) \(path): path parameters \(declared)")
            }
        }
    }

    @Test func responseSchemas_AreClosed_RequestBodiesOpen() throws {
        let schemas = try #require(OpenAPI.document["components"]?["schemas"])
        // A member a handler starts writing without the document naming it fails .ci/openapi-check.
        for name in ["User", "Conversation", "Message", "Agent", "Group", "Channel", "Error", "Pagination"] {
            #expect(schemas[name]?["additionalProperties"] == false, "\(name) is not closed")
        }
        // Handlers ignore members they do not read; message parts come back exactly as sent.
        for name in ["UserInput", "MessageInput", "AgentInput", "MessagePart"] {
            #expect(schemas[name]?["additionalProperties"] == nil, "\(name) is closed")
        }
        let body = OpenAPI.document["paths"]?["/v2/csat/{conversation_id}"]?["post"]?["requestBody"]
        #expect(body?["content"]?["application/json"]?["schema"]?["properties"]?["issue_resolved"] != nil)
        #expect(body?["content"]?["application/json"]?["schema"]?["additionalProperties"] == nil)
    }

    /// A JSON Pointer token (RFC 6901 §4): `~1` is `/`, `~0` is `~`.
    static func unescape(_ token: Substring) -> String {
        var out = ""
        var tilde = false
        for character in token {
            if tilde {
                out.append(character == "1" ? "/" : "~")
                tilde = false
            } else if character == "~" {
                tilde = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    @Test func document_NeedsTheAdminToken_WhenOneIsSet() throws {
        let h = try Harness { $0.adminToken = "admin-secret" }
        #expect(try Self.served(h).code == 401)
        #expect(try Self.served(h, token: "wrong").code == 401)
        let (code, document) = try Self.served(h, token: "admin-secret")
        #expect(code == 200)
        #expect(document["openapi"] == "3.1.0")
    }
}
