"""atlassian-python-api 3.x drives the content model end to end — a page with a child, a blog post, an attachment,
a label, a comment, a content property, children and ancestors, versions, then deletes — through basic auth on
the site and through an OAuth token at the gateway; then the same model through v2 with plain HTTP calls."""
import copy
import json
import os

import pytest
import requests
from atlassian import Confluence

from conftest import ROOT, binary
from confluence_auth_mock import ConfluenceMock

CLASSIC = ["read:confluence-content.all", "read:confluence-content.summary", "write:confluence-content", "read:confluence-space.summary",
           "read:confluence-props", "write:confluence-props", "write:confluence-file", "readonly:content.attachment:confluence",
           "search:confluence", "read:confluence-user"]


@pytest.fixture(scope="module")
def content_mock():
    scenario = json.load(open(os.path.join(ROOT, "scenarios/default.json")))
    scenario = copy.deepcopy(scenario)
    client = scenario["oauthClients"][0]
    client["scopes"] = sorted(set(client["scopes"]) | set(CLASSIC))
    mock = ConfluenceMock.start(scenario=scenario, binary=binary())
    yield mock
    mock.stop()


def clients(mock):
    token = mock.mint_token(user="alice@acme.test", client="acme-sync-client", scopes=CLASSIC)["access_token"]
    return [("basic on the site", Confluence(url=mock.site_url() + "/wiki", username="alice@acme.test", password="alice-api-token", cloud=True)),
            ("OAuth at the gateway", Confluence(url=mock.gateway_url() + "/wiki", token=token, cloud=True))]


@pytest.mark.parametrize("which", [0, 1], ids=["basic-site", "oauth-gateway"])
def test_atlassian_python_api_drives_the_content_model(content_mock, which):
    name, confluence = clients(content_mock)[which]
    suffix = f" ({name})"
    page = confluence.create_page("ENG", "Release notes" + suffix, "<p>one</p>")
    child = confluence.create_page("ENG", "Release 1.0" + suffix, "<p>child</p>", parent_id=page["id"])
    blog = confluence.create_page("ENG", "We shipped" + suffix, "<p>news</p>", type="blogpost")
    assert blog["type"] == "blogpost" and child["id"] != page["id"]

    attached = confluence.attach_content(b"build log\n", name="build.log", content_type="text/plain", page_id=page["id"])
    assert attached["results"][0]["title"] == "build.log"
    again = confluence.attach_content(b"build log, second run\n", name="build.log", content_type="text/plain", page_id=page["id"])
    assert again["version"]["number"] == 2, "an existing file name becomes a new version of the attachment"
    # The download link, relative to /wiki (the library's download_attachments_from_page prefixes its URL twice).
    link = confluence.get_attachments_from_content(page["id"], filename="build.log")["results"][0]["_links"]["download"]
    assert confluence.get(link, not_json_response=True) == b"build log, second run\n"

    confluence.set_page_label(page["id"], "release")
    assert [label["name"] for label in confluence.get_page_labels(page["id"])["results"]] == ["release"]
    confluence.add_comment(page["id"], "<p>Looks good</p>")
    comments = confluence.get_page_comments(page["id"], expand="body.storage")["results"]
    assert [comment["body"]["storage"]["value"] for comment in comments] == ["<p>Looks good</p>"]
    confluence.set_page_property(page["id"], {"key": "build", "value": {"number": 42}})
    assert confluence.get_page_property(page["id"], "build")["value"] == {"number": 42}

    assert [p["id"] for p in confluence.get_page_child_by_type(page["id"], type="page")] == [child["id"]]
    assert [a["id"] for a in confluence.get_page_ancestors(child["id"])] == [page["id"]]
    confluence.update_page(page["id"], "Release notes" + suffix, "<p>two</p>")
    versions = confluence.get(f"rest/api/content/{page['id']}/version")["results"]
    assert [v["number"] for v in versions] == [2, 1]
    assert confluence.get_page_by_id(page["id"], expand="body.storage")["body"]["storage"]["value"] == "<p>two</p>"

    confluence.remove_page(child["id"])
    assert confluence.get_page_by_id(child["id"], status="trashed")["status"] == "trashed"
    confluence.remove_page(child["id"], status="trashed")
    confluence.remove_page(blog["id"])
    entries = content_mock.requests(path="*/child/attachment*", method="POST")
    assert entries and all(entry["auth"]["decision"] == "allowed" for entry in entries)


def test_v2_with_plain_http(content_mock):
    base = content_mock.site_url() + "/wiki/api/v2"
    session = requests.Session()
    session.auth = ("alice@acme.test", "alice-api-token")
    page = session.post(f"{base}/pages", json={"spaceId": "98306", "status": "current", "title": "V2 page",
                                               "body": {"representation": "storage", "value": "<p>v2</p>"}}).json()
    child = session.post(f"{base}/pages", json={"spaceId": "98306", "title": "V2 child", "parentId": page["id"]}).json()
    blog = session.post(f"{base}/blogposts", json={"spaceId": "98306", "title": "V2 blog"})
    assert blog.status_code == 200 and blog.json()["title"] == "V2 blog"
    comment = session.post(f"{base}/footer-comments", json={"pageId": page["id"], "body": {"representation": "storage", "value": "<p>hi</p>"}})
    assert comment.status_code == 201
    prop = session.post(f"{base}/pages/{page['id']}/properties", json={"key": "k", "value": [1, 2]}).json()
    assert session.get(f"{base}/pages/{page['id']}/properties/{prop['id']}").json()["value"] == [1, 2]
    assert [c["id"] for c in session.get(f"{base}/pages/{page['id']}/children").json()["results"]] == [child["id"]]
    assert [a["id"] for a in session.get(f"{base}/pages/{child['id']}/ancestors").json()["results"]] == [page["id"]]
    updated = session.put(f"{base}/pages/{page['id']}", json={"id": page["id"], "status": "current", "title": "V2 page",
                                                               "body": {"representation": "storage", "value": "<p>v2.2</p>"}, "version": {"number": 2}})
    assert updated.status_code == 200
    stale = session.put(f"{base}/pages/{page['id']}", json={"id": page["id"], "status": "current", "title": "V2 page",
                                                             "body": {"representation": "storage", "value": "x"}, "version": {"number": 2}})
    assert stale.status_code == 409 and stale.json()["errors"][0]["code"] == "CONFLICT"
    assert [v["number"] for v in session.get(f"{base}/pages/{page['id']}/versions").json()["results"]] == [2, 1]
    assert [c["id"] for c in session.get(f"{base}/pages/{page['id']}/footer-comments").json()["results"]] == [comment.json()["id"]]
    upload = session.post(f"{content_mock.site_url()}/wiki/rest/api/content/{page['id']}/child/attachment",
                          headers={"X-Atlassian-Token": "no-check"}, files={"file": ("a.txt", b"abc", "text/plain")})
    attachment = upload.json()["results"][0]["id"]
    assert session.get(f"{base}/pages/{page['id']}/attachments").json()["results"][0]["id"] == attachment
    assert session.delete(f"{base}/attachments/{attachment}").status_code == 204
    assert session.delete(f"{base}/pages/{child['id']}").status_code == 204
    assert session.get(f"{base}/pages", params={"status": "trashed"}).json()["results"][0]["id"] == child["id"]
    assert session.delete(f"{base}/pages/{child['id']}", params={"purge": "true"}).status_code == 204
    assert session.get(f"{base}/pages/{child['id']}").status_code == 404
    bob = requests.post(f"{base}/pages", auth=("bob@acme.test", "bob-api-token"), json={"spaceId": "98306", "title": "Nope"})
    assert bob.status_code == 403 and bob.json()["errors"][0]["status"] == 403
