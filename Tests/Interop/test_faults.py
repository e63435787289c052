"""Scripted faults as a Python client with retries sees them: urllib3's Retry honouring Retry-After through a
503-then-200 sequence, a dropped connection retried, a rate limit's headers, and the journal naming each fault."""
import os
import time

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from conftest import ROOT, RunningMock

SCOPED = ("alice@acme.test", "alice-scoped-token")


def retrying_session(**retry):
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=Retry(**retry)))
    return session


def journal(mock):
    return requests.get(f"{mock.base}/__admin/requests").json()["requests"]


def test_a_client_honouring_retry_after_gets_through_a_503_sequence(mock):
    fault = {"name": "two 503s", "match": {"method": "GET", "path": "/wiki/api/v2/pages/*"},
             "sequence": [{"respond": {"status": 503, "headers": {"Retry-After": "1"}}}] * 2, "then": "pass"}
    assert requests.post(f"{mock.base}/__admin/faults", json=fault).status_code == 201
    session = retrying_session(total=5, status_forcelist=[503], backoff_factor=0, respect_retry_after_header=True)
    started = time.monotonic()
    answer = session.get(f"{mock.gateway()}/api/v2/pages/1001", auth=SCOPED)
    assert answer.status_code == 200 and answer.json()["title"] == "Runbook"
    assert time.monotonic() - started >= 2, "two Retry-After: 1 waits"
    assert [(entry["status"], entry["fault"]) for entry in journal(mock)] == [(503, "two 503s"), (503, "two 503s"), (200, None)]


def test_the_bundled_outage_recovers_for_a_client_that_retries_dropped_connections():
    running = RunningMock("--scenario", os.path.join(ROOT, "scenarios", "sequence-then-recover.json"))
    try:
        session = retrying_session(total=5, read=3, status_forcelist=[503], backoff_factor=0, respect_retry_after_header=False)
        answer = session.get(f"{running.gateway()}/api/v2/pages/1001", auth=SCOPED)
        assert answer.status_code == 200
        assert [entry["status"] for entry in journal(running)] == [503, 503, 0, 200], "503, 503, a closed connection, then served"
    finally:
        running.stop()


def test_a_rate_limited_tenant_answers_429_with_atlassians_headers():
    running = RunningMock("--scenario", os.path.join(ROOT, "scenarios", "rate-limited-tenant.json"))
    try:
        url, auth = f"{running.site()}/rest/api/space", ("alice@acme.test", "alice-api-token")
        answers = [requests.get(url, auth=auth) for _ in range(11)]
        assert [a.status_code for a in answers] == [200] * 10 + [429]
        assert answers[8].headers["X-RateLimit-NearLimit"] == "true" and answers[8].headers["X-RateLimit-Remaining"] == "1"
        limited = answers[-1].headers
        assert limited["Retry-After"] == "60" and limited["X-RateLimit-Reset"] == "2026-01-01T00:01Z"
        assert limited["RateLimit-Reason"] == "confluence-quota-tenant-based"
        requests.post(f"{running.base}/__admin/clock", json={"advanceSeconds": 60})
        assert requests.get(url, auth=auth).status_code == 200
    finally:
        running.stop()
