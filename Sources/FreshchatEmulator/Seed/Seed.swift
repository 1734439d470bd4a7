#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A set of seed fixtures: JSON documents by file name (`account.json`, `agents.json`, …), in the shapes of
/// the files in seed/. Loaded into an empty store on first start.
public struct Seed: Sendable {
    /// File name → JSON text.
    public let files: [String: String]

    /// The file names a seed set may contain, in load order (referenced resources first).
    public static let fileNames = [
        "account.json", "roles.json", "groups.json", "channels.json", "agents.json", "agent_statuses.json",
        "conversation_properties.json", "whatsapp_templates.json", "business_hours.json",
    ]

    /// Creates a seed set from file contents.
    public init(files: [String: String]) { self.files = files }

    /// The default set embedded in the binary.
    public static var embedded: Seed { Seed(files: embeddedFiles) }

    /// Reads the known files present in `directory`; missing files mean "none of that resource".
    /// - Throws: `SeedError` when the directory cannot be read.
    public static func load(directory: String) throws(SeedError) -> Seed {
        guard let dir = opendir(directory) else { throw SeedError("cannot open seed directory \(directory)") }
        closedir(dir)
        var files: [String: String] = [:]
        for name in fileNames {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard access(path, F_OK) == 0 else { continue }
            let bytes: [UInt8]
            do {
                bytes = try FileIO.read(path)
            } catch {
                throw SeedError(error.description)
            }
            guard let text = String(validating: bytes, as: UTF8.self) else { throw SeedError("\(path) is not UTF-8") }
            files[name] = text
        }
        return Seed(files: files)
    }

    /// The parsed document of `name`, or nil when the set has no such file.
    /// - Throws: `SeedError` naming the file when it is not JSON.
    func document(_ name: String) throws(SeedError) -> JSONValue? {
        guard let text = files[name] else { return nil }
        do {
            return try JSONParser.parse(text)
        } catch {
            throw SeedError("\(name): \(error)")
        }
    }
}

/// A seed set that cannot be loaded, naming the file, item and field.
public struct SeedError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
