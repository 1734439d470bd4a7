import SQLite

/// The SQL of the Images section (docs L2755–2823): the `image` table, which holds each upload's bytes and
/// metadata.
extension Database {
    /// Inserts an uploaded image with its bytes.
    func insert(_ image: Image, data: [UInt8]) throws {
        try execute(
            """
            INSERT INTO image (id, token, name, content_type, width, height, filename, size, created_time, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(image.id), .text(image.token), .text(image.name), .text(image.format.contentType),
                .integer(image.width), .integer(image.height), SQLiteValue(image.filename), .integer(image.size),
                .integer(image.createdTime), .blob(data),
            ])
    }

    /// The image whose URL has `token` and `name`, with its bytes, or nil.
    func imageFile(token: String, name: String) throws -> (image: Image, data: [UInt8])? {
        guard let row = try queryOne("SELECT * FROM image WHERE token = ? AND name = ?", [.text(token), .text(name)])
        else { return nil }
        return (try Image(row: row), try row.blob("data"))
    }
}

extension Image {
    /// Reads an `image` row (the `data` column is not needed).
    init(row: Row) throws {
        let contentType = try row.string("content_type")
        // The schema's CHECK admits only the four formats; anything else is a type mismatch (SQLITE_MISMATCH, 20).
        guard let format = ImageFormat(rawValue: contentType) else {
            throw SQLiteError(code: 20, message: "column 'content_type' holds an unknown image format")
        }
        self.init(
            id: try row.string("id"), format: format, width: try row.int64("width"), height: try row.int64("height"),
            name: try row.string("name"), token: try row.string("token"), filename: try row.optionalString("filename"),
            size: try row.int64("size"), createdTime: try row.int64("created_time"))
    }
}
