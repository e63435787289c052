import Testing
@testable import AuthMockCrypto

private func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(hex.utf8).makeIterator()
    while let high = chars.next(), let low = chars.next() {
        out.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)!)
    }
    return out
}

@Suite struct DigestTests {
    @Test func sha256KnownAnswers() {
        #expect(SHA256.hexHash(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexHash([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// RFC 4231 §4.2–4.8 (case 5 truncates the output to 128 bits; its prefix is compared).
    @Test(arguments: [
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 20), String(repeating: "dd", count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("0102030405060708090a0b0c0d0e0f10111213141516171819", String(repeating: "cd", count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ("0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e",
         "a3b6167473100ee06e0c796c2955552b"),
        (String(repeating: "aa", count: 131),
         "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (String(repeating: "aa", count: 131),
         "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func hmacSHA256RFC4231(key: String, data: String, expected: String) {
        let mac = Hex.encode(HMACSHA256.authenticationCode(for: bytes(hex: data), key: bytes(hex: key)))
        #expect(mac.hasPrefix(expected))
        #expect(HMACSHA256.isValid(bytes(hex: expected), for: bytes(hex: data), key: bytes(hex: key)) == (expected.count == 64))
    }

    /// Each thread keeps one HMAC context and re-keys it per MAC: alternating keys (a long one that
    /// is hashed first, an empty one, a short one) on several threads at once must never mix them.
    @Test func hmacRekeysItsThreadContextEveryCall() async {
        let cases: [(key: [UInt8], data: [UInt8], expected: String)] = [
            (bytes(hex: String(repeating: "aa", count: 131)), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            ([], [], "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
            (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ]
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    (0..<300).reduce(0) { count, round in
                        let test = cases[(round + worker) % cases.count]
                        return count + (Hex.encode(HMACSHA256.authenticationCode(for: test.data, key: test.key)) == test.expected ? 0 : 1)
                    }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func hmacAcceptsAnEmptyKey() {
        // Python: hmac.new(b"", b"", hashlib.sha256).hexdigest()
        #expect(Hex.encode(HMACSHA256.authenticationCode(for: [UInt8](), key: [UInt8]()))
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}

@Suite struct Base64URLTests {
    @Test func roundTripsEveryLength() {
        for length in 0...64 {
            let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let encoded = Base64URL.encode(input)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(Base64URL.decode(encoded) == input)
        }
    }

    @Test func knownAnswers() {
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
    }

    @Test(arguments: ["Zg==", "Zg=", "+_8", "/_8", "Zm9v YmFy", "Zm9vY", "Zh", "Zm9vYmFy\n", "Zm9vYmF~", "é"])
    func refusesNonCanonicalText(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

@Suite struct SecretHandlingTests {
    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals("alice-api-token", "alice-api-token"))
        #expect(!ConstantTime.equals("alice-api-token", "alice-api-tokeN"))
        #expect(!ConstantTime.equals("alice-api-token", "alice-api-toke"))
        #expect(!ConstantTime.equals("", "x"))
        #expect(ConstantTime.equals("", ""))
    }

    @Test func signedTokensCompareByEveryByte() {
        func same(_ a: String, _ b: String) -> Bool {
            ConstantTime.equals(a, b, secretFrom: min(ConstantTime.secretStart(ofSignedToken: a), ConstantTime.secretStart(ofSignedToken: b)))
        }
        #expect(ConstantTime.secretStart(ofSignedToken: "h.claims.sig") == 9)
        #expect(ConstantTime.secretStart(ofSignedToken: "opaque") == 0)
        #expect(ConstantTime.secretStart(ofSignedToken: "ends.") == 5)
        #expect(same("h.claims.sig", "h.claims.sig"))
        #expect(!same("h.claims.sig", "h.claimz.sig"))   // differs before the signature
        #expect(!same("h.claims.sig", "h.claims.siG"))   // differs in it
        #expect(!same("h.claims.sig", "h.claims.si.")) // a dot moved to the end
        #expect(!same("h.claims.sig", "hXclaims.sig"))  // the same split, a different header
        #expect(!same("h.claims.sig", "h.claims.sigs"))
        #expect(same("opaque", "opaque") && !same("opaque", "opaquE") && same("", ""))
        // Out-of-range starts are clamped rather than trusted.
        #expect(ConstantTime.equals("a.b", "a.b", secretFrom: 99) && ConstantTime.equals("a.b", "a.b", secretFrom: -4))
        #expect(!ConstantTime.equals("a.b", "a.c", secretFrom: 99))
    }

    @Test func randomBytesDifferAndTokensAreURLSafe() {
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
        #expect(SecureRandom.bytes(0).isEmpty)
        let token = SecureRandom.token()
        #expect(token.count == 43)
        #expect(Base64URL.decode(token)?.count == 32)
    }
}
