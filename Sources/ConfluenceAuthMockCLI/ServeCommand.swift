import AuthMockHTTP
import ConfluenceAuthMock
#if canImport(Glibc)
import CMalloc
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `serve`: runs the mock until SIGINT or SIGTERM, then stops gracefully and exits 0.
enum ServeCommand {
    static func parse(_ arguments: [String]) throws(UsageError) -> (scenarioFile: String?, options: MockServerOptions) {
        var arguments = Arguments(arguments)
        let scenarioFile = try arguments.value("--scenario")
        var options = MockServerOptions(port: 8080)
        options.host = try arguments.value("--host") ?? options.host
        options.port = try arguments.port("--port") ?? options.port
        let tlsPort = try arguments.port("--tls-port")
        let certificate = try arguments.value("--tls-cert"), key = try arguments.value("--tls-key")
        if tlsPort != nil || certificate != nil || key != nil {
            guard let tlsPort, let certificate, let key else {
                throw UsageError("--tls-port, --tls-cert and --tls-key go together")
            }
            options.tls = TLSConfiguration(certificatePath: certificate, privateKeyPath: key, port: tlsPort)
        }
        options.adminToken = try arguments.value("--admin-token")
        options.adminEnabled = !arguments.flag("--no-admin")
        if options.adminToken != nil && !options.adminEnabled { throw UsageError("--admin-token and --no-admin exclude each other") }
        if let log = try arguments.value("--log") {
            guard let format = RequestLogFormat(rawValue: log) else { throw UsageError("--log must be text, json or off, not \"\(log)\"") }
            options.log = format
        }
        let appCA = try arguments.value("--app-ca"), appInsecure = arguments.flag("--app-insecure")
        if appCA != nil && appInsecure { throw UsageError("--app-ca and --app-insecure exclude each other") }
        options.outboundTLS = OutboundTLS(caFile: appCA, verifyPeer: !appInsecure)
        options.stateFile = try arguments.value("--state")
        options.proxyEnabled = !arguments.flag("--no-proxy")
        let proxyCA = try arguments.value("--proxy-ca"), proxyCAKey = try arguments.value("--proxy-ca-key")
        if proxyCA != nil || proxyCAKey != nil {
            guard let proxyCA, let proxyCAKey else { throw UsageError("--proxy-ca and --proxy-ca-key go together") }
            guard options.proxyEnabled else { throw UsageError("--proxy-ca and --no-proxy exclude each other") }
            do {
                options.proxyCA = try MockServerOptions.ProxyCA(certificateFile: proxyCA, privateKeyFile: proxyCAKey)
            } catch {
                throw UsageError(error.message)
            }
        }
        try arguments.finish()
        return (scenarioFile, options)
    }

    /// Starts, prints the ready lines, and parks the main thread until a stop signal.
    static func run(scenarioFile: String?, options: MockServerOptions) -> Never {
        StopSignals.block()
        limitMallocArenas()
        let server: MockConfluence
        do {
            let scenario = try scenarioFile.map { file throws(ScenarioError) in try Scenario.load(contentsOfFile: file) } ?? .bundledDefault
            server = try MockConfluence(scenario: scenario, options: options)
        } catch {
            emit("confluence-auth-mock: the scenario cannot be served:\n\(error)\n", to: 2)
            exit(1)
        }
        let restoring = options.stateFile.map(stateFileExists) ?? false
        do {
            try options.outboundTLS.validate()
            try server.start()
        } catch let error as MockConfluence.StateError {
            emit("confluence-auth-mock: cannot restore the saved state (the file is left as it is):\n\(error)\n", to: 2)
            exit(1)
        } catch {
            emit("confluence-auth-mock: cannot start: \(error)\n", to: 2)
            exit(1)
        }
        if let warning = exposureWarning(options) { emit(warning, to: 2) }
        if restoring, let warning = restoredScenarioWarning(scenarioFile: scenarioFile, served: server) { emit(warning, to: 2) }
        var ready = "confluence-auth-mock listening on \(server.baseURLString)\n"
        if let tls = server.tlsBaseURLString { ready += "confluence-auth-mock listening on \(tls)\n" }
        emit(ready, to: 1)
        StopSignals.wait {
            server.stop()
            saveOnExit(server)
        }
    }

    /// Saves the state file, if there is one, after the listeners stopped (so nothing changes
    /// while it is written); a failed save is reported and makes the exit status 1.
    private static func saveOnExit(_ server: MockConfluence) {
        guard server.options.stateFile != nil else { return }
        do throws(MockConfluence.StateFileError) {
            let saved = try server.saveState()
            emit("confluence-auth-mock: state saved to \(saved.path) (\(saved.bytes) bytes)\n", to: 2)
        } catch {
            emit("confluence-auth-mock: \(error)\n", to: 2)
            exit(1)
        }
    }
}

extension ServeCommand {
    /// A warning when the admin API is open to the network: bound beyond loopback with neither
    /// `--admin-token` nor `--no-admin`, anyone who reaches the port can rewrite the scenario and
    /// mint tokens. (In a container this is the usual case; the container's network is the fence.)
    static func exposureWarning(_ options: MockServerOptions) -> String? {
        guard options.adminEnabled, options.adminToken == nil, !isLoopback(options.host) else { return nil }
        return "confluence-auth-mock warning: listening on \(options.host) with the admin API open and no --admin-token: "
            + "anyone who can reach the port can replace the scenario and mint tokens (set --admin-token, or --no-admin)\n"
    }

    /// A warning when a restored state carries a scenario other than the one `--scenario` names:
    /// the saved one serves, since its tokens and content were made under it.
    static func restoredScenarioWarning(scenarioFile: String?, served: MockConfluence) -> String? {
        let given = scenarioFile.map { try? Scenario.load(contentsOfFile: $0) } ?? .bundledDefault
        guard let given, given.json != served.scenario.json else { return nil }
        return "confluence-auth-mock warning: the saved state holds scenario \"\(served.scenario.displayName)\" as it was when saved, "
            + "which differs from \(scenarioFile ?? "the bundled default scenario"); the saved one serves (delete the state file to start from the scenario)\n"
    }

    /// Whether the state file exists (it is restored at start when it does).
    static func stateFileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// `localhost`, `127.0.0.0/8` and `::1`.
    static func isLoopback(_ host: String) -> Bool { host.lowercased() == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" }
}

/// Two malloc arenas for the standalone server, unless `MALLOC_ARENA_MAX` says otherwise. glibc
/// gives threads up to eight arenas per core, each keeping the memory freed in it; a server with a
/// thread per connection, whose clients come and go, then holds about twice the memory (a 3-minute
/// soak at 32 connections levelled at 160–230 MiB with the default, and at 100 MiB with two arenas,
/// at the same request rate; docs/reliability.md "Soak"). Set before any thread exists. A mock
/// embedded in a test process leaves that process's allocator alone.
func limitMallocArenas() {
    #if canImport(Glibc)
    guard getenv("MALLOC_ARENA_MAX") == nil else { return }
    mallopt(M_ARENA_MAX, 2)
    #endif
}

/// SIGINT and SIGTERM stop the server cleanly; the process then exits 0.
///
/// Both signals are blocked before any thread exists, so every thread inherits the block, and the
/// main thread takes them with `sigwait`. (A dispatch signal source is not enough on Linux: a
/// process-directed signal may be handed to a connection thread and discarded there.) Blocking
/// also overrides whatever mask or disposition the spawning harness left us.
enum StopSignals {
    static var set: sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        return signals
    }

    static func block() {
        var signals = set
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    static func wait(then stop: () -> Void) -> Never {
        var signals = set
        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
        stop()
        exit(0)
    }
}
