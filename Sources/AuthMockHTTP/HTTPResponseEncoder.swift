import AuthMockFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serializes a response head and body into one buffer, so that it leaves in a single `send`.
struct HTTPResponseEncoder {
    private var dateCache = HTTPDate()

    /// The bytes of the response. `Date` and `Content-Length` are the server's; `Connection` says
    /// whether the connection stays open. `includeBody` is `false` for HEAD (RFC 9110 §9.3.2: the
    /// head is the GET head, `Content-Length` included).
    mutating func encode(_ response: HTTPResponse, keepAlive: Bool, version: HTTPVersion, includeBody: Bool) -> (bytes: [UInt8], headLength: Int) {
        var out = ByteWriter(capacity: 0)
        let headLength = encode(response, keepAlive: keepAlive, version: version, includeBody: includeBody, into: &out)
        return (out.bytes, headLength)
    }

    /// ``encode(_:keepAlive:version:includeBody:)`` into `out`, which the caller sends in place;
    /// returns the head's length.
    mutating func encode(_ response: HTTPResponse, keepAlive: Bool, version: HTTPVersion, includeBody: Bool,
                         into out: inout ByteWriter) -> Int {
        out.append(Self.statusLineStart)
        out.append(decimal: response.status.code)
        out.append(0x20)
        appendSafe(response.status.reason, to: &out)
        out.append(Self.lineEnd)
        appendField("Date", dateCache.now(), to: &out)
        for field in response.headers.fields where !Self.serverOwned(field.name) {
            appendField(field.name, field.value, to: &out)
        }
        if response.status.allowsBody && response.stream == nil {
            if !response.body.isEmpty && !response.headers.contains("Content-Type") {
                appendField("Content-Type", "application/octet-stream", to: &out)
            }
            out.append(Self.contentLength)
            out.append(decimal: response.body.count)
            out.append(Self.lineEnd)
        }
        if !keepAlive {
            appendField("Connection", "close", to: &out)
        } else if version == .http10 {
            appendField("Connection", "keep-alive", to: &out)
        }
        out.append(Self.lineEnd)
        let headLength = out.count
        if includeBody && response.status.allowsBody { out.append(response.body) }
        return headLength
    }

    private static func serverOwned(_ name: String) -> Bool {
        // The lengths of the four names first: most fields are none of them.
        let length = name.utf8.count
        guard length == 4 || length == 10 || length == 14 || length == 17 else { return false }
        return HTTPHeaders.sameName(name, "Date") || HTTPHeaders.sameName(name, "Content-Length")
            || HTTPHeaders.sameName(name, "Connection") || HTTPHeaders.sameName(name, "Transfer-Encoding")
    }

    /// Writes `name: value`, dropping CR, LF and NUL from both so a handler can never split the
    /// response (header injection).
    private func appendField(_ name: String, _ value: String, to out: inout ByteWriter) {
        appendSafe(name, to: &out)
        out.append(Self.separator)
        appendSafe(value, to: &out)
        out.append(Self.lineEnd)
    }

    // Byte arrays rather than string literals: appending a literal's `UTF8View` cost about 170
    // instructions each, sixteen times a response.
    private static let statusLineStart = Array("HTTP/1.1 ".utf8), separator = Array(": ".utf8), lineEnd = Array("\r\n".utf8),
                       contentLength = Array("Content-Length: ".utf8)

    /// Appends a header name or value without CR, LF or NUL, so no value can split the head.
    private func appendSafe(_ text: String, to out: inout ByteWriter) {
        // Over the string's own bytes, eight at a time, copied with one memcpy when safe: every
        // field of every response passes here.
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var index = 0
            // CR, LF and NUL are all below 0x0E; a word with none of those is safe whole.
            while index + 8 <= bytes.count && !ByteWords.hasByte(below: 0x0E, in: ByteWords.word(base, at: index)) { index += 8 }
            while index < bytes.count && !Self.isUnsafe(base[index]) { index += 1 }
            if index == bytes.count { out.append(bytes) } else { appendDroppingUnsafe(bytes, to: &out) }
        }
    }

    private func appendDroppingUnsafe(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
        for byte in bytes where !Self.isUnsafe(byte) { out.append(byte) }
    }

    private static func isUnsafe(_ byte: UInt8) -> Bool { byte == 0x0D || byte == 0x0A || byte == 0 }
}

/// The IMF-fixdate for `Date` (RFC 9110 §5.6.7), formatted once per second.
struct HTTPDate {
    private var second = 0
    private var text = ""

    mutating func now() -> String {
        var clock = time(nil)
        if clock != second || text.isEmpty {
            second = clock
            text = Self.format(&clock)
        }
        return text
    }

    static func format(_ clock: inout time_t) -> String {
        var parts = tm()
        gmtime_r(&clock, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
