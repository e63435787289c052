import AuthMockFormats

/// A fault as the mock holds it: with the id the admin API and Swift API refer to it by.
public struct StoredFault: Sendable {
    public let id: String
    public let fault: Scenario.Fault
    /// Requests its match accepted, and requests it changed, since it was added or the mock reset.
    public internal(set) var seen = 0, fired = 0

    var json: JSONValue {
        guard case .object(var object) = fault.json else { return fault.json }
        var withID = JSONObject([("id", .string(id))])
        for member in object.members { withID[member.key] = member.value }
        object = withID
        return .object(object)
    }

    /// As `GET /__admin/faults` lists it: `json` with the counters.
    var listedJSON: JSONValue {
        guard case .object(var object) = json else { return json }
        object["seen"] = .int(seen)
        object["fired"] = .int(fired)
        return .object(object)
    }
}
