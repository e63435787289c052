#!/usr/bin/env python3
"""Writes broken/*.json: each a minimal valid scenario broken in one way, and broken/expected.json
with the messages the loader must print for it (written by hand, not captured from the loader).
Run from this folder: python3 make_broken.py"""
import copy, json, os

BASE = {
    "name": "broken",
    "sites": [{"name": "acme", "cloudId": "a436116f-02ce-4520-8fbb-7301462a1674", "url": "https://acme.atlassian.net",
               "spaces": [{"key": "ENG", "name": "Engineering", "id": "98306", "pages": [{"id": "1001", "title": "Runbook"}]}]}],
    "users": [{"accountId": "u-alice", "email": "alice@acme.test", "displayName": "Alice", "apiTokens": ["t1"],
               "sites": {"acme": {"spaces": {"ENG": ["view"]}}}}],
    "oauthClients": [{"clientId": "cl-1", "clientSecret": "cs-1", "redirectUris": ["http://127.0.0.1:8765/callback"],
                      "scopes": ["read:me"], "consent": {"mode": "approve", "user": "alice@acme.test", "sites": ["acme"]}}],
    "connectApps": [{"key": "com.example.addon", "baseUrl": "http://127.0.0.1:3000", "scopes": ["READ"],
                     "installations": [{"site": "acme", "clientKey": "ck-acme", "sharedSecret": "a-shared-secret-of-32-bytes-min!"}]}],
}

def case(name, mutate, *expected):
    scenario = copy.deepcopy(BASE)
    text = mutate(scenario)
    return name, (text if isinstance(text, str) else json.dumps(scenario, indent=2)), list(expected)

def set_(path, value):
    def apply(s):
        target = s
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return apply

def delete(path):
    def apply(s):
        target = s
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return apply

def append(path, value):
    def apply(s):
        target = s
        for key in path:
            target = target[key]
        target.append(value)
    return apply

CASES = [
    case("not-json", lambda s: '{"name": "broken", "sites": [}', "$: not valid JSON: line 1, column 30: unexpected character '}'; expected a value"),
    case("root-is-array", lambda s: "[]", "$: expected an object, found an array"),
    case("missing-sites", delete(["sites"]), '$: missing required key "sites"'),
    case("empty-sites", set_(["sites"], []), "sites: at least one site is needed"),
    case("unknown-top-level-key", set_(["usres"], []), 'usres: unknown key "usres"; did you mean "users"?'),
    case("unknown-key-no-suggestion", set_(["zzzzzz"], 1), 'zzzzzz: unknown key "zzzzzz"; expected one of name, description, profile, clock, sites, users, oauthClients, connectApps, forgeApps, tokens, basicAuth, resources, rateLimits, faults'),
    case("wrong-type-name", set_(["name"], 7), "name: expected a string, found a number"),
    case("unknown-permission", set_(["users", 0, "sites", "acme", "spaces", "ENG"], ["view", "adm"]),
         'users[0].sites.acme.spaces.ENG[1]: unknown permission "adm" (did you mean "admin"?); expected one of view, edit, delete, admin'),
    case("dangling-user-site", set_(["users", 0, "sites"], {"globex": {"spaces": {}}}),
         'users[0].sites.globex: unknown site "globex"; expected one of acme'),
    case("dangling-user-space", set_(["users", 0, "sites", "acme", "spaces"], {"OPS": ["view"]}),
         'users[0].sites.acme.spaces.OPS: unknown space "OPS" on site "acme"; expected one of ENG'),
    case("duplicate-account-id", append(["users"], {"accountId": "u-alice", "email": "alice2@acme.test", "displayName": "Alice 2"}),
         'users[1].accountId: duplicate account id "u-alice" (first used at users[0].accountId)'),
    case("duplicate-email-any-case", append(["users"], {"accountId": "u-2", "email": "ALICE@acme.test", "displayName": "Alice 2"}),
         'users[1].email: duplicate email "alice@acme.test" (first used at users[0].email)'),
    case("bad-email", set_(["users", 0, "email"], "alice"), 'users[0].email: "alice" is not an email address'),
    case("missing-account-id", delete(["users", 0, "accountId"]), 'users[0]: missing required key "accountId"'),
    case("cloud-id-not-uuid", set_(["sites", 0, "cloudId"], "acme-cloud"),
         'sites[0].cloudId: "acme-cloud" is not a UUID (expected 8-4-4-4-12 hex digits, e.g. a436116f-02ce-4520-8fbb-7301462a1674)'),
    case("site-url-not-url", set_(["sites", 0, "url"], "acme.atlassian.net"), 'sites[0].url: "acme.atlassian.net" is not an absolute http(s) URL'),
    case("duplicate-site", append(["sites"], {"name": "acme", "cloudId": "b436116f-02ce-4520-8fbb-7301462a1674", "url": "https://acme2.atlassian.net"}),
         'sites[1].name: duplicate site name "acme" (first used at sites[0].name)'),
    case("duplicate-space-key", append(["sites", 0, "spaces"], {"key": "ENG", "name": "Again", "id": "98307"}),
         'sites[0].spaces[1].key: duplicate space key "ENG" (first used at sites[0].spaces[0].key)'),
    case("page-id-not-digits", set_(["sites", 0, "spaces", 0, "pages", 0, "id"], "abc"),
         'sites[0].spaces[0].pages[0].id: "abc" is not a Confluence id (expected decimal digits as a string, e.g. "98306")'),
    case("unknown-scope", set_(["oauthClients", 0, "scopes"], ["read:me", "read:confluence-contnet.all"]),
         'oauthClients[0].scopes[1]: unknown scope "read:confluence-contnet.all" (did you mean "read:confluence-content.all"?); expected a classic Confluence scope such as read:confluence-content.all, a granular scope such as read:page:confluence, or one of read:me, read:account, offline_access, read:app-system-token, read:app-user-token'),
    case("unknown-consent-mode", set_(["oauthClients", 0, "consent", "mode"], "auto"),
         'oauthClients[0].consent.mode: unknown consent mode "auto"; expected one of approve, deny, page'),
    case("consent-user-dangling", set_(["oauthClients", 0, "consent", "user"], "mallory@acme.test"),
         'oauthClients[0].consent.user: unknown user "mallory@acme.test"; expected an accountId or email of users[]'),
    case("no-redirect-uri", set_(["oauthClients", 0, "redirectUris"], []), "oauthClients[0].redirectUris: at least one redirect URI is needed"),
    case("redirect-uri-not-url", set_(["oauthClients", 0, "redirectUris"], ["/callback"]),
         'oauthClients[0].redirectUris[0]: "/callback" is not an absolute http(s) URL'),
    case("duplicate-client-id", append(["oauthClients"], {"clientId": "cl-1", "clientSecret": "x", "redirectUris": ["http://127.0.0.1/cb"], "scopes": []}),
         'oauthClients[1].clientId: duplicate client id "cl-1" (first used at oauthClients[0].clientId)'),
    case("connect-scope-unknown", set_(["connectApps", 0, "scopes"], ["READ", "WRIET"]),
         'connectApps[0].scopes[1]: unknown Connect scope "WRIET" (did you mean "WRITE"?); expected one of NONE, READ, WRITE, DELETE, SPACE_ADMIN, ADMIN, ACT_AS_USER, ACCESS_EMAIL_ADDRESSES'),
    case("short-shared-secret", set_(["connectApps", 0, "installations", 0, "sharedSecret"], "short"),
         "connectApps[0].installations[0].sharedSecret: shared secret is 5 bytes; HS256 needs at least 32 (RFC 7518 §3.2)"),
    case("installation-site-dangling", set_(["connectApps", 0, "installations", 0, "site"], "globex"),
         'connectApps[0].installations[0].site: unknown site "globex"; expected one of acme'),
    case("fault-two-outcomes", set_(["faults"], [{"match": {"path": "/oauth/token"}, "respond": {"status": 503}, "wire": "reset"}]),
         'faults[0]: "respond" and "wire" exclude each other'),
    case("fault-slow-without-rate", set_(["faults"], [{"match": {}, "wire": "slow"}]), 'faults[0]: wire "slow" needs "bytesPerSecond"'),
    case("fault-bad-status-and-probability", set_(["faults"], [{"match": {"probability": 1.5}, "respond": {"status": 99}}]),
         "faults[0].match.probability: probability 1.5 is not between 0 and 1", "faults[0].respond.status: status 99 is not an HTTP status (100–599)"),
    case("fault-unknown-principal", set_(["faults"], [{"match": {"principal": "mallory"}, "delayMs": 10}]),
         'faults[0].match.principal: unknown principal "mallory"; expected a user\'s accountId or email, an OAuth clientId or an app key or id'),
    case("clock-start-not-iso", set_(["clock"], {"start": "yesterday"}), 'clock.start: "yesterday" is not an ISO-8601 time such as 2026-01-01T00:00:00Z'),
    case("rate-limit-missing-window", set_(["rateLimits"], [{"match": {}, "limit": 0}]),
         'rateLimits[0]: missing required key "windowSeconds"', "rateLimits[0].limit: expected a whole number of at least 1, found 0"),
    case("several-problems-at-once", lambda s: (set_(["profile"], "cloud-2019")(s), set_(["users", 0, "displayName"], "")(s), set_(["tokens"], {"accessTokenLifetime": "1h"})(s)) and None,
         'profile: unknown profile "cloud-2019" (did you mean "cloud-2026"?); expected one of cloud-2026, cloud-2021', "users[0].displayName: must not be empty",
         "tokens.accessTokenLifetime: expected a whole number, found a string"),
    case("token-lifetimes-zero", set_(["tokens"], {"connectJwtLifetime": 0, "impersonationTokenLifetime": 0, "forgeAppTokenLifetime": 0,
                                                   "forgeInvocationTokenLifetime": 0}),
         "tokens.connectJwtLifetime: expected a whole number of at least 1, found 0",
         "tokens.impersonationTokenLifetime: expected a whole number of at least 1, found 0",
         "tokens.forgeAppTokenLifetime: expected a whole number of at least 1, found 0",
         "tokens.forgeInvocationTokenLifetime: expected a whole number of at least 1, found 0"),
    case("token-lifetimes-not-numbers", set_(["tokens"], {"connectJwtLifetime": "3m", "impersonationTokenLifetime": "15m", "forgeAppTokenLifetime": "2h",
                                                          "forgeInvocationTokenLifetime": "25s"}),
         "tokens.connectJwtLifetime: expected a whole number, found a string",
         "tokens.impersonationTokenLifetime: expected a whole number, found a string",
         "tokens.forgeAppTokenLifetime: expected a whole number, found a string",
         "tokens.forgeInvocationTokenLifetime: expected a whole number, found a string"),
]

os.makedirs("broken", exist_ok=True)
expected = {}
for index, (name, text, lines) in enumerate(CASES, 1):
    file = f"{index:02d}-{name}.json"
    with open(os.path.join("broken", file), "w") as f:
        f.write(text + ("\n" if not text.endswith("\n") else ""))
    expected[file] = lines
with open(os.path.join("broken", "expected.json"), "w") as f:
    json.dump(expected, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(f"{len(CASES)} broken scenarios")
