/// One part of a `multipart/form-data` body (RFC 7578): its field name, file name and type when
/// given, and its bytes.
public struct MultipartPart: Sendable, Equatable {
    public let name: String
    public let filename: String?
    public let contentType: String?
    public let body: [UInt8]
}

/// Why a `multipart/form-data` body could not be read, in words.
public struct MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(description: String) { self.description = description }
}

/// Reads `multipart/form-data` bodies (RFC 7578, RFC 2046 §5.1): the boundary from the
/// `Content-Type`, then each part's headers and bytes. Never traps on malformed input: a body it
/// cannot read is a `MultipartError`.
public enum MultipartForm {
    /// At most this many parts: a client attaching files sends a handful.
    public static let maximumParts = 100

    public static func parse(_ body: [UInt8], contentType: String) throws(MultipartError) -> [MultipartPart] {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else {
            throw MultipartError(description: "the body must be multipart/form-data, not \(contentType)")
        }
        guard let boundary = parameter("boundary", in: contentType), !boundary.isEmpty, boundary.utf8.count <= 70 else {
            throw MultipartError(description: "the Content-Type names no boundary (1 to 70 characters)")
        }
        let delimiter = Array("--\(boundary)".utf8)
        guard var position = find(delimiter, in: body, from: 0) else { throw MultipartError(description: "the body holds no part: no --\(boundary) line") }
        var parts: [MultipartPart] = []
        while true {
            position += delimiter.count
            // The closing delimiter is followed by `--`.
            if body.count >= position + 2 && body[position] == UInt8(ascii: "-") && body[position + 1] == UInt8(ascii: "-") { return parts }
            guard let headStart = find([13, 10], in: body, from: position).map({ $0 + 2 }),
                  let headEnd = find([13, 10, 13, 10], in: body, from: headStart - 2) else {
                throw MultipartError(description: "a part's headers do not end with a blank line")
            }
            guard let next = find([13, 10] + delimiter, in: body, from: headEnd + 4) else {
                throw MultipartError(description: "a part is not closed by --\(boundary)")
            }
            let headers = headEnd > headStart ? String(decoding: body[headStart..<headEnd], as: UTF8.self) : ""
            parts.append(try part(headers: headers, body: Array(body[(headEnd + 4)..<next])))
            guard parts.count <= maximumParts else { throw MultipartError(description: "more than \(maximumParts) parts") }
            position = next + 2
        }
    }

    private static func part(headers: String, body: [UInt8]) throws(MultipartError) -> MultipartPart {
        var disposition: String?, type: String?
        for line in headers.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: " \t").lowercased(), value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            if name == "content-disposition" { disposition = value } else if name == "content-type" { type = value }
        }
        guard let disposition, disposition.lowercased().hasPrefix("form-data"), let name = parameter("name", in: disposition) else {
            throw MultipartError(description: "a part lacks Content-Disposition: form-data; name=\"…\"")
        }
        return MultipartPart(name: name, filename: parameter("filename", in: disposition), contentType: type, body: body)
    }

    /// A `name=value` or `name="value"` parameter of a header value.
    static func parameter(_ name: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.trimmingCharacters(in: " \t")
            guard let equals = pair.firstIndex(of: "="), pair[..<equals].lowercased() == name.lowercased() else { continue }
            var found = String(pair[pair.index(after: equals)...])
            if found.hasPrefix("\"") && found.hasSuffix("\"") && found.count >= 2 { found = String(found.dropFirst().dropLast()) }
            return found
        }
        return nil
    }

    /// Where `needle` first occurs in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

private extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        return String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
