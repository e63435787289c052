#if canImport(Glibc)
import Glibc

// Linux spellings of the few socket calls that differ from Darwin's.

let socketStreamType = Int32(SOCK_STREAM.rawValue)

/// The open-file limit, as `getrlimit`/`setrlimit` take it.
let resourceLimitOpenFiles = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)

/// Flags for `send`: MSG_NOSIGNAL turns a write to a closed peer into EPIPE instead of SIGPIPE.
let sendFlags = Int32(MSG_NOSIGNAL)

/// Accepts and sets close-on-exec, so a spawned child never inherits client sockets (Swift's
/// Glibc module does not expose accept4).
func acceptConnection(_ listener: Int32, _ address: UnsafeMutablePointer<sockaddr>, _ length: UnsafeMutablePointer<socklen_t>) -> Int32 {
    let fd = accept(listener, address, length)
    if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return fd
}

/// Nothing to do per socket on Linux: `sendFlags` covers SIGPIPE for our own writes.
func disableSigpipe(_ fd: Int32) {}

func shutdownBoth(_ fd: Int32) { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
func closeDescriptor(_ fd: Int32) { _ = Glibc.close(fd) }
#endif

#if canImport(Glibc)
/// Starts a detached thread running `body`. Connection threads block in `recv` and `sleep`, which
/// must never happen on Swift's cooperative pool, so they are real threads.
func spawnThread(stackSize: Int = 512 * 1024, _ body: @escaping @Sendable () -> Void) -> Bool {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, stackSize)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    var thread = pthread_t()
    let result = pthread_create(&thread, &attributes, { raw in
        Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, box)
    if result != 0 { Unmanaged<ThreadBody>.fromOpaque(box).release() }
    return result == 0
}
#endif
