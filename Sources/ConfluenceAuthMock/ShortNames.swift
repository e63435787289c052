// The module's own short names for its nested public types. The public names are nested
// (`Scenario.Site`, `MockConfluence.TokenRequest`) so that they cannot clash with a client's own
// `Site`, `Page`, `User` or `TokenResponse`; these aliases are internal, so no client sees them,
// and the module's code reads as before.

typealias Site = Scenario.Site
typealias Space = Scenario.Space
typealias Page = Scenario.Page
typealias User = Scenario.User
typealias APIToken = Scenario.APIToken
typealias SpacePermission = Scenario.SpacePermission
typealias SpacePermissions = Scenario.SpacePermissions
typealias OAuthClient = Scenario.OAuthClient
typealias Consent = Scenario.Consent
typealias ConsentMode = Scenario.ConsentMode
typealias ConnectApp = Scenario.ConnectApp
typealias ConnectInstallation = Scenario.ConnectInstallation
typealias ForgeApp = Scenario.ForgeApp
typealias ForgeInstallation = Scenario.ForgeInstallation
typealias ForgeEnvironmentType = Scenario.ForgeEnvironmentType
typealias Fault = Scenario.Fault
typealias FaultMatch = Scenario.FaultMatch
typealias FaultOutcome = Scenario.FaultOutcome
typealias SequenceEnd = Scenario.SequenceEnd
typealias WireFaultKind = Scenario.WireFaultKind
typealias CannedResponse = Scenario.CannedResponse
typealias RateLimit = Scenario.RateLimit
typealias RateLimitScope = Scenario.RateLimitScope
typealias CustomResource = Scenario.CustomResource
typealias Profile = Scenario.Profile
typealias ClockSettings = Scenario.ClockSettings
typealias TokenSettings = Scenario.TokenSettings
typealias BasicAuthSettings = Scenario.BasicAuthSettings
typealias OAuthSettings = Scenario.OAuthSettings
typealias ServiceAccount = Scenario.ServiceAccount
typealias KeySettings = Scenario.KeySettings
typealias TokenRequest = MockConfluence.TokenRequest
typealias TokenRequestError = MockConfluence.TokenRequestError
typealias TokenResponse = MockConfluence.TokenResponse
typealias RevocationRequest = MockConfluence.RevocationRequest
typealias Revocation = MockConfluence.Revocation
typealias AccessGrant = MockConfluence.AccessGrant
