extension Scenario {
    /// What scenarios/default.json (``Scenario/bundledDefault``) holds, by name, so that a test
    /// writes `Scenario.Default.alice.apiToken` instead of copying `"alice-api-token"` (a test
    /// checks every value against the file).
    public enum Default {
        /// Alice: every permission in ENG, view in HR; the OAuth client's consenting user.
        public static let alice = Person(accountId: "5b10ac8d82e05b22cc7d4ef5", email: "alice@acme.test", displayName: "Alice Admin",
                                         apiToken: "alice-api-token", scopedAPIToken: "alice-scoped-token", password: "alice-password")
        /// Bob: view in ENG only.
        public static let bob = Person(accountId: "5b10a2844c20165700ede21g", email: "bob@acme.test", displayName: "Bob Viewer", apiToken: "bob-api-token")
        /// Carol: a user with no access to any space.
        public static let carol = Person(accountId: "5b10a0effa615349cb016cd8", email: "carol@acme.test", displayName: "Carol Outsider",
                                         apiToken: "carol-api-token")

        /// The one site, with spaces ENG (pages 1001 and 1002) and HR (page 2001).
        public static let acme = SiteIdentity(name: "acme", cloudId: "a436116f-02ce-4520-8fbb-7301462a1674", url: "https://acme.atlassian.net")
        /// ENG, "Engineering".
        public static let engineering = SpaceIdentity(key: "ENG", id: "98306", pageIds: ["1001", "1002"])
        /// HR, "People".
        public static let people = SpaceIdentity(key: "HR", id: "98307", pageIds: ["2001"])

        /// The OAuth 2.0 (3LO) app, approved at once for Alice on acme.
        public static let oauthClient = OAuthClientCredentials(clientId: "acme-sync-client", clientSecret: "acme-sync-secret",
                                                               redirectURI: "http://127.0.0.1:8765/callback")
        /// The Connect app, installed on acme; its `oauthClientId` serves `client_credentials`.
        public static let connectApp = ConnectAppIdentity(key: "com.example.addon", clientKey: "ck-acme",
                                                          sharedSecret: "a-shared-secret-of-32-bytes-min!", oauthClientId: "oc-acme")
        /// The Forge app, installed on acme, with a remote named `backend`.
        public static let forgeApp = ForgeAppIdentity(id: "ari:cloud:ecosystem::app/3b4c6a1e-5f7d-4b2a-9c8e-0d1f2a3b4c5d",
                                                      installationId: "ari:cloud:ecosystem::installation/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                                                      remote: "backend")

        /// A user and the secrets they sign in with.
        public struct Person: Sendable, Equatable {
            /// What tokens, JWTs and the journal name the user by.
            public let accountId: String
            /// What basic auth and `principal:` filters may name the user by.
            public let email: String
            /// The name `/wiki/rest/api/user/current` and `/me` answer.
            public let displayName: String
            /// An unscoped API token: basic auth on the site and the gateway.
            public let apiToken: String
            /// A scoped API token (gateway only), when the user has one.
            public var scopedAPIToken: String?
            /// A password, which Confluence Cloud refuses for REST.
            public var password: String?
        }

        /// A site's names: `/site/{name}` on the mock, `/ex/confluence/{cloudId}` at the gateway.
        public struct SiteIdentity: Sendable, Equatable {
            /// `siteURL(named:)` and `/site/{name}` take it.
            public let name: String
            /// The gateway's `/ex/confluence/{cloudId}` and `accessible-resources`' `id`.
            public let cloudId: String
            /// The real site's URL, the site's identity.
            public let url: String
        }

        /// A space's key, v2 id and pages.
        public struct SpaceIdentity: Sendable, Equatable {
            /// What v1 routes and `spaceKey` take.
            public let key: String
            /// What v2 routes take.
            public let id: String
            /// Its pages' ids, in the file's order.
            public let pageIds: [String]
        }

        /// An OAuth client's credentials and its first registered redirect URI.
        public struct OAuthClientCredentials: Sendable, Equatable {
            /// `client_id` at `/authorize` and `/oauth/token`.
            public let clientId: String
            /// `client_secret` at `/oauth/token`.
            public let clientSecret: String
            /// The `redirect_uri` to authorize and exchange codes with.
            public let redirectURI: String
        }

        /// A Connect app's key and its acme installation's credentials.
        public struct ConnectAppIdentity: Sendable, Equatable {
            /// The app key: a Connect JWT's `iss`.
            public let key: String
            /// The acme installation's client key.
            public let clientKey: String
            /// The installation's secret, which signs its JWTs (until a lifecycle hook rotates it).
            public let sharedSecret: String
            /// The installation's OAuth client id for `client_credentials` (its secret is `sharedSecret`).
            public let oauthClientId: String
        }

        /// A Forge app's id, its acme installation and its remote's key.
        public struct ForgeAppIdentity: Sendable, Equatable {
            /// The app's ARI: `ForgeTokenRequest(app:)` and the invocation token's `aud`.
            public let id: String
            /// The acme installation's ARI.
            public let installationId: String
            /// The remote's key, for `ForgeInvocationRequest(remote:)`.
            public let remote: String
        }
    }
}
