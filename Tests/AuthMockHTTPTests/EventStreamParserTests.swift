import Testing
@testable import AuthMockHTTP

/// Server-Sent Events split into events however the stream was cut into reads.
@Suite struct EventStreamParserTests {
    static let stream = ": comment\n\nid: 1\nevent: request\ndata: {\"a\":1}\n\nevent: dropped\r\ndata: one\r\ndata:two\r\n\r\ndata: plain\n\n"
    static let expected = [EventStreamParser.Event(name: "request", data: #"{"a":1}"#), .init(name: "dropped", data: "one\ntwo"),
                           .init(name: "message", data: "plain")]

    @Test(arguments: [1, 2, 3, 7, 1000])
    func eventsAreTheSameWhateverTheReadSizes(_ size: Int) {
        var parser = EventStreamParser()
        let bytes = Array(Self.stream.utf8)
        var events: [EventStreamParser.Event] = []
        for start in stride(from: 0, to: bytes.count, by: size) { events += parser.feed(Array(bytes[start..<min(start + size, bytes.count)])) }
        #expect(events == Self.expected)
    }

    @Test func anUnendedLineOrEventCannotGrowWithoutBound() {
        var parser = EventStreamParser()
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        for _ in 0..<40 { #expect(parser.feed(chunk).isEmpty) }
        #expect(parser.feed(Array("\n\ndata: after\n\n".utf8)) == [.init(data: "after")], "the oversized line was dropped, the stream goes on")
        let line = Array(("data: " + String(repeating: "y", count: 600 * 1024) + "\n").utf8)
        #expect(parser.feed(line + line + Array("\n".utf8)).isEmpty, "an event over the limit is dropped")
    }
}
