import AuthMockFormats
import AuthMockHTTP
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// Scenario wire faults as real clients see them, through the mock: curl's exit codes and
/// URLSession's errors; other clients keep being served throughout.
@Suite struct FaultWireTests {
    static let page = "/wiki/rest/api/content/1001"

    /// The default scenario with one fault on the page route.
    static func mock(_ wire: WireFaultKind, bytesPerSecond: Int? = nil) throws -> MockConfluence {
        var scenario = Scenario.bundledDefault
        scenario.faults = [Fault(name: "broken \(wire.rawValue)", match: FaultMatch(path: page),
                                 outcome: FaultOutcome(wire: wire, bytesPerSecond: bytesPerSecond))]
        return try MockConfluence.start(scenario: scenario)
    }

    /// curl's exit codes: 56 receive failure (reset), 52 empty reply, 1 or 8 not HTTP, 18 partial body, 28 timeout.
    @Test(arguments: [(WireFaultKind.reset, [Int32(56)]), (.close, [52]), (.garbage, [1, 8]), (.truncate, [18])])
    func curlSeesEachWireFault(kind: WireFaultKind, exitCodes: [Int32]) throws {
        let mock = try Self.mock(kind)
        defer { mock.stop() }
        let result = try runProcess("curl", ["-sS", "--max-time", "10", "-u", ReadResourcesTests.alice, "\(mock.baseURLString)\(Self.page)"])
        #expect(exitCodes.contains(result.status), "\(kind): curl exited \(result.status): \(result.stderr)")
        let entry = try #require(mock.requests().last)
        #expect(entry.fault == "broken \(kind.rawValue)")
        #expect(entry.status == (kind == .truncate ? 200 : 0), "the journal records 0 when no status line was sent")
        #expect(try ReadResourcesTests.get(mock, "/wiki/rest/api/space", as: ReadResourcesTests.alice).status == 200, "other routes keep serving")
    }

    @Test func slowDribblesTheBodyPastAClientTimeout() throws {
        let mock = try Self.mock(.slow, bytesPerSecond: 200)
        defer { mock.stop() }
        let cut = try runProcess("curl", ["-sS", "--max-time", "0.5", "-u", ReadResourcesTests.alice, "\(mock.baseURLString)\(Self.page)"])
        #expect(cut.status == 28, "curl gives up on a body that arrives at 200 bytes/s")
        let started = Date()
        let otherServedAt = Lock<Date?>(nil)
        Thread.detachNewThread {
            _ = try? ReadResourcesTests.get(mock, "/wiki/rest/api/space", as: ReadResourcesTests.alice)
            otherServedAt.withLock { $0 = Date() }
        }
        let patient = try runProcess("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-u", ReadResourcesTests.alice,
                                             "\(mock.baseURLString)/wiki/rest/api/content/1001?expand=version"])
        let servedAt = try #require(otherServedAt.withLock { $0 })
        #expect(servedAt.timeIntervalSince(started) < 1, "another client is served while the slow body dribbles")
        let size = Int(patient.stdout.split(separator: " ").last ?? "") ?? 0
        #expect(patient.stdout.hasPrefix("200") && size > 200)
        #expect(Date().timeIntervalSince(started) >= Double(size) / 200 * 0.8, "\(size) bytes at 200 B/s cannot arrive sooner")
    }

    /// URLSession on Linux (libcurl underneath) reports each fault as an error, never as a response.
    /// `slow` is left to curl: on Linux neither URLRequest's timeout (an idle timeout) nor the
    /// session's `timeoutIntervalForResource` ended a dribbled body within a minute (measured).
    @Test(arguments: [WireFaultKind.reset, .close, .garbage, .truncate])
    func urlSessionFailsOnEachWireFault(kind: WireFaultKind) async throws {
        let mock = try Self.mock(kind)
        defer { mock.stop() }
        var request = URLRequest(url: URL(string: "\(mock.baseURLString)\(Self.page)")!)
        request.setValue("Basic " + Data(ReadResourcesTests.alice.utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let session = URLSession(configuration: .ephemeral)
        let error = await #expect(throws: URLError.self) { _ = try await session.data(for: request) }
        #expect(error.map { Self.expectedCodes[kind]!.contains($0.code) } == true, "\(kind): \(String(describing: error?.code))")
    }

    /// What URLSession reports per fault. On Linux FoundationNetworking maps libcurl's errors:
    /// garbage fails as curl's "unsupported protocol" (`unsupportedURL`) and a short body as
    /// curl's partial file, which has no URLError of its own (`unknown`); Darwin's names come first.
    /// URLSession waits out a dribbled body: the answer is whole, and late.
    @Test func urlSessionReceivesASlowBodyLate() async throws {
        let mock = try Self.mock(.slow, bytesPerSecond: 400)
        defer { mock.stop() }
        var request = URLRequest(url: URL(string: "\(mock.baseURLString)\(Self.page)")!)
        request.setValue("Basic " + Data(ReadResourcesTests.alice.utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let started = Date()
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect((try? JSONValue.parse(Array(data)))?["title"] == "Runbook", "the whole body arrives")
        #expect(Date().timeIntervalSince(started) >= Double(data.count) / 400 * 0.8, "\(data.count) bytes at 400 B/s")
    }

    static let expectedCodes: [WireFaultKind: [URLError.Code]] = [
        .reset: [.networkConnectionLost, .cannotParseResponse], .close: [.networkConnectionLost, .zeroByteResource, .badServerResponse],
        .garbage: [.badServerResponse, .cannotParseResponse, .unsupportedURL], .truncate: [.networkConnectionLost, .cannotParseResponse, .unknown],
    ]
}
