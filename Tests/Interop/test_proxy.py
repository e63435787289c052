"""The mock as an HTTPS proxy for unmodified clients: each client below keeps Atlassian's production URLs
and only gets the usual proxy environment (HTTPS_PROXY and a CA bundle, set by the package's
proxy_env()). The mock answers CONNECT for Atlassian's hosts and the scenario's sites with certificates
from the test CA, and refuses every other host without ever connecting out."""
import contextlib
import http.server
import json
import os
import socket
import ssl
import subprocess
import threading
import time

import jwt
import pytest
import requests
from atlassian import Confluence
from atlassian_jwt import encode_token
from requests_oauthlib import OAuth2Session

from conftest import ROOT, RunningMock, binary

os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"  # the registered callback is plain-HTTP loopback, as in local development
CA = os.path.join(ROOT, "certs", "ca.pem")
CLOUD_ID = "a436116f-02ce-4520-8fbb-7301462a1674"
GATEWAY = f"https://api.atlassian.com/ex/confluence/{CLOUD_ID}"
CLIENT_ID, CLIENT_SECRET, CALLBACK = "acme-sync-client", "acme-sync-secret", "http://127.0.0.1:8765/callback"


def journal(mock, **filters):
    return requests.get(f"{mock.base}/__admin/requests", params=filters).json()["requests"]


def test_requests_oauthlib_runs_the_whole_dance_on_production_urls(mock):
    with mock.proxy_env():
        session = OAuth2Session(CLIENT_ID, redirect_uri=CALLBACK, scope=["read:page:confluence", "read:me", "offline_access"])
        url, _ = session.authorization_url("https://auth.atlassian.com/authorize", audience="api.atlassian.com", prompt="consent")
        redirect = requests.get(url, allow_redirects=False)
        assert redirect.status_code == 302 and redirect.headers["Location"].startswith(CALLBACK)
        token = session.fetch_token("https://auth.atlassian.com/oauth/token", client_secret=CLIENT_SECRET,
                                    authorization_response=redirect.headers["Location"])
        page = session.get(f"{GATEWAY}/wiki/api/v2/pages/1001")
        assert page.status_code == 200 and page.json()["title"] == "Runbook"
        assert session.get("https://api.atlassian.com/me").json()["email"] == "alice@acme.test"
        rotated = session.refresh_token("https://auth.atlassian.com/oauth/token", client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        assert rotated["refresh_token"] != token["refresh_token"]
        assert session.get(f"{GATEWAY}/wiki/api/v2/pages/1001").status_code == 200
        assert requests.get("https://auth.atlassian.com/me").status_code == 404, "/me is api.atlassian.com's"
    tunnels = journal(mock, method="CONNECT")
    assert {entry["path"] for entry in tunnels} == {"auth.atlassian.com:443", "api.atlassian.com:443"}
    assert all(entry["auth"]["decision"] == "allowed" for entry in tunnels)
    paths = [entry["path"] for entry in journal(mock) if entry["method"] != "CONNECT"]
    assert paths[:3] == ["/authorize", "/oauth/token", f"/ex/confluence/{CLOUD_ID}/wiki/api/v2/pages/1001"]


def test_atlassian_python_api_with_an_oauth_token_and_cloud_true(mock):
    minted = requests.post(f"{mock.base}/__admin/tokens", json={
        "user": "alice@acme.test", "client": CLIENT_ID, "scopes": ["read:page:confluence", "read:confluence-content.all"]}).json()
    with mock.proxy_env():
        confluence = Confluence(url=f"{GATEWAY}/wiki", oauth2={"client_id": CLIENT_ID, "token": {"access_token": minted["access_token"], "token_type": "Bearer"}},
                                cloud=True)
        assert confluence.get_page_by_id("1001")["title"] == "Runbook"


class KeyCheckingApp(http.server.BaseHTTPRequestHandler):
    """A Connect app: verifies its install hook with the key it fetches from connect-install-keys.atlassian.com,
    and a Forge remote: verifies its invocation token with PyJWKClient on the real JWKS URL."""
    outcome = {}

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        KeyCheckingApp.outcome[self.path + " body"] = json.loads(body or b"{}")
        token = self.headers["Authorization"].split(" ", 1)[1]
        try:
            if self.path == "/installed":
                kid = jwt.get_unverified_header(token)["kid"]
                pem = requests.get(f"https://connect-install-keys.atlassian.com/{kid}").text
                claims = jwt.decode(token, pem, algorithms=["RS256"], audience=self.headers["X-App-Base"], options={"verify_aud": False})
            else:
                context = ssl.create_default_context(cafile=CA)
                client = jwt.PyJWKClient("https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json", ssl_context=context)
                key = client.get_signing_key_from_jwt(token)
                claims = jwt.decode(token, key.key, algorithms=["RS256"], options={"verify_aud": False})
            KeyCheckingApp.outcome[self.path] = claims
            self.send_response(200)
        except Exception as error:  # the test reads why
            KeyCheckingApp.outcome[self.path] = error
            self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_connect_app_and_a_forge_remote_fetch_their_keys_at_the_real_urls(mock):
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KeyCheckingApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{app.server_address[1]}"
    try:
        scenario = requests.get(f"{mock.base}/__admin/scenario").json()
        scenario["connectApps"][0]["baseUrl"] = base
        scenario["forgeApps"][0]["remotes"] = {"backend": base}
        assert requests.put(f"{mock.base}/__admin/scenario", json=scenario).status_code == 200
        with mock.proxy_env():
            hook = requests.post(f"{mock.base}/__admin/connect/lifecycle",
                                 json={"app": "com.example.addon", "site": "acme", "event": "installed", "productionBaseUrl": True}).json()
            invoked = requests.post(f"{mock.base}/__admin/forge/invoke", json={
                "app": scenario["forgeApps"][0]["id"], "site": "acme", "remote": "backend", "path": "/render", "body": {}}).json()
        assert hook["status"] == 200, KeyCheckingApp.outcome.get("/installed")
        assert invoked["status"] == 200, KeyCheckingApp.outcome.get("/render")
        assert KeyCheckingApp.outcome["/installed"]["iss"] and KeyCheckingApp.outcome["/render"]["iss"] == "forge/invocation-token"
        # The app calls back at the baseUrl it was given, Confluence's own, through the same proxy.
        installed = KeyCheckingApp.outcome["/installed body"]
        assert installed["baseUrl"] == "https://acme.atlassian.net/wiki"
        signed = encode_token("GET", "/rest/api/space", installed["clientKey"], installed["sharedSecret"])
        with mock.proxy_env():
            spaces = requests.get(f"{installed['baseUrl']}/rest/api/space", headers={"Authorization": f"JWT {signed}"})
        assert spaces.status_code == 200 and spaces.json()["size"] == 2
        keys = [entry["path"] for entry in journal(mock, method="CONNECT")]
        assert keys == ["connect-install-keys.atlassian.com:443", "forge.cdn.prod.atlassian-dev.net:443", "acme.atlassian.net:443"]
    finally:
        app.shutdown()


def test_curl_reaches_a_site_host_through_the_proxy(mock):
    answer = subprocess.run(["curl", "-sS", "-x", mock.base, "--cacert", CA, "-u", "alice@acme.test:alice-api-token",
                             "https://acme.atlassian.net/wiki/rest/api/space/ENG"], capture_output=True, text=True, timeout=30)
    assert answer.returncode == 0, answer.stderr
    space = json.loads(answer.stdout)
    assert space["key"] == "ENG" and space["_links"]["self"] == "https://acme.atlassian.net/wiki/rest/api/space/ENG"
    assert requests.get(f"{mock.base}/__admin/ca.pem").text == open(CA).read()


def raw_exchange(mock, data, read_timeout=5.0):
    """Sends bytes to the mock's port and returns what comes back until it closes or goes quiet."""
    host, port = mock.base.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=read_timeout) as connection:
        connection.sendall(data)
        received = b""
        with contextlib.suppress(socket.timeout, ConnectionResetError):
            while chunk := connection.recv(65536):
                received += chunk
        return received


def test_another_host_is_refused_journaled_and_never_connected_to(mock):
    bait = socket.socket()
    bait.bind(("127.0.0.1", 0))
    bait.listen(1)
    bait.settimeout(0.5)
    port = bait.getsockname()[1]
    answer = raw_exchange(mock, f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode(), read_timeout=1)
    assert answer.startswith(b"HTTP/1.1 403 ") and b"does not answer for 127.0.0.1" in answer
    with pytest.raises(socket.timeout):
        bait.accept()
    bait.close()
    refused = journal(mock, method="CONNECT")[-1]
    assert refused["path"] == f"127.0.0.1:{port}" and refused["status"] == 403
    assert refused["auth"]["decision"] == "denied" and refused["auth"]["reason"] == "proxy: host not served"

    absolute = raw_exchange(mock, b"GET http://example.com/wiki HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n")
    assert absolute.startswith(b"HTTP/1.1 403 ")
    entry = journal(mock, method="GET")[-1]
    assert entry["path"] == "http://example.com/wiki" and entry["auth"]["reason"] == "proxy: host not served"


def test_bad_input_gets_a_clear_answer_or_a_clean_close(mock):
    assert raw_exchange(mock, b"CONNECT nohostport HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    # Not TLS inside the tunnel: the handshake fails and the connection closes.
    garbage = raw_exchange(mock, b"CONNECT acme.atlassian.net:443 HTTP/1.1\r\nHost: acme.atlassian.net:443\r\n\r\n"
                                 b"GET / HTTP/1.1\r\nHost: acme.atlassian.net\r\n\r\n")
    assert garbage.startswith(b"HTTP/1.1 200 Connection Established\r\n\r\n") or garbage == b"", garbage[:80]
    # A client hello without SNI gets the certificate of the CONNECT's host.
    host, port = mock.base.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(b"CONNECT acme.atlassian.net:443 HTTP/1.1\r\nHost: acme.atlassian.net:443\r\n\r\n")
        assert raw.recv(4096) == b"HTTP/1.1 200 Connection Established\r\n\r\n"
        context = ssl.create_default_context(cafile=CA)
        context.check_hostname = False
        with context.wrap_socket(raw, server_hostname=None) as tls:
            subject = dict(pair[0] for pair in tls.getpeercert()["subject"])
            assert subject["commonName"] == "acme.atlassian.net"
            assert ("DNS", "acme.atlassian.net") in tls.getpeercert()["subjectAltName"]
    assert requests.get(f"{mock.base}/__admin/health").status_code == 200


def test_a_ca_that_is_not_a_ca_is_refused_at_start():
    certs = os.path.join(ROOT, "certs")
    run = subprocess.run([binary(), "serve", "--port", "0", "--proxy-ca", os.path.join(certs, "server.pem"),
                          "--proxy-ca-key", os.path.join(certs, "server-key.pem")], capture_output=True, text=True, timeout=30)
    assert run.returncode == 1 and "not a CA certificate" in run.stderr


def test_without_the_proxy_connect_is_405_and_absolute_urls_are_plain_requests():
    mock = RunningMock("--no-proxy")
    try:
        assert raw_exchange(mock, b"CONNECT acme.atlassian.net:443 HTTP/1.1\r\nHost: acme.atlassian.net:443\r\n\r\n", read_timeout=1).startswith(b"HTTP/1.1 405 ")
        answer = raw_exchange(mock, b"GET http://example.com/__admin/health HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert requests.get(f"{mock.base}/__admin/ca.pem").status_code == 404
    finally:
        mock.stop()
