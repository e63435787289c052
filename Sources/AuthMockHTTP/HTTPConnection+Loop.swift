/// A connection's life on its event loop (ConnectionLoop.swift): it waits there without a thread,
/// and what arrives whole is served on the loop's thread, which must never wait. The first stage
/// that would (a body still arriving, a delay, a slow reader, a stream, a tunnel, an outbound call)
/// calls ``mayBlock()``: the loop passes to a new thread and this one stays with the connection,
/// serving it like a thread of its own until it waits ``ConnectionLoop/parkAfter`` seconds for its
/// next request and goes back.
extension HTTPConnection {
    /// What became of a connection the loop's thread served.
    enum LoopOutcome {
        /// It waits on the loop again.
        case waiting
        /// It is closed.
        case closed
        /// The loop passed to another thread; the calling thread served the connection on its own
        /// and has let it go (closed, or back on a loop).
        case handedOff
    }

    /// A new connection waits on its loop for its first request, until the idle deadline. `false`
    /// when the loop does not take it (the server is stopping, or no thread could start).
    func startOnLoop() -> Bool {
        guard let loop, registry.enterIdle(slot) else { return false }
        let now = monotonicSeconds()
        waitingSince = now
        loopDeadline = now + limits.idleTimeout
        return loop.adopt(self)
    }

    /// Serves, on the loop's thread, what the bytes now readable complete: it reads once, answers
    /// every whole request buffered, and goes back to waiting.
    func serveOnLoop(scratch: UnsafeMutableRawBufferPointer) -> LoopOutcome {
        loopScratch = scratch
        loopReadPending = true
        while onLoop {
            switch readHead() {
            case .head(let head, let length):
                if !serve(head, headLength: length) {
                    close()
                    return onLoop ? .closed : .handedOff
                }
            case .close:
                close()
                return onLoop ? .closed : .handedOff
            case .parked:
                loopScratch = nil
                return onLoop ? .waiting : .handedOff
            }
        }
        // A stage had to wait, and the loop went on without this thread.
        run()
        return .handedOff
    }

    /// Called by the loop as it takes the connection over.
    func joinLoop() { onLoop = true }

    /// Called by the loop as it lets the connection go to the thread serving it.
    func leaveLoop() {
        onLoop = false
        loopScratch = nil
    }

    /// On the loop's thread: takes what the socket holds, once per turn, and never waits; the
    /// connection otherwise waits on the loop until `deadline`.
    func readOnLoop(until deadline: Double) -> Awaited {
        loopDeadline = deadline
        guard loopReadPending, let scratch = loopScratch else { return .parked }
        loopReadPending = false
        switch receiveWithoutWaiting(stream.fd, into: scratch) {
        case .bytes(let count):
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            return .bytes
        case .closed:
            return .closed
        case .timedOut:
            return .parked
        }
    }
}
