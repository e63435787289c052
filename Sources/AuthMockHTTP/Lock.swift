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

/// A value many threads read at once and few change: a pthread read-write lock that prefers
/// writers, so a steady stream of readers cannot hold a change off indefinitely.
///
/// Every request reads the mock's state (its snapshot) and most change nothing in it; under a
/// mutex, 32 connections on two cores queued behind whichever reader the scheduler had just
/// descheduled (docs/architecture.md "Concurrency").
///
/// @unchecked Sendable: `value` is read only inside `withReadLock`, between
/// `pthread_rwlock_rdlock` and `pthread_rwlock_unlock`, and written only inside `withLock`, between
/// `pthread_rwlock_wrlock` and `pthread_rwlock_unlock`, on the same lock at a fixed heap address.
package final class ReadWriteLock<Value>: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    private let value: UnsafeMutablePointer<Value>

    package init(_ value: Value) {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        #if canImport(Glibc)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        #endif
        pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        self.value = .allocate(capacity: 1)
        self.value.initialize(to: value)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deinitialize(count: 1)
        lock.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    /// Reads the value, through a pointer to it that is valid only inside `body`; other readers may
    /// read at the same time. A pointer, because lending the value itself copied it whole (a retain
    /// of every field) where a reader wants a field or two.
    package func withReadLock<Result>(_ body: (UnsafePointer<Value>) throws -> Result) rethrows -> Result {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(value)
    }

    /// Reads and changes the value, alone.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(&value.pointee)
    }
}
