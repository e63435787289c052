import Foundation
import Testing
import TestSupport

/// The container smoke test's static checks (scripts/container/smoke.py check): the repository's
/// Dockerfile, docker-compose.yml and docs/ci-examples pass, and a broken copy of one fails with a
/// message naming what broke. Cheap enough for every run; the full smoke test runs the image.
@Suite struct ContainerCheckTests {
    /// The checks on the repository's files, with `file` (the Dockerfile or docker-compose.yml) replaced by an edited copy.
    static func check(editing file: URL? = nil, replacing original: String = "", with replacement: String = "") throws -> ProcessOutput {
        try requirePythonModules(["yaml"])
        var arguments = [repositoryRoot.appendingPathComponent("scripts/container/smoke.py").path]
        if let file {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.contains(original), "the edit must change something: \(original)")
            let copy = try makeTemporaryDirectory().appendingPathComponent(file.lastPathComponent)
            try text.replacingOccurrences(of: original, with: replacement).write(to: copy, atomically: true, encoding: .utf8)
            arguments += [file.lastPathComponent == "Dockerfile" ? "--dockerfile" : "--compose", copy.path]
        }
        return try runProcess("python3", arguments + ["check"])
    }

    @Test func theRepositorysFilesAgree() throws {
        let result = try Self.check()
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["docker-compose.yml", "docs/ci-examples/github-actions-service-container.yml",
                     "docs/ci-examples/github-actions-binary.yml", "docs/ci-examples/gitlab-ci.yml"] {
            #expect(result.stdout.contains("\n\(file): "), "\(file) is checked")
        }
    }

    /// (the file edited, the text replaced, its replacement, what the failure must say; `*` stands
    /// for a Dockerfile line number, which any edit above it changes)
    @Test(arguments: [
        ("Dockerfile", "--tls-cert\", \"/certs/server.pem", "--tls-cert\", \"/certs/servr.pem",
         "CMD names /certs/servr.pem, which the image does not have: COPY certs /certs (line * copies certs/, which has no servr.pem"),
        ("Dockerfile", "COPY scenarios /scenarios\n", "",
         "CMD names /scenarios/default.json, which the image does not have: no COPY line puts anything at /scenarios"),
        ("Dockerfile", "EXPOSE 8080 8443", "EXPOSE 8080", "EXPOSE 8080, but the command listens on 8080 8443"),
        ("Dockerfile", "http://127.0.0.1:8080/__admin/health", "http://127.0.0.1:9090/__admin/health",
         "HEALTHCHECK asks http://127.0.0.1:9090/__admin/health, not a port the command listens on"),
        ("Dockerfile", "COPY --from=build /usr/local/bin/", "COPY --from=build /usr/bin/",
         "COPY --from=build /usr/bin/confluence-auth-mock, but the build stage (build) installs only /usr/local/bin/confluence-auth-mock"),
        ("Dockerfile", "USER mock", "ENV MODE=test\nUSER mock", "the smoke test does not reproduce ENV in the runtime stage"),
        ("Dockerfile", "COPY benchmarks ./benchmarks\n", "COPY benchmarks ./benchmarks\nRUN make generated\n",
         "the smoke test does not reproduce the build stage's `make generated`"),
        ("Dockerfile", "ENTRYPOINT [\"confluence-auth-mock\"]", "ENTRYPOINT confluence-auth-mock", "ENTRYPOINT must use the exec form"),
        ("docker-compose.yml", "\"--log\", \"text\"]", "\"--log\", \"text\", \"--no-admin\"]", "differs from the Dockerfile's CMD"),
        ("docker-compose.yml", "\"8443:8443\"", "\"9443:9443\"", "publishes container ports [8080, 9443], but the image exposes [8080, 8443]"),
        ("docker-compose.yml", "./certs:/certs:ro", "./certs:/etc/certs:ro", "volume './certs:/etc/certs:ro': the image has nothing at /etc/certs"),
        ("docker-compose.yml", "./certs:/certs:ro", "./certs:/certs", "must be ./HOST:/CONTAINER:ro"),
        ("docker-compose.yml", "read_only: true", "read_only: false", "the service must run read-only"),
        ("docker-compose.yml", "\"health\", \"--url\"", "\"health\", \"--timeout\", \"1\", \"--url\"", "healthcheck test"),
        ("docker-compose.yml", "retries: 5", "retries: 3", "health check retries 3 differs from the Dockerfile's 5"),
        ("docker-compose.yml", "services:", "services: [", "not valid YAML"),
    ])
    func aBrokenFileFailsNamingWhatBroke(file: String, original: String, replacement: String, message: String) throws {
        let result = try Self.check(editing: repositoryRoot.appendingPathComponent(file), replacing: original, with: replacement)
        #expect(result.status == 1)
        let parts = message.components(separatedBy: "*")
        #expect(parts.allSatisfy(result.stderr.contains), "\(result.stderr)")
    }
}
