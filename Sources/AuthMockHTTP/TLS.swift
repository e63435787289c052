import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the server's certificate chain and key live (PEM files).
public struct TLSConfiguration: Sendable {
    public var certificatePath: String
    public var privateKeyPath: String
    /// Port of the HTTPS listener (0 picks a free one).
    public var port: Int

    public init(certificatePath: String, privateKeyPath: String, port: Int = 0) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.port = port
    }
}

/// A failure to set up TLS, with OpenSSL's reasons.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    public init(message: String) { self.message = message }

    static func drain(_ what: String) -> TLSError {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return TLSError(message: reasons.isEmpty ? what : "\(what): \(reasons.joined(separator: "; "))")
    }
}

/// The server's `SSL_CTX`: TLS 1.2 and 1.3, ALPN `http/1.1`, certificate chain and key loaded once.
///
/// @unchecked Sendable: the context is configured completely in `init` and never changed after;
/// OpenSSL allows one configured `SSL_CTX` to create `SSL` objects from many threads at once
/// (openssl-threads(7)).
final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer

    init(_ configuration: TLSConfiguration) throws(TLSError) {
        context = try Self.newContext()
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificatePath) == 1 else {
            throw TLSError.drain("loading certificate \(configuration.certificatePath)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            throw TLSError.drain("loading private key \(configuration.privateKeyPath)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw TLSError.drain("private key \(configuration.privateKeyPath) does not match the certificate")
        }
        cam_ssl_ctx_use_http11_alpn(context)
    }

    /// A context presenting `certificate` (an `X509`) with `key` (an `EVP_PKEY`), which it takes
    /// references of: the proxy's context for one tunnelled host.
    init(certificate: OpaquePointer, key: OpaquePointer) throws(TLSError) {
        context = try Self.newContext()
        guard SSL_CTX_use_certificate(context, certificate) == 1, SSL_CTX_use_PrivateKey(context, key) == 1,
              SSL_CTX_check_private_key(context) == 1
        else { throw TLSError.drain("using a minted certificate") }
        cam_ssl_ctx_use_http11_alpn(context)
    }

    /// A server context for TLS 1.2 and 1.3.
    private static func newContext() throws(TLSError) -> OpaquePointer {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw TLSError.drain("SSL_CTX_new") }
        guard cam_ssl_ctx_set_min_proto_version(context, cam_tls1_2_version()) == 1,
              cam_ssl_ctx_set_max_proto_version(context, cam_tls1_3_version()) == 1
        else {
            SSL_CTX_free(context)
            throw TLSError.drain("TLS protocol versions")
        }
        return context
    }

    deinit { SSL_CTX_free(context) }

    /// Runs the server handshake on an accepted socket (bounded by the socket's receive timeout).
    /// `nil` when it fails; the failure touches only this connection.
    func accept(fd: Int32) -> TLSStream? {
        guard let ssl = SSL_new(context) else {
            ERR_clear_error()
            return nil
        }
        guard SSL_set_fd(ssl, fd) == 1, SSL_accept(ssl) == 1 else {
            ERR_clear_error()
            SSL_free(ssl)
            return nil
        }
        return TLSStream(fd: fd, ssl: ssl)
    }
}

/// TLS over a blocking socket.
final class TLSStream: ByteStream {
    let fd: Int32
    private let ssl: OpaquePointer

    init(fd: Int32, ssl: OpaquePointer) {
        self.fd = fd
        self.ssl = ssl
    }

    deinit { SSL_free(ssl) }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        let count = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
        if count > 0 { return .bytes(Int(count)) }
        let error = SSL_get_error(ssl, count)
        let savedErrno = errno
        // The error queue is per thread and connection threads live long: never leave reasons behind.
        ERR_clear_error()
        switch error {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .timedOut
        case SSL_ERROR_SYSCALL where savedErrno == EAGAIN || savedErrno == EWOULDBLOCK:
            return .timedOut
        default:
            return .closed
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count > 0 else { return true }
        var offset = 0
        while offset < bytes.count {
            let written = SSL_write(ssl, bytes.baseAddress! + offset, Int32(min(bytes.count - offset, Int(Int32.max))))
            guard written > 0 else {
                ERR_clear_error()
                return false
            }
            offset += Int(written)
        }
        return true
    }

    func close() {
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
        closeDescriptor(fd)
    }
}
