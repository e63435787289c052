#!/usr/bin/env bash
# Regenerates the test CA and the localhost server certificate with the openssl CLI.
# FOR TESTS ONLY: the private keys are committed and public. Never trust ca.pem outside tests.
set -euo pipefail
cd "$(dirname "$0")"
days=4018   # 11 years: the certificates outlive a decade of test runs

openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
  -subj "/O=confluence-auth-mock/CN=confluence-auth-mock test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout ca-key.pem -out ca.pem 2>/dev/null

openssl req -newkey rsa:2048 -nodes -sha256 -subj "/O=confluence-auth-mock/CN=localhost" \
  -keyout server-key.pem -out server.csr 2>/dev/null

cat > server.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EXT
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -sha256 -days "$days" \
  -extfile server.ext -out server.pem 2>/dev/null
rm -f server.csr server.ext ca.srl
chmod 644 ./*.pem
openssl verify -CAfile ca.pem server.pem
