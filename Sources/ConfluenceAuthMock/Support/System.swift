#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        offset += written
    }
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
