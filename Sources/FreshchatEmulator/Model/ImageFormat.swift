/// The image formats an upload may be (docs L2757: "agents can send and receive images"; L2813: "content_type
/// string Format of the uploaded file. For example, image/png."), and how to read an image's dimensions from
/// its bytes without decoding it: PNG's IHDR, JPEG's frame header, GIF's logical screen, WebP's VP8/VP8L/VP8X.
enum ImageFormat: String, Sendable, CaseIterable {
    case png = "image/png"
    case jpeg = "image/jpeg"
    case gif = "image/gif"
    case webp = "image/webp"

    /// What the bytes are and how large.
    struct Info: Sendable, Equatable {
        var format: ImageFormat
        var width: Int64
        var height: Int64
    }

    /// Why bytes are not an image the emulator accepts; `message` says what is wrong, for a 400.
    struct Invalid: Error, Sendable, Equatable {
        var message: String
    }

    /// The media type, e.g. `image/png`.
    var contentType: String { rawValue }

    /// The file name extension of stored images (the docs' names end in `.png` and `.jpeg`, L2808).
    var fileExtension: String {
        switch self {
        case .png: return "png"
        case .jpeg: return "jpeg"
        case .gif: return "gif"
        case .webp: return "webp"
        }
    }

    /// The media types a client may declare for this format: the registered one and the legacy names clients
    /// still send (`image/jpg`, `image/pjpeg`, `image/x-png`).
    var declarableTypes: [String] {
        switch self {
        case .png: return ["image/png", "image/x-png"]
        case .jpeg: return ["image/jpeg", "image/jpg", "image/pjpeg"]
        case .gif: return ["image/gif"]
        case .webp: return ["image/webp"]
        }
    }

    /// The format and dimensions of `bytes`.
    /// - Throws: `Invalid` when the bytes are not a PNG, JPEG, GIF or WebP image, or are one whose header is
    ///   truncated or malformed.
    static func probe(_ bytes: [UInt8]) throws(Invalid) -> Info {
        var reader = ByteReader(bytes)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return try png(&reader) }
        if bytes.starts(with: [0xFF, 0xD8]) { return try jpeg(&reader) }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) {
            return try gif(&reader)
        }
        if bytes.starts(with: Array("RIFF".utf8)) && bytes.count >= 12 && bytes[8..<12].elementsEqual("WEBP".utf8) {
            return try webp(&reader)
        }
        throw Invalid(message: "the content is not a PNG, JPEG, GIF or WebP image")
    }

    // MARK: - PNG (ISO/IEC 15948, W3C PNG 3rd ed.)

    /// §5.3/§11.2.2: after the 8-byte signature, "The IHDR chunk shall be the first chunk": length 13, then
    /// width and height as 4-byte big-endian integers. "Zero is an invalid value", and PNG four-byte integers
    /// are at most 2^31−1 (§7.1). Bit depth and colour type must be one of the allowed combinations (§11.2.2).
    private static func png(_ r: inout ByteReader) throws(Invalid) -> Info {
        let bad = Invalid(message: "the content is a PNG image whose IHDR chunk is missing, truncated or invalid")
        r.offset = 8
        // §11.2.2: compression method 0, filter method 0, interlace method 0 or 1; then the chunk's CRC.
        guard r.bigEndian(4) == 13, r.ascii(4) == "IHDR", let width = r.bigEndian(4), let height = r.bigEndian(4),
            let depth = r.byte(), let colour = r.byte(), r.byte() == 0, r.byte() == 0, let interlace = r.byte(),
            interlace <= 1, r.remaining >= 4
        else { throw bad }
        let depths: [UInt8: [UInt64]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard (1...0x7FFF_FFFF).contains(width), (1...0x7FFF_FFFF).contains(height),
            depths[colour]?.contains(UInt64(depth)) == true
        else { throw bad }
        return Info(format: .png, width: Int64(width), height: Int64(height))
    }

    // MARK: - JPEG (ITU-T T.81)

    /// T.81 B.1.1.2–B.2.2: after SOI, marker segments `FF xx` with a 2-byte length (fill bytes `FF` may precede a
    /// marker; RSTn and TEM stand alone) until the frame header SOFn — every `C0`–`CF` except DHT (`C4`), JPG
    /// (`C8`) and DAC (`CC`) — whose parameters are `Lf P Y X Nf`: Y lines (height), X samples per line (width).
    /// B.2.2: "Y … the value 0 indicates that the number of lines shall be defined by the DNL marker" — such a
    /// file is refused rather than given an invented height.
    private static func jpeg(_ r: inout ByteReader) throws(Invalid) -> Info {
        let truncated = Invalid(message: "the content is a JPEG image that ends before its frame header (SOF)")
        r.offset = 2
        while true {
            guard let first = r.byte() else { throw truncated }
            guard first == 0xFF else {
                throw Invalid(message: "the content is a JPEG image with a malformed marker segment")
            }
            var marker = first
            while marker == 0xFF {
                guard let next = r.byte() else { throw truncated }
                marker = next
            }
            switch marker {
            case 0x01, 0xD0...0xD7:
                continue  // TEM, RSTn: no length
            case 0x00, 0xD8, 0xD9, 0xDA:
                throw Invalid(message: "the content is a JPEG image without a frame header (SOF) before its data")
            default:
                guard let length = r.bigEndian(2), length >= 2, r.remaining >= Int(length) - 2 else { throw truncated }
                let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
                guard isFrame else {
                    r.offset += Int(length) - 2
                    continue
                }
                guard length >= 11, r.byte() != nil, let height = r.bigEndian(2), let width = r.bigEndian(2),
                    let components = r.byte(), components > 0, length == 8 + 3 * UInt64(components)
                else { throw Invalid(message: "the content is a JPEG image with a malformed frame header (SOF)") }
                guard width > 0 else { throw Invalid(message: "the content is a JPEG image with zero width") }
                guard height > 0 else {
                    throw Invalid(message: "the content is a JPEG image whose height is only given by a DNL marker")
                }
                return Info(format: .jpeg, width: Int64(width), height: Int64(height))
            }
        }
    }

    // MARK: - GIF (GIF89a specification §17–18)

    /// §18: the Logical Screen Descriptor follows the 6-byte header: "Logical Screen Width … Unsigned" and
    /// "Logical Screen Height", 2 bytes each, little-endian. A zero dimension is refused.
    private static func gif(_ r: inout ByteReader) throws(Invalid) -> Info {
        r.offset = 6
        guard let width = r.littleEndian(2), let height = r.littleEndian(2), r.remaining >= 3 else {
            throw Invalid(message: "the content is a GIF image that ends inside its logical screen descriptor")
        }
        guard width > 0, height > 0 else { throw Invalid(message: "the content is a GIF image with a zero size") }
        return Info(format: .gif, width: Int64(width), height: Int64(height))
    }

    // MARK: - WebP (RFC 9649)

    /// RFC 9649 §2.5–2.7: `RIFF` size `WEBP`, then the first chunk: `VP8 ` (lossy: a key frame's start code
    /// 9D 01 2A, then 14-bit width and height), `VP8L` (lossless: signature 0x2F, then 14 bits width−1 and 14
    /// bits height−1; "version … MUST be 0") or `VP8X` (extended: 24-bit canvas width−1 and height−1; "The
    /// product of Canvas Width and Canvas Height MUST be at most 2^32 - 1").
    private static func webp(_ r: inout ByteReader) throws(Invalid) -> Info {
        let bad = Invalid(message: "the content is a WebP image whose header is truncated or invalid")
        r.offset = 4
        guard let riffSize = r.littleEndian(4), riffSize >= 4, UInt64(r.count) >= 8 + riffSize else { throw bad }
        r.offset = 12
        guard let chunk = r.ascii(4), let chunkSize = r.littleEndian(4), 20 + chunkSize <= 8 + riffSize else {
            throw bad
        }
        var width: UInt64 = 0
        var height: UInt64 = 0
        switch chunk {
        case "VP8 ":
            // RFC 6386 §9.1: the frame tag's bit 0 is 0 for a key frame; a key frame has the start code.
            guard chunkSize >= 10, let tag = r.byte(), tag & 1 == 0, r.bytes(2) != nil,
                r.bytes(3) == [0x9D, 0x01, 0x2A],
                let w = r.littleEndian(2), let h = r.littleEndian(2)
            else { throw bad }
            (width, height) = (w & 0x3FFF, h & 0x3FFF)
        case "VP8L":
            guard chunkSize >= 5, r.byte() == 0x2F, let bits = r.littleEndian(4), bits >> 29 == 0 else { throw bad }
            (width, height) = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            guard chunkSize >= 10, r.bytes(4) != nil, let w = r.littleEndian(3), let h = r.littleEndian(3) else {
                throw bad
            }
            (width, height) = (w + 1, h + 1)
            guard width * height <= 0xFFFF_FFFF else { throw bad }
        default:
            throw bad
        }
        guard width > 0, height > 0 else { throw Invalid(message: "the content is a WebP image with a zero size") }
        return Info(format: .webp, width: Int64(width), height: Int64(height))
    }
}

/// Reads integers from a byte array at a moving offset; every read returns nil past the end.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var count: Int { bytes.count }
    var remaining: Int { max(bytes.count - offset, 0) }

    mutating func bytes(_ n: Int) -> ArraySlice<UInt8>? {
        guard n >= 0, remaining >= n else { return nil }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    mutating func byte() -> UInt8? { bytes(1)?.first }

    mutating func bigEndian(_ n: Int) -> UInt64? {
        bytes(n)?.reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func littleEndian(_ n: Int) -> UInt64? {
        bytes(n)?.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func ascii(_ n: Int) -> String? {
        bytes(n).map { String(decoding: $0, as: UTF8.self) }
    }
}
