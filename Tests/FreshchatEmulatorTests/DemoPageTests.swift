import HTTP
import Testing

@testable import FreshchatEmulator

/// The demo page (`GET /_emulator/ui`, issue #11) and the conversation list it reads (`GET /_emulator/conversations`).
@Suite struct DemoPageTests {
    static let uiDirectory: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/ui"
    }()

    static func read(_ path: String) throws -> [UInt8] {
        try FileIO.read(path)
    }

    typealias Harness = ControlPlaneTests.Harness

    // MARK: - The embedded files

    @Test func embeddedFiles_AreByteForByteTheUIDirectory() throws {
        #expect(Set(EmbeddedUI.files.keys) == ["index.html", "app.js", "app.css"])
        for (name, text) in EmbeddedUI.files {
            let onDisk = try Self.read(Self.uiDirectory + "/" + name)
            let embedded = Array(text.utf8)
            // The first differing byte, not two whole files, in the failure message.
            let firstDifference =
                zip(embedded, onDisk).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(embedded.count, onDisk.count)
            #expect(
                embedded == onDisk,
                "ui/\(name) (\(onDisk.count) bytes) differs from EmbeddedUI.swift (\(embedded.count) bytes) at byte \(firstDifference): run scripts/embed-ui"
            )
        }
    }

    // MARK: - Serving the page

    @Test func page_IsHTMLWithAStrictPolicyAndTheFirstConfiguredToken() throws {
        let h = try Harness { $0.tokens = ["first-token", "second-token"] }
        let response = h.send(.get, "/_emulator/ui", token: nil)
        #expect(response.code == 200)
        #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(response.headers["Cache-Control"] == "no-cache")
        let policy = response.headers["Content-Security-Policy"] ?? ""
        #expect(policy.contains("script-src 'self'"))
        #expect(policy.contains("connect-src 'self'"))
        #expect(policy.contains("default-src 'none'"))
        #expect(response.text.contains(#"<meta name="emulator-token" content="first-token">"#))
        #expect(response.text.contains(#"<meta name="emulator-workspaces" content="false">"#))
        #expect(!response.text.contains("{{"), "every placeholder is filled in")
        #expect(!response.text.contains("<script>"), "no inline script: the policy forbids it")
    }

    @Test func page_TakesTheTokenFromTheQueryEscaped() throws {
        let h = try Harness()
        let response = h.send(.get, "/_emulator/ui?token=%22%3E%3Cb%3Ex", token: nil)
        #expect(response.text.contains(#"<meta name="emulator-token" content="&quot;&gt;&lt;b&gt;x">"#))
    }

    @Test func page_WithoutConfiguredTokensUsesATokenTheAPIAccepts() throws {
        let h = try Harness()
        let response = h.send(.get, "/_emulator/ui", token: nil)
        #expect(response.text.contains(#"content="\#(DemoPageAPI.fallbackToken)""#))
        #expect(h.send(.get, "/v2/groups", token: DemoPageAPI.fallbackToken).code == 200)
    }

    @Test func page_ReportsWorkspacesAndAnAdminToken() throws {
        let h = try Harness {
            $0.workspaces = true
            $0.adminToken = "admin-secret"
        }
        let response = h.send(.get, "/_emulator/ui", token: nil)
        #expect(response.code == 200, "the page itself needs no token: a browser cannot send one")
        #expect(response.text.contains(#"<meta name="emulator-workspaces" content="true">"#))
        #expect(response.text.contains(#"<meta name="emulator-admin-token-required" content="true">"#))
        #expect(!response.text.contains("admin-secret"), "the admin token is never handed out")
    }

    @Test func scriptAndStyle_AreServedWithTheirTypes() throws {
        let h = try Harness()
        let script = h.send(.get, "/_emulator/ui/app.js", token: nil)
        #expect(script.code == 200)
        #expect(script.headers["Content-Type"] == "text/javascript; charset=utf-8")
        #expect(script.response.body == Array(EmbeddedUI.appJS.utf8))
        let style = h.send(.get, "/_emulator/ui/app.css", token: nil)
        #expect(style.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(style.headers["Cache-Control"] == "no-cache")
        #expect(style.response.body == Array(EmbeddedUI.appCSS.utf8))
    }

    // MARK: - The conversation list

    @Test func conversations_ListsMostRecentlyUpdatedFirstWithUsersAndLastMessage() throws {
        let h = try Harness()
        let t = h.base
        try t.addUsers()
        let first = try t.startConversation()
        let second = try t.startConversation()
        t.clock.advance(by: 1_000)
        #expect(t.sendMessage(first, Seeded.agentMessage("Looking into it.")).code == 200)
        let response = h.send(.get, "/_emulator/conversations")
        #expect(response.code == 200, "\(response.text)")
        let list = response.json["conversations"]?.arrayValue ?? []
        #expect(list.map { $0["conversation_id"]?.stringValue } == [first, second])
        #expect(list.first?["users"] == [["id": .string(Seeded.user)]])
        #expect(list.first?["last_message"]?["actor_type"] == "agent")
        #expect(list.first?["last_message"]?["message_parts"] == [["text": ["content": "Looking into it."]]])
        #expect(list.first?["status"] == t.fetchConversation(first)?["status"])
    }

    @Test func conversations_FiltersByStatus() throws {
        let h = try Harness()
        let t = h.base
        try t.addUsers()
        let open = try t.conversation(in: .new)
        let resolved = try t.conversation(in: .resolved)
        let ids = { (query: String) in
            h.send(.get, "/_emulator/conversations\(query)").json["conversations"]?.arrayValue?.map {
                $0["conversation_id"]?.stringValue ?? ""
            } ?? []
        }
        #expect(ids("?status=resolved") == [resolved])
        #expect(ids("?status=new") == [open])
        #expect(Set(ids("")) == [open, resolved])
        #expect(ids("?limit=1").count == 1)
        expectError(h.send(.get, "/_emulator/conversations?status=closed"), 400, "BAD_REQUEST", mentioning: "status")
        expectError(h.send(.get, "/_emulator/conversations?limit=0"), 400, "BAD_REQUEST", mentioning: "limit")
    }

    @Test func conversations_NeedTheAdminTokenWhenOneIsSet() throws {
        let h = try Harness { $0.adminToken = "admin-secret" }
        #expect(h.send(.get, "/_emulator/conversations", token: nil).code == 401)
        #expect(h.send(.get, "/_emulator/conversations", token: "admin-secret").code == 200)
    }
}
