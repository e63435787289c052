import Foundation
import AuthMockFormats
import Testing
@testable import AuthMockCrypto

/// Tokens an attacker or a buggy client might send; each must be refused for the right reason.
@Suite struct HostileTokenTests {
    static let secret = HMACKey(secret: "a-shared-secret-of-32-bytes-min!")
    static let now = JWTTests.now

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let token: String
        var keys: [any JWTVerificationKey] = [HostileTokenTests.secret]
        var allowed: Set<JWTAlgorithm> = [.hs256]
        var checks = JWTClaimChecks(now: HostileTokenTests.now, requiredClaims: ["exp"], issuers: ["ck-acme"], audience: "ck-acme")
        let expected: JWTError.Code
        var testDescription: String { name }
    }

    static func b64(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }
    static let goodClaims = #"{"iss":"ck-acme","aud":"ck-acme","iat":1767225600,"exp":1767229200}"#

    /// A token with this header and payload text, HS256-signed with the shared secret (or `key`).
    static func signed(header: String = #"{"alg":"HS256","typ":"JWT"}"#, payload: String = goodClaims, key: [UInt8]? = nil) -> String {
        let input = b64(header) + "." + b64(payload)
        let mac = HMACSHA256.authenticationCode(for: Array(input.utf8), key: key ?? secret.secret)
        return input + "." + Base64URL.encode(mac)
    }

    static func rs256(_ payload: String = goodClaims) -> String {
        let input = b64(#"{"alg":"RS256"}"#) + "." + b64(payload)
        return input + "." + Base64URL.encode(try! TestKeys.rsa.signRS256(Array(input.utf8)))
    }

    static var cases: [Case] {
        let good = signed()
        let parts = good.split(separator: ".").map(String.init)
        let rsaPublic = RS256VerificationKey(TestKeys.rsa.publicKey)
        let spki = Array(try! TestKeys.rsa.publicKey.spkiPEM().utf8)
        let pkcs1 = Array(try! TestKeys.rsa.publicKey.pkcs1PEM().utf8)
        return [
            Case(name: "alg none, empty signature", token: b64(#"{"alg":"none"}"#) + "." + b64(goodClaims) + ".", expected: .unsupportedAlgorithm),
            Case(name: "alg none with a signature", token: signed(header: #"{"alg":"none"}"#), expected: .unsupportedAlgorithm),
            Case(name: "alg None", token: signed(header: #"{"alg":"None"}"#), expected: .unsupportedAlgorithm),
            Case(name: "alg nOnE", token: signed(header: #"{"alg":"nOnE"}"#), expected: .unsupportedAlgorithm),
            Case(name: "alg NONE", token: b64(#"{"alg":"NONE"}"#) + "." + b64(goodClaims) + ".", expected: .unsupportedAlgorithm),
            Case(name: "RS256→HS256 confusion, SPKI PEM as secret", token: signed(key: spki), keys: [rsaPublic], allowed: [.rs256], expected: .algorithmNotAllowed),
            Case(name: "RS256→HS256 confusion with HS256 allowed", token: signed(key: spki), keys: [rsaPublic], allowed: [.rs256, .hs256], expected: .algorithmNotAllowed),
            Case(name: "RS256→HS256 confusion, PKCS#1 PEM as secret", token: signed(key: pkcs1), keys: [rsaPublic], allowed: [.rs256, .hs256], expected: .algorithmNotAllowed),
            Case(name: "RS256 token where only HS256 is allowed", token: rs256(), expected: .algorithmNotAllowed),
            Case(name: "stripped signature", token: parts[0] + "." + parts[1] + ".", expected: .badSignature),
            Case(name: "truncated signature", token: String(good.dropLast(3)), expected: .badSignature),
            Case(name: "signature truncated to an impossible base64 length", token: String(good.dropLast(2)), expected: .malformed),
            Case(name: "signature by another secret", token: signed(key: Array("another-secret".utf8)), expected: .badSignature),
            Case(name: "payload swapped after signing", token: parts[0] + "." + b64(goodClaims.replacingOccurrences(of: "ck-acme\",\"iat", with: "ck-evil\",\"iat")) + "." + parts[2], expected: .badSignature),
            Case(name: "RS256 signed by another key", token: rs256(), keys: [RS256VerificationKey(TestKeys.otherRSA.publicKey)], allowed: [.rs256], expected: .badSignature),
            Case(name: "two segments", token: parts[0] + "." + parts[1], expected: .malformed),
            Case(name: "four segments", token: good + "." + parts[2], expected: .malformed),
            Case(name: "empty token", token: "", expected: .malformed),
            Case(name: "padding in the signature", token: good + "=", expected: .malformed),
            Case(name: "standard base64 alphabet", token: parts[0] + "." + parts[1].replacingOccurrences(of: "_", with: "/").replacingOccurrences(of: "-", with: "+") + "+/." + parts[2], expected: .malformed),
            Case(name: "white space inside", token: parts[0] + " ." + parts[1] + "." + parts[2], expected: .malformed),
            Case(name: "header is not JSON", token: b64("alg=HS256") + "." + parts[1] + "." + parts[2], expected: .malformed),
            Case(name: "header is a JSON array", token: signed(header: #"["HS256"]"#), expected: .malformed),
            Case(name: "payload is a JSON string", token: signed(payload: #""ck-acme""#), expected: .malformed),
            Case(name: "duplicate claim names", token: signed(payload: #"{"iss":"ck-evil","iss":"ck-acme","aud":"ck-acme","exp":1767229200}"#), expected: .malformed),
            Case(name: "header without alg", token: signed(header: #"{"typ":"JWT"}"#), expected: .malformed),
            Case(name: "alg is a number", token: signed(header: #"{"alg":256}"#), expected: .malformed),
            Case(name: "unknown alg HS512", token: signed(header: #"{"alg":"HS512"}"#), expected: .unsupportedAlgorithm),
            Case(name: "alg in lower case", token: signed(header: #"{"alg":"hs256"}"#), expected: .unsupportedAlgorithm),
            Case(name: "critical header extension", token: signed(header: #"{"alg":"HS256","crit":["exp"],"exp":1}"#), expected: .unsupportedAlgorithm),
            Case(name: "kid names no known key", token: signed(header: #"{"alg":"HS256","kid":"k2"}"#), keys: [HMACKey(secret: secret.secret, keyID: "k1")], expected: .unknownKey),
            Case(name: "exp as a string", token: signed(payload: #"{"iss":"ck-acme","aud":"ck-acme","exp":"1767229200"}"#), expected: .invalidClaim),
            Case(name: "aud as a number", token: signed(payload: #"{"iss":"ck-acme","aud":7,"exp":1767229200}"#), expected: .invalidClaim),
            Case(name: "expired", token: signed(payload: #"{"iss":"ck-acme","aud":"ck-acme","exp":1767225599}"#), expected: .expired),
            Case(name: "not yet valid", token: signed(payload: #"{"iss":"ck-acme","aud":"ck-acme","nbf":1767229200,"exp":1767232800}"#), expected: .notYetValid),
            Case(name: "missing exp", token: signed(payload: #"{"iss":"ck-acme","aud":"ck-acme"}"#), expected: .missingClaim),
            Case(name: "wrong issuer", token: signed(payload: #"{"iss":"ck-evil","aud":"ck-acme","exp":1767229200}"#), expected: .wrongIssuer),
            Case(name: "wrong audience", token: signed(payload: #"{"iss":"ck-acme","aud":["ck-other"],"exp":1767229200}"#), expected: .wrongAudience),
            Case(name: "1 MB token", token: signed(payload: #"{"pad":""# + String(repeating: "x", count: 1 << 20) + #""}"#), expected: .malformed),
            Case(name: "deeply nested payload", token: signed(payload: String(repeating: "[", count: 300) + String(repeating: "]", count: 300)), expected: .malformed),
            Case(name: "non-ASCII characters in a segment", token: parts[0] + "é." + parts[1] + "." + parts[2], expected: .malformed),
        ]
    }

    @Test(arguments: cases)
    func isRefusedForTheRightReason(_ hostile: Case) {
        do {
            let jwt = try JWT.decode(hostile.token)
            try jwt.verifySignature(using: hostile.keys, allowing: hostile.allowed)
            try jwt.validateClaims(hostile.checks)
            Issue.record("accepted a hostile token: \(hostile.name)")
        } catch {
            #expect(error.code == hostile.expected, "\(hostile.name): \(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func theUntamperedTokenPasses() throws {
        let jwt = try JWT.decode(Self.signed())
        try jwt.verifySignature(using: Self.secret, allowing: [.hs256])
        try jwt.validateClaims(JWTClaimChecks(now: Self.now, requiredClaims: ["exp"], issuers: ["ck-acme"], audience: "ck-acme"))
    }
}
