import Synchronization

/// One open connection as the registry sees it. `idle` is an atomic so the per-request path
/// never takes the registry's lock.
final class ConnectionSlot: Sendable {
    let id: Int
    let fd: Int32
    let idle = Atomic<Bool>(false)

    init(id: Int, fd: Int32) {
        self.id = id
        self.fd = fd
    }
}

/// The open connections of one server, so a stop can wake the idle ones.
///
/// The lock is taken once when a connection opens and once when it closes, never per request:
/// marking a connection idle or busy is an atomic store (profiling showed a per-request lock
/// convoying 32 connection threads on 2 cores). A descriptor is closed only inside `remove` and
/// shut down only inside `beginStop`/`shutdownAll`, all under the lock, so a shutdown can never
/// hit a descriptor number the kernel has already reused.
final class ConnectionRegistry: Sendable {
    private struct State {
        var slots: [Int: ConnectionSlot] = [:]
        var nextID = 0
    }

    private let state = Lock(State())
    private let stopping = Atomic<Bool>(false)
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Registers a new connection; `nil` when stopping or full (the caller then closes it).
    func add(fd: Int32) -> ConnectionSlot? {
        state.withLock { state in
            guard !isStopping, state.slots.count < capacity else { return nil }
            state.nextID += 1
            let slot = ConnectionSlot(id: state.nextID, fd: fd)
            state.slots[slot.id] = slot
            return slot
        }
    }

    /// Marks a connection as waiting for its next request. `false` once the server is stopping:
    /// the connection then ends instead of waiting.
    ///
    /// With `beginStop` this is Dekker's handshake: each side stores its own flag, then loads the
    /// other's, both sequentially consistent, so at least one of them sees the other. Either the
    /// connection sees `stopping`, or the stopper sees `idle` and shuts the socket to wake it.
    func enterIdle(_ slot: ConnectionSlot) -> Bool {
        slot.idle.store(true, ordering: .sequentiallyConsistent)
        guard !stopping.load(ordering: .sequentiallyConsistent) else {
            slot.idle.store(false, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Marks a connection busy with a request.
    func leaveIdle(_ slot: ConnectionSlot) { slot.idle.store(false, ordering: .relaxed) }

    /// Unregisters a connection and runs `close` for it, once: a second call does nothing.
    func remove(_ slot: ConnectionSlot, closing close: () -> Void) {
        state.withLock { state in
            if state.slots.removeValue(forKey: slot.id) != nil { close() }
        }
    }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }
    var count: Int { state.withLock { $0.slots.count } }

    /// Refuses new connections and wakes the idle ones, whose blocked reads then see end-of-stream.
    /// Busy connections finish the request in hand and close after answering it.
    func beginStop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        state.withLock { state in
            for slot in state.slots.values where slot.idle.load(ordering: .sequentiallyConsistent) { shutdownBoth(slot.fd) }
        }
    }

    /// Wakes every connection, busy or not (when a graceful stop runs out of time).
    func shutdownAll() {
        state.withLock { state in
            for slot in state.slots.values { shutdownBoth(slot.fd) }
        }
    }
}
