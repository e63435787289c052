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
#include <openssl/x509v3.h>
#include <stdint.h>
#include <stdio.h>

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

/// A server certificate for `host` (a DNS name, or an IP address when `is_ip`) with a fresh EC P-256
/// key, valid from an hour ago for `days` days, signed with SHA-256 by the CA: what the proxy
/// presents for a tunnelled host. 1 with `*out_cert` and `*out_key` set (the caller frees them), 0
/// on failure (reasons on OpenSSL's error queue).
static inline int cam_mint_leaf(X509 *ca, EVP_PKEY *ca_key, const char *host, int is_ip, uint64_t serial, long days,
                                X509 **out_cert, EVP_PKEY **out_key) {
    EVP_PKEY *key = EVP_EC_gen("P-256");
    if (key == NULL) return 0;
    X509 *cert = X509_new();
    int ok = cert != NULL
        && X509_set_version(cert, 2)
        && ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial)
        && X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != NULL
        && X509_gmtime_adj(X509_getm_notAfter(cert), days * 86400) != NULL
        && X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_UTF8, (const unsigned char *)host, -1, -1, 0)
        && X509_set_issuer_name(cert, X509_get_subject_name(ca))
        && X509_set_pubkey(cert, key);
    char san[300];
    ok = ok && snprintf(san, sizeof san, "%s:%s", is_ip ? "IP" : "DNS", host) < (int)sizeof san;
    const char *names[] = { "subjectAltName", "basicConstraints", "keyUsage", "extendedKeyUsage", "subjectKeyIdentifier", "authorityKeyIdentifier" };
    const char *values[] = { san, "critical,CA:FALSE", "critical,digitalSignature", "serverAuth", "hash", "keyid" };
    X509V3_CTX context;
    if (ok) X509V3_set_ctx(&context, ca, cert, NULL, NULL, 0);
    for (int i = 0; ok && i < 6; i++) {
        X509_EXTENSION *extension = X509V3_EXT_nconf(NULL, &context, names[i], values[i]);
        ok = extension != NULL && X509_add_ext(cert, extension, -1);
        X509_EXTENSION_free(extension);
    }
    ok = ok && X509_sign(cert, ca_key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(cert);
        EVP_PKEY_free(key);
        return 0;
    }
    *out_cert = cert;
    *out_key = key;
    return 1;
}

#endif
