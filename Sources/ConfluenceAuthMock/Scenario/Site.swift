import AuthMockFormats

extension Scenario {
    /// A Confluence Cloud site (`acme.atlassian.net`) with its spaces.
    ///
    /// Its fields live in one immutable box that copies share, as `Scenario`'s do: every site
    /// request carries its site through several stages.
    public struct Site: Sendable, Equatable {
        private var box: Box

        /// Short name used to refer to the site in the scenario and in `/site/{name}` URLs.
        public var name: String { get { box.fields.name } set { change { $0.name = newValue } } }
        /// The site's cloud id (a UUID), as in `/ex/confluence/{cloudId}`.
        public var cloudId: String { get { box.fields.cloudId } set { change { $0.cloudId = newValue } } }
        /// The site's real URL (`https://acme.atlassian.net`): its identity, matched against `Host`.
        public var url: String { get { box.fields.url } set { change { $0.url = newValue } } }
        /// Whether anonymous users may read spaces that allow it.
        public var anonymousAccess: Bool { get { box.fields.anonymousAccess } set { change { $0.anonymousAccess = newValue } } }
        public var spaces: [Space] { get { box.fields.spaces } set { change { $0.spaces = newValue } } }

        public init(name: String, cloudId: String, url: String, anonymousAccess: Bool = false, spaces: [Space] = []) {
            box = Box(Fields(name: name, cloudId: cloudId, url: url, anonymousAccess: anonymousAccess, spaces: spaces))
        }

        public static func == (left: Site, right: Site) -> Bool { left.box === right.box || left.box.fields == right.box.fields }

        /// Changes a field in a box of this site's own.
        private mutating func change(_ update: (inout Fields) -> Void) {
            var fields = box.fields
            update(&fields)
            box = Box(fields)
        }

        /// What a site stores.
        private struct Fields: Sendable, Equatable {
            var name: String
            var cloudId: String
            var url: String
            var anonymousAccess: Bool
            var spaces: [Space]
        }

        /// The fields copies of a site share; never changed once made.
        private final class Box: Sendable {
            let fields: Fields
            init(_ fields: Fields) { self.fields = fields }
        }

        static let keys = ["name", "cloudId", "url", "anonymousAccess", "spaces"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            let name = object.required("name")?.identifier
            let cloudId = object.required("cloudId")?.uuid
            let url = object.required("url")?.httpURL
            let anonymous = object.optional("anonymousAccess")?.bool ?? false
            let spaces = object.optional("spaces")?.array(Space.init) ?? []
            guard let name, let cloudId, let url else { return nil }
            self.init(name: name, cloudId: cloudId, url: url, anonymousAccess: anonymous, spaces: spaces)
        }

        var json: JSONValue {
            .object(JSONObject([("name", .string(name)), ("cloudId", .string(cloudId)), ("url", .string(url)),
                                ("anonymousAccess", .bool(anonymousAccess)), ("spaces", .array(spaces.map(\.json)))]))
        }
    }

    /// A space and its pages.
    public struct Space: Sendable, Equatable {
        public var key: String
        public var name: String
        /// The numeric id v2 routes use (`/wiki/api/v2/spaces/{id}`).
        public var id: String
        /// Whether anonymous users may view it (only where the site allows anonymous access).
        public var anonymousAccess: Bool
        public var pages: [Page]

        public init(key: String, name: String, id: String, anonymousAccess: Bool = false, pages: [Page] = []) {
            self.key = key
            self.name = name
            self.id = id
            self.anonymousAccess = anonymousAccess
            self.pages = pages
        }

        static let keys = ["key", "name", "id", "anonymousAccess", "pages"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            let key = object.required("key")?.identifier
            let name = object.required("name")?.nonEmptyString
            let id = object.required("id")?.numericID
            let anonymous = object.optional("anonymousAccess")?.bool ?? false
            let pages = object.optional("pages")?.array(Page.init) ?? []
            guard let key, let name, let id else { return nil }
            self.init(key: key, name: name, id: id, anonymousAccess: anonymous, pages: pages)
        }

        var json: JSONValue {
            .object(JSONObject([("key", .string(key)), ("name", .string(name)), ("id", .string(id)),
                                ("anonymousAccess", .bool(anonymousAccess)), ("pages", .array(pages.map(\.json)))]))
        }
    }

    /// A page: what the resources serve and protect.
    public struct Page: Sendable, Equatable {
        public var id: String
        public var title: String
        /// Storage-format body (`<p>Hello</p>`).
        public var body: String

        public init(id: String, title: String, body: String = "") {
            self.id = id
            self.title = title
            self.body = body
        }

        static let keys = ["id", "title", "body"]

        init?(_ node: JSONNode) {
            guard let object = node.object(keys: Self.keys) else { return nil }
            let id = object.required("id")?.numericID
            let title = object.required("title")?.nonEmptyString
            let body = object.optional("body")?.string ?? ""
            guard let id, let title else { return nil }
            self.init(id: id, title: title, body: body)
        }

        var json: JSONValue { .object(JSONObject([("id", .string(id)), ("title", .string(title)), ("body", .string(body))])) }
    }
}

extension JSONNode {
    /// Confluence ids are decimal digits, written as strings.
    var numericID: String? {
        guard let text = nonEmptyString else { return nil }
        guard text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else {
            report("\"\(text)\" is not a Confluence id (expected decimal digits as a string, e.g. \"98306\")")
            return nil
        }
        return text
    }
}
