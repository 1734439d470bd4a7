import SQLite
import Testing

@testable import FreshchatEmulator

#if canImport(Glibc)
import Glibc
#endif

/// The default seed (seed/*.json) is embedded in the binary; the copy must never drift from the files.
@Suite struct SeedTests {
    static let seedDirectory: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/seed"
    }()

    @Test func embeddedSeed_MatchesTheSeedDirectory() throws {
        let files = try Seed.load(directory: Self.seedDirectory).files
        #expect(Set(files.keys) == Set(Seed.fileNames), "seed/ must hold every seed file")
        #expect(Set(Seed.embeddedFiles.keys) == Set(files.keys))
        for (name, text) in files {
            let embedded = try JSONParser.parse(Seed.embeddedFiles[name] ?? "null")
            #expect(embedded == (try JSONParser.parse(text)), "\(name) differs: run scripts/embed-seed")
        }
    }

    @Test func defaultSeed_LoadsEveryResource() throws {
        let store = try Store(path: ":memory:")
        #expect(try store.isEmpty())
        try store.load(.embedded)
        #expect(try !store.isEmpty())
        let counts = try store.read { db in
            try [
                "role", "\"group\"", "channel", "agent", "agent_status", "conversation_property",
                "whatsapp_template", "business_hours",
            ].map { try db.scalarInt("SELECT count(*) FROM \($0)") ?? 0 }
        }
        #expect(counts.allSatisfy { $0 > 0 }, "\(counts)")
    }

    @Test func emptySeed_StillHasAnAccount() throws {
        let store = try Store(path: ":memory:")
        try store.load(Seed(files: [:]))
        #expect(try store.read { try $0.scalarInt("SELECT count(*) FROM agent") } == 0)
        #expect(try store.read { try $0.accountConfiguration() }.contains("app_id"))
    }

    @Test func brokenSeed_ChangesNothing_AndNamesTheItem() throws {
        let store = try Store(path: ":memory:")
        let agents = #"{"agents":[{"id":"a1","email":"x@y.z","groups":["no-such-group"]}]}"#
        let roles = #"{"roles":[{"id":"R","name":"Role"}]}"#
        #expect(throws: SeedError.self) { try store.load(Seed(files: ["roles.json": roles, "agents.json": agents])) }
        #expect(try store.read { try $0.scalarInt("SELECT count(*) FROM role") } == 0)
        do {
            try store.load(Seed(files: ["roles.json": #"{"roles":[{"id":"R"}]}"#]))
        } catch let error as SeedError {
            #expect(error.description.contains("roles.json"))
            #expect(error.description.contains("name"))
        }
    }

    @Test func store_KeepsData_AcrossReopen() throws {
        let path = "/tmp/fce-seed-\(UInt64.random(in: 0...UInt64.max)).sqlite3"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        do {
            let store = try Store(path: path)
            try store.load(.embedded)
            store.close()
        }
        let reopened = try Store(path: path)
        #expect(try !reopened.isEmpty())
        #expect(try reopened.read { try $0.scalarInt("SELECT count(*) FROM agent") } ?? 0 > 0)
    }
}
