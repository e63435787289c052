"""A Forge Remote backend in Python: it receives an invocation, verifies the FIT with PyJWT's PyJWKClient
against the mock's JWKS, and calls the gateway with the x-forge-oauth-system token it was given."""
import http.server
import json
import threading

import jwt
import requests

APP = "ari:cloud:ecosystem::app/3b4c6a1e-5f7d-4b2a-9c8e-0d1f2a3b4c5d"
INSTALLATION = "ari:cloud:ecosystem::installation/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
CLOUD_ID = "a436116f-02ce-4520-8fbb-7301462a1674"


class Remote(http.server.BaseHTTPRequestHandler):
    """Verifies the invocation as a Forge Remote must, then uses the app token it carries."""
    jwks_url = None
    seen = {}

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        token = self.headers["Authorization"].split(" ", 1)[1]
        key = jwt.PyJWKClient(self.jwks_url).get_signing_key_from_jwt(token)
        claims = jwt.decode(token, key.key, algorithms=["RS256"], audience=APP, issuer="forge/invocation-token",
                            options={"require": ["iat", "nbf", "exp", "jti"]})
        base = claims["app"]["apiBaseUrl"]
        system = {"Authorization": f"Bearer {self.headers['x-forge-oauth-system']}"}
        Remote.seen = {
            "claims": claims,
            "trace": self.headers["x-b3-traceid"],
            "in manifest": requests.get(f"{base}/wiki/api/v2/pages/1001", headers=system),
            "outside manifest": requests.get(f"{base}/wiki/rest/api/search", params={"cql": "type=page"}, headers=system),
        }
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_remote_verifies_the_invocation_and_calls_the_gateway_with_the_system_token(mock):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Remote)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        Remote.jwks_url = f"{mock.base}/forge/.well-known/jwks.json"
        scenario = requests.get(f"{mock.base}/__admin/scenario").json()
        scenario["forgeApps"][0]["remotes"] = {"backend": f"http://127.0.0.1:{server.server_address[1]}"}
        assert requests.put(f"{mock.base}/__admin/scenario", json=scenario).status_code == 200

        result = requests.post(f"{mock.base}/__admin/forge/invoke", json={
            "app": APP, "site": "acme", "remote": "backend", "path": "/render", "body": {"pageId": "1001"}, "user": "bob@acme.test",
            "module": "page-banner"}).json()
        assert result["status"] == 200 and result["error"] is None and json.loads(result["body"]) == {"ok": True}

        claims = Remote.seen["claims"]
        assert claims["app"]["id"] == APP and claims["app"]["installationId"] == INSTALLATION
        assert claims["app"]["apiBaseUrl"] == f"{mock.base}/ex/confluence/{CLOUD_ID}"
        assert claims["context"]["cloudId"] == CLOUD_ID and claims["principal"] == "5b10a2844c20165700ede21g"
        # cloud-2026: the environment as an ARI, no app.version, the module instance's localId
        environment = scenario["forgeApps"][0]["environment"]["id"]
        assert claims["app"]["environment"]["id"] == f"ari:cloud:ecosystem::environment/{environment}"
        assert "version" not in claims["app"]
        assert claims["context"]["localId"] == f"ari:cloud:ecosystem::extension/{APP.split('/')[-1]}/{environment}/static/page-banner"
        assert Remote.seen["trace"] == result["traceId"]

        allowed = Remote.seen["in manifest"]
        assert allowed.status_code == 200 and allowed.json()["title"] == "Runbook"
        refused = Remote.seen["outside manifest"]
        assert refused.status_code == 401 and refused.json() == {"code": 401, "message": "Unauthorized; scope does not match"}
    finally:
        server.shutdown()
