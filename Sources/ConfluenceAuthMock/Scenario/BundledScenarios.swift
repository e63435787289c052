extension Scenario {
    /// A scenario shipped in scenarios/, embedded in the binary: `.bundled(.sequenceThenRecover)`.
    public static func bundled(_ file: Bundled) -> Scenario {
        do {
            return try Scenario.load(json: file.text, file: "\(file.rawValue).json")
        } catch {
            // Embedded at build time, not user input; a test loads every bundled scenario.
            fatalError("the bundled scenario \(file.rawValue).json is invalid: \(error)")
        }
    }

    /// scenarios/default.json, embedded in the binary; ``Default`` names what is in it.
    public static var bundledDefault: Scenario { bundled(.default) }

    /// The site with this name, or `nil`.
    public func site(named name: String) -> Site? { sites.first { $0.name == name } }

    /// The OAuth client with this client id, or `nil`.
    public func oauthClient(id: String) -> OAuthClient? { oauthClients.first { $0.clientId == id } }
}
