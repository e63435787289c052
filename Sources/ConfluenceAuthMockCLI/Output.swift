#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The executable avoids Foundation (docs/architecture.md: start-up time and memory); these are
// its only outputs.

/// Writes text to a file descriptor (1 standard output, 2 standard error) in whole, unbuffered.
func emit(_ text: String, to descriptor: Int32) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        offset += written
    }
}
