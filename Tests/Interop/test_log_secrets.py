"""`serve --log json` never writes a token, secret or password: every seed of the fuzz corpora sent
as raw bytes, then a client's authenticated traffic of every kind, and the log searched for each
secret the scenario holds and each one the mock handed out."""
import base64
import glob
import json
import os
import socket
import subprocess

import jwt
import requests

from conftest import ROOT, RunningMock

SCENARIO = json.load(open(os.path.join(ROOT, "scenarios", "default.json")))


def scenario_secrets():
    secrets = []
    for user in SCENARIO["users"]:
        secrets += [token if isinstance(token, str) else token["token"] for token in user.get("apiTokens", [])]
        secrets += [user[key] for key in ("password",) if key in user]
    secrets += [client["clientSecret"] for client in SCENARIO["oauthClients"]]
    secrets += [installation["sharedSecret"] for app in SCENARIO["connectApps"] for installation in app["installations"]]
    return secrets


def send_raw(base, payload):
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(payload)
        connection.shutdown(socket.SHUT_WR)
        try:
            while connection.recv(65536):
                pass
        except OSError:
            pass


def test_the_json_log_never_holds_a_secret():
    mock = RunningMock("--log", "json")
    handed_out = []
    try:
        for path in sorted(glob.glob(os.path.join(ROOT, "Tests", "Fuzz", "Corpus", "*", "*"))):
            send_raw(mock.base, open(path, "rb").read())

        alice = ("alice@acme.test", "alice-api-token")
        assert requests.get(f"{mock.site()}/rest/api/space", auth=alice).status_code == 200
        assert requests.get(f"{mock.site()}/rest/api/space", auth=("alice@acme.test", "wrong-token")).status_code in (401, 403)
        assert requests.get(f"{mock.site()}/rest/api/space", auth=("alice@acme.test", "alice-password")).status_code in (401, 403)
        minted = requests.post(f"{mock.base}/__admin/tokens", json={"user": "alice@acme.test", "client": "acme-sync-client", "offline": True}).json()
        handed_out += [minted["access_token"], minted["refresh_token"]]
        bearer = {"Authorization": f"Bearer {minted['access_token']}"}
        assert requests.get(f"{mock.gateway()}/api/v2/pages/1001", headers=bearer).status_code == 200
        refreshed = requests.post(f"{mock.base}/oauth/token", data={"grant_type": "refresh_token", "refresh_token": minted["refresh_token"],
                                                                    "client_id": "acme-sync-client", "client_secret": "acme-sync-secret"}).json()
        handed_out += [refreshed["access_token"], refreshed["refresh_token"]]
        basic_client = base64.b64encode(b"acme-sync-client:acme-sync-secret").decode()
        refused = requests.post(f"{mock.base}/oauth/token", headers={"Authorization": f"Basic {basic_client}"},
                                json={"grant_type": "refresh_token", "refresh_token": minted["refresh_token"]})
        assert refused.status_code in (200, 400, 403)
        authorize = requests.get(f"{mock.base}/authorize", allow_redirects=False, params={
            "audience": "api.atlassian.com", "client_id": "acme-sync-client", "scope": "read:page:confluence offline_access",
            "redirect_uri": SCENARIO["oauthClients"][0]["redirectUris"][0], "state": "s", "response_type": "code", "prompt": "consent"})
        code = authorize.headers["Location"].split("code=")[1].split("&")[0]
        handed_out.append(code)
        exchanged = requests.post(f"{mock.base}/oauth/token", json={"grant_type": "authorization_code", "code": code, "client_id": "acme-sync-client",
                                                                    "client_secret": "acme-sync-secret",
                                                                    "redirect_uri": SCENARIO["oauthClients"][0]["redirectUris"][0]}).json()
        handed_out += [exchanged["access_token"], exchanged["refresh_token"]]
        connect = requests.post(f"{mock.base}/__admin/connect/jwt", json={"app": "com.example.addon", "site": "acme", "method": "GET",
                                                                          "url": "/rest/api/space"}).json()["token"]
        handed_out.append(connect)
        assert requests.get(f"{mock.site()}/rest/api/space", headers={"Authorization": f"JWT {connect}"}).status_code == 200
        requests.get(f"{mock.site()}/rest/api/space", params={"jwt": connect})
        forge = requests.post(f"{mock.base}/__admin/forge/tokens", json={"app": SCENARIO["forgeApps"][0]["id"], "site": "acme", "kind": "system"}).json()["token"]
        handed_out.append(forge)
        requests.get(f"{mock.gateway()}/api/v2/pages/1001", headers={"Authorization": f"Bearer {forge}"})
    finally:
        mock.process.send_signal(15)
        _, log = mock.process.communicate(timeout=10)

    lines = [line for line in log.splitlines() if line.startswith("{")]
    mechanisms = {json.loads(line)["auth"] for line in lines}
    assert {"basic", "oauth", "connect", "forge"} <= mechanisms, f"the log has the client's requests: {mechanisms}"
    for secret in scenario_secrets() + handed_out:
        assert secret not in log, f"the log holds a secret ({secret[:6]}…)"
    # Parts of a JWT are secrets too: its signature must not appear either.
    for token in handed_out:
        if token.count(".") == 2:
            assert token.split(".")[2] not in log
