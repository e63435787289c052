// The only file that names OpenSSL headers. Swift cannot call function-like macros, so the few
// macros the project needs are wrapped in static inline functions here (prefix `cam_`).
#ifndef CAM_OPENSSL_SHIM_H
#define CAM_OPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

static inline void cam_openssl_free(void *pointer) { OPENSSL_free(pointer); }

static inline long cam_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

static inline int cam_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int cam_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

/// Key selections for OSSL_ENCODER/OSSL_DECODER (compound macros are not imported by Swift).
static inline int cam_selection_keypair(void) { return EVP_PKEY_KEYPAIR; }
static inline int cam_selection_public_key(void) { return EVP_PKEY_PUBLIC_KEY; }

static inline int cam_tls1_2_version(void) { return TLS1_2_VERSION; }
static inline int cam_tls1_3_version(void) { return TLS1_3_VERSION; }

/// ALPN: the server speaks HTTP/1.1 only; a client offering no protocol we know gets no ALPN
/// extension back (RFC 7301 §3.2 allows the server to ignore it rather than abort).
static int cam_alpn_select_http11(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                  const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl; (void)arg;
    static const unsigned char supported[] = { 8, 'h', 't', 't', 'p', '/', '1', '.', '1' };
    unsigned char *selected = NULL;
    if (SSL_select_next_proto(&selected, outlen, supported, sizeof(supported), in, inlen)
        != OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

static inline void cam_ssl_ctx_use_http11_alpn(SSL_CTX *ctx) {
    SSL_CTX_set_alpn_select_cb(ctx, cam_alpn_select_http11, NULL);
}

/// SNI for an outbound handshake (`SSL_set_tlsext_host_name` is a macro).
static inline int cam_ssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

#endif
