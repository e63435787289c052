import AuthMockFormats
import Foundation
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// `GET /__admin/events`: the journal as Server-Sent Events.
@Suite struct EventStreamTests {
    /// Opens the stream and returns the client and what it read until `enough` holds (or 5 s).
    static func read(_ client: RawClient, until enough: (String) -> Bool) -> String {
        var text = ""
        let deadline = Date().addingTimeInterval(5)
        while !enough(text), Date() < deadline {
            if case .data(let bytes) = client.readSome(timeout: 0.2) { text += String(decoding: bytes, as: UTF8.self) }
        }
        return text
    }

    static func open(_ mock: MockConfluence, _ query: String = "") throws -> RawClient {
        let client = try RawClient(port: try #require(Int(mock.baseURLString.split(separator: ":").last ?? "")))
        client.send("GET /__admin/events\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        return client
    }

    /// The `data` of every `event: NAME` in `text`, parsed.
    static func events(_ name: String, in text: String) -> [JSONValue] {
        text.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n")
            guard lines.contains("event: \(name)"), let data = lines.first(where: { $0.hasPrefix("data: ") }) else { return nil }
            return try? JSONValue.parse(String(data.dropFirst(6)))
        }
    }

    @Test func requestsJournaledAfterTheStreamOpensArriveAsEvents() throws {
        let mock = try MockConfluence.start()
        defer { mock.stop() }
        _ = try ReadResourcesTests.get(mock, "/site/acme/wiki/rest/api/space", as: ReadResourcesTests.alice)  // before: not sent
        let client = try Self.open(mock)
        let head = Self.read(client) { $0.contains("confluence-auth-mock journal") }
        #expect(head.hasPrefix("HTTP/1.1 200 OK") && head.contains("Content-Type: text/event-stream") && !head.contains("Content-Length"))
        _ = try ReadResourcesTests.get(mock, "/site/acme/wiki/rest/api/space", as: ReadResourcesTests.alice)
        _ = try ReadResourcesTests.get(mock, "/site/acme/wiki/rest/api/space", as: "alice@acme.test:wrong")
        let text = Self.read(client) { Self.events("request", in: $0).count >= 2 }
        let sent = Self.events("request", in: text)
        #expect(sent.map { $0["id"]?.intValue ?? 0 } == [2, 3])
        #expect(sent.map { $0["auth"]?["decision"]?.stringValue ?? "" } == ["allowed", "denied"])
        #expect(sent.first == mock.requests().dropFirst().first?.json, "the journal entry's own JSON")
        #expect(text.contains("id: 2\nevent: request\ndata: {"))
    }

    /// `since` replays from an id; what the ring no longer holds is announced as dropped.
    @Test func sinceReplaysAndAGapIsAnnounced() throws {
        let mock = try MockConfluence.start(options: MockServerOptions(journalCapacity: 5))
        defer { mock.stop() }
        for _ in 1...8 { _ = try ReadResourcesTests.get(mock, "/_edge/tenant_info") }
        let client = try Self.open(mock, "?since=2")
        let text = Self.read(client) { Self.events("request", in: $0).count >= 5 }
        #expect(Self.events("dropped", in: text) == [["missed": 2]], "entries 2 and 3 left the ring of 5")
        #expect(Self.events("request", in: text).map { $0["id"]?.intValue ?? 0 } == [4, 5, 6, 7, 8])
    }

    /// A stream ends when the mock stops, without holding the stop up.
    @Test func aStopEndsTheStream() throws {
        let mock = try MockConfluence.start()
        let client = try Self.open(mock)
        _ = Self.read(client) { $0.contains("confluence-auth-mock journal") }
        let started = Date()
        mock.stop()
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(client.readUntilClose(timeout: 2).closed)
    }
}
