import AuthMockFormats
import AuthMockHTTP
import Testing
@testable import ConfluenceAuthMock

/// The content model both APIs share: pages and blog posts with trash and purge, children and
/// ancestors, versions, comments, labels, properties and attachments, each behind its space's
/// permissions (Alice edits ENG, Bob only views it).
@Suite struct ContentModelTests {
    typealias Site = CatalogBehaviourTests.Site
    static let alice = CatalogBehaviourTests.alice, bob = CatalogBehaviourTests.bob

    static func json(_ response: HTTPResponse) -> JSONValue { (try? JSONValue.parse(response.body)) ?? .null }

    static func create(_ site: Site, _ body: String) throws -> String {
        let created = try site.send("POST", "/wiki/rest/api/content", body: body)
        #expect(created.status.code == 200, "\(String(decoding: created.body, as: UTF8.self))")
        return try #require(json(created)["id"]?.stringValue)
    }

    @Test func pagesNestBlogPostsAndCommentsLiveBesideThemAndBothAPIsSeeThem() throws {
        let site = try Site()
        let parent = try Self.create(site, #"{"type":"page","title":"Parent","space":{"key":"ENG"},"body":{"storage":{"value":"<p>p</p>"}}}"#)
        let child = try Self.create(site, #"{"type":"page","title":"Child","space":{"key":"ENG"},"ancestors":[{"id":"\#(parent)"}]}"#)
        let blog = try Self.create(site, #"{"type":"blogpost","title":"News","space":{"key":"ENG"},"body":{"storage":{"value":"<p>n</p>"}}}"#)
        let comment = try Self.create(site, #"{"type":"comment","container":{"id":"\#(parent)","type":"page"},"body":{"storage":{"value":"<p>Nice</p>"}}}"#)

        let read = Self.json(try site.send("GET", "/wiki/rest/api/content/\(child)?expand=ancestors,body.storage"))
        #expect(read["ancestors"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [parent])
        let children = Self.json(try site.send("GET", "/wiki/rest/api/content/\(parent)/child/page"))
        #expect(children["results"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [child])
        let comments = Self.json(try site.send("GET", "/wiki/rest/api/content/\(parent)/child/comment"))
        #expect(comments["results"]?.arrayValue?.first?["container"]?["id"]?.stringValue == parent)
        #expect(Self.json(try site.send("GET", "/wiki/rest/api/content?type=blogpost&spaceKey=ENG"))["size"] == 1)

        #expect(Self.json(try site.send("GET", "/wiki/api/v2/pages/\(child)"))["parentId"]?.stringValue == parent)
        #expect(Self.json(try site.send("GET", "/wiki/api/v2/pages/\(child)/ancestors"))["results"]?.arrayValue?.first?["id"]?.stringValue == parent)
        #expect(Self.json(try site.send("GET", "/wiki/api/v2/pages/\(parent)/children"))["results"]?.arrayValue?.count == 1)
        #expect(Self.json(try site.send("GET", "/wiki/api/v2/blogposts/\(blog)?body-format=storage"))["body"]?["storage"]?["value"] == "<p>n</p>")
        #expect(Self.json(try site.send("GET", "/wiki/api/v2/pages/\(parent)/footer-comments"))["results"]?.arrayValue?.first?["id"]?.stringValue == comment)
        #expect(try site.send("GET", "/wiki/api/v2/pages/\(blog)").status.code == 404, "a blog post is not a page")
        // Inline comments: a text selection, kept apart from the footer comments.
        #expect(try site.send("POST", "/wiki/api/v2/inline-comments", body: #"{"pageId":"\#(parent)","body":{"value":"x"}}"#).status.code == 400)
        let inline = try site.send("POST", "/wiki/api/v2/inline-comments",
                                   body: #"{"pageId":"\#(parent)","body":{"representation":"storage","value":"<p>typo</p>"},"inlineCommentProperties":{"textSelection":"teh"}}"#)
        #expect(inline.status.code == 201 && Self.json(inline)["properties"]?["inlineOriginalSelection"] == "teh")
        let inlineID = try #require(Self.json(inline)["id"]?.stringValue)
        #expect(Self.json(try site.send("GET", "/wiki/api/v2/pages/\(parent)/inline-comments"))["results"]?.arrayValue?.count == 1)
        #expect(Self.json(try site.send("GET", "/wiki/api/v2/pages/\(parent)/footer-comments"))["results"]?.arrayValue?.count == 1)
        #expect(Self.json(try site.send("GET", "/wiki/rest/api/content/\(parent)/child/comment?location=inline"))["results"]?.arrayValue?.first?["extensions"]?["location"] == "inline")
        #expect(try site.send("GET", "/wiki/api/v2/footer-comments/\(inlineID)").status.code == 404)
        #expect(try site.send("DELETE", "/wiki/api/v2/inline-comments/\(inlineID)").status.code == 204)
        // Bob may view ENG, not write there.
        let bobs = try site.send("POST", "/wiki/rest/api/content", as: Self.bob, body: #"{"type":"comment","container":{"id":"\#(parent)"},"body":{"storage":{"value":"x"}}}"#)
        #expect(bobs.status.code == 403)
        #expect(try site.send("GET", "/wiki/rest/api/content/\(comment)", as: Self.bob).status.code == 200)
    }

    @Test func deletingTrashesAndASecondDeletePurgesForSpaceAdminsOnly() throws {
        let site = try Site()
        let page = try Self.create(site, #"{"type":"page","title":"Old","space":{"key":"ENG"}}"#)
        #expect(try site.send("DELETE", "/wiki/api/v2/pages/\(page)").status.code == 204)
        #expect(try site.send("GET", "/wiki/rest/api/content/\(page)").status.code == 404)
        #expect(Self.json(try site.send("GET", "/wiki/rest/api/content/\(page)?status=trashed"))["status"] == "trashed")
        #expect(Self.json(try site.send("GET", "/wiki/rest/api/content?spaceKey=ENG&status=trashed"))["size"] == 1)
        // Restoring: an update with status current.
        let restored = try site.send("PUT", "/wiki/rest/api/content/\(page)", body: #"{"type":"page","title":"Old","status":"current","version":{"number":2}}"#)
        #expect(restored.status.code == 200 && Self.json(restored)["status"] == "current")
        #expect(try site.send("DELETE", "/wiki/rest/api/content/\(page)").status.code == 204)
        #expect(try site.send("DELETE", "/wiki/rest/api/content/\(page)?status=trashed", as: Self.bob).status.code == 403)
        #expect(try site.send("DELETE", "/wiki/rest/api/content/\(page)?status=trashed").status.code == 204)
        #expect(try site.send("GET", "/wiki/rest/api/content/\(page)?status=trashed").status.code == 404, "purged for good")
        let v2 = try Self.create(site, #"{"type":"page","title":"V2","space":{"key":"ENG"}}"#)
        #expect(try site.send("DELETE", "/wiki/api/v2/pages/\(v2)?purge=true").status.code == 404, "only trashed content is purged")
        #expect(try site.send("DELETE", "/wiki/api/v2/pages/\(v2)").status.code == 204)
        #expect(try site.send("DELETE", "/wiki/api/v2/pages/\(v2)?purge=true").status.code == 204)
    }

    @Test func versionsLabelsAndPropertiesAreKeptPerItem() throws {
        let site = try Site()
        let update = try site.send("PUT", "/wiki/rest/api/content/1001", body: #"{"type":"page","title":"Runbook","version":{"number":2,"message":"second"},"body":{"storage":{"value":"v2"}}}"#)
        #expect(update.status.code == 200)
        let versions = Self.json(try site.send("GET", "/wiki/rest/api/content/1001/version"))
        #expect(versions["results"]?.arrayValue?.compactMap { $0["number"]?.intValue } == [2, 1])
        #expect(Self.json(try site.send("GET", "/wiki/rest/api/content/1001/version/2"))["message"] == "second")
        #expect(Self.json(try site.send("GET", "/wiki/api/v2/pages/1001/versions"))["results"]?.arrayValue?.count == 2)

        let labelled = try site.send("POST", "/wiki/rest/api/content/1001/label", body: #"[{"prefix":"global","name":"ops"},{"prefix":"global","name":"runbook"}]"#)
        #expect(Self.json(labelled)["results"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["ops", "runbook"])
        _ = try site.send("POST", "/wiki/rest/api/content/1001/label", body: #"{"prefix":"global","name":"ops"}"#)
        #expect(Self.json(try site.send("GET", "/wiki/api/v2/pages/1001/labels"))["results"]?.arrayValue?.count == 2, "a label is added once")
        #expect(try site.send("POST", "/wiki/rest/api/content/1001/label", as: Self.bob, body: #"{"name":"x"}"#).status.code == 403)
        #expect(try site.send("DELETE", "/wiki/rest/api/content/1001/label/ops").status.code == 204)
        #expect(try site.send("DELETE", "/wiki/rest/api/content/1001/label?name=ops").status.code == 404)
        #expect(try site.send("POST", "/wiki/rest/api/content/1001/label", body: #"{"name":"two words"}"#).status.code == 400)

        let property = try site.send("POST", "/wiki/rest/api/content/1001/property", body: #"{"key":"owner","value":{"team":"ops"}}"#)
        #expect(property.status.code == 200 && Self.json(property)["version"]?["number"] == 1)
        #expect(try site.send("POST", "/wiki/rest/api/content/1001/property", body: #"{"key":"owner","value":1}"#).status.code == 409)
        #expect(Self.json(try site.send("GET", "/wiki/rest/api/content/1001/property/owner"))["value"]?["team"] == "ops")
        #expect(try site.send("PUT", "/wiki/rest/api/content/1001/property/owner", body: #"{"value":2,"version":{"number":5}}"#).status.code == 409)
        #expect(try site.send("PUT", "/wiki/rest/api/content/1001/property/owner", body: #"{"value":2,"version":{"number":2}}"#).status.code == 200)
        let v2Properties = Self.json(try site.send("GET", "/wiki/api/v2/pages/1001/properties"))
        let propertyID = try #require(v2Properties["results"]?.arrayValue?.first?["id"]?.stringValue)
        #expect(v2Properties["results"]?.arrayValue?.first?["value"] == 2)
        let v2Update = try site.send("PUT", "/wiki/api/v2/pages/1001/properties/\(propertyID)", body: #"{"key":"owner","value":3,"version":{"number":3}}"#)
        #expect(v2Update.status.code == 200 && Self.json(v2Update)["value"] == 3)
        #expect(try site.send("DELETE", "/wiki/api/v2/pages/1001/properties/\(propertyID)").status.code == 204)
        #expect(try site.send("GET", "/wiki/rest/api/content/1001/property/owner").status.code == 404)
    }

    static func multipart(_ files: [(name: String, bytes: String)], comment: String? = nil) -> (String, String) {
        var body = ""
        for file in files {
            body += "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: text/plain\r\n\r\n\(file.bytes)\r\n"
        }
        if let comment { body += "--XyZ\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\n\(comment)\r\n" }
        return (body + "--XyZ--\r\n", "multipart/form-data; boundary=XyZ")
    }

    func upload(_ site: Site, _ method: String, _ path: String, _ files: [(name: String, bytes: String)], token: Bool = true,
                as authorization: String = ContentModelTests.alice) throws -> HTTPResponse {
        let (body, type) = Self.multipart(files, comment: "first upload")
        var headers: HTTPHeaders = ["Authorization": authorization, "Content-Type": type]
        if token { headers.set("X-Atlassian-Token", "no-check") }
        return site.pipeline.respond(to: try HTTPRequest(method: method, target: path, headers: headers, body: Array(body.utf8)))
    }

    @Test func attachmentsNeedTheXSRFHeaderAndKeepTheirVersions() throws {
        let site = try Site()
        let path = "/wiki/rest/api/content/1001/child/attachment"
        let refused = try upload(site, "POST", path, [("notes.txt", "hello")], token: false)
        #expect(refused.status.code == 403 && String(decoding: refused.body, as: UTF8.self) == "XSRF check failed")
        let uploaded = try upload(site, "POST", path, [("notes.txt", "hello")])
        #expect(uploaded.status.code == 200)
        let attachment = try #require(Self.json(uploaded)["results"]?.arrayValue?.first)
        let id = try #require(attachment["id"]?.stringValue)
        #expect(id.hasPrefix("att") && attachment["extensions"]?["fileSize"] == 5 && attachment["extensions"]?["comment"] == "first upload")
        #expect(try upload(site, "POST", path, [("notes.txt", "again")]).status.code == 400, "a file name the page has is refused by POST")
        #expect(try upload(site, "POST", path, [("x.txt", "x")], as: Self.bob).status.code == 403)
        let replaced = try upload(site, "PUT", path, [("notes.txt", "hello, world")])
        #expect(Self.json(replaced)["results"]?.arrayValue?.first?["version"]?["number"] == 2)
        let data = try upload(site, "POST", "\(path)/\(id)/data", [("notes.txt", "third")])
        #expect(Self.json(data)["version"]?["number"] == 3)

        let listed = Self.json(try site.send("GET", "\(path)?filename=notes.txt"))
        #expect(listed["size"] == 1)
        let download = try site.send("GET", "\(path)/\(id)/download")
        #expect(String(decoding: download.body, as: UTF8.self) == "third" && download.headers["Content-Type"] == "text/plain")
        let link = try #require(listed["results"]?.arrayValue?.first?["_links"]?["download"]?.stringValue)
        #expect(String(decoding: try site.send("GET", "/wiki" + link).body, as: UTF8.self) == "third")

        #expect(Self.json(try site.send("GET", "/wiki/api/v2/pages/1001/attachments"))["results"]?.arrayValue?.first?["id"]?.stringValue == id)
        #expect(Self.json(try site.send("GET", "/wiki/api/v2/attachments/\(id)"))["fileSize"] == 5)
        #expect(try site.send("DELETE", "/wiki/api/v2/attachments/\(id)").status.code == 204)
        #expect(Self.json(try site.send("GET", path))["size"] == 0)
        let garbled = site.pipeline.respond(to: try HTTPRequest(method: "POST", target: path, headers: ["Authorization": Self.alice, "X-Atlassian-Token": "no-check",
                                                                                                        "Content-Type": "multipart/form-data; boundary=Q"], body: Array("--Q\r\nno end".utf8)))
        #expect(garbled.status.code == 400)
    }

    @Test func theContentModelSurvivesASaveAndRestore() throws {
        let site = try Site()
        let blog = try Self.create(site, #"{"type":"blogpost","title":"Saved","space":{"key":"ENG"}}"#)
        _ = try site.send("POST", "/wiki/rest/api/content/\(blog)/label", body: #"{"name":"kept"}"#)
        _ = try upload(site, "POST", "/wiki/rest/api/content/\(blog)/child/attachment", [("a.txt", "bytes")])
        let saved = site.mock.exportState()
        let restored = try Site()
        try restored.mock.importState(saved)
        #expect(Self.json(try restored.send("GET", "/wiki/api/v2/blogposts/\(blog)/labels"))["results"]?.arrayValue?.first?["name"] == "kept")
        let attachments = Self.json(try restored.send("GET", "/wiki/rest/api/content/\(blog)/child/attachment"))
        let id = try #require(attachments["results"]?.arrayValue?.first?["id"]?.stringValue)
        #expect(String(decoding: try restored.send("GET", "/wiki/rest/api/content/\(blog)/child/attachment/\(id)/download").body, as: UTF8.self) == "bytes")
    }
}
