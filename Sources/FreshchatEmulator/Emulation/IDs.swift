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
        // 8-4-4-4-12 lowercase hex digits, written into the string's own storage (formatting each group with
        // `String(_:radix:)` and padding it cost about 20 000 instructions an id).
        return String(unsafeUninitializedCapacity: 36) { buffer in
            let digits: StaticString = "0123456789abcdef"
            var index = 0
            func put(_ value: UInt64, _ count: Int) {
                for shift in stride(from: (count - 1) * 4, through: 0, by: -4) {
                    buffer[index] = digits.utf8Start[Int((value >> UInt64(shift)) & 0xF)]
                    index += 1
                }
            }
            func dash() {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            put(hi >> 32, 8)
            dash()
            put((hi >> 16) & 0xFFFF, 4)
            dash()
            put(hi & 0xFFFF, 4)
            dash()
            put(lo >> 48, 4)
            dash()
            put(lo & 0xFFFF_FFFF_FFFF, 12)
            return index
        }
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
