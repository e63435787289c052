"""Sends one request N times over one keep-alive connection and checks each answer is 200.

Usage: drive.py PORT N basic|bearer [READY-COMMAND]. The request is the gateway route of benchmarks/gateway.sh:
GET /ex/confluence/{cloudId}/wiki/api/v2/pages/1001 on the bundled default scenario, with
alice's API token (basic) or a 3LO token minted through the admin API (bearer). One request is
sent first to warm up; then READY-COMMAND, when given, runs (a shell command) before the N."""
import base64
import http.client
import json
import subprocess
import sys

PATH = "/ex/confluence/a436116f-02ce-4520-8fbb-7301462a1674/wiki/api/v2/pages/1001"


def authorization(connection, kind):
    if kind == "basic":
        return "Basic " + base64.b64encode(b"alice@acme.test:alice-api-token").decode()
    grant = {"user": "alice@acme.test", "client": "acme-sync-client", "scopes": ["read:page:confluence"]}
    connection.request("POST", "/__admin/tokens", body=json.dumps(grant), headers={"Content-Type": "application/json"})
    return "Bearer " + json.loads(connection.getresponse().read())["access_token"]


def send(connection, headers):
    connection.request("GET", PATH, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"request answered {response.status}, expected 200")


def main():
    port, count, kind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    connection = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": authorization(connection, kind)}
    send(connection, headers)
    if len(sys.argv) > 4:
        subprocess.run(sys.argv[4], shell=True, check=True, stdout=subprocess.DEVNULL)
    for _ in range(count):
        send(connection, headers)


main()
