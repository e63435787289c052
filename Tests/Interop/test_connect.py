"""Atlassian Connect against the mock: requests signed with atlassian-jwt and with PyJWT plus the documented
QSH, each tampering, a signed install hook received and verified by a Python app (over HTTP and over HTTPS
with the test certificate), and user impersonation."""
import hashlib
import http.server
import json
import os
import ssl
import threading
import time
from urllib.parse import quote

import jwt
import pytest
import requests
from atlassian_jwt import encode_token

from conftest import ROOT, RunningMock

APP_KEY, CLIENT_KEY, SECRET = "com.example.addon", "ck-acme", "a-shared-secret-of-32-bytes-min!"
BOB = "5b10a2844c20165700ede21g"


def documented_qsh(method, path, query=()):
    """The canonical request of the Connect docs, written out independently of the mock."""
    encode = lambda text: quote(text, safe="-_.~")
    grouped = {}
    for name, value in query:
        grouped.setdefault(encode(name), []).append(value)
    canonical_query = "&".join(f"{name}=" + ",".join(encode(v) for v in sorted(values)) for name, values in sorted(grouped.items()))
    return hashlib.sha256(f"{method}&{path}&{canonical_query}".encode()).hexdigest()


def pyjwt_token(qsh, issuer=APP_KEY, secret=SECRET, ttl=180, **claims):
    now = int(time.time())
    return jwt.encode({"iss": issuer, "iat": now, "exp": now + ttl, "qsh": qsh, **claims}, secret, algorithm="HS256")


def test_requests_signed_with_atlassian_jwt_are_accepted(mock):
    token = encode_token("GET", "/rest/api/content?spaceKey=ENG&limit=5", CLIENT_KEY, SECRET)
    answer = requests.get(f"{mock.site()}/rest/api/content", params={"spaceKey": "ENG", "limit": "5"},
                          headers={"Authorization": f"JWT {token}"})
    assert answer.status_code == 200 and answer.json()["size"] == 2


def test_requests_signed_with_pyjwt_and_the_documented_qsh_are_accepted(mock):
    query = [("expand", "body.storage"), ("status", "current"), ("title", "Runbook & more")]
    token = pyjwt_token(documented_qsh("GET", "/rest/api/content", query))
    answer = requests.get(f"{mock.site()}/rest/api/content", params=query, headers={"Authorization": f"JWT {token}"})
    assert answer.status_code == 200
    assert requests.get(f"{mock.site()}/rest/api/content", params=query + [("jwt", token)]).status_code == 200, "?jwt= form"


@pytest.mark.parametrize("tampering, failure", [
    ("secret", "bad-signature"),
    ("expiry", "expired"),
    ("qsh", "qsh-mismatch"),
    ("path without /wiki", "qsh-mismatch"),
    ("query order unsorted", "qsh-mismatch"),
    ("space encoded as +", "qsh-mismatch"),
    ("context-qsh", "context-qsh"),
])
def test_each_tampering_gets_the_expected_answer(mock, tampering, failure):
    query = [("title", "a b"), ("spaceKey", "ENG")]
    qsh = documented_qsh("GET", "/rest/api/content", query)
    if tampering == "secret":
        token = pyjwt_token(qsh, secret="another-secret-that-is-32-bytes!!")
    elif tampering == "expiry":
        token = pyjwt_token(qsh, ttl=-120)
    elif tampering == "qsh":
        token = pyjwt_token(documented_qsh("GET", "/rest/api/space", query))
    elif tampering == "path without /wiki":
        token = pyjwt_token(documented_qsh("GET", "/wiki/rest/api/content", query))
    elif tampering == "query order unsorted":
        token = pyjwt_token(hashlib.sha256(b"GET&/rest/api/content&title=a%20b&spaceKey=ENG").hexdigest())
    elif tampering == "space encoded as +":
        token = pyjwt_token(hashlib.sha256(b"GET&/rest/api/content&spaceKey=ENG&title=a+b").hexdigest())
    else:
        token = pyjwt_token("context-qsh")
    answer = requests.get(f"{mock.site()}/rest/api/content", params=query, headers={"Authorization": f"JWT {token}"})
    assert answer.status_code == 401
    assert answer.headers["X-Mock-Auth-Failure"].startswith(failure)
    journal = requests.get(f"{mock.base}/__admin/requests", params={"limit": 1}).json()["requests"]
    assert journal[-1]["auth"]["decision"] == "denied" and journal[-1]["auth"]["reason"].startswith(failure)


class HookApp(http.server.BaseHTTPRequestHandler):
    """A Connect app's lifecycle endpoint that verifies the signed install as ACE does."""
    mock_base = None
    base_url = None
    outcome = {}

    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        token = self.headers["Authorization"].split(" ", 1)[1]
        kid = jwt.get_unverified_header(token)["kid"]
        pem = requests.get(f"{self.mock_base}/connect-install-keys/{kid}").text
        claims = jwt.decode(token, pem, algorithms=["RS256"], audience=self.base_url)
        assert claims["iss"] == payload["clientKey"]
        assert claims["qsh"] == documented_qsh("POST", self.path)
        HookApp.outcome = {"claims": claims, "payload": payload, "path": self.path}
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(params=["http", "https"])
def hook_app(request):
    """The app on plain HTTP, or on HTTPS with the test certificate and a mock told to trust the test CA."""
    certs = os.path.join(ROOT, "certs")
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HookApp)
    mock = RunningMock() if request.param == "http" else RunningMock("--app-ca", os.path.join(certs, "ca.pem"))
    if request.param == "https":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(certs, "server.pem"), os.path.join(certs, "server-key.pem"))
        app.socket = context.wrap_socket(app.socket, server_side=True)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    host = "127.0.0.1" if request.param == "http" else "localhost"
    yield mock, f"{request.param}://{host}:{app.server_address[1]}"
    app.shutdown()
    mock.stop()


def test_a_signed_install_hook_verifies_with_the_published_pem(hook_app):
    mock, base_url = hook_app
    HookApp.outcome = {}
    HookApp.mock_base = mock.base
    HookApp.base_url = base_url
    scenario = requests.get(f"{mock.base}/__admin/scenario").json()
    scenario["connectApps"][0]["baseUrl"] = HookApp.base_url
    assert requests.put(f"{mock.base}/__admin/scenario", json=scenario).status_code == 200

    sent = requests.post(f"{mock.base}/__admin/connect/lifecycle", json={"app": APP_KEY, "site": "acme", "event": "installed"}).json()
    assert sent["delivered"] is True and sent["status"] == 204 and sent["installation"] == "installed"
    assert HookApp.outcome["path"] == "/installed"
    assert HookApp.outcome["payload"]["sharedSecret"] == SECRET
    assert HookApp.outcome["payload"]["baseUrl"] == mock.site()


def test_the_impersonation_grant_yields_a_token_that_works_as_the_user(mock):
    now = int(time.time())
    assertion = jwt.encode({
        "iss": "urn:atlassian:connect:clientid:oc-acme", "sub": f"urn:atlassian:connect:useraccountid:{BOB}",
        "tnt": "https://acme.atlassian.net", "aud": "https://oauth-2-authorization-server.services.atlassian.com",
        "iat": now, "exp": now + 60,
    }, SECRET, algorithm="HS256")
    grant = requests.post(f"{mock.base}/oauth2/token", data={
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion, "scope": "READ WRITE"})
    assert grant.status_code == 200
    body = grant.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900 and set(body) == {"access_token", "expires_in", "token_type"}
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert requests.get(f"{mock.site()}/api/v2/pages/1001", headers=headers).status_code == 200
    assert requests.get(f"{mock.site()}/api/v2/pages/2001", headers=headers).status_code == 404, "bob cannot view HR"
    me = requests.get(f"{mock.site()}/rest/api/user/current", headers=headers).json()
    assert me["accountId"] == BOB
