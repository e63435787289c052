"""atlassian-python-api against the mock with basic auth (API tokens), the way client code uses it."""
import pytest
import requests
from atlassian import Confluence
from atlassian.errors import ApiPermissionError

ALICE = ("alice@acme.test", "alice-api-token")
BOB = ("bob@acme.test", "bob-api-token")


def client(url, credentials):
    return Confluence(url=url, username=credentials[0], password=credentials[1], cloud=True)


def test_reads_writes_and_deletes_as_a_user_with_rights(mock):
    confluence = client(mock.site(), ALICE)
    assert confluence.get_space("ENG")["name"] == "Engineering"
    page = confluence.get_page_by_id("1001", expand="body.storage,version")
    assert page["title"] == "Runbook"
    assert page["body"]["storage"]["value"] == "<p>Restart the service, then check the dashboard.</p>"

    created = confluence.create_page(space="ENG", title="Written from Python", body="<p>first</p>")
    assert created["version"]["number"] == 1
    assert confluence.get_page_by_title(space="ENG", title="Written from Python")["id"] == created["id"]

    updated = confluence.update_page(page_id=created["id"], title="Written from Python", body="<p>second</p>")
    assert updated["version"]["number"] == 2
    assert confluence.get_page_by_id(created["id"], expand="body.storage")["body"]["storage"]["value"] == "<p>second</p>"

    confluence.remove_page(created["id"])
    assert confluence.get_page_by_title(space="ENG", title="Written from Python") is None


def test_a_view_only_user_reads_but_cannot_write(mock):
    confluence = client(mock.site(), BOB)
    assert confluence.get_page_by_id("1001")["title"] == "Runbook"
    with pytest.raises((ApiPermissionError, requests.HTTPError)) as refused:
        confluence.create_page(space="ENG", title="Not allowed", body="<p>x</p>")
    assert "PermissionException" in str(refused.value)
    raw = confluence.delete(f"rest/api/content/1001", absolute=False, advanced_mode=True)
    assert raw.status_code == 403


def test_a_bad_token_is_refused_as_confluence_cloud_refuses_it(mock):
    confluence = client(mock.site(), ("alice@acme.test", "not-the-token"))
    response = confluence.get("rest/api/space/ENG", advanced_mode=True)
    assert response.status_code == 403
    assert "Request rejected because caller cannot access Confluence" in response.json()["message"]
    v2 = confluence.get("api/v2/pages/1001", advanced_mode=True)
    assert v2.status_code == 404
    assert v2.json() == {"errors": [{"status": 404, "code": "NOT_FOUND", "title": "Not Found", "detail": None}]}


def test_a_scoped_token_works_through_the_gateway_only(mock):
    scoped = ("alice@acme.test", "alice-scoped-token")
    through_gateway = client(mock.gateway(), scoped)
    assert through_gateway.get("api/v2/pages/1001")["title"] == "Runbook"
    on_site = client(mock.site(), scoped).get("api/v2/pages/1001", advanced_mode=True)
    assert on_site.status_code == 401
    assert "HTTP Status 401" in on_site.text
    out_of_scope = through_gateway.get("rest/api/user/current", advanced_mode=True)
    assert out_of_scope.status_code == 401
    assert out_of_scope.json() == {"code": 401, "message": "Unauthorized; scope does not match"}
