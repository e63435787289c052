import AuthMockFormats
import Foundation
import Testing
import TestSupport

/// The compose file's exact command line as a plain process, with its volumes mapped to the
/// repository's folders and its published ports replaced by free ones, against the built binary.
/// (scripts/container-smoke.sh runs the image itself, in a root made as the Dockerfile makes it;
/// ContainerCheckTests hold the Dockerfile, compose file and CI examples to one another.)
@Suite(.serialized) struct ContainerTests {
    static let binary = builtProduct("confluence-auth-mock")

    struct Compose {
        let command: [String]
        let volumes: [(host: String, container: String)]
        let healthcheck: [String]
    }

    static func readCompose() throws -> Compose {
        try requirePythonModules(["yaml"])
        let script = """
        import json, sys, yaml
        service = yaml.safe_load(open(sys.argv[1]))["services"]["confluence-auth-mock"]
        print(json.dumps({"command": service["command"], "volumes": service["volumes"], "test": service["healthcheck"]["test"]}))
        """
        let result = try runProcess("python3", ["-c", script, repositoryRoot.appendingPathComponent("docker-compose.yml").path])
        let json = try JSONValue.parse(result.stdout)
        let volumes = (json["volumes"]?.arrayValue ?? []).compactMap(\.stringValue).map { volume -> (String, String) in
            let parts = volume.split(separator: ":").map(String.init)
            return (repositoryRoot.appendingPathComponent(String(parts[0].dropFirst(2))).path, parts[1])
        }
        return Compose(command: json["command"]?.arrayValue?.compactMap(\.stringValue) ?? [], volumes: volumes,
                       healthcheck: json["test"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// The container's paths rewritten to the mounted folders, and ports to 0.
    static func localCommand(_ compose: Compose) -> [String] {
        var command = compose.command
        for index in command.indices {
            for volume in compose.volumes where command[index].hasPrefix(volume.container + "/") {
                command[index] = volume.host + command[index].dropFirst(volume.container.count)
            }
            if index > 0, ["--port", "--tls-port"].contains(command[index - 1]) { command[index] = "0" }
        }
        return command
    }

    @Test func composeCommandServesHTTPAndHTTPSWithAHealthyCheck() throws {
        let compose = try Self.readCompose()
        #expect(compose.command.first == "serve")
        #expect(compose.command.contains("0.0.0.0"), "inside the container the mock must listen on all interfaces")
        #expect(compose.volumes.map(\.container) == ["/scenarios", "/certs"])
        let serve = try SpawnedProcess(Self.binary, Self.localCommand(compose))
        let http = try #require(serve.readLine()), https = try #require(serve.readLine())
        let httpPort = String(http.split(separator: ":").last!), httpsPort = String(https.split(separator: ":").last!)
        #expect(http.hasPrefix("confluence-auth-mock listening on http://0.0.0.0:"))

        let health = try runProcess("curl", ["-sS", "http://127.0.0.1:\(httpPort)/__admin/health"])
        #expect(try JSONValue.parse(health.stdout) == ["status": "ok", "scenario": "default"])
        let secure = try runProcess("curl", ["-sS", "--cacert", repositoryRoot.appendingPathComponent("certs/ca.pem").path,
                                             "https://localhost:\(httpsPort)/__admin/health"])
        #expect(try JSONValue.parse(secure.stdout)["status"] == "ok")

        // The healthcheck exactly as compose runs it, pointed at the published port; the image's
        // confluence-auth-mock is the built one.
        let check = compose.healthcheck.dropFirst().map { $0.replacingOccurrences(of: ":8080/", with: ":\(httpPort)/") }  // "CMD"
        let program = try #require(check.first)
        let healthy = try runProcess(program == "confluence-auth-mock" ? Self.binary.path : program, Array(check.dropFirst()))
        #expect(healthy.status == 0, "\(healthy.stderr)")
        #expect(serve.stop() == 0)
    }
}
