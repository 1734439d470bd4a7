import HTTP

/// Reading a JSON request body into a `JSONValue`, with errors that name the field.
extension Request {
    /// The body parsed as a JSON object.
    /// - Throws: `APIError` 400 when the body is empty, not JSON, or not an object.
    public func jsonObject() throws(APIError) -> JSONObject {
        guard !body.isEmpty else { throw .badRequest("request body is required and must be a JSON object") }
        let value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch {
            throw .badRequest("request body is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw .badRequest("request body must be a JSON object, not \(value.typeName)")
        }
        return object
    }
}

/// Typed access to the members of a JSON object, throwing a 400 that names the field (with its dotted path).
public struct Fields {
    /// The object being read.
    public let object: JSONObject
    /// The dotted path of the object inside the body (`""` for the top level).
    public let path: String

    /// Wraps an object found at `path`.
    public init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    /// The dotted name of `key` for messages.
    public func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A string member; nil when absent or null.
    public func string(_ key: String) throws(APIError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw .badRequest("\(name(key)) must be a string, not \(other.typeName)")
        }
    }

    /// A string member that must be present and not null.
    public func requiredString(_ key: String) throws(APIError) -> String {
        guard let s = try string(key) else { throw .badRequest("\(name(key)) is mandatory") }
        return s
    }

    /// A Boolean member; nil when absent or null.
    public func bool(_ key: String) throws(APIError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let other?: throw .badRequest("\(name(key)) must be a boolean, not \(other.typeName)")
        }
    }

    /// An integer member; nil when absent or null.
    public func int(_ key: String) throws(APIError) -> Int64? {
        switch object[key] {
        case nil, .null?: return nil
        case let value?:
            guard let i = value.intValue else {
                throw .badRequest("\(name(key)) must be an integer, not \(value.typeName)")
            }
            return i
        }
    }

    /// An array member; nil when absent or null.
    public func array(_ key: String) throws(APIError) -> [JSONValue]? {
        switch object[key] {
        case nil, .null?: return nil
        case .array(let a)?: return a
        case let other?: throw .badRequest("\(name(key)) must be an array, not \(other.typeName)")
        }
    }

    /// An object member; nil when absent or null.
    public func object(_ key: String) throws(APIError) -> Fields? {
        switch object[key] {
        case nil, .null?: return nil
        case .object(let o)?: return Fields(o, path: name(key))
        case let other?: throw .badRequest("\(name(key)) must be an object, not \(other.typeName)")
        }
    }

    /// Whether the member is present (even if null).
    public func has(_ key: String) -> Bool { object[key] != nil }
}
