#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one read produced.
enum ReadResult: Equatable {
    case bytes(Int)
    /// The peer closed (or the server shut the socket down to stop).
    case closed
    /// The socket's receive timeout expired with nothing read.
    case timedOut
}

/// A connection's byte transport, plain TCP or TLS. Owned by one connection thread.
protocol ByteStream: AnyObject {
    var fd: Int32 { get }
    func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool
    /// Ends the connection politely (TLS close_notify, then FIN) and frees the descriptor.
    func close()
}

extension ByteStream {
    func write(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { write($0) } }

    /// Ends the connection with a TCP RST: no close_notify, no FIN.
    func abort() {
        SocketOptions.resetOnClose(fd)
        closeDescriptor(fd)
    }
}

/// Plain TCP.
final class PlainStream: ByteStream {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult { receive(fd, into: buffer, flags: 0) }

    func write(_ bytes: UnsafeRawBufferPointer) -> Bool { writeAll(fd, bytes) }

    func close() { closeDescriptor(fd) }
}

/// Takes what the socket holds without waiting: `.timedOut` when it holds nothing yet.
func receiveWithoutWaiting(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
    receive(fd, into: buffer, flags: Int32(MSG_DONTWAIT))
}

/// One `recv`, retried after interrupts; `.timedOut` when the receive timeout expired (or, with
/// `MSG_DONTWAIT`, when nothing was there).
private func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: Int32) -> ReadResult {
    while true {
        let count = recv(fd, buffer.baseAddress, buffer.count, flags)
        if count > 0 { return .bytes(count) }
        if count == 0 { return .closed }
        switch errno {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: return .timedOut
        default: return .closed
        }
    }
}
