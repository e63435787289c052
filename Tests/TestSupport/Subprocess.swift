import Foundation

/// What a finished child process printed and how it exited.
public struct ProcessOutput: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs a program found on PATH (or given by path) to completion and captures its output.
/// Tests use it to drive real peers: curl, openssl, python3.
public func runProcess(_ program: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try launch(process)
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Read both pipes before waiting, so a chatty child never blocks on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessOutput(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// The repository's root folder (tests run from a source checkout).
public let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh, empty temporary folder.
public func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cam-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Fails with a message telling how to install the interop peers when a Python module is missing,
/// so a developer sees the cause instead of a cryptic subprocess error.
public func requirePythonModules(_ modules: [String]) throws {
    let probe = try runProcess("python3", ["-c", "import " + modules.joined(separator: ", ")])
    guard probe.status == 0 else {
        throw InteropSetupError(message: "python3 lacks \(modules.joined(separator: ", ")): run the tests with scripts/test.sh, which installs Tests/Interop/requirements.txt when python3 lacks them, or `pip install -r Tests/Interop/requirements.txt` (\(probe.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))")
    }
}

public struct InteropSetupError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Starts a process. Launches are serialized: corelibs Foundation's one-time `Process` set-up is
/// not safe when tests running in parallel launch their first processes at the same moment (a
/// test run crashed with a bad pointer inside `Process.setup()`).
public func launch(_ process: Process) throws {
    launchLock.lock()
    defer { launchLock.unlock() }
    try process.run()
}

private let launchLock = NSLock()
