"""The client side of the container smoke test: what a test suite outside the container does
against the published ports. Plain HTTP, HTTPS trusting only the test CA, the OAuth 2.0 (3LO)
dance with requests-oauthlib, and a gateway call with the token it got. The client, secret and
page are those of scenarios/default.json, which the image serves."""
import argparse
import os
import sys

import requests
from requests_oauthlib import OAuth2Session

CLIENT_ID, CLIENT_SECRET = "acme-sync-client", "acme-sync-secret"
CALLBACK = "http://127.0.0.1:8765/callback"
SCOPES = ["read:page:confluence", "read:me", "offline_access"]
# The callback is plain HTTP on loopback (no server listens there: the code is read from the redirect).
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


class ClientError(Exception):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise ClientError(message)


def health(base: str, ca: str | bool) -> str:
    answer = requests.get(f"{base}/__admin/health", verify=ca, timeout=10)
    expect(answer.status_code == 200 and answer.json().get("status") == "ok", f"{base}/__admin/health answered {answer.status_code}: {answer.text[:200]}")
    return f"GET {base}/__admin/health -> {answer.status_code} {answer.text.strip()}"


def untrusted(base: str) -> str:
    """Without the test CA the handshake must fail: the listener really serves the test certificate."""
    try:
        requests.get(f"{base}/__admin/health", timeout=10)
    except requests.exceptions.SSLError as error:
        return f"GET {base}/__admin/health without the test CA -> refused ({'certificate verify failed' if 'CERTIFICATE_VERIFY_FAILED' in str(error) else error})"
    raise ClientError(f"{base} was trusted without certs/ca.pem")


def three_legged(base: str, ca: str) -> tuple[dict, list[str]]:
    session = OAuth2Session(CLIENT_ID, redirect_uri=CALLBACK, scope=SCOPES)
    url, _ = session.authorization_url(f"{base}/authorize", audience="api.atlassian.com", prompt="consent")
    consent = requests.get(url, allow_redirects=False, verify=ca, timeout=10)
    redirect = consent.headers.get("Location", "")
    expect(consent.status_code == 302 and redirect.startswith(CALLBACK + "?code="), f"/authorize answered {consent.status_code} {redirect or consent.text[:200]}")
    token = session.fetch_token(f"{base}/oauth/token", client_secret=CLIENT_SECRET, authorization_response=redirect, verify=ca)
    expect(token.get("token_type") == "Bearer" and "refresh_token" in token, f"/oauth/token gave {sorted(token)}")
    sites = session.get(f"{base}/oauth/token/accessible-resources", verify=ca, timeout=10).json()
    expect(isinstance(sites, list) and len(sites) == 1, f"accessible-resources answered {sites}")
    return ({"session": session, "token": token, "cloud_id": sites[0]["id"]},
            [f"3LO: GET {base}/authorize -> 302 to the callback with a code",
             f"3LO: POST {base}/oauth/token -> Bearer token (expires_in {token.get('expires_in')}, with a refresh token)",
             f"3LO: GET {base}/oauth/token/accessible-resources -> {sites[0]['name']} ({sites[0]['id']})"])


def gateway(base: str, grant: dict, ca: str | bool) -> str:
    path = f"/ex/confluence/{grant['cloud_id']}/wiki/api/v2/pages/1001"
    answer = requests.get(f"{base}{path}", headers={"Authorization": f"Bearer {grant['token']['access_token']}"}, verify=ca, timeout=10)
    expect(answer.status_code == 200 and answer.json().get("title") == "Runbook", f"GET {path} answered {answer.status_code}: {answer.text[:200]}")
    return f"gateway: GET {base}{path} with the Bearer token -> {answer.status_code} \"{answer.json()['title']}\""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--http", required=True, help="the published HTTP base URL, e.g. http://localhost:8080")
    parser.add_argument("--https", required=True, help="the published HTTPS base URL, e.g. https://localhost:8443")
    parser.add_argument("--ca", required=True, help="the test CA (certs/ca.pem)")
    options = parser.parse_args()
    try:
        lines = [health(options.http, True), health(options.https, options.ca), untrusted(options.https)]
        grant, dance = three_legged(options.https, options.ca)
        lines += dance + [gateway(options.https, grant, options.ca), gateway(options.http, grant, True)]
    except (ClientError, requests.RequestException, ValueError) as error:
        print(f"client: {error}", file=sys.stderr)
        return 1
    print("\n".join(f"client: {line}" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
