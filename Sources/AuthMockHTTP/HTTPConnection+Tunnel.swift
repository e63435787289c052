#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HTTPConnection {
    /// Answers a `CONNECT` the handler accepted with `200 Connection Established` and turns the
    /// connection into a TLS server connection presenting a certificate for `host`; its requests
    /// then carry `host` as ``HTTPRequest/addressedHost``. `false` (the connection closes) when the
    /// server is not a proxy, the connection is already TLS, the client sent bytes before the 200
    /// (they would belong to the handshake, which reads the socket itself), or the handshake fails
    /// (a client that is not speaking TLS included), within the header timeout.
    func openTunnel(to host: String) -> Bool {
        guard let tunnels, !isSecure, tunnelHost == nil, buffer.isEmpty else { return false }
        // The handshake waits for the client, and a TLS connection never returns to a loop.
        mayBlock()
        let context: TLSContext
        do {
            context = try tunnels.context(for: host)
        } catch {
            return false
        }
        guard stream.write(Array("HTTP/1.1 200 Connection Established\r\n\r\n".utf8)) else { return false }
        SocketOptions.setTimeout(stream.fd, option: SO_RCVTIMEO, seconds: limits.headerTimeout)
        receiveTimeout = limits.headerTimeout
        guard let tls = context.accept(fd: stream.fd) else { return false }
        // A loop watches the socket, and OpenSSL may hold bytes the socket no longer shows.
        loop = nil
        (stream, isSecure, tunnelHost) = (tls, true, host)
        return true
    }
}
