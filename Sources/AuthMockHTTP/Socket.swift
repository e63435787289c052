#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call, with the call's name and `errno`.
public struct SocketError: Error, Sendable, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public var description: String { "\(call) failed: \(String(cString: strerror(code))) (errno \(code))" }

    static func last(_ call: String) -> SocketError { SocketError(call: call, code: errno) }
}

/// Small checked wrappers over socket options used on every accepted connection.
enum SocketOptions {
    static func setInt(_ fd: Int32, _ level: Int32, _ option: Int32, _ value: Int32) {
        var value = value
        _ = setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Disables Nagle: every response is one write, so delaying it for coalescing only adds latency
    /// (~40 ms per keep-alive response when it meets the peer's delayed ACK).
    static func setNoDelay(_ fd: Int32) { setInt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1) }

    /// A blocking read or write on `fd` gives up after `seconds` with EAGAIN.
    static func setTimeout(_ fd: Int32, option: Int32, seconds: Double) {
        let whole = max(seconds, 0.001)
        var value = timeval(tv_sec: Int(whole), tv_usec: .init(Int((whole - Double(Int(whole))) * 1_000_000)))
        _ = setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Makes the next `close` send a TCP RST instead of a FIN (linger on, zero seconds).
    static func resetOnClose(_ fd: Int32) {
        var value = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
    }
}

/// Writes every byte, retrying after interrupts and partial writes. `false` when the peer is
/// gone or the send timeout expired. What the socket does not take at once is waited for only
/// after ``mayBlock()``, so an event loop's thread never waits on a slow reader.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let (sent, stoppedBy) = sendBytes(fd, bytes, flags: sendFlags | Int32(MSG_DONTWAIT))
    guard let stoppedBy else { return true }
    guard stoppedBy == EAGAIN || stoppedBy == EWOULDBLOCK else { return false }
    mayBlock()
    return sendBytes(fd, UnsafeRawBufferPointer(rebasing: bytes[sent...]), flags: sendFlags).stoppedBy == nil
}

/// Sends what the socket takes at once. The count sent (0 when its buffer is full), or -1 when
/// the peer is gone.
func sendWithoutWaiting(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    let (sent, stoppedBy) = sendBytes(fd, bytes, flags: sendFlags | Int32(MSG_DONTWAIT))
    switch stoppedBy {
    case nil, EAGAIN?, EWOULDBLOCK?: return sent
    default: return -1
    }
}

/// Sends until every byte is out or a send fails (interrupts are retried): the count sent, and
/// the `errno` that stopped it.
private func sendBytes(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, flags: Int32) -> (sent: Int, stoppedBy: Int32?) {
    var offset = 0
    while offset < bytes.count {
        let written = send(fd, bytes.baseAddress! + offset, bytes.count - offset, flags)
        if written > 0 {
            offset += written
        } else if written < 0 && errno == EINTR {
            continue
        } else {
            return (offset, written < 0 ? errno : EPIPE)
        }
    }
    return (offset, nil)
}

/// Renders a socket address as `host:port` (`[::1]:8080` for IPv6).
func describeAddress(_ storage: sockaddr_storage) -> (host: String, port: Int) {
    var storage = storage
    var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
    let length = socklen_t(storage.ss_family == sa_family_t(AF_INET6) ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            getnameinfo($0, length, &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV)
        }
    }
    let hostText = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let port = Int(String(decoding: service.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) ?? 0
    return (hostText, port)
}

/// Monotonic seconds, for timeouts.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Sleeps for `milliseconds` on the calling thread (connection threads only, never a task; an
/// event loop's thread hands its loop on first, ``mayBlock()``).
package func sleepMilliseconds(_ milliseconds: Int) {
    guard milliseconds > 0 else { return }
    mayBlock()
    var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Carries a thread's closure through `pthread_create`'s untyped argument.
final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Runs `body` on a detached thread of its own (for work a caller should not wait for, such as
/// building a table on first start). `false` when no thread could be made.
public func detachThread(_ body: @escaping @Sendable () -> Void) -> Bool { spawnThread(body) }
