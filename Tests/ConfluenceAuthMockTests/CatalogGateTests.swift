import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP
import Testing
import TestSupport
@testable import ConfluenceAuthMock

/// The gate over the whole operation catalog, through the gateway: for every operation, a token
/// holding exactly its scopes passes and one lacking a scope gets the gateway's 401; a Connect app
/// lacking its Connect scope is refused, and `INACCESSIBLE` always.
@Suite struct CatalogGateTests {
    static let gateway = "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674"
    static let scopeRefusal = #"{"code":401,"message":"Unauthorized; scope does not match"}"#

    /// The default scenario, with a client that may ask for every scope the catalog names and
    /// Alice administering the site.
    static func scenario() throws -> Scenario {
        var json = Scenario.bundledDefault.json
        let scopes = Set(OperationCatalog.shared.operations.flatMap { $0.classicScopes + $0.granularScopes + $0.betaGranularScopes.flatMap { $0 } })
        var clients = json["oauthClients"]?.arrayValue ?? []
        var client = clients[0].objectValue ?? JSONObject()
        client["scopes"] = .array((scopes.sorted() + ["read:me"]).map { .string($0) })
        clients[0] = .object(client)
        var object = json.objectValue ?? JSONObject()
        object["oauthClients"] = .array(clients)
        var users = object["users"]?.arrayValue ?? []
        var alice = users[0].objectValue ?? JSONObject()
        alice["sites"] = ["acme": ["siteAdmin": true, "spaces": ["ENG": ["view", "edit", "delete", "admin"], "HR": ["view"]]]]
        users[0] = .object(alice)
        object["users"] = .array(users)
        json = .object(object)
        return try Scenario.load(json: json.serialized)
    }

    /// The operation's path with each parameter filled in.
    static func path(of operation: OperationCatalog.Operation) -> String {
        operation.path.replacing(/\{[^}]+\}/) { match in match.output == "{spaceKey}" ? "ENG" : "1001" }
    }

    struct Gate {
        let mock: MockConfluence
        let pipeline: RequestPipeline

        init() throws {
            mock = try MockConfluence(scenario: try CatalogGateTests.scenario())
            pipeline = RequestPipeline(state: mock.state, options: MockServerOptions())
        }

        func send(_ operation: OperationCatalog.Operation, authorization: String, qshPath: String? = nil) throws -> HTTPResponse {
            pipeline.respond(to: try HTTPRequest(method: operation.method, target: CatalogGateTests.gateway + CatalogGateTests.path(of: operation),
                                                 headers: ["Authorization": authorization]))
        }

        func bearer(_ scopes: [String]) throws -> String {
            "Bearer " + (try mock.mintToken(MockConfluence.TokenRequest(user: "alice@acme.test", client: "acme-sync-client", scopes: scopes)).accessToken)
        }
    }

    @Test func aTokenWithExactlyTheOperationsScopesPassesAndOneLackingAScopeIsRefused() throws {
        let gate = try Gate()
        for operation in OperationCatalog.shared.operations {
            let sets = [operation.granularScopes, operation.classicScopes].filter { !$0.isEmpty }
            if sets.isEmpty {
                let refused = try gate.send(operation, authorization: try gate.bearer(["read:page:confluence"]))
                #expect(refused.status.code == 401, "\(operation.key) takes no OAuth scope")
                continue
            }
            for scopes in sets {
                let passed = try gate.send(operation, authorization: try gate.bearer(scopes))
                #expect(passed.status.code != 401, "\(operation.key) with \(scopes): \(String(decoding: passed.body, as: UTF8.self))")
                let lacking = Array(scopes.dropLast())
                // A shorter set can still be one of the operation's alternatives.
                guard !([operation.granularScopes, operation.classicScopes] + operation.betaGranularScopes)
                    .contains(where: { !$0.isEmpty && Set($0).isSubset(of: lacking + ScopeCatalog.withImplied(lacking)) }) else { continue }
                let refused = try gate.send(operation, authorization: try gate.bearer(lacking.isEmpty ? ["read:me"] : lacking))
                #expect(refused.status.code == 401 && String(decoding: refused.body, as: UTF8.self) == CatalogGateTests.scopeRefusal,
                        "\(operation.key) without \(scopes.last ?? "")")
            }
        }
    }

    /// The default scenario's Connect app holds READ, WRITE and ACT_AS_USER.
    @Test func aConnectAppIsRefusedWhatItsScopesDoNotCoverAndInaccessibleOperationsAlways() throws {
        let gate = try Gate()
        let held: [ConnectScope] = [.read, .write, .actAsUser]
        for operation in OperationCatalog.shared.operations {
            let path = CatalogGateTests.path(of: operation)
            let now = gate.mock.nowSecondsSince1970
            let claims = JSONObject([("iss", "com.example.addon"), ("iat", .int(Int(now))), ("exp", .int(Int(now + 180))),
                                     ("qsh", .string(QueryStringHash.hash(method: operation.method, url: path, basePath: "/wiki")))])
            let token = try JWT.encode(claims: claims, key: HMACKey(secret: ConnectRequestTests.secret))
            let answer = try gate.pipeline.respond(to: HTTPRequest(method: operation.method, target: path, headers: ["Authorization": "JWT \(token)"]))
            let refusedForScope = answer.headers["X-Mock-Auth-Failure"] == "scope"
            let needed = ConnectScope(rawValue: operation.connectScope)
            let shouldRefuse = operation.connectScope == "INACCESSIBLE" || !(needed?.isImplied(by: held) ?? true)
            #expect(refusedForScope == shouldRefuse, "\(operation.key) needs \(operation.connectScope): \(answer.status)")
            if shouldRefuse { #expect(answer.status.code == 403, "\(operation.key)") }
        }
    }
}
