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
}
