#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a pthread mutex, which parks waiters at once. Every module of the package
/// uses it instead of `Synchronization.Mutex`, for two reasons.
///
/// ThreadSanitizer sees a pthread mutex; it does not see `Mutex`'s futex on Linux, so every
/// access under one is reported as a race (scripts/sanitize.sh).
///
/// `Synchronization.Mutex` spins before it parks. Every request takes the mock state's lock
/// (journal, scenario), and with dozens of connection threads on two cores the lock holder is
/// often descheduled: spinning then burned 36% of CPU (perf, 32 connections). Measured in
/// docs/architecture.md.
///
/// @unchecked Sendable: `value` is read and written only inside `withLock`, between
/// `pthread_mutex_lock` and `pthread_mutex_unlock` on the same mutex, which lives at a fixed
/// heap address for the object's whole life.
package final class Lock<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    package init(_ value: Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
