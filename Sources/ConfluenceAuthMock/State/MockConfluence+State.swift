import AuthMockFormats

extension MockConfluence {
    // MARK: Saved state (docs/state.md)

    /// The mock's run-time state as one JSON document: the scenario in effect, the clock, the
    /// signing keys, codes, tokens, refresh families, consents, content written through the API,
    /// Connect secrets and statuses, faults with their counters, rate-limit windows. What
    /// `GET /__admin/state` answers and `serve --state FILE` saves. It holds every secret the mock
    /// knows: keep it as you would a credentials file.
    public func exportState() -> JSONValue { state.exportState() }

    /// Replaces the run-time state with one ``exportState()`` produced (here or in another mock),
    /// all or nothing: a state that cannot be restored throws every problem found, with its JSON
    /// path, and the current state keeps serving. The journal is kept.
    public func importState(_ saved: JSONValue) throws(StateError) { try state.importState(saved) }

    /// Writes the run-time state to ``MockServerOptions/stateFile``, replacing the file atomically
    /// (a crash at any moment leaves the old file or the new one). Throws when the mock has no
    /// state file or the file cannot be written.
    @discardableResult
    public func saveState() throws(StateFileError) -> SavedStateFile {
        guard let file = options.stateFile else { throw StateFileError(description: "no state file: set MockServerOptions.stateFile (serve --state FILE)") }
        return try StateFile.save(state, to: file)
    }
}
