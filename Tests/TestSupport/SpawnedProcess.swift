import Foundation

/// A child process left running while a test talks to it (the `serve` command), with its
/// standard output readable line by line.
public final class SpawnedProcess: @unchecked Sendable {
    // @unchecked Sendable: `buffer` is touched only from the calling test's thread (readLine);
    // Process and Pipe are thread-safe Foundation objects.
    public let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    private var buffer = Data()

    public init(_ executable: URL, _ arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        try launch(process)
    }

    /// The next line of standard output, or `nil` when none comes within `timeout` seconds.
    public func readLine(timeout: Double = 10) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            var poller = pollfd(fd: output.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
        return nil
    }

    /// Sends `signal` and waits for the exit; returns the exit status.
    public func stop(signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Everything written to standard error (after the process ended).
    public var standardError: String { String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// A product built beside the test bundle (`.build/<triple>/debug/NAME`).
public func builtProduct(_ name: String) -> URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
}
