#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bound, listening TCP socket.
struct Listener: Sendable {
    let fd: Int32
    let host: String
    let port: Int
    let isSecure: Bool

    /// Binds `host` (a numeric IPv4 or IPv6 address or a name) on `port` (0 picks a free one).
    /// `SO_REUSEADDR` lets a stopped server's port be bound again at once despite TIME_WAIT.
    static func bind(host: String, port: Int, isSecure: Bool, backlog: Int32 = 1024) throws(SocketError) -> Listener {
        var hints = addrinfo()
        hints.ai_socktype = socketStreamType
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var results: UnsafeMutablePointer<addrinfo>? = nil
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw SocketError(call: "getaddrinfo(\(host))", code: status == EAI_SYSTEM ? errno : EADDRNOTAVAIL)
        }
        defer { freeaddrinfo(results) }
        var lastError = SocketError(call: "bind", code: EADDRNOTAVAIL)
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            do {
                return try bind(info.pointee, host: host, isSecure: isSecure, backlog: backlog)
            } catch {
                lastError = error
            }
            candidate = info.pointee.ai_next
        }
        throw lastError
    }

    private static func bind(_ info: addrinfo, host: String, isSecure: Bool, backlog: Int32) throws(SocketError) -> Listener {
        let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        guard fd >= 0 else { throw SocketError.last("socket") }
        SocketOptions.setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        guard systemBind(fd, info.ai_addr, info.ai_addrlen) == 0 else {
            let error = SocketError.last("bind \(host)")
            closeDescriptor(fd)
            throw error
        }
        guard listen(fd, backlog) == 0 else {
            let error = SocketError.last("listen")
            closeDescriptor(fd)
            throw error
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let bound = describeAddress(storage)
        return Listener(fd: fd, host: bound.host, port: bound.port, isSecure: isSecure)
    }
}

/// `bind` is shadowed inside `Listener` by its own static methods; this names the system call.
@inline(__always)
private func systemBind(_ fd: Int32, _ address: UnsafePointer<sockaddr>?, _ length: socklen_t) -> Int32 {
    #if canImport(Glibc)
    Glibc.bind(fd, address, length)
    #else
    Darwin.bind(fd, address, length)
    #endif
}
