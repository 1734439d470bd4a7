import Testing

@testable import FreshchatEmulator

/// Configuration precedence: flag > FRESHCHAT_EMULATOR_<NAME> > default.
@Suite struct ConfigTests {
    @Test func defaults_AreDocumented() throws {
        let config = try Config.resolve(options: Config.Options(), environment: [:])
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8787)
        #expect(config.databasePath == "freshchat-emulator.sqlite3")
        #expect(config.rateLimit == 100_000)
        #expect(config.maxBody == 32 * 1024 * 1024)
        #expect(config.tokens.isEmpty)
        #expect(config.logFormat == .text)
        #expect(config.logLevel == "info")
        #expect(!config.noSeed)
    }

    @Test func environment_Applies_WhenNoFlag() throws {
        let env = [
            "FRESHCHAT_EMULATOR_HOST": "::1", "FRESHCHAT_EMULATOR_PORT": "9000", "FRESHCHAT_EMULATOR_DB": ":memory:",
            "FRESHCHAT_EMULATOR_TOKENS": "a, b,,c", "FRESHCHAT_EMULATOR_RATE_LIMIT": "5",
            "FRESHCHAT_EMULATOR_MAX_BODY": "100", "FRESHCHAT_EMULATOR_PORT_FILE": "/tmp/p",
            "FRESHCHAT_EMULATOR_LOG_LEVEL": "DEBUG", "FRESHCHAT_EMULATOR_LOG_FORMAT": "json",
            "FRESHCHAT_EMULATOR_NO_SEED": "true", "FRESHCHAT_EMULATOR_SEED": "/seed",
        ]
        let config = try Config.resolve(options: Config.Options(), environment: env)
        #expect(config.host == "::1")
        #expect(config.port == 9000)
        #expect(config.databasePath == ":memory:")
        #expect(config.tokens == ["a", "b", "c"])
        #expect(config.rateLimit == 5)
        #expect(config.maxBody == 100)
        #expect(config.portFile == "/tmp/p")
        #expect(config.logLevel == "debug")
        #expect(config.logFormat == .json)
        #expect(config.noSeed)
        #expect(config.seedDirectory == "/seed")
    }

    @Test func flags_WinOverEnvironment() throws {
        var options = Config.Options()
        options.port = 1234
        options.tokens = ["flag"]
        options.rateLimit = 7
        let env = [
            "FRESHCHAT_EMULATOR_PORT": "9000", "FRESHCHAT_EMULATOR_TOKENS": "env",
            "FRESHCHAT_EMULATOR_RATE_LIMIT": "5",
        ]
        let config = try Config.resolve(options: options, environment: env)
        #expect(config.port == 1234)
        #expect(config.tokens == ["flag"])
        #expect(config.rateLimit == 7)
    }

    @Test(arguments: [
        ("FRESHCHAT_EMULATOR_PORT", "eighty"), ("FRESHCHAT_EMULATOR_PORT", "70000"),
        ("FRESHCHAT_EMULATOR_RATE_LIMIT", "0"), ("FRESHCHAT_EMULATOR_LOG_FORMAT", "xml"),
        ("FRESHCHAT_EMULATOR_LOG_LEVEL", "loud"), ("FRESHCHAT_EMULATOR_NO_SEED", "maybe"),
        ("FRESHCHAT_EMULATOR_MAX_BODY", "-1"),
    ])
    func invalidEnvironment_IsRejected_NamingTheSetting(name: String, value: String) {
        do {
            _ = try Config.resolve(options: Config.Options(), environment: [name: value])
            Issue.record("\(name)=\(value) was accepted")
        } catch {
            let setting = name.replacing("FRESHCHAT_EMULATOR_", with: "")
            let flag = "--" + setting.lowercased().replacing("_", with: "-")
            #expect(error.description.contains(name) || error.description.contains(flag), "\(error)")
        }
    }

    @Test func invalidFlag_IsRejected_NamingTheFlag() {
        var options = Config.Options()
        options.logFormat = "xml"
        #expect(throws: ConfigError.self) { try Config.resolve(options: options, environment: [:]) }
        options.logFormat = nil
        options.rateLimit = 0
        do {
            _ = try Config.resolve(options: options, environment: [:])
            Issue.record("accepted --rate-limit 0")
        } catch {
            #expect(error.description.contains("--rate-limit"))
        }
    }
}
