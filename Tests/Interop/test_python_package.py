"""The repository's Python package (clients/python, `confluence_auth_mock`) as a user's tests use it: starting
the binary, the admin API helpers, proxy_env for an unmodified client, and the pytest fixtures its plugin
registers (this suite gets them because the package is installed)."""
import json
import os

import pytest
import requests
from confluence_auth_mock import ConfluenceMock, MockError

from conftest import ROOT

SERVER_URLS = []


def test_start_drive_and_stop_with_a_scenario_given_as_a_dict():
    with open(os.path.join(ROOT, "scenarios", "default.json")) as f:
        scenario = json.load(f)
    scenario["name"] = "from-a-dict"
    with ConfluenceMock.start(scenario=scenario) as mock:
        assert requests.get(f"{mock.url}/__admin/health").json() == {"status": "ok", "scenario": "from-a-dict"}
        assert mock.site_url("acme") == f"{mock.url}/site/acme"
        assert mock.gateway_url("acme") == f"{mock.url}/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674"
        with pytest.raises(MockError, match="no site 'nowhere'"):
            mock.gateway_url("nowhere")
        token = mock.mint_token(user="alice@acme.test", client="acme-sync-client", scopes=["read:page:confluence"])["access_token"]
        page = requests.get(f"{mock.gateway_url()}/wiki/api/v2/pages/1001", headers={"Authorization": f"Bearer {token}"})
        assert page.status_code == 200
        fault = mock.add_fault({"match": {"path": "/wiki/rest/api/space"}, "respond": {"status": 503}})
        assert requests.get(f"{mock.site_url()}/wiki/rest/api/space").status_code == 503 and fault
        assert [entry["status"] for entry in mock.requests(path="/wiki/*")] == [200, 503]
        assert len(mock.requests(status=503)) == 1
        before = mock.admin("GET", "/__admin/clock")["now"]
        assert mock.advance_clock(3600)["now"] > before
        mock.reset()
        assert mock.requests() == []
    assert mock.process.returncode == 0, "stopped by SIGTERM, cleanly"


def test_proxy_env_lets_an_unmodified_client_use_production_urls_and_restores_the_environment():
    before = {name: os.environ.get(name) for name in ("HTTPS_PROXY", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE")}
    with ConfluenceMock.start() as mock:
        with mock.proxy_env():
            assert os.environ["HTTPS_PROXY"] == mock.url and open(os.environ["REQUESTS_CA_BUNDLE"]).read().startswith("-----BEGIN CERTIFICATE-----")
            answer = requests.get("https://acme.atlassian.net/wiki/rest/api/space/ENG", auth=("alice@acme.test", "alice-api-token"))
            assert answer.status_code == 200 and answer.json()["key"] == "ENG"
            assert mock.requests(method="CONNECT")[0]["path"] == "acme.atlassian.net:443", "the admin API is reached directly"
        assert {name: os.environ.get(name) for name in before} == before


def test_errors_say_what_went_wrong(monkeypatch):
    monkeypatch.delenv("CONFLUENCE_AUTH_MOCK_BIN")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(MockError, match="no confluence-auth-mock executable"):
        ConfluenceMock.start()
    monkeypatch.undo()
    with pytest.raises(MockError, match="cannot run /nonexistent/confluence-auth-mock"):
        ConfluenceMock.start(binary="/nonexistent/confluence-auth-mock")
    with pytest.raises(MockError, match="did not start"):
        ConfluenceMock.start(scenario={"sites": []})
    with ConfluenceMock.start() as mock:
        with pytest.raises(MockError, match="400"):
            mock.add_fault({"match": {}, "respond": {"stauts": 503}})


def test_the_fixture_gives_a_reset_mock_shared_by_the_session_first(confluence_mock, confluence_mock_server):
    assert confluence_mock is confluence_mock_server and confluence_mock.requests() == []
    requests.get(f"{confluence_mock.site_url()}/wiki/rest/api/space")
    SERVER_URLS.append(confluence_mock.url)


def test_the_fixture_gives_a_reset_mock_shared_by_the_session_second(confluence_mock):
    assert confluence_mock.requests() == [], "reset before this test"
    assert SERVER_URLS == [confluence_mock.url], "the same process as the test before"
