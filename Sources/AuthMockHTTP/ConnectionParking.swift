#if os(Linux)
import Glibc
import CEventPoll
import Synchronization

/// Holds plain-HTTP connections that are waiting (for their next request, or for the rest of a
/// slow head) in one epoll set watched by one thread, instead of a blocked thread each.
///
/// Why: a thread per waiting connection made idle keep-alive connections and half-sent heads cost
/// a thread and its buffers each, so a flood of half-open connections (the slowloris pattern) ran
/// the server out of connection slots and memory. A connection that has waited `parkAfter` seconds
/// without a byte gives its buffers back and is parked here; its thread ends. When bytes arrive it
/// is handed to a new thread, which goes on exactly where the old one stopped; when its idle or
/// header deadline passes first, it is closed here (with 408 for a half-sent head). Busy
/// connections never wait that long, so they keep their threads and never pay for the hand-over
/// (docs/architecture.md "Waiting connections"). TLS connections are not parked: OpenSSL may hold
/// bytes of theirs that the socket no longer shows.
final class ConnectionParking: Sendable {
    /// The epoll key of the eventfd; connections use their registry ids, which start at 1.
    private static let wakeKey: UInt64 = 0

    private struct Queue {
        var arrivals: [Parked] = []
        var threadStarted = false
        /// Set by the parking thread as it ends; nothing is parked after that.
        var closed = false
    }

    /// Seconds a connection waits on its own thread before it is parked.
    let parkAfter: Double
    private let sweepMilliseconds: Int32
    private let epollFD: Int32
    private let wakeFD: Int32
    private let queue = Lock(Queue())
    private let stopping = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private let parkedCount = Atomic<Int>(0)

    /// How many connections are parked now.
    var count: Int { parkedCount.load(ordering: .relaxed) }

    /// `nil` when the kernel refuses an epoll set or an eventfd: waiting connections then keep their threads.
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

    /// Takes over `connection` until bytes arrive or `deadline` (monotonic seconds) passes. Called
    /// by the connection's thread, which must not touch the connection again when this returns
    /// `true`; on `false` (stopping, or no thread could be started) it goes on waiting itself.
    func park(_ connection: HTTPConnection, until deadline: Double) -> Bool {
        guard !stopping.load(ordering: .acquiring), startThreadOnce() else { return false }
        let parked = Parked(connection: HandedOver(connection), deadline: deadline)
        let accepted = queue.withLock { queue in
            guard !queue.closed else { return false }
            queue.arrivals.append(parked)
            return true
        }
        if accepted { wake() }
        return accepted
    }

    /// Ends the parking thread once every parked connection is gone (the server closes them
    /// first), waiting up to `timeout` seconds, then frees the descriptors.
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

    // MARK: The parking thread

    /// Waits for parked connections to become readable or overdue, until the server stops and
    /// none is left.
    private func run() {
        var parked: [UInt64: Parked] = [:]
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        var nextSweep = 0.0
        while true {
            let count = Int(epoll_wait(epollFD, &events, Int32(events.count), parked.isEmpty ? -1 : sweepMilliseconds))
            if count < 0 && errno != EINTR { break }
            defer { parkedCount.store(parked.count, ordering: .relaxed) }
            for index in 0..<max(count, 0) {
                let key = events[index].data.u64
                if key == Self.wakeKey {
                    admitArrivals(into: &parked)
                } else if let ready = parked.removeValue(forKey: key) {
                    _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, ready.connection.value.stream.fd, nil)
                    resume(ready.connection)
                }
            }
            let now = monotonicSeconds()
            if now >= nextSweep {
                nextSweep = now + Double(sweepMilliseconds) / 1000
                expireOverdue(&parked, now: now)
            }
            if stopping.load(ordering: .acquiring) && parked.isEmpty && closeIfNothingArrived() { break }
        }
        running.store(false, ordering: .releasing)
    }

    private func admitArrivals(into parked: inout [UInt64: Parked]) {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, MemoryLayout<UInt64>.size)
        let arrivals = queue.withLock { queue in
            defer { queue.arrivals.removeAll() }
            return queue.arrivals
        }
        for arrival in arrivals {
            let connection = arrival.connection.value
            let key = UInt64(connection.slot.id)
            if Self.watch(epollFD, connection.stream.fd, key: key) { parked[key] = arrival } else { resume(arrival.connection) }
        }
    }

    /// Hands a connection that has bytes (or an end of stream) to a new thread of its own.
    private func resume(_ connection: HandedOver<HTTPConnection>) {
        if !spawnThread({ connection.value.resume() }) { connection.value.close() }
    }

    private func expireOverdue(_ parked: inout [UInt64: Parked], now: Double) {
        for (key, entry) in parked where entry.deadline <= now {
            parked[key] = nil
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, entry.connection.value.stream.fd, nil)
            entry.connection.value.expire()
        }
    }

    /// `true` (and nothing may park any more) when no connection is waiting to be admitted.
    private func closeIfNothingArrived() -> Bool {
        queue.withLock { queue in
            guard queue.arrivals.isEmpty else { return false }
            queue.closed = true
            return true
        }
    }
}

/// A parked connection and when its wait ends.
private struct Parked: Sendable {
    let connection: HandedOver<HTTPConnection>
    let deadline: Double
}

/// Carries a connection from the thread that gives it up to the thread that takes it.
///
/// Safe to mark Sendable because a connection has one owner at a time: its thread parks it and
/// never touches it again (`park` returned `true`); the parking thread holds it until it hands it
/// to a new thread, through `spawnThread`, and then forgets it. The queue's lock and
/// `pthread_create` order each owner's writes before the next owner's reads.
private struct HandedOver<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

#else

/// Systems without epoll: waiting connections keep their threads.
final class ConnectionParking: Sendable {
    let parkAfter: Double
    init?(parkAfter: Double, limits: HTTPLimits) { nil }
    var count: Int { 0 }
    func park(_ connection: HTTPConnection, until deadline: Double) -> Bool { false }
    func stop(timeout: Double) {}
}

#endif
