/// What the client reads. The names are the obvious ones on purpose: `Site`, `Space`, `Page`,
/// `User`, `Profile` and `TokenResponse` are also what the mock's scenario and token types are
/// called inside its own module, and a test importing both modules must still compile.

/// A site the token may call (`GET /oauth/token/accessible-resources`).
public struct Site: Decodable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let url: String
    public let scopes: [String]
}

/// A space (`GET /wiki/rest/api/space`).
public struct Space: Decodable, Sendable, Equatable {
    public let key: String
    public let name: String
}

/// A page (`GET /wiki/api/v2/pages/{id}`; v1's `POST /wiki/rest/api/content` answers no `spaceId`).
public struct Page: Decodable, Sendable, Equatable {
    public let id: String
    public let title: String
    /// The v2 id of the page's space.
    public let spaceId: String?
}

/// The signed-in user on a site (`GET /wiki/rest/api/user/current`).
public struct User: Decodable, Sendable, Equatable {
    public let accountId: String
    public let displayName: String
    /// Hidden by the user's privacy settings on some sites, so optional.
    public let email: String?
}

/// The signed-in user's Atlassian profile (`GET /me`).
public struct Profile: Decodable, Sendable, Equatable {
    public let accountId: String
    public let name: String
    public let email: String

    enum CodingKeys: String, CodingKey {
        case accountId = "account_id", name, email
    }
}

/// What `POST /oauth/token` answers.
public struct TokenResponse: Decodable, Sendable, Equatable {
    public let accessToken: String
    public let refreshToken: String?
    public let expiresIn: Int
    public let scope: String

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", refreshToken = "refresh_token", expiresIn = "expires_in", scope
    }
}

/// Why a call failed.
public enum Fault: Error, Sendable, Equatable {
    /// The server answered with this status (not 2xx).
    case status(Int)
    /// The answer was not what the client expected.
    case unreadable
}
