#if canImport(Darwin)
import Darwin

// macOS spellings of the few socket calls that differ from Linux's (built by users on macOS;
// CI here builds Linux only).

let socketStreamType = SOCK_STREAM

/// The open-file limit, as `getrlimit`/`setrlimit` take it.
let resourceLimitOpenFiles = RLIMIT_NOFILE

/// Darwin has no MSG_NOSIGNAL; `disableSigpipe` sets SO_NOSIGPIPE on each socket instead.
let sendFlags: Int32 = 0

func acceptConnection(_ listener: Int32, _ address: UnsafeMutablePointer<sockaddr>, _ length: UnsafeMutablePointer<socklen_t>) -> Int32 {
    let fd = accept(listener, address, length)
    if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return fd
}

func disableSigpipe(_ fd: Int32) {
    var on: Int32 = 1
    _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
}

func shutdownBoth(_ fd: Int32) { _ = Darwin.shutdown(fd, SHUT_RDWR) }
func closeDescriptor(_ fd: Int32) { _ = Darwin.close(fd) }
#endif

#if canImport(Darwin)
func spawnThread(stackSize: Int = 512 * 1024, _ body: @escaping @Sendable () -> Void) -> Bool {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, stackSize)
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED)
    var thread: pthread_t? = nil
    let result = pthread_create(&thread, &attributes, { raw in
        Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue().body()
        return nil
    }, box)
    if result != 0 { Unmanaged<ThreadBody>.fromOpaque(box).release() }
    return result == 0
}
#endif
