import AuthMockFormats

/// How a request's body is delimited (RFC 9112 §6).
public enum BodyFraming: Sendable, Equatable {
    case none
    case contentLength(Int)
    case chunked

    /// Decides framing from the head, refusing every ambiguity that enables request smuggling.
    public static func of(_ head: HTTPRequestHead, limits: HTTPLimits) throws(HTTPParseError) -> BodyFraming {
        let hasLength = head.headers.contains("Content-Length")
        if head.headers.contains("Transfer-Encoding") {
            // RFC 9112 §6.1: a message with both is a smuggling attempt or a broken client; refuse it.
            if hasLength { throw HTTPParseError(.badRequest, "both Transfer-Encoding and Content-Length") }
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 is faulty framing.
            if head.version == .http10 { throw HTTPParseError(.badRequest, "Transfer-Encoding in an HTTP/1.0 request") }
            return try chunkedOnly(head.headers.tokens("Transfer-Encoding"))
        }
        guard hasLength else { return .none }
        let length = try contentLength(head.headers.values("Content-Length"))
        guard length <= limits.maxBodyBytes else {
            throw HTTPParseError(.contentTooLarge, "body of \(length) bytes exceeds \(limits.maxBodyBytes)")
        }
        return length == 0 ? .none : .contentLength(length)
    }

    private static func chunkedOnly(_ codings: [String]) throws(HTTPParseError) -> BodyFraming {
        // RFC 9112 §6.3: in a request, chunked must be the final coding, or the length is unknowable (400).
        guard codings.last == "chunked", codings.filter({ $0 == "chunked" }).count == 1 else {
            throw HTTPParseError(.badRequest, "Transfer-Encoding must end in a single chunked")
        }
        // RFC 9112 §6.1: a transfer coding the server does not understand is answered 501.
        guard codings.count == 1 else {
            throw HTTPParseError(.notImplemented, "transfer coding \(codings.dropLast().joined(separator: ", ")) is not supported")
        }
        return .chunked
    }

    /// RFC 9110 §8.6: a list of identical values is one value; differing or non-numeric values are refused.
    private static func contentLength(_ fields: [String]) throws(HTTPParseError) -> Int {
        let values = fields.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { trimOWS($0) }
        guard let first = values.first, values.allSatisfy({ $0 == first }) else {
            throw HTTPParseError(.badRequest, "differing Content-Length values")
        }
        guard !first.isEmpty, first.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw HTTPParseError(.badRequest, "invalid Content-Length")
        }
        guard let length = Int(first) else { throw HTTPParseError(.contentTooLarge, "Content-Length too large") }
        return length
    }
}

/// Decodes a chunked body incrementally (RFC 9112 §7.1): feed it bytes as they arrive; chunk
/// extensions and trailer fields are read, bounded, and ignored.
public struct ChunkedDecoder: Sendable {
    private enum State: Sendable { case size, data(remaining: Int), dataEnd, trailer, done }

    private var state = State.size
    private var trailerBytes = 0
    private let limits: HTTPLimits
    /// The body decoded so far.
    public private(set) var body: [UInt8] = []
    /// `true` once the last chunk and trailer section are read.
    public var isComplete: Bool { if case .done = state { true } else { false } }

    static let maxSizeLineBytes = 1024

    public init(limits: HTTPLimits) { self.limits = limits }

    /// Consumes what it can of `bytes[start...]` and returns the index after the last byte used.
    public mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(HTTPParseError) -> Int {
        var index = start
        while true {
            switch state {
            case .done:
                return index
            case .data(let remaining):
                let take = min(remaining, bytes.count - index)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + take)]))
                index += take
                state = take == remaining ? .dataEnd : .data(remaining: remaining - take)
                if take < remaining { return index }
            case .size, .dataEnd, .trailer:
                var scanner = LineScanner(bytes: UnsafeBufferPointer(rebasing: bytes[index...]))
                switch scanner.next(limit: Self.maxSizeLineBytes) {
                case .needMore: return index
                case .tooLong: throw HTTPParseError(.badRequest, "chunk line too long")
                case .bareCR: throw HTTPParseError(.badRequest, "bare CR in chunked body")
                case .line(let range):
                    let line = UnsafeBufferPointer(rebasing: bytes[(index + range.lowerBound)..<(index + range.upperBound)])
                    index += scanner.position
                    try advance(past: line)
                }
            }
        }
    }

    private mutating func advance(past line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        switch state {
        case .size:
            let size = try Self.chunkSize(line)
            guard body.count + size <= limits.maxBodyBytes else {
                throw HTTPParseError(.contentTooLarge, "chunked body exceeds \(limits.maxBodyBytes) bytes")
            }
            state = size == 0 ? .trailer : .data(remaining: size)
        case .dataEnd:
            guard line.isEmpty else { throw HTTPParseError(.badRequest, "chunk data longer than its size") }
            state = .size
        case .trailer:
            trailerBytes += line.count
            if trailerBytes > limits.maxHeaderBytes { throw HTTPParseError(.requestHeaderFieldsTooLarge, "trailer section too large") }
            if line.isEmpty {
                state = .done
            } else {
                _ = try HTTPHeadParser.parseField(line, 0..<line.count)
            }
        case .data, .done:
            break
        }
    }

    /// `chunk-size [ BWS ";" chunk-ext ]`: 1 to 15 hex digits (so the size fits an Int).
    static func chunkSize(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
        var size = 0
        var digits = 0
        for byte in line {
            guard let value = hexDigitValue(byte) else { break }
            size = size << 4 | Int(value)
            digits += 1
            if digits > 15 { throw HTTPParseError(.badRequest, "chunk size too large") }
        }
        guard digits > 0 else { throw HTTPParseError(.badRequest, "invalid chunk size") }
        let rest = line[digits...].drop { $0 == 0x20 || $0 == 0x09 }
        guard rest.isEmpty || rest.first == UInt8(ascii: ";") else { throw HTTPParseError(.badRequest, "invalid chunk size") }
        return size
    }
}
