import AuthMockFormats

/// A decoded compact JWS whose payload is a JWT claims set (RFC 7515 §7.1, RFC 7519).
///
/// Decoding only parses; it trusts nothing. Call ``verifySignature(using:allowing:)`` and then
/// ``validateClaims(_:)`` before using a claim for a decision.
public struct JWT: Sendable {
    /// Tokens longer than this are refused before any parsing (the largest real Atlassian token is a few KiB).
    public static let maximumLength = 16 * 1024

    public let header: JSONObject
    public let claims: JSONObject
    /// The signature bytes (decoded third segment).
    public let signature: [UInt8]
    /// The ASCII bytes `header.payload` the signature covers.
    public let signingInput: [UInt8]

    /// The header's `alg`.
    public var algorithmName: String { header["alg"]?.stringValue ?? "" }
    /// The header's `kid`, when present.
    public var keyID: String? { header["kid"]?.stringValue }

    /// Decodes a compact JWS strictly: exactly three segments of strict base64url, a
    /// header and a payload that are JSON objects without duplicate names, and a string `alg`.
    public static func decode(_ token: some StringProtocol) throws(JWTError) -> JWT { try decode(String(token)) }

    /// ``decode(_:)`` for a `String`: the concrete entry point, so calls from other modules need no
    /// generic dispatch (this runs on every Connect request).
    public static func decode(_ token: String) throws(JWTError) -> JWT {
        // One pass over the token's own UTF-8 storage: segments are buffer slices, not copies, and
        // the dot search and the signing-input copy run on raw memory (this runs on every Connect
        // request). Native strings are already contiguous; `withUTF8` makes any other one so.
        var token = token
        return try token.withUTF8 { bytes in Result { () throws(JWTError) in try decode(bytes: bytes) } }.get()
    }

    private static func decode(bytes: UnsafeBufferPointer<UInt8>) throws(JWTError) -> JWT {
        guard bytes.count <= maximumLength else {
            throw JWTError(.malformed, "token is \(bytes.count) bytes; at most \(maximumLength) accepted")
        }
        let dot = UInt8(ascii: ".")
        guard let firstDot = bytes.firstIndex(of: dot), let secondDot = bytes[(firstDot + 1)...].firstIndex(of: dot),
              !bytes[(secondDot + 1)...].contains(dot)
        else {
            throw JWTError(.malformed, "expected 3 dot-separated segments, found \(bytes.split(separator: dot, omittingEmptySubsequences: false).count)")
        }
        let header = try decodeObject(bytes[..<firstDot], part: "header")
        let claims = try decodeObject(bytes[(firstDot + 1)..<secondDot], part: "payload")
        guard let signature = Base64URL.decode(bytes: bytes[(secondDot + 1)...]) else {
            throw JWTError(.malformed, "signature is not unpadded base64url")
        }
        guard header["alg"]?.stringValue != nil else { throw JWTError(.malformed, "header has no string \"alg\"") }
        return JWT(header: header, claims: claims, signature: signature, signingInput: Array(UnsafeBufferPointer(rebasing: bytes[..<secondDot])))
    }

    private static func decodeObject(_ segment: Slice<UnsafeBufferPointer<UInt8>>, part: String) throws(JWTError) -> JSONObject {
        guard let json = Base64URL.decode(bytes: segment) else {
            throw JWTError(.malformed, "\(part) is not unpadded base64url")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(json)
        } catch {
            throw JWTError(.malformed, "\(part) is not valid JSON (\(error))")
        }
        guard let object = value.objectValue else { throw JWTError(.malformed, "\(part) is \(value.typeName), not a JSON object") }
        return object
    }

    /// Signs `claims` into a compact JWS. The header is `alg` (from the key), then `kid` when the
    /// key has one, then `extraHeader`'s members (`typ` defaults to `JWT`).
    public static func encode(
        claims: JSONObject, key: some JWTSigningKey, extraHeader: JSONObject = JSONObject([("typ", "JWT")])
    ) throws(CryptoError) -> String {
        var header = JSONObject([("alg", .string(key.algorithm.rawValue))])
        if let keyID = key.keyID { header["kid"] = .string(keyID) }
        for member in extraHeader.members where member.key != "alg" { header[member.key] = member.value }
        var signingInput = Base64URL.encodeToBytes(JSONValue.object(header).serializedBytes)
        signingInput.append(UInt8(ascii: "."))
        signingInput.append(contentsOf: Base64URL.encodeToBytes(JSONValue.object(claims).serializedBytes))
        let signature = try key.sign(signingInput)
        signingInput.append(UInt8(ascii: "."))
        signingInput.append(contentsOf: Base64URL.encodeToBytes(signature))
        return String(decoding: signingInput, as: UTF8.self)
    }

    /// Checks the signature. The header's `alg` must be on `allowed` and there must be a key of
    /// exactly that algorithm (an RSA key never verifies HS256, so the public key can't become an
    /// HMAC secret); when the token names a `kid`, keys that name a different one are skipped.
    public func verifySignature(using keys: [any JWTVerificationKey], allowing allowed: Set<JWTAlgorithm>) throws(JWTError) {
        let algorithm = try checkedAlgorithm(allowed: allowed)
        let sameAlgorithm = keys.filter { $0.algorithm == algorithm }
        guard !sameAlgorithm.isEmpty else {
            throw JWTError(.algorithmNotAllowed, "no \(algorithm.rawValue) key is configured for this token")
        }
        guard !signature.isEmpty else { throw JWTError(.badSignature, "the signature is empty") }
        let candidates = sameAlgorithm.filter { key in keyID == nil || key.keyID == nil || key.keyID == keyID }
        guard !candidates.isEmpty else { throw JWTError(.unknownKey, "no key has kid \"\(keyID ?? "")\"") }
        guard candidates.contains(where: { $0.isValidSignature(signature, for: signingInput) }) else {
            throw JWTError(.badSignature, "signature does not verify")
        }
    }

    /// Checks a single key; see ``verifySignature(using:allowing:)``.
    public func verifySignature(using key: some JWTVerificationKey, allowing allowed: Set<JWTAlgorithm>) throws(JWTError) {
        // The same checks as for a key list, without boxing the key (a Connect request checks one key).
        let algorithm = try checkedAlgorithm(allowed: allowed)
        guard key.algorithm == algorithm else { throw JWTError(.algorithmNotAllowed, "no \(algorithm.rawValue) key is configured for this token") }
        guard !signature.isEmpty else { throw JWTError(.badSignature, "the signature is empty") }
        guard keyID == nil || key.keyID == nil || key.keyID == keyID else { throw JWTError(.unknownKey, "no key has kid \"\(keyID ?? "")\"") }
        guard key.isValidSignature(signature, for: signingInput) else { throw JWTError(.badSignature, "signature does not verify") }
    }

    private func checkedAlgorithm(allowed: Set<JWTAlgorithm>) throws(JWTError) -> JWTAlgorithm {
        let name = algorithmName
        if name.lowercased() == "none" { throw JWTError(.unsupportedAlgorithm, "unsecured tokens (alg \"\(name)\") are never accepted") }
        // RFC 7515 §4.1.11: a recipient that does not understand a critical extension must refuse.
        if header.contains("crit") { throw JWTError(.unsupportedAlgorithm, "critical header extensions are not supported") }
        guard let algorithm = JWTAlgorithm(rawValue: name) else {
            throw JWTError(.unsupportedAlgorithm, "algorithm \"\(name)\" is not supported")
        }
        guard allowed.contains(algorithm) else {
            throw JWTError(.algorithmNotAllowed, "algorithm \(name) is not allowed here; expected \(allowed.map(\.rawValue).sorted().joined(separator: " or "))")
        }
        return algorithm
    }
}
