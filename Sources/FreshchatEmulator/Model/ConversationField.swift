/// A conversation property field (docs L1700–1814): a property a conversation's `properties` may carry, its type,
/// its choices and whether resolving needs it. The rules for `properties` in create and update live here.
public struct ConversationField: Sendable, Equatable {
    /// docs L1799–1800: type "Possible values: TEXT, DROPDOWN, CHECKBOX, PARAGRAPH, NUMBER, DECIMAL, DATE,
    /// MULTI_SELECT_DROPDOWN".
    public var type: String
    /// The internal name, the key in `properties` (`priority`, `cf_type`).
    public var name: String
    /// docs L1806: "Specifies whether it is mandatory for the field to have a valid value to resolve a conversation."
    public var required: Bool
    /// docs L1803: "Specifies whether the field value can be modified."
    public var editable: Bool
    /// The values of `choices` (docs L1808–1811), for DROPDOWN and MULTI_SELECT_DROPDOWN.
    public var choices: [String]

    /// docs L791: "The valid values of the properties.priority attribute are Low, Medium, High, and Urgent."
    public static let priorities = ["Low", "Medium", "High", "Urgent"]
    /// docs L1359: "By default, the conversation is created with the value of properties.priority as Low."
    public static let defaultPriority = "Low"

    /// Creates a field.
    public init(name: String, type: String, required: Bool = false, editable: Bool = true, choices: [String] = []) {
        self.name = name
        self.type = type
        self.required = required
        self.editable = editable
        self.choices = choices
    }

    /// Reads a field from its documented object (the `conversation_property.doc` column).
    public init(document: JSONValue) {
        name = document["name"]?.stringValue ?? ""
        type = document["type"]?.stringValue ?? "TEXT"
        required = document["required"]?.boolValue ?? false
        editable = document["editable"]?.boolValue ?? true
        choices = (document["choices"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue }
    }

    // MARK: - Properties

    /// Merges the `properties` of a request into `current`: each key must be a configured field and its value fit the
    /// field's type. `null`, `""` and `[]` clear a custom property; `priority` cannot be cleared.
    /// - Parameters:
    ///   - changes: the request's `properties` object.
    ///   - current: the conversation's properties so far.
    ///   - fields: the configured fields.
    /// - Returns: the merged properties, `priority` first.
    /// - Throws: `APIError` 400 naming `properties.<name>`.
    public static func merge(_ changes: Fields, into current: JSONObject, fields: [ConversationField])
        throws(APIError) -> JSONObject
    {
        var merged = current
        for (key, value) in changes.object.pairs {
            let path = changes.name(key)
            guard let field = fields.first(where: { $0.name == key }) ?? (key == "priority" ? .priority : nil) else {
                let names = (["priority"] + fields.map(\.name).filter { $0 != "priority" }).joined(separator: ", ")
                throw .badRequest(
                    "\(path) is not a conversation property configured for the account (GET /v2/conversations/fields"
                        + " lists them: \(names))")
            }
            guard field.editable else { throw .badRequest("\(path) is not editable (docs L1803)") }
            if isEmpty(value) {
                guard key != "priority" else {
                    throw .badRequest("\(path) must be one of \(priorities.joined(separator: ", ")) (docs L791)")
                }
                merged[key] = nil
                continue
            }
            try field.check(value, path: path)
            merged[key] = value
        }
        if let priority = merged["priority"] {
            merged["priority"] = nil
            return JSONObject([("priority", priority)] + merged.pairs)
        }
        return merged
    }

    /// The names of the `required` fields without a value in `properties`, in field order.
    public static func emptyRequired(in properties: JSONObject, fields: [ConversationField]) -> [String] {
        fields.filter { $0.required && isEmpty(properties[$0.name] ?? .null) }.map(\.name)
    }

    /// The priority field when the account has none configured (docs L791).
    static let priority = ConversationField(name: "priority", type: "DROPDOWN", choices: priorities)

    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return true
        case .string(let s): return s.allSatisfy(\.isWhitespace)
        case .array(let a): return a.isEmpty
        default: return false
        }
    }

    /// Checks that `value` fits this field's type.
    /// - Throws: `APIError` 400 naming `path`.
    func check(_ value: JSONValue, path: String) throws(APIError) {
        if name == "priority" {
            guard let text = value.stringValue, Self.priorities.contains(text) else {
                throw .badRequest(
                    "\(path) must be one of \(Self.priorities.joined(separator: ", ")) (docs L791), not \(describe(value))"
                )
            }
            return
        }
        switch type {
        case "DROPDOWN":
            guard let text = value.stringValue, choices.contains(text) else {
                throw .badRequest("\(path) must be one of \(choiceList) (a DROPDOWN field), not \(describe(value))")
            }
        case "MULTI_SELECT_DROPDOWN":
            // docs L1337, L1454: "cf_supported_products": ["Freshchat", "Freshdesk"] — an array of choice values.
            guard case .array(let items) = value else {
                throw .badRequest(
                    "\(path) must be an array of \(choiceList) (a MULTI_SELECT_DROPDOWN field), not \(value.typeName)")
            }
            for (index, item) in items.enumerated() {
                guard let text = item.stringValue, choices.contains(text) else {
                    throw .badRequest("\(path)[\(index)] must be one of \(choiceList), not \(describe(item))")
                }
            }
        case "NUMBER":
            // docs L764, L1337: "cf_rating": "5" — a NUMBER field's value is sent as a string of digits or a number.
            guard value.intValue != nil || value.stringValue.map(Self.isInteger) == true else {
                throw .badRequest("\(path) must be a whole number (a NUMBER field), not \(describe(value))")
            }
        case "DECIMAL":
            let isNumber: Bool
            switch value {
            case .integer, .double: isNumber = true
            case .string(let s): isNumber = Double(s).map(\.isFinite) == true
            default: isNumber = false
            }
            guard isNumber else {
                throw .badRequest("\(path) must be a number (a DECIMAL field), not \(describe(value))")
            }
        case "CHECKBOX":
            guard value.boolValue != nil || value.stringValue == "true" || value.stringValue == "false" else {
                throw .badRequest("\(path) must be true or false (a CHECKBOX field), not \(describe(value))")
            }
        case "DATE":
            guard let text = value.stringValue,
                Timestamp.parse(text) != nil || Timestamp.parse(text + "T00:00:00Z") != nil
            else {
                throw .badRequest("\(path) must be a date such as 2024-01-15 (a DATE field), not \(describe(value))")
            }
        default:  // TEXT, PARAGRAPH
            guard value.stringValue != nil else {
                throw .badRequest("\(path) must be a string (a \(type) field), not \(value.typeName)")
            }
        }
    }

    private var choiceList: String { choices.joined(separator: ", ") }

    private func describe(_ value: JSONValue) -> String {
        if let text = value.stringValue { return "'\(text)'" }
        return value.typeName == "number" ? value.serialized() : value.typeName
    }

    private static func isInteger(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.count <= 18 && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
