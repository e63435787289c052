import COpenSSL

/// The largest modulus `RSAPrivateKey.derived(fromSeed:label:bits:)` makes, which bounds how long
/// one call can take (the prime search grows steeply with size: 4096 bits already takes seconds).
public let maximumDerivedRSAKeyBits = 8192

extension RSAPrivateKey {
    /// An RSA key that is a pure function of `seed`, `label` and `bits`: the same three give the
    /// same key in every process, on every machine and with every OpenSSL 3 release, so replicas
    /// of the mock started from one scenario publish the same JWKS and accept each other's tokens.
    /// `label` tells apart the keys one seed makes ("oauth", "connect-install", "forge", …).
    ///
    /// The key is only as secret as the seed: anyone who knows the seed can make it. It is for
    /// test fixtures and mock replicas, never for a key that guards anything real.
    ///
    /// How bytes become the key (changing any step changes every derived key, so the tests pin
    /// one known answer):
    /// - A byte stream: block *i* (i = 1, 2, …) is HMAC-SHA256 keyed with `seed` over
    ///   `i ‖ UTF-8(label) ‖ 0x00 ‖ "confluence-auth-mock RSA prime candidates v1" ‖ bits`,
    ///   `i` and `bits` as 4 bytes big-endian; the stream is the blocks one after another.
    ///   This is NIST SP 800-108's counter mode with the modulus size where it puts the output
    ///   length, as the stream's length is not known in advance.
    /// - A candidate is the next ⌈(bits/2)/8⌉ stream bytes read big-endian, cut to bits/2 bits,
    ///   with its two top bits and its low bit set (so p·q has exactly `bits` bits and p is odd).
    /// - p is the first candidate with gcd(65537, p − 1) = 1 that OpenSSL's `BN_check_prime`
    ///   accepts; q is the first such candidate after p, other than p.
    /// - e = 65537, n = p·q, d = e⁻¹ mod lcm(p − 1, q − 1) (Carmichael's λ(n), as FIPS 186-4
    ///   B.3.1 prescribes, rather than φ(n)), dp = d mod (p − 1), dq = d mod (q − 1),
    ///   qi = q⁻¹ mod p.
    ///
    /// - Throws: `CryptoError` when `bits` is odd, below `minimumRSAKeyBits` or above
    ///   `maximumDerivedRSAKeyBits`, when no prime turns up in the bounded search (a sound
    ///   stream never gets there), or when OpenSSL fails.
    public static func derived(fromSeed seed: some Collection<UInt8>, label: String, bits: Int = 2048) throws(CryptoError) -> RSAPrivateKey {
        try checkDerivableSize(bits)
        var stream = DerivationStream(seed: Array(seed), label: label, bits: bits)
        let context = try BigNumberContext()
        let exponent = try BigNumber(word: 65537)
        let p = try firstPrime(bits: bits / 2, from: &stream, exponent: exponent, excluding: nil, context)
        let q = try firstPrime(bits: bits / 2, from: &stream, exponent: exponent, excluding: p, context)
        return try makeKey(p: p, q: q, exponent: exponent, context)
    }

    private static func checkDerivableSize(_ bits: Int) throws(CryptoError) {
        guard bits >= minimumRSAKeyBits else { throw CryptoError.refused(derivation, "fewer than \(minimumRSAKeyBits) bits") }
        guard bits <= maximumDerivedRSAKeyBits else { throw CryptoError.refused(derivation, "more than \(maximumDerivedRSAKeyBits) bits") }
        // Two primes of bits/2 bits each are what make a modulus of exactly `bits` bits.
        guard bits % 2 == 0 else { throw CryptoError.refused(derivation, "an odd number of bits") }
    }

    /// The first candidate of `bits` bits from `stream` that can serve as a prime factor.
    ///
    /// The search is bounded so that a broken stream (one that repeats, say) fails instead of
    /// spinning forever. Among odd numbers of k bits about one in k·ln2/2 is prime, so 40·k
    /// candidates hold some 115 primes on average; a sound stream finding none has odds near
    /// e⁻¹¹⁵ (10⁻⁵⁰), so the bound is never reached by a real seed.
    private static func firstPrime(bits: Int, from stream: inout DerivationStream, exponent: BigNumber,
                                   excluding other: BigNumber?, _ context: BigNumberContext) throws(CryptoError) -> BigNumber {
        for _ in 0..<(40 * bits) {
            let candidate = try nextCandidate(bits: bits, from: &stream)
            if let other, BN_cmp(candidate.pointer, other.pointer) == 0 { continue }
            if try isUsablePrime(candidate, exponent: exponent, context) { return candidate }
        }
        throw CryptoError.refused(derivation, "no \(bits)-bit prime among \(40 * bits) candidates")
    }

    /// The next `bits`-bit candidate: stream bytes, cut to `bits` bits, top two bits and low bit set.
    private static func nextCandidate(bits: Int, from stream: inout DerivationStream) throws(CryptoError) -> BigNumber {
        var bytes = try stream.next((bits + 7) / 8)
        // Cut to `bits` bits here: BN_mask_bits fails on a number already shorter than its width.
        bytes[0] &= UInt8(0xFF >> (bytes.count * 8 - bits))
        let candidate = try BigNumber(bigEndian: bytes)
        // Two top bits: the product of two such numbers has all 2·bits bits (each is at least
        // 1.5·2^(bits−1), so the product is at least 2.25·2^(2·bits−2)). Low bit: primes are odd.
        guard BN_set_bit(candidate.pointer, Int32(bits - 1)) == 1,
              BN_set_bit(candidate.pointer, Int32(bits - 2)) == 1,
              BN_set_bit(candidate.pointer, 0) == 1
        else { throw CryptoError.fromOpenSSL(derivation) }
        return candidate
    }

    /// `true` when `candidate` is prime and e is invertible modulo `candidate − 1`.
    ///
    /// The cheap gcd goes first, so only candidates that could serve reach the primality test.
    /// `BN_check_prime` (trial division, then Miller–Rabin with random bases: 64 rounds up to 2048
    /// bits, 128 above) calls a composite prime with probability below 2⁻¹²⁸, so its verdict, and
    /// with it the key, is the same on every run.
    private static func isUsablePrime(_ candidate: BigNumber, exponent: BigNumber, _ context: BigNumberContext) throws(CryptoError) -> Bool {
        let lessOne = try candidate.minusOne()
        let divisor = try BigNumber()
        try openSSLCheck(BN_gcd(divisor.pointer, lessOne.pointer, exponent.pointer, context.pointer), derivation)
        guard BN_is_one(divisor.pointer) == 1 else { return false }
        let verdict = BN_check_prime(candidate.pointer, context.pointer, nil)
        guard verdict >= 0 else { throw CryptoError.fromOpenSSL("primality test") }
        return verdict == 1
    }

    /// The key with factors `p` and `q`, built through the same import as a JWK's members.
    private static func makeKey(p: BigNumber, q: BigNumber, exponent: BigNumber, _ context: BigNumberContext) throws(CryptoError) -> RSAPrivateKey {
        let pLessOne = try p.minusOne(), qLessOne = try q.minusOne()
        let modulus = try BigNumber(), privateExponent = try BigNumber()
        let lambda = try leastCommonMultiple(pLessOne, qLessOne, context)
        let dp = try BigNumber(), dq = try BigNumber(), qi = try BigNumber()
        try openSSLCheck(BN_mul(modulus.pointer, p.pointer, q.pointer, context.pointer), derivation)
        // BN_mod_inverse returns its result pointer, or nil when there is no inverse.
        _ = try openSSLCheck(BN_mod_inverse(privateExponent.pointer, exponent.pointer, lambda.pointer, context.pointer), "RSA private exponent")
        try openSSLCheck(BN_div(nil, dp.pointer, privateExponent.pointer, pLessOne.pointer, context.pointer), derivation)
        try openSSLCheck(BN_div(nil, dq.pointer, privateExponent.pointer, qLessOne.pointer, context.pointer), derivation)
        _ = try openSSLCheck(BN_mod_inverse(qi.pointer, q.pointer, p.pointer, context.pointer), "RSA CRT coefficient")
        let components: [(name: StaticString, value: [UInt8])] = [
            ("n", modulus.bigEndianBytes), ("e", exponent.bigEndianBytes), ("d", privateExponent.bigEndianBytes),
            ("rsa-factor1", p.bigEndianBytes), ("rsa-factor2", q.bigEndianBytes),
            ("rsa-exponent1", dp.bigEndianBytes), ("rsa-exponent2", dq.bigEndianBytes), ("rsa-coefficient1", qi.bigEndianBytes),
        ]
        let key = try EVPKey.fromRSAComponents(components, selection: cam_selection_keypair())
        try checkSize(key)
        return RSAPrivateKey(key: key)
    }

    /// lcm(a, b) = a·b / gcd(a, b).
    private static func leastCommonMultiple(_ a: BigNumber, _ b: BigNumber, _ context: BigNumberContext) throws(CryptoError) -> BigNumber {
        let product = try BigNumber(), divisor = try BigNumber(), result = try BigNumber()
        try openSSLCheck(BN_mul(product.pointer, a.pointer, b.pointer, context.pointer), derivation)
        try openSSLCheck(BN_gcd(divisor.pointer, a.pointer, b.pointer, context.pointer), derivation)
        try openSSLCheck(BN_div(result.pointer, nil, product.pointer, divisor.pointer, context.pointer), derivation)
        return result
    }

    private static var derivation: String { "RSA key derivation" }
}

/// The deterministic byte stream a derived key's candidates are read from (see
/// `RSAPrivateKey.derived(fromSeed:label:bits:)` for its definition).
private struct DerivationStream {
    private let seed: [UInt8]
    /// The HMAC input, its first four bytes the block counter, rewritten for each block.
    private var input: [UInt8]
    private var counter: UInt32 = 0
    private var pending: [UInt8] = []

    init(seed: [UInt8], label: String, bits: Int) {
        self.seed = seed
        // The label is the only field of variable length, so the input parses one way only.
        input = [0, 0, 0, 0] + Array(label.utf8) + [0] + Array("confluence-auth-mock RSA prime candidates v1".utf8)
            + Self.bigEndian(UInt32(truncatingIfNeeded: bits))
    }

    /// The next `count` bytes of the stream.
    mutating func next(_ count: Int) throws(CryptoError) -> [UInt8] {
        while pending.count < count {
            // The search bound keeps the count far below 2³², but a wrapped counter would repeat
            // the stream, so it is refused rather than trusted.
            guard counter < UInt32.max else { throw CryptoError.refused("RSA key derivation", "byte stream exhausted") }
            counter += 1
            input.replaceSubrange(0..<4, with: Self.bigEndian(counter))
            pending += try HMACSHA256.compute(message: input, key: seed)
        }
        let bytes = Array(pending.prefix(count))
        pending.removeFirst(count)
        return bytes
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// One OpenSSL `BIGNUM`, cleared and freed with its last reference (the factors are secret).
private final class BigNumber {
    let pointer: OpaquePointer

    init() throws(CryptoError) { pointer = try openSSLCheck(BN_new(), "big number") }

    convenience init(word: UInt) throws(CryptoError) {
        try self.init()
        try openSSLCheck(BN_set_word(pointer, word), "big number")
    }

    init(bigEndian bytes: [UInt8]) throws(CryptoError) {
        pointer = try openSSLCheck(BN_bin2bn(bytes, Int32(bytes.count), nil), "big number")
    }

    deinit { BN_clear_free(pointer) }

    /// This number minus one, as a new number.
    func minusOne() throws(CryptoError) -> BigNumber {
        let result = try BigNumber()
        guard BN_copy(result.pointer, pointer) != nil, BN_sub_word(result.pointer, 1) == 1 else {
            throw CryptoError.fromOpenSSL("big number")
        }
        return result
    }

    var bigEndianBytes: [UInt8] { bigEndianBytesOf(pointer) }
}

/// An OpenSSL `BN_CTX`: scratch space for the big-number arithmetic, freed with its owner.
private final class BigNumberContext {
    let pointer: OpaquePointer

    init() throws(CryptoError) { pointer = try openSSLCheck(BN_CTX_new(), "big number context") }
    deinit { BN_CTX_free(pointer) }
}
