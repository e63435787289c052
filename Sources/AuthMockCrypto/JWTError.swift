/// Why a token was refused. The `code` says which check failed; `message` explains it for people
/// (the mock echoes it in journals and diagnostic headers, never the token's secret).
public struct JWTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which check failed.
    public enum Code: String, Sendable {
        /// Not a compact JWS: segment count, base64url, JSON, a missing `alg`, an oversized token.
        case malformed
        /// `alg` is `none` in any spelling, unknown to the mock, or `crit` names an extension.
        case unsupportedAlgorithm
        /// `alg` is known but not on the caller's allow-list, or no key of that algorithm was given.
        case algorithmNotAllowed
        /// The header's `kid` names no key the verifier holds.
        case unknownKey
        case badSignature
        /// `exp` is at or before now (with leeway).
        case expired
        /// `nbf` is after now (with leeway).
        case notYetValid
        /// `iat` is after now (with leeway).
        case issuedInFuture
        /// A required claim is absent.
        case missingClaim
        /// A registered claim has the wrong JSON type (e.g. `exp` as a string).
        case invalidClaim
        case wrongIssuer
        case wrongAudience
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
