import Testing
import AuthMockFormats

/// The byte-level string helpers every request goes through (paths, targets, header names).
@Suite struct UTF8SearchTests {
    @Test func caseInsensitiveEqualityFoldsASCIILettersOnly() {
        #expect("Content-Type".equalsIgnoringASCIICase("content-TYPE"))
        #expect("A436116F-02CE".equalsIgnoringASCIICase("a436116f-02ce"))
        #expect(!"Content-Type".equalsIgnoringASCIICase("Content-Typf"))
        #expect(!"abc".equalsIgnoringASCIICase("abcd"))
        // Non-ASCII bytes must match exactly: "É" is not folded to "é".
        #expect("café".equalsIgnoringASCIICase("CAFé"))
        #expect(!"CAFÉ".equalsIgnoringASCIICase("café"))
        // Letters only: "@" (0x40) and "`" (0x60) differ by the case bit but are not letters.
        #expect(!"a@b".equalsIgnoringASCIICase("a`b"))
        #expect("".equalsIgnoringASCIICase(""))
        // A long (heap-stored) string takes the same path as a small one.
        let long = String(repeating: "Header-Name-", count: 20)
        #expect(long.equalsIgnoringASCIICase(long.uppercased()))
        #expect(!long.equalsIgnoringASCIICase(long.uppercased() + "X"))
    }

    @Test func firstIndexOfASCIIFindsTheByteInStringsAndSubstrings() {
        let path = "/site/acme/wiki/rest"
        #expect(path.firstIndex(ofASCII: UInt8(ascii: "/")) == path.startIndex)
        let afterPrefix = path.dropFirst("/site/".count)
        let slash = afterPrefix.firstIndex(ofASCII: UInt8(ascii: "/"))
        #expect(slash.map { String(afterPrefix[..<$0]) } == "acme")
        #expect(path.firstIndex(ofASCII: UInt8(ascii: "?")) == nil)
        // Multi-byte characters before the byte: the index is still on the right character.
        let accented = "héllo?x=1"
        #expect(accented.firstIndex(ofASCII: UInt8(ascii: "?")).map { String(accented[..<$0]) } == "héllo")
    }

    @Test func containsUTF8ByteChecksEveryByte() {
        #expect("a\r\nb".containsUTF8Byte { $0 == 0x0A })
        #expect(!"plain".containsUTF8Byte { $0 < 0x20 })
        #expect("é".containsUTF8Byte { $0 >= 0x80 })
        #expect(!"ascii".containsUTF8Byte { $0 >= 0x80 })
        #expect("x+y".dropFirst().containsUTF8Byte { $0 == UInt8(ascii: "+") })
        #expect(!"x+y".dropFirst(2).containsUTF8Byte { $0 == UInt8(ascii: "+") })
    }

    @Test func hasUTF8PrefixComparesBytesWithoutNormalizing() {
        #expect("/ex/confluence/abc".hasUTF8Prefix("/ex/confluence/"))
        #expect(!"/ex/conf".hasUTF8Prefix("/ex/confluence/"))
        #expect("anything".hasUTF8Prefix(""))
        // "é" precomposed and "e" + combining acute are equal Strings, but not equal bytes.
        #expect("\u{E9}t\u{E9}" == "e\u{301}t\u{E9}")
        #expect(!"\u{E9}t\u{E9}".hasUTF8Prefix("e\u{301}"))
        #expect("\u{E9}t\u{E9}".hasUTF8Prefix("\u{E9}t"))
    }
}
