import AuthMockFormats
import AuthMockHTTP

extension AdminAPI {
    /// `GET /__admin/faults` → `{"faults":[FAULT with "id", "seen" and "fired"…]}`.
    var faults: RouteHandler {
        { _, _ in .json(["faults": .array(state.faults.map(\.listedJSON))]) }
    }

    /// `POST /__admin/faults` with one fault or `{"faults":[…]}` → 201 `{"ids":[…]}`; all or nothing.
    var addFaults: RouteHandler {
        { request, _ in
            switch Self.addFaults(json: request.body, to: state) {
            case .success(let ids): return .json(["ids": .array(ids.map { .string($0) })], status: .created)
            case .failure(let failure): return Self.error(.badRequest, failure.message, issues: failure.issues)
            }
        }
    }

    /// Adds one fault or `{"faults":[…]}` read from `json`, once the scenario with them validates:
    /// their ids, or every problem found.
    static func addFaults(json: [UInt8], to state: MockState) -> Result<[String], AdminFailure> {
        let read: (JSONNode) -> [Fault]? = { node in
            if let object = node.value.objectValue, object.keys == ["faults"] {
                return node.object(keys: ["faults"])?.required("faults")?.array(Fault.init)
            }
            return Fault(node).map { [$0] }
        }
        return readJSON(json, read).flatMap { faults in
            var scenario = state.scenario
            scenario.faults = faults
            if case .failure(let error) = Result(catching: { () throws(ScenarioError) in try scenario.validated() }) {
                return .failure(AdminFailure(message: "invalid fault", issues: error.issues))
            }
            return .success(state.addFaults(faults))
        }
    }

    /// `DELETE /__admin/faults` → 204.
    var clearFaults: RouteHandler {
        { _, _ in
            state.clearFaults()
            return HTTPResponse(status: .noContent)
        }
    }

    /// `DELETE /__admin/faults/{id}` → 204, or 404 for an unknown id.
    var removeFault: RouteHandler {
        { _, parameters in
            let id = parameters["id"] ?? ""
            return state.removeFault(id: id) ? HTTPResponse(status: .noContent) : Self.error(.notFound, "no fault with id \"\(id)\"")
        }
    }
}
