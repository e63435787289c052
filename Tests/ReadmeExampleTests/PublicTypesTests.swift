import ConfluenceAuthMock
import ConfluenceAuthMockTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The types the README has a reader name (JSON values, TLS options) come with the products
/// alone: this target imports nothing else.
@Suite struct PublicTypesTests {
    static let certificates = ReadmeMirrorTests.root.appendingPathComponent("certs")

    @Test func tlsOptionsAreNamedThroughTheProduct() throws {
        let options = MockServerOptions(tls: .init(certificatePath: Self.certificates.appendingPathComponent("server.pem").path,
                                                   privateKeyPath: Self.certificates.appendingPathComponent("server-key.pem").path),
                                        outboundTLS: .init(caFile: Self.certificates.appendingPathComponent("ca.pem").path))
        try options.outboundTLS.validate()
        #expect(throws: MockServerOptions.TLSError.self) { try MockServerOptions.OutboundTLS(caFile: "/nonexistent/ca.pem").validate() }
        let insecure: MockServerOptions.OutboundTLS = .init(verifyPeer: false)
        #expect(!insecure.verifyPeer && MockServerOptions.TLSConfiguration(certificatePath: "c", privateKeyPath: "k").port == 0)
        let mock = try MockConfluence.start(options: options)
        defer { mock.stop() }
        #expect(mock.tlsBaseURL?.scheme == "https" && mock.tlsBaseURL?.host == "127.0.0.1")
    }

    @Test func jsonValuesAreNamedThroughTheProduct() async throws {
        try await withMockConfluence { mock throws in
            let answer: JSONValue = ["ok": true, "items": [1, 2]]
            try mock.addFault(Scenario.Fault(match: Scenario.FaultMatch(path: "/wiki/rest/api/space", json: ["name": "x"]),
                                    outcome: Scenario.FaultOutcome(respond: Scenario.CannedResponse(status: 200, json: answer))))
            var request = URLRequest(url: URL(string: "\(mock.baseURL)/wiki/rest/api/space")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"name":"x"}"#.utf8)
            let (body, _) = try await URLSession(configuration: .ephemeral).data(for: request)
            #expect(try JSONValue.parse(Array(body)) == answer)
            let entry = try #require(mock.requests().last)
            #expect(entry.json["body"] == #"{"name":"x"}"#)
            #expect(throws: JSONParseError.self) { try JSONValue.parse("{") }
        }
    }
}
