import AuthMockHTTP

/// What answers one route: the request, and the values its pattern took from the path.
typealias RouteHandler = @Sendable (HTTPRequest, RouteParameters) -> HTTPResponse

/// A route that reads the request's context: the OAuth endpoints, which authenticate their client
/// by the protocol's own rules (from the parsed credential and the body) and fill in the journal's
/// record, and the metadata documents, which read the snapshot's scenario.
typealias EndpointHandler = @Sendable (inout RequestContext) -> HTTPResponse

/// What answers one of `api.atlassian.com`'s own routes, once its bearer token passed.
typealias PlatformHandler = @Sendable (PlatformRequest) -> HTTPResponse

/// A line of the global table.
enum GlobalHandler: Sendable {
    /// Answers from the request alone: the admin API and published keys.
    case plain(RouteHandler)
    /// A route that reads the request's context (`EndpointHandler`).
    case endpoint(EndpointHandler)
    /// A route that needs a user's 3LO bearer token holding the requirement's scopes.
    case platform(RouteRequirement, PlatformHandler)
}

/// Every endpoint the mock serves, public and admin, one line each: the map of the product.
/// A literal segment wins over a `{name}` that would also match (`Router`).
enum Routes {
    /// Routes served once for the whole mock: Atlassian's auth and API hosts, and the admin API.
    static func table(admin: AdminAPI, api: PlatformAPI, console: Console) -> Router<GlobalHandler> {
        func plain(_ method: String, _ path: String, _ handler: @escaping RouteHandler) -> Route<GlobalHandler> { Route(method, path, .plain(handler)) }
        return Router([
            // auth.atlassian.com
            Route("GET", "/authorize", .endpoint(api.authorize)),
            Route("POST", "/authorize/consent", .endpoint(api.consentDecision)),
            Route("POST", "/oauth/token", .endpoint(api.token)),
            Route("GET", "/.well-known/jwks.json", .endpoint(SigningKeys.jwksEndpoint(.oauth))),
            Route("GET", "/.well-known/oauth-authorization-server", .endpoint(api.serverMetadata)),
            Route("GET", "/.well-known/openid-configuration", .endpoint(api.serverMetadata)),
            // api.atlassian.com (the gateway's /ex/confluence/{cloudId}/… is in the site catalog)
            Route("GET", "/oauth/token/accessible-resources", .platform(RouteRequirement(), api.accessibleResources)),
            Route("GET", "/me", .platform(RouteRequirement(granularScopes: ["read:me"]), api.me)),
            // oauth-2-authorization-server.services.atlassian.com (Connect user impersonation)
            Route("POST", "/oauth2/token", .endpoint(api.impersonationToken)),
            // connect-install-keys.atlassian.com
            Route("GET", "/connect-install-keys/{kid}", .endpoint(SigningKeys.installKeyEndpoint)),
            // forge.cdn.prod.atlassian-dev.net
            Route("GET", "/forge/.well-known/jwks.json", .endpoint(SigningKeys.jwksEndpoint(.forge))),
            // Admin API (docs/admin-api.md); guarded by --admin-token, removed by --no-admin.
            plain("GET", "/__admin/health", admin.health),
            plain("GET", "/__admin/ca.pem", admin.proxyCA),
            plain("GET", "/__admin/scenario", admin.scenario),
            plain("PUT", "/__admin/scenario", admin.replaceScenario),
            plain("POST", "/__admin/reset", admin.reset),
            plain("GET", "/__admin/requests", admin.requests),
            plain("DELETE", "/__admin/requests", admin.clearRequests),
            plain("GET", "/__admin/clock", admin.clock),
            plain("POST", "/__admin/clock", admin.changeClock),
            plain("GET", "/__admin/faults", admin.faults),
            plain("POST", "/__admin/faults", admin.addFaults),
            plain("DELETE", "/__admin/faults", admin.clearFaults),
            plain("DELETE", "/__admin/faults/{id}", admin.removeFault),
            plain("POST", "/__admin/tokens", admin.mintToken),
            plain("POST", "/__admin/tokens/revoke", admin.revokeTokens),
            plain("POST", "/__admin/tokens/inspect", admin.inspectToken),
            plain("GET", "/__admin/consents", admin.consents),
            plain("POST", "/__admin/consents/{id}", admin.decideConsent),
            plain("GET", "/__admin/connect/installations", admin.connectInstallations),
            plain("POST", "/__admin/connect/lifecycle", admin.connectLifecycle),
            plain("POST", "/__admin/connect/jwt", admin.connectJWT),
            plain("POST", "/__admin/forge/tokens", admin.forgeTokens),
            plain("POST", "/__admin/forge/invoke", admin.forgeInvoke),
            plain("GET", "/__admin/forge/invocations", admin.forgeInvocations),
            plain("GET", "/__admin/events", admin.events),
            plain("GET", "/__admin/catalog", admin.catalog),
            plain("GET", "/__admin/scopes", admin.scopes),
            plain("GET", "/__admin/state", admin.exportState),
            plain("PUT", "/__admin/state", admin.importState),
            plain("POST", "/__admin/state/save", admin.saveState),
            // The web console (docs/console.md): HTML over the same state; forms carry a CSRF token.
            plain("GET", "/__admin/ui", console.overview),
            plain("POST", "/__admin/ui/clock", console.advanceClock),
            plain("GET", "/__admin/ui/requests", console.requests),
            plain("GET", "/__admin/ui/requests/{id}", console.requestDetail),
            plain("GET", "/__admin/ui/tokens", console.tokens),
            plain("POST", "/__admin/ui/tokens", console.inspectToken),
            plain("GET", "/__admin/ui/consents", console.consents),
            plain("POST", "/__admin/ui/consents/{id}", console.decideConsent),
            plain("GET", "/__admin/ui/scopes", console.scopes),
            plain("GET", "/__admin/ui/faults", console.faults),
            plain("POST", "/__admin/ui/faults", console.addFault),
            plain("POST", "/__admin/ui/faults/{id}/remove", console.removeFault),
            plain("GET", ConsoleSession.signInPath, console.signInPage),
            plain("POST", ConsoleSession.signInPath, console.signIn),
        ])
    }

    /// The routes of one site, matched on the path relative to the site (see `SiteAddress`): reached
    /// on the site's domain (`Host`), under `/site/{name}`, and through `/ex/confluence/{cloudId}`.
    /// Every operation of the catalog (docs/catalog.md) is routed with the catalog's scopes, Connect
    /// scope and permission; the operations below are answered from the content model, every other
    /// from its documented schema.
    static func siteTable(site: SiteRoutes) -> Router<CatalogEntry> {
        CatalogRoutes.router(stateful: [
            // REST v1: spaces, users, search
            "v1 getSpaces": site.v1Spaces,
            "v1 getSpace": site.v1Space,
            "v1 updateSpace": site.v1UpdateSpace,
            "v1 searchByCQL": site.v1Search,
            "v1 getUser": site.v1User,
            "v1 getCurrentUser": site.v1CurrentUser,
            // REST v1: content (pages, blog posts, comments, attachments) and what hangs off it
            "v1 getContent": site.v1ContentList,
            "v1 createContent": site.v1CreateContent,
            "v1 getContentById": site.v1Content,
            "v1 updateContent": site.v1UpdateContent,
            "v1 deleteContent": site.v1DeleteContent,
            "v1 getHistoryForContent": site.v1ContentHistory,
            "v1 getContentChildren": site.v1Children,
            "v1 getContentChildrenByType": site.v1ChildrenOfType(),
            "v1 getContentComments": site.v1ChildrenOfType(.comment),
            "v1 getAttachments": site.v1ChildrenOfType(.attachment),
            "v1 createAttachment": site.v1Upload(updating: false),
            "v1 createOrUpdateAttachments": site.v1Upload(updating: true),
            "v1 updateAttachmentData": site.v1UploadData,
            "v1 downloadAttatchment": site.v1Download,
            "v1 getLabelsForContent": site.v1Labels,
            "v1 addLabelsToContent": site.v1AddLabels,
            "v1 removeLabelFromContentUsingQueryParameter": site.v1RemoveLabel,
            "v1 removeLabelFromContent": site.v1RemoveLabel,
            "v1 getContentProperties": site.v1Properties,
            "v1 createContentProperty": site.v1CreateProperty,
            "v1 getContentProperty": site.v1Property,
            "v1 createContentPropertyForKey": site.v1CreateProperty,
            "v1 updateContentProperty": site.v1UpdateProperty,
            "v1 deleteContentProperty": site.v1DeleteProperty,
            "v1 getContentVersions": site.v1Versions,
            "v1 getContentVersion": site.v1Version,
            // REST v2: users and spaces
            "v2 createBulkUserLookup": site.v2UsersBulk,
            "v2 getSpaces": site.v2Spaces,
            "v2 getSpaceById": site.v2Space,
            "v2 getPagesInSpace": site.v2List(.page, spaceFromPath: true),
            "v2 getBlogPostsInSpace": site.v2List(.blogpost, spaceFromPath: true),
            // REST v2: pages and blog posts
            "v2 getPages": site.v2List(.page),
            "v2 createPage": site.v2Create(.page),
            "v2 getPageById": site.v2Read(.page),
            "v2 updatePage": site.v2Update(.page),
            "v2 deletePage": site.v2Delete(.page),
            "v2 getChildPages": site.v2PageChildren,
            "v2 getPageAncestors": site.v2PageAncestors,
            "v2 getPageVersions": site.v2Versions(.page),
            "v2 getPageLabels": site.v2Labels(.page),
            "v2 getPageFooterComments": site.v2Comments(of: .page, inline: false),
            "v2 getPageInlineComments": site.v2Comments(of: .page, inline: true),
            "v2 getPageAttachments": site.v2Attachments(of: .page),
            "v2 getPageContentProperties": site.v2Properties(.page),
            "v2 createPageProperty": site.v2CreateProperty(.page),
            "v2 getPageContentPropertiesById": site.v2Property(.page),
            "v2 updatePagePropertyById": site.v2UpdateProperty(.page),
            "v2 deletePagePropertyById": site.v2DeleteProperty(.page),
            "v2 getBlogPosts": site.v2List(.blogpost),
            "v2 createBlogPost": site.v2Create(.blogpost),
            "v2 getBlogPostById": site.v2Read(.blogpost),
            "v2 updateBlogPost": site.v2Update(.blogpost),
            "v2 deleteBlogPost": site.v2Delete(.blogpost),
            "v2 getBlogPostVersions": site.v2Versions(.blogpost),
            "v2 getBlogPostLabels": site.v2Labels(.blogpost),
            "v2 getBlogPostFooterComments": site.v2Comments(of: .blogpost, inline: false),
            "v2 getBlogPostInlineComments": site.v2Comments(of: .blogpost, inline: true),
            "v2 getBlogpostAttachments": site.v2Attachments(of: .blogpost),
            "v2 getBlogpostContentProperties": site.v2Properties(.blogpost),
            "v2 createBlogpostProperty": site.v2CreateProperty(.blogpost),
            "v2 getBlogpostContentPropertiesById": site.v2Property(.blogpost),
            "v2 updateBlogpostPropertyById": site.v2UpdateProperty(.blogpost),
            "v2 deleteBlogpostPropertyById": site.v2DeleteProperty(.blogpost),
            // REST v2: comments and attachments
            "v2 createFooterComment": site.v2CreateComment(inline: false),
            "v2 getFooterCommentById": site.v2Comment(inline: false),
            "v2 deleteFooterComment": site.v2DeleteComment(inline: false),
            "v2 createInlineComment": site.v2CreateComment(inline: true),
            "v2 getInlineCommentById": site.v2Comment(inline: true),
            "v2 deleteInlineComment": site.v2DeleteComment(inline: true),
            "v2 getAttachments": site.v2Attachments(),
            "v2 getAttachmentById": site.v2Attachment,
            "v2 deleteAttachment": site.v2Delete(.attachment),
            "v2 getAttachmentLabels": site.v2Labels(.attachment),
            "v2 getAttachmentVersions": site.v2Versions(.attachment),
        ], extra: [
            Route("GET", "/_edge/tenant_info", CatalogEntry(requirement: .open, handler: site.tenantInfo)),
            // An attachment's `_links.download`, which clients fetch relative to `/wiki`.
            Route("GET", "/wiki/download/attachments/{id}/{fileName}",
                  CatalogEntry(requirement: OperationCatalog.shared.operation(key: "v1 downloadAttatchment")?.requirement ?? RouteRequirement(), handler: site.v1Download)),
        ])
    }
}
