import Testing

@testable import FreshchatEmulator

extension ImagesTests {
    /// Reading the format and dimensions from the bytes (`ImageFormat.probe`): the structures each format's
    /// specification gives, and what is refused.
    @Suite struct Format {
        func probe(_ bytes: [UInt8]) -> ImageFormat.Info? { try? ImageFormat.probe(bytes) }

        func expectRejected(_ bytes: [UInt8], _ mention: String, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                let info = try ImageFormat.probe(bytes)
                Issue.record("accepted as \(info)", sourceLocation: sourceLocation)
            } catch {
                #expect(error.message.contains(mention), "\(error.message)", sourceLocation: sourceLocation)
            }
        }

        // MARK: - PNG

        static func pngHeader(
            width: Int = 1, height: Int = 1, depth: UInt8 = 8, colour: UInt8 = 6, rest: [UInt8] = [0, 0, 0]
        ) -> [UInt8] {
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
                + TestImage.pngChunk("IHDR", TestImage.be32(width) + TestImage.be32(height) + [depth, colour] + rest)
                + TestImage.pngChunk("IEND", [])
        }

        // PNG §11.2.2: "Width and height give the image dimensions in pixels. They are PNG four-byte unsigned
        // integers. Zero is an invalid value." — and at most 2^31−1 (§7.1).
        @Test func png_ReadsIHDR_AndRefusesZeroOrHugeDimensions() {
            #expect(
                probe(Self.pngHeader(width: 0x7FFF_FFFF, height: 3))
                    == .init(format: .png, width: 0x7FFF_FFFF, height: 3))
            for (w, h) in [(0, 1), (1, 0), (0x8000_0000, 1), (1, 0xFFFF_FFFF)] {
                expectRejected(Self.pngHeader(width: w, height: h), "PNG image whose IHDR")
            }
        }

        // PNG §11.2.2, Table 11.1: the allowed bit depths per colour type; compression and filter method 0,
        // interlace method 0 or 1. Every colour type 0–7 against every bit depth 0–32.
        @Test func png_AcceptsOnlyTheAllowedDepthAndColourCombinations() {
            let allowed: [UInt8: Set<UInt8>] = [
                0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16],
            ]
            for colour in UInt8(0)...7 {
                for depth in UInt8(0)...32 {
                    let ok = probe(Self.pngHeader(depth: depth, colour: colour)) != nil
                    #expect(ok == (allowed[colour]?.contains(depth) ?? false), "colour \(colour) depth \(depth)")
                }
            }
            #expect(probe(Self.pngHeader(rest: [0, 0, 1])) != nil)
            for rest: [UInt8] in [[1, 0, 0], [0, 1, 0], [0, 0, 2]] {
                expectRejected(Self.pngHeader(rest: rest), "IHDR")
            }
        }

        // PNG §5.3: "The IHDR chunk shall be the first chunk"; a file cut anywhere before the end of IHDR is refused.
        @Test func png_RefusesMissingOrTruncatedIHDR() {
            let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            expectRejected(
                signature + TestImage.pngChunk("tEXt", Array("a\0b".utf8)) + Self.pngHeader().dropFirst(8), "IHDR")
            let header = Self.pngHeader()
            for cut in 8..<33 { expectRejected(Array(header.prefix(cut)), "IHDR") }
            #expect(probe(Array(header.prefix(33))) != nil)
        }

        // MARK: - JPEG

        /// A marker segment: `FF marker`, the 2-byte length (itself included), the payload (T.81 B.1.1.4).
        static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [0xFF, marker] + TestImage.be16(payload.count + 2) + payload
        }

        // T.81 Table B.1: SOF0–SOF3, SOF5–SOF7, SOF9–SOF11, SOF13–SOF15 are frame headers; C4 (DHT), C8 (JPG) and
        // CC (DAC) are not.
        @Test func jpeg_ReadsEveryFrameHeaderMarker() {
            for marker in UInt8(0xC0)...0xCF where ![0xC4, 0xC8, 0xCC].contains(marker) {
                #expect(
                    probe(TestImage.jpeg(width: 300, height: 7, frameMarker: marker))
                        == .init(format: .jpeg, width: 300, height: 7), "marker \(marker)")
            }
        }

        // T.81 B.1.1.2: segments are walked by their lengths — a DAC, JPG or APP1 segment whose payload looks like
        // a frame header is skipped whole; "Any marker may optionally be preceded by any number of fill bytes" (FF);
        // TEM and RSTn have no length.
        @Test(arguments: [
            segment(0xCC, [0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
            segment(0xC8, [0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
            segment(0xE1, Array("Exif\0\0".utf8) + [0xFF, 0xC0, 0x00, 0x0B, 8, 0, 2, 0, 2, 1, 1, 0x11, 0]),
            [0xFF, 0xFF, 0xFF], [0xFF, 0x01], [0xFF, 0xD0, 0xFF, 0xD7],
        ])
        func jpeg_WalksSegments_ToTheFrameHeader(before: [UInt8]) {
            #expect(
                probe(TestImage.jpeg(width: 33, height: 17, before: before))
                    == .init(format: .jpeg, width: 33, height: 17))
        }

        // T.81 B.2.2: "Y … The value 0 indicates that the number of lines shall be defined by the DNL marker" —
        // refused rather than invented; X (width) is 1–65535.
        @Test func jpeg_RefusesZeroDimensions() {
            expectRejected(TestImage.jpeg(width: 5, height: 0), "height is only given by a DNL marker")
            expectRejected(TestImage.jpeg(width: 0, height: 5), "zero width")
        }

        // A scan or the end of the image before any frame header, a malformed segment, or a file cut anywhere
        // before the frame header's end is refused.
        @Test func jpeg_RefusesFilesWithoutAReadableFrameHeader() {
            let jpeg = TestImage.jpeg(width: 8, height: 8)
            let sof = jpeg.indices.first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 }!
            for cut in 2..<(sof + 13) { expectRejected(Array(jpeg.prefix(cut)), "JPEG image") }
            #expect(probe(Array(jpeg.prefix(sof + 13))) != nil)
            expectRejected([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 63, 0], "without a frame header")
            expectRejected([0xFF, 0xD8, 0xFF, 0xD9], "without a frame header")
            expectRejected([0xFF, 0xD8, 0x00, 0xC0], "malformed marker segment")
            expectRejected([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xC0], "ends before its frame header")
            expectRejected(
                [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 2, 1, 0x11, 0], "malformed frame header")
        }

        // MARK: - GIF

        // GIF89a §18: "Logical Screen Width … Logical Screen Height", unsigned 16-bit little-endian after the header.
        @Test func gif_ReadsTheLogicalScreen() {
            #expect(probe(TestImage.gif(width: 513, height: 2)) == .init(format: .gif, width: 513, height: 2))
            let gif87 = Array("GIF87a".utf8) + TestImage.le16(65535) + TestImage.le16(1) + [0, 0, 0]
            #expect(probe(gif87) == .init(format: .gif, width: 65535, height: 1))
            expectRejected(Array("GIF89a".utf8) + TestImage.le16(0) + TestImage.le16(1) + [0, 0, 0], "zero size")
            for cut in 6..<13 { expectRejected(Array(gif87.prefix(cut)), "GIF image that ends") }
            expectRejected(Array("GIF88a".utf8) + TestImage.le16(1) + TestImage.le16(1) + [0, 0, 0], "not a PNG")
        }

        // MARK: - WebP

        // RFC 9649 §2.7: VP8X "Canvas Width Minus One … Canvas Height Minus One" (24 bits) — "The product of Canvas
        // Width and Canvas Height MUST be at most 2^32 - 1."
        @Test func webp_ReadsVP8X_AndRefusesOversizedCanvas() {
            #expect(
                probe(TestImage.webpExtended(width: 1 << 24, height: 1))
                    == .init(format: .webp, width: 1 << 24, height: 1))
            expectRejected(
                TestImage.riff([("VP8X", [0, 0, 0, 0] + TestImage.le24(65535) + TestImage.le24(65536))]), "WebP")
        }

        // RFC 9649 §3.2: VP8L "signature … 0x2f", 14-bit width−1 and height−1, "The version_number is a 3 bit code
        // that must be set to 0."
        @Test func webp_ReadsVP8L_AndRefusesOtherVersionsOrSignatures() {
            #expect(
                probe(TestImage.webpLossless(width: 16384, height: 16384))
                    == .init(format: .webp, width: 16384, height: 16384))
            var versioned = TestImage.vp8l(width: 2, height: 2)
            versioned[4] |= 0x20
            expectRejected(TestImage.riff([("VP8L", versioned)]), "WebP")
            var signed = TestImage.vp8l(width: 2, height: 2)
            signed[0] = 0x2E
            expectRejected(TestImage.riff([("VP8L", signed)]), "WebP")
        }

        // RFC 6386 §9.1: a key frame (frame tag bit 0 clear) with the start code 9D 01 2A, then 14-bit dimensions.
        @Test func webp_ReadsVP8KeyFrames_Only() {
            #expect(
                probe(TestImage.webpLossy(width: 16383, height: 1)) == .init(format: .webp, width: 16383, height: 1))
            var interframe = TestImage.webpLossy(width: 2, height: 2)
            interframe[20] |= 1
            expectRejected(interframe, "WebP")
            var noStartCode = TestImage.webpLossy(width: 2, height: 2)
            noStartCode[23] = 0
            expectRejected(noStartCode, "WebP")
            expectRejected(TestImage.webpLossy(width: 0, height: 2), "zero size")
        }

        // RFC 9649 §2: a RIFF size or chunk size past the end of the file, or an unknown first chunk, is refused.
        @Test func webp_RefusesTruncatedOrUnknownFiles() {
            let webp = TestImage.webpLossless(width: 3, height: 3)
            for cut in 12..<webp.count { expectRejected(Array(webp.prefix(cut)), "WebP") }
            expectRejected(TestImage.riff([("VP8Z", Array(repeating: 0, count: 10))]), "WebP")
            expectRejected(Array("RIFF".utf8) + TestImage.le32(4) + Array("WAVE".utf8), "not a PNG")
        }
    }
}
