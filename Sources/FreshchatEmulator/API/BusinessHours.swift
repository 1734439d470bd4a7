import HTTP

/// The Business Hours section of the docs (L4252–4292).
struct BusinessHoursAPI {
    let emulator: Emulator

    /// Routes, spelled as in the docs (L4258, L4265).
    func register(on router: Router) {
        router.add(.get, "/v2/business-hours/within-bh", withinBusinessHours)
    }

    // MARK: - Verify whether a group is within business hours

    /// docs L4291: with_in_business_hours "Default value: true".
    static let defaultAnswer = true

    /// Verify whether a group is within business hours: docs L4260, `GET /v2/business-hours/within-bh`.
    /// docs L4279: "A successful request returns 200 OK along with a boolean verification." (L4285:
    /// `{ "with_in_business_hours": false }`).
    func withinBusinessHours(_ request: Request) throws -> Response {
        // docs L4269: "If no group_id is specified, the API call returns a default response." An empty value names no
        // group either.
        guard let groupID = request.query["group_id"], !groupID.isEmpty else { return Self.answer(Self.defaultAnswer) }
        let hours = try emulator.store.read { db in
            // The docs do not say what an unknown group gives; it is not a group, so 404 as for other resources.
            guard try db.groupExists(id: groupID) else { throw APIError.groupNotFound }
            return try db.businessHours(groupID: groupID)
        }
        // docs L4292: "If business hours are not configured for the group … the API call returns the default value."
        guard let hours else { return Self.answer(Self.defaultAnswer) }
        let zone: ZoneInfo
        do {
            zone = try ZoneInfo.load(hours.timezone)
        } catch {
            throw APIError(
                .internalServerError, message: "business hours of group \(groupID): \(error.description)")
        }
        // docs L4289: "whether the group is within the business hours at the instant when the group’s business hours
        // is verified" — now, by the emulator's clock, in the group's time zone.
        return Self.answer(hours.isOpen(atMillis: emulator.clock.now(), in: zone))
    }

    private static func answer(_ within: Bool) -> Response {
        .json(JSONValue.object(["with_in_business_hours": .bool(within)]).bytes)
    }
}
