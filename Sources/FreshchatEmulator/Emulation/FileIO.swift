#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and writes for seed directories and state documents (no Foundation).
public enum FileIO {
    /// A file that cannot be read or written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The file's bytes.
    public static func read(_ path: String) throws(Failure) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// Writes `text` to `path` through a temporary file and a rename, so readers never see half a file.
    public static func write(_ path: String, _ text: String) throws(Failure) {
        let temporary = path + ".tmp"
        guard let file = fopen(temporary, "wb") else {
            throw Failure(description: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        var bytes = Array(text.utf8)
        let written = fwrite(&bytes, 1, bytes.count, file)
        fflush(file)
        fsync(fileno(file))
        fclose(file)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
