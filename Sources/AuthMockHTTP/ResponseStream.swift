/// A body produced while the connection stays open (Server-Sent Events and the like): after the
/// head, the connection's own thread runs `produce`, which writes through the writer until it
/// returns or the client goes away; then the connection closes (the body ends at the close, so the
/// head carries no `Content-Length`). A slow or stalled reader holds only its own thread.
public struct ResponseStream: Sendable {
    let produce: @Sendable (ResponseStreamWriter) -> Void

    public init(_ produce: @escaping @Sendable (ResponseStreamWriter) -> Void) { self.produce = produce }
}

/// Writes a streamed body's bytes as they come.
public struct ResponseStreamWriter {
    let send: ([UInt8]) -> Bool
    let stopping: () -> Bool

    /// Sends `bytes` at once; `false` when the client has gone, and the producer should return.
    public func write(_ bytes: [UInt8]) -> Bool { send(bytes) }

    /// Whether the server is stopping, and the producer should return.
    public var isStopping: Bool { stopping() }
}

extension HTTPConnection {
    /// Sends the head at once, then the body in slices of at most a tenth of a second's worth,
    /// each after the time it takes at the given rate: a body arrives no sooner than its size
    /// allows, however small (a 300-byte body at 1,000 bytes a second takes 0.3 s).
    func dribble(_ bytes: [UInt8], headLength: Int, bytesPerSecond: Int) -> Bool {
        guard stream.write(Array(bytes[0..<headLength])) else { return false }
        let rate = max(bytesPerSecond, 1), slice = max(1, rate / 10)
        var offset = headLength
        while offset < bytes.count {
            let end = min(offset + slice, bytes.count)
            sleepMilliseconds(max(1, 1000 * (end - offset) / rate))
            guard stream.write(Array(bytes[offset..<end])) else { return false }
            offset = end
        }
        return true
    }

    /// Sends the head, then lets `body` write until it returns; the connection then ends.
    func stream(_ head: [UInt8], _ body: ResponseStream, stopping: @escaping () -> Bool) {
        // The producer may wait as long as it likes, so never on an event loop's thread.
        mayBlock()
        guard stream.write(head) else { return }
        body.produce(ResponseStreamWriter(send: { [stream] bytes in stream.write(bytes) }, stopping: stopping))
    }
}
