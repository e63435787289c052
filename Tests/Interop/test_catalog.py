"""The operation catalog from outside: every generated answer validates against its documented schema (with
jsonschema) and is the same each time; the scope advisor, asked after atlassian-python-api's calls through the
gateway, names exactly the union of those operations' scopes, and the `scopes` command prints it."""
import copy
import json
import os
import re
import subprocess

import jsonschema
import requests
from atlassian import Confluence

from conftest import ROOT, RunningMock, binary
from confluence_auth_mock import ConfluenceMock

ALICE = ("alice@acme.test", "alice-api-token")
DATA = os.path.join(ROOT, "Sources/ConfluenceAuthMock/Catalog/OperationCatalogData.swift")


def embedded(name):
    """One of the JSON documents the catalog's generated Swift file embeds."""
    text = open(DATA).read()
    start = text.index(f"static let {name} = #\"\"\"") + len(f"static let {name} = #\"\"\"")
    return json.loads(text[start:text.index('"""#', start)])


def json_schema(schema):
    """An OpenAPI 3.0 schema as JSON Schema: `nullable` becomes a null alternative, refs point at `definitions`."""
    if isinstance(schema, list):
        return [json_schema(part) for part in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: json_schema(value) if key in ("items", "additionalProperties", "allOf", "oneOf", "anyOf") else value
           for key, value in schema.items() if key != "nullable"}
    if "properties" in out:
        out["properties"] = {name: json_schema(member) for name, member in out["properties"].items()}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/definitions/")
    if schema.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def filled(operation):
    """A path, query and body for the operation that pass its validation."""
    template = re.sub(r"^/wiki/api/v2/spaces/\{[^}]+\}", "/wiki/api/v2/spaces/98306", operation["path"])
    path = re.sub(r"\{([^}]+)\}", lambda match: "ENG" if match.group(1) == "spaceKey" else "1001", template)
    values = {"integer": "1", "number": "1", "boolean": "true"}
    query = {parameter["name"]: values.get(parameter["type"], "x") for parameter in operation["queryParameters"] if parameter["required"]}
    body = {field: "x" for field in operation["bodyRequired"]} if operation["bodyRequired"] else None
    return path, query, body


def alice_administers(scenario):
    scenario = copy.deepcopy(scenario)
    scenario["users"][0]["sites"]["acme"]["siteAdmin"] = True
    return scenario


def test_every_generated_answer_validates_against_its_schema_and_repeats():
    default = json.load(open(os.path.join(ROOT, "scenarios/default.json")))
    operations = {(o["api"], o["operationId"]): o for o in embedded("json")}
    schemas = embedded("schemasJSON")
    mock = ConfluenceMock.start(scenario=alice_administers(default), binary=binary())
    try:
        generated = [o for o in mock.catalog() if o["state"] == "generated"]
        assert len(generated) > 250
        for listed in generated:
            operation = operations[(listed["api"], listed["operationId"])]
            path, query, body = filled(operation)
            url = mock.site_url() + path
            first = requests.request(operation["method"], url, params=query, json=body, auth=ALICE)
            second = requests.request(operation["method"], url, params=query, json=body, auth=ALICE)
            name = f"{operation['api']} {operation['operationId']}"
            assert first.status_code == operation["successStatus"], f"{name}: {first.status_code} {first.text[:300]}"
            assert first.content == second.content, f"{name} answers differently to the same request"
            if operation["contentType"] != "application/json" or operation["responseSchema"] is None:
                continue
            schema = dict(json_schema(operation["responseSchema"]), definitions={name: json_schema(member) for name, member in schemas[operation["api"]].items()})
            jsonschema.Draft7Validator(schema).validate(first.json())
    finally:
        mock.stop()


def test_the_scope_advisor_names_what_a_clients_calls_needed(mock):
    scopes = ["read:page:confluence", "read:space:confluence", "read:content-details:confluence", "read:confluence-space.summary",
              "read:confluence-content.summary", "write:page:confluence"]
    token = mock.mint_token(user="alice@acme.test", client="acme-sync-client", scopes=[s for s in scopes if s in (
        "read:page:confluence", "read:space:confluence", "read:confluence-space.summary", "write:page:confluence")] +
        ["read:confluence-content.all"])
    confluence = Confluence(url=mock.gateway(), token=token["access_token"], cloud=True)
    confluence.get_page_by_id("1001")
    confluence.get("api/v2/pages/1001")
    confluence.get("api/v2/spaces/98306")
    confluence.get_space("ENG")

    advice = mock.scope_advice(client="acme-sync-client")
    catalog = {(o["api"], o["operationId"]): o for o in mock.catalog()}
    called = [(o["api"], o["operationId"]) for o in advice["operations"]]
    assert sorted(called) == [("v1", "getContentById"), ("v1", "getSpace"), ("v2", "getPageById"), ("v2", "getSpaceById")]
    assert set(advice["granular"]) == set().union(*(catalog[key]["granularScopes"] for key in called))
    assert advice["classic"] is None and advice["connect"] == "READ"
    assert all(o["allowed"] and o["count"] == 1 for o in advice["operations"])

    report = subprocess.run([binary(), "scopes", "--url", mock.base, "--client", "acme-sync-client"], capture_output=True, text=True, check=True).stdout
    assert f"granular scopes: {' '.join(advice['granular'])}" in report
    assert "1×  GET /wiki/api/v2/pages/{id}  v2 getPageById" in report
    printed = subprocess.run([binary(), "scopes", "--url", mock.base, "--client", "acme-sync-client", "--json"], capture_output=True, text=True, check=True).stdout
    assert json.loads(printed) == advice
