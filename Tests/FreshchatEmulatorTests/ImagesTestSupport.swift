import HTTP
import Testing

@testable import FreshchatEmulator

/// Minimal, valid image files written byte by byte: PNG (IHDR, IDAT with stored deflate blocks, IEND), a
/// decodable baseline grayscale JPEG (SOF0, DHT, SOS, EOI), GIF89a (uncompressed LZW) and lossless WebP (VP8L, and
/// VP8X + VP8L). The lossy WebP (VP8) is a key-frame header only: the detector reads no further.
enum TestImage {
    // MARK: - PNG

    /// A PNG of `width` × `height` RGBA pixels (colour type 6, depth 8), filled from `seed`.
    static func png(width: Int, height: Int, seed: UInt64 = 1) -> [UInt8] {
        var random = seed
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (1 + 4 * width))
        for _ in 0..<height {
            raw.append(0)  // filter type None
            for _ in 0..<(4 * width) {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                raw.append(UInt8(truncatingIfNeeded: random >> 56))
            }
        }
        let header = be32(width) + be32(height) + [8, 6, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", header)
            + pngChunk("IDAT", zlibStored(raw)) + pngChunk("IEND", [])
    }

    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return be32(data.count) + typed + be32(Int(crc32(typed)))
    }

    /// A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4).
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65535, data.count)
            let count = end - start
            out += [end == data.count ? 1 : 0, UInt8(count & 0xFF), UInt8(count >> 8)]
            out += [UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[start..<end]
            start = end
        } while start < data.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return out + be32(Int(b << 16 | a))
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(0xFFFF_FFFF) { crcTable[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }

    // MARK: - JPEG

    /// A baseline grayscale JPEG (T.81): every 8×8 block has DC difference 0 and only EOB (one 1-bit Huffman code
    /// each), so it decodes to mid-grey. `frameMarker` replaces SOF0 (C0) for other frame types (header only then);
    /// `before` are segments written between the tables and the frame header.
    static func jpeg(width: Int, height: Int, frameMarker: UInt8 = 0xC0, before: [UInt8] = []) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        out += [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]  // APP0
        out += [0xFF, 0xDB, 0x00, 0x43, 0x00] + Array(repeating: 1, count: 64)  // DQT, all ones
        // DHT before the frame: DC table 0 and AC table 0, one code of length 1 each (symbol 0 = DC 0 / EOB).
        out += [0xFF, 0xC4, 0x00, 0x14, 0x00, 1] + Array(repeating: 0, count: 15) + [0x00]
        out += [0xFF, 0xC4, 0x00, 0x14, 0x10, 1] + Array(repeating: 0, count: 15) + [0x00]
        out += before
        out += [0xFF, frameMarker, 0x00, 0x0B, 8] + be16(height) + be16(width) + [1, 1, 0x11, 0]  // SOFn, 1 component
        out += [0xFF, 0xDA, 0x00, 0x08, 1, 1, 0x00, 0, 63, 0]  // SOS
        let blocks = ((width + 7) / 8) * ((height + 7) / 8)
        var bits = Array(repeating: false, count: 2 * blocks)
        while bits.count % 8 != 0 { bits.append(true) }  // T.81 F.1.2.3: pad with 1-bits
        out += stride(from: 0, to: bits.count, by: 8).map { i in
            bits[i..<i + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        return out + [0xFF, 0xD9]
    }

    // MARK: - GIF

    /// A GIF89a with a two-colour global table and one full-size image whose LZW stream restarts (Clear) every two
    /// pixels, so every code stays 3 bits wide.
    static func gif(width: Int, height: Int) -> [UInt8] {
        var out = Array("GIF89a".utf8) + le16(width) + le16(height) + [0x80, 0, 0] + [0, 0, 0, 255, 255, 255]
        out += [0x2C] + le16(0) + le16(0) + le16(width) + le16(height) + [0x00, 0x02]
        var codes: [Int] = []
        for pixel in 0..<(width * height) {
            if pixel % 2 == 0 { codes.append(4) }  // Clear
            codes.append(pixel % 3 == 0 ? 1 : 0)
        }
        codes.append(5)  // End of Information
        var writer = BitWriter()
        for code in codes { writer.write(code, bits: 3) }
        let data = writer.bytes
        for start in stride(from: 0, to: data.count, by: 255) {
            let block = data[start..<min(start + 255, data.count)]
            out += [UInt8(block.count)] + block
        }
        return out + [0x00, 0x3B]
    }

    // MARK: - WebP

    /// A lossless WebP (RFC 9649 §3): VP8L header, no transform, no colour cache, no meta prefix codes and five
    /// simple prefix codes of one 8-bit symbol each, so every pixel is the same colour and takes no bits.
    static func webpLossless(width: Int, height: Int) -> [UInt8] {
        riff([("VP8L", vp8l(width: width, height: height))])
    }

    /// An extended WebP (RFC 9649 §2.7): a VP8X chunk with the canvas size, then the VP8L image.
    static func webpExtended(width: Int, height: Int) -> [UInt8] {
        let vp8x: [UInt8] = [0, 0, 0, 0] + le24(width - 1) + le24(height - 1)
        return riff([("VP8X", vp8x), ("VP8L", vp8l(width: width, height: height))])
    }

    /// A lossy WebP's header (RFC 9649 §2.5, RFC 6386 §9.1): a key frame tag, the start code and the size.
    static func webpLossy(width: Int, height: Int) -> [UInt8] {
        riff([("VP8 ", [0x50, 0x01, 0x00, 0x9D, 0x01, 0x2A] + le16(width) + le16(height) + [0, 0])])
    }

    static func vp8l(width: Int, height: Int) -> [UInt8] {
        var writer = BitWriter()
        writer.write(0x2F, bits: 8)
        writer.write(width - 1, bits: 14)
        writer.write(height - 1, bits: 14)
        writer.write(0, bits: 1)  // alpha_is_used
        writer.write(0, bits: 3)  // version
        writer.write(0, bits: 1)  // no transform
        writer.write(0, bits: 1)  // no colour cache
        writer.write(0, bits: 1)  // no meta prefix codes
        for symbol in [0x80, 0x20, 0x40, 0xFF, 0] {  // green, red, blue, alpha, distance
            writer.write(1, bits: 1)  // simple code
            writer.write(0, bits: 1)  // one symbol
            writer.write(1, bits: 1)  // 8-bit symbol
            writer.write(symbol, bits: 8)
        }
        return writer.bytes
    }

    static func riff(_ chunks: [(String, [UInt8])]) -> [UInt8] {
        var body = Array("WEBP".utf8)
        for (type, data) in chunks {
            body += Array(type.utf8) + le32(data.count) + data + (data.count % 2 == 1 ? [0] : [])
        }
        return Array("RIFF".utf8) + le32(body.count) + body
    }

    // MARK: - Integers

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF)] + be16(v) }
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func le24(_ v: Int) -> [UInt8] { le16(v) + [UInt8(v >> 16 & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { le16(v) + le16(v >> 16) }
}

/// Packs values least-significant bit first, as GIF's LZW and WebP's VP8L streams are.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var used = 0

    mutating func write(_ value: Int, bits: Int) {
        for bit in 0..<bits {
            if used == 0 { bytes.append(0) }
            if value >> bit & 1 == 1 { bytes[bytes.count - 1] |= UInt8(1 << used) }
            used = (used + 1) % 8
        }
    }
}

/// The multipart/form-data bodies of `POST /v2/images/upload`, as curl writes them for docs L2776
/// (`-F "image=@…sample_image.PNG;type=image/png"`).
enum Upload {
    static let boundary = "------------------------d74496d66958873e"
    static let contentType = "multipart/form-data; boundary=\(boundary)"

    /// A body with the `image` part (file name and Content-Type when given) and then `extra` parts (name, content).
    static func body(
        _ image: [UInt8], filename: String? = "sample_image.PNG", type: String? = "image/png",
        name: String = "image", extra: [(String, [UInt8])] = []
    ) -> [UInt8] {
        var disposition = "Content-Disposition: form-data; name=\"\(name)\""
        if let filename { disposition += "; filename=\"\(filename)\"" }
        var out = Array("--\(boundary)\r\n\(disposition)\r\n".utf8)
        if let type { out += Array("Content-Type: \(type)\r\n".utf8) }
        out += Array("\r\n".utf8) + image
        for (partName, content) in extra {
            out += Array("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"\(partName)\"\r\n\r\n".utf8)
            out += content
        }
        return out + Array("\r\n--\(boundary)--\r\n".utf8)
    }
}

/// Sends binary requests in-process through `App` (as `Request` values) or over a real socket (as raw bytes), for
/// the uploads and downloads `EmulatorClient.send`, which carries a String body, cannot make.
struct ImageClient {
    let emulator: TestEmulator
    let live: LiveTestEmulator?

    init(_ emulator: TestEmulator, _ mode: TestMode = .router) throws {
        self.emulator = emulator
        live = mode == .live ? try LiveTestEmulator(emulator) : nil
    }

    /// The Host the requests send, so also the authority of the URLs the emulator returns.
    var host: String { live.map { "127.0.0.1:\($0.server.port)" } ?? "localhost" }

    /// Sends `method target` with `headers` (after Host) and `body`.
    func send(_ method: HTTPMethod, _ target: String, headers: [(String, String)] = [], body: [UInt8] = [])
        -> TestResponse
    {
        let fields = [("Host", host)] + headers
        guard let live else {
            let request = Request(method: method, target: target, headers: HTTPHeaders(fields), body: body)
            return TestResponse(emulator.app.respond(to: request))
        }
        var head = "\(method.rawValue) \(target) HTTP/1.1\r\nConnection: close\r\n"
        for (name, value) in fields { head += "\(name): \(value)\r\n" }
        if !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        return live.sendRaw(Array((head + "\r\n").utf8) + body, method: method)
    }

    /// `POST /v2/images/upload` with `body`, the Content-Type (none when nil) and a bearer token (none when nil).
    func upload(_ body: [UInt8], contentType: String? = Upload.contentType, token: String? = "test-token")
        -> TestResponse
    {
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if let contentType { headers.append(("Content-Type", contentType)) }
        return send(.post, "/v2/images/upload", headers: headers, body: body)
    }

    /// Uploads `image` declared as `type`; records an issue unless the answer is 201.
    /// - Returns: the image object.
    func uploaded(_ image: [UInt8], type: String? = "image/png", sourceLocation: SourceLocation = #_sourceLocation)
        -> JSONValue
    {
        let response = upload(Upload.body(image, type: type))
        #expect(response.code == 201, "\(response.text)", sourceLocation: sourceLocation)
        return response.json
    }

    /// `GET` (or `HEAD`) an absolute URL the emulator returned; records an issue unless it points at this emulator.
    func fetch(_ url: String?, method: HTTPMethod = .get, sourceLocation: SourceLocation = #_sourceLocation)
        -> TestResponse
    {
        let origin = "http://\(host)/"
        let url = url ?? ""
        #expect(url.hasPrefix(origin), "\(url) is not under \(origin)", sourceLocation: sourceLocation)
        return send(method, "/" + url.dropFirst(origin.count))
    }
}
