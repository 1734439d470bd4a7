import HTTP
import Testing

@testable import FreshchatEmulator

/// The Accounts section (docs L143–210).
@Suite struct AccountsTests {
    // docs L205: "A successful request returns a 200 OK along with the retrieved accounts object."
    @Test(arguments: TestMode.allCases)
    func configuration_ReturnsTheAccountsObject(mode: TestMode) throws {
        let emulator = try TestEmulator().client(mode)
        let response = emulator.send(.get, "/v2/accounts/configuration")
        #expect(response.code == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        guard case .object(let object) = response.json else {
            Issue.record("not an object: \(response.text)")
            return
        }
        // docs L167–183: the attribute table, with types.
        #expect(
            object.keys == [
                "organisation_id", "organisation_domain", "account_id", "account_domain", "app_id", "bundle_id",
                "bundle_type", "plan_type", "datacenter",
            ])
        for key in ["organisation_id", "account_id", "bundle_id"] {
            guard case .integer = object[key] else {
                Issue.record("\(key) must be an integer")
                continue
            }
        }
        for key in ["organisation_domain", "account_domain", "app_id", "bundle_type", "plan_type", "datacenter"] {
            #expect(object[key]?.stringValue != nil, "\(key) must be a string")
        }
        // docs L179: "Possible values: freshchat, sales 360, and support360."; L183: "US, EUC, AUS, IND and US2."
        #expect(["freshchat", "sales 360", "support360"].contains(object["bundle_type"]?.stringValue ?? ""))
        #expect(["US", "EUC", "AUS", "IND", "US2"].contains(object["datacenter"]?.stringValue ?? ""))
    }

    @Test func configuration_ComesFromTheSeed() throws {
        let custom =
            #"{"organisation_id":1,"organisation_domain":"o","account_id":2,"account_domain":"a","#
            + #""app_id":"x","bundle_id":0,"bundle_type":"freshchat","plan_type":"Free","datacenter":"EUC"}"#
        let emulator = try TestEmulator(seed: Seed(files: ["account.json": custom]))
        #expect(emulator.send(.get, "/v2/accounts/configuration").text == custom)
    }

    @Test(arguments: TestMode.allCases)
    func configuration_RefusesOtherMethods(mode: TestMode) throws {
        let emulator = try TestEmulator().client(mode)
        let response = emulator.send(.post, "/v2/accounts/configuration", body: "{}")
        expectError(response, 405, "METHOD_NOT_ALLOWED")
        #expect(response.headers["Allow"] == "GET, HEAD")
    }

    // Real clients join a base URL ending in "/" with "/v2/…": repeated slashes are collapsed.
    @Test(arguments: TestMode.allCases)
    func configuration_IsFound_WithRepeatedSlashes(mode: TestMode) throws {
        let emulator = try TestEmulator().client(mode)
        #expect(emulator.send(.get, "//v2//accounts/configuration").code == 200)
        #expect(emulator.send(.get, "/v2/accounts/configuration?items_per_page=5&per_page=3").code == 200)
    }

    // A body or a JSON Content-Type on a GET is ignored.
    @Test func configuration_IgnoresABodyOnGet() throws {
        let emulator = try TestEmulator()
        #expect(emulator.send(.get, "/v2/accounts/configuration", body: "not json").code == 200)
    }
}
