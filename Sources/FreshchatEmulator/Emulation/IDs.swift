import Synchronization

/// The source of every id the emulator hands out: lowercase UUIDs. Injected, so ids can be fixed in tests.
public struct IDGenerator: Sendable {
    /// Returns a new id.
    public let next: @Sendable () -> String

    /// Creates a generator from a closure.
    public init(next: @escaping @Sendable () -> String) {
        self.next = next
    }

    /// Random version-4 UUIDs (RFC 9562 §5.4), lowercase.
    public static let random = IDGenerator {
        var rng = SystemRandomNumberGenerator()
        return uuidString(hi: rng.next(), lo: rng.next())
    }

    /// Deterministic UUIDs `00000000-0000-4000-8000-000000000001`, `…002`, …: the same requests give the
    /// same ids on every run.
    public static func incrementing(startingAt start: UInt64 = 1) -> IDGenerator {
        let counter = Mutex(start)
        return IDGenerator {
            let n = counter.withLock { value -> UInt64 in
                defer { value += 1 }
                return value
            }
            return uuidString(hi: 0, lo: n)
        }
    }

    /// Formats 128 bits as a version-4, variant-1 UUID string.
    static func uuidString(hi: UInt64, lo: UInt64) -> String {
        let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        func hex(_ v: UInt64, _ digits: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: digits - s.count) + s
        }
        return hex(hi >> 32, 8) + "-" + hex((hi >> 16) & 0xFFFF, 4) + "-" + hex(hi & 0xFFFF, 4) + "-"
            + hex(lo >> 48, 4) + "-" + hex(lo & 0xFFFF_FFFF_FFFF, 12)
    }
}

/// A rewindable, seeded source of ids (deterministic mode): SplitMix64, so the sequence depends only on the seed.
public final class IDSource: Sendable {
    private let seed: UInt64
    private let state: Mutex<UInt64>

    /// Creates a source that starts at `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        state = Mutex(seed)
    }

    /// The next 64 pseudo-random bits.
    public func nextBits() -> UInt64 {
        state.withLock { s in
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The next id.
    public func next() -> String { IDGenerator.uuidString(hi: nextBits(), lo: nextBits()) }

    /// Back to the start of the sequence.
    public func rewind() { state.withLock { $0 = seed } }

    /// A generator drawing from this source.
    public var generator: IDGenerator { IDGenerator { [self] in next() } }
}
