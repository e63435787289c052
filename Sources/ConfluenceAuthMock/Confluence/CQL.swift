/// The subset of CQL the mock's search understands: clauses joined by `AND`, each one of
/// `space = KEY`, `type = page` (or `blogpost`, `comment`, `attachment`), `title = "…"` or `title ~ "…"` (contains, case-insensitive).
struct CQLQuery: Equatable {
    var spaces: [String] = []
    var types: [String] = []
    var titleEquals: String?
    var titleContains: String?

    struct ParseError: Error, Equatable { let message: String }

    static func parse(_ text: String) throws(ParseError) -> CQLQuery {
        var query = CQLQuery()
        var tokens = try tokenize(text)
        guard !tokens.isEmpty else { throw ParseError(message: "Could not parse cql : \(text)") }
        while !tokens.isEmpty {
            guard tokens.count >= 3 else { throw ParseError(message: "Could not parse cql : \(text)") }
            let field = tokens[0].lowercased(), op = tokens[1], value = tokens[2]
            tokens.removeFirst(3)
            switch (field, op) {
            case ("space", "="), ("space.key", "="): query.spaces.append(value)
            case ("type", "="): query.types.append(value.lowercased())
            case ("title", "="): query.titleEquals = value
            case ("title", "~"): query.titleContains = value.lowercased()
            default: throw ParseError(message: "Could not parse cql : \(text) (the mock understands space =, type =, title = and title ~ joined by AND)")
            }
            if let next = tokens.first {
                guard next.uppercased() == "AND" else { throw ParseError(message: "Could not parse cql : \(text) (only AND joins clauses)") }
                tokens.removeFirst()
            }
        }
        return query
    }

    /// Words, operators and double-quoted strings.
    private static func tokenize(_ text: String) throws(ParseError) -> [String] {
        var tokens: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                index = text.index(after: index)
            } else if character == "\"" {
                var value = ""
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "\"" {
                    if text[index] == "\\", text.index(after: index) < text.endIndex { index = text.index(after: index) }
                    value.append(text[index])
                    index = text.index(after: index)
                }
                guard index < text.endIndex else { throw ParseError(message: "Could not parse cql : \(text) (unterminated string)") }
                tokens.append(value)
                index = text.index(after: index)
            } else if character == "=" || character == "~" {
                tokens.append(String(character))
                index = text.index(after: index)
            } else {
                let word = text[index...].prefix { !$0.isWhitespace && $0 != "=" && $0 != "~" && $0 != "\"" }
                tokens.append(String(word))
                index = text.index(index, offsetBy: word.count)
            }
        }
        return tokens
    }

    func matches(_ page: StoredContent) -> Bool {
        (spaces.isEmpty || spaces.contains(page.spaceKey)) && (types.isEmpty || types.contains(page.kind.rawValue))
            && (titleEquals.map { $0 == page.title } ?? true) && (titleContains.map { page.title.lowercased().contains($0) } ?? true)
    }
}
