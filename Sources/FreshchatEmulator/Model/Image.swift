/// An uploaded image (docs L2755–2823): "The agents can upload, store, and retrieve the images from a file
/// system (backed by an S3 bucket)" (L2757). The emulator is its own bucket: the bytes live in the store and are
/// served at an unguessable URL, as a pre-signed S3 URL would be (L2765: "returns a pre-signed URL to access the
/// image").
///
/// The thumbnail (L2816–2821) is the original image: downscaling would need decoders (JPEG, WebP) the
/// emulator does not have, so the thumbnail URL serves the original bytes and reports the original type and
/// dimensions rather than invented ones.
struct Image: Sendable, Equatable {
    /// docs L2812: "id string Identifier of the image object, auto-generated when an image is uploaded".
    var id: String
    /// docs L2813: "content_type string Format of the uploaded file." — detected from the bytes.
    var format: ImageFormat
    /// docs L2823: "width integer Original width of the uploaded image."
    var width: Int64
    /// docs L2814: "height integer Original height of the image uploaded."
    var height: Int64
    /// docs L2815: "name string Identifier of the uploaded image." — `img_<10>_<8>.<ext>` as in L2808.
    var name: String
    /// The secret path segment of the image's URLs: 128 random bits in hex.
    var token: String
    /// The file name the client sent in the part's Content-Disposition, if any (kept, not returned).
    var filename: String?
    /// The size of the image in bytes.
    var size: Int64
    /// When it was uploaded, epoch milliseconds.
    var createdTime: Int64

    /// The name of the image with id `id`: `img_` + the id's first 10 alphanumerics + `_` + its last 8 + the
    /// format's extension, in the shape of the docs' example `img_h7nco0371v_7c2bf570.png` (L2808).
    static func name(id: String, format: ImageFormat) -> String {
        let characters = id.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return "img_\(characters.prefix(10))_\(characters.suffix(8)).\(format.fileExtension)"
    }

    /// The path the original is served at.
    var path: String { "/_emulator/files/\(token)/\(name)" }

    /// The path the thumbnail is served at (the original's bytes).
    var thumbnailPath: String { "/_emulator/files/\(token)/thumbnail/\(name)" }

    /// The image object of the docs' response example (L2808), in its attribute order: id, content_type, height,
    /// name, thumbnail (url, content_type, width, height), url, width. `baseURL` is `http://host[:port]`.
    func json(baseURL: String) -> JSONValue {
        var thumbnail = JSONObject()
        thumbnail["url"] = .string(baseURL + thumbnailPath)
        thumbnail["content_type"] = .string(format.contentType)
        thumbnail["width"] = .integer(width)
        thumbnail["height"] = .integer(height)
        var object = JSONObject()
        object["id"] = .string(id)
        object["content_type"] = .string(format.contentType)
        object["height"] = .integer(height)
        object["name"] = .string(name)
        object["thumbnail"] = .object(thumbnail)
        object["url"] = .string(baseURL + path)
        object["width"] = .integer(width)
        return .object(object)
    }
}
