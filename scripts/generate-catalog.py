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
- and the response schemas the operations refer to, and the hand-kept tables below.

docs/catalog.md is written from the embedded data by `confluence-auth-mock catalog --markdown`, which also
says how the mock serves each operation.

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

# "api operationId" -> (permission, why): where the text is missing, garbled, or read wrongly by the rules.
PERMISSION_OVERRIDES = {
    "v1 movePage": ("edit", "no text; moving changes the page and its new parent"),
    "v1 copyPageHierarchy": ("edit", "no text; copying creates pages"),
    "v1 downloadAttatchment": ("view", "no text; reading an attachment needs view on its content's space"),
    "v1 getWatchersForSpace": ("view", "no text; a space's watchers are read with the space"),
    "v1 getLabelsForSpace": ("view", "no text; a space's labels are read with the space"),
    "v1 deleteLabelFromSpace": ("space-admin", "no text; a choice: a space's labels are part of its settings"),
    "v1 getViews": ("view", "no text; analytics of one content item need view on its space"),
    "v1 getViewers": ("view", "no text; analytics of one content item need view on its space"),
    "v1 searchUser": ("site", "no text; user search needs access to the site"),
    "v1 searchGroups": ("site", "no text; group search needs access to the site"),
    "v1 deleteRelationship": ("site", "the text needs site access; its 'admin' concerns other users' relationships"),
    "v2 createBlogPost": ("edit", "no text; creating a blog post needs edit (add) on the space"),
    "v2 deleteAttachmentPropertyById": ("edit", "garbled text ('Permission to attachment the page'); as its update"),
    "v2 deletePage": ("delete", "space admin is needed only to purge (the handler checks that)"),
    "v2 deleteBlogPost": ("delete", "space admin is needed only to purge (the handler checks that)"),
    "v2 deleteAttachment": ("delete", "space admin is needed only to purge (the handler checks that)"),
    "v2 deleteCustomContent": ("delete", "space admin is needed only to purge (the handler checks that)"),
    "v2 setSpaceRoleAssignments": ("space-admin", "'manage roles in the space' is the space admin's"),
}

# Atlassian's classic Confluence scopes, a closed list (every other Confluence scope is granular).
CLASSIC_SCOPES = {
    "read:confluence-content.all", "read:confluence-content.summary", "read:confluence-content.permission",
    "write:confluence-content", "read:confluence-space.summary", "write:confluence-space", "read:confluence-props",
    "write:confluence-props", "write:confluence-file", "readonly:content.attachment:confluence", "search:confluence",
    "read:confluence-user", "read:confluence-groups", "write:confluence-groups", "manage:confluence-configuration",
}

# v1 operations the newer v1 document gives no granular scopes: v1 operationId -> (classic, granular, why).
# Each takes the scopes of the operation that replaced it or of its v2 equivalent; a choice where said.
V1_EQUIVALENTS = {
    "getGroupByName": (["read:confluence-groups"], ["read:group:confluence"],
                       "deprecated for getGroupByGroupId, whose scopes it takes (a choice: the document lists none)"),
    "getGroupMembers": (["read:confluence-groups"], ["read:group:confluence", "read:user:confluence"],
                        "deprecated for getGroupMembersByGroupId, whose scopes it takes (a choice: the document lists none)"),
    "getBulkUserMigration": (["read:confluence-user"], ["read:user:confluence"],
                             "the granular scope of v2 POST /users-bulk, the v2 bulk user lookup (a choice)"),
}
# Left without OAuth scopes, as documented: the Connect-only operations (`/atlassian-connect/1/app/module/dynamic`,
# getPrivacyUnsafeUserEmail and getPrivacyUnsafeUserEmailBulk, Connect scope ACCESS_EMAIL_ADDRESSES). An OAuth
# token cannot call them.

# Where the catalog's scopes and the mock's wire reference (docs/reference.md §2.3) differ, per operation:
# (field, catalog value, reference value, which stands and why). The reference wins where it rests on an
# observation; where it marks its value unverified, the document stands.
SCOPE_NOTES = {
    "getContentById": ("classicScopes", ["read:confluence-content.summary"], ["read:confluence-content.all"],
                       "document: the reference marks its value unverified and the 2024 document lists .summary; "
                       "a token holding .all passes too, as .all implies .summary (ScopeCatalog.implied)"),
}


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


def permission_of(operation, api):
    if f"{api} {operation['operationId']}" in PERMISSION_OVERRIDES:
        return PERMISSION_OVERRIDES[f"{api} {operation['operationId']}"][0]
    description = operation.get("description", "")
    marker = re.search(r"permissions?\]?\(?[^)]*\)?\**\s*required\**\s*:?|permissions required", description, re.IGNORECASE)
    text = description[marker.end():marker.end() + 400].lower() if marker else ""
    for pattern, permission in PERMISSION_RULES:
        if text and re.search(pattern, text):
            return permission
    return "site"


SCHEMA_KEYS = ("type", "format", "enum", "nullable", "properties", "required", "items", "additionalProperties",
               "$ref", "allOf", "oneOf", "anyOf", "maxLength", "minItems", "minimum")


def trimmed(schema):
    """A schema with only what generating and validating a value needs (no descriptions or examples)."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key in SCHEMA_KEYS:
        if key not in schema:
            continue
        value = schema[key]
        if key == "properties":
            value = {name: trimmed(member) for name, member in value.items()}
        elif key in ("items", "additionalProperties"):
            value = trimmed(value)
        elif key in ("allOf", "oneOf", "anyOf"):
            value = [trimmed(part) for part in value]
        out[key] = value
    return out


def success_response(document, operation):
    """(status, content type or None, trimmed schema or None) of the operation's first 2xx answer."""
    responses = operation.get("responses", {})
    codes = sorted(code for code in responses if code.isdigit() and code.startswith("2"))
    if not codes:
        return 200, None, None
    answer = responses[codes[0]]
    if "$ref" in answer:
        answer = resolve(document, answer)
    content = answer.get("content") or {}
    for kind in content:
        if "json" in kind:
            return int(codes[0]), "application/json", trimmed(content[kind].get("schema")) or None
    kind = next(iter(content), None)
    return int(codes[0]), "application/octet-stream" if kind == "*/*" else kind, None


def referenced_schemas(document, roots):
    """The components/schemas the roots reach through $ref, trimmed, by name."""
    found, queue = {}, list(roots)
    while queue:
        node = queue.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in found:
                    found[name] = trimmed(document["components"]["schemas"].get(name, {}))
                    queue.append(found[name])
            queue.extend(node.values())
        elif isinstance(node, list):
            queue.extend(node)
    return found


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
            # With a Beta entry, Current holds the classic scopes and Beta the granular ones. Without
            # one, Current holds either kind: the classic list tells them apart (a classic scope
            # can have three parts, `readonly:content.attachment:confluence`).
            classic = [scope for scope in current if beta or scope in CLASSIC_SCOPES]
            granular = beta or [scope for scope in current if scope not in CLASSIC_SCOPES]
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
            status, content_type, schema = success_response(document, operation)
            found.append({
                "operationId": operation["operationId"], "api": api, "method": method.upper(),
                "path": path if path.startswith(("/wiki/", "/atlassian-connect/")) else prefix + path,
                "classicScopes": sorted(set(classic)), "granularScopes": sorted(set(granular)), "betaGranularScopes": beta,
                "connectScope": operation.get("x-atlassian-connect-scope", "NONE"),
                "permission": permission_of(operation, api),
                "pathParameters": [{"name": p["name"], "type": parameter_type(document, p)} for p in parameters if p.get("in") == "path"],
                "queryParameters": [{"name": p["name"], "type": parameter_type(document, p), "required": bool(p.get("required"))}
                                    for p in parameters if p.get("in") == "query"],
                "bodyRequired": required_fields(document, body_schema),
                "successStatus": status, "contentType": content_type, "responseSchema": schema,
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
        if operation["operationId"] in V1_EQUIVALENTS and not operation["granularScopes"]:
            classic, granular, _ = V1_EQUIVALENTS[operation["operationId"]]
            operation["classicScopes"], operation["granularScopes"] = operation["classicScopes"] or classic, granular
        if operation["operationId"] in SCOPE_NOTES:
            field, _, reference, decision = SCOPE_NOTES[operation["operationId"]]
            if decision.startswith("reference"):
                operation[field] = reference
    catalog = v1_operations + operations(v2, "v2", "/wiki/api/v2")
    catalog.sort(key=lambda o: (o["api"], o["path"], METHODS.index(o["method"].lower())))
    # Both APIs have a getSpaces (and a few more): an operation is named by its API and its id.
    ids = [(o["api"], o["operationId"]) for o in catalog]
    duplicates = sorted({f"{api} {i}" for api, i in ids if ids.count((api, i)) > 1})
    if duplicates:
        sys.exit(f"operationIds are not unique within an API: {', '.join(duplicates)}")
    schemas = {"v1": referenced_schemas(v1, [o["responseSchema"] for o in catalog if o["api"] == "v1"]),
               "v2": referenced_schemas(v2, [o["responseSchema"] for o in catalog if o["api"] == "v2"])}
    notes = {
        "v1Equivalents": [{"operationId": key, "classicScopes": c, "granularScopes": g, "why": why}
                          for key, (c, g, why) in sorted(V1_EQUIVALENTS.items())],
        "scopeNotes": [{"operationId": key, "field": field, "catalog": mine, "reference": theirs, "decision": why}
                       for key, (field, mine, theirs, why) in sorted(SCOPE_NOTES.items())],
        "permissionOverrides": [{"operation": key, "permission": permission, "why": why}
                                for key, (permission, why) in sorted(PERMISSION_OVERRIDES.items())],
    }
    lines = ",\n".join(json.dumps(o, separators=(",", ":"), ensure_ascii=False) for o in catalog)
    with open(os.path.join(ROOT, "Sources/ConfluenceAuthMock/Catalog/OperationCatalogData.swift"), "w") as out:
        out.write("// Generated by scripts/generate-catalog.py from Atlassian's OpenAPI documents. Do not edit; run the script.\n\n")
        out.write("extension OperationCatalog {\n")
        out.write(f"    /// The {len(catalog)} operations, one JSON object each (docs/catalog.md).\n")
        out.write('    static let json = #"""\n[\n' + lines + '\n]\n"""#\n\n')
        out.write("    /// The response schemas the operations refer to (`#/components/schemas/NAME`), by API.\n")
        out.write('    static let schemasJSON = #"""\n' + json.dumps(schemas, separators=(",", ":"), ensure_ascii=False) + '\n"""#\n\n')
        out.write("    /// The hand-kept tables the script applied: scopes given to v1 operations the document leaves without\n")
        out.write("    /// granular ones, differences from docs/reference.md and how each was settled, permission overrides.\n")
        out.write('    static let notesJSON = #"""\n' + json.dumps(notes, indent=1, ensure_ascii=False) + '\n"""#\n}\n')
    counts = {api: sum(1 for o in catalog if o["api"] == api) for api in ("v1", "v2")}
    print(f"wrote {len(catalog)} operations ({counts['v1']} v1, {counts['v2']} v2); "
          "now run `swift run confluence-auth-mock catalog --markdown > docs/catalog.md`")


if __name__ == "__main__":
    main()
