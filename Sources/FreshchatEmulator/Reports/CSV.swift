/// A small CSV encoder following RFC 4180 (text/csv): records end with CRLF (§2.1–2.2), the first record is the
/// header (§2.3), and a field holding a comma, a double quote, CR or LF is enclosed in double quotes, a double
/// quote inside it doubled (§2.5–2.7). Other fields are written as they are.
enum CSV {
    /// RFC 4180 §2.1: "Each record is located on a separate line, delimited by a line break (CRLF)."
    static let lineBreak = "\r\n"

    /// The document: the header record, then one record per row.
    /// - Parameters:
    ///   - header: the column names.
    ///   - rows: the records, each with as many fields as the header.
    static func document(header: [String], rows: [[String]]) -> String {
        var out = record(header)
        for row in rows { out += record(row) }
        return out
    }

    /// A document written record by record as UTF-8: the header first, then `append` each row.
    struct Writer {
        private(set) var bytes: [UInt8] = []

        init(header: [String]) { append(header) }

        /// Hands over what was written so far and starts empty (a document sent in pieces).
        mutating func take() -> [UInt8] {
            defer { bytes = [] }
            return bytes
        }

        /// Appends one record with its line break.
        mutating func append(_ fields: [String]) {
            for (index, value) in fields.enumerated() {
                if index > 0 { bytes.append(0x2C) }
                bytes.append(contentsOf: CSV.field(value).utf8)
            }
            bytes.append(contentsOf: CSV.lineBreak.utf8)
        }
    }

    /// One record with its line break.
    static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + lineBreak
    }

    /// One field, quoted when RFC 4180 §2.6 requires it: "Fields containing line breaks (CRLF), double quotes, and
    /// commas should be enclosed in double-quotes." §2.7: "a double-quote appearing inside a field must be escaped
    /// by preceding it with another double quote."
    static func field(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else {
            return value
        }
        var out = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { out += "\"" }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }
}
