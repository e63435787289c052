import AuthMockFormats
import AuthMockHTTP

/// Checks on scenario values shared by several types: each reports what it expected.
extension JSONNode {
    /// A name usable in a URL path segment (`/site/{name}`): letters, digits, `-` and `_`.
    var identifier: String? {
        guard let text = nonEmptyString else { return nil }
        guard text.utf8.allSatisfy({ isIdentifierByte($0) }) else {
            report("\"\(text)\" must contain only letters, digits, - and _")
            return nil
        }
        return text
    }

    /// A UUID in its 8-4-4-4-12 hex form (Atlassian cloud ids, Forge ids).
    var uuid: String? {
        guard let text = string else { return nil }
        guard isUUID(text) else {
            report("\"\(text)\" is not a UUID (expected 8-4-4-4-12 hex digits, e.g. a436116f-02ce-4520-8fbb-7301462a1674)")
            return nil
        }
        return text
    }

    /// An absolute http or https URL with a host.
    var httpURL: String? {
        guard let text = string else { return nil }
        guard urlHost(text) != nil else {
            report("\"\(text)\" is not an absolute http(s) URL")
            return nil
        }
        return text
    }

    /// A string that starts with `prefix` followed by a UUID (Atlassian resource identifiers).
    func ari(_ prefix: String) -> String? {
        guard let text = string else { return nil }
        guard text.hasPrefix(prefix), isUUID(String(text.dropFirst(prefix.count))) else {
            report("\"\(text)\" is not an identifier of the form \(prefix)<uuid>")
            return nil
        }
        return text
    }
}

private func isIdentifierByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
         UInt8(ascii: "-"), UInt8(ascii: "_"):
        true
    default: false
    }
}

func isUUID(_ text: String) -> Bool {
    let groups = text.split(separator: "-", omittingEmptySubsequences: false)
    return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
}

/// The lower-cased host of an absolute http(s) URL, or `nil` (``HTTPRequest/host(ofURL:)``).
func urlHost(_ url: String) -> String? { HTTPRequest.host(ofURL: url) }

extension JSONNode {
    /// A path relative to an app's base URL: starts with `/`.
    var relativePath: String? {
        guard let text = string else { return nil }
        guard text.hasPrefix("/") else {
            report("\"\(text)\" must be a path starting with /")
            return nil
        }
        return text
    }

    /// A route pattern: a path starting with /, with `{name}` segments and at most a final `*`.
    var routePattern: String? {
        guard let text = relativePath else { return nil }
        if let problem = RoutePattern.problem(in: text) {
            report("\"\(text)\" is not a route pattern: \(problem)")
            return nil
        }
        return text
    }

    /// A Connect shared secret of at least 32 bytes.
    var sharedSecret: String? {
        guard let text = string else { return nil }
        guard text.utf8.count >= 32 else {
            report("shared secret is \(text.utf8.count) bytes; HS256 needs at least 32 (RFC 7518 §3.2)")
            return nil
        }
        return text
    }
}

extension JSONNode {
    /// A granular scope (`action:resource:confluence`).
    var granularScope: String? {
        guard let scope else { return nil }
        guard ScopeCatalog.isGranular(scope) else {
            report("\"\(scope)\" is not a granular scope (action:resource:confluence)")
            return nil
        }
        return scope
    }

    var probability: Double? {
        guard let number else { return nil }
        guard (0...1).contains(number) else {
            report("probability \(number) is not between 0 and 1")
            return nil
        }
        return number
    }
}
