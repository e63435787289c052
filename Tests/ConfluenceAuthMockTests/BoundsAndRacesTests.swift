import AuthMockFormats
import AuthMockHTTP
import Dispatch
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Durations that would overflow the times built from them are refused where they enter (a
/// scenario, an admin body, the Swift API), and concurrent writes to one page version do not both win.
@Suite struct BoundsAndRacesTests {
    @Test func tokenDurationsBeyondTenYearsAreRefusedByName() throws {
        var object = try #require(Scenario.bundledDefault.json.objectValue)
        object["tokens"] = .object(JSONObject([("accessTokenLifetime", .int(315_360_001)), ("connectJwtLifetime", .int(Int.max))]))
        let error = #expect(throws: ScenarioError.self) { try Scenario.load(json: JSONValue.object(object).serialized) }
        let messages = error?.issues.map { "\($0.path): \($0.message)" } ?? []
        #expect(messages.contains("tokens.accessTokenLifetime: expected at most 315360000 seconds (ten years), found 315360001"))
        #expect(messages.contains("tokens.connectJwtLifetime: expected at most 315360000 seconds (ten years), found \(Int.max)"))
    }

    @Test func hugeTtlsExpiriesAndClockJumpsAnswer400InsteadOfCrashing() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let jwt = try AdminAPITests.call(mock, "POST", "/__admin/connect/jwt",
                                         body: #"{"app":"com.example.addon","site":"acme","context":true,"ttl":9223372036854775807}"#)
        #expect(jwt.status == 400)
        let minted = try AdminAPITests.call(mock, "POST", "/__admin/tokens", body: #"{"user":"alice@acme.test","client":"acme-sync-client","expiresIn":9223372036854775807}"#)
        #expect(minted.status == 400)
        let clock = try AdminAPITests.call(mock, "POST", "/__admin/clock", body: #"{"advanceSeconds":1e300}"#)
        #expect(clock.status == 400)
        // The same values from Swift are refused too, and the mock still serves.
        #expect(throws: TokenRequestError.self) { try mock.connectJWT(ProductJWTRequest(app: "com.example.addon", site: "acme", context: true, ttl: .max)) }
        #expect(throws: TokenRequestError.self) { try mock.mintToken(TokenRequest(user: "alice@acme.test", client: "acme-sync-client", expiresIn: .max)) }
        #expect(try AdminAPITests.call(mock, "GET", "/__admin/health").status == 200)
    }

    /// Eight updates from the same version at once: exactly one wins, the others get 409.
    @Test func concurrentUpdatesFromOneVersionConflict() throws {
        let state = MockState(scenario: .bundledDefault, journalCapacity: 16)
        let pipeline = SnapshotConsistencyTests.pipeline(state)
        let body = Array(#"{"id":"1001","status":"current","title":"Runbook v2","version":{"number":2},"body":{"representation":"storage","value":"<p>x</p>"}}"#.utf8)
        let request = try HTTPRequest(method: "PUT", target: "/site/acme/wiki/api/v2/pages/1001",
                                      headers: ["Authorization": "Basic " + Base64.encode(Array("alice@acme.test:alice-api-token".utf8)),
                                                "Content-Type": "application/json"], body: body)
        let statuses = Lock<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let status = pipeline.respond(to: request).status.code
            statuses.withLock { $0.append(status) }
        }
        let all = statuses.withLock { $0 }
        #expect(all.filter { $0 == 200 }.count == 1 && all.filter { $0 == 409 }.count == 7, "\(all)")
    }

    /// Requests from many threads past a small journal's capacity: it keeps the newest entries,
    /// numbered without gaps or repeats, while a scenario swap runs beside them.
    @Test func aFullJournalKeepsTheNewestEntriesNumberedInOrder() throws {
        let state = MockState(scenario: .bundledDefault, journalCapacity: 16)
        let pipeline = SnapshotConsistencyTests.pipeline(state)
        let request = try HTTPRequest(method: "GET", target: "/site/acme/wiki/api/v2/pages/1001",
                                      headers: ["Authorization": "Basic " + Base64.encode(Array("alice@acme.test:alice-api-token".utf8))])
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            if index == 100 { state.replace(with: .bundledDefault) }
            _ = pipeline.respond(to: request)
        }
        let entries = state.requests(JournalFilter())
        #expect(entries.map(\.id) == Array(185...200))
        #expect(entries.allSatisfy { $0.status == 200 && $0.path == "/site/acme/wiki/api/v2/pages/1001" })
    }

    /// What fault matching reads from credentials that do not verify: an empty Bearer header is no
    /// credential (the body's client_id names the caller), and Basic without a colon names its text.
    @Test func faultMatchingNamesWhoTheRequestSaysItIs() throws {
        let snapshot = MockState(scenario: .bundledDefault, journalCapacity: 1).snapshot(bearer: nil)
        func view(_ authorization: String, body: String = "") throws -> FaultRequest {
            let request = try HTTPRequest(method: "POST", target: "/oauth/token",
                                          headers: ["Authorization": authorization, "Content-Type": "application/x-www-form-urlencoded"], body: Array(body.utf8))
            return FaultRequest(request, sitePath: request.path, credential: Credential.parse(request), snapshot: snapshot)
        }
        let emptyBearer = try view("Bearer ", body: "grant_type=client_credentials&client_id=c1")
        #expect(emptyBearer.auth == .noCredential && emptyBearer.principals == ["c1"])
        let noColon = try view("Basic " + Base64.encode(Array("alice@acme.test".utf8)))
        #expect(noColon.auth == .basic && noColon.principals.contains("alice@acme.test"))
    }
}
