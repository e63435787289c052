"""A service account (scenarios/service-account.json) as CI bots use one: an OAuth 2.0
client-credentials token fetched with requests-oauthlib's BackendApplicationClient and with Authlib,
used by atlassian-python-api through the gateway; its scoped API token as Bearer with plain requests."""
import os

import pytest
import requests
from atlassian import Confluence
from authlib.integrations.requests_client import OAuth2Session as AuthlibSession
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth2Session

from conftest import ROOT, RunningMock

os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"  # the mock serves plain HTTP on loopback

CLIENT_ID, CLIENT_SECRET = "ci-bot-client", "ci-bot-secret"
ACCOUNT_ID = "712020:5c2b3f4e-0b7d-4a4b-9f8e-2d1c0b9a8f7e"


@pytest.fixture
def mock():
    running = RunningMock("--scenario", os.path.join(ROOT, "scenarios", "service-account.json"))
    yield running
    running.stop()


def test_requests_oauthlib_fetches_a_token_that_atlassian_python_api_uses_through_the_gateway(mock):
    session = OAuth2Session(client=BackendApplicationClient(client_id=CLIENT_ID))
    token = session.fetch_token(f"{mock.base}/oauth/token", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                include_client_id=True)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600 and "refresh_token" not in token

    confluence = Confluence(url=mock.gateway(), token=token["access_token"], cloud=True)
    assert confluence.get_page_by_id("1001")["title"] == "Runbook"
    current = confluence.get("rest/api/user/current")
    assert current["accountType"] == "app" and current["accountId"] == ACCOUNT_ID

    journal = requests.get(f"{mock.base}/__admin/requests", params={"path": "/ex/*"}).json()["requests"]
    assert {(entry["auth"]["mechanism"], entry["auth"]["client"], entry["auth"]["decision"]) for entry in journal} == {
        ("service-account-oauth", CLIENT_ID, "allowed")}


def test_authlib_asks_for_fewer_scopes_and_is_refused_more(mock):
    session = AuthlibSession(CLIENT_ID, CLIENT_SECRET, scope="read:page:confluence", token_endpoint_auth_method="client_secret_basic")
    token = session.fetch_token(f"{mock.base}/oauth/token", grant_type="client_credentials")
    assert token["scope"] == "read:page:confluence"
    assert session.get(f"{mock.gateway()}/api/v2/pages/1001").status_code == 200
    refused = session.get(f"{mock.gateway()}/api/v2/spaces")
    assert refused.status_code == 401 and refused.json() == {"code": 401, "message": "Unauthorized; scope does not match"}
    assert session.get(f"{mock.site()}/api/v2/pages/1001").status_code == 401, "gateway only"


def test_the_scoped_api_token_works_as_bearer_through_the_gateway_only(mock):
    headers = {"Authorization": "Bearer ci-bot-scoped-token"}
    page = requests.get(f"{mock.gateway()}/api/v2/pages/1001", headers=headers)
    assert page.status_code == 200 and page.json()["title"] == "Runbook"
    assert requests.get(f"{mock.site()}/api/v2/pages/1001", headers=headers).status_code == 401
    basic = requests.get(f"{mock.gateway()}/rest/api/content/1001", auth=("ci-bot-7d2a@serviceaccount.atlassian.com", "ci-bot-scoped-token"))
    assert basic.status_code == 200
    journal = requests.get(f"{mock.base}/__admin/requests", params={"path": "/ex/*"}).json()["requests"]
    assert [entry["auth"]["mechanism"] for entry in journal] == ["service-account-token"] * 2
