import AuthMockFormats
import AuthMockHTTP

extension AdminAPI {
    /// `GET /__admin/state`: the run-time state as a saved state (docs/state.md).
    var exportState: RouteHandler {
        { _, _ in .json(state.exportState()) }
    }

    /// `PUT /__admin/state`: restores a saved state, all or nothing; a bad one is refused whole
    /// and the current state keeps serving. The journal is kept.
    var importState: RouteHandler {
        { request, _ in
            AdminAPI.offTheLoopIfLarge(request)
            let value: JSONValue
            do {
                value = try request.jsonBody()
            } catch {
                return Self.error(.badRequest, "the body is not JSON: \(error)")
            }
            do throws(MockConfluence.StateError) {
                try state.importState(value)
                return .json(["restored": true, "scenario": .string(state.scenario.displayName)])
            } catch {
                return Self.error(.badRequest, "invalid saved state; the current state keeps serving", issues: error.issues)
            }
        }
    }

    /// `POST /__admin/state/save` → `{"saved": PATH, "bytes": N}`; 409 when the mock has no state
    /// file, 500 when the file cannot be written (the old one is then untouched).
    var saveState: RouteHandler {
        { _, _ in
            guard let stateFile else { return Self.error(.conflict, "no state file: start the mock with --state FILE (MockServerOptions.stateFile) to save its state") }
            do throws(MockConfluence.StateFileError) {
                let saved = try StateFile.save(state, to: stateFile)
                return .json(["saved": .string(saved.path), "bytes": .int(saved.bytes)])
            } catch {
                return Self.error(.internalServerError, error.description)
            }
        }
    }
}
