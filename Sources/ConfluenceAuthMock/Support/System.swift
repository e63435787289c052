#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AuthMockCrypto

// The domain avoids Foundation: linking it costs the standalone server about 8 ms of start-up
// and 9 MiB of memory (docs/architecture.md). These are the few system services it needs.

/// Monotonic time in nanoseconds, for durations.
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// Writes one whole line to standard error in a single `write`, so lines from threads never interleave.
func writeLineToStandardError(_ line: String) {
    var bytes = Array(line.utf8)
    bytes.append(0x0A)
    _ = writeAll(2, bytes)
}

/// The bytes of a file, or a message saying why it cannot be read.
func readFile(_ path: String) -> Result<[UInt8], ReadFileError> {
    guard let file = fopen(path, "rb") else { return .failure(ReadFileError(message: String(cString: strerror(errno)))) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        bytes.append(contentsOf: chunk[0..<count])
        if count < chunk.count { break }
    }
    if ferror(file) != 0 { return .failure(ReadFileError(message: "read error")) }
    return .success(bytes)
}

struct ReadFileError: Error {
    let message: String
}

/// Wall-clock seconds since 1970, with sub-second precision.
func wallClockSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Replaces the file at `path` with `bytes` so that a crash at any moment leaves either the old
/// file or the new one, never a torn one: the bytes go to a new file beside it, which is flushed
/// to disk (`fsync`) and then renamed over the old one; the directory is flushed so the rename
/// itself survives a power cut. The file is created readable by its owner only. Returns `nil`, or
/// why it could not be written (the old file is then untouched).
func replaceFileAtomically(_ path: String, with bytes: [UInt8]) -> String? {
    let temporary = "\(path).tmp-\(getpid())-\(Hex.encode(SecureRandom.bytes(4)))"
    let file = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0o600)
    guard file >= 0 else { return "cannot create \(temporary): \(String(cString: strerror(errno)))" }
    var problem = writeAll(file, bytes).map { "cannot write \(temporary): \($0)" }
    if problem == nil && fsync(file) != 0 { problem = "cannot flush \(temporary): \(String(cString: strerror(errno)))" }
    close(file)
    if problem == nil && rename(temporary, path) != 0 { problem = "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))" }
    if let problem {
        unlink(temporary)
        return problem
    }
    flushDirectory(of: path)
    return nil
}

/// Writes every byte, or says why not.
private func writeAll(_ file: Int32, _ bytes: [UInt8]) -> String? {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return String(cString: strerror(errno)) }
        offset += written
    }
    return nil
}

/// Flushes the directory holding `path`, so a rename into it is on disk (best effort: some file
/// systems refuse `fsync` on a directory, and the rename has happened either way).
private func flushDirectory(of path: String) {
    let handle = open(folderOf(path), O_RDONLY)
    guard handle >= 0 else { return }
    fsync(handle)
    close(handle)
}

/// The folder holding `path` (`.` for a bare name).
func folderOf(_ path: String) -> String {
    path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
}

/// Whether a file exists at `path`.
func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }
