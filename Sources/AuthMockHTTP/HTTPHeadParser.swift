import AuthMockFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The request line and header fields of one request, validated.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: String
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
}

/// What the head parser made of the bytes so far.
public enum HTTPHeadParseResult: Sendable, Equatable {
    /// No complete head yet; read more.
    case incomplete
    /// A head, and how many bytes it took (the body, if any, follows).
    case complete(HTTPRequestHead, length: Int)
    case invalid(HTTPParseError)
}

/// Parses a request head from raw bytes per RFC 9112. Pure and bounded: it never reads past the
/// limits, so a hostile client costs at most `maxRequestLineBytes + maxHeaderBytes` of memory.
public enum HTTPHeadParser {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) -> HTTPHeadParseResult {
        var lines = LineScanner(bytes: bytes)
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
        var requestLine: Range<Int>
        var emptyLines = 0
        repeat {
            switch lines.next(limit: limits.maxRequestLineBytes) {
            case .line(let range): requestLine = range
            case .needMore: return .incomplete
            case .tooLong: return .invalid(HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineBytes) bytes"))
            case .bareCR: return .invalid(HTTPParseError(.badRequest, "bare CR in request line"))
            }
            if requestLine.isEmpty { emptyLines += 1 }
            if emptyLines > 2 { return .invalid(HTTPParseError(.badRequest, "empty lines instead of a request line")) }
        } while requestLine.isEmpty
        let headStart = lines.position
        var fieldLines: [Range<Int>] = []
        // Requests carry a handful of fields: room for them up front spares the regrowths.
        fieldLines.reserveCapacity(16)
        while true {
            let remaining = limits.maxHeaderBytes - (lines.position - headStart)
            switch lines.next(limit: max(remaining, 0)) {
            case .line(let range) where range.isEmpty:
                return build(bytes, requestLine: requestLine, fieldLines: fieldLines, length: lines.position, limits: limits)
            case .line(let range):
                fieldLines.append(range)
                if fieldLines.count > limits.maxHeaderCount {
                    return .invalid(HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(limits.maxHeaderCount) header fields"))
                }
            case .needMore: return .incomplete
            case .tooLong: return .invalid(HTTPParseError(.requestHeaderFieldsTooLarge, "header block larger than \(limits.maxHeaderBytes) bytes"))
            case .bareCR: return .invalid(HTTPParseError(.badRequest, "bare CR in a header line"))
            }
        }
    }

    private static func build(_ bytes: UnsafeBufferPointer<UInt8>, requestLine: Range<Int>, fieldLines: [Range<Int>],
                              length: Int, limits: HTTPLimits) -> HTTPHeadParseResult {
        do {
            let (method, target, version) = try parseRequestLine(bytes, requestLine)
            var headers = HTTPHeaders()
            headers.reserveCapacity(fieldLines.count)
            for range in fieldLines {
                let field = try parseField(bytes, range)
                headers.add(field.name, field.value)
            }
            return .complete(HTTPRequestHead(method: method, target: target, version: version, headers: headers), length: length)
        } catch {
            return .invalid(error)
        }
    }

    /// `method SP request-target SP HTTP-version` with single spaces (RFC 9112 §3).
    static func parseRequestLine(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) throws(HTTPParseError) -> (String, String, HTTPVersion) {
        guard let firstSpace = bytes[line].firstIndex(of: 0x20),
              let secondSpace = bytes[(firstSpace + 1)..<line.upperBound].firstIndex(of: 0x20),
              !bytes[(secondSpace + 1)..<line.upperBound].contains(0x20)
        else { throw HTTPParseError(.badRequest, "malformed request line") }
        let method = line.lowerBound..<firstSpace, target = (firstSpace + 1)..<secondSpace, version = (secondSpace + 1)..<line.upperBound
        guard !method.isEmpty, method.allSatisfy({ isTokenCharacter(bytes[$0]) }) else { throw HTTPParseError(.badRequest, "invalid method") }
        guard !target.isEmpty, target.allSatisfy({ bytes[$0] > 0x20 && bytes[$0] < 0x7F }) else {
            throw HTTPParseError(.badRequest, "invalid request target")
        }
        return (text(bytes, method), text(bytes, target), try parseVersion(text(bytes, version)))
    }

    private static func parseVersion(_ versionText: String) throws(HTTPParseError) -> HTTPVersion {
        if let version = HTTPVersion(rawValue: versionText) { return version }
        let isHTTP = versionText.utf8.count == 8 && versionText.hasPrefix("HTTP/") && versionText.dropFirst(5).enumerated()
            .allSatisfy { $0.offset == 1 ? $0.element == "." : $0.element.isNumber }
        throw isHTTP ? HTTPParseError(.httpVersionNotSupported, "\(versionText) is not supported")
                     : HTTPParseError(.badRequest, "invalid HTTP version")
    }

    /// `field-name ":" OWS field-value OWS` (RFC 9112 §5).
    static func parseField(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) throws(HTTPParseError) -> HTTPField {
        // RFC 9112 §5.2: obsolete line folding is refused with 400.
        if !line.isEmpty && isOWS(bytes[line.lowerBound]) { throw HTTPParseError(.badRequest, "obsolete line folding in header") }
        guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) else { throw HTTPParseError(.badRequest, "header line without a colon") }
        let name = line.lowerBound..<colon, value = (colon + 1)..<line.upperBound
        // RFC 9112 §5.1: no white space between the field name and the colon; the name is a token.
        guard !name.isEmpty, name.allSatisfy({ isTokenCharacter(bytes[$0]) }) else { throw HTTPParseError(.badRequest, "invalid header name") }
        // RFC 9110 §5.5: field values are VCHAR, SP, HTAB and obs-text; other control characters are refused.
        guard isFieldValue(bytes, value) else {
            throw HTTPParseError(.badRequest, "invalid character in header value")
        }
        return HTTPField(name: text(bytes, name), value: trimmedString(bytes, value))
    }

    /// `true` when `bytes[from...]` holds LF (CR) LF, the end of a head. Line by line with
    /// memchr, which scans many bytes an instruction: a byte-at-a-time loop was 7 % of a Bearer
    /// request's instructions (its 1.3 KB head).
    static func containsBlankLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var index = max(start, 0)
        while index + 1 < bytes.count, let found = memchr(base + index, 0x0A, bytes.count - index) {
            let lineFeed = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            guard lineFeed + 1 < bytes.count else { return false }
            if bytes[lineFeed + 1] == 0x0A { return true }
            if bytes[lineFeed + 1] == 0x0D && lineFeed + 2 < bytes.count && bytes[lineFeed + 2] == 0x0A { return true }
            index = lineFeed + 1
        }
        return false
    }

    /// Whether every byte is VCHAR, SP, HTAB or obs-text. Eight bytes at a time (``ByteWords``): a
    /// bearer token makes this the longest value of most requests. A word holding a byte under
    /// 0x20 or a DEL is checked byte by byte, since HTAB is allowed.
    static func isFieldValue(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let base = bytes.baseAddress else { return range.isEmpty }
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            let word = ByteWords.word(base, at: index)
            if ByteWords.hasByte(below: 0x20, in: word) || ByteWords.hasByte(0x7F, in: word) {
                for offset in index..<(index + 8) where !isFieldValueByte(base[offset]) { return false }
            }
            index += 8
        }
        return (index..<range.upperBound).allSatisfy { isFieldValueByte(base[$0]) }
    }

    private static func isFieldValueByte(_ byte: UInt8) -> Bool { byte == 0x09 || (byte >= 0x20 && byte != 0x7F) }

    @inline(__always)
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// RFC 9110 §5.6.2 tchar.
    @inline(__always)
    static func isTokenCharacter(_ byte: UInt8) -> Bool { tokenCharacters[Int(byte)] }

    private static let tokenCharacters: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

/// Finds lines ending in CRLF (or a lone LF, which RFC 9112 §2.2 lets a recipient accept);
/// a CR not followed by LF is reported, since RFC 9112 §2.2 makes it invalid.
struct LineScanner {
    enum Step { case line(Range<Int>), needMore, tooLong, bareCR }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The next line, if its LF is at most `limit` bytes past its start. `memchr` finds the LF
    /// and any CR (each a vectorised scan): header lines carry long tokens.
    mutating func next(limit requested: Int) -> Step {
        let limit = max(requested, 0), available = bytes.count - position
        guard available > 0, let base = bytes.baseAddress.map({ $0 + position }) else { return available > limit ? .tooLong : .needMore }
        let window = limit >= available ? available : limit + 1
        if let lf = memchr(base, 0x0A, window) {
            let lfOffset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(lf))
            // The first CR must be the one right before the LF, or there must be none.
            if let cr = memchr(base, 0x0D, lfOffset), UnsafeRawPointer(base).distance(to: UnsafeRawPointer(cr)) < lfOffset - 1 { return .bareCR }
            let end = lfOffset > 0 && base[lfOffset - 1] == 0x0D ? lfOffset - 1 : lfOffset
            let line = position..<(position + end)
            position += lfOffset + 1
            return .line(line)
        }
        // No LF in reach: a CR followed by a byte (which is not an LF) is bare.
        if let cr = memchr(base, 0x0D, window) {
            let crOffset = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(cr))
            if crOffset + 1 < available && base[crOffset + 1] != 0x0A { return .bareCR }
        }
        return available > limit ? .tooLong : .needMore
    }
}
