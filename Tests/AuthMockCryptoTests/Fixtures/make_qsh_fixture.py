#!/usr/bin/env python3
"""Regenerates qsh-atlassian-jwt.json: the canonical request and qsh that PyPI's atlassian-jwt
computes for varied URLs. The Swift QueryStringHash tests must reproduce every entry.

Run: python3 Tests/AuthMockCryptoTests/Fixtures/make_qsh_fixture.py > Tests/AuthMockCryptoTests/Fixtures/qsh-atlassian-jwt.json
atlassian-jwt takes URLs relative to the product's base URL, so `relative` is what it hashed; the
Swift side is given the full `path` on the site and the `/wiki` base path where `basePath` says so.
"""
import json
from importlib.metadata import version

from atlassian_jwt.url_utils import canonicalize_request, hash_url

CASES = [
    ("GET", "/rest/api/space", "/wiki"),
    ("GET", "/rest/api/content?spaceKey=ENG&title=Runbook", "/wiki"),
    ("get", "/rest/api/content/1001?expand=body.storage,version", "/wiki"),
    ("POST", "/rest/api/content", "/wiki"),
    ("PUT", "/api/v2/pages/1001", "/wiki"),
    ("DELETE", "/api/v2/pages/1001?purge=true", "/wiki"),
    ("GET", "/rest/api/search?cql=space%20%3D%20ENG%20AND%20type%20%3D%20page", "/wiki"),
    ("GET", "/rest/api/search?cql=title+~+%22run+book%22", "/wiki"),
    ("GET", "/path/to/service?zee_last=param&repeated=parameter%201&first=param&repeated=parameter%202", ""),
    ("GET", "/rest/api/space?jwt=abc.def.ghi&limit=25", "/wiki"),
    ("GET", "/rest/api/space/?limit=10", "/wiki"),
    ("GET", "/", ""),
    ("GET", "", ""),
    ("POST", "/installed", ""),
    ("GET", "/search?q=a*b&r=tilde~ok", ""),
    ("GET", "/search?q=%E2%9C%93+check&name=J%C3%BCrgen", ""),
    ("GET", "/search?b=2&a=1&B=3&A=4", ""),
    ("GET", "/search?k=z&k=%C3%A9&k=a", ""),
    ("GET", "/search?empty=&flag&x=1", ""),
    ("GET", "/a&b/c?x=1&y=", ""),
    ("GET", "/search?sym=!%24%26%27()%2C%3B%3D%3A%40", ""),
    ("GET", "/search?k=b&k=a&k=b", ""),
    ("GET", "/search?percent=100%25&plus=%2B&space=a%20b", ""),
    ("GET", "/rest/api/content/search?cql=label%3D%22a%2Fb%22&limit=5&start=0", "/wiki"),
]


def main():
    cases = []
    for method, relative, base in CASES:
        cases.append({
            "method": method,
            "relative": relative,
            "basePath": base,
            "path": base + relative,
            "canonical": canonicalize_request(method, relative),
            "qsh": hash_url(method, relative),
        })
    print(json.dumps({"generator": f"atlassian-jwt {version('atlassian-jwt')}", "cases": cases}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
