import AuthMockFormats

extension Scenario {
    /// What a fault does to one request: answer instead, wait, and/or break the wire.
    public struct FaultOutcome: Sendable, Equatable {
        public var respond: CannedResponse?
        public var delayMs: Int?
        public var wire: WireFaultKind?
        /// With `wire: slow`: how fast the body is dribbled.
        public var bytesPerSecond: Int?

        public init(respond: CannedResponse? = nil, delayMs: Int? = nil, wire: WireFaultKind? = nil, bytesPerSecond: Int? = nil) {
            self.respond = respond
            self.delayMs = delayMs
            self.wire = wire
            self.bytesPerSecond = bytesPerSecond
        }

        static let keys = ["respond", "delayMs", "wire", "bytesPerSecond"]

        /// Reads the outcome keys of `object` (a fault, or one sequence item) and checks they combine.
        init?(_ object: ObjectReader) {
            self.init(respond: object.optional("respond").flatMap(CannedResponse.init),
                      delayMs: object.optional("delayMs")?.int(atLeast: 0),
                      wire: object.optional("wire")?.oneOf(WireFaultKind.self, "wire fault"),
                      bytesPerSecond: object.optional("bytesPerSecond")?.int(atLeast: 1))
            let node = object.node
            if !(object.has("respond") || object.has("delayMs") || object.has("wire")) {
                node.report("needs an outcome: \"respond\", \"delayMs\" or \"wire\"")
                return nil
            }
            if object.has("respond") && object.has("wire") { node.report("\"respond\" and \"wire\" exclude each other") }
            if wire == .slow && !object.has("bytesPerSecond") { node.report("wire \"slow\" needs \"bytesPerSecond\"") }
            if object.has("bytesPerSecond") && object.has("wire") && wire != .slow { node.report("\"bytesPerSecond\" goes with wire \"slow\" only") }
        }

        func write(into object: inout JSONObject) {
            if let respond { object["respond"] = respond.jsonValue }
            if let delayMs { object["delayMs"] = .int(delayMs) }
            if let wire { object["wire"] = .string(wire.rawValue) }
            if let bytesPerSecond { object["bytesPerSecond"] = .int(bytesPerSecond) }
        }
    }

    /// What happens after a sequence's last outcome.
    public enum SequenceEnd: String, Sendable, Equatable, CaseIterable {
        /// The last outcome repeats.
        case `repeat`
        /// Normal serving resumes.
        case pass
    }

    /// A scripted failure: requests that `match` get `outcome`, or the next outcome of `sequence`.
    public struct Fault: Sendable, Equatable {
        public var name: String?
        public var match: FaultMatch
        public var outcome: FaultOutcome?
        public var sequence: [FaultOutcome]?
        public var then: SequenceEnd

        public init(name: String? = nil, match: FaultMatch, outcome: FaultOutcome? = nil, sequence: [FaultOutcome]? = nil, then: SequenceEnd = .repeat) {
            self.name = name
            self.match = match
            self.outcome = outcome
            self.sequence = sequence
            self.then = then
        }

        static let keys = ["name", "match", "respond", "delayMs", "wire", "bytesPerSecond", "sequence", "then"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            let name = object.optional("name")?.nonEmptyString
            let match = object.required("match").flatMap(FaultMatch.init)
            let hasOutcome = FaultOutcome.keys.contains { object.has($0) }
            var outcome: FaultOutcome?
            var sequence: [FaultOutcome]?
            if let items = object.optional("sequence") {
                if hasOutcome { node.report("give an outcome or a \"sequence\", not both") }
                sequence = items.array { $0.object(keys: FaultOutcome.keys).flatMap(FaultOutcome.init) }
                if sequence?.isEmpty == true { items.report("a sequence needs at least one outcome") }
            } else {
                outcome = FaultOutcome(object)
            }
            let then = object.optional("then")?.oneOf(SequenceEnd.self, "sequence end") ?? .repeat
            if object.has("then") && sequence == nil { object.optional("then")?.report("\"then\" goes with \"sequence\"") }
            guard let match, outcome != nil || sequence != nil else { return nil }
            self.init(name: name, match: match, outcome: outcome, sequence: sequence, then: then)
        }

        var json: JSONValue {
            var object = JSONObject()
            if let name { object["name"] = .string(name) }
            object["match"] = match.jsonValue
            outcome?.write(into: &object)
            if let sequence {
                object["sequence"] = .array(sequence.map { item in
                    var entry = JSONObject()
                    item.write(into: &entry)
                    return .object(entry)
                })
                object["then"] = .string(then.rawValue)
            }
            return .object(object)
        }
    }
}
