import AuthMockFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MockConfluence {
    /// Why the state file could not be saved.
    public struct StateFileError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Where a state was saved and how large it is.
    public struct SavedStateFile: Sendable, Equatable {
        public let path: String
        public let bytes: Int
    }
}

/// The file a mock's state is kept in (`MockServerOptions.stateFile`, `serve --state FILE`):
/// restored when the mock starts, replaced whole and atomically on every save (docs/state.md).
enum StateFile {
    /// Restores `state` from the file at `path`; a missing file leaves `state` as it is (the first
    /// start). A file that exists but cannot be read or restored is an error naming it.
    static func restore(_ state: MockState, from path: String) throws(MockConfluence.StateError) {
        guard fileExists(path) else { return }
        let bytes: [UInt8]
        switch readFile(path) {
        case .success(let read): bytes = read
        case .failure(let error): throw MockConfluence.StateError(file: path, issues: [ScenarioIssue(path: "$", message: "cannot read the file: \(error.message)")])
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw MockConfluence.StateError(file: path, issues: [ScenarioIssue(path: "$", message: "not valid JSON: \(error)")])
        }
        do throws(MockConfluence.StateError) {
            try state.importState(value)
        } catch {
            throw MockConfluence.StateError(file: path, issues: error.issues)
        }
    }

    /// Refuses a file that could not be saved later (its folder missing or not writable), so the
    /// problem shows at start rather than when a stop signal's save fails.
    static func checkWritable(_ path: String) throws(MockConfluence.StateFileError) {
        let folder = folderOf(path)
        guard access(folder, W_OK | X_OK) == 0 else {
            throw MockConfluence.StateFileError(description: "cannot save the state to \(path): the folder \(folder) \(fileExists(folder) ? "is not writable" : "does not exist")")
        }
    }

    /// Saves `state` to `path`, replacing the file atomically.
    static func save(_ state: MockState, to path: String) throws(MockConfluence.StateFileError) -> MockConfluence.SavedStateFile {
        var bytes = state.exportState().serializedBytes
        bytes.append(0x0A)
        if let problem = replaceFileAtomically(path, with: bytes) { throw MockConfluence.StateFileError(description: "cannot save the state to \(path): \(problem)") }
        return MockConfluence.SavedStateFile(path: path, bytes: bytes.count)
    }
}
