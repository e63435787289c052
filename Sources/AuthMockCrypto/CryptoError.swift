import COpenSSL

/// A failure inside OpenSSL or a refused input to a crypto primitive.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the mock was doing ("RSA key generation", "PEM decoding", …).
    public let operation: String
    /// OpenSSL's own reasons, oldest first, drained from its per-thread error queue.
    public let reasons: [String]

    public var description: String {
        reasons.isEmpty ? "\(operation) failed" : "\(operation) failed: \(reasons.joined(separator: "; "))"
    }

    /// Drains OpenSSL's error queue into an error for `operation`. The queue is per thread, so
    /// draining it here keeps one failure's reasons from leaking into the next call's error.
    static func fromOpenSSL(_ operation: String) -> CryptoError {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return CryptoError(operation: operation, reasons: reasons)
    }

    /// A refusal decided by the mock rather than OpenSSL.
    static func refused(_ operation: String, _ reason: String) -> CryptoError {
        CryptoError(operation: operation, reasons: [reason])
    }
}

/// Checks an OpenSSL call that returns 1 on success.
@inline(__always)
func openSSLCheck(_ result: Int32, _ operation: @autoclosure () -> String) throws(CryptoError) {
    guard result == 1 else { throw CryptoError.fromOpenSSL(operation()) }
}

/// Checks an OpenSSL call that returns a pointer, `nil` on failure.
@inline(__always)
func openSSLCheck<T>(_ pointer: T?, _ operation: @autoclosure () -> String) throws(CryptoError) -> T {
    guard let pointer else { throw CryptoError.fromOpenSSL(operation()) }
    return pointer
}
