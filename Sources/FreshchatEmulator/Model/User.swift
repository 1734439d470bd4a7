/// A user: one of the organization's customers who converse with it through Freshchat (docs L207). Fields
/// carry the docs' attribute names (the user object, docs L219–271).
///
/// `json` writes the attributes in the order of the docs' user object example (docs L248). The scalar
/// strings a client supplies (`email`, `first_name`, `last_name`, `org_contact_id`, `phone`, `reference_id`)
/// are omitted when the user has none, as the docs' fetch example omits `restore_id` for a user without one
/// (docs L485); `avatar` and `properties` are always present, empty when unset, as the list example shows
/// `"avatar": {}` (docs L410).
struct User: Sendable, Equatable {
    /// docs L255–257: "avatar object Image used as the display picture in the user’s profile. … url (string)".
    struct Avatar: Sendable, Equatable {
        /// docs L257: "url (string): Link from which the image is fetched."
        var url: String?
    }

    /// A custom property, docs L265–268: "name (string): Name of the custom property. value (string): Value
    /// of the custom property."
    struct Property: Sendable, Equatable {
        /// The custom property's name.
        var name: String
        /// The custom property's value; nil when the client sent none.
        var value: String?
    }

    /// docs L252: "Identifier of the user object, auto-generated when a user record is created".
    var id: String
    /// docs L253, epoch milliseconds.
    var createdTime: Int64
    /// docs L254, epoch milliseconds.
    var updatedTime: Int64
    /// docs L255.
    var avatar: Avatar
    /// docs L258.
    var email: String?
    /// docs L259.
    var firstName: String?
    /// docs L260.
    var lastName: String?
    /// docs L261: "Specifies whether the user is logged into the Freshchat system."
    var loginStatus: Bool
    /// docs L263: "Organization-level identifier of the user."
    var orgContactID: String?
    /// docs L264.
    var phone: String?
    /// docs L265.
    var properties: [Property]
    /// docs L269.
    var referenceID: String?
    /// docs L270: "Unique identifier of the user … This attribute value is returned as part of the response to
    /// the create a user API call."
    var restoreID: String?

    /// The user object, in the order of the docs' example (docs L248).
    var json: JSONValue {
        // Written as pairs (the keys are distinct): the object's subscript would search the keys so far each time.
        var pairs: [(String, JSONValue)] = []
        pairs.reserveCapacity(13)
        pairs.append(("id", .string(id)))
        pairs.append(("created_time", .string(Timestamp.format(createdTime))))
        pairs.append(("updated_time", .string(Timestamp.format(updatedTime))))
        pairs.append(("avatar", .object(JSONObject(avatar.url.map { [("url", .string($0))] } ?? []))))
        if let email { pairs.append(("email", .string(email))) }
        if let firstName { pairs.append(("first_name", .string(firstName))) }
        if let lastName { pairs.append(("last_name", .string(lastName))) }
        pairs.append(("login_status", .bool(loginStatus)))
        if let orgContactID { pairs.append(("org_contact_id", .string(orgContactID))) }
        if let phone { pairs.append(("phone", .string(phone))) }
        pairs.append(("properties", .array(properties.map(\.json))))
        if let referenceID { pairs.append(("reference_id", .string(referenceID))) }
        if let restoreID { pairs.append(("restore_id", .string(restoreID))) }
        return .object(JSONObject(pairs))
    }
}

extension User.Property {
    /// `{"name": …, "value": …}`, without `value` when there is none.
    var json: JSONValue {
        var object: JSONObject = ["name": .string(name)]
        object["value"] = value.map { .string($0) }
        return .object(object)
    }
}

extension User {
    /// The search criteria of `GET /v2/users` (docs L283–332): every set criterion must hold. Timestamps are
    /// epoch milliseconds; `…From` bounds are inclusive, `…To` bounds exclusive.
    struct Filter: Sendable, Equatable {
        var firstName: String?
        var lastName: String?
        var email: String?
        var referenceID: String?
        /// The `phone_no` query parameter, matched against the `phone` attribute (docs L302).
        var phone: String?
        var createdFrom: Int64?
        var createdTo: Int64?
        var updatedFrom: Int64?
        var updatedTo: Int64?
    }

    /// The attributes `PUT /v2/users/{user_id}` may change (docs L579); nil keeps the current value (L578).
    struct Changes: Sendable, Equatable {
        var email: String?
        var firstName: String?
        var lastName: String?
        var phone: String?
    }
}

extension User.Changes {
    /// The `user.update` job's payload: the user's id and the attributes to change.
    func json(userID: String) -> JSONValue {
        var object: JSONObject = ["user_id": .string(userID)]
        object["email"] = email.map { .string($0) }
        object["first_name"] = firstName.map { .string($0) }
        object["last_name"] = lastName.map { .string($0) }
        object["phone"] = phone.map { .string($0) }
        return .object(object)
    }

    /// Reads the changes back from a `user.update` job's payload.
    init(json: JSONValue) {
        self.init(
            email: json["email"]?.stringValue, firstName: json["first_name"]?.stringValue,
            lastName: json["last_name"]?.stringValue, phone: json["phone"]?.stringValue)
    }
}
