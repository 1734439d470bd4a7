#if canImport(Glibc)
import Glibc
#endif

/// Short writes (log lines) that an event loop's thread holds until it has handled its current round of ready
/// descriptors, then writes with one `write` per descriptor just before it waits again (`EventLoop.run`): one system
/// call per round instead of one per request (the access line: about 3 % of a small GET's CPU at c=64, issue #12).
/// Nothing waits longer than the round it was made in; at c=1 a round is one request.
///
/// Only an event loop's thread holds writes back (a thread-local buffer it sets up when it starts); on any other thread
/// ``enqueue(_:to:)`` declines and the caller writes at once. A round's lines go out in the order they were made, in
/// writes of at most `PIPE_BUF` bytes, so a pipe (a container's log) never interleaves them with another thread's
/// lines; a longer line is written alone. Lines still held when the process is killed (`kill -9`) are lost: at most
/// one round's.
public enum LoopOutput {
    /// The largest write: what POSIX guarantees a pipe writes whole (`PIPE_BUF`, 4096 on Linux).
    static let limit = 4096

    /// One thread's held bytes.
    final class Buffer {
        var fd: Int32 = -1
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(LoopOutput.limit) }

        func flush() {
            guard !bytes.isEmpty else { return }
            bytes.withUnsafeBytes { LoopOutput.writeAll($0, to: fd) }
            bytes.removeAll(keepingCapacity: true)
        }
    }

    /// The key of the thread-local buffer (set only on event loop threads).
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// On an event loop's thread: holds `bytes` for `fd` until the loop's round ends, and returns true. Elsewhere, or
    /// for more than ``limit`` bytes, returns false: write them yourself.
    public static func enqueue(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Bool {
        guard bytes.count <= limit, let raw = pthread_getspecific(key) else { return false }
        let buffer = Unmanaged<Buffer>.fromOpaque(raw).takeUnretainedValue()
        if buffer.fd != fd || buffer.bytes.count + bytes.count > limit {
            buffer.flush()
            buffer.fd = fd
        }
        buffer.bytes.append(contentsOf: bytes)
        return true
    }

    /// Makes the calling thread hold writes (an event loop's thread, as it starts).
    static func begin() {
        pthread_setspecific(key, Unmanaged.passRetained(Buffer()).toOpaque())
    }

    /// Writes what the calling thread holds.
    static func flush() {
        guard let raw = pthread_getspecific(key) else { return }
        Unmanaged<Buffer>.fromOpaque(raw).takeUnretainedValue().flush()
    }

    /// Writes what the calling thread holds, and stops holding writes on it (an event loop's thread, as it ends).
    static func end() {
        guard let raw = pthread_getspecific(key) else { return }
        let buffer = Unmanaged<Buffer>.fromOpaque(raw).takeRetainedValue()
        pthread_setspecific(key, nil)
        buffer.flush()
    }

    /// Writes all of `bytes` to `fd`, retrying after interrupts and short writes; gives up on any other error (a log
    /// line that cannot be written is not worth failing for).
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, base, left)
            if n > 0 {
                base += n
                left -= n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
