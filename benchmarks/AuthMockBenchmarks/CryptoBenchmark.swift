import AuthMockCrypto
import AuthMockFormats
import Foundation

/// Single-threaded operations per second for each token operation, to compare with `openssl speed`
/// (also single-threaded) run by benchmarks/crypto.sh.
enum CryptoBenchmark {
    static func run(seconds: Double) {
        let rsa = try! RSAPrivateKey.generate()
        let signer = RS256SigningKey(rsa)
        let verifier = signer.verificationKey
        let secret = HMACKey(secret: "a-shared-secret-of-32-bytes-min!")
        let now = Date().timeIntervalSince1970
        let url = "/wiki/rest/api/content?spaceKey=ENG&title=Runbook&expand=body.storage"
        let claims = JSONObject([("iss", "com.example.addon"), ("iat", .int(Int(now))), ("exp", .int(Int(now) + 180)),
                                 ("qsh", .string(QueryStringHash.hash(method: "GET", url: url, basePath: "/wiki")))])
        let hsToken = try! JWT.encode(claims: claims, key: secret)
        let rsToken = try! JWT.encode(claims: claims, key: signer)
        let message = Array(rsToken.utf8.prefix(300))
        let pairs = [("spaceKey", "ENG"), ("title", "Runbook"), ("expand", "body.storage")]
        let signature = try! rsa.signRS256(message)

        report("hmac-sha256 (64 B)", seconds) { _ = HMACSHA256.authenticationCode(for: message.prefix(64), key: secret.secret) }
        report("rsa2048 sign (raw RS256)", seconds) { _ = try! rsa.signRS256(message) }
        let threePrime = try! RSAPrivateKey.generate(primes: 3)
        report("rsa2048 sign, 3-prime key (raw RS256)", seconds) { _ = try! threePrime.signRS256(message) }
        report("rsa2048 verify (raw RS256)", seconds) { _ = rsa.publicKey.verifyRS256(signature: signature, message: message) }
        report("HS256 JWT sign", seconds) { _ = try! JWT.encode(claims: claims, key: secret) }
        report("HS256 JWT verify", seconds) { try! JWT.decode(hsToken).verifySignature(using: secret, allowing: [.hs256]) }
        report("RS256 JWT sign", seconds) { _ = try! JWT.encode(claims: claims, key: signer) }
        report("RS256 JWT verify", seconds) { try! JWT.decode(rsToken).verifySignature(using: verifier, allowing: [.rs256]) }
        report("Connect verify (decode+HMAC+claims+QSH)", seconds) {
            let jwt = try! JWT.decode(hsToken)
            try! jwt.verifySignature(using: secret, allowing: [.hs256])
            try! jwt.validateClaims(JWTClaimChecks(now: now, leeway: 30, requiredClaims: ["exp", "qsh"]))
            // As the server checks it: the request's path and already-decoded query parameters.
            precondition(jwt.claims["qsh"]?.stringValue == QueryStringHash.hash(method: "GET", path: "/wiki/rest/api/content", pairs: pairs, basePath: "/wiki"))
        }
    }

    /// Runs `body` repeatedly for about `seconds` and prints `name<TAB>ops/s` for the script to read.
    static func report(_ name: String, _ seconds: Double, _ body: () -> Void) {
        for _ in 0..<50 { body() }  // warm up
        var count = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        var now = start
        while now < deadline {
            for _ in 0..<20 { body() }
            count += 20
            now = DispatchTime.now().uptimeNanoseconds
        }
        let rate = Double(count) / (Double(now - start) / 1e9)
        print("\(name)\t\(Int(rate))")
    }
}
