import CSQLite

#if canImport(Glibc)
import Glibc
#endif

/// A VFS over the default one that writes each WAL commit with one `pwrite` (issue #12).
///
/// SQLite appends a frame to the WAL with two writes, the 24-byte frame header and then the page
/// (<https://www.sqlite.org/walformat.html>), so a commit of 10 pages took 20 system calls, each an ext4 buffered
/// write of 2–4 µs: `pwrite` was 23 % of the CPU of a `POST …/messages` under perf. This VFS keeps consecutive writes to
/// a WAL file in a buffer and writes them at once when the page of a commit frame arrives (a frame header whose
/// bytes 4–7, "for commit records, the size of the database file in pages after the commit", are not zero) — still
/// inside SQLite's commit, so a failed write fails the commit exactly as before and the bytes on disk are the same —
/// or before anything else touches the file (a read, a sync, a size, a truncate, a close, a write elsewhere), or when
/// the buffer is full. Every other file (the database, a rollback journal) is the default VFS's, untouched.
/// See <https://www.sqlite.org/vfs.html> and <https://www.sqlite.org/c3ref/io_methods.html>.
enum WALWriteBuffer {
    /// The name the VFS is registered under (`sqlite3_open_v2`'s `zVfs`).
    static let name = "freshchat-wal-write-buffer"
    /// The most bytes held before they are written anyway: 23 frames of 4 KiB pages. The default VFS writes at most
    /// 128 KiB − 1 bytes per call (`seekAndWriteFd` masks the length with 0x1ffff, and a shorter write is
    /// `SQLITE_FULL`), so a write must stay below that.
    static let capacity = 96 * 1024

    /// The state kept in front of the default VFS's file object, which follows at `headerSize`.
    struct File {
        var base: sqlite3_file
        var buffer: UnsafeMutablePointer<UInt8>?
        var count: Int
        var start: sqlite3_int64
        /// The last write held was the header of a commit frame: its page ends the commit.
        var commitPending: Bool
    }

    static let headerSize = (MemoryLayout<File>.stride + 15) & ~15

    /// Registers the VFS once (not as the default); nil when SQLite has no default VFS to wrap.
    static let registered: String? = {
        guard let real = sqlite3_vfs_find(nil) else { return nil }
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        vfs.initialize(to: real.pointee)
        vfs.pointee.szOsFile = Int32(headerSize) + real.pointee.szOsFile
        vfs.pointee.zName = UnsafePointer(strdup(name))
        vfs.pointee.pNext = nil
        vfs.pointee.xOpen = open
        realVFS = real
        guard sqlite3_vfs_register(vfs, 0) == SQLITE_OK else { return nil }
        return name
    }()

    /// The default VFS (set once, before the VFS is registered).
    nonisolated(unsafe) private static var realVFS: UnsafeMutablePointer<sqlite3_vfs>?

    private static func header(_ file: UnsafeMutablePointer<sqlite3_file>?) -> UnsafeMutablePointer<File> {
        UnsafeMutableRawPointer(file!).assumingMemoryBound(to: File.self)
    }

    private static func inner(_ file: UnsafeMutablePointer<sqlite3_file>?) -> UnsafeMutablePointer<sqlite3_file> {
        (UnsafeMutableRawPointer(file!) + headerSize).assumingMemoryBound(to: sqlite3_file.self)
    }

    private static func methods(_ file: UnsafeMutablePointer<sqlite3_file>?) -> sqlite3_io_methods {
        inner(file).pointee.pMethods.pointee
    }

    /// Writes what is held; on failure it is dropped (SQLite fails the transaction and writes those frames again).
    private static func flush(_ file: UnsafeMutablePointer<sqlite3_file>?) -> Int32 {
        let state = header(file)
        guard state.pointee.count > 0, let buffer = state.pointee.buffer else { return SQLITE_OK }
        let count = state.pointee.count
        state.pointee.count = 0
        state.pointee.commitPending = false
        return methods(file).xWrite(inner(file), buffer, Int32(count), state.pointee.start)
    }

    private static let open:
        @convention(c) (
            UnsafeMutablePointer<sqlite3_vfs>?, sqlite3_filename?, UnsafeMutablePointer<sqlite3_file>?, Int32,
            UnsafeMutablePointer<Int32>?
        ) -> Int32 = { _, name, file, flags, outFlags in
            guard let real = WALWriteBuffer.realVFS, let file else { return SQLITE_CANTOPEN }
            // Anything but a WAL file is the default VFS's own object, in place.
            guard flags & SQLITE_OPEN_WAL != 0 else { return real.pointee.xOpen(real, name, file, flags, outFlags) }
            let inner = WALWriteBuffer.inner(file)
            inner.pointee.pMethods = nil
            let rc = real.pointee.xOpen(real, name, inner, flags, outFlags)
            guard inner.pointee.pMethods != nil else {
                file.pointee.pMethods = nil
                return rc
            }
            WALWriteBuffer.header(file).pointee = File(
                base: sqlite3_file(pMethods: WALWriteBuffer.walMethods), buffer: nil, count: 0, start: 0,
                commitPending: false)
            if rc == SQLITE_OK {
                WALWriteBuffer.header(file).pointee.buffer = .allocate(capacity: WALWriteBuffer.capacity)
            }
            return rc
        }

    /// The WAL file's methods: writes go through the buffer; everything else writes what is held first, then is the
    /// default VFS's.
    nonisolated(unsafe) private static let walMethods: UnsafePointer<sqlite3_io_methods> = {
        let methods = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        methods.initialize(
            to: sqlite3_io_methods(
                iVersion: 3,
                xClose: { file in
                    let flushed = WALWriteBuffer.flush(file)
                    let closed = WALWriteBuffer.methods(file).xClose(WALWriteBuffer.inner(file))
                    let state = WALWriteBuffer.header(file)
                    state.pointee.buffer?.deallocate()
                    state.pointee.buffer = nil
                    return flushed != SQLITE_OK ? flushed : closed
                },
                xRead: { file, out, amount, offset in
                    let rc = WALWriteBuffer.flush(file)
                    guard rc == SQLITE_OK else { return rc }
                    return WALWriteBuffer.methods(file).xRead(WALWriteBuffer.inner(file), out, amount, offset)
                },
                xWrite: { file, data, amount, offset in WALWriteBuffer.write(file, data, Int(amount), offset) },
                xTruncate: { file, size in
                    let rc = WALWriteBuffer.flush(file)
                    guard rc == SQLITE_OK else { return rc }
                    return WALWriteBuffer.methods(file).xTruncate(WALWriteBuffer.inner(file), size)
                },
                xSync: { file, flags in
                    let rc = WALWriteBuffer.flush(file)
                    guard rc == SQLITE_OK else { return rc }
                    return WALWriteBuffer.methods(file).xSync(WALWriteBuffer.inner(file), flags)
                },
                xFileSize: { file, size in
                    let rc = WALWriteBuffer.flush(file)
                    guard rc == SQLITE_OK else { return rc }
                    return WALWriteBuffer.methods(file).xFileSize(WALWriteBuffer.inner(file), size)
                },
                xLock: { file, lock in WALWriteBuffer.methods(file).xLock(WALWriteBuffer.inner(file), lock) },
                xUnlock: { file, lock in WALWriteBuffer.methods(file).xUnlock(WALWriteBuffer.inner(file), lock) },
                xCheckReservedLock: { file, out in
                    WALWriteBuffer.methods(file).xCheckReservedLock(WALWriteBuffer.inner(file), out)
                },
                xFileControl: { file, op, argument in
                    let rc = WALWriteBuffer.flush(file)
                    guard rc == SQLITE_OK else { return rc }
                    return WALWriteBuffer.methods(file).xFileControl(WALWriteBuffer.inner(file), op, argument)
                },
                xSectorSize: { file in WALWriteBuffer.methods(file).xSectorSize(WALWriteBuffer.inner(file)) },
                xDeviceCharacteristics: { file in
                    WALWriteBuffer.methods(file).xDeviceCharacteristics(WALWriteBuffer.inner(file))
                },
                xShmMap: { file, region, size, extend, out in
                    WALWriteBuffer.methods(file).xShmMap(WALWriteBuffer.inner(file), region, size, extend, out)
                },
                xShmLock: { file, offset, count, flags in
                    WALWriteBuffer.methods(file).xShmLock(WALWriteBuffer.inner(file), offset, count, flags)
                },
                xShmBarrier: { file in WALWriteBuffer.methods(file).xShmBarrier(WALWriteBuffer.inner(file)) },
                xShmUnmap: { file, delete in
                    WALWriteBuffer.methods(file).xShmUnmap(WALWriteBuffer.inner(file), delete)
                },
                xFetch: { file, offset, amount, out in
                    let rc = WALWriteBuffer.flush(file)
                    guard rc == SQLITE_OK else { return rc }
                    return WALWriteBuffer.methods(file).xFetch(WALWriteBuffer.inner(file), offset, amount, out)
                },
                xUnfetch: { file, offset, pointer in
                    WALWriteBuffer.methods(file).xUnfetch(WALWriteBuffer.inner(file), offset, pointer)
                }))
        return UnsafePointer(methods)
    }()

    /// Holds `amount` bytes written at `offset` when they continue what is held, writing what is held first when they
    /// do not; writes everything once the page of a commit frame is held.
    private static func write(
        _ file: UnsafeMutablePointer<sqlite3_file>?, _ data: UnsafeRawPointer?, _ amount: Int, _ offset: sqlite3_int64
    ) -> Int32 {
        let state = header(file)
        guard let buffer = state.pointee.buffer, let data else {
            return methods(file).xWrite(inner(file), data, Int32(amount), offset)
        }
        let follows = state.pointee.count > 0 && offset == state.pointee.start + sqlite3_int64(state.pointee.count)
        if !follows || state.pointee.count + amount > capacity {
            let rc = flush(file)
            guard rc == SQLITE_OK else { return rc }
            guard amount <= capacity else { return methods(file).xWrite(inner(file), data, Int32(amount), offset) }
            state.pointee.start = offset
        }
        (buffer + state.pointee.count).update(from: data.assumingMemoryBound(to: UInt8.self), count: amount)
        state.pointee.count += amount
        if amount == 24 {
            // A frame header (walformat.html §4.1): bytes 4–7 are the database size after a commit, zero otherwise.
            let bytes = data.assumingMemoryBound(to: UInt8.self)
            state.pointee.commitPending = bytes[4] | bytes[5] | bytes[6] | bytes[7] != 0
            return SQLITE_OK
        }
        return state.pointee.commitPending ? flush(file) : SQLITE_OK
    }
}
