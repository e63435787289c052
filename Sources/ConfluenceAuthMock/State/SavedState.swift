import AuthMockFormats

/// A mock's run-time state as one JSON document (docs/state.md): what `serve --state FILE` saves
/// and restores, `GET`/`PUT /__admin/state` export and import, and `MockConfluence.exportState()`
/// / `importState(_:)` return and take. It holds the scenario in effect, the clock, the signing
/// keys, codes, tokens, refresh families and consents, content written through the API, what
/// Connect lifecycle hooks changed, the faults with their counters, rate-limit windows and CAPTCHA
/// counts. The journal and the record of Forge invocations are diagnostics and are not kept.
enum SavedState {
    /// The `format` member every saved state carries, and the version this build reads and writes.
    static let format = "confluence-auth-mock state"
    static let version = 1

    /// Seconds since 1970 from 0000-01-01 to 9999-12-31T23:59:59Z.
    static let times = -62_167_219_200.0...253_402_300_799.0

    static let keys = ["format", "version", "savedAt", "scenario", "clock", "keys", "tokens", "content", "connect",
                       "faults", "nextFaultId", "faultCounters", "rateWindows", "basicAuthFailures"]
}

extension MockConfluence {
    /// A saved state that cannot be restored, with every problem found. Each line reads
    /// `FILE: PATH: MESSAGE`, e.g. `state.json: tokens.accessTokens[3].grant.expiresAt: expected a number, found string`.
    public struct StateError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The file's path as given, or `nil` for a state from the admin API or a Swift value.
        public let file: String?
        public let issues: [ScenarioIssue]

        public init(file: String?, issues: [ScenarioIssue]) {
            self.file = file
            self.issues = issues
        }

        /// One line per issue, as a scenario's problems are printed.
        public var lines: [String] { ScenarioError(file: file, issues: issues).lines }

        public var description: String { lines.joined(separator: "\n") }
    }
}

private typealias StateError = MockConfluence.StateError

extension MockState.Storage {
    /// The saved state, taken at `wallNow` (wall-clock seconds).
    func savedJSON(wallNow: Double) -> JSONValue {
        func sortedObject<T>(_ values: [String: T], _ json: (T) -> JSONValue) -> JSONValue {
            .object(JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) }))
        }
        let clock: JSONValue = ["now": .double(self.clock.now(realNow: wallNow)), "frozen": .bool(self.clock.frozen), "wallTime": .double(wallNow)]
        return .object(JSONObject([
            ("format", .string(SavedState.format)), ("version", .int(SavedState.version)),
            ("savedAt", .string(ISO8601.format(wallNow, milliseconds: true))),
            ("scenario", scenario.json), ("clock", clock), ("keys", keys.savedJSON),
            ("tokens", tokens.archive.savedJSON), ("content", content.savedJSON), ("connect", connect.savedJSON),
            ("faults", .array(faults.map(\.json))), ("nextFaultId", .int(nextFaultID)),
            ("faultCounters", sortedObject(faultCounters, \.savedJSON)), ("rateWindows", sortedObject(rateWindows, \.savedJSON)),
            ("basicAuthFailures", sortedObject(basicAuthFailures) { .int($0) }),
        ]))
    }

    /// The storage a saved state describes, read at `wallNow`, or every problem found in it.
    /// A running clock has moved on by the wall time since the state was saved; a frozen one has not.
    static func restored(from value: JSONValue, wallNow: Double) -> Result<Self, MockConfluence.StateError> {
        let issues = IssueCollector()
        let root = JSONNode(value: value, path: .root, issues: issues)
        guard let object = root.object(keys: SavedState.keys) else { return .failure(StateError(file: nil, issues: issues.issues)) }
        if let format = object.required("format"), format.string != SavedState.format, format.value.stringValue != nil {
            format.report("expected \"\(SavedState.format)\"")
        }
        if let version = object.required("version"), let number = version.int, number != SavedState.version {
            version.report("version \(number) cannot be read by this build, which reads version \(SavedState.version)")
        }
        _ = object.optional("savedAt")?.string
        guard issues.issues.isEmpty, let scenarioNode = object.required("scenario") else { return .failure(StateError(file: nil, issues: issues.issues)) }
        let scenario: Scenario
        do throws(ScenarioError) {
            scenario = try Scenario.decode(scenarioNode.value)
        } catch {
            return .failure(StateError(file: nil, issues: error.issues.map { ScenarioIssue(path: "scenario" + ($0.path == "$" ? "" : "." + $0.path), message: $0.message) }))
        }
        var storage = Self(scenario)
        storage.read(object, wallNow: wallNow)
        return issues.issues.isEmpty ? .success(storage) : .failure(StateError(file: nil, issues: issues.issues))
    }

    /// Reads every part but the scenario into this storage; problems go to `object`'s collector.
    private mutating func read(_ object: ObjectReader, wallNow: Double) {
        if let clock = object.required("clock").flatMap({ Self.clock($0, wallNow: wallNow) }) { self.clock = clock }
        if let keys = object.required("keys").flatMap(SigningKeys.init(saved:)) { self.keys = keys }
        if let archive = object.required("tokens").flatMap(TokenStore.Archive.init(saved:)) { tokens = TokenStore(archive) }
        if let content = object.required("content").flatMap(ContentStore.init(saved:)) { self.content = content }
        if let connect = object.required("connect").flatMap(ConnectRuntime.init(saved:)) { self.connect = connect }
        if let faults = object.required("faults").flatMap({ readFaults($0) }) { self.faults = faults }
        if let next = object.required("nextFaultId")?.count(atLeast: 1) { nextFaultID = next }
        if let counters = object.required("faultCounters")?.map(FaultCounter.init(saved:)) { faultCounters = counters }
        if let windows = object.required("rateWindows")?.map(RateWindow.init(saved:)) { rateWindows = windows }
        if let failures = object.required("basicAuthFailures")?.map({ $0.count(atLeast: 0) }) { basicAuthFailures = failures }
    }

    private static func clock(_ node: JSONNode, wallNow: Double) -> ScenarioClock? {
        guard let object = node.object(keys: ["now", "frozen", "wallTime"]) else { return nil }
        let now = object.required("now")?.time, frozen = object.required("frozen")?.bool, wallTime = object.required("wallTime")?.time
        guard let now, let frozen, let wallTime else { return nil }
        let resumed = frozen ? now : min(now + max(0, wallNow - wallTime), SavedState.times.upperBound)
        return ScenarioClock(ClockSettings(start: resumed, frozen: frozen), realNow: wallNow)
    }

    /// The faults with their ids, each checked as `POST /__admin/faults` checks one.
    private func readFaults(_ node: JSONNode) -> [StoredFault]? {
        node.array { element -> StoredFault? in
            guard var object = element.value.objectValue else {
                element.report("expected an object, found \(element.value.typeName)")
                return nil
            }
            guard let id = object["id"]?.stringValue, !id.isEmpty else {
                element.report("missing required key \"id\" (a non-empty string)")
                return nil
            }
            object["id"] = nil
            guard let fault = Fault(JSONNode(value: .object(object), path: element.path, issues: element.issues)) else { return nil }
            var check = scenario
            check.faults = [fault]
            do throws(ScenarioError) {
                _ = try check.validated()
            } catch {
                for issue in error.issues { element.report(issue.message) }
                return nil
            }
            return StoredFault(id: id, fault: fault)
        }
    }
}
