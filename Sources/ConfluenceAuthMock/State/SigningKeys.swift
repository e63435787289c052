import AuthMockCrypto
import AuthMockFormats
import AuthMockHTTP

/// The three RSA keys one mock signs with: OAuth access tokens (published at
/// `/.well-known/jwks.json`), Connect `installed`/`uninstalled` hooks (served as PEM at
/// `/connect-install-keys/{kid}`) and Forge tokens (published at `/forge/.well-known/jwks.json`).
///
/// Each is the process's own key unless it was fixed: by the scenario's `keys` section (a seed or
/// PEMs, so replicas started from one scenario sign alike) or by a restored state (so tokens minted
/// before a restart still verify). The process keys are generated on first use, not at start: RSA
/// key generation takes tens of milliseconds, which every mock start would otherwise pay. Mocks in
/// one process share them, not their grants, so a token minted by one mock is still unknown to another.
struct SigningKeys: Sendable {
    /// The keys fixed for this mock; a purpose without one uses the process's key.
    private(set) var fixed: [Purpose: RS256SigningKey] = [:]

    /// What a key signs; the raw value names it in scenarios and saved states.
    enum Purpose: String, CaseIterable, Sendable {
        case oauth, connectInstall, forge
    }

    init(fixed: [Purpose: RS256SigningKey] = [:]) { self.fixed = fixed }

    subscript(_ purpose: Purpose) -> RS256SigningKey {
        if let key = fixed[purpose] { return key }
        return switch purpose {
        case .oauth: ProcessKeys.oauth
        case .connectInstall: ProcessKeys.connectInstall
        case .forge: ProcessKeys.forge
        }
    }

    /// `{"keys":[…]}` with the public half of the key for `purpose`.
    func jwks(_ purpose: Purpose) -> JSONValue {
        let key = self[purpose]
        return JSONWebKey.keySet([JSONWebKey.publicJWK(of: key.privateKey.publicKey, keyID: key.keyID)])
    }

    /// The install key's PEM public key if `kid` is its id, else `nil`.
    func installKeyPEM(kid: String) -> String? {
        let key = self[.connectInstall]
        guard kid == key.keyID else { return nil }
        return try? key.privateKey.publicKey.spkiPEM()
    }
}

extension SigningKeys {
    /// The keys a scenario's `keys` section fixes: each PEM given, and every other key derived
    /// from the seed (label: the purpose's name). Made once per distinct section in a process,
    /// since deriving a key takes about as long as generating one.
    init(_ settings: KeySettings) {
        guard !settings.isEmpty else {
            self.init()
            return
        }
        self = FixedKeyCache.keys(for: settings)
    }

    /// Why `pem` cannot sign (not an RSA private key, or under 2048 bits), or `nil`.
    static func problem(pem: String) -> String? {
        do {
            _ = try RSAPrivateKey(pem: pem)
            return nil
        } catch {
            return "expected a PEM RSA private key of at least \(minimumRSAKeyBits) bits: \(error)"
        }
    }

    fileprivate static func make(_ settings: KeySettings) -> SigningKeys {
        var fixed: [Purpose: RS256SigningKey] = [:]
        for purpose in Purpose.allCases {
            if let pem = settings.pem(purpose) {
                fixed[purpose] = try? RS256SigningKey(RSAPrivateKey(pem: pem))
            } else if let seed = settings.seed {
                fixed[purpose] = try? RS256SigningKey(RSAPrivateKey.derived(fromSeed: Array(seed.utf8), label: purpose.rawValue))
            }
            // A key left out here is one validation already refused (a bad PEM) or a derivation
            // that found no prime in its bounded search (odds about 1e-50): the process key stands in.
        }
        return SigningKeys(fixed: fixed)
    }
}

/// Fixed keys made so far in this process, by the `keys` section that made them.
private enum FixedKeyCache {
    static let made = Lock<[KeySettings: SigningKeys]>([:])

    static func keys(for settings: KeySettings) -> SigningKeys {
        if let keys = made.withLock({ $0[settings] }) { return keys }
        // Outside the lock, and off an event loop's thread: it can take a second.
        mayBlock()
        let keys = SigningKeys.make(settings)
        return made.withLock { made in
            if made.count >= 64 { made.removeAll() }  // bounded: scenarios that each fix new keys
            made[settings] = made[settings] ?? keys
            return made[settings] ?? keys
        }
    }
}

/// The process's own keys, each made once on first use by the `static let` that holds it.
///
/// The OAuth and Forge keys have three primes (RFC 8017 multi-prime RSA): the public half, the JWKS
/// and every verifier are exactly those of a two-prime key, but signing is about 1.6x faster, and
/// one signature is most of what a code exchange costs (docs/performance.md). The install key has
/// two and a random `kid`, as Atlassian's install keys are named by an opaque id.
private enum ProcessKeys {
    static let oauth = processSigningKey("the token-signing key")
    static let connectInstall = processSigningKey("the install-signing key", primes: 2, keyID: randomUUID())
    static let forge = processSigningKey("the Forge signing key")
}

/// A new RS256 key for one purpose. `keyID` defaults to the RFC 7638 thumbprint.
private func processSigningKey(_ purpose: String, primes: Int = 3, keyID: String? = nil) -> RS256SigningKey {
    do {
        return RS256SigningKey(try RSAPrivateKey.generate(primes: primes), keyID: keyID)
    } catch {
        fatalError("cannot generate \(purpose): \(error)")  // only when OpenSSL cannot make an RSA key at all
    }
}

/// The `iss` of every access token (docs/reference.md §1.6), and the metadata documents' `issuer`.
enum TokenSigning {
    static let issuer = "https://auth.atlassian.com"
}

extension SigningKeys {
    /// `GET /.well-known/jwks.json` (OAuth) and `GET /forge/.well-known/jwks.json` (Forge).
    static func jwksEndpoint(_ purpose: Purpose) -> EndpointHandler {
        { context in .json(context.snapshot.keys.jwks(purpose)) }
    }

    /// `GET /connect-install-keys/{kid}`: the PEM public key, or 404 for a `kid` the mock never used.
    static let installKeyEndpoint: EndpointHandler = { context in
        guard case .global(_, let parameters) = context.route, let pem = context.snapshot.keys.installKeyPEM(kid: parameters["kid"] ?? "") else {
            return .text("Not Found", status: .notFound)
        }
        return .text(pem, headers: ["Content-Type": "application/x-pem-file"])
    }
}
