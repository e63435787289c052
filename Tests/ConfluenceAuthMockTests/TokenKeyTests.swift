import Testing
@testable import ConfluenceAuthMock

/// Access tokens are looked up by a key that hashes only their ending; lookups must stay exact.
@Suite struct TokenKeyTests {
    @Test func tokensThatShareAnEndingAreStillDifferentKeys() {
        let ending = String(repeating: "s", count: 40)
        let first = "header.payload-one." + ending, second = "header.payload-two." + ending
        var grants: [TokenKey: Int] = [TokenKey(first): 1]
        #expect(grants[TokenKey(second)] == nil)
        grants[TokenKey(second)] = 2
        #expect(grants[TokenKey(first)] == 1 && grants[TokenKey(second)] == 2 && grants.count == 2)
    }

    @Test func equalTokensHashAlike() {
        let token = "eyJhbGciOiJSUzI1NiJ9." + String(repeating: "p", count: 600) + ".signature-bytes"
        let copy = String(token.utf8.map { Character(UnicodeScalar($0)) })
        #expect(TokenKey(token) == TokenKey(copy) && TokenKey(token).hashValue == TokenKey(copy).hashValue)
        #expect(TokenKey("short") != TokenKey("Short"))
    }

    /// A lookup key takes the stored key's split: a presented token with a `.` moved cannot make
    /// the stored signature compare fast, and equality stays exact.
    @Test func aLookupKeyFindsExactlyItsToken() {
        let token = "header.claims.signature-bytes-0123456789"
        let grants: [TokenKey: Int] = [TokenKey(token): 1]
        #expect(grants[TokenKey(lookingUp: token)] == 1)
        #expect(grants[TokenKey(lookingUp: "header.claims.signature-bytes-012345678.")] == nil)
        #expect(grants[TokenKey(lookingUp: "header.claimz.signature-bytes-0123456789")] == nil)
        #expect(TokenKey(lookingUp: "opaque") == TokenKey(lookingUp: "opaque") && TokenKey(lookingUp: "opaque") != TokenKey(lookingUp: "opaquE"))
    }
}
