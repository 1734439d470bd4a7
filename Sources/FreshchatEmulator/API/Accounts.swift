import HTTP
import SQLite

/// The Accounts section of the docs (L143–210): `GET /v2/accounts/configuration`.
struct AccountsAPI {
    let emulator: Emulator

    func register(on router: Router) {
        router.add(.get, "/v2/accounts/configuration", configuration)
    }

    /// Retrieve account information: docs L188, `GET /v2/accounts/configuration`.
    /// docs L205: "A successful request returns a 200 OK along with the retrieved accounts object."
    func configuration(_ request: Request) throws -> Response {
        let doc = try emulator.store.read { db in try db.accountConfiguration() }
        return .json(Array(doc.utf8))
    }
}

extension Database {
    /// The account configuration document (the accounts object, docs L162).
    func accountConfiguration() throws -> String {
        try scalarString("SELECT doc FROM account WHERE id = 1") ?? "{}"
    }
}
