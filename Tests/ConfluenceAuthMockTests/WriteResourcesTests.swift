import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Writes change the running content; permissions, version checks and reset apply.
@Suite struct WriteResourcesTests {
    static func send(_ mock: MockConfluence, _ method: String, _ path: String, as credentials: String, json: String? = nil) throws -> (status: Int, body: String) {
        var arguments = ["-sS", "-X", method, "-u", credentials, "-o", "-", "-w", "\n%{http_code}", "\(mock.baseURLString)\(path)"]
        if let json { arguments += ["-H", "Content-Type: application/json", "--data-binary", json] }
        let output = try runProcess("curl", arguments).stdout
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    static let alice = ReadResourcesTests.alice, bob = ReadResourcesTests.bob

    @Test func v1CreateReadUpdateDeleteAndReset() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let create = #"{"type":"page","title":"Postmortem","space":{"key":"ENG"},"body":{"storage":{"value":"<p>It broke.</p>","representation":"storage"}}}"#
        let (status, body) = try Self.send(mock, "POST", "/wiki/rest/api/content", as: Self.alice, json: create)
        #expect(status == 200)
        let created = try JSONValue.parse(body)
        let id = try #require(created["id"]?.stringValue)
        #expect(Int(id)! > 2001 && created["version"]?["number"] == 1)
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/content/\(id)?expand=body.storage", as: Self.bob).json?["body"]?["storage"]?["value"] == "<p>It broke.</p>")

        let duplicate = try Self.send(mock, "POST", "/wiki/rest/api/content", as: Self.alice, json: create)
        #expect(duplicate.status == 400 && duplicate.body.contains("A page with this title already exists"))

        let stale = try Self.send(mock, "PUT", "/wiki/rest/api/content/\(id)", as: Self.alice, json: #"{"version":{"number":1},"title":"Postmortem","type":"page"}"#)
        #expect(stale.status == 409)
        #expect(stale.body == #"{"statusCode":409,"message":"com.atlassian.confluence.api.service.exceptions.ConflictException: Version must be incremented on update. Current version is: 1"}"#)
        let update = #"{"version":{"number":2},"title":"Postmortem (final)","type":"page","body":{"storage":{"value":"<p>Fixed.</p>","representation":"storage"}}}"#
        let updated = try JSONValue.parse(try Self.send(mock, "PUT", "/wiki/rest/api/content/\(id)", as: Self.alice, json: update).body)
        #expect(updated["version"]?["number"] == 2 && updated["title"] == "Postmortem (final)")

        #expect(try Self.send(mock, "DELETE", "/wiki/rest/api/content/\(id)", as: Self.alice).status == 204)
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/content/\(id)", as: Self.alice).status == 404)
        #expect(try Self.send(mock, "DELETE", "/wiki/rest/api/content/1001", as: Self.alice).status == 204)
        mock.reset()
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/content/1001", as: Self.alice).status == 200, "reset restores the scenario's pages")
    }

    @Test func v1WritesNeedTheirPermission() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let denied = try Self.send(mock, "POST", "/wiki/rest/api/content", as: Self.bob, json: #"{"type":"page","title":"Nope","space":{"key":"ENG"}}"#)
        #expect(denied.status == 403)
        #expect(denied.body == #"{"statusCode":403,"data":{"authorized":false,"valid":true,"errors":[],"successful":false},"message":"com.atlassian.confluence.api.service.exceptions.PermissionException: Could not create content with type page"}"#)
        #expect(try Self.send(mock, "DELETE", "/wiki/rest/api/content/1001", as: Self.bob).status == 403)
        #expect(try Self.send(mock, "PUT", "/wiki/rest/api/content/1001", as: Self.bob, json: #"{"type":"page","version":{"number":2},"title":"x"}"#).status == 403)
        let journal = mock.requests(JournalFilter(method: "POST", path: "/wiki/rest/api/content")).first?.auth
        #expect(journal?.decision == .denied && journal?.reason == "no edit permission on space ENG")

        #expect(try Self.send(mock, "PUT", "/wiki/rest/api/space/ENG", as: Self.bob, json: #"{"name":"Mine"}"#).status == 403)
        let renamed = try Self.send(mock, "PUT", "/wiki/rest/api/space/ENG", as: Self.alice, json: #"{"name":"Platform Engineering"}"#)
        #expect(try renamed.status == 200 && JSONValue.parse(renamed.body)["name"] == "Platform Engineering")
        #expect(try ReadResourcesTests.get(mock, "/wiki/api/v2/spaces/98306", as: Self.bob).json?["name"] == "Platform Engineering")
        #expect(try Self.send(mock, "POST", "/wiki/rest/api/content", as: Self.alice, json: "not json").status == 400)
    }

    @Test func v2CreateUpdateDelete() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        let (status, body) = try Self.send(mock, "POST", "/wiki/api/v2/pages", as: Self.alice,
                                           json: #"{"spaceId":"98306","status":"current","title":"Design","body":{"representation":"storage","value":"<p>v1</p>"}}"#)
        #expect(status == 200)
        let page = try JSONValue.parse(body)
        let id = try #require(page["id"]?.stringValue)
        #expect(page["spaceId"] == "98306" && page["version"]?["number"] == 1)
        let conflict = try Self.send(mock, "PUT", "/wiki/api/v2/pages/\(id)", as: Self.alice, json: #"{"id":"x","status":"current","title":"Design","body":{"representation":"storage","value":"<p>v5</p>"},"version":{"number":5}}"#)
        #expect(conflict.status == 409)
        #expect(conflict.body == #"{"errors":[{"status":409,"code":"CONFLICT","title":"Version must be incremented on update. Current version is: 1","detail":null}]}"#)
        let update = #"{"id":"\#(id)","status":"current","title":"Design","body":{"representation":"storage","value":"<p>v2</p>"},"version":{"number":2}}"#
        #expect(try Self.send(mock, "PUT", "/wiki/api/v2/pages/\(id)", as: Self.alice, json: update).status == 200)
        let read = try ReadResourcesTests.get(mock, "/wiki/api/v2/pages/\(id)?body-format=storage", as: Self.bob).json
        #expect(read?["body"]?["storage"]?["value"] == "<p>v2</p>" && read?["version"]?["number"] == 2)
        let forbidden = try Self.send(mock, "DELETE", "/wiki/api/v2/pages/\(id)", as: Self.bob)
        #expect(forbidden.status == 403 && forbidden.body == #"{"errors":[{"status":403,"code":"FORBIDDEN","title":"Forbidden","detail":null}]}"#)
        #expect(try Self.send(mock, "DELETE", "/wiki/api/v2/pages/\(id)", as: Self.alice).status == 204)
        #expect(try ReadResourcesTests.get(mock, "/wiki/api/v2/pages/\(id)", as: Self.alice).status == 404)
    }
}
