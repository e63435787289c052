import AuthMockFormats
import AuthMockHTTP

/// Attachments through REST v1: multipart uploads to a page or blog post (each file a new
/// attachment, or a new version of one), and downloads. Uploads need `X-Atlassian-Token: no-check`,
/// as Confluence's XSRF protection does for multipart posts.
extension SiteRoutes {
    /// `POST /wiki/rest/api/content/{id}/child/attachment`: new attachments only (a file name the
    /// content already has is refused); `PUT` (`updating`) makes a new version of it instead.
    func v1Upload(updating: Bool) -> SiteRouteHandler {
        { request in
            if let refusal = Self.xsrfRefusal(request) { return refusal }
            let id = request.parameters["id"] ?? ""
            let found = request.itemToChange(id, kinds: [.page, .blogpost], notFound: Self.v1ContentNotFound(id),
                                             forbidden: Self.v1PermissionDenied("Could not create attachment on content \(id)"))
            guard case .success(let (container, space)) = found else { return found.failureResponse }
            let files: [(name: String, file: AttachmentFile)]
            switch Self.uploadedFiles(request.http) {
            case .success(let uploaded): files = uploaded
            case .failure(let problem): return ConfluenceErrors.v1(.badRequest, problem.description)
            }
            var stored: [StoredContent] = []
            for (name, file) in files {
                let existing = request.content.children(onSite: request.site.name, of: container.id, kind: .attachment).first { $0.title == name }
                if let existing {
                    guard updating else {
                        return ConfluenceErrors.v1(.badRequest, "Cannot add a new attachment with same file name as an existing attachment: \(name)")
                    }
                    guard let updated = Self.newVersion(&request, of: existing, file: file) else { return Self.v1ContentNotFound(existing.id) }
                    stored.append(updated)
                } else if let created = request.create(.attachment, inSpace: space.key, title: name, body: "", parentId: container.id, file: file) {
                    stored.append(created)
                }
            }
            return .json(Representations.v1List(stored.map { request.v1JSON($0, space: space) }, start: 0, limit: max(stored.count, 1),
                                                base: Representations.base(request), selfPath: "/rest/api/content/\(id)/child/attachment"))
        }
    }

    /// `POST /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/data`: a new version of one attachment.
    var v1UploadData: SiteRouteHandler {
        { request in
            if let refusal = Self.xsrfRefusal(request) { return refusal }
            let id = request.parameters["id"] ?? "", attachmentID = request.parameters["attachmentId"] ?? ""
            let found = request.itemToChange(attachmentID, kinds: [.attachment], notFound: Self.v1ContentNotFound(attachmentID),
                                             forbidden: Self.v1PermissionDenied("Could not update attachment \(attachmentID)"))
            guard case .success(let (attachment, space)) = found else { return found.failureResponse }
            guard attachment.parentId == id else { return Self.v1ContentNotFound(attachmentID) }
            guard case .success(let files) = Self.uploadedFiles(request.http), let (_, file) = files.first, files.count == 1 else {
                return ConfluenceErrors.v1(.badRequest, "Exactly one file part named \"file\" is needed")
            }
            guard let updated = Self.newVersion(&request, of: attachment, file: file) else { return Self.v1ContentNotFound(attachmentID) }
            return .json(request.v1JSON(updated, space: space))
        }
    }

    /// `GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download`, and
    /// `GET /wiki/download/attachments/{id}/{fileName}` (an attachment's `_links.download`): the file.
    var v1Download: SiteRouteHandler {
        { request in
            let id = request.parameters["id"] ?? ""
            let attachment: (item: StoredContent, space: Space)?
            if let fileName = request.parameters["fileName"] {
                let named = request.content.children(onSite: request.site.name, of: id, kind: .attachment).first { $0.title == fileName }
                attachment = named.flatMap { request.visibleItem($0.id, kinds: [.attachment]) }
            } else {
                attachment = request.visibleItem(request.parameters["attachmentId"] ?? "", kinds: [.attachment]).flatMap { $0.item.parentId == id ? $0 : nil }
            }
            guard let (item, _) = attachment, let file = item.file else { return Self.v1ContentNotFound(request.parameters["attachmentId"] ?? id) }
            var response = HTTPResponse(status: .ok, body: file.data)
            response.headers.set("Content-Type", file.mediaType)
            response.headers.set("Content-Disposition", "attachment; filename=\"\(item.title.filter { $0 != "\"" && $0 != "\r" && $0 != "\n" })\"")
            return response
        }
    }

    /// Confluence's XSRF check for multipart posts: `X-Atlassian-Token: no-check` (or `nocheck`).
    static func xsrfRefusal(_ request: SiteRequest) -> HTTPResponse? {
        let token = request.http.headers["X-Atlassian-Token"]?.lowercased()
        guard token != "no-check" && token != "nocheck" else { return nil }
        return .text("XSRF check failed", status: .forbidden)
    }

    /// The request's `file` parts with their comments (`comment` parts, in order).
    static func uploadedFiles(_ http: HTTPRequest) -> Result<[(name: String, file: AttachmentFile)], MultipartError> {
        let parts: [MultipartPart]
        do throws(MultipartError) {
            parts = try MultipartForm.parse(http.body, contentType: http.headers["Content-Type"] ?? "")
        } catch {
            return .failure(error)
        }
        let comments = parts.filter { $0.name == "comment" }.map { String(decoding: $0.body, as: UTF8.self) }
        let files = parts.filter { $0.name == "file" }
        guard !files.isEmpty else { return .failure(MultipartError(description: "no part named \"file\"")) }
        return .success(files.enumerated().map { index, part in
            let name = part.filename.flatMap { $0.isEmpty ? nil : $0 } ?? "file"
            return (name, AttachmentFile(mediaType: part.contentType ?? "application/octet-stream", data: part.body,
                                         comment: index < comments.count ? comments[index] : ""))
        })
    }

    /// The attachment with `file` as its next version.
    static func newVersion(_ request: inout SiteRequest, of attachment: StoredContent, file: AttachmentFile) -> StoredContent? {
        let site = request.site.name, author = request.caller.accountId
        let outcome = request.state.changeContent { content, now in
            content.update(onSite: site, id: attachment.id, from: attachment.version, title: attachment.title, body: "", authorId: author,
                           message: file.comment, minorEdit: true, file: file, now: now)
        }
        if case .updated(let updated) = outcome { return updated }
        return nil
    }
}
