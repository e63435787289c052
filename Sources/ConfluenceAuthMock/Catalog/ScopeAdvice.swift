import AuthMockFormats

extension MockConfluence {
    /// The smallest scope sets that would have allowed every catalog operation one caller called,
    /// from the journal (docs/catalog.md "Scope advice"): run a test suite against the mock, then
    /// ask for exactly the scopes it needed.
    public struct ScopeAdvice: Sendable, Equatable {
        /// One operation the caller called.
        public struct Operation: Sendable, Equatable {
            public let operationId: String
            /// `v1` or `v2`.
            public let api: String
            public let method: String
            /// The operation's path template.
            public let path: String
            /// How many calls the journal holds.
            public let count: Int
            /// Whether every one of those calls was allowed.
            public let allowed: Bool
        }

        /// Classic scopes covering every operation; `nil` when none can (classic scopes never
        /// open v2, and a few v1 operations take granular scopes only).
        public let classic: [String]?
        /// Granular scopes covering every operation, taking for each the alternative set that adds
        /// the fewest scopes.
        public let granular: [String]
        /// The Connect scope an app would need: the highest on the ladder, or `nil` when no call
        /// needed one. `INACCESSIBLE` when some operation is closed to Connect apps.
        public let connect: String?
        public let operations: [Operation]

        /// `{"classic", "granular", "connect", "operations"}`, as `GET /__admin/scopes` answers.
        public var json: JSONValue {
            .object(JSONObject([
                ("classic", classic.map { .array($0.map { .string($0) }) } ?? .null), ("granular", .array(granular.map { .string($0) })),
                ("connect", connect.map { .string($0) } ?? .null),
                ("operations", .array(operations.map {
                    .object(JSONObject([("operationId", .string($0.operationId)), ("api", .string($0.api)), ("method", .string($0.method)),
                                        ("path", .string($0.path)), ("count", .int($0.count)), ("allowed", .bool($0.allowed))]))
                })),
            ]))
        }

        /// The advice for the catalog operations among `entries`.
        init(entries: [JournalEntry], catalog: OperationCatalog = .shared) {
            var calls: [(operation: OperationCatalog.Operation, count: Int, allowed: Bool)] = []
            var position: [String: Int] = [:]
            for entry in entries {
                guard let key = entry.operationKey else { continue }
                let allowed = entry.auth.decision == .allowed && (200..<400).contains(entry.status)
                if let index = position[key] {
                    calls[index].count += 1
                    calls[index].allowed = calls[index].allowed && allowed
                } else if let operation = catalog.operation(key: key) {
                    position[key] = calls.count
                    calls.append((operation, 1, allowed))
                }
            }
            calls.sort { ($0.operation.api, $0.operation.path, $0.operation.method) < ($1.operation.api, $1.operation.path, $1.operation.method) }
            let needed = calls.map(\.operation)
            classic = Self.classic(needed)
            granular = Self.granular(needed)
            connect = Self.connect(needed)
            operations = calls.map {
                Operation(operationId: $0.operation.operationId, api: $0.operation.api, method: $0.operation.method, path: $0.operation.path,
                          count: $0.count, allowed: $0.allowed)
            }
        }

        private static func classic(_ operations: [OperationCatalog.Operation]) -> [String]? {
            guard !operations.contains(where: \.classicScopes.isEmpty) else { return nil }
            let union = Set(operations.flatMap(\.classicScopes))
            // A scope another held scope implies is not needed on its own.
            let implied = Set(union.flatMap { ScopeCatalog.implied[$0] ?? [] })
            return union.subtracting(implied).sorted()
        }

        private static func granular(_ operations: [OperationCatalog.Operation]) -> [String] {
            let choices = operations.map { ([$0.granularScopes] + $0.betaGranularScopes).filter { !$0.isEmpty } }
            // Operations with one way in fix their scopes; each of the others then takes the
            // alternative that adds the fewest.
            var chosen = Set(choices.filter { $0.count == 1 }.flatMap { $0[0] })
            for alternatives in choices where alternatives.count > 1 {
                guard !alternatives.contains(where: { Set($0).isSubset(of: chosen) }) else { continue }
                let best = alternatives.min { Set($0).subtracting(chosen).count < Set($1).subtracting(chosen).count } ?? []
                chosen.formUnion(best)
            }
            return chosen.sorted()
        }

        private static func connect(_ operations: [OperationCatalog.Operation]) -> String? {
            if operations.contains(where: { $0.connectScope == "INACCESSIBLE" }) { return "INACCESSIBLE" }
            let scopes = operations.compactMap { ConnectScope(rawValue: $0.connectScope) }.filter { $0 != .none }
            return ConnectScope.ladderTop(of: scopes)?.rawValue
        }
    }

    /// Scope advice for the requests the journal holds from OAuth client, Connect app or Forge app
    /// `client` (its id or key), those at or after `since` (scenario-clock seconds) when given.
    public func scopeAdvice(client: String, since: Double? = nil) -> ScopeAdvice {
        state.scopeAdvice(JournalFilter(client: client), since: since)
    }

    /// Scope advice for the requests the journal holds from `principal` (an account id or email).
    public func scopeAdvice(principal: String, since: Double? = nil) -> ScopeAdvice {
        state.scopeAdvice(JournalFilter(principal: principal), since: since)
    }
}

extension MockState {
    func scopeAdvice(_ filter: JournalFilter, since: Double?) -> MockConfluence.ScopeAdvice {
        MockConfluence.ScopeAdvice(entries: requests(filter).filter { entry in since.map { entry.time >= $0 } ?? true })
    }
}
