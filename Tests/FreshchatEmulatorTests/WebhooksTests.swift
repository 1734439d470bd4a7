import HTTP
import Logging
import SQLite
import Testing
import _CryptoExtras

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#endif

/// Subscriptions, the signing key and its publication, settings across reset, configuration (issue "Webhooks").
@Suite struct WebhooksTests {
    // MARK: - Subscriptions

    // Issue "Webhooks": "PUT /_emulator/webhooks {"urls": [...], "events": [...]} (events optional: all four by
    // default); GET shows them."
    @Test func subscriptions_AreSetAndShown_WithAllFourEventsByDefault() throws {
        let h = try WebhooksHarness()
        let body = #"{"urls":["http://127.0.0.1:9/a","http://localhost:9/b?x=1","http://127.0.0.1:9/a"]}"#
        let put = h.control(.put, "/_emulator/webhooks", body)
        #expect(put.code == 200, "\(put.text)")
        let shown = h.control(.get, "/_emulator/webhooks").json
        #expect(shown["urls"] == ["http://127.0.0.1:9/a", "http://localhost:9/b?x=1"])
        #expect(shown["events"] == .array(WebhookEvent.Action.allCases.map { .string($0.rawValue) }))
        #expect(put.json == shown)
    }

    @Test(arguments: [
        (#"{}"#, "urls is mandatory"), (#"{"urls":"http://x/"}"#, "urls"),
        (#"{"urls":["https://example.com/hook"]}"#, "urls[0]"), (#"{"urls":["ftp://x/"]}"#, "urls[0]"),
        (#"{"urls":["http://user@x/"]}"#, "urls[0]"), (#"{"urls":[1]}"#, "urls[0]"),
        (#"{"urls":["http://x/"],"events":["message_created"]}"#, "events[0]"),
        (#"{"urls":["http://x/"],"events":[]}"#, "at least one"),
    ])
    func subscriptions_RejectABadBody_NamingTheField(body: String, mentioning: String) throws {
        let h = try WebhooksHarness()
        expectError(h.control(.put, "/_emulator/webhooks", body), 400, "BAD_REQUEST", mentioning: mentioning)
    }

    // MARK: - Public key

    // Issue "Webhooks": the label `-----BEGIN RSA PUBLIC KEY-----` around the base64 of an X.509
    // SubjectPublicKeyInfo, "plus ?format=spki for a standard BEGIN PUBLIC KEY PEM"; a 2048-bit key.
    @Test func publicKey_IsPublishedInFreshchatsFormAndAsSPKI() throws {
        let h = try WebhooksHarness()
        let freshchat = h.control(.get, "/_emulator/webhooks/public-key")
        #expect(freshchat.code == 200)
        #expect(
            freshchat.text.hasPrefix("-----BEGIN RSA PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"))
        #expect(freshchat.text.hasSuffix("\n-----END RSA PUBLIC KEY-----\n"))
        let spki = h.control(.get, "/_emulator/webhooks/public-key?format=spki")
        #expect(
            spki.text.hasPrefix("-----BEGIN PUBLIC KEY-----\n") && spki.text.hasSuffix("-----END PUBLIC KEY-----\n"))
        #expect(spki.text.replacing("PUBLIC KEY", with: "RSA PUBLIC KEY") == freshchat.text)
        let key = try _RSA.Signing.PublicKey(pemRepresentation: spki.text)
        #expect(key.keySizeInBits == 2048)
        #expect(h.control(.get, "/_emulator/webhooks/public-key").text == freshchat.text, "stable")
        expectError(h.control(.get, "/_emulator/webhooks/public-key?format=pkcs1"), 400, "BAD_REQUEST")
    }

    // Issue "Webhooks": "A 2048-bit RSA key pair per store, generated on first start and kept in the store". It is
    // made when first needed (README "Webhooks"): a store copied before then has none yet, the only difference.
    @Test func signingKey_IsKeptInTheStore_AcrossRestarts() throws {
        let path = "/tmp/freshchat-webhooks-key-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite3"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        var config = Config()
        config.databasePath = path
        let logger = Logger(label: "test")
        let first = try Emulator.open(config: config, logger: logger)
        #expect(try first.store.read { try $0.webhookPrivateKey() } == nil)
        let pem = try first.webhooks.publicKeyPEM()
        #expect(try first.store.read { try $0.webhookPrivateKey() } != nil)
        first.store.close()
        let second = try Emulator.open(config: config, logger: logger)
        #expect(try second.webhooks.publicKeyPEM() == pem)
        second.store.close()
    }

    // Issue "Webhooks": "--webhook-private-key PEM_FILE uses a given key (deterministic mode and CI)".
    @Test func configuredKey_SignsInsteadOfTheGeneratedOne() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let file = "/tmp/freshchat-webhooks-pem-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pem"
        defer { unlink(file) }
        try FileIO.write(file, key.pkcs8PEMRepresentation)
        var config = Config()
        config.databasePath = ":memory:"
        config.webhookPrivateKeyFile = file
        config.webhookURLs = ["http://127.0.0.1:9/hook"]
        let emulator = try Emulator.open(config: config, logger: Logger(label: "test"))
        #expect(try emulator.webhooks.publicKeyPEM(.spki) == key.publicKey.pemRepresentation + "\n")
        let signature = try #require(Base64.decode(try emulator.webhooks.sign(Array("{}".utf8))))
        #expect(
            key.publicKey.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: Array("{}".utf8),
                padding: .insecurePKCS1v1_5))
        #expect(try emulator.store.read { try $0.webhookSubscriptions() } == [.init(url: "http://127.0.0.1:9/hook")])

        try FileIO.write(file, "not a key")
        #expect(throws: WebhookError.self) { try Emulator.open(config: config, logger: Logger(label: "test")) }
    }

    // MARK: - Reset

    // Emulator decision: subscriptions and the key are settings, so a reset keeps them; deliveries are state.
    @Test func reset_KeepsSubscriptionsAndKey_AndForgetsDeliveries() throws {
        let h = try WebhooksHarness()
        let key = h.control(.get, "/_emulator/webhooks/public-key").text
        try h.base.addUsers()
        _ = try h.base.startConversation()
        #expect(h.deliveries().count == 1)
        #expect(h.control(.post, "/_emulator/reset").code == 200)
        #expect(h.deliveries().isEmpty)
        #expect(h.control(.get, "/_emulator/webhooks").json["urls"] == [.string(h.receiver.url)])
        #expect(h.control(.get, "/_emulator/webhooks/public-key").text == key)
    }

    // docs L663: deleting a user "primarily serves to meet General Data Protection Regulation (GDPR) requirements":
    // the webhooks that carried their data (messages, the resolution's user object) go with them.
    @Test func userDeletion_ErasesTheWebhooksThatNameThem() throws {
        let h = try WebhooksHarness()
        let id = h.base.createUserID(["email": "zelda.webhook@example.org", "first_name": "Zelda"])
        let create = Seeded.createBody([
            ("users", [["id": .string(id)]]), ("messages", [Seeded.userMessage("my secret order 4711", from: id)]),
        ])
        let conversation = try h.base.startConversation(create)
        h.base.update(conversation, ["status": "resolved"])
        #expect(h.flush().count == 2)
        #expect(try h.base.rowsContaining(["zelda.webhook@example.org", "my secret order 4711"]).count > 0)
        #expect(h.base.send(.delete, "/v2/users/\(id)").code == 202)
        try h.base.advance()
        #expect(try h.base.rowsContaining(["zelda.webhook@example.org", "my secret order 4711"]) == [])
        #expect(try h.base.rowsContaining([id]).filter { $0.hasPrefix("webhook") } == [])
        #expect(h.deliveries().isEmpty)
    }

    // MARK: - Deliveries log

    // Issue "Webhooks": "GET /_emulator/webhooks/deliveries?status=&event=&conversation_id= lists deliveries (event,
    // target, attempts, last status code, last error, body)".
    @Test func deliveries_AreListedAndFiltered() throws {
        let h = try WebhooksHarness()
        try h.base.addUsers()
        let id = try h.base.startConversation()
        let other = try h.base.startConversation()
        h.base.update(id, ["status": "resolved"])
        h.flush()
        let all = h.deliveries()
        #expect(all.count == 3)
        #expect(
            all.first?.objectValue?.keys == [
                "id", "event", "event_id", "conversation_id", "target", "status", "attempts", "next_attempt_time",
                "last_attempt_time", "last_status_code", "last_error", "created_time", "delivered_time", "body",
            ])
        #expect(h.deliveries("?event=conversation_resolution").map { $0["conversation_id"] } == [.string(id)])
        #expect(h.deliveries("?conversation_id=\(other)").count == 1)
        #expect(h.deliveries("?status=delivered").count == 3 && h.deliveries("?status=pending").isEmpty)
        let one = try #require(all.first?["id"]?.intValue)
        #expect(h.control(.get, "/_emulator/webhooks/deliveries/\(one)").json == all.first)
        expectError(h.control(.get, "/_emulator/webhooks/deliveries?status=sent"), 400, "BAD_REQUEST")
        expectError(h.control(.get, "/_emulator/webhooks/deliveries?event=x"), 400, "BAD_REQUEST")
        expectError(h.control(.get, "/_emulator/webhooks/deliveries/abc"), 404, "DELIVERY_NOT_FOUND")
    }

    // MARK: - Configuration

    // Issue "Webhooks": "--webhook-url URL (repeatable, env FRESHCHAT_EMULATOR_WEBHOOK_URLS)", "--webhook-max-attempts,
    // default 5", "--webhook-private-key PEM_FILE".
    @Test func config_ResolvesTheWebhookSettings_FlagOverEnvironment() throws {
        var options = Config.Options()
        #expect(try Config.resolve(options: options, environment: [:]).webhookMaxAttempts == 5)
        let environment = [
            "FRESHCHAT_EMULATOR_WEBHOOK_URLS": "http://a:1/x, http://b:2/y",
            "FRESHCHAT_EMULATOR_WEBHOOK_MAX_ATTEMPTS": "3", "FRESHCHAT_EMULATOR_WEBHOOK_PRIVATE_KEY": "/k.pem",
        ]
        var config = try Config.resolve(options: options, environment: environment)
        #expect(config.webhookURLs == ["http://a:1/x", "http://b:2/y"])
        #expect(config.webhookMaxAttempts == 3 && config.webhookPrivateKeyFile == "/k.pem")
        options.webhookURLs = ["http://c/z"]
        options.webhookMaxAttempts = 1
        config = try Config.resolve(options: options, environment: environment)
        #expect(config.webhookURLs == ["http://c/z"] && config.webhookMaxAttempts == 1)
        options.webhookMaxAttempts = 0
        #expect(throws: ConfigError.self) { try Config.resolve(options: options, environment: [:]) }
        options.webhookMaxAttempts = nil
        options.webhookURLs = ["https://secure/"]
        #expect(throws: ConfigError.self) { try Config.resolve(options: options, environment: [:]) }
    }

    // The backoff: 1 s, 2 s, 4 s … of Clock time, at most an hour.
    @Test func backoff_DoublesFromTheBase_UpToAnHour() {
        #expect(
            (1...5).map { Webhooks.backoffMillis(afterAttempts: $0, base: 1) } == [1_000, 2_000, 4_000, 8_000, 16_000])
        #expect(Webhooks.backoffMillis(afterAttempts: 40, base: 1) == 3_600_000)
    }
}
