#!/usr/bin/env python3
"""Derives the operation catalog from Atlassian's OpenAPI documents for Confluence Cloud.

Usage: scripts/generate-catalog.py V1-DOCUMENT V2-DOCUMENT [--v1-scopes NEWER-V1-DOCUMENT]

The documents are Atlassian's (https://dac-static.atlassian.com/cloud/confluence/swagger.v3.json for v1,
https://dac-static.atlassian.com/cloud/confluence/openapi-v2.v3.json for v2); download them and give their
paths. The v1 document of 2021 lists classic scopes only. Later copies of it give each v1 operation
`x-atlassian-oauth2-scopes`: the classic scopes under `Current` and the granular ones under `Beta`.
`--v1-scopes` names such a copy; each v1 operation it has takes its classic scopes (`Current`) and its
granular scopes (`Beta`, or else the three-part `Current` scopes, as a few operations list them) from it. The catalog in the
repository was made with Atlassian's swagger.v3.json as fetched on 2024-02-04 (a public copy:
github.com/primelib/confluence-client, rest-v1/openapi.json, commit 862623435eaa), the newest copy that
still lists the deprecated v1 operations. The script writes facts taken from them, never the documents:

- Sources/ConfluenceAuthMock/Catalog/OperationCatalogData.swift: one JSON object per operation, embedded
  in the binary (operationId, api, method, full path template, classic scopes, granular scopes and Beta
  alternatives, Connect scope, the permission the caller needs, path and query parameters with their types
  and whether they are required, the request body's required fields, the success status, deprecation);
- docs/catalog.md: the same, one row per operation.

The permission is read from each operation's "Permissions required" text (PERMISSION_RULES, first match
wins); PERMISSION_OVERRIDES settles the operations whose text says nothing usable.
"""
import json
import os
import re
import sys

METHODS = ("get", "post", "put", "delete", "patch")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (pattern in the lower-cased "Permissions required" text, permission), tried in order.
PERMISSION_RULES = [
    (r"site admin|confluence administrator|administer confluence|'administrator'", "site-admin"),
    (r"['‘’]admin['‘’] permission for the space|space admin|administer the space", "space-admin"),
    (r"delete|purge", "delete"),
    (r"\b(edit|update|create|add|modify|write|move|copy|restore|archive)\b", "edit"),
    (r"\bview\b|\bread\b|\bsee\b", "view"),
    (r"access the confluence site|none|any user|anonymous", "site"),
]

# operationId -> (permission, why): where the text is missing or says nothing a rule can read.
PERMISSION_OVERRIDES = {}


def resolve(document, node):
    """A node (schema, parameter, request body) with its top-level $ref followed within the document."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 10:
        target = document
        for segment in node["$ref"].lstrip("#/").split("/"):
            target = target.get(segment, {}) if isinstance(target, dict) else {}
        node = target
        seen += 1
    return node or {}


def required_fields(document, schema):
    """The required members of an object schema, those of its allOf parts included."""
    schema = resolve(document, schema)
    fields = list(schema.get("required", []))
    for part in schema.get("allOf", []):
        fields += [field for field in required_fields(document, part) if field not in fields]
    return fields


def parameter_type(document, parameter):
    schema = resolve(document, parameter.get("schema", {}))
    kind = schema.get("type") or ("string" if schema.get("format") else "string")
    return f"array<{resolve(document, schema.get('items', {})).get('type', 'string')}>" if kind == "array" else kind


def permission_of(operation):
    if operation["operationId"] in PERMISSION_OVERRIDES:
        return PERMISSION_OVERRIDES[operation["operationId"]][0]
    description = operation.get("description", "")
    marker = re.search(r"permissions?\]?\(?[^)]*\)?\**\s*required\**\s*:?|permissions required", description, re.IGNORECASE)
    text = description[marker.end():marker.end() + 400].lower() if marker else ""
    for pattern, permission in PERMISSION_RULES:
        if text and re.search(pattern, text):
            return permission
    return "site"


def v1_scopes(document):
    """(METHOD, path) -> (classic, granular) from a v1 document with x-atlassian-oauth2-scopes."""
    found = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            entries = operation.get("x-atlassian-oauth2-scopes") if method in METHODS else None
            if not entries:
                continue
            current = [scope for entry in entries if entry.get("state") == "Current" for scope in entry.get("scopes", [])]
            beta = [scope for entry in entries if entry.get("state") == "Beta" for scope in entry.get("scopes", [])]
            # Classic scopes have two parts (`search:confluence`, `read:confluence-content.all`),
            # granular ones three (`read:content-details:confluence`).
            classic = [scope for scope in current if scope.count(":") == 1]
            granular = beta or [scope for scope in current if scope.count(":") == 2]
            found[(method.upper(), path)] = (sorted(set(classic)), sorted(set(granular)))
    return found


def operations(document, api, prefix):
    found = []
    for path, methods in document["paths"].items():
        shared = methods.get("parameters", [])
        for method, operation in methods.items():
            if method not in METHODS:
                continue
            parameters = [resolve(document, p) for p in shared + operation.get("parameters", [])]
            classic, granular, beta = [], [], []
            for requirement in operation.get("security") or []:
                for scheme, scopes in requirement.items():
                    if scheme == "oAuthDefinitions":
                        (granular if api == "v2" else classic).extend(scopes)
            for entry in operation.get("x-atlassian-oauth2-scopes", []):
                if entry.get("state") == "Current":
                    granular = list(entry.get("scopes", []))
                elif entry.get("state") == "Beta":
                    beta.append(list(entry.get("scopes", [])))
            request_body = resolve(document, operation.get("requestBody", {}))
            body_schema = request_body.get("content", {}).get("application/json", {}).get("schema", {})
            successes = sorted(int(code) for code in operation.get("responses", {}) if code.isdigit() and code.startswith("2"))
            found.append({
                "operationId": operation["operationId"], "api": api, "method": method.upper(),
                "path": path if path.startswith(("/wiki/", "/atlassian-connect/")) else prefix + path,
                "classicScopes": sorted(set(classic)), "granularScopes": sorted(set(granular)), "betaGranularScopes": beta,
                "connectScope": operation.get("x-atlassian-connect-scope", "NONE"),
                "permission": permission_of(operation),
                "pathParameters": [{"name": p["name"], "type": parameter_type(document, p)} for p in parameters if p.get("in") == "path"],
                "queryParameters": [{"name": p["name"], "type": parameter_type(document, p), "required": bool(p.get("required"))}
                                    for p in parameters if p.get("in") == "query"],
                "bodyRequired": required_fields(document, body_schema),
                "successStatus": successes[0] if successes else 200,
                "deprecated": bool(operation.get("deprecated")),
            })
    return found


def main():
    arguments = sys.argv[1:]
    newer = None
    if "--v1-scopes" in arguments:
        at = arguments.index("--v1-scopes")
        if at + 1 >= len(arguments):
            sys.exit("--v1-scopes needs a file")
        newer = v1_scopes(json.load(open(arguments[at + 1])))
        del arguments[at:at + 2]
    if len(arguments) != 2:
        sys.exit("usage: scripts/generate-catalog.py V1-DOCUMENT V2-DOCUMENT [--v1-scopes NEWER-V1-DOCUMENT]")
    v1, v2 = (json.load(open(path)) for path in arguments)
    v1_operations = operations(v1, "v1", "/wiki/rest/api")
    for operation in v1_operations:
        if newer and (operation["method"], operation["path"]) in newer:
            operation["classicScopes"], operation["granularScopes"] = newer[(operation["method"], operation["path"])]
    catalog = v1_operations + operations(v2, "v2", "/wiki/api/v2")
    catalog.sort(key=lambda o: (o["api"], o["path"], METHODS.index(o["method"].lower())))
    # Both APIs have a getSpaces (and a few more): an operation is named by its API and its id.
    ids = [(o["api"], o["operationId"]) for o in catalog]
    duplicates = sorted({f"{api} {i}" for api, i in ids if ids.count((api, i)) > 1})
    if duplicates:
        sys.exit(f"operationIds are not unique within an API: {', '.join(duplicates)}")
    lines = ",\n".join(json.dumps(o, separators=(",", ":"), ensure_ascii=False) for o in catalog)
    with open(os.path.join(ROOT, "Sources/ConfluenceAuthMock/Catalog/OperationCatalogData.swift"), "w") as out:
        out.write("// Generated by scripts/generate-catalog.py from Atlassian's OpenAPI documents. Do not edit; run the script.\n\n")
        out.write("extension OperationCatalog {\n")
        out.write(f"    /// The {len(catalog)} operations, one JSON object each (docs/catalog.md).\n")
        out.write('    static let json = #"""\n[\n' + lines + '\n]\n"""#\n}\n')
    with open(os.path.join(ROOT, "docs/catalog.md"), "w") as out:
        counts = {api: sum(1 for o in catalog if o["api"] == api) for api in ("v1", "v2")}
        out.write("# Operation catalog\n\n")
        out.write(f"Every Confluence Cloud REST operation Atlassian documents: {len(catalog)} ({counts['v1']} in v1, "
                  f"{counts['v2']} in v2), generated by `scripts/generate-catalog.py` from Atlassian's OpenAPI documents "
                  "(the script says where to get them). The same data is embedded in the binary "
                  "(`Sources/ConfluenceAuthMock/Catalog/OperationCatalogData.swift`). v1 operations take their classic and "
                  "granular scopes from a 2024 copy of the v1 document (the script's help says which), where it has them; "
                  f"{sum(1 for o in catalog if o['api'] == 'v1' and not o['granularScopes'])} v1 operations have no granular scopes there. "
                  "The permission is read from each operation's \"Permissions required\" "
                  "text (`site`: access to the site; `view`, `edit`, `delete`, `space-admin`: on the space the operation "
                  "touches; `site-admin`). The catalog records what Confluence documents; which operations the mock "
                  "serves today, and how, is in [endpoints.md](endpoints.md).\n\n")
        out.write("| operation | method | path | classic scopes | granular scopes | Connect | permission |\n|---|---|---|---|---|---|---|\n")
        for o in catalog:
            deprecated = " (deprecated)" if o["deprecated"] else ""
            out.write(f"| `{o['operationId']}`{deprecated} | {o['method']} | `{o['path']}` | {' '.join(o['classicScopes']) or '–'} | "
                      f"{' '.join(o['granularScopes']) or '–'} | {o['connectScope']} | {o['permission']} |\n")
    print(f"wrote {len(catalog)} operations ({counts['v1']} v1, {counts['v2']} v2)")


if __name__ == "__main__":
    main()
