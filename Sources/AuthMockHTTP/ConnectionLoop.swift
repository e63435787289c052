#if os(Linux)
import Glibc
import CEventPoll
import Synchronization

/// An event loop over plain-HTTP connections: one epoll set, run by one thread at a time, which
/// serves every request that arrives whole and holds every connection that only waits.
///
/// Why: a thread per connection cost a thread switch per request (a third of the server's time
/// under load, with 32 busy connections on two cores) and a thread and its buffers per waiting
/// connection, so a flood of half-open connections (the slowloris pattern) ran the server out of
/// threads. Here a connection costs its unread bytes while it waits, and a request that arrives
/// whole is answered on the loop's thread, a batch of ready connections per `epoll_wait`
/// (docs/architecture.md "I/O model").
///
/// The loop's thread must never wait. Whatever would (a body still arriving, a response delay, a
/// slow reader, a streamed body, an outbound call, a TLS handshake) calls ``mayBlock()`` first:
/// the connection leaves the epoll set, a new thread takes the loop over, and the old one stays
/// with the connection as its own thread. Such a connection comes back (``adopt(_:)``) once it
/// has waited ``parkAfter`` seconds for its next request. Deadlines (the idle timeout, and the
/// header timeout of a half-sent head, answered 408) are checked here for every connection held.
/// TLS connections never join a loop: OpenSSL may hold bytes of theirs that the socket no longer
/// shows.
final class ConnectionLoop: Sendable {
    /// The epoll key of the eventfd; connections use their registry ids, which start at 1.
    private static let wakeKey: UInt64 = 0

    private struct Queue {
        var arrivals: [HandedOver<HTTPConnection>] = []
        var threadStarted = false
        /// Set by the loop's last thread as it ends; nothing is adopted after that.
        var closed = false
    }

    /// Seconds a connection on a thread of its own waits for bytes before it comes back.
    let parkAfter: Double
    private let sweepMilliseconds: Int32
    private let epollFD: Int32
    private let wakeFD: Int32
    private let queue = Lock(Queue())
    private let state = LoopState()
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private let heldCount = Atomic<Int>(0)

    /// How many connections the loop holds now.
    var count: Int { heldCount.load(ordering: .relaxed) }

    /// `nil` when the kernel refuses an epoll set or an eventfd: connections then keep threads of their own.
    init?(parkAfter: Double, limits: HTTPLimits) {
        self.parkAfter = parkAfter
        // Deadlines are checked four times per shortest timeout (every 10 to 250 ms), so a
        // timeout fires at most a quarter late.
        sweepMilliseconds = Int32(max(10, min(250, min(limits.idleTimeout, limits.headerTimeout) * 250)))
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard epollFD >= 0, wakeFD >= 0, Self.watch(epollFD, wakeFD, key: Self.wakeKey) else {
            closeDescriptors()
            return nil
        }
    }

    /// Takes over `connection`, which waits for bytes until its `loopDeadline`. Called by the
    /// thread that owns the connection (the acceptor for a new one, or its own thread), which must
    /// not touch it again when this returns `true`; on `false` (stopping, or no thread could be
    /// started) the caller keeps it.
    func adopt(_ connection: HTTPConnection) -> Bool {
        guard !stopping.load(ordering: .acquiring), startThreadOnce() else { return false }
        let accepted = queue.withLock { queue in
            guard !queue.closed else { return false }
            queue.arrivals.append(HandedOver(connection))
            return true
        }
        if accepted { wake() }
        return accepted
    }

    /// Ends the loop once every connection it holds is gone (the server closes them first),
    /// waiting up to `timeout` seconds, then frees the descriptors.
    func stop(timeout: Double) {
        stopping.store(true, ordering: .releasing)
        wake()
        let deadline = monotonicSeconds() + timeout
        while running.load(ordering: .acquiring) && monotonicSeconds() < deadline { sleepMilliseconds(1) }
        // A thread still running keeps its descriptors: closing them under it could hand their
        // numbers to another socket.
        if !running.load(ordering: .acquiring) { closeDescriptors() }
    }

    private func startThreadOnce() -> Bool {
        let start = queue.withLock { queue in
            if queue.threadStarted { return false }
            queue.threadStarted = true
            return true
        }
        guard start else { return true }
        running.store(true, ordering: .releasing)
        guard spawnThread({ self.run() }) else {
            running.store(false, ordering: .releasing)
            queue.withLock { $0.threadStarted = false }
            return false
        }
        return true
    }

    private func closeDescriptors() {
        if epollFD >= 0 { closeDescriptor(epollFD) }
        if wakeFD >= 0 { closeDescriptor(wakeFD) }
    }

    private static func watch(_ epollFD: Int32, _ fd: Int32, key: UInt64) -> Bool {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = key
        return epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, MemoryLayout<UInt64>.size)
    }

    // MARK: The loop's thread

    /// Serves and watches the connections held until the server stops and none is left, or until
    /// a connection being served hands the loop to another thread.
    private func run() {
        let turn = LoopTurn(loop: self, state: state)
        LoopTurn.current = turn
        while true {
            let count = Int(epoll_wait(epollFD, &state.events, Int32(state.events.count), state.held.isEmpty ? -1 : sweepMilliseconds))
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(count, 0) {
                let key = state.events[index].data.u64
                if key == Self.wakeKey {
                    admitArrivals(into: state)
                } else if let connection = state.held[key], !serve(connection, key: key, turn: turn) {
                    // This thread now belongs to that connection, which it has finished serving.
                    return
                }
            }
            heldCount.store(state.held.count, ordering: .relaxed)
            let now = monotonicSeconds()
            if now >= state.nextSweep {
                state.nextSweep = now + Double(sweepMilliseconds) / 1000
                expireOverdue(state, now: now)
            }
            if stopping.load(ordering: .acquiring) && state.held.isEmpty && closeIfNothingArrived() { break }
        }
        LoopTurn.current = nil
        running.store(false, ordering: .releasing)
    }

    /// Serves one readable connection. `false` when it handed the loop to another thread.
    private func serve(_ connection: HTTPConnection, key: UInt64, turn: LoopTurn) -> Bool {
        turn.serving = (connection, key)
        let outcome = connection.serveOnLoop(scratch: turn.state.scratch)
        turn.serving = nil
        switch outcome {
        case .waiting: return true
        case .closed: turn.state.held[key] = nil; return true
        case .handedOff: return false
        }
    }

    /// Called through ``mayBlock()`` on the loop's thread, while it serves a connection that is
    /// about to wait: the connection leaves the loop and a new thread takes the loop over.
    /// `false` (and the loop waits with the connection) when no thread could be started.
    fileprivate func handOff(_ turn: LoopTurn) -> Bool {
        guard let (connection, key) = turn.serving else { return false }
        let fd = connection.stream.fd
        // Out of the epoll set before the new thread can wait on it, so only this thread reads it.
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        turn.state.held[key] = nil
        guard spawnThread({ self.run() }) else {
            if Self.watch(epollFD, fd, key: key) { turn.state.held[key] = connection }
            return false
        }
        LoopTurn.current = nil
        connection.leaveLoop()
        return true
    }

    private func admitArrivals(into state: LoopState) {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, MemoryLayout<UInt64>.size)
        let arrivals = queue.withLock { queue in
            defer { queue.arrivals.removeAll() }
            return queue.arrivals
        }
        for arrival in arrivals {
            let connection = arrival.value
            let key = UInt64(connection.slot.id)
            if Self.watch(epollFD, connection.stream.fd, key: key) {
                connection.joinLoop()
                state.held[key] = connection
            } else if !spawnThread({ arrival.value.resume() }) {
                connection.close()
            }
        }
    }

    private func expireOverdue(_ state: LoopState, now: Double) {
        for (key, connection) in state.held where connection.loopDeadline <= now {
            state.held[key] = nil
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, connection.stream.fd, nil)
            connection.expire()
        }
    }

    /// `true` (and nothing may be adopted any more) when no connection is waiting to be admitted.
    private func closeIfNothingArrived() -> Bool {
        queue.withLock { queue in
            guard queue.arrivals.isEmpty else { return false }
            queue.closed = true
            return true
        }
    }
}

/// Declares that the calling thread is about to wait (a sleep, a blocking read or write, an
/// outbound call). On a loop's thread serving a connection, the loop first passes to a new thread,
/// so the connections it holds are not held up, and this thread stays with the connection it
/// serves. Anywhere else it does nothing.
package func mayBlock() {
    guard let turn = LoopTurn.current else { return }
    _ = turn.loop.handOff(turn)
}

/// The connections a loop holds and its buffers.
///
/// Safe to mark Sendable because one thread at a time uses it: the thread running the loop. It
/// passes to the next one only at a hand-off, through `pthread_create`, after which the old
/// thread never touches it.
private final class LoopState: @unchecked Sendable {
    var held: [UInt64: HTTPConnection] = [:]
    var events = [epoll_event](repeating: epoll_event(), count: 64)
    var nextSweep = 0.0
    /// Where a connection served on the loop receives its bytes (it keeps only what it has not used).
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    deinit { scratch.deallocate() }
}

/// What a loop's thread is doing, found through a thread-specific key by ``mayBlock()``.
private final class LoopTurn {
    let loop: ConnectionLoop
    let state: LoopState
    /// The connection being served, and its key.
    var serving: (connection: HTTPConnection, key: UInt64)?

    init(loop: ConnectionLoop, state: LoopState) {
        self.loop = loop
        self.state = state
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The turn of the loop the calling thread runs, if it runs one. The thread's `run` keeps the
    /// turn alive for as long as it is set.
    static var current: LoopTurn? {
        get { pthread_getspecific(key).map { Unmanaged<LoopTurn>.fromOpaque($0).takeUnretainedValue() } }
        set { pthread_setspecific(key, newValue.map { Unmanaged.passUnretained($0).toOpaque() }) }
    }
}

/// Carries a value from the thread that gives it up to the thread that takes it.
///
/// Safe to mark Sendable because what it carries has one owner at a time: a connection's thread
/// adopts it to a loop and never touches it again (`adopt` returned `true`); the loop holds it
/// until it hands it to a new thread and then forgets it. The queue's lock and `pthread_create`
/// order each owner's writes before the next owner's reads.
private struct HandedOver<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

#else

/// Systems without epoll: every connection has a thread of its own.
final class ConnectionLoop: Sendable {
    let parkAfter: Double
    init?(parkAfter: Double, limits: HTTPLimits) { nil }
    var count: Int { 0 }
    func adopt(_ connection: HTTPConnection) -> Bool { false }
    func stop(timeout: Double) {}
}

/// Without loops no thread needs to hand anything on before it waits.
package func mayBlock() {}

#endif
