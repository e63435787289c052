#!/usr/bin/env python3
"""Interop peer for the Swift crypto tests, using PyPI's PyJWT and atlassian-jwt.

  pyjwt_interop.py make
      prints JSON: tokens signed by PyJWT (HS256, RS256) and atlassian-jwt (Connect HS256 with qsh),
      with the keys needed to verify them.
  pyjwt_interop.py verify ALG KEYFILE TOKEN [AUDIENCE]
      verifies TOKEN with PyJWT (KEYFILE holds the HMAC secret or the PEM public key);
      prints the claims as JSON and exits 0, or prints the error and exits 1.
"""
import json
import sys
import time

import jwt
from atlassian_jwt import encode_token
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def make():
    now = int(time.time())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    claims = {"iss": "pyjwt", "sub": "5b10ac8d82e05b22cc7d4ef5", "aud": "cl-1", "iat": now, "exp": now + 300}
    secret = "a-shared-secret-of-32-bytes-min!"
    print(json.dumps({
        "hs256": {"token": jwt.encode(claims, secret, algorithm="HS256"), "secret": secret},
        "rs256": {"token": jwt.encode(claims, key, algorithm="RS256", headers={"kid": "py-key"}),
                  "publicKeyPEM": public_pem},
        "connect": {
            "token": encode_token("GET", "/rest/api/content?spaceKey=ENG&limit=5", "ck-acme", secret),
            "secret": secret, "method": "GET", "relative": "/rest/api/content?spaceKey=ENG&limit=5",
        },
    }))


def verify(alg, key_file, token, audience=None):
    with open(key_file) as f:
        key = f.read()
    try:
        claims = jwt.decode(token, key, algorithms=[alg], audience=audience,
                            options={"verify_aud": audience is not None})
    except jwt.PyJWTError as error:
        print(f"{type(error).__name__}: {error}")
        return 1
    print(json.dumps({"header": jwt.get_unverified_header(token), "claims": claims}))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["make"]:
        make()
    elif sys.argv[1:2] == ["verify"] and len(sys.argv) in (5, 6):
        sys.exit(verify(*sys.argv[2:]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
