import HTTP

/// The Images section of the docs (L2755–2823): upload an image; and the emulator's stand-in for the S3 bucket
/// behind the pre-signed URLs the upload returns (`/_emulator/files/…`, no bearer token, like a pre-signed URL).
struct ImagesAPI {
    let emulator: Emulator

    /// docs L2785: "image Mandatory multipart formData" — the name of the file part.
    static let imageField = "image"
    /// docs L2788: "[Part2] type part specifies the media format." — an optional text part.
    static let typeField = "type"

    /// Routes, spelled as in the docs (L2761, L2768), and the files the returned URLs point at (GET, and HEAD
    /// through the router).
    func register(on router: Router) {
        router.add(.post, "/v2/images/upload", upload)
        router.add(.get, "/_emulator/files/{token}/{name}", file)
        router.add(.get, "/_emulator/files/{token}/thumbnail/{name}", file)
    }

    // MARK: - Upload an image

    /// The parts of an upload request: the image part and the optional `type` part.
    struct UploadRequest {
        var image: MultipartPart
        var info: ImageFormat.Info

        /// Reads the multipart/form-data body of `request`.
        /// - Throws: `APIError` 415 when the Content-Type is not multipart/form-data; 400 naming the Content-Type
        ///   for a missing or invalid boundary, for a malformed body, and naming `image` or `type` when those
        ///   parts are missing, repeated, not an image, or of another type than the content.
        init(_ request: Request) throws(APIError) {
            let contentTypes = request.headers.values("Content-Type")
            guard contentTypes.count <= 1 else { throw .badRequest("Content-Type must be sent once") }
            let contentType = contentTypes.first ?? ""
            let parts: [MultipartPart]
            do throws(MultipartError) {
                parts = try Multipart.formData(request.body, contentType: contentType)
            } catch {
                switch error {
                case .notFormData:
                    // docs L2786: "Note: Ensure that the Content-Type request header is set to multipart/form-data";
                    // RFC 9110 §15.5.16: 415 when "the content is in a format not supported by this method".
                    throw APIError(
                        .unsupportedMediaType,
                        message: "Content-Type must be multipart/form-data (docs L2786), not '\(contentType)'")
                case .malformedContentType, .missingBoundary, .invalidBoundary:
                    throw .badRequest("Content-Type: \(error)")
                case .noParts:
                    throw .badRequest("image is mandatory: the multipart/form-data body has no parts (docs L2785)")
                default:
                    throw .badRequest("malformed multipart/form-data body: \(error)")
                }
            }
            let images = parts.filter { $0.name == ImagesAPI.imageField }
            guard let image = images.first else {
                throw .badRequest(
                    "image is mandatory: send the file as the multipart/form-data part named image (docs L2785)")
            }
            guard images.count == 1 else { throw .badRequest("image must be sent once, not \(images.count) times") }
            self.image = image
            do throws(ImageFormat.Invalid) {
                info = try ImageFormat.probe(image.content)
            } catch {
                throw .badRequest("image: \(error.message); PNG, JPEG, GIF and WebP are accepted")
            }
            // docs L2781: "image=@…sample_image.PNG;type=image/png" — the part's own Content-Type.
            if let declared = image.contentType {
                try Self.check(declared, against: info.format, field: "image: the part's Content-Type")
            }
            let types = parts.filter { $0.name == ImagesAPI.typeField }
            guard types.count <= 1 else { throw .badRequest("type must be sent once, not \(types.count) times") }
            if let part = types.first {
                let text = String(decoding: part.content, as: UTF8.self)
                guard let declared = MediaType(text) else {
                    throw .badRequest("type must be a media type such as image/png, not '\(text)'")
                }
                try Self.check(declared, against: info.format, field: "type")
            }
        }

        /// A declared type must name the detected format; `application/octet-stream` (RFC 7578 §4.4: "If the
        /// contents of a file are to be sent, the file data SHOULD be labeled with an appropriate media type, if
        /// known, or "application/octet-stream"") says nothing and is accepted.
        static func check(_ declared: MediaType, against format: ImageFormat, field: String) throws(APIError) {
            let essence = declared.essence
            guard essence == "application/octet-stream" || format.declarableTypes.contains(essence) else {
                throw .badRequest(
                    "\(field) \(essence) does not match the content, which is a \(format.fileExtension.uppercased()) "
                        + "image (\(format.contentType))")
            }
        }
    }

    /// Upload an image: docs L2763, `POST /v2/images/upload`.
    /// docs L2791: "A successful request returns 201 Created along with a pre-signed URL from which the image can
    /// be retrieved." The body is the image object of L2808.
    func upload(_ request: Request) throws -> Response {
        let body = try UploadRequest(request)
        let id = emulator.ids.next()
        let image = Image(
            id: id, format: body.info.format, width: body.info.width, height: body.info.height,
            name: Image.name(id: id, format: body.info.format), token: SignedURL.makeToken(),
            filename: body.image.filename, size: Int64(body.image.content.count), createdTime: emulator.clock.now())
        try emulator.store.write { db in try db.insert(image, data: body.image.content) }
        return .json(image.json(baseURL: SignedURL.baseURL(request, config: emulator.config)).bytes, status: .created)
    }

    // MARK: - The files behind the URLs

    /// `GET` (and `HEAD`) `/_emulator/files/{token}/{name}` and `…/{token}/thumbnail/{name}`: the uploaded bytes
    /// exactly, with their Content-Type and Content-Length. No bearer token: the URL is the credential.
    func file(_ request: Request) throws -> Response {
        let token = request.parameters["token"] ?? ""
        let name = request.parameters["name"] ?? ""
        let found = try emulator.store.read { db in try db.imageFile(token: token, name: name) }
        guard let (image, data) = found else { throw Self.imageNotFound }
        return Response(
            status: .ok,
            headers: ["Content-Type": image.format.contentType, "Content-Length": String(data.count)], body: data)
    }

    // MARK: - Errors

    /// 404 in the shape of docs L46, for a URL that names no stored image.
    static let imageNotFound = APIError.notFound("IMAGE_NOT_FOUND", "no image at this URL")
}
