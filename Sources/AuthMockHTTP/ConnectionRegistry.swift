import Synchronization

/// The open connections of one server, so a stop can wake the idle ones. A descriptor is closed
/// only inside `remove` and shut down only inside `beginStop`/`shutdownAll`, both under the same
/// lock, so a shutdown can never hit a descriptor number the kernel has already reused.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let fd: Int32
        var idle: Bool
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var nextID = 0
        var stopping = false
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Registers a new connection; `nil` when stopping or full (the caller then closes it).
    func add(fd: Int32) -> Int? {
        state.withLock { state in
            guard !state.stopping, state.entries.count < capacity else { return nil }
            state.nextID += 1
            state.entries[state.nextID] = Entry(fd: fd, idle: false)
            return state.nextID
        }
    }

    /// Marks a connection idle (waiting for its next request) or busy. Going idle fails once the
    /// server is stopping, and the connection then ends instead of waiting.
    func setIdle(_ id: Int, _ idle: Bool) -> Bool {
        state.withLock { state in
            if idle && state.stopping { return false }
            state.entries[id]?.idle = idle
            return true
        }
    }

    /// Unregisters a connection and runs `close` for it, once: a second call does nothing.
    func remove(_ id: Int, closing close: () -> Void) {
        state.withLock { state in
            if state.entries.removeValue(forKey: id) != nil { close() }
        }
    }

    var isStopping: Bool { state.withLock { $0.stopping } }
    var count: Int { state.withLock { $0.entries.count } }

    /// Refuses new connections and wakes the idle ones, whose blocked reads then see end-of-stream.
    /// Busy connections finish the request in hand and close after answering it.
    func beginStop() {
        state.withLock { state in
            state.stopping = true
            for entry in state.entries.values where entry.idle { shutdownBoth(entry.fd) }
        }
    }

    /// Wakes every connection, busy or not (when a graceful stop runs out of time).
    func shutdownAll() {
        state.withLock { state in
            for entry in state.entries.values { shutdownBoth(entry.fd) }
        }
    }
}
