"""The consent page completed by Python requests, as a person (or a scraper) would: parse the form, post Accept."""
import json
import os
import tempfile
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import requests

from conftest import ROOT, RunningMock


class FormReader(HTMLParser):
    """Collects the consent form's action and its inputs (hidden fields and the Accept button)."""

    def __init__(self):
        super().__init__()
        self.action, self.fields = None, {}

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "form":
            self.action = attributes["action"]
        elif tag == "input":
            self.fields[attributes["name"]] = attributes["value"]


def test_requests_completes_the_consent_page():
    with open(os.path.join(ROOT, "scenarios", "default.json")) as f:
        scenario = json.load(f)
    scenario["oauthClients"][0]["consent"]["mode"] = "page"
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(scenario, f)
    mock = RunningMock("--scenario", f.name)
    try:
        authorize = requests.get(f"{mock.base}/authorize", params={
            "audience": "api.atlassian.com", "client_id": "acme-sync-client", "scope": "read:page:confluence offline_access",
            "redirect_uri": "http://127.0.0.1:8765/callback", "state": "s-42", "response_type": "code", "prompt": "consent"})
        assert authorize.status_code == 200
        form = FormReader()
        form.feed(authorize.text)
        answer = requests.post(f"{mock.base}{form.action}", data={**form.fields, "decision": "accept"}, allow_redirects=False)
        assert answer.status_code == 302
        query = parse_qs(urlparse(answer.headers["Location"]).query)
        assert query["state"] == ["s-42"]
        token = requests.post(f"{mock.base}/oauth/token", json={
            "grant_type": "authorization_code", "client_id": "acme-sync-client", "client_secret": "acme-sync-secret",
            "code": query["code"][0], "redirect_uri": "http://127.0.0.1:8765/callback"}).json()
        assert "refresh_token" in token
    finally:
        mock.stop()
        os.unlink(f.name)
