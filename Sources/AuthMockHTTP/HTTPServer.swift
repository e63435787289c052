import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where and how a server listens.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind: `127.0.0.1` (default), `::1`, `0.0.0.0`, `localhost`, …
    public var host = "127.0.0.1"
    /// Port for plain HTTP; 0 picks a free one (read it back from ``HTTPServer/port``).
    public var port = 0
    /// A second, HTTPS listener on the same host, when set.
    public var tls: TLSConfiguration?
    public var limits = HTTPLimits()
    /// Connections beyond this are closed as soon as they are accepted. (The server also raises
    /// the process's open-file limit to its hard limit, since each connection is a descriptor.)
    public var maxConnections = 32_768
    /// Seconds a plain-HTTP connection that got a thread of its own (because serving it had to
    /// wait) waits for bytes on it before it goes back to its event loop (ConnectionLoop.swift);
    /// `nil` turns the loops off: every connection then has a thread of its own.
    public var parkWaitingAfter: Double? = 0.1
    /// How many event loops serve plain-HTTP connections: one per processor by default.
    public var eventLoops = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    /// The certificates a `CONNECT` tunnel presents (``HTTPResponse/tunnel``); `nil` when the
    /// server does not act as a proxy.
    public var tunnels: TunnelCertificates?
    /// Seconds between calls of the handler's ``HTTPHandler/maintain()``.
    public var maintenanceInterval: Double = 5

    public init(host: String = "127.0.0.1", port: Int = 0, tls: TLSConfiguration? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
    }
}

/// An HTTP/1.1 server (and optional HTTPS listener) on POSIX sockets: event loops serve plain-HTTP
/// connections, and a connection gets a thread of its own while serving it has to wait (and for
/// TLS).
///
/// Start it, read ``port``/``tlsPort``, and ``stop()`` it: stop refuses new connections, lets
/// requests in flight finish, closes idle keep-alive connections and frees the ports before it
/// returns.
public final class HTTPServer: Sendable {
    private enum Phase {
        case created
        case running(listeners: [Listener], wakeFD: Int32, loops: [ConnectionLoop])
        case stopped
    }

    private struct Lifecycle {
        var phase = Phase.created
        var acceptorRunning = false
    }

    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let registry: ConnectionRegistry
    private let lifecycle = Lock(Lifecycle())

    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        self.registry = ConnectionRegistry(capacity: configuration.maxConnections)
    }

    /// Binds the listeners and starts accepting. Throws when a port is taken or TLS files are bad.
    public func start() throws {
        // A peer that vanishes mid-write must cost an EPIPE, never the process: OpenSSL writes
        // with plain write(2), so ignoring SIGPIPE process-wide is the only complete answer.
        signal(SIGPIPE, SIG_IGN)
        let tlsContext = try configuration.tls.map { try TLSContext($0) }
        var listeners = [try Listener.bind(host: configuration.host, port: configuration.port, isSecure: false)]
        if let tls = configuration.tls {
            do {
                listeners.append(try Listener.bind(host: configuration.host, port: tls.port, isSecure: true))
            } catch {
                listeners.forEach { closeDescriptor($0.fd) }
                throw error
            }
        }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            listeners.forEach { closeDescriptor($0.fd) }
            throw SocketError.last("pipe")
        }
        raiseOpenFileLimit()
        let loops = makeLoops()
        lifecycle.withLock {
            $0.phase = .running(listeners: listeners, wakeFD: pipeFDs[1], loops: loops)
            $0.acceptorRunning = true
        }
        let wakeRead = pipeFDs[0]
        let bound = listeners
        guard spawnThread({ self.acceptLoop(listeners: bound, wakeFD: wakeRead, tls: tlsContext, loops: loops) }) else {
            stop()
            throw SocketError.last("pthread_create")
        }
    }

    /// The bound HTTP port (0 before `start`).
    public var port: Int { listener(secure: false)?.port ?? 0 }
    /// The bound HTTPS port, when TLS is configured and the server is running.
    public var tlsPort: Int? { listener(secure: true)?.port }
    /// How many connections the event loops hold (ConnectionLoop.swift).
    var connectionsOnLoops: Int {
        lifecycle.withLock { if case .running(_, _, let loops) = $0.phase { loops.reduce(0) { $0 + $1.count } } else { 0 } }
    }

    /// The bound host as a numeric address.
    public var boundHost: String { listener(secure: false)?.host ?? configuration.host }

    /// Whether it has started and not yet been stopped.
    public var isRunning: Bool { lifecycle.withLock { if case .running = $0.phase { true } else { false } } }

    private func listener(secure: Bool) -> Listener? {
        lifecycle.withLock {
            if case .running(let listeners, _, _) = $0.phase { listeners.first { $0.isSecure == secure } } else { nil }
        }
    }

    /// Stops gracefully, waiting up to `timeout` seconds for requests in flight, then cuts the rest.
    public func stop(timeout: Double = 5) {
        let running: (wakeFD: Int32, loops: [ConnectionLoop])? = lifecycle.withLock { state in
            guard case .running(_, let wakeFD, let loops) = state.phase else { return nil }
            state.phase = .stopped
            return (wakeFD, loops)
        }
        guard let (wakeFD, loops) = running else { return }
        registry.beginStop()
        var byte: UInt8 = 1
        _ = write(wakeFD, &byte, 1)
        waitUntil(deadline: 2) { !self.lifecycle.withLock { $0.acceptorRunning } }
        closeDescriptor(wakeFD)
        if !waitUntil(deadline: timeout, { self.registry.count == 0 }) {
            registry.shutdownAll()
            waitUntil(deadline: 1) { self.registry.count == 0 }
        }
        loops.forEach { $0.stop(timeout: 1) }
    }

    /// The event loops, none when they are turned off or the system has no epoll.
    private func makeLoops() -> [ConnectionLoop] {
        guard let parkAfter = configuration.parkWaitingAfter else { return [] }
        return (0..<max(1, configuration.eventLoops)).compactMap { _ in ConnectionLoop(parkAfter: parkAfter, limits: configuration.limits) }
    }

    /// Lets the process hold as many descriptors as its hard limit allows: the usual soft limit
    /// (1,024 on many systems) would refuse connections long before `maxConnections`.
    private func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(resourceLimitOpenFiles, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(resourceLimitOpenFiles, &limit)
    }

    @discardableResult
    private func waitUntil(deadline seconds: Double, _ done: () -> Bool) -> Bool {
        let end = monotonicSeconds() + seconds
        while !done() {
            if monotonicSeconds() > end { return false }
            sleepMilliseconds(1)
        }
        return true
    }

    // MARK: Accepting

    private func acceptLoop(listeners: [Listener], wakeFD: Int32, tls: TLSContext?, loops: [ConnectionLoop]) {
        var polled = listeners.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        polled.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
        let interval = max(configuration.maintenanceInterval, 0.01)
        var nextMaintenance = monotonicSeconds() + interval
        var accepted = 0
        while true {
            let untilMaintenance = min(max(0, (nextMaintenance - monotonicSeconds()) * 1000), 60_000)
            let ready = poll(&polled, nfds_t(polled.count), Int32(untilMaintenance.rounded(.up)))
            let now = monotonicSeconds()
            if now >= nextMaintenance {
                handler.maintain()
                nextMaintenance = now + interval
            }
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if polled[polled.count - 1].revents != 0 { break }
            for (index, listener) in listeners.enumerated() where polled[index].revents & Int16(POLLIN) != 0 {
                // New connections take the loops in turn.
                acceptOne(from: listener, tls: tls, loop: loops.isEmpty ? nil : loops[accepted % loops.count])
                accepted &+= 1
            }
        }
        listeners.forEach { closeDescriptor($0.fd) }
        closeDescriptor(wakeFD)
        lifecycle.withLock { $0.acceptorRunning = false }
    }

    private func acceptOne(from listener: Listener, tls: TLSContext?, loop: ConnectionLoop?) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { acceptConnection(listener.fd, $0, &length) }
        }
        guard fd >= 0 else {
            // Out of descriptors: back off briefly rather than spin on a listener that stays readable.
            if errno == EMFILE || errno == ENFILE { sleepMilliseconds(10) }
            return
        }
        SocketOptions.setNoDelay(fd)
        disableSigpipe(fd)
        SocketOptions.setTimeout(fd, option: SO_SNDTIMEO, seconds: configuration.limits.bodyTimeout)
        guard let slot = registry.add(fd: fd) else {
            closeDescriptor(fd)
            return
        }
        let peer = describeAddress(storage)
        let address = peer.host.contains(":") ? "[\(peer.host)]:\(peer.port)" : "\(peer.host):\(peer.port)"
        if !listener.isSecure, let loop {
            let connection = HTTPConnection(stream: PlainStream(fd: fd), handler: handler, limits: configuration.limits, registry: registry,
                                            slot: slot, isSecure: false, remoteAddress: address, loop: loop, tunnels: configuration.tunnels)
            if !connection.startOnLoop() { connection.close() }
            return
        }
        let started = spawnThread { self.serveConnection(slot: slot, secure: listener.isSecure, tls: tls, address: address) }
        if !started { registry.remove(slot) { closeDescriptor(fd) } }
    }

    /// A connection on a thread of its own from the start: TLS, or any when the loops are off.
    private func serveConnection(slot: ConnectionSlot, secure: Bool, tls: TLSContext?, address: String) {
        let fd = slot.fd
        let stream: ByteStream
        if secure, let tls {
            // The handshake is bounded like a request head; a failed one ends only this connection.
            SocketOptions.setTimeout(fd, option: SO_RCVTIMEO, seconds: configuration.limits.headerTimeout)
            guard let tlsStream = tls.accept(fd: fd) else {
                registry.remove(slot) { closeDescriptor(fd) }
                return
            }
            stream = tlsStream
        } else {
            stream = PlainStream(fd: fd)
        }
        HTTPConnection(stream: stream, handler: handler, limits: configuration.limits, registry: registry,
                       slot: slot, isSecure: secure, remoteAddress: address, tunnels: configuration.tunnels).run()
    }
}
