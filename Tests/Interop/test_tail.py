"""`confluence-auth-mock tail` as a CI job would run it: a separate process following a running
mock's journal, one line per request, ending when the mock stops."""
import json
import re
import subprocess
import time

import requests

from conftest import RunningMock, binary

LINE = re.compile(r"^(\d\d:\d\d:\d\d\.\d{3}) (\S+) (\S+) (\d+) (\S+) (\S+) (\S+) (.+)$")


def follow(mock, *flags):
    """Starts tail; it prints only what is journaled after it connects, so give it a moment."""
    process = subprocess.Popen([binary(), "tail", "--url", mock.base, *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    return process


def test_tail_prints_a_line_per_request_and_ends_with_the_mock():
    mock = RunningMock()
    try:
        tail = follow(mock)
        requests.get(f"{mock.site()}/rest/api/space", auth=("alice@acme.test", "alice-api-token"))
        requests.get(f"{mock.site()}/rest/api/space", auth=("alice@acme.test", "wrong"))
        time.sleep(0.5)
    finally:
        mock.stop()
    out, err = tail.communicate(timeout=10)
    assert tail.returncode == 0, err
    lines = [LINE.match(line) for line in out.splitlines()]
    assert all(lines), out
    fields = [match.groups()[1:] for match in lines]
    assert fields == [
        ("GET", "/site/acme/wiki/rest/api/space", "200", "basic", "5b10ac8d82e05b22cc7d4ef5", "allowed", "-"),
        ("GET", "/site/acme/wiki/rest/api/space", "403", "basic", "alice@acme.test", "denied", "unknown email or wrong API token"),
    ]


def test_tail_json_prints_each_entry_as_a_line():
    mock = RunningMock()
    try:
        tail = follow(mock, "--json")
        requests.get(f"{mock.site()}/rest/api/space", auth=("alice@acme.test", "alice-api-token"))
        time.sleep(0.5)
        journal = requests.get(f"{mock.base}/__admin/requests", params={"path": "/site/*"}).json()["requests"]
    finally:
        mock.stop()
    out, _ = tail.communicate(timeout=10)
    entries = [json.loads(line) for line in out.splitlines()]
    assert [entry for entry in entries if entry["path"].startswith("/site/")] == journal


def test_tail_without_a_mock_fails_with_the_reason():
    result = subprocess.run([binary(), "tail", "--url", "http://127.0.0.1:9"], capture_output=True, text=True, timeout=20)
    assert result.returncode == 1 and "confluence-auth-mock tail:" in result.stderr
