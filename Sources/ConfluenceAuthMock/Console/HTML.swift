import AuthMockFormats

/// A fragment of HTML that is safe by construction. Its markup comes only from string literals in
/// this module's source (`StaticString`, so a run-time string cannot be markup); every
/// interpolated string or number is escaped as text, and a URL's parts are percent-encoded. So
/// nothing from a request or a scenario can become a tag, an attribute, a URL scheme or a script.
///
///     let cell: HTML = "<td>\(entry.path)</td>"       // the path is escaped
///     let row: HTML = "<tr>\(cell)\(cells)</tr>"      // fragments are inserted as they are
///     let link: HTML = "<a href=\"/__admin/ui/requests?principal=\(query: name)\">"
///
/// Attribute values must be written in double quotes (escaping covers `"` and `'`).
struct HTML: Sendable, ExpressibleByStringInterpolation, Equatable {
    private(set) var markup: String

    init(stringLiteral literal: StaticString) { markup = literal.description }

    init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }

    /// Text, escaped.
    init(text: String) { markup = Self.escape(text) }

    /// No markup at all.
    static let empty: HTML = ""

    struct Interpolation: StringInterpolationProtocol {
        fileprivate var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity + interpolationCount * 16) }

        mutating func appendLiteral(_ literal: StaticString) { markup += literal.description }

        /// Text, escaped.
        mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }

        /// A number, as text.
        mutating func appendInterpolation(_ number: some BinaryInteger) { markup += String(number) }

        /// A fragment, as it is: it was built safely.
        mutating func appendInterpolation(_ fragment: HTML) { markup += fragment.markup }

        /// Fragments one after another.
        mutating func appendInterpolation(_ fragments: [HTML]) { for fragment in fragments { markup += fragment.markup } }

        /// A URL's query value or path segment: percent-encoded (every byte but the unreserved
        /// ones), so it can only ever be data within a URL this module's literal started.
        mutating func appendInterpolation(url component: String) { markup += PercentEncoding.encodeUnreserved(component) }
    }

    /// Escapes the five characters that could end text or a quoted attribute value.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(character)
            }
        }
        return output
    }

    static func + (lhs: HTML, rhs: HTML) -> HTML { "\(lhs)\(rhs)" }
}

extension Array where Element == HTML {
    /// The fragments one after another, `separator` between them.
    func concatenated(separator: HTML = .empty) -> HTML {
        var joined = HTML.Interpolation(literalCapacity: 0, interpolationCount: count * 2)
        for (index, fragment) in enumerated() {
            if index > 0 { joined.appendInterpolation(separator) }
            joined.appendInterpolation(fragment)
        }
        return HTML(stringInterpolation: joined)
    }
}
