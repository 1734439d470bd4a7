import Foundation
import Synchronization
import Testing

@testable import HTTP

#if canImport(Glibc)
import Glibc
#endif

/// `LoopOutput`: an event loop's thread holds its log lines until its round ends; other threads write at once.
@Suite struct LoopOutputTests {
    /// A pipe whose read end does not block.
    private struct Pipe {
        let read: Int32
        let write: Int32

        init() throws {
            var fds: [Int32] = [0, 0]
            try #require(pipe(&fds) == 0)
            read = fds[0]
            write = fds[1]
            _ = fcntl(read, F_SETFL, fcntl(read, F_GETFL) | O_NONBLOCK)
        }

        /// Everything written so far ("" when nothing is).
        func drain() -> String {
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = Glibc.read(read, &chunk, chunk.count)
                if n <= 0 { break }
                out += chunk[0..<n]
            }
            return String(decoding: out, as: UTF8.self)
        }

        func close() {
            Glibc.close(read)
            Glibc.close(write)
        }
    }

    private static func enqueue(_ text: String, to fd: Int32) -> Bool {
        Array(text.utf8).withUnsafeBytes { LoopOutput.enqueue($0, to: fd) }
    }

    /// Runs `body` on a new thread and waits for it (a thread of its own, like an event loop's).
    private static func onThread(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.start()
        done.wait()
    }

    @Test func loopThread_HoldsLines_UntilItsRoundEnds_ThenWritesThemInOrder() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let seen = Mutex<[String]>([])
        let fd = pipe.write
        Self.onThread {
            LoopOutput.begin()
            let held = ["one\n", "two\n", "three\n"].map { Self.enqueue($0, to: fd) }
            seen.withLock { $0.append("held \(held)") }
            seen.withLock { $0.append("before the round ends: [\(pipe.drain())]") }
            LoopOutput.flush()
            seen.withLock { $0.append("after: [\(pipe.drain())]") }
            // A line longer than a pipe writes whole is not held; the caller writes it.
            let long = String(repeating: "x", count: LoopOutput.limit + 1)
            seen.withLock { $0.append("long held \(Self.enqueue(long, to: fd))") }
            // What is held when the loop ends is written then.
            _ = Self.enqueue("last\n", to: fd)
            LoopOutput.end()
            seen.withLock { $0.append("at the end: [\(pipe.drain())]") }
            // Once ended, the thread no longer holds lines.
            seen.withLock { $0.append("held after end \(Self.enqueue("late\n", to: fd))") }
        }
        #expect(
            seen.withLock { $0 } == [
                "held [true, true, true]", "before the round ends: []", "after: [one\ntwo\nthree\n]",
                "long held false", "at the end: [last\n]", "held after end false",
            ])
    }

    @Test func otherThread_DoesNotHoldLines() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let fd = pipe.write
        let held = Mutex(true)
        Self.onThread { held.withLock { $0 = Self.enqueue("now\n", to: fd) } }
        #expect(held.withLock { $0 } == false)
        #expect(pipe.drain() == "")
    }

    // A loop that is stopped writes what its last round held before it ends, and waitUntilEnded waits for that (the
    // server's shutdown does, so the process does not exit with a round's log lines unwritten).
    @Test func stoppedLoop_WritesItsLastLines_BeforeItEnds() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let fd = pipe.write
        let loop = try EventLoop(label: "test-loop")
        loop.start()
        let held = Mutex(false)
        loop.execute { held.withLock { $0 = Self.enqueue("last words\n", to: fd) } }
        loop.stop()
        #expect(loop.waitUntilEnded(timeout: 5))
        #expect(held.withLock { $0 })
        #expect(pipe.drain() == "last words\n")
        // Asked again, it has still ended.
        #expect(loop.waitUntilEnded(timeout: 0.1))
    }

    // A round fills writes of at most `limit` bytes, in order, never splitting a line.
    @Test func fullBuffer_IsWrittenBeforeTheLineThatWouldOverflowIt() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let fd = pipe.write
        let line = String(repeating: "y", count: 999) + "\n"
        let seen = Mutex<[Int]>([])
        Self.onThread {
            LoopOutput.begin()
            defer { LoopOutput.end() }
            for _ in 0..<4 { _ = Self.enqueue(line, to: fd) }
            seen.withLock { $0.append(pipe.drain().utf8.count) }
            _ = Self.enqueue(line, to: fd)  // 5 000 bytes would not fit: the first 4 000 go out
            seen.withLock { $0.append(pipe.drain().utf8.count) }
            LoopOutput.flush()
            seen.withLock { $0.append(pipe.drain().utf8.count) }
        }
        #expect(seen.withLock { $0 } == [0, 4000, 1000])
    }
}
