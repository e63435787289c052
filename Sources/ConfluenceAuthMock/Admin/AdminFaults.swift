import AuthMockFormats
import AuthMockHTTP

extension AdminAPI {
    /// `GET /__admin/faults` → `{"faults":[FAULT with "id"…]}`.
    var faults: RouteHandler {
        { _, _ in .json(["faults": .array(state.faults.map(\.json))]) }
    }

    /// `POST /__admin/faults` with one fault or `{"faults":[…]}` → 201 `{"ids":[…]}`; all or nothing.
    var addFaults: RouteHandler {
        { request, _ in
            let read: (JSONNode) -> [Fault]? = { node in
                if let object = node.value.objectValue, object.keys == ["faults"] {
                    return node.object(keys: ["faults"])?.required("faults")?.array(Fault.init)
                }
                return Fault(node).map { [$0] }
            }
            switch Self.readBody(request, read) {
            case .failure(let error): return error.response
            case .success(let faults):
                var scenario = state.scenario
                scenario.faults = faults
                if case .failure(let error) = Result(catching: { () throws(ScenarioError) in try scenario.validated() }) {
                    return Self.error(.badRequest, "invalid fault", issues: error.issues)
                }
                return .json(["ids": .array(state.addFaults(faults).map { .string($0) })], status: .created)
            }
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
