import COpenSSL

/// Owns one OpenSSL `EVP_PKEY` and frees it.
///
/// @unchecked Sendable: the key is never modified after it is made (no setter reaches the
/// pointer), and OpenSSL 3 allows one `EVP_PKEY` to be used for signing and verifying from
/// several threads at once as long as nobody modifies it (openssl-threads(7)).
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }
    deinit { EVP_PKEY_free(pointer) }

    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// Serializes with OSSL_ENCODER: `structure` is "PrivateKeyInfo" (PKCS#8),
    /// "SubjectPublicKeyInfo" or "type-specific" (PKCS#1 for RSA).
    /// The encoder context keeps the type and structure pointers until it is freed, so they are
    /// `StaticString`s (permanent storage), never bridged `String`s.
    func pem(selection: Int32, structure: StaticString) throws(CryptoError) -> String {
        let context = try openSSLCheck(
            OSSL_ENCODER_CTX_new_for_pkey(pointer, selection, cString(pemType), cString(structure), nil),
            "PEM encoder for \(structure)")
        defer { OSSL_ENCODER_CTX_free(context) }
        guard OSSL_ENCODER_CTX_get_num_encoders(context) > 0 else {
            throw CryptoError.refused("PEM encoding", "no encoder for \(structure)")
        }
        var data: UnsafeMutablePointer<UInt8>? = nil
        var length = 0
        try openSSLCheck(OSSL_ENCODER_to_data(context, &data, &length), "PEM encoding")
        defer { cam_openssl_free(data) }
        return String(decoding: UnsafeBufferPointer(start: data, count: length), as: UTF8.self)
    }

    /// Parses an RSA key from PEM with OSSL_DECODER, trying every structure OpenSSL knows for it.
    static func decodeRSA(pem: String, selection: Int32) throws(CryptoError) -> EVPKey {
        var key: OpaquePointer? = nil
        // As with the encoder, the decoder context keeps these pointers: permanent storage only.
        let context = try openSSLCheck(
            OSSL_DECODER_CTX_new_for_pkey(&key, cString(pemType), nil, cString(rsaType), selection, nil, nil), "PEM decoder")
        defer { OSSL_DECODER_CTX_free(context) }
        let bytes = Array(pem.utf8)
        let ok = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            var data = buffer.baseAddress
            var length = buffer.count
            return OSSL_DECODER_from_data(context, &data, &length)
        }
        guard ok == 1, let key else { throw CryptoError.fromOpenSSL("PEM decoding (expected an RSA key)") }
        // Decoders that were tried and did not match leave reasons on the queue even on success.
        ERR_clear_error()
        return EVPKey(taking: key)
    }

    /// Builds an RSA key from its named big-endian components (OpenSSL parameter names).
    ///
    /// Names are `StaticString`s because OSSL_PARAM_BLD keeps the name pointer until
    /// `OSSL_PARAM_BLD_to_param` rather than copying it; a bridged `String` would dangle.
    static func fromRSAComponents(_ components: [(name: StaticString, value: [UInt8])], selection: Int32) throws(CryptoError) -> EVPKey {
        let builder = try openSSLCheck(OSSL_PARAM_BLD_new(), "parameter builder")
        defer { OSSL_PARAM_BLD_free(builder) }
        var numbers: [OpaquePointer] = []
        defer { numbers.forEach { BN_free($0) } }
        for component in components {
            let number = try openSSLCheck(BN_bin2bn(component.value, Int32(component.value.count), nil), "big number")
            numbers.append(number)
            try openSSLCheck(OSSL_PARAM_BLD_push_BN(builder, cString(component.name), number), "RSA parameter \(component.name)")
        }
        let parameters = try openSSLCheck(OSSL_PARAM_BLD_to_param(builder), "RSA parameters")
        defer { OSSL_PARAM_free(parameters) }
        let context = try openSSLCheck(EVP_PKEY_CTX_new_from_name(nil, "RSA", nil), "RSA context")
        defer { EVP_PKEY_CTX_free(context) }
        try openSSLCheck(EVP_PKEY_fromdata_init(context), "RSA import")
        var key: OpaquePointer? = nil
        try openSSLCheck(EVP_PKEY_fromdata(context, &key, selection, parameters), "RSA import")
        return EVPKey(taking: try openSSLCheck(key, "RSA import"))
    }

    /// A big-number parameter of the key as big-endian bytes ("n", "e", …).
    func bigNumber(_ name: String) throws(CryptoError) -> [UInt8] {
        var number: OpaquePointer? = nil
        try openSSLCheck(EVP_PKEY_get_bn_param(pointer, name, &number), "reading RSA parameter \(name)")
        guard let number else { throw CryptoError.fromOpenSSL("reading RSA parameter \(name)") }
        defer { BN_free(number) }
        return bigEndianBytesOf(number)
    }

    /// Runs OpenSSL's own checks of the key (`EVP_PKEY_check`: for RSA the public part, the
    /// private part and that the two belong together), for keys the mock assembles itself.
    func validate() throws(CryptoError) {
        let context = try openSSLCheck(EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil), "key check context")
        defer { EVP_PKEY_CTX_free(context) }
        try openSSLCheck(EVP_PKEY_check(context), "RSA key check")
    }
}

/// A `BIGNUM` as big-endian bytes without leading zeros (no bytes for zero).
func bigEndianBytesOf(_ number: OpaquePointer) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: (Int(BN_num_bits(number)) + 7) / 8)
    _ = BN_bn2bin(number, &bytes)
    return bytes
}

private let pemType: StaticString = "PEM"
private let rsaType: StaticString = "RSA"

/// A C string pointer into a static string's permanent storage, for OpenSSL calls that keep it.
func cString(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}
